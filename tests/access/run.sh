#!/usr/bin/env bash
# tests/access/run.sh — the access matrix, over HTTP, against the real binary.
#
#   tests/access/run.sh
#   CINEMATECA=build/asan/cinemateca tests/access/run.sh
#
# A record someone may not read must be answered exactly like one that does
# not exist: 404 (the same page as a missing slug's), and absent from search
# results, result totals, facet counts, the home page (counts by type,
# recent works, collections), the timeline and the related-record lists on
# other records' pages. This script makes a demo archive, imports
# tests/access/fixture.json (records of every level, an embargoed and an
# opened document, a private event and collection, and public records that
# link to them), attaches a small file to each of works 1-3 and documents
# 4-6 and a WebVTT subtitle to the private work, makes accounts, groups,
# grants and a screener link with the command line, logs each principal in
# through the web form, and checks every surface for every principal
# against the table EXPECT below. /media/FILE-ID, the bytes of a stored
# file, is one of them: exactly the stored bytes for whoever may read the
# file, else the same 404 as a made-up file id's, whatever the method
# (HEAD), Range or If-None-Match; Cache-Control "public" (long-lived) only
# for files everyone may read, "private" for the others, so that no shared
# cache keeps a private film. Then the bad inputs: forged session cookies,
# tampered, replayed, revoked and expired screener links, login without its
# CSRF token, a login flood, an oversized form, sessions after a password
# change, a disabled account and logout, and /media ids that are no file's
# (garbage, path traversal, a record's id, an object's hash); and changes
# that must take effect at once, on pages and on /media (revoking a grant,
# `access set`, a file's own level, deleting a file).
#
# Prints one line per check and ends with "N passed, N failed"; writes the
# totals to build/results/access (access-asan for a binary under build/asan/)
# for `make check`'s summary.

# check ... eval '...' evaluates its single-quoted test later, on purpose.
# shellcheck disable=SC2016
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
FIXTURE=tests/access/fixture.json

# ---- what each principal may see ---------------------------------------
#
# The records of the fixture that are not public to everyone, in this order
# (the flag strings below have one letter per record, Y or N):
#   1 /work/matrix-private-work            private          Zorzalprivado
#   2 /work/matrix-community-work          community        Zorzalcomunal
#   3 /work/matrix-public-work             public           Zorzalpublico
#   4 /document/matrix-registered-doc      registered       Zorzalregistrado
#   5 /document/matrix-embargoed-doc       private to 2099  Zorzalembargado
#   6 /document/matrix-opened-doc          private to 2000  Zorzalabierto (so public)
#   7 /event/matrix-private-event          private, 1983    Zorzalevento
#   8 /collection/matrix-private-collection private         Zorzalcoleccion
#   9 /agent/matrix-private-agent          private          Zorzalagente
#  10 /place/matrix-private-place          private          Zorzallugar
# Always public: matrix-collection, matrix-place, matrix-director (the three
# works are part of, made in and directed by them) and the document
# matrix-public-note (about work 1, mentions document 5, related to work 3).
# The public work 3 also links the private records 8 (part of), 9 (camera)
# and 10 (depicts): their names must not show on its page nor in its facets.
REC_PATH=(/work/matrix-private-work /work/matrix-community-work /work/matrix-public-work
	/document/matrix-registered-doc /document/matrix-embargoed-doc /document/matrix-opened-doc
	/event/matrix-private-event /collection/matrix-private-collection
	/agent/matrix-private-agent /place/matrix-private-place)
REC_WORD=(Zorzalprivado Zorzalcomunal Zorzalpublico Zorzalregistrado Zorzalembargado
	Zorzalabierto Zorzalevento Zorzalcoleccion Zorzalagente Zorzallugar)
#
# Columns (surfaces):
#   page      each record's page: Y 200, N 404 exactly like a missing slug's 404
#             (one flag per record, 1 to 10)
#   search    /search?q=WORD for each record's word: Y the record is listed,
#             N it is not and the page says "0 registros"
#   browse    /search?type=TYPE (no words, as linked from the home page)
#             lists the record: one flag per record, as for page
#   total     the "N registros" of /search?q=zorzal (matrix-public-note is
#             found too, through the public work's title it names)
#   dec       its 1980s decade facet count (the works and the event are 1983)
#   place     its facet count for matrix-place (the works made there)
#   dir       its facet count for matrix-director (the works directed)
#   coll      its facet count for matrix-collection (the works in it)
#   bplace    the "N registros" of /search?place=matrix-place (no words)
#   +work +doc +event +coll +agent +place
#             the home page's counts by type, minus the same principal's
#             counts before the fixture was imported
#   recent    work 1 listed under the home page's recent works
#   hcoll     collection 8 listed under the home page's collections
#   timeline  event 7 on /timeline
#   rel_dir rel_place rel_coll
#             the pages of matrix-director, matrix-place and
#             matrix-collection link works 1, 2 and 3 (three flags)
#   rel_note  the page of matrix-public-note links work 1, document 5 and
#             work 3 (three flags)
#   media     /media/FILE-ID of the small text file attached to each of the
#             records 1 to 6: Y 200 with exactly the stored bytes, N 404
#             exactly like a made-up file id's; HEAD gives the same status
#             (one flag per record, 1 to 6)
#   vtt       the same for the WebVTT subtitle of work 1
#   said      /search?q=zorzaldicho, a word said only in work 1's subtitle:
#             Y work 1 is listed with the line and its moment (00:01),
#             N "0 registros"
#   fcoll fagent fplace
#             the "N registros" of /search?collection=matrix-private-collection,
#             /search?agent=matrix-private-agent and /search?place=matrix-private-place
#             (records 8, 9, 10; the public work 3 is linked to each), and
#             the same with q=zorzal; when it is 0, both pages must be byte
#             for byte those of a slug that does not exist (same status,
#             same body, no facet counted): a filter on a record one may
#             not read confirms nothing about it
# A file that anonymous may read (its flag in anonymous's row) is public to
# everyone and must be sent with a public, long-lived Cache-Control; any
# other file with a private one (never kept by a shared cache).
# Every page fetched for the table must also not contain the word of a
# record the principal may not read (tags stripped, any case): titles must
# not leak through snippets, lists or facet labels.
#
# Principals (rows): anonymous; viewer (no grants); community member;
# granted (a viewer granted work 1); grouped (a viewer in a group granted
# work 1); expired (a viewer whose grant on work 1 ended 2000-01-01); admin;
# archivist; screener (a browser that opened a screener link for work 1).
# New surfaces (IIIF, OAI-PMH, JSON API, sitemap, community notes) become
# new columns.
EXPECT='
#principal page       search     browse     total dec place dir coll bplace +work +doc +event +coll +agent +place recent hcoll timeline rel_dir rel_place rel_coll rel_note media  vtt  said fcoll fagent fplace
anonymous  NNYNNYNNNN NNYNNYNNNN NNYNNYNNNN 3     1   1     1   1    1      1     2    0      1     1      1      N      N     N        NNY     NNY       NNY      NNY      NNYNNY N    N    0     0      0
viewer     NNYYNYNNNN NNYYNYNNNN NNYYNYNNNN 4     1   1     1   1    1      1     3    0      1     1      1      N      N     N        NNY     NNY       NNY      NNY      NNYYNY N    N    0     0      0
community  NYYYNYNNNN NYYYNYNNNN NYYYNYNNNN 5     2   2     2   2    2      2     3    0      1     1      1      N      N     N        NYY     NYY       NYY      NNY      NYYYNY N    N    0     0      0
granted    YNYYNYNNNN YNYYNYNNNN YNYYNYNNNN 5     2   2     2   2    2      2     3    0      1     1      1      Y      N     N        YNY     YNY       YNY      YNY      YNYYNY Y    Y    0     0      0
grouped    YNYYNYNNNN YNYYNYNNNN YNYYNYNNNN 5     2   2     2   2    2      2     3    0      1     1      1      Y      N     N        YNY     YNY       YNY      YNY      YNYYNY Y    Y    0     0      0
expired    NNYYNYNNNN NNYYNYNNNN NNYYNYNNNN 4     1   1     1   1    1      1     3    0      1     1      1      N      N     N        NNY     NNY       NNY      NNY      NNYYNY N    N    0     0      0
admin      YYYYYYYYYY YYYYYYYYYY YYYYYYYYYY 11    4   3     3   3    3      3     4    1      2     2      2      Y      Y     Y        YYY     YYY       YYY      YYY      YYYYYY Y    Y    1     1      1
archivist  YYYYYYYYYY YYYYYYYYYY YYYYYYYYYY 11    4   3     3   3    3      3     4    1      2     2      2      Y      Y     Y        YYY     YYY       YYY      YYY      YYYYYY Y    Y    1     1      1
screener   YNYNNYNNNN YNYNNYNNNN YNYNNYNNNN 4     2   2     2   2    2      2     2    0      1     1      1      Y      N     N        YNY     YNY       YNY      YNY      YNYNNY Y    Y    0     0      0
'

# The JSON API (/api/v1/), in a table of its own (same principals; read
# like EXPECT). Its answers are checked like the pages: every body for the
# words of unreadable records, every refusal against a missing one's.
#   arec      /api/v1/records/SLUG for records 1-10: Y 200, N exactly the
#             problem+json 404 of a missing slug
#   alist     /api/v1/records (every page, following next) lists record 1-10
#   asearch   /api/v1/search?q=WORD lists record 1-10
#   atotal    the total of /api/v1/search?q=zorzal
#   achg      /api/v1/changes (every page) has an entry for record 1-10
#   afile     /api/v1/files?record=SLUG lists the file of records 1-6 and
#             the subtitle of work 1, and /api/v1/files/ID answers 200, else
#             exactly the 404 of a made-up file id
#   smap      /sitemap.xml lists record 1-10's page: what anonymous may
#             read, whoever asks (a crawler's sitemap is public)
EXPECT_API='
#principal arec       alist      asearch    atotal achg       afile smap
anonymous  NNYNNYNNNN NNYNNYNNNN NNYNNYNNNN 3      NNYNNYNNNN NNYNNYN NNYNNYNNNN
viewer     NNYYNYNNNN NNYYNYNNNN NNYYNYNNNN 4      NNYYNYNNNN NNYYNYN NNYNNYNNNN
community  NYYYNYNNNN NYYYNYNNNN NYYYNYNNNN 5      NYYYNYNNNN NYYYNYN NNYNNYNNNN
granted    YNYYNYNNNN YNYYNYNNNN YNYYNYNNNN 5      YNYYNYNNNN YNYYNYY NNYNNYNNNN
grouped    YNYYNYNNNN YNYYNYNNNN YNYYNYNNNN 5      YNYYNYNNNN YNYYNYY NNYNNYNNNN
expired    NNYYNYNNNN NNYYNYNNNN NNYYNYNNNN 4      NNYYNYNNNN NNYYNYN NNYNNYNNNN
admin      YYYYYYYYYY YYYYYYYYYY YYYYYYYYYY 11     YYYYYYYYYY YYYYYYY NNYNNYNNNN
archivist  YYYYYYYYYY YYYYYYYYYY YYYYYYYYYY 11     YYYYYYYYYY YYYYYYY NNYNNYNNNN
screener   YNYNNYNNNN YNYNNYNNNN YNYNNYNNNN 4      YNYNNYNNNN YNYNNYY NNYNNYNNNN
'

# Accounts: principal -> login name (role), and passwords (at least 8 characters).
declare -A USER=([viewer]=viewer1 [community]=member1 [granted]=granted1 [grouped]=grouped1
	[expired]=expired1 [admin]=admin1 [archivist]=archivist1)
declare -A ROLE=([viewer]=viewer [community]=community [granted]=viewer [grouped]=viewer
	[expired]=viewer [admin]=admin [archivist]=archivist)
PW='correct horse battery'
GROUP=festival-jury

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-access.XXXXXX")
at_exit rm -rf -- "$W"
A=$W/archive

# ---- helpers -------------------------------------------------------------


# cli ARGS...: run the command line on the archive; output in $W/cli.out.
cli() {
	"$BIN" -a "$A" "$@" >"$W/cli.out" 2>&1
}
# cli_ok NAME ARGS...: a command that must succeed.
cli_ok() {
	local name=$1
	shift
	if cli "$@"; then
		pass "$name"
	else
		fail "$name" "exit $?: $(head -c 300 "$W/cli.out" | tr '\n' ' ')"
	fi
}
# cli_pw_ok NAME PASSWORD ARGS...: the same, with PASSWORD on standard input.
cli_pw_ok() {
	local name=$1 pw=$2
	shift 2
	if printf '%s\n' "$pw" | "$BIN" -a "$A" "$@" >"$W/cli.out" 2>&1; then
		pass "$name"
	else
		fail "$name" "exit $?: $(head -c 300 "$W/cli.out" | tr '\n' ' ')"
	fi
}

# check_each NAME JAR PATH WANT: six requests for PATH, each on a new
# connection so that every worker thread answers some, all get WANT: a
# change must reach every thread's view at once.
check_each() {
	local name=$1 cj=$2 path=$3 want=$4 i codes=() bad=0
	for i in 1 2 3 4 5 6; do
		http "$cj" GET "$path"
		codes+=("$STATUS")
		[[ $STATUS == "$want" ]] || bad=1
	done
	if ((bad == 0)); then
		pass "$name"
	else
		fail "$name" "statuses ${codes[*]}; last: $(seen)"
	fi
}

# jar PRINCIPAL: its cookie file.
jar() { echo "$W/jar.$1"; }

# http JAR METHOD PATH [CURL ARGS...]: one request. JAR is a cookie file,
# or - for none. Sets STATUS; the reply is in $W/body and $W/headers.
http() {
	local cj=$1 method=$2 path=$3
	shift 3
	local args=(-s -g --noproxy '*' --max-time 20 -o "$W/body" -D "$W/headers"
		-w '%{http_code}')
	[[ $cj == - ]] || args+=(-b "$cj" -c "$cj")
	[[ $method == GET || $method == HEAD ]] || args+=(-X "$method")	# HEAD: pass -I
	: >"$W/body"
	: >"$W/headers"
	STATUS=$(curl "${args[@]}" "$@" "$BASE$path" 2>"$W/curl.err") || true
	[[ -n $STATUS ]] || STATUS=000
}




# has_logout FILE: the page has the logout form of a logged-in visitor.
has_logout() { grep -q 'action="/logout"' "$1"; }

# sid_set: the last reply set a sid cookie.
sid_set() { header Set-Cookie | grep -q '^sid=[^;]'; }

# login JAR NAME PASSWORD [NEXT]: the whole web login (GET the form, POST
# it). Leaves the POST's reply in $W/body, $W/headers and STATUS.
login() {
	local cj=$1 name=$2 pw=$3 next=${4:-} csrf
	http "$cj" GET /login
	csrf=$(form_csrf "$W/body")
	local data=(--data-urlencode "name=$name" --data-urlencode "password=$pw"
		--data-urlencode "csrf=$csrf")
	[[ -z $next ]] || data+=(--data-urlencode "next=$next")
	http "$cj" POST /login "${data[@]}"
}

