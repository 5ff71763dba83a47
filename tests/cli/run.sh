#!/usr/bin/env bash
# tests/cli/run.sh: the command line as a person uses it: exit codes and
# messages for good and wrong usage, missing or foreign archive folders,
# archives this account may not read or write and read-only file systems
# (each named, none called damage), a locked catalogue, malformed import
# files (nothing imported), and the export/import round trip. Runs the real binary ($CINEMATECA).
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=${CINEMATECA:-build/cinemateca}
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

# expect NAME STATUS PATTERN -- COMMAND...: run, compare exit status, and
# grep the combined output for PATTERN (empty: no check).
expect() {
	local name=$1 want=$2 pat=$3; shift 4
	local out rc
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL $name: exit $rc, expected $want"; echo "$out" | head -20 | sed 's/^/    /'
		failed=$((failed + 1)); return
	fi
	if [ -n "$pat" ] && ! grep -qE -- "$pat" <<<"$out"; then
		echo "FAIL $name: output lacks /$pat/"; echo "$out" | head -20 | sed 's/^/    /'
		failed=$((failed + 1)); return
	fi
	echo "ok   $name"
	passed=$((passed + 1))
}

A="$work/archive"
expect "version" 0 '^cinemateca [0-9]+\.[0-9]+' -- "$BIN" --version
expect "help lists commands" 0 'import' -- "$BIN" help
expect "help for one command" 0 'usage: cinemateca \[-a DIR\] import FILE' -- "$BIN" help import
expect "help for an unknown command" 2 'no command "nope"' -- "$BIN" help nope
expect "no command" 2 'usage:' -- "$BIN"
expect "unknown command" 2 'no command "frobnicate"' -- "$BIN" frobnicate
expect "unknown option" 2 'unknown option --frob' -- "$BIN" --frob
expect "-a without a folder" 2 '-a needs a folder' -- "$BIN" -a
expect "import without a file" 2 'usage: cinemateca \[-a DIR\] import FILE' -- "$BIN" -a "$A" import
expect "missing archive folder" 1 'is not a folder' -- "$BIN" -a "$work/none" search x
mkdir "$work/plain"
expect "folder that is not an archive" 1 "not a cinemateca archive.*init" -- "$BIN" -a "$work/plain" search x
mkdir "$work/foreign"; echo "not sqlite" > "$work/foreign/catalog.db"
expect "foreign catalog.db" 1 'not a cinemateca catalogue' -- "$BIN" -a "$work/foreign" search x
sqlite3 "$work/foreign2.db" "CREATE TABLE t(x);" && mkdir "$work/foreign2" && mv "$work/foreign2.db" "$work/foreign2/catalog.db"
expect "another program's SQLite file" 1 'not a cinemateca catalogue' -- "$BIN" -a "$work/foreign2" export-json

# What stands in the way of opening an archive is named, for "not an SQLite
# database" would send an operator to restore a backup over a healthy
# catalogue: a folder this account may not write, a folder or catalogue it
# may not read, a read-only file system. As root, whom permissions do not
# stop, the account is nobody (setpriv); the read-only file system is a
# read-only bind mount in a mount namespace of the test's own.
R="$work/ro"
"$BIN" -a "$R" init >/dev/null
as_other=()
if [ "$(id -u)" -ne 0 ]; then
	as_other=(env)
elif setpriv --reuid=nobody --regid=nogroup --clear-groups "$BIN" --version >/dev/null 2>&1; then
	as_other=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
