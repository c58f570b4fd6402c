"""The claimscope command, end to end: real readers, real extractor, the seed reports."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from claimscope import settings
from claimscope.cli import cli, printable

CLAIM_KEYS = {
    "id", "document", "sentence", "speaker", "cue", "content", "relayed_via", "polarity",
    "certainty", "conditional", "hedges", "places", "dates", "entities",
    "checkworthiness", "independent_origins", "echo_ratio", "extractor",
}
PART_KEYS = {
    "document": {"id", "title", "outlet", "published_at", "source", "url"},
    "speaker": {"text", "name", "kind", "start", "end"},
    "cue": {"text", "class", "start", "end"},
    "content": {"text", "quote", "start", "end"},
}


@pytest.fixture
def analyzed(invoke, seed_dir: Path):
    result = invoke("analyze", str(seed_dir))
    assert result.exit_code == 0, result.output
    return invoke


def claims_json(invoke, *args: str) -> list[dict]:
    result = invoke("claims", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_analyze_twice_adds_nothing_the_second_time(invoke, seed_dir: Path) -> None:
    first = invoke("analyze", str(seed_dir))
    assert first.exit_code == 0, first.output
    assert "new: 2" in first.stdout and "failures: 0" in first.stdout
    second = invoke("analyze", str(seed_dir), "--json")
    assert second.exit_code == 0
    summary = json.loads(second.stdout)
    assert summary | {"failures": []} == {
        "files": 2, "documents_read": 2, "documents_new": 0, "documents_skipped": 2,
        "claims": 0, "failures": [], "copy_links": 0,
        "propositions": {"claims_read": 0, "claims_linked": 0, "candidate_pairs": 0,
                         "propositions": 0, "memberships": 0, "contradictions": 0,
                         "figures": 0, "rebuilt": False},
    }


def test_claims_json_has_the_shape_of_a_claim(analyzed) -> None:
    found = claims_json(analyzed)
    assert found
    for claim in found:
        assert CLAIM_KEYS <= set(claim)
        for part, keys in PART_KEYS.items():
            assert keys <= set(claim[part]), part
        for relay in claim["relayed_via"]:
            assert {"name", "kind", "text", "start", "end"} <= set(relay)


def test_speaker_kind_filter(analyzed) -> None:
    vague = claims_json(analyzed, "--speaker-kind", "vague")
    assert vague
    assert {claim["speaker"]["kind"] for claim in vague} == {"vague"}
    assert len(vague) < len(claims_json(analyzed))


def test_claims_table_and_csv(analyzed) -> None:
    table = analyzed("claims", "--limit", "3")
    assert table.exit_code == 0
    assert "speaker" in table.stdout and "3 claims" in table.stdout
    rows = list(csv.DictReader(io.StringIO(analyzed("claims", "--csv").stdout)))
    assert len(rows) == len(claims_json(analyzed))
    assert {"id", "speaker_name", "speaker_kind", "cue_class", "content"} <= set(rows[0])


def test_json_and_csv_together_is_a_usage_error(analyzed) -> None:
    result = analyzed("claims", "--json", "--csv")
    assert result.exit_code == 2


def test_show_prints_one_claim_in_full(analyzed) -> None:
    claim = claims_json(analyzed, "--limit", "1")[0]
    shown = analyzed("show", claim["id"])
    assert shown.exit_code == 0
    for label in ("sentence", "speaker", "cue", "content", "relayed via", "factuality",
                  "places", "dates", "entities", "document"):
        assert label in shown.stdout
    assert claim["speaker"]["name"] in " ".join(shown.stdout.split())
    as_json = analyzed("show", claim["id"], "--json")
    assert json.loads(as_json.stdout) == claim


def test_show_an_unknown_claim_is_one_line_and_exit_1(analyzed) -> None:
    result = analyzed("show", "no-such-claim")
    assert result.exit_code == 1
    assert result.stderr == "claimscope: no claim with id no-such-claim\n"


def test_a_bad_file_fails_alone_and_is_named(invoke, seed_dir: Path) -> None:
    bad = seed_dir / "broken.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00 not text \x00\x81" * 50)
    result = invoke("analyze", str(seed_dir))
    assert result.exit_code == 1, result.output
    failure_lines = [line for line in result.stdout.splitlines() if "broken.txt" in line]
    assert len(failure_lines) == 1
    assert failure_lines[0].startswith(str(bad))
    assert "new: 2" in result.stdout
    assert {c["document"]["source"] for c in claims_json(invoke)} == {
        str(p) for p in seed_dir.iterdir() if p != bad
    }


def test_a_missing_path_is_one_clear_line_and_exit_2(invoke, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    result = invoke("analyze", str(missing))
    assert result.exit_code == 2
    assert result.stderr.startswith("claimscope: ") and str(missing) in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_database_that_cannot_be_opened_is_one_line_and_exit_2(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("not a database\n" * 200)
    result = CliRunner().invoke(cli, ["claims", "--db", str(not_a_db)])
    assert result.exit_code == 2
    assert result.stderr.startswith("claimscope: cannot open database")
    assert len(result.stderr.splitlines()) == 1


def test_article_text_is_printed_as_data(invoke, tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "markup.txt").write_text(
        "Officials in Kharkiv said that [bold]Kupyansk[/bold] was shelled on Monday "
        "by Russian forces.\x1b]0;pwned\x07\n",
        encoding="utf-8",
    )
    assert invoke("analyze", str(folder)).exit_code == 0
    table = invoke("claims").stdout
    assert "[bold]" in table
    assert "\x1b" not in table and "\x07" not in table


def test_printable_shows_control_and_bidi_characters() -> None:
    assert printable("a\x1b[2Jb\u202ec\nd") == "a\\x1b[2Jb\\u202ec\\x0ad"
    assert printable("line\nbreak\ttab", keep_lines=True) == "line\nbreak\ttab"


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    yield prefix
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))
        else:
            yield (*prefix, name)


STORELESS = {"eval"}
"""Commands that never touch the ledger's database (they score the extractor on gold files)."""


@pytest.mark.parametrize("command", list(all_commands(cli)), ids=" ".join)
def test_every_command_has_help_and_takes_db(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")
    if command and command[0] not in STORELESS:
        assert "--db" in result.stdout


def test_every_setting_with_an_option_is_documented_in_help() -> None:
    helps = " ".join(
        " ".join(CliRunner().invoke(cli, [*command, "--help"], terminal_width=200).stdout.split())
        for command in all_commands(cli)
    )
    for setting in settings.SETTINGS:
        if setting.option:
            assert setting.option in helps, setting.name
            assert " ".join(setting.help.split()[:6]) in helps, setting.name


def test_the_installed_console_script_runs(seed_dir: Path, tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "claimscope"
    db = tmp_path / "script.db"
    result = subprocess.run(
        [str(script), "analyze", str(seed_dir), "--db", str(db), "--json"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["documents_new"] == 2
    listed = subprocess.run(
        [str(script), "claims", "--db", str(db), "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert listed.returncode == 0 and json.loads(listed.stdout)
