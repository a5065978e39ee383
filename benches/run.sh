#!/usr/bin/env bash
# Whole-process benchmarks of actionplan on a generated national portfolio, side by side with
# yardsticks on the same machine and the same data: SQLite's own bulk import of the same update
# rows, twice (into a plain table with one index on (initiative, date): the floor a user cares
# about, storing the same rows queryably; and into a table that carries our schema's
# constraints and indexes), and Taskwarrior on the same initiatives and dependencies. Not part
# of `cargo test` or CI (CI runs `--smoke` once, to keep it working).
#
#   bash benches/run.sh [--sizes 1000,10000,100000] [--runs 5] [--profile default|strained]
#                       [--year YEAR] [--smoke] [--no-taskwarrior] [--taskwarrior-max 10000]
#                       [--no-build] [--xlsx [N]] [--out DIR]
#
# --sizes          numbers of initiatives (each gets 5–10 years of quarterly updates);
#                  default 1000,10000,100000
# --runs           runs per command (the table shows the median and min–max)
# --profile        the workload's status history (benches/workload/generate.py): default, or
#                  strained (about a quarter delayed or at risk: on-track 68 %, at-risk 16 %,
#                  delayed 12 %, completed 4 % of the active initiatives at the end of --year).
#                  Each profile has its own workload, database and results folders
# --year           the year of `report` and `missing` (default 2025, the last full year of the
#                  generated history; 2024 with --profile strained, the year it is shaped for)
# --smoke          a quick pass for CI (with --sizes 1000 --runs 1): no Taskwarrior
# --no-taskwarrior skip the Taskwarrior yardstick (it is slow: `task blocked` takes minutes at 10k)
# --taskwarrior-max N  only run Taskwarrior for sizes up to N (default 10000: its `task blocked`
#                  grows with the square of the size, hours at 100k)
# --no-build       use target/dist/actionplan as it is (the benchmarks measure the `dist` profile,
#                  what `cargo install --profile dist` and releases build)
# --binary PATH    measure that binary instead, not building (CI: the release build)
# --xlsx [N]       also the spreadsheet step (optional, separate): `load` and `check` of N
#                  workbooks of 40 rows each (default 1000) against the same forms as TOML, into
#                  the plan of the smallest size; alone with --sizes 1000 --xlsx --no-taskwarrior
# --out DIR        where workloads, databases and results go (default target/bench, or
#                  target/bench-smoke with --smoke, so that CI never clobbers a real run)
#
# Results go to target/bench/ (see --out): the workloads, the databases, hyperfine's JSON per
# command, the peak memory per command, the size of each report's output and of the databases,
# and results/summary.md (the tables docs/performance.md quotes); with --profile strained,
# workload-strained-N/, db-strained-N/ and results-strained/.
set -euo pipefail
cd "$(dirname "$0")/.."
# The repository's actionplan.toml makes `eos` and bokmål the defaults here; the generated
# databases hold the one strategy `nasjonal`, and the timings are of English output as before.
export ACTIONPLAN_STRATEGY=nasjonal ACTIONPLAN_LANG=en
ROOT=$PWD

SIZES=1000,10000,100000
RUNS=5
SMOKE=0
TASKWARRIOR=1
TASKWARRIOR_MAX=10000
BUILD=1
BINARY=target/dist/actionplan
OUT=
XLSX=0
PROFILE=default
YEAR=
while [ $# -gt 0 ]; do
    case "$1" in
        --xlsx)
            XLSX=1000
            if [[ ${2:-} =~ ^[0-9]+$ ]]; then XLSX=$2; shift; fi
            shift ;;
        --sizes) SIZES=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --profile) PROFILE=$2; shift 2 ;;
        --year) YEAR=$2; shift 2 ;;
        --smoke) SMOKE=1; TASKWARRIOR=0; shift ;;
        --no-taskwarrior) TASKWARRIOR=0; shift ;;
        --taskwarrior-max) TASKWARRIOR_MAX=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --binary) BINARY=$2; BUILD=0; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "benches/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

case "$PROFILE" in
    default) TAG= ; : "${YEAR:=2025}" ;;
    strained) TAG=strained- ; : "${YEAR:=2024}" ;;
    *) echo "benches/run.sh: unknown profile $PROFILE (default or strained)" >&2; exit 2 ;;
esac
GEN_ARGS=(--profile "$PROFILE")
[ "$PROFILE" = default ] || GEN_ARGS+=(--report-year "$YEAR")

