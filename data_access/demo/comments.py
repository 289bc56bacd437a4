"""Review comments by rating and topic, mostly Chinese with some English, and a picker that matches them."""

from __future__ import annotations

import numpy as np

#: rating bucket -> topic -> (Chinese comments, English comments)
COMMENTS = {
    "good": {
        "general": (
            [
                "质量很好，非常满意！",
                "和描述一致，会回购。",
                "性价比很高，推荐购买。",
                "包装精美，送人很合适。",
                "第二次购买了，一如既往的好。",
                "做工精细，超出预期。",
                "客服态度很好，耐心解答。",
            ],
            [
                "Great quality, very happy.",
                "Exactly as described, will buy again.",
                "Good value for money.",
                "Nicely packed, perfect as a gift.",
            ],
        ),
        "delivery": (
            ["物流很快，第二天就到了。", "发货速度快，包装完好。", "快递小哥很负责，送货上门。"],
            ["Fast delivery, arrived the next day.", "Shipped quickly and well packed."],
        ),
    },
    "mixed": {
        "general": (
            [
                "整体还行，就是价格有点贵。",
                "一般般，没有想象中好。",
                "颜色和图片略有差别。",
                "东西还可以，包装有点简陋。",
                "尺码偏小，建议买大一号。",
            ],
            ["It's okay, a bit pricey.", "Average, not as good as expected.", "Color differs slightly from photos."],
        ),
        "delivery": (
            ["东西不错，就是物流稍慢。", "比承诺的晚到了一天，其他还好。", "快递有点慢，等了好几天。"],
            ["Good product but delivery was slow.", "Arrived a day later than promised."],
        ),
        "quality": (
            ["质量一般，勉强能用。", "有个小瑕疵，不影响使用。"],
            ["Quality is so-so.", "Minor defect, still usable."],
        ),
    },
    "bad": {
        "general": (
            ["非常失望，和描述不符。", "质量太差了，不推荐。", "客服不回复，体验很差。", "用了两天就坏了。"],
            ["Very disappointed, not as described.", "Poor quality, do not recommend.", "Broke after two days."],
        ),
        "delivery": (
            [
                "物流太慢了，催了好几次都没用！",
                "晚了好几天才到，包装还破了。",
                "快递太慢，错过了要用的时间。",
                "说好的三天到，结果等了一周。",
            ],
            [
                "Arrived very late, packaging damaged.",
                "Delivery took a week, way past the promise.",
                "Terrible shipping, had to chase several times.",
            ],
        ),
        "quality": (
            ["收到货有破损，非常不满意。", "质量问题已申请退货。", "有异味，已经退了。", "尺码完全不对，退货了。"],
            ["Item arrived broken, returned it.", "Wrong size, had to return.", "Smells bad, sent it back."],
        ),
    },
}


def _bucket(rating: np.ndarray) -> np.ndarray:
    return np.where(rating >= 4, 0, np.where(rating == 3, 1, 2))


def pick_comments(rng: np.random.Generator, rating: np.ndarray, late: np.ndarray, returned: np.ndarray) -> np.ndarray:
    """A comment per review: about delivery when it was late (or fast and praised), about quality when returned."""
    n = rating.size
    out = np.empty(n, dtype=object)
    bucket = _bucket(rating)
    english = rng.random(n) < 0.15
    topic_draw = rng.random(n)
    word_draw = rng.random(n)
    for b, name in enumerate(("good", "mixed", "bad")):
        topics = COMMENTS[name]
        topic = np.full(n, "general", dtype=object)
        if name == "good":
            topic[topic_draw < 0.3] = "delivery"
        else:
            topic[late & (topic_draw < 0.8)] = "delivery"
            topic[returned & (topic_draw < 0.8)] = "quality"
            if name == "mixed":
                topic[~late & ~returned & (topic_draw < 0.2)] = "quality"
        for tname, (zh, en) in topics.items():
            for lang, pool in ((False, zh), (True, en)):
                mask = (bucket == b) & (topic == tname) & (english == lang)
                idx = np.floor(word_draw[mask] * len(pool)).astype(np.int64)
                out[mask] = np.asarray(pool, dtype=object)[idx]
    return out
