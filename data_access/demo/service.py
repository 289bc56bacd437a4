"""Customer service: product reviews (worse after late delivery) and support tickets (slower at busy times)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.demo.comments import pick_comments
from data_access.demo.fulfilment import DELIVERED, RETURNED
from data_access.demo.timeline import Timeline
from data_access.demo.util import DAY, choice_rows, ids, timestamps

#: Rating 1..5 probabilities: on time, late by under 3 days, late by 3 days or more, returned.
RATING_P = np.array([[0.02, 0.03, 0.07, 0.28, 0.60], [0.08, 0.12, 0.25, 0.33, 0.22],
                     [0.30, 0.30, 0.22, 0.12, 0.06], [0.25, 0.25, 0.25, 0.15, 0.10]])
TICKET_CHANNELS = np.array(["phone", "chat", "email", "wechat"])
CATEGORIES = np.array(["delivery", "return", "quality", "payment", "inquiry"])
PRIORITIES = np.array(["low", "normal", "high", "urgent"])
#: CSAT 1..5 probabilities by resolution time: within a day, within three days, slower.
CSAT_P = np.array([[0.03, 0.05, 0.12, 0.35, 0.45], [0.08, 0.12, 0.25, 0.35, 0.20], [0.25, 0.25, 0.25, 0.15, 0.10]])


@dataclass
class OrderFacts:
    """What service needs of the final orders (arrays by order row, times in seconds since history start)."""

    order_id: pd.Series
    store_id: pd.Series
    customer_id: pd.Series
    sku: pd.Series  # a product of the order (its first line)
    t: np.ndarray
    status: np.ndarray
    promised: np.ndarray
    delivered: np.ndarray
    partial_return: np.ndarray


def _cdf(p: np.ndarray) -> np.ndarray:
    return np.cumsum(p, axis=-1)


def reviews_frame(rng: np.random.Generator, tl: Timeline, o: OrderFacts, all_skus: pd.Series,
                  all_stores: pd.Series) -> pd.DataFrame:
    """Columns: review_id, order_id, store_id, sku, created_at, rating, nps, comment."""
    pick_rng, time_rng, rate_rng, nps_rng, text_rng, orphan_rng = rng.spawn(6)
    now = tl.n_days * DAY
    late = np.nan_to_num((o.delivered - o.promised) / DAY, nan=0.0)
    returned = o.status == RETURNED
    done = (o.status == DELIVERED) | returned
    p = 0.16 + 0.08 * (late > 0) + 0.06 * returned
    created = o.delivered + time_rng.lognormal(np.log(2.0), 0.7, o.t.size) * DAY
    chosen = np.flatnonzero(done & (pick_rng.random(o.t.size) < p) & (created < now))
    bucket = np.where(returned, 3, np.where(late >= 3, 2, np.where(late > 0, 1, 0)))[chosen]
    rating = 1 + choice_rows(rate_rng, _cdf(RATING_P)[bucket])
    frame = pd.DataFrame({
        "order_id": o.order_id.iloc[chosen].reset_index(drop=True),
        "store_id": o.store_id.iloc[chosen].reset_index(drop=True),
        "sku": o.sku.iloc[chosen].reset_index(drop=True),
        "t": created[chosen], "rating": rating,
        "late": late[chosen] > 0, "returned": returned[chosen],
    })
    # Reviews left on the marketplace page without a matching order (about 2%).
    k = max(3, int(len(frame) * 0.02))
    orphan = pd.DataFrame({
        "order_id": pd.Series([None] * k, dtype="str"),
        "store_id": all_stores.iloc[orphan_rng.integers(0, len(all_stores), k)].reset_index(drop=True),
        "sku": all_skus.iloc[orphan_rng.integers(0, len(all_skus), k)].reset_index(drop=True),
        "t": orphan_rng.uniform(0, now, k), "rating": 1 + choice_rows(orphan_rng, _cdf(RATING_P[[0] * k])),
        "late": np.zeros(k, dtype=bool), "returned": np.zeros(k, dtype=bool),
    })
    frame = pd.concat([frame, orphan], ignore_index=True).sort_values("t", kind="stable", ignore_index=True)
    n = len(frame)
    rating = frame["rating"].to_numpy()
    has_nps = nps_rng.random(n) < 0.3
    nps = np.clip(np.round(2.2 * rating - 1.5 + nps_rng.normal(0, 1.3, n)), 0, 10)
    return pd.DataFrame({
        "review_id": ids("R", n, 7),
        "order_id": frame["order_id"],
        "store_id": frame["store_id"],
        "sku": frame["sku"],
        "created_at": timestamps(frame["t"].to_numpy(), tl.start),
        "rating": rating.astype(np.int64),
        "nps": pd.array(np.where(has_nps, nps, np.nan), dtype="Int64"),
        "comment": pd.array(pick_comments(text_rng, rating, frame["late"].to_numpy(),
                                          frame["returned"].to_numpy()), dtype="str"),
    })