# --- tools -------------------------------------------------------------------------------------
need=()
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
if [ "$TASKWARRIOR" = 1 ] && ! command -v task >/dev/null 2>&1; then need+=(taskwarrior); fi
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}" >&2
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; }; then
        echo "warning: could not install ${need[*]}; falling back where possible" >&2
    fi
fi
HYPERFINE=0
command -v hyperfine >/dev/null 2>&1 && HYPERFINE=1
if [ "$TASKWARRIOR" = 1 ] && ! command -v task >/dev/null 2>&1; then
    echo "warning: Taskwarrior is not installed; skipping it" >&2
    TASKWARRIOR=0
fi
command -v sqlite3 >/dev/null 2>&1 || { echo "benches/run.sh: sqlite3 is needed" >&2; exit 1; }

if [ "$BUILD" = 1 ]; then
    cargo build --profile dist --quiet
fi
[ -x "$BINARY" ] || { echo "benches/run.sh: no $BINARY (run cargo build --profile dist)" >&2; exit 1; }
if [ -z "$OUT" ]; then
    if [ "$SMOKE" = 1 ]; then OUT=$ROOT/target/bench-smoke; else OUT=$ROOT/target/bench; fi
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# A copy, so that a rebuild while the benchmarks run cannot change what is measured.
cp "$BINARY" "$OUT/actionplan"
BIN=$OUT/actionplan
RES=$OUT/results${TAG:+-$PROFILE}
rm -rf "$RES"
mkdir -p "$RES"
: > "$RES/memory.tsv"
: > "$RES/notes.tsv"
: > "$RES/sizes.tsv"

# --- measuring -----------------------------------------------------------------------------------
# bench NAME PREPARE COMMAND: RUNS timed runs of COMMAND (PREPARE before each, untimed), as
# hyperfine JSON in $RES/NAME.json; then one more run under /usr/bin/time for the peak memory.
bench() {
    local name=$1 prepare=$2 cmd=$3 runs=${4:-$RUNS}
    echo "== $name" >&2
    if [ "$HYPERFINE" = 1 ]; then
        hyperfine --style basic --runs "$runs" --prepare "$prepare" --export-json "$RES/$name.json" \
            --command-name "$name" "$cmd" >&2
    else
        local times=() t0 t1
        for _ in $(seq "$runs"); do
            bash -c "$prepare"
            t0=$(date +%s%N)
            bash -c "$cmd" >/dev/null
            t1=$(date +%s%N)
            times+=("$(( (t1 - t0) / 1000 ))")
        done
        python3 - "$RES/$name.json" "$name" "${times[@]}" <<'PY'
import json, sys
path, name, *us = sys.argv[1:]
json.dump({"results": [{"command": name, "times": [int(u) / 1e6 for u in us]}]}, open(path, "w"))
PY
    fi
    # (Not for Taskwarrior: its memory is not the question, and `task blocked` takes minutes.)
    if [ -x /usr/bin/time ] && [[ $name != task-* ]]; then
        bash -c "$prepare"
        /usr/bin/time -f "%M" -o "$RES/$name.mem" bash -c "exec $cmd" >/dev/null 2>&1 || true
        printf '%s\t%s\n' "$name" "$(tail -n 1 "$RES/$name.mem")" >> "$RES/memory.tsv"
    fi
}

# memory_only NAME COMMAND: one run of COMMAND under /usr/bin/time, for its peak memory only.
memory_only() {
    echo "== $1 (memory)" >&2
    [ -x /usr/bin/time ] || return 0
    /usr/bin/time -f "%M" -o "$RES/$1.mem" bash -c "exec $2" >/dev/null 2>&1 || true
    printf '%s\t%s\n' "$1" "$(tail -n 1 "$RES/$1.mem")" >> "$RES/memory.tsv"
}

note() { printf '%s\t%s\n' "$1" "$2" >> "$RES/notes.tsv"; echo "-- $1: $2" >&2; }

# record_size NAME BYTES: a size in bytes for the summary (reports' output, databases, inputs).
record_size() { printf '%s\t%s\n' "$1" "$2" >> "$RES/sizes.tsv"; echo "-- $1: $2 bytes" >&2; }

# The bytes of a SQLite database with its WAL, if one is left.
db_bytes() { cat "$1" "$1-wal" 2>/dev/null | wc -c; }

