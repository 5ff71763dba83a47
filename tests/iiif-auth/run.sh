#!/usr/bin/env bash
# tests/iiif-auth/run.sh — the IIIF Authorization Flow 2.0 over HTTP, against
# the real binary, a real catalogue and a real server on port 0.
#
# Makes a demo archive and gives it: a public work whose access copy is for
# registered accounts only (the manifest shows it to everyone, locked, with
# the probe service), a public work whose access copy is for the community,
# and the private work with an access copy granted to ana. Then checks, with
# curl, what every service answers, for nobody, for ana (a viewer), for a
# screener link's holder, and after the changes that must take effect at the
# next probe: a grant revoked, a screener withdrawn, logging out, a password
# change, a disabled account, a token that expired, a token shown from
# another origin; that the token service's page posts its token to the
# viewer's origin only and may be framed, while no other page may; that the
# access service sends nobody to the login form and back; the CORS preflight;
# that a token is stored only as a hash, opens no bytes at /media and is no
# API token; and that every manifest with the services still validates
# against the official schema (tests/iiif/validate.mjs). The browser side
# (a viewer on another origin walking the whole flow in Chromium) is
# tests/browser/iiif-auth.mjs.
#
# Prints one line per check and ends with "iiif-auth: N passed, N failed";
# writes the totals to build/results/iiif-auth (iiif-auth-asan for a binary
# under build/asan/) for `make check`'s summary.

# check ... eval '...' evaluates its single-quoted test later, on purpose.
# shellcheck disable=SC2016
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
REGWORK=dona-helena-palliri		# public; its film for accounts only
COMWORK=llacquiy-huata			# public; its film for the community
PRIVATE=on-the-back-of-the-sleeping-elephant
PW='correct horse battery'
VIEWER=http://localhost:7070		# the origin of a IIIF viewer elsewhere

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-iiif-auth.XXXXXX")
at_exit rm -rf -- "$W"
A=$W/archive
mkdir -p "$W/json"

for tool in ffmpeg node curl jq sqlite3; do
	command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done

cli() { "$BIN" -a "$A" "$@" >"$W/cli.out" 2>&1 || { echo "error: cinemateca $*: $(cat "$W/cli.out")" >&2; exit 1; }; }
sql() { sqlite3 "$A/catalog.db" "$@"; }

