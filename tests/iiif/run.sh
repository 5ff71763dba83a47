#!/usr/bin/env bash
# tests/iiif/run.sh — IIIF Presentation 3.0 and Content Search 2.0 against
# the real binary, a real catalogue and a real server on port 0.
#
# Makes a demo archive, gives public, community and private works an access
# copy and WebVTT subtitles (Spanish and English on the public one, a line
# only an archivist may read on another public work through a private
# subtitle file), page scans to a public and a registered document, and a
# collection inside a collection; then checks that every manifest and
# collection validates against the official schema
# (tests/schemas/iiif_3_0.json, with Ajv and ajv-formats) and that
# @iiif/parser normalizes it (tests/iiif/validate.mjs), what a film's
# manifest says exactly (canvas size and duration from the technical
# metadata, the painting body, the captions as a Choice, the poster, the
# start), the hits of Content Search exactly (target canvas#t=START,END,
# TextQuoteSelector prefix/exact/suffix) and its autocomplete; and for
# an anonymous visitor, a community member and an administrator what each
# may see: a private or community record is a 404 like a missing one, a
# line of a file one may not read is never a hit nor a term, a collection
# lists only what one may read; Access-Control-Allow-Origin only on
# anonymous answers and public media.
#
# Prints one line per check and ends with "iiif: N passed, N failed";
# writes the totals to build/results/iiif (iiif-asan for a binary under
# build/asan/) for `make check`'s summary.

# check ... eval '...' evaluates its single-quoted test later, on purpose.
# shellcheck disable=SC2016
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
PUBLIC=dona-helena-palliri		# public works of the demo
LOCKED=llacquiy-huata			# public, its subtitle file private
COMMUNITY=to-be-a-miners-wife-and-to-wait
PRIVATE=on-the-back-of-the-sleeping-elephant
DOC=let-me-speak			# a public document
REGDOC=maria-luisa-mercado-thesis	# a registered one
PW='correct horse battery'

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-iiif.XXXXXX")
at_exit rm -rf -- "$W"
A=$W/archive
M=$W/files
mkdir -p "$M" "$W/json"

for tool in ffmpeg node curl jq; do
	command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done
[[ -d tests/node_modules/ajv && -d tests/node_modules/@iiif/parser ]] ||
	{ echo "error: tests/node_modules lacks ajv or @iiif/parser: cd tests && npm ci" >&2; exit 1; }

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
# js FILTER: jq on the last body (raw output, one line per value).
js() { jq -rc "$1" "$W/body" 2>&1; }
# keep NAME: keep the last body for the validators.
keep() { cp "$W/body" "$W/json/$1.json"; }
login() {
	local cj=$1 name=$2 csrf
	http "$cj" /login
	csrf=$(form_csrf "$W/body")
	http "$cj" /login --data-urlencode "name=$name" --data-urlencode "password=$PW" \
		--data-urlencode "csrf=$csrf"
}

# ---- the archive -----------------------------------------------------------

FF=(ffmpeg -nostdin -v error -y)
"${FF[@]}" -f lavfi -i testsrc2=size=320x240:rate=25:duration=4 \
	-f lavfi -i sine=frequency=220:sample_rate=44100:duration=4 \
	-c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -shortest "$M/access.mp4" &&
"${FF[@]}" -f lavfi -i testsrc2=size=200x150 -frames:v 1 "$M/page1.png" &&
"${FF[@]}" -f lavfi -i testsrc2=size=300x400 -frames:v 1 "$M/page2.png" ||
	{ echo "error: ffmpeg could not make the test media" >&2; exit 1; }
printf 'WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nLa mina de Siglo XX, dijo Doña Helena.\n\n00:00:02.500 --> 00:00:03.250\nLa mina y la mina.\n' >"$M/es.vtt"
printf 'WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nThe Siglo XX mine, said Doña Helena.\n' >"$M/en.vtt"
printf 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nZorzalarchivo en la mina.\n' >"$M/locked.vtt"
printf 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nZorzalcomunal en la mina.\n' >"$M/community.vtt"
printf 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nZorzalprivado en la mina.\n' >"$M/private.vtt"

