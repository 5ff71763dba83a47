#!/usr/bin/env bash
# run-suites.sh SUITE...: run `make SUITE` for each, CHECK_JOBS at a time
# (default 3: most suites wait on a server, a browser or ffmpeg more than
# they compute, so two cores take three), each one's output into
# build/logs/SUITE.log. Prints a line as each suite ends, then every log
# whole in the order given, so a run reads as if the suites had run one
# after the other, then each suite's time. Suites are given longest first
# so the last to start are short. tools/summary.sh adds up the results.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=${CHECK_JOBS:-3}
mkdir -p build/logs build/results

# one SUITE: run it, keep its log, its exit status and its seconds.
one() {
	local s=$1 t0 rc
	t0=$(date +%s)
	make --no-print-directory "$s" > "build/logs/$s.log" 2>&1
	rc=$?
	echo "$rc $(($(date +%s) - t0))" > "build/logs/$s.end"
	printf '  ended %-18s %4ss  %s\n' "$s" "$(($(date +%s) - t0))" \
		"$([ "$rc" -eq 0 ] && echo ok || echo "FAILED (exit $rc)")"
}

echo "== running ${#} suites, $jobs at a time (logs in build/logs/)"
running=0
for s in "$@"; do
	rm -f "build/logs/$s.end"
	one "$s" &
	running=$((running + 1))
	if ((running >= jobs)); then
		wait -n
		running=$((running - 1))
	fi
done
wait
for s in "$@"; do
	echo
	echo "==== $s"
	cat "build/logs/$s.log"
done
echo
echo "== seconds per suite"
for s in "$@"; do
	read -r rc secs < "build/logs/$s.end" 2>/dev/null || { rc=? secs=?; }
	printf '  %-18s %5s\n' "$s" "$secs"
done
exit 0
