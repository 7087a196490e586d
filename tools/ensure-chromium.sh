#!/usr/bin/env bash
# The console's browser tests drive Debian's Chromium through Playwright (never a
# downloaded browser: this network reaches only the package registries). Installs
# it, and a CJK font so screenshots show Chinese, when missing and we may.
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || needed+=(fonts-noto-cjk)
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "the browser tests need: ${needed[*]} (Debian packages); install them, e.g." >&2
  echo "  sudo apt-get install -y ${needed[*]}" >&2
  exit 1
fi
echo "installing ${needed[*]} for the browser tests"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
