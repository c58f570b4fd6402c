"""Measuring extraction on third-party gold data (``claimscope eval``).

- :mod:`.attribution`: the extractor's attributions scored on a PolNeAR-style folder
  (:func:`~claimscope.evaluate.attribution.evaluate_attribution`);
- :mod:`.polnear`: that folder's layout and the two protocols;
- :mod:`.scoring`: tokens, items, exact / overlap / relation figures, defined precisely;
- :mod:`.sources`: the vague and anonymous source figures.

Nothing is imported here: :mod:`.attribution` loads spaCy, which the CLI pays only in
the commands that score.
"""
