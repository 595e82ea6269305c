"""Find the debris that web scrapes carry inside an article's text.

Each rule names the reason it removes a span. The rules are general forms of web and wire
boilerplate (comment forms, CMS shortcodes, photo captions and credits, reporter credit lines,
headlines of other stories, promotion and share prompts), not strings of any one page:

    title              the article's own headline repeated at the top of its text
    standfirst         the summary line under that headline, when the page's metadata has it
    shortcode          a CMS shortcode such as ``[gallery ids="1,2"]`` or ``[/caption]``
    comment-prompt     a comment form's prompts ("Leave a reply", "Required fields are marked")
    caption            a photo caption: "FILE PHOTO:" or "Photo:" lead, an agency photo credit
                       at its end ("... / AP", "REUTERS/Name"), or the wire caption form
                       "<place>, <Weekday>, <Month> <day>, <year>."
    credit             reporter, writer and editor credits, "X reported from Y.", copyright
    byline             "By Jane Doe" lines
    inserted-headline  the headline of another story dropped between paragraphs, in title case
                       or capitals with no sentence punctuation, or behind a kicker
                       ("READ MORE:", "ANALYSIS:")
    related            a "Related" / "You may also like" block and the links under it
    promo              newsletter, subscription, app, share and advertising prompts
    widget             a page widget's label alone on a line ("Photo", "Video", "___")
    timestamp          "Updated 10:32 a.m." and lines that are only a date
    url                a line that is only a web address
    tags               "Tags: ..." and category lines
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from sitroom.model import RemovedSpan
from sitroom.text.lines import Line, headline_like, is_sentence_end, split_lines, words

__all__ = ["RULES", "find_debris"]

_I = re.IGNORECASE

SHORTCODE = re.compile(r"\[/?[a-z][a-z0-9_-]{1,40}(?:\s+[^\[\]\n]{0,2000}?)?/?\]", _I)
_SHORTCODE_ATTR = re.compile(r"^\[[a-z][a-z0-9_-]*\s+[^\]]*=|^\[/[a-z]", _I)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"

COMMENT_PROMPT = re.compile(
    r"^(?:please\s+)?(?:enter|leave|post|add|write|submit|type)\s+(?:a\s+|your\s+|an?\s+)?"
    r"(?:comment|reply|response|name|e-?mail(?:\s+address)?|website|message)\b"
    r"|your e-?mail address will not be published|required fields are marked"
    r"|^save my name,? e-?mail|^notify me of (?:follow-up comments|new (?:comments|posts))"
    r"|^you must be (?:logged|signed) in to (?:post|leave|comment)"
    r"|^(?:log|sign) ?in to (?:comment|reply|join)|^be the first to comment"
    r"|^join the (?:conversation|discussion|debate)\b|^cancel reply$|comments? (?:are|is) closed"
    r"|^(?:show|view|load|read|see) (?:all |more |\d+ )*comments?\b|^comments?\s*[(:]?\s*\d*\)?$"
    r"|^\d+\s+comments?$|^(?:tell us what you think|have your say|add your comment)\b"
    r"|^(?:post|reply|submit)$|^comments (?:that|which|with) .{0,120}(?:approved|moderat)"
    r"|\bmoderat\w* (?:all )?comments|\bcomments? (?:are|will be) (?:moderated|reviewed)"
    r"|^(?:comment|name|e-?mail|website|your name|your e-?mail)\s*\*?\s*:?$",
    _I,
)

_AGENCY = (
    r"(?:Reuters|REUTERS|AP|AP Photo|AFP|AFP via Getty Images|Getty Images|Getty|EPA|EPA-EFE|"
    r"Xinhua|Anadolu(?: Agency)?|Bloomberg|Shutterstock|NurPhoto|SOPA Images|Sipa|DPA|dpa|ANI|PTI|"
    r"TASS|Sputnik|Alamy|Corbis|Pool|File|File Photo|Handout)"
)
# Gallery and image widgets' words ("Enlarge this image toggle caption", "Hide Caption 1 of 8")
_CAPTION_UI = re.compile(
    r"\b(?:enlarge this image|toggle caption|hide caption|show caption|expand image|"
    r"image \d+ of \d+|photo \d+ of \d+|\d+ of \d+ photos)\b",
    re.IGNORECASE,
)
CAPTION_LEAD = re.compile(
    r"^(?:FILE PHOTO|FILE PIC|PHOTO|Photo|IMAGE|Image|PICTURE|Picture|Pictured|PHOTOGRAPH|"
    r"Photograph|Caption|CAPTION|In pictures|VIDEO|Video|WATCH|Watch)\s*(?::|\||—|–)\s*\S"
)
# "... . Jane Doe / AP" or "REUTERS/Jane Doe/File Photo" at the end of a line.
_CAP_NAME = r"[A-Z][\w.'’&-]*(?:\s+(?:[A-Z][\w.'’&-]*|de|van|von|al|bin))*"
PHOTO_CREDIT_END = re.compile(
    rf"(?:(?:^|[.!?”\"’)]\s*){_CAP_NAME}\s*/\s*{_CAP_NAME}(?:\s*/\s*{_CAP_NAME})*"
    rf"|(?:^|\s)\(?(?:AP|AFP|Reuters) Photo\s*/\s*[^)]*\)?"
    rf"|(?:^|\s)\((?:[A-Z][\w.'’&-]*\s+){{1,4}}(?:pool )?(?:photo|image|picture)s?\s*/\s*[^)]+\)"
    rf"|(?:^|[\s.(])(?:{_AGENCY}\s*/\s*{_CAP_NAME}(?:/[\w ]+)*|{_CAP_NAME}\s*/\s*{_AGENCY}))"
    r"\s*\)?\s*$"
)
PHOTO_CREDIT_WORDS = re.compile(
    r"(?:\(|\b)(?:Photo(?:graph)?s?|Image|Picture|Credit|Courtesy)(?:\s+(?:by|credit|courtesy))?"
    r"\s*(?::|by\b|of\b)\s*[A-Z][^.!?]{0,80}\)?\s*$"
)
WIRE_CAPTION_DATE = re.compile(
    rf",\s*(?:{_WEEKDAY}),?\s+(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH}),?\s+(?:19|20)\d\d\b"
)

CREDIT = re.compile(
    r"^\(?\s*(?:(?:additional |with )?reporting|writing|written|editing|edited|compiled|"
    r"produced|research|graphics|photos|translation|translated|reporting and writing)"
    r"(?:\s+and\s+\w+)?\s+by\s+\S"
    r"|^(?:copyright|©|\(c\))\s|^all rights reserved|\ball rights reserved\.?$"
    r"|^(?:contact|email|e-mail|write to) (?:the )?(?:author|reporter|writer|us)?\b.{0,80}@"
    r"|^(?:write to|contact) [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3} at \S+@\S+"
    r"|^follow (?:him|her|them|us|@?\w+(?: \w+)?) on (?:twitter|x|facebook|instagram|threads)\b"
    r"|^(?:our |editorial )?standards:|^the post .{1,300} appeared first on .{1,80}$"
    r"|^this (?:story|article|report) (?:was|has been) (?:updated|corrected)\b"
    r"|^(?:the )?(?:associated press|reuters|afp) contributed(?: to)?(?: this)?(?: report)?\.?$"
    r"|^information from:\s",
    _I,
)
_REPORTED_FROM = re.compile(
    rf"^{_CAP_NAME}\s+(?:reported|contributed(?: reporting)?(?: to this (?:report|story|article))?)"
    r"(?:\s+(?:from|in)\s+[^.;]+)?\.?$"
)
BYLINE = re.compile(
    r"^(?:By|BY|by|Words by|Story by)\s+[A-Z][\w.'’-]+(?:[ ,&|]+(?:and\s+)?[A-Z][\w.'’-]+){0,8}"
    r"(?:\s*[|,–—-]\s*[\w .'’&-]{0,60})?$"
)

KICKER = re.compile(
    r"^(?:READ MORE|READ ALSO|ALSO READ|SEE ALSO|SEE MORE|RELATED|MORE|ANALYSIS|OPINION|"
    r"EXPLAINER|FACTBOX|FACT BOX|WATCH|LISTEN|PHOTOS|VIDEO|LIVE|TRENDING|RECOMMENDED|"
    r"DON'T MISS|DON’T MISS|MUST READ|MORE FROM(?: \w+){1,4}|LATEST|TOP STORIES|TOP STORY|"
    r"MOST READ|MOST POPULAR|MOST VIEWED|EDITOR'S PICK|EDITOR’S PICK)"
    r"\s*(?::|\||—|–|>>|-)\s*(?P<rest>\S.*)$",
    _I,
)
RELATED_HEADER = re.compile(
    r"^(?:related(?: (?:stories|articles|coverage|content|news|links|posts|topics|reading))?|"
    r"you (?:may|might) also like|more (?:stories|news|coverage|on this story|from \w+(?: \w+)?)|"
    r"recommended(?: for you| stories)?|trending(?: now| stories)?|popular(?: now| stories)?|"
    r"most (?:read|popular|viewed|shared)|top stories|latest(?: news| stories)?|don'?t miss|"
    r"don’t miss|read (?:more|next|also)|see also|also (?:read|on \w+(?:\.\w+)?)|"
    r"what to read next|editor'?s picks?|further reading|in other news|elsewhere)\s*[:.…]*$",
    _I,
)
LINK_TAG = re.compile(
    r"\[(?:INSIGHT|VIDEO|VIDEOS|PICS|PICTURES|PHOTOS|REVEAL|POLL|LATEST|REACTION|WARNING|NEWS|"
    r"ANALYSIS|LIVE|UPDATE|COMMENT|REPORT|EXPLAINED|MAP|GRAPH|CHART)\]\s*\|?\s*$"
)
_ALSO_ON = re.compile(r"^also (?:on|read on|see) [\w.-]+\.\w+\b", _I)

PROMO = re.compile(
    r"^(?:sign up|subscribe|register)\b(?!.{0,3}$).{0,160}$|^listen\s*:"
    r"|^get (?:the|our) [\w ]{0,40}newsletter|newsletter\s*$|^(?:click|tap) here\b"
    r"|by clicking here\s*$|^(?:share|like) this (?:story|article|post|page)\b"
    r"|^like this (?:story|article)\?|^(?:advertisement|advertising|sponsored(?: content)?|ad)$"
    r"|^(?:story|article) continues (?:below|after)"
    r"|^scroll (?:down )?(?:to continue|for (?:video|more))"
    r"|^advertisement\b.{0,40}$|continue reading the main story"
    r"|^for more (?:\w+ ){0,4}(?:coverage|news|stories|information)\b.{0,100}https?://"
    r"|^continue reading\b|^(?:follow|like|join) us on\b|\bdownload (?:our|the) \w+ app\b"
    r"|^thanks? (?:you )?for (?:signing up|subscribing|reading|your feedback)"
    r"|^keep an eye on your inbox|^(?:sorry!?|oops!?)$|there was an error processing"
    r"|^an error (?:has )?occurred|^(?:order reprints|print article|print this(?: article)?)$"
    r"|^this (?:copy|article) is for your personal,? non-?commercial use"
    r"|^(?:share|tweet|email|print|save|copy link)(?:\s*(?:on|via)?\s*(?:facebook|twitter|x|"
    r"whatsapp|linkedin|reddit|email|pinterest|telegram))*$"
    r"|^(?:facebook|twitter|whatsapp|linkedin|reddit|email|pinterest|telegram|copy link)"
    r"(?:\s*[|,·•]?\s*(?:facebook|twitter|whatsapp|linkedin|reddit|email|pinterest|telegram|"
    r"copy link|print|share))+$",
    _I,
)
TIMESTAMP = re.compile(
    r"^(?:updated|published|posted|last updated|first published|last modified|"
    r"originally published)\b(?:\s+on)?\s*[:|]?\s*(?=.*\d).{0,60}$"
    rf"|^(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|"
    r"\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{2,4})"
    r"(?:\s*(?:[,|–—-]|at)?\s*\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?)?"
    r"(?:\s*[|–—-].{0,80})?$",
    _I,
)
# Marks of a promotion with their weights; a line scoring 2 or more is a promotion. One
# alternation with a named group per mark, so a line costs one scan.
_PROMO_MARKS: tuple[tuple[str, int, str], ...] = (
    ("lead", 1, r"^(?:get|sign up|subscribe|join|follow|download|listen|click|tap|start your day"
                r"|chat with us"
                r"|send us|become a (?:member|subscriber)|support (?:our|us))\b"),
    ("follow", 2, r"\bfollow (?:us|him|her|them|@\w+|[A-Z][\w.&'’]*(?: [A-Z][\w.&'’]*){0,5})"
                  r" on (?:facebook|twitter|x|instagram|youtube|tiktok|linkedin|threads)\b"),
    ("signup", 1, r"\b(?:sign(?:ing)? up|subscribe|subscribing)\b"),
    ("newsletter", 1, r"\bnewsletters?\b"),
    ("inbox", 1, r"\b(?:your|their) inbox\b"),
    ("click", 2, r"\b(?:click|tap) here\b"),
    ("app", 1, r"\bdownload (?:the|our) (?:\w+ )?app\b"),
    ("contact", 1, r"\b[\w.+-]+@[\w-]+\.[\w.]+\b|\b(?:have a tip|send us|share your)\b"),
    ("social", 1, r"(?:^|\s)@\w{2,}|\b(?:facebook|twitter|instagram|youtube|tiktok)\b"),
    ("audio", 1, r"\bpodcasts?\b|\blisten (?:live|back|here|now)\b"),
    ("sales", 1, r"\b(?:for as little as|free trial|use the code|promo code)\b|[£$€]\s?\d"),
)  # fmt: skip
PROMO_CUES = re.compile(
    "|".join(f"(?P<{name}>{rx})" for name, _, rx in _PROMO_MARKS), re.IGNORECASE
)
_PROMO_WEIGHT = {name: weight for name, weight, _ in _PROMO_MARKS}
# Cheap first look: a line without any of these cannot score.
_PROMO_HINT = re.compile(
    r"sign|subscri|newsletter|inbox|click|tap here|download|@|follow|podcast|listen|facebook"
    r"|twitter|instagram|youtube|tiktok|tip|send us|share your|little as|trial|code|[£$€]",
    re.IGNORECASE,
)
# A page widget's label left on a line of its own.
WIDGET = re.compile(
    r"^(?:photo|photos|video|videos|image|images|gallery|audio|graphic|interactive|save|savesave|"
    r"share|print|email|more|close|expand|play|play video|watch|watch video|listen|click to "
    r"expand|open in new window|loading)\s*$",
    _I,
)
_AGENCY_ONLY = re.compile(rf"^\(?(?:{_AGENCY}|{_CAP_NAME}\s*/\s*{_AGENCY})\)?$")
_BRACKETED = re.compile(r"^\[[A-Z][^\[\]=]{8,200}\]$")
_READ_MORE_END = re.compile(r"\s(?:read more|read the full story|full story)\s*$", _I)
URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", _I)
TAGS_HEADER = re.compile(r"^(?:tags|topics|keywords|filed under)\s*:?$", _I)
TAGS = re.compile(r"^(?:tags|topics|filed under|categories|category|keywords)\s*[:|]", _I)
_LIST_ITEM = re.compile(r"^(?:[-–•*·▪►»]|\d{1,2}[.)])\s+\S")

Rule = Callable[[Line, list[Line]], str | None]


def _caption(line: Line, _: list[Line]) -> str | None:
    s = line.text
    if CAPTION_LEAD.match(s) or _CAPTION_UI.search(s) or _AGENCY_ONLY.match(s):
        return "caption"
    if len(s) > 600:
        return None
    # The credit closes the line: look at its tail only (the NUL stops a false line start).
    tail = s if len(s) <= 160 else "\x00" + s[-160:]
    if "/" in tail and PHOTO_CREDIT_END.search(tail):
        return "caption"
    if PHOTO_CREDIT_WORDS.search(s) and len(s) < 400:
        return "caption"
    if WIRE_CAPTION_DATE.search(s) and len(s) < 400:
        return "caption"
    return None


def _credit(line: Line, _: list[Line]) -> str | None:
    s = line.text
    if CREDIT.search(s):
        return "credit"
    if len(s) < 300 and ("reported" in s or "contributed" in s or " by " in s):
        # "A reported from X, and B reported from Y. Additional reporting by C."
        clauses = [
            c.strip(" .;")
            for c in re.split(r",?\s+and\s+|;\s*|(?<=[a-z)])\.\s+(?=[A-Z(])", s)
            if c.strip(" .;")
        ]
        if clauses and all(_REPORTED_FROM.match(c) or CREDIT.match(c) for c in clauses):
            return "credit"
    if BYLINE.match(s) and len(words(s)) <= 14:
        return "byline"
    return None


_PIPE = re.compile(r"\s[|•·]\s")


def _pipe_byline(line: Line, _: list[Line]) -> str | None:
    """A header line of names, outlet and date between bars: "Jane Doe | Daily Sentinel | 13
    August 2021"."""
    s = line.text
    if len(s) > 120 or not _PIPE.search(s) or is_sentence_end(s):
        return None
    parts = [p.strip() for p in _PIPE.split(s)]
    if len(parts) < 2 or any(len(words(p)) > 6 for p in parts):
        return None
    dated = any(TIMESTAMP.match(p) or _DATEISH.search(p) for p in parts)
    named = all(p[:1].isupper() or p[:1].isdigit() for p in parts)
    return "byline" if dated or (named and line.index <= 3) else None


