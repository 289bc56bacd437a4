"""The demo's listing snapshots (issue 18): weekly Tmall-style snapshots of our best sellers and the competitors'
items like them, with running-total sales counts (累计销量), price cuts, one promotion and new entrants."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

SNAPSHOTS = 26
SOURCE = "tmall"
OWN_PER_CATEGORY = 3
RIVALS_PER_ITEM = 5
COMPETITOR_SHOPS = ("优品生活旗舰店", "京选官方店", "悦家精选店", "极物研究所", "小鹿优选", "宜居好物馆",
                    "潮流前线旗舰店", "百货甄选店", "新锐国货店", "橙子家居馆")
#: A shop that enters the market in the last weeks of the snapshots.
NEW_SHOP = "星河新品旗舰店"
_WORDS = ("新款", "正品", "包邮", "爆款", "官方", "热卖", "推荐", "升级款", "经典款")


def listings_frame(rng: np.random.Generator, end: date, stores: pd.DataFrame, products: pd.DataFrame,
                   popularity: np.ndarray, snapshots: int = SNAPSHOTS, rivals: int = RIVALS_PER_ITEM) -> pd.DataFrame:
    """Weekly snapshots ending on end: per category our OWN_PER_CATEGORY most popular products (each listed by
    one of our stores) and RIVALS_PER_ITEM competitor items like each, priced around ours. The planted moves:
    the rival most like our top product cuts its price 15% three weeks before the end and its sales jump
    (a promotion that undercuts an A-class item); two items of NEW_SHOP appear in the last 6 weeks. snapshots and
    rivals change the market's size (the benchmark's larger markets)."""
    days = [end - timedelta(days=7 * k) for k in range(snapshots - 1, -1, -1)]
    ranked = products.assign(popularity=popularity).sort_values(["category", "popularity"],
                                                                ascending=[True, False])
    ours = ranked.groupby("category", sort=True).head(OWN_PER_CATEGORY).reset_index(drop=True)
    top = int(ours["popularity"].to_numpy().argmax())
    items = []
    for i, product in enumerate(ours.itertuples()):
        store = stores.iloc[i % len(stores)]
        base_title = product.name_zh
        price = float(product.unit_price)
        items.append(dict(item_id=f"TM{i + 1:04d}", title=f"{store['name_zh']} {base_title} 官方正品",
                          shop=str(store["name_zh"]), brand="本店", category=product.category, price=price,
                          weekly=40 + 400 * float(product.popularity), store_id=str(store["store_id"]),
                          sku=product.sku, first=0, cut=None))
        for r in range(rivals):
            shop = COMPETITOR_SHOPS[int(rng.integers(len(COMPETITOR_SHOPS)))]
            words = " ".join(rng.choice(_WORDS, 2, replace=False))
            rival_price = float(np.round(price * rng.lognormal(0.02, 0.22), 1))
            items.append(dict(item_id=f"TM{i + 1:04d}R{r + 1}", title=f"{base_title} {words}", shop=shop,
                              brand=shop[:2], category=product.category, price=rival_price,
                              weekly=float(rng.gamma(2.0, 60.0)), store_id=None, sku=None, first=0,
                              cut=(snapshots - 3, 0.85) if i == top and r == 0 else None))
        if i == top:
            # The top rival prices above ours until its cut, so the undercut is news when it comes.
            items[-rivals]["price"] = round(price * 1.05, 1)
        if i < 2:
            items.append(dict(item_id=f"TMN{i + 1:03d}", title=f"{base_title} 新品首发", shop=NEW_SHOP,
                              brand="星河", category=product.category, price=round(price * 0.9, 1),
                              weekly=120.0, store_id=None, sku=None, first=snapshots - 6, cut=None))
    rows = []
    for item in items:
        total = float(rng.integers(200, 5000))
        for k, day in enumerate(days):
            price, weekly = item["price"], item["weekly"] * rng.lognormal(0, 0.15)
            if item["cut"] is not None and k >= item["cut"][0]:
                price, weekly = round(price * item["cut"][1], 1), weekly * 2.5
            total += round(weekly)
            if k < item["first"]:
                continue
            rows.append(dict(observed_at=day, source=SOURCE, item_id=item["item_id"], title=item["title"],
                             shop=item["shop"], brand=item["brand"], category=item["category"], keyword=None,
                             price=price, list_price=item["price"] if price < item["price"] else None,
                             sales_count=int(total), review_count=int(total * 0.3), store_id=item["store_id"],
                             sku=item["sku"]))
    frame = pd.DataFrame(rows)
    frame["list_price"] = frame["list_price"].astype(float)
    return frame
