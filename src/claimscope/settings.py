"""One table of settings: name, default, environment variable (where any) and help.

The CLI takes its option help from :data:`SETTINGS` (through :func:`help_for`), a later
settings page can list the same rows, and a docs test checks that every setting that has a
CLI option shows it in ``--help``. Defaults are named constants so code that needs one
imports the constant, never repeats the literal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DB_ENV = "CLAIMSCOPE_DB"
DEFAULT_DB = "claimscope.db"
DEFAULT_MAX_ARTICLE_BYTES = 2_000_000
DEFAULT_BATCH_SIZE = 16
DEFAULT_PROCESSES = 1
DEFAULT_CONTENT_WIDTH = 80
OUTLETS_ENV = "CLAIMSCOPE_OUTLETS"
DEFAULT_SHINGLE_WORDS = 3
DEFAULT_MINHASH_PERMUTATIONS = 128
DEFAULT_COPY_DOCUMENT_THRESHOLD = 0.5
DEFAULT_COPY_PASSAGE_THRESHOLD = 0.5
DEFAULT_COPY_COVERAGE = 0.8
DEFAULT_PASSAGE_MIN_WORDS = 25
DEFAULT_PASSAGE_MAX_WORDS = 150
DEFAULT_COPY_MAX_BUCKET = 200


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    env: str | None = None
    """Environment variable read when the option is not given."""
    option: str | None = None
    """The CLI option that sets it, if any."""


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db",
        DEFAULT_DB,
        "Database: a SQLAlchemy URL (sqlite:///…, postgresql://…) or a file path taken "
        "as SQLite.",
        env=DB_ENV,
        option="--db",
    ),
    Setting(
        "max_article_bytes",
        DEFAULT_MAX_ARTICLE_BYTES,
        "Largest input read as one article, in bytes; bigger ones are reported as failures.",
        option="--max-article-bytes",
    ),
    Setting(
        "batch_size",
        DEFAULT_BATCH_SIZE,
        "Documents handed to the extractor at a time; a batch is also what a failing "
        "document is retried in, one by one.",
    ),
    Setting(
        "processes",
        DEFAULT_PROCESSES,
        "Processes extracting claims in parallel, each holding the spaCy pipeline once; "
        "the main process alone stores the results, in input order. 1 extracts in the "
        "main process.",
        option="--processes",
    ),
    Setting(
        "text_column",
        None,
        "CSV/JSONL field holding the article text (default: guessed from the header).",
        option="--text-column",
    ),
    Setting(
        "title_column",
        None,
        "CSV/JSONL field holding the title (default: guessed from the header).",
        option="--title-column",
    ),
    Setting(
        "date_column",
        None,
        "CSV/JSONL field holding the publication date (default: guessed from the header).",
        option="--date-column",
    ),
    Setting(
        "url_column",
        None,
        "CSV/JSONL field holding the URL (default: guessed from the header).",
        option="--url-column",
    ),
    Setting(
        "outlet_column",
        None,
        "CSV/JSONL field holding the outlet (default: guessed from the header).",
        option="--outlet-column",
    ),
    Setting(
        "language_column",
        None,
        "CSV/JSONL field holding the language code (default: guessed from the header).",
        option="--language-column",
    ),
    Setting(
        "content_width",
        DEFAULT_CONTENT_WIDTH,
        "Characters of a claim's content shown in the `claims` table before it is cut.",
    ),
    Setting(
        "outlets",
        None,
        "Your own outlet registry (YAML, the format of rules/outlets.v1.yaml), merged over "
        "the shipped one: an entry with a shipped outlet's name or alias updates it.",
        env=OUTLETS_ENV,
        option="--outlets",
    ),
    Setting(
        "shingle_words",
        DEFAULT_SHINGLE_WORDS,
        "Words per shingle when comparing texts for copies; changing it means `link --rebuild`.",
    ),
    Setting(
        "minhash_permutations",
        DEFAULT_MINHASH_PERMUTATIONS,
        "MinHash permutations per signature; changing it means `link --rebuild`.",
    ),
    Setting(
        "copy_document_threshold",
        DEFAULT_COPY_DOCUMENT_THRESHOLD,
        "Estimated Jaccard similarity of two documents' shingles from which one is "
        "taken as a copy of the other.",
        option="--document-threshold",
    ),
    Setting(
        "copy_passage_threshold",
        DEFAULT_COPY_PASSAGE_THRESHOLD,
        "Estimated Jaccard similarity of two passages (paragraphs) from which one is "
        "taken as copied from the other.",
        option="--passage-threshold",
    ),
    Setting(
        "copy_coverage",
        DEFAULT_COPY_COVERAGE,
        "Share of a document's passages found copied in another from which the link "
        "covers the whole document (e.g. a copy with boilerplate added).",
    ),
    Setting(
        "passage_min_words",
        DEFAULT_PASSAGE_MIN_WORDS,
        "Paragraphs shorter than this are joined to the next one before comparing.",
    ),
    Setting(
        "passage_max_words",
        DEFAULT_PASSAGE_MAX_WORDS,
        "Paragraphs longer than this are cut into passages at sentence ends.",
    ),
    Setting(
        "copy_max_bucket",
        DEFAULT_COPY_MAX_BUCKET,
        "An LSH bucket shared by more signatures than this is taken as boilerplate "
        "and proposes no copies.",
    ),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def get(name: str) -> Setting:
    """The setting called ``name``; KeyError names it if there is none."""
    return _BY_NAME[name]


def help_for(name: str) -> str:
    """Help text for a CLI option: the setting's help, its default and its env variable."""
    setting = get(name)
    notes = []
    if setting.default is not None:
        notes.append(f"default: {setting.default}")
    if setting.env:
        notes.append(f"env: {setting.env}")
    return f"{setting.help} [{'; '.join(notes)}]" if notes else setting.help


def env_value(name: str) -> str | None:
    """The setting's environment variable, if it has one and it is set to something."""
    setting = get(name)
    if setting.env is None:
        return None
    return os.environ.get(setting.env) or None
