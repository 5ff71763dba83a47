#!/usr/bin/env bash
# tests/uploads/run.sh — resumable uploads (tus 1.0.0 at /uploads/) over
# HTTP, against the real binary, a real catalogue and a real server on
# port 0, with curl (and tests/uploads/cut.py for a PATCH cut midway).
#
# Checks what OPTIONS tells; every status the protocol defines (412 for no
# or another Tus-Resumable, 400 for a malformed Upload-Length, Upload-Offset
# or Upload-Metadata with the reason, 413 past upload_max_bytes with the
# limit in the message and for a body past the length, 415 for another
# Content-Type, 409 for a wrong offset, 404 for none of the asker's, 410
# for an expired one); who may upload (nobody: 401; a viewer: 403 unless
# viewers_contribute = yes; members, archivists, administrators, an API
# token) and the CSRF header a signed-in browser must send; that another
# account's upload answers exactly as a missing one; a PATCH cut midway
# and resumed from HEAD's offset; the server killed (SIGKILL) in the
# middle of a PATCH, restarted, and the upload resumed and finished with
# the right bytes (sha256); a full disk during a PATCH (the fault build:
# write() fails with ENOSPC) answered 507 with the offset at what is on
# disk, then resumed; a large PATCH streamed with the server's memory flat;
# termination; expiry (HEAD 410, `uploads list`, `uploads clean`, serve's
# start, a new upload's creation); and, through the unit test
# tests/unit/test_uploads.c, upload_claim and upload_release. Then the
# form upload that works without JavaScript: GET /upload?return=PATH's
# form, POST /upload streamed (303 to the return path with upload=ID, the
# bytes the file's), its CSRF field (before the file, or nothing is
# written), the return path checked to be local, malformed bodies, the
# size limit, a form cut midway leaving nothing, 250 MB with the server's
# memory flat.
#
# Prints one line per check and ends with "uploads: N passed, N failed";
# writes the totals to build/results/uploads (uploads-asan for a binary
# under build/asan/) for `make check`'s summary.