_DATEISH = re.compile(rf"\b(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})\b,?\s*(?:\d{{4}})?")


def _simple(pattern: re.Pattern[str], reason: str, max_len: int = 300) -> Rule:
    def rule(line: Line, _: list[Line]) -> str | None:
        return reason if len(line.text) <= max_len and pattern.search(line.text) else None

    return rule


def _promo_cues(line: Line, _: list[Line]) -> str | None:
    """Two or more marks of a promotion (sign up, newsletter, follow us on, inbox, handles)."""
    s = line.text
    if len(s) > 350 or not _PROMO_HINT.search(s) or len(re.findall(r"[.!?](?:\s|$)", s)) > 3:
        return None
    found = {m.lastgroup for m in PROMO_CUES.finditer(s)}
    score = sum(_PROMO_WEIGHT[g] for g in found if g)
    return "promo" if score >= 2 else None


_WRAPPED = re.compile(r"^\[(?P<tag>[a-z][a-z0-9_-]*)\b[^\]]*\].*\[/(?P=tag)\]$", _I | re.S)


def _shortcode_line(line: Line, _: list[Line]) -> str | None:
    """A line of shortcodes only, or one shortcode block wrapping its caption text."""
    s = line.text
    if not s.startswith("["):
        return None
    if SHORTCODE.sub("", s).strip() == "" and _SHORTCODE_ATTR.search(s):
        return "shortcode"
    return "shortcode" if _WRAPPED.match(s) else None