if [ ${#as_other[@]} -gt 0 ]; then
	chmod 755 "$work"
	if [ "$(id -u)" -ne 0 ]; then chmod 555 "$R"; else chmod -R a+rX "$R"; fi
	expect "a folder this account may not write: permission denied, not damage" 1 \
		'permission denied creating files in .*ro, where SQLite keeps catalog.db-wal.*do not restore a backup' -- \
		"${as_other[@]}" "$BIN" -a "$R" search x
	chmod 700 "$R"
	[ "$(id -u)" -ne 0 ] && chmod 000 "$R"
	expect "a folder this account may not read: permission denied" 1 \
		'permission denied reading the folder' -- "${as_other[@]}" "$BIN" -a "$R" search x
	chmod 755 "$R"
	chmod 000 "$R/catalog.db"
	expect "a catalogue this account may not read: permission denied" 1 \
		'catalog.db: permission denied reading it' -- "${as_other[@]}" "$BIN" -a "$R" search x
	chmod 644 "$R/catalog.db"
	chmod 700 "$work"
else
	echo "skipped: permission denied on an archive (running as root, and setpriv cannot run as nobody)"
fi
if unshare -m true 2>/dev/null; then ns=(unshare -m); elif unshare -rm true 2>/dev/null; then ns=(unshare -rm); else ns=(); fi
if [ ${#ns[@]} -gt 0 ] && "${ns[@]}" sh -c 'mount --bind -o ro "$1" "$1"' sh "$R" 2>/dev/null; then
	expect "an archive on a read-only file system: said so, not damage" 1 \
		'is on a read-only file system.*do not restore a backup' -- \
		"${ns[@]}" sh -c 'mount --bind -o ro "$1" "$1" && exec "$2" -a "$1" search x' sh "$R" "$BIN"
else
	echo "skipped: an archive on a read-only file system (no mount namespace here)"
fi
mkdir "$work/garbage"; head -c 4096 /dev/urandom > "$work/garbage/catalog.db"
expect "a catalog.db that really is not an SQLite database" 1 \
	'not a cinemateca catalogue: not an SQLite database at all.*restore it from a backup' -- \
	"$BIN" -a "$work/garbage" search x

expect "init" 0 'created an archive' -- "$BIN" -a "$A" init
expect "init twice" 1 'already an archive' -- "$BIN" -a "$A" init
expect "archive from the environment" 0 '^0 records' -- env CINEMATECA_ARCHIVE="$A" "$BIN" search anything

# malformed import files: clear messages, exit 1, nothing imported
printf '{"records": [' > "$work/truncated.json"
printf '{"records": [{"type": "work", "slug": "w", "titles": [{"text": "a\\' > "$work/cut-escape.json"
expect "a file cut short after a backslash" 1 'cut-escape.json:1:[0-9]+: records\[0\]: titles\[0\]\.text: not valid JSON' -- "$BIN" -a "$A" import "$work/cut-escape.json"
: > "$work/empty.json"
expect "an empty file" 1 'empty.json: is empty: there are no records to import' -- "$BIN" -a "$A" import "$work/empty.json"
printf '\xef\xbb\xbf{"records": []}' > "$work/bom.json"
expect "a byte order mark is ignored" 0 '0 records created' -- "$BIN" -a "$A" import "$work/bom.json"
printf '{"records": [{"type": "work", "slug": "w", "titles": [{"text": "caf\xe9"}]}]}' > "$work/latin1.json"
expect "a Latin-1 file: record, field and what to do" 1 'latin1.json:1:[0-9]+: records\[0\]: titles\[0\]\.text: is not UTF-8 text; .*iconv -f windows-1252' -- "$BIN" -a "$A" import "$work/latin1.json"
expect "truncated JSON" 1 'truncated.json:1:[0-9]+: .*cut short.*not valid JSON' -- "$BIN" -a "$A" import "$work/truncated.json"
cat > "$work/bad.json" <<'JSON'
{"records": [
 {"type": "agent", "slug": "fine", "kind": "person", "titles": [{"text": "Fine"}]},
 {"type": "work", "slug": "w", "titles": [{"text": "W"}], "date": "83",
  "credits": [{"agent": "ghost", "role": "director"}]},
 {"type": "event", "slug": "e", "titles": [{"text": "E"}]}
]}
JSON
expect "every bad record reported" 1 'records\[1\] \(w\): date: "83" is not' -- "$BIN" -a "$A" import "$work/bad.json"
expect "  ... with its reason" 1 'records\[1\] \(w\): credits\[0\].agent: no record "ghost"' -- "$BIN" -a "$A" import "$work/bad.json"
expect "  ... and the next one" 1 'records\[2\] \(e\): date: is required' -- "$BIN" -a "$A" import "$work/bad.json"
expect "nothing imported" 0 '^0 records' -- "$BIN" -a "$A" search fine
expect "unreadable file" 1 'cannot read' -- "$BIN" -a "$A" import "$work/missing.json"
head -c 3000 /dev/urandom > "$work/binary.json"
expect "binary garbage" 1 'not valid JSON|nothing was imported' -- "$BIN" -a "$A" import "$work/binary.json"

# null, wrong JSON types, duplicate members, NUL and huge numbers: each a
# message naming the record and the field, exit 1, never a crash or a
# raw constraint error
nulls() { printf '{"records": [{"type": "agent", "slug": "ag", "kind": "person", "titles": [{"text": "Ag"}]}, %s]}' "$1" > "$work/null.json"; }
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "credits": [{"agent": null, "role": "director"}]}'
expect "a credit with agent null" 1 'records\[1\] \(w\): credits\[0\]\.agent: is null' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "relations": [{"type": "related", "to": null}]}'
expect "a relation to null" 1 'records\[1\] \(w\): relations\[0\]\.to: is null' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": null, "slug": "w", "titles": [{"text": "W"}]}'
expect "type null" 1 'records\[1\] \(w\): type: is null' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": "w", "titles": [{"text": null}]}'
expect "a title's text null" 1 'records\[1\] \(w\): titles\[0\]\.text: is null' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": "w", "titles": null}'
expect "titles null" 1 'records\[1\] \(w\): titles: is null' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": null, "titles": [{"text": "Sin nombre"}]}'
expect "slug null, named by its title" 1 'records\[1\] \("Sin nombre"\): slug: is null' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "duration": null, "forms": null, "manifestations": [null]}'
expect "duration null" 1 'records\[1\] \(w\): duration: is null' -- "$BIN" -a "$A" import "$work/null.json"
expect "  ... forms null" 1 'records\[1\] \(w\): forms: is null' -- "$BIN" -a "$A" import "$work/null.json"
expect "  ... a manifestation null" 1 'records\[1\] \(w\): manifestations\[0\]: must be an object, not null' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "credits": [{"agent": "ag", "role": null}], "relations": [{"type": null, "to": "ag"}], "access": null}'
expect "a role null" 1 'records\[1\] \(w\): credits\[0\]\.role: is null' -- "$BIN" -a "$A" import "$work/null.json"
expect "  ... a relation type null" 1 'records\[1\] \(w\): relations\[0\]\.type: is null' -- "$BIN" -a "$A" import "$work/null.json"
expect "  ... access null" 1 'records\[1\] \(w\): access: is null' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "place", "slug": "p", "titles": [{"text": "P"}], "lat": null, "lon": "66"}'
expect "a coordinate null or a text" 1 'records\[1\] \(p\): lon: must be a number' -- "$BIN" -a "$A" import "$work/null.json"
# rights: the address of a licence, and its words by language
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "rights": null, "rights_statements": [{"text": null}]}'
expect "rights null" 1 'records\[1\] \(w\): rights: is null' -- "$BIN" -a "$A" import "$work/null.json"
expect "  ... a rights statement's text null" 1 'records\[1\] \(w\): rights_statements\[0\]\.text: is null' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "rights": "Todos los derechos reservados"}'
expect "rights as words, not an address" 1 'records\[1\] \(w\): rights: "Todos los derechos reservados" is not an address: .*rights_statements' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "rights": "http://rightsstatements.org/vocab/InC/1.0/ and more"}'
expect "rights with a space in the address" 1 'records\[1\] \(w\): rights: .* has a space' -- "$BIN" -a "$A" import "$work/null.json"
# (in an archive of their own: the checks below want $A empty)
"$BIN" -a "$work/rights" init >/dev/null
nulls '{"type": "work", "slug": "w-rights", "access": "public", "titles": [{"text": "W"}], "rights": "https://creativecommons.org/licenses/by-nc/4.0/", "rights_statements": [{"text": "CC BY-NC 4.0, Comité de Amas de Casa", "lang": "es"}, {"text": "CC BY-NC 4.0, the Housewives Committee", "lang": "en"}]}'
expect "rights and their statements import" 0 '' -- "$BIN" -a "$work/rights" import "$work/null.json"
expect "  ... and export as they came" 0 '"rights": "https://creativecommons.org/licenses/by-nc/4.0/"' -- "$BIN" -a "$work/rights" export-json
"$BIN" -a "$work/rights" export-json > "$work/rights-export.json" 2>&1
expect "  ... the statement in both languages, in order" 0 '' -- python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
r = [r for r in d['records'] if r['slug'] == 'w-rights'][0]
assert r['rights_statements'] == [{'text': 'CC BY-NC 4.0, Comité de Amas de Casa', 'lang': 'es'},
                                  {'text': 'CC BY-NC 4.0, the Housewives Committee', 'lang': 'en'}], r" "$work/rights-export.json"