# A cached workload is used when it is newer than generate.py and of this profile and year.
workload_ok() {
    [ -f "$1/meta.json" ] && [ ! "$1/meta.json" -ot benches/workload/generate.py ] \
        && python3 - "$1/meta.json" "$PROFILE" "$YEAR" <<'PY'
import json, sys
meta, profile, year = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
same = meta.get("profile", "default") == profile and (profile == "default" or meta.get("report_year") == year)
sys.exit(0 if same else 1)
PY
}

has_graph_verb() { "$BIN" graph --help 2>/dev/null | grep -qE "^  $1( |$)"; }

# --- the shipped real plan -----------------------------------------------------------------------
REAL=$OUT/real
mkdir -p "$REAL"
rm -f "$REAL"/real.db*
"$BIN" --db "$REAL/real.db" load plans/ >/dev/null
bench real-report-2020 "true" "$BIN --db $REAL/real.db report 2020 --strategy eos --format table"

# --- per size ------------------------------------------------------------------------------------
note profile "$PROFILE"
note year "$YEAR"
IFS=, read -r -a sizes <<< "$SIZES"
for n in "${sizes[@]}"; do
    WL=$OUT/workload-$TAG$n
    if ! workload_ok "$WL"; then
        echo "generating the workload for $n initiatives ($PROFILE profile)" >&2
        rm -rf "$WL"
        python3 benches/workload/generate.py --initiatives "$n" --out "$WL" "${GEN_ARGS[@]}" >&2
    fi
    root=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["root"])' "$WL/meta.json")
    note "workload-$n" "$(tr -d '\n ' < "$WL/meta.json")"
    DB=$OUT/db-$TAG$n
    mkdir -p "$DB"

    # Load the plan, then all forms into it: each run on a fresh copy.
    bench "load-plan-$n" "rm -f $DB/run.db $DB/run.db-wal $DB/run.db-shm" \
        "$BIN --db $DB/run.db load $WL/plan/plan.toml"
    rm -f "$DB"/plan.db*
    "$BIN" --db "$DB/plan.db" load "$WL/plan/plan.toml" >/dev/null
    bench "load-forms-$n" "cp $DB/plan.db $DB/run.db && rm -f $DB/run.db-wal $DB/run.db-shm" \
        "$BIN --db $DB/run.db load $WL/plan/status"
    rm -f "$DB"/full.db*
    cp "$DB/plan.db" "$DB/full.db"
    "$BIN" --db "$DB/full.db" load "$WL/plan/status" "$WL/plan/indicators.csv" >/dev/null
    # The plan and every form into an empty database in one `load` (what the plain floor below
    # is the floor of), and the database it leaves beside the TOML it was loaded from.
    bench "load-all-$n" "rm -f $DB/run.db $DB/run.db-wal $DB/run.db-shm" \
        "$BIN --db $DB/run.db load $WL/plan/plan.toml $WL/plan/status"
    record_size "db-load-all-$n" "$(db_bytes "$DB/run.db")"
    record_size "toml-$n" "$(cat "$WL/plan/plan.toml" "$WL/plan/status"/*.toml | wc -c)"
    record_size "csv-$n" "$(wc -c < "$WL/updates.csv")"

    # Reads over the full database; and the size of each report's output (one more run, kept
    # in the database's folder), with the shares of the statuses the report counts.
    for fmt in json html table markdown; do
        bench "report-$fmt-$n" "true" "$BIN --db $DB/full.db report $YEAR --format $fmt"
        "$BIN" --db "$DB/full.db" report "$YEAR" --format "$fmt" > "$DB/report.$fmt"
        record_size "report-$fmt-$n" "$(wc -c < "$DB/report.$fmt")"
    done
    note "statuses-$n" "$(python3 - "$DB/report.json" <<'PY'
import json, sys
try:
    totals = json.load(open(sys.argv[1]))["totals"]
except (ValueError, KeyError, TypeError):
    sys.exit(print("no totals in the JSON report"))
active = sum(totals.values())
print(f"the latest status of the {active:,} active initiatives: " + ", ".join(
    f"{k} {100 * v / active:.1f} %" for k, v in sorted(totals.items(), key=lambda kv: -kv[1]) if v))
