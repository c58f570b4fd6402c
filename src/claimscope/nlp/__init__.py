"""Per-document extraction: sentences in, attributed claims out (see :mod:`.pipeline`)."""

from claimscope.nlp.pipeline import DEFAULT_MODEL, Extractor

__all__ = ["DEFAULT_MODEL", "Extractor"]
