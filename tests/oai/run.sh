#!/usr/bin/env bash
# tests/oai/run.sh — OAI-PMH 2.0 at /oai, against the real binary.
#
#   tests/oai/run.sh
#   CINEMATECA=build/asan/cinemateca tests/oai/run.sh
#
# Makes the demo archive with the access matrix's fixture (records of every
# level) and 1200 generated public works, serves it, and checks: every
# response of every verb (GET and POST) against the official schemas with
# xmllint --nonet (tests/schemas/OAI-PMH-all.xsd for oai_dc, and
# tests/oai/OAI-PMH-pbcore.xsd, the same with PBCore 2.1 imported, for the
# pbcore payloads); Identify's fields; each error code for the arguments
# that call for it; sets (types, nested collections, a private collection
# absent); from/until; that only what an anonymous visitor may read is
# exposed, even to a logged-in administrator's cookie; that a record that
# stops being public (access set, delete) is reported as deleted while one
# never public is not reported at all; a full harvest through resumption
# tokens while another process adds, edits, unpublishes and deletes records,
# which must end with exactly the public set and the edits; and a harvest
# by a harvester written by others (Debian's libhttp-oai-perl, oai_pmh).
#
# Prints one line per check and ends with "oai: N passed, N failed"; writes
# the totals to build/results/oai (oai-asan under build/asan/).

set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
DC_XSD=tests/schemas/OAI-PMH-all.xsd
PB_XSD=tests/oai/OAI-PMH-pbcore.xsd

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-oai.XXXXXX")
[[ -n ${OAI_KEEP:-} ]] || at_exit rm -rf -- "$W"
A=$W/archive
REPO=cinemateca.example.org
# what an anonymous visitor may read, as the policy says it (policy.c)
PUBLIC="(access = 'public' OR (coalesce(embargo_until, '') <> '' AND embargo_until <= date('now')))"

cli() { "$BIN" -a "$A" "$@" >"$W/cli.out" 2>&1; }
cli_ok() {
	local name=$1
	shift
	if cli "$@"; then pass "$name"; else fail "$name" "exit $?: $(head -c 300 "$W/cli.out" | tr '\n' ' ')"; fi
}
sql() { sqlite3 "$A/catalog.db" "$1"; }
uuid_of() { sql "SELECT id FROM record WHERE slug = '$1'"; }

# oai NAME QUERY [CURL ARGS...]: GET /oai?QUERY into $W/body; a check that
# it is a 200 whose body validates (PBCore's wrapper when it asks pbcore).
oai() {
	local name=$1 query=$2 xsd=$DC_XSD
	shift 2
	[[ $query != *metadataPrefix=pbcore* ]] || xsd=$PB_XSD
	STATUS=$(curl -s -g --noproxy '*' --max-time 60 -o "$W/body" -D "$W/headers" \
		-w '%{http_code}' "$@" "$BASE/oai?$query") || STATUS=000
	if [[ $STATUS != 200 ]]; then
		fail "$name" "HTTP $STATUS: $(head -c 300 "$W/body")"
	elif ! xmllint --nonet --noout --schema "$xsd" "$W/body" 2>"$W/xmllint.err"; then
		fail "$name" "does not validate: $(head -c 600 "$W/xmllint.err")"
	else
		pass "$name"
	fi
}
# xp XPATH: the string value of XPATH (local names) in $W/body.
xp() { xmllint --xpath "string($1)" "$W/body" 2>/dev/null; }
# count XPATH: how many nodes match.
count() { xmllint --xpath "count($1)" "$W/body" 2>/dev/null; }
# error_is NAME CODE QUERY [CURL ARGS...]: the response validates and is error CODE.
error_is() {
	local name=$1 code=$2 query=$3
	shift 3
	oai "$name (validates)" "$query" "$@"
	same "$name" "$(xp "//*[local-name()='error']/@code")" "$code"
}

# ---- the archive ----------------------------------------------------------

if ! server_make_demo "$A"; then
	echo "error: could not make the demo archive" >&2
	exit 1
