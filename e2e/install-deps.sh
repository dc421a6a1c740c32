#!/usr/bin/env bash
# What the browser tests (e2e/) need from the system, installed only when missing:
# Debian's chromium (Playwright drives it; no browser download), the Noto CJK
# fonts (Chinese text), a Java runtime (the Nu Html Checker) and npm (axe-core
# and vnu-jar, from package-lock.json). Quick when everything is there.
set -euo pipefail

missing=()
[ -x "${E2E_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
fc-list ':lang=zh' family 2>/dev/null | grep -qi 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(nodejs npm)

if ((${#missing[@]})); then
  echo "Installing ${missing[*]} for the browser tests (apt-get)..."
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
