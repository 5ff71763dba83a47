#!/usr/bin/env bash
# tests/labels/run.sh — Local Contexts labels and Notices against the real
# binary, a real catalogue and a real server on port 0.
#
# Imports a record with labels in the import format and a Local Contexts
# Hub project (tests/labels/hub-project.json, written from the Hub API
# v2's project shape) with `labels import`; checks `labels
# add|list|remove|tie|untie`, the export round trip (labels, translations
# and ties come back), hostile Hub files and import-format labels (null,
# wrong types, unknown label types, oversized: each refused with its
# reason, nothing written); and the record page in Spanish and English:
# each label's badge as text, its text in the visitor's language when a
# translation exists and the original marked with its language otherwise,
# who applied it, for an archivist whether a restricting label is tied
# (and for a visitor nothing of that), every page through vnu; and the
# labels in the record's IIIF manifest (a metadata entry each, and in
# requiredStatement; validated with the official schema as tests/iiif
# does), in OAI-PMH (dc:rights and PBCore rightsSummary, in each language;
# validated with xmllint against the official schemas as tests/oai does)
# and in the JSON API (checked against the OpenAPI document).
#
# Prints one line per check and ends with "labels: N passed, N failed";
# writes the totals to build/results/labels (labels-asan under build/asan/).

# shellcheck disable=SC2016
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
VNU_JAR=tests/node_modules/vnu-jar/build/dist/vnu.jar
HUB=tests/labels/hub-project.json
WORK=dona-helena-palliri		# a public work of the demo
PW='correct horse battery'

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-labels.XXXXXX")
at_exit rm -rf -- "$W"
A=$W/archive
mkdir -p "$W/pages"

for tool in curl jq sqlite3 java python3 node xmllint ffmpeg; do
	command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done
[[ -f $VNU_JAR ]] || { echo "error: $VNU_JAR is missing: cd tests && npm ci" >&2; exit 1; }

sql() { sqlite3 "$A/catalog.db" "$@"; }
# run NAME STATUS PATTERN ARGS...: the command line on the archive must
# exit with STATUS and say something matching PATTERN (empty: anything).
run() {
	local name=$1 want=$2 pat=$3 out rc
	shift 3
	out=$("$BIN" -a "$A" "$@" 2>&1)
	rc=$?
	if [[ $rc -ne $want ]]; then
		fail "$name" "exit $rc, expected $want: $(head -c 400 <<<"$out" | tr '\n' ' ')"
	elif [[ -n $pat ]] && ! grep -qE -- "$pat" <<<"$out"; then
		fail "$name" "output lacks /$pat/: $(head -c 400 <<<"$out" | tr '\n' ' ')"
	else
		pass "$name"
	fi
}
# http JAR PATH [CURL ARGS...]: GET; body in $W/body, STATUS.
http() {
	local cj=$1 path=$2
	shift 2
	local args=(-s -g --noproxy '*' --max-time 20 -o "$W/body" -D "$W/headers" -w '%{http_code}')
	[[ $cj == - ]] || args+=(-b "$cj" -c "$cj")
	STATUS=$(curl "${args[@]}" "$@" "$BASE$path" 2>/dev/null) || true
	[[ -n $STATUS ]] || STATUS=000
}
login() {
	local cj=$1 name=$2 csrf
	http "$cj" /login
	csrf=$(form_csrf "$W/body")
	http "$cj" /login --data-urlencode "name=$name" --data-urlencode "password=$PW" \
		--data-urlencode "csrf=$csrf"
}
labels_count() { sql "SELECT count(*) FROM label l JOIN record r ON r.id = l.record_id WHERE r.slug = '$1'"; }

server_make_demo "$A" || exit 1
printf '%s\n' "$PW" | "$BIN" -a "$A" user add arch1 --role archivist --password-stdin >/dev/null 2>&1
"$BIN" -a "$A" group add anata-keepers >/dev/null 2>&1

# ---- the import format ----------------------------------------------------

