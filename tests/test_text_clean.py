"""Clean text keeps a map back to the original: every clean character cites its source."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.model import OffsetMap
from sitroom.text.clean import clean_html, clean_plain

PAGE = """<!doctype html><html><head><title>Bridge reopens | Valley Times</title>
<meta property="og:site_name" content="Valley Times">
<meta property="og:title" content="Bridge reopens after repairs">
<meta property="article:published_time" content="2024-05-07T09:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Bridge reopens after repairs</h1>
<p>The old river bridge reopened on Tuesday after three months of repairs, the city said,
ending long detours for thousands of commuters who had crossed by ferry since February.</p>
<p>Engineers replaced two of the bridge's steel spans and strengthened its stone piers, which
had been damaged when floodwater hit the structure during the winter storms.</p>
<p>"It is good to have our bridge back," said Mara Olin, who runs a bakery on the east bank,
adding that her sales had fallen by a third while the crossing was closed.</p>
<p>The repairs cost 4.2 million euros, about half of it paid by the regional government,
according to figures published by the council on its website on Monday.</p>
<p>Follow Valley Times on Facebook and Twitter for more local news.</p>
</article>
<footer><p>© 2024 Valley Times. All rights reserved.</p></footer>
</body></html>"""


def _check_offsets(original: str, clean: str, offsets: OffsetMap) -> None:
    for clean_start, orig_start, length in offsets.segments:
        assert (
            clean[clean_start : clean_start + length] == original[orig_start : orig_start + length]
        )


def test_clean_plain_offsets_round_trip() -> None:
    text = 'Title Line Here Today\n\nFirst para.\nsecond line.\n\n[gallery ids="1"]\n\nLast one.'
    c = clean_plain(text)
    _check_offsets(text, c.clean_text, c.offsets)
    i = c.clean_text.index("Last one.")
    s, e = c.offsets.span(i, i + len("Last one."))
    assert text[s:e] == "Last one."


def test_clean_html_body_metadata_and_offsets() -> None:
    c = clean_html(PAGE)
    assert c.extractor.startswith("trafilatura")
    assert c.meta["sitename"] == "Valley Times"
    assert c.meta["date"].startswith("2024-05-07")
    assert "reopened on Tuesday" in c.clean_text
    assert "4.2 million euros" in c.clean_text
    assert "Follow Valley Times" not in c.clean_text  # promotion
    assert "Home" not in c.clean_text.split()  # navigation
    _check_offsets(c.text, c.clean_text, c.offsets)
    reasons = {r.text: r.reason for r in c.removed}
    assert "page-boilerplate" in reasons.values()
    assert reasons["Follow Valley Times on Facebook and Twitter for more local news."] in (
        "promo",
        "credit",
    )


def test_clean_html_fragment_is_its_own_body() -> None:
    c = clean_html("<p>First paragraph of the item.</p><p>Second paragraph.</p>")
    assert c.extractor == "fragment"
    assert c.clean_text == "First paragraph of the item.\n\nSecond paragraph."


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60), max_size=12
    )
)
def test_clean_plain_never_invents_text(lines: list[str]) -> None:
    text = "\n\n".join(lines)
    c = clean_plain(text)
    _check_offsets(c.text, c.clean_text, c.offsets)
    # what is not a segment is only separator whitespace
    covered = sum(length for _, _, length in c.offsets.segments)
    assert len(c.clean_text) - covered == sum(
        1 for i, ch in enumerate(c.clean_text) if ch in " \n" and not _inside(c.offsets, i)
    )


def _inside(offsets: OffsetMap, i: int) -> bool:
    return any(cs <= i < cs + n for cs, _, n in offsets.segments)


def test_clean_plain_keeps_windows_line_ends_in_the_original() -> None:
    text = "Dams fail again today\r\n\r\nThe river rose overnight.\r\nPumps failed.\r\n\r\nLeave a reply"
    c = clean_plain(text)
    assert c.text == text  # offsets are into the input's own characters
    assert c.clean_text == "The river rose overnight.\nPumps failed."
    _check_offsets(text, c.clean_text, c.offsets)