nulls '{"type": "work", "slug": "w-rights", "access": "public", "titles": [{"text": "W"}]}'
expect "  ... and go when the record is imported again without them" 0 '' -- "$BIN" -a "$work/rights" import "$work/null.json"
expect "  ... (the export has none)" 0 '' -- sh -c '! "$0" -a "$1" export-json | grep -q creativecommons' "$BIN" "$work/rights"
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "date": 1983}'
expect "a year as a number" 1 'records\[1\] \(w\): date: is the number 1983; write a date as text, "1983"' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "date": "1983-13"}'
expect "a month that is not a month" 1 'records\[1\] \(w\): date: "1983-13" .*there is no month 13' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "date": "83"}'
expect "a year that is not a year" 1 'records\[1\] \(w\): date: "83" .*must start with a year of four digits' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "date": "1983", "date": "1984"}'
expect "a member given twice" 1 'null.json:1:[0-9]+: records\[1\] \(w\): date: is given twice' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": "w", "titles": [{"text": "a\u0000b"}]}'
expect "a NUL in a title, in words" 1 'records\[1\] \(w\): titles\[0\]\.text: contains \\u0000 \(a NUL character\)' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "duration": 99999999999999999999}'
expect "a huge number" 1 'records\[1\]: duration: the number is too large' -- "$BIN" -a "$A" import "$work/null.json"
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "manifestations": [{"id": "01a2373a-a8be-7003-833b-52fbe140ae7a", "kind": "original"}, {"id": "01a2373a-a8be-7003-833b-52fbe140ae7a", "kind": "copy"}]}'
expect "a manifestation id given twice" 1 'records\[1\] \(w\): manifestations\[1\]\.id: .* is also the id of a manifestation' -- "$BIN" -a "$A" import "$work/null.json"
perl -e 'print "{\"records\": [", join(",", map { "{\"type\": \"work\", \"slug\": \"w$_\", \"date\": \"x\", \"titles\": [{\"text\": \"W\"}]}" } 1..1200), "]}"' > "$work/many.json"
expect "too many problems: said last, after those shown" 0 'many.json: too many problems \(999 shown\)' -- sh -c "'$BIN' -a '$A' import '$work/many.json' 2>&1 | tail -2 | head -1"
nulls '{"type": "work", "slug": "w", "titles": [{"text": "W"}], "descriptions": [{"text": "D", "kind": "main"}], "forms": ["short\u0001", 5]}'
expect "a description has no kind" 1 'records\[1\] \(w\): descriptions\[0\]\.kind: unknown field' -- "$BIN" -a "$A" import "$work/null.json"
expect "  ... a form with a control character" 1 'records\[1\] \(w\): forms\[0\]: contains control character U\+0001' -- "$BIN" -a "$A" import "$work/null.json"
expect "  ... a form that is a number" 1 'records\[1\] \(w\): forms\[1\]: must be a text in quotes, not a number' -- "$BIN" -a "$A" import "$work/null.json"
printf '{"format": null, "records": [{"type": "work", "slug": "fmt", "titles": [{"text": "F"}]}]}' > "$work/format.json"
expect "a bad format member stops good records too" 1 'format.json: format: must be "cinemateca-import"' -- "$BIN" -a "$A" import "$work/format.json"
expect "none of it imported" 0 '^0 records' -- "$BIN" -a "$A" search ag

