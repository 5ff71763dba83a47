#!/usr/bin/env bash
# bench/media.sh — throughput of /media/FILE-ID: random 1 MiB byte ranges
# of one 1 GiB object, cinemateca against nginx serving the same file.
#
#   bench/media.sh
#   CINEMATECA=build/cinemateca BENCH_DURATION=3s BENCH_RUNS=1 bench/media.sh   # quick look
#
# Builds nothing: it takes the binary ($CINEMATECA, default
# build/cinemateca), makes the demo archive in a temporary folder, writes
# a 1 GiB file of random bytes there and ingests it (--no-derive) into the
# public work dona-helena-palliri, so anonymous requests may read it. It
# starts `serve` on 127.0.0.1 port 0 and nginx (Debian package, installed
# if missing) on another loopback port, serving a hard link to the very
# object in the store: same bytes, same page cache. Before measuring it
# checks that both answer a few 1 MiB ranges with 206 and exactly the
# bytes of the original file, reads the object once so it is in the page
# cache (this measures serving, not the disk), and runs a short check run
# against each that looks at every response (bench/ranges.lua's "count").
#
# Then it runs `wrk -t2 -c64 -d10s --latency -s bench/ranges.lua` against
# cinemateca and nginx in turn (one run each, RUNS times, so a change in
# the machine's other load touches both alike); every request asks for a
# different random, unaligned 1 MiB range, with the same seed for both
# servers. It keeps the median requests/s, MiB/s and p99 latency, and the
# CPU time per request of the server and of wrk (from /proc and bash's
# `time`: less disturbed by other work on the machine than throughput),
# and rewrites the part of BENCHMARKS.md between the bench/media.sh
# markers (the file is created if missing) with a table, the ratio
# cinemateca / nginx, the exact command, the date, commit and machine.
#
# Needs 2 GiB free in the temporary folder ($TMPDIR, default /tmp): the
# file and its copy in the store (the file is removed once checked).
# Everything (server, nginx, the 1 GiB object) is removed on exit, also on
# Ctrl-C. Loopback only, about 2 minutes: 6 runs of 10 s, two check runs
# of 3 s and making the file. wrk and both servers share the machine's
# cores, so compare numbers only between runs on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-10s}
RUNS=${BENCH_RUNS:-3}
CHECK_DURATION=3s
SEED=${BENCH_SEED:-$(date +%s)}
THREADS=2
CONNECTIONS=64
SIZE=$((1024 * 1024 * 1024))    # the object
RANGE=$((1024 * 1024))          # every request's range
WORKREC=dona-helena-palliri     # a public work of the demo archive
SCRIPT=bench/ranges.lua
OUTFILE=BENCHMARKS.md
BEGIN='<!-- bench/media.sh begin -->'
END='<!-- bench/media.sh end -->'

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh

for tool in wrk curl sqlite3; do
	command -v "$tool" >/dev/null || { echo "error: $tool not found (apt-get install $tool)" >&2; exit 1; }
done
[[ -f $SCRIPT ]] || { echo "error: $SCRIPT is missing" >&2; exit 1; }
server_check_binary

TMPBASE=${TMPDIR:-/tmp}
[[ -d $TMPBASE ]] || { echo "error: the temporary folder $TMPBASE (\$TMPDIR) does not exist" >&2; exit 1; }
NEED=$((2 * SIZE))
AVAIL=$(df -P -k -- "$TMPBASE" | awk 'NR == 2 { printf "%.0f", $4 * 1024 }') || AVAIL=
if [[ -z $AVAIL ]] || ((AVAIL < NEED)); then
	echo "error: bench/media.sh needs 2 GiB free in $TMPBASE (a 1 GiB file and its copy" >&2
	echo "in the store); $((${AVAIL:-0} / 1024 / 1024)) MiB free. Set TMPDIR to a roomier folder." >&2
	exit 1
fi

bench_nginx

WORK=$(mktemp -d "$TMPBASE/cinemateca-media.XXXXXX")
at_exit rm -rf -- "$WORK"
SOURCE=$WORK/film.bin

