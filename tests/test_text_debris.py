"""The debris rules: each kind of web/wire debris is removed, news paragraphs are kept."""

from __future__ import annotations

import pytest

from sitroom.text.clean import clean_plain
from sitroom.text.debris import find_debris
from sitroom.text.lines import headline_like

SCRAPE = """\
Floods cut the coastal road as the river breaks its banks

By Lena Ortiz | Harbour Gazette

PORTVILLE, March 3 (Harbour Gazette) - Floodwater cut the coastal road on Tuesday, the mayor said, stranding hundreds of drivers overnight.

[gallery ids="14,15,16" columns="3"]

"We have never seen the water this high," the mayor told reporters.

Rescue boats reach the stranded villages along the old canal. HARBOUR GAZETTE/Tom Reyes

Engineers said the levee held but the pumps failed after midnight.

Storm Season Leaves Farmers Counting Costs Across the Valley

READ MORE: Why the Dams Were Never Finished

The regional council will meet on Wednesday to discuss repairs.

Tom Reyes reported from Portville. Additional reporting by Ana Cruz.

(Editing by Mark Hale)

Sign up for our morning newsletter and get the news in your inbox.

© 2024 Harbour Gazette. All rights reserved.

Leave a Reply
Your email address will not be published. Required fields are marked *
"""

NEWS = [
    "PORTVILLE, March 3 (Harbour Gazette) - Floodwater cut the coastal road on Tuesday",
    '"We have never seen the water this high," the mayor told reporters.',
    "Engineers said the levee held but the pumps failed after midnight.",
    "The regional council will meet on Wednesday to discuss repairs.",
]
DEBRIS = {
    "Floods cut the coastal road as the river breaks its banks": "title",
    "By Lena Ortiz | Harbour Gazette": "byline",
    '[gallery ids="14,15,16" columns="3"]': "shortcode",
    "Rescue boats reach the stranded villages along the old canal. HARBOUR GAZETTE/Tom Reyes": (
        "caption"
    ),
    "Storm Season Leaves Farmers Counting Costs Across the Valley": "inserted-headline",
    "READ MORE: Why the Dams Were Never Finished": "inserted-headline",
    "Tom Reyes reported from Portville. Additional reporting by Ana Cruz.": "credit",
    "(Editing by Mark Hale)": "credit",
    "Sign up for our morning newsletter and get the news in your inbox.": "promo",
    "© 2024 Harbour Gazette. All rights reserved.": "credit",
    "Leave a Reply": "comment-prompt",
    "Your email address will not be published. Required fields are marked *": "comment-prompt",
}


def test_debris_removes_each_kind_with_its_reason() -> None:
    got = {r.text: r.reason for r in find_debris(SCRAPE, headline_first=True)}
    assert got == DEBRIS


def test_debris_keeps_every_news_paragraph() -> None:
    cleaned = clean_plain(SCRAPE)
    for para in NEWS:
        assert para in cleaned.clean_text
    for junk in DEBRIS:
        assert junk not in cleaned.clean_text


def test_debris_spans_point_into_the_original() -> None:
    for r in find_debris(SCRAPE, headline_first=True):
        assert SCRAPE[r.start : r.end] == r.text


@pytest.mark.parametrize(
    "line",
    [
        "Taliban fighters patrol a market, Tuesday, Aug. 10, 2021. Jane Roe / AP",
        "FILE PHOTO: Soldiers stand guard at the gate of the base.",
        "A convoy leaves the city at dawn. (Valley Times photo / Sam Wu)",
        "Photo: Sam Wu / Valley Times",
        "Workers clear debris in the square, Monday, May 6, 2024.",
    ],
)
def test_debris_captions(line: str) -> None:
    text = f"The council met on Monday.\n\n{line}\n\nIt voted to rebuild the bridge."
    reasons = [r.reason for r in find_debris(text)]
    assert reasons == ["caption"]


@pytest.mark.parametrize(
    "line",
    [
        "Please enter your comment!",
        "Please enter your name here",
        "Post a comment",
        "Comments are closed.",
        "You must be logged in to post a comment.",
        "Comments (3)",
        "Name *",
    ],
)
def test_debris_comment_prompts(line: str) -> None:
    text = f"The council met on Monday.\n\n{line}"
    assert [r.reason for r in find_debris(text)] == ["comment-prompt"]


@pytest.mark.parametrize(
    "line",
    [
        "The minister said the talks would resume in June.",
        '"Families have either left or are hiding," she said.',
        "“We will not close the door to talks.”",
        "Protesters gathered outside parliament; police watched.",
        "Twenty Years of War",  # short title-case line without kicker: a subhead, kept
        "He later told the Harbour Gazette that the vote was close.",
        "Sales rose 4% to $2.8 billion, the company said on Tuesday.",
        "Follow-up talks are expected next week in Doha.",
    ],
)
def test_debris_keeps_news_sentences(line: str) -> None:
    text = f"The council met on Monday.\n\n{line}\n\nIt voted to rebuild the bridge."
    assert find_debris(text) == []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Advertisement Continue reading the main story", "promo"),
        ("Scroll down for video", "promo"),
        ("Photo", "widget"),
        ("Reuters", "caption"),
        ("Enlarge this image toggle caption Jane Roe/AP Jane Roe/AP", "caption"),
        ("[Dam talks stall as the river keeps rising]", "inserted-headline"),
        ("Why the dam was never finished Read more", "inserted-headline"),
        ("Information from: Harbour Gazette, http://harbour.example", "credit"),
        ("The post Floods cut the road appeared first on Harbour Gazette.", "credit"),
    ],
)
def test_debris_page_furniture(line: str, reason: str) -> None:
    text = f"The council met on Monday.\n\n{line}\n\nIt voted to rebuild the bridge."
    assert [(r.text, r.reason) for r in find_debris(text)] == [(line, reason)]


def test_debris_inline_shortcode_is_cut_from_a_kept_line() -> None:
    text = 'The mayor spoke. [pullquote align="left"]Never again[/pullquote] Then she left.'
    cleaned = clean_plain(text)
    assert "pullquote" not in cleaned.clean_text
    assert cleaned.clean_text == "The mayor spoke. Never again Then she left."


def test_debris_related_block_takes_its_links() -> None:
    text = (
        "The river rose overnight.\n\nRelated stories\n\nDam Fears Grow in the North\n\n"
        "Pumps fail again in Portville\n\nThe council will meet on Wednesday to discuss it."
    )
    removed = [r.text for r in find_debris(text)]
    assert removed == [
        "Related stories",
        "Dam Fears Grow in the North",
        "Pumps fail again in Portville",
    ]


def test_debris_html_mode_keeps_subheads() -> None:
    text = "The river rose.\n\nWhat Happens Next for the Valley\n\nThe council meets Monday."
    assert [r.reason for r in find_debris(text)] == ["inserted-headline"]
    assert find_debris(text, html=True) == []


def test_debris_title_and_standfirst_under_it() -> None:
    text = "Dams fail\n\nThe valley braces for more rain\n\nThe river rose overnight."
    got = find_debris(text, title="Dams fail", standfirst="The valley braces for more rain")
    assert [(r.text, r.reason) for r in got] == [
        ("Dams fail", "title"),
        ("The valley braces for more rain", "standfirst"),
    ]


def test_lines_headline_like() -> None:
    assert headline_like("Taliban Could Take Afghan Capital within 90 Days")
    assert headline_like("CO-FOUNDER PROUD OF HIS EMPLOYEES")
    assert not headline_like("The Taliban could take the capital within 90 days.")
    assert not headline_like("Kabul")
