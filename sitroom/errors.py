"""The one exception tree of sitroom.

Every failure the library reports is one of these; only the CLI turns them into exit codes.

    SitroomError
     ├── InputError            one input (file, JSONL line, feed item) could not be read;
     │    │                    carries the input's path/locator and a one-line reason
     │    ├── DecodeError      binary content or bytes no charset explains
     │    ├── EmptyInputError  nothing but whitespace
     │    ├── TooLargeError    above Options.max_bytes
     │    ├── ParseError       malformed HTML, JSON, JSONL line or feed
     │    └── FetchError       a feed or page URL that failed (status, timeout, refused)
     ├── StageFailure          a stage raised on one article (or story, topic): recorded
     │                         with the stage, exception and a short traceback; the article
     │                         is kept without that stage's output (or, for the stages an
     │                         article cannot exist without, rejected), the rest goes on
     ├── StoreError            the SQLite store cannot be opened, migrated or written
     │    └── StoreBusyError   another run holds the store's write lock
     ├── PipelineError         a stage is unknown or its prerequisites are not met
     └── OptionsError          a bad option value or config file

An ``InputError`` or a ``StageFailure`` never stops a batch: the pipeline records it and the
rest of the batch lands.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DecodeError",
    "EmptyInputError",
    "FetchError",
    "InputError",
    "OptionsError",
    "ParseError",
    "PipelineError",
    "SitroomError",
    "StageFailure",
    "StoreBusyError",
    "StoreError",
    "TooLargeError",
]


class SitroomError(Exception):
    """Base class of every error sitroom raises on purpose."""


class InputError(SitroomError):
    """One input could not be turned into an article."""

    kind = "input"

    def __init__(self, path: str, reason: str, locator: str = "") -> None:
        self.path = path
        self.reason = reason
        self.locator = locator
        super().__init__(self.line())

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, str]]:
        # picklable, so workers in a process pool can report them
        return (type(self), (self.path, self.reason, self.locator))

    def line(self) -> str:
        """The one-line message: ``path[ locator]: reason``."""
        where = f"{self.path} ({self.locator})" if self.locator else self.path
        return f"{where}: {self.reason}"


class DecodeError(InputError):
    kind = "decode"


class EmptyInputError(InputError):
    kind = "empty"


class TooLargeError(InputError):
    kind = "too-large"


class ParseError(InputError):
    kind = "parse"


class FetchError(InputError):
    kind = "fetch"


class StageFailure(SitroomError):
    """A stage raised on one article (``article_id``), story or topic (``key``): a fault in
    sitroom, not in the input. Carries what the store records of it."""

    def __init__(
        self,
        stage: str,
        error: str,
        message: str,
        trace: str = "",
        *,
        path: str = "",
        locator: str = "",
        article_id: str = "",
        key: str = "",
        kept: bool = True,
        attempts: int = 1,
    ) -> None:
        self.stage = stage
        self.error = error
        self.message = message
        self.trace = trace
        self.path = path
        self.locator = locator
        self.article_id = article_id
        self.key = key
        self.kept = kept
        self.attempts = attempts
        super().__init__(self.line())

    def __reduce__(self) -> tuple[Any, ...]:
        return (_stage_failure, (self.__dict__.copy(),))

    def line(self) -> str:
        """One line: where, which stage, what it raised, and what became of the article."""
        if self.path:
            where = f"{self.path} ({self.locator})" if self.locator else self.path
        else:
            where = self.key or self.article_id or "?"
        msg = " ".join(self.message.split())
        if len(msg) > 200:
            msg = msg[:199] + "…"
        what = f"{self.error}: {msg}" if msg else self.error
        if self.key:
            fate = f"attempt {self.attempts}"
        else:
            fate = f"kept without its {self.stage} output" if self.kept else "not stored"
        return f"{where}: internal error in stage {self.stage} ({what}); {fate}"


def _stage_failure(state: dict[str, Any]) -> StageFailure:
    f = StageFailure.__new__(StageFailure)
    f.__dict__.update(state)
    Exception.__init__(f, f.line())
    return f


class StoreError(SitroomError):
    """The store cannot be opened, migrated or written."""


class StoreBusyError(StoreError):
    """Another run is writing to the store (``sitroom run`` waits, then says so)."""


class PipelineError(SitroomError):
    """A stage is unknown, or a stage's prerequisites are not assigned by an earlier one."""


class OptionsError(SitroomError):
    """A bad option value or configuration file."""