cat >"$W/rec.json" <<'JSON'
{"format": "cinemateca-import", "version": 1, "records": [
 {"type": "work", "slug": "labels-anata", "access": "public",
  "titles": [{"text": "Zorzalanata: el carnaval", "lang": "es"}],
  "labels": [
   {"kind": "tk", "type": "seasonal", "community": "Comité de Amas de Casa de Siglo XX",
    "name": "TK Seasonal", "text": "Shown only in the carnival season.", "lang": "en",
    "translations": [{"lang": "es", "name": "TK Estacional", "text": "Se muestra solo en la temporada del carnaval."}],
    "project": "6c0f8e52-3a7d-4c1e-9b8f-2d4a5e6f7a81", "tie": {"months": [2, 3]}},
   {"kind": "tk", "type": "community_use_only", "community": "Comité de Amas de Casa de Siglo XX",
    "text": "Para uso de la comunidad <b>y sus familias</b>.", "lang": "es",
    "tie": {"group": "anata-keepers"}},
   {"kind": "bc", "type": "provenance", "community": "Sindicato Minero de Siglo XX",
    "text": "Biocultural provenance.", "lang": "en"},
   {"kind": "notice", "type": "attribution_incomplete", "text": "Attribution is incomplete.", "lang": "en"}
  ]}
]}
JSON
run "import a record with labels" 0 "1 records created" import "$W/rec.json"
same "its four labels are stored" "$(labels_count labels-anata)" 4
same "its ties reach record.ties" "$(sql "SELECT ties FROM record WHERE slug = 'labels-anata'" | tr ',' '\n' | sed 's/^g.*/g/' | sort | tr '\n' ' ')" "g m2-3 "
"$BIN" -a "$A" export-json >"$W/export.json"
same "export gives the labels back" "$(jq -c '.records[] | select(.slug == "labels-anata") | .labels | map([.kind, .type, (.tie // null)])' "$W/export.json")" \
	'[["tk","seasonal",{"months":[2,3]}],["tk","community_use_only",{"group":"anata-keepers"}],["bc","provenance",null],["notice","attribution_incomplete",null]]'
same "export keeps the translation" "$(jq -r '.records[] | select(.slug == "labels-anata") | .labels[0].translations[0].name' "$W/export.json")" "TK Estacional"
same "a label with no name takes its published one" "$(jq -r '.records[] | select(.slug == "labels-anata") | .labels[1].name' "$W/export.json")" "TK Community Use Only"
run "importing the export again" 0 "records created" import "$W/export.json"
same "... and the ties stay" "$(sql "SELECT ties IS NOT NULL FROM record WHERE slug = 'labels-anata'")" 1

# hostile import-format labels: each refused with its reason, nothing written
bad_labels() {
	local name=$1 labels=$2 pat=$3
	printf '{"format":"cinemateca-import","version":1,"records":[{"type":"work","slug":"labels-bad","titles":[{"text":"x"}],"labels":%s}]}' "$labels" >"$W/bad.json"
	run "import-format labels: $name" 1 "$pat" import "$W/bad.json"
}
bad_labels "null" 'null' 'labels: is null'
bad_labels "not an array" '{"kind":"tk"}' 'labels: must be an array'
bad_labels "a label that is a text" '["seasonal"]' 'labels\[0\]: must be an object'
bad_labels "unknown label type" '[{"kind":"tk","type":"sacred_cow","community":"c","text":"t"}]' '"sacred_cow" is not a published tk type'
bad_labels "unknown kind" '[{"kind":"xx","type":"seasonal","community":"c","text":"t"}]' 'labels\[0\].kind: "xx" is not one of tk, bc, notice'
bad_labels "null text" '[{"kind":"tk","type":"seasonal","community":"c","text":null}]' 'labels\[0\].text: is null'
bad_labels "no community" '[{"kind":"tk","type":"seasonal","text":"t"}]' 'community: is required'
bad_labels "a number as text" '[{"kind":"tk","type":"seasonal","community":"c","text":5}]' 'text: must be a text'
bad_labels "tie on a label that restricts nothing" '[{"kind":"tk","type":"attribution","community":"c","text":"t","tie":{"community_members":true}}]' 'does not restrict access'
bad_labels "months on Community Use Only" '[{"kind":"tk","type":"community_use_only","community":"c","text":"t","tie":{"months":[1,2]}}]' 'months are for a Seasonal label'
bad_labels "month 13" '[{"kind":"tk","type":"seasonal","community":"c","text":"t","tie":{"months":[1,13]}}]' 'two months 1-12'
bad_labels "a group that does not exist" '[{"kind":"tk","type":"secret_sacred","community":"c","text":"t","tie":{"group":"nobody-here"}}]' 'no group "nobody-here"'
bad_labels "two rules in one tie" '[{"kind":"tk","type":"secret_sacred","community":"c","text":"t","tie":{"group":"anata-keepers","community_members":true}}]' 'must be one rule'
bad_labels "the same label twice" '[{"kind":"bc","type":"research","community":"c","text":"t"},{"kind":"bc","type":"research","community":"c","text":"u"}]' 'same label as labels\[0\]'
bad_labels "translation without its text" '[{"kind":"bc","type":"research","community":"c","text":"t","translations":[{"lang":"es","name":"n"}]}]' 'translations\[0\].text: is required'
bad_labels "unknown field" '[{"kind":"bc","type":"research","community":"c","text":"t","colour":"red"}]' 'labels\[0\].colour: unknown field'
same "no bad record was written" "$(sql "SELECT count(*) FROM record WHERE slug = 'labels-bad'")" 0

