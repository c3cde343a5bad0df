#!/usr/bin/env bash
# Debian packages the test suite drives as real clients: LibreOffice (Calc + Writer, UNO),
# poppler (pdftoppm/pdftotext), CJK fonts, and Chromium for the browser tests.
set -euo pipefail
pkgs=(libreoffice-calc-nogui libreoffice-writer-nogui python3-uno poppler-utils
      fonts-noto-cjk fonts-wqy-zenhei chromium)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
# Ubuntu has no apt "chromium" (only a snap wrapper): install what the archive offers and say
# what is left out; the tests that need it are skipped rather than the whole run failing.
available=()
for p in "${missing[@]}"; do
  if apt-cache show "$p" >/dev/null 2>&1; then available+=("$p")
  else echo "not in this system's package archive, its tests will be skipped: $p"; fi
done
[ ${#available[@]} -eq 0 ] && exit 0
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${available[@]}" >/dev/null
