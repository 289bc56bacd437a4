"""Bilingual word lists of the demo shop: stores, categories, products, suppliers, campaigns."""

from __future__ import annotations

#: (name, name_zh, region, city, size). Flagships are 3-4x an ordinary store; the first 8 cover every region.
STORES = [
    ("Shanghai Flagship", "上海旗舰店", "East", "Shanghai", 3.6),
    ("Beijing Flagship", "北京旗舰店", "North", "Beijing", 3.1),
    ("Guangzhou Tianhe", "广州天河店", "South", "Guangzhou", 1.5),
    ("Chengdu Chunxi Road", "成都春熙路店", "Southwest", "Chengdu", 1.3),
    ("Wuhan Jianghan", "武汉江汉路店", "Central", "Wuhan", 1.0),
    ("Xi'an Bell Tower", "西安钟楼店", "Northwest", "Xi'an", 0.8),
    ("Hangzhou West Lake", "杭州西湖店", "East", "Hangzhou", 1.4),
    ("Shenzhen Nanshan", "深圳南山店", "South", "Shenzhen", 1.2),
    ("Nanjing Xinjiekou", "南京新街口店", "East", "Nanjing", 1.0),
    ("Chongqing Jiefangbei", "重庆解放碑店", "Southwest", "Chongqing", 0.9),
    ("Tianjin Binjiang", "天津滨江道店", "North", "Tianjin", 0.8),
    ("Suzhou Guanqian", "苏州观前街店", "East", "Suzhou", 0.9),
    ("Changsha Wuyi Square", "长沙五一广场店", "Central", "Changsha", 0.8),
    ("Kunming Nanping", "昆明南屏街店", "Southwest", "Kunming", 0.6),
    ("Lanzhou Zhangye Road", "兰州张掖路店", "Northwest", "Lanzhou", 0.5),
]

#: Other cities of each region where customers live.
REGION_CITIES = {
    "East": ["Shanghai", "Hangzhou", "Nanjing", "Suzhou", "Ningbo", "Hefei", "Wuxi"],
    "North": ["Beijing", "Tianjin", "Shijiazhuang", "Jinan", "Qingdao", "Taiyuan"],
    "South": ["Guangzhou", "Shenzhen", "Dongguan", "Foshan", "Xiamen", "Nanning"],
    "Southwest": ["Chengdu", "Chongqing", "Kunming", "Guiyang"],
    "Central": ["Wuhan", "Changsha", "Zhengzhou", "Nanchang"],
    "Northwest": ["Xi'an", "Lanzhou", "Urumqi", "Yinchuan", "Xining"],
}
REGIONS = list(REGION_CITIES)

#: category -> (demand share, cost share range, extra quantity mean, seasonal amplitude, seasonal peak day of year)
CATEGORIES = {
    "Apparel": (0.20, (0.35, 0.50), 0.20, 0.15, 330),
    "Beauty": (0.18, (0.35, 0.45), 0.20, 0.05, 320),
    "Food & Grocery": (0.17, (0.55, 0.70), 0.60, 0.12, 20),
    "Home": (0.12, (0.45, 0.60), 0.15, 0.05, 280),
    "Electronics": (0.08, (0.60, 0.70), 0.05, 0.08, 310),
    "Baby & Kids": (0.10, (0.45, 0.60), 0.40, 0.03, 150),
    "Sports": (0.08, (0.45, 0.60), 0.15, 0.18, 190),
    "Books": (0.07, (0.50, 0.65), 0.25, 0.10, 245),
}

