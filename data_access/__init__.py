"""Data access: engine, schema, named queries, ingest, demo data. Imports no Streamlit."""
