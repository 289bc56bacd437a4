"""Accounts: the credential store (users), its CLI, server-side sessions and login limits."""
