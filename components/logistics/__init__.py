"""The logistics page's parts: pure logic (cards, labels, findings) and its Streamlit sections."""
