#!/usr/bin/env bash
# tests/server/run.sh — the server under hostile clients, locks and its log,
# against the real binary on loopback.
#
#   tests/server/run.sh
#   CINEMATECA=build/asan/cinemateca tests/server/run.sh
#
# 1. Slow clients: from eleven other loopback addresses (127.0.0.2 ...
#    127.0.0.12) 1,100 connections send their headers one byte a second,
#    opening again whenever the server closes them, while a normal client
#    from 127.0.0.1 must keep being served quickly; one address cannot hold
#    more than connections_per_address connections; a connection that
#    drips its headers is closed once header_timeout has passed, though
#    every byte resets libmicrohttpd's idle timeout.
# 2. Locks: while another process holds the catalogue's write lock (as a
#    long import does), a logged-in visitor whose session is due a touch
#    gets every page quickly (the touch is skipped, not waited for); a
#    write that meets the lock is a 503 with Retry-After, not a 303 that
#    did nothing nor a 500; a login, whose failure must be counted, is a
#    503 either way after one busy wait (not a 403 after three); a
#    screener's page of its work (which logs a use) does not wait either,
#    and a use it could not log is said in the server's log.
# 3. The log: that 503 leaves one line with its cause; a flood of
#    malformed requests leaves a bounded number of lines.
#
# Prints one line per check and ends with "server: N passed, N failed"
# (server-asan for a binary under build/asan/), written to build/results.

# check ... eval '...' evaluates its single-quoted test later, on purpose.
# shellcheck disable=SC2016
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
SLOW=tests/server/slow-client.pl
HEADER_TIMEOUT=2	# seconds, set in the test archive's cinemateca.conf
PER_ADDRESS=64		# the default connections_per_address
FAST_MS=1500		# a page "served quickly" (the busy timeout is 5 s)

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

# the attack needs more open files than a login shell's usual 1,024
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-server.XXXXXX")
at_exit rm -rf -- "$W"
A=$W/archive

# http JAR METHOD PATH [CURL ARGS...]: one request from 127.0.0.1; JAR a
# cookie file or - for none. Sets STATUS and MS (the time it took); the
# reply is in $W/body and $W/headers.
http() {
	local cj=$1 method=$2 path=$3 out
	shift 3
	local args=(-s -g --noproxy '*' --max-time 8 -o "$W/body" -D "$W/headers"
		-w '%{http_code} %{time_total}')
	[[ $cj == - ]] || args+=(-b "$cj" -c "$cj")
	[[ $method == GET ]] || args+=(-X "$method")
	: >"$W/body"
	: >"$W/headers"
	out=$(curl "${args[@]}" "$@" "$BASE$path" 2>/dev/null) || true
	STATUS=${out%% *}
	[[ -n $STATUS ]] || STATUS=000
	MS=$(awk -v t="${out#* }" 'BEGIN { printf "%d", t * 1000 }')
}

echo "== setup ($BIN)"
if ! "$BIN" -a "$A" init >"$W/cli.out" 2>&1; then
	echo "error: cannot make an archive: $(cat "$W/cli.out")" >&2
	exit 1
fi
sed -i "s/^header_timeout = .*/header_timeout = $HEADER_TIMEOUT/" "$A/cinemateca.conf"
check "cinemateca.conf has the default connections_per_address" "$(cat "$A/cinemateca.conf")" \
	grep -q "^connections_per_address = $PER_ADDRESS\$" "$A/cinemateca.conf"
check "cinemateca.conf has header_timeout" "$(cat "$A/cinemateca.conf")" \
	grep -q "^header_timeout = $HEADER_TIMEOUT\$" "$A/cinemateca.conf"
PW='correct horse battery'
printf '%s\n' "$PW" | "$BIN" -a "$A" user add reader1 --role viewer --password-stdin \
	>"$W/cli.out" 2>&1 || fail "user add reader1" "$(cat "$W/cli.out")"
# a private work, for a screener link
cat >"$W/work.json" <<'JSON'
{"format": "cinemateca-import", "version": 1, "records": [
 {"type": "work", "slug": "locked-private-work", "access": "private", "date": "1983",
  "titles": [{"text": "Película privada", "lang": "es", "kind": "original"}]}]}
JSON
"$BIN" -a "$A" import "$W/work.json" >"$W/cli.out" 2>&1 || fail "import a private work" "$(cat "$W/cli.out")"
"$BIN" -a "$A" screener locked-private-work --for "Festival" --days 2 >"$W/cli.out" 2>&1 ||
	fail "screener locked-private-work" "$(cat "$W/cli.out")"
SCREENER=$(grep -o '/screener/[A-Za-z0-9._~-]*' "$W/cli.out" | head -n1)

# a bad setting is refused with the line and what it wants
cp -r "$A" "$W/bad"
echo "header_timeout = soon" >>"$W/bad/cinemateca.conf"
"$BIN" -a "$W/bad" serve --listen 127.0.0.1:0 >"$W/bad.out" 2>&1 </dev/null &
badpid=$!
for _ in $(seq 50); do kill -0 "$badpid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$badpid" 2>/dev/null; then
	kill "$badpid"
	fail "a bad header_timeout is refused" "the server started"
