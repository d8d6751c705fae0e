#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing and we can (root with apt).
# Where we cannot, says so loudly; the tests then skip, except under CI=true where they fail.
set -u
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null && exit 0
  echo "!!! Could not install chromium with apt-get." >&2
else
  echo "!!! chromium is not installed and this user cannot install it (needs root and apt-get)." >&2
fi
echo "!!! Browser tests will be SKIPPED (and will FAIL under CI=true). Install it with: apt-get install chromium" >&2
exit 0
