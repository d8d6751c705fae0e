"""The Streamlit interface: pages gather input, call the `review` library and show results."""
