#!/usr/bin/env bash
# Refreshes the README's pictures: the report in an 80-column terminal, as an HTML page and as
# the printed briefing (page 2 of the PDF), and the public status site (its index and one initiative's page, on a wide screen and at 320 px), all
# made from the shipped plans with headless Chromium (Debian package `chromium`).
# Usage: scripts/screenshots.sh   (from the repository root; writes docs/img/*.png)
set -euo pipefail
cd "$(dirname "$0")/.."

command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
command -v pdftoppm >/dev/null || { apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; }
cargo build --release --quiet
bin=target/release/actionplan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export ACTIONPLAN_DB="$work/actionplan.db"
"$bin" load plans/ 2>/dev/null
"$bin" report 2020 --strategy eos --lang nb --format html --output "$work/report.html" 2>/dev/null
"$bin" report 2020 --strategy eos --lang nb --output "$work/report.pdf" 2>/dev/null
COLUMNS=80 "$bin" report 2020 --strategy eos --lang nb --color always | head -n 75 > "$work/terminal.ansi"
# A fixed day, so that the pictures change only when the plans or the pages do.
"$bin" site --out "$work/site" --strategy eos --lang nb --as-of 2022-12-31 2>/dev/null

# The terminal output as a page: ANSI colours become spans on a dark background.
python3 - "$work/terminal.ansi" "$work/terminal.html" <<'PY'
import html, re, sys
colours = {"30": "#555", "31": "#ff6b6b", "32": "#69db7c", "33": "#ffd43b", "34": "#74c0fc",
           "35": "#da77f2", "36": "#66d9e8", "37": "#ddd", "90": "#999", "39": "#eee"}
text = open(sys.argv[1], encoding="utf-8").read()
out, open_span = [], False
for part in re.split(r"(\x1b\[[0-9;]*m)", text):
    m = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
    if not m:
        out.append(html.escape(part))
        continue
    if open_span:
        out.append("</span>")
        open_span = False
    codes = [c for c in m.group(1).split(";") if c]
    # 256-colour codes (38;5;N) for the 16 basic colours, as comfy-table writes them.
    palette = ["#555", "#e03131", "#2f9e44", "#f08c00", "#1c7ed6", "#ae3ec9", "#0c8599", "#ccc",
               "#888", "#ff6b6b", "#69db7c", "#ffd43b", "#74c0fc", "#da77f2", "#66d9e8", "#fff"]
    if codes[:2] == ["38", "5"] and len(codes) > 2 and int(codes[2]) < 16:
        colour = palette[int(codes[2])]
    else:
        colour = next((colours[c] for c in codes if c in colours), None)
    if colour:
        out.append(f'<span style="color:{colour}">')
        open_span = True
if open_span:
    out.append("</span>")
page = ('<!doctype html><meta charset="utf-8"><body style="margin:0;background:#1e1e1e">'
        '<pre style="margin:0;padding:16px;color:#eee;font:13px/1.35 DejaVu Sans Mono,monospace">'
        + "".join(out) + "</pre>")
open(sys.argv[2], "w", encoding="utf-8").write(page)
PY

shot() {
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/profile-$RANDOM" --hide-scrollbars \
        --window-size="$2" --screenshot="$3" "file://$1" 2>/dev/null
}
shot "$work/terminal.html" 700,1120 docs/img/report-terminal.png
# The first page of the briefing, as it prints.
pdftoppm -f 2 -l 2 -r 80 -png -singlefile "$work/report.pdf" docs/img/report-print
shot "$work/report.html" 1100,1500 docs/img/report-html.png
page="initiative/digitaliseringsvennlig-regelverk.html"
shot "$work/site/index.html" 1100,1400 docs/img/site-index.png
shot "$work/site/$page" 1100,1400 docs/img/site-initiative.png
shot "$work/site/index.html" 320,960 docs/img/site-index-320.png
shot "$work/site/$page" 320,960 docs/img/site-initiative-320.png
ls -l docs/img/
