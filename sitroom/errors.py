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
     ├── StoreError            the SQLite store cannot be opened, migrated or written
     ├── PipelineError         a stage is unknown or its prerequisites are not met
     └── OptionsError          a bad option value or config file

An ``InputError`` never stops a batch: the pipeline records it and the rest of the batch lands.
"""

from __future__ import annotations

__all__ = [
    "DecodeError",
    "EmptyInputError",
    "FetchError",
    "InputError",
    "OptionsError",
    "ParseError",
    "PipelineError",
    "SitroomError",
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


class StoreError(SitroomError):
    """The store cannot be opened, migrated or written."""


class PipelineError(SitroomError):
    """A stage is unknown, or a stage's prerequisites are not assigned by an earlier one."""


class OptionsError(SitroomError):
    """A bad option value or configuration file."""
