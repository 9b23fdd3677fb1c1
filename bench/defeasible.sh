#!/usr/bin/env bash
# Defeasible-logic quality bars (issue 3), through the whole `pacta eval` pipeline
# (parse, check, ground, reason, print):
#   1. a chain of N defeasible rules  r_i: p_{i+1} := p_i.  with fact p_0   (default N = 1,000,000)
#   2. M conflicting pairs  r_i: q_i := a_i.  s_i: ~q_i := a_i.  r_i > s_i.  (default M = 100,000)
# Prints wall time and peak memory of each, at two sizes, so linear growth can be seen.
# Usage: bench/defeasible.sh [N] [M]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${1:-1000000}
M=${2:-100000}
cargo build --release --quiet
bin=target/release/pacta
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

chain() {
  awk -v n="$1" 'BEGIN { print "p_0."; for (i = 0; i < n; i++) printf "r_%d: p_%d := p_%d.\n", i, i + 1, i }' >"$2"
}
pairs() {
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "a_%d.\nr_%d: q_%d := a_%d.\ns_%d: ~q_%d := a_%d.\nr_%d > s_%d.\n", i, i, i, i, i, i, i, i, i }' >"$2"
}
run() { # name file
  /usr/bin/time -f "%e %M" -o "$dir/time" "$bin" eval "$2" --format count >"$dir/out"
  read -r secs kb <"$dir/time"
  printf '%-34s %8.2f s %8.0f MB   (%s lines of output)\n' "$1" "$secs" "$((kb / 1024))" "$(wc -l <"$dir/out")"
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
for n in $((N / 2)) "$N"; do
  chain "$n" "$dir/chain.pacta"
  run "chain of $n rules" "$dir/chain.pacta"
done
for m in $((M / 2)) "$M"; do
  pairs "$m" "$dir/pairs.pacta"
  run "$m conflicting pairs" "$dir/pairs.pacta"
done
