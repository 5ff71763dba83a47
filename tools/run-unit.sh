#!/usr/bin/env bash
# run-unit.sh: run cmocka test binaries, print each one's summary, record
# the totals for tools/summary.sh, and fail if any test failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/results
passed=0 failed=0 status=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out" | grep -E '^\[(==========|  PASSED  |  FAILED  |  ERROR   )\]|^\[  FAILED  \]|Test failed|ERROR' || true
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ]; then
		status=1
		[ -n "$f" ] || failed=$((failed + 1))
		printf '%s\n' "$out" | tail -30
	fi
done
name=unit; case "${1:-}" in build/asan/*) name=unit-asan ;; esac
echo "$passed $failed" > "build/results/$name"
echo "$name: $passed passed, $failed failed"
exit $status
