"""Ad platform reports: Google Ads (campaign report), Meta Ads Manager (and its ad-level audience breakdown),
Ocean Engine / Qianchuan (巨量引擎), Alimama (阿里妈妈 万相台/直通车)."""

PROFILES = [{
    "id": "google_ads", "platform": "Google Ads", "kind": "marketing_spend", "label": "a Google Ads campaign report",
    "columns": {"day": "Day", "campaign_id": "Campaign", "impressions": "Impr.", "clicks": "Clicks",
                "spend": "Cost", "conversions": "Conversions"},
    # A downloaded report opens with its name and date range above the header (read.py skips title lines)
    # and ends with "Total: ..." rows that sum the rows above: those are left out.
    "semantics": {"summary_rows": {"field": "day", "prefix": "Total"}},
    "defaults": {"channel": "paid_search"},
}, {
    "id": "meta_ads", "platform": "Meta Ads Manager", "kind": "marketing_spend",
    "label": "a Meta Ads Manager report",
    "columns": {"day": "Reporting starts", "campaign_id": "Campaign name", "impressions": "Impressions",
                "clicks": "Link clicks", "spend": "Amount spent (USD)", "conversions": "Results"},
    "defaults": {"channel": "paid_social"},
}, {
    # One row per ad and audience (age, gender, interest) with no date column: the report's period is not in
    # the file, so its day is a date in the file name, else the day of the import (a default shown on the
    # page and printed by the CLI, to be changed there).
    "id": "meta_ads_breakdown", "platform": "Meta Ads Manager", "kind": "marketing_spend",
    "label": "a Meta Ads audience breakdown report (by age, gender and interest)",
    "columns": {"campaign_id": "xyz_campaign_id", "impressions": "Impressions", "clicks": "Clicks",
                "spend": "Spent", "conversions": "Total_Conversion"},
    "signature": ("ad_id", "fb_campaign_id", "age", "gender", "interest", "Approved_Conversion"),
    "undated": True,
    "defaults": {"channel": "paid_social"},
}, {
    "id": "ocean_engine", "platform": "Ocean Engine / Qianchuan", "kind": "marketing_spend",
    "label": "an Ocean Engine / Qianchuan report (巨量引擎)",
    "columns": {"day": "日期", "campaign_id": "计划名称", "spend": "消耗", "impressions": "展示数",
                "clicks": "点击数", "conversions": "转化数"},
    "defaults": {"channel": "paid_social"},
}, {
    "id": "alimama", "platform": "Alimama", "kind": "marketing_spend", "label": "an Alimama report (阿里妈妈)",
    "columns": {"day": "日期", "campaign_id": "计划名字", "impressions": "展现量", "clicks": "点击量",
                "spend": "花费", "conversions": "总成交笔数"},
    "defaults": {"channel": "paid_search"},
}]
