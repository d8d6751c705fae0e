#!/usr/bin/env bash
# Installs the fonts the PDF reports use, when missing and we can (root with apt): DejaVu Sans
# (Latin, Cyrillic), Noto Naskh Arabic (fonts-noto-core) and Droid Sans Fallback (Chinese).
# Where we cannot, says so; PDF export then refuses with a clear message naming the package.
set -u
fonts="/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"
missing=0
for f in $fonts; do [ -f "$f" ] || missing=1; done
[ "$missing" = 0 ] && exit 0
packages="fonts-droid-fallback fonts-dejavu-core fonts-noto-core"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq $packages || { apt-get update -qq && apt-get install -y -qq $packages; }; } >/dev/null && exit 0
fi
echo "!!! fonts are missing: PDF reports in Chinese or Arabic will be refused. Install them with: apt-get install $packages" >&2
exit 0
