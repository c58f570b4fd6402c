"""The ``claimscope`` command line: the group (:mod:`.base`) and its commands, by feature."""

from claimscope.cli.base import cli, main, printable
from claimscope.cli.evaluate import eval_group
from claimscope.cli.ledger import analyze_command, claims_command, show_command

for command in (analyze_command, claims_command, show_command, eval_group):
    cli.add_command(command)

__all__ = ["cli", "main", "printable"]
