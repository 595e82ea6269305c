"""``sitroom claims``, ``sitroom quotes``, ``sitroom check`` and their exports."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from sitroom import api
from sitroom.cli.common import (
    DbOption,
    ListFormat,
    OutOption,
    TableFormat,
    cut,
    emit_rows,
    fail,
    write_out,
    write_parquet_out,
)
from sitroom.errors import SitroomError

__all__ = ["claims_table", "register"]

_MARK = {"corroborated": "✔", "single-source": "·", "contested": "✖"}
Status = Literal["corroborated", "single-source", "contested"]
Kind = Literal["event", "number", "assessment", "statement"]


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
            Status | None, typer.Option(help="corroborated, single-source or contested.")
        ] = None,
        story: Annotated[str | None, typer.Option(help="Only this story's claims.")] = None,
        kind: Annotated[
            Kind | None, typer.Option(help="event, number, assessment or statement.")
        ] = None,
        format: Annotated[ListFormat, typer.Option(help="table or jsonl.")] = "table",
    ) -> None:
        """List claims aligned across outlets: status, independent sources, sides."""
        try:
            rows = api.claims(db, status=status, story=story, kind=kind)
        except SitroomError as exc:
            raise fail(exc) from None
        emit_rows(rows, format, claims_table, "claims")

    @app.command("realign")
    def realign_cmd(
        db: DbOption = Path("sitroom.db"),
        topic: Annotated[str | None, typer.Option(help="Only this topic (default: all).")] = None,
    ) -> None:
        """Align claims across outlets from scratch (each run aligns only what it touched);
        claim ids are kept."""
        try:
            rep = api.realign(db, topic)
        except SitroomError as exc:
            raise fail(exc) from None
        for line in rep.problems():
            typer.echo(f"error: {line}", err=True)
        c = rep.claims
        typer.echo(
            f"{rep.units['topic_claims']} topics aligned from scratch, "
            f"{rep.units['brief']} briefs rewritten; {c['corroborated']} corroborated, "
            f"{c['single-source']} single-source, {c['contested']} contested claims"
        )
        raise typer.Exit(rep.exit_code)

    @app.command("quotes")
    def quotes_cmd(
        db: DbOption = Path("sitroom.db"),
        speaker: Annotated[str | None, typer.Option(help="Speaker contains.")] = None,
        format: Annotated[ListFormat, typer.Option(help="table or jsonl.")] = "table",
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
        format: Annotated[
            Literal["table", "json"], typer.Option(help="table or json (one object a line).")
        ] = "table",
    ) -> None:
        """Does each article support, contradict or discuss CLAIM, or is it unrelated?
        Exit 1 when some inputs could not be read or checked (each named on stderr; the rest
        answered), 3 when checking failed inside on some."""
        if pairs is not None:
            if claim or files or db is not None:
                typer.echo("error: --pairs takes no CLAIM, FILES or --db", err=True)
                raise typer.Exit(2)
            raise typer.Exit(_pairs(pairs))
        if not claim or (db is None and not files):
            typer.echo("error: give a CLAIM and FILES, or --db, or --pairs FILE", err=True)
            raise typer.Exit(2)
        try:
            rows = api.check(claim, db=db, files=files or (), story=story)
        except SitroomError as exc:
            raise fail(exc) from None
        failed = [r for r in rows if r["verdict"] == "error"]
        for r in failed:
            typer.echo(f"error: {r.get('error') or r['article']}", err=True)
        for r in rows:
            if format == "json":
                typer.echo(json.dumps(r, ensure_ascii=False))
                continue
            ev = r["evidence"][0]["sentence"] if r["evidence"] else r.get("error", "")
            typer.echo(
                f"{r['verdict']:11} {r['score']:.2f}  {cut(r.get('outlet') or r['article'], 20):20}"
                f"  {cut(ev, 100)}"
            )
        raise typer.Exit(1 if failed else 0)

    @app.command("brief")
    def brief_cmd(
        db: DbOption = Path("sitroom.db"),
        story: Annotated[
            str | None, typer.Option(help="This story only (default: every story).")
        ] = None,
        since: Annotated[
            str | None, typer.Option(help="Only the facts new since this date or time (ISO).")
        ] = None,
        sentences: Annotated[int, typer.Option(min=1, help="At most this many sentences.")] = 10,
        format: Annotated[
            Literal["text", "markdown", "json"], typer.Option(help="text, markdown or json.")
        ] = "text",
    ) -> None:
        """The cited brief of each story: corroborated facts first, contested ones with both
        sides, single-source ones marked; every sentence cited to its outlets."""
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
        format: Annotated[TableFormat, typer.Option(help="jsonl, csv or parquet.")] = "jsonl",
        out: OutOption = None,
    ) -> None:
        """Export claims: id, story, text, kind, status, outlets, independent sources,
        sides, linked conflicts and per source the article, outlet, sentence, offsets."""
        if format == "parquet":
            write_parquet_out(db, "claims", out, "claims")
            return
        write_out(lambda fh: api.export_claims(db, fh, format), out, "claims", db)

    @export_app.command("quotes")
    def export_quotes_cmd(
        db: DbOption = Path("sitroom.db"),
        format: Annotated[TableFormat, typer.Option(help="jsonl, csv or parquet.")] = "jsonl",
        out: OutOption = None,
    ) -> None:
        """Export quotes: speaker, role, affiliation, quote, direct or reported, outlet,
        article, offsets."""
        if format == "parquet":
            write_parquet_out(db, "quotes", out, "quotes")
            return
        write_out(lambda fh: api.export_quotes(db, fh, format), out, "quotes", db)


def _pairs(path: Path) -> int:
    """Batch mode: one JSON line out per input line; a bad line gets an error line and the
    rest go on. The exit status: 0, 1 if some lines could not be read, 3 if checking raised
    on some."""
    from sitroom.claims import check_pairs

    try:
        fh = sys.stdin.buffer if str(path) == "-" else path.open("rb")
    except OSError as exc:
        typer.echo(f"error: {path}: {exc.strerror}", err=True)
        raise typer.Exit(2) from None
    codes = {0}
    with fh:
        for n, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                typer.echo(json.dumps(_pair_error(path, n, None, f"not UTF-8 ({exc.reason})")))
                codes.add(1)
                continue
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
                out = _pair_error(path, n, row, str(exc))
                codes.add(1)
            except Exception as exc:  # a fault inside checking: this line fails, not the batch
                out = _pair_error(path, n, row, f"internal error ({type(exc).__name__}: {exc})")
                codes.add(3)
            typer.echo(json.dumps(out, ensure_ascii=False))
    return max(codes)


def _pair_error(path: Path, n: int, row: Any, reason: str) -> dict[str, Any]:
    typer.echo(f"error: {path} line {n}: {reason}", err=True)
    ident = row.get("id") if isinstance(row, dict) else None
    return {"id": ident, "verdict": "error", "error": reason, "evidence": [], "score": 0.0}
