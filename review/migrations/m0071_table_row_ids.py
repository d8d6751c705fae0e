"""Every table row gets a stable identity (`values.ROW_ID`), and TA matches move from the row's
place in a sorted list to that identity, so editing one row of a table never moves a decision to
a sibling row."""

from __future__ import annotations

import hashlib
import json

ID = "0071_table_row_ids"
ROW_ID = "_row"


def _ids(submission_id: str, provision_id: str, question_id: str, rows: list) -> list:
    """Rows with an identity made from their place (the same for the same place in every revision)."""
    out = []
    for i, row in enumerate(rows):
        if isinstance(row, dict) and ROW_ID not in row:
            seed = f"{submission_id}/{provision_id}/{question_id}/{i}".encode()
            row = {**row, ROW_ID: hashlib.sha1(seed).hexdigest()[:10]}
        out.append(row)
    return out


def _is_table(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(row, dict) for row in value)


def apply(cur) -> None:
    for table, extra in (("answer", ""), ("revision_answer", ", revision")):
        rows = cur.execute(f"SELECT submission_id, provision_id, question_id{extra}, value FROM {table} "
                           "WHERE value IS NOT NULL AND json_type(value) = 'ARRAY'").fetchall()
        for row in rows:
            value = json.loads(row[-1])
            if not _is_table(value) or all(ROW_ID in r for r in value):
                continue
            where = "submission_id = ? AND provision_id = ? AND question_id = ?" + (" AND revision = ?" if extra else "")
            cur.execute(f"UPDATE {table} SET value = ? WHERE {where}",
                        [json.dumps(_ids(row[0], row[1], row[2], value), ensure_ascii=False), *row[:-1]])
    # matches keyed by a TA need's place among its siblings (by priority, then description): by its row now
    matches = cur.execute("SELECT need_key FROM ta_match WHERE need_key LIKE 'q:%'").fetchall()
    for (key,) in matches:
        parts = key[2:].split("/")
        if len(parts) != 5 or not parts[4].isdigit():
            continue
        cycle, party, provision, kind, n = parts
        found = cur.execute("SELECT value FROM answer WHERE submission_id = ? AND provision_id = ?",
                            [f"{cycle}/{party}", provision]).fetchall()
        siblings = [r for (value,) in found for r in (json.loads(value) if value else []) if isinstance(r, dict)
                    and r.get("type") == kind]
        siblings.sort(key=lambda r: (r.get("priority") is None, r.get("priority") or "",
                                     r.get("description") is None, r.get("description") or ""))
        if 0 < int(n) <= len(siblings) and siblings[int(n) - 1].get(ROW_ID):
            new = f"q:{cycle}/{party}/{provision}/{kind}/{siblings[int(n) - 1][ROW_ID]}"
            cur.execute("UPDATE ta_match SET need_key = ? WHERE need_key = ?", [new, key])
