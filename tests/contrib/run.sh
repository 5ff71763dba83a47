#!/usr/bin/env bash
# tests/contrib/run.sh — community memories and their moderation, through
# the web forms and the command line, against the real binary.
#
#   tests/contrib/run.sh
#   CINEMATECA=build/asan/cinemateca tests/contrib/run.sh
#
# A demo archive gets a small collection (a public work kept by keeper1,
# another public work, a private work, a public document with a 400x300
# page image), accounts of every kind (a community member, two keepers of
# which only one keeps the collection, an archivist, a viewer), and then:
# contributions through the forms (time-coded, region, testimony) signed
# in as the member, a keeper and the archivist; every moderation state
# (pending, published, hidden with its reason, edited with its note) and
# who sees each (pending and hidden only the author and the moderators; a
# community-only note never a visitor or a viewer; a note on a record one
# may not read never); an anonymous note never showing the account name
# anywhere (every page fetched is searched for the login name); the
# author's edit while pending and not after; withdrawal, gone from every
# page with only a tombstone left; CSRF refused; hostile input (times
# past the duration or malformed, regions outside the image, huge texts);
# the command line (contrib list|publish|hide|withdraw, keeper); the
# upgrade of a catalogue of the previous schema (10) with accounts, sessions,
# groups, grants and tokens (the users table is rebuilt for the keeper
# role, nothing else may change); every HTML page through the Nu Html
# Checker. Prints one line per check and ends with "N passed, N failed".

# check ... eval '...' evaluates its single-quoted test later, on purpose.
# shellcheck disable=SC2016
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
PW='correct horse battery'

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-contrib.XXXXXX")
at_exit rm -rf -- "$W"
A=$W/archive
mkdir -p "$W/pages"
npages=0

# http JAR METHOD PATH [CURL ARGS...]: one request ("-" for no cookies);
# $STATUS, $W/body, $W/headers; every HTML page is kept for the validator
# and for the search of account names.
http() {
	local cj=$1 method=$2 path=$3
	shift 3
	local args=(-s -g --noproxy '*' --max-time 30 -o "$W/body" -D "$W/headers"
		-w '%{http_code}')
	[[ $cj == - ]] || args+=(-b "$cj" -c "$cj")
	[[ $method == GET ]] || args+=(-X "$method")
	: >"$W/body"
	: >"$W/headers"
	STATUS=$(curl "${args[@]}" "$@" "$BASE$path" 2>"$W/curl.err") || true
	[[ -n $STATUS ]] || STATUS=000
	if [[ -s $W/body ]] && header Content-Type | grep -qi 'text/html'; then
		npages=$((npages + 1))
		cp "$W/body" "$W/pages/$(printf '%04d' "$npages").html"
		echo "$method $path -> $STATUS ($cj)" >"$W/pages/$(printf '%04d' "$npages").what"
	fi
}
status_is() { [[ $STATUS == "$1" ]]; }
body_has() { grep -qF -- "$1" "$W/body"; }
body_lacks() { ! grep -qF -- "$1" "$W/body"; }

login() {
	local cj=$1 name=$2 csrf
	http "$cj" GET /login
	csrf=$(form_csrf "$W/body")
	http "$cj" POST /login --data-urlencode "name=$name" --data-urlencode "password=$PW" \
		--data-urlencode "csrf=$csrf"
}
session_csrf() {
	http "$1" GET /
	form_csrf "$W/body" /logout
}

# contribute JAR SLUG FIELD=VALUE...: post the contribution form with the
# session's token (csrf=... among the fields overrides it; -csrf drops it).
contribute() {
	local cj=$1 slug=$2 csrf
	shift 2
	csrf=$(session_csrf "$cj")
	local data=() f drop=
	for f in "$@"; do
		[[ $f == -csrf ]] && { drop=1; continue; }
		[[ $f == csrf=* ]] && drop=1
		data+=(--data-urlencode "$f")
	done
	[[ -n $drop ]] || data+=(--data-urlencode "csrf=$csrf")
	http "$cj" POST "/contribute/$slug" "${data[@]}"
}
# act JAR PATH FIELD=VALUE...: post a form of /my or /moderate with the token.
act() {
	local cj=$1 path=$2 csrf
	shift 2
	csrf=$(session_csrf "$cj")
	local data=(--data-urlencode "csrf=$csrf") f
	for f in "$@"; do data+=(--data-urlencode "$f"); done
	http "$cj" POST "$path" "${data[@]}"
}
# newest_id: the id of the newest contribution.
newest_id() {
	sqlite3 -cmd '.timeout 5000' "$A/catalog.db" "SELECT id FROM contribution ORDER BY n DESC LIMIT 1"
}
q() { sqlite3 -cmd '.timeout 5000' "$A/catalog.db" "$1"; }

TIME_NOTE=(kind=time motivation=identifying lang=es)

# ---- the archive -----------------------------------------------------------

server_make_demo "$A" || exit 1
cat >"$W/fixture.json" <<'EOF'
{"records": [
 {"type": "collection", "slug": "memoria-coleccion", "access": "public",
  "titles": [{"text": "Colección de memorias", "lang": "es"}]},
 {"type": "work", "slug": "memoria-obra", "access": "public", "duration": 120,
  "titles": [{"text": "Obra de memorias", "lang": "es"}],
  "relations": [{"type": "part_of", "to": "memoria-coleccion"}]},
 {"type": "work", "slug": "memoria-otra", "access": "public", "duration": 60,
  "titles": [{"text": "Otra obra", "lang": "es"}]},
 {"type": "work", "slug": "memoria-privada", "access": "private", "duration": 60,
  "titles": [{"text": "Obra privada", "lang": "es"}]},
 {"type": "document", "slug": "memoria-doc", "access": "public",
  "titles": [{"text": "Documento de memorias", "lang": "es"}]}
]}
EOF
"$BIN" -a "$A" import "$W/fixture.json" >/dev/null || { echo "error: import failed" >&2; exit 1; }
ffmpeg -loglevel error -f lavfi -i color=c=white:size=400x300 -frames:v 1 "$W/page1.png" &&
	"$BIN" -a "$A" ingest --to memoria-doc --role scan --no-derive "$W/page1.png" >/dev/null ||
	{ echo "error: cannot ingest the page image" >&2; exit 1; }
PAGE=$(q "SELECT f.id FROM file f JOIN record r ON r.id = f.record_id WHERE r.slug = 'memoria-doc'")
# a 10-second film with a transcript for memoria-otra: the player's marks
# and the notes beside the lines
ffmpeg -loglevel error -f lavfi -i testsrc=duration=10:size=160x120:rate=10 -c:v mpeg4 \
	-f mp4 "$W/otra.mp4" &&
	"$BIN" -a "$A" ingest --to memoria-otra --role access --no-derive "$W/otra.mp4" >/dev/null ||
	{ echo "error: cannot ingest the film" >&2; exit 1; }
