"""The workbook's hidden metadata, signed with a secret of the installation.

The metadata says which Party, cycle and questionnaire version a workbook is for, the change
counter it was made at, the rows of each table and a digest of each answer it started from; the
import trusts all of it. A user who edits that very-hidden sheet could otherwise point a workbook
at another Party or make a stale workbook look fresh (and revert a colleague's newer answers). So
the template signs every entry with an HMAC under a key that only the installation holds (made
once, kept in the database's settings, never written into a workbook), and the import refuses a
workbook whose entries do not match their signature.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Mapping

from review import settings
from review.store import Store

SETTING = "workbook_signing_key"
SIGNATURE = "signature"


def installation_key(store: Store) -> bytes:
    """The installation's signing key, made the first time it is needed."""
    found = settings.get(store, SETTING)
    if found is None:
        with store.transaction() as cur:
            row = cur.execute("SELECT value FROM setting WHERE key = ?", [SETTING]).fetchone()
            found = row[0] if row else secrets.token_hex(32)
            if row is None:
                settings.put(cur, SETTING, found)
    return bytes.fromhex(found)


def _message(entries: Mapping[str, str]) -> bytes:
    return json.dumps(sorted((k, v) for k, v in entries.items() if k != SIGNATURE), ensure_ascii=False).encode()


def sign(key: bytes, entries: Mapping[str, str]) -> str:
    """The signature of every entry but the signature itself."""
    return hmac.new(key, _message(entries), hashlib.sha256).hexdigest()


def verify(key: bytes, entries: Mapping[str, str]) -> bool:
    """Whether the entries are exactly those the installation signed."""
    given = entries.get(SIGNATURE)
    return isinstance(given, str) and hmac.compare_digest(given, sign(key, entries))
