"""Alert rules, the "why did it change" decomposition and digest delivery. No Streamlit import."""