# ---- a Local Contexts Hub project -----------------------------------------

run "labels import of a Hub project" 0 '4 labels added, 0 updated' labels import "$HUB" --record "$WORK"
same "the project's four labels are on the work" "$(labels_count "$WORK")" 4
same "with the project id" "$(sql "SELECT count(*) FROM label WHERE project_id = '6c0f8e52-3a7d-4c1e-9b8f-2d4a5e6f7a81' AND record_id = (SELECT id FROM record WHERE slug = '$WORK')")" 4
same "the Spanish translation of TK Seasonal" "$(sql "SELECT t.name FROM label_translation t JOIN label l ON l.id = t.label_id WHERE l.type = 'seasonal' AND l.hub_id = '9a1d2b3c-4e5f-4a6b-8c7d-0e1f2a3b4c5d'")" "TK Estacional"
run "the same project again updates, adds nothing" 0 '0 labels added, 4 updated' labels import "$HUB" --record "$WORK"
run "labels list" 0 'TK S	tk seasonal	Comité de Amas de Casa de Siglo XX	TK Seasonal \(TK S\)	not tied: restricts nothing' labels list "$WORK"
run "labels import into a record that does not exist" 1 'no record "nope"' labels import "$HUB" --record nope
run "labels import without --record" 2 'usage:' labels import "$HUB"
# hostile Hub files
hub_bad() {
	local name=$1 pat=$2
	run "Hub file: $name" 1 "$pat" labels import "$W/hub.json" --record "$WORK"
}
before=$(labels_count "$WORK")
printf 'null' >"$W/hub.json"; hub_bad "null" 'must be a Local Contexts project \(an object\), not null'
printf '[]' >"$W/hub.json"; hub_bad "an array" 'not an array'
printf '{"unique_id": ' >"$W/hub.json"; hub_bad "cut short" 'not JSON'
jq '.tk_labels = null' "$HUB" >"$W/hub.json"; hub_bad "tk_labels null" 'tk_labels: must be an array, not null'
jq '.tk_labels[0].label_type = "sacred_cow"' "$HUB" >"$W/hub.json"; hub_bad "unknown label type" 'tk_labels\[0\].label_type: "sacred_cow" is not a published TK Label type'
jq '.bc_labels[0].label_type = "seasonal"' "$HUB" >"$W/hub.json"; hub_bad "a TK type among BC labels" 'bc_labels\[0\].label_type: "seasonal" is not a published BC Label type'
jq '.notice[0].notice_type = 7' "$HUB" >"$W/hub.json"; hub_bad "a number as notice type" 'notice\[0\].notice_type: must be a text, not a number'
jq '.tk_labels[1].label_text = null' "$HUB" >"$W/hub.json"; hub_bad "null label text" 'tk_labels\[1\].label_text: must be a text, not null'
jq '.tk_labels[0].community = {"name": "x"}' "$HUB" >"$W/hub.json"; hub_bad "community an object" 'tk_labels\[0\].community: must be a text, not an object'
jq '.tk_labels[0].translations[0].language_tag = "not a tag!"' "$HUB" >"$W/hub.json"; hub_bad "bad language tag" 'is not a language tag'
jq '.unique_id = "project-7"' "$HUB" >"$W/hub.json"; hub_bad "project id not a UUID" 'unique_id: "project-7" is not a UUID'
jq 'del(.unique_id)' "$HUB" >"$W/hub.json"; hub_bad "no project id" 'unique_id: is missing'
jq '.tk_labels = [] | .bc_labels = [] | .notice = []' "$HUB" >"$W/hub.json"; hub_bad "no labels" 'has no labels or Notices'
jq '.tk_labels[0].label_text = ("x" * 70000)' "$HUB" >"$W/hub.json"; hub_bad "a label text too long" 'label_text: is 70000 bytes, more than the 65536 allowed'
jq '.tk_labels = [range(0; 201) | {label_type: "seasonal", name: "n", label_text: "t", community: "c"}]' "$HUB" >"$W/hub.json"; hub_bad "too many labels" 'tk_labels: has 201 entries, more than the 200 allowed'
jq '{data: [., .]}' "$HUB" >"$W/hub.json"; hub_bad "two projects in data" 'data: must hold exactly one project'
python3 -c 'import sys; sys.stdout.write("{\"pad\": \"" + "x" * (5 << 20) + "\"}")' >"$W/hub.json"; hub_bad "a 5 MiB file" 'larger than the 4 MiB'
same "no hostile file wrote a label" "$(labels_count "$WORK")" "$before"
jq '{data: [.]}' "$HUB" >"$W/hub.json"
run "a project inside data[] is read too" 0 '0 labels added, 4 updated' labels import "$W/hub.json" --record "$WORK"