def _kicker(line: Line, _: list[Line]) -> str | None:
    m = KICKER.match(line.text)
    if m and (not is_sentence_end(m.group("rest")) or m.group("rest").endswith("?")):
        return "inserted-headline"
    if LINK_TAG.search(line.text) or _ALSO_ON.match(line.text):
        return "inserted-headline"
    if _BRACKETED.match(line.text) or (len(line.text) < 200 and _READ_MORE_END.search(line.text)):
        return "inserted-headline"  # "[Other story's headline]", "Headline Read more"
    return None


def _inserted_headline(line: Line, lines: list[Line]) -> str | None:
    # A headline between two body paragraphs; the first line is the article's own title.
    if line.index == 0 or not line.alone:
        return None
    if _LIST_ITEM.match(line.text) or line.text.startswith(("—", "–", "-", "<")):
        return None
    # Short title-case lines are subheads of the article itself; another story's headline
    # runs longer.
    return "inserted-headline" if headline_like(line.text, min_words=6) else None


# (name, rule, applies to HTML bodies). In an HTML body the page's structure already told
# headings, link lists and widgets apart, so title-case lines there are subheads and list
# items, and address lines and one-word labels are content; those rules are for flat text
# scrapes only.
RULES: tuple[tuple[str, Rule, bool], ...] = (
    ("shortcode", _shortcode_line, True),
    ("comment-prompt", _simple(COMMENT_PROMPT, "comment-prompt", 200), True),
    ("caption", _caption, True),
    ("credit", _credit, True),
    ("byline", _pipe_byline, True),
    ("promo", _simple(PROMO, "promo", 220), True),
    ("promo-cues", _promo_cues, True),
    ("timestamp", _simple(TIMESTAMP, "timestamp", 120), True),
    ("widget", _simple(WIDGET, "widget", 40), False),
    ("url", _simple(URL_ONLY, "url"), False),
    ("tags", _simple(TAGS, "tags", 1000), True),
    ("kicker", _kicker, True),
    ("inserted-headline", _inserted_headline, False),
)


