"""Progress of long work, on stderr: a bar per stage on a terminal, plain lines elsewhere.

Library calls report progress as ``progress(stage, done, total)``; this turns that into what a
person watching (a terminal) or a log (a pipe, CI) wants. Stage names may come from article
data (a file name), so descriptions are never read as rich markup.
"""

from __future__ import annotations

from collections.abc import Mapping

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from claimscope.cli.base import printable


class StageProgress:
    """``with StageProgress(labels) as progress: work(progress=progress)``.

    ``labels`` names the stages for people ("read" → "reading documents"); an unknown stage
    is shown as it is. Off a terminal nothing is written unless ``log`` is set: then one line
    when a stage completes, and every ``every`` steps before that (0: only on completion).
    """

    def __init__(self, labels: Mapping[str, str] | None = None, *, console: Console | None = None,
                 log: bool = False, every: int = 0) -> None:
        self._console = console or Console(stderr=True)
        self._labels = dict(labels or {})
        self._log = log
        self._every = every
        self._bar = Progress(
            TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=self._console, transient=True,
        ) if self._console.is_terminal else None
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> StageProgress:
        if self._bar:
            self._bar.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar:
            self._bar.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = printable(self._labels.get(stage, stage))
        if self._bar is not None:
            if stage not in self._tasks:
                self._tasks[stage] = self._bar.add_task(label, total=total)
            self._bar.update(self._tasks[stage], completed=done, total=total)
        elif self._log and (done == total or (self._every and done and done % self._every == 0)):
            click.echo(f"claimscope: {label}: {done}/{total}", err=True)