# shellcheck disable=SC2016
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
FAULTS=${FAULTS:-build/faults/cinemateca}
[[ $BIN != */asan/* ]] || FAULTS=build/asan/faults/cinemateca
PW='correct horse battery'

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-uploads.XXXXXX")
at_exit rm -rf -- "$W"
A=$W/archive

for tool in curl python3 sqlite3 sha256sum; do
	command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done

cli() { "$BIN" -a "$A" "$@" >"$W/cli.out" 2>&1; }
sql() { sqlite3 "$A/catalog.db" "$@"; }

# http JAR METHOD PATH [CURL ARGS...]: one request (JAR - for no cookies):
# status in STATUS, reply in $W/body and $W/headers.
http() {
	local cj=$1 method=$2 path=$3
	shift 3
	local args=(-s -g --noproxy '*' --max-time 60 -o "$W/body" -D "$W/headers" -w '%{http_code}')
	[[ $cj == - ]] || args+=(-b "$cj" -c "$cj")
	if [[ $method == HEAD ]]; then args+=(-I); else args+=(-X "$method"); fi
	: >"$W/body"
	STATUS=$(curl "${args[@]}" "$@" "$BASE$path" 2>/dev/null) || true
	[[ -n $STATUS ]] || STATUS=000
}
login() {
	local cj=$1 name=$2 csrf
	rm -f "$cj"
	http "$cj" GET /login
	csrf=$(form_csrf "$W/body")
	http "$cj" POST /login --data-urlencode "name=$name" --data-urlencode "password=$PW" \
		--data-urlencode "csrf=$csrf"
	http "$cj" GET /
	form_csrf "$W/body" /logout
}
detail() { jq -r '.detail // empty' "$W/body" 2>/dev/null; }
TUS=(-H 'Tus-Resumable: 1.0.0')
# as WHO: the curl arguments of a principal: a signed-in browser's cookie
# jar and CSRF header, or an API token.
declare -A CSRF JAR
# as WHO: sets AS to those arguments.
as() {
	case $1 in
	token) AS=(-H "Authorization: Bearer $TOKEN") ;;
	*) AS=(-b "${JAR[$1]}" -H "X-CSRF-Token: ${CSRF[$1]}") ;;
	esac
}
# create WHO LENGTH [CURL ARGS...]: POST /uploads/; the new upload's path in LOC.
create() {
	local who=$1 len=$2
	shift 2
	as "$who"
	http - POST /uploads/ "${TUS[@]}" "${AS[@]}" -H "Upload-Length: $len" "$@"
	LOC=$(header Location)
}
# patch WHO PATH OFFSET FILE [CURL ARGS...]: PATCH FILE's bytes.
patch() {
	local who=$1 path=$2 off=$3 file=$4
	shift 4
	as "$who"
	http - PATCH "$path" "${TUS[@]}" "${AS[@]}" -H "Upload-Offset: $off" \
		-H 'Content-Type: application/offset+octet-stream' --data-binary "@$file" "$@"
}
head_of() {
	local who=$1 path=$2
	as "$who"
	http - HEAD "$path" "${TUS[@]}" "${AS[@]}"
	OFFSET=$(header Upload-Offset)
}
id_of() { echo "${1##*/}"; }
bytes_of() { cat "$A/uploads/$(id_of "$1")"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# ---- the archive -----------------------------------------------------------

"$BIN" -a "$A" init >/dev/null 2>&1 || { echo "error: init failed" >&2; exit 1; }
cat >>"$A/cinemateca.conf" <<'CONF'
upload_max_bytes = 300000000
CONF
for u in member:community other:community viewer:viewer keeper:archivist boss:admin; do
	printf '%s\n' "$PW" | "$BIN" -a "$A" user add "${u%:*}" --role "${u#*:}" --password-stdin \
		>/dev/null 2>&1 || { echo "error: cannot add ${u%:*}" >&2; exit 1; }
done
"$BIN" -a "$A" token add script --user member >"$W/token" 2>/dev/null ||
	{ echo "error: cannot make a token" >&2; exit 1; }
TOKEN=$(cat "$W/token")
head -c 1000 /dev/urandom >"$W/small"
head -c 3000000 /dev/urandom >"$W/medium"
head -c 250000000 /dev/zero >"$W/large"

server_start "$A" || exit 1
for who in member other viewer keeper boss; do
	JAR[$who]=$W/jar.$who
	CSRF[$who]=$(login "${JAR[$who]}" "$who")
	[[ -n ${CSRF[$who]} ]] || { echo "error: $who could not sign in" >&2; exit 1; }
done

# ---- what the server speaks ----------------------------------------------

http - OPTIONS /uploads/
same "OPTIONS: 204" "$STATUS" 204
same "OPTIONS: Tus-Version" "$(header Tus-Version)" 1.0.0
same "OPTIONS: Tus-Resumable" "$(header Tus-Resumable)" 1.0.0
same "OPTIONS: Tus-Extension" "$(header Tus-Extension)" creation,termination,expiration
same "OPTIONS: Tus-Max-Size is upload_max_bytes" "$(header Tus-Max-Size)" 300000000

# ---- 412 -----------------------------------------------------------------
as member
MEM=("${AS[@]}")
http - POST /uploads/ "${MEM[@]}" -H 'Upload-Length: 10'
same "no Tus-Resumable: 412" "$STATUS" 412
same "412 says Tus-Version" "$(header Tus-Version)" 1.0.0
http - POST /uploads/ "${MEM[@]}" -H 'Tus-Resumable: 0.2.2' -H 'Upload-Length: 10'
same "Tus-Resumable 0.2.2: 412" "$STATUS" 412

# ---- who may upload ------------------------------------------------------
http - POST /uploads/ "${TUS[@]}" -H 'Upload-Length: 10'
same "nobody signed in: 401" "$STATUS" 401
create viewer 10
same "a viewer: 403" "$STATUS" 403
check "a viewer's 403 says why" "$(detail)" grep -q 'may not contribute' <<<"$(detail)"
for who in member keeper boss token; do
	create $who 10
	same "$who creates an upload: 201" "$STATUS" 201
	check "$who: Location /uploads/ID" "$LOC" grep -Eq '^/uploads/[0-9a-f]{32}$' <<<"$LOC"
	check "$who: Upload-Expires is an HTTP date" "$(header Upload-Expires)" \
		grep -Eq '^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT$' <<<"$(header Upload-Expires)"
done
U_TOKEN=$LOC
same "the token's upload is its account's" "$(sql "SELECT u.name FROM upload p JOIN user u ON u.id = p.user_id WHERE p.id = '$(id_of "$U_TOKEN")'")" member

# CSRF: a browser's state changes carry the session's token in X-CSRF-Token
http - POST /uploads/ "${TUS[@]}" -b "${JAR[member]}" -H 'Upload-Length: 10'
same "signed in, no X-CSRF-Token: 403" "$STATUS" 403
check "the 403 names the header" "$(detail)" grep -q 'X-CSRF-Token' <<<"$(detail)"
http - POST /uploads/ "${TUS[@]}" -b "${JAR[member]}" -H "X-CSRF-Token: ${CSRF[other]}" -H 'Upload-Length: 10'
same "another session's token: 403" "$STATUS" 403
http - POST /uploads/ "${TUS[@]}" -b "${JAR[member]}" -H "X-CSRF-Token: x${CSRF[member]:1}" -H 'Upload-Length: 10'
same "a changed token: 403" "$STATUS" 403
create member 10
U=$LOC
patch member "$U" 0 "$W/small" -H 'X-CSRF-Token: 00'
http - PATCH "$U" "${TUS[@]}" -b "${JAR[member]}" -H 'Upload-Offset: 0' \
	-H 'Content-Type: application/offset+octet-stream' --data-binary 'abc'
same "PATCH without X-CSRF-Token: 403" "$STATUS" 403
http - DELETE "$U" "${TUS[@]}" -b "${JAR[member]}"
same "DELETE without X-CSRF-Token: 403" "$STATUS" 403
head_of member "$U"
same "HEAD (a read) needs no CSRF token: 200, nothing written" "$STATUS/$OFFSET" 200/0

# ---- hostile Upload-Length -----------------------------------------------
for v in -1 abc 1e3 12x +5 0x10 99999999999999999999999 18446744073709551615 ''; do
	create member "$v"
	same "Upload-Length '$v': 400" "$STATUS" 400
done
http - POST /uploads/ "${TUS[@]}" "${MEM[@]}"
same "no Upload-Length: 400" "$STATUS" 400
http - POST /uploads/ "${TUS[@]}" "${MEM[@]}" -H 'Upload-Defer-Length: 1'
same "Upload-Defer-Length (not offered): 400" "$STATUS" 400
create member 300000001
same "one byte past upload_max_bytes: 413" "$STATUS" 413
check "the 413 says the limit" "$(detail)" grep -q 'at most 300000000 bytes' <<<"$(detail)"
same "the 413 gives Tus-Max-Size" "$(header Tus-Max-Size)" 300000000
create member 300000000
same "exactly upload_max_bytes: 201" "$STATUS" 201
create member 0
same "an empty file: 201" "$STATUS" 201
same "an empty upload is done at once" "$(sql "SELECT state FROM upload WHERE id = '$(id_of "$LOC")'")" done

# ---- Upload-Metadata -------------------------------------------------------
b64() { printf '%s' "$1" | base64 -w0; }
META_OK="filename $(b64 'Doña Helena, 1983.mp4'),filetype $(b64 video/mp4),relativePath,note $(b64 x)"
create member 10 -H "Upload-Metadata: $META_OK"
same "metadata with a bare key and a key of the client's own: 201" "$STATUS" 201
U_META=$LOC
same "the file name is decoded" "$(sql "SELECT filename || '|' || filetype FROM upload WHERE id = '$(id_of "$U_META")'")" 'Doña Helena, 1983.mp4|video/mp4'
head_of member "$U_META"
same "HEAD gives Upload-Metadata back as sent" "$(header Upload-Metadata)" "$META_OK"
bad_meta() {
	local name=$1 value=$2 why=$3
	create member 10 -H "Upload-Metadata: $value"
	same "metadata $name: 400" "$STATUS" 400
	check "metadata $name: the reason ($why)" "$(detail)" grep -q -- "$why" <<<"$(detail)"
}
bad_meta "not base64" "filename not*base64" "not base64"
bad_meta "base64 without padding" "filename $(b64 ab | tr -d =)" "not base64"
bad_meta "base64 not canonical" "filename YR==" "not base64"
bad_meta "a key twice" "filename $(b64 a),filename $(b64 b)" "comes twice"
bad_meta "a trailing comma" "filename $(b64 a)," "ends with a comma"
bad_meta "an empty key" ",filename $(b64 a)" "empty key"
bad_meta "two values" "filename $(b64 a) $(b64 b)" "followed by more"
bad_meta "a slash in the file name" "filename $(b64 ../../etc/passwd)" "slash"
bad_meta "a control character in the file name" "filename $(printf 'a\nb' | base64 -w0)" "control"
bad_meta "a file name not UTF-8" "filename $(printf '\xff\xfe' | base64 -w0)" "UTF-8"
bad_meta "a file name of 256 bytes" "filename $(b64 "$(printf 'a%.0s' {1..256})")" "longer than 255"
bad_meta "a file type that is no media type" "filetype $(b64 'video mp4')" "media type"
bad_meta "a key with a non-ASCII byte" "$(printf 'f\xc3\xb1 %s' "$(b64 a)")" "printable ASCII"

# ---- PATCH -----------------------------------------------------------------
create member 3000000 -H "Upload-Metadata: filename $(b64 medium.bin)"
U=$LOC
head -c 1000000 "$W/medium" >"$W/part1"
tail -c +1000001 "$W/medium" >"$W/rest"
as member
http - PATCH "$U" "${TUS[@]}" "${AS[@]}" -H 'Upload-Offset: 0' \
	-H 'Content-Type: application/octet-stream' --data-binary "@$W/part1"
same "PATCH as application/octet-stream: 415" "$STATUS" 415
http - PATCH "$U" "${TUS[@]}" "${AS[@]}" -H 'Upload-Offset: 0' --data-binary "@$W/part1"
same "PATCH as a form (curl's default): 415" "$STATUS" 415
as member
http - PATCH "$U" "${TUS[@]}" "${AS[@]}" -H 'Content-Type: application/offset+octet-stream' --data-binary 'abc'
same "PATCH without Upload-Offset: 400" "$STATUS" 400
for v in -1 abc 1.5 ''; do
	patch member "$U" "$v" "$W/part1"
	same "Upload-Offset '$v': 400" "$STATUS" 400
done
patch member "$U" 5 "$W/part1"
same "Upload-Offset past what is in: 409" "$STATUS" 409
same "the 409 gives the real Upload-Offset" "$(header Upload-Offset)" 0
patch member "$U" 0 "$W/part1"
same "the first million bytes: 204" "$STATUS" 204
same "its Upload-Offset" "$(header Upload-Offset)" 1000000
patch member "$U" 0 "$W/part1"
same "the same bytes again from 0: 409" "$STATUS" 409
head -c 2000001 /dev/zero >"$W/toolong"
patch member "$U" 1000000 "$W/toolong"
same "a body past the upload's length: 413" "$STATUS" 413
head_of member "$U"
same "nothing of the refused body was kept" "$OFFSET" 1000000
patch member "$U" 1000000 "$W/rest"
same "the rest: 204" "$STATUS/$(header Upload-Offset)" 204/3000000
same "the bytes on disk are the file's" "$(sha "$A/uploads/$(id_of "$U")")" "$(sha "$W/medium")"
same "the upload is done" "$(sql "SELECT state || ' ' || received FROM upload WHERE id = '$(id_of "$U")'")" "done 3000000"
U_DONE=$U
patch member "$U" 3000000 /dev/null
same "an empty PATCH at the end: 204" "$STATUS/$(header Upload-Offset)" 204/3000000

# chunked (no Content-Length): the same checks as the bytes come
create member 1000
patch member "$LOC" 0 "$W/small" -H 'Transfer-Encoding: chunked'
same "a chunked PATCH: 204" "$STATUS/$(header Upload-Offset)" 204/1000
create member 500
patch member "$LOC" 0 "$W/small" -H 'Transfer-Encoding: chunked'
same "a chunked PATCH past the length: 413, what fits kept" "$STATUS/$(header Upload-Offset)" 413/500

# ---- another's uploads: exactly as missing ones ---------------------------
MISSING=/uploads/0123456789abcdef0123456789abcdef
for method in HEAD PATCH DELETE; do
	as other
	for path in "$U_DONE" "$MISSING"; do
		if [[ $method == PATCH ]]; then
			patch other "$path" 0 "$W/small"
		else
			http - "$method" "$path" "${TUS[@]}" "${AS[@]}"
		fi
		cp "$W/body" "$W/body.$method.${path##*/}"
		echo "$STATUS" >"$W/status.$method.${path##*/}"
	done
	same "$method of another's upload: 404" "$(cat "$W/status.$method.$(id_of "$U_DONE")")" 404
	check "$method of another's upload: the same body as a missing one's" "differs" \
		cmp -s "$W/body.$method.$(id_of "$U_DONE")" "$W/body.$method.${MISSING##*/}"
done
same "another's PATCH and DELETE changed nothing" "$(sha "$A/uploads/$(id_of "$U_DONE")")" "$(sha "$W/medium")"
http - HEAD /uploads/not-an-id "${TUS[@]}" "${MEM[@]}"
same "HEAD of an id that is no upload's: 404" "$STATUS" 404
http - GET "$U_DONE" "${MEM[@]}"
same "GET of an upload: 405" "$STATUS" 405

# ---- a PATCH cut midway, resumed from HEAD's offset ------------------------
create member 3000000
U=$LOC
as member
sent=$(python3 tests/uploads/cut.py "$BASE" "$U" 0 "$W/medium" 1200000 -H "X-CSRF-Token: ${CSRF[member]}" -H "Cookie: $(grep -o 'sid	.*' "${JAR[member]}" | sed 's/sid\t/sid=/')")
same "cut.py sent 1200000 bytes then cut" "$sent" 1200000
sleep 0.3
head_of member "$U"
check "after the cut HEAD says what is on disk (>0, <=1200000: $OFFSET)" "offset $OFFSET" \
	test "${OFFSET:-0}" -gt 0 -a "${OFFSET:-0}" -le 1200000
same "the row says what HEAD says" "$(sql "SELECT received FROM upload WHERE id = '$(id_of "$U")'")" "$OFFSET"
tail -c +$((OFFSET + 1)) "$W/medium" >"$W/resume"
patch member "$U" "$OFFSET" "$W/resume"
same "resumed from HEAD's offset: 204, all in" "$STATUS/$(header Upload-Offset)" 204/3000000
same "the resumed upload's bytes are the file's" "$(sha "$A/uploads/$(id_of "$U")")" "$(sha "$W/medium")"

# ---- the server killed in the middle of a PATCH ----------------------------
create token 3000000
U=$LOC
python3 tests/uploads/cut.py "$BASE" "$U" 0 "$W/medium" 1500000 5 -H "Authorization: Bearer $TOKEN" >"$W/cut.out" &
CUT=$!
for ((i = 0; i < 100; i++)); do
	[[ $(stat -c %s "$A/uploads/$(id_of "$U")" 2>/dev/null || echo 0) -ge 1400000 ]] && break
	sleep 0.05
done
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
wait "$CUT" 2>/dev/null
same "before the restart the row has not recorded the killed PATCH's bytes" "$(sql "SELECT received FROM upload WHERE id = '$(id_of "$U")'")" 0
server_start "$A" || exit 1
head_of token "$U"
check "after the restart HEAD counts the bytes on disk (${OFFSET:-none})" "offset $OFFSET" \
	test "${OFFSET:-0}" -ge 1400000 -a "${OFFSET:-0}" -le 1500000
tail -c +$((OFFSET + 1)) "$W/medium" >"$W/resume"
patch token "$U" "$OFFSET" "$W/resume"
same "resumed after the restart: 204, all in" "$STATUS/$(header Upload-Offset)" 204/3000000
same "the bytes after kill, restart and resume are the file's" "$(sha "$A/uploads/$(id_of "$U")")" "$(sha "$W/medium")"
# the sessions survived the restart
head_of member "$U_DONE"
same "a session still works after the restart" "$STATUS/$OFFSET" 200/3000000

# ---- memory flat whatever the size -----------------------------------------
create member 250000000
U=$LOC
rss_before=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
patch member "$U" 0 "$W/large"
rss_after=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
same "a 250 MB PATCH: 204" "$STATUS/$(header Upload-Offset)" 204/250000000
echo "     (server peak resident memory: ${rss_before} kB before the 250 MB PATCH, ${rss_after} kB after)"
check "the server's peak memory grew by less than 16 MB for 250 MB" \
	"$rss_before kB -> $rss_after kB" test $((rss_after - rss_before)) -lt 16384
same "the 250 MB on disk" "$(stat -c %s "$A/uploads/$(id_of "$U")")" 250000000

# ---- termination -----------------------------------------------------------
create member 1000
U=$LOC
patch member "$U" 0 "$W/small"
as member
http - DELETE "$U" "${TUS[@]}" "${AS[@]}"
same "DELETE: 204" "$STATUS" 204
check "DELETE removed the bytes" "still there" test ! -e "$A/uploads/$(id_of "$U")"
head_of member "$U"
same "HEAD after DELETE: 404" "$STATUS" 404
http - DELETE "$U" "${TUS[@]}" "${AS[@]}"
same "DELETE again: 404" "$STATUS" 404

# ---- expiry ------------------------------------------------------------------
create member 1000
U_OLD=$LOC
patch member "$U_OLD" 0 "$W/part1" -H 'Content-Length: 10' --data-binary 0123456789 >/dev/null
head -c 10 "$W/small" >"$W/ten"
patch member "$U_OLD" 0 "$W/ten"
create member 1000
U_OLD2=$LOC
sql "UPDATE upload SET expires = strftime('%s', 'now') - 60 WHERE id IN ('$(id_of "$U_OLD")', '$(id_of "$U_OLD2")')"
head_of member "$U_OLD"
same "HEAD of an expired upload not yet removed: 410" "$STATUS" 410
check "the 410 says it expired" "$(detail)" true
patch member "$U_OLD" 10 "$W/ten"
same "PATCH of an expired upload: 410" "$STATUS" 410
cli uploads list
check "uploads list shows them" "$(cat "$W/cli.out")" grep -q "$(id_of "$U_OLD")" "$W/cli.out"
check "uploads list shows received/length and the account" "$(cat "$W/cli.out")" \
	grep -Eq "$(id_of "$U_OLD") +member +partial +10/1000" "$W/cli.out"
cli uploads clean
same "uploads clean removed the two" "$(cat "$W/cli.out")" "removed 2 expired uploads"
check "their bytes are gone" "still there" test ! -e "$A/uploads/$(id_of "$U_OLD")" -a ! -e "$A/uploads/$(id_of "$U_OLD2")"
head_of member "$U_OLD"
same "HEAD of a removed upload: 404" "$STATUS" 404
check "a done upload is kept" "gone" test -e "$A/uploads/$(id_of "$U_DONE")"
# a new upload's creation cleans first (serve also does every ten minutes)
create member 1000
U_OLD=$LOC
sql "UPDATE upload SET expires = strftime('%s', 'now') - 60 WHERE id = '$(id_of "$U_OLD")'"
create member 10
check "a new upload's creation removed an expired one" "still there" test ! -e "$A/uploads/$(id_of "$U_OLD")"
# serve's start cleans
create member 1000
U_OLD=$LOC
sql "UPDATE upload SET expires = strftime('%s', 'now') - 60 WHERE id = '$(id_of "$U_OLD")'"
: >"$A/uploads/00000000000000000000000000000000"
touch -d '3 days ago' "$A/uploads/00000000000000000000000000000000"
server_stop
server_start "$A" || exit 1
check "serve's start removed an expired upload" "still there" test ! -e "$A/uploads/$(id_of "$U_OLD")"
check "and bytes no upload names" "still there" test ! -e "$A/uploads/00000000000000000000000000000000"
check "serve said so" "$(cat "$SERVER_LOG_DIR/stderr")" grep -q 'removed 2 expired uploads' "$SERVER_LOG_DIR/stderr"
cli uploads bogus
same "uploads with a wrong word: usage, exit 2" "$?" 2

# ---- the form upload (no JavaScript) ---------------------------------------
http "${JAR[member]}" GET '/upload?return=/work/dona-helena-palliri'
same "GET /upload?return=...: 200" "$STATUS" 200
check "the form posts multipart/form-data to /upload with the return path" "$(head -c 300 "$W/body")" \
	grep -q 'action="/upload?return=%2Fwork%2Fdona-helena-palliri" enctype="multipart/form-data"' "$W/body"
check "the form's csrf field comes before its file input" "$(head -c 300 "$W/body")" \
	perl -0777 -ne 'exit !(/name="csrf".*type="file" name="file" required data-upload-return="\/work\/dona-helena-palliri"/s)' "$W/body"
check "the form loads /static/upload.js (no inline script)" "$(head -c 300 "$W/body")" \
	grep -q '<script src="/static/upload.js" defer></script>' "$W/body"
check "the form says the limit (300 MB)" "$(head -c 300 "$W/body")" grep -q '300 MB' "$W/body"
cp "$W/body" "$W/page-form.html"
http "${JAR[member]}" POST '/upload?return=/' -F "file=@$W/small"
cp "$W/body" "$W/page-refused.html"
VNU_JAR=tests/node_modules/vnu-jar/build/dist/vnu.jar
if [[ -f $VNU_JAR ]] && command -v java >/dev/null; then
	java -jar "$VNU_JAR" --errors-only --format gnu "$W/page-form.html" "$W/page-refused.html" >"$W/vnu.out" 2>&1
	check "the form and a refusal's page are valid HTML (Nu Html Checker)" "$(head -c 500 "$W/vnu.out")" test ! -s "$W/vnu.out"
else
	fail "the Nu Html Checker is there" "no $VNU_JAR or java (cd tests && npm ci)"
fi
http - GET /static/upload.js
same "GET /static/upload.js: 200" "$STATUS" 200
same "upload.js is JavaScript" "$(header Content-Type)" "text/javascript; charset=utf-8"
for r in '' '//evil.example/x' 'http://evil.example/' '/\evil' 'work' '/a"b' '/a#b'; do
	http "${JAR[member]}" GET /upload -G --data-urlencode "return=$r"
	same "GET /upload with return '$r': 400" "$STATUS" 400
done
http - GET '/upload?return=/'
same "GET /upload signed out: 303 to the login form" "$STATUS $(header Location)" "303 /login?next=/upload%3Freturn%3D/"
http "${JAR[viewer]}" GET '/upload?return=/'
same "GET /upload as a viewer: 403" "$STATUS" 403

# form_post WHO RETURN [CURL ARGS]: POST /upload?return=RETURN with WHO's cookies
form_post() {
	local who=$1 ret=$2
	shift 2
	http "${JAR[$who]}" POST "/upload?return=$ret" "$@"
}
rows() { sql "SELECT count(*) FROM upload"; }
files() { find "$A/uploads" -type f | wc -l; }
form_post member /work/x -F "csrf=${CSRF[member]}" -F "file=@$W/medium;filename=Doña Helena.mp4;type=video/mp4"
same "the form upload: 303" "$STATUS" 303
check "to the return path with upload=ID" "$(header Location)" grep -Eq '^/work/x\?upload=[0-9a-f]{32}$' <<<"$(header Location)"
FID=${LOC_FORM:-$(header Location)}
FID=${FID##*upload=}
same "the form's upload is done, all its bytes counted" "$(sql "SELECT state || ' ' || length || ' ' || received FROM upload WHERE id = '$FID'")" "done 3000000 3000000"
same "the form's upload keeps the file's name and type" "$(sql "SELECT filename || '|' || filetype FROM upload WHERE id = '$FID'")" 'Doña Helena.mp4|video/mp4'
same "the form's upload's bytes are the file's" "$(sha "$A/uploads/$FID")" "$(sha "$W/medium")"
same "the form's upload is its account's" "$(sql "SELECT u.name FROM upload p JOIN user u ON u.id = p.user_id WHERE p.id = '$FID'")" member
head_of member "/uploads/$FID"
same "tus sees the form's finished upload: HEAD 200, its length" "$STATUS/$OFFSET" 200/3000000
form_post member '/work/x?lang=en' -F "csrf=${CSRF[member]}" -F "file=@$W/small"
same "a return path with a query: upload=ID added with &" "$(header Location | sed 's/upload=[0-9a-f]*/upload=ID/')" '/work/x?lang=en&upload=ID'
before="$(rows) $(files)"
form_post member /work/x -F "file=@$W/small"
same "a form without its csrf field: 403" "$STATUS" 403
form_post member /work/x -F "csrf=${CSRF[other]}" -F "file=@$W/small"
same "another session's csrf: 403" "$STATUS" 403
form_post member /work/x -F "file=@$W/small" -F "csrf=${CSRF[member]}"
same "the file before the csrf field: 403" "$STATUS" 403
check "the refused forms left no upload behind" "$(rows) $(files), was $before" test "$(rows) $(files)" = "$before"
form_post member /work/x -F "csrf=${CSRF[member]}" -F "note=hello"
same "a form without a file: 400" "$STATUS" 400
form_post member /work/x -F "csrf=${CSRF[member]}" -F "file=@$W/small" -F "file=@$W/small"
same "two files: 400" "$STATUS" 400
form_post member /work/x -F "csrf=${CSRF[member]}" -F "file=@$W/small;filename=a$(printf '\x01')b"
same "a file name with a control character: 400" "$STATUS" 400
form_post member /work/x -F "csrf=${CSRF[member]}" -F "file=@$W/small;filename=C:\\Users\\ana\\foto.jpg"
FID=$(header Location); FID=${FID##*upload=}
same "an old browser's whole path: its last part is the name" "$(sql "SELECT filename FROM upload WHERE id = '$FID'")" foto.jpg
form_post member /work/x -H 'Content-Type: multipart/form-data; boundary=abc' --data-binary 'garbage'
same "a malformed multipart body: 400" "$STATUS" 400
check "the 400 says why" "$(seen)" grep -q 'does not begin with its boundary' "$W/body"
form_post member /work/x -H 'Content-Type: multipart/form-data; boundary=abc' \
	--data-binary $'--abc\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nx\r\n--abc'
same "a multipart body cut before its last boundary: 400" "$STATUS" 400
form_post member /work/x --data-urlencode "csrf=${CSRF[member]}"
same "an urlencoded form: 415" "$STATUS" 415
form_post member /work/x -H 'Content-Length: 400000000' -H 'Content-Type: multipart/form-data; boundary=abc' --data-binary x --max-time 5
same "a form larger than upload_max_bytes: 413 before its body" "$STATUS" 413
check "the 413 says the limit" "$(seen)" grep -q '300000000 bytes' "$W/body"
http - POST '/upload?return=/' -F "file=@$W/small"
same "the form signed out: 303 to the login form" "$STATUS" 303
http "${JAR[viewer]}" POST '/upload?return=/' -F "csrf=${CSRF[viewer]}" -F "file=@$W/small"
same "the form as a viewer: 403" "$STATUS" 403
http "${JAR[member]}" POST '/upload?return=//evil.example' -F "csrf=${CSRF[member]}" -F "file=@$W/small"
same "the form with a return path elsewhere: 400" "$STATUS" 400
# a form cut midway leaves nothing
before="$(rows) $(files)"
python3 - "$BASE" "$(grep -o 'sid	.*' "${JAR[member]}" | sed 's/sid\t//')" "${CSRF[member]}" <<'PY'
import socket, sys
from urllib.parse import urlsplit
base, sid, csrf = sys.argv[1:4]
u = urlsplit(base)
body = (b'--B\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + csrf.encode() +
        b'\r\n--B\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\n\r\n')
s = socket.create_connection((u.hostname, u.port))
s.sendall((f"POST /upload?return=/ HTTP/1.1\r\nHost: {u.netloc}\r\nCookie: sid={sid}\r\n"
           f"Content-Type: multipart/form-data; boundary=B\r\nContent-Length: {len(body) + 1000000}\r\n\r\n").encode() + body + b'x' * 500000)
import time; time.sleep(0.5); s.close()
PY
sleep 0.5
check "a form cut midway leaves no upload behind" "$(rows) $(files), was $before" test "$(rows) $(files)" = "$before"
# a 250 MB form, streamed with the server's memory flat
rss_before=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
form_post member /work/x -F "csrf=${CSRF[member]}" -F "file=@$W/large"
rss_after=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
FID=$(header Location); FID=${FID##*upload=}
same "a 250 MB form: 303, all of it on disk" "$STATUS $(stat -c %s "$A/uploads/$FID" 2>/dev/null)" "303 250000000"
echo "     (server peak resident memory: ${rss_before} kB before the 250 MB form, ${rss_after} kB after)"
check "the server's peak memory grew by less than 16 MB for the 250 MB form" \
	"$rss_before kB -> $rss_after kB" test $((rss_after - rss_before)) -lt 16384

# ---- viewers when cinemateca.conf lets them --------------------------------
server_stop
echo 'viewers_contribute = yes' >>"$A/cinemateca.conf"
server_start "$A" || exit 1
CSRF[viewer]=$(login "${JAR[viewer]}" viewer)
create viewer 10
same "a viewer with viewers_contribute = yes: 201" "$STATUS" 201
server_stop
echo 'viewers_contribute = maybe' >>"$A/cinemateca.conf"
"$BIN" -a "$A" serve --listen 127.0.0.1:0 >"$W/bad.out" 2>&1 &
BADPID=$!
sleep 1
kill "$BADPID" 2>/dev/null; wait "$BADPID" 2>/dev/null
check "viewers_contribute = maybe is refused with the line" "$(cat "$W/bad.out")" grep -q 'viewers_contribute wants yes or no' "$W/bad.out"
sed -i '/viewers_contribute = maybe/d' "$A/cinemateca.conf"
echo 'upload_max_bytes = -5' >>"$A/cinemateca.conf"
"$BIN" -a "$A" uploads list >"$W/bad.out" 2>&1
check "upload_max_bytes = -5 is refused" "$(cat "$W/bad.out")" grep -q 'upload_max_bytes wants' "$W/bad.out"
sed -i '/upload_max_bytes = -5/d' "$A/cinemateca.conf"

# ---- a full disk during a PATCH (the fault build) --------------------------
if [[ -x $FAULTS ]]; then
	printf 'write:2+\n' >"$W/spec"
	CINEMATECA=$FAULTS CINEMATECA_FAULT_ARM=signal CINEMATECA_FAULT_FILE=$W/spec \
		CINEMATECA_FAULT_COUNTS=$W/counts server_start "$A" || exit 1
	create token 3000000
	U=$LOC
	kill -USR1 "$SERVER_PID"
	for ((i = 0; i < 100; i++)); do [[ -e $W/counts.armed ]] && break; sleep 0.05; done
	patch token "$U" 0 "$W/medium"
	kill -USR2 "$SERVER_PID"
	for ((i = 0; i < 100; i++)); do [[ -e $W/counts ]] && break; sleep 0.05; done
	same "a full disk during a PATCH: 507" "$STATUS" 507
	check "the 507 says the disk is full" "$(detail)" grep -q 'disk is full' <<<"$(detail)"
	ondisk=$(stat -c %s "$A/uploads/$(id_of "$U")")
	same "the 507's Upload-Offset is what is on disk" "$(header Upload-Offset)" "$ondisk"
	check "some bytes were written before the disk filled ($ondisk)" "$ondisk" test "$ondisk" -gt 0 -a "$ondisk" -lt 3000000
	head_of token "$U"
	same "HEAD after the full disk: what is on disk" "$OFFSET" "$ondisk"
	tail -c +$((OFFSET + 1)) "$W/medium" >"$W/resume"
	patch token "$U" "$OFFSET" "$W/resume"
	same "resumed once there is room: 204, all in" "$STATUS/$(header Upload-Offset)" 204/3000000
	same "the bytes after a full disk are the file's" "$(sha "$A/uploads/$(id_of "$U")")" "$(sha "$W/medium")"
	server_stop || fail "the fault build stopped cleanly" "see above"
else
	fail "the fault build is there ($FAULTS)" "missing: make $FAULTS"
fi

check_summary uploads "$BIN"