_HEADLINE_RULES = ("kicker", "inserted-headline")


def _related_blocks(lines: list[Line], flagged: dict[int, str]) -> None:
    """A 'Related' header takes the short link lines under it, up to the next real paragraph."""
    for i, line in enumerate(lines):
        if RELATED_HEADER.match(line.text) and len(line.text) < 60:
            flagged[i] = "related"
            loose = True
        elif flagged.get(i) == "inserted-headline" and KICKER.match(line.text):
            loose = False  # "Related: <headline>" then more headlines
        elif TAGS_HEADER.match(line.text):
            flagged[i] = "tags"
            if i + 1 < len(lines) and lines[i + 1].text.count(",") >= 2:
                flagged.setdefault(i + 1, "tags")
            continue
        else:
            continue
        for j in range(i + 1, min(len(lines), i + 30)):
            nxt = lines[j]
            linkish = headline_like(nxt.text) or bool(LINK_TAG.search(nxt.text))
            if loose:
                linkish = linkish or (
                    headline_like(nxt.text, 2)
                    or bool(_LIST_ITEM.match(nxt.text))
                    or (len(words(nxt.text)) <= 25 and not is_sentence_end(nxt.text))
                )
            if not linkish:
                break
            flagged.setdefault(j, "related")


def find_debris(
    text: str,
    lines: Iterable[Line] | None = None,
    title: str | None = None,
    headline_first: bool = False,
    html: bool = False,
    standfirst: str | None = None,
) -> list[RemovedSpan]:
    """Every debris span of ``text`` (offsets into ``text``), in order.

    ``title``: the article's known headline, removed where the text repeats it at the top.
    ``headline_first``: the text is a scrape that may open with its own headline line.
    ``html``: the lines are blocks of an HTML body (see ``RULES``).
    ``standfirst``: the page's summary; removed where it follows the repeated headline.
    """
    ls = list(lines) if lines is not None else split_lines(text)
    flagged: dict[int, str] = {}
    for i, line in enumerate(ls):
        for name, rule, in_html in RULES:
            if html and not in_html:
                continue
            if i == 0 and headline_first and name in _HEADLINE_RULES and _title_line(line, ls):
                flagged[i] = "title"  # the scrape's own headline, not another story's
                break
            reason = rule(line, ls)
            if reason:
                flagged[i] = reason
                break
        else:
            if i == 0 and headline_first and _title_line(line, ls):
                flagged[i] = "title"
    _related_blocks(ls, flagged)
    if title:
        _flag_title(ls, flagged, title, standfirst)
    spans = [RemovedSpan(ls[i].start, ls[i].end, r, ls[i].text) for i, r in flagged.items()]
    # Shortcodes inside lines that are otherwise kept.
    for i, line in enumerate(ls):
        if i in flagged:
            continue
        for m in SHORTCODE.finditer(line.text):
            if _SHORTCODE_ATTR.search(m.group()):
                s = line.start + m.start()
                spans.append(RemovedSpan(s, s + len(m.group()), "shortcode", m.group()))
    return sorted(spans, key=lambda r: r.start)


