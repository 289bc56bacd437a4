"""Strings of the CSV upload page (数据上传): key -> (English, 简体中文), merged by components.i18n."""

STRINGS: dict[str, tuple[str, str]] = {
    "upload.file": ("CSV file", "CSV 文件"),
    "upload.kind": ("What is in the file?", "文件类型"),
    "upload.kind.orders": ("Order report", "订单报表"),
    "upload.kind.order_items": ("Order lines", "订单明细"),
    "upload.kind.marketing_spend": ("Ad report", "广告报表"),
    "upload.kind.reviews": ("Reviews", "评价数据"),
    "upload.kind.tickets": ("Service tickets", "客服工单"),
    "upload.kind.inventory": ("Inventory snapshot", "库存快照"),
    "upload.kind.traffic": ("Traffic report", "流量报表"),
    "upload.preview": ("Preview", "预览"),
    "upload.analysis": ("Quick analysis", "快速分析"),
    "upload.import": ("Import into the database", "导入数据库"),
    "upload.imported": ("Imported {rows} rows.", "已导入 {rows} 行。"),
    "upload.valid": ("{rows} rows look good.", "{rows} 行数据校验通过。"),
    "upload.rejected_rows": ("{rows} rows were rejected:", "{rows} 行未通过校验："),
    "upload.too_large": ("The file is larger than {max_mb} MB.", "文件超过 {max_mb} MB。"),
    "upload.parse_error": ("Could not read the file as CSV: {reason}", "无法按 CSV 读取该文件：{reason}"),
    "upload.missing_columns": ("Missing columns: {columns}", "缺少列：{columns}"),
    "upload.encoding_hint": (
        "Files from Excel in Chinese are often GBK encoded; both UTF-8 and GBK are accepted.",
        "中文版 Excel 导出的文件通常为 GBK 编码；UTF-8 与 GBK 均可上传。",
    ),
}