printf 'WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nZorzallinea uno\n\n00:00:04.000 --> 00:00:08.000\nZorzallinea dos\n' >"$W/otra.vtt"
"$BIN" -a "$A" subtitle memoria-otra --lang es "$W/otra.vtt" >/dev/null ||
	{ echo "error: cannot add the transcript" >&2; exit 1; }
declare -A ROLE=([member1]=community [keeper1]=keeper [keeper2]=keeper [archivist1]=archivist
	[viewer1]=viewer)
for u in "${!ROLE[@]}"; do
	printf '%s\n' "$PW" | "$BIN" -a "$A" user add "$u" --role "${ROLE[$u]}" --password-stdin >/dev/null ||
		{ echo "error: cannot add $u" >&2; exit 1; }
done

# keeper: only keeper accounts, records that exist
"$BIN" -a "$A" keeper add member1 memoria-coleccion >"$W/cli.out" 2>&1; rc=$?
check "keeper add refuses an account that is not a keeper" "$(cat "$W/cli.out")" \
	eval '((rc != 0)) && grep -q "not a keeper" "$W/cli.out"'
"$BIN" -a "$A" keeper add keeper1 no-such-record >"$W/cli.out" 2>&1
check "keeper add refuses a record that does not exist" "$(cat "$W/cli.out")" \
	grep -q 'no record "no-such-record"' "$W/cli.out"
"$BIN" -a "$A" keeper add keeper1 memoria-coleccion >"$W/cli.out" 2>&1
check "keeper add: keeper1 keeps the collection" "$(cat "$W/cli.out")" \
	grep -q 'keeper1 keeps memoria-coleccion (and every record part of it)' "$W/cli.out"
"$BIN" -a "$A" keeper list >"$W/cli.out" 2>&1
check "keeper list names it" "$(cat "$W/cli.out")" grep -q $'^keeper1\tcollection/memoria-coleccion' "$W/cli.out"

server_start "$A" || exit 1
echo "server: $BASE (pid $SERVER_PID, $CINEMATECA)"
MEM=$W/jar.member KEEP=$W/jar.keeper KEEP2=$W/jar.keeper2 ARCH=$W/jar.archivist VIEW=$W/jar.viewer
for p in "$MEM:member1" "$KEEP:keeper1" "$KEEP2:keeper2" "$ARCH:archivist1" "$VIEW:viewer1"; do
	login "${p%%:*}" "${p##*:}"
	check "${p##*:} logs in" "$(seen)" status_is 303
done

# ---- forms: who gets them ------------------------------------------------------

http - GET /work/memoria-obra
check "a visitor sees the Memories section and no form" "$(seen)" \
	eval 'body_has "id=\"memories\"" && body_lacks "action=\"/contribute/"'
http "$VIEW" GET /work/memoria-obra
check "a viewer account gets no form" "$(seen)" body_lacks 'action="/contribute/'
http "$MEM" GET /work/memoria-obra
check "a community member gets the time-coded and testimony forms on a work" "$(seen)" \
	eval 'body_has "class=\"edit contrib-time\"" && body_has "class=\"edit contrib-testimony\"" && body_lacks "contrib-region"'
check "  ... and links to My contributions, not to moderation" "$(seen)" \
	eval 'body_has "href=\"/my/contributions\"" && body_lacks "href=\"/moderate\""'
http "$MEM" GET /document/memoria-doc
check "a document with a page image gets the region form, the page to choose" "$(seen)" \
	eval 'body_has "contrib-region" && body_has "<option value=\"$PAGE\""'
http "$KEEP" GET /work/memoria-obra
check "a keeper gets the forms and the moderation link" "$(seen)" \
	eval 'body_has "contrib-time" && body_has "href=\"/moderate\""'

# ---- a time-coded anonymous note by the member -----------------------------------

contribute "$MEM" memoria-obra "${TIME_NOTE[@]}" consent=public start=01:05 end=1:10 \
	'body=Zorzalanonima es mi tía, Doña Helena' attribution=anonymous attribution_text=
check "the member's anonymous time-coded note is accepted (303 to My contributions)" "$(seen)" \
	eval 'status_is 303 && [[ $(header Location) == /my/contributions ]]'
ANON_ID=$(newest_id)
same "  ... stored with its target, motivation and no attribution text" \
	"$(q "SELECT kind, start_ms, end_ms, motivation, attribution, quote(attribution_text), consent, state FROM contribution WHERE id = '$ANON_ID'")" \
	"time|65000|70000|identifying|anonymous|NULL|public|pending"
http "$MEM" GET /my/contributions
check "  ... My contributions shows it pending, with an edit form and a withdraw button" "$(seen)" \
	eval 'body_has "Zorzalanonima" && body_has "state-pending" && body_has "/my/contributions/edit/$ANON_ID" && body_has "/my/contributions/withdraw/$ANON_ID"'
for who in - "$VIEW" "$MEM" "$KEEP2"; do
	http "$who" GET /work/memoria-obra
	check "  ... pending: not on the work page (${who##*.})" "$(seen)" body_lacks Zorzalanonima
done

# the author edits it while pending
act "$MEM" "/my/contributions/edit/$ANON_ID" 'body=Zorzalanonima es mi tía, Doña Helena Palliri' \
	motivation=identifying lang=es consent=public
check "the author edits the pending note" "$(seen)" status_is 303
same "  ... the text changed" "$(q "SELECT body FROM contribution WHERE id = '$ANON_ID'")" \
	"Zorzalanonima es mi tía, Doña Helena Palliri"
act "$VIEW" "/my/contributions/edit/$ANON_ID" 'body=taken over' motivation=identifying lang=es consent=public
check "  ... another account cannot edit it (404)" "$(seen)" status_is 404

# moderation: keeper2 keeps nothing here, keeper1 the collection
http "$KEEP2" GET /moderate
check "keeper2 (who keeps nothing) does not see it in the queue" "$(seen)" \
	eval 'status_is 200 && body_lacks Zorzalanonima'
act "$KEEP2" "/moderate/$ANON_ID" action=publish
check "  ... and cannot publish it (404)" "$(seen)" status_is 404
http "$MEM" GET /moderate
check "a community member has no moderation queue (403)" "$(seen)" status_is 403
http - GET /moderate
check "a visitor is sent to the login form" "$(seen)" eval 'status_is 303 && [[ $(header Location) == /login* ]]'
http "$KEEP" GET /moderate
check "keeper1 sees it in the queue, anonymous" "$(seen)" \
	eval 'body_has Zorzalanonima && body_has "por Anónimo"'
act "$KEEP" "/moderate/$ANON_ID" action=publish
check "keeper1 publishes it" "$(seen)" eval 'status_is 303'
same "  ... published" "$(q "SELECT state FROM contribution WHERE id = '$ANON_ID'")" published
act "$MEM" "/my/contributions/edit/$ANON_ID" 'body=changed after' motivation=identifying lang=es consent=public
check "  ... the author can no longer edit it (422)" "$(seen)" eval 'status_is 422 && body_has "pendiente"'
for who in - "$VIEW" "$MEM" "$ARCH"; do
	http "$who" GET /work/memoria-obra
	check "  ... published and public: on the work page with its moment (${who##*.})" "$(seen)" \
		eval 'body_has Zorzalanonima && body_has "?t=65#player" && body_has "por Anónimo"'
