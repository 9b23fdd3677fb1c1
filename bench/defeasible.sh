#!/usr/bin/env bash
# Defeasible-logic quality bars (issues 3 and 18), through the whole `pacta eval` pipeline
# (parse, check, ground, reason, print):
#   1. a chain of N defeasible rules  r_i: p_{i+1} := p_i.  with fact p_0   (default N = 1,000,000)
#      through every output format: count, json (the default), json --relation p_N, table, csv
#   2. M conflicting pairs  r_i: q_i := a_i.  s_i: ~q_i := a_i.  r_i > s_i.  (default M = 100,000)
# Each at N/2 and N (M/2 and M), so linear growth can be seen. Prints the median of REPS runs
# (default 3) of user+sys CPU seconds, wall seconds and peak memory: other builds on a shared
# machine make wall time noisy, CPU time much less so.
# With BEFORE=path/to/old/pacta, every run is repeated with that binary, side by side.
# Usage: [BEFORE=/tmp/pacta-before] [REPS=3] [FORMATS="count json"] bench/defeasible.sh [N] [M]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${1:-1000000}
M=${2:-100000}
REPS=${REPS:-3}
FORMATS=${FORMATS:-"count json json-relation table csv"}
cargo build --release --quiet
bins=(target/release/pacta)
[[ -n "${BEFORE:-}" ]] && bins+=("$BEFORE")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

chain() {
  awk -v n="$1" 'BEGIN { print "p_0."; for (i = 0; i < n; i++) printf "r_%d: p_%d := p_%d.\n", i, i + 1, i }' >"$2"
}
pairs() {
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "a_%d.\nr_%d: q_%d := a_%d.\ns_%d: ~q_%d := a_%d.\nr_%d > s_%d.\n", i, i, i, i, i, i, i, i, i }' >"$2"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
run() { # label binary file flags...
  local label=$1 bin=$2 file=$3
  shift 3
  : >"$dir/cpu"
  : >"$dir/wall"
  : >"$dir/mem"
  for _ in $(seq "$REPS"); do
    /usr/bin/time -f "%U %S %e %M" -o "$dir/time" "$bin" eval "$file" "$@" >"$dir/out"
    read -r user sys wall kb <"$dir/time"
    echo "$user + $sys" | bc >>"$dir/cpu"
    echo "$wall" >>"$dir/wall"
    echo "$((kb / 1024))" >>"$dir/mem"
  done
  printf '%-44s %-22s cpu %6.2f s  wall %6.2f s  %6d MB  (%s bytes out)\n' "$label" \
    "$(basename "$bin")" "$(median <"$dir/cpu")" "$(median <"$dir/wall")" "$(median <"$dir/mem")" \
    "$(wc -c <"$dir/out")"
}
flags() { # format size
  case $1 in
    count) echo --format count ;;
    json) echo --format json ;;
    json-relation) echo --format json --relation "p_$2" ;;
    table) echo --format table ;;
    csv) echo --format csv ;;
  esac
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); medians of $REPS"
for n in $((N / 2)) "$N"; do
  chain "$n" "$dir/chain.pacta"
  for f in $FORMATS; do
    for b in "${bins[@]}"; do
      # shellcheck disable=SC2046 # the flags are words
      run "chain of $n rules, $f" "$b" "$dir/chain.pacta" $(flags "$f" "$n")
    done
  done
done
for m in $((M / 2)) "$M"; do
  pairs "$m" "$dir/pairs.pacta"
  for b in "${bins[@]}"; do
    run "$m conflicting pairs, count" "$b" "$dir/pairs.pacta" --format count
  done
done
