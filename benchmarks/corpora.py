"""Every real news text in ../shared/data as article records, and writers that feed them to
``sitroom run``.

A record is a dict with ``text`` (or ``html``, for the Scrapinghub pages), where the data
has them ``title``, ``outlet``, ``published`` (an ISO date) and ``url``, and always
``corpus`` (the data set's folder) and ``doc_id`` (stable: ``corpus/subset/native id``).
sitroom ignores the two bookkeeping fields; they let a benchmark find each record again.

One reader per data set, each reusing the parser of the benchmark that already reads it:

    news-cluster-5w1h       news_cluster (383, dated) and the 5W1H gold set (96)
    neus-allsides-mds       the crawled stories, one record per outlet (with outlet, date and
                            link), and every title + lead of the train/val/test .source files
    meantime-newsreader     120 WikiNews articles with their creation times
    tempeval3               TimeBank and AQUAINT, TimeML stripped to text, DCT as the date
    geoparsing              LGL (588) and GeoWebNews (200)
    article-extraction-scrapinghub  181 HTML pages as ``html`` (the gold body is not input)
    conflibert-eval         IndiaPoliceEvents documents, SATP, InsightCrime, CAMEO sentences,
                            MUC-4 documents, re3d sentences (the IndiaPoliceEvents sentence set
                            is sentences of the same reports and is left out; cameo_ner holds
                            the CAMEO sentences again)
    acled-notes             each distinct coder note, its event_date as published

    python benchmarks/corpora.py            # counts per corpus and subset
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import acled, boilerplate, geoparsing, stories, times
from benchmarks._common import DATA, need, table

Record = dict[str, Any]
FIELDS = ("text", "html", "title", "outlet", "published", "url", "corpus", "doc_id")
CONFLIBERT = DATA / "conflibert-eval" / "data"


def _iso(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) from what the data writes, or None."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    s = str(value or "").strip()
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s[:10]).isoformat()
    except ValueError:
        pass
    try:
        return times._date(s).isoformat()  # MEANTIME's day-first 03-02-2009
    except ValueError:
        return None


def _record(corpus: str, doc_id: str, **fields: Any) -> Record | None:
    """A record with the fields that have a value; None when there is no text at all."""
    rec: Record = {k: v for k, v in fields.items() if v not in (None, "")}
    if "published" in rec:
        rec["published"] = _iso(rec["published"])
        if rec["published"] is None:
            del rec["published"]
    body = rec.get("text") or rec.get("html") or ""
    if not str(body).strip():
        return None
    rec["corpus"] = corpus
    rec["doc_id"] = f"{corpus}/{doc_id}"
    return rec


def _keep(records: Iterable[Record | None]) -> Iterator[Record]:
    return (r for r in records if r is not None)


# -- news-cluster-5w1h ------------------------------------------------------------------------


def news_cluster() -> Iterator[Record]:
    """news_cluster (383 dated articles) and the Giveme5W1H gold set (96)."""
    from benchmarks.events_roles import gold_standard

    c = "news-cluster-5w1h"
    yield from _keep(_record(c, f"news_cluster/{d.id}", **d.fields) for d in stories.news_cluster())
    for a in gold_standard():
        text = f"{a.lead}\n\n{a.text}".strip()
        yield from _keep([_record(c, f"gold/{a.id}", title=a.title, text=text,
                                  published=a.published)])  # fmt: skip


# -- neus-allsides-mds ------------------------------------------------------------------------


def neus_allsides() -> Iterator[Record]:
    """The crawled stories' outlet reports, then the title + lead of every .source cluster."""
    from benchmarks.claims import _neus

    c = "neus-allsides-mds"
    yield from _keep(_record(c, f"crawled/{d.id}", **d.fields) for d in stories.allsides())
    for split in ("train", "val", "test"):
        for i, (parts, _roundup) in enumerate(_neus(split, None)):
            for k, (title, lead) in enumerate(parts):
                yield from _keep([_record(c, f"source/{split}/{i}/{k}", title=title, text=lead)])


# -- meantime-newsreader ----------------------------------------------------------------------


def meantime() -> Iterator[Record]:
    """120 English WikiNews articles (title, body, creation time)."""
    c = "meantime-newsreader"
    return _keep(_record(c, f"{d.story}/{d.id}", **d.fields) for d in stories.meantime())


# -- tempeval3 --------------------------------------------------------------------------------


def tempeval3() -> Iterator[Record]:
    """TimeBank 1.2 and AQUAINT (TBAQ-cleaned): the text inside <TEXT>, the DCT, the title."""
    c = "tempeval3"
    need(times.TBAQ)
    for corpus in ("timebank", "aquaint"):
        folder = times.CORPORA[corpus]
        for doc in times.documents(corpus):
            title = ET.parse(folder / f"{doc.name}.tml").getroot().findtext("TITLE")
            yield from _keep([_record(c, f"{corpus}/{doc.name}", text=doc.text.strip(),
                                      title=(title or "").strip(), published=doc.dct)])  # fmt: skip


