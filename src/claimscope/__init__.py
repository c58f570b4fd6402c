"""claimscope: a ledger of attributed claims in war reporting.

The public surface is the typed records and the errors; the stages are used through
their own packages (``claimscope.ingest``, ``claimscope.nlp``, ``claimscope.store``) and the
``claimscope`` command. Importing this package loads no model and touches no database.
"""

from claimscope.errors import ClaimscopeError, ModelError, ReadError, RulesError, StoreError
from claimscope.records import Claim, Document, Extraction, ReadFailure, Span, Speaker

__version__ = "0.1.0"

__all__ = [
    "Claim",
    "ClaimscopeError",
    "Document",
    "Extraction",
    "ModelError",
    "ReadError",
    "ReadFailure",
    "RulesError",
    "Span",
    "Speaker",
    "StoreError",
    "__version__",
]