# titles with no Latin letter: every record gets an id and a slug, the
# export imports back into an empty archive to the same catalogue
cat > "$work/scripts.json" <<'JSON'
{"records": [
 {"type": "work", "access": "public", "titles": [{"text": "東京物語", "lang": "ja"}]},
 {"type": "work", "titles": [{"text": "المومياء", "lang": "ar"}]},
 {"type": "agent", "kind": "person", "titles": [{"text": "’’ — ‘’"}]},
 {"type": "subject", "titles": [{"text": "🎬🎞️"}]},
 {"type": "event", "date": "1983", "titles": [{"text": "!!!"}]},
 {"type": "event", "date": "1984", "titles": [{"text": "!!!"}]}
]}
JSON
S="$work/scripts"
expect "records without a Latin letter import" 0 '6 records created' -- sh -c "'$BIN' -a '$S' init >/dev/null && '$BIN' -a '$S' import '$work/scripts.json'"
expect "  ... each with an id and a usable slug" 0 '^0\|6$' -- sqlite3 "$S/catalog.db" "SELECT sum(length(id) <> 36 OR slug NOT GLOB '[a-z]*-[0-9a-f]*' OR length(slug) > 80), count(DISTINCT slug) FROM record"
expect "  ... importing them again changes nothing" 0 '0 records created, 0 updated, 6 unchanged' -- "$BIN" -a "$S" import "$work/scripts.json"
"$BIN" -a "$S" export-json "$work/scripts-export.json"
expect "  ... the export imports into an empty archive" 0 '6 records created' -- sh -c "'$BIN' -a '$work/scripts2' init >/dev/null && '$BIN' -a '$work/scripts2' import '$work/scripts-export.json'"
"$BIN" -a "$work/scripts2" export-json > "$work/scripts-export2.json"
expect "  ... to the same catalogue" 0 '' -- cmp "$work/scripts-export.json" "$work/scripts-export2.json"