PY
)"
    if has_graph_verb impact; then
        bench "graph-impact-$n" "true" "$BIN --db $DB/full.db graph impact $root --format json"
    else
        note "graph-impact-$n" "not built"
    fi
    for verb in order critical-path; do
        if has_graph_verb "$verb"; then
            bench "graph-$verb-$n" "true" "$BIN --db $DB/full.db graph $verb --format json"
        else
            note "graph-$verb-$n" "not built"
        fi
    done
    bench "missing-$n" "true" "$BIN --db $DB/full.db missing $YEAR --format json"
    bench "export-$n" "true" "$BIN --db $DB/full.db export"
    # The memory target is for every verb: the others once each, peak memory only.
    SCRATCH=$DB/scratch
    for spec in \
        "check|check $WL/plan/plan.toml $WL/plan/status" \
        "report-csv|report $YEAR --format csv" \
        "lint|lint $YEAR" \
        "diff|diff $((YEAR - 1)) $YEAR" \
        "forms|forms $((YEAR + 1)) --out $SCRATCH" \
        "site|site --out $SCRATCH" \
        "initiative-list|initiative list" \
        "initiative-show|initiative show $root" \
        "status-history|status history $root" \
        "graph-check|graph check" \
        "graph-export|graph export" \
        "indicator-list|indicator list" \
        "backup|backup $SCRATCH/backup.db"; do
        rm -rf "$SCRATCH"
        mkdir -p "$SCRATCH"
        memory_only "${spec%%|*}-$n" "$BIN --db $DB/full.db ${spec#*|}"
    done
    rm -rf "$SCRATCH"

    # The plain floor: the same update rows (the same CSV), bulk-imported by the sqlite3 CLI in
    # one transaction into a plain table (the same columns, no types enforced, no constraints)
    # with one index on (initiative, date), with our pragmas: storing the same rows queryably.
    {
        echo "PRAGMA journal_mode = WAL;"
        echo "PRAGMA synchronous = NORMAL;"
        echo "PRAGMA cache_size = -65536;"
        echo "CREATE TABLE status_update (id INTEGER PRIMARY KEY, strategy_id TEXT, initiative_id TEXT,"
        echo "    reported_on TEXT, status TEXT, progress INTEGER, summary TEXT, description TEXT,"
        echo "    success_factors TEXT, challenges TEXT, lessons TEXT, next_year TEXT, respondent TEXT,"
        echo "    source_id INTEGER, fingerprint TEXT);"
        echo "CREATE INDEX status_update_by_initiative ON status_update(initiative_id, reported_on);"
        echo "BEGIN;"
        echo ".import --csv --skip 1 $WL/updates.csv status_update"
        echo "COMMIT;"
    } > "$DB/plain.sql"
    bench "sqlite-plain-$n" "rm -f $DB/plain.db $DB/plain.db-wal $DB/plain.db-shm" \
        "sqlite3 $DB/plain.db < $DB/plain.sql"
    record_size "db-sqlite-plain-$n" "$(db_bytes "$DB/plain.db")"

    # Yardstick: the same update rows imported into our schema: a table with status_update's
    # columns, constraints and indexes (the covering one by initiative, as the database has it), with
    # our pragmas. It rises with every index we add, so it is no floor for the write path.
    # (Without the foreign keys: the raw table has no plan to point at.)
    sed -n '/^CREATE TABLE status_update/,/^) STRICT;/p' migrations/0001_init.sql \
        | sed -e 's/ REFERENCES source(id)//' -e '/FOREIGN KEY/d' \
        | perl -0pe 's/,([ \t]*(--[^\n]*)?\n\) STRICT;)/$1/' > "$DB/raw-schema.sql"
    {
        echo "PRAGMA journal_mode = WAL;"
        echo "PRAGMA synchronous = NORMAL;"
        echo "PRAGMA cache_size = -65536;"
        cat "$DB/raw-schema.sql"
        # The indexes as the migrations leave them (a later migration may replace one).
        sqlite3 "$DB/plan.db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'status_update' AND sql IS NOT NULL ORDER BY name"
        echo "BEGIN;"
        echo ".import --csv --skip 1 $WL/updates.csv status_update"
        echo "COMMIT;"
    } > "$DB/raw.sql"
    bench "sqlite-import-$n" "rm -f $DB/raw.db $DB/raw.db-wal $DB/raw.db-shm" \
        "sqlite3 $DB/raw.db < $DB/raw.sql"
    record_size "db-sqlite-import-$n" "$(db_bytes "$DB/raw.db")"
    rows=$(sqlite3 "$DB/raw.db" "SELECT count(*) FROM status_update")
    plain=$(sqlite3 "$DB/plain.db" "SELECT count(*) FROM status_update")
    ours=$("$BIN" --db "$DB/full.db" export | python3 -c 'import json,sys; print(sum(len(s["updates"]) for s in json.load(sys.stdin)["strategies"]))')
    note "rows-$n" "sqlite (our schema)=$rows sqlite (plain)=$plain actionplan=$ours"

    # Yardstick 2: Taskwarrior, on the same initiatives and dependencies, in a private TASKRC.
    if [ "$TASKWARRIOR" = 1 ] && [ "$n" -gt "$TASKWARRIOR_MAX" ]; then
        note "task-import-$n" "not run (over --taskwarrior-max $TASKWARRIOR_MAX)"
        note "task-blocked-$n" "not run (over --taskwarrior-max $TASKWARRIOR_MAX)"
    elif [ "$TASKWARRIOR" = 1 ]; then
        TW=$OUT/taskwarrior-$TAG$n
        rm -rf "$TW"
        mkdir -p "$TW/data"
        {
            echo "data.location=$TW/data"
            echo "confirmation=off"
            echo "verbose=nothing"
            echo "hooks=off"
            echo "recurrence=off"
            echo "gc=off"
        } > "$TW/taskrc"
        task="env TASKRC=$TW/taskrc TASKDATA=$TW/data task rc.confirmation=off rc.verbose=nothing"
        bench "task-import-$n" "rm -rf $TW/data && mkdir -p $TW/data" "$task import $WL/tasks.json"
        $task import "$WL/tasks.json" >/dev/null 2>&1
        bench "task-blocked-$n" "true" "$task blocked"
        note "task-count-$n" "$($task count) tasks, $($task +BLOCKED count) blocked"
    fi
