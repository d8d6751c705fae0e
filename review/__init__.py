"""Review of implementation of a UN convention: a plain library, with no user interface in it.

Streamlit pages and the `review` CLI are thin layers over the modules here; every permission
is checked in this package so that no interface can bypass it.
"""

__version__ = "0.1.0"