done

# ---- community-only, with a name -------------------------------------------------

contribute "$MEM" memoria-obra "${TIME_NOTE[@]}" consent=community start=0:30 \
	'body=Zorzalcomunidad solo para nosotros' attribution=phrase 'attribution_text=una nieta de Doña Helena'
check "a community-only note signed with a phrase is accepted" "$(seen)" status_is 303
COMM_ID=$(newest_id)
act "$ARCH" "/moderate/$COMM_ID" action=publish
check "  ... the archivist publishes it" "$(seen)" status_is 303
for who in - "$VIEW"; do
	http "$who" GET /work/memoria-obra
	check "  ... invisible to ${who##*.} (not community)" "$(seen)" body_lacks Zorzalcomunidad
done
for who in "$MEM" "$KEEP" "$KEEP2" "$ARCH"; do
	http "$who" GET /work/memoria-obra
	check "  ... visible to ${who##*.}, signed with its phrase" "$(seen)" \
		eval 'body_has Zorzalcomunidad && body_has "una nieta de Doña Helena"'
done

# ---- hide with a reason, edit with a note -------------------------------------

act "$ARCH" "/moderate/$COMM_ID" action=hide reason=
check "hiding needs a reason (422)" "$(seen)" eval 'status_is 422 && body_has "motivo"'
act "$ARCH" "/moderate/$COMM_ID" action=hide 'reason=Nombra a una persona sin su permiso'
check "the archivist hides it with a reason" "$(seen)" status_is 303
for who in - "$MEM" "$KEEP"; do
	http "$who" GET /work/memoria-obra
	check "  ... hidden: off the work page (${who##*.})" "$(seen)" body_lacks Zorzalcomunidad
done
http "$MEM" GET /my/contributions
check "  ... its author sees it hidden, with the reason" "$(seen)" \
	eval 'body_has "state-hidden" && body_has "Nombra a una persona sin su permiso"'
act "$KEEP" "/moderate/$ANON_ID" action=edit 'body=Zorzalanonima: Doña Helena Palliri' note=
check "an edit needs a note (422)" "$(seen)" status_is 422
act "$KEEP" "/moderate/$ANON_ID" action=edit 'body=Zorzalanonima: Doña Helena Palliri' 'note=nombre completo'
check "keeper1 edits the published note with a note" "$(seen)" status_is 303
http - GET /work/memoria-obra
check "  ... the page shows the new text and the note" "$(seen)" \
	eval 'body_has "Zorzalanonima: Doña Helena Palliri" && body_has "Editado por la moderación: nombre completo"'
http "$ARCH" GET /admin/audit
check "every decision is in the audit log, by who made it" "$(seen)" \
	eval 'body_has "<td>keeper1</td><td>contribution publish</td>" && body_has "<td>archivist1</td><td>contribution hide</td>" && body_has "<td>keeper1</td><td>contribution edit</td>"'

# ---- keepers and the archivist contribute too ------------------------------------

contribute "$KEEP" memoria-otra "${TIME_NOTE[@]}" consent=public start=10 'body=Zorzalguardian' attribution=initials 'attribution_text=K. U.'
check "a keeper contributes to a record it does not keep" "$(seen)" status_is 303
KID=$(newest_id)
act "$KEEP" "/moderate/$KID" action=publish
check "  ... and cannot publish it itself there (404)" "$(seen)" status_is 404
contribute "$ARCH" memoria-privada "${TIME_NOTE[@]}" consent=public start=5 'body=Zorzalprivada' attribution=name 'attribution_text=Archivo'
check "the archivist adds a public note on a private work" "$(seen)" status_is 303
PID_=$(newest_id)
act "$ARCH" "/moderate/$PID_" action=publish
check "  ... and publishes it" "$(seen)" status_is 303
contribute "$MEM" memoria-privada "${TIME_NOTE[@]}" consent=public start=5 'body=Zorzalintrusa' attribution=anonymous
check "a member cannot contribute to a record it may not read (404)" "$(seen)" status_is 404
http "$MEM" GET /my/contributions
check "  ... and a public note on that record reaches nobody who may not read it" "$(seen)" body_lacks Zorzalprivada
http "$ARCH" GET /work/memoria-privada
check "  ... the archivist sees it on the private work's page" "$(seen)" body_has Zorzalprivada

# ---- region notes and testimonies -------------------------------------------------

contribute "$MEM" memoria-doc kind=region file="$PAGE" xywh=10,20,100,50 motivation=describing \
	lang=qu consent=public 'body=Zorzalregion la firma' attribution=name 'attribution_text=Rosa'
check "a region note on the page image is accepted" "$(seen)" status_is 303
RID=$(newest_id)
same "  ... with its rectangle on that page's file" "$(q "SELECT file_id, x, y, w, h, lang FROM contribution WHERE id = '$RID'")" \
	"$PAGE|10|20|100|50|qu"
act "$ARCH" "/moderate/$RID" action=publish
http - GET /document/memoria-doc
check "  ... published: on the document page, linking its region" "$(seen)" \
	eval 'body_has Zorzalregion && body_has "#xywh=10,20,100,50" && body_has "lang=\"qu\""'
contribute "$MEM" memoria-obra kind=testimony $'links=memoria-doc\nmemoria-otra' motivation=commenting \
	lang=es consent=public 'body=Zorzaltestimonio: yo estuve en el rodaje' attribution=name 'attribution_text=Rosa'
check "a testimony naming two more records is accepted" "$(seen)" status_is 303
TID=$(newest_id)
same "  ... linked to them" "$(q "SELECT count(*) FROM contribution_link l JOIN contribution c ON c.n = l.contribution_n WHERE c.id = '$TID'")" 2
act "$KEEP" "/moderate/$TID" action=publish
for p in /work/memoria-obra /document/memoria-doc /work/memoria-otra; do
	http - GET "$p"
	check "  ... published: on $p" "$(seen)" body_has Zorzaltestimonio
done
contribute "$MEM" memoria-obra kind=testimony links=memoria-privada motivation=commenting \
	lang=es consent=public 'body=Zorzalnombra' attribution=anonymous
check "a testimony naming a record the member may not read is refused (422)" "$(seen)" \
	eval 'status_is 422 && body_has "no existe o no se puede ver"'

# ---- hostile input ---------------------------------------------------------------

