#!/usr/bin/env bash
# tests/api/run.sh — the JSON API (/api/v1/) and API tokens, against the
# real binary.
#
#   tests/api/run.sh
#   CINEMATECA=build/asan/cinemateca tests/api/run.sh
#
# Makes a demo archive with a stored file (checked by fixity) and two
# viewers, ana (granted the private work) and bob, starts `serve` on port
# 0 and checks: the OpenAPI document is valid OpenAPI 3.1 and every answer
# this script gets, errors too, matches the schema the document gives for
# it (tests/api/validate.mjs, with @seriousme/openapi-schema-validator and
# Ajv from tests/node_modules); the keyset list walks every record once
# while records are added between its pages; the change log continues
# from where it stopped; API tokens: shown once and stored hashed, read as
# their user, refused with 401 the moment they are revoked or their user
# is disabled, on every worker thread; the token commands' errors; the
# session cookie; and the curl examples of README.md's JSON API section,
# run as written against this server.
#
# Access of every principal to every record through the API is in the
# access matrix (tests/access/run.sh, the EXPECT_API table).
#
# Prints one line per check and ends with "api: N passed, N failed"; writes
# build/results/api (api-asan for a binary under build/asan/).

# check ... eval '...' evaluates its single-quoted test later, on purpose.
# shellcheck disable=SC2016
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
PW='correct horse battery'
PRIVATE=on-the-back-of-the-sleeping-elephant	# the demo's private work
FILM=dona-helena-palliri			# a public work

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

if [[ ! -d tests/node_modules/@seriousme/openapi-schema-validator ]]; then
	echo "error: tests/node_modules lacks the OpenAPI validator: cd tests && npm ci" >&2
	exit 1
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-api.XXXXXX")
at_exit rm -rf -- "$W"
A=$W/archive
MANIFEST=$W/manifest
: >"$MANIFEST"
: >"$W/cli.err"
N=0

# cli ARGS...: the command line on the archive; output in $W/cli.out, $W/cli.err.
cli() { "$BIN" -a "$A" "$@" >"$W/cli.out" 2>"$W/cli.err"; }

