"""The Olist Brazilian e-commerce public dataset's tables (Kaggle "olist_*_dataset.csv"), one file each."""

PROFILES = [{
    "id": "olist_products", "platform": "Olist", "kind": "products", "label": "an Olist products table",
    "columns": {"sku": "product_id", "category": "product_category_name"},
    # Only these two are product fields; the rest (name and description lengths, photo count, weight and
    # dimensions) are measurements, deliberately unmapped.
    "signature": ["product_name_lenght", "product_description_lenght", "product_photos_qty", "product_weight_g"],
}, {
    "id": "olist_reviews", "platform": "Olist", "kind": "reviews", "label": "an Olist order reviews table",
    "columns": {"review_id": "review_id", "order_id": "order_id", "rating": "review_score",
                "comment": "review_comment_message", "created_at": "review_creation_date"},
}]
