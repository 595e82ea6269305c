"""``sitroom claims``, ``sitroom quotes``, ``sitroom check`` and their exports."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from sitroom import api
from sitroom.cli.common import DbOption, OutOption, cut, emit_rows, fail, write_out
from sitroom.errors import SitroomError

__all__ = ["claims_table", "register"]

_MARK = {"corroborated": "✔", "single-source": "·", "contested": "✖"}


def claims_table(rows: list[dict[str, Any]]) -> str:
    """One line per claim: status, sources, text; a contested claim's sides under it."""
    lines = []
    for r in rows:
        lines.append(
            f"{_MARK.get(r['status'], '?')} {r['status']:13} {r['independent_sources']} src  "
            f"{cut(r['text'], 100)}  [{', '.join(r['outlets'])}]"
        )
        for side in r["sides"]:
            lines.append(
                f"      {cut(side['value'], 24):24} {', '.join(side['outlets'])} "
                f"({side['independent_sources']} independent)"
            )
    return "\n".join(lines)


def quotes_table(rows: list[dict[str, Any]]) -> str:
    lines = []
    for r in rows:
        who = r["speaker"] or r["speaker_text"]
        if r["anonymous"]:
            who = f"{who} [{r['anonymous']}]"
        role = ", ".join(x for x in (r["role"], r["affiliation"]) if x)
        lines.append(
            f"{cut(who, 34):34} {cut(role, 30):30} {r['kind']:8} {cut(r['outlet'], 18):18} "
            f"“{cut(r['quote'], 70)}”"
        )
    return "\n".join(lines)


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    @app.command("claims")
    def claims_cmd(
        db: DbOption = Path("sitroom.db"),
        status: Annotated[
            str | None, typer.Option(help="corroborated, single-source or contested.")
        ] = None,
        story: Annotated[str | None, typer.Option(help="Only this story's claims.")] = None,
        kind: Annotated[
            str | None, typer.Option(help="event, number, assessment or statement.")
        ] = None,
        format: Annotated[str, typer.Option(help="table or jsonl.")] = "table",
    ) -> None:
        """List claims aligned across outlets: status, independent sources, sides."""
        try:
            rows = api.claims(db, status=status, story=story, kind=kind)
        except SitroomError as exc:
            raise fail(exc) from None
        emit_rows(rows, format, claims_table, "claims")

    @app.command("quotes")
    def quotes_cmd(
        db: DbOption = Path("sitroom.db"),
        speaker: Annotated[str | None, typer.Option(help="Speaker contains.")] = None,
        format: Annotated[str, typer.Option(help="table or jsonl.")] = "table",
    ) -> None:
        """List quotes with speaker, role, affiliation and outlet."""
        try:
            rows = api.quotes(db, speaker)
        except SitroomError as exc:
            raise fail(exc) from None
        emit_rows(rows, format, quotes_table, "quotes")

    @app.command("check")
    def check_cmd(
        claim: Annotated[str | None, typer.Argument(help="The claim to check.")] = None,
        files: Annotated[
            list[Path] | None, typer.Argument(help="Articles to check it against.")
        ] = None,
        db: Annotated[
            Path | None, typer.Option("--db", help="Check against a store's articles.")
        ] = None,
        story: Annotated[str | None, typer.Option(help="Only this story's articles.")] = None,
        pairs: Annotated[
            Path | None,
            typer.Option(help='JSONL of {"id", "claim", "text" or "file"}: one line out each.'),
        ] = None,
        format: Annotated[str, typer.Option(help="table or json.")] = "table",
    ) -> None:
        """Does each article support, contradict or discuss CLAIM, or is it unrelated?"""
        if pairs is not None:
            _pairs(pairs)
            return
        if not claim or (db is None and not files):
            typer.echo("error: give a CLAIM and FILES, or --db, or --pairs FILE", err=True)
            raise typer.Exit(2)
        try:
            rows = api.check(claim, db=db, files=files or (), story=story)
        except SitroomError as exc:
            raise fail(exc) from None
        if format == "json":
            for r in rows:
                typer.echo(json.dumps(r, ensure_ascii=False))
            return
        for r in rows:
            ev = r["evidence"][0]["sentence"] if r["evidence"] else r.get("error", "")
            typer.echo(
                f"{r['verdict']:11} {r['score']:.2f}  {cut(r.get('outlet') or r['article'], 20):20}"
                f"  {cut(ev, 100)}"
            )

    @app.command("brief")
    def brief_cmd(
        db: DbOption = Path("sitroom.db"),
        story: Annotated[
            str | None, typer.Option(help="This story only (default: every story).")
        ] = None,
        since: Annotated[
            str | None, typer.Option(help="Only the facts new since this date or time (ISO).")
        ] = None,
        sentences: Annotated[int, typer.Option(help="At most this many sentences.")] = 10,
        format: Annotated[str, typer.Option(help="text, markdown or json.")] = "text",
    ) -> None:
        """The cited brief of each story: corroborated facts first, contested ones with both
        sides, single-source ones marked; every sentence cited to its outlets."""
        if format not in ("text", "markdown", "json"):
            typer.echo("error: --format must be text, markdown or json", err=True)
            raise typer.Exit(2)
        try:
            ids = [story] if story else [s["story_id"] for s in api.stories(db, "story")]
            for sid in ids:
                b = api.brief(db, sid, since, sentences)
                if format == "json":
                    typer.echo(json.dumps(b.to_dict(), ensure_ascii=False))
                else:
                    typer.echo(b.to_markdown() if format == "markdown" else b.to_text())
                    typer.echo("")
        except SitroomError as exc:
            raise fail(exc) from None

    @export_app.command("claims")
    def export_claims_cmd(
        db: DbOption = Path("sitroom.db"),
        format: Annotated[str, typer.Option(help="jsonl or csv.")] = "jsonl",
        out: OutOption = None,
    ) -> None:
        """Export claims: id, story, text, kind, status, outlets, independent sources,
        sides, linked conflicts and per source the article, outlet, sentence, offsets."""
        write_out(lambda fh: api.export_claims(db, fh, format), out, "claims")

    @export_app.command("quotes")
    def export_quotes_cmd(
        db: DbOption = Path("sitroom.db"),
        format: Annotated[str, typer.Option(help="jsonl or csv.")] = "jsonl",
        out: OutOption = None,
    ) -> None:
        """Export quotes: speaker, role, affiliation, quote, direct or reported, outlet,
        article, offsets."""
        write_out(lambda fh: api.export_quotes(db, fh, format), out, "quotes")


def _pairs(path: Path) -> None:
    """Batch mode: one JSON line out per input line; a bad line gets an error line."""
    from sitroom.claims import check_pairs

    try:
        fh = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    except OSError as exc:
        typer.echo(f"error: {path}: {exc.strerror}", err=True)
        raise typer.Exit(2) from None
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row: Any = None
            try:
                row = json.loads(line)
                if not isinstance(row, dict) or "claim" not in row:
                    raise ValueError("needs an object with 'claim' and 'text' or 'file'")
                if "text" not in row and "file" not in row:
                    raise ValueError("needs 'text' or 'file'")
                out = next(check_pairs([row]))
            except (ValueError, OSError, UnicodeDecodeError) as exc:
                ident = row.get("id") if isinstance(row, dict) else None
                typer.echo(f"error: {path} line {n}: {exc}", err=True)
                out = {"id": ident, "verdict": "error", "error": str(exc), "evidence": [],
                       "score": 0.0}  # fmt: skip
            typer.echo(json.dumps(out, ensure_ascii=False))