# ---- add, tie, untie, remove ----------------------------------------------

run "labels add" 0 'label [0-9]+: TK Secret / Sacred on .*restricts nothing until it is tied' labels add "$WORK" --kind tk --type secret_sacred --community "Sindicato" --text "Secret."
SS=$(sql "SELECT id FROM label WHERE type = 'secret_sacred'")
run "labels add of an unknown type" 1 '"tk sacred_cow" is not a published Local Contexts type \(attribution, clan' labels add "$WORK" --kind tk --type sacred_cow --community c --text t
run "labels add of a label twice" 1 'already has a TK Secret / Sacred label' labels add "$WORK" --kind tk --type secret_sacred --community "Sindicato" --text "Again."
run "labels add without a community" 1 'needs --community' labels add "$WORK" --kind tk --type creative --text t
run "labels tie to a group" 0 'only members of group anata-keepers may read' labels tie "$WORK" "$SS" --group anata-keepers
run "labels list shows the tie" 0 "TK SS.*tied: group anata-keepers only" labels list "$WORK"
run "labels tie to a group that does not exist" 1 'no group "ghosts"' labels tie "$WORK" "$SS" --group ghosts
BCP=$(sql "SELECT id FROM label WHERE type = 'provenance' AND record_id = (SELECT id FROM record WHERE slug = '$WORK')")
run "labels tie of a label that restricts nothing" 1 'BC Provenance \(BC P\)|does not restrict access' labels tie "$WORK" "$BCP" --community-members
SEA=$(sql "SELECT id FROM label WHERE type = 'seasonal' AND record_id = (SELECT id FROM record WHERE slug = '$WORK')")
run "a Seasonal label tied to members" 1 'tied to months' labels tie "$WORK" "$SEA" --community-members
run "months that are no months" 1 'not a span of months' labels tie "$WORK" "$SEA" --months 0-14
run "labels untie" 0 'restricts nothing' labels untie "$WORK" "$SS"
same "untie clears record.ties" "$(sql "SELECT ties IS NULL FROM record WHERE slug = '$WORK'")" 1
run "labels remove" 0 "removed label $SS" labels remove "$WORK" "$SS"
run "labels remove again" 1 "has no label $SS" labels remove "$WORK" "$SS"
same "every change is audited" "$(sql "SELECT count(*) FROM audit WHERE action LIKE 'labels %'")" 7
same "and in the change log" "$(sql "SELECT count(*) > 4 FROM change_log c JOIN record r ON r.id = c.record_id WHERE r.slug = '$WORK'")" 1
run "help labels" 0 'Local Contexts' help labels

# ---- the record page -------------------------------------------------------

ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=160x120:rate=25:duration=2 -c:v libx264 \
	-preset veryfast -pix_fmt yuv420p "$W/film.mp4" || fail "ffmpeg makes a film" "exit $?"
"$BIN" -a "$A" ingest --to "$WORK" --role access --no-derive "$W/film.mp4" >/dev/null 2>&1 ||
	fail "ingest a film into $WORK" "exit $?"
