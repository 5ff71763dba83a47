#!/usr/bin/env bash
# bench/search.sh — import and search at national-archive scale.
#
#   bench/search.sh                       # BENCH_N=1000000 works (1.39 M records)
#   BENCH_N=20000 BENCH_DURATION=2s BENCH_RUNS=1 bench/search.sh   # quick
#
# Makes the catalogue with bench/gen (BENCH_N works and the rest in
# proportion, BENCH_FILES files, default 1), imports it into a fresh
# archive through `cinemateca import` (timed, with its peak memory from
# /usr/bin/time -v), loads the works' subtitle lines as the subtitle
# command stores them (file and cue rows; the cue index follows through
# its triggers), accounts for the database's size table by table
# (dbstat), then serves it and measures, for each query class: the first
# request (nothing cached yet) and wrk's p50, p99 and requests/s
# (-t2 -c16, BENCH_DURATION, the median of BENCH_RUNS runs). The
# reference is the raw FTS5 query in the sqlite3 program on the same
# database (the top 20 by bm25), the median of three. Rewrites its
# section of BENCHMARKS.md, or BENCH_OUT.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

BIN=${CINEMATECA:-build/cinemateca}
N=${BENCH_N:-1000000}
FILES=${BENCH_FILES:-1}
RUNS=${BENCH_RUNS:-3}
DURATION=${BENCH_DURATION:-10s}
OUTFILE=${BENCH_OUT:-BENCHMARKS.md}
BEGIN='<!-- bench/search.sh begin -->'
END='<!-- bench/search.sh end -->'
KEEP=${BENCH_KEEP:-}	# a folder to keep the archive in (and reuse it if made)

for p in wrk sqlite3; do
	command -v $p >/dev/null || { echo "bench/search.sh: needs $p (Debian: apt-get install $p)" >&2; exit 1; }
done
make --no-print-directory build/bench/gen "$BIN" >/dev/null

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-search-bench.XXXXXX")
PID=
cleanup() {
	[[ -z $PID ]] || { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; }
	rm -rf -- "$WORK"
}
trap cleanup EXIT
A=${KEEP:-$WORK/archive}
G=$WORK/gen
mkdir -p "$G"

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "generating $N works"
s=$(date +%s.%N)
BENCH_N=$N build/bench/gen "$G" "$FILES" 2>"$WORK/gen.err"
T_GEN=$(secs "$s" "$(date +%s.%N)")
RECORDS=$(sed -n 's/^gen: \([0-9]*\) records.*/\1/p' "$WORK/gen.err")
LINES=$(sed -n 's/.* \([0-9]*\) lines$/\1/p' "$WORK/gen.err")
JSON_MB=$(du -cm "$G"/import-*.json | awk 'END { print $1 }')

if [[ -n $KEEP && -f $KEEP/catalog.db ]]; then
	echo "reusing the archive in $KEEP"
	T_IMPORT=- RSS_IMPORT=- CPU_IMPORT=- T_CUES=-
else
	"$BIN" -a "$A" init >/dev/null
	echo "importing $RECORDS records from $FILES file(s)"
	s=$(date +%s.%N)
	/usr/bin/time -v "$BIN" -a "$A" import "$G"/import-*.json >"$WORK/import.out" 2>"$WORK/import.err" ||
		{ cat "$WORK/import.err" >&2; exit 1; }
	T_IMPORT=$(secs "$s" "$(date +%s.%N)")
	RSS_IMPORT=$(awk -F': ' '/Maximum resident/ { printf "%d", $2 / 1024 }' "$WORK/import.err")
	CPU_IMPORT=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.1f", u + s }' "$WORK/import.err")
	echo "imported in $T_IMPORT s (CPU $CPU_IMPORT s, peak $RSS_IMPORT MiB)"

	echo "loading $LINES subtitle lines"
	s=$(date +%s.%N)
	bench/load-cues.sh "$A" "$G"
	T_CUES=$(secs "$s" "$(date +%s.%N)")
	echo "loaded in $T_CUES s"
fi
DB_MB=$(du -m "$A/catalog.db" | cut -f1)
sqlite3 "$A/catalog.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
sqlite3 -separator ' ' "$A/catalog.db" \
	"SELECT name, sum(pgsize) / 1048576, count(*) FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 16" \
	>"$WORK/sizes"

read -r _ COMMON COMMON_N <<<"$(grep -P '^common\t' "$G/queries.tsv" | tr '\t' ' ')"
read -r _ MEDIUM MEDIUM_N <<<"$(grep -P '^medium\t' "$G/queries.tsv" | tr '\t' ' ')"
read -r _ RARE RARE_N <<<"$(grep -P '^rare\t' "$G/queries.tsv" | tr '\t' ' ')"
TWO="$COMMON+$MEDIUM"