# the demo, search, and the round trip through export-json
expect "demo" 0 'records created' -- "$BIN" -a "$A" demo
expect "demo again changes nothing" 0 '0 records created, 0 updated' -- "$BIN" -a "$A" demo
expect "search folds accents" 0 'dona-helena-palliri' -- "$BIN" -a "$A" search dona helena
expect "search by prefix" 0 'dona-helena-palliri' -- "$BIN" -a "$A" search PALL
expect "search page out of range" 1 'page' -- "$BIN" -a "$A" search --page 0 x
expect "export" 0 '' -- "$BIN" -a "$A" export-json "$work/export.json"
expect "import the export elsewhere" 0 'created an archive' -- "$BIN" -a "$work/copy" init
expect "  ... imports" 0 'records created' -- "$BIN" -a "$work/copy" import "$work/export.json"
"$BIN" -a "$work/copy" export-json > "$work/export2.json"
expect "round trip is identical" 0 '' -- cmp "$work/export.json" "$work/export2.json"
expect "import from standard input" 0 '0 records created, 0 updated' -- sh -c "'$BIN' -a '$work/copy' import - < '$work/export.json'"

# a catalogue locked by another writer: a clear message, not a hang
( sqlite3 "$A/catalog.db" <<'SQL'
BEGIN EXCLUSIVE;
INSERT INTO change_log (record_id, type, op, at) VALUES ('x', 'work', 'update', 'now');
.shell sleep 8
ROLLBACK;
SQL
) & locker=$!
sleep 1
expect "locked catalogue on import" 1 'locked by another process' -- "$BIN" -a "$A" import "$work/export.json"
wait "$locker"
expect "unlocked again" 0 'unchanged' -- "$BIN" -a "$A" import "$work/export.json"

# import and demo are audited: who, which record, created or replaced,
# and the access level before and after
me=$(id -un)
expect "the demo audited every record it made" 0 '^1$' -- sqlite3 "$A/catalog.db" "SELECT (SELECT count(*) FROM audit WHERE action = 'demo' AND actor = 'cli:$me' AND detail LIKE 'demo collection: created %') = (SELECT count(*) FROM record WHERE slug NOT GLOB 'audited-*')"
printf '{"records": [{"type": "work", "slug": "audited-film", "titles": [{"text": "Audited"}]}]}' > "$work/audit1.json"
printf '{"records": [{"type": "work", "slug": "audited-film", "access": "public", "titles": [{"text": "Audited"}]}]}' > "$work/audit2.json"
"$BIN" -a "$A" import "$work/audit1.json" >/dev/null
expect "an import audits a record it creates" 0 "^cli:$me\\|import\\|audited-film\\|.*audit1.json: created work, access private$" -- sqlite3 "$A/catalog.db" "SELECT a.actor, a.action, r.slug, a.detail FROM audit a JOIN record r ON r.id = a.record_id WHERE r.slug = 'audited-film'"
"$BIN" -a "$A" import "$work/audit2.json" >/dev/null
expect "  ... and one it makes public, with the change of level" 0 "audit2.json: replaced work, access private → public$" -- sqlite3 "$A/catalog.db" "SELECT a.detail FROM audit a JOIN record r ON r.id = a.record_id WHERE r.slug = 'audited-film' ORDER BY a.seq DESC LIMIT 1"
"$BIN" -a "$A" import "$work/audit2.json" >/dev/null
expect "  ... and nothing for an import that changes nothing" 0 '^2$' -- sqlite3 "$A/catalog.db" "SELECT count(*) FROM audit a JOIN record r ON r.id = a.record_id WHERE r.slug = 'audited-film'"

