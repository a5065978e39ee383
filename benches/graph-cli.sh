#!/usr/bin/env bash
# Whole-process timings of `actionplan graph` on a database of national size: a generated plan
# of 10,000 initiatives and 25,000 dependencies (300 owners, 12 focus areas, dates on every
# initiative) with four yearly status forms (about 39,000 updates), loaded with the release
# binary. Each command runs 2 times to warm up, then RUNS times (default 20); the median and the
# range of the wall-clock time are printed, in milliseconds. Results are in docs/graph.md.
#
# Usage: benches/graph-cli.sh [RUNS]     (from anywhere; needs python3; builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-20}"
cargo build --release --quiet
bin="$PWD/target/release/actionplan"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The plan: initiative j depends on i only when i < j (so tiltak-00000 is a root much depends
# on); 25,000 distinct dependencies; deterministic (seeded).
python3 - "$work/plan" <<'PY'
import os, random, sys
out = sys.argv[1]
os.makedirs(os.path.join(out, "status"), exist_ok=True)
rng = random.Random(20261124)
N, M, OWNERS, AREAS = 10_000, 25_000, 300, 12
ids = [f"tiltak-{k:05d}" for k in range(N)]
deps = [set() for _ in range(N)]
edges = 0
while edges < M:
    j = rng.randrange(1, N)
    i = rng.randrange(j)
    if i not in deps[j]:
        deps[j].add(i)
        edges += 1
lines = ['[strategy]', 'id = "nasjonal"', 'title = "Generert portefølje"',
         'period = { start = 2020, end = 2030 }', '']
for o in range(OWNERS):
    lines += ['[[organisation]]', f'id = "etat-{o:03d}"', f'name = "Etat {o}"', '']
for a in range(AREAS):
    lines += ['[[focus_area]]', f'id = "omrade-{a:02d}"', f'title = "Område {a}"', 'goal = "Mål."', '']
for k, id_ in enumerate(ids):
    start = 2020 + rng.randrange(5)
    lines += ['[[initiative]]', f'id = "{id_}"', f'title = "Tiltak {k}"',
              f'focus_area = "omrade-{k % AREAS:02d}"', f'owner = "etat-{rng.randrange(OWNERS):03d}"',
              f'start = {start}-{1 + rng.randrange(12):02d}-01',
              f'due = {start + 1 + rng.randrange(5)}-12-31']
    if deps[k]:
        lines.append('depends_on = [' + ', '.join(f'"{ids[d]}"' for d in sorted(deps[k])) + ']')
    lines.append('')
with open(os.path.join(out, "plan.toml"), "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
statuses = ["on-track"] * 5 + ["at-risk", "delayed", "not-started", "completed", "paused"]
for year in range(2021, 2025):
    form = ['[form]', 'strategy = "nasjonal"', f'reported_on = {year}-11-15', '']
    for id_ in ids:
        if rng.random() < 0.97:
            form += ['[[update]]', f'initiative = "{id_}"', f'status = "{rng.choice(statuses)}"', '']
    with open(os.path.join(out, "status", f"{year}.toml"), "w", encoding="utf-8") as f:
        f.write("\n".join(form))
PY

export ACTIONPLAN_DB="$work/actionplan.db"
export NO_COLOR=1
t0=$(date +%s%N)
"$bin" load "$work/plan" >/dev/null
t1=$(date +%s%N)
echo "load: $(( (t1 - t0) / 1000000 )) ms ($(du -h "$ACTIONPLAN_DB" | cut -f1) database)"

# time_cmd LABEL ARGS…: warm-up, then $runs timed runs; prints median and min–max.
time_cmd() {
    local label="$1"
    shift
    "$bin" "$@" >/dev/null
    "$bin" "$@" >/dev/null
    local times=()
    for _ in $(seq "$runs"); do
        local s e
        s=$(date +%s%N)
        "$bin" "$@" >/dev/null
        e=$(date +%s%N)
        times+=($(( (e - s) / 1000 )))
    done
    local sorted
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    local min med max
    min=$(echo "$sorted" | head -n1)
    max=$(echo "$sorted" | tail -n1)
    med=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
    awk -v l="$label" -v a="$med" -v b="$min" -v c="$max" \
        'BEGIN { printf "%-40s %8.1f ms   %7.1f – %-7.1f ms\n", l, a / 1000, b / 1000, c / 1000 }'
}

echo "$runs runs each after 2 warm-ups; wall clock of the whole process"
printf '%-40s %11s   %17s\n' "command" "median" "min – max"
time_cmd "actionplan --version (process start)" --version
time_cmd "graph impact tiltak-00000" graph impact tiltak-00000 --as-of 2024-12-31
time_cmd "graph impact … --format json" graph impact tiltak-00000 --as-of 2024-12-31 --format json
time_cmd "graph order" graph order
time_cmd "graph order --format json" graph order --format json
time_cmd "graph critical-path" graph critical-path
time_cmd "graph check" graph check --as-of 2024-12-31
time_cmd "graph export --format dot" graph export --format dot --as-of 2024-12-31
time_cmd "graph export --format mermaid" graph export --format mermaid --as-of 2024-12-31
