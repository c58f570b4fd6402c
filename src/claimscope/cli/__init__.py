"""The ``claimscope`` command line: the group (:mod:`.base`) and its commands, by feature."""

from claimscope.cli.base import cli, main, printable
from claimscope.cli.evaluate import eval_group
from claimscope.cli import eval_attribution  # noqa: F401  (registers `eval attribution`)
from claimscope.cli import eval_checkworthiness  # noqa: F401  (registers `eval checkworthiness`)
from claimscope.cli import eval_factuality  # noqa: F401  (registers `eval factuality`)
from claimscope.cli import corpus  # noqa: F401  (registers `link`, `copies`, `outlets`)
from claimscope.cli import propositions  # noqa: F401  (registers `propositions`, `trace`)
from claimscope.cli.ledger import analyze_command, claims_command, show_command
from claimscope.cli import web  # noqa: F401  (registers `serve` and `users`)
from claimscope.cli import export  # noqa: F401  (registers `export`)
from claimscope.cli import annotations  # noqa: F401  (registers `import-annotations`)
from claimscope.cli import verdicts  # noqa: F401  (registers `verdict`, `verdicts`, `import-claimreview`)

for command in (analyze_command, claims_command, show_command, eval_group):
    cli.add_command(command)

__all__ = ["cli", "main", "printable"]
