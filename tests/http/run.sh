#!/usr/bin/env bash
# tests/http/run.sh — run the numbered HTTP cases in tests/http/cases.txt
# against the real binary, then put every HTML page they got through the
# Nu Html Checker.
#
#   tests/http/run.sh            # every case
#   tests/http/run.sh 007 031    # only these cases
#   CINEMATECA=build/asan/cinemateca tests/http/run.sh
#
# It makes a fresh demo archive in a temporary folder, starts
# `$CINEMATECA -a ARCHIVE serve --listen 127.0.0.1:0`, sends each case's
# request with curl (the request target is sent byte for byte), checks the
# expectations, and saves every HTML body of a 2xx or 4xx reply as
# build/tests/http/NNN.html. A case fails if an expectation fails or if its
# page has a validator error. The server must still be alive after every
# case and must exit with status 0 on SIGTERM at the end.
#
# Case format (see the top of cases.txt): a block starting "# NNN title",
# one request line "METHOD TARGET", then directives:
#   send-header NAME: VALUE   extra request header (repeatable)
#   send-body TEXT            request body (POST without one sends an empty body)
#   status N [N...]           reply status is one of these (required)
#   header NAME: TEXT         some NAME header contains TEXT (both ignoring case)
#   no-header NAME            no NAME header in the reply
#   body-has TEXT             body contains TEXT (bytes, case-sensitive)
#   body-lacks TEXT           body does not contain TEXT
#   body-matches REGEX        body matches the POSIX extended REGEX (newlines
#                             are ordinary characters, so [^<]* spans lines)
#   max-bytes N               body is at most N bytes (0 for HEAD)
# In TARGET, VALUE, TEXT and REGEX, @repeat(STRING,N) stands for STRING
# written N times. Trailing spaces on a line are ignored. HEAD requests are
# sent over a raw socket so that a body sent by mistake is seen.
#
# Prints one line per case and ends with "N passed, N failed"; exits 1 if
# any case failed, 2 if cases.txt itself is malformed. A run of every case
# also writes the totals to build/results/http (http-asan for a binary
# under build/asan/) for `make check`'s summary.

set -euo pipefail
cd "$(dirname "$0")/../.."

