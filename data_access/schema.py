"""The canonical shop schema, defined once with SQLAlchemy Core and created idempotently.

Long because every table is defined here, in one place (DESIGN.md: the schema is defined once).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

MONEY = sa.Numeric(14, 2)

#: Order statuses, in lifecycle order.
ORDER_STATUSES = ("pending", "paid", "shipped", "delivered", "cancelled", "returned")
#: Statuses whose (non-returned) lines count towards net sales.
SOLD_STATUSES = ("paid", "shipped", "delivered")
#: Order-level orders (no lines) count paid_total - refund_total in these statuses.
ORDER_LEVEL_STATUSES = ("paid", "shipped", "delivered", "returned")

#: GA4-like channel vocabulary extended for Chinese commerce: id -> (English, 中文).
CHANNELS: dict[str, tuple[str, str]] = {
    "direct": ("Direct", "直接访问"),
    "organic_search": ("Organic search", "自然搜索"),
    "paid_search": ("Paid search", "付费搜索"),
    "organic_social": ("Organic social", "自然社交"),
    "paid_social": ("Paid social", "付费社交"),
    "email": ("Email", "邮件"),
    "sms": ("SMS", "短信"),
    "affiliates": ("Affiliates", "联盟推广"),
    "referral": ("Referral", "外部引荐"),
    "display": ("Display", "展示广告"),
    "marketplace": ("Marketplace", "电商平台"),
    "live_stream": ("Live stream", "直播带货"),
    "kol": ("KOL", "达人种草"),
    "offline": ("Offline", "线下门店"),
}

stores = sa.Table(
    "stores",
    metadata,
    sa.Column("store_id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("name_zh", sa.String(200)),
    sa.Column("region", sa.String(100)),
    sa.Column("city", sa.String(100)),
)

products = sa.Table(
    "products",
    metadata,
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    # The product's Chinese name where the catalogue has one (the Chinese UI shows it, else `name`).
    sa.Column("name_zh", sa.String(300)),
    sa.Column("category", sa.String(100)),
    sa.Column("unit_cost", MONEY),
    sa.Column("unit_price", MONEY),
    sa.Column("lead_time_days", sa.Integer),
    sa.Column("supplier", sa.String(200)),
)

customers = sa.Table(
    "customers",
    metadata,
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("first_order_at", sa.DateTime),
    sa.Column("region", sa.String(100)),
    sa.Column("city", sa.String(100)),
    sa.Column("acquisition_channel", sa.String(32)),
)

orders = sa.Table(
    "orders",
    metadata,
    sa.Column("order_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(32), nullable=False),
    sa.Column("customer_id", sa.String(64)),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("campaign_id", sa.String(64)),
    sa.Column("ordered_at", sa.DateTime, nullable=False),
    sa.Column("paid_at", sa.DateTime),
    sa.Column("status", sa.String(16), nullable=False),
    # Order-level totals; authoritative for orders imported without lines.
    sa.Column("paid_total", MONEY),
    sa.Column("refund_total", MONEY),
    sa.Column("region", sa.String(100)),
    sa.Column("promised_at", sa.DateTime),
    sa.Column("shipped_at", sa.DateTime),
    sa.Column("delivered_at", sa.DateTime),
    # The courier that carried the order (as the platform names it: 顺丰速运, Correios, ...) and what shipping
    # cost; both optional (NULL: not shipped, handed over in a store, or the export does not say).
    sa.Column("carrier", sa.String(100)),
    sa.Column("shipping_cost", MONEY),
)
sa.Index("ix_orders_ordered_at", orders.c.ordered_at)
sa.Index("ix_orders_store_ordered", orders.c.store_id, orders.c.ordered_at)
sa.Index("ix_orders_customer", orders.c.customer_id)

order_items = sa.Table(
    "order_items",
    metadata,
    sa.Column("order_id", sa.String(64), primary_key=True),
    sa.Column("line_no", sa.Integer, primary_key=True),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("unit_price", MONEY, nullable=False),
    # Line discount in money (not per unit): line net = quantity * unit_price - discount.
    sa.Column("discount", MONEY, nullable=False, server_default="0"),
    # A returned line is taken out of net sales.
    sa.Column("returned", sa.Boolean, nullable=False, server_default=sa.false()),
)

inventory = sa.Table(
    "inventory",
    metadata,
    sa.Column("snapshot_date", sa.Date, primary_key=True),
    sa.Column("store_id", sa.String(32), primary_key=True),
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("on_hand", sa.Integer, nullable=False),
    sa.Column("on_order", sa.Integer, nullable=False, server_default="0"),
    # When the stock on order is expected (the supplier's promised date of the earliest open order; a late
    # delivery keeps it, so it can be past). NULL: nothing on order, or the data does not say.
    sa.Column("expected_arrival", sa.Date),
)

traffic = sa.Table(
    "traffic",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("store_id", sa.String(32), primary_key=True),
    sa.Column("channel", sa.String(32), primary_key=True),
    sa.Column("sessions", sa.Integer, nullable=False),
    sa.Column("product_views", sa.Integer),
    sa.Column("add_to_carts", sa.Integer),
    sa.Column("checkouts", sa.Integer),
)

# Aggregated platform analytics reports (生意参谋, Shopify/GA4 daily reports, weekly sales per store): one row per
# day (or week: days = 7), store and channel; '' = all channels together (a key column cannot be NULL).
daily_metrics = sa.Table(
    "daily_metrics",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("store_id", sa.String(32), primary_key=True),
    sa.Column("channel", sa.String(32), primary_key=True, server_default=""),
    sa.Column("days", sa.SmallInteger, nullable=False, server_default="1"),
    sa.Column("visitors", sa.BigInteger),
    sa.Column("page_views", sa.BigInteger),
    sa.Column("orders", sa.BigInteger),
    sa.Column("buyers", sa.BigInteger),
    sa.Column("net_sales", MONEY),
    # As the platform reports them (its own definitions); the pages derive their own from the sums.
    sa.Column("conversion_rate", sa.Float),
    sa.Column("aov", MONEY),
)

campaigns = sa.Table(
    "campaigns",
    metadata,
    sa.Column("campaign_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("channel", sa.String(32)),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("end_date", sa.Date, nullable=False),
    sa.Column("budget", MONEY),
    sa.Column("objective", sa.String(100)),
    # Comma-separated store ids the campaign ran in (a local promotion); NULL when it ran shop-wide.
    sa.Column("store_ids", sa.Text),
)

marketing_spend = sa.Table(
    "marketing_spend",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("channel", sa.String(32), primary_key=True),
    # '' marks always-on spend outside any campaign (a key column cannot be NULL).
    sa.Column("campaign_id", sa.String(64), primary_key=True, server_default=""),
    sa.Column("spend", MONEY, nullable=False),
    sa.Column("impressions", sa.BigInteger),
    sa.Column("clicks", sa.BigInteger),
    # Conversions as the ad platform reports them (NULL when unknown; the shop's own orders are the truth).
    sa.Column("conversions", sa.BigInteger),
)

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("review_id", sa.String(64), primary_key=True),
    sa.Column("order_id", sa.String(64)),
    sa.Column("store_id", sa.String(32)),
    sa.Column("sku", sa.String(64)),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("rating", sa.SmallInteger, nullable=False),
    sa.Column("nps", sa.SmallInteger),
    sa.Column("comment", sa.Text),
    sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_reviews_rating"),
    sa.CheckConstraint("nps IS NULL OR nps BETWEEN 0 AND 10", name="ck_reviews_nps"),
)

tickets = sa.Table(
    "tickets",
    metadata,
    sa.Column("ticket_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(32)),
    sa.Column("customer_id", sa.String(64)),
    sa.Column("order_id", sa.String(64)),
    sa.Column("channel", sa.String(32)),
    sa.Column("category", sa.String(64)),
    sa.Column("priority", sa.String(16)),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("first_response_at", sa.DateTime),
    sa.Column("resolved_at", sa.DateTime),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("csat", sa.SmallInteger),
)

listings = sa.Table(
    "listings",
    metadata,
    # One row per item per snapshot of a marketplace's listings (ours and competitors'), issue 14's listings kind.
    sa.Column("observed_at", sa.Date, primary_key=True),
    # Where the snapshot came from (platform or file), so two platforms' item ids never collide.
    sa.Column("source", sa.String(64), primary_key=True),
    sa.Column("item_id", sa.String(64), primary_key=True),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("shop", sa.String(200)),
    sa.Column("brand", sa.String(200)),
    sa.Column("category", sa.String(100)),
    # The search keyword the snapshot was taken for, when the export names it.
    sa.Column("keyword", sa.String(200)),
    sa.Column("price", MONEY, nullable=False),
    # The struck-through price beside a promotion price, when the export has one.
    sa.Column("list_price", MONEY),
    # As the export counts it: per period, or cumulative ("monthly sales", total sold); data_access.market decides.
    sa.Column("sales_count", sa.BigInteger),
    sa.Column("review_count", sa.BigInteger),
    # Our own items: the store that sells it and our SKU (NULL on competitors' items).
    sa.Column("store_id", sa.String(32)),
    sa.Column("sku", sa.String(64)),
)

forecast_runs = sa.Table(
    "forecast_runs",
    metadata,
    sa.Column("run_id", sa.String(64), primary_key=True),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("duration_s", sa.Float),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("n_series", sa.Integer),
    sa.Column("n_failed", sa.Integer),
    sa.Column("params", sa.Text),
    # The batch job (forecasting.batch): last day of history, days forecast, where it ran, and the error that
    # stopped a failed run.
    sa.Column("history_end", sa.Date),
    sa.Column("horizon_days", sa.Integer),
    sa.Column("scheduler", sa.String(200)),
    sa.Column("message", sa.Text),
)

forecasts = sa.Table(
    "forecasts",
    metadata,
    sa.Column("run_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(32), primary_key=True),
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("ds", sa.Date, primary_key=True),
    sa.Column("yhat", sa.Float, nullable=False),
    sa.Column("yhat_lower", sa.Float),
    sa.Column("yhat_upper", sa.Float),
    sa.Column("model", sa.String(32)),
    # Days after the last day of history (1 = the first forecast day), so lead-time sums need no date maths.
    sa.Column("step", sa.Integer),
    # The lead-time demand distribution (forecasting.lead_time): quantiles at 90 / 95 / 97.5 / 99% of the demand
    # summed over steps 1..step, i.e. for a lead time of `step` days. NULL in runs made before they existed.
    sa.Column("cum_q90", sa.Double),
    sa.Column("cum_q95", sa.Double),
    sa.Column("cum_q975", sa.Double),
    sa.Column("cum_q99", sa.Double),
)

# Per store x SKU of a run: the model the backtest chose, its backtest accuracy, and the demand statistics the
# inventory policy needs (forecasting.catalogue), or status 'failed' for a series that was skipped.
forecast_series = sa.Table(
    "forecast_series",
    metadata,
    sa.Column("run_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(32), primary_key=True),
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("model", sa.String(32)),
    sa.Column("mase", sa.Double),
    sa.Column("smape", sa.Double),
    sa.Column("bias", sa.Double),
    sa.Column("coverage", sa.Double),
    # Standard deviation and mean of daily demand over recent in-stock days (stock-out days left out).
    sa.Column("sigma_daily", sa.Double),
    sa.Column("mean_daily", sa.Double),
    sa.Column("censored_days", sa.Integer),
)

# Backtest accuracy of every candidate model per store x SKU of a run (chosen = the one shipped).
forecast_backtests = sa.Table(
    "forecast_backtests",
    metadata,
    sa.Column("run_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(32), primary_key=True),
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("model", sa.String(32), primary_key=True),
    sa.Column("mase", sa.Double),
    sa.Column("smape", sa.Double),
    sa.Column("bias", sa.Double),
    sa.Column("actual_mean", sa.Double),
    sa.Column("coverage", sa.Double),
    sa.Column("n_points", sa.Integer),
    sa.Column("chosen", sa.Boolean),
)

# What failed in a run and was skipped: a category-level fit (key = category) or one store x SKU series.
forecast_failures = sa.Table(
    "forecast_failures",
    metadata,
    sa.Column("run_id", sa.String(64), primary_key=True),
    sa.Column("stage", sa.String(16), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("store_id", sa.String(32)),
    sa.Column("sku", sa.String(64)),
    sa.Column("error", sa.Text),
)

# Shop-wide settings the admin changes in the app (key -> value): the shop's country for the holiday calendar.
shop_settings = sa.Table(
    "shop_settings",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Sequence("audit_log_id_seq"), primary_key=True),
    # Quoted: AT is a reserved word in DuckDB 2.
    sa.Column("at", sa.DateTime, nullable=False, quote=True),
    sa.Column("username", sa.String(100)),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("detail", sa.Text),
    # The browser's address as the server saw it (None: localhost, or written by a CLI).
    sa.Column("client", sa.String(64)),
)

# Server-side login sessions: the cookie carries a random token, the table its sha256, so a stolen table
# row cannot be replayed and ending a row ends the browser's login at its next rerun.
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("sid_hash", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(100), nullable=False, index=True),
    # The user record's session_epoch at login: a password/role/scope change or a re-created user rotates it.
    sa.Column("epoch", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("last_seen_at", sa.DateTime, nullable=False),
    sa.Column("ended_at", sa.DateTime),
    sa.Column("client", sa.String(64)),
)

# Login attempts, reserved before the password is checked so parallel attempts count (accounts.login_limits).
login_attempts = sa.Table(
    "login_attempts",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Sequence("login_attempts_id_seq"), primary_key=True),
    # Quoted: AT is a reserved word in DuckDB 2.
    sa.Column("at", sa.DateTime, nullable=False, quote=True),
    # An HMAC of the typed username, never the text: a password typed there must not be stored.
    sa.Column("user_key", sa.String(64), nullable=False, index=True),
    sa.Column("client", sa.String(64), nullable=False, index=True),
    # pending (being checked), failed, ok, refused
    sa.Column("outcome", sa.String(16), nullable=False),
)

# Column mappings users confirmed on the upload page, reused for the next file with the same header.
ingest_mappings = sa.Table(
    "ingest_mappings",
    metadata,
    # sha256 of the normalised header names (data_access.ingest.mappings.header_signature).
    sa.Column("signature", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    # JSON: {"mapping": {field: column}, "constants": {field: value}, "date_order": "dmy"|"mdy"|null}.
    sa.Column("mapping", sa.Text, nullable=False),
    # JSON list of the header as saved (for the admin's eyes; the signature is what matches).
    sa.Column("header", sa.Text),
    sa.Column("saved_by", sa.String(100)),
    sa.Column("saved_at", sa.DateTime, nullable=False),
)

# Saved views (data_access.accounts.views): a user's named filter sets, as the query parameters of their link.
saved_views = sa.Table(
    "saved_views",
    metadata,
    sa.Column("username", sa.String(100), primary_key=True),
    sa.Column("name", sa.String(80), primary_key=True),
    # The page the view was saved on (its URL path), so its link opens there.
    sa.Column("page", sa.String(64), nullable=False),
    # JSON object of the filter bar's query parameters ({"preset": "last_7_days", "stores": "S01,S02", ...}).
    sa.Column("params", sa.Text, nullable=False),
    sa.Column("saved_at", sa.DateTime, nullable=False),
)

# Background jobs (data_access.jobs): one row per run of a job kind, kept as history across restarts.
jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("job_id", sa.String(40), primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),
    # JSON of the job's parameters (never credentials or file contents).
    sa.Column("params", sa.Text),
    sa.Column("started_by", sa.String(100), nullable=False),
    # Schedule slot "name@fire time" for scheduled runs (how replicas agree a slot ran once); None when run by hand.
    sa.Column("schedule_slot", sa.String(120)),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("progress_done", sa.Integer),
    sa.Column("progress_total", sa.Integer),
    sa.Column("message", sa.Text),
    sa.Column("log", sa.Text),
    sa.Column("error", sa.Text),
    sa.Column("result", sa.Text),
    # host:pid of the process running it, so a restarted process can tell its dead predecessor's jobs.
    sa.Column("owner", sa.String(200)),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("started_at", sa.DateTime),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("heartbeat_at", sa.DateTime),
)
sa.Index("ix_jobs_kind_status", jobs.c.kind, jobs.c.status)
sa.Index("ix_jobs_slot", jobs.c.schedule_slot)

# Demo-only tables: the generator's planted truth, so analyses can be checked against it.
demo_meta = sa.Table(
    "demo_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text),
)

campaign_truth = sa.Table(
    "campaign_truth",
    metadata,
    sa.Column("campaign_id", sa.String(64), primary_key=True),
    sa.Column("channel", sa.String(32), nullable=False),
    # Comma-separated store ids the campaign ran in.
    sa.Column("store_ids", sa.Text, nullable=False),
    # Planted relative lift of the channel's order rate in those stores during the campaign.
    sa.Column("true_channel_lift", sa.Float, nullable=False),
    # Expected extra orders the lift creates (planted, before sampling noise).
    sa.Column("expected_incremental_orders", sa.Float),
    # Orders actually added by the lift (after sampling) and their net sales.
    sa.Column("incremental_orders", sa.Integer),
    sa.Column("incremental_net_sales", sa.Float),
)


#: Kinds of planted demo events (the alert families that should find them).
DEMO_EVENT_KINDS = ("sales", "stock", "service", "marketing", "fulfilment")

# The demo's planted exceptions near the end of its history, so alerts can be checked against them.
demo_events = sa.Table(
    "demo_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.String(16), nullable=False),  # one of DEMO_EVENT_KINDS
    sa.Column("store_id", sa.String(32), nullable=False),
    sa.Column("sku", sa.String(64)),
    sa.Column("day", sa.Date, nullable=False),
    # Short English code: conversion_drop, stockout_soon, ticket_backlog, shipping_stall.
    sa.Column("what", sa.String(64), nullable=False),
)


def create_schema(engine: sa.Engine) -> None:
    """Create every table and index that does not exist yet, and add nullable columns that a newer
    version of this schema has but an existing table lacks (safe to call repeatedly)."""
    # The alert tables live beside their queries and join `metadata` when that module is imported: without this
    # a process that had not imported it (a CLI, a test run alone) made a database with no alerts table.
    from data_access.alerts import queries  # noqa: F401

    metadata.create_all(engine, checkfirst=True)
    add_missing_columns(engine)


def add_missing_columns(engine: sa.Engine) -> list[str]:
    """ALTER TABLE ... ADD COLUMN for each nullable column missing from an existing table; returns "table.column"s.

    Only nullable columns without a server default are added this way: anything else needs a real migration,
    so it is reported by raising instead of being guessed.
    """
    added = []
    preparer = engine.dialect.identifier_preparer
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            # The result's keys name the existing columns (duckdb-engine's inspector fails on DuckDB 2's catalogue).
            present = set(conn.execute(sa.select(sa.text("*")).select_from(table).limit(0)).keys())
            for column in table.columns:
                if column.name in present:
                    continue
                if not column.nullable or column.server_default is not None:
                    raise RuntimeError(f"table {table.name} lacks required column {column.name}: migrate it by hand")
                type_sql = column.type.compile(dialect=engine.dialect)
                # Identifiers come from our own metadata, never from input.
                conn.execute(sa.text(f"ALTER TABLE {preparer.format_table(table)} "
                                     f"ADD COLUMN {preparer.format_column(column)} {type_sql}"))
                added.append(f"{table.name}.{column.name}")
    return added
