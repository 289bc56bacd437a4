"""Help-desk ticket exports: Zendesk (Views -> export CSV) and Freshdesk (Tickets -> Export)."""

PROFILES = [{
    "id": "zendesk_tickets", "platform": "Zendesk", "kind": "tickets", "label": "a Zendesk tickets export",
    "columns": {"ticket_id": "Id", "status": "Status", "priority": "Priority", "channel": "Via",
                "created_at": "Created at", "resolved_at": "Solved at", "customer_id": "Requester",
                "category": "Type", "csat": "Satisfaction Score"},
}, {
    "id": "freshdesk_tickets", "platform": "Freshdesk", "kind": "tickets", "label": "a Freshdesk tickets export",
    "columns": {"ticket_id": "Ticket ID", "status": "Status", "priority": "Priority", "channel": "Source",
                "created_at": "Created time", "resolved_at": "Resolved time", "customer_id": "Contact ID",
                "category": "Type", "first_response_at": "Initial response time"},
}]
