"""`make run` (Streamlit reading .streamlit/config.toml in a checkout) and `review serve` (an installed
package, no config file: the same settings as flags) serve the app with the same settings, including
the upload limit and the garbage collection after each page run."""

from __future__ import annotations

import tomllib
from pathlib import Path

from review.cli import SERVER_SETTINGS

ROOT = Path(__file__).resolve().parent.parent


def _flat(table: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


def test_review_serve_passes_exactly_the_checkouts_settings():
    config = _flat(tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text()))
    assert config == SERVER_SETTINGS


def test_no_full_collection_after_every_page_run():
    from streamlit import config

    # the option exists under this name in the Streamlit we install (a renamed option would be ignored)
    assert "runner.postScriptGC" in config._config_options_template
    assert SERVER_SETTINGS["runner.postScriptGC"] == "false"
