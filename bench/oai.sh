#!/usr/bin/env bash
# bench/oai.sh — a full OAI-PMH ListRecords harvest: records per second and
# the server's peak memory.
#
#   bench/oai.sh                          # 100,000 public works, 3 runs
#   BENCH_RECORDS=20000 BENCH_RUNS=5 bench/oai.sh
#
# A fresh archive holds RECORDS generated public works (tests/oai/gen.py,
# imported as JSON: two titles, two descriptions, a date, a country, a
# form, one collection). One `cinemateca serve` answers; a client as light
# as a harvester can be (one kept-alive connection, the token cut out with
# a regular expression, no XML parsing) walks ListRecords to its end
# through the resumption tokens, RUNS times for
# oai_dc and RUNS times for pbcore. Kept: the median records per second,
# and the server's peak resident memory (VmHWM) after starting and after
# all the harvests. Rewrites its section of BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

BIN=${CINEMATECA:-build/cinemateca}
N=${BENCH_RECORDS:-100000}
RUNS=${BENCH_RUNS:-3}
OUTFILE=BENCHMARKS.md
BEGIN='<!-- bench/oai.sh begin -->'
END='<!-- bench/oai.sh end -->'

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-oai-bench.XXXXXX")
PID=
cleanup() {
	[[ -z $PID ]] || { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; }
	rm -rf -- "$WORK"
}
trap cleanup EXIT
A=$WORK/archive

echo "making an archive of $N public works"
"$BIN" -a "$A" init >/dev/null
printf '{"format": "cinemateca-import", "version": 1, "records": [{"type": "collection", "slug": "bench", "titles": [{"text": "Bench"}], "access": "public"}]}' >"$WORK/coll.json"
"$BIN" -a "$A" import "$WORK/coll.json" >/dev/null
python3 tests/oai/gen.py "$N" 1 --collection bench >"$WORK/gen.json"
s=$(date +%s.%N)
"$BIN" -a "$A" import "$WORK/gen.json" >/dev/null
e=$(date +%s.%N)
T_IMPORT=$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.1f", b - a }')
echo "imported in $T_IMPORT s"

"$BIN" -a "$A" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
PID=$!
for _ in $(seq 100); do
	grep -q 'serving .* on http://' "$WORK/serve.out" && break
	sleep 0.05
done
URL=$(sed -n 's/.* on \(http:[^ ]*\)\/$/\1/p' "$WORK/serve.out")/oai
hwm() { awk '/^VmHWM/ { print $2 }' "/proc/$PID/status"; }
HWM_START=$(hwm)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)	# others' work on a shared machine shows here

# harvest PREFIX: walk ListRecords to the end over one kept-alive
# connection, as a harvester does; prints records, pages and seconds
harvest() {
	python3 - "$URL" "$1" <<'PY'
import http.client, re, sys, time, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
q = "verb=ListRecords&metadataPrefix=" + sys.argv[2]
recs = pages = 0
t = time.monotonic()
while True:
    conn.request("GET", url.path + "?" + q)
    body = conn.getresponse().read()
    pages += 1
    recs += body.count(b"<record>")
    m = re.search(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>", body)
    if not m:
        break
    q = "verb=ListRecords&resumptionToken=" + urllib.parse.quote(m.group(1).decode())
print(recs, pages, "%.3f" % (time.monotonic() - t))
PY
}

declare -A RATE
for fmt in oai_dc pbcore; do
	rates=()
	for _ in $(seq "$RUNS"); do
		read -r RECS PAGES SECS < <(harvest "$fmt")
		r=$(awk -v n="$RECS" -v t="$SECS" 'BEGIN { printf "%.0f", n / t }')
		rates+=("$r")
		printf '%-8s %d records in %d pages: %s records/s\n' "$fmt" "$RECS" "$PAGES" "$r"
		if [[ $RECS -lt $N ]]; then
			echo "error: the harvest gave $RECS records, fewer than the $N made" >&2
			exit 1
		fi
	done
	RATE[$fmt]=$(median "${rates[@]}")
	eval "ALL_$fmt=\"\${rates[*]}\""
done
HWM_END=$(hwm)
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=

bench_machine
SECTION=$WORK/section.md
{
	echo "$BEGIN"
	echo "## OAI-PMH harvest: \`bench/oai.sh\`"
	echo
	echo "A full ListRecords harvest of $N generated public works (and their collection) through"
	echo "the resumption tokens, by one client on one kept-alive connection; median of $RUNS runs per format. Goal: 20,000"
	echo "records/s."
	echo
	echo "| format | median records/s | runs | vs goal |"
	echo "| --- | ---: | --- | ---: |"
	# shellcheck disable=SC2154 # ALL_* are set by eval above
	echo "| oai_dc | ${RATE[oai_dc]} | $ALL_oai_dc | $(awk -v r="${RATE[oai_dc]}" 'BEGIN { printf "%.2f", r / 20000 }') |"
	# shellcheck disable=SC2154
	echo "| pbcore | ${RATE[pbcore]} | $ALL_pbcore | $(awk -v r="${RATE[pbcore]}" 'BEGIN { printf "%.2f", r / 20000 }') |"
	echo
	echo "Server peak resident memory (VmHWM): $HWM_START KiB once started, $HWM_END KiB after"
	echo "$((2 * RUNS)) full harvests. Import of the $N records: $T_IMPORT s."
	echo
	echo "- command: \`BENCH_RECORDS=$N BENCH_RUNS=$RUNS bench/oai.sh\`"
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $COMMIT"
	echo "- machine: $(nproc) cores, ${CPU:-unknown CPU}, Linux $(uname -r); load average $LOAD"
	echo "  when the harvests began (the runs spread with it: a busy shared machine)"
	echo "$END"
} >"$SECTION"
bench_write_section "$OUTFILE" "$BEGIN" "$END" "$SECTION"
cat "$SECTION"
