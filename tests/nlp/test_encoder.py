"""The MiniLM sentence encoder: batches bounded by word pieces, vectors independent of them."""

from __future__ import annotations

import numpy as np
import pytest

from claimscope.nlp.encoder import SentenceEncoder, _batches

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


def test_a_texts_vector_does_not_depend_on_its_batch(encoder) -> None:
    together = encoder.encode(TEXTS)
    one_by_one = encoder.encode(TEXTS, batch_tokens=1)
    assert together.shape == (len(TEXTS), 384)
    assert np.array_equal(together, one_by_one)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