#: category -> typical price (CNY) of each item below, in the same order.
ITEM_PRICES = {
    "Apparel": [79, 599, 299, 199, 169, 159, 139, 499, 129, 149, 229, 119],
    "Beauty": [229, 129, 99, 269, 69, 39, 59, 299, 45, 79, 89, 119],
    "Food & Grocery": [89, 129, 69, 29.9, 19.9, 89, 59, 15.9, 35, 16.9, 39, 49],
    "Home": [59, 39, 299, 79, 49, 169, 99, 159, 99, 59, 139, 45],
    "Electronics": [399, 129, 999, 299, 89, 399, 99, 49, 129, 1299, 299, 399],
    "Baby & Kids": [129, 39, 89, 199, 159, 69, 79, 69, 49, 99, 129, 29.9],
    "Sports": [129, 499, 259, 39, 69, 59, 229, 149, 599, 79, 49, 169],
    "Books": [89, 59, 99, 69, 25, 49, 169, 45, 79, 35, 59, 45],
}

#: category -> items (English, 中文) and specs (English, 中文); products are item x spec.
PRODUCT_WORDS = {
    "Apparel": (
        [
            ("Cotton T-Shirt", "纯棉T恤"),
            ("Down Jacket", "羽绒服"),
            ("Wool Sweater", "羊毛衫"),
            ("Jeans", "牛仔裤"),
            ("Linen Shirt", "亚麻衬衫"),
            ("Hoodie", "连帽卫衣"),
            ("Pleated Skirt", "百褶裙"),
            ("Trench Coat", "风衣"),
            ("Silk Scarf", "真丝围巾"),
            ("Chino Pants", "休闲裤"),
            ("Knit Cardigan", "针织开衫"),
            ("Polo Shirt", "POLO衫"),
        ],
        [
            ("White M", "白色 M"),
            ("Black L", "黑色 L"),
            ("Navy M", "藏青 M"),
            ("Grey S", "灰色 S"),
            ("Beige L", "米色 L"),
            ("Red M", "红色 M"),
        ],
    ),
    "Beauty": (
        [
            ("Vitamin C Serum", "维C精华"),
            ("Hydrating Toner", "保湿爽肤水"),
            ("Sunscreen SPF50", "防晒霜SPF50"),
            ("Night Cream", "晚霜"),
            ("Cleansing Foam", "洁面泡沫"),
            ("Lip Balm", "润唇膏"),
            ("Sheet Mask", "面膜"),
            ("Eye Cream", "眼霜"),
            ("Hand Cream", "护手霜"),
            ("Micellar Water", "卸妆水"),
            ("Body Lotion", "身体乳"),
            ("Hair Oil", "护发精油"),
        ],
        [
            ("30ml", "30ml"),
            ("50ml", "50ml"),
            ("100ml", "100ml"),
            ("200ml", "200ml"),
            ("Travel Set", "旅行装"),
            ("Gift Box", "礼盒装"),
        ],
    ),
    "Food & Grocery": (
        [
            ("Green Tea", "绿茶"),
            ("Oolong Tea", "乌龙茶"),
            ("Mixed Nuts", "每日坚果"),
            ("Dried Mango", "芒果干"),
            ("Instant Noodles", "方便面"),
            ("Coffee Beans", "咖啡豆"),
            ("Honey", "蜂蜜"),
            ("Rice Crackers", "米饼"),
            ("Sesame Oil", "芝麻油"),
            ("Soy Sauce", "生抽酱油"),
            ("Dark Chocolate", "黑巧克力"),
            ("Goji Berries", "枸杞"),
        ],
        [
            ("250g", "250克"),
            ("500g", "500克"),
            ("1kg", "1千克"),
            ("Pack of 6", "6袋装"),
            ("Gift Box", "礼盒装"),
            ("Family Pack", "家庭装"),
        ],
    ),
    "Home": (
        [
            ("Bath Towel", "浴巾"),
            ("Ceramic Mug", "陶瓷马克杯"),
            ("Bed Sheet Set", "床单四件套"),
            ("Scented Candle", "香薰蜡烛"),
            ("Storage Box", "收纳箱"),
            ("Non-stick Pan", "不粘锅"),
            ("Pillow", "枕头"),
            ("Table Lamp", "台灯"),
            ("Vacuum Flask", "保温杯"),
            ("Cutting Board", "砧板"),
            ("Throw Blanket", "毛毯"),
            ("Laundry Basket", "洗衣篮"),
        ],
        [
            ("Grey", "灰色"),
            ("White", "白色"),
            ("Blue", "蓝色"),
            ("Large", "大号"),
            ("Small", "小号"),
            ("Set of 2", "两件套"),
        ],
    ),
    "Electronics": (
        [
            ("Wireless Earbuds", "无线耳机"),
            ("Power Bank", "充电宝"),
            ("Smart Watch", "智能手表"),
            ("Bluetooth Speaker", "蓝牙音箱"),
            ("USB-C Charger", "USB-C充电器"),
            ("Mechanical Keyboard", "机械键盘"),
            ("Wireless Mouse", "无线鼠标"),
            ("Phone Case", "手机壳"),
            ("Desk Fan", "桌面风扇"),
            ("Air Purifier", "空气净化器"),
            ("Electric Toothbrush", "电动牙刷"),
            ("Hair Dryer", "吹风机"),
        ],
        [
            ("Black", "黑色"),
            ("White", "白色"),
            ("Pro", "Pro版"),
            ("Lite", "轻享版"),
            ("10000mAh", "10000毫安"),
            ("Blue", "蓝色"),
        ],
    ),
    "Baby & Kids": (
        [
            ("Diapers", "纸尿裤"),
            ("Baby Wipes", "婴儿湿巾"),
            ("Feeding Bottle", "奶瓶"),
            ("Building Blocks", "积木"),
            ("Kids Backpack", "儿童书包"),
            ("Baby Lotion", "婴儿润肤乳"),
            ("Plush Toy", "毛绒玩具"),
            ("Kids Raincoat", "儿童雨衣"),
            ("Sippy Cup", "学饮杯"),
            ("Picture Book Set", "绘本套装"),
            ("Baby Blanket", "婴儿毯"),
            ("Teether", "牙胶"),
        ],
        [
            ("Size S", "S码"),
            ("Size M", "M码"),
            ("Size L", "L码"),
            ("Pack of 3", "3件装"),
            ("Pink", "粉色"),
            ("Blue", "蓝色"),
        ],
    ),
    "Sports": (
        [
            ("Yoga Mat", "瑜伽垫"),
            ("Running Shoes", "跑步鞋"),
            ("Dumbbell Set", "哑铃套装"),
            ("Jump Rope", "跳绳"),
            ("Cycling Gloves", "骑行手套"),
            ("Water Bottle", "运动水壶"),
            ("Badminton Racket", "羽毛球拍"),
            ("Sports Bra", "运动内衣"),
            ("Camping Tent", "露营帐篷"),
            ("Swim Goggles", "泳镜"),
            ("Resistance Bands", "弹力带"),
            ("Basketball", "篮球"),
        ],
        [
            ("Black", "黑色"),
            ("Green", "绿色"),
            ("Size 40", "40码"),
            ("Size 42", "42码"),
            ("Pro", "专业款"),
            ("Kids", "儿童款"),
        ],
    ),
    "Books": (
        [
            ("Python Crash Course", "Python编程入门"),
            ("Chinese Cooking", "中式家常菜"),
            ("World History", "世界史"),
            ("Three-Body Problem", "三体"),
            ("Calligraphy Copybook", "书法字帖"),
            ("Travel Guide Yunnan", "云南旅行指南"),
            ("Children's Encyclopedia", "儿童百科全书"),
            ("English Grammar", "英语语法"),
            ("Photography Basics", "摄影入门"),
            ("Tang Poems", "唐诗三百首"),
            ("Investing 101", "投资入门"),
            ("Mindfulness", "正念生活"),
        ],
        [
            ("Paperback", "平装"),
            ("Hardcover", "精装"),
            ("Vol. 1", "第一册"),
            ("Vol. 2", "第二册"),
            ("Box Set", "套装"),
            ("Illustrated", "图文版"),
        ],
    ),
}

