#!/usr/bin/env bash
# Installs Debian's LibreOffice Calc for the round-trip tests (workbooks re-saved by Calc) when it
# is missing and we can (root with apt). Where we cannot, says so loudly; those tests then skip,
# except under CI=true where they fail.
set -u
if command -v soffice >/dev/null 2>&1 || [ -x /usr/bin/soffice ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's libreoffice-calc for the workbook round-trip tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null && exit 0
  echo "!!! Could not install libreoffice-calc with apt-get." >&2
else
  echo "!!! LibreOffice (soffice) is not installed and this user cannot install it (needs root and apt-get)." >&2
fi
echo "!!! LibreOffice round-trip tests will be SKIPPED (and will FAIL under CI=true)." >&2
echo "!!! Install it with: apt-get install --no-install-recommends libreoffice-calc" >&2
exit 0