server_make_demo "$A" || exit 1
for w in $PUBLIC $LOCKED $COMMUNITY $PRIVATE; do
	cli ingest --to "$w" --role access "$M/access.mp4"
done
cli subtitle $PUBLIC --lang es "$M/es.vtt"
cli subtitle $PUBLIC --lang en "$M/en.vtt"
cli subtitle $LOCKED --lang es "$M/locked.vtt"
cli access set "$(sql "SELECT id FROM file WHERE name = 'locked.vtt'")" private
cli subtitle $COMMUNITY --lang es "$M/community.vtt"
cli subtitle $PRIVATE --lang es "$M/private.vtt"
cli ingest --to $DOC --role scan "$M/page1.png" "$M/page2.png"
cli ingest --to $REGDOC --role scan "$M/page1.png"
cat >"$W/nested.json" <<'JSON'
{"format": "cinemateca-import", "version": 1, "records": [
 {"type": "collection", "slug": "iiif-inner", "access": "public",
  "titles": [{"text": "Colección interior", "lang": "es"}, {"text": "Inner collection", "lang": "en"}],
  "relations": [{"type": "part_of", "to": "miners-film-workshop-1983"}]},
 {"type": "work", "slug": "iiif-titled", "access": "public",
  "titles": [{"text": "Película de prueba", "lang": "es"}, {"text": "Otra forma del título", "lang": "es", "kind": "alternative"},
   {"text": "Test film", "lang": "en", "kind": "translated"}]},
 {"type": "collection", "slug": "iiif-hidden", "access": "private",
  "titles": [{"text": "Zorzaloculta", "lang": "es"}],
  "relations": [{"type": "part_of", "to": "miners-film-workshop-1983"}]}
]}
JSON
cli import "$W/nested.json"
cli ingest --to iiif-titled --role access --no-derive "$M/access.mp4"
# 150 lines that say "mina", for the pages of Content Search
{
	printf 'WEBVTT\n'
	for i in $(seq 0 149); do
		printf '\n00:%02d:%02d.000 --> 00:%02d:%02d.500\nmina %d\n' $((i / 60)) $((i % 60)) $((i / 60)) $((i % 60)) "$i"
	done
} >"$M/many.vtt"
cli subtitle iiif-titled --lang qu "$M/many.vtt"
# the public document is part of the inner collection too
sql "INSERT INTO relation (from_id, ord, type, to_id) SELECT r.id, 99, 'part_of', c.id FROM record r, record c WHERE r.slug = '$DOC' AND c.slug = 'iiif-inner'"
printf '%s\n' "$PW" | "$BIN" -a "$A" user add member1 --role community --password-stdin >/dev/null 2>&1
printf '%s\n' "$PW" | "$BIN" -a "$A" user add admin1 --role admin --password-stdin >/dev/null 2>&1

server_start "$A" || exit 1
ANON=-
COMM=$W/jar.community
ADMIN=$W/jar.admin
login "$COMM" member1
login "$ADMIN" admin1

# ---- a film's manifest -----------------------------------------------------

echo "== a film's manifest"
http $ANON /iiif/manifest/$PUBLIC
keep public-work
same "GET /iiif/manifest/$PUBLIC: 200" "$STATUS" 200
same "  ... as IIIF JSON-LD" "$(header Content-Type)" 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
same "  ... with Access-Control-Allow-Origin: * (anonymous, public)" "$(header Access-Control-Allow-Origin)" '*'
same "  ... its id is its own absolute address" "$(js .id)" "$BASE/iiif/manifest/$PUBLIC"
same "  ... labelled by its title, in its language" "$(js .label.es[0])" "Doña Helena Palliri"
same "  ... a summary in Spanish and English" "$(js '.summary | keys | sort | join(",")')" "en,es"
same "  ... its year and director in the metadata" \
	"$(js '[.metadata[] | select(.label.en[0] == "Year" or .label.en[0] == "Director") | .value.none[0]] | join(",")')" "1983,César Alarcón"