# raw FTS5 in the sqlite3 program: the top 20 by bm25, the median of three (ms)
raw_fts() {
	local t=()
	for _ in 1 2 3; do
		t+=("$(printf ".timer on\nSELECT rowid FROM search WHERE search MATCH '%s' ORDER BY rank LIMIT 20;\n" "$1" |
			sqlite3 "$A/catalog.db" 2>&1 | awk '/^Run Time/ { printf "%.1f", $4 * 1000 }')")
	done
	median "${t[@]}"
}

"$BIN" -a "$A" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
PID=$!
for _ in $(seq 600); do
	grep -q 'serving .* on http://' "$WORK/serve.out" && break
	sleep 0.1
done
URL=$(sed -n 's/.* on \(http:[^ ]*\)\/$/\1/p' "$WORK/serve.out")
[[ -n $URL ]] || { cat "$WORK/serve.err" >&2; exit 1; }
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

ROWS=()
# measure NAME PATH [RAW]: the first request's time, then wrk RUNS times
measure() {
	local name=$1 path=$2 raw=${3:-} first rps=() p50=() p99=() out
	first=$(curl -s -o /dev/null -w '%{time_total}' "$URL$path" | awk '{ printf "%.1f", $1 * 1000 }')
	for _ in $(seq "$RUNS"); do
		out=$(wrk -t2 -c16 -d"$DURATION" --timeout 10s --latency "$URL$path")
		rps+=("$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")")
		p50+=("$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")")
		p99+=("$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")")
	done
	ROWS+=("| $name | \`$path\` | $first | $(median "${p50[@]}") | $(median "${p99[@]}") | $(median "${rps[@]}") | ${raw:--} |")
	echo "${ROWS[-1]}"
}
measure "home page" "/"
measure "browse, no query" "/search"
measure "browse, page 50" "/search?page=50"
measure "browse, works only" "/search?type=work"
measure "word in ~65 % ($COMMON_N records)" "/search?q=$COMMON" "$(raw_fts "\"$COMMON\"*")"
measure "word in ~5 % ($MEDIUM_N records)" "/search?q=$MEDIUM" "$(raw_fts "\"$MEDIUM\"*")"
measure "word in $RARE_N records" "/search?q=$RARE" "$(raw_fts "\"$RARE\"*")"
measure "two words" "/search?q=$TWO" "$(raw_fts "\"$COMMON\"* \"$MEDIUM\"*")"
measure "common word, page 50" "/search?q=$COMMON&page=50"
measure "common word, works only" "/search?q=$COMMON&type=work"
measure "work page" "/work/w-$((N / 2))"
HWM=$(awk '/^VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$PID/status")
RSS=$(awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$PID/status")

bench_machine
SECTION=$WORK/section.md
{
	echo "$BEGIN"
	echo "## Search and import at scale: \`bench/search.sh\`"
	echo
	echo "$RECORDS records made by \`bench/gen\` (BENCH_N=$N works, $FILES file(s), $JSON_MB MB of JSON) and"
	echo "$LINES subtitle lines; imported by \`cinemateca import\`, then served by one \`serve\`."
	echo "\"first\" is the first request for the page after the server started (nothing"
	echo "cached); p50, p99 and req/s are wrk's (-t2 -c16 -d$DURATION, the median of $RUNS runs), by"
	echo "then served from the cache where the principal may share it. raw FTS5: the same"
	echo "words in the sqlite3 program, the top 20 by bm25, median of three."
	echo
	echo "| what | page | first (ms) | p50 (ms) | p99 (ms) | req/s | raw FTS5 (ms) |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
	printf '%s\n' "${ROWS[@]}"
	echo
	echo "| import | figure |"
	echo "| --- | ---: |"
	echo "| generating (bench/gen) | $T_GEN s |"
	echo "| \`cinemateca import\`, wall | $T_IMPORT s |"
	echo "| \`cinemateca import\`, CPU (user + system) | $CPU_IMPORT s |"
	echo "| \`cinemateca import\`, peak memory | $RSS_IMPORT MiB |"
	echo "| subtitle lines loaded (sqlite3, cue index by trigger) | $T_CUES s |"
	echo "| \`catalog.db\` | $DB_MB MB |"
	echo "| \`serve\` memory after the runs (VmRSS, VmHWM) | $RSS MiB, $HWM MiB |"
	echo
	echo "Where \`catalog.db\`'s bytes are (dbstat; MiB, pages):"
	echo
	echo "| table or index | MiB | pages |"
	echo "| --- | ---: | ---: |"
	awk '{ printf "| %s | %s | %s |\n", $1, $2, $3 }' "$WORK/sizes"
	echo
	echo "- command: \`BENCH_N=$N BENCH_FILES=$FILES BENCH_RUNS=$RUNS BENCH_DURATION=$DURATION bench/search.sh\`"
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- commit: $COMMIT"
	echo "- machine: $(nproc) cores, $CPU, $(uname -sr); load average at the start of the runs: $LOAD"
	echo "$END"
} >"$SECTION"
bench_write_section "$OUTFILE" "$BEGIN" "$END" "$SECTION"
echo "wrote $OUTFILE"
