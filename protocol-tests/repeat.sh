#!/usr/bin/env bash
# Runs the README's test command (`mvn -B verify`) N times, each on a fresh clone of this
# checkout's HEAD, optionally while a CPU hog keeps one core busy, and prints pass/fail per run
# with the failing tests' names. A flakiness check: a test suite that passes only sometimes shows
# up here before it shows up in CI.
#
#   protocol-tests/repeat.sh N [--hog]
#
# Environment: MVN_ARGS  extra Maven arguments (e.g. -o to stay offline once dependencies are cached)
#              KEEP=1    keep the clones (by default only each run's log is kept)
#              REPEAT_DIR where the clones and logs go (default: a new directory under ${TMPDIR:-/tmp})
set -uo pipefail

usage() { echo "usage: $0 N [--hog]" >&2; exit 2; }
[[ $# -ge 1 && "$1" =~ ^[1-9][0-9]*$ ]] || usage
runs=$1
hog=false
if [[ $# -ge 2 ]]; then
  [[ "$2" == "--hog" ]] || usage
  hog=true
fi

repo=$(cd "$(dirname "$0")/.." && git rev-parse --show-toplevel) || exit 1
commit=$(git -C "$repo" rev-parse HEAD) || exit 1
if [[ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]]; then
  echo "note: uncommitted changes in $repo are not part of the runs (HEAD $commit is)" >&2
fi
work=${REPEAT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/notesync-repeat.XXXXXX")}
mkdir -p "$work"

hog_pid=
stop_hog() {
  if [[ -n "$hog_pid" ]]; then
    kill "$hog_pid" 2>/dev/null
    wait "$hog_pid" 2>/dev/null
    hog_pid=
  fi
}
trap stop_hog EXIT
trap 'stop_hog; exit 130' INT TERM

start_hog() {
  # One busy loop, pinned to the last core when taskset is there: one core taken, the rest shared.
  local cores
  cores=$(nproc 2>/dev/null || echo 1)
  if command -v taskset >/dev/null 2>&1; then
    taskset -c $((cores - 1)) sh -c 'while :; do :; done' &
  else
    sh -c 'while :; do :; done' &
  fi
  hog_pid=$!
}

echo "commit $commit, $runs run(s) of 'mvn -B verify${MVN_ARGS:+ $MVN_ARGS}'$($hog && echo ' with a CPU hog on one core'), in $work"
passed=0
summary=()
for ((i = 1; i <= runs; i++)); do
  clone="$work/run-$i"
  log="$work/run-$i.log"
  rm -rf "$clone"
  if ! git clone --quiet --no-local "$repo" "$clone" || ! git -C "$clone" checkout --quiet --detach "$commit"; then
    echo "run $i: could not clone $repo at $commit" >&2
    exit 1
  fi
  $hog && start_hog
  started=$(date +%s)
  # shellcheck disable=SC2086
  (cd "$clone" && mvn -B verify ${MVN_ARGS:-}) >"$log" 2>&1
  status=$?
  took=$(( $(date +%s) - started ))
  stop_hog
  if [[ $status -eq 0 ]]; then
    passed=$((passed + 1))
    line="run $i: PASS in ${took}s"
    echo "$line"
  else
    line="run $i: FAIL (exit $status) in ${took}s, log $log"
    echo "$line"
    # Surefire names each failing test on a line ending in "<<< FAILURE!" or "<<< ERROR!".
    failing=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '<<< (FAILURE|ERROR)!' | grep -v 'Tests run:' \
      | sed -E 's/^\[ERROR\] //; s/ -- Time elapsed.*//' | sort -u)
    if [[ -n "$failing" ]]; then
      echo "$failing" | sed 's/^/    /'
      line+=$'\n'$(echo "$failing" | sed 's/^/    /')
    else
      echo "    no failing test named; the end of the log:"
      tail -n 15 "$log" | sed 's/^/    /'
    fi
  fi
  summary+=("$line")
  [[ "${KEEP:-}" == 1 ]] || rm -rf "$clone"
done

echo
echo "== $passed of $runs run(s) passed (commit $commit$($hog && echo ', CPU hog on one core'))"
printf '%s\n' "${summary[@]}"
[[ $passed -eq $runs ]]