fi
printf 'base_url = https://%s/\nadmin_email = archive@example.org\ntitle = Cinemateca de Telamayu\n' \
	"$REPO" >>"$A/cinemateca.conf"
cli_ok "import the access fixture" import tests/access/fixture.json
python3 tests/oai/gen.py 1200 1 --collection matrix-collection >"$W/gen.json"
cli_ok "import 1200 generated public works" import "$W/gen.json"
# a nested collection: child (public) part of matrix-collection, holding one work
cat >"$W/nest.json" <<'EOF'
{"format": "cinemateca-import", "version": 1, "records": [
 {"type": "collection", "slug": "oai-child", "titles": [{"text": "Subcolección", "lang": "es"}],
  "access": "public", "relations": [{"type": "part_of", "to": "matrix-collection"}]},
 {"type": "work", "slug": "oai-nested-work", "titles": [{"text": "Obra anidada", "lang": "es"}],
  "access": "public", "relations": [{"type": "part_of", "to": "oai-child"}]},
 {"type": "work", "slug": "oai-never-public", "titles": [{"text": "Nunca pública", "lang": "es"}],
  "access": "private"}
]}
EOF
cli_ok "import a nested collection" import "$W/nest.json"
# a stored film on the public work, for PBCore's instantiation and its essence tracks
ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=320x240:rate=25:duration=2 \
	-f lavfi -i sine=frequency=440:sample_rate=48000:duration=2 \
	-c:v libx264 -pix_fmt yuv420p -c:a aac -shortest "$W/film.mp4" 2>"$W/ffmpeg.err"
cli_ok "ingest a film to matrix-public-work" ingest --to matrix-public-work --role access --no-derive "$W/film.mp4"
if ! server_start "$A"; then
	echo "error: the server did not start" >&2
	exit 1
fi
echo "server: $BASE (pid $SERVER_PID)"

PUBLIC_WORK=$(uuid_of matrix-public-work)
PRIVATE_WORK=$(uuid_of matrix-private-work)
NEVER=$(uuid_of oai-never-public)

# ---- Identify, ListMetadataFormats, ListSets ----------------------------

oai "Identify validates (with its oai-identifier description)" "verb=Identify"
same "Identify: repositoryName from cinemateca.conf" "$(xp "//*[local-name()='repositoryName']")" "Cinemateca de Telamayu"
same "Identify: adminEmail from cinemateca.conf" "$(xp "//*[local-name()='adminEmail']")" "archive@example.org"
same "Identify: baseURL from base_url" "$(xp "//*[local-name()='baseURL']")" "https://$REPO/oai"
same "Identify: deletedRecord persistent" "$(xp "//*[local-name()='deletedRecord']")" persistent
same "Identify: seconds granularity" "$(xp "//*[local-name()='granularity']")" "YYYY-MM-DDThh:mm:ssZ"
same "Identify: repositoryIdentifier is base_url's host" "$(xp "//*[local-name()='repositoryIdentifier']")" "$REPO"
same "Identify: earliestDatestamp is the change log's first" "$(xp "//*[local-name()='earliestDatestamp']")" \
	"$(sql "SELECT min(at) FROM change_log")"
same "Identify: Content-Type" "$(header Content-Type)" "text/xml; charset=utf-8"

oai "ListMetadataFormats validates" "verb=ListMetadataFormats"
same "ListMetadataFormats: oai_dc and pbcore" \
	"$(xmllint --xpath "//*[local-name()='metadataPrefix']/text()" "$W/body" | tr '\n' ' ')" "oai_dc pbcore "
oai "ListMetadataFormats for a public record validates" "verb=ListMetadataFormats&identifier=oai:$REPO:$PUBLIC_WORK"
same "ListMetadataFormats for a public record: two formats" "$(count "//*[local-name()='metadataFormat']")" 2

