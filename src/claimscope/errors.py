"""The errors claimscope raises, drawn once.

    ClaimscopeError          anything claimscope itself reports to a user
    ├── RulesError           a rule file (lexicon, registry, gazetteer) is invalid
    ├── ReadError            an input file or entry cannot be read (names the file)
    ├── ModelError           the spaCy pipeline cannot be loaded
    └── StoreError           the database cannot be opened, migrated or written

The CLI turns each into one line naming the file and the problem; nothing else
should reach a user as a traceback.
"""


class ClaimscopeError(Exception):
    """Base of every error claimscope reports to a user."""


class RulesError(ClaimscopeError):
    pass


class ReadError(ClaimscopeError):
    """An input could not be read; ``str(error)`` is the problem, ``source`` the file."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class ModelError(ClaimscopeError):
    pass


class StoreError(ClaimscopeError):
    pass