same "  ... requiredStatement: held by the archive" "$(js .requiredStatement.label.en[0])" "Held by"
same "  ... rights: the catalogue's RightsStatements.org address" "$(js .rights)" "http://rightsstatements.org/vocab/InC-EDU/1.0/"
same "  ... seeAlso: the record as PBCore, from OAI-PMH" "$(js '.seeAlso[1] | [.type, .format, .label.none[0]] | join(" ")')" "Dataset application/xml PBCore"
PBCORE_URL=$(js .seeAlso[1].id)
check "  ... which gives the record's pbcoreDescriptionDocument" "$PBCORE_URL" \
	eval 'curl -s -g --noproxy "*" "$PBCORE_URL" | grep -q "<pbcoreDescriptionDocument"' 
same "  ... and its statement in metadata, in es and en" \
	"$(js '[.metadata[] | select(.label.en[0] == "Rights") | .value | keys[]] | sort | join(",")')" "en,es"
same "  ... homepage: the work page" "$(js .homepage[0].id) $(js .homepage[0].format)" "$BASE/work/$PUBLIC text/html"
PUBLIC_ID=$(sql "SELECT id FROM record WHERE slug = '$PUBLIC'")
same "  ... seeAlso: the record in the JSON API" "$(js .seeAlso[0].id) $(js .seeAlso[0].format)" \
	"$BASE/api/v1/records/$PUBLIC_ID application/json"
same "  ... one canvas, 320x240, 4 s long (the technical metadata)" \
	"$(js '.items | length') $(js '.items[0].width') $(js '.items[0].height') $(js '.items[0].duration')" "1 320 240 4"
same "  ... painted with the access copy: Video, video/mp4, its duration and size" \
	"$(js '.items[0].items[0].items[0] | [.motivation, .body.type, .body.format, .body.duration, .body.width, .target] | join(" ")')" \
	"painting Video video/mp4 4 320 $BASE/iiif/manifest/$PUBLIC/canvas/1"
media=$(js '.items[0].items[0].items[0].body.id')
same "  ... whose bytes are the access copy's" "$(curl -s "$media" | sha256sum | cut -d' ' -f1)" "$(sha256sum <"$M/access.mp4" | cut -d' ' -f1)"
same "  ... captions: one supplementing annotation, a Choice of es then en (0074)" \
	"$(js '.items[0].annotations[0].items[0] | [.motivation, .body.type, (.body.items | map(.language + ":" + .format) | join(","))] | join(" ")')" \
	"supplementing Choice es:text/vtt,en:text/vtt"
same "  ... each labelled in its own language" "$(js '.items[0].annotations[0].items[0].body.items[1].label.en[0]')" "English"
vtt=$(js '.items[0].annotations[0].items[0].body.items[0].id')
same "  ... the Spanish track is the WebVTT stored" "$(curl -s "$vtt" | head -1)" "WEBVTT"
curl -s -D "$W/vtt.h" -o /dev/null "$vtt"
same "  ... sent with Access-Control-Allow-Origin: * (public)" "$(header Access-Control-Allow-Origin "$W/vtt.h")" '*'
curl -s -D "$W/media.h" -o /dev/null -r 0-99 "$media"
same "  ... the film too" "$(header Access-Control-Allow-Origin "$W/media.h")" '*'
same "  ... the poster as thumbnail, an image/jpeg" "$(js '.thumbnail[0].type + " " + .thumbnail[0].format')" "Image image/jpeg"
same "  ... and as placeholderCanvas, painted with it" \
	"$(js '.items[0].placeholderCanvas.items[0].items[0].body.id == .thumbnail[0].id')" true
same "  ... the transcripts as renderings, text/vtt" "$(js '[.rendering[].format] | join(",")')" "text/vtt,text/vtt"
same "  ... Content Search and its autocomplete as services" \
	"$(js '.service[0].type + " " + .service[0].id + " " + .service[0].service[0].type')" \
	"SearchService2 $BASE/iiif/search/$PUBLIC AutoCompleteService2"
check "  ... no start unless asked for" "$(js .start)" test "$(js .start)" = null

http $ANON "/iiif/manifest/$PUBLIC?t=2.5"
keep public-work-start
same "?t=2.5: start at a PointSelector on the canvas (0015)" \
	"$(js '.start | [.type, .source, .selector.type, .selector.t] | join(" ")')" \
	"SpecificResource $BASE/iiif/manifest/$PUBLIC/canvas/1 PointSelector 2.5"
