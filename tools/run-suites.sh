#!/usr/bin/env bash
# run-suites.sh JOBS "MAKEFLAGS" SUITE...: run `make SUITE` for each suite,
# JOBS at a time, with the extra make arguments (make check passes -o for
# every binary it has just built, so that no suite rebuilds one while
# another runs it). The suites named in CHECK_SLOW (the environment, or the
# default below: the ones that take minutes) start first, so that the short
# ones fill in around them. Each suite's output goes to
# build/results/logs/SUITE.log and is printed whole when the suite ends,
# never interleaved with another's; its seconds go to
# build/results/seconds/SUITE for tools/summary.sh. The suites' own results
# (build/results/SUITE) are what counts: this script always exits 0 and the
# summary decides.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$1 flags=$2; shift 2
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "error: JOBS must be a positive number, not '$jobs'" >&2; exit 2; }
slow=${CHECK_SLOW:-fuzz faults-quick-asan access-asan faults-quick browser access http-asan iiif-asan}
mkdir -p build/results/logs build/results/seconds

order=()
for s in $slow; do
	for t in "$@"; do [[ $t == "$s" ]] && order+=("$s"); done
done
for t in "$@"; do
	case " $slow " in *" $t "*) ;; *) order+=("$t") ;; esac
done

# one SUITE: run it with its log; print the log when it is done.
one() {
	local s=$1 t0 rc
	t0=$(date +%s)
	# shellcheck disable=SC2086 # flags is a list of make arguments
	make --no-print-directory $flags "$s" >"build/results/logs/$s.log" 2>&1
	rc=$?
	echo $(($(date +%s) - t0)) >"build/results/seconds/$s"
	{
		echo "======== $s (exit $rc, $(cat "build/results/seconds/$s") s)"
		cat "build/results/logs/$s.log"
	} | flock build/results/logs -c cat
}

running=0
for s in "${order[@]}"; do
	if ((running >= jobs)); then
		wait -n
		running=$((running - 1))
	fi
	one "$s" &
	running=$((running + 1))
done
wait
exit 0
