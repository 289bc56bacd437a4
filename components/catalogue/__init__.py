"""Per-area parts of the string catalogue; components.i18n merges them into one STRINGS."""