bad() { # NAME SLUG FIELDS...: refused with 422 and nothing stored (public unless said)
	local name=$1 slug=$2 before after
	shift 2
	[[ " $* " == *" consent="* ]] || set -- "$@" consent=public
	before=$(q "SELECT count(*) FROM contribution")
	contribute "$MEM" "$slug" "$@"
	after=$(q "SELECT count(*) FROM contribution")
	check "refused: $name" "$(seen)" eval 'status_is 422 && body_has "No se pudo guardar" && ((before == after))'
}
bad "a start past the film's end (02:00 of 2:00)" memoria-obra "${TIME_NOTE[@]}" start=02:00 body=x attribution=anonymous
bad "an end past the film's end" memoria-obra "${TIME_NOTE[@]}" start=1:00 end=2:01 body=x attribution=anonymous
bad "a negative start" memoria-obra "${TIME_NOTE[@]}" start=-0:05 body=x attribution=anonymous
bad "an end before the start" memoria-obra "${TIME_NOTE[@]}" start=1:00 end=0:30 body=x attribution=anonymous
bad "61 seconds after a colon" memoria-obra "${TIME_NOTE[@]}" start=1:61 body=x attribution=anonymous
bad "a start that is no time" memoria-obra "${TIME_NOTE[@]}" 'start=1 05' body=x attribution=anonymous
bad "a region outside the image (x+w past 400)" memoria-doc kind=region file="$PAGE" xywh=350,0,51,10 motivation=describing lang=es consent=public body=x attribution=anonymous
bad "a region outside the image (y+h past 300)" memoria-doc kind=region file="$PAGE" xywh=0,299,10,2 motivation=describing lang=es consent=public body=x attribution=anonymous
bad "a region of zero width" memoria-doc kind=region file="$PAGE" xywh=0,0,0,10 motivation=describing lang=es consent=public body=x attribution=anonymous
bad "a negative region" memoria-doc kind=region file="$PAGE" xywh=-1,0,10,10 motivation=describing lang=es consent=public body=x attribution=anonymous
bad "a region that is no numbers" memoria-doc kind=region file="$PAGE" 'xywh=a,b,c,d' motivation=describing lang=es consent=public body=x attribution=anonymous
bad "a region on a file that is not this document's" memoria-doc kind=region file=00000000-0000-7000-8000-000000000000 xywh=0,0,1,1 motivation=describing lang=es consent=public body=x attribution=anonymous
bad "a region note on a work" memoria-obra kind=region file="$PAGE" xywh=0,0,1,1 motivation=describing lang=es consent=public body=x attribution=anonymous
bad "an empty text" memoria-obra "${TIME_NOTE[@]}" start=1 'body=   ' attribution=anonymous
bad "a text of 8001 bytes" memoria-obra "${TIME_NOTE[@]}" start=1 "body=$(head -c 8001 /dev/zero | tr '\0' a)" attribution=anonymous
bad "an attribution of 201 bytes" memoria-obra "${TIME_NOTE[@]}" start=1 body=x attribution=phrase "attribution_text=$(head -c 201 /dev/zero | tr '\0' a)"
bad "a name attribution with no name" memoria-obra "${TIME_NOTE[@]}" start=1 body=x attribution=name attribution_text=
bad "an unknown motivation" memoria-obra kind=time motivation=liking lang=es consent=public start=1 body=x attribution=anonymous
bad "an unknown consent" memoria-obra kind=time motivation=tagging lang=es consent=everyone start=1 body=x attribution=anonymous
bad "a language that is no tag" memoria-obra kind=time motivation=tagging 'lang=es es' consent=public start=1 body=x attribution=anonymous
contribute "$MEM" memoria-obra "${TIME_NOTE[@]}" start=1 "body=$(head -c 70000 /dev/zero | tr '\0' a)" attribution=anonymous
check "a body past the request limit is refused (413)" "$(seen)" status_is 413
contribute "$MEM" memoria-obra "${TIME_NOTE[@]}" start=1 body=sin-token attribution=anonymous -csrf
check "a contribution without the CSRF token is refused (403)" "$(seen)" status_is 403
contribute "$MEM" memoria-obra "${TIME_NOTE[@]}" start=1 body=token-ajeno attribution=anonymous \
	csrf=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
check "  ... and with another token (403)" "$(seen)" status_is 403
http "$MEM" POST "/moderate/$ANON_ID" --data-urlencode action=hide --data-urlencode reason=x
check "  ... a moderation decision without it too (403)" "$(seen)" status_is 403
http "$MEM" POST "/my/contributions/withdraw/$ANON_ID"
check "  ... and a withdrawal without it (403)" "$(seen)" status_is 403
http - POST /contribute/memoria-obra --data-urlencode kind=time --data-urlencode start=1 --data-urlencode body=x
check "a visitor cannot contribute (403)" "$(seen)" status_is 403
contribute "$VIEW" memoria-obra "${TIME_NOTE[@]}" start=1 body=x attribution=anonymous
check "a viewer account cannot contribute (403)" "$(seen)" status_is 403
contribute "$MEM" memoria-obra "${TIME_NOTE[@]}" consent=public start=1 'body=<script>alert(1)</script> Zorzalxss' attribution=phrase 'attribution_text=<b>yo</b>'
XID=$(newest_id)
act "$ARCH" "/moderate/$XID" action=publish
http - GET /work/memoria-obra
check "markup in a note and its attribution is shown as text" "$(seen)" \
	eval 'body_has "&lt;script&gt;alert(1)&lt;/script&gt; Zorzalxss" && body_has "&lt;b&gt;yo&lt;/b&gt;" && body_lacks "<script>alert(1)"'

# ---- the page surfaces: the player's marks, the transcript, regions, search ----------

contribute "$MEM" memoria-otra "${TIME_NOTE[@]}" consent=public start=0:05 end=0:07 \
	'body=Zorzalmarca es el abuelo Juan' attribution=name 'attribution_text=Rosa'
MID=$(newest_id)
act "$ARCH" "/moderate/$MID" action=publish
contribute "$MEM" memoria-otra "${TIME_NOTE[@]}" consent=community start=0:02 \
	'body=Zorzalcomunal en la cancha' attribution=name 'attribution_text=Rosa'
CMID=$(newest_id)
act "$ARCH" "/moderate/$CMID" action=publish
http - GET /work/memoria-otra
check "a published note is a mark on the player's timeline, a link to its moment" "$(seen)" \
	eval 'body_has "<ol class=\"marks plain\" id=\"marks\"" && grep -q "<a href=\"?t=5#player\" data-t=\"5\" data-end=\"7\"><time datetime=\"PT5S\">00:05</time> Rosa: Zorzalmarca" "$W/body"'
check "  ... and stands beside the transcript line said then (the second, from 0:04)" "$(seen)" \
	eval 'perl -0777 -ne "exit(/Zorzallinea dos<\/a><p class=\"line-memory\"><a href=\"#memory-$MID\">Rosa: Zorzalmarca/ ? 0 : 1)" "$W/body"'
check "  ... a community-only note is neither mark nor line note for a visitor" "$(seen)" body_lacks Zorzalcomunal
http "$MEM" GET /work/memoria-otra
check "  ... but is for a community member" "$(seen)" \
	eval 'grep -q "data-t=\"2\"" "$W/body" && body_has "Zorzallinea uno</a><p class=\"line-memory\"><a href=\"#memory-$CMID\">Rosa: Zorzalcomunal"'
check "  ... and its form has the Now buttons the script shows" "$(seen)" \
	body_has '<button type="button" class="now" data-field="start" hidden>'