http $ANON "/iiif/manifest/$PUBLIC?t=soon"
same "?t=soon: 400, as JSON saying what t= is" "$STATUS $(js .error)" \
	"400 t= is a moment in the film: seconds (95 or 95.5), or m:ss or h:mm:ss"
http $ANON /iiif/manifest/$PUBLIC -H 'Host: films.example.org'
same "without base_url, ids come from the request's Host" "$(js .id)" "http://films.example.org/iiif/manifest/$PUBLIC"
http $ANON /iiif/manifest/$PUBLIC -H 'Host: bad"host'
same "  ... a Host that is no host name is not used" "$(js .id)" "http://localhost/iiif/manifest/$PUBLIC"

http $ANON /work/$PUBLIC
check "the work page links its manifest" "no link" grep -qF "href=\"/iiif/manifest/$PUBLIC\"" "$W/body"
http $ANON /work/nanook-of-the-north
check "  ... a work without a film does not" "a link" eval '! grep -q "/iiif/manifest/" "$W/body"'
http $ANON /iiif/manifest/nanook-of-the-north
same "  ... and has no manifest: 404 as JSON" "$STATUS $(js .status)" "404 404"

http $ANON /iiif/manifest/iiif-titled
keep titled
same "a label holds one title per language, the first" "$(js '.label | to_entries | map(.key + ":" + (.value | join("|"))) | join(" ")')" \
	"es:Película de prueba en:Test film"
same "  ... the others are metadata, in their language" \
	"$(js '.metadata[] | select(.label.en[0] == "Other titles") | .value.es | join("|")')" "Otra forma del título"
same "  ... a film ingested without derivatives has no poster, no thumbnail" "$(js '.thumbnail // "none"') $(js '.items[0].placeholderCanvas // "none"')" "none none"

# ---- a document's manifest ------------------------------------------------

echo "== a document's manifest"
http $ANON /iiif/manifest/$DOC
keep public-doc
same "GET /iiif/manifest/$DOC: 200" "$STATUS" 200
same "  ... one image canvas per page, at each page's size" \
	"$(js '[.items[] | "\(.width)x\(.height):\(.items[0].items[0].body.type):\(.items[0].items[0].body.format)"] | join(" ")')" \
	"200x150:Image:image/png 300x400:Image:image/png"
http $ANON /document/$DOC
check "  ... linked from the document page" "no link" grep -qF "href=\"/iiif/manifest/$DOC\"" "$W/body"

# ---- collections ----------------------------------------------------------

echo "== collections"
http $ANON /iiif/collection
keep archive
same "GET /iiif/collection: the whole archive, 200" "$STATUS $(js .type)" "200 Collection"
same "  ... its top collections and the film in none, not the nested collection" \
	"$(js '[.items[] | .id | ltrimstr("'"$BASE"'/iiif/")] | sort | join(" ")')" \
	"collection/miners-film-workshop-1983 collection/paper-trail collection/related-works manifest/iiif-titled"
http $ANON /iiif/collection/miners-film-workshop-1983
keep workshop
same "a collection lists its collection then the films with a manifest" \
	"$(js '[.items[] | .type + ":" + (.id | ltrimstr("'"$BASE"'/iiif/"))] | join(" ")')" \
	"Collection:collection/iiif-inner Manifest:manifest/$PUBLIC Manifest:manifest/$LOCKED"
http $ANON /iiif/collection/iiif-inner
keep inner
same "  ... the nested one its document" "$(js '[.items[].id] | join(" ")')" "$BASE/iiif/manifest/$DOC"
same "  ... labelled in both languages" "$(js '.label.en[0] + " / " + .label.es[0]')" "Inner collection / Colección interior"
http $ANON /iiif/collection/iiif-hidden
same "a private collection: 404 for anonymous" "$STATUS" 404
http "$ADMIN" /iiif/collection/miners-film-workshop-1983
keep workshop-admin
check "  ... listed, with the community and private films, for an administrator" "$(js '[.items[].id] | join(" ")')" \
	eval '[[ $(js "[.items[].id] | join(\" \")") == *iiif/collection/iiif-hidden* ]]'
same "  ... and no Access-Control-Allow-Origin on what was made for an account" "$(header Access-Control-Allow-Origin)" ""

