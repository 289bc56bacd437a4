"""Review exports: Amazon customer reviews (the public review datasets' columns), Trustpilot, Taobao 评价."""

PROFILES = [{
    "id": "amazon_reviews", "platform": "Amazon reviews", "kind": "reviews",
    "label": "an Amazon reviews export",
    "columns": {"review_id": "review_id", "sku": "product_id", "rating": "star_rating",
                "comment": "review_body", "created_at": "review_date"},
}, {
    "id": "trustpilot_reviews", "platform": "Trustpilot", "kind": "reviews",
    "label": "a Trustpilot reviews export",
    "columns": {"review_id": "Review ID", "created_at": "Review Created (UTC)", "rating": "Review Stars",
                "comment": "Review Content", "order_id": "Reference Id"},
}, {
    "id": "taobao_reviews", "platform": "Taobao/Tmall", "kind": "reviews",
    "label": "a Taobao/Tmall review export (评价)",
    "columns": {"review_id": "评价ID", "order_id": "订单编号", "sku": "宝贝ID", "rating": "评分",
                "comment": "评价内容", "created_at": "评价时间"},
}]
