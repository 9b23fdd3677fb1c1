#!/usr/bin/env bash
# Engine comparison (issue 5): Pacta against a hand-written datafrog program of the same rules
# (the floor), Nemo (PyPI nemo-python), clingo (PyPI clingo) and SWI-Prolog with tabling
# (Debian swi-prolog-nox), and the compiled Rust engines Ascent and Crepe (crates.io, built from
# bench/ascent/), on fixed-seed workloads: transitive closure on two random graphs,
# same generation on a random tree, and the obligation workload. See bench/README.md.
#
# Usage: bench/compare.sh
# Environment:
#   ROUNDS=5         runs of every engine on every workload (the engines' order rotates each run)
#   QUICK=1          small workloads, for trying the script in a minute
#   TIMEOUT=600      seconds before one run is stopped (reported as `timeout`)
#   ENGINES="pacta datafrog ascent crepe nemo clingo swipl"    the engines to run
#   WORKLOADS="tc_1k tc_5k sg_tree oblig"         the workloads to run
#   SKIP_INSTALL=1   do not try to install missing engines
#   PACTA_BEFORE=/path/to/pacta   also run this older Pacta binary, as engine `pacta-before`
#                    (the same program and flags), to compare a change with the build before it
# Exit status: 0, or 1 when engines disagree on a result count.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ROUNDS=${ROUNDS:-5}
QUICK=${QUICK:-0}
TIMEOUT=${TIMEOUT:-600}
ENGINES=${ENGINES:-"pacta datafrog ascent crepe nemo clingo swipl"}
WORKLOADS=${WORKLOADS:-"tc_1k tc_5k sg_tree oblig"}
PACTA_BEFORE=${PACTA_BEFORE:-}
if [ -n "$PACTA_BEFORE" ] && [[ " $ENGINES " != *" pacta-before "* ]]; then
  # Beside `pacta` when it runs, so the table shows the two one under the other.
  if [[ " $ENGINES " == *" pacta "* ]]; then ENGINES=$(echo " $ENGINES " | sed 's/ pacta / pacta pacta-before /')
  else ENGINES="$ENGINES pacta-before"; fi
  ENGINES=$(echo $ENGINES)
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
if [ "$QUICK" = 1 ]; then SIZE=quick; else SIZE=full; fi
OUT=$ROOT/bench/out/$SIZE
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
log() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------- engines
have_py() { python3 -c "import $1" 2>/dev/null; }
install_py() { # module package
  have_py "$1" && return 0
  [ "${SKIP_INSTALL:-0}" = 1 ] && return 1
  log "installing $2 (pip install --user $2)"
  python3 -m pip install --user --quiet "$2" >&2 || pip install --user --quiet "$2" >&2
  have_py "$1"
}
install_swipl() {
  command -v swipl >/dev/null && return 0
  [ "${SKIP_INSTALL:-0}" = 1 ] && return 1
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=sudo; else
      log "swi-prolog-nox: not root and no password-less sudo, cannot apt-get install"
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null; then
    log "swi-prolog-nox: apt-get is not available here"
    return 1
  fi
  log "installing swi-prolog-nox (apt-get install -y swi-prolog-nox)"
  $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq swi-prolog-nox >&2
  command -v swipl >/dev/null
}

declare -A AVAILABLE VERSION
for e in $ENGINES; do
  case $e in
    pacta | datafrog) AVAILABLE[$e]=1 ;;
    pacta-before)
      if [ -x "$PACTA_BEFORE" ]; then AVAILABLE[$e]=1
        VERSION[$e]="$("$PACTA_BEFORE" --version 2>/dev/null) at $PACTA_BEFORE"
      else log "pacta-before: PACTA_BEFORE=$PACTA_BEFORE is not an executable; going on without it"; fi ;;
    ascent | crepe)
      if [ -z "${COMPILED:-}" ]; then
        log "building Ascent and Crepe programs (bench/ascent, release)"
        if cargo build --release --quiet --manifest-path bench/ascent/Cargo.toml >&2; then COMPILED=ok
        else COMPILED=failed; fi
      fi
      if [ "$COMPILED" = ok ]; then AVAILABLE[$e]=1
        VERSION[$e]="$e $(grep -A1 "^name = \"$e\"" bench/ascent/Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p')"
      else log "NOT BUILT: $e (cargo build of bench/ascent failed); going on without it"; fi ;;
    nemo)
      if install_py nmo_python nemo-python; then AVAILABLE[$e]=1
        VERSION[$e]="nemo-python $(python3 -c 'import importlib.metadata as m; print(m.version("nemo-python"))' 2>/dev/null)"
      else log "NOT INSTALLED: nemo (cannot import nmo_python; pip install --user nemo-python failed or SKIP_INSTALL=1); going on without it"; fi ;;
    clingo)
      if install_py clingo clingo; then AVAILABLE[$e]=1
        VERSION[$e]="clingo $(python3 -c 'import clingo; print(clingo.__version__)' 2>/dev/null)"
      else log "NOT INSTALLED: clingo (cannot import clingo; pip install --user clingo failed or SKIP_INSTALL=1); going on without it"; fi ;;
    swipl)
      if install_swipl; then AVAILABLE[$e]=1; VERSION[$e]=$(swipl --version 2>/dev/null)
      else log "NOT INSTALLED: swipl (no swipl; swi-prolog-nox could not be installed or SKIP_INSTALL=1); going on without it"; fi ;;
    *) log "unknown engine $e (pacta, pacta-before, datafrog, ascent, crepe, nemo, clingo, swipl)"; exit 2 ;;
  esac