http - GET /static/player.js
check "player.js lays the marks along the film and fills Now" "$(seen)" \
	eval 'status_is 200 && body_has "layMarks" && body_has "button.now"'
http - GET /document/memoria-doc
check "a region note is a rectangle over its page image, linking the note" "$(seen)" \
	eval 'body_has "<svg viewBox=\"0 0 400 300\"" && body_has "<image href=\"/media/$PAGE\" width=\"400\" height=\"300\"/>" && body_has "<a href=\"#memory-$RID\"><rect x=\"10\" y=\"20\" width=\"100\" height=\"50\"><title>Rosa: Zorzalregion la firma</title>"'
http "$MEM" GET /document/memoria-doc
check "the region form loads the script that draws on the page" "$(seen)" body_has '<script src="/static/contrib.js" defer></script>'
http - GET /static/contrib.js
check "  ... which is served" "$(seen)" eval 'status_is 200 && body_has "contrib-region"'

http - GET '/search?q=zorzalmarca'
check "search finds the film by a published note, opening it at the note's second" "$(seen)" \
	eval 'body_has "href=\"/work/memoria-otra\"" && body_has "<mark>Zorzalmarca</mark>" && body_has "href=\"/work/memoria-otra?t=5#player\">en <time datetime=\"PT5S\">00:05</time>"'
http - GET '/search?q=zorzalregion'
check "  ... and a document by its region note, linking the note" "$(seen)" \
	eval 'body_has "href=\"/document/memoria-doc#memory-$RID\""'
http - GET '/search?q=zorzalcomunal'
check "  ... a community-only note finds nothing for a visitor" "$(seen)" \
	eval 'body_has "0 registros" && body_lacks Zorzalcomunal'
http "$VIEW" GET '/search?q=zorzalcomunal'
check "  ... nor for a viewer account" "$(seen)" body_has "0 registros"
http "$MEM" GET '/search?q=zorzalcomunal'
check "  ... and finds it for a community member" "$(seen)" eval 'body_has "<mark>Zorzalcomunal</mark>"'
http "$ARCH" GET '/search?q=zorzalcomunidad'
check "  ... a hidden note finds nothing, even for an archivist" "$(seen)" body_has "0 registros"
http "$ARCH" GET '/search?q=zorzalintrusa'
check "  ... nor a refused one" "$(seen)" body_has "0 registros"
http - GET '/search?q=zorzalprivada'
check "  ... a public note on a private work finds nothing for a visitor" "$(seen)" body_has "0 registros"
http - GET '/search?q=zorzalanonima'
check "  ... the anonymous note is found, without its account" "$(seen)" \
	eval 'body_has "<mark>Zorzalanonima</mark>" && body_lacks member1'

# ---- the command line ---------------------------------------------------------------

"$BIN" -a "$A" contrib list >"$W/cli.out" 2>"$W/cli.err"
check "contrib list names every contribution with its state and target" "$(head -c 300 "$W/cli.out")" \
	eval 'grep -q "^$ANON_ID	published	time	work/memoria-obra#t=65	public	(anonymous)" "$W/cli.out" && grep -q "^$RID	published	region	document/memoria-doc#xywh=10,20,100,50" "$W/cli.out"'
check "  ... never the account of an anonymous one" "$(cat "$W/cli.out")" eval '! grep -q member1 "$W/cli.out"'
"$BIN" -a "$A" contrib list --state hidden >"$W/cli.out" 2>&1
check "contrib list --state hidden" "$(cat "$W/cli.out")" eval 'grep -q "^$COMM_ID	hidden" "$W/cli.out" && ! grep -q "$ANON_ID" "$W/cli.out"'
"$BIN" -a "$A" contrib hide "$KID" >"$W/cli.out" 2>&1; rc=$?
check "contrib hide without --reason is refused" "$(cat "$W/cli.out")" eval '((rc != 0)) && grep -q -- "--reason" "$W/cli.out"'
"$BIN" -a "$A" contrib publish "$KID" >"$W/cli.out" 2>&1
check "contrib publish" "$(cat "$W/cli.out")" eval '[[ $(q "SELECT state FROM contribution WHERE id = '"'$KID'"'") == published ]]'
"$BIN" -a "$A" contrib hide "$KID" --reason 'duplicada' >"$W/cli.out" 2>&1
check "contrib hide --reason" "$(cat "$W/cli.out")" eval '[[ $(q "SELECT state || '"'/'"' || hidden_reason FROM contribution WHERE id = '"'$KID'"'") == hidden/duplicada ]]'
"$BIN" -a "$A" contrib publish 01234567-89ab-7def-8123-456789abcdef >"$W/cli.out" 2>&1; rc=$?
check "contrib publish of no contribution says so" "$(cat "$W/cli.out")" eval '((rc != 0)) && grep -q "no contribution" "$W/cli.out"'
"$BIN" -a "$A" contrib withdraw "$KID" >"$W/cli.out" 2>&1
check "contrib withdraw" "$(cat "$W/cli.out")" eval '[[ $(q "SELECT count(*) FROM contribution WHERE id = '"'$KID'"'") == 0 ]]'

# ---- withdrawal by the author ----------------------------------------------------------

act "$VIEW" "/my/contributions/withdraw/$ANON_ID"
check "another account cannot withdraw it (404)" "$(seen)" status_is 404
act "$MEM" "/my/contributions/withdraw/$ANON_ID"
check "the author withdraws the published anonymous note" "$(seen)" status_is 303
for who in - "$MEM" "$ARCH"; do
	http "$who" GET /work/memoria-obra
	check "  ... gone from the work page (${who##*.})" "$(seen)" body_lacks Zorzalanonima
done
http "$ARCH" GET /moderate
check "  ... and from the moderation queue" "$(seen)" body_lacks Zorzalanonima
http - GET '/search?q=zorzalanonima'
check "  ... and from search" "$(seen)" eval 'body_has "0 registros" && body_lacks Zorzalanonima'
act "$MEM" "/my/contributions/withdraw/$MID"
http - GET /work/memoria-otra
check "a withdrawn mark leaves the timeline and the transcript" "$(seen)" \
	eval 'body_lacks Zorzalmarca && body_lacks "data-t=\"5\" data-end=\"7\""'
act "$MEM" "/my/contributions/withdraw/$RID"
http - GET /document/memoria-doc
check "a withdrawn region leaves the page image" "$(seen)" eval 'body_lacks Zorzalregion && body_lacks "<rect x=\"10\""' 
same "  ... a tombstone with its id and time only" "$(q "SELECT count(*) FROM contribution_tombstone WHERE id = '$ANON_ID'")" 1
same "  ... its text nowhere in the catalogue (the full-text index included)" \
	"$(q "SELECT count(*) FROM contribution_search WHERE contribution_search MATCH 'Zorzalanonima'") $(q "SELECT count(*) FROM audit WHERE detail LIKE '%Zorzalanonima%'")" "0 0"