server_make_demo "$WORK/archive"
echo "writing a 1 GiB file of random bytes"
head -c "$SIZE" /dev/urandom >"$SOURCE"
"$CINEMATECA" -a "$WORK/archive" ingest --to "$WORKREC" --role other --no-derive "$SOURCE" >/dev/null
# the file just ingested: the newest of that size on that work
read -r FILE_ID SHA < <(sqlite3 -separator ' ' "$WORK/archive/catalog.db" \
	"SELECT f.id, f.sha256 FROM file f JOIN record r ON r.id = f.record_id
	 WHERE r.slug = '$WORKREC' AND f.size = $SIZE AND f.deleted IS NULL
	 ORDER BY f.created DESC LIMIT 1") || true
OBJECT=$WORK/archive/objects/sha256/${SHA:0:2}/${SHA:2:2}/$SHA
[[ -n $FILE_ID && -f $OBJECT ]] || { echo "error: the ingested file is not in the catalogue or the store" >&2; exit 1; }

# wrk plays $CONNECTIONS clients from one address; the per-address cap
# (connections_per_address, 64 by default) is for clients on the network
echo "connections_per_address = 0" >>"$WORK/archive/cinemateca.conf"
server_start "$WORK/archive"
echo "server: $BASE (pid $SERVER_PID, $CINEMATECA), file $FILE_ID"

# nginx serves a hard link to the stored object (mode 0444) from a folder
# its unprivileged workers can enter.
mkdir -p "$WORK/www" "$WORK/nginx"
ln -- "$OBJECT" "$WORK/www/object"
chmod a+rx "$WORK" "$WORK/www"
NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	default_type application/octet-stream;
	server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; }
}
CONF
# nginx_stop: stop the master (it takes its workers along) and wait for it,
# so nothing holds the object open once the folder is removed.
nginx_stop() {
	local pid st
	pid=$(cat "$WORK/nginx/nginx.pid" 2>/dev/null) || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do
		# gone, or a zombie nobody has reaped yet (it has closed its files)
		st=$(ps -o stat= -p "$pid" 2>/dev/null) || return 0
		[[ ${st// /} != Z* ]] || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}
at_exit nginx_stop
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon on;'
C_URL="$BASE/media/$FILE_ID"
N_URL="http://127.0.0.1:$NGINX_PORT/object"

# check_range URL FIRST: a 206 with the right Content-Range and exactly the
# original file's RANGE bytes from FIRST.
check_range() {
	local url=$1 first=$2 last=$(($2 + RANGE - 1)) code
	code=$(curl -s --max-time 20 -r "$first-$last" -D "$WORK/headers" -o "$WORK/got" -w '%{http_code}' "$url")
	[[ $code == 206 ]] || { echo "error: $url, bytes $first-$last: $code, not 206" >&2; exit 1; }
	grep -qi "^content-range: bytes $first-$last/$SIZE"$'\r'"\?\$" "$WORK/headers" ||
		{ echo "error: $url, bytes $first-$last: wrong Content-Range:" >&2; cat "$WORK/headers" >&2; exit 1; }
	dd if="$SOURCE" of="$WORK/want" bs=1M iflag=skip_bytes,count_bytes skip="$first" count="$RANGE" status=none
	cmp -s "$WORK/got" "$WORK/want" ||
		{ echo "error: $url, bytes $first-$last: not the file's bytes" >&2; exit 1; }
}
ODD=$((SIZE / 3 + 12345))   # an unaligned start
for url in "$C_URL" "$N_URL"; do
	for first in 0 "$ODD" $((SIZE - RANGE)); do
		check_range "$url" "$first"
	done
done
echo "both answer 206 with the file's bytes (3 ranges each)"
rm -f -- "$SOURCE" "$WORK/got" "$WORK/want"

cat -- "$OBJECT" >/dev/null   # into the page cache

# wrk_run OUT DURATION URL [count]: one wrk run with the ranges script;
# the CPU seconds wrk used (user + system) go to OUT.cpu.
wrk_run() {
	local TIMEFORMAT='%3U %3S'
	# timeout only guards a hang (wrk stops by itself after -d);
	# --foreground lets Ctrl-C reach wrk
	{ time timeout --foreground 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --timeout 5s --latency \
		-s "$SCRIPT" "$3" -- "$SIZE" "$SEED" ${4:+"$4"} >"$1" 2>&4; } 4>&2 2>"$1.cpu"
}

# cpu_ticks PID...: the CPU time (user + system, all threads) the
# processes have used so far, in clock ticks.
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() {
	local pid t=0
	for pid in "$@"; do
		# the fields after the command name, which is in parentheses
		t=$((t + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
	done
	echo "$t"
}

# check URL LABEL: a short run that looks at every response; sets CHECKED.
check() {
	local out=$WORK/wrk.txt bad
	wrk_run "$out" "$CHECK_DURATION" "$1" count
	bad=$(awk '$1 == "ranges:" { print $9 + $11 }' "$out")
	CHECKED=$(awk '$1 == "ranges:" { print $3 }' "$out")
	[[ -n $bad && -n $CHECKED ]] || { echo "error: cannot read wrk's output:" >&2; cat "$out" >&2; exit 1; }
	printf '%-12s check run: %d responses, %d not a 206 of 1 MiB\n' "$2" "$CHECKED" "$bad"
	((bad == 0)) || { echo "error: $2 answered $bad responses that are not 206 with 1 MiB" >&2; exit 1; }
}

# measure URL LABEL RUN PID...: one run; sets M_RPS, M_MIBS, M_P99, M_ERR,
# and M_SCPU and M_WCPU: the CPU microseconds per request the server (its
# processes PID...) and wrk used.
measure() {
	local url=$1 label=$2 run=$3 out=$WORK/wrk.txt l t0 t1
	shift 3
	t0=$(cpu_ticks "$@")
	wrk_run "$out" "$DURATION" "$url"
	t1=$(cpu_ticks "$@")
	M_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	l=$(awk '$1 == "99%" { print $2 }' "$out")
	# errors: statuses above 399, socket errors and timeouts
	M_ERR=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i } END { print n + 0 }' "$out")
	# every byte received over the run's exact duration, headers included
	M_MIBS=$(awk '$1 == "ranges:" { printf "%.1f", $5 / $7 / 1048576 }' "$out")
	[[ -n $M_RPS && -n $l && -n $M_MIBS ]] || { echo "error: cannot read wrk's output:" >&2; cat "$out" >&2; exit 1; }
	# Without "count" wrk does not read the statuses of 2xx answers, so a
	# 200 with the whole object would pass as a success: the bytes tell.
	# Each complete answer is 1 MiB plus headers (under 2 KiB); at most one
	# unfinished answer per connection is read when the run stops.
	awk -v s="$RANGE" -v c="$CONNECTIONS" '$1 == "ranges:" {
		extra = $5 - $3 * s
		exit !(extra >= 0 && extra <= $3 * 2048 + c * (s + 2048))
	}' "$out" || { echo "error: $label received answers that are not 1 MiB ranges:" >&2; cat "$out" >&2; exit 1; }
	M_P99=$(to_ms "$l")
	M_SCPU=$(awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" '$1 == "ranges:" { printf "%.0f", t / hz * 1e6 / $3 }' "$out")
	M_WCPU=$(awk -v f="$out.cpu" '$1 == "ranges:" { while ((getline c < f) > 0) last = c; split(last, v, " "); printf "%.0f", (v[1] + v[2]) * 1e6 / $3 }' "$out")
	printf '%-12s run %d: %9s req/s %9s MiB/s  p99 %8s ms  errors %d  CPU/request: server %s us, wrk %s us\n' \
		"$label" "$run" "$M_RPS" "$M_MIBS" "$M_P99" "$M_ERR" "$M_SCPU" "$M_WCPU"
}

check "$C_URL" cinemateca; C_CHECKED=$CHECKED
check "$N_URL" nginx; N_CHECKED=$CHECKED
# nginx's workers do the serving (the master only watches them)
mapfile -t NGINX_WORKERS < <(pgrep -P "$(cat "$WORK/nginx/nginx.pid")")
[[ ${#NGINX_WORKERS[@]} -gt 0 ]] || { echo "error: no nginx worker processes" >&2; exit 1; }
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
C_RPSS=() C_MIBSS=() C_P99S=() C_SCPUS=() C_WCPUS=() C_ERR=0
N_RPSS=() N_MIBSS=() N_P99S=() N_SCPUS=() N_WCPUS=() N_ERR=0
for run in $(seq "$RUNS"); do
	measure "$C_URL" cinemateca "$run" "$SERVER_PID"
	server_alive || { echo "error: the server died under load" >&2; server__tail; exit 1; }
	C_RPSS+=("$M_RPS") C_MIBSS+=("$M_MIBS") C_P99S+=("$M_P99") C_ERR=$((C_ERR + M_ERR))
	C_SCPUS+=("$M_SCPU") C_WCPUS+=("$M_WCPU")
	measure "$N_URL" nginx "$run" "${NGINX_WORKERS[@]}"
	N_RPSS+=("$M_RPS") N_MIBSS+=("$M_MIBS") N_P99S+=("$M_P99") N_ERR=$((N_ERR + M_ERR))
	N_SCPUS+=("$M_SCPU") N_WCPUS+=("$M_WCPU")
done
server_stop
nginx_stop
[[ $N_ERR -eq 0 ]] || { echo "error: nginx answered errors; see $WORK/nginx/error.log" >&2; exit 1; }

C_RPS=$(median "${C_RPSS[@]}") C_MIBS=$(median "${C_MIBSS[@]}") C_P99=$(median "${C_P99S[@]}")
N_RPS=$(median "${N_RPSS[@]}") N_MIBS=$(median "${N_MIBSS[@]}") N_P99=$(median "${N_P99S[@]}")
C_SCPU=$(median "${C_SCPUS[@]}") C_WCPU=$(median "${C_WCPUS[@]}")
N_SCPU=$(median "${N_SCPUS[@]}") N_WCPU=$(median "${N_WCPUS[@]}")
RATIO=$(awk -v a="$C_RPS" -v b="$N_RPS" 'BEGIN { printf "%.2f", a / b }')
# what the ratio would be if the cores did nothing but serve and receive
CPU_RATIO=$(awk -v a=$((C_SCPU + C_WCPU)) -v b=$((N_SCPU + N_WCPU)) 'BEGIN { printf "%.2f", b / a }')
echo "ratio cinemateca / nginx (median requests/s): $RATIO; by CPU per request (server + wrk): $CPU_RATIO"

bench_machine

SECTION=$WORK/section.md
{
	echo "$BEGIN"
	echo "## Media: \`bench/media.sh\`"
	echo
	echo "One 1 GiB object of random bytes, stored by \`ingest\` for a public work and"
	echo "read from the page cache. Every request asks for a different random 1 MiB"
	echo "range (unaligned, \`Range: bytes=START-END\`, bench/ranges.lua) and gets a 206."
	echo "cinemateca answers \`/media/FILE-ID\` (one \`serve\` process); the reference is"
	echo "nginx (\`sendfile on\`, $(nproc) workers) serving a hard link to the same object"
	echo "with the same wrk command, run in turn with cinemateca, $RUNS runs each. The table"
	echo "gives the medians of those runs (MiB/s: every byte received, headers"
	echo "included, over the run) and the errors of all runs added up (statuses"
	echo "above 399, socket errors, timeouts). CPU µs/req: user + system time of"
	echo "the server's processes and of wrk over the run, per request (the kernel's"
	echo "loopback work lands on either side). Before measuring, a ${CHECK_DURATION} run"
	echo "against each looked at every response: all were 206 with exactly 1 MiB."
	echo
	echo "| server | req/s | MiB/s | p99 (ms) | errors | server CPU µs/req | wrk CPU µs/req | checked responses |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	echo "| cinemateca \`/media/FILE-ID\` | $C_RPS | $C_MIBS | $C_P99 | $C_ERR | $C_SCPU | $C_WCPU | $C_CHECKED |"
	echo "| nginx, same object | $N_RPS | $N_MIBS | $N_P99 | $N_ERR | $N_SCPU | $N_WCPU | $N_CHECKED |"
	echo
	echo "Ratio cinemateca / nginx (median requests/s): **$RATIO** (goal: at least 0.9)."
	echo "By CPU time per request, server and wrk together (nginx / cinemateca): $CPU_RATIO."
	echo
	echo "- runs, req/s: cinemateca ${C_RPSS[*]}; nginx ${N_RPSS[*]}"
	echo "- command: \`CINEMATECA=$CINEMATECA BENCH_DURATION=$DURATION BENCH_RUNS=$RUNS BENCH_SEED=$SEED bench/media.sh\`,"
	echo "  which runs \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout 5s --latency -s $SCRIPT URL -- $SIZE $SEED\`"
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- commit: $COMMIT"
	echo "- load average before the runs: $LOAD"
	echo "- machine: $(nproc) cores, ${CPU:-unknown CPU}, Linux $(uname -r), $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), wrk $(wrk -v 2>&1 | awk 'NR == 1 { print $2 }')"
	echo "$END"
} >"$SECTION"

bench_write_section "$OUTFILE" "$BEGIN" "$END" "$SECTION"
echo "wrote the bench/media.sh section of $OUTFILE:"
cat "$SECTION"
