"""Help-desk ticket exports: Zendesk (Views -> export CSV) and Freshdesk (Tickets -> Export)."""

PROFILES = [{
    "id": "zendesk_tickets", "platform": "Zendesk", "kind": "tickets", "label": "a Zendesk tickets export",
    "columns": {"ticket_id": "Id", "status": "Status", "priority": "Priority", "channel": "Via",
                "created_at": "Created at", "resolved_at": "Solved at", "customer_id": "Requester",
                "category": "Type", "csat": "Satisfaction Score"},
    # Zendesk rates a solved ticket Good or Bad ("Offered" / "Unoffered": no answer). CSAT counts 4-5 as
    # satisfied, so Good is stored as 5 and Bad as 1.
    "semantics": {"words": {"csat": {"Good": "5", "Bad": "1", "Offered": None, "Unoffered": None,
                                     "Not offered": None}}},
}, {
    "id": "freshdesk_tickets", "platform": "Freshdesk", "kind": "tickets", "label": "a Freshdesk tickets export",
    "columns": {"ticket_id": "Ticket ID", "status": "Status", "priority": "Priority", "channel": "Source",
                "created_at": "Created time", "resolved_at": "Resolved time", "customer_id": "Contact ID",
                "category": "Type", "first_response_at": "Initial response time"},
}]