done

log "building pacta and the datafrog floor (release)"
cargo build --release --quiet --bin pacta --example datafrog_floor || exit 2
PACTA=$CARGO_TARGET_DIR/release/pacta
FLOOR=$CARGO_TARGET_DIR/release/examples/datafrog_floor
COMPILED_BIN=$CARGO_TARGET_DIR/release/pacta-bench-compiled
VERSION[pacta]="pacta $(git rev-parse --short HEAD 2>/dev/null)"
VERSION[datafrog]="datafrog $(grep -A1 '^name = "datafrog"' Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p')"

# ---------------------------------------------------------------- workloads
log "generating the $SIZE workloads into ${OUT#"$ROOT"/}"
if [ "$QUICK" = 1 ]; then python3 bench/gen.py "$OUT" --quick || exit 2
else python3 bench/gen.py "$OUT" || exit 2; fi
relations() { # kind -> the derived relations whose sizes are compared
  case $1 in tc) echo path ;; sg) echo sg ;; oblig) echo chain obliged unprotected ;; esac
}
for w in $WORKLOADS; do
  [ -f "$OUT/$w/kind" ] || { log "unknown workload $w"; exit 2; }
  kind=$(cat "$OUT/$w/kind")
  # Every engine's program sits beside the facts, so all relative paths are the workload's.
  cp bench/programs/pacta/"$kind".pacta bench/programs/nemo/"$kind".rls \
    bench/programs/clingo/"$kind".lp bench/programs/swipl/"$kind".pl "$OUT/$w/"
done

# ---------------------------------------------------------------- runs
RESULTS=$OUT/results.tsv
: >"$RESULTS"
run_one() { # engine workload round
  local e=$1 w=$2 r=$3 dir=$OUT/$2 kind rels start end rc secs kb cpu status counts
  kind=$(cat "$dir/kind")
  rels=$(relations "$kind")
  local -a cmd
  case $e in
    # Default flags: the default limits are resource budgets, which a result that fits in
    # memory never meets (the run as a whole is bounded by `timeout` below).
    pacta) cmd=("$PACTA" eval "$kind.pacta" --format count) ;;
    pacta-before) cmd=("$PACTA_BEFORE" eval "$kind.pacta" --format count) ;;
    datafrog) cmd=("$FLOOR" "$kind" .) ;;
    ascent | crepe) cmd=("$COMPILED_BIN" "$e" "$kind" .) ;;
    nemo) cmd=(python3 "$ROOT/bench/programs/nemo/run.py" "$kind.rls" $rels) ;;
    clingo) cmd=(python3 "$ROOT/bench/programs/clingo/run.py" "$kind.lp" facts.lp) ;;
    swipl) cmd=(swipl --stack-limit=16g "$kind.pl") ;;
  esac
  rm -f "$TMP/time"
  start=$EPOCHREALTIME
  (cd "$dir" && timeout "$TIMEOUT" /usr/bin/time -f "%e %M %U %S" -o "$TMP/time" "${cmd[@]}" >"$TMP/out" 2>"$TMP/err")
  rc=$?
  end=$EPOCHREALTIME
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  kb=$(awk 'END { print $2 }' "$TMP/time" 2>/dev/null)
  [ -n "$kb" ] || kb=0
  cpu=$(awk 'END { printf "%.2f", $3 + $4 }' "$TMP/time" 2>/dev/null)
  [ -n "$cpu" ] || cpu=0
  if [ "$rc" = 124 ]; then status=timeout
  elif [ "$rc" != 0 ]; then status=failed
    log "  $e on $w failed (exit $rc): $(tail -n 3 "$TMP/err" | tr '\n' ' ')"
  else status=ok; fi
  counts=$(for rel in $rels; do
    printf '%s=%s\n' "$rel" "$(awk -F '\t' -v r="$rel" '$1 == r { print $2 }' "$TMP/out")"
  done | paste -sd, -)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$w" "$e" "$r" "$secs" "$kb" "$status" "$counts" "$cpu" >>"$RESULTS"
  log "$(printf '  round %s  %-8s %-12s %8.3f s %7.2f s cpu %8.1f MB  %-7s %s' "$r" "$w" "$e" "$secs" "$cpu" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$status" "$counts")"
}