# accounts, groups, levels, grants and screeners
expect "user add" 0 'added ana \(viewer\)' -- sh -c "echo 'a-good-password' | '$BIN' -a '$A' user add ana --role viewer --password-stdin"
expect "user add twice" 1 'already an account "ana"' -- sh -c "echo 'a-good-password' | '$BIN' -a '$A' user add ana --role viewer --password-stdin"
expect "a short password" 1 'at least 8 characters' -- sh -c "echo 'short' | '$BIN' -a '$A' user add bea --role viewer --password-stdin"
expect "an unknown role" 1 '"king" is not a role' -- sh -c "echo 'a-good-password' | '$BIN' -a '$A' user add bea --role king --password-stdin"
expect "a bad account name" 1 'not a usable account name' -- sh -c "echo 'a-good-password' | '$BIN' -a '$A' user add 'a b' --role viewer --password-stdin"
expect "user list" 0 '^ana +viewer +active' -- "$BIN" -a "$A" user list
expect "passwords are not stored" 1 '' -- sh -c "sqlite3 '$A/catalog.db' \"SELECT pw_hash FROM user\" | grep -q a-good-password"
expect "argon2id hashes" 0 '' -- sh -c "sqlite3 '$A/catalog.db' \"SELECT pw_hash FROM user\" | grep -q '^\\\$argon2id\\\$'"
expect "group add" 0 'added group @festival' -- "$BIN" -a "$A" group add festival
expect "group join" 0 'ana joined @festival' -- "$BIN" -a "$A" group join festival ana
expect "join an unknown group" 1 'no group "nope"' -- "$BIN" -a "$A" group join nope ana
expect "grant to a group" 0 '@festival may read all-saints-day until 2030-01-01' -- "$BIN" -a "$A" grant @festival all-saints-day --until 2030-01-01
expect "grant to a user" 0 'ana may read carreras' -- "$BIN" -a "$A" grant ana carreras
expect "grant a missing record" 1 'no record "nope"' -- "$BIN" -a "$A" grant ana nope
expect "grant with a bad date" 1 '--until wants a date' -- "$BIN" -a "$A" grant ana carreras --until 2030-13-01
expect "grants" 0 'all-saints-day +@festival +2030-01-01' -- "$BIN" -a "$A" grants
expect "revoke" 0 'ana may no longer read carreras' -- "$BIN" -a "$A" revoke ana carreras
expect "revoke again" 1 'ana had no grant on carreras' -- "$BIN" -a "$A" revoke ana carreras
expect "access set" 0 'carreras is private until 2099-01-01' -- "$BIN" -a "$A" access set carreras private --until 2099-01-01
expect "access set, bad level" 1 '"secret" is not a level' -- "$BIN" -a "$A" access set carreras secret
expect "screener for a non-work" 1 'screener links are for works' -- "$BIN" -a "$A" screener telamayu --for Fest --days 3
expect "screener without days" 2 'usage' -- "$BIN" -a "$A" screener carreras --for Fest
expect "screener days out of range" 1 '--days wants' -- "$BIN" -a "$A" screener carreras --for Fest --days 400
expect "screener" 0 '^http://127\.0\.0\.1:8080/screener/[0-9a-f-]{36}\.[0-9]+\.[0-9a-f]{64}$' -- sh -c "'$BIN' -a '$A' screener carreras --for 'Festival X' --days 3 2>/dev/null"
expect "screeners" 0 'carreras +Festival X .* live' -- "$BIN" -a "$A" screeners
sid=$("$BIN" -a "$A" screeners | awk '{print $1; exit}')
expect "revoke-screener" 0 "screener $sid revoked" -- "$BIN" -a "$A" revoke-screener "$sid"
expect "revoke-screener twice" 1 'no live screener' -- "$BIN" -a "$A" revoke-screener "$sid"
expect "user passwd" 0 'new password for ana' -- sh -c "echo 'another-password' | '$BIN' -a '$A' user passwd ana --password-stdin"
expect "user disable" 0 'disabled ana' -- "$BIN" -a "$A" user disable ana
expect "every change is audited" 0 '' -- sh -c "test \$(sqlite3 '$A/catalog.db' \"SELECT count(*) FROM audit WHERE action NOT IN ('import', 'demo')\") -eq 11"
env -u USER "$BIN" -a "$A" access set audited-film community >/dev/null
expect "without \$USER (cron, systemd) the audit names the account, not cli:unknown" 0 "^cli:$me\$" -- \
	sqlite3 "$A/catalog.db" "SELECT actor FROM audit WHERE action = 'access set' ORDER BY seq DESC LIMIT 1"

