#!/usr/bin/env bash
# Long fuzz runs (not in CI): every cargo-fuzz target for SECONDS each (default 600), two at a
# time (this machine has two cores), then the kept corpus minimised again.
#   scripts/fuzz.sh [SECONDS] [TARGET…]
# Targets: plan form narrative csv export validate (fuzz/fuzz_targets/). Crashes land in
# fuzz/artifacts/<target>/; copy each that is an input actionplan could be given into
# tests/fixtures/hostile-inputs/fuzz/, where tests/cli/hostile.rs checks it is refused cleanly.
# cargo-fuzz needs nightly features: RUSTC_BOOTSTRAP=1 lets the stable toolchain provide them.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(plan form narrative csv export validate)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
cargo fuzz build
logs="${FUZZ_LOGS:-target/fuzz-logs}"
mkdir -p "$logs"
# Inputs up to 4 KB are tried; only those up to 256 bytes are kept: the committed corpus is a
# seed for the next run, not an archive.
max_len=4096
keep_len=256
run() {
    local t="$1"
    mkdir -p "corpus/$t"
    # New inputs go to a scratch corpus; the kept one and the test fixtures are read as seeds.
    rm -rf "target/corpus-$t" && mkdir -p "target/corpus-$t"
    cargo fuzz run "$t" "target/corpus-$t" "corpus/$t" ../tests/fixtures -- \
        -max_total_time="$secs" -max_len="$max_len" -rss_limit_mb=4096 -timeout=20 \
        -dict=actionplan.dict -print_final_stats=1 >"$logs/$t.log" 2>&1 ||
        echo "FAILED: $t (see fuzz/$logs/$t.log)"
    grep -E '^(stat::number_of_executed_units|Done)' "$logs/$t.log" | sed "s/^/$t: /" || true
}
i=0
for t in "${targets[@]}"; do
    run "$t" &
    i=$((i + 1))
    if [ $((i % 2)) -eq 0 ]; then wait; fi
done
wait
for t in "${targets[@]}"; do
    # Merge what was found, drop the large inputs, and keep only what adds coverage.
    find "target/corpus-$t" -type f -size -"$((keep_len + 1))"c -exec cp -n {} "corpus/$t/" \; || true
    find "corpus/$t" -type f -size +"$keep_len"c -delete
    cargo fuzz cmin "$t" "corpus/$t" -- -rss_limit_mb=4096 -timeout=20 >"$logs/$t.cmin.log" 2>&1 || true
    echo "$t: $(find "corpus/$t" -type f | wc -l) inputs kept"
done
if compgen -G "artifacts/*/*" >/dev/null; then
    ls artifacts/*/
    echo "crash inputs above: add them to tests/fixtures/hostile-inputs/fuzz/"
else
    echo "no crashes"
fi
