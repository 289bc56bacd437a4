"""Per-SKU sales totals (units, net sales, gross margin, orders), from the source tables or the SKU rollup, shared by
the product rankings, the ABC analysis and the category rollup's key."""

from __future__ import annotations

import sqlalchemy as sa

from data_access.filters import UNCATEGORISED, Filters
from data_access.rollup_tables import sku_daily
from data_access.sales.core import FLOAT, category_condition, rollup_conditions, sales_rows
from data_access.schema import order_items, orders, products

# One expression object for key and label: _product_split reads "label is key" as "no join needed".
CATEGORY_KEY = sa.func.coalesce(products.c.category, UNCATEGORISED)


def product_totals(f: Filters, rollup: bool = False) -> sa.Select:
    """The statement for sold units, net sales, gross margin and orders per SKU (sku, units, net_sales,
    gross_margin, orders), shared by the rankings and the ABC analysis; with `rollup`, from the SKU rollup."""
    if rollup:
        r = sku_daily.c
        stmt = sa.select(
            r.sku,
            sa.cast(sa.func.sum(r.units), sa.BigInteger).label("units"),
            sa.cast(sa.func.sum(r.net_sales), FLOAT).label("net_sales"),
            sa.cast(sa.func.sum(r.costed_sales) - sa.func.sum(r.cogs), FLOAT).label("gross_margin"),
            sa.cast(sa.func.sum(r.orders), sa.BigInteger).label("orders"),
        ).where(*rollup_conditions(f, sku_daily)).group_by(r.sku)
        if f.categories is not None:
            stmt = (stmt.outerjoin(products, products.c.sku == r.sku)
                    .where(category_condition(products.c.category, f.categories)))
        return stmt
    sales = sales_rows(f, {"sku": order_items.c.sku, "order_id": orders.c.order_id}).subquery("s")
    return sa.select(
        sales.c.sku,
        sa.cast(sa.func.sum(sales.c.units), sa.BigInteger).label("units"),
        sa.cast(sa.func.sum(sales.c.net), FLOAT).label("net_sales"),
        sa.cast(sa.func.sum(sales.c.costed) - sa.func.sum(sales.c.cogs), FLOAT).label("gross_margin"),
        sa.cast(sa.func.count(sa.distinct(sales.c.order_id)), sa.BigInteger).label("orders"),
    ).group_by(sales.c.sku)