def _title_line(line: Line, lines: list[Line]) -> bool:
    """The opening line of a scrape is its headline: a short line standing alone, unpunctuated."""
    s = line.text
    if not line.blank_after and len(lines) > 1:
        return False
    if is_sentence_end(s) and not s.endswith("?"):
        return False
    if CAPTION_LEAD.match(s) or SHORTCODE.match(s) or URL_ONLY.match(s) or TIMESTAMP.match(s):
        return False
    return 2 <= len(words(s)) <= 30


def _norm(s: str) -> str:
    return " ".join(re.findall(r"\w+", s.lower()))


def _flag_title(
    lines: list[Line], flagged: dict[int, str], title: str, standfirst: str | None
) -> None:
    """The article's own headline at the top of its text, and the standfirst under it."""
    want = _norm(title)
    if not want:
        return
    for i, line in enumerate(lines[:4]):
        if i in flagged:
            continue
        if _norm(line.text) == want:
            flagged[i] = "title"
            nxt = i + 1
            deck = _norm(standfirst or "")
            if nxt < len(lines) and nxt not in flagged and len(deck.split()) >= 5:
                got = _norm(lines[nxt].text)
                # A lede often doubles as the summary; a standfirst has no full stop.
                unpunctuated = not is_sentence_end(lines[nxt].text)
                if unpunctuated and (got == deck or (len(got) > 20 and deck.startswith(got))):
                    flagged[nxt] = "standfirst"
            return
