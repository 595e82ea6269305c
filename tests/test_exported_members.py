"""The public API is what ``sitroom.__all__`` says, no more, no less."""

from __future__ import annotations

import sitroom


def test_exported_members_all_exist_and_are_public() -> None:
    for name in sitroom.__all__:
        assert hasattr(sitroom, name), name
    public = {n for n in dir(sitroom) if not n.startswith("_")}
    modules = {
        "api",
        "cli",
        "errors",
        "export",
        "inputs",
        "meta",
        "model",
        "options",
        "pipeline",
        "site",
        "stages",
        "store",
        "text",
        "data",
        "geo",
        "nlp",
        "nlp_ruler",
        "timex",
        "embed",
        "watcher",
        "session",
        "cluster",
        "reading",
        "engines",
        "static_embed",
    }
    assert public - modules == set(sitroom.__all__) - {"__version__"}