else
	wait "$badpid"
	rc=$?
	check "a bad header_timeout is refused, naming the line and what it wants" \
		"exit $rc: $(head -c 300 "$W/bad.out")" \
		eval '((rc != 0)) && grep -q "cinemateca.conf:[0-9]*: header_timeout wants whole seconds" "$W/bad.out"'
fi

if ! server_start "$A"; then
	echo "error: the server did not start" >&2
	exit 1
fi
PORT=${BASE##*:}
LOG=$SERVER_LOG_DIR/stderr
echo "server: $BASE (pid $SERVER_PID)"

http - GET /static/style.css
check "a normal request is served" "HTTP $STATUS" test "$STATUS" = 200

# ---- 1. slow clients -------------------------------------------------------

echo "== slow clients"
perl "$SLOW" attack "$PORT" 2 12 100 14 >"$W/attack.out" 2>&1 &
attack=$!
sleep 3	# let it open its connections
worst=0 bad=0 got=''
for _ in $(seq 8); do
	http - GET /static/style.css
	got+="$STATUS/${MS}ms "
	[[ $STATUS == 200 ]] || bad=1
	((MS <= worst)) || worst=$MS
	http - GET /
	got+="$STATUS/${MS}ms "
	[[ $STATUS == 200 ]] || bad=1
	((MS <= worst)) || worst=$MS
	sleep 1
done
if ((bad == 0 && worst <= FAST_MS)); then
	pass "during the attack, 127.0.0.1 is served (16 pages, slowest ${worst} ms)"
else
	fail "during the attack, 127.0.0.1 is served within $FAST_MS ms" "$got"
fi
wait "$attack"
read -r _ _ _ closed _ peak <"$W/attack.out" || true
echo "     attack: $(cat "$W/attack.out")"
check "the attack was real (over 500 connections held at once, $peak)" "$(cat "$W/attack.out")" \
	eval '((${peak:-0} >= 500))'
check "the server closed the attackers' connections ($closed)" "$(cat "$W/attack.out")" \
	eval '((${closed:-0} > 0))'

out=$(perl "$SLOW" drip "$PORT" 127.0.0.60 0.5 8)
secs=${out##* }
if [[ $out == closed* ]] && awk -v s="$secs" -v t=$HEADER_TIMEOUT 'BEGIN { exit !(s >= t - 0.5 && s <= t + 2.5) }'; then
	pass "headers sent a byte every 0.5 s are cut at header_timeout ($out)"
else
	fail "headers sent a byte every 0.5 s are cut at header_timeout ($HEADER_TIMEOUT s)" "$out"
fi

held=$(perl "$SLOW" hold "$PORT" 127.0.0.70 100 1)
check "one address holds at most $PER_ADDRESS connections (held $held of 100)" "held $held" \
	eval '((held <= PER_ADDRESS && held >= PER_ADDRESS / 2))'

http - GET /
check "after the attack, the server answers" "HTTP $STATUS" test "$STATUS" = 200
# a kept-alive connection serves two requests in turn
out=$(curl -s --noproxy '*' --max-time 8 -o /dev/null -o /dev/null -w '%{http_code} %{num_connects}\n' \
	"$BASE/static/style.css" "$BASE/" 2>/dev/null | tr '\n' ' ')
check "two requests on one kept-alive connection are answered ($out)" "$out" \
	eval '[[ $out == "200 1 200 0 " ]]'

# ---- 2. locks ----------------------------------------------------------------

echo "== locks"
JAR=$W/jar
: >"$JAR"
http "$JAR" GET /login
csrf=$(form_csrf "$W/body")
http "$JAR" POST /login --data-urlencode "name=reader1" --data-urlencode "password=$PW" \
	--data-urlencode "csrf=$csrf"
check "reader1 logs in" "HTTP $STATUS" test "$STATUS" = 303
http "$JAR" GET /
logout_csrf=$(form_csrf "$W/body" /logout)
check "reader1's pages show the logout form" "HTTP $STATUS" test -n "$logout_csrf"
SJAR=$W/screener.jar
: >"$SJAR"
http "$SJAR" GET "$SCREENER"
check "the screener link opens (303)" "$(seen)" test "$STATUS" = 303
http "$SJAR" GET /work/locked-private-work
check "the screener's work page is 200" "$(seen)" test "$STATUS" = 200
# the session was last used an hour ago: the next page is due a touch
sqlite3 "$A/catalog.db" "UPDATE session SET last_seen = last_seen - 3600" 2>"$W/sqlite.err" ||
	fail "age the session" "$(cat "$W/sqlite.err")"

# another process takes the write lock and keeps it until told
mkfifo "$W/lock.in"
sqlite3 "$A/catalog.db" <"$W/lock.in" >"$W/lock.out" 2>&1 &
lockpid=$!
exec 3>"$W/lock.in"
printf 'BEGIN IMMEDIATE;\nUPDATE record SET updated = updated WHERE 0;\n.print locked\n' >&3
for _ in $(seq 100); do grep -q locked "$W/lock.out" && break; sleep 0.05; done
check "another process holds the write lock" "$(cat "$W/lock.out")" grep -q locked "$W/lock.out"

worst=0 bad=0 got=''
for path in / /static/style.css /search /timeline /; do
	http "$JAR" GET "$path"
	got+="$path $STATUS/${MS}ms "
	[[ $STATUS == 200 ]] || bad=1
	((MS <= worst)) || worst=$MS
done
if ((bad == 0 && worst <= FAST_MS)); then
	pass "while locked, a logged-in visitor due a touch is served quickly (slowest ${worst} ms)"
else
	fail "while locked, a logged-in visitor due a touch is served within $FAST_MS ms" "$got"
fi
check "…and is still logged in" "$(seen)" grep -q 'action="/logout"' "$W/body"

# a screener's page of its work logs a use: never waited for either
worst=0 bad=0 got=''
for _ in 1 2 3; do
	http "$SJAR" GET /work/locked-private-work
	got+="$STATUS/${MS}ms "
	[[ $STATUS == 200 ]] || bad=1
	((MS <= worst)) || worst=$MS
done
if ((bad == 0 && worst <= FAST_MS)); then
	pass "while locked, a screener's page of its work is served quickly (slowest ${worst} ms)"
else
	fail "while locked, a screener's page of its work is served within $FAST_MS ms" "$got"
fi
check "…and the use it could not record is said in the log" "$(tail -n 3 "$LOG")" \
	grep -q 'screener .* used from 127.0.0.1, not recorded: database is locked' "$LOG"

# shellcheck disable=SC2034  # read by the check's eval
lines_before=$(grep -c ' 503 ' "$LOG")
http "$JAR" POST /logout --data-urlencode "csrf=$logout_csrf"
check "a write that meets the lock is a 503 (HTTP $STATUS)" "$(seen)" test "$STATUS" = 503
check "…with Retry-After" "$(tr -d '\r' <"$W/headers")" eval '[[ -n $(header Retry-After) ]]'
check "…saying the catalogue is busy" "$(seen)" grep -q 'catálogo está ocupado' "$W/body"
sleep 0.2
lines=$(grep ' 503 POST /logout ' "$LOG")
check "…and leaves one line in the log with its cause" "log: $(tail -n 5 "$LOG")" \
	eval '(($(grep -c " 503 " "$LOG") == lines_before + 1)) && [[ $lines == *"locked"* ]]'
echo "     log: $lines"

# a login cannot record its outcome (a failure counts towards the
# throttle): 503 whether the password is right or not, after one busy wait
: >"$W/jar2"
http "$W/jar2" GET /login
csrf=$(form_csrf "$W/body")
http "$W/jar2" POST /login --data-urlencode "name=reader1" --data-urlencode "password=wrong password" \
	--data-urlencode "csrf=$csrf"
check "a failed login that cannot be counted is a 503, not a 403 (HTTP $STATUS, ${MS} ms)" \
	"$(seen)" eval '[[ $STATUS == 503 && -n $(header Retry-After) ]] && ((MS < 7000))'
http "$W/jar2" POST /login --data-urlencode "name=reader1" --data-urlencode "password=$PW" \
	--data-urlencode "csrf=$csrf"
check "a login that cannot be recorded is a 503 with no session (HTTP $STATUS, ${MS} ms)" \
	"$(seen)" eval '[[ $STATUS == 503 ]] && ! header Set-Cookie | grep -q "^sid=[^;]"'

printf 'ROLLBACK;\n' >&3
exec 3>&-
wait "$lockpid"
http "$JAR" GET /
check "the lock released, reader1 is still logged in" "$(seen)" grep -q 'action="/logout"' "$W/body"
http "$JAR" POST /logout --data-urlencode "csrf=$logout_csrf"
check "the lock released, logout works (303)" "$(seen)" test "$STATUS" = 303

# ---- 3. the log ----------------------------------------------------------------

echo "== the log"
before=$(wc -l <"$LOG")
perl -e '
	use IO::Socket::INET;
	for (1 .. 300) {
		my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$ARGV[0]") or next;
		print $s "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n";
		shutdown($s, 1);
		my $got = <$s>;
		close $s;
	}' "$PORT"
sleep 0.3
after=$(wc -l <"$LOG")
n=$((after - before))
check "300 malformed requests leave a bounded log ($n lines, at most 30)" \
	"$n lines: $(tail -n 3 "$LOG")" eval '((n >= 1 && n <= 30))'
http - GET /
check "the server still answers" "HTTP $STATUS" test "$STATUS" = 200

if server_stop; then
	pass "the server exits 0 on SIGTERM"
else
	fail "the server exits 0 on SIGTERM" "see above"
fi
if grep -q 'ERROR: AddressSanitizer\|runtime error:' "$LOG"; then
	fail "no sanitizer reports" "$(grep -m3 'AddressSanitizer\|runtime error' "$LOG")"
fi
check_summary server "$CINEMATECA"