"$BIN" -a "$A" export-json "$W/export.json" >/dev/null 2>&1
check "  ... nor in the export" "" eval '! grep -q Zorzalanonima "$W/export.json"'

# ---- the account of an anonymous contributor, on every page ---------------------------

contribute "$MEM" memoria-otra "${TIME_NOTE[@]}" consent=public start=0:05 'body=Zorzalsinnombre' attribution=anonymous
SID=$(newest_id)
act "$ARCH" "/moderate/$SID" action=publish
for who in - "$VIEW" "$KEEP" "$ARCH"; do
	for p in /work/memoria-otra /moderate /admin/audit "/my/contributions"; do
		http "$who" GET "$p"
		[[ $STATUS == 200 ]] || continue
		if [[ $p == /admin/audit ]]; then
			# member1's named contributions are audited under the account;
			# the anonymous one's line must not be
			check "the audit line of the anonymous note does not name its account" \
				"$(grep -F "$SID" "$W/body")" eval 'grep -F "$SID" "$W/body" | grep -q "anonymous contributor" && ! grep -F "$SID" "$W/body" | grep -q member1'
			continue
		fi
		check "no page $p shows the anonymous author's account to ${who##*.}" "$(grep -o '.\{40\}member1.\{40\}' "$W/body" | head -2)" \
			body_lacks member1
	done
done

# ---- IIIF and the JSON API -------------------------------------------------------------

contribute "$MEM" memoria-otra "${TIME_NOTE[@]}" consent=community start=0:08 \
	'body=Zorzalsolocomunidad' attribution=name 'attribution_text=Rosa'
C2=$(newest_id)
act "$ARCH" "/moderate/$C2" action=publish
contribute "$MEM" memoria-doc kind=region file="$PAGE" xywh=5,6,70,80 motivation=tagging \
	lang=es consent=public 'body=Zorzalsello' attribution=initials 'attribution_text=R. M.'
R2=$(newest_id)
act "$ARCH" "/moderate/$R2" action=publish
json_get() { # JAR PATH FILE: a JSON answer into FILE
	http "$1" GET "$2"
	cp "$W/body" "$3"
}
json_get - /iiif/manifest/memoria-otra "$W/m-anon.json"
check "the film's IIIF manifest carries its published public notes as an AnnotationPage" "$(head -c 300 "$W/m-anon.json")" \
	eval 'status_is 200 && jq -e --arg c "$BASE/iiif/manifest/memoria-otra/canvas/1" "[.items[0].annotations[] | select(.id == \$c + \"/memories\")] | length == 1" "$W/m-anon.json" >/dev/null'
check "  ... the anonymous note as a TextualBody targeting its moment, with no creator" "$(jq -c '.items[0].annotations' "$W/m-anon.json" | head -c 600)" \
	eval 'jq -e --arg c "$BASE/iiif/manifest/memoria-otra/canvas/1" "[.items[0].annotations[].items[] | select(.body.value == \"Zorzalsinnombre\")][0] | .motivation == \"identifying\" and .target == \$c + \"#t=5\" and .body.type == \"TextualBody\" and .body.language == \"es\" and (has(\"creator\") | not)" "$W/m-anon.json" >/dev/null'
check "  ... never the account's name" "" eval '! grep -q member1 "$W/m-anon.json"'
check "  ... no community-only note for a visitor" "" eval '! grep -q Zorzalsolocomunidad "$W/m-anon.json"'
json_get "$MEM" /iiif/manifest/memoria-otra "$W/m-mem.json"
check "  ... but for a community member, signed as chosen" "$(head -c 200 "$W/m-mem.json")" \
	eval 'jq -e "[.items[0].annotations[].items[] | select(.body.value == \"Zorzalsolocomunidad\")][0].creator == {\"type\": \"Person\", \"name\": \"Rosa\"}" "$W/m-mem.json" >/dev/null'
json_get - /iiif/manifest/memoria-doc "$W/m-doc.json"
check "the document's manifest carries the region note on its page's canvas at #xywh" "$(head -c 300 "$W/m-doc.json")" \
	eval 'jq -e --arg c "$BASE/iiif/manifest/memoria-doc/canvas/1" "[.items[0].annotations[].items[] | select(.body.value == \"Zorzalsello\")][0] | .target == \$c + \"#xywh=5,6,70,80\" and .motivation == \"tagging\" and .creator.name == \"R. M.\"" "$W/m-doc.json" >/dev/null'
if out=$(node tests/iiif/validate.mjs "$W/m-anon.json" "$W/m-mem.json" "$W/m-doc.json" 2>&1); then
	pass "the manifests with notes pass the IIIF schema and @iiif/parser"
else
	fail "the manifests with notes pass the IIIF schema and @iiif/parser" "$out"
fi

"$BIN" -a "$A" token add contrib-member --user member1 >"$W/token" 2>/dev/null
TOKEN=$(tail -n 1 "$W/token")
json_get - /api/v1/records/memoria-otra "$W/a-anon.json"
check "the API's record carries its published public notes" "$(jq -c .contributions "$W/a-anon.json" | head -c 400)" \
	eval 'jq -e "[.contributions[] | select(.text == \"Zorzalsinnombre\")][0] | .kind == \"time\" and .start == 5 and .end == null and .creator == null and .consent == \"public\"" "$W/a-anon.json" >/dev/null'
check "  ... never the account's name, nor a community-only note for a visitor" "" \
	eval '! grep -q member1 "$W/a-anon.json" && ! grep -q Zorzalsolocomunidad "$W/a-anon.json"'
http - GET /api/v1/records/memoria-otra -H "Authorization: Bearer $TOKEN"
cp "$W/body" "$W/a-mem.json"
check "  ... a community member's token reads the community-only one too" "$(head -c 200 "$W/a-mem.json")" \
	eval 'jq -e "[.contributions[] | select(.text == \"Zorzalsolocomunidad\")][0].creator == \"Rosa\"" "$W/a-mem.json" >/dev/null'
json_get - /api/v1/records/memoria-doc "$W/a-doc.json"
check "  ... a region note with its file and rectangle" "$(jq -c .contributions "$W/a-doc.json" | head -c 300)" \
	eval 'jq -e --arg f "$PAGE" "[.contributions[] | select(.text == \"Zorzalsello\")][0] | .file == \$f and .xywh == [5,6,70,80]" "$W/a-doc.json" >/dev/null'
json_get - /api/v1/openapi.json "$W/openapi.json"
printf '%s\n' "/api/v1/records/memoria-otra 200 application/json $W/a-anon.json" \
	"/api/v1/records/memoria-otra 200 application/json $W/a-mem.json" \
	"/api/v1/records/memoria-doc 200 application/json $W/a-doc.json" >"$W/api-manifest"
if out=$(node tests/api/validate.mjs "$W/openapi.json" "$W/api-manifest" 2>&1); then
	pass "the records with notes match the OpenAPI document"
else
	fail "the records with notes match the OpenAPI document" "$(grep FAIL <<<"$out" | head -5)"
fi