done

# --- spreadsheet forms (optional) ----------------------------------------------------------------
# The same forms as workbooks and as TOML (generate.py --bench-forms), loaded into the plan of the
# smallest size: a workbook must cost at most twice its TOML form.
if [ "$XLSX" -gt 0 ]; then
    n=${sizes[0]}
    DB=$OUT/db-$TAG$n
    FORMS=$OUT/bench-forms-$TAG$n
    if ! workload_ok "$FORMS" || [ "$(find "$FORMS/bench-forms/xlsx" -name '*.xlsx' 2>/dev/null | wc -l)" != "$XLSX" ]; then
        echo "generating $XLSX spreadsheet forms and the same as TOML" >&2
        rm -rf "$FORMS"
        python3 benches/workload/generate.py --initiatives "$n" --out "$FORMS" "${GEN_ARGS[@]}" --bench-forms "$XLSX" >&2
    fi
    for kind in xlsx toml; do
        name=xlsx-$kind
        bench "load-$name-$n" "cp $DB/plan.db $DB/run.db && rm -f $DB/run.db-wal $DB/run.db-shm" \
            "$BIN --db $DB/run.db load $FORMS/bench-forms/$kind"
        bench "check-$name-$n" "true" "$BIN --db $DB/plan.db check $FORMS/bench-forms/$kind"
    done
    note "xlsx-forms-$n" "$XLSX workbooks of 40 rows (and the same as TOML), $(du -sh "$FORMS/bench-forms/xlsx" | cut -f1) as xlsx, $(du -sh "$FORMS/bench-forms/toml" | cut -f1) as TOML"
fi

# --- the table -----------------------------------------------------------------------------------
{
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -h | awk '/^Mem:/ {print $2}') RAM; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "actionplan $("$BIN" --version | cut -d' ' -f2), $(sqlite3 --version | cut -d' ' -f1) (sqlite3 CLI)$(command -v task >/dev/null && [ "$TASKWARRIOR" = 1 ] && echo ", Taskwarrior $(task --version)")$( [ "$HYPERFINE" = 1 ] && echo ", $(hyperfine --version)")"
    echo "Command: bash benches/run.sh --sizes $SIZES --runs $RUNS --profile $PROFILE --year $YEAR$( [ "$SMOKE" = 1 ] && echo ' --smoke')$( [ "$TASKWARRIOR" = 0 ] && [ "$SMOKE" = 0 ] && echo ' --no-taskwarrior')$( [ "$XLSX" -gt 0 ] && echo " --xlsx $XLSX")"
    echo
    python3 benches/summarize.py "$RES"
} > "$RES/summary.md"
cat "$RES/summary.md"
