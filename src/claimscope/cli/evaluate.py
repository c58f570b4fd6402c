"""``claimscope eval TASK``: score the extractor that ``analyze`` uses on third-party gold data.

One subcommand per task, each in its own module beside this one (``eval_<task>.py``),
attached to :data:`eval_group` and registered in ``claimscope/cli/__init__.py``.
"""

from __future__ import annotations

import click


@click.group("eval")
def eval_group() -> None:
    """Measure extraction on gold data (PolNeAR, MEANTIME/UW, ClaimBuster, CheckThat…)."""
