import numpy as np
import statsforecast.models
import statsforecast.utils
from scipy.stats import norm
from statsforecast.models import AutoETS

import forecasting.models  # noqa: F401  (installs the memo)


def test_statsforecast_quantiles_are_memoised_with_the_same_numbers():
    for quantiles in (statsforecast.utils._quantiles, statsforecast.models._quantiles):
        assert quantiles.memoised
        z = quantiles(np.array([80, 95]))
        np.testing.assert_allclose(z, norm.ppf([0.9, 0.975]))
        z[0] = 0.0  # the caller's copy: the memo is unchanged
        np.testing.assert_allclose(quantiles(np.array([80, 95])), norm.ppf([0.9, 0.975]))


def test_model_intervals_with_the_memo_are_the_textbook_ones():
    # AutoETS(A,N,N) on a series: interval = ŷ ± z_0.9 · σ_h, z from the memo.
    y = np.array([10.0, 12, 11, 13, 12, 14, 13, 15, 14, 16, 15, 17])
    fc = AutoETS(model="ANN").forecast(y, h=2, level=[80])
    half = fc["hi-80"] - fc["mean"]
    np.testing.assert_allclose(fc["mean"] - fc["lo-80"], half)
    sigma_h = half / norm.ppf(0.9)
    assert np.all(sigma_h > 0) and sigma_h[1] >= sigma_h[0]
