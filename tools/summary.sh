#!/usr/bin/env bash
# summary.sh SUITE...: add up what each suite of `make check` recorded in
# build/results/SUITE ("PASSED FAILED"), with the seconds each took (from
# build/results/seconds/SUITE, when make check wrote it), and print one
# closing line. A suite
# that recorded nothing (it crashed or never ran) counts as one failure.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0 failed=0
echo "== summary"
for s in "$@"; do
	if [ -r "build/results/$s" ]; then
		read -r p q < "build/results/$s"
	else
		p=0 q=1
		echo "  $s recorded no result: counted as failed"
	fi
	secs=""
	[ ! -r "build/results/seconds/$s" ] || secs=" ($(cat "build/results/seconds/$s") s)"
	printf '  %-18s %5s passed, %s failed%s\n' "$s" "$p" "$q" "$secs"
	passed=$((passed + p)); failed=$((failed + q))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
