#!/usr/bin/env bash
# Install the system packages geoloc needs, only those whose command or data is missing:
# Tesseract with the eng/ukr/rus/bel language data (deu/pol/ces for accented Latin names with
# --lang, kor/jpn/tha/chi_sim/ell/kat/hye/heb/ara for signs in those scripts, bul/srp), the DejaVu
# and WenQuanYi fonts, npm
# (to fetch map assets) and Chromium (for the browser tests).
# Uses apt-get (with sudo when not root).
set -euo pipefail
missing=()
command -v tesseract >/dev/null || missing+=(tesseract-ocr)
langs=$(tesseract --list-langs 2>/dev/null || true)
# deu/pol/ces: accented Latin names (--lang); kor/jpn/tha/chi_sim and ell/kat/hye/heb/ara (Greek,
# Georgian, Armenian, Hebrew, Arabic): lines no pass is sure of are tried with the other scripts'
# models installed here; bul/srp: Bulgarian and Serbian Cyrillic for --lang
for l in eng ukr rus bel deu pol ces kor jpn tha chi_sim ell kat hye heb ara bul srp; do
  grep -qx "$l" <<<"$langs" || missing+=("tesseract-ocr-${l//_/-}")
done
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
# fribidi: Pillow's libraqm lays out the right-to-left Hebrew and Arabic lines the tests draw
ls /usr/lib/*/libfribidi.so.0 >/dev/null 2>&1 || missing+=(libfribidi0)
# a CJK font for the tests that draw Korean, Japanese and Chinese sign names
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
command -v npm >/dev/null || missing+=(npm)
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "setup: this system has no apt-get; install these yourself: ${missing[*]}" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
