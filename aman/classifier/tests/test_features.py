import numpy as np

from aman.classifier.features import HashingConfig, hash_pairs, linear_scores, vectorize

CONFIG = HashingConfig(bits=20, char_min=2, char_max=5)
# " ab " -> 2-grams " a", "ab", "b "; 3-grams " ab", "ab "; the word "ab".
EXPECTED_AB = [899039, 804835, 486661, 454893, 1016147, 760772]


def test_hashes_are_stable_across_processes_and_releases():
    # The shipped weights depend on these exact buckets: a change here breaks the model.
    rows, buckets = hash_pairs(["ab"], HashingConfig(bits=20, char_min=2, char_max=3, word_bigrams=False))
    assert rows.tolist() == [0, 0, 0, 0, 0, 0]
    assert buckets.tolist() == EXPECTED_AB


def test_rows_are_l2_normalised_and_sorted():
    batch = vectorize(["مرحبا يا صديقي", "hello", ""], CONFIG)
    assert batch.n_rows == 3
    for i in range(3):
        seg = batch.data[batch.indptr[i] : batch.indptr[i + 1]]
        assert len(seg) > 0
        assert abs(float(np.sqrt((seg.astype(np.float64) ** 2).sum())) - 1.0) < 1e-5
        idx = batch.indices[batch.indptr[i] : batch.indptr[i + 1]]
        assert np.all(np.diff(idx) > 0)
    assert batch.indices.max() < CONFIG.n_features


def test_batch_equals_single_texts():
    texts = ["انت حمار", "good morning", "صباح الخير يا جماعة 😂", "a"]
    batch = vectorize(texts, CONFIG)
    for i, t in enumerate(texts):
        one = vectorize([t], CONFIG)
        sl = slice(batch.indptr[i], batch.indptr[i + 1])
        assert np.array_equal(batch.indices[sl], one.indices)
        assert np.allclose(batch.data[sl], one.data)


def test_no_ngram_crosses_text_boundaries():
    # "ab" then "cd": the 2-gram "bc" must not appear in either row.
    both = vectorize(["ab", "cd"], CONFIG)
    bc = vectorize(["bc"], HashingConfig(bits=20, char_min=2, char_max=2, words=False))
    inner = set(bc.indices.tolist())
    assert not inner & set(both.indices.tolist()) - set(vectorize(["ab"], CONFIG).indices.tolist()) - set(
        vectorize(["cd"], CONFIG).indices.tolist()
    )


def test_linear_scores_match_dense_product():
    rng = np.random.default_rng(0)
    cfg = HashingConfig(bits=12)
    texts = ["one text", "another one", "ثالث نص"]
    batch = vectorize(texts, cfg)
    w = rng.normal(size=(cfg.n_features, 3)).astype(np.float32)
    b = np.array([0.1, -0.2, 0.3])
    dense = np.zeros((3, cfg.n_features), np.float32)
    for i in range(3):
        sl = slice(batch.indptr[i], batch.indptr[i + 1])
        dense[i, batch.indices[sl]] = batch.data[sl]
    assert np.allclose(linear_scores(batch, w, b), dense @ w + b, atol=1e-4)


def test_empty_batch():
    batch = vectorize([], CONFIG)
    assert batch.n_rows == 0
    assert linear_scores(batch, np.zeros((CONFIG.n_features, 2), np.float32), np.zeros(2)).shape == (0, 2)