oai "ListSets validates" "verb=ListSets"
check "ListSets: type:work" "missing" grep -q '<setSpec>type:work</setSpec>' "$W/body"
check "ListSets: the public collection" "missing" grep -q '<setSpec>collection:matrix-collection</setSpec>' "$W/body"
check "ListSets: the nested collection as parent:child" "missing" \
	grep -q '<setSpec>collection:matrix-collection:oai-child</setSpec>' "$W/body"
check "ListSets: no private collection" "it is listed" \
	bash -c "! grep -qi 'matrix-private-collection\|Zorzalcoleccion' '$W/body'"

# ---- GetRecord --------------------------------------------------------------

oai "GetRecord oai_dc of a public work validates" "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:$REPO:$PUBLIC_WORK"
check "GetRecord oai_dc: its title" "$(head -c 300 "$W/body")" grep -q 'Zorzalpublico' "$W/body"
check "GetRecord oai_dc: its page as identifier" "missing" \
	grep -q "<dc:identifier>https://$REPO/work/matrix-public-work</dc:identifier>" "$W/body"
check "GetRecord oai_dc: no private agent's or place's name" "leaked" \
	bash -c "! grep -qi 'Zorzalagente\|Zorzallugar\|Zorzalcoleccion' '$W/body'"
# a demo work's rights: the licence's address, then its statement by language
DH=$(uuid_of dona-helena-palliri)
oai "GetRecord oai_dc of a work with rights validates" "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:$REPO:$DH"
same "  ... dc:rights: the rights statement's address, then its words in es and en" \
	"$(xmllint --xpath "//*[local-name()='rights']" "$W/body" 2>/dev/null | sed 's/>[^<]*</></g' | tr -d '\n')" \
	'<dc:rights></dc:rights><dc:rights xml:lang="es"></dc:rights><dc:rights xml:lang="en"></dc:rights>'
