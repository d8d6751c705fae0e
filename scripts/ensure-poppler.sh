#!/usr/bin/env bash
# Installs Debian's poppler-utils (pdftoppm) when missing and we can (root with apt):
# scripts/report_screenshot.py turns a report's first PDF page into the guides' picture with it.
# Where we cannot, says so; only that script needs it (the app and the tests do not).
set -u
if command -v pdftoppm >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq --no-install-recommends poppler-utils || { apt-get update -qq && apt-get install -y -qq --no-install-recommends poppler-utils; }; } >/dev/null && exit 0
fi
echo "!!! pdftoppm is missing: scripts/report_screenshot.py cannot draw the report's picture. Install it with: apt-get install poppler-utils" >&2
exit 0