act "$MEM" "/my/contributions/withdraw/$SID"
act "$MEM" "/my/contributions/withdraw/$R2"
json_get - /iiif/manifest/memoria-otra "$W/m-after.json"
json_get - /iiif/manifest/memoria-doc "$W/m-doc-after.json"
json_get - /api/v1/records/memoria-otra "$W/a-after.json"
check "withdrawn notes leave the manifests and the API" "" \
	eval '! grep -q "Zorzalsinnombre\|Zorzalsello" "$W/m-after.json" "$W/m-doc-after.json" "$W/a-after.json"'

# ---- a testimony's recording ------------------------------------------------------------

# tus_upload JAR FILE TYPE: a resumable upload (tus 1.0, /uploads/) of FILE
# as the account of JAR, named after the account (a name that must never
# reach the catalogue); $UPID its id.
tus_upload() {
	local cj=$1 f=$2 type=$3 csrf len loc
	csrf=$(session_csrf "$cj")
	len=$(stat -c %s "$f")
	http "$cj" POST /uploads/ -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $len" \
		-H "X-CSRF-Token: $csrf" \
		-H "Upload-Metadata: filename $(printf 'member1-mi-voz.mp4' | base64 -w0),filetype $(printf '%s' "$type" | base64 -w0)"
	loc=$(header Location)
	UPID=${loc##*/}
	http "$cj" PATCH "$loc" -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0' -H "X-CSRF-Token: $csrf" \
		-H 'Content-Type: application/offset+octet-stream' --data-binary "@$f"
}
# a recording of its own (bytes no other file has, so that its withdrawal
# removes them from the store)
ffmpeg -loglevel error -f lavfi -i sine=frequency=440:duration=2 -c:a aac -f mp4 "$W/voz.mp4" ||
	{ echo "error: cannot make the recording" >&2; exit 1; }
media_status() { # JAR FILE-ID: the status of /media/FILE-ID
	http "$1" GET "/media/$2"
	echo "$STATUS"
}
http "$MEM" GET /work/memoria-obra
check "the testimony form links the upload form, which comes back to the record" "$(seen)" \
	body_has '<a href="/upload?return=%2Fwork%2Fmemoria-obra">'
http "$MEM" GET /upload?return=%2Fwork%2Fmemoria-obra
check "  ... the upload form answers" "$(seen)" status_is 200
http "$MEM" GET '/work/memoria-obra?upload=0123456789abcdef0123456789abcdef'
check "  ... and back with ?upload=ID the testimony form is open with the number filled in" "$(seen)" \
	eval 'body_has "<details class=\"contribute\" open><summary>Añadir un testimonio" && body_has "name=\"upload\" value=\"0123456789abcdef0123456789abcdef\""'
tus_upload "$MEM" "$W/voz.mp4" audio/mp4
check "the member uploads a recording (tus)" "$(seen)" eval '[[ $STATUS == 204 && $UPID =~ ^[0-9a-f]{32}$ ]]'
contribute "$MEM" memoria-obra kind=testimony motivation=commenting lang=es consent=public \
	'body=Zorzalgrabacion: mi voz' attribution=anonymous "upload=$UPID"
check "a testimony with the recording is accepted" "$(seen)" status_is 303
TREC=$(newest_id)
RFILE=$(q "SELECT recording_file_id FROM contribution WHERE id = '$TREC'")
same "  ... its recording a file of the record, role testimony, private, named by the upload" \
	"$(q "SELECT f.role, f.access, f.name, r.slug FROM file f JOIN record r ON r.id = f.record_id WHERE f.id = '$RFILE'")" \
	"testimony|private|$UPID|memoria-obra"
RSHA=$(q "SELECT sha256 FROM file WHERE id = '$RFILE'")
same "  ... the very bytes uploaded, in the store" "$RSHA" "$(sha256sum <"$W/voz.mp4" | cut -c1-64)"
RNAME=$UPID
check "  ... and the upload released (its bytes gone from uploads/)" "" eval '[[ ! -e $A/uploads/$UPID ]]'
same "  ... pending: /media refuses it to a visitor, to its author, gives it to the archivist" \
	"$(media_status - "$RFILE") $(media_status "$MEM" "$RFILE") $(media_status "$ARCH" "$RFILE")" "404 404 200"
contribute "$MEM" memoria-obra kind=testimony motivation=commenting lang=es consent=public \
	'body=otra vez' attribution=anonymous "upload=$UPID"
check "  ... the same upload cannot be used twice (422)" "$(seen)" eval 'status_is 422 && body_has "ninguna subida terminada"'
tus_upload "$MEM" "$W/otra.vtt" text/vtt
contribute "$MEM" memoria-obra kind=testimony motivation=commenting lang=es consent=public \
	'body=texto' attribution=anonymous "upload=$UPID"
check "  ... a recording must be audio or video (422)" "$(seen)" eval 'status_is 422 && body_has "audio o vídeo"'
tus_upload "$MEM" "$W/voz.mp4" audio/mp4
MEMUP=$UPID
contribute "$KEEP" memoria-obra kind=testimony motivation=commenting lang=es consent=public \
	'body=ajena' attribution=anonymous "upload=$MEMUP"
check "  ... nor can another account use the member's upload (422)" "$(seen)" status_is 422
act "$KEEP" "/moderate/$TREC" action=publish
same "published with public consent: /media gives it to everyone" \
	"$(media_status - "$RFILE") $(media_status "$VIEW" "$RFILE")" "200 200"
http - GET "/media/$RFILE"
check "  ... exactly the uploaded bytes" "" cmp -s "$W/body" "$W/voz.mp4"
http - GET /work/memoria-obra
check "  ... the work page plays it beside the testimony" "$(seen)" \
	eval 'body_has "Zorzalgrabacion" && body_has "<video class=\"testimony\" controls preload=\"none\" src=\"/media/$RFILE\">"'
check "  ... and nowhere on the page (files, events) the account or its file name" "$(grep -o '.\{30\}member1.\{30\}' "$W/body" | head -2)" \
	body_lacks member1
contribute "$MEM" memoria-obra kind=testimony motivation=commenting lang=es consent=community \
	'body=Zorzalgrabacioncomunal' attribution=anonymous "upload=$MEMUP"
CREC=$(newest_id)
CFILE=$(q "SELECT recording_file_id FROM contribution WHERE id = '$CREC'")
same "the same bytes again on the same record are the same file" "$CFILE" "$RFILE"
act "$ARCH" "/moderate/$CREC" action=hide 'reason=duplicada'
act "$MEM" "/my/contributions/withdraw/$TREC"
check "withdrawing one testimony keeps a recording another still holds" "" \
	eval '[[ $(q "SELECT deleted IS NULL FROM file WHERE id = '"'$RFILE'"'") == 1 ]]'
same "  ... private now: its other testimony is hidden" "$(media_status - "$RFILE") $(media_status "$ARCH" "$RFILE")" "404 200"
act "$MEM" "/my/contributions/withdraw/$CREC"
same "withdrawing the last one deletes the recording: /media is 404 for everyone" \
	"$(media_status - "$RFILE") $(media_status "$MEM" "$RFILE") $(media_status "$ARCH" "$RFILE")" "404 404 404"
check "  ... its bytes are gone from the store" "$(find "$A/objects" -name "$RSHA*")" \
	eval '[[ -z $(find "$A/objects" -name "$RSHA*") ]]'
same "  ... its deletion event says only that a contribution was withdrawn" \
	"$(q "SELECT detail FROM premis_event WHERE file_id = '$RFILE' AND type = 'deletion'")" "$RNAME; a contribution was withdrawn"
check "  ... and no event or audit line names the account" "" \
	eval '[[ $(q "SELECT count(*) FROM premis_event WHERE file_id = '"'$RFILE'"' AND (agent LIKE '"'%member1%'"' OR detail LIKE '"'%member1%'"')") == 0 ]]'
tus_upload "$MEM" "$W/otra.mp4" video/mp4
contribute "$MEM" memoria-otra kind=testimony motivation=commenting lang=es consent=community \
	'body=Zorzalvozcomunal' attribution=name 'attribution_text=Rosa' "upload=$UPID"
VREC=$(newest_id)
VFILE=$(q "SELECT recording_file_id FROM contribution WHERE id = '$VREC'")
act "$ARCH" "/moderate/$VREC" action=publish
same "a community-only recording: /media for the community, not for visitors or viewers" \
	"$(media_status - "$VFILE") $(media_status "$VIEW" "$VFILE") $(media_status "$MEM" "$VFILE") $(media_status "$KEEP" "$VFILE")" \
	"404 404 200 200"
"$BIN" -a "$A" contrib withdraw "$VREC" >"$W/cli.out" 2>&1
check "contrib withdraw deletes its recording too" "$(cat "$W/cli.out")" \
	eval '[[ $(media_status "$ARCH" "$VFILE") == 404 ]]'

# ---- the server, then the upgrade from the previous schema -------------------------------

if server_stop; then pass "the server exits cleanly"; else fail "the server exits cleanly" "see above"; fi

U=$W/old
mkdir -p "$U/objects" "$U/tmp"
: >"$U/cinemateca.conf"
{
	echo "PRAGMA application_id = $((0x43494e45));"
	for f in src/db/schema/0*.sql; do
		[[ ${f##*/} < 011 ]] || continue	# the schema before this work's
		cat "$f"
		echo
	done
	cat <<'EOF'
PRAGMA user_version = 10;
INSERT INTO record (id, type, slug, access, created, updated) VALUES
 ('01900000-0000-7000-8000-000000000001', 'work', 'vieja', 'private', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');
INSERT INTO user (id, name, role, pw_hash, created, pw_changed) VALUES
 (1, 'ana', 'admin', 'x', '2024-01-01', '2024-01-01'), (2, 'beto', 'community', 'x', '2024-01-01', '2024-01-01'),
 (3, 'caro', 'viewer', 'x', '2024-01-01', '2024-01-01');
INSERT INTO grp (id, name) VALUES (1, 'jurado');
INSERT INTO grp_member VALUES (1, 3);
INSERT INTO access_grant (record_id, user_id, created) VALUES ('01900000-0000-7000-8000-000000000001', 3, '2024-01-01');
INSERT INTO access_grant (record_id, grp_id, created) VALUES ('01900000-0000-7000-8000-000000000001', 1, '2024-01-01');
INSERT INTO session VALUES ('h1', 2, 'c', 1, 1, NULL), ('h2', 3, 'c', 1, 1, NULL);
INSERT INTO file (id, record_id, role, sha256, size, created, name) VALUES
 ('01900000-0000-7000-8000-0000000000f1', '01900000-0000-7000-8000-000000000001', 'subtitle',
  'aa', 10, '2024-01-01', 'es.vtt');
INSERT INTO file (id, record_id, role, sha256, size, created, name, derived_from, derivative) VALUES
 ('01900000-0000-7000-8000-0000000000f2', '01900000-0000-7000-8000-000000000001', 'subtitle',
  'bb', 10, '2024-01-01', 'es.srt.vtt', '01900000-0000-7000-8000-0000000000f1', 'webvtt');
INSERT INTO cue (record_id, file_id, lang, start_ms, end_ms, text) VALUES
 ('01900000-0000-7000-8000-000000000001', '01900000-0000-7000-8000-0000000000f1', 'es', 0, 1000, 'hola');
EOF
} | sqlite3 "$U/catalog.db"
tables=$(sqlite3 "$U/catalog.db" "SELECT group_concat(name) FROM sqlite_schema WHERE sql LIKE '%REFERENCES user%'")
"$BIN" -a "$U" user list >"$W/cli.out" 2>&1
check "a schema-10 catalogue is refused by a reading command, which names the upgrade" "$(cat "$W/cli.out")" \
	grep -q "older than this program" "$W/cli.out"
printf '%s\n' "$PW" | "$BIN" -a "$U" user add dora --role keeper --password-stdin >"$W/cli.out" 2>&1
check "a writing command upgrades it and adds a keeper" "$(cat "$W/cli.out")" grep -q "added dora (keeper)" "$W/cli.out"
same "  ... every account, group membership, grant and session kept" \
	"$(sqlite3 "$U/catalog.db" "SELECT (SELECT group_concat(name || ':' || role) FROM (SELECT * FROM user ORDER BY id)), (SELECT count(*) FROM grp_member), (SELECT count(*) FROM access_grant), (SELECT count(*) FROM session)")" \
	"ana:admin,beto:community,caro:viewer,dora:keeper|1|2|2"
same "  ... foreign keys whole and the catalogue intact" \
	"$(sqlite3 "$U/catalog.db" "PRAGMA foreign_key_check" | wc -l) $(sqlite3 "$U/catalog.db" "PRAGMA integrity_check")" "0 ok"
same "  ... the tables that point at accounts still do" \
	"$(sqlite3 "$U/catalog.db" "SELECT group_concat(name) FROM sqlite_schema WHERE sql LIKE '%REFERENCES user%'")" "$tables,keeper_scope,contribution"
same "  ... files (rebuilt for the testimony role), their derivatives and cues kept" \
	"$(sqlite3 "$U/catalog.db" "SELECT (SELECT group_concat(name || ':' || coalesce(derived_from, '-'), ',') FROM (SELECT * FROM file ORDER BY id)), (SELECT count(*) FROM cue)")" \
	"es.vtt:-,es.srt.vtt:01900000-0000-7000-8000-0000000000f1|1"
sqlite3 "$U/catalog.db" "PRAGMA foreign_keys = ON; DELETE FROM user WHERE name = 'caro'"
same "  ... and cascade as before (caro's grant, membership and session go with her)" \
	"$(sqlite3 "$U/catalog.db" "SELECT (SELECT count(*) FROM grp_member), (SELECT count(*) FROM access_grant), (SELECT count(*) FROM session)")" "0|1|1"

# ---- every page through the validator ----------------------------------------------------

check_pages_valid "$W/pages" "all $npages HTML pages are valid"

check_summary contrib "$CINEMATECA"
