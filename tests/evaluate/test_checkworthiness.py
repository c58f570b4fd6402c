"""Check-worthiness: the lab's ranking figures and F1 on hand-made cases, the trained scorer
loaded offline from the package, and the ``eval checkworthiness`` command's help.

The full evaluation (ClaimBuster, CheckThat) is ``benchmarks/checkworthiness.py``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from claimscope.cli import cli
from claimscope.errors import ModelError, ReadError
from claimscope.evaluate import checkworthiness_figures as figures
from claimscope.nlp.checkworthiness import (
    CheckworthinessScorer, LinearModel, hashed_tfidf, packaged_model_path, shape_features, word_ngrams,
)

SEED = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "000_8a111a524688a94b.txt"


@pytest.mark.parametrize(("ranking", "expected"), [
    ([1, 0, 1, 0], (1 / 1 + 2 / 3) / 2),
    ([0, 0, 0, 1], 1 / 4),
    ([1, 1, 0, 0], 1.0),
    ([0, 0, 0], 0.0),  # no positives: the lab's scorer gives 0
])
def test_average_precision_is_the_mean_precision_at_each_positive(ranking, expected):
    assert figures.average_precision(ranking) == pytest.approx(expected)


def test_precision_at_10_divides_by_10_even_for_a_short_debate():
    assert figures.precision_at([1, 0, 1], 10) == pytest.approx(0.2)
    assert figures.precision_at([1] * 5 + [0] * 10, 10) == pytest.approx(0.5)


def test_ranking_sorts_by_score_and_keeps_line_order_on_ties():
    assert figures.ranked([0.5, 0.9, 0.5, 0.1], [1, 0, 0, 1]) == [0, 1, 0, 1]


def test_map_and_p_at_10_average_the_debates():
    debates = [figures.Debate("a", (1, 2), ("x", "y"), (0, 1)),
               figures.Debate("b", (1, 2, 3), ("x", "y", "z"), (1, 0, 0))]
    result = figures.ranking_figures(debates, [np.array([0.9, 0.1]), np.array([0.8, 0.5, 0.2])])
    assert result["debates"]["a"]["ap"] == pytest.approx(0.5)  # the positive ranked second
    assert result["debates"]["b"]["ap"] == pytest.approx(1.0)
    assert result["map"] == pytest.approx(0.75)
    assert result["p_at_10"] == pytest.approx(0.1)


@pytest.mark.parametrize(("gold", "predicted", "expected"), [
    ([1, 1, 0, 0], [1, 0, 1, 0], 0.5),  # tp 1, fp 1, fn 1
    ([1, 1, 0, 0], [1, 1, 0, 0], 1.0),
    ([1, 0], [0, 0], 0.0),
    ([1, 1, 1, 0], [1, 1, 1, 1], 6 / 7),
])
def test_f1_of_the_positive_class(gold, predicted, expected):
    assert figures.f1_positive(gold, predicted) == pytest.approx(expected)


def test_a_malformed_debate_line_names_the_file_and_line(tmp_path):
    (tmp_path / "debate.tsv").write_text("1\tA\tFine.\t0\n2\tB\tno label here\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"debate\.tsv:2"):
        figures.read_debates(tmp_path)


def test_fitted_weights_score_as_the_learner_did():
    """The run-time features are the training features: a fitted model's logits equal
    scikit-learn's decision function on the design matrix it was fitted on."""
    from claimscope.nlp import checkworthiness_fit as fitting  # scikit-learn: the test extra
    texts = [f"In {1990 + i} the army lost {i * 100} tanks near Kharkiv." for i in range(12)]
    texts += [f"I think we should talk about hope number {i}, don't you?" for i in range(12)]
    labels = [1] * 12 + [0] * 12
    embeddings = np.random.default_rng(0).normal(size=(24, 8)).astype(np.float32)
    model = fitting.fit(texts, labels, embeddings, name="tiny", buckets=2 ** 10)
    logits = model.logits(texts, embeddings)
    assert (logits[:12] > 0).all() and (logits[12:] < 0).all()
    matrix = fitting.features(texts, embeddings, model.word_idf)
    weights = np.concatenate([model.word_weights, model.embedding_weights, model.shape_weights])
    assert np.allclose(logits, matrix @ weights + model.bias, atol=1e-4)


def test_hashed_tfidf_is_l2_normalised_and_counts_repeats():
    idf = np.ones(64)
    index, values = hashed_tfidf(word_ngrams("shelling shelling again"), idf)
    assert np.linalg.norm(values) == pytest.approx(1.0)
    assert len(index) <= 4  # shelling, again, "shelling shelling", "shelling again"
    # digits, number words, year, percent, money, month, capitalised words after the first
    # ("Kyiv", "March": 2 of at most 4), question
    assert shape_features("In 2022, 40% of $5 went to Kyiv in March?").tolist()[1:9] == [1, 0, 1, 1, 1, 1, 0.5, 1]


@pytest.fixture(scope="module")
def scorer() -> CheckworthinessScorer:
    return CheckworthinessScorer.load()


def test_the_packaged_model_loads_offline_and_is_small():
    model = LinearModel.load()
    assert model.name == "checkworthiness-minilm.v3"
    assert packaged_model_path().stat().st_size < 5_000_000
    network = packaged_model_path().parent / model.meta["network"]
    digest, name = (packaged_model_path().parent / "SHA256").read_text().split()
    assert name == network.name and hashlib.sha256(network.read_bytes()).hexdigest() == digest
    assert network.stat().st_size < 50_000_000


def test_a_missing_network_is_a_model_error_naming_it(tmp_path):
    LinearModel.load().save(tmp_path / "model.npz")  # its meta names a network.onnx not copied
    with pytest.raises(ModelError, match="network.onnx"):
        CheckworthinessScorer.load(tmp_path / "model.npz")


def test_trained_scorer_ranks_a_checkable_seed_sentence_above_commentary(scorer):
    text = SEED.read_text(encoding="utf-8")
    checkable = "The capture of Kupyansk was officially confirmed by the Russian Ministry of Defense on November 21st"
    commentary = "The situation in Kupyansk has broader implications for the war’s trajectory."
    assert checkable in text and commentary in text
    high, low = scorer.score_many([checkable, commentary])
    assert 0.0 <= low < high <= 1.0
    assert scorer.score(checkable) == high


def test_eval_checkworthiness_has_help():
    result = CliRunner().invoke(cli, ["eval", "checkworthiness", "--help"])
    assert result.exit_code == 0
    assert "--data" in result.output and "--json" in result.output
