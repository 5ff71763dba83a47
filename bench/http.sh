#!/usr/bin/env bash
# bench/http.sh — HTTP throughput and tail latency of `cinemateca serve`.
#
#   bench/http.sh
#   CINEMATECA=build/cinemateca BENCH_DURATION=3s BENCH_RUNS=1 bench/http.sh   # quick look
#
# Builds nothing: it takes the binary ($CINEMATECA, default
# build/cinemateca), makes the demo archive in a temporary folder, starts
# `serve` on 127.0.0.1 port 0 and runs `wrk -t2 -c64 -d10s --latency`
# three times against each of three pages. It keeps the median requests/s
# and the median p99 latency of the three runs and rewrites the part of
# BENCHMARKS.md between the bench/http.sh markers (the file is created if
# missing) with a table, the exact command, the date and the machine.
#
# Loopback only, and bounded: 9 runs of 10 s plus start-up, about two
# minutes. wrk and the server share the machine's cores, so compare numbers
# only between runs on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-10s}
RUNS=${BENCH_RUNS:-3}
THREADS=2
CONNECTIONS=64
PATHS=(/ '/search?q=palliri' /work/dona-helena-palliri)
OUTFILE=BENCHMARKS.md
BEGIN='<!-- bench/http.sh begin -->'
END='<!-- bench/http.sh end -->'

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh

command -v wrk >/dev/null || { echo "error: wrk not found (apt-get install wrk)" >&2; exit 1; }

# to_ms VALUE: wrk's latency ("812.00us", "3.21ms", "1.02s") in ms.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
		printf "%.2f", n
	}'
}

# median NUMBERS...: the middle value (the lower middle for an even count).
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-bench.XXXXXX")
at_exit rm -rf -- "$WORK"
server_make_demo "$WORK/archive"
server_start "$WORK/archive"
echo "server: $BASE (pid $SERVER_PID, $CINEMATECA)"

# Every page must answer 200 before it is measured: a fast 404 is no benchmark.
for p in "${PATHS[@]}"; do
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE$p")
	[[ $code == 200 ]] || { echo "error: $p answered $code, not 200" >&2; exit 1; }
done

ROWS=()
for p in "${PATHS[@]}"; do
	rps=() p99=() errors=0
	for run in $(seq "$RUNS"); do
		out=$WORK/wrk.txt
		# timeout: wrk stops by itself after -d; this only guards a hang.
		timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 5s --latency "$BASE$p" >"$out"
		r=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
		l=$(awk '$1 == "99%" { print $2 }' "$out")
		e=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i } END { print n + 0 }' "$out")
		[[ -n $r && -n $l ]] || { echo "error: cannot read wrk's output:" >&2; cat "$out" >&2; exit 1; }
		rps+=("$r") p99+=("$(to_ms "$l")") errors=$((errors + e))
		printf '%-28s run %d: %10s req/s  p99 %8s ms  errors %d\n' "$p" "$run" "$r" "${p99[-1]}" "$e"
		server_alive || { echo "error: the server died under load" >&2; server__tail; exit 1; }
	done
	ROWS+=("| \`$p\` | $(median "${rps[@]}") | $(median "${p99[@]}") | $errors |")
done
server_stop

CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z $(git status --porcelain --untracked-files=no 2>/dev/null) ]] || COMMIT+=" (with uncommitted changes)"

SECTION=$WORK/section.md
{
	echo "$BEGIN"
	echo "## HTTP: \`bench/http.sh\`"
	echo
	echo "Demo archive, one \`serve\` process on loopback, wrk on the same machine."
	echo "Each page measured $RUNS times; the table gives the median requests/s and the"
	echo "median p99 latency of those runs, and the errors of all of them added up."
	echo
	echo "| page | requests/s | p99 latency (ms) | errors (non-2xx, socket) |"
	echo "| --- | ---: | ---: | ---: |"
	printf '%s\n' "${ROWS[@]}"
	echo
	echo "- command: \`CINEMATECA=$CINEMATECA BENCH_DURATION=$DURATION BENCH_RUNS=$RUNS bench/http.sh\`,"
	echo "  which runs \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout 5s --latency http://127.0.0.1:PORT/PAGE\`"
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- commit: $COMMIT"
	echo "- machine: $(nproc) cores, ${CPU:-unknown CPU}, Linux $(uname -r)"
	echo "$END"
} >"$SECTION"

# Replace the old section in place; append one if there is none.
if [[ ! -f $OUTFILE ]]; then
	printf '# Benchmarks\n\nNumbers written by the scripts in bench/; each rewrites only its own section.\n\n' >"$OUTFILE"
fi
if grep -qF -- "$BEGIN" "$OUTFILE"; then
	awk -v begin="$BEGIN" -v end="$END" -v section="$SECTION" '
		$0 == begin { while ((getline line < section) > 0) print line; skip = 1; next }
		$0 == end { skip = 0; next }
		!skip { print }
	' "$OUTFILE" >"$WORK/out.md"
else
	cat "$OUTFILE" "$SECTION" >"$WORK/out.md"
fi
cat "$WORK/out.md" >"$OUTFILE"
echo "wrote the bench/http.sh section of $OUTFILE:"
cat "$SECTION"