# ---- access ---------------------------------------------------------------

echo "== access"
# principal: manifest of public, community, private work, registered doc
for row in "anonymous - 200 404 404 404" "community $COMM 200 200 404 200" "admin $ADMIN 200 200 200 200"; do
	read -r who jar want_pub want_comm want_priv want_reg <<<"$row"
	http "$jar" /iiif/manifest/nonexistent-slug
	missing=$(cat "$W/body")
	for pair in "$PUBLIC:$want_pub" "$COMMUNITY:$want_comm" "$PRIVATE:$want_priv" "$REGDOC:$want_reg"; do
		slug=${pair%%:*} want=${pair#*:}
		for svc in manifest search autocomplete; do
			http "$jar" "/iiif/$svc/$slug?q=mina"
			if [[ $want == 404 ]]; then
				check "$who: /iiif/$svc/$slug is the 404 of a missing slug" "HTTP $STATUS: $(head -c 200 "$W/body")" \
					eval '[[ $STATUS == 404 && $(cat "$W/body") == "$missing" ]]'
			else
				same "$who: /iiif/$svc/$slug 200" "$STATUS" 200
			fi
			[[ $svc == manifest && $STATUS == 200 && $slug != "$PUBLIC" ]] && keep "$who-$slug"
			if [[ $svc == manifest && $STATUS == 200 && $slug != "$PUBLIC" ]]; then
				same "  ... $slug (not everyone's): no PBCore seeAlso, which OAI-PMH would not give" \
					"$(js '[.seeAlso[].label.none[0]] | join(",")')" "JSON"
			fi
			if [[ $who != anonymous ]]; then
				same "  ... no Access-Control-Allow-Origin for $who" "$(header Access-Control-Allow-Origin)" ""
			fi
		done
	done
done
http "$ADMIN" /iiif/manifest/$PRIVATE
priv_media=$(js '.items[0].items[0].items[0].body.id')
curl -s -b "$ADMIN" -D "$W/pm.h" -o /dev/null -r 0-9 "$priv_media"
same "a private film's bytes, to an administrator: no Access-Control-Allow-Origin" \
	"$(head -1 "$W/pm.h" | tr -d '\r' | cut -d' ' -f2) $(header Access-Control-Allow-Origin "$W/pm.h")" "206 "

# ---- Content Search 2.0 ---------------------------------------------------

echo "== content search"
http $ANON "/iiif/search/$PUBLIC?q=mina"
same "q=mina: 200, an AnnotationPage in the search context" "$STATUS $(js '.type + " " + ."@context"')" \
	"200 AnnotationPage http://iiif.io/api/search/2/context.json"
same "  ... with Access-Control-Allow-Origin: *" "$(header Access-Control-Allow-Origin)" '*'
same "  ... the two Spanish lines, in order, on the canvas at their moments" \
	"$(js '[.items[] | .motivation + "|" + .body.value + "|" + .body.language + "|" + .target] | join("\n")')" \
	"supplementing|La mina de Siglo XX, dijo Doña Helena.|es|$BASE/iiif/manifest/$PUBLIC/canvas/1#t=1,2.5
supplementing|La mina y la mina.|es|$BASE/iiif/manifest/$PUBLIC/canvas/1#t=2.5,3.25"
same "  ... one highlight per word found, prefix/exact/suffix exactly" \
	"$(js '[.annotations[0].items[] | .motivation + "|" + .target.selector[0].type + "|" + .target.selector[0].prefix + "|" + .target.selector[0].exact + "|" + .target.selector[0].suffix] | join("\n")')" \
	"highlighting|TextQuoteSelector|La |mina| de Siglo XX, dijo Doña Helena.
highlighting|TextQuoteSelector|La |mina| y la mina.
highlighting|TextQuoteSelector|La mina y la |mina|."
same "  ... each on its line's annotation" \
	"$(js '[.annotations[0].items[].target.source | ltrimstr("'"$BASE"'/iiif/manifest/'$PUBLIC'/")] | join(" ")')" \
	"$(js '[.items[0].id, .items[1].id, .items[1].id] | map(ltrimstr("'"$BASE"'/iiif/manifest/'$PUBLIC'/")) | join(" ")')"
http $ANON "/iiif/search/$PUBLIC?q=dona"
same "q=dona finds Doña in both languages (folded as the site's search)" \
	"$(js '[.items[].body.language] | join(",")')" "en,es"
same "  ... the highlight is the word as said" "$(js '[.annotations[0].items[].target.selector[0].exact] | join(",")')" "Doña,Doña"
http $ANON "/iiif/search/$PUBLIC?q=%22%29%20OR%20NEAR%28"
same "FTS5 syntax in q is plain text: no error, no hit" "$STATUS $(js '.items | length')" "200 0"
http $ANON "/iiif/search/$PUBLIC"
same "no q: an empty page" "$STATUS $(js '.items | length')" "200 0"
http $ANON "/iiif/search/$PUBLIC?q=mina&page=0"
same "page=0: 400 saying what page is" "$STATUS $(js .error)" "400 page= is a page number of the results: 1, 2, 3..."
for who in anonymous community admin; do
	case $who in anonymous) jar=- ;; community) jar=$COMM ;; admin) jar=$ADMIN ;; esac
	http "$jar" "/iiif/search/$LOCKED?q=zorzalarchivo"
	want=0
	[[ $who == admin ]] && want=1
	same "$who: a line of a private subtitle file of a public film: $want hits" "$STATUS $(js '.items | length')" "200 $want"
	http "$jar" "/iiif/autocomplete/$LOCKED?q=zorz"
	same "  ... and $want terms" "$STATUS $(js '.items | length')" "200 $want"
	http "$jar" "/iiif/manifest/$LOCKED"
	tracks=$(js '.items[0].annotations | length')
	same "  ... and the manifest shows its captions to $want" "$tracks" "$want"
