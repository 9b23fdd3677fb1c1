#!/usr/bin/env bash
# Runs every fuzz target in turn for SECONDS each (default 600), one process on one core,
# niced. (No -jobs/-workers: with -jobs=1 libFuzzer forks a child that logs to ./fuzz-0.log.)
# Seeds each corpus with the golden and hostile test programs. See docs/FUZZING.md.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse check eval eval_gen import)
export RUSTC_BOOTSTRAP=1 # cargo-fuzz passes -Z flags; this lets the stable toolchain take them
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t"
    if [ "$t" != eval_gen ]; then
        cp -n tests/cases/*.pacta tests/cases/errors/*.pacta tests/hostile/* "fuzz/corpus/$t/" 2>/dev/null || true
    fi
    echo "==> fuzzing $t for ${secs}s"
    nice -n 10 cargo fuzz run "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 \
        -max_len=4096 -dict=fuzz/dict/pacta.dict -print_final_stats=1 2>&1 | tee "fuzz/$t.log" | grep -E '^(#[0-9]+ +(DONE|INITED)|==|stat::|.*(panicked|ERROR|SUMMARY|artifact))' || true
done
