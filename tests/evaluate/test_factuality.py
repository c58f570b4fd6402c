"""The factuality scorer on hand-made cases whose right scores are known, the readers on the
real gold files (read from ../shared, never copied into the repository), and the
``eval factuality`` command."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimscope.cli import cli
from claimscope.errors import ReadError
from claimscope.evaluate.factuality import (
    CueTally, factuality_value, find_datasets, matched_cues, mean_absolute_error, pearson, prf,
    read_conll, read_szeged,
)
from claimscope.records import Factuality

EVAL_DATA = Path(__file__).resolve().parents[3] / "shared" / "eval-data"
MEANTIME_TEST = EVAL_DATA / "factuality-meantime-uw" / "meantime" / "test.conll"
SZEGED = EVAL_DATA / "szeged-uncertainty-wiki" / "wiki.xml"


# -- the figures ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("xs", "ys", "r"),
    [
        ([1, 2, 3], [2, 4, 6], 1.0),  # any increasing linear relation
        ([1, 2, 3], [3, 2, 1], -1.0),
        ([1, 2, 3], [1, 3, 2], 0.5),  # cov 1/3 · 2/3… by hand: Σdxdy = 1, Σdx² = Σdy² = 2
        ([3, 3, 3], [1, 2, 3], 0.0),  # a constant prediction correlates with nothing
        ([], [], 0.0),
    ],
)
def test_pearson_on_cases_worked_by_hand(xs, ys, r):
    assert math.isclose(pearson(xs, ys), r, abs_tol=1e-12)


def test_mean_absolute_error_is_the_mean_distance():
    assert mean_absolute_error([3, 0, -3], [3.0, 0.75, -1.5]) == pytest.approx((0 + 0.75 + 1.5) / 3)
    assert mean_absolute_error([], []) == 0.0


def test_precision_recall_f1_from_counts():
    assert prf(2, 4, 2, 3) == pytest.approx({"precision": 0.5, "recall": 2 / 3, "f1": 4 / 7})
    assert prf(0, 0, 0, 5) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


@pytest.mark.parametrize(
    ("certainty", "polarity", "value"),
    [("certain", "positive", 3), ("probable", "positive", 2), ("possible", "negative", -1),
     ("unknown", "negative", 0), ("certain", "negative", -3)],
)
def test_factuality_maps_onto_the_gold_scale(certainty, polarity, value):
    assert factuality_value(Factuality(polarity=polarity, certainty=certainty)) == value


def test_cues_match_one_to_one_exactly_or_by_overlap():
    gold = [(0, 3), (10, 20)]
    predicted = [(0, 3), (12, 14), (15, 18)]  # two predictions inside one gold cue
    assert matched_cues(gold, predicted, exact=True) == 1
    assert matched_cues(gold, predicted, exact=False) == 2  # the second inside one counts once


def test_cue_tally_counts_cues_and_uncertain_sentences():
    tally = CueTally()
    tally.add([(0, 3)], [(0, 3), (5, 9)])  # uncertain, found, one false cue
    tally.add([], [(1, 4)])  # certain, called uncertain
    tally.add([(2, 6)], [])  # uncertain, missed
    tally.add([], [])
    figures = tally.as_dict()
    assert figures["cue"]["exact"] == pytest.approx({"precision": 1 / 3, "recall": 1 / 2, "f1": 0.4})
    assert figures["sentence"]["precision"] == pytest.approx(1 / 2)
    assert figures["sentence"]["recall"] == pytest.approx(1 / 2)
    assert (figures["sentence"]["gold"], figures["sentence"]["predicted"]) == (2, 2)


# -- the readers, on the real files ---------------------------------------------------------
def test_the_unified_conll_reader_parses_meantime_test():
    sentences = read_conll(MEANTIME_TEST)
    assert (len(sentences), sum(len(s.events) for s in sentences)) == (77, 188)  # per SOURCE.md
    first = sentences[0]
    assert " ".join(first.words[:4]) == "It was a milestone"
    assert first.events[0] == (1, 3.0) and first.words[1] == "was"


def test_the_szeged_reader_finds_every_sentence_and_cue():
    sentences = read_szeged(SZEGED)
    assert len(sentences) == 20_748 and sum(len(s.cues) for s in sentences) == 3_265  # per SOURCE.md
    considered = next(s for s in sentences if s.text.startswith("Its short life span"))
    start, end = considered.cues[0]
    assert considered.text[start:end] == "considered"


def test_a_bad_line_is_a_read_error_naming_the_file_and_line(tmp_path):
    bad = tmp_path / "test.conll"
    bad.write_text("0\tIt\t_\tPRP\n1\twas\tsure\tVBD\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"test\.conll:2.*not a number"):
        read_conll(bad)


def test_datasets_are_named_by_corpus_and_split():
    found = find_datasets([EVAL_DATA / "factuality-meantime-uw", SZEGED], splits=("test",))
    assert [d.name for d in found] == ["meantime/test", "uw/test", "szeged-uncertainty-wiki/test"]


# -- the command ----------------------------------------------------------------------------
def test_eval_factuality_has_help():
    result = CliRunner().invoke(cli, ["eval", "factuality", "--help"])
    assert result.exit_code == 0 and "Pearson" in result.output and "--data" in result.output


def test_eval_factuality_scores_a_real_file_as_json():
    result = CliRunner().invoke(cli, ["eval", "factuality", "--data", str(MEANTIME_TEST), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)["factuality"]["meantime/test"]
    assert (figures["sentences"], figures["events"]) == (77, 188)
    assert -1 <= figures["pearson"] <= 1 and 0 <= figures["mae"] <= 6


def test_a_path_without_data_is_one_line_and_status_2(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "factuality", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "no factuality data" in result.output and "Traceback" not in result.output
