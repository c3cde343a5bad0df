#!/usr/bin/env bash
# Debian packages the test suite drives as real clients, and the fonts every PDF is set in:
#   LibreOffice Calc + Writer with UNO     .docx/.xlsx -> PDF, workbook inspection, VBA buttons
#   poppler-utils                          pdffonts / pdftotext / pdftoppm
#   texlive-lang-chinese                   the Fandol faces (仿宋, 楷体, 宋体, 黑体; docs/dev/fonts.md)
#   fonts-noto-cjk                         Noto Serif/Sans CJK SC: fallback for characters beyond GB2312
#   fonts-wqy-zenhei                       a second CJK sans for the web workbench screenshots
#   chromium + libatomic1                  the browser tests (Playwright's bundled node driver links libatomic)
# Prints what it installs and apt's own progress; a second run with everything present is silent.
set -euo pipefail
pkgs=(libreoffice-calc-nogui libreoffice-writer-nogui python3-uno poppler-utils
      texlive-lang-chinese fonts-noto-cjk fonts-wqy-zenhei chromium libatomic1)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "需要安装的 Debian 软件包：${missing[*]}"
echo "（首次安装约需下载 300 MB，视网络情况需要几分钟；下面显示 apt 的进度）"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "更新软件包索引（apt-get update）……"
$SUDO apt-get update -q
# Ubuntu has no apt "chromium" (only a snap wrapper): install what the archive offers and say
# what is left out; the tests that need it are skipped rather than the whole run failing.
available=()
for p in "${missing[@]}"; do
  if apt-cache show "$p" >/dev/null 2>&1; then available+=("$p")
  else echo "软件源中没有 $p，需要它的测试将被跳过"; fi
done
[ ${#available[@]} -eq 0 ] && exit 0
echo "安装：${available[*]}"
# -q keeps one line per package downloaded/unpacked/set up: visible progress without apt's
# interactive progress bar (which garbles logs when stdout is not a terminal)
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${available[@]}"
echo "系统软件包已安装。"
