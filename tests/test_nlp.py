"""The one analysis of a text: its parse stays a ``Doc`` in the process that made it, and
becomes bytes only when the analysis leaves that process."""

from __future__ import annotations

import pickle

from sitroom.nlp import analyse


def test_nlp_parse_is_bytes_only_once_the_analysis_leaves_its_process() -> None:
    text = "Taliban fighters captured Herat on Friday.\nOfficials in Kabul said so."
    an = analyse(text)
    assert an.parse == b"" and an.doc() is not None  # here: the Doc itself, no bytes made
    moved = pickle.loads(pickle.dumps(an))
    assert moved.parse and moved._doc is None  # the bytes travel, the Doc does not
    there, here = moved.doc(), an.doc()
    assert [(t.text, t.dep_, t.head.i, t.pos_, t.ent_type_) for t in there] == [
        (t.text, t.dep_, t.head.i, t.pos_, t.ent_type_) for t in here
    ]
    assert (moved.sentences, moved.entities, moved.tokens) == (
        an.sentences,
        an.entities,
        an.tokens,
    )
    # a sentence cut from either parse reads the same
    (s0,) = moved.sentence_docs(text, [an.sentences[0]])
    (h0,) = an.sentence_docs(text, [an.sentences[0]])
    assert [t.dep_ for t in s0] == [t.dep_ for t in h0]
