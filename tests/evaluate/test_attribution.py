"""The attribution scorer on hand-made cases whose right scores are known, and the
``eval attribution`` command on two real PolNeAR dev articles (copied into tmp_path at
test time from ../shared, never into the repository)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimscope.cli import cli
from claimscope.evaluate.scoring import Scorer, Tokens, jaccard, pairs
from claimscope.exchange import SpanSet, read_ann
from claimscope.records import Span

DEV = Path(__file__).resolve().parents[3] / "shared" / "eval-data" / "polnear" / "dev"
ARTICLES = ("breitbart_2016-09-28_mary-j-blige-sings-to-hillary-cl",  # one annotator
            "politico_2016-09-08_flynn-says-trump-absolutely-righ")  # six annotators
TEXT = 'Officials said the bridge was destroyed. "We will rebuild," the mayor said, "within a month."'


def s(part: str, occurrence: int = 1) -> Span:
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(part, start + 1)
    return Span(start, start + len(part), part)


def attribution(source: str | None, cue: str | tuple[str, int], *contents: tuple[Span, ...] | str) -> SpanSet:
    cue_span = s(*cue) if isinstance(cue, tuple) else s(cue)
    parts = tuple((s(c),) if isinstance(c, str) else c for c in contents)
    return SpanSet((s(source),) if source else None, (cue_span,), parts)


BRIDGE = attribution("Officials", "said", "the bridge was destroyed")
QUOTE = attribution("the mayor", ("said", 2), (s('"We will rebuild,"'), s('"within a month."')))


def score(gold: list[list[SpanSet]], predicted: list[SpanSet], split: bool = True) -> dict:
    scorer = Scorer(split=split)
    for document in gold:
        scorer.add(document, predicted, Tokens(TEXT))
    return scorer.as_dict()


def figures(result: dict, role: str, measure: str = "exact") -> tuple[float, float, float]:
    scores = result[role][measure]
    return (round(scores["precision"], 4), round(scores["recall"], 4), round(scores["f1"], 4))


def test_tokens_are_words_and_single_punctuation_marks() -> None:
    tokens = Tokens('He said: "no."')
    assert len(tokens) == 7  # He said : " no . "
    assert tokens.cover(0, 2) == tokens.cover(0, 3) == frozenset({0})  # a trailing space is no token
    assert tokens.cover(1, 5) == frozenset({0, 1})  # a token counts if one character is in


def test_a_perfect_prediction_scores_one_everywhere() -> None:
    result = score([[BRIDGE, QUOTE]], [BRIDGE, QUOTE])
    for role in ("source", "cue", "content"):
        assert figures(result, role) == figures(result, role, "overlap") == (1.0, 1.0, 1.0)
    assert figures(result, "relation") == (1.0, 1.0, 1.0)


def test_a_content_one_word_short_is_wrong_exactly_and_three_quarters_right_by_overlap() -> None:
    short = attribution("Officials", "said", "bridge was destroyed")
    result = score([[BRIDGE]], [short])
    assert figures(result, "source") == figures(result, "cue") == (1.0, 1.0, 1.0)
    assert figures(result, "content") == (0.0, 0.0, 0.0)
    assert figures(result, "content", "overlap") == (0.75, 0.75, 0.75)  # 3 of 4 tokens
    assert figures(result, "content", "partial") == (1.0, 1.0, 1.0)
    assert figures(result, "relation") == (0.0, 0.0, 0.0)


def test_a_full_stop_left_out_of_a_span_is_a_different_span() -> None:
    with_stop = attribution("Officials", "said", "the bridge was destroyed.")
    assert figures(score([[BRIDGE]], [with_stop]), "content") == (0.0, 0.0, 0.0)


def test_under_cofenet_each_fragment_of_a_discontinuous_content_is_scored_apart() -> None:
    first_half = attribution("the mayor", ("said", 2), '"We will rebuild,"')
    result = score([[QUOTE]], [first_half], split=True)
    assert figures(result, "content") == (1.0, 0.5, 0.6667)  # 1 of 2 fragments


def test_under_single_the_fragments_are_joined_into_one_span() -> None:
    first_half = attribution("the mayor", ("said", 2), '"We will rebuild,"')
    result = score([[QUOTE]], [first_half], split=False)
    assert figures(result, "content") == (0.0, 0.0, 0.0)
    assert figures(result, "content", "overlap") == (0.5, 0.5, 0.5)  # 6 of 12 tokens
    assert figures(score([[QUOTE]], [QUOTE], split=False), "content") == (1.0, 1.0, 1.0)


def test_each_annotators_file_is_a_document_of_its_own() -> None:
    other_reading = attribution("Officials", "said", "the bridge")
    result = score([[BRIDGE], [other_reading]], [BRIDGE])
    assert figures(result, "content") == (0.5, 0.5, 0.5)  # right for one annotator of two
    assert figures(result, "source") == (1.0, 1.0, 1.0)
    assert result["relation"]["f1"] == 0.5


def test_a_span_shared_by_two_attributions_counts_once() -> None:
    second = attribution("Officials", "said", "was destroyed")
    result = score([[BRIDGE, second]], [BRIDGE])
    assert figures(result, "source") == (1.0, 1.0, 1.0)
    assert figures(result, "content") == (1.0, 0.5, 0.6667)


def test_a_relation_needs_source_cue_and_content_all_exact() -> None:
    no_source = SpanSet(None, (s("said"),), ((s("the bridge was destroyed"),),))
    assert figures(score([[no_source]], [BRIDGE]), "relation") == (0.0, 0.0, 0.0)
    assert figures(score([[no_source]], [no_source]), "relation") == (1.0, 1.0, 1.0)
    wrong_speaker = attribution("the mayor", "said", "the bridge was destroyed")
    result = score([[BRIDGE, QUOTE]], [wrong_speaker, QUOTE])
    assert figures(result, "relation") == (0.5, 0.5, 0.5)
    assert figures(result, "content") == (1.0, 1.0, 1.0)


def test_overlap_pairs_one_to_one_by_best_jaccard() -> None:
    a, b, wide = frozenset({1, 2}), frozenset({3, 4}), frozenset({1, 2, 3})
    assert jaccard(a, wide) == pytest.approx(2 / 3)
    assert pairs([a, b], [wide]) == [(a, wide, pytest.approx(2 / 3))]  # b is left unpaired


def test_nothing_predicted_scores_zero_without_dividing_by_zero() -> None:
    result = score([[BRIDGE]], [])
    assert figures(result, "cue") == (0.0, 0.0, 0.0)
    assert figures(score([[]], []), "relation") == (0.0, 0.0, 0.0)


# -- the command, on two real articles ----------------------------------------------


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "dev"
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    for article in ARTICLES:
        shutil.copyfile(DEV / "text" / f"{article}.txt", folder / "text" / f"{article}.txt")
        for ann in DEV.glob(f"attributions/{article}_*.ann"):
            shutil.copyfile(ann, folder / "attributions" / ann.name)
    return folder


def run(extractor, *args: str):
    return CliRunner().invoke(cli, ["eval", "attribution", *args], obj={"extractor": extractor})


def test_eval_attribution_json_has_the_documented_shape(extractor, gold_dir: Path) -> None:
    result = run(extractor, "--data", str(gold_dir), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for role in ("source", "cue", "content"):
        for measure in ("exact", "overlap"):
            assert set(report[role][measure]) >= {"precision", "recall", "f1"}
            assert all(0 <= v <= 1 for v in report[role][measure].values())
    assert {"precision", "recall", "f1"} <= set(report["relation"])
    assert all(0 <= report["relation"][k] <= 1 for k in ("precision", "recall", "f1"))
    assert (report["protocol"], report["articles"], report["documents"]) == ("cofenet", 2, 7)
    assert report["cue"]["exact"]["f1"] > 0.3  # "said", "told": the common cues are found
    assert "scoring articles: 2/2" in result.stderr


def test_eval_attribution_single_protocol_scores_one_file_per_article(extractor, gold_dir: Path) -> None:
    result = run(extractor, "--data", str(gold_dir), "--json", "--protocol", "single")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents"] == 2


def test_predictions_out_writes_one_brat_pair_per_article(extractor, gold_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "predicted"
    result = run(extractor, "--data", str(gold_dir), "--predictions-out", str(out))
    assert result.exit_code == 0, result.output
    assert "source" in result.stdout and "relation" in result.stdout  # the table
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{a}{suffix}" for a in ARTICLES for suffix in (".ann", ".txt"))
    text = (out / f"{ARTICLES[1]}.txt").read_text(encoding="utf-8")
    assert read_ann(out / f"{ARTICLES[1]}.ann", text).attributions
    # The predictions scored against themselves: a folder laid out like the gold one.
    (out / "text").mkdir()
    (out / "attributions").mkdir()
    for path in list(out.glob("*.*")):
        path.rename(out / ("text" if path.suffix == ".txt" else "attributions") / path.name)
    again = run(extractor, "--data", str(out), "--json")
    report = json.loads(again.stdout)
    assert report["relation"]["f1"] == report["content"]["exact"]["f1"] == 1.0


@pytest.mark.parametrize("layout, problem", [
    ("missing", "not a folder"),
    ("empty", "no text/ folder"),
    ("no-ann", "no .ann files"),
    ("stray-ann", "no text for it"),
])
def test_a_bad_data_folder_is_one_line_naming_it(extractor, tmp_path: Path, layout: str, problem: str) -> None:
    folder = tmp_path / layout
    if layout != "missing":
        folder.mkdir()
    if layout in ("no-ann", "stray-ann"):
        (folder / "text").mkdir()
        (folder / "attributions").mkdir()
    if layout == "stray-ann":
        (folder / "attributions" / "gone_4e07.ann").write_text("T1\tCue 0 4\tsaid\n")
    result = run(extractor, "--data", str(folder))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"claimscope: {folder}") and problem in result.stderr
    assert result.stderr.count("\n") == 1
