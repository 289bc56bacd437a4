"""Demand forecasts, backtests, inventory policy and the catalogue batch job (no Streamlit, nothing runs at import)."""
