"""What a user can read on a page rendered by AppTest: every label, message, option, placeholder,
table header and cell, gathered from the element tree (charts' specs and hidden ids left out)."""

from __future__ import annotations

import json
import math
from typing import Iterator

import pyarrow as pa
from google.protobuf.message import Message

from tests.text_helpers import shown

# proto fields that are not shown as text: ids, keys, file names, chart specs, styling, icons
HIDDEN_FIELDS = {
    "id", "form_id", "spec", "icon", "url", "type", "page_script_hash", "page", "file_name", "mime",
    "data", "column_config", "column_order", "selection_mode", "styler", "vega_lite_chart", "dataset",
    "arrow_data", "theme", "use_container_width", "format", "step", "css_class", "scope", "default",
    "placement", "width", "height", "deprecated", "label_visibility", "color", "delta_description",
    "tooltip", "uuid", "display_values", "editing_mode", "key", "accept_file", "type_name", "html_string",
    "cursor", "selection", "unsafe_allow_html", "body_source", "element_type", "tag", "anchor",
    "deferred_file_id", "ignore_rerun",
}


def _strings(message: Message) -> Iterator[str]:
    for field, value in message.ListFields():
        if field.name in HIDDEN_FIELDS:
            continue
        if field.type not in (field.TYPE_MESSAGE, field.TYPE_STRING):
            continue
        items = [value] if isinstance(value, (str, bytes, Message)) else list(value)
        if field.type == field.TYPE_MESSAGE:
            for item in items:
                yield from _strings(item)
        elif field.type == field.TYPE_STRING:
            yield from (shown(item) for item in items if item)


def _nodes(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _cell(value) -> str | None:
    """A cell's text, None when it is empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value)
    return None if text in ("NaT", "nan", "<NA>", "None") else text


def _table(proto) -> pa.Table:
    """The table as sent to the browser (Arrow keeps a date a date, where pandas would add a time)."""
    data = proto.arrow_data.data
    if not data and proto.HasField("lazy_data"):
        data = proto.lazy_data.initial_chunk.data
    table = pa.ipc.open_stream(data).read_all()
    index = [n for n in table.column_names if n.startswith("__index_level_")]
    return table.drop_columns(index) if index else table


def _headers(proto) -> dict[str, str]:
    """The header each column is shown under (its column_config label, else its name)."""
    try:
        config = json.loads(proto.columns) if proto.columns else {}
    except ValueError:
        return {}
    return {name.removeprefix("col:name:") if isinstance(name, str) else str(name): spec["label"]
            for name, spec in config.items() if isinstance(spec, dict) and spec.get("label")}


def screen_text(app) -> list[str]:
    """Every piece of text on screen, one string per label, message, option or table cell."""
    out: list[str] = []
    for node in _nodes(app._tree):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if kind in ("arrow_data_frame", "dataframe", "table"):
            frame = _table(node.proto)
            empty = node.proto.placeholder if node.proto.HasField("placeholder") else "None"
            headers = _headers(node.proto)
            for column in frame.column_names:
                header = headers.get(str(column), str(column))
                out.append(header)
                # an empty cell reads as the table's placeholder ("None" unless set): named with its column
                out.extend(f"{header}: {empty}" if _cell(v) is None else _cell(v) for v in frame[column].to_pylist())
            continue
        if kind in ("vega_lite_chart", "arrow_vega_lite_chart"):
            continue
        if isinstance(proto, Message):
            out.extend(_strings(proto))
        label = getattr(node, "label", None) if not isinstance(proto, Message) else None
        if isinstance(label, str) and label:
            out.append(label)
    return out
