"""The MiniLM sentence encoder: the shipped int8 file, vectors that depend on their text alone,
batches bounded by word pieces."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from claimscope.nlp.encoder import SentenceEncoder, _batches, packaged_model_path

TEXTS = [
    "Kyiv said.",
    "The ministry said that Russian forces had captured the village of Robotyne on Tuesday.",
    "",
    ("Putin stated that when Ukrainian forces claimed to have crossed the Dnipro River near "
     "Kherson, they had in fact lost three hundred soldiers and dozens of armoured vehicles, "
     "according to figures the Defence Ministry published the next morning."),
    "Zelenskyy thanked Denmark for the F-16 fighter jets.",
    "He denied it.",
]


@pytest.mark.parametrize("budget", [1, 8, 20, 64])
def test_batches_keep_the_order_and_stay_within_the_budget(budget) -> None:
    lengths = [3, 12, 5, 9, 9, 20, 4]
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    batches = list(_batches(order, lengths, budget))
    assert [i for batch in batches for i in batch] == order
    assert all(len(batch) == 1 or len(batch) * lengths[batch[-1]] <= budget for batch in batches)


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder(threads=1)


def test_the_shipped_network_is_the_file_its_checksum_names() -> None:
    digest, name = (packaged_model_path().parent / "SHA256").read_text().split()
    assert name == packaged_model_path().name
    assert hashlib.sha256(packaged_model_path().read_bytes()).hexdigest() == digest


def test_a_texts_vector_does_not_depend_on_the_texts_beside_it(encoder) -> None:
    together = encoder.encode(TEXTS)
    assert together.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    alone = np.vstack([encoder.encode([text]) for text in TEXTS])
    assert np.array_equal(together, alone)
    shuffled = encoder.encode(TEXTS[::-1] + ["An unrelated sentence about the weather in Odesa."])
    assert np.array_equal(shuffled[:len(TEXTS)][::-1], together)


def test_batched_runs_group_texts_and_keep_their_order() -> None:
    batched = SentenceEncoder(threads=1, batch_tokens=64)
    together = batched.encode(TEXTS)
    alone = np.vstack([batched.encode([text]) for text in TEXTS])
    # int8 activations are scaled per run: batch-mates move a vector a little, never far
    assert (together * alone).sum(axis=1).min() > 0.95


def test_paraphrases_are_nearer_than_unrelated_claims(encoder) -> None:
    a, b, c = encoder.encode(["Russian forces captured Kupyansk, the Defence Ministry said.",
                              "The ministry of defence said Russian troops had taken Kupyansk.",
                              "Zelenskyy thanked Denmark for the F-16 fighter jets."])
    assert a @ b > 0.8 > a @ c