read -r -a engines <<<"$(for e in $ENGINES; do [ -n "${AVAILABLE[$e]:-}" ] && printf '%s ' "$e"; done)"
n=${#engines[@]}
for ((r = 1; r <= ROUNDS; r++)); do
  log "round $r of $ROUNDS"
  widx=0
  for w in $WORKLOADS; do
    # Alternate: each run starts one engine further along, so no engine is always first or last.
    for ((i = 0; i < n; i++)); do
      run_one "${engines[$(((i + r - 1 + widx) % n))]}" "$w" "$r"
    done
    widx=$((widx + 1))
  done
done

# ---------------------------------------------------------------- report
echo
echo "Pacta engine comparison — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory, $(uname -sm)"
echo "workloads: $SIZE sizes; $ROUNDS rounds; timeout ${TIMEOUT} s per run"
for e in $ENGINES; do
  if [ -n "${AVAILABLE[$e]:-}" ]; then echo "  $e: ${VERSION[$e]:-}"; else echo "  $e: NOT INSTALLED (skipped)"; fi
done
echo
python3 - "$RESULTS" "$ENGINES" "$WORKLOADS" <<'PY'
import statistics, sys
from collections import defaultdict

path, engines, workloads = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
runs = defaultdict(list)
for line in open(path):
    w, e, r, secs, kb, status, counts, cpu = line.rstrip("\n").split("\t")
    runs[w, e].append((float(secs), int(kb) / 1024, status, counts, float(cpu)))

def median(xs):
    return statistics.median(xs) if xs else None

mismatch = False
head = "%-8s %-12s %5s %10s %10s %10s %9s %9s  %s" % (
    "workload", "engine", "runs", "median s", "median cpu", "median MB", "time/df", "mem/df", "counts")
print(head)
print("-" * len(head))
for w in workloads:
    ok = {e: [x for x in runs[w, e] if x[2] == "ok"] for e in engines}
    floor = ok.get("datafrog") or []
    fs, fm = median([x[0] for x in floor]), median([x[1] for x in floor])
    ref = floor[0][3] if floor else next((v[0][3] for v in ok.values() if v), None)
    for e in engines:
        all_runs = runs[w, e]
        if not all_runs:
            print("%-8s %-12s %5s %10s" % (w, e, 0, "not installed"))
            continue
        good = ok[e]
        if not good:
            print("%-8s %-12s %5d %10s" % (w, e, 0, all_runs[0][2]))
            continue
        s, m = median([x[0] for x in good]), median([x[1] for x in good])
        c = median([x[4] for x in good])
        rt = "%8.2fx" % (s / fs) if fs else "%9s" % "-"
        rm = "%8.2fx" % (m / fm) if fm else "%9s" % "-"
        note = good[0][3]
        if len(good) < len(all_runs):
            note += "  (%d of %d runs failed or timed out)" % (len(all_runs) - len(good), len(all_runs))
        print("%-8s %-12s %5d %10.3f %10.2f %10.1f %9s %9s  %s" % (w, e, len(good), s, c, m, rt, rm, note))
    for e in engines:
        for x in ok[e]:
            if x[3] != ref:
                mismatch = True
                print("MISMATCH %s: %s gives %s, %s gives %s" % (
                    w, e, x[3], "datafrog" if floor else "the first engine", ref))
                break
print()
print("median cpu: user + sys seconds. time/df, mem/df: an engine's median wall time and median")
print("peak RSS divided by the datafrog floor's.")
if mismatch:
    print("RESULT COUNTS DISAGREE (see the MISMATCH lines)")
    sys.exit(1)
print("all engines' result counts agree on every workload")
PY
