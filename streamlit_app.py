"""Entry point of the web app: `streamlit run streamlit_app.py` (what `make run` does)."""

from app.shell import run

run()
