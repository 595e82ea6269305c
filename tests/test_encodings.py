"""Encodings come out right, byte for byte: each fixture is a known text encoded by the test,
fed as bytes, and the decoded article text compared with the original exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.errors import DecodeError
from sitroom.inputs.decode import decode_bytes
from sitroom.model import InputItem
from sitroom.options import Options
from sitroom.stages.ingest import read_item

HOLLANDE = (
    "\u2018It is horror\u2019: French President Hollande\u2019s remarks after the attack in "
    "Nice \u2014 \u201cwe will not give in,\u201d he said on Friday.\n\n"
    "Officials said the caf\u00e9s along the Promenade des Anglais would stay shut."
)
# Texts in their languages' legacy encodings, each checked as a whole article.
LEGACY = {
    "fr": (
        "Le pr\u00e9sident a d\u00e9clar\u00e9 mercredi que l\u2019\u00e9conomie fran\u00e7aise "
        "r\u00e9sisterait \u00e0 la crise, malgr\u00e9 la gr\u00e8ve des cheminots \u00e0 "
        "Marseille. \u00ab Nous tiendrons \u00bb, a-t-il ajout\u00e9 devant les d\u00e9put\u00e9s."
    ),
    "de": (
        "Die Bundesregierung hat am Donnerstag beschlossen, die Hilfen f\u00fcr Fl\u00fcchtlinge "
        "zu erh\u00f6hen. Au\u00dfenministerin Baerbock \u00e4u\u00dferte sich zur\u00fcckhaltend."
    ),
    "es": (
        "El ni\u00f1o comi\u00f3 en casa de la se\u00f1ora L\u00f3pez; el gobierno anunci\u00f3 "
        "que la reuni\u00f3n ser\u00e1 el mi\u00e9rcoles en Bogot\u00e1. \u00bfQui\u00e9n "
        "pagar\u00e1?, pregunt\u00f3 un diputado."
    ),
    "pt": (
        "O presidente afirmou que a situa\u00e7\u00e3o econ\u00f4mica n\u00e3o \u00e9 t\u00e3o "
        "grave quanto a oposi\u00e7\u00e3o diz, e que a vota\u00e7\u00e3o acontecer\u00e1 em "
        "mar\u00e7o."
    ),
    "pl": (
        "Rz\u0105d og\u0142osi\u0142 w \u015brod\u0119, \u017ce pomoc dla rolnik\u00f3w zostanie "
        "zwi\u0119kszona. Minister powiedzia\u0142, \u017ce sytuacja jest powa\u017cna."
    ),
    "cs": (
        "Vl\u00e1da ve st\u0159edu schv\u00e1lila novelu z\u00e1kona, kter\u00e1 zv\u00fd\u0161\u00ed "
        "p\u0159\u00edsp\u011bvky pro rodiny s d\u011btmi, \u0159ekl ministr pr\u00e1ce."
    ),
    "ru": (
        "\u041f\u0440\u0430\u0432\u0438\u0442\u0435\u043b\u044c\u0441\u0442\u0432\u043e \u0432 "
        "\u0441\u0440\u0435\u0434\u0443 \u043e\u0431\u044a\u044f\u0432\u0438\u043b\u043e, "
        "\u0447\u0442\u043e \u0443\u0432\u0435\u043b\u0438\u0447\u0438\u0442 \u043f\u043e\u043c"
        "\u043e\u0449\u044c \u0444\u0435\u0440\u043c\u0435\u0440\u0430\u043c."
    ),
    "ar": (
        "\u0623\u0639\u0644\u0646\u062a \u0627\u0644\u062d\u0643\u0648\u0645\u0629 \u064a\u0648"
        "\u0645 \u0627\u0644\u0623\u0631\u0628\u0639\u0627\u0621 \u0623\u0646\u0647\u0627 "
        "\u0633\u062a\u0632\u064a\u062f \u0627\u0644\u0645\u0633\u0627\u0639\u062f\u0627\u062a."
    ),
    "zh": (
        "\u653f\u5e9c\u5468\u4e09\u5ba3\u5e03\u5c06\u589e\u52a0\u5bf9\u519c\u6c11\u7684\u63f4"
        "\u52a9\uff0c\u90e8\u957f\u8868\u793a\u5c40\u52bf\u4e25\u91cd\u3002"
    ),
    "ja": (
        "\u653f\u5e9c\u306f\u6c34\u66dc\u65e5\u3001\u8fb2\u5bb6\u3078\u306e\u652f\u63f4\u3092"
        "\u62e1\u5927\u3059\u308b\u3068\u767a\u8868\u3057\u305f\u3002"
    ),
    "ko": (
        "\uc815\ubd80\ub294 \uc218\uc694\uc77c \ub18d\ubbfc\uc5d0 \ub300\ud55c \uc9c0\uc6d0"
        "\uc744 \ub298\ub9ac\uaca0\ub2e4\uace0 \ubc1c\ud45c\ud588\ub2e4."
    ),
}
# Correct UTF-8 that mojibake repair must leave alone.
SOUND = [
    HOLLANDE,
    "Zo\u00eb M\u00fcller met S\u00f8ren in S\u00e3o Paulo and \u0141\u00f3d\u017a; "
    "na\u00efve co\u00f6peration \u2013 \u201cquoted\u201d \u2026 \u20ac5 \u00a320 \u00b0C.",
    "S\u00c3O PAULO, 3 de mar\u00e7o (Reuters) - \u00c0 noite, a PREFEITURA DE S\u00c3O "
    "PAULO disse \u00e0 \u00c9POCA: CAF\u00c9, \u00c9T\u00c9, \u00c7a, NA\u00cfVE, \u00c2GE.",
    *LEGACY.values(),
]


def _raw(data: bytes, name: str = "in.txt", kind: str = "text") -> str:
    """The article text ingest makes of ``data``: what every offset refers to."""
    (got,) = read_item(InputItem(name, "", kind, data), Options())  # type: ignore[arg-type]
    assert not isinstance(got, Exception), got
    return got.raw


def test_windows_1252_without_declaration_byte_for_byte() -> None:
    data = HOLLANDE.encode("cp1252")
    assert b"\x91" in data and b"\x92" in data
    text, enc = decode_bytes(data, "in.txt")
    assert text == HOLLANDE and enc == "cp1252"
    assert _raw(data) == HOLLANDE


@pytest.mark.parametrize(
    ("lang", "encoding"),
    [(lang, "cp1252") for lang in ("fr", "de", "es", "pt")]
    + [(lang, "latin-1") for lang in ("de", "es", "pt")],  # French's ’ is not Latin-1
)
def test_western_legacy_encodings_byte_for_byte(lang: str, encoding: str) -> None:
    text = LEGACY[lang]
    assert _raw(text.encode(encoding)) == text


@pytest.mark.parametrize(
    ("lang", "encoding"),
    [
        ("pl", "cp1250"),
        ("pl", "iso-8859-2"),
        ("cs", "cp1250"),
        ("ru", "cp1251"),
        ("ru", "koi8-r"),
        ("ar", "cp1256"),
        ("zh", "gb18030"),
        ("ja", "shift_jis"),
        ("ko", "euc-kr"),
    ],
)
def test_other_legacy_encodings_byte_for_byte(lang: str, encoding: str) -> None:
    text = (LEGACY[lang] + "\n") * 3
    assert _raw(text.encode(encoding)) == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("lang", ["en", "fr", "ru", "ar", "zh"])
def test_utf16_without_bom_byte_for_byte(encoding: str, lang: str) -> None:
    text = HOLLANDE if lang == "en" else (LEGACY[lang] + "\n") * 2
    data = text.encode(encoding)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    assert decode_bytes(data, "in.txt") == (text, encoding)
    assert _raw(data) == text


def test_utf16_with_bom_and_utf32_without() -> None:
    assert _raw(HOLLANDE.encode("utf-16")) == HOLLANDE
    assert decode_bytes(HOLLANDE.encode("utf-32-le"), "x") == (HOLLANDE, "utf-32-le")
    assert decode_bytes(HOLLANDE.encode("utf-32-be"), "x") == (HOLLANDE, "utf-32-be")


def test_binary_is_still_binary() -> None:
    import random

    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(4096))
    with pytest.raises(DecodeError):
        decode_bytes(noise, "noise.txt")
    with pytest.raises(DecodeError, match="executable"):
        decode_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "a.exe.txt")
    # a dateline is not an executable header
    assert decode_bytes(b"MZUZU, Malawi (Reuters) - The river rose.", "m.txt")[1] == "utf-8"


def _as_1252(data: bytes) -> str:
    """``data`` read as Windows-1252 the way browsers and Windows do (its five undefined bytes
    stand for themselves): how UTF-8 becomes mojibake upstream."""
    return "".join(
        chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252") for b in data
    )


MOJIBAKE = [
    # UTF-8 decoded as Windows-1252 once, twice, and as Latin-1 (C1 controls)
    (HOLLANDE, lambda s: _as_1252(s.encode("utf-8"))),
    (HOLLANDE, lambda s: _as_1252(_as_1252(s.encode("utf-8")).encode("utf-8"))),
    (LEGACY["fr"], lambda s: _as_1252(s.encode("utf-8"))),
    (LEGACY["de"], lambda s: s.encode("utf-8").decode("latin-1")),
    (LEGACY["es"], lambda s: _as_1252(s.encode("utf-8"))),
    # Windows-1252 decoded as Latin-1: curly quotes became C1 controls
    (HOLLANDE, lambda s: s.encode("cp1252").decode("latin-1")),
]


@pytest.mark.parametrize(("text", "garble"), MOJIBAKE)
def test_mojibake_is_undone_in_files_and_json(text: str, garble: object) -> None:
    bad = garble(text)  # type: ignore[operator]
    assert bad != text
    assert any(m in bad for m in ("Ã", "â€", "\x92", "\x91"))
    # a UTF-8 file holding the garbled text
    assert _raw(bad.encode("utf-8")) == text
    # a JSON field holding it
    import json

    title = text.split(" ", 6)[:6]
    doc = json.dumps({"title": garble(" ".join(title)), "text": bad}).encode()  # type: ignore[operator]
    (art,) = read_item(InputItem("a.json", "", "json", doc), Options())
    assert not isinstance(art, Exception)
    assert art.raw == text
    assert art.fields["title"] == " ".join(title)
    assert "mojibake" in " ".join(art.fields["repaired"]["raw"])


def test_classic_mojibake_sequences() -> None:
    for bad, good in [
        ("caf\u00c3\u00a9 society", "caf\u00e9 society"),
        ("Hollande\u00e2\u20ac\u2122s remarks", "Hollande\u2019s remarks"),
        ("It\u00c3\u00a2\u00e2\u201a\u00ac\u00e2\u201e\u00a2s over", "It\u2019s over"),
    ]:
        assert _raw(bad.encode("utf-8")) == good


@pytest.mark.parametrize("text", SOUND)
def test_sound_utf8_is_left_byte_identical(text: str) -> None:
    data = text.encode("utf-8")
    (art,) = read_item(InputItem("ok.txt", "", "text", data), Options())
    assert not isinstance(art, Exception)
    assert art.raw.encode("utf-8") == data
    assert "repaired" not in art.fields and "encoding" not in art.fields


def _page(charset: str, body: str) -> str:
    return (
        f'<html><head><meta charset="{charset}"><title>News</title></head>'
        f"<body><article><p>{body}</p></article></body></html>"
    )


@pytest.mark.parametrize(
    ("declared", "lang", "real"),
    [
        ("utf-8", "fr", "cp1252"),  # declared UTF-8, saved as Windows-1252
        ("iso-8859-1", "fr", "utf-8"),  # declared Latin-1, really UTF-8
        ("windows-1252", "de", "utf-8"),
        ("windows-1251", "fr", "cp1252"),  # declared Cyrillic, really Western
        ("iso-8859-1", "ru", "cp1251"),  # declared Latin-1, really Cyrillic
        ("utf-16", "fr", "utf-8"),  # UTF-16 declared in ASCII-compatible bytes
        ("shift_jis", "es", "cp1252"),
        ("no-such-charset", "de", "cp1252"),
        ("base64", "de", "cp1252"),  # a codec, but not a text encoding
        ("iso-8859-2", "pl", "iso-8859-2"),  # a right declaration is kept
        ("koi8-r", "ru", "koi8-r"),
    ],
)
def test_html_with_a_wrong_meta_charset(declared: str, lang: str, real: str) -> None:
    html = _page(declared, LEGACY[lang])
    assert _raw(html.encode(real), "page.html", "html") == html


def test_latin1_declaration_means_windows_1252() -> None:
    html = _page("ISO-8859-1", HOLLANDE)
    data = html.encode("cp1252")
    assert b"\x92" in data
    assert _raw(data, "page.html", "html") == html  # curly quotes, not C1 controls


def test_encoding_is_recorded(tmp_path: Path) -> None:
    (art,) = read_item(InputItem("a.txt", "", "text", HOLLANDE.encode("cp1252")), Options())
    assert not isinstance(art, Exception)
    assert art.fields["encoding"] == "cp1252"