CASES=${HTTP_CASES:-tests/http/cases.txt}   # another file, for trying the runner
# http, or http-asan for the sanitizer build: names the results and the
# folder of pages, so each build's pages stay to be looked at
SUITE=http
[[ ${CINEMATECA:-} != */asan/* ]] || SUITE=http-asan
OUT=build/tests/$SUITE
VNU_JAR=tests/node_modules/vnu-jar/build/dist/vnu.jar
CURL_TIMEOUT=20

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh

# ---- reading cases.txt -------------------------------------------------

# Parallel arrays, one entry per case.
CASE_NUM=() CASE_TITLE=() CASE_METHOD=() CASE_TARGET=() CASE_LINES=()

die_cases() {
	echo "$CASES:$1: $2" >&2
	exit 2
}

# expand TEXT: replace every @repeat(STRING,N) with STRING repeated N times.
expand() {
	local s=$1 re='@repeat\(([^()]*),([0-9]+)\)' piece rep
	while [[ $s =~ $re ]]; do
		piece=${BASH_REMATCH[1]}
		rep=$(printf "%${BASH_REMATCH[2]}s" '')
		rep=${rep// /"$piece"}
		s=${s/"${BASH_REMATCH[0]}"/"$rep"}
	done
	printf '%s' "$s"
}

parse_cases() {
	local n=0 line cur=-1 num title seen=' '
	while IFS= read -r line || [[ -n $line ]]; do
		n=$((n + 1))
		line=${line%$'\r'}
		line=${line%"${line##*[![:space:]]}"}   # trailing blanks
		if [[ $line =~ ^#\ ([0-9]{3})\ (.+)$ ]]; then
			num=${BASH_REMATCH[1]} title=${BASH_REMATCH[2]}
			[[ $seen != *" $num "* ]] || die_cases "$n" "case $num defined twice"
			seen+="$num "
			cur=${#CASE_NUM[@]}
			CASE_NUM+=("$num") CASE_TITLE+=("$title") CASE_METHOD+=("")
			CASE_TARGET+=("") CASE_LINES+=("")
			continue
		fi
		[[ -z $line || $line == \#* ]] && continue
		((cur >= 0)) || die_cases "$n" "line outside a case: $line"
		if [[ $line =~ ^([A-Z][A-Z-]*)\ (.+)$ ]]; then
			[[ -z ${CASE_METHOD[cur]} ]] || die_cases "$n" "second request line in case ${CASE_NUM[cur]}"
			CASE_METHOD[cur]=${BASH_REMATCH[1]}
			CASE_TARGET[cur]=${BASH_REMATCH[2]}
			continue
		fi
		case ${line%% *} in
		send-header | send-body | status | header | no-header | body-has | body-lacks | body-matches | max-bytes) ;;
		*) die_cases "$n" "unknown directive: $line" ;;
		esac
		[[ $line == *' '* ]] || die_cases "$n" "directive without a value: $line"
		CASE_LINES[cur]+="$line"$'\n'
	done <"$CASES"
	local i
	for i in "${!CASE_NUM[@]}"; do
		[[ -n ${CASE_METHOD[i]} ]] || die_cases 0 "case ${CASE_NUM[i]} has no request line"
		[[ ${CASE_LINES[i]} == *$'\n'status\ * || ${CASE_LINES[i]} == status\ * ]] ||
			die_cases 0 "case ${CASE_NUM[i]} has no status line"
	done
}

# ---- sending one request -----------------------------------------------

# send_curl METHOD TARGET DIR HEADERS... : reply goes to DIR/headers and
# DIR/body; prints the status code (000 if curl failed).
send_curl() {
	local method=$1 target=$2 dir=$3 body=$4
	shift 4
	local args=(-sS -g --path-as-is --max-time "$CURL_TIMEOUT"
		-o "$dir/body" -D "$dir/headers" -w '%{http_code}'
		--request-target "$target")
	local h
	for h in "$@"; do args+=(-H "$h"); done
	if [[ -n $body || $method == POST ]]; then
		args+=(--data-binary "$body")
	fi
	[[ $method == GET || $method == POST ]] || args+=(-X "$method")
	curl "${args[@]}" "$BASE/" 2>"$dir/curl.err" || true
}

# send_head TARGET DIR HEADERS... : HEAD over a raw socket with
# "Connection: close", so any body bytes the server sends are caught.
send_head() {
	local target=$1 dir=$2
	shift 2
	local hostport=${BASE#http://} fd req h
	req="HEAD $target HTTP/1.1"$'\r\n'"Host: $hostport"$'\r\n'"Connection: close"$'\r\n'
	for h in "$@"; do req+="$h"$'\r\n'; done
	req+=$'\r\n'
	if ! exec {fd}<>"/dev/tcp/${hostport%:*}/${hostport##*:}"; then
		echo "cannot connect to $hostport" >"$dir/curl.err"
		echo 000
		return
	fi
	printf '%s' "$req" >&"$fd"
	timeout "$CURL_TIMEOUT" cat <&"$fd" >"$dir/raw" || true
	exec {fd}>&-
	# Split at the first blank line: headers before it, body (if any) after.
	D=$dir perl -0777 -ne '
		my ($h, $b) = split /\r\n\r\n/, $_, 2;
		open my $H, ">", "$ENV{D}/headers" or die; print $H ($h // ""), "\r\n";
		open my $B, ">", "$ENV{D}/body" or die; print $B ($b // "");
	' <"$dir/raw" 2>"$dir/curl.err" || true
	local status
	status=$(head -n1 "$dir/headers" 2>/dev/null | sed -n 's,^HTTP/[0-9.]* \([0-9][0-9][0-9]\).*,\1,p')
	echo "${status:-000}"
}

# header_values NAME FILE: every value of header NAME (case-insensitive)
# in the last response block of FILE, one per line, without CR.
header_values() {
	LC_ALL=C awk -v want="$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')" '
		{ sub(/\r$/, "") }
		/^HTTP\// { n = 0; delete v; next }
		{
			i = index($0, ":"); if (i == 0) next
			name = tolower(substr($0, 1, i - 1))
			if (name == want) { val = substr($0, i + 1); sub(/^[ \t]+/, "", val); v[n++] = val }
		}
		END { for (k = 0; k < n; k++) print v[k] }
	' "$2"
}

# ---- running one case --------------------------------------------------

declare -A FAILED=()   # case number -> 1
PAGES=()               # saved HTML files, for the validator

# fail_case I MESSAGE: record one failed expectation of case I.
fail_case() {
	FAILED[${CASE_NUM[$1]}]=1
	printf '    %s\n' "$2"
}

run_case() {
	local i=$1 num=${CASE_NUM[$1]} method=${CASE_METHOD[$1]}
	local dir=$WORK/case-$num target body='' line key val status
	local sendh=()
	mkdir -p "$dir"
	target=$(expand "${CASE_TARGET[i]}")
	while IFS= read -r line; do
		[[ -n $line ]] || continue
		key=${line%% *} val=${line#* }
		case $key in
		send-header) sendh+=("$(expand "$val")") ;;
		send-body) body=$(expand "$val") ;;
		esac
	done <<<"${CASE_LINES[i]}"

	if [[ $method == HEAD ]]; then
		status=$(send_head "$target" "$dir" ${sendh[@]+"${sendh[@]}"})
	else
		status=$(send_curl "$method" "$target" "$dir" "$body" ${sendh[@]+"${sendh[@]}"})
	fi
	touch "$dir/body" "$dir/headers"

	local shown=$target
	((${#shown} <= 90)) || shown="${shown:0:80}... (${#target} bytes)"
	echo "$num $method $shown -> $status — ${CASE_TITLE[i]}"

	if [[ $status == 000 ]]; then
		fail_case "$i" "no reply: $(tr '\n' ' ' <"$dir/curl.err")"
	fi

	local size
	size=$(stat -c %s "$dir/body")
	while IFS= read -r line; do
		[[ -n $line ]] || continue
		key=${line%% *} val=$(expand "${line#* }")
		case $key in
		status)
			[[ " $val " == *" $status "* ]] || fail_case "$i" "status $status, expected $val"
			;;
		header)
			local name=${val%%:*} want=${val#*:}
			want=${want# }
			header_values "$name" "$dir/headers" | LC_ALL=C grep -qiF -- "$want" ||
				fail_case "$i" "header $name: '$(header_values "$name" "$dir/headers" | head -n1)', expected to contain '$want'"
			;;
		no-header)
			[[ -z $(header_values "$val" "$dir/headers") ]] ||
				fail_case "$i" "unexpected header $val: $(header_values "$val" "$dir/headers" | head -n1)"
			;;
		body-has)
			LC_ALL=C grep -qF -- "$val" "$dir/body" || fail_case "$i" "body lacks '${val:0:80}'"
			;;
		body-lacks)
			! LC_ALL=C grep -qF -- "$val" "$dir/body" || fail_case "$i" "body has '${val:0:80}'"
			;;
		body-matches)
			LC_ALL=C grep -Ezq -- "$val" "$dir/body" || fail_case "$i" "body does not match /${val:0:80}/"
			;;
		max-bytes)
			((size <= val)) || fail_case "$i" "body is $size bytes, limit $val"
			;;
		esac
	done <<<"${CASE_LINES[i]}"

	# Keep HTML pages of 2xx/4xx replies for the validator.
	if [[ $status == [24]?? && -s $dir/body ]] &&
		header_values Content-Type "$dir/headers" | grep -qi 'text/html'; then
		cp "$dir/body" "$OUT/$num.html"
		PAGES+=("$OUT/$num.html")
	fi

	if [[ -n ${FAILED[$num]:-} ]]; then
		printf '    reply headers:\n'
		sed 's/\r$//; s/^/      /' "$dir/headers" | head -n 12
		printf '    body: %s bytes, saved in %s\n' "$size" "$OUT/$num.body"
		cp "$dir/body" "$OUT/$num.body"
	fi
}

# ---- the validator -----------------------------------------------------

validate_pages() {
	((${#PAGES[@]} > 0)) || return 0
	if ! command -v java >/dev/null; then
		echo "error: java not found; the Nu Html Checker needs Java 11 or later" >&2
		exit 1
	fi
	if [[ ! -f $VNU_JAR ]]; then
		echo "tests/node_modules is missing: running npm ci in tests/" >&2
		(cd tests && npm ci --ignore-scripts --no-audit --no-fund)
	fi
	echo "validating ${#PAGES[@]} HTML pages with the Nu Html Checker"
	local report=$WORK/vnu.txt line num
	java -jar "$VNU_JAR" --errors-only --format gnu "${PAGES[@]}" >"$report" 2>&1 || true
	# Lines look like: "file:/path/build/tests/http/007.html":12.3-12.9: error: text
	# The same layout error shows on every page: print each message once,
	# with the cases it is on, and fail every one of those cases.
	local -A where=() first=()
	local order=() msg
	while IFS= read -r line; do
		[[ -n $line && $line != "Picked up "* ]] || continue
		if [[ $line =~ /([0-9]{3})\.html\":([0-9.-]+):\ (.*)$ ]]; then
			num=${BASH_REMATCH[1]} msg=${BASH_REMATCH[3]}
			FAILED[$num]=1
			if [[ -z ${where[$msg]:-} ]]; then
				order+=("$msg")
				first[$msg]="$num.html:${BASH_REMATCH[2]}"
			fi
			[[ " ${where[$msg]:-} " == *" $num "* ]] || where[$msg]+=" $num"
		else
			# Anything else from the checker (a crash, a Java error) fails the run.
			echo "    vnu: $line"
			FAILED[vnu]=1
		fi
	done <"$report"
	local cases n
	for msg in ${order[@]+"${order[@]}"}; do
		cases=${where[$msg]# }
		n=$(wc -w <<<"$cases")
		((n <= 12)) || cases="$(cut -d' ' -f1-12 <<<"$cases") ..."
		printf '    %s: %s\n      in %d page(s): %s\n' "${first[$msg]}" "$msg" "$n" "$cases"
	done
	echo "    full report: $OUT/vnu.txt"
	cp "$report" "$OUT/vnu.txt"
}

# ---- main --------------------------------------------------------------

parse_cases
ONLY=" $* "
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-http.XXXXXX")
at_exit rm -rf -- "$WORK"
rm -rf -- "$OUT"
mkdir -p "$OUT"

server_make_demo "$WORK/archive"
server_start "$WORK/archive"
echo "server: $BASE (pid $SERVER_PID, $CINEMATECA)"

ran=0
for i in "${!CASE_NUM[@]}"; do
	[[ $# -eq 0 || $ONLY == *" ${CASE_NUM[i]} "* ]] || continue
	run_case "$i"
	ran=$((ran + 1))
	if ! server_alive; then
		echo "error: the server died during case ${CASE_NUM[i]}" >&2
		FAILED[${CASE_NUM[i]}]=1
		server_stop || true
		server__tail
		break
	fi
done

if ! server_stop; then
	FAILED[shutdown]=1
fi
validate_pages

# Keys of FAILED are case numbers, plus "vnu" or "shutdown" when the
# checker or the server's exit went wrong: those count as one failure each.
failed=${#FAILED[@]}
case_failed=0
for k in "${!FAILED[@]}"; do
	[[ $k != [0-9][0-9][0-9] ]] || case_failed=$((case_failed + 1))
done
passed=$((ran - case_failed))
if ((failed > 0)); then
	echo "failed: $(printf '%s\n' "${!FAILED[@]}" | sort | tr '\n' ' ')"
fi
# A full run records its totals for `make check` (tools/summary.sh reads
# build/results/SUITE as "PASSED FAILED").
if (($# == 0)); then
	mkdir -p build/results
	echo "$passed $failed" >"build/results/$SUITE"
fi
echo "$passed passed, $failed failed"
((failed == 0))