server_start "$A" || exit 1
ARCH=$W/arch.jar
login "$ARCH" arch1
page() { # page NAME JAR PATH: fetch, keep for vnu
	http "$2" "$3"
	cp "$W/body" "$W/pages/$1.html"
	check "$1: 200" "HTTP $STATUS" test "$STATUS" = 200
}
has() { check "$1" "the page lacks: $2" grep -qF -- "$2" "$W/body"; }
hasnt() { check "$1" "the page has: $2" bash -c '! grep -qF -- "$1" "$2"' _ "$2" "$W/body"; }
page "es page" - "/work/$WORK"
has "the section in Spanish" '<h2>Etiquetas y avisos de Local Contexts</h2>'
has "the badge as text" '<span class="lc-badge" aria-hidden="true">TK S</span>'
has "the Spanish translation shown" '<strong>TK Estacional</strong>'
has "its Spanish text" 'Estas películas registran el carnaval de Anata'
has "English original marked in Spanish" '<strong lang="en">BC Provenance (BC P)</strong> <small class="meta">(texto original, en)</small>'
has "who applied it" 'Aplicada por: Comité de Amas de Casa de Siglo XX'
has "the project id" '6c0f8e52-3a7d-4c1e-9b8f-2d4a5e6f7a81'
hasnt "no outside image" 'localcontexts.org/wp-content'
hasnt "a visitor is not told about ties" 'lc-tie'
page "en page" - "/work/$WORK?lang=en"
has "the section in English" '<h2>Local Contexts Labels and Notices</h2>'
has "the English original, unmarked" '<strong>TK Seasonal (TK S)</strong>'
has "the English translation of a Spanish label" '<strong>TK Community Use Only</strong>'
has "its English text" 'These recordings are for the use of the Siglo XX community'
page "archivist page" "$ARCH" "/work/$WORK?lang=en"
has "the archivist is told an untied label restricts nothing" 'Not tied to an access rule: this label restricts nothing'
page "import-format record" "$ARCH" "/work/labels-anata?lang=es"
has "escaped label text" 'Para uso de la comunidad &lt;b&gt;y sus familias&lt;/b&gt;.'
has "a tie to months, for the archivist" 'solo se lee en los meses 2–3.'
has "a tie to a group, for the archivist" 'solo la leen los miembros del grupo anata-keepers.'
has "a Notice's badge" '<span class="lc-badge" aria-hidden="true">AI</span>'

# ---- IIIF, OAI-PMH and the API ---------------------------------------------

mkdir -p "$W/json"
http - "/iiif/manifest/$WORK"
cp "$W/body" "$W/json/manifest.json"
check "IIIF manifest: 200" "HTTP $STATUS" test "$STATUS" = 200
jqb() { jq -rc "$1" "$W/body" 2>&1; }
same "IIIF: a metadata entry per label, named in each language" \
	"$(jqb '[.metadata[] | select(.label.en == ["TK Seasonal (TK S)"])][0].label')" '{"en":["TK Seasonal (TK S)"],"es":["TK Estacional"]}'
same "IIIF: its value, badge and community, in Spanish" \
	"$(jqb '[.metadata[] | select(.label.en == ["TK Seasonal (TK S)"])][0].value.es[0]')" \
	"[TK S] Estas películas registran el carnaval de Anata y se muestran solo en su temporada, febrero y marzo. (Comité de Amas de Casa de Siglo XX)"
same "IIIF: a Notice too" "$(jqb '[.metadata[] | select(.label.none == ["Attribution Incomplete"])] | length')" 1
same "IIIF: requiredStatement names the labels (es)" "$(jqb '.requiredStatement.value.es[1]')" \
	"Etiquetas y avisos de Local Contexts: TK Estacional (TK S), TK Community Use Only (TK CO), BC Provenance (BC P), Attribution Incomplete (AI)"
same "IIIF: requiredStatement names the labels (en)" "$(jqb '.requiredStatement.value.en[1]')" \
	"Local Contexts Labels and Notices: TK Seasonal (TK S), TK Community Use Only (TK CO), BC Provenance (BC P), Attribution Incomplete (AI)"
same "IIIF: and still the archive first" "$(jqb '.requiredStatement.value.en[0] | length > 0')" true
same "IIIF: rights keeps its meaning (the record's licence)" "$(jqb '.rights')" \
	"$(jq -r --arg s "$WORK" '.records[] | select(.slug == $s) | .rights // "null"' "$W/export.json" | sed 's|^https://|http://|')"
