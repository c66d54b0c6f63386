#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright's own download cannot work
# offline). Install it when it is missing and this user may; otherwise say how.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -n "${CONTACTD_TEST_CHROMIUM:-}" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (apt-get install -y chromium)..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
  exit 0
fi
echo "Chromium is not installed: the browser tests will be skipped" \
  "(as root: apt-get install -y chromium; or set CONTACTD_TEST_CHROMIUM to its path)." >&2