#: category -> for each item above (same order), the specs of the category's list that make sense for it
#: (no "Hair Dryer 10000mAh"); a category not listed takes every spec for every item.
ITEM_SPECS = {
    "Beauty": [[0, 1, 5], [2, 3, 4], [1, 2, 4], [1, 5], [2, 3, 4], [5, 4], [5, 4], [0, 5], [0, 1, 2, 5], [2, 3, 4],
               [3, 5], [0, 1, 2]],
    "Food & Grocery": [[0, 4], [0, 4], [0, 1, 3, 4, 5], [0, 1, 3], [3, 5], [0, 1, 2], [0, 1, 4], [3, 5], [0, 1],
                       [1, 5], [0, 3, 4], [0, 1, 4]],
    "Home": [[0, 1, 2, 5], [1, 2, 5], [0, 1, 2], [3, 4, 5], [3, 4, 5], [3, 4], [1, 5], [0, 1], [0, 1, 2], [3, 4],
             [0, 1, 2], [0, 1, 3]],
    "Electronics": [[0, 1, 2, 3, 5], [0, 1, 3, 4], [0, 1, 2, 3], [0, 1, 2, 5], [0, 1, 2], [0, 1, 2, 3], [0, 1, 3, 5],
                    [0, 1, 5], [0, 1, 3], [1, 2, 3], [0, 1, 2, 5], [0, 1, 2, 3]],
    "Baby & Kids": [[0, 1, 2], [3], [4, 5, 3], [3], [4, 5], [3], [4, 5], [0, 1, 2, 4, 5], [4, 5, 3], [3], [4, 5],
                    [4, 5, 3]],
    "Sports": [[0, 1, 4], [2, 3, 5], [0, 4], [0, 1, 4, 5], [0, 1, 5], [0, 1, 5], [0, 4, 5], [0, 1], [1, 4], [0, 4, 5],
               [0, 1, 4], [4, 5]],
}