# http JAR PATH [CURL ARGS...]: GET PATH ("-" for no cookies): body in
# $W/body, headers in $W/headers, status in STATUS.
http() {
	local cj=$1 path=$2
	shift 2
	local args=(-s -g --noproxy '*' --max-time 20 -o "$W/body" -D "$W/headers" -w '%{http_code}')
	[[ $cj == - ]] || args+=(-b "$cj" -c "$cj")
	STATUS=$(curl "${args[@]}" "$@" "$BASE$path" 2>/dev/null) || true
	[[ -n $STATUS ]] || STATUS=000
}
js() { jq -rc "$1" "$W/body" 2>&1; }
login() {
	local cj=$1 name=$2 csrf
	http "$cj" /login
	csrf=$(form_csrf "$W/body")
	http "$cj" /login --data-urlencode "name=$name" --data-urlencode "password=$PW" \
		--data-urlencode "csrf=$csrf"
}
# probe [TOKEN [ORIGIN]] FILE: the probe's answer; its status in PSTATUS
# ("HTTP-STATUS/STATUS-IN-BODY"), without cookies.
probe() {
	local args=()
	(($# < 2)) || args+=(-H "Authorization: Bearer $1")
	(($# < 3)) || args+=(-H "Origin: $2")
	http - "/iiif/probe/${!#}" "${args[@]}"
	PSTATUS="$STATUS/$(js .status)"
}
# token JAR [ORIGIN [MESSAGE-ID]]: the token service's page for that
# browser; the message it posts in MSG, where it posts it in TARGET, the
# token (if any) in TOKEN.
token() {
	local cj=$1 origin=${2:-$VIEWER} mid=${3-m1}
	http "$cj" /iiif/token -G --data-urlencode "messageId=$mid" --data-urlencode "origin=$origin"
	MSG=$(perl -0777 -ne 'print $1 if /<script type="application\/json" id="iiif-message">(.*?)<\/script>/s' "$W/body")
	TARGET=$(perl -0777 -ne 'print $1 if /<script type="application\/json" id="iiif-origin">(.*?)<\/script>/s' "$W/body" | jq -r . 2>/dev/null)
	TOKEN=$(jq -r '.accessToken // empty' <<<"$MSG" 2>/dev/null)
}

# ---- the archive -----------------------------------------------------------

ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=320x240:rate=25:duration=3 \
	-c:v libx264 -preset veryfast -pix_fmt yuv420p "$W/access.mp4" ||
	{ echo "error: ffmpeg could not make the test film" >&2; exit 1; }
server_make_demo "$A" || exit 1
for w in $REGWORK $COMWORK $PRIVATE; do
	cli ingest --to "$w" --role access --no-derive "$W/access.mp4"
done
file_of() { sql "SELECT f.id FROM file f JOIN record r ON r.id = f.record_id WHERE r.slug = '$1' AND f.role = 'access'"; }
REGFILE=$(file_of $REGWORK) COMFILE=$(file_of $COMWORK) PRIVFILE=$(file_of $PRIVATE)
cli access set "$REGFILE" registered
cli access set "$COMFILE" community
for u in ana:viewer luis:viewer; do
	printf '%s\n' "$PW" | "$BIN" -a "$A" user add "${u%:*}" --role "${u#*:}" --password-stdin >/dev/null ||
		{ echo "error: cannot add ${u%:*}" >&2; exit 1; }
done
cli grant ana $PRIVATE
cli screener $PRIVATE --for "Festival de Cine de Sucre" --days 2
SCREENER=$(grep -o '/screener/[A-Za-z0-9.~-]*' "$W/cli.out" | head -1)
[[ -n $SCREENER ]] || { echo "error: no screener link in: $(cat "$W/cli.out")" >&2; exit 1; }

server_start "$A" || exit 1
# the viewer's pages name the archive as a browser would: localhost:PORT
BASE=${BASE/127.0.0.1/localhost}

# ---- the manifest: a locked film and its services --------------------------

http - /iiif/manifest/$REGWORK
cp "$W/body" "$W/json/locked-manifest.json"
check "anonymous: the manifest of a public work whose film is for accounts is there" "HTTP $STATUS" \
	test "$STATUS" = 200
same "it may be loaded from anywhere (CORS *)" "$(header Access-Control-Allow-Origin)" "*"
same "its @context names the auth context, Presentation last" "$(js '."@context"')" \
	'["http://iiif.io/api/auth/2/context.json","http://iiif.io/api/presentation/3/context.json"]'
BODY='.items[0].items[0].items[0].body'
same "the film painted is the locked one" "$(js "$BODY.id")" "$BASE/media/$REGFILE"
same "it carries a probe service" "$(js "$BODY.service[0] | [.type, .id] | join(\" \")")" \
	"AuthProbeService2 $BASE/iiif/probe/$REGFILE"
same "with an active access service (the login window)" \
	"$(js "$BODY.service[0].service[0] | [.type, .profile, .id] | join(\" \")")" \
	"AuthAccessService2 active $BASE/iiif/access"
same "whose label, heading, note and confirmLabel come in es and en" \
	"$(js "$BODY.service[0].service[0] | [.label, .heading, .note, .confirmLabel] | map(keys | join(\",\")) | join(\" \")")" \
	"en,es en,es en,es en,es"
same "and a token and a logout service inside it" \
	"$(js "$BODY.service[0].service[0].service | map(.type + \" \" + .id) | join(\", \")")" \
	"AuthAccessTokenService2 $BASE/iiif/token, AuthLogoutService2 $BASE/iiif/logout"
http - "/media/$REGFILE"
same "anonymous: the locked film's bytes stay a 404" "$STATUS" 404
http - /iiif/manifest/dona-helena-palliri -H 'Accept-Language: en'
check "the subtitle of the public work stays unlocked (no service)" "$(js '.items[0].annotations')" \
	eval '[[ $(js "[.. | objects | select(.format == \"text/vtt\") | has(\"service\")] | any") != true ]]'
http - /iiif/manifest/$PRIVATE
same "anonymous: the private work's manifest is still a 404" "$STATUS" 404

# ---- the probe -------------------------------------------------------------

probe "$REGFILE"
same "anonymous probe of the locked film: HTTP 200, status 401" "$PSTATUS" 200/401
same "  an AuthProbeResult2 of the auth context" "$(js '[."@context", .type, .id] | join(" ")')" \
	"http://iiif.io/api/auth/2/context.json AuthProbeResult2 $BASE/iiif/probe/$REGFILE"
same "  with a heading and a note in es and en" "$(js '[.heading, .note] | map(keys | join(",")) | join(" ")')" "en,es en,es"
same "  readable from any origin" "$(header Access-Control-Allow-Origin)" "*"
same "  never cached" "$(header Cache-Control)" "no-store"
cp "$W/body" "$W/probe-locked"
probe 01ffffff-0000-7000-8000-000000000000
same "a file that does not exist: the same answer (but its id)" \
	"$(jq -c 'del(.id)' "$W/body")" "$(jq -c 'del(.id)' "$W/probe-locked")"
probe "$PRIVFILE"
same "anonymous probe of the private work's film: 401 too" "$PSTATUS" 200/401
http - /iiif/probe/$REGFILE -X OPTIONS -H "Origin: $VIEWER" \
	-H 'Access-Control-Request-Method: GET' -H 'Access-Control-Request-Headers: authorization'
check "the CORS preflight allows GET with an Authorization header" "HTTP $STATUS $(tr -d '\r' <"$W/headers" | grep -i '^access-control' | tr '\n' ' ')" \
	eval '[[ $STATUS == 204 && $(header Access-Control-Allow-Origin) == "*" &&
		$(header Access-Control-Allow-Headers) == Authorization && $(header Access-Control-Allow-Methods) == *GET* ]]'
http - /iiif/probe/$REGFILE -X POST
same "the probe answers GET only (405)" "$STATUS" 405

# ---- the access service: a window to sign in -------------------------------

http - "/iiif/access?origin=$VIEWER"
same "nobody signed in: the access service sends to the login form and back" \
	"$STATUS $(header Location)" "303 /login?next=/iiif/access%3Forigin%3Dhttp%3A//localhost%3A7070"
http - "/iiif/access?origin=javascript:alert(1)"
same "an origin that is no origin: 400" "$STATUS" 400
login "$W/ana" ana
http "$W/ana" "/iiif/access?origin=$VIEWER"
check "signed in: the access page says so and closes itself" "$(seen)" \
	eval '[[ $STATUS == 200 ]] && grep -q "id=\"iiif-close\"" "$W/body" && grep -q "/static/iiif-auth.js" "$W/body"'
same "  and it may not be framed" "$(header Content-Security-Policy | grep -o "frame-ancestors [^;]*")" "frame-ancestors 'none'"
cp "$W/body" "$W/access.html"

# ---- the token service: a page for the viewer's frame ----------------------

token - "$VIEWER"
same "nobody signed in: the token page posts an AuthAccessTokenError2 (missingAspect)" \
	"$(jq -r '[.type, .profile, .messageId] | join(" ")' <<<"$MSG")" "AuthAccessTokenError2 missingAspect m1"
same "  to the viewer's origin" "$TARGET" "$VIEWER"
token - "https://evil.example/path"
same "an origin with a path: invalidOrigin, posted to any (it holds no secret)" \
	"$(jq -r '.profile' <<<"$MSG") $TARGET" "invalidOrigin *"
token "$W/ana" "$VIEWER" ""
same "no messageId: invalidRequest" "$(jq -r '.profile' <<<"$MSG")" "invalidRequest"
token "$W/ana" "$VIEWER" 'm</script><script>alert(1)//'
check "a messageId with markup stays JSON inside the page" "$(grep -c '<script' "$W/body")" \
	eval '[[ $(grep -o "<script" "$W/body" | wc -l) == 3 && $(jq -r .messageId <<<"$MSG") == "m</script><script>alert(1)//" ]]'
token "$W/ana" "$VIEWER" m2
cp "$W/body" "$W/token.html"
same "ana signed in: an AuthAccessToken2 for her message" \
	"$(jq -r '[."@context", .type, .messageId, .expiresIn] | join(" ")' <<<"$MSG")" \
	"http://iiif.io/api/auth/2/context.json AuthAccessToken2 m2 3600"
same "  posted to the viewer's origin only" "$TARGET" "$VIEWER"
check "  the token is long and random" "$TOKEN" eval '[[ $TOKEN =~ ^iiif-[0-9a-f]{64}$ ]]'
same "  the page may be framed by any viewer" "$(header Content-Security-Policy | grep -o "frame-ancestors [^;]*")" "frame-ancestors *"
same "  and is never cached" "$(header Cache-Control)" "no-store"
check "  the catalogue keeps only the token's hash" "$(sql 'SELECT count(*) FROM iiif_token')" \
	eval '! grep -rqa "${TOKEN#iiif-}" "$A" && [[ $(sql "SELECT count(*) FROM iiif_token") -ge 1 ]]'
ANA=$TOKEN

# ---- the probe with a token ------------------------------------------------

probe "$ANA" "$VIEWER" "$REGFILE"
same "ana's token at the probe, from the viewer: status 200" "$PSTATUS" 200/200
probe "$ANA" "$REGFILE"
same "  and without an Origin (a script): 200" "$PSTATUS" 200/200
probe "$ANA" "https://elsewhere.example" "$REGFILE"
same "  shown from another origin: nobody (401)" "$PSTATUS" 200/401
probe "$ANA" "$VIEWER" "$COMFILE"
same "ana (a viewer) probing the community's film: 403" "$PSTATUS" 200/403
probe "$ANA" "$VIEWER" 01ffffff-0000-7000-8000-000000000000
same "ana probing a file that does not exist: 403, as one she may not read" "$PSTATUS" 200/403
probe "$ANA" "$VIEWER" "$PRIVFILE"
same "ana probing the private work's film she was granted: 200" "$PSTATUS" 200/200
probe "iiif-$(printf '0%.0s' {1..64})" "$VIEWER" "$REGFILE"
same "a token never made: 401" "$PSTATUS" 200/401
probe "iiif-short" "$VIEWER" "$REGFILE"
same "a token of the wrong shape: 401" "$PSTATUS" 200/401
http - "/media/$REGFILE" -H "Authorization: Bearer $ANA"
same "the token opens no bytes at /media" "$STATUS" 404
http - "/api/v1/records/$PRIVATE" -H "Authorization: Bearer $ANA"
same "the token is no API token (the private record stays a 404)" "$STATUS" 404
http "$W/ana" "/iiif/probe/$REGFILE"
same "ana's own cookies at the probe (the archive's own pages): 200" "$(js .status)" 200

# the manifest for ana, through her cookies, paints the private work's
# film with the services (it is not everyone's)
http "$W/ana" /iiif/manifest/$PRIVATE
cp "$W/body" "$W/json/granted-manifest.json"
same "ana's manifest of the private work: its film has the probe" \
	"$STATUS $(js "$BODY.service[0].type")" "200 AuthProbeService2"
check "  made for her: no CORS header" "$(header Access-Control-Allow-Origin)" \
	eval '[[ -z $(header Access-Control-Allow-Origin) ]]'

# ---- changes take effect at the next probe ---------------------------------

cli revoke ana $PRIVATE
probe "$ANA" "$VIEWER" "$PRIVFILE"
same "grant revoked: ana's next probe of that film is 403" "$PSTATUS" 200/403
sql "UPDATE iiif_token SET expires = strftime('%s', 'now') - 1"
probe "$ANA" "$VIEWER" "$REGFILE"
same "an expired token: 401" "$PSTATUS" 200/401
token "$W/ana" "$VIEWER" m3
ANA=$TOKEN
http "$W/ana" /
csrf=$(form_csrf "$W/body" /logout)
http "$W/ana" /logout --data-urlencode "csrf=$csrf"
probe "$ANA" "$VIEWER" "$REGFILE"
same "ana logged out: her token is gone (401)" "$PSTATUS" 200/401
login "$W/ana" ana
token "$W/ana" "$VIEWER" m4
ANA=$TOKEN
printf '%s\n' 'another long passphrase' | "$BIN" -a "$A" user passwd ana --password-stdin >/dev/null 2>&1
probe "$ANA" "$VIEWER" "$REGFILE"
same "ana's password changed: her token is gone (401)" "$PSTATUS" 200/401
login "$W/luis" luis
token "$W/luis" "$VIEWER" m5
LUIS=$TOKEN
probe "$LUIS" "$VIEWER" "$REGFILE"
same "luis's token: 200" "$PSTATUS" 200/200
cli user disable luis
probe "$LUIS" "$VIEWER" "$REGFILE"
same "luis disabled: his token stands for nobody (401)" "$PSTATUS" 200/401

# ---- a screener link's holder ----------------------------------------------

http "$W/sc" "$SCREENER"
http "$W/sc" "/iiif/access?origin=$VIEWER"
check "a screener holder counts as signed in at the access service" "$(seen)" \
	eval '[[ $STATUS == 200 ]] && grep -q "id=\"iiif-close\"" "$W/body"'
token "$W/sc" "$VIEWER" s1
SC=$TOKEN
same "the screener holder gets a token" "$(jq -r .type <<<"$MSG")" AuthAccessToken2
probe "$SC" "$VIEWER" "$PRIVFILE"
same "  which opens the screened work's film: 200" "$PSTATUS" 200/200
probe "$SC" "$VIEWER" "$COMFILE"
same "  and nothing else: 403" "$PSTATUS" 200/403
cli screeners
SCID=$(grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' "$W/cli.out" | head -1)
cli revoke-screener "$SCID"
probe "$SC" "$VIEWER" "$PRIVFILE"
same "the screener withdrawn: its token stands for nobody (401)" "$PSTATUS" 200/401

# ---- other pages stay unframable; the logout service -----------------------

http - /
same "the home page still may not be framed" "$(header Content-Security-Policy | grep -o "frame-ancestors [^;]*")" "frame-ancestors 'none'"
http - /iiif/logout
check "the logout service, nobody signed in, says so" "$(seen)" eval '[[ $STATUS == 200 ]] && ! grep -q "action=\"/logout\"" "$W/body"'
PW='another long passphrase' login "$W/ana2" ana
http "$W/ana2" /iiif/logout
check "  signed in, it offers the logout form (with its CSRF token)" "$(seen)" \
	eval '[[ $STATUS == 200 && -n $(form_csrf "$W/body" /logout) ]]'
http - /static/iiif-auth.js
same "the pages' script is served" "$STATUS $(header Content-Type)" "200 text/javascript; charset=utf-8"

# ---- the manifests validate, the pages are HTML ----------------------------

if node tests/iiif/validate.mjs "$W/json"/*.json >"$W/validate.out" 2>&1; then
	pass "every manifest with the services validates (official schema, @iiif/parser)"
else
	fail "every manifest with the services validates (official schema, @iiif/parser)" "$(tail -20 "$W/validate.out")"
fi
VNU_JAR=tests/node_modules/vnu-jar/build/dist/vnu.jar
if [[ -f $VNU_JAR ]] && command -v java >/dev/null; then
	cp "$W/token.html" "$W/token-page.html"
	cp "$W/access.html" "$W/access-page.html"
	if java -jar "$VNU_JAR" --errors-only "$W/token-page.html" "$W/access-page.html" >"$W/vnu.out" 2>&1; then
		pass "the token and access pages are valid HTML (vnu)"
	else
		fail "the token and access pages are valid HTML (vnu)" "$(head -10 "$W/vnu.out")"
	fi
else
	fail "the token and access pages are valid HTML (vnu)" "vnu.jar or java missing (cd tests && npm ci)"
fi

server_stop || fail "the server stops cleanly" "see above"
check_summary iiif-auth "$CINEMATECA"
