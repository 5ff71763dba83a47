#!/usr/bin/env bash
# bench/api.sh — the JSON API's keyset pages and the sitemap on a large
# archive.
#
#   bench/api.sh                 # 70,000 generated records, a quarter private
#   BENCH_RECORDS=20000 bench/api.sh
#
# Imports the generated records into a fresh archive, serves it, and
# times with curl (median of BENCH_RUNS): a page of 500 records at the
# start, middle and end of /api/v1/records (keyset: each should cost the
# same wherever it is), a page of 500 changes, a search, /sitemap.xml (an
# index past 50,000 public records) and its first, fullest part; then the
# server's peak resident memory. Rewrites its section of BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh

N=${BENCH_RECORDS:-70000}
RUNS=${BENCH_RUNS:-5}
OUTFILE=BENCHMARKS.md
BEGIN='<!-- bench/api.sh begin -->'
END='<!-- bench/api.sh end -->'
W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-bench-api.XXXXXX")
at_exit rm -rf -- "$W"

python3 - "$N" >"$W/recs.json" <<'PY'
import json, sys
n = int(sys.argv[1])
recs = [{"type": "subject", "slug": f"subject-{i}", "access": "private" if i % 4 == 0 else "public",
         "titles": [{"text": f"Tema número {i}", "lang": "es"}]} for i in range(n)]
json.dump({"format": "cinemateca-import", "version": 1, "records": recs}, sys.stdout)
PY
"$CINEMATECA" -a "$W/a" init >/dev/null
s=$EPOCHREALTIME
"$CINEMATECA" -a "$W/a" import "$W/recs.json" >/dev/null
T_IMPORT=$(awk -v a="$s" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
server_start "$W/a"

# ms PATH: the median milliseconds of RUNS GETs of PATH (the last body in $W/body)
ms() {
	local t=() i out
	for ((i = 0; i < RUNS; i++)); do
		out=$(curl -s -o "$W/body" -w '%{http_code} %{time_total} %{size_download}' "$BASE$1")
		[[ ${out%% *} == 200 ]] || { echo "bench/api.sh: $1 answered ${out%% *}" >&2; exit 1; }
		t+=("$(awk -v v="$(cut -d' ' -f2 <<<"$out")" 'BEGIN { printf "%.1f", v * 1000 }')")
	done
	median "${t[@]}"
}
L_FIRST=$(ms '/api/v1/records?limit=500')
L_MID=$(ms "/api/v1/records?after=$((N / 2))&limit=500")
L_END=$(ms "/api/v1/records?after=$((N - 600))&limit=500")
L_CHG=$(ms "/api/v1/changes?since=$((N / 2))&limit=500")
L_SEARCH=$(ms '/api/v1/search?q=tema')
L_INDEX=$(ms /sitemap.xml)
L_PART=$(ms /sitemap-1.xml)
PART_URLS=$(grep -c '<url>' "$W/body")
PART_MB=$(awk -v b="$(stat -c %s "$W/body")" 'BEGIN { printf "%.1f", b / 1e6 }')
PEAK=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status")
server_stop
bench_machine

SECTION=$W/section.md
{
	echo "$BEGIN"
	echo "## JSON API and sitemap (bench/api.sh)"
	echo
	echo "$N generated records (a quarter private), imported in $T_IMPORT s; $CPU;"
	echo "commit $COMMIT; median of $RUNS requests with curl."
	echo
	echo "| request | ms |"
	echo "| --- | --- |"
	echo "| /api/v1/records, 500 records, first page | $L_FIRST |"
	echo "| the same, a page from the middle (keyset) | $L_MID |"
	echo "| the same, the last page | $L_END |"
	echo "| /api/v1/changes, 500 changes from the middle | $L_CHG |"
	echo "| /api/v1/search?q=tema (every record matches; 20 hits and facets) | $L_SEARCH |"
	echo "| /sitemap.xml (an index past 50,000 public records) | $L_INDEX |"
	echo "| /sitemap-1.xml ($PART_URLS URLs, $PART_MB MB) | $L_PART |"
	echo
	echo "The server's peak resident memory over the run: $PEAK MiB."
	echo "$END"
} >"$SECTION"
bench_write_section "$OUTFILE" "$BEGIN" "$END" "$SECTION"
cat "$SECTION"
