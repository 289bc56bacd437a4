"""Listing snapshots: Keepa's Amazon product export (Product Viewer / Product Finder -> Export, one row per ASIN).
The export has no date column: the snapshot day comes from the file name, else the import day."""

PROFILES = [{
    "id": "keepa_listings", "platform": "Keepa (Amazon)", "kind": "listings",
    "label": "a Keepa Amazon product export",
    "columns": {
        "item_id": "ASIN", "title": "Title", "brand": "Brand", "price": "Buy Box: Current",
        "list_price": "List Price: Current", "sales_count": "Bought in past month",
        "review_count": "Reviews: Review Count", "category": "Categories: Root",
    },
    "signature": ("Sales Rank: Current", "Reviews: Rating"),
    "undated": True,
    "defaults": {"source": "amazon"},
}]
