#!/usr/bin/env bash
# Installs a font with Chinese glyphs (Debian's fonts-droid-fallback) for the PDF reports,
# when it is missing and we can (root with apt). Where we cannot, says so; PDF export then
# refuses with a clear message naming the package.
set -u
font=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
dejavu=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
[ -f "$font" ] && [ -f "$dejavu" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq fonts-droid-fallback fonts-dejavu-core || { apt-get update -qq && apt-get install -y -qq fonts-droid-fallback fonts-dejavu-core; }; } >/dev/null && exit 0
fi
echo "!!! fonts-droid-fallback is not installed: PDF reports with Chinese text will be refused. Install it with: apt-get install fonts-droid-fallback" >&2
exit 0