# subtitles and transcripts
printf '1\r\n00:00:01,000 --> 00:00:02,500\r\nDoña Helena trabaja\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\nen la montaña\r\n' > "$work/s.srt"
printf 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nBien\n\n00:00:05.000 --> 00:00:01.000\nAl revés\n\n00:00:06.000 -> 00:00:07.000\nFlecha\n' > "$work/bad.vtt"
expect "subtitle from SRT" 0 '2 cues, es, converted from SRT' -- "$BIN" -a "$A" subtitle dona-helena-palliri --lang es "$work/s.srt"
expect "  ... its cues are kept" 0 '^2$' -- sqlite3 "$A/catalog.db" "SELECT count(*) FROM cue WHERE lang = 'es'"
expect "  ... kept as SRT, the original" 0 '^application/x-subrip\|subtitle$' -- sqlite3 "$A/catalog.db" "SELECT mime || '|' || role FROM file WHERE name = 's.srt'"
expect "  ... with its WebVTT as a derivative" 0 '^text/vtt\|subtitle\|webvtt$' -- sqlite3 "$A/catalog.db" "SELECT mime || '|' || role || '|' || derivative FROM file WHERE name = 's.vtt'"
expect "the same file again changes nothing" 0 'already stored .* s\.srt \(2 cues, es; already this record' -- "$BIN" -a "$A" subtitle dona-helena-palliri --lang es "$work/s.srt"
expect "  ... one file, two cues" 0 '^1\|2$' -- sqlite3 "$A/catalog.db" "SELECT (SELECT count(*) FROM file WHERE name = 's.srt'), (SELECT count(*) FROM cue WHERE lang = 'es')"
expect "a bad WebVTT names its lines" 1 'bad.vtt:6: the cue ends before it starts' -- "$BIN" -a "$A" subtitle dona-helena-palliri --lang en "$work/bad.vtt"
expect "  ... every one of them" 1 'bad.vtt:9: "00:00:06.000 -> 00:00:07.000" is not a timing line' -- "$BIN" -a "$A" subtitle dona-helena-palliri --lang en "$work/bad.vtt"
expect "  ... and stores nothing" 0 '^0$' -- sqlite3 "$A/catalog.db" "SELECT count(*) FROM cue WHERE lang = 'en'"
expect "subtitle for a missing record" 1 'no record "nope"' -- "$BIN" -a "$A" subtitle nope --lang es "$work/s.srt"
expect "subtitle with a bad language" 1 'not a language tag' -- "$BIN" -a "$A" subtitle dona-helena-palliri --lang spanish "$work/s.srt"
expect "subtitle from a binary file" 1 'not UTF-8|NUL|timing|no cues' -- "$BIN" -a "$A" subtitle dona-helena-palliri --lang es "$work/binary.json"

mkdir -p build/results
name=cli; case "$BIN" in */asan/*) name=cli-asan ;; esac
echo "$passed $failed" > "build/results/$name"
echo "$name: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