# api PATH [CURL ARGS...]: GET PATH; STATUS and CTYPE set, the body in
# $W/body (and kept for the schema check), headers in $W/headers.
api() {
	local path=$1 out
	shift
	N=$((N + 1))
	out=$(curl -s -g --noproxy '*' --max-time 20 -o "$W/body" -D "$W/headers" \
		-w '%{http_code} %{content_type}' "$@" "$BASE$path" 2>"$W/curl.err") || true
	STATUS=${out%% *}
	CTYPE=${out#* }
	[[ -n $STATUS ]] || STATUS=000
	cp "$W/body" "$W/answer.$N"
	[[ $STATUS == 000 ]] || echo "${path%%\?*} $STATUS $CTYPE $W/answer.$N" >>"$MANIFEST"
}
# problem STATUS: the last answer is a problem document of that status
problem() {
	[[ $STATUS == "$1" && $CTYPE == application/problem+json* ]] &&
		jq -e --argjson s "$1" '.status == $s and (.title | length > 0)' "$W/body" >/dev/null
}

echo "== setup ($BIN)"
server_make_demo "$A" || exit 1
printf 'cinemateca api test: a stored file\n' >"$W/notes.txt"
check "ingest a file into $FILM" "$(cat "$W/cli.err")" \
	cli ingest --to "$FILM" --role other --no-derive "$W/notes.txt"
check "fixity checks it" "$(cat "$W/cli.err")" cli fixity
for u in ana bob; do
	check "user add $u" "$(cat "$W/cli.err")" \
		eval 'printf "%s\n" "$PW" | "$BIN" -a "$A" user add $u --role viewer --password-stdin >"$W/cli.out" 2>"$W/cli.err"'
done
check "grant ana $PRIVATE" "$(cat "$W/cli.err")" cli grant ana "$PRIVATE"
server_start "$A" || exit 1

echo "== the OpenAPI document"
api /api/v1/openapi.json
check "/api/v1/openapi.json is JSON" "HTTP $STATUS $CTYPE" \
	eval '[[ $STATUS == 200 && $CTYPE == application/json* ]] && jq -e ".openapi == \"3.1.0\"" "$W/body" >/dev/null'
cp "$W/body" "$W/openapi.json"
sed -i '$d' "$MANIFEST"	# the document is checked as a document, below

echo "== records, lists, search, changes, files"
api "/api/v1/records/$FILM"
check "a record by slug" "HTTP $STATUS" \
	eval '[[ $STATUS == 200 ]] && jq -e ".slug == \"$FILM\" and .type == \"work\" and (.titles | length > 0) and (.links | any(.credit))" "$W/body" >/dev/null'
check "  ... with its rights: the address, the statement in the answer's language first" "$(jq -c '[.rights, .rights_statements[0].lang]' "$W/body")" \
	eval 'jq -e ".rights == \"http://rightsstatements.org/vocab/InC-EDU/1.0/\" and (.rights_statements | length == 2) and .rights_statements[0].lang == \"es\"" "$W/body" >/dev/null'
FILM_ID=$(jq -r .id "$W/body")
api "/api/v1/records/$FILM_ID"
check "the same record by id" "HTTP $STATUS" \
	eval '[[ $STATUS == 200 ]] && jq -e ".slug == \"$FILM\"" "$W/body" >/dev/null'
api "/api/v1/records/$PRIVATE"
check "the private work is a 404 problem to anonymous" "HTTP $STATUS $CTYPE" problem 404
api /api/v1/records/no-such-record
check "a missing record is a 404 problem" "HTTP $STATUS" problem 404
api "/api/v1/search?q=palliri"
check "search finds $FILM, with facets" "HTTP $STATUS" \
	eval '[[ $STATUS == 200 ]] && jq -e "(.items | any(.slug == \"$FILM\")) and .total >= 1 and (.facets.type | length > 0)" "$W/body" >/dev/null'
api "/api/v1/search?type=work&decade=1980"
check "search by facets alone" "HTTP $STATUS" \
	eval '[[ $STATUS == 200 ]] && jq -e "(.items | all(.type == \"work\")) and .total >= 1" "$W/body" >/dev/null'
api "/api/v1/files?record=$FILM"
check "the film's file with its fixity" "HTTP $STATUS" \
	eval '[[ $STATUS == 200 ]] && jq -e --arg h "$(sha256sum <"$W/notes.txt" | cut -c1-64)" ".items | any(.sha256 == \$h and .fixity.ok == true and (.fixity.checked | length > 0) and .name == \"notes.txt\")" "$W/body" >/dev/null'
FILE_ID=$(jq -r '.items[0].id' "$W/body")
api "/api/v1/files/$FILE_ID"
check "one file by id, and its bytes at media" "HTTP $STATUS" \
	eval '[[ $STATUS == 200 ]] && cmp -s <(curl -s "$BASE$(jq -r .media "$W/body")") "$W/notes.txt"'
# a file's own level: private on a public work, it leaves the API at once
check "access set the film's file private" "$(cat "$W/cli.err")" cli access set "$FILE_ID" private
api "/api/v1/files?record=$FILM"
check "  ... anonymous no longer sees it listed" "$(head -c 200 "$W/body")" \
	eval '[[ $STATUS == 200 ]] && jq -e --arg id "$FILE_ID" "all(.items[]; .id != \$id)" "$W/body" >/dev/null'
api "/api/v1/files/$FILE_ID"
check "  ... nor by its id" "HTTP $STATUS" problem 404
check "access set the film's file public again" "$(cat "$W/cli.err")" cli access set "$FILE_ID" public
api "/api/v1/files/$FILE_ID"
same "  ... and it is back" "$STATUS" 200
api "/api/v1/files?record=$PRIVATE"
check "the private work's files are a 404 to anonymous" "HTTP $STATUS" problem 404

for bad in 'records?limit=0' 'records?limit=501' 'records?type=film' 'records?after=x' \
	'search?page=0' 'search?decade=198' 'search?place=Not%20a%20slug' 'changes?since=-1' \
	'changes?limit=abc' 'files'; do
	api "/api/v1/$bad"
	check "/api/v1/$bad is a 400 problem that says what is wrong" "HTTP $STATUS $(head -c 200 "$W/body")" \
		eval 'problem 400 && jq -e ".detail | length > 10" "$W/body" >/dev/null'
done

# the keyset list: every readable record once, while records are added
api /api/v1/search
TOTAL=$(jq .total "$W/body")
: >"$W/walk"
next='/api/v1/records?limit=4'
pages=0
while [[ $next != null && $pages -lt 100 ]]; do
	api "$next"
	[[ $STATUS == 200 ]] || break
	jq -r '.items[].slug' "$W/body" >>"$W/walk"
	next=$(jq -r .next "$W/body")
	pages=$((pages + 1))
	if ((pages == 2)); then
		printf '{"format":"cinemateca-import","version":1,"records":[{"type":"subject","slug":"added-during-the-walk","access":"public","titles":[{"text":"Added during the walk"}]}]}\n' >"$W/add.json"
		cli import "$W/add.json" || fail "import a record during the walk" "$(cat "$W/cli.err")"
	fi
done
same "the walk ended" "$next" null
same "the walk lists no record twice" "$(sort "$W/walk" | uniq -d | tr '\n' ' ')" ""
same "the walk lists every record there was, and the one added" "$(wc -l <"$W/walk")" $((TOTAL + 1))
check "the record added during the walk is on its last page" "$(tail -3 "$W/walk" | tr '\n' ' ')" \
	grep -qx added-during-the-walk "$W/walk"

# the change log, continued from where a reader stopped
since=0 more=true pages=0
while [[ $more == true && $pages -lt 100 ]]; do
	api "/api/v1/changes?since=$since&limit=50"
	[[ $STATUS == 200 ]] || break
	jq -e '.items | length > 0' "$W/body" >/dev/null || fail "a page of changes with more after it is not empty" "$(head -c 200 "$W/body")"
	since=$(jq .next_since "$W/body")
	more=$(jq -r .more "$W/body")
	pages=$((pages + 1))
done
check "the change log from the beginning, a page at a time" "HTTP $STATUS, $pages pages, since=$since" \
	eval '[[ $STATUS == 200 && $more == false ]] && ((pages > 1 && since > 0))'
LAST=$since
api "/api/v1/changes?since=$LAST"
check "nothing after the last change" "HTTP $STATUS $(head -c 200 "$W/body")" \
	eval '[[ $STATUS == 200 ]] && jq -e ".items == [] and .more == false and .next_since == $LAST" "$W/body" >/dev/null'
printf '{"format":"cinemateca-import","version":1,"records":[{"type":"subject","slug":"added-after-the-log","access":"public","titles":[{"text":"Added after"}]}]}\n' >"$W/add2.json"
check "import one more record" "$(cat "$W/cli.err")" cli import "$W/add2.json"
api "/api/v1/changes?since=$LAST"
check "the changes since then: that record's creation" "$(head -c 300 "$W/body")" \
	eval 'jq -e ".items | length == 1 and .[0].slug == \"added-after-the-log\" and .[0].op == \"create\" and .[0].seq > $LAST" "$W/body" >/dev/null'

echo "== API tokens"
check "token add prints the token alone on standard output" "$(cat "$W/cli.out" "$W/cli.err")" \
	eval 'cli token add ana-script --user ana && grep -Eqx "[0-9a-f]{64}" "$W/cli.out"'
TOKEN=$(cat "$W/cli.out")
check "only the token's hash is stored" "found in catalog.db" \
	eval '! grep -rqa "$TOKEN" "$A"'
api "/api/v1/records/$PRIVATE" -H "Authorization: Bearer $TOKEN"
check "ana's token reads the private work granted to her" "HTTP $STATUS" \
	eval '[[ $STATUS == 200 ]] && jq -e ".slug == \"$PRIVATE\"" "$W/body" >/dev/null'
api "/api/v1/records/$PRIVATE" -H "authorization: bearer $TOKEN"
same "the scheme is case-insensitive (RFC 6750)" "$STATUS" 200
check "token list shows its user and last use" "$(cat "$W/cli.out")" \
	eval 'cli token list && grep -E "^ana-script +ana +created .* last used [0-9]{4}-" "$W/cli.out" >/dev/null'
# the token with its last character changed: to 0, or to 1 when it ends in 0
NEVER=${TOKEN%?}0
[[ $NEVER != "$TOKEN" ]] || NEVER=${TOKEN%?}1
api "/api/v1/records/$PRIVATE" -H "Authorization: Bearer $NEVER"
check "a token never made is a 401 problem with WWW-Authenticate" "HTTP $STATUS" \
	eval 'problem 401 && header WWW-Authenticate | grep -q "^Bearer"'
api "/api/v1/records/$FILM" -H "Authorization: Bearer not-a-token"
check "a malformed token is refused, not read as anonymous" "HTTP $STATUS" problem 401
api "/api/v1/records/$PRIVATE" -H "Authorization: Basic YW5hOng="
same "another scheme (a proxy's login in front of the site) is not ours: anonymous" "$STATUS" 404
curl -s -o "$W/page" -w '%{http_code}' -H "Authorization: Bearer $NEVER" "$BASE/" >"$W/st"
check "a refused token on a page is an HTML 401" "HTTP $(cat "$W/st")" \
	eval '[[ $(cat "$W/st") == 401 ]] && grep -q "<!DOCTYPE html>" "$W/page"'
check "token revoke" "$(cat "$W/cli.err")" cli token revoke ana-script
codes=()
for i in 1 2 3 4 5 6; do
	api "/api/v1/records/$PRIVATE" -H "Authorization: Bearer $TOKEN"
	problem 401 && codes+=(401) || codes+=("$STATUS")
done
same "the revoked token is a 401 problem at once, on every worker" "${codes[*]}" \
	"401 401 401 401 401 401"
check "token list no longer has it" "$(cat "$W/cli.out")" \
	eval 'cli token list && ! grep -q ana-script "$W/cli.out"'

check "token add bob-script" "$(cat "$W/cli.err")" cli token add bob-script --user bob
BOB=$(cat "$W/cli.out")
api /api/v1/records -H "Authorization: Bearer $BOB"
same "bob's token reads" "$STATUS" 200
check "user disable bob" "$(cat "$W/cli.err")" cli user disable bob
codes=()
for i in 1 2 3 4 5 6; do
	api /api/v1/records -H "Authorization: Bearer $BOB"
	problem 401 && codes+=(401) || codes+=("$STATUS")
done
same "a disabled user's token is a 401 problem at once" "${codes[*]}" "401 401 401 401 401 401"
check "token list says bob's token is refused" "$(cat "$W/cli.out")" \
	eval 'cli token list && grep -q "bob-script .*user disabled" "$W/cli.out"'

# token_fails NAME STATUS MESSAGE ARGS...: the command exits STATUS and
# says MESSAGE on standard error.
token_fails() {
	local name=$1 want=$2 msg=$3 rc=0
	shift 3
	cli token "$@" || rc=$?
	check "$name" "exit $rc: $(cat "$W/cli.err")" \
		eval '[[ $rc == "$want" ]] && grep -q "$msg" "$W/cli.err" && [[ ! -s $W/cli.out ]]'
}
token_fails "token add for no such account" 1 'no account "nobody"' add x --user nobody
token_fails "token add for a disabled account" 1 'disabled' add y --user bob
token_fails "token add with a name already taken (names ignore case)" 1 'already a token "BOB-script"' \
	add BOB-script --user ana
token_fails "token add with a bad name" 1 'not a usable token name' add 'a b' --user ana
token_fails "token add without --user" 2 usage add z
token_fails "token revoke of no such token" 1 'no token "never-made"' revoke never-made
token_fails "token with no subcommand" 2 usage

echo "== the session cookie"
curl -s -c "$W/jar" -b "$W/jar" -o "$W/form" "$BASE/login"
csrf=$(form_csrf "$W/form")
curl -s -c "$W/jar" -b "$W/jar" -o /dev/null --data-urlencode name=ana \
	--data-urlencode "password=$PW" --data-urlencode "csrf=$csrf" "$BASE/login"
api "/api/v1/records/$PRIVATE" -b "$W/jar"
same "ana's session reads the private work through the API" "$STATUS" 200
api "/api/v1/records/$PRIVATE" -H "Authorization: Basic YW5hOng=" -b "$W/jar"
same "  ... also beside a proxy's Basic credentials" "$STATUS" 200

echo "== README's examples"
# the curl and cinemateca lines of the sh block in README's JSON API section
awk '/^## The JSON API/{s=1} s&&/^```sh/{b=1;next} b&&/^```/{exit} b' README.md >"$W/examples"
check "README has the examples" "$(wc -l <"$W/examples") lines" \
	eval '(( $(grep -c "^curl " "$W/examples") >= 5 ))'
printf '%s\n' "$PW" | "$BIN" -a "$A" user add ana2 --role viewer --password-stdin >/dev/null 2>&1
TOKEN=
while IFS= read -r line; do
	line=${line//http:\/\/127.0.0.1:8080/$BASE}
	line=${line//cinemateca -a ARCHIVE/\"\$BIN\" -a \"\$A\"}
	case $line in
	curl\ *)
		N=$((N + 1))
		out=$(eval "$line -o \"\$W/answer.$N\" -w '%{http_code} %{content_type}'") || out='000 -'
		path=$(grep -o "$BASE[^ \"']*" <<<"$line" | head -1)
		path=${path#"$BASE"}
		echo "${path%%\?*} $out $W/answer.$N" >>"$MANIFEST"
		check "README: ${line:0:110}" "$out: $(head -c 200 "$W/answer.$N")" \
			eval '[[ $out == "200 application/json"* ]] && jq -e . "$W/answer.$N" >/dev/null'
		[[ $line != *Bearer* ]] ||
			same "README: the token example reads the private work" \
				"$(jq -r .slug "$W/answer.$N")" "$PRIVATE"
		;;
	TOKEN=*)
		eval "$line" 2>/dev/null
		check "README: ${line:0:110}" "got '${TOKEN:0:80}'" eval '[[ $TOKEN =~ ^[0-9a-f]{64}$ ]]'
		;;
	*)
		check "README: ${line:0:110}" "exit $?" eval "$line >/dev/null 2>&1"
		;;
	esac
done <"$W/examples"

echo "== search engines: the sitemap, robots.txt, JSON-LD"
# sm_get PATH FILE: GET PATH into FILE; STATUS
sm_get() { STATUS=$(curl -s --noproxy '*' --max-time 20 -o "$2" -w '%{http_code}' "$BASE$1"); }
sm_get /sitemap.xml "$W/sitemap.xml"
check "/sitemap.xml validates against sitemap.xsd" "HTTP $STATUS: $(xmllint --nonet --noout --schema tests/schemas/sitemap.xsd "$W/sitemap.xml" 2>&1 | head -3)" \
	eval '[[ $STATUS == 200 ]] && xmllint --nonet --noout --schema tests/schemas/sitemap.xsd "$W/sitemap.xml" 2>/dev/null'
# the paths of the URLs (the server's port changes when it restarts below)
grep -o '<loc>[^<]*</loc>' "$W/sitemap.xml" | sed 's/<[^>]*>//g; s|^http://[^/]*||' >"$W/sitemap.locs"
api /api/v1/search
same "it lists every public record once" "$(sort -u "$W/sitemap.locs" | wc -l) $(wc -l <"$W/sitemap.locs")" \
	"$(jq .total "$W/body") $(jq .total "$W/body")"
check "  ... and not the private work, whoever asks" "listed" \
	eval '! grep -q "/$PRIVATE\$" "$W/sitemap.locs" && curl -s -b "$W/jar" "$BASE/sitemap.xml" | cmp -s - "$W/sitemap.xml"'
check "  ... each with its lastmod from the change log" "$(grep -c '<lastmod>' "$W/sitemap.xml")" \
	eval '(( $(grep -c "<lastmod>20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T" "$W/sitemap.xml") == $(wc -l <"$W/sitemap.locs") ))'
sm_get /robots.txt "$W/robots"
check "/robots.txt names the sitemap" "$(cat "$W/robots")" grep -qx "Sitemap: $BASE/sitemap.xml" "$W/robots"
check "  ... its URLs are absolute, on the Host asked" "$(head -2 "$W/sitemap.xml")" \
	grep -q "<loc>$BASE/work/$FILM</loc>" "$W/sitemap.xml"

# a work whose title would end a script element, and a sitemap index
printf '{"format":"cinemateca-import","version":1,"records":[{"type":"work","slug":"hostile-title","access":"public","titles":[{"text":"</script><script>alert(1)</script><!-- & \\"x\\""}]}]}\n' >"$W/hostile.json"
check "import a work whose title closes a script" "$(cat "$W/cli.err")" cli import "$W/hostile.json"
sm_get /work/hostile-title "$W/hostile.html"
perl -0777 -ne 'print $1 if m{<script type="application/ld\+json">(.*?)</script>}s' "$W/hostile.html" >"$W/hostile.ld"
check "its JSON-LD is one script element whose JSON gives the title back" "$(head -c 300 "$W/hostile.ld")" \
	eval '[[ $STATUS == 200 ]] && jq -e ".name == \"</script><script>alert(1)</script><!-- & \\\"x\\\"\" and .\"@type\" == \"Movie\"" "$W/hostile.ld" >/dev/null'
same "  ... and no '<' in it: the page has one script end tag" \
	"$(grep -o '</script' "$W/hostile.html" | wc -l) $(tr -cd '<' <"$W/hostile.ld" | wc -c)" "1 0"

server_stop || fail "stop the server" "see above"
CUT=40
CINEMATECA_SITEMAP_URLS=$CUT server_start "$A" || exit 1
sm_get /sitemap.xml "$W/index.xml"
check "past $CUT URLs /sitemap.xml is an index that validates against siteindex.xsd" \
	"HTTP $STATUS: $(head -c 300 "$W/index.xml")" \
	eval '[[ $STATUS == 200 ]] && grep -q "<sitemapindex" "$W/index.xml" && xmllint --nonet --noout --schema tests/schemas/siteindex.xsd "$W/index.xml" 2>/dev/null'
NPARTS=$(grep -c '<sitemap>' "$W/index.xml")
same "  ... of ceil(records / $CUT) parts" "$NPARTS" $((($(wc -l <"$W/sitemap.locs") + 1 + CUT - 1) / CUT))
: >"$W/parts.locs"
for ((k = 1; k <= NPARTS; k++)); do
	sm_get "/sitemap-$k.xml" "$W/part.xml"
	check "  ... part $k validates against sitemap.xsd, at most $CUT URLs" "HTTP $STATUS" \
		eval '[[ $STATUS == 200 ]] && xmllint --nonet --noout --schema tests/schemas/sitemap.xsd "$W/part.xml" 2>/dev/null && (( $(grep -c "<url>" "$W/part.xml") <= CUT ))'
	grep -o '<loc>[^<]*</loc>' "$W/part.xml" | sed 's/<[^>]*>//g; s|^http://[^/]*||' >>"$W/parts.locs"
done
same "  ... together the whole sitemap, each URL once" \
	"$(sort "$W/parts.locs" | uniq -d | wc -l) $(sort "$W/parts.locs" | comm -3 - <(sort "$W/sitemap.locs" <(echo /work/hostile-title)) | wc -l)" "0 0"
sm_get "/sitemap-$((NPARTS + 1)).xml" "$W/part.xml"
check "  ... and the part after the last is an XML 404" "HTTP $STATUS" \
	eval '[[ $STATUS == 404 ]] && grep -q "<error status=\"404\">" "$W/part.xml"'
sm_get /sitemap-01.xml "$W/part.xml"
same "  ... as is a part number with a leading zero" "$STATUS" 404

echo "== every answer against the OpenAPI document"
node tests/api/validate.mjs "$W/openapi.json" "$MANIFEST" >"$W/validate.out" 2>&1
vrc=$?
while IFS= read -r line; do
	case $line in
	ok\ *) pass "${line#ok   }" ;;
	FAIL\ *) fail "${line#FAIL }" "see above" ;;
	esac
done <"$W/validate.out"
check "the validator ran" "exit $vrc: $(tail -3 "$W/validate.out")" \
	eval '[[ $vrc == 0 ]] && grep -q " passed, 0 failed" "$W/validate.out"'
same "every answer was checked" "$(grep -c 'matches its schema' "$W/validate.out")" \
	"$(wc -l <"$MANIFEST")"

check "the server is still running" "it died" server_alive
check "the server exits 0 on SIGTERM" "see above" server_stop
check_summary api "$BIN"
