#!/usr/bin/env bash
# tests/bagit/run.sh — BagIt bags (RFC 8493) against the real binary and a
# real catalogue: `export --bagit` of a record, a collection and the whole
# archive, checked by tools that are not ours (sha256sum -c and sha512sum
# -c read the manifests as written, the Payload-Oxum is counted with
# find); a round trip export → import-bag into a fresh archive gives the
# same export; a bag with a byte changed, a manifest line changed or
# malformed, a payload file added or missing, a wrong Payload-Oxum, a
# changed tag file, a path leaving the bag (.., absolute, a symbolic link)
# is refused with its file and line and changes nothing; a bag whose
# catalogue fails to import leaves no record and no object; a bag written
# the way bagit-python writes one (BagIt 0.97, names with spaces, accents
# and %) goes into a record with --to, each file's event naming the bag.
#
# Prints one line per check and ends with "bagit: N passed, N failed";
# writes the totals to build/results/bagit (bagit-asan for a binary under
# build/asan/) for `make check`'s summary.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
WORK=dona-helena-palliri	# a public work of the demo

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-bagit.XXXXXX")
at_exit rm -rf -- "$W"
A=$W/archive
M=$W/files
mkdir -p "$M"

run() {
	"$@" >"$W/out" 2>&1
	RC=$?
}
seen_out() { printf 'exit %s: %s' "$RC" "$(head -c 600 "$W/out" | tr '\n' '|')"; }
# expect NAME STATUS FIXED-STRING -- COMMAND...: exit status and a piece of output.
expect() {
	local name=$1 want=$2 pat=$3
	shift 4
	run "$@"
	if [[ $RC -ne $want ]]; then
		fail "$name" "expected exit $want; $(seen_out)"
	elif [[ -n $pat ]] && ! grep -qF -- "$pat" "$W/out"; then
		fail "$name" "output lacks '$pat'; $(seen_out)"
	else
		pass "$name"
	fi
}
sqlin() { sqlite3 "$1/catalog.db" "$2"; }
not_grep() { ! grep -qF -- "$1" "$2"; }
# valid BAG: the bag checked by tools that are not ours.
valid() {
	local bag=$1 octets count
	(cd "$bag" && sha256sum -c --quiet manifest-sha256.txt && sha512sum -c --quiet manifest-sha512.txt &&
		sha256sum -c --quiet tagmanifest-sha256.txt && sha512sum -c --quiet tagmanifest-sha512.txt) \
		>"$W/valid" 2>&1 || return 1
	octets=$(find "$bag/data" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
	count=$(find "$bag/data" -type f | wc -l)
	grep -qx "Payload-Oxum: $octets.$count" "$bag/bag-info.txt" || return 1
	# every payload file is in the manifest, and nothing else
	diff <(cd "$bag" && find data -type f | LC_ALL=C sort) \
		<(sed 's/^[0-9a-f]*  //' "$bag/manifest-sha256.txt" | LC_ALL=C sort) >/dev/null
}
# rebag BAG [VERSION]: write a bag's manifests, bag-info and tag manifests
# the way bagit-python does (both algorithms, two spaces, LF; % encoded).
rebag() {
	local bag=$1 version=${2:-1.0} octets count alg
	(
		cd "$bag" || exit 1
		printf 'BagIt-Version: %s\nTag-File-Character-Encoding: UTF-8\n' "$version" >bagit.txt
		for alg in sha256 sha512; do
			find data -type f -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' f; do
				printf '%s  %s\n' "$("${alg}sum" "$f" | cut -d' ' -f1)" "${f//%/%25}"
			done >"manifest-$alg.txt"
		done
		octets=$(find data -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
		count=$(find data -type f | wc -l)
		printf 'Bag-Software-Agent: bagit.py v1.8.1 <https://github.com/LibraryOfCongress/bagit-python>\nBagging-Date: 2026-11-30\nContact-Name: Laboratorio de Digitalización\nPayload-Oxum: %s.%s\n' \
			"$octets" "$count" >bag-info.txt
		for alg in sha256 sha512; do
			for f in bag-info.txt bagit.txt manifest-sha256.txt manifest-sha512.txt; do
				printf '%s  %s\n' "$("${alg}sum" "$f" | cut -d' ' -f1)" "$f"
			done >"tagmanifest-$alg.txt"
		done
	)
}
# untouched ARCHIVE: nothing was imported (no record, file or object).
untouched() {
	[[ $(sqlin "$1" "SELECT count(*) FROM record") == 0 &&
		$(sqlin "$1" "SELECT count(*) FROM file") == 0 &&
		-z $(find "$1/objects" -type f) && -z $(find "$1/tmp" -type f) ]]
}

# ---- an archive with files -------------------------------------------------

"$BIN" -a "$A" demo >/dev/null 2>&1 || { echo "bagit: demo failed"; exit 1; }
head -c 2500000 /dev/urandom >"$M/master.mkv"
printf 'notes of the scan\n' >"$M/scan notes é.txt"
printf '1\n00:00:01,000 --> 00:00:02,500\nHola\n\n' >"$M/es.srt"
run "$BIN" -a "$A" ingest --to "$WORK" --role master --no-derive "$M/master.mkv" "$M/scan notes é.txt"
check "files ingested" "$(seen_out)" test "$RC" -eq 0
run "$BIN" -a "$A" subtitle "$WORK" --lang es "$M/es.srt"
check "subtitle stored" "$(seen_out)" test "$RC" -eq 0
mkdir -p "$M/one" "$M/two"
echo first >"$M/one/notes.txt"
echo second >"$M/two/notes.txt"
run "$BIN" -a "$A" ingest --to "$WORK" --role other --no-derive "$M/one/notes.txt" "$M/two/notes.txt"
check "two files of one name ingested" "$(seen_out)" test "$RC" -eq 0
ID=$(sqlin "$A" "SELECT id FROM record WHERE slug = '$WORK'")
SECOND=$(sqlin "$A" "SELECT id FROM file WHERE name = 'notes.txt' ORDER BY id DESC LIMIT 1")

# ---- export of one record --------------------------------------------------

expect "export --bagit of a work" 0 "bag $W/bag1:" -- "$BIN" -a "$A" export --bagit "$WORK" "$W/bag1"
check "the bag validates with sha256sum, sha512sum and a counted Oxum" "$(cat "$W/valid" 2>/dev/null)" valid "$W/bag1"
same "bagit.txt" "$(cat "$W/bag1/bagit.txt")" "BagIt-Version: 1.0
Tag-File-Character-Encoding: UTF-8"
same "External-Identifier is the record's UUID" \
	"$(sed -n 's/^External-Identifier: //p' "$W/bag1/bag-info.txt")" "$ID"
for label in Source-Organization Bagging-Date Bag-Size Payload-Oxum Bag-Software-Agent; do
	check "bag-info.txt has $label" "$(cat "$W/bag1/bag-info.txt")" grep -q "^$label: ." "$W/bag1/bag-info.txt"
done
S=tests/schemas
check "the work's Dublin Core record validates against oai_dc.xsd" "$(xmllint --nonet --noout --schema $S/oai_dc.xsd "$W/bag1/data/metadata/$WORK.dc.xml" 2>&1 | head -3)" \
	xmllint --nonet --noout --schema $S/oai_dc.xsd "$W/bag1/data/metadata/$WORK.dc.xml"
check "  ... and its PBCore record against pbcore-2.1.xsd" "$(xmllint --nonet --noout --schema $S/pbcore-2.1.xsd "$W/bag1/data/metadata/$WORK.pbcore.xml" 2>&1 | head -3)" \
	xmllint --nonet --noout --schema $S/pbcore-2.1.xsd "$W/bag1/data/metadata/$WORK.pbcore.xml"
check "  ... which names the master it holds" "$(grep -o '<instantiationIdentifier[^<]*<' "$W/bag1/data/metadata/$WORK.pbcore.xml" | head -3)" \
	grep -q 'master.mkv' "$W/bag1/data/metadata/$WORK.pbcore.xml"
check "the master is in the payload by role and name" "$(find "$W/bag1/data" | head)" \
	cmp -s "$M/master.mkv" "$W/bag1/data/files/$WORK/master/master.mkv"
check "a name with a space and an accent is kept" "$(find "$W/bag1/data" | head)" \
	test -f "$W/bag1/data/files/$WORK/master/scan notes é.txt"
check "two files of one name and role: the second is known by its id too" "$(find "$W/bag1/data/files/$WORK/other")" \
	test -f "$W/bag1/data/files/$WORK/other/notes.txt" -a -f "$W/bag1/data/files/$WORK/other/$SECOND-notes.txt"
check "the SRT original and its WebVTT are there" "$(find "$W/bag1/data" | head -20)" \
	test -f "$W/bag1/data/files/$WORK/subtitle/es.srt" -a -f "$W/bag1/data/files/$WORK/subtitle/es.vtt"
check "the catalogue is in the import format with the work's director" "$(head -c 300 "$W/bag1/data/catalogue.json")" \
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
slugs = [r['slug'] for r in d['records']]
assert d['format'] == 'cinemateca-import' and '$WORK' in slugs and 'cesar-alarcon' in slugs, slugs" "$W/bag1/data/catalogue.json"
check "the events name every file with its ingestion" "$(head -c 300 "$W/bag1/data/events.json")" \
	python3 -c "
import json, sys
ev = json.load(open(sys.argv[1]))['events']
files = json.load(open(sys.argv[2]))['files']
assert len(files) == 6, files
for f in files:
    assert any(e['file'] == f['id'] and e['type'] in ('ingestion', 'creation')
               and e['outcome'] == 'success' for e in ev), f" \
	"$W/bag1/data/events.json" "$W/bag1/data/files.json"
check "data/premis.xml: PREMIS 3.0, an object per file (its SHA-256, size, format) and an event per event" \
	"$(xmllint --noout "$W/bag1/data/premis.xml" 2>&1 | head -3; head -c 300 "$W/bag1/data/premis.xml")" \
	python3 -c "
import json, sys
import xml.etree.ElementTree as ET
P = '{http://www.loc.gov/premis/v3}'
root = ET.parse(sys.argv[1]).getroot()
files = json.load(open(sys.argv[2]))['files']
ev = json.load(open(sys.argv[3]))['events']
assert root.tag == P + 'premis' and root.get('version') == '3.0', root.tag
objs = {o.find(P + 'objectIdentifier/' + P + 'objectIdentifierValue').text: o for o in root.findall(P + 'object')}
assert len(objs) == len(files), (len(objs), len(files))
for f in files:
    o = objs[f['id']]
    digests = [x.find(P + 'messageDigest').text for x in o.iter(P + 'fixity')]
    assert f['sha256'] in digests, (f['id'], digests)
    assert o.find(P + 'objectCharacteristics/' + P + 'size').text == str(f['size'])
events = root.findall(P + 'event')
assert len(events) == len(ev), (len(events), len(ev))
for e, j in zip(events, ev):
    assert e.find(P + 'eventType').text == j['type'] and e.find(P + 'eventDateTime').text == j['at']
    assert e.find(P + 'linkingObjectIdentifier/' + P + 'linkingObjectIdentifierValue').text == j['file']
agents = {a.find(P + 'agentIdentifier/' + P + 'agentIdentifierValue').text for a in root.findall(P + 'agent')}
assert agents == {j['agent'] for j in ev if j.get('agent')}, agents" \
	"$W/bag1/data/premis.xml" "$W/bag1/data/files.json" "$W/bag1/data/events.json"
expect "export into a folder that is not empty is refused" 1 "is not empty" -- \
	"$BIN" -a "$A" export --bagit "$WORK" "$W/bag1"
check "... without calling it no bag" "$(seen_out)" not_grep "remove it" "$W/out"
check "Bag-Software-Agent names the version" "$(cat "$W/bag1/bag-info.txt")" \
	grep -qx "Bag-Software-Agent: cinemateca $("$BIN" --version | grep -o '[0-9][0-9.]*' | head -1)" "$W/bag1/bag-info.txt"
expect "export of no such record" 1 'no record "no-such-film"' -- \
	"$BIN" -a "$A" export --bagit no-such-film "$W/none"
check "... makes no folder" "" test ! -e "$W/none"
expect "export without --bagit is wrong usage" 2 "usage:" -- "$BIN" -a "$A" export "$WORK" "$W/x"
expect "import-bag --to without --role is wrong usage" 2 "usage:" -- "$BIN" -a "$A" import-bag "$W/bag1" --to "$WORK"

# --roles: a festival's screening package
expect "export --roles subtitle" 0 "" -- "$BIN" -a "$A" export --bagit "$WORK" "$W/bag-sub" --roles subtitle
same "only the subtitle files are in it" "$(cd "$W/bag-sub/data/files" && find . -type f | LC_ALL=C sort | tr '\n' ' ')" \
	"./$WORK/subtitle/es.srt ./$WORK/subtitle/es.vtt "
check "the screening package validates" "$(cat "$W/valid")" valid "$W/bag-sub"
expect "--roles with a role that is not one" 1 '"trailer" is not a role' -- \
	"$BIN" -a "$A" export --bagit "$WORK" "$W/bag-bad" --roles access,trailer

# a collection brings its members; a private record is exported by the keeper
COLL=$(sqlin "$A" "SELECT r.slug FROM record r WHERE r.type = 'collection' AND EXISTS (SELECT 1 FROM relation l WHERE l.to_id = r.id AND l.type = 'part_of') LIMIT 1")
expect "export --bagit of a collection" 0 "" -- "$BIN" -a "$A" export --bagit "$COLL" "$W/bag-coll"
NMEM=$(sqlin "$A" "SELECT count(*) FROM relation l JOIN record c ON c.id = l.to_id WHERE c.slug = '$COLL' AND l.type = 'part_of'")
check "the collection's $NMEM members are in its catalogue" "$(head -c 300 "$W/bag-coll/data/catalogue.json")" \
	python3 -c "
import json, sys
n = len(json.load(open(sys.argv[1]))['records'])
assert n >= 1 + int(sys.argv[2]), n" "$W/bag-coll/data/catalogue.json" "$NMEM"
PRIV=$(sqlin "$A" "SELECT slug FROM record WHERE access = 'private' LIMIT 1")
expect "the keeper's export includes a private record" 0 "" -- "$BIN" -a "$A" export --bagit "$PRIV" "$W/bag-priv"
check "... in its catalogue" "" grep -q "\"slug\": \"$PRIV\"" "$W/bag-priv/data/catalogue.json"

# ---- round trip ----------------------------------------------------------------

expect "export --bagit --all" 0 "" -- "$BIN" -a "$A" export --bagit --all "$W/bag-all"
check "the whole archive's bag validates" "$(cat "$W/valid")" valid "$W/bag-all"
B=$W/fresh
"$BIN" -a "$B" init >/dev/null 2>&1
expect "import-bag into a fresh archive" 0 "imported" -- "$BIN" -a "$B" import-bag "$W/bag-all"
"$BIN" -a "$A" export-json >"$W/a.json"
"$BIN" -a "$B" export-json >"$W/b.json"
check "the catalogues export the same" "$(diff "$W/a.json" "$W/b.json" | head -5)" cmp -s "$W/a.json" "$W/b.json"
same "the files keep their ids, roles, names and hashes" \
	"$(sqlin "$B" "SELECT id, record_id, role, name, sha256, size, derived_from, derivative FROM file ORDER BY id")" \
	"$(sqlin "$A" "SELECT id, record_id, role, name, sha256, size, derived_from, derivative FROM file WHERE deleted IS NULL ORDER BY id")"
same "each has an ingestion event naming the bag" \
	"$(sqlin "$B" "SELECT count(*) FROM premis_event WHERE type = 'ingestion' AND detail LIKE '%from bag $W/bag-all%'")" \
	"$(sqlin "$B" "SELECT count(*) FROM file")"
run "$BIN" -a "$B" fixity
check "fixity passes in the fresh archive" "$(seen_out)" test "$RC" -eq 0
expect "the fresh archive exports its bag" 0 "" -- "$BIN" -a "$B" export --bagit --all "$W/bag-again"
same "... with the same payload files" "$(grep '  data/files/' "$W/bag-again/manifest-sha512.txt")" \
	"$(grep '  data/files/' "$W/bag-all/manifest-sha512.txt")"
check "... the same catalogue" "" cmp -s "$W/bag-all/data/catalogue.json" "$W/bag-again/data/catalogue.json"
expect "the same bag again changes nothing" 0 "0 files imported" -- "$BIN" -a "$B" import-bag "$W/bag-all"

# ---- tampered bags: refused with the reason, nothing changed ------------------

# tamper NAME WANT-STRING -- SHELL: a copy of bag1, changed by SHELL (run
# inside it), imported into an empty archive.
T=0
tamper() {
	local name=$1 want=$2 change=$4 bag
	T=$((T + 1))
	bag=$W/t$T
	cp -a "$W/bag1" "$bag"
	(cd "$bag" && eval "$change")
	rm -rf "$W/empty"
	"$BIN" -a "$W/empty" init >/dev/null 2>&1
	expect "$name" 1 "$want" -- "$BIN" -a "$W/empty" import-bag "$bag"
	check "$name: nothing changed" "$(find "$W/empty/objects" -type f | head -3)" untouched "$W/empty"
}
MLINE=$(grep -n '/master/master.mkv$' "$W/bag1/manifest-sha256.txt" | cut -d: -f1)
tamper "a byte changed" "manifest-sha256.txt line $MLINE: \"data/files/$WORK/master/master.mkv\" has sha256" -- \
	"printf 'X' | dd of=data/files/$WORK/master/master.mkv bs=1 seek=1000 conv=notrunc status=none"
tamper "a manifest line changed" "manifest-sha256.txt line $MLINE: \"data/files/$WORK/master/master.mkv\" has sha256" -- \
	"awk -v n=$MLINE 'NR == n { c = substr(\$0, 1, 1); \$0 = (c == \"0\" ? \"1\" : \"0\") substr(\$0, 2) } 1' manifest-sha256.txt > m && mv m manifest-sha256.txt"
tamper "a manifest line malformed" "manifest-sha512.txt line 2: does not begin with a sha512 checksum" -- \
	"sed -i '2s/^.../xyz/' manifest-sha512.txt"
tamper "a payload file added" "data/files/$WORK/master/extra.txt: in the payload but in no manifest" -- \
	"echo extra > data/files/$WORK/master/extra.txt"
tamper "a payload file missing" "\"data/files/$WORK/master/master.mkv\" is not in the bag" -- \
	"rm data/files/$WORK/master/master.mkv"
OCTETS=$(find "$W/bag1/data" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
NFILES=$(find "$W/bag1/data" -type f | wc -l)
tamper "a wrong Payload-Oxum" "bag-info.txt line 5: Payload-Oxum says 1 bytes in 5 files, the payload holds $OCTETS bytes in $NFILES files" -- \
	"sed -i 's/^Payload-Oxum: .*/Payload-Oxum: 1.5/' bag-info.txt"
tamper "a tag file changed" 'tagmanifest-sha256.txt line 1: "bag-info.txt" has sha256' -- \
	"echo 'Contact-Name: someone' >> bag-info.txt"
tamper "a path with .. in a manifest" 'has a ".." part' -- \
	"echo \"\$(sha256sum /etc/hostname | cut -d' ' -f1)  data/../../../etc/hostname\" >> manifest-sha256.txt"
tamper "an absolute path in a manifest" 'an absolute path ("/etc/hostname")' -- \
	"echo \"\$(sha256sum /etc/hostname | cut -d' ' -f1)  /etc/hostname\" >> manifest-sha256.txt"
tamper "a tag manifest naming a file outside" 'tagmanifest-sha256.txt line 5: the path "../x"' -- \
	"echo \"\$(sha256sum bagit.txt | cut -d' ' -f1)  ../x\" >> tagmanifest-sha256.txt"
tamper "a symbolic link in the payload" "a symbolic link" -- \
	"ln -s /etc/hostname data/files/$WORK/master/link.txt"
tamper "a payload file replaced by a link" "master/master.mkv: a symbolic link" -- \
	"mv data/files/$WORK/master/master.mkv ../moved.mkv && ln -s ../../../../../moved.mkv data/files/$WORK/master/master.mkv"
tamper "no bagit.txt" "no bagit.txt, so not a bag" -- "rm bagit.txt"
tamper "a BagIt-Version not read" 'BagIt-Version "2.0"' -- \
	"sed -i 's/1.0/2.0/' bagit.txt"
tamper "a bag with files still to fetch" "fetch.txt: the bag is not complete" -- \
	"echo 'https://example.org/x 12 data/x' > fetch.txt"
tamper "a bag without data/" "data: missing (the payload folder" -- "rm -r data"
tamper "data/ a symbolic link" "data: a symbolic link or not a folder" -- \
	"mv data ../data-elsewhere-$T && ln -s ../data-elsewhere-$T data"
tamper "a file listed twice" "again (first at line" -- \
	"sed -n '1p' manifest-sha256.txt >> manifest-sha256.txt"

ln -s "$W/bag1" "$W/bag-link"
rm -rf "$W/empty"
"$BIN" -a "$W/empty" init >/dev/null 2>&1
expect "a bag reached through a link to its folder (a mounted disk) is read" 0 "imported" -- \
	"$BIN" -a "$W/empty" import-bag "$W/bag-link"

# a valid bag whose catalogue does not import: no record, no object left
cp -a "$W/bag1" "$W/badcat"
python3 - "$W/badcat/data/catalogue.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d['records'][0]['date'] = 'not a date'
json.dump(d, open(sys.argv[1], 'w'))
EOF
rebag "$W/badcat"
check "the bag with a bad catalogue is a valid bag" "$(cat "$W/valid")" valid "$W/badcat"
rm -rf "$W/empty"
"$BIN" -a "$W/empty" init >/dev/null 2>&1
expect "its catalogue's problem is said" 1 "date" -- "$BIN" -a "$W/empty" import-bag "$W/badcat"
check "... and nothing is left: no record, file or object" "$(find "$W/empty/objects" -type f | head -3)" untouched "$W/empty"

# ---- a bag from elsewhere, into a record ----------------------------------------

L=$W/lab
mkdir -p "$L/data/rollo 1/escaneos"
head -c 300000 /dev/urandom >"$L/data/rollo 1/escaneos/fotograma 0001.dpx"
printf 'informe de digitalización\n' >"$L/data/rollo 1/informe ñandú.txt"
printf '100%% scanned\n' >"$L/data/100% done.txt"
rebag "$L" 0.97
check "its manifest encodes % as %25" "$(cat "$L/manifest-sha256.txt")" grep -qF 'data/100%25 done.txt' "$L/manifest-sha256.txt"
expect "a bag of ours is needed without --to" 1 "give --to RECORD --role ROLE" -- \
	"$BIN" -a "$A" import-bag "$L"
NFILES=$(sqlin "$A" "SELECT count(*) FROM file")
expect "import-bag --to --role ingests the lab's bag" 0 "3 files ingested into $WORK" -- \
	"$BIN" -a "$A" import-bag "$L" --to "$WORK" --role scan
same "three files more" "$(sqlin "$A" "SELECT count(*) FROM file")" "$((NFILES + 3))"
same "with their names" "$(sqlin "$A" "SELECT name FROM file WHERE role = 'scan' ORDER BY name")" \
	"100% done.txt
fotograma 0001.dpx
informe ñandú.txt"
same "each ingestion event names the bag" \
	"$(sqlin "$A" "SELECT count(*) FROM premis_event e JOIN file f ON f.id = e.file_id WHERE f.role = 'scan' AND e.type = 'ingestion' AND e.detail LIKE '%from bag $L%'")" 3
cp -a "$L" "$W/lab2"
printf 'Y' | dd of="$W/lab2/data/rollo 1/escaneos/fotograma 0001.dpx" bs=1 seek=10 conv=notrunc status=none
NFILES=$(sqlin "$A" "SELECT count(*) FROM file")
expect "a damaged delivery is refused with its line" 1 'manifest-sha256.txt line 2: "data/rollo 1/escaneos/fotograma 0001.dpx" has sha256' -- \
	"$BIN" -a "$A" import-bag "$W/lab2" --to "$WORK" --role scan
same "... and nothing is ingested" "$(sqlin "$A" "SELECT count(*) FROM file")" "$NFILES"

# ---- a corrupted object is not exported -------------------------------------

cp -a "$A" "$W/rot"
SHA=$(sqlin "$W/rot" "SELECT sha256 FROM file WHERE name = 'master.mkv'")
OBJ=$W/rot/objects/sha256/${SHA:0:2}/${SHA:2:2}/$SHA
chmod u+w "$OBJ" && printf 'Z' | dd of="$OBJ" bs=1 seek=5 conv=notrunc status=none
expect "an export meeting a corrupted object stops and names it" 1 "object $SHA (for data/files/$WORK/master/master.mkv) is corrupted" -- \
	"$BIN" -a "$W/rot" export --bagit "$WORK" "$W/bag-rot"
check "... says the folder is no bag" "$(seen_out)" grep -qF "($W/bag-rot has no bagit.txt, so it is no bag: remove it)" "$W/out"
check "... and leaves no bagit.txt" "" test ! -e "$W/bag-rot/bagit.txt"

# ---- out of memory is said as such --------------------------------------------

# The fault build (tests/faults/shim.c) fails the Nth allocation; make
# check builds it beside the binary under test.
FAULTS=build/faults/cinemateca
[[ $CINEMATECA != */asan/* ]] || FAULTS=build/asan/faults/cinemateca
if [[ ! -x $FAULTS ]]; then
	fail "the fault build is there" "no $FAULTS: make $FAULTS"
else
	rm -rf "$W/empty"
	"$BIN" -a "$W/empty" init >/dev/null 2>&1
	bad=""
	for n in $(seq 1 40); do
		CINEMATECA_FAULT=alloc:$n "$FAULTS" -a "$W/empty" import-bag "$W/bag1" >"$W/out" 2>&1
		if grep -qE "larger than|longer than" "$W/out"; then bad="alloc:$n: $(head -c 200 "$W/out")"; break; fi
		untouched "$W/empty" || { bad="alloc:$n imported something: $(head -c 200 "$W/out")"; break; }
	done
	check "an allocation that fails while reading the bag is not a file or line too long" "$bad" test -z "$bad"
fi

check_summary bagit "$CINEMATECA"