done

http $ANON "/iiif/search/iiif-titled?q=mina"
same "150 hits: the first 100, partOf an AnnotationCollection of 150, next is page 2" \
	"$(js '[(.items | length), .partOf.type, .partOf.total, .startIndex, .next.id] | map(tostring) | join(" ")')" \
	"100 AnnotationCollection 150 0 $BASE/iiif/search/iiif-titled?q=mina&page=2"
http $ANON "/iiif/search/iiif-titled?q=mina&page=2"
same "  ... page 2: the other 50, from 100, the last (no next)" \
	"$(js '[(.items | length), .startIndex, .id, (.next // "none"), .items[0].body.value] | map(tostring) | join(" ")')" \
	"50 100 $BASE/iiif/search/iiif-titled?q=mina&page=2 none mina 100"
http $ANON "/iiif/search/iiif-titled?q=mina&page=3"
same "  ... page 3: none" "$STATUS $(js '.items | length')" "200 0"

echo "== autocomplete"
http $ANON "/iiif/autocomplete/$PUBLIC?q=mi"
same "q=mi: a TermPage of mina (3 times) and mine (once), most said first" \
	"$(js '.type + " " + ([.items[] | .value + ":" + (.total | tostring)] | join(","))')" "TermPage mina:3,mine:1"
same "  ... each with the search that finds it" "$(js .items[0].service[0].id)" "$BASE/iiif/search/$PUBLIC?q=mina"
same "  ... with Access-Control-Allow-Origin: *" "$(header Access-Control-Allow-Origin)" '*'

# ---- the validators -------------------------------------------------------

echo "== validated by the official schema and @iiif/parser"
printf '{"@context":"http://iiif.io/api/presentation/3/context.json","id":"http://x/m","type":"Manifest","label":"not a language map","items":[]}' >"$W/bad.json"
check "the validator rejects a manifest whose label is a plain string" "it accepted it" \
	eval '! node tests/iiif/validate.mjs "$W/bad.json" >/dev/null'
n=0
for f in "$W"/json/*.json; do
	n=$((n + 1))
	out=$(node tests/iiif/validate.mjs "$f" 2>&1)
	check "valid: $(basename "$f" .json)" "$out" test "${out:0:3}" = "ok "
done
check "every kind was validated (films, documents, collections: $n documents)" "$n" test "$n" -ge 12

server_stop || fail "the server stops cleanly" "see above"
check_summary iiif "$CINEMATECA"
