#!/usr/bin/env bash
# Incremental variants (issue 18, items 1 and 4): three workloads on the bundled knowledge base
# that evaluate many programs differing only in a few facts, each run with this checkout's
# release build and with the release build of an earlier commit (default: 8ebe303, main before
# incremental evaluation), in the same run, alternating, and reported as ratios:
#   sweep     `pacta whatif --sweep bench/scenarios/sweep_12.pacta` (12 groups, 4,096 combinations)
#   timeline  `pacta timeline` for Poland over the whole history (1900-2030, every change point)
#   needed    `pacta explain --needed` on the renewed-attack example (48 candidate sets)
#   repl      `pacta repl` fed 100 what-ifs: two facts typed, the same question asked again
# Both builds must print the same output (checked; a difference fails the run). Prints the
# median of REPS runs (default 3) of user+sys CPU seconds, wall seconds and peak memory: other
# work on a shared machine makes wall time noisy, CPU time much less so.
# Usage: [BEFORE=path/to/old/pacta | BASE=commit] [REPS=3] bench/overlay.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPS=${REPS:-3}
BASE=${BASE:-8ebe303}
cargo build --release --quiet
new=target/release/pacta
dir=$(mktemp -d)
cleanup() {
  if [[ -d "$dir/src" ]]; then git worktree remove --force "$dir/src" >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
old=${BEFORE:-}
if [[ -z "$old" ]]; then
  echo "building $BASE (release) for comparison ..." >&2
  git worktree add --detach "$dir/src" "$BASE" >/dev/null 2>&1
  CARGO_TARGET_DIR="${BASE_TARGET_DIR:-$dir/target}" cargo build --release --quiet --manifest-path "$dir/src/Cargo.toml"
  old="${BASE_TARGET_DIR:-$dir/target}/release/pacta"
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%F), new: $(git rev-parse --short HEAD), old: ${BEFORE:-$BASE}"

goal='obliged(S, ukraine, A, I, L), level_rank(L, N), N <= 2'
workload() { # name -> the command's arguments, one per line
  case "$1" in
    sweep) printf '%s\n' whatif --sweep bench/scenarios/sweep_12.pacta ;;
    timeline) printf '%s\n' timeline --beneficiary poland --attacker soviet_union:1991-12-25 --attacker russia --from 1900-01-01 --to 2030-12-31 ;;
    needed) printf '%s\n' explain --scenario examples/whatif/renewed_attack_2027.pacta --needed "$goal" --max-changes 3 ;;
    repl) printf '%s\n' repl ;;
  esac
}
# The REPL's what-if loop: ask, type two facts, ask again (100 times). The states joining are
# the knowledge base's (a new name would draw an unknown-name warning each time).
joiners=(albania argentina australia austria brazil bulgaria canada chile colombia croatia
  czechia denmark ecuador estonia finland georgia greece hungary japan mexico)
{
  echo "?- obliged(S, poland, A, I, L)."
  for i in $(seq 1 100); do
    echo "attack(russia, poland, 2026-10-0$((i % 9 + 1)))."
    echo "party(paris_declaration_2026, ${joiners[i % ${#joiners[@]}]}, signatory, 2026-06-0$((i / 20 + 1)), 9999-12-31)."
    echo "?- obliged(S, poland, A, I, L)."
  done
} >"$dir/repl.txt"
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
measure() { # binary workload label -> "cpu wall mb" medians; output in $dir/out.<workload>.<label>
  local bin=$1 name=$2 label=$3 r
  local -a args
  mapfile -t args < <(workload "$name")
  : >"$dir/cpu"; : >"$dir/wall"; : >"$dir/mem"
  for ((r = 0; r < REPS; r++)); do
    /usr/bin/time -f "%U %S %e %M" -o "$dir/t" "$bin" "${args[@]}" <"$dir/repl.txt" >"$dir/out.$name.$label" 2>&1 || true
    read -r u s e m <"$dir/t"
    echo "$u + $s" | bc >>"$dir/cpu"; echo "$e" >>"$dir/wall"; echo "$((m / 1024))" >>"$dir/mem"
  done
  echo "$(median <"$dir/cpu") $(median <"$dir/wall") $(median <"$dir/mem")"
}
status=0
printf '%-10s %22s %22s %10s\n' workload "old cpu/wall/MB" "new cpu/wall/MB" "cpu ratio"
for w in sweep timeline needed repl; do
  read -r oc ow om < <(measure "$old" "$w" old)
  read -r nc nw nm < <(measure "$new" "$w" new)
  if ! cmp -s "$dir/out.$w.old" "$dir/out.$w.new"; then
    echo "$w: OUTPUT DIFFERS between old and new" >&2
    status=1
  fi
  ratio=$(echo "scale=1; $oc / ($nc + 0.001)" | bc)
  printf '%-10s %22s %22s %9sx\n' "$w" "$oc s/$ow s/$om" "$nc s/$nw s/$nm" "$ratio"
done
exit $status