# count_on_home FILE TYPE: the count next to the home page's link to TYPE (0 if absent).
count_on_home() {
	local n
	n=$(T=$2 perl -0777 -ne '
		if (/href="\/search\?type=\Q$ENV{T}\E"[^>]*>[^<]*<\/a>\s*<span[^>]*>\s*(\d+)/) { print $1 }' "$1")
	echo "${n:-0}"
}

# total FILE: the "N registros" of a search page (empty if missing).
total() {
	perl -0777 -ne 'if (/(\d+) registros?\b/) { print $1 }' "$1"
}

# facet FILE PARAM SLUG: the count of one facet entry (0 if it is not listed).
facet() {
	local n
	n=$(P=$2 S=$3 perl -0777 -ne '
		if (/[?&;]\Q$ENV{P}\E=\Q$ENV{S}\E"[^>]*>.*?<\/a>\s*<span[^>]*>\s*(\d+)/) { print $1 }' "$1")
	echo "${n:-0}"
}

# links FILE PATH: the page links to PATH.
links() { grep -qF "href=\"$2\"" "$1"; }

# visible_text FILE: the page without tags, lower case.
visible_text() { perl -0777 -pe 's/<[^>]*>/ /g; $_ = lc' "$1"; }

# leak_check P LABEL [EXCEPT_WORD]: the page in $W/body contains no word of
# a record P may not read (except EXCEPT_WORD, the query it echoes).
leak_check() {
	local p=$1 label=$2 except=${3:-} i text leaked=()
	text=$(visible_text "$W/body")
	for i in "${!REC_WORD[@]}"; do
		[[ ${PAGE[$p]:i:1} == N ]] || continue
		[[ ${REC_WORD[i]} != "$except" ]] || continue
		local w=${REC_WORD[i],,}
		[[ $text != *"$w"* ]] || leaked+=("${REC_WORD[i]}")
	done
	if ((${#leaked[@]} == 0)); then
		pass "$p: $label leaks no unreadable title"
	else
		fail "$p: $label leaks no unreadable title" "contains ${leaked[*]}"
	fi
}

# missing_slug PATH: the same path with a slug that does not exist and has
# the same length, so the two 404 pages can be compared byte for byte.
missing_slug() { echo "${1/matrix-/nomatx-}"; }

# same_as_missing P PATH [METHOD]: the last reply (for PATH) is exactly the
# 404 that P gets for a missing slug of the same type and length.
same_as_missing() {
	local p=$1 path=$2 method=${3:-GET} miss
	miss=$(missing_slug "$path")
	cp "$W/body" "$W/denied.body"
	grep -vi '^date:' "$W/headers" | tr -d '\r' >"$W/denied.headers"
	local st=$STATUS
	if [[ $method == HEAD ]]; then
		http "$(jar "$p")" HEAD "$miss" -I
	else
		http "$(jar "$p")" GET "$miss"
	fi
	local mst=$STATUS
	sed "s/nomatx-/matrix-/g" "$W/body" >"$W/missing.body"
	grep -vi '^date:' "$W/headers" | tr -d '\r' | sed "s/nomatx-/matrix-/g" >"$W/missing.headers"
	if [[ $mst != 404 ]]; then
		echo "a missing slug gave $mst, not 404"
		return 1
	fi
	if [[ $st != 404 ]]; then
		echo "status $st"
		return 1
	fi
	if ! cmp -s "$W/denied.headers" "$W/missing.headers"; then
		echo "headers differ from a missing slug's: $(diff "$W/missing.headers" "$W/denied.headers" | grep '^[<>]' | tr '\n' ' ' | head -c 300)"
		return 1
	fi
	if [[ $method != HEAD ]] && ! cmp -s "$W/denied.body" "$W/missing.body"; then
		echo "body differs from a missing slug's: $(diff "$W/missing.body" "$W/denied.body" | grep '^[<>]' | tr '\n' ' ' | head -c 300)"
		return 1
	fi
	return 0
}

# same_search_as_missing P PATH: the last reply (for PATH, a search with a
# filter) is exactly what P gets for the same search whose slug names no
# record (status, headers, body): a filter on an unreadable record must
# not tell it apart from one that does not exist.
same_search_as_missing() {
	local p=$1 path=$2 miss st
	miss=$(missing_slug "$path")
	cp "$W/body" "$W/denied.body"
	grep -vi '^date:' "$W/headers" | tr -d '\r' >"$W/denied.headers"
	st=$STATUS
	http "$(jar "$p")" GET "$miss"
	sed "s/nomatx-/matrix-/g" "$W/body" >"$W/missing.body"
	grep -vi '^date:' "$W/headers" | tr -d '\r' | sed "s/nomatx-/matrix-/g" >"$W/missing.headers"
	if [[ $st != "$STATUS" ]]; then
		echo "status $st, a missing slug's $STATUS"
		return 1
	fi
	if ! cmp -s "$W/denied.headers" "$W/missing.headers"; then
		echo "headers differ from a missing slug's: $(diff "$W/missing.headers" "$W/denied.headers" | grep '^[<>]' | tr '\n' ' ' | head -c 300)"
		return 1
	fi
	if ! cmp -s "$W/denied.body" "$W/missing.body"; then
		echo "body differs from a missing slug's: $(diff "$W/missing.body" "$W/denied.body" | grep '^[<>]' | tr '\n' ' ' | head -c 300)"
		return 1
	fi
	return 0
}

# A file id that no file has (the same length as a real one, a UUID).
MISSING_FILE=00000000-0000-7000-8000-000000000000

# read_reply: read the last reply without starting a process (it is done
# for every file of every principal): RHEAD its header lines but Date, CR
# removed; RH[name] the value of each header (lower-case name); RBODY its
# body.
declare -A RH=()
RHEAD='' RBODY=''
read_reply() {
	local line name value
	RH=() RHEAD=''
	while IFS= read -r line || [[ -n $line ]]; do
		line=${line%$'\r'}
		[[ $line != HTTP/* ]] || { RH=(); RHEAD=''; }	# the last response's only
		name=${line%%:*}
		name=${name,,}
		[[ $name != date ]] || continue
		RHEAD+=$line$'\n'
		if [[ $line == *:* ]]; then
			value=${line#*:}
			RH[$name]=${value#"${value%%[! ]*}"}
		fi
	done <"$W/headers"
	RBODY=''
	IFS= read -r -d '' RBODY <"$W/body" || true
}

# keep_nofile METHOD: keep the last reply, read by read_reply, as the 404
# for a made-up file id (/media/$MISSING_FILE) by METHOD.
declare -A NF_STATUS=() NF_HEAD=() NF_BODY=()
keep_nofile() {
	NF_STATUS[$1]=$STATUS NF_HEAD[$1]=$RHEAD NF_BODY[$1]=$RBODY
}

# like_nofile METHOD ID: the last reply, read by read_reply, for
# /media/ID, is exactly the 404 kept by keep_nofile (headers and, but for
# HEAD, body), once the made-up id is replaced with ID in it (pages show
# their own path, in the language links). Else says how in MSG.
like_nofile() {
	local m=$1 id=$2 head body
	head=${NF_HEAD[$m]//"$MISSING_FILE"/"$id"}
	body=${NF_BODY[$m]//"$MISSING_FILE"/"$id"}
	MSG=''
	if [[ ${NF_STATUS[$m]} != 404 ]]; then
		MSG="/media/$MISSING_FILE gave ${NF_STATUS[$m]}, not 404"
	elif [[ $STATUS != 404 ]]; then
		MSG="status $STATUS"
	elif [[ $RHEAD != "$head" ]]; then
		MSG="headers differ from /media/$MISSING_FILE's: $(diff <(echo "$head") <(echo "$RHEAD") | grep '^[<>]' | tr '\n' ' ' | head -c 300)"
	elif [[ $m != HEAD && $RBODY != "$body" ]]; then
		MSG="body differs from /media/$MISSING_FILE's: $(diff <(echo "$body") <(echo "$RBODY") | grep '^[<>]' | tr '\n' ' ' | head -c 300)"
	fi
	[[ -z $MSG ]]
}

# same_as_missing_file P ID [METHOD]: the last reply (for /media/ID) is
# exactly the 404 that P gets for /media/$MISSING_FILE (else MSG says how).
same_as_missing_file() {
	local p=$1 id=$2 method=${3:-GET} st head body
	read_reply
	st=$STATUS head=$RHEAD body=$RBODY
	if [[ $method == HEAD ]]; then
		http "$(jar "$p")" HEAD "/media/$MISSING_FILE" -I
	else
		http "$(jar "$p")" GET "/media/$MISSING_FILE"
	fi
	read_reply
	keep_nofile "$method"
	STATUS=$st RHEAD=$head RBODY=$body
	like_nofile "$method" "$id"
}

# cache_ok KIND VALUE: a Cache-Control VALUE fit for a file that is public
# to everyone (KIND public: "public" and a max-age of a day or more, or
# immutable) or not (KIND private: "private" or "no-store", never "public").
cache_ok() {
	local kind=$1 v=${2,,} age
	if [[ $kind == public ]]; then
		age=0
		[[ ! $v =~ max-age=([0-9]+) ]] || age=${BASH_REMATCH[1]}
		[[ $v == *public* && $v != *private* && $v != *no-store* ]] &&
			{ [[ $v == *immutable* ]] || ((10#$age >= 86400)); }
	else
		[[ ($v == *private* || $v == *no-store*) && $v != *public* ]]
	fi
}

# ---- reading the table ---------------------------------------------------

COLS=() PRINCIPALS=()
declare -A CELL=() PAGE=()
while read -r line; do
	[[ -n $line ]] || continue
	if [[ $line == \#* ]]; then
		read -r -a COLS <<<"${line#\#}"
		continue
	fi
	read -r -a f <<<"$line"
	if ((${#f[@]} != ${#COLS[@]})); then
		echo "error: EXPECT row '${f[0]}' has ${#f[@]} cells for ${#COLS[@]} columns" >&2
		exit 2
	fi
	[[ -v "PAGE[${f[0]}]" ]] || PRINCIPALS+=("${f[0]}")	# once, from the first table
	for i in "${!COLS[@]}"; do CELL[${f[0]}:${COLS[i]}]=${f[i]}; done
	PAGE[${f[0]}]=${CELL[${f[0]}:page]}
done <<<"$EXPECT$EXPECT_API"

# OAI-PMH's columns (tests/oai has the protocol itself). A harvester reads
# as an anonymous visitor whatever its cookie, so every principal's row is
# anonymous's: a session opens nothing through /oai.
#   oai_get   GetRecord (oai_dc) of records 1-10 by urn:uuid: Y the record,
#             live; N idDoesNotExist, exactly as a made-up identifier
#   oai_list  a full ListRecords (oai_dc, every page) lists record 1-10 live
#   oai_ids   a full ListIdentifiers lists record 1-10
#   oai_sets  ListSets lists the private collection 8
# and no OAI answer holds the word of a record anonymous may not read.
EXPECT_OAI='
#principal oai_get    oai_list   oai_ids    oai_sets
anonymous  NNYNNYNNNN NNYNNYNNNN NNYNNYNNNN N
viewer     NNYNNYNNNN NNYNNYNNNN NNYNNYNNNN N
community  NNYNNYNNNN NNYNNYNNNN NNYNNYNNNN N
granted    NNYNNYNNNN NNYNNYNNNN NNYNNYNNNN N
grouped    NNYNNYNNNN NNYNNYNNNN NNYNNYNNNN N
expired    NNYNNYNNNN NNYNNYNNNN NNYNNYNNNN N
admin      NNYNNYNNNN NNYNNYNNNN NNYNNYNNNN N
archivist  NNYNNYNNNN NNYNNYNNNN NNYNNYNNNN N
screener   NNYNNYNNNN NNYNNYNNNN NNYNNYNNNN N
'
while read -r line; do
	[[ -n $line ]] || continue
	if [[ $line == \#* ]]; then
		read -r -a OAI_COLS <<<"${line#\#}"
		continue
	fi
	read -r -a f <<<"$line"
	for i in "${!OAI_COLS[@]}"; do CELL[${f[0]}:${OAI_COLS[i]}]=${f[i]}; done
done <<<"$EXPECT_OAI"

# ---- setup -----------------------------------------------------------------

echo "== setup ($BIN)"
if ! server_make_demo "$A"; then
	echo "error: cannot make the demo archive" >&2
	exit 1
fi
for p in viewer community granted grouped expired admin archivist; do
	cli_pw_ok "user add ${USER[$p]} --role ${ROLE[$p]}" "$PW" \
		user add "${USER[$p]}" --role "${ROLE[$p]}" --password-stdin
done
for u in changer1 disabled1 flooded1; do
	cli_pw_ok "user add $u --role viewer" "$PW" user add "$u" --role viewer --password-stdin
done
cli_ok "group add $GROUP" group add "$GROUP"
cli_ok "group join $GROUP grouped1" group join "$GROUP" grouped1
cli_ok "user list" user list
check "user list shows accounts and roles" "$(head -c 300 "$W/cli.out")" \
	grep -q 'archivist1.*archivist' "$W/cli.out"

if ! server_start "$A"; then
	echo "error: the server did not start" >&2
	exit 1
fi
echo "server: $BASE (pid $SERVER_PID)"

# Log every principal in, and note the home page's counts before the fixture.
declare -A BASELINE=()
for p in "${PRINCIPALS[@]}"; do
	: >"$(jar "$p")"
	if [[ -n ${USER[$p]:-} ]]; then
		login "$(jar "$p")" "${USER[$p]}" "$PW"
		if [[ $STATUS == 303 ]] && sid_set; then
			pass "$p: logs in (303 and a sid cookie)"
		else
			fail "$p: logs in (303 and a sid cookie)" "$(seen)"
		fi
	fi
	http "$(jar "$p")" GET /
	for t in work document event collection agent place; do
		BASELINE[$p:$t]=$(count_on_home "$W/body" "$t")
	done
	if [[ -n ${USER[$p]:-} ]]; then
		check "$p: pages show the logout form" "$(seen)" has_logout "$W/body"
	else
		check "$p: pages show no logout form" "$(seen)" eval '! has_logout "$W/body"'
	fi
done

cli_ok "import the fixture" import "$FIXTURE"
cli_ok "grant granted1 matrix-private-work" grant granted1 matrix-private-work
cli_ok "grant @$GROUP matrix-private-work" grant "@$GROUP" matrix-private-work
cli_ok "grant expired1 matrix-private-work --until 2000-01-01" \
	grant expired1 matrix-private-work --until 2000-01-01
cli_ok "grant changer1 matrix-private-work" grant changer1 matrix-private-work
cli_ok "grant disabled1 matrix-private-work" grant disabled1 matrix-private-work
cli_ok "grants" grants
check "grants lists the account and the group grants" "$(head -c 300 "$W/cli.out")" \
	eval 'grep -q granted1 "$W/cli.out" && grep -q "$GROUP" "$W/cli.out"'

# Files for the /media column: for each of the records 1 to 6 a small text
# file of its own (distinct bytes, so that one record's file is never taken
# for another's), and a WebVTT subtitle for work 1; no derivatives (fast).
# MEDIA_* are indexed like the flags of the media column followed by the
# vtt column's.
# file_id SLUG ROLE NAME: the id of the live file NAME of the record SLUG.
file_id() {
	sqlite3 -cmd '.timeout 5000' "$A/catalog.db" "SELECT f.id FROM file f
		JOIN record r ON r.id = f.record_id WHERE r.slug = '$1' AND f.role = '$2'
		AND f.name = '$3' AND f.deleted IS NULL" 2>"$W/sqlite.err"
}
# got_file_id LABEL ID: the id looks like one (a UUID).
got_file_id() {
	if [[ $2 =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]]; then
		pass "$1 has an id ($2)"
	else
		fail "$1 has an id" "got '$2' $(head -c 200 "$W/sqlite.err")"
	fi
}
MEDIA_SRC=() MEDIA_ID=() MEDIA_MIME=() MEDIA_LABEL=() MEDIA_SIZE=()
mkdir -p "$W/media"
for i in 0 1 2 3 4 5; do
	slug=${REC_PATH[i]##*/}
	src=$W/media/record-$((i + 1)).txt
	printf 'cinemateca access matrix: the file of record %d, %s\n' $((i + 1)) "$slug" >"$src"
	cli_ok "ingest --to $slug --role other --no-derive ${src##*/}" \
		ingest --to "$slug" --role other --no-derive "$src"
	MEDIA_SRC+=("$src")
	MEDIA_SIZE+=("$(stat -c %s "$src")")
	MEDIA_MIME+=(text/plain)
	MEDIA_LABEL+=("file of record $((i + 1))")
	MEDIA_ID+=("$(file_id "$slug" other "${src##*/}")")
	got_file_id "the file of $slug" "${MEDIA_ID[i]}"
done
src=$W/media/subtitle-es.vtt
printf 'WEBVTT\n\n00:00:01.000 --> 00:00:03.500\nEn la mina, al amanecer, Zorzaldicho.\n' >"$src"
cli_ok "subtitle matrix-private-work --lang es ${src##*/}" \
	subtitle matrix-private-work --lang es "$src"
MEDIA_SRC+=("$src")
MEDIA_SIZE+=("$(stat -c %s "$src")")
MEDIA_MIME+=(text/vtt)
MEDIA_LABEL+=("subtitle of work 1")
MEDIA_ID+=("$(file_id matrix-private-work subtitle "${src##*/}")")
got_file_id "the subtitle of matrix-private-work" "${MEDIA_ID[6]}"

# make_screener TOKEN-VARIABLE FOR: make a screener link for the private work
# and put its token in the variable.
make_screener() {
	local var=$1 who=$2 url tok
	if cli screener matrix-private-work --for "$who" --days 3; then
		url=$(grep -o '/screener/[A-Za-z0-9._~-]*' "$W/cli.out" | head -n1)
		tok=${url#/screener/}
		if [[ -n $tok ]]; then
			pass "screener for \"$who\" prints a /screener/TOKEN link"
		else
			fail "screener for \"$who\" prints a /screener/TOKEN link" "$(head -c 300 "$W/cli.out")"
		fi
	else
		fail "screener for \"$who\" prints a /screener/TOKEN link" \
			"exit $?: $(head -c 300 "$W/cli.out" | tr '\n' ' ')"
		tok=
	fi
	printf -v "$var" '%s' "$tok"
}
make_screener SCR1 "Festival X"
: >"$(jar screener)"
http "$(jar screener)" GET "/screener/$SCR1"
if [[ $STATUS == 303 && $(header Location) == */work/matrix-private-work ]] &&
	[[ -n $(header Set-Cookie) ]]; then
	pass "screener: opening the link answers 303 to the work and sets a cookie"
else
	fail "screener: opening the link answers 303 to the work and sets a cookie" "$(seen)"
fi

# ---- the matrix ------------------------------------------------------------

# flags_check P COLUMN LABEL WANT GOT: compare two flag strings.
flags_check() {
	local p=$1 col=$2 label=$3 want=$4 got=$5
	if [[ $want == "$got" ]]; then
		pass "$p: $col ($label) $want"
	else
		fail "$p: $col ($label)" "expected $want, got $got"
	fi
}
# num_check P COLUMN WANT GOT
num_check() {
	if [[ $3 == "$4" ]]; then
		pass "$1: $2 = $3"
	else
		fail "$1: $2" "expected $3, got ${4:-nothing}"
	fi
}

# related_flags FILE PATH...: Y/N for each PATH linked from the page.
related_flags() {
	local file=$1 out='' path
	shift
	for path in "$@"; do
		if links "$file" "$path"; then out+=Y; else out+=N; fi
	done
	echo "$out"
}

# oai_fetch JAR QUERY: /oai?QUERY as the principal of JAR into $W/body.
oai_fetch() { http "$1" GET "/oai?$2"; }
# oai_walk JAR VERB: every page of a list, concatenated into $W/oai.all.
oai_walk() {
	local cj=$1 q="verb=$2&metadataPrefix=oai_dc" tok n
	: >"$W/oai.all"
	for n in $(seq 50); do
		oai_fetch "$cj" "$q"
		cat "$W/body" >>"$W/oai.all"
		tok=$(grep -o '<resumptionToken[^>]*>[^<]*</resumptionToken>' "$W/body" | sed 's/<[^>]*>//g')
		[[ -n $tok ]] || break
		q="verb=$2&resumptionToken=$tok"
	done
}
# oai_leak_check P LABEL FILE: FILE holds no word of a record anonymous may not read.
oai_leak_check() {
	local p=$1 label=$2 i leaked=() text
	text=$(tr '[:upper:]' '[:lower:]' <"$3")
	for i in "${!REC_WORD[@]}"; do
		[[ ${PAGE[anonymous]:i:1} == N ]] || continue
		[[ $text != *"${REC_WORD[i],,}"* ]] || leaked+=("${REC_WORD[i]}")
	done
	if ((${#leaked[@]} == 0)); then
		pass "$p: OAI $label leaks no unreadable title"
	else
		fail "$p: OAI $label leaks no unreadable title" "contains ${leaked[*]}"
	fi
}
oai_matrix() {
	local p=$1 cj i id got='' miss
	cj=$(jar "$p")
	oai_fetch "$cj" "verb=GetRecord&metadataPrefix=oai_dc&identifier=urn:uuid:01890a5d-ac96-774b-bcce-b302099a8057"
	miss=$(sed 's/<responseDate>[^<]*</<responseDate></' "$W/body")
	for i in "${!REC_PATH[@]}"; do
		id=${REC_ID[i]}
		oai_fetch "$cj" "verb=GetRecord&metadataPrefix=oai_dc&identifier=urn:uuid:$id"
		oai_leak_check "$p" "GetRecord ${REC_PATH[i]}" "$W/body"
		if grep -q '<record><header><identifier>' "$W/body"; then
			got+=Y
		elif [[ $(sed 's/<responseDate>[^<]*</<responseDate></; s/'"$id"'/01890a5d-ac96-774b-bcce-b302099a8057/g' "$W/body") == "$miss" ]]; then
			got+=N
		else
			got+='?'
		fi
	done
	flags_check "$p" oai_get "GetRecord of records 1-10" "${CELL[$p:oai_get]}" "$got"
	for v in ListRecords:oai_list ListIdentifiers:oai_ids; do
		oai_walk "$cj" "${v%%:*}"
		oai_leak_check "$p" "${v%%:*}" "$W/oai.all"
		got=''
		for i in "${!REC_PATH[@]}"; do
			if grep -q "<header><identifier>urn:uuid:${REC_ID[i]}<" "$W/oai.all"; then got+=Y; else got+=N; fi
		done
		flags_check "$p" "${v##*:}" "${v%%:*} lists records 1-10" "${CELL[$p:${v##*:}]}" "$got"
	done
	oai_fetch "$cj" "verb=ListSets"
	oai_leak_check "$p" ListSets "$W/body"
	if grep -q 'matrix-private-collection' "$W/body"; then got=Y; else got=N; fi
	flags_check "$p" oai_sets "ListSets lists collection 8" "${CELL[$p:oai_sets]}" "$got"
}

matrix() {
	local p=$1 cj i want got msg
	cj=$(jar "$p")
	echo "== $p"

	# page: 200, or the very 404 of a missing slug
	for i in "${!REC_PATH[@]}"; do
		want=${CELL[$p:page]:i:1}
		http "$cj" GET "${REC_PATH[i]}"
		if [[ $want == Y ]]; then
			if [[ $STATUS == 200 ]]; then
				pass "$p: page ${REC_PATH[i]} 200"
			else
				fail "$p: page ${REC_PATH[i]} 200" "$(seen)"
			fi
			leak_check "$p" "${REC_PATH[i]}"
		else
			leak_check "$p" "the 404 for ${REC_PATH[i]}"
			if msg=$(same_as_missing "$p" "${REC_PATH[i]}"); then
				pass "$p: page ${REC_PATH[i]} 404 like a missing slug"
			else
				fail "$p: page ${REC_PATH[i]} 404 like a missing slug" "$msg"
			fi
		fi
	done

	# search for each record's own word
	for i in "${!REC_WORD[@]}"; do
		want=${CELL[$p:search]:i:1}
		http "$cj" GET "/search?q=${REC_WORD[i]}"
		if [[ $STATUS != 200 ]]; then
			fail "$p: search ${REC_WORD[i]}" "$(seen)"
			continue
		fi
		if [[ $want == Y ]]; then
			check "$p: search ${REC_WORD[i]} finds ${REC_PATH[i]}" "not listed; $(seen)" \
				links "$W/body" "${REC_PATH[i]}"
		else
			got=$(total "$W/body")
			if ! links "$W/body" "${REC_PATH[i]}" && [[ $got == 0 ]]; then
				pass "$p: search ${REC_WORD[i]} finds nothing"
			else
				fail "$p: search ${REC_WORD[i]} finds nothing" "$(seen)"
			fi
		fi
		leak_check "$p" "/search?q=${REC_WORD[i]}" "${REC_WORD[i]}"
	done

	# browsing by type, without words: one page per type, one flag per record
	local ty got_flags='' rpath
	local pg
	for ty in work document event collection agent place; do
		: >"$W/browse.$ty"
		for pg in 1 2 3 4 5 6; do	# every page of results
			http "$cj" GET "/search?type=$ty&page=$pg"
			cat "$W/body" >>"$W/browse.$ty"
			[[ $STATUS == 200 ]] || fail "$p: /search?type=$ty&page=$pg" "$(seen)"
			leak_check "$p" "/search?type=$ty&page=$pg"
			grep -q 'rel="next"' "$W/body" || break
		done
	done
	for rpath in "${REC_PATH[@]}"; do
		ty=${rpath#/}
		ty=${ty%%/*}
		if links "$W/browse.$ty" "$rpath"; then got_flags+=Y; else got_flags+=N; fi
	done
	flags_check "$p" browse "/search?type=TYPE lists records 1-10" "${CELL[$p:browse]}" "$got_flags"

	# filters without words
	http "$cj" GET "/search?place=matrix-place"
	num_check "$p" "total of /search?place=matrix-place" "${CELL[$p:bplace]}" "$(total "$W/body")"
	leak_check "$p" "/search?place=matrix-place"
	http "$cj" GET "/search?collection=matrix-private-collection"
	leak_check "$p" "/search?collection=matrix-private-collection"

	# filters naming a record one may not read: exactly a missing slug's page
	local fl
	for fl in fcoll:collection:matrix-private-collection fagent:agent:matrix-private-agent \
		fplace:place:matrix-private-place; do
		local col=${fl%%:*} rest=${fl#*:}
		local param=${rest%%:*} slug=${rest#*:} query
		for query in "$param=$slug" "q=zorzal&$param=$slug"; do
			http "$cj" GET "/search?$query"
			num_check "$p" "$col: total of /search?$query" "${CELL[$p:$col]}" \
				"$(total "$W/body")"
			leak_check "$p" "/search?$query"
			if [[ ${CELL[$p:$col]} == 0 ]]; then
				if msg=$(same_search_as_missing "$p" "/search?$query"); then
					pass "$p: $col: /search?$query is a missing slug's page"
				else
					fail "$p: $col: /search?$query is a missing slug's page" "$msg"
				fi
			fi
		done
	done

	# totals and facets of /search?q=zorzal
	http "$cj" GET "/search?q=zorzal"
	num_check "$p" "total of /search?q=zorzal" "${CELL[$p:total]}" "$(total "$W/body")"
	num_check "$p" "1980s facet" "${CELL[$p:dec]}" "$(facet "$W/body" decade 1980)"
	num_check "$p" "matrix-place facet" "${CELL[$p:place]}" "$(facet "$W/body" place matrix-place)"
	num_check "$p" "matrix-director facet" "${CELL[$p:dir]}" "$(facet "$W/body" agent matrix-director)"
	num_check "$p" "matrix-collection facet" "${CELL[$p:coll]}" \
		"$(facet "$W/body" collection matrix-collection)"
	leak_check "$p" "/search?q=zorzal"

	# the home page
	http "$cj" GET /
	local t col
	for t in work document event collection agent place; do
		case $t in
		work) col=+work ;; document) col=+doc ;; event) col=+event ;; collection) col=+coll ;;
		agent) col=+agent ;; place) col=+place ;;
		esac
		got=$(($(count_on_home "$W/body" "$t") - ${BASELINE[$p:$t]:-0}))
		num_check "$p" "home $t count $col" "${CELL[$p:$col]}" "$got"
	done
	flags_check "$p" recent "home lists the private work" "${CELL[$p:recent]}" \
		"$(related_flags "$W/body" /work/matrix-private-work)"
	flags_check "$p" hcoll "home lists the private collection" "${CELL[$p:hcoll]}" \
		"$(related_flags "$W/body" /collection/matrix-private-collection)"
	leak_check "$p" "the home page"

	# the timeline
	http "$cj" GET /timeline
	flags_check "$p" timeline "private event on /timeline" "${CELL[$p:timeline]}" \
		"$(related_flags "$W/body" /event/matrix-private-event)"
	leak_check "$p" "/timeline"

	# related lists on public records' pages
	local works=(/work/matrix-private-work /work/matrix-community-work /work/matrix-public-work)
	local rel page
	for rel in rel_dir:/agent/matrix-director rel_place:/place/matrix-place \
		rel_coll:/collection/matrix-collection; do
		page=${rel#*:}
		http "$cj" GET "$page"
		if [[ $STATUS != 200 ]]; then
			fail "$p: ${rel%%:*} ($page)" "$(seen)"
			continue
		fi
		flags_check "$p" "${rel%%:*}" "$page links works 1 2 3" "${CELL[$p:${rel%%:*}]}" \
			"$(related_flags "$W/body" "${works[@]}")"
		leak_check "$p" "$page"
	done
	http "$cj" GET /document/matrix-public-note
	if [[ $STATUS == 200 ]]; then
		flags_check "$p" rel_note "matrix-public-note links work 1, doc 5, work 3" \
			"${CELL[$p:rel_note]}" "$(related_flags "$W/body" /work/matrix-private-work \
			/document/matrix-embargoed-doc /work/matrix-public-work)"
		leak_check "$p" "/document/matrix-public-note"
	else
		fail "$p: rel_note (/document/matrix-public-note)" "$(seen)"
	fi

	# a line said in work 1: found, with its moment, only by who may read it
	http "$cj" GET "/search?q=zorzaldicho"
	if [[ ${CELL[$p:said]} == Y ]]; then
		check "$p: said: the line said in work 1 is found at its moment" "$(seen)" \
			eval '[[ $STATUS == 200 ]] && grep -qF "<mark>Zorzaldicho</mark>" "$W/body" &&
				grep -qF "href=\"/work/matrix-private-work?t=1#player\"" "$W/body"'
	else
		check "$p: said: the line said in work 1 is not found" "$(seen)" \
			eval '[[ $STATUS == 200 ]] && grep -qF "<p class=\"meta\">0 registros</p>" "$W/body" &&
				! grep -qi "zorzaldicho</mark>\|matrix-private-work" "$W/body"'
	fi

	# /media: each file's exact bytes, or the very 404 of a made-up file id;
	# HEAD answers the same status
	local flags=${CELL[$p:media]}${CELL[$p:vtt]} public=${CELL[anonymous:media]}${CELL[anonymous:vtt]}
	local k id label kind
	# P's 404 for a made-up file id, to compare each refusal with
	http "$cj" GET "/media/$MISSING_FILE"
	read_reply
	keep_nofile GET
	http "$cj" HEAD "/media/$MISSING_FILE" -I
	read_reply
	keep_nofile HEAD
	for k in "${!MEDIA_ID[@]}"; do
		want=${flags:k:1}
		id=${MEDIA_ID[k]}
		label="/media (${MEDIA_LABEL[k]})"
		http "$cj" GET "/media/$id"
		read_reply
		if [[ $want == Y ]]; then
			got=${RH[content-type]:-}
			if [[ $STATUS == 200 && $got == "${MEDIA_MIME[k]}"* ]] && cmp -s "$W/body" "${MEDIA_SRC[k]}"; then
				pass "$p: $label 200, ${MEDIA_MIME[k]}, exactly the stored bytes"
			else
				fail "$p: $label 200, ${MEDIA_MIME[k]}, exactly the stored bytes" \
					"HTTP $STATUS, Content-Type $got, $(stat -c %s "$W/body") bytes for ${MEDIA_SIZE[k]}"
			fi
			# a file that anonymous may read is public to everyone
			if [[ ${public:k:1} == Y ]]; then kind=public; else kind=private; fi
			got=${RH[cache-control]:-}
			if cache_ok "$kind" "$got"; then
				pass "$p: $label Cache-Control $kind"
			else
				fail "$p: $label Cache-Control $kind" "Cache-Control: $got"
			fi
			http "$cj" HEAD "/media/$id" -I
			read_reply
			got=${RH[content-length]:-}
			if [[ $STATUS == 200 && $got == "${MEDIA_SIZE[k]}" ]]; then
				pass "$p: HEAD $label 200, Content-Length ${MEDIA_SIZE[k]}"
			else
				fail "$p: HEAD $label 200, Content-Length ${MEDIA_SIZE[k]}" "HTTP $STATUS, Content-Length $got"
			fi
		else
			if like_nofile GET "$id"; then
				pass "$p: $label 404 like a made-up file id's"
			else
				fail "$p: $label 404 like a made-up file id's" "$MSG"
			fi
			http "$cj" HEAD "/media/$id" -I
			read_reply
			if like_nofile HEAD "$id"; then
				pass "$p: HEAD $label 404 like a made-up file id's"
			else
				fail "$p: HEAD $label 404 like a made-up file id's" "$MSG"
			fi
		fi
	done
}

# matrix_api P: the EXPECT_API columns for principal P (jq reads the JSON).
matrix_api() {
	local p=$1 cj i want got msg path next slugs flags
	cj=$(jar "$p")
	echo "== $p: the JSON API"
	for i in "${!REC_PATH[@]}"; do
		want=${CELL[$p:arec]:i:1}
		path=/api/v1/records/${REC_PATH[i]##*/}
		http "$cj" GET "$path"
		leak_check "$p" "$path"
		if [[ $want == Y ]]; then
			check "$p: arec $path 200" "$(seen)" \
				eval '[[ $STATUS == 200 ]] && jq -e --arg s "${REC_PATH[i]##*/}" ".slug == \$s" "$W/body" >/dev/null'
		elif msg=$(same_as_missing "$p" "$path"); then
			pass "$p: arec $path 404 like a missing slug"
		else
			fail "$p: arec $path 404 like a missing slug" "$msg"
		fi
	done
	# every page of the list, following next; then every page of changes
	: >"$W/slugs"
	next='/api/v1/records?limit=7'
	while [[ $next != null ]]; do
		http "$cj" GET "$next"
		[[ $STATUS == 200 ]] || { fail "$p: alist $next" "$(seen)"; break; }
		leak_check "$p" "$next"
		jq -r '.items[].slug' "$W/body" >>"$W/slugs"
		next=$(jq -r '.next' "$W/body")
	done
	flags=''
	for path in "${REC_PATH[@]}"; do
		if grep -qx "${path##*/}" "$W/slugs"; then flags+=Y; else flags+=N; fi
	done
	flags_check "$p" alist "/api/v1/records lists records 1-10" "${CELL[$p:alist]}" "$flags"
	: >"$W/slugs"
	local since=0 more=true
	while [[ $more == true ]]; do
		http "$cj" GET "/api/v1/changes?since=$since&limit=50"
		[[ $STATUS == 200 ]] || { fail "$p: achg since=$since" "$(seen)"; break; }
		leak_check "$p" "/api/v1/changes?since=$since"
		jq -r '.items[].slug' "$W/body" >>"$W/slugs"
		since=$(jq -r '.next_since' "$W/body")
		more=$(jq -r '.more' "$W/body")
	done
	flags=''
	for path in "${REC_PATH[@]}"; do
		if grep -qx "${path##*/}" "$W/slugs"; then flags+=Y; else flags+=N; fi
	done
	flags_check "$p" achg "/api/v1/changes has records 1-10" "${CELL[$p:achg]}" "$flags"
	flags=''
	for i in "${!REC_WORD[@]}"; do
		http "$cj" GET "/api/v1/search?q=${REC_WORD[i]}"
		leak_check "$p" "/api/v1/search?q=${REC_WORD[i]}" "${REC_WORD[i]}"
		if jq -e --arg s "${REC_PATH[i]##*/}" 'any(.items[]; .slug == $s)' "$W/body" >/dev/null
		then flags+=Y; else flags+=N; fi
	done
	flags_check "$p" asearch "/api/v1/search?q=WORD lists records 1-10" "${CELL[$p:asearch]}" "$flags"
	http "$cj" GET "/api/v1/search?q=zorzal"
	leak_check "$p" "/api/v1/search?q=zorzal"
	num_check "$p" "atotal of /api/v1/search?q=zorzal" "${CELL[$p:atotal]}" "$(jq -r .total "$W/body")"
	# the sitemap: the same public pages for everyone
	http "$cj" GET /sitemap.xml
	flags=''
	for path in "${REC_PATH[@]}"; do
		if grep -qF "<loc>$BASE$path</loc>" "$W/body"; then flags+=Y; else flags+=N; fi
	done
	flags_check "$p" smap "/sitemap.xml lists records 1-10" "${CELL[$p:smap]}" "$flags"
	leak_check "$p" /sitemap.xml
	# files: listed with their record, and one by one
	local ids=() k id slug
	http "$cj" GET "/api/v1/files/$MISSING_FILE"
	cp "$W/body" "$W/nofile.api"
	for k in "${!MEDIA_ID[@]}"; do
		id=${MEDIA_ID[k]}
		slug=${REC_PATH[k]##*/}
		((k < 6)) || slug=matrix-private-work
		http "$cj" GET "/api/v1/files?record=$slug"
		leak_check "$p" "/api/v1/files?record=$slug"
		if jq -e --arg id "$id" 'any(.items[]; .id == $id)' "$W/body" >/dev/null 2>&1
		then got=Y; else got=N; fi
		http "$cj" GET "/api/v1/files/$id"
		leak_check "$p" "/api/v1/files/$id"
		want=${CELL[$p:afile]:k:1}
		if [[ $want == Y ]]; then
			check "$p: afile ${MEDIA_LABEL[k]} listed and 200" "listed=$got; $(seen)" \
				eval '[[ $got == Y && $STATUS == 200 ]] && jq -e --arg h "$(sha256sum <"${MEDIA_SRC[k]}" | cut -c1-64)" ".sha256 == \$h" "$W/body" >/dev/null'
		else
			check "$p: afile ${MEDIA_LABEL[k]} not listed, 404 like a made-up id" "listed=$got; $(seen)" \
				eval '[[ $got == N && $STATUS == 404 ]] && cmp -s "$W/body" "$W/nofile.api"'
		fi
	done
}

# ---- community memories (web/page_contrib.c) ------------------------------
#
# Notes are read at two levels: their records' (a note on a record one may
# not read is invisible whatever its consent) and their own (consent, and
# state: only published notes show). The archivist adds, through the web
# form, a public testimony on each of the records 1 to 6 (ZorzalnotaN, N
# the record's number) and a community-only one on the public work 3
# (Zorzalnotacomunal), and publishes them from the command line; a pending
# one on work 3 (Zorzalnotapendiente) stays pending. Columns, in a table
# of their own read like EXPECT:
#   notes     each of the record pages 1-6 shows its public note
#   cnote     work 3's page shows the community-only note
#   nsearch   /search?q=zorzalnota lists records 1-6 (found by the notes:
#             their own texts do not hold the word)
#   cnsearch  /search?q=zorzalnotacomunal finds work 3
#   napi      /api/v1/records/SLUG of records 1-6 lists its public note
#             among its contributions (a 404 lists nothing)
#   cnapi     work 3's record in the API lists the community-only note
#   niiif     the IIIF manifest of works 1-3 (once they have a film, in the
#             IIIF part below) carries its public time-coded note
#             (ZorzaltiempoN at 0:01) in an AnnotationPage
#   cniiif    work 3's manifest carries the community-only time-coded note
#   rec       /media/FILE-ID of the recordings of three published
#             testimonies (uploaded with tus, ingested as role testimony):
#             on work 1 with public consent (read as work 1 is), on work 3
#             with public consent, on work 3 community-only: Y 200 with
#             exactly the uploaded bytes, N 404 like a made-up file id's
# and no page ever shows the pending note, nor an unreadable record's word.
EXPECT_NOTES='
#principal notes  cnote nsearch cnsearch napi   cnapi niiif cniiif rec
anonymous  NNYNNY N     NNYNNY  N        NNYNNY N     NNY   N    NYN
viewer     NNYYNY N     NNYYNY  N        NNYYNY N     NNY   N    NYN
community  NYYYNY Y     NYYYNY  Y        NYYYNY Y     NYY   Y    NYY
granted    YNYYNY N     YNYYNY  N        YNYYNY N     YNY   N    YYN
grouped    YNYYNY N     YNYYNY  N        YNYYNY N     YNY   N    YYN
expired    NNYYNY N     NNYYNY  N        NNYYNY N     NNY   N    NYN
admin      YYYYYY Y     YYYYYY  Y        YYYYYY Y     YYY   Y    YYY
archivist  YYYYYY Y     YYYYYY  Y        YYYYYY Y     YYY   Y    YYY
screener   YNYNNY N     YNYNNY  N        YNYNNY N     YNY   N    YYN
'
while read -r line; do
	[[ -n $line ]] || continue
	if [[ $line == \#* ]]; then
		read -r -a NOTE_COLS <<<"${line#\#}"
		continue
	fi
	read -r -a f <<<"$line"
	for i in "${!NOTE_COLS[@]}"; do CELL[${f[0]}:${NOTE_COLS[i]}]=${f[i]}; done
done <<<"$EXPECT_NOTES"

# note SLUG CONSENT BODY: the archivist's testimony on SLUG, by the form.
note() {
	local cj csrf
	cj=$(jar archivist)
	http "$cj" GET /
	csrf=$(form_csrf "$W/body" /logout)
	http "$cj" POST "/contribute/$1" --data-urlencode "csrf=$csrf" --data-urlencode kind=testimony \
		--data-urlencode motivation=commenting --data-urlencode lang=es --data-urlencode "consent=$2" \
		--data-urlencode "body=$3" --data-urlencode attribution=name --data-urlencode 'attribution_text=Archivo'
	[[ $STATUS == 303 ]]
}
newest_note() {
	sqlite3 -cmd '.timeout 5000' "$A/catalog.db" "SELECT id FROM contribution ORDER BY n DESC LIMIT 1"
}
for i in 0 1 2 3 4 5; do
	check "the archivist notes ${REC_PATH[i]}" "$(seen)" note "${REC_PATH[i]##*/}" public "Zorzalnota$((i + 1)) recuerdo"
	cli_ok "contrib publish the note on ${REC_PATH[i]##*/}" contrib publish "$(newest_note)"
done
check "the archivist adds a community-only note on work 3" "$(seen)" \
	note matrix-public-work community "Zorzalnotacomunal recuerdo"
cli_ok "contrib publish the community-only note" contrib publish "$(newest_note)"
check "the archivist adds a note left pending" "$(seen)" note matrix-public-work public "Zorzalnotapendiente"
# time_note SLUG CONSENT START BODY: the archivist's time-coded note, by the form.
time_note() {
	local cj csrf
	cj=$(jar archivist)
	http "$cj" GET /
	csrf=$(form_csrf "$W/body" /logout)
	http "$cj" POST "/contribute/$1" --data-urlencode "csrf=$csrf" --data-urlencode kind=time \
		--data-urlencode "start=$3" --data-urlencode motivation=identifying --data-urlencode lang=es \
		--data-urlencode "consent=$2" --data-urlencode "body=$4" --data-urlencode attribution=anonymous
	[[ $STATUS == 303 ]]
}
for i in 0 1 2; do
	check "the archivist's time-coded note on ${REC_PATH[i]}" "$(seen)" \
		time_note "${REC_PATH[i]##*/}" public 0:01 "Zorzaltiempo$((i + 1))"
	cli_ok "contrib publish the time-coded note on ${REC_PATH[i]##*/}" contrib publish "$(newest_note)"
done
check "the archivist's community-only time-coded note on work 3" "$(seen)" \
	time_note matrix-public-work community 0:02 "Zorzaltiempocomunal"
cli_ok "contrib publish it" contrib publish "$(newest_note)"
# rec_note SLUG CONSENT FREQ: the archivist's testimony with a recording of
# its own (a tone of FREQ Hz), uploaded with tus and published; REC_FILE+=
# its file id, REC_SRC+= its bytes.
REC_FILE=() REC_SRC=()
rec_note() {
	local cj csrf src=$W/rec-$3.mp4 loc up
	cj=$(jar archivist)
	ffmpeg -loglevel error -nostdin -f lavfi -i "sine=frequency=$3:duration=1" -c:a aac -f mp4 "$src" ||
		return 1
	http "$cj" GET /
	csrf=$(form_csrf "$W/body" /logout)
	http "$cj" POST /uploads/ -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $(stat -c %s "$src")" \
		-H "X-CSRF-Token: $csrf" -H "Upload-Metadata: filetype $(printf audio/mp4 | base64 -w0)"
	loc=$(header Location)
	up=${loc##*/}
	http "$cj" PATCH "$loc" -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0' -H "X-CSRF-Token: $csrf" \
		-H 'Content-Type: application/offset+octet-stream' --data-binary "@$src"
	[[ $STATUS == 204 ]] || return 1
	http "$cj" POST "/contribute/$1" --data-urlencode "csrf=$csrf" --data-urlencode kind=testimony \
		--data-urlencode motivation=commenting --data-urlencode lang=es --data-urlencode "consent=$2" \
		--data-urlencode "body=Zorzalgrabada $3" --data-urlencode attribution=anonymous \
		--data-urlencode "upload=$up"
	[[ $STATUS == 303 ]] || return 1
	"$BIN" -a "$A" contrib publish "$(newest_note)" >/dev/null 2>&1 || return 1
	REC_FILE+=("$(sqlite3 -cmd '.timeout 5000' "$A/catalog.db" "SELECT recording_file_id FROM contribution WHERE id = '$(newest_note)'")")
	REC_SRC+=("$src")
}
check "a published testimony with its recording on work 1 (public consent)" "$(seen)" \
	rec_note matrix-private-work public 330
check "... on work 3 (public consent)" "$(seen)" rec_note matrix-public-work public 440
check "... on work 3 (community only)" "$(seen)" rec_note matrix-public-work community 550

notes_matrix() {
	local p=$1 cj i got
	cj=$(jar "$p")
	got=
	for i in 0 1 2 3 4 5; do
		http "$cj" GET "${REC_PATH[i]}"
		if grep -q "Zorzalnota$((i + 1)) recuerdo" "$W/body"; then got+=Y; else got+=N; fi
		check "$p: no page shows a pending note (${REC_PATH[i]})" "$(seen)" \
			eval '! grep -qi zorzalnotapendiente "$W/body"'
		if ((i == 2)); then
			if grep -q "Zorzalnotacomunal recuerdo" "$W/body"; then want=Y; else want=N; fi
			flags_check "$p" cnote "work 3 shows the community-only note" "${CELL[$p:cnote]}" "$want"
		fi
	done
	flags_check "$p" notes "pages 1-6 show their public note" "${CELL[$p:notes]}" "$got"
	http "$cj" GET "/search?q=zorzalnota"
	leak_check "$p" "/search?q=zorzalnota"
	got=
	for i in 0 1 2 3 4 5; do
		if grep -q "href=\"${REC_PATH[i]}\"" "$W/body"; then got+=Y; else got+=N; fi
	done
	flags_check "$p" nsearch "/search?q=zorzalnota lists records 1-6" "${CELL[$p:nsearch]}" "$got"
	check "$p: search never shows a pending note" "$(seen)" eval '! grep -qi zorzalnotapendiente "$W/body"'
	http "$cj" GET "/search?q=zorzalnotacomunal"
	if grep -q "href=\"/work/matrix-public-work\"" "$W/body"; then got=Y; else got=N; fi
	flags_check "$p" cnsearch "/search?q=zorzalnotacomunal finds work 3" "${CELL[$p:cnsearch]}" "$got"
	got=
	for i in 0 1 2 3 4 5; do
		http "$cj" GET "/api/v1/records/${REC_PATH[i]##*/}"
		if jq -e --arg t "Zorzalnota$((i + 1)) recuerdo" 'any(.contributions[]?; .text == $t)' \
			"$W/body" >/dev/null 2>&1; then got+=Y; else got+=N; fi
		check "$p: the API never lists a pending note (${REC_PATH[i]})" "$(head -c 200 "$W/body")" \
			eval '! grep -qi zorzalnotapendiente "$W/body"'
		if ((i == 2)); then
			if jq -e 'any(.contributions[]; .text == "Zorzalnotacomunal recuerdo")' "$W/body" >/dev/null 2>&1
			then want=Y; else want=N; fi
			flags_check "$p" cnapi "work 3's record lists the community-only note" "${CELL[$p:cnapi]}" "$want"
		fi
	done
	flags_check "$p" napi "the API's records 1-6 list their public note" "${CELL[$p:napi]}" "$got"
	got=
	http "$cj" GET /media/01900000-0000-7000-8000-00000000dead
	cp "$W/body" "$W/nofile.media"
	for i in 0 1 2; do
		http "$cj" GET "/media/${REC_FILE[i]}"
		if [[ $STATUS == 200 ]] && cmp -s "$W/body" "${REC_SRC[i]}"; then
			got+=Y
		elif [[ $STATUS == 404 ]] && cmp -s "$W/body" \
			<(sed "s/01900000-0000-7000-8000-00000000dead/${REC_FILE[i]}/g" "$W/nofile.media"); then
			# (a page shows its own path, in the language links)
			got+=N
		else
			got+="?"
		fi
	done
	flags_check "$p" rec "/media of the three testimonies' recordings" "${CELL[$p:rec]}" "$got"
}

REC_ID=()	# the records' UUIDs, for OAI identifiers
for rpath in "${REC_PATH[@]}"; do
	REC_ID+=("$(sqlite3 -cmd '.timeout 5000' "$A/catalog.db" "SELECT id FROM record WHERE slug = '${rpath##*/}'")")
done
for p in "${PRINCIPALS[@]}"; do
	matrix "$p"
	notes_matrix "$p"
	oai_matrix "$p"
	if ! server_alive; then
		fail "server alive after $p's matrix" "the server died"
		server__tail
		break
	fi
done

# ---- IIIF (interop/iiif.c) -------------------------------------------------
#
# Columns of its own table, so that it reads (and merges) apart:
#   manifest  /iiif/manifest/SLUG of records 1 to 6 (works 1-3 get an access
#             copy, documents 4-6 a page scan, below): Y 200, a manifest
#             with its own id; N 404 exactly like a missing slug's
#   coll      /iiif/collection/matrix-collection lists the manifests of
#             works 1, 2 and 3 (three flags)
#   pcoll     /iiif/collection/matrix-private-collection (record 8): Y 200, N
#             the 404 of a missing slug
#   top       /iiif/collection (the whole archive) lists collection 8
#   csearch   /iiif/search/matrix-private-work?q=zorzaldicho: Y the line of
#             work 1's subtitle is the one hit, N the 404 of a missing slug;
#             /iiif/autocomplete/...?q=zorzald offers the word or is that 404
#   probe     /iiif/probe/FILE-ID of the access copy or page scan of records
#             1 to 6 (the Authorization Flow 2.0): asked with P's cookies,
#             and again with no cookie but the IIIF token that the token
#             service gave P's browser: Y status 200, N status 401 for
#             nobody (403 for an account or a screener holder), the same
#             answer as for a made-up file id; always HTTP 200 with CORS *
# Every answer says Access-Control-Allow-Origin: * to anonymous and to
# nobody else (what is made for an account or a screener is not public).
EXPECT_IIIF='
#principal manifest coll pcoll top csearch probe
anonymous  NNYNNY   NNY  N     N   N       NNYNNY
viewer     NNYYNY   NNY  N     N   N       NNYYNY
community  NYYYNY   NYY  N     N   N       NYYYNY
granted    YNYYNY   YNY  N     N   Y       YNYYNY
grouped    YNYYNY   YNY  N     N   Y       YNYYNY
expired    NNYYNY   NNY  N     N   N       NNYYNY
admin      YYYYYY   YYY  Y     Y   Y       YYYYYY
archivist  YYYYYY   YYY  Y     Y   Y       YYYYYY
screener   YNYNNY   YNY  N     N   Y       YNYNNY
'
echo "== IIIF"
ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=160x120:rate=25:duration=2 \
	-c:v libx264 -preset veryfast -pix_fmt yuv420p "$W/media/iiif.mp4" &&
	ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=100x80 -frames:v 1 "$W/media/iiif.png" ||
	fail "ffmpeg makes the IIIF test media" "see above"
for i in 0 1 2; do
	cli_ok "ingest an access copy to ${REC_PATH[i]##*/}" \
		ingest --to "${REC_PATH[i]##*/}" --role access --no-derive "$W/media/iiif.mp4"
done
for i in 3 4 5; do
	cli_ok "ingest a page scan to ${REC_PATH[i]##*/}" \
		ingest --to "${REC_PATH[i]##*/}" --role scan --no-derive "$W/media/iiif.png"
done
# iiif_get P PATH: GET PATH as P; iiif_missing P PATH: the reply is the 404
# P gets for PATH with the slug changed to one no record has (else MSG).
iiif_get() { http "$(jar "$1")" GET "$2"; }
iiif_missing() {
	local p=$1 path=$2 st=$STATUS body
	body=$(cat "$W/body")
	iiif_get "$p" "$(missing_slug "$path")"
	MSG=''
	if [[ $STATUS != 404 ]]; then
		MSG="a missing slug gave $STATUS"
	elif [[ $st != 404 ]]; then
		MSG="status $st"
	elif [[ $body != "$(cat "$W/body")" ]]; then
		MSG="body differs from a missing slug's: $body"
	fi
	[[ -z $MSG ]]
}
# iiif_flag P PATH LABEL WANT: Y 200, N the 404 of a missing slug.
iiif_flag() {
	local p=$1 path=$2 label=$3 want=$4
	iiif_get "$p" "$path"
	if [[ $want == Y ]]; then
		if [[ $STATUS == 200 ]] && jq -e --arg id "$BASE$path" '.id == $id' "$W/body" >/dev/null 2>&1; then
			pass "$p: $label 200 with its own id"
		else
			fail "$p: $label 200 with its own id" "HTTP $STATUS: $(head -c 200 "$W/body")"
		fi
	elif iiif_missing "$p" "$path"; then
		pass "$p: $label 404 like a missing slug's"
	else
		fail "$p: $label 404 like a missing slug's" "$MSG"
	fi
}
# The IIIF files of records 1 to 6, for the probe column.
IIIF_FILE=()
for i in 0 1 2 3 4 5; do
	IIIF_FILE+=("$(file_id "${REC_PATH[i]##*/}" "$([[ $i -lt 3 ]] && echo access || echo scan)" \
		"$([[ $i -lt 3 ]] && echo iiif.mp4 || echo iiif.png)")")
done
# probe_answer P FILE [TOKEN]: the probe's answer for FILE, asked with P's
# cookies, or with no cookie but TOKEN; sets STATUS and PROBE (the
# answer without its id).
probe_answer() {
	if (($# == 3)); then
		http - GET "/iiif/probe/$2" -H "Authorization: Bearer $3" -H "Origin: http://viewer.example"
	else
		http "$(jar "$1")" GET "/iiif/probe/$2"
	fi
	PROBE=$(jq -c 'del(.id)' "$W/body" 2>&1)
}
# iiif_probes P: the probe column, with P's cookies and with P's token.
iiif_probes() {
	local p=$1 i want tok="" how
	http "$(jar "$p")" GET "/iiif/token?messageId=m&origin=http://viewer.example"
	tok=$(grep -o 'iiif-[0-9a-f]\{64\}' "$W/body" | head -1)
	if [[ $p == anonymous ]]; then
		same "$p: the token service gives nobody a token" "${tok:-none}" none
	else
		check "$p: the token service gives P's browser a token" "$(head -c 300 "$W/body")" test -n "$tok"
	fi
	for how in cookies token; do
		[[ $how == cookies || -n $tok ]] || continue
		# the answer for a file that does not exist, to compare with
		if [[ $how == cookies ]]; then probe_answer "$p" "$MISSING_FILE"; else probe_answer "$p" "$MISSING_FILE" "$tok"; fi
		local none=$PROBE
		for i in 0 1 2 3 4 5; do
			want=${IC[$p:probe]:i:1}
			if [[ $how == cookies ]]; then probe_answer "$p" "${IIIF_FILE[i]}"; else probe_answer "$p" "${IIIF_FILE[i]}" "$tok"; fi
			if [[ $STATUS != 200 || $(header Access-Control-Allow-Origin) != '*' ]]; then
				fail "$p: probe ($how) of record $((i + 1))'s file: HTTP 200 with CORS *" "HTTP $STATUS $(head -c 200 "$W/body")"
			elif [[ $want == Y ]]; then
				same "$p: probe ($how) of record $((i + 1))'s file: status 200" "$(jq -r .status <<<"$PROBE")" 200
			else
				same "$p: probe ($how) of record $((i + 1))'s file: status $([[ $p == anonymous ]] && echo 401 || echo 403), as a made-up file id's" \
					"$PROBE" "$none"
			fi
		done
		[[ $p != anonymous ]] || same "$p: probe ($how) of a made-up file id: status 401" "$(jq -r .status <<<"$none")" 401
		[[ $p == anonymous ]] || same "$p: probe ($how) of a made-up file id: status 403" "$(jq -r .status <<<"$none")" 403
	done
}
declare -A IC=()
IPRINC=()
while read -r line; do
	[[ -n $line ]] || continue
	if [[ $line == \#* ]]; then
		read -r -a ICOLS <<<"${line#\#}"
		continue
	fi
	read -r -a f <<<"$line"
	IPRINC+=("${f[0]}")
	for i in "${!ICOLS[@]}"; do IC[${f[0]}:${ICOLS[i]}]=${f[i]}; done
done <<<"$EXPECT_IIIF"
for p in "${IPRINC[@]}"; do
	for i in 0 1 2 3 4 5; do
		slug=${REC_PATH[i]##*/}
		iiif_flag "$p" "/iiif/manifest/$slug" "manifest of record $((i + 1))" "${IC[$p:manifest]:i:1}"
		if ((i < 3)); then
			# the community's time-coded notes on the film's canvas
			if jq -e --arg t "Zorzaltiempo$((i + 1))" --arg c "$BASE/iiif/manifest/$slug/canvas/1#t=1" \
				'any(.items[0].annotations[]?.items[]; .body.value == $t and .target == $c)' \
				"$W/body" >/dev/null 2>&1; then got=Y; else got=N; fi
			same "$p: niiif: the manifest of work $((i + 1)) carries its public time-coded note" \
				"$got" "${CELL[$p:niiif]:i:1}"
			if ((i == 2)); then
				if jq -e 'any(.items[0].annotations[]?.items[]; .body.value == "Zorzaltiempocomunal")' \
					"$W/body" >/dev/null 2>&1; then got=Y; else got=N; fi
				same "$p: cniiif: work 3's manifest carries the community-only note" "$got" \
					"${CELL[$p:cniiif]}"
			fi
		fi
		want=''
		[[ $p == anonymous ]] && want='*'
		same "$p: manifest of record $((i + 1)): Access-Control-Allow-Origin '$want'" \
			"$(header Access-Control-Allow-Origin)" "$want"
	done
	iiif_get "$p" /iiif/collection/matrix-collection
	got=''
	for i in 0 1 2; do
		if jq -e --arg id "$BASE/iiif/manifest/${REC_PATH[i]##*/}" 'any(.items[]; .id == $id)' "$W/body" >/dev/null 2>&1; then
			got+=Y
		else
			got+=N
		fi
	done
	flags_check "$p" coll "works in /iiif/collection/matrix-collection" "${IC[$p:coll]}" "$got"
	check "$p: /iiif/collection/matrix-collection names no word of a record it may not read" \
		"$(head -c 300 "$W/body")" eval '[[ ${IC[$p:pcoll]} == Y ]] || ! grep -qi zorzalcoleccion "$W/body"'
	iiif_flag "$p" /iiif/collection/matrix-private-collection "private collection" "${IC[$p:pcoll]}"
	iiif_get "$p" /iiif/collection
	got=N
	jq -e --arg id "$BASE/iiif/collection/matrix-private-collection" 'any(.items[]; .id == $id)' "$W/body" >/dev/null 2>&1 && got=Y
	flags_check "$p" top "collection 8 in /iiif/collection" "${IC[$p:top]}" "$got"
	iiif_probes "$p"
	iiif_get "$p" "/iiif/search/matrix-private-work?q=zorzaldicho"
	if [[ ${IC[$p:csearch]} == Y ]]; then
		same "$p: Content Search finds the line of work 1's subtitle" \
			"$STATUS $(jq -rc '[.items[].body.value] | join("|")' "$W/body" 2>&1)" \
			"200 En la mina, al amanecer, Zorzaldicho."
		iiif_get "$p" "/iiif/autocomplete/matrix-private-work?q=zorzald"
		same "$p: autocomplete offers its word" "$STATUS $(jq -rc '[.items[].value] | join("|")' "$W/body" 2>&1)" \
			"200 Zorzaldicho"
	else
		for svc in search autocomplete; do
			[[ $svc == search ]] || iiif_get "$p" "/iiif/autocomplete/matrix-private-work?q=zorzald"
			if iiif_missing "$p" "/iiif/$svc/matrix-private-work?q=zorzald$([[ $svc == search ]] && echo icho)"; then
				pass "$p: $svc in work 1: 404 like a missing slug's"
			else
				fail "$p: $svc in work 1: 404 like a missing slug's" "$MSG"
			fi
		done
	fi
done

# Uploads (tus 1.0.0 at /uploads/, web/page_upload.c), in a table of their
# own (same principals; read like EXPECT):
#   tcreate   POST /uploads/ (Upload-Length 10) with P's cookies and the
#             session's CSRF token in X-CSRF-Token: Y 201 with a Location,
#             N refused (401 for nobody signed in, 403 for an account the
#             policy does not let contribute)
#   tother    HEAD, PATCH and DELETE of an upload the community member made:
#             Y 200/204 (HEAD's offset, a byte added, removed at the end),
#             N refused as for tcreate, and for an account that may
#             contribute, exactly the 404 of a made-up upload id
#   tform     GET /upload?return=/ (the form without JavaScript) and POST
#             /upload with a small file and the csrf field: Y 200 with the
#             file input, then 303 to /?upload=ID; N 303 to the login form
#             for nobody signed in (and a screener's holder), else 403
EXPECT_UPLOAD='
#principal tcreate tother tform
anonymous  N       N      N
viewer     N       N      N
community  Y       Y      Y
granted    N       N      N
grouped    N       N      N
expired    N       N      N
admin      Y       N      Y
archivist  Y       N      Y
screener   N       N      N
'
echo "== uploads"
declare -A UC
UPRINC=()
while read -r line; do
	[[ -n $line ]] || continue
	if [[ $line == \#* ]]; then
		read -r -a UCOLS <<<"${line#\#}"
		continue
	fi
	read -r -a f <<<"$line"
	UPRINC+=("${f[0]}")
	for i in "${!UCOLS[@]}"; do UC[${f[0]}:${UCOLS[i]}]=${f[i]}; done
done <<<"$EXPECT_UPLOAD"
# tus P METHOD PATH [CURL ARGS]: a tus request with P's cookies and CSRF header.
tus() {
	local p=$1 method=$2 path=$3 csrf
	shift 3
	http "$(jar "$p")" GET /
	csrf=$(form_csrf "$W/body" /logout)
	if [[ $method == HEAD ]]; then
		http "$(jar "$p")" HEAD "$path" -I -H 'Tus-Resumable: 1.0.0' -H "X-CSRF-Token: $csrf" "$@"
	else
		http "$(jar "$p")" "$method" "$path" -H 'Tus-Resumable: 1.0.0' -H "X-CSRF-Token: $csrf" "$@"
	fi
}
tus community POST /uploads/ -H 'Upload-Length: 10'
OWN=$(header Location)
same "the community member's upload is made" "$STATUS" 201
UMISSING=/uploads/0123456789abcdef0123456789abcdef
for p in "${UPRINC[@]}"; do
	refusal=$([[ $p == anonymous || $p == screener ]] && echo 401 || echo 403)
	tus "$p" POST /uploads/ -H 'Upload-Length: 10'
	if [[ ${UC[$p:tcreate]} == Y ]]; then
		check "$p: tcreate: 201 with a Location" "HTTP $STATUS $(header Location)" \
			eval '[[ $STATUS == 201 && $(header Location) == /uploads/* ]]'
	else
		same "$p: tcreate: refused ($refusal)" "$STATUS" "$refusal"
	fi
	http "$(jar "$p")" GET '/upload?return=/'
	st=$STATUS
	csrf=$(form_csrf "$W/body" '/upload?return=%2F')
	printf 'a small memory\n' >"$W/upload.txt"
	http "$(jar "$p")" POST '/upload?return=/' -F "csrf=$csrf" -F "file=@$W/upload.txt"
	if [[ ${UC[$p:tform]} == Y ]]; then
		check "$p: tform: the form 200, the file 303 to /?upload=ID" "HTTP $st, then $STATUS $(header Location)" \
			eval '[[ $st == 200 && $STATUS == 303 && $(header Location) =~ ^/\?upload=[0-9a-f]{32}$ ]]'
	elif [[ $refusal == 401 ]]; then
		check "$p: tform: 303 to the login form" "HTTP $st, then $STATUS $(header Location)" \
			eval '[[ $st == 303 && $STATUS == 303 && $(header Location) == /login* ]]'
	else
		same "$p: tform: refused (403, 403)" "$st $STATUS" "403 403"
	fi
	for method in HEAD PATCH DELETE; do
		args=()
		[[ $method != PATCH ]] || args=(-H 'Upload-Offset: 0' -H 'Content-Type: application/offset+octet-stream' --data-binary x)
		tus "$p" "$method" "$OWN" "${args[@]}"
		st=$STATUS
		cp "$W/body" "$W/upload.own"
		if [[ ${UC[$p:tother]} == Y ]]; then
			[[ $method != PATCH ]] || { tus "$p" HEAD "$OWN"; st=$STATUS/$(header Upload-Offset); }
			same "$p: tother: $method of its own upload" "$st" \
				"$([[ $method == HEAD ]] && echo 200 || { [[ $method == PATCH ]] && echo 200/1 || echo 204; })"
			if [[ $method == DELETE ]]; then	# a new one for the rows that follow
				tus community POST /uploads/ -H 'Upload-Length: 10'
				OWN=$(header Location)
			fi
		elif [[ ${UC[$p:tcreate]} == Y ]]; then
			tus "$p" "$method" "$UMISSING" "${args[@]}"
			same "$p: tother: $method of another's upload: 404" "$st" 404
			check "$p: tother: $method of another's upload answers as a made-up id's" \
				"$(head -c 200 "$W/upload.own")" cmp -s "$W/upload.own" "$W/body"
		else
			same "$p: tother: $method of another's upload refused ($refusal)" "$st" "$refusal"
		fi
	done
done

for p in "${PRINCIPALS[@]}"; do
	matrix_api "$p"
done

# ---- Local Contexts labels tied to access rules (db/schema/013_labels.sql) ---
#
# Records whose restricting label is tied to a rule, read like the records
# above on every surface; one flag per record, in this order:
#   1 /work/matrix-tie-members   public; TK Community Use Only tied to community members
#   2 /work/matrix-tie-group     public; TK Men Restricted tied to group $GROUP
#   3 /work/matrix-tie-season    public; TK Seasonal tied to this month (open now)
#   4 /work/matrix-tie-offseason public; TK Seasonal tied to the other months (closed now)
#   5 /work/matrix-tie-granted   private, granted to granted1 and @$GROUP;
#                                TK Women Restricted tied to group $GROUP
#   6 /work/matrix-tie-untied    public; TK Secret / Sacred tied to nothing
# A tie only narrows: record 5's grant to granted1 no longer opens it, and
# no tie opens record 5 to a community member; record 6's label alone
# restricts nothing. Each record has a small file (media, afile) and a
# WebVTT subtitle with a word said only there (said: /search?q=WORD finds
# the line; isearch: IIIF Content Search of the record finds it).
# Columns: page search browse media said iiif isearch arec alist asearch
# afile oai smap. oai and smap are what anyone may read, whoever asks
# (OAI-PMH and the sitemap answer for everyone). tcache: the Cache-Control
# of each record's file is "public" only for a record with no tie (a
# seasonal tie closes with the date: no shared cache may keep it).
TIE_PATH=(/work/matrix-tie-members /work/matrix-tie-group /work/matrix-tie-season
	/work/matrix-tie-offseason /work/matrix-tie-granted /work/matrix-tie-untied)
TIE_WORD=(Tordocomunal Tordohombres Tordotemporada Tordofuera Tordomujeres Tordosuelto)
TIE_SAID=(Tordodichouno Tordodichodos Tordodichotres Tordodichocuatro Tordodichocinco Tordodichoseis)
EXPECT_TIES='
#principal page   search browse media  said   iiif   isearch arec   alist  asearch afile  oai    smap
anonymous  NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY  NNYNNY NNYNNY NNYNNY  NNYNNY NNYNNY NNYNNY
viewer     NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY  NNYNNY NNYNNY NNYNNY  NNYNNY NNYNNY NNYNNY
community  YNYNNY YNYNNY YNYNNY YNYNNY YNYNNY YNYNNY YNYNNY  YNYNNY YNYNNY YNYNNY  YNYNNY NNYNNY NNYNNY
granted    NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY  NNYNNY NNYNNY NNYNNY  NNYNNY NNYNNY NNYNNY
grouped    NYYNYY NYYNYY NYYNYY NYYNYY NYYNYY NYYNYY NYYNYY  NYYNYY NYYNYY NYYNYY  NYYNYY NNYNNY NNYNNY
expired    NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY  NNYNNY NNYNNY NNYNNY  NNYNNY NNYNNY NNYNNY
admin      YYYYYY YYYYYY YYYYYY YYYYYY YYYYYY YYYYYY YYYYYY  YYYYYY YYYYYY YYYYYY  YYYYYY NNYNNY NNYNNY
archivist  YYYYYY YYYYYY YYYYYY YYYYYY YYYYYY YYYYYY YYYYYY  YYYYYY YYYYYY YYYYYY  YYYYYY NNYNNY NNYNNY
screener   NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY NNYNNY  NNYNNY NNYNNY NNYNNY  NNYNNY NNYNNY NNYNNY
'
declare -A TC=()
TCOLS=()
while read -r p rest; do
	[[ -n $p ]] || continue
	if [[ $p == '#principal' ]]; then
		read -r -a TCOLS <<<"$rest"
		continue
	fi
	read -r -a vals <<<"$rest"
	for k in "${!TCOLS[@]}"; do TC[$p:${TCOLS[k]}]=${vals[k]}; done
done <<<"$EXPECT_TIES"

echo "== labels tied to access rules: setup"
NOW_MONTH=$((10#$(date -u +%m)))
NEXT_MONTH=$((NOW_MONTH % 12 + 1))
PREV_MONTH=$(((NOW_MONTH + 10) % 12 + 1))
tie_label() { # tie_label TYPE TIE: one label of the fixture, as JSON
	printf '{"kind": "tk", "type": "%s", "community": "Sindicato Minero de Siglo XX", "text": "A label of the access matrix."%s}' "$1" "${2:+, \"tie\": $2}"
}
tie_work() { # tie_work SLUG LEVEL WORD LABEL
	printf '{"type": "work", "slug": "%s", "access": "%s", "titles": [{"text": "%s en la mina", "lang": "es"}], "labels": [%s]}' "$1" "$2" "$3" "$4"
}
{
	printf '{"format": "cinemateca-import", "version": 1, "records": [\n'
	tie_work matrix-tie-members public Tordocomunal "$(tie_label community_use_only '{"community_members": true}')"; echo ,
	tie_work matrix-tie-group public Tordohombres "$(tie_label men_restricted "{\"group\": \"$GROUP\"}")"; echo ,
	tie_work matrix-tie-season public Tordotemporada "$(tie_label seasonal "{\"months\": [$NOW_MONTH, $NOW_MONTH]}")"; echo ,
	tie_work matrix-tie-offseason public Tordofuera "$(tie_label seasonal "{\"months\": [$NEXT_MONTH, $PREV_MONTH]}")"; echo ,
	tie_work matrix-tie-granted private Tordomujeres "$(tie_label women_restricted "{\"group\": \"$GROUP\"}")"; echo ,
	tie_work matrix-tie-untied public Tordosuelto "$(tie_label secret_sacred)"
	printf '\n]}\n'
} >"$W/ties.json"
cli_ok "import the records with tied labels" import "$W/ties.json"
cli_ok "grant granted1 matrix-tie-granted" grant granted1 matrix-tie-granted
cli_ok "grant @$GROUP matrix-tie-granted" grant "@$GROUP" matrix-tie-granted
# a screener link for a tied work: the tie narrows what the link opens
cli_ok "screener for matrix-tie-members" screener matrix-tie-members --for "Festival Y" --days 3
TIE_SCR=$(grep -o '/screener/[A-Za-z0-9._~-]*' "$W/cli.out" | head -n1)
: >"$W/jar.tscreener"
http "$W/jar.tscreener" GET "$TIE_SCR"
check "tscreener: the link of a tied work answers 303" "$(seen)" test "$STATUS" = 303
http "$W/jar.tscreener" GET /work/matrix-tie-members
check "tscreener: the tie still keeps the work from the link's holder (404)" "$(seen)" test "$STATUS" = 404
TIE_FILE=() TIE_SRC=() TIE_ID=()
ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=64x48:rate=10:duration=1 -c:v libx264 \
	-preset veryfast -pix_fmt yuv420p "$W/media/tie.mp4" || fail "ffmpeg makes the tied works' film" "exit $?"
for i in "${!TIE_PATH[@]}"; do
	slug=${TIE_PATH[i]##*/}
	src=$W/media/$slug.txt
	printf 'cinemateca access matrix: the file of %s\n' "$slug" >"$src"
	cli_ok "ingest --to $slug" ingest --to "$slug" --role other --no-derive "$src"
	TIE_SRC+=("$src")
	TIE_FILE+=("$(file_id "$slug" other "${src##*/}")")
	printf 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nEn la mina, %s.\n' "${TIE_SAID[i]}" >"$W/media/$slug.vtt"
	cli_ok "subtitle $slug" subtitle "$slug" --lang es "$W/media/$slug.vtt"
	cli_ok "ingest --to $slug --role access tie.mp4" ingest --to "$slug" --role access --no-derive "$W/media/tie.mp4"
	TIE_ID+=("$(sqlite3 -cmd '.timeout 5000' "$A/catalog.db" "SELECT id FROM record WHERE slug = '$slug'")")
done
same "five of the six records have ties (record.ties)" \
	"$(sqlite3 "$A/catalog.db" "SELECT count(*) FROM record WHERE slug LIKE 'matrix-tie-%' AND ties IS NOT NULL")" 5

# tie_leak P LABEL [EXCEPT]: the last body names no tied record P may not
# read (but EXCEPT, the word it was asked for and echoes).
tie_leak() {
	local p=$1 label=$2 except=${3:-} i text leaked=() w
	text=$(visible_text "$W/body")
	for i in "${!TIE_WORD[@]}"; do
		[[ ${TC[$p:page]:i:1} == N ]] || continue
		for w in "${TIE_WORD[i]}" "${TIE_SAID[i]}"; do
			[[ $w != "$except" ]] || continue
			[[ $text != *"${w,,}"* ]] || leaked+=("$w")
		done
	done
	if ((${#leaked[@]} == 0)); then pass "$p: $label names no tied record it may not read"
	else fail "$p: $label names no tied record it may not read" "contains ${leaked[*]}"; fi
}

ties_matrix() {
	local p=$1 cj i want got msg flags path pg slug
	cj=$(jar "$p")
	echo "== $p: tied labels"
	flags=''
	for i in "${!TIE_PATH[@]}"; do
		http "$cj" GET "${TIE_PATH[i]}"
		if [[ $STATUS == 200 ]]; then flags+=Y
		elif msg=$(same_as_missing "$p" "${TIE_PATH[i]}"); then flags+=N
		else flags+='?'; echo "    ${TIE_PATH[i]}: $msg"; fi
		[[ $STATUS == 200 ]] || tie_leak "$p" "the 404 for ${TIE_PATH[i]}"
	done
	flags_check "$p" page "tied records 1-6: 200, else a missing slug's 404" "${TC[$p:page]}" "$flags"
	flags=''
	for i in "${!TIE_WORD[@]}"; do
		http "$cj" GET "/search?q=${TIE_WORD[i]}"
		if links "$W/body" "${TIE_PATH[i]}"; then flags+=Y
		elif [[ $(total "$W/body") == 0 ]]; then flags+=N; else flags+='?'; fi
		tie_leak "$p" "/search?q=${TIE_WORD[i]}" "${TIE_WORD[i]}"
	done
	flags_check "$p" search "/search?q=WORD of tied records 1-6" "${TC[$p:search]}" "$flags"
	: >"$W/browse.ties"
	for pg in $(seq 1 20); do
		http "$cj" GET "/search?type=work&page=$pg"
		cat "$W/body" >>"$W/browse.ties"
		tie_leak "$p" "/search?type=work&page=$pg"
		grep -q 'rel="next"' "$W/body" || break
	done
	flags=''
	for path in "${TIE_PATH[@]}"; do if links "$W/browse.ties" "$path"; then flags+=Y; else flags+=N; fi; done
	flags_check "$p" browse "/search?type=work lists tied records 1-6" "${TC[$p:browse]}" "$flags"
	flags=''
	for i in "${!TIE_FILE[@]}"; do
		http "$cj" GET "/media/${TIE_FILE[i]}"
		if [[ $STATUS == 200 ]] && cmp -s "$W/body" "${TIE_SRC[i]}"; then
			flags+=Y
			if [[ $i == 5 ]]; then kind=public; else kind=private; fi
			check "$p: tcache: file of ${TIE_PATH[i]} is $kind" "$(header Cache-Control)" \
				cache_ok "$kind" "$(header Cache-Control)"
		elif same_as_missing_file "$p" "${TIE_FILE[i]}"; then flags+=N
		else flags+='?'; echo "    /media/${TIE_FILE[i]}: $MSG"; fi
	done
	flags_check "$p" media "/media/FILE of tied records 1-6" "${TC[$p:media]}" "$flags"
	flags=''
	for i in "${!TIE_SAID[@]}"; do
		http "$cj" GET "/search?q=${TIE_SAID[i]}"
		if links "$W/body" "${TIE_PATH[i]}" && grep -qi "${TIE_SAID[i]}" "$W/body"; then flags+=Y
		elif [[ $(total "$W/body") == 0 ]]; then flags+=N; else flags+='?'; fi
		tie_leak "$p" "/search?q=${TIE_SAID[i]}" "${TIE_SAID[i]}"
	done
	flags_check "$p" said "the subtitle line of tied records 1-6 in search" "${TC[$p:said]}" "$flags"
	for i in "${!TIE_PATH[@]}"; do
		slug=${TIE_PATH[i]##*/}
		iiif_flag "$p" "/iiif/manifest/$slug" "iiif manifest of tied record $((i + 1))" "${TC[$p:iiif]:i:1}"
		tie_leak "$p" "/iiif/manifest/$slug"
	done
	flags=''
	for i in "${!TIE_PATH[@]}"; do
		slug=${TIE_PATH[i]##*/}
		http "$cj" GET "/iiif/search/$slug?q=${TIE_SAID[i],,}"
		if [[ $STATUS == 200 ]] && jq -e '(.items | length) > 0' "$W/body" >/dev/null 2>&1; then flags+=Y
		elif [[ $STATUS == 404 ]]; then flags+=N; else flags+='?'; fi
		tie_leak "$p" "/iiif/search/$slug"
	done
	flags_check "$p" isearch "IIIF Content Search of tied records 1-6" "${TC[$p:isearch]}" "$flags"
	flags=''
	for i in "${!TIE_PATH[@]}"; do
		path=/api/v1/records/${TIE_PATH[i]##*/}
		http "$cj" GET "$path"
		if [[ $STATUS == 200 ]]; then flags+=Y
		elif msg=$(same_as_missing "$p" "$path"); then flags+=N; else flags+='?'; echo "    $path: $msg"; fi
		tie_leak "$p" "$path"
	done
	flags_check "$p" arec "/api/v1/records/SLUG of tied records 1-6" "${TC[$p:arec]}" "$flags"
	: >"$W/slugs"
	local next='/api/v1/records?limit=50'
	while [[ $next != null ]]; do
		http "$cj" GET "$next"
		[[ $STATUS == 200 ]] || { fail "$p: alist $next" "$(seen)"; break; }
		tie_leak "$p" "$next"
		jq -r '.items[].slug' "$W/body" >>"$W/slugs"
		next=$(jq -r '.next' "$W/body")
	done
	flags=''
	for path in "${TIE_PATH[@]}"; do if grep -qx "${path##*/}" "$W/slugs"; then flags+=Y; else flags+=N; fi; done
	flags_check "$p" alist "/api/v1/records lists tied records 1-6" "${TC[$p:alist]}" "$flags"
	flags=''
	for i in "${!TIE_WORD[@]}"; do
		http "$cj" GET "/api/v1/search?q=${TIE_WORD[i]}"
		tie_leak "$p" "/api/v1/search?q=${TIE_WORD[i]}" "${TIE_WORD[i]}"
		if jq -e --arg s "${TIE_PATH[i]##*/}" 'any(.items[]; .slug == $s)' "$W/body" >/dev/null
		then flags+=Y; else flags+=N; fi
	done
	flags_check "$p" asearch "/api/v1/search?q=WORD of tied records 1-6" "${TC[$p:asearch]}" "$flags"
	flags=''
	http "$cj" GET "/api/v1/files/$MISSING_FILE"
	cp "$W/body" "$W/nofile.api"
	for i in "${!TIE_FILE[@]}"; do
		http "$cj" GET "/api/v1/files?record=${TIE_PATH[i]##*/}"
		if jq -e --arg id "${TIE_FILE[i]}" 'any(.items[]; .id == $id)' "$W/body" >/dev/null 2>&1; then got=Y; else got=N; fi
		http "$cj" GET "/api/v1/files/${TIE_FILE[i]}"
		if [[ $got == Y && $STATUS == 200 ]]; then flags+=Y
		elif [[ $got == N && $STATUS == 404 ]] && cmp -s "$W/body" "$W/nofile.api"; then flags+=N
		else flags+='?'; fi
	done
	flags_check "$p" afile "/api/v1/files of tied records 1-6" "${TC[$p:afile]}" "$flags"
	flags=''
	for i in "${!TIE_ID[@]}"; do
		oai_fetch "$cj" "verb=GetRecord&metadataPrefix=oai_dc&identifier=urn:uuid:${TIE_ID[i]}"
		tie_leak anonymous "OAI GetRecord of ${TIE_PATH[i]}"
		# a record once public and now tied is deleted for harvesters
		if grep -q '<record><header><identifier>' "$W/body"; then flags+=Y
		elif grep -q 'idDoesNotExist\|<header status="deleted">' "$W/body" &&
			! grep -q '<metadata>' "$W/body"; then flags+=N; else flags+='?'; fi
	done
	oai_walk "$cj" ListRecords
	for i in "${!TIE_ID[@]}"; do
		if grep -q "<header><identifier>urn:uuid:${TIE_ID[i]}<" "$W/oai.all"; then got=Y; else got=N; fi
		[[ $got == "${flags:i:1}" ]] || fail "$p: oai ListRecords agrees with GetRecord for ${TIE_PATH[i]}" "ListRecords $got"
	done
	flags_check "$p" oai "OAI-PMH GetRecord and ListRecords of tied records 1-6" "${TC[$p:oai]}" "$flags"
	http "$cj" GET /sitemap.xml
	flags=''
	for path in "${TIE_PATH[@]}"; do
		if grep -qF "<loc>$BASE$path</loc>" "$W/body"; then flags+=Y; else flags+=N; fi
	done
	flags_check "$p" smap "/sitemap.xml lists tied records 1-6" "${TC[$p:smap]}" "$flags"
}
for p in "${PRINCIPALS[@]}"; do
	ties_matrix "$p"
	# the home page counts the tied works each may read, from here on
	n=${TC[$p:page]//N/}
	BASELINE[$p:work]=$((${BASELINE[$p:work]} + ${#n}))
done

# A tie takes effect at once, and a seasonal tie opens and closes with
# the month the policy takes from the principal's today: tied to another
# month, record 3 closes for anonymous on its page and its file; tied to
# this month again, it opens; untied, record 1 opens to everyone.
SEA=$(sqlite3 "$A/catalog.db" "SELECT l.id FROM label l JOIN record r ON r.id = l.record_id WHERE r.slug = 'matrix-tie-season'")
cli_ok "labels tie matrix-tie-season to next month" labels tie matrix-tie-season "$SEA" --months "$NEXT_MONTH-$NEXT_MONTH"
check_each "anonymous: a seasonal work out of season is a 404 at once" - /work/matrix-tie-season 404
check_each "anonymous: and its file" - "/media/${TIE_FILE[2]}" 404
check_each "archivist: reads it out of season" "$(jar archivist)" /work/matrix-tie-season 200
cli_ok "labels tie matrix-tie-season to this month" labels tie matrix-tie-season "$SEA" --months "$NOW_MONTH-$NOW_MONTH"
check_each "anonymous: in season it opens again" - /work/matrix-tie-season 200
check_each "anonymous: and its file" - "/media/${TIE_FILE[2]}" 200
cli_ok "labels tie matrix-tie-season to a span around this month" labels tie matrix-tie-season "$SEA" --months "$PREV_MONTH-$NEXT_MONTH"
check_each "anonymous: within a span of months that wraps or not" - /work/matrix-tie-season 200
MEM=$(sqlite3 "$A/catalog.db" "SELECT l.id FROM label l JOIN record r ON r.id = l.record_id WHERE r.slug = 'matrix-tie-members'")
cli_ok "labels untie matrix-tie-members" labels untie matrix-tie-members "$MEM"
check_each "anonymous: an untied label restricts nothing" - /work/matrix-tie-members 200
http - GET "/search?q=Tordocomunal"
check "anonymous: and search finds it at once" "$(seen)" links "$W/body" /work/matrix-tie-members
cli_ok "labels tie matrix-tie-members again" labels tie matrix-tie-members "$MEM" --community-members
check_each "anonymous: tied again, a 404 at once" - /work/matrix-tie-members 404
check_each "community: tied again, still readable" "$(jar community)" /work/matrix-tie-members 200

# ---- bad input ---------------------------------------------------------------

echo "== bad input"

# A forged session cookie is nobody, not an error.
forged=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
http - GET / -H "Cookie: sid=$forged"
if [[ $STATUS == 200 ]] && ! has_logout "$W/body"; then
	pass "forged sid: the home page answers 200 as to a visitor"
else
	fail "forged sid: the home page answers 200 as to a visitor" "$(seen)"
fi
http - GET /work/matrix-public-work -H "Cookie: sid=$forged"
check "forged sid: a public work is 200" "$(seen)" test "$STATUS" = 200
http - GET /work/matrix-private-work -H "Cookie: sid=$forged"
check "forged sid: the private work is 404" "$(seen)" test "$STATUS" = 404
http - GET /work/matrix-private-work -H "Cookie: sid=not-hex-at-all;;"
check "malformed sid: the private work is 404" "$(seen)" test "$STATUS" = 404

# Screener links: tampered, replayed in another browser, revoked, expired.
make_screener SCR2 "Festival Y"
if [[ -n $SCR2 ]]; then
	sig=${SCR2##*.}
	last=${sig: -1}
	if [[ $last == A ]]; then repl=B; else repl=A; fi
	tampered=${SCR2%?}$repl
	: >"$(jar tamper)"
	http "$(jar tamper)" GET "/screener/$tampered"
	check "screener: a tampered signature is 403" "$(seen)" test "$STATUS" = 403
	http "$(jar tamper)" GET /work/matrix-private-work
	check "screener: a tampered link opens nothing" "$(seen)" test "$STATUS" = 404
	# the expiry is signed too
	IFS=. read -r sid_part exp_part sig_part <<<"$SCR2"
	http "$(jar tamper)" GET "/screener/$sid_part.$((exp_part + 86400)).$sig_part"
	check "screener: a lengthened expiry is 403" "$(seen)" test "$STATUS" = 403
	http "$(jar tamper)" GET "/screener/${SCR2%%.*}"
	check "screener: a token without signature is 403 or 404" "$(seen)" \
		eval '[[ $STATUS == 403 || $STATUS == 404 ]]'
fi
if [[ -n $SCR1 ]]; then
	: >"$(jar replay)"
	http "$(jar replay)" GET "/screener/$SCR1"
	check "screener: the link opened in a second browser is refused (403 or 410)" "$(seen)" \
		eval '[[ $STATUS == 403 || $STATUS == 410 ]]'
	http "$(jar replay)" GET /work/matrix-private-work
	check "screener: the second browser cannot read the work" "$(seen)" test "$STATUS" = 404
	# the screener cookie copied to another browser without its link
	http "$(jar screener)" GET /work/matrix-private-work
	check "screener: the first browser still reads the work" "$(seen)" test "$STATUS" = 200
fi
make_screener SCR3 "Festival Z"
if [[ -n $SCR3 ]]; then
	cli_ok "screeners" screeners
	check "screeners lists the link's id" "$(head -c 300 "$W/cli.out")" \
		grep -qF "${SCR3%%.*}" "$W/cli.out"
	cli_ok "revoke-screener (unopened link)" revoke-screener "${SCR3%%.*}"
	: >"$(jar revoked)"
	http "$(jar revoked)" GET "/screener/$SCR3"
	check "screener: a revoked link is 410" "$(seen)" test "$STATUS" = 410
	http "$(jar revoked)" GET /work/matrix-private-work
	check "screener: a revoked link opens nothing" "$(seen)" test "$STATUS" = 404
fi
make_screener SCR4 "Festival Expired"
if [[ -n $SCR4 ]]; then
	# Make it expired: the stored expiry is moved into the past (the link's
	# own expiry is signed and cannot be changed).
	if sqlite3 "$A/catalog.db" "PRAGMA busy_timeout = 5000;
		UPDATE screener SET expires = CAST(strftime('%s','now') AS INTEGER) - 60
		WHERE id = '${SCR4%%.*}';" >/dev/null 2>"$W/sqlite.err"; then
		: >"$(jar expiredscr)"
		http "$(jar expiredscr)" GET "/screener/$SCR4"
		check "screener: an expired link is 410" "$(seen)" test "$STATUS" = 410
		http "$(jar expiredscr)" GET /work/matrix-private-work
		check "screener: an expired link opens nothing" "$(seen)" test "$STATUS" = 404
	else
		fail "screener: an expired link is 410" "cannot expire it: $(head -c 200 "$W/sqlite.err")"
	fi
fi

# Other ways of asking for a record one may not read.
: >"$(jar nobody)"
http "$(jar nobody)" HEAD /work/matrix-private-work -I
if msg=$(same_as_missing nobody /work/matrix-private-work HEAD); then
	pass "HEAD of the private work: the same 404 as a missing slug's"
else
	fail "HEAD of the private work: the same 404 as a missing slug's" "$msg"
fi
http "$(jar nobody)" GET /work/matrix-private-work -H 'If-None-Match: *'
check "If-None-Match: * on the private work: 404, not 304" "$(seen)" test "$STATUS" = 404
http "$(jar nobody)" GET /document/matrix-private-work
check "the private work under /document/: 404" "$(seen)" test "$STATUS" = 404
pid=$(sqlite3 "$A/catalog.db" "SELECT id FROM record WHERE slug = 'matrix-private-work'" 2>"$W/sqlite.err")
if [[ -n $pid ]]; then
	http "$(jar nobody)" GET "/work/$pid"
	check "the private work by its id (/work/UUID): 404" "$(seen)" test "$STATUS" = 404
	leak_check anonymous "/work/ID of the private work"
	http "$(jar admin)" GET "/work/$pid"
	check "the private work by its id: the admin gets 200 or 404 (not 5xx)" "$(seen)" \
		eval '[[ $STATUS == 200 || $STATUS == 404 ]]'
else
	fail "the private work by its id" "cannot read its id: $(head -c 200 "$W/sqlite.err")"
fi

# /media: other ways of asking for a file one may not read. F1 is the
# private work's file, which "nobody" (an anonymous browser) may not read,
# F3 the public work's: there Range and If-None-Match do work, so the 404s
# on F1 are the access check's, not an unsupported header's.
F1=${MEDIA_ID[0]} F3=${MEDIA_ID[2]}
sha1=$(sha256sum <"${MEDIA_SRC[0]}") sha3=$(sha256sum <"${MEDIA_SRC[2]}")
sha1=${sha1%% *} sha3=${sha3%% *}
size3=${MEDIA_SIZE[2]}
head -c 4 "${MEDIA_SRC[2]}" >"$W/first4"
http "$(jar nobody)" GET "/media/$F3" -H 'Range: bytes=0-3'
cr=$(header Content-Range)
if [[ $STATUS == 206 && $cr == "bytes 0-3/$size3" ]] && cmp -s "$W/body" "$W/first4"; then
	pass "Range bytes=0-3 on the public work's file: 206, its first 4 bytes"
else
	fail "Range bytes=0-3 on the public work's file: 206, its first 4 bytes" "$(seen); Content-Range: $cr"
fi
http "$(jar nobody)" GET "/media/$F3" -H 'Range: bytes=100000-200000'
check "Range beyond the end of the public work's file: 416" "$(seen)" test "$STATUS" = 416
http "$(jar nobody)" GET "/media/$F3" -H "If-None-Match: \"$sha3\""
check "If-None-Match with the public work's file's ETag: 304" "$(seen)" test "$STATUS" = 304
# media_denied NAME CURL-ARGS...: GET /media/F1 as nobody with these
# headers gets the made-up id's 404.
media_denied() {
	local name=$1
	shift
	http "$(jar nobody)" GET "/media/$F1" "$@"
	if same_as_missing_file nobody "$F1"; then
		pass "$name"
	else
		fail "$name" "$MSG"
	fi
}
media_denied "Range bytes=0-3 on the private work's file: 404, not 206" -H 'Range: bytes=0-3'
media_denied "Range beyond the end of the private work's file: 404, not 416" \
	-H 'Range: bytes=100000-200000'
media_denied "Range with If-Range: its ETag on the private work's file: 404" \
	-H 'Range: bytes=0-3' -H "If-Range: \"$sha1\""
media_denied "If-None-Match: * on the private work's file: 404, not 304" -H 'If-None-Match: *'
media_denied "If-None-Match with the private work's file's ETag: 404, not 304" \
	-H "If-None-Match: \"$sha1\""
http "$(jar nobody)" HEAD "/media/$F1" -I -H 'Range: bytes=0-3'
check "HEAD with Range on the private work's file: 404" "$(seen)" test "$STATUS" = 404
# the ids of a record and of an object (the file's SHA-256) are no file's
rid3=$(sqlite3 "$A/catalog.db" "SELECT id FROM record WHERE slug = 'matrix-public-work'" 2>"$W/sqlite.err")
http "$(jar nobody)" GET "/media/$rid3"
if same_as_missing_file nobody "$rid3"; then
	pass "/media/ID of a (public) record: the made-up file id's 404"
else
	fail "/media/ID of a (public) record: the made-up file id's 404" "$MSG"
fi
http "$(jar nobody)" GET "/media/$sha3"
check "/media/SHA-256 of the public work's file: 404" "$(seen)" test "$STATUS" = 404
# garbage ids and path traversal: 404 or 400, never a 5xx nor a file
long=$(head -c 5000 /dev/zero | tr '\0' a)
for path in /media/zzz /media/ /media/..%2F..%2Fetc%2Fpasswd /media/%2e%2e%2f%2e%2e%2fetc%2fpasswd \
	/media/..%2Fcatalog.db "/media/$F3/" "/media/$F3%00" \
	"/media/%27%20OR%20%271%27%3D%271" "/media/$long"; do
	http "$(jar nobody)" GET "$path"
	check "GET ${path:0:60}: 404 or 400" "$(seen)" eval '[[ $STATUS == 404 || $STATUS == 400 ]]'
done
# curl would resolve the dots itself: send them as they are
http "$(jar nobody)" GET /media/../../etc/passwd --path-as-is
check "GET /media/../../etc/passwd (as is): 404 or 400" "$(seen)" \
	eval '[[ $STATUS == 404 || $STATUS == 400 ]]'
http "$(jar nobody)" GET /media/../catalog.db --path-as-is
check "GET /media/../catalog.db (as is): 404 or 400" "$(seen)" \
	eval '[[ $STATUS == 404 || $STATUS == 400 ]]'
if server_alive; then
	pass "the server is still running after the /media garbage"
else
	fail "the server is still running after the /media garbage" "it died"
fi

# The audit log is for archivists and administrators.
http "$(jar nobody)" GET /admin/audit
check "/admin/audit: anonymous is not shown it" "$(seen)" eval '[[ $STATUS != 200 ]]'
leak_check anonymous /admin/audit
http "$(jar viewer)" GET /admin/audit
check "/admin/audit: a viewer is refused (403 or 404)" "$(seen)" \
	eval '[[ $STATUS == 403 || $STATUS == 404 ]]'
leak_check viewer /admin/audit
http "$(jar archivist)" GET /admin/audit
check "/admin/audit: an archivist reads it" "$(seen)" test "$STATUS" = 200

# The command line refuses what makes no sense, and changes nothing then.
# cli_refused NAME ARGS...: a command that must fail (exit 1 or 2).
cli_refused() {
	local name=$1 rc
	shift
	cli "$@"
	rc=$?
	if [[ $rc == 1 || $rc == 2 ]]; then
		pass "$name (exit $rc)"
	else
		fail "$name" "exit $rc: $(head -c 300 "$W/cli.out" | tr '\n' ' ')"
	fi
}
cli_refused "access set with an unknown level is refused" access set matrix-private-work secret
cli_refused "access set PUBLIC (upper case) is refused" access set matrix-private-work PUBLIC
cli_refused "access set on a missing record is refused" access set no-such-record public
cli_refused "access set with a bad --until is refused" access set matrix-private-work public --until 2099-13-01
http - GET /work/matrix-private-work
check "after the refused access sets the private work is still 404" "$(seen)" test "$STATUS" = 404
cli_refused "grant to a missing account is refused" grant nobody-at-all matrix-private-work
cli_refused "grant to a missing group is refused" grant @no-such-group matrix-private-work
cli_refused "grant on a missing record is refused" grant viewer1 no-such-record
cli_refused "screener for a document is refused" screener matrix-embargoed-doc --for X --days 3
cli_refused "screener for 0 days is refused" screener matrix-private-work --for X --days 0
cli_refused "screener for 366 days is refused" screener matrix-private-work --for X --days 366
cli_refused "revoke-screener of an unknown id is refused" revoke-screener 01900000-0000-7000-8000-000000000000
if printf 'short\n' | "$BIN" -a "$A" user add shorty --role viewer --password-stdin >"$W/cli.out" 2>&1; then
	fail "user add with a 5-character password is refused" "exit 0"
else
	pass "user add with a 5-character password is refused"
fi
if printf '%s\n' "$PW" | "$BIN" -a "$A" user add rooty --role root --password-stdin >"$W/cli.out" 2>&1; then
	fail "user add --role root is refused" "exit 0"
else
	pass "user add --role root is refused"
fi
if printf '%s\n' "$PW" | "$BIN" -a "$A" user add ADMIN1 --role admin --password-stdin >"$W/cli.out" 2>&1; then
	fail "user add of an existing name (other case) is refused" "exit 0"
else
	pass "user add of an existing name (other case) is refused"
fi

# The login form.
: >"$(jar form)"
http "$(jar form)" GET /login
if [[ $STATUS == 200 ]] && [[ -n $(form_csrf "$W/body") ]] &&
	grep -q 'name="name"' "$W/body" && grep -q 'name="password"' "$W/body" &&
	[[ -n $(header Set-Cookie) ]]; then
	pass "GET /login: a form with name, password and csrf, and a cookie"
else
	fail "GET /login: a form with name, password and csrf, and a cookie" "$(seen)"
fi
csrf=$(form_csrf "$W/body")
http "$(jar form)" POST /login --data-urlencode "name=admin1" --data-urlencode "password=$PW"
if [[ $STATUS == 403 ]] && ! sid_set; then
	pass "POST /login without csrf: 403 and no session"
else
	fail "POST /login without csrf: 403 and no session" "$(seen); Set-Cookie: $(header Set-Cookie | tr '\n' ' ')"
fi
http "$(jar form)" GET /work/matrix-private-work
check "POST /login without csrf: still anonymous" "$(seen)" test "$STATUS" = 404
: >"$(jar other)"
http "$(jar other)" POST /login --data-urlencode "name=admin1" --data-urlencode "password=$PW" \
	--data-urlencode "csrf=$csrf"
if [[ $STATUS == 403 ]] && ! sid_set; then
	pass "POST /login with another browser's csrf: 403 and no session"
else
	fail "POST /login with another browser's csrf: 403 and no session" "$(seen)"
fi
http "$(jar form)" POST /login --data-urlencode "name=admin1" --data-urlencode "password=wrong password" \
	--data-urlencode "csrf=$csrf"
if [[ $STATUS == 403 ]] && ! sid_set && grep -q 'name="password"' "$W/body"; then
	pass "POST /login with a wrong password: 403, the form again, no session"
else
	fail "POST /login with a wrong password: 403, the form again, no session" "$(seen)"
fi
http "$(jar form)" POST /login --data-urlencode "name=nobody-here" --data-urlencode "password=$PW" \
	--data-urlencode "csrf=$csrf"
check "POST /login for an unknown account: 403" "$(seen)" test "$STATUS" = 403

: >"$(jar fresh)"
login "$(jar fresh)" admin1 "$PW" /work/matrix-private-work
cookie=$(header Set-Cookie | grep '^sid=' | head -n1)
if [[ $STATUS == 303 && $cookie == *HttpOnly* && $cookie == *[Ss]ame[Ss]ite=Lax* ]]; then
	pass "login: 303 and sid cookie HttpOnly, SameSite=Lax"
else
	fail "login: 303 and sid cookie HttpOnly, SameSite=Lax" "$(seen); Set-Cookie: $cookie"
fi
loc=$(header Location)
check "login with next=/work/matrix-private-work goes there" "Location: $loc" \
	eval '[[ $loc == /work/matrix-private-work || $loc == */work/matrix-private-work ]]'
: >"$(jar fresh2)"
login "$(jar fresh2)" admin1 "$PW" //evil.example/x
loc=$(header Location)
check "login with next=//evil.example/x stays on the site" "$(seen)" \
	eval '[[ $STATUS == 303 && $loc != *evil.example* ]]'

big=$W/big.txt
{
	printf 'name=admin1&password=x&csrf=%s&pad=' "$csrf"
	head -c 204800 /dev/zero | tr '\0' 'a'
} >"$big"
http "$(jar form)" POST /login -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$big"
check "POST /login with a 200 KB body: 413" "$(seen)" test "$STATUS" = 413
http "$(jar form)" POST /logout -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$big"
check "POST /logout with a 200 KB body: 413" "$(seen)" test "$STATUS" = 413

# Logout: without its csrf token nothing happens; with it the session ends.
: >"$(jar logout)"
login "$(jar logout)" granted1 "$PW"
oldsid=$(awk '$6 == "sid" { print $7 }' "$(jar logout)" | tail -n1)
http "$(jar logout)" GET /work/matrix-private-work
check "logout: the session reads the granted work" "$(seen)" test "$STATUS" = 200
lcsrf=$(form_csrf "$W/body" /logout)
http "$(jar logout)" POST /logout --data-urlencode "csrf=wrong"
check "POST /logout with a wrong csrf: 403" "$(seen)" test "$STATUS" = 403
http "$(jar logout)" GET /work/matrix-private-work
check "POST /logout with a wrong csrf: the session goes on" "$(seen)" test "$STATUS" = 200
http "$(jar logout)" POST /logout --data-urlencode "csrf=$lcsrf"
check "POST /logout with the csrf: 303 or 200" "$(seen)" eval '[[ $STATUS == 303 || $STATUS == 200 ]]'
http "$(jar logout)" GET /work/matrix-private-work
check "after logout: the work is 404" "$(seen)" test "$STATUS" = 404
http "$(jar logout)" GET "/media/${MEDIA_ID[0]}"
check "after logout: the work's file is 404" "$(seen)" test "$STATUS" = 404
http - GET /work/matrix-private-work -H "Cookie: sid=$oldsid"
check "after logout: the old sid replayed is nobody" "$(seen)" test "$STATUS" = 404

# check_media NAME JAR WANT K: check_each for the file MEDIA_ID[K], where
# a change must reach /media at once; media_once NAME JAR WANT K: a single
# request, where the same state has just been checked on every thread.
check_media() { check_each "$1" "$2" "/media/${MEDIA_ID[$4]}" "$3"; }
media_once() {
	http "$2" GET "/media/${MEDIA_ID[$4]}"
	if [[ $STATUS == "$3" ]]; then pass "$1"; else fail "$1" "$(seen)"; fi
}

# A password change ends the account's sessions.
: >"$(jar changer)"
login "$(jar changer)" changer1 "$PW"
http "$(jar changer)" GET /work/matrix-private-work
check "passwd: before, the session reads the granted work" "$(seen)" test "$STATUS" = 200
http "$(jar changer)" GET "/media/${MEDIA_ID[0]}"
check "passwd: before, the session reads the work's file" "$(seen)" test "$STATUS" = 200
cli_pw_ok "user passwd changer1" 'a brand new password' user passwd changer1 --password-stdin
check_each "passwd: the old session no longer reads it (404)" "$(jar changer)" /work/matrix-private-work 404
media_once "passwd: nor its file (404)" "$(jar changer)" 404 0
http "$(jar changer)" GET /
check "passwd: the old session is logged out" "$(seen)" eval '! has_logout "$W/body"'
: >"$(jar changer2)"
login "$(jar changer2)" changer1 "$PW"
check "passwd: the old password is refused (403)" "$(seen)" test "$STATUS" = 403
login "$(jar changer2)" changer1 'a brand new password'
check "passwd: the new password logs in (303)" "$(seen)" test "$STATUS" = 303

# A disabled account's session ends and it cannot log in.
: >"$(jar disabled)"
login "$(jar disabled)" disabled1 "$PW"
http "$(jar disabled)" GET /work/matrix-private-work
check "disable: before, the session reads the granted work" "$(seen)" test "$STATUS" = 200
http "$(jar disabled)" GET "/media/${MEDIA_ID[0]}"
check "disable: before, the session reads the work's file" "$(seen)" test "$STATUS" = 200
cli_ok "user disable disabled1" user disable disabled1
check_each "disable: the session ends (404)" "$(jar disabled)" /work/matrix-private-work 404
media_once "disable: the session's /media of the work is 404" "$(jar disabled)" 404 0
: >"$(jar disabled2)"
login "$(jar disabled2)" disabled1 "$PW"
if [[ $STATUS != 303 ]] && ! sid_set; then
	pass "disable: logging in is refused ($STATUS)"
else
	fail "disable: logging in is refused" "$(seen)"
fi

# ---- changes take effect at once ---------------------------------------------

echo "== changes"
cli_ok "revoke granted1 matrix-private-work" revoke granted1 matrix-private-work
check_each "revoke: granted1's open session gets 404 at once" "$(jar granted)" /work/matrix-private-work 404
check_media "revoke: granted1's /media of the work's file is 404 at once" "$(jar granted)" 404 0
media_once "revoke: granted1's /media of the work's subtitle is 404 at once" "$(jar granted)" 404 6
http "$(jar granted)" GET /search?q=Zorzalprivado
check "revoke: granted1's search finds nothing" "$(seen)" test "$(total "$W/body")" = 0
cli_ok "group leave $GROUP grouped1" group leave "$GROUP" grouped1
check_each "group leave: grouped1's session gets 404 at once" "$(jar grouped)" /work/matrix-private-work 404
check_media "group leave: grouped1's /media of the work's file is 404 at once" "$(jar grouped)" 404 0
cli_ok "group join $GROUP grouped1 (again)" group join "$GROUP" grouped1
check_each "group join: grouped1 reads the work again" "$(jar grouped)" /work/matrix-private-work 200
media_once "group join: grouped1 reads the work's file again" "$(jar grouped)" 200 0
cli_ok "revoke @$GROUP matrix-private-work" revoke "@$GROUP" matrix-private-work
check_each "revoke @group: grouped1's session gets 404 at once" "$(jar grouped)" /work/matrix-private-work 404
check_media "revoke @group: grouped1's /media of the work's file is 404 at once" "$(jar grouped)" 404 0

cli_ok "access set matrix-private-work public" access set matrix-private-work public
check_each "access set public: anonymous reads the work" - /work/matrix-private-work 200
check_media "access set public: anonymous reads the work's file" - 200 0
check "access set public: the work's file is sent with a public Cache-Control" \
	"Cache-Control: $(header Cache-Control)" cache_ok public "$(header Cache-Control)"
http - GET /search?q=Zorzalprivado
check "access set public: anonymous search finds it" "$(seen)" links "$W/body" /work/matrix-private-work
http - GET /place/matrix-place
check "access set public: the place page lists it" "$(seen)" links "$W/body" /work/matrix-private-work
http - GET /
check "access set public: the home page lists it among recent works" "$(seen)" \
	links "$W/body" /work/matrix-private-work
anon_works=$((${BASELINE[anonymous:work]} + ${CELL[anonymous:+work]}))
check "access set public: the home page counts it" "$(seen)" \
	test "$(count_on_home "$W/body" work)" = "$((anon_works + 1))"
cli_ok "access set matrix-private-work private" access set matrix-private-work private
http - GET /work/matrix-private-work
if msg=$(same_as_missing anonymous /work/matrix-private-work); then
	pass "access set private again: anonymous gets the missing-slug 404"
else
	fail "access set private again: anonymous gets the missing-slug 404" "$msg"
fi
check_media "access set private again: anonymous gets 404 for the work's file" - 404 0
http - GET "/media/${MEDIA_ID[0]}"
if same_as_missing_file anonymous "${MEDIA_ID[0]}"; then
	pass "access set private again: the work's file is the made-up file id's 404"
else
	fail "access set private again: the work's file is the made-up file id's 404" "$MSG"
fi
http "$(jar admin)" GET "/media/${MEDIA_ID[0]}"
check "access set private again: the admin gets the file with a private Cache-Control" \
	"$(seen); Cache-Control: $(header Cache-Control)" \
	eval '[[ $STATUS == 200 ]] && cache_ok private "$(header Cache-Control)"'
http - GET /search?q=Zorzalprivado
if [[ $(total "$W/body") == 0 ]]; then
	pass "access set private again: anonymous search finds nothing"
else
	fail "access set private again: anonymous search finds nothing" "$(seen)"
fi
http - GET /place/matrix-place
check "access set private again: the place page does not list it" "$(seen)" \
	eval '! links "$W/body" /work/matrix-private-work'
http - GET /
check "access set private again: the home page does not list it" "$(seen)" \
	eval '! links "$W/body" /work/matrix-private-work'
check "access set private again: the home page does not count it" "$(seen)" \
	test "$(count_on_home "$W/body" work)" = "$anon_works"
http - GET /search?q=zorzal
check "access set private again: /search?q=zorzal total is back to ${CELL[anonymous:total]}" "$(seen)" \
	test "$(total "$W/body")" = "${CELL[anonymous:total]}"

cli_ok "access set matrix-embargoed-doc private --until 2000-01-01" \
	access set matrix-embargoed-doc private --until 2000-01-01
check_each "embargo moved to the past: anonymous reads the document" - /document/matrix-embargoed-doc 200
check_media "embargo moved to the past: anonymous reads its file" - 200 4
check "embargo moved to the past: its file is sent with a public Cache-Control" \
	"Cache-Control: $(header Cache-Control)" cache_ok public "$(header Cache-Control)"
cli_ok "access set matrix-embargoed-doc private --until 2099-01-01" \
	access set matrix-embargoed-doc private --until 2099-01-01
check_each "embargo moved to 2099: anonymous gets 404 again" - /document/matrix-embargoed-doc 404
check_media "embargo moved to 2099: anonymous gets 404 for its file again" - 404 4
http "$(jar archivist)" GET "/media/${MEDIA_ID[4]}"
check "embargo moved to 2099: the archivist gets its file with a private Cache-Control" \
	"$(seen); Cache-Control: $(header Cache-Control)" \
	eval '[[ $STATUS == 200 ]] && cache_ok private "$(header Cache-Control)"'
cli_ok "access set matrix-opened-doc private (lifts the embargo)" access set matrix-opened-doc private
check_each "embargo lifted on a private document: anonymous gets 404" - /document/matrix-opened-doc 404
check_media "embargo lifted on a private document: anonymous gets 404 for its file" - 404 5

# Dates are days (UTC, as the server counts them): an embargo opens on its
# date, a grant lasts through its last day.
today=$(date -u +%F)
tomorrow=$(date -u -d tomorrow +%F)
yesterday=$(date -u -d yesterday +%F)
cli_ok "access set matrix-embargoed-doc private --until today" \
	access set matrix-embargoed-doc private --until "$today"
check_each "an embargo until today is open: anonymous gets 200" - /document/matrix-embargoed-doc 200
media_once "an embargo until today is open: anonymous reads its file" - 200 4
check "an embargo until today is open: its file is sent with a public Cache-Control" \
	"Cache-Control: $(header Cache-Control)" cache_ok public "$(header Cache-Control)"
cli_ok "access set matrix-embargoed-doc private --until tomorrow" \
	access set matrix-embargoed-doc private --until "$tomorrow"
check_each "an embargo until tomorrow is closed: anonymous gets 404" - /document/matrix-embargoed-doc 404
media_once "an embargo until tomorrow is closed: anonymous gets 404 for its file" - 404 4
cli_ok "grant expired1 matrix-private-work --until today" \
	grant expired1 matrix-private-work --until "$today"
check_each "a grant until today still holds: expired1 gets 200" "$(jar expired)" /work/matrix-private-work 200
media_once "a grant until today still holds: expired1 reads the work's file" "$(jar expired)" 200 0
cli_ok "grant expired1 matrix-private-work --until yesterday" \
	grant expired1 matrix-private-work --until "$yesterday"
check_each "a grant until yesterday is over: expired1 gets 404" "$(jar expired)" /work/matrix-private-work 404
media_once "a grant until yesterday is over: expired1 gets 404 for the work's file" "$(jar expired)" 404 0

if [[ -n $SCR1 ]]; then
	cli_ok "revoke-screener (the opened link)" revoke-screener "${SCR1%%.*}"
	check_each "revoke-screener: the browser that opened it gets 404 at once" "$(jar screener)" /work/matrix-private-work 404
	check_media "revoke-screener: the browser that opened it gets 404 for the file at once" \
		"$(jar screener)" 404 0
	media_once "revoke-screener: the browser that opened it gets 404 for the subtitle at once" \
		"$(jar screener)" 404 6
	http "$(jar screener)" GET "/screener/$SCR1"
	check "revoke-screener: opening the link again is 410" "$(seen)" test "$STATUS" = 410
fi

# A file's own level, when it has one, wins over its record's, and its
# record's embargo does not open it. `access set FILE-ID LEVEL` sets it,
# `access set FILE-ID inherit` gives the file its record's again.
# file_access K LEVEL: set the level of the file MEDIA_ID[K].
file_access() {
	cli access set "${MEDIA_ID[$1]}" "$2"
}
if file_access 2 private; then
	check_media "a private file of the public work: anonymous gets 404 at once" - 404 2
	media_once "a private file of the public work: a viewer gets 404" "$(jar viewer)" 404 2
	http - GET /work/matrix-public-work
	check "a private file of the public work: the work's page is still 200" "$(seen)" \
		test "$STATUS" = 200
	http "$(jar archivist)" GET "/media/${MEDIA_ID[2]}"
	check "a private file of the public work: the archivist gets it, Cache-Control private" \
		"$(seen); Cache-Control: $(header Cache-Control)" \
		eval '[[ $STATUS == 200 ]] && cache_ok private "$(header Cache-Control)"'
else
	fail "a private file of the public work" "cannot set its level: $(head -c 200 "$W/cli.out")"
fi
if file_access 2 inherit; then
	media_once "the file's own level removed: anonymous reads it again" - 200 2
else
	fail "the file's own level removed" "cannot: $(head -c 200 "$W/cli.out")"
fi
if file_access 0 public; then
	check_media "a public file of the private work: anonymous reads it at once" - 200 0
	check "a public file of the private work: Cache-Control public" \
		"Cache-Control: $(header Cache-Control)" cache_ok public "$(header Cache-Control)"
	http - GET /work/matrix-private-work
	check "a public file of the private work: the work's page is still 404" "$(seen)" \
		test "$STATUS" = 404
	media_once "a public file of the private work: its subtitle is still 404" - 404 6
else
	fail "a public file of the private work" "cannot set its level: $(head -c 200 "$W/cli.out")"
fi
if file_access 0 inherit; then
	media_once "the file's own level removed: anonymous gets 404 again" - 404 0
else
	fail "the file's own level removed" "cannot: $(head -c 200 "$W/cli.out")"
fi
cli_ok "access set matrix-embargoed-doc private --until 2000-01-01 (embargo passed)" \
	access set matrix-embargoed-doc private --until 2000-01-01
if file_access 4 private; then
	check_each "a private file of a document whose embargo passed: the document is open" - \
		/document/matrix-embargoed-doc 200
	check_media "  ... its private file is still 404 to anonymous" - 404 4
	http "$(jar archivist)" GET "/media/${MEDIA_ID[4]}"
	check "  ... and the archivist's copy is sent with Cache-Control private" \
		"$(seen); Cache-Control: $(header Cache-Control)" \
		eval '[[ $STATUS == 200 ]] && cache_ok private "$(header Cache-Control)"'
	file_access 4 inherit || fail "the file's own level removed" "cannot: $(head -c 200 "$W/cli.out")"
	media_once "  ... without its own level it opens with the document" - 200 4
else
	fail "a private file of a document whose embargo passed" "cannot set its level: $(head -c 200 "$W/cli.out")"
fi
cli_ok "access set matrix-embargoed-doc private --until 2099-01-01 (embargoed again)" \
	access set matrix-embargoed-doc private --until 2099-01-01
cli_refused "access set FILE-ID with --until is refused (a file has no embargo)" \
	access set "${MEDIA_ID[4]}" private --until 2099-01-01
cli_refused "access set RECORD inherit is refused (inherit is for files)" \
	access set matrix-public-work inherit
n=$(sqlite3 "$A/catalog.db" "SELECT count(*) FROM audit WHERE action = 'access set file' AND record_id = '${MEDIA_ID[4]}'")
check "access set FILE-ID is in the audit log, each time" "$n entries" test "$n" = 2

# A deleted file is gone at once, for everyone.
src=$W/media/to-delete.txt
printf 'cinemateca access matrix: a file to delete\n' >"$src"
cli_ok "ingest --to matrix-public-work ${src##*/}" \
	ingest --to matrix-public-work --role other --no-derive "$src"
del=$(file_id matrix-public-work other "${src##*/}")
http - GET "/media/$del"
check "a new file of the public work: anonymous reads it" "$(seen)" test "$STATUS" = 200
cli_ok "delete the new file" delete "$del" --reason "access matrix"
check_each "delete: the admin gets 404 for the file at once" "$(jar admin)" "/media/$del" 404

# ---- a login flood (last: it may throttle this address too) ---------------

echo "== login flood"
: >"$(jar flood)"
http "$(jar flood)" GET /login
fcsrf=$(form_csrf "$W/body")
codes=()
for i in 1 2 3 4 5 6 7 8; do
	http "$(jar flood)" POST /login --data-urlencode "name=flooded1" \
		--data-urlencode "password=wrong password $i" --data-urlencode "csrf=$fcsrf"
	codes+=("$STATUS")
done
check "login flood: 8 wrong passwords end in 429 (got ${codes[*]})" "no 429" \
	eval '[[ " ${codes[*]} " == *" 429 "* ]]'
check "login flood: no wrong password is ever accepted" "${codes[*]}" \
	eval '[[ " ${codes[*]} " != *" 303 "* ]]'
http "$(jar flood)" GET /login
fcsrf=$(form_csrf "$W/body")
http "$(jar flood)" POST /login --data-urlencode "name=flooded1" --data-urlencode "password=$PW" \
	--data-urlencode "csrf=$fcsrf"
if [[ $STATUS == 429 ]] && ! sid_set; then
	pass "login flood: then even the right password is refused (429)"
else
	fail "login flood: then even the right password is refused (429)" "$(seen)"
fi

# ---- the end -------------------------------------------------------------------

if server_alive; then
	pass "the server is still running"
else
	fail "the server is still running" "it died"
fi
if server_stop; then
	pass "the server exits 0 on SIGTERM"
else
	fail "the server exits 0 on SIGTERM" "see above"
fi

check_summary access "$BIN"