# -- geoparsing -------------------------------------------------------------------------------


def _xml_fields(path: Path, key: str, names: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """Each <article>'s child texts ``names``, by its ``key`` attribute."""
    root = ET.parse(path).getroot()
    return {a.get(key) or "": {n: (a.findtext(n) or "").strip() for n in names}
            for a in root.findall("article")}  # fmt: skip


def geoparsing_articles() -> Iterator[Record]:
    """LGL (local news, outlet = its domain) and GeoWebNews."""
    c = "geoparsing"
    need(geoparsing.SET)
    lgl = _xml_fields(geoparsing.SET / "Corpora" / "lgl.xml", "docid", ("title", "url"))
    for d in geoparsing.lgl():
        extra = lgl.get(d.id, {})
        yield from _keep([_record(c, f"lgl/{d.id}", text=d.text, outlet=d.outlet,
                                  title=extra.get("title"), url=extra.get("url"))])  # fmt: skip
    gwn = _xml_fields(geoparsing.SET / "GWN.xml", "file", ("title", "link"))
    for d in geoparsing.gwn():
        extra = gwn.get(d.id, {})
        yield from _keep([_record(c, f"gwn/{d.id}", text=d.text, title=extra.get("title"),
                                  url=extra.get("link"))])  # fmt: skip


# -- article-extraction-scrapinghub -----------------------------------------------------------


def scrapinghub() -> Iterator[Record]:
    """181 news pages as ``html`` with their URL; the gold body is not an input."""
    c = "article-extraction-scrapinghub"
    truth = json.loads((need(boilerplate.SET) / "ground-truth.json").read_text(encoding="utf-8"))
    for key, html, _body in boilerplate.pages():
        yield from _keep([_record(c, f"html/{key}", html=html, url=truth[key].get("url"))])


# -- conflibert-eval --------------------------------------------------------------------------


def _detokenize(words: list[str]) -> str:
    """CoNLL tokens joined back into a sentence, as benchmarks/stories.py joins MEANTIME's."""
    s = ""
    for w in words:
        if s and not stories._NO_SPACE_BEFORE.match(w) and not s.endswith(("(", "$")):
            s += " "
        s += w
    return s


def conll_sentences(path: Path) -> Iterator[str]:
    """The sentences of a CoNLL file (``token<TAB or SPACE>tag`` lines, blank between)."""
    words: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            token = line.split()[0] if line.strip() else ""
            if token:
                words.append(token)
            elif words:
                yield _detokenize(words)
                words = []
    if words:
        yield _detokenize(words)


def conflibert() -> Iterator[Record]:
    """The label sets that hold text (documents and sentences), MUC-4 reports, re3d."""
    from benchmarks.events_roles import muc4
    from benchmarks.train_event_classifier import SPECS, read_split

    c = "conflibert-eval"
    need(CONFLIBERT)
    for name in ("ipe_docs", "satp", "insight", "cameo"):
        spec = SPECS[name]
        splits = ("train_all", "test") if spec.multiclass else ("train", "dev", "test")
        for split in splits:
            for i, text in enumerate(read_split(spec, split).texts):
                part = split.removesuffix("_all")
                yield from _keep([_record(c, f"{spec.folder}/{part}/{i}", text=text)])
    for split in ("train", "dev", "test"):
        for d in muc4(split):
            yield from _keep([_record(c, f"muc4/{split}/{d.id}", text=d.raw)])
    for split in ("train", "dev", "test"):
        for i, sent in enumerate(conll_sentences(CONFLIBERT / "re3d" / f"{split}.txt")):
            yield from _keep([_record(c, f"re3d/{split}/{i}", text=sent)])


# -- acled-notes ------------------------------------------------------------------------------


def acled_notes() -> Iterator[Record]:
    """Each distinct coder note as a short text, its event date as published, ACLED's
    source column as the outlet."""
    c = "acled-notes"
    for i, note in enumerate(acled.notes()):
        row = note.first
        yield from _keep([_record(c, f"notes/{row['event_id_cnty'] or i}", text=note.text,
                                  published=note.date, outlet=row.get("source"))])  # fmt: skip


# -- all of them ------------------------------------------------------------------------------

CORPORA: dict[str, Callable[[], Iterator[Record]]] = {
    "news-cluster-5w1h": news_cluster,
    "neus-allsides-mds": neus_allsides,
    "meantime-newsreader": meantime,
    "tempeval3": tempeval3,
    "geoparsing": geoparsing_articles,
    "article-extraction-scrapinghub": scrapinghub,
    "conflibert-eval": conflibert,
    "acled-notes": acled_notes,
}


def all_articles(corpora: Iterable[str] | None = None) -> Iterator[Record]:
    """Every record of every data set (or of ``corpora``), data set by data set."""
    need(DATA)
    for name in corpora or CORPORA:
        yield from CORPORA[name]()


def dated_articles(corpora: Iterable[str] | None = None) -> list[Record]:
    """The records with a published date, sorted by date, then doc_id: a feed's order."""
    dated = [r for r in all_articles(corpora) if r.get("published")]
    return sorted(dated, key=lambda r: (r["published"], r["doc_id"]))


def subset(rec: Record) -> str:
    """``corpus/subset`` of a record (its doc_id's first two parts)."""
    return "/".join(rec["doc_id"].split("/")[:2])


# -- writers ------------------------------------------------------------------------------------


def json_line(rec: Record) -> str:
    """One JSON line, UTF-8 as written; with lone surrogates (hostile text), \\u escapes."""
    line = json.dumps(rec, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(rec)
    return line


def write_jsonl(
    records: Iterable[Record],
    folder: str | Path,
    per_file: int = 500,
    prefix: str = "part",
    gz: bool = False,
) -> list[tuple[Path, list[tuple[str, Record]]]]:
    """Write ``records`` as JSONL files of ``per_file`` lines under ``folder`` (gzipped with
    ``gz``). Returns each file with its (locator, record) pairs: ``line N`` as sitroom names
    a JSONL line."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    files: list[tuple[Path, list[tuple[str, Record]]]] = []
    chunk: list[Record] = []

    def flush() -> None:
        path = out / f"{prefix}-{len(files):05d}.jsonl{'.gz' if gz else ''}"
        data = "".join(json_line(r) + "\n" for r in chunk).encode("utf-8")
        path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
        files.append((path, [(f"line {i}", r) for i, r in enumerate(chunk, 1)]))
        chunk.clear()

    for rec in records:
        chunk.append(rec)
        if len(chunk) >= per_file:
            flush()
    if chunk:
        flush()
    return files


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(rec: Record) -> str:
    """A file name for a record: its doc_id made safe, .html for a page, else .txt."""
    stem = _UNSAFE.sub("_", rec.get("doc_id") or "doc").strip("_")[:150]
    return f"{stem}.{'html' if rec.get('html') else 'txt'}"


def file_body(rec: Record) -> str:
    """What a scraper would save of a record: the page, or the title, a blank line, the text."""
    if rec.get("html"):
        return str(rec["html"])
    title = rec.get("title")
    return f"{title}\n\n{rec['text']}" if title else str(rec["text"])


def write_files(records: Iterable[Record], folder: str | Path) -> list[tuple[Path, Record]]:
    """Write each record as its own UTF-8 .txt (title, blank line, text) or .html file (the
    page) under ``folder``: what a scrape saves. Outlet, date and URL are not kept (a plain
    file has nowhere to put them). Returns each file with its record."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for rec in records:
        path = out / file_name(rec)
        path.write_bytes(file_body(rec).encode("utf-8", "surrogatepass"))
        written.append((path, rec))
    return written


# -- counts -------------------------------------------------------------------------------------


def counts(records: Iterable[Record]) -> list[list[Any]]:
    """Rows of (corpus/subset, documents, dated, mean characters), then the totals."""
    n: Counter[str] = Counter()
    dated: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    for r in records:
        key = subset(r)
        n[key] += 1
        dated[key] += bool(r.get("published"))
        chars[key] += len(r.get("text") or r.get("html") or "")
    rows: list[list[Any]] = []
    for corpus in CORPORA:
        keys = sorted(k for k in n if k.split("/")[0] == corpus)
        for k in keys:
            rows.append([k, n[k], dated[k], chars[k] // max(n[k], 1)])
        if len(keys) > 1:
            tot = sum(n[k] for k in keys)
            rows.append([f"{corpus} (all)", tot, sum(dated[k] for k in keys),
                         sum(chars[k] for k in keys) // max(tot, 1)])  # fmt: skip
    total = sum(n.values())
    rows.append(["total", total, sum(dated.values()), sum(chars.values()) // max(total, 1)])
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=",".join(CORPORA), help="comma-separated data sets")
    ap.add_argument("--json", action="store_true", help="the counts as JSON")
    args = ap.parse_args(argv)
    names = [c for c in args.corpus.split(",") if c]
    rows = counts(all_articles(names))
    if args.json:
        print(json.dumps({r[0]: {"documents": r[1], "dated": r[2]} for r in rows}, indent=1))
    else:
        print(table(rows, ["corpus/subset", "documents", "dated", "mean chars"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
