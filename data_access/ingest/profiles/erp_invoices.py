"""ERP / accounting invoice-line exports (the layout of the UCI "Online Retail" data and many ERPs): one row per
invoice line; credit notes are invoices whose number starts with C and carry negative quantities."""

PROFILES = [{
    "id": "erp_invoice_lines", "platform": "ERP invoice lines", "kind": "orders",
    "label": "an ERP invoice-line export (credit notes as returns)",
    "columns": {
        "order_id": "InvoiceNo", "sku": "StockCode", "quantity": "Quantity", "ordered_at": "InvoiceDate",
        "unit_price": "UnitPrice", "customer_id": "CustomerID", "region": "Country",
    },
    "semantics": {"paid": "gross", "credit_note_prefix": "C"},
    "defaults": {"channel": "direct", "store_id": "ERP"},
}, {
    "id": "erp_invoice_lines_ii", "platform": "ERP invoice lines", "kind": "orders",
    "label": "an ERP invoice-line export (credit notes as returns)",
    "columns": {
        "order_id": "Invoice", "sku": "StockCode", "quantity": "Quantity", "ordered_at": "InvoiceDate",
        "unit_price": "Price", "customer_id": "Customer ID", "region": "Country",
    },
    "semantics": {"paid": "gross", "credit_note_prefix": "C"},
    "defaults": {"channel": "direct", "store_id": "ERP"},
}]
