#!/usr/bin/env bash
# The REPL at scale (issue 14): N typed facts piped into `pacta repl` on the bundled knowledge
# base, then one query. Adding a fact must not re-read, re-parse or re-check what was loaded,
# so time grows linearly. Targets on the 2-core machine kind: 10,000 facts < 2 s, 100,000 < 20 s.
# Also: typed rules among the facts (each one re-checks the program), and :undo.
# Usage: bench/repl.sh [N...]   (default 10000 100000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)
cargo build --release --quiet
bin=target/release/pacta
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
run() { # name file
  /usr/bin/time -f "%e %M" -o "$dir/time" "$bin" repl <"$2" >"$dir/out"
  read -r secs kb <"$dir/time"
  printf '%-40s %8.2f s %8.0f MB   last answer: %s\n' "$1" "$secs" "$((kb / 1024))" "$(tail -1 "$dir/out")"
}
for n in "${sizes[@]}"; do
  awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "edge(n%d, n%d).\n", i, i + 1; print "?- edge(n5, X)." }' >"$dir/facts.txt"
  run "$n facts, one query" "$dir/facts.txt"
  awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) { printf "edge(n%d, n%d).\n", i, i + 1; if (i % 1000 == 0) printf "hop%d(X, Y) :- edge(X, Y).\n", i }; print ":undo"; print "?- hop0(n5, X)." }' >"$dir/rules.txt"
  run "$n facts, a rule every 1,000, :undo" "$dir/rules.txt"
done
