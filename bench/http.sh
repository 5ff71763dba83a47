#!/usr/bin/env bash
# bench/http.sh — HTTP throughput and tail latency of `cinemateca serve`.
#
#   bench/http.sh
#   CINEMATECA=build/cinemateca BENCH_DURATION=3s BENCH_RUNS=1 bench/http.sh   # quick look
#
# Builds nothing: it takes the binary ($CINEMATECA, default
# build/cinemateca), makes the demo archive in a temporary folder (with
# the sample film of tools/demo-media.sh, so the work page has its player
# and transcript), starts `serve` on 127.0.0.1 port 0 and runs
# `wrk -t2 -c64 -d10s --latency` three times against each of four pages:
# home, a search, a search found only in what a film says, a work. It keeps the median requests/s
# and the median p99 latency of the three runs and rewrites the part of
# BENCHMARKS.md between the bench/http.sh markers (the file is created if
# missing) with a table, the exact command, the date and the machine.
#
# As a reference measured in the same run, nginx (Debian package, installed
# if missing) serves a static copy of the very same four pages with the
# same wrk command: the ratio says how close a page built from SQLite for
# every request comes to sending a file that is already made.
#
# Loopback only, and bounded: 24 runs of 10 s plus start-up, about five
# minutes. wrk and the server share the machine's cores, so compare numbers
# only between runs on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-10s}
RUNS=${BENCH_RUNS:-3}
THREADS=2
CONNECTIONS=64
PATHS=(/ '/search?q=palliri' '/search?q=guijarros' /work/dona-helena-palliri)
OUTFILE=BENCHMARKS.md
BEGIN='<!-- bench/http.sh begin -->'
END='<!-- bench/http.sh end -->'

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh

command -v wrk >/dev/null || { echo "error: wrk not found (apt-get install wrk)" >&2; exit 1; }
bench_nginx

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-bench.XXXXXX")
at_exit rm -rf -- "$WORK"
server_make_demo "$WORK/archive"
# the demo's sample film and captions: the work page has its player and
# transcript, and "guijarros" is found only in what is said
tools/demo-media.sh "$WORK/archive" >/dev/null
# wrk plays $CONNECTIONS clients from one address; the per-address cap
# (connections_per_address, 64 by default) is for clients on the network
echo "connections_per_address = 0" >>"$WORK/archive/cinemateca.conf"
server_start "$WORK/archive"
echo "server: $BASE (pid $SERVER_PID, $CINEMATECA)"

# Every page must answer 200 before it is measured: a fast 404 is no benchmark.
for p in "${PATHS[@]}"; do
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE$p")
	[[ $code == 200 ]] || { echo "error: $p answered $code, not 200" >&2; exit 1; }
done

# measure URL: run wrk RUNS times; sets M_RPS and M_P99 (medians) and
# M_ERRORS (summed), printing each run.
measure() {
	local url=$1 label=$2 rps=() p99=() r l e out=$WORK/wrk.txt
	M_ERRORS=0
	for run in $(seq "$RUNS"); do
		# timeout: wrk stops by itself after -d; this only guards a hang.
		timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 5s --latency "$url" >"$out"
		r=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
		l=$(awk '$1 == "99%" { print $2 }' "$out")
		e=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i } END { print n + 0 }' "$out")
		[[ -n $r && -n $l ]] || { echo "error: cannot read wrk's output:" >&2; cat "$out" >&2; exit 1; }
		rps+=("$r") p99+=("$(to_ms "$l")") M_ERRORS=$((M_ERRORS + e))
		printf '%-36s run %d: %10s req/s  p99 %8s ms  errors %d\n' "$label" "$run" "$r" "${p99[-1]}" "$e"
	done
	M_RPS=$(median "${rps[@]}") M_P99=$(median "${p99[@]}")
}

# The reference: nginx serving the same bytes as static files. Its
# workers run as an unprivileged user, so they must be able to read them.
mkdir -p "$WORK/static" "$WORK/nginx"
for i in "${!PATHS[@]}"; do
	curl -s --max-time 10 "$BASE${PATHS[$i]}" >"$WORK/static/page$i.html"
done
chmod a+rx "$WORK" "$WORK/static"
chmod a+r "$WORK"/static/*
NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	default_type text/html;
	server { listen 127.0.0.1:$NGINX_PORT; root $WORK/static; }
}
CONF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon on;'
at_exit sh -c "kill \$(cat '$WORK/nginx/nginx.pid' 2>/dev/null) 2>/dev/null || true"

ROWS=()
for i in "${!PATHS[@]}"; do
	p=${PATHS[$i]}
	measure "$BASE$p" "$p"
	server_alive || { echo "error: the server died under load" >&2; server__tail; exit 1; }
	c_rps=$M_RPS c_p99=$M_P99 c_err=$M_ERRORS
	measure "http://127.0.0.1:$NGINX_PORT/page$i.html" "nginx, static copy of $p"
	[[ $M_ERRORS -eq 0 ]] || { echo "error: nginx answered errors; see $WORK/nginx/error.log" >&2; exit 1; }
	ratio=$(awk -v a="$c_rps" -v b="$M_RPS" 'BEGIN { printf "%.2f", a / b }')
	ROWS+=("| \`$p\` | $c_rps | $c_p99 | $c_err | $M_RPS | $M_P99 | $ratio |")
done
server_stop

bench_machine

SECTION=$WORK/section.md
{
	echo "$BEGIN"
	echo "## HTTP: \`bench/http.sh\`"
	echo
	echo "Demo archive, one \`serve\` process on loopback, wrk on the same machine."
	echo "Each page measured $RUNS times; the table gives the median requests/s and the"
	echo "median p99 latency of those runs, and the errors of all of them added up."
	echo "The reference is nginx serving a static copy of the same page, measured in"
	echo "the same run with the same wrk command; ratio = cinemateca / nginx."
	echo
	echo "| page | cinemateca req/s | p99 (ms) | errors | nginx static req/s | nginx p99 (ms) | ratio |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	printf '%s\n' "${ROWS[@]}"
	echo
	echo "- command: \`CINEMATECA=$CINEMATECA BENCH_DURATION=$DURATION BENCH_RUNS=$RUNS bench/http.sh\`,"
	echo "  which runs \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout 5s --latency http://127.0.0.1:PORT/PAGE\`"
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- commit: $COMMIT"
	echo "- machine: $(nproc) cores, ${CPU:-unknown CPU}, Linux $(uname -r)"
	echo "$END"
} >"$SECTION"

bench_write_section "$OUTFILE" "$BEGIN" "$END" "$SECTION"
echo "wrote the bench/http.sh section of $OUTFILE:"
cat "$SECTION"
