"""Where the reference files live: one resolver for the questionnaires and the reference data.

In a checkout (and an editable install) they are the repository's `questionnaires/` and `data/`
folders; in an installed wheel they are shipped inside the package as `review/_resources/`
(setup.py copies them there when the wheel is built). Every module asks here, never `../data`.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "_resources"
_CHECKOUT = _PACKAGE.parent


def _root(name: str) -> Path:
    bundled = _BUNDLED / name
    return bundled if bundled.is_dir() else _CHECKOUT / name


def questionnaires_dir() -> Path:
    """The folder of questionnaire definitions (one sub-folder per questionnaire)."""
    return _root("questionnaires")


def data_file(*parts: str) -> Path:
    """A reference data file (parties.csv, instruments.yaml, world/...)."""
    return _root("data").joinpath(*parts)
