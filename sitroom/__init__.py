"""sitroom: many outlets' reports about a developing crisis, turned into one verified picture.

>>> import sitroom
>>> report = sitroom.run(["examples/kabul-aug-2021"], db="sitroom.db")
>>> report.added, [e.line() for e in report.failures]
"""

from sitroom.api import (
    RunReport,
    Session,
    articles,
    brief,
    check,
    claims,
    control,
    events,
    export_articles,
    export_claims,
    export_control,
    export_events,
    export_mentions,
    export_quotes,
    export_stories,
    extract,
    extract_events,
    open_store,
    quotes,
    realign,
    report,
    run,
    stories,
    watch,
)
from sitroom.errors import (
    DecodeError,
    EmptyInputError,
    FetchError,
    InputError,
    OptionsError,
    ParseError,
    PipelineError,
    SitroomError,
    StageFailure,
    StoreBusyError,
    StoreError,
    TooLargeError,
)
from sitroom.geo.places import find_places
from sitroom.model import Article, Source
from sitroom.options import Options
from sitroom.pipeline import DEFAULT_PIPELINE, Pipeline
from sitroom.timex import find_times

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_PIPELINE",
    "Article",
    "DecodeError",
    "EmptyInputError",
    "FetchError",
    "InputError",
    "Options",
    "OptionsError",
    "ParseError",
    "Pipeline",
    "PipelineError",
    "RunReport",
    "Session",
    "SitroomError",
    "Source",
    "StageFailure",
    "StoreBusyError",
    "StoreError",
    "TooLargeError",
    "__version__",
    "articles",
    "brief",
    "check",
    "claims",
    "control",
    "events",
    "export_articles",
    "export_claims",
    "export_control",
    "export_events",
    "export_mentions",
    "export_quotes",
    "export_stories",
    "extract",
    "extract_events",
    "find_places",
    "find_times",
    "open_store",
    "quotes",
    "realign",
    "report",
    "run",
    "stories",
    "watch",
]
