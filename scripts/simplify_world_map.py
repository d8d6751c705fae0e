"""Derive the map the dashboards draw (`data/world/countries-50m-display.json`) from the vendored
`countries-50m.json`; run again after updating the vendored file (see data/world/README.md)."""

import json

from review.world import DISPLAY_MAP, WORLD_MAP, simplify

source = json.loads(WORLD_MAP.read_text(encoding="utf-8"))
DISPLAY_MAP.write_text(json.dumps(simplify(source), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
print(f"{DISPLAY_MAP}: {DISPLAY_MAP.stat().st_size:,} bytes from {WORLD_MAP.stat().st_size:,}")