http - "/iiif/manifest/$WORK?lang=en"
out=$(node tests/iiif/validate.mjs "$W/json/manifest.json" 2>&1)
check "IIIF: the manifest with labels validates (official schema, @iiif/parser)" "$out" test "${out:0:3}" = "ok "

ID=$(sql "SELECT id FROM record WHERE slug = '$WORK'")
curl -s -g --noproxy '*' -o "$W/oai.xml" "$BASE/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=urn:uuid:$ID"
check "OAI oai_dc with labels validates (OAI-PMH and oai_dc schemas)" "$(xmllint --nonet --noout --schema tests/schemas/OAI-PMH-all.xsd "$W/oai.xml" 2>&1 | head -c 300)" \
	eval 'xmllint --nonet --noout --schema tests/schemas/OAI-PMH-all.xsd "$W/oai.xml" 2>/dev/null'
rights() { xmllint --xpath "//*[local-name()='rights'][@xml:lang='$1'][starts-with(., 'Local Contexts: $2')]/text()" "$W/oai.xml" 2>/dev/null; }
same "OAI: dc:rights for TK Seasonal in English" "$(rights en 'TK Seasonal')" \
	"Local Contexts: TK Seasonal (TK S): These films record the Anata carnival and are shown only in its season, February and March. (Comité de Amas de Casa de Siglo XX)"
same "OAI: and in Spanish, from its translation" "$(rights es 'TK Estacional')" \
	"Local Contexts: TK Estacional: Estas películas registran el carnaval de Anata y se muestran solo en su temporada, febrero y marzo. (Comité de Amas de Casa de Siglo XX)"
same "OAI: a dc:rights per label and translation" "$(xmllint --xpath "count(//*[local-name()='rights'][starts-with(., 'Local Contexts: ')])" "$W/oai.xml")" 6
check "OAI: the rights statement is still there" "$(head -c 300 "$W/oai.xml")" \
	eval '[[ $(xmllint --xpath "count(//*[local-name()='"'"'rights'"'"'][not(starts-with(., '"'"'Local Contexts: '"'"'))])" "$W/oai.xml") -ge 1 ]]'
curl -s -g --noproxy '*' -o "$W/oai.xml" "$BASE/oai?verb=GetRecord&metadataPrefix=pbcore&identifier=urn:uuid:$ID"
check "OAI pbcore with labels validates" "$(xmllint --nonet --noout --schema tests/oai/OAI-PMH-pbcore.xsd "$W/oai.xml" 2>&1 | head -c 300)" \
	eval 'xmllint --nonet --noout --schema tests/oai/OAI-PMH-pbcore.xsd "$W/oai.xml" 2>/dev/null'
same "PBCore: a rightsSummary per label and translation" \
	"$(xmllint --xpath "count(//*[local-name()='rightsSummary'][starts-with(., 'Local Contexts: ')])" "$W/oai.xml")" 6

http - "/api/v1/records/$WORK"
cp "$W/body" "$W/json/api-record.json"
same "API: the record's labels" "$(jqb '[.labels[] | [.kind, .type, .badge, .restricts]]')" \
	'[["tk","seasonal","TK S",true],["tk","community_use_only","TK CO",true],["bc","provenance","BC P",false],["notice","attribution_incomplete","AI",false]]'
same "API: with translations and community" "$(jqb '.labels[0] | [.community, .project, .translations[0].lang, .translations[0].name]')" \
	'["Comité de Amas de Casa de Siglo XX","6c0f8e52-3a7d-4c1e-9b8f-2d4a5e6f7a81","es","TK Estacional"]'
same "API: ties stay out" "$(jqb '[.labels[] | has("tie")] | any')" false
http - /api/v1/openapi.json
cp "$W/body" "$W/openapi.json"
echo "/api/v1/records/$WORK 200 application/json $W/json/api-record.json" >"$W/manifest"
out=$(node tests/api/validate.mjs "$W/openapi.json" "$W/manifest" 2>&1)
check "API: the record with labels matches the OpenAPI document" "$(tail -3 <<<"$out")" grep -q " passed, 0 failed" <<<"$out"

check_pages_valid "$W/pages" "pages are valid HTML (vnu)"

server_stop || fail "server stops cleanly" "exit status"
check_summary labels "$CINEMATECA"