#: category -> supplier names; each supplier gets its own lead time and reliability.
SUPPLIERS = {
    "Apparel": ["Hangzhou Silkroad Textile Co.", "Guangzhou Baiyun Garment Co.", "Ningbo Seawind Apparel Ltd."],
    "Beauty": ["Shanghai Lumi Cosmetics Co.", "Guangzhou Orchid Biotech Ltd.", "Seoul Glow Trading (Qingdao)"],
    "Food & Grocery": ["Fujian Anxi Tea Co.", "Yunnan Highland Foods Ltd.", "Shandong Golden Harvest Co."],
    "Home": ["Foshan Homely Goods Co.", "Yiwu Daily Living Ltd.", "Jingdezhen Ceramics Works"],
    "Electronics": ["Shenzhen Volt Tech Co.", "Dongguan Soundwave Electronics", "Suzhou SmartGear Ltd."],
    "Baby & Kids": ["Wenzhou Little Star Co.", "Shanghai Tender Care Ltd.", "Yiwu Happy Toys Co."],
    "Sports": ["Xiamen Stride Sports Co.", "Jinjiang Active Gear Ltd.", "Ningbo Outdoor Pro Co."],
    "Books": ["CITIC Press Distribution", "Xinhua Book Supply Co.", "People's Literature Publishing"],
}

#: Campaign name themes (English, 中文) and objectives.
CAMPAIGN_THEMES = [
    ("Refresh Week", "焕新周"),
    ("Fresh Finds", "新鲜好物"),
    ("Smart Buys", "精明之选"),
    ("Gift Picks", "好礼精选"),
    ("New Arrivals", "新品首发"),
    ("Member Week", "会员周"),
    ("Skincare Focus", "护肤专场"),
    ("Home Upgrade", "家居焕新"),
    ("Outdoor Season", "户外季"),
    ("Tea Time", "茶饮时光"),
    ("Gadget Week", "数码周"),
    ("Kids Fun", "童趣节"),
    ("Weekend Flash", "周末闪购"),
    ("Brand Day", "品牌日"),
    ("Fitness Push", "健身季"),
    ("Book Fair", "读书节"),
]
OBJECTIVES = ["acquisition", "conversion", "awareness", "retention"]
