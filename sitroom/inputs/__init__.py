"""Finding and reading inputs: files, folders, globs, JSONL, feeds and URLs."""

from sitroom.inputs.discover import Discovery

__all__ = ["Discovery"]
