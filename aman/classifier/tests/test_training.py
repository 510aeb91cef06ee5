"""The offensive head's training: NB scaling and the averaged members fold into one linear model.

Synthetic sparse data only; needs scikit-learn (a training-only dependency), skipped without it.
"""

import numpy as np
import pytest

pytest.importorskip("sklearn")
sp = pytest.importorskip("scipy.sparse")

from aman.classifier.training import train as training  # noqa: E402
from aman.classifier.training.corpora import Row  # noqa: E402


def _data(n: int, seed: int):
    rng = np.random.default_rng(seed)
    x = sp.random(n, 40, density=0.2, format="csr", random_state=rng, dtype=np.float64)
    y = (x[:, :5].sum(axis=1).A.ravel() > x[:, 5:10].sum(axis=1).A.ravel()).astype(int)
    return x, y


def test_nb_ratio_favours_features_of_the_positive_class():
    x = sp.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]))
    r = training._nb_ratio(x, np.array([1, 1, 0, 0]))
    assert r[0] > 0 > r[1]
    assert r[0] == pytest.approx(-r[1])


def test_nb_weights_folded_into_raw_features_score_like_the_scaled_model():
    x, y = _data(300, 1)
    coef, bias = training._fit_nb_binary(x, y, np.ones(len(y)), 4.0)
    r = training._nb_ratio(x, y)
    scaled_coef, scaled_bias = training._fit_binary(x @ sp.diags(r), y, np.ones(len(y)), 4.0)
    assert bias == pytest.approx(scaled_bias)
    np.testing.assert_allclose(x @ coef, (x @ sp.diags(r)) @ scaled_coef, rtol=1e-4, atol=1e-5)


def test_offensive_head_is_one_linear_model_that_separates_the_classes():
    x, y = _data(400, 2)
    xv, yv = _data(200, 3)
    sources = ["osact2020_train", "osact2022_train", "aman_examples", "lhsab_levantine"]
    rows = [Row(id=str(i), text="", source=sources[i % 4], split="train", dialect="mixed") for i in range(400)]
    coef, bias = training._fit_offensive(x, y, np.ones(len(y)), rows, xv, yv)
    assert coef.shape == (40,) and np.isfinite(coef).all() and np.isfinite(bias)
    pred = (xv @ coef + bias) > 0
    assert (pred == yv.astype(bool)).mean() > 0.8


def test_cross_validation_scores_every_target_row_out_of_fold():
    from aman.classifier.training.crossval import out_of_fold

    x, y = _data(600, 3)
    noise = np.random.default_rng(4).integers(0, 2, 600)
    w, tweet = np.ones(600), np.ones(600)
    target, others = np.arange(400), np.arange(400, 600)
    learnable = out_of_fold(x, y, w, tweet, target, others, folds=4)
    assert set(learnable) == {"nb", "lr", "pair"}
    assert learnable["pair"] > 80
    # Labels no model can learn: out of fold, the figure stays near chance.
    y_noise = y.copy()
    y_noise[target] = noise[target]
    assert out_of_fold(x, y_noise, w, tweet, target, others, folds=4)["pair"] < 65
