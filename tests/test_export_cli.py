"""``claimscope export`` and ``claimscope import-annotations`` end to end, on the seed reports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimscope.cli import cli
from claimscope.exchange.export import spreadsheet_safe


@pytest.fixture
def analyzed(invoke, seed_dir: Path):
    assert invoke("analyze", str(seed_dir)).exit_code == 0
    return invoke


def claims_json(invoke) -> list[dict]:
    return json.loads(invoke("claims", "--json").stdout)


def every_span(claim: dict) -> list[dict]:
    parts = [claim["speaker"], claim["cue"], claim["content"], *claim["hedges"],
             *claim["relayed_via"], *claim["places"], *claim["dates"], *claim["entities"]]
    found = [p for p in parts if p["start"] is not None]
    return found + [f for p in found for f in p.get("fragments", [])]


def test_every_span_of_every_seed_claim_slices_the_stored_text(analyzed, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    assert analyzed("export", "--format", "brat", "--out", str(folder)).exit_code == 0
    texts = {p.stem[-16:]: p.read_bytes().decode("utf-8") for p in folder.glob("*.txt")}
    claims = claims_json(analyzed)
    assert claims and {c["document"]["id"] for c in claims} == set(texts)
    checked = 0
    for claim in claims:
        text = texts[claim["document"]["id"]]
        for span in every_span(claim):
            assert text[span["start"]:span["end"]] == span["text"], (claim["id"], span)
            checked += 1
    assert all(set(h) >= {"text", "start", "end"} for c in claims for h in c["hedges"])
    assert any("fragments" in c["content"] for c in claims)
    assert checked > 3 * len(claims)


@pytest.mark.parametrize("command", ["export", "import-annotations"])
def test_help_works(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "--json" in result.output


def test_export_jsonl_is_claims_json_one_a_line(analyzed, tmp_path: Path) -> None:
    out = tmp_path / "claims.jsonl"
    result = analyzed("export", "--format", "jsonl", "--out", str(out), "--json")
    claims = claims_json(analyzed)
    assert json.loads(result.stdout)["claims"] == len(claims)
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == claims


def test_export_csv_has_one_row_per_claim_and_no_formula_cell(analyzed, tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    assert analyzed("export", "--format", "csv", "--out", str(out)).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [r["id"] for r in rows] == [c["id"] for c in claims_json(analyzed)]
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r.values())


@pytest.mark.parametrize(("cell", "safe"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("Kupyansk", "Kupyansk"), (0.5, 0.5),
])
def test_spreadsheet_formulas_are_defused(cell, safe) -> None:
    assert spreadsheet_safe(cell) == safe


def test_import_annotations_reports_a_bad_file_in_one_line(analyzed, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    assert analyzed("export", "--format", "brat", "--out", str(folder)).exit_code == 0
    first = min(folder.glob("*.txt"))
    first.write_text("changed " + first.read_text(encoding="utf-8"), encoding="utf-8")
    result = analyzed("import-annotations", str(folder), "--by", "ana", "--json")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert str(first) in line and "Traceback" not in result.output
    summary = json.loads(result.stdout)
    assert summary["imported"] == 1 and len(summary["failures"]) == 1
    reviewed = [c for c in claims_json(analyzed) if c["reviewed"]]
    assert reviewed and {c["review"]["by"] for c in reviewed} == {"ana"}