same "  ... the address first" "$(xp "(//*[local-name()='rights'])[1]")" "http://rightsstatements.org/vocab/InC-EDU/1.0/"
oai "GetRecord pbcore of a work with rights validates" "verb=GetRecord&metadataPrefix=pbcore&identifier=oai:$REPO:$DH"
same "  ... PBCore: the address as rightsLink" "$(xp "//*[local-name()='rightsLink']")" "http://rightsstatements.org/vocab/InC-EDU/1.0/"
same "  ... and the statements as rightsSummary with their language" \
	"$(count "//*[local-name()='rightsSummary'][starts-with(@annotation, 'language: ')]")" 2
oai "GetRecord pbcore of a public work validates (PBCore 2.1)" "verb=GetRecord&metadataPrefix=pbcore&identifier=oai:$REPO:$PUBLIC_WORK"
same "GetRecord pbcore: one pbcoreDescriptionDocument" "$(count "//*[local-name()='pbcoreDescriptionDocument']")" 1
same "GetRecord pbcore: the UUID as identifier with its source" \
	"$(xp "//*[local-name()='pbcoreIdentifier'][@source='UUID']")" "$PUBLIC_WORK"
same "GetRecord pbcore: an instantiation for the stored film" \
	"$(xp "//*[local-name()='instantiationDigital']")" "video/mp4"
same "GetRecord pbcore: an essence track per stream (video, audio)" \
	"$(xmllint --xpath "//*[local-name()='essenceTrackType']/text()" "$W/body" 2>/dev/null | tr '\n' ' ')" "Video Audio "
check "GetRecord pbcore: the film's frame size and duration" "$(head -c 300 "$W/body")" \
	grep -q '<essenceTrackFrameSize unitsOfMeasure="pixels">320x240</essenceTrackFrameSize>.*\|<instantiationDuration>00:00:0[12]' "$W/body"
same "GetRecord pbcore: its location is the file's /media address" \
	"$(xp "//*[local-name()='instantiationLocation'][contains(.,'/media/')]" | sed 's|/media/.*|/media/|')" "https://$REPO/media/"
# the PBCore payload alone, as a BagIt export would write it
xmllint --xpath "//*[local-name()='pbcoreDescriptionDocument']" "$W/body" >"$W/pb.xml" 2>/dev/null
check "GetRecord pbcore: the payload alone validates against pbcore-2.1.xsd" "$(xmllint --nonet --noout --schema tests/schemas/pbcore-2.1.xsd "$W/pb.xml" 2>&1 | head -c 300)" \
	xmllint --nonet --noout --schema tests/schemas/pbcore-2.1.xsd "$W/pb.xml"
oai "GetRecord by urn:uuid validates" "verb=GetRecord&metadataPrefix=oai_dc&identifier=urn:uuid:$PUBLIC_WORK"
same "GetRecord by urn:uuid: the record" "$(count "//*[local-name()='record']")" 1

# ---- errors -------------------------------------------------------------------

error_is "no verb: badVerb" badVerb "metadataPrefix=oai_dc"
error_is "an unknown verb: badVerb" badVerb "verb=Harvest"
error_is "a repeated verb: badArgument" badArgument "verb=Identify&verb=Identify"
error_is "Identify with an argument: badArgument" badArgument "verb=Identify&set=type:work"
same "badArgument: the request element has no attributes" "$(count "//*[local-name()='request']/@*")" 0
error_is "ListRecords without metadataPrefix: badArgument" badArgument "verb=ListRecords"
error_is "GetRecord without identifier: badArgument" badArgument "verb=GetRecord&metadataPrefix=oai_dc"
error_is "a repeated argument: badArgument" badArgument "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=pbcore"
error_is "a bad from: badArgument" badArgument "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-13-01"
error_is "from with a time zone: badArgument" badArgument "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-01-02T10:00:00%2B01:00"
error_is "from and until of two granularities: badArgument" badArgument \
	"verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-01-01&until=2030-01-01T00:00:00Z"
error_is "from after until: badArgument" badArgument "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2030-01-01&until=2020-01-01"
error_is "resumptionToken with another argument: badArgument" badArgument \
	"verb=ListIdentifiers&metadataPrefix=oai_dc&resumptionToken=x"
error_is "an unknown metadataPrefix: cannotDisseminateFormat" cannotDisseminateFormat "verb=ListRecords&metadataPrefix=marc21"
same "cannotDisseminateFormat: the request echoes its arguments" "$(xp "//*[local-name()='request']/@metadataPrefix")" marc21
error_is "GetRecord in an unknown format: cannotDisseminateFormat" cannotDisseminateFormat \
	"verb=GetRecord&metadataPrefix=marc21&identifier=oai:$REPO:$PUBLIC_WORK"
error_is "GetRecord of a made-up identifier: idDoesNotExist" idDoesNotExist \
	"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:$REPO:01890a5d-ac96-774b-bcce-b302099a8057"
error_is "GetRecord of another repository's identifier: idDoesNotExist" idDoesNotExist \
	"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.org:$PUBLIC_WORK"
error_is "ListMetadataFormats of a made-up identifier: idDoesNotExist" idDoesNotExist \
	"verb=ListMetadataFormats&identifier=nonsense"
error_is "a made-up resumptionToken: badResumptionToken" badResumptionToken "verb=ListRecords&resumptionToken=garbage"
error_is "an expired resumptionToken: badResumptionToken" badResumptionToken \
	"verb=ListRecords&resumptionToken=1.oai_dc.....10.250.1200.1000000000"
error_is "a ListSets resumptionToken: badResumptionToken" badResumptionToken "verb=ListSets&resumptionToken=1"
error_is "from in the future: noRecordsMatch" noRecordsMatch "verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01"
error_is "until before the first change: noRecordsMatch" noRecordsMatch "verb=ListIdentifiers&metadataPrefix=oai_dc&until=1999-12-31"
error_is "an unknown set: noRecordsMatch" noRecordsMatch "verb=ListIdentifiers&metadataPrefix=oai_dc&set=collection:nowhere"
error_is "a private collection's set: noRecordsMatch, as for no set" noRecordsMatch \
	"verb=ListIdentifiers&metadataPrefix=oai_dc&set=collection:matrix-private-collection"
# U+FFFF is UTF-8 but no XML character: echoed in the request element it
# would make the answer no XML document at all
error_is "an identifier holding U+FFFF: idDoesNotExist, still XML" idDoesNotExist \
	"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:$REPO:%EF%BF%BF"
error_is "POST with the arguments in the URL: badArgument" badArgument "verb=Identify" -X POST
# noSetHierarchy: this repository has sets; noMetadataFormats: every item
# has both formats. Neither condition can arise here.

# ---- POST -------------------------------------------------------------------

STATUS=$(curl -s --noproxy '*' -o "$W/body" -w '%{http_code}' --data 'verb=GetRecord&metadataPrefix=oai_dc' \
	--data-urlencode "identifier=oai:$REPO:$PUBLIC_WORK" "$BASE/oai") || STATUS=000
check "POST GetRecord validates" "HTTP $STATUS $(head -c 200 "$W/body")" \
	xmllint --nonet --noout --schema "$DC_XSD" "$W/body"
same "POST GetRecord: the record" "$(count "//*[local-name()='record']")" 1

# ---- sets, from, until ----------------------------------------------------

oai "ListIdentifiers set=type:collection validates" "verb=ListIdentifiers&metadataPrefix=oai_dc&set=type:collection"
same "set=type:collection: only collections" "$(count "//*[local-name()='header'][not(*[local-name()='setSpec']='type:collection')]")" 0
oai "ListIdentifiers of the nested set validates" "verb=ListIdentifiers&metadataPrefix=oai_dc&set=collection:matrix-collection:oai-child"
same "the nested set: its one work" "$(count "//*[local-name()='header']")" 1
same "the nested work's header names its set as parent:child" \
	"$(xp "//*[local-name()='setSpec'][starts-with(.,'collection:')]")" "collection:matrix-collection:oai-child"
python3 tests/oai/harvest.py "$BASE/oai" ListIdentifiers oai_dc "$W/parent" --set collection:matrix-collection >"$W/parent.txt"
check "the parent set holds its sub-collection's work" "missing" grep -q "$(uuid_of oai-nested-work)" "$W/parent.txt"
LAST=$(sql "SELECT max(at) FROM change_log")
oai "ListIdentifiers from the last change validates" "verb=ListIdentifiers&metadataPrefix=oai_dc&from=$LAST"
check "from: only records changed since" "$(count "//*[local-name()='header']") headers" \
	test "$(count "//*[local-name()='header'][*[local-name()='datestamp'] < '$LAST']")" = 0

# ---- only what anyone may read ----------------------------------------------

python3 tests/oai/harvest.py "$BASE/oai" ListIdentifiers oai_dc "$W/anon" >"$W/anon.txt"
check "the harvest has no never-public record" "listed" bash -c "! grep -q '$PRIVATE_WORK\|$NEVER' '$W/anon.txt'"
WANT=$(sql "SELECT count(*) FROM record WHERE $PUBLIC")
same "the harvest is the public records" "$(grep -c $'\tlive\t' "$W/anon.txt")" "$WANT"
error_is "GetRecord of a private work: idDoesNotExist, as a made-up one" idDoesNotExist \
	"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:$REPO:$PRIVATE_WORK"
error_is "GetRecord of the embargoed document: idDoesNotExist" idDoesNotExist \
	"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:$REPO:$(uuid_of matrix-embargoed-doc)"
oai "GetRecord of the opened document (embargo over) validates" \
	"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:$REPO:$(uuid_of matrix-opened-doc)"
same "the opened document is live" "$(count "//*[local-name()='header'][not(@status)]")" 1
# an administrator's session changes nothing: a harvester is anonymous
printf 'correct horse battery\n' | "$BIN" -a "$A" user add oaiadmin --role admin --password-stdin >/dev/null 2>&1
curl -s --noproxy '*' -c "$W/jar" -o "$W/login.html" "$BASE/login"
CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$W/login.html" | head -1 | sed 's/.*value="//; s/"//')
curl -s --noproxy '*' -b "$W/jar" -c "$W/jar" -o /dev/null --data-urlencode name=oaiadmin \
	--data-urlencode 'password=correct horse battery' --data-urlencode "csrf=$CSRF" "$BASE/login"
check "the administrator is logged in" "no session cookie" grep -q 'sid' "$W/jar"
error_is "GetRecord of a private work with an admin's cookie: idDoesNotExist" idDoesNotExist \
	"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:$REPO:$PRIVATE_WORK" -b "$W/jar"
# a viewer granted the private work: its session holds grants, which the
# harvester's anonymous reading must give back (ASan: no leak at exit)
printf 'correct horse battery\n' | "$BIN" -a "$A" user add oaiviewer --role viewer --password-stdin >/dev/null 2>&1
cli_ok "grant oaiviewer matrix-private-work" grant oaiviewer matrix-private-work
curl -s --noproxy '*' -c "$W/jar2" -o "$W/login.html" "$BASE/login"
CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$W/login.html" | head -1 | sed 's/.*value="//; s/"//')
curl -s --noproxy '*' -b "$W/jar2" -c "$W/jar2" -o /dev/null --data-urlencode name=oaiviewer \
	--data-urlencode 'password=correct horse battery' --data-urlencode "csrf=$CSRF" "$BASE/login"
error_is "GetRecord of a private work with its grantee's cookie: idDoesNotExist" idDoesNotExist \
	"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:$REPO:$PRIVATE_WORK" -b "$W/jar2"
oai "ListSets with an admin's cookie validates" "verb=ListSets" -b "$W/jar"
check "ListSets with an admin's cookie: no private collection" "listed" \
	bash -c "! grep -q 'matrix-private-collection' '$W/body'"

# ---- records that stop being public ---------------------------------------

cli_ok "access set matrix-public-work private" access set matrix-public-work private
oai "GetRecord of the unpublished work validates" "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:$REPO:$PUBLIC_WORK"
same "the unpublished work is reported deleted" "$(xp "//*[local-name()='header']/@status")" deleted
same "a deleted record has no metadata" "$(count "//*[local-name()='metadata']")" 0
cli_ok "delete gen-work-7" delete gen-work-7 --reason "test: OAI tombstone"
G7=$(sql "SELECT record_id FROM tombstone WHERE slug = 'gen-work-7'")
oai "GetRecord of the deleted work validates" "verb=GetRecord&metadataPrefix=pbcore&identifier=oai:$REPO:$G7"
same "the deleted work is reported deleted" "$(xp "//*[local-name()='header']/@status")" deleted
cli_ok "delete the never-public work" delete oai-never-public --reason "test"
error_is "a deleted never-public record stays unknown" idDoesNotExist \
	"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:$REPO:$NEVER"

# ---- a full harvest while the catalogue changes ------------------------------
#
# ListRecords comes in pages of 500: after page 1 the other process adds 50
# works, edits 20 (gen 1-20), unpublishes 20 (gen 101-120) and deletes 20
# (gen 201-220), and the harvest goes on only once it is done.

python3 tests/oai/gen.py 50 5001 >"$W/add.json"
python3 tests/oai/gen.py 20 1 --collection matrix-collection --note oaieditado >"$W/edit.json"
(
	while [[ ! -f $W/page1 ]]; do sleep 0.05; done
	"$BIN" -a "$A" import "$W/add.json" >"$W/mut.out" 2>&1
	"$BIN" -a "$A" import "$W/edit.json" >>"$W/mut.out" 2>&1
	for k in $(seq 101 120); do "$BIN" -a "$A" access set "gen-work-$k" private >>"$W/mut.out" 2>&1; done
	for k in $(seq 201 220); do "$BIN" -a "$A" delete "gen-work-$k" --reason "test: during a harvest" >>"$W/mut.out" 2>&1; done
	touch "$W/mutated"
) &
MUT=$!
for fmt in oai_dc pbcore; do
	rm -f "$W/page1"
	if [[ $fmt == oai_dc ]]; then
		python3 tests/oai/harvest.py "$BASE/oai" ListRecords oai_dc "$W/h-$fmt" \
			--signal-after 1 "$W/page1" --wait-after 1 "$W/mutated" >"$W/h-$fmt.txt" 2>"$W/h-$fmt.err"
	else	# the same again in PBCore, by POST, once the changes are made
		python3 tests/oai/harvest.py "$BASE/oai" ListRecords pbcore "$W/h-$fmt" --post \
			>"$W/h-$fmt.txt" 2>"$W/h-$fmt.err"
	fi
	same "$fmt harvest: the harvester saw a correct list" "$(cat "$W/h-$fmt.err")" ""
	wait "$MUT" 2>/dev/null
	bad=0 pages=0
	xsd=$DC_XSD
	[[ $fmt == oai_dc ]] || xsd=$PB_XSD
	for f in "$W/h-$fmt"/page-*.xml; do
		pages=$((pages + 1))
		xmllint --nonet --noout --schema "$xsd" "$f" 2>>"$W/h-$fmt.xmllint" || bad=$((bad + 1))
	done
	same "$fmt harvest: all $pages pages validate" "$bad" 0
	check "$fmt harvest: in several pages" "$pages pages" test "$pages" -ge 3
	# the harvester's copy: each identifier's last state
	awk -F'\t' '{ st[$1] = $2; tx[$1] = $4 } END { for (i in st) if (st[i] == "live") print i "\t" tx[i] }' \
		"$W/h-$fmt.txt" | sort >"$W/copy-$fmt.txt"
	sql "SELECT 'oai:$REPO:' || id FROM record WHERE $PUBLIC" |
		sort >"$W/public.txt"
	same "$fmt harvest: ends with exactly the public set" \
		"$(cut -f1 "$W/copy-$fmt.txt" | diff - "$W/public.txt" | head -5 | tr '\n' ' ')" ""
	same "$fmt harvest: the 20 edits arrived" "$(grep -c oaieditado "$W/copy-$fmt.txt")" 20
	same "$fmt harvest: the 50 added works arrived" "$(grep -cE 'generada (50[0-4][0-9]|5050) ' "$W/copy-$fmt.txt")" 50
	n=$(awk -F'\t' '$2 == "deleted"' "$W/h-$fmt.txt" | cut -f1 | sort -u | wc -l)
	check "$fmt harvest: the 40 unpublished and deleted reported deleted" "$n deleted" test "$n" -ge 40
done
same "the changes were all made" "$(grep -ci 'error\|refused' "$W/mut.out")" 0

# ---- a harvester written by others -----------------------------------------

if command -v oai_pmh >/dev/null; then
	timeout 300 oai_pmh -X ListIdentifiers --metadataPrefix oai_dc "$BASE/oai" >"$W/perl.txt" 2>"$W/perl.err"
	rc=$?
	same "HTTP::OAI's oai_pmh harvests ListIdentifiers to the end" "$rc $(head -c 200 "$W/perl.err")" "0 "
	n=$(grep -a -c '^.\?identifier: ' "$W/perl.txt")
	all=$(python3 tests/oai/harvest.py "$BASE/oai" ListIdentifiers oai_dc "$W/again" | wc -l)
	same "oai_pmh: every header, through the resumption tokens" "$n" "$all"
	timeout 300 oai_pmh -X ListRecords --metadataPrefix oai_dc --set collection:matrix-collection:oai-child \
		"$BASE/oai" >"$W/perl2.txt" 2>"$W/perl2.err"
	check "oai_pmh: ListRecords of a nested set has its work" "$(head -c 300 "$W/perl2.err")" \
		grep -q 'Obra anidada' "$W/perl2.txt"
else
	fail "HTTP::OAI's oai_pmh harvests" "oai_pmh is missing: tools/deps.sh installs libhttp-oai-perl"
fi

check "the server is still running" "it died" server_alive
server_stop || fail "the server stops cleanly" "see above"
check_summary oai "$CINEMATECA"
