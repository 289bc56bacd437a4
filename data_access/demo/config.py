"""Scales and the fixed behavioural constants of the demo shop (channels, costs, conversion, customers)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from data_access.schema import CHANNELS

HISTORY_DAYS = 730
#: Days simulated past the history so the stock planner can look ahead over lead times.
LOOKAHEAD_DAYS = 60


@dataclass(frozen=True)
class Scale:
    """Size of a demo shop: stores, catalogue and the expected number of orders over the history."""

    name: str
    n_stores: int
    n_products: int
    target_orders: int


SCALES: dict[str, Scale] = {
    "small": Scale("small", 8, 60, 32_000),
    "default": Scale("default", 12, 400, 1_250_000),
    "large": Scale("large", 15, 500, 5_400_000),
}

CHANNEL_IDS: tuple[str, ...] = tuple(CHANNELS)

#: Channel mix of a customer's first order (acquisition) and of repeat orders (retention-heavy).
_ACQUISITION = {
    "direct": 0.07, "organic_search": 0.10, "paid_search": 0.12, "organic_social": 0.07, "paid_social": 0.11,
    "email": 0.01, "sms": 0.01, "affiliates": 0.04, "referral": 0.04, "display": 0.04, "marketplace": 0.14,
    "live_stream": 0.10, "kol": 0.07, "offline": 0.08,
}
_REPEAT = {
    "direct": 0.20, "organic_search": 0.08, "paid_search": 0.06, "organic_social": 0.05, "paid_social": 0.04,
    "email": 0.11, "sms": 0.07, "affiliates": 0.02, "referral": 0.02, "display": 0.02, "marketplace": 0.15,
    "live_stream": 0.08, "kol": 0.02, "offline": 0.08,
}


def _vector(shares: dict[str, float]) -> np.ndarray:
    values = np.array([shares[c] for c in CHANNEL_IDS], dtype=float)
    return values / values.sum()


ACQUISITION_MIX = _vector(_ACQUISITION)
REPEAT_MIX = _vector(_REPEAT)

#: Orders / sessions by channel (offline: store visitors who buy).
CONVERSION = dict(
    direct=0.042, organic_search=0.028, paid_search=0.034, organic_social=0.012, paid_social=0.016, email=0.05,
    sms=0.04, affiliates=0.03, referral=0.025, display=0.007, marketplace=0.038, live_stream=0.055, kol=0.02,
    offline=0.22,
)

#: Channels that cost money every day: (CPM in CNY, CTR, target ROAS of the always-on spend).
PAID_CHANNELS: dict[str, tuple[float, float, float]] = {
    "paid_search": (55.0, 0.040, 4.0),
    "paid_social": (32.0, 0.012, 3.0),
    "display": (12.0, 0.003, 1.6),
    "affiliates": (18.0, 0.020, 6.5),
    "kol": (70.0, 0.018, 2.6),
    "live_stream": (38.0, 0.030, 3.6),
    "marketplace": (28.0, 0.025, 5.0),
    "email": (2.0, 0.030, 35.0),
    "sms": (45.0, 0.015, 15.0),
}
#: Channels campaigns are run on.
CAMPAIGN_CHANNELS = ("paid_search", "paid_social", "display", "kol", "live_stream", "affiliates")

#: Repeat-purchase process (Pareto/NBD-like): purchase rate ~ Gamma(shape, scale) per ordinary day,
#: dropout rate ~ Gamma(shape, rate), so the lifetime is exponential with a customer-specific mean.
RATE_SHAPE = 0.5
RATE_MEAN = 1 / 120
DROPOUT_SHAPE = 2.0
DROPOUT_RATE = 150.0
#: Share of a customer's orders placed at their home store.
HOME_STORE_SHARE = 0.92
