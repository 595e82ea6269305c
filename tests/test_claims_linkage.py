"""claims.linkage: the bounded clustering behind ``align``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.claims import linkage
from sitroom.claims.linkage import average_linkage, cluster, components, sparse_average_linkage


def _textbook(aff: np.ndarray, threshold: float) -> list[list[int]]:
    """The cubic loop: recompute every mean, merge the first best pair in row order."""
    n = len(aff)
    sums = aff.astype(np.float64).copy()
    np.fill_diagonal(sums, 0.0)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    members = [[i] for i in range(n)]
    while True:
        mean = sums / np.outer(sizes, sizes)
        mask = np.outer(alive, alive)
        np.fill_diagonal(mask, False)
        mean[~mask] = -np.inf
        i, j = np.unravel_index(int(np.argmax(mean)), mean.shape)
        if mean[i, j] < threshold:
            break
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sums[i, i] = 0.0
        sizes[i] += sizes[j]
        alive[j] = False
        sums[j, :] = 0.0
        sums[:, j] = 0.0
        members[i] += members[j]
        members[j] = []
    return [sorted(m) for m in members if m]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(0, 2**31 - 1), st.sampled_from([0.3, 0.5, 0.62, 0.8]))
def test_average_linkage_merges_exactly_as_the_textbook_loop(n: int, seed: int, t: float) -> None:
    rng = np.random.default_rng(seed)
    # clustered points, so that merges chain; rounded so that ties occur
    centres = rng.normal(size=(max(1, n // 4), 8))
    x = centres[rng.integers(0, len(centres), n)] + 0.5 * rng.normal(size=(n, 8))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    aff = np.round(x @ x.T, 2)
    assert average_linkage(aff, t) == _textbook(aff, t)


def test_sparse_average_linkage_agrees_when_every_pair_is_an_edge() -> None:
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(5, 16))
    x = centres[rng.integers(0, 5, 60)] + 0.4 * rng.normal(size=(60, 16))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    aff = x @ x.T
    edges = {(i, j): float(aff[i, j]) for i in range(60) for j in range(i + 1, 60)}
    got = sorted(sparse_average_linkage(list(range(60)), edges, 0.5))
    assert got == sorted(cluster(aff, 0.5))


def test_components_joins_transitively() -> None:
    assert sorted(components(6, [(0, 1), (1, 2), (4, 5)])) == [[0, 1, 2], [3], [4, 5]]


def test_align_above_the_dense_size_keeps_the_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``DENSE_MAX`` units no n x n matrix is made; on a topic of a few clear facts the
    groups are the same."""
    from sitroom.claims import align, find_claims

    texts = [
        "The Taliban captured Herat on Friday, officials said.",
        "Herat fell to the Taliban on Friday, an official said.",
        "Taliban fighters took control of Herat on Friday.",
        "The United States will send 3,000 troops to Kabul airport.",
        "Washington is sending about 3,000 troops to the airport in Kabul.",
        "Floods destroyed 200 homes in the north of the country.",
    ]
    items = [(f"a{k}", f"outlet{k}", f"a{k}", c) for k, t in enumerate(texts)
             for c in find_claims(t)]  # fmt: skip

    def groups() -> list[list[str]]:
        return sorted(sorted(m.claim.text for m in g.members) for g in align(items))

    dense = groups()
    monkeypatch.setattr(linkage, "DENSE_MAX", 0)
    monkeypatch.setattr(linkage, "COMPONENT_MAX", 1)  # every component on its pairs alone
    assert groups() == dense
    assert any(len(g) == 3 for g in dense)
