#!/usr/bin/env bash
# tests/faults/run.sh — the commands under injected faults, as SQLite's
# faultsim and curl's torture mode test theirs.
#
#   tests/faults/run.sh            a bounded selection of fault points
#   tests/faults/run.sh --full     every point of every kind
#   FAULT_OPS="import edit" FAULT_KINDS=step FAULT_POINT=17 FAULT_KEEP=1 tests/faults/run.sh
#                                  one point, keeping its archive to look at
#
# build/faults/cinemateca is the program linked with tests/faults/shim.c,
# which fails the Nth SQLite step, write, fsync or allocation of one kind
# (step write fsync alloc dbwrite dbsync dballoc; see shim.c). For each
# operation (import, ingest, subtitle, delete, fixity, grant, and a web
# edit through a real `cinemateca serve` of the fault build with a
# logged-in archivist and its CSRF token), a clean run first says how many
# points of each kind it goes through and what the catalogue looks like
# after it; then, on a fresh copy of the same archive for every point, the
# operation runs with that point failing, and:
#   - it did not crash, and exited 0 only if the catalogue is as the clean
#     run leaves it (no success that did not happen); else it exited
#     non-zero (the web edit: an error page) with a message that says
#     something (not empty, not SQLite's "not an error"), and the
#     catalogue is exactly as before: all of the change or none of it;
#   - the archive is consistent (see check_archive below): integrity_check,
#     both FTS5 integrity-checks, foreign keys, the logs agree with what
#     the catalogue holds, objects/ agrees with the rows, no staging file
#     left in tmp/, and `cinemateca fixity` passes;
#   - after a failure the same operation run again without the fault
#     succeeds and leaves the catalogue as the clean run does.
# "As the clean run leaves it" is a signature of the catalogue (tables'
# counts and contents without ids and times: see SIG_SQL), so records,
# their audit lines, change-log entries and preservation events are
# compared together.
#
# The bounded selection takes, per operation and kind, the first and last
# point and FAULT_SAMPLES (default 6) spread evenly between them: the same
# points every run. Prints one line per operation and kind with the points
# tried, one FAIL line per bad point with what was wrong and the command
# that reproduces it, and ends with "N passed, N failed"; writes the totals
# to build/results/faults-quick (faults with --full).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

FAULTS=${FAULTS:-build/faults/cinemateca}	# the fault build
BIN=${BIN:-build/cinemateca}			# the plain build, for set-up and checks
SUITE=faults-quick
if [[ ${1:-} == --full ]]; then
	SUITE=faults
fi
OPS=${FAULT_OPS:-import ingest subtitle delete fixity grant edit}
KINDS=${FAULT_KINDS:-step write fsync alloc dbwrite dbsync dballoc}
SAMPLES=${FAULT_SAMPLES:-6}
PW='password-123'

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

for b in "$FAULTS" "$BIN"; do
	[[ -x $b ]] || { echo "error: $b is not built (make $b)" >&2; exit 1; }
done

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-faults.XXXXXX")
[[ -n ${FAULT_KEEP:-} ]] || at_exit rm -rf -- "$W"
T=$W/template		# the archive every point starts from
P=$W/point		# the archive of the point being tried
IN=$W/in		# the operations' input files
mkdir -p "$IN"
export CINEMATECA_FAULT_COUNTS=$W/counts

# ---- the inputs ------------------------------------------------------------

cat >"$IN/base.json" <<'EOF'
{"format": "cinemateca-import", "version": 1, "records": [
 {"type": "agent", "slug": "ana-maria", "kind": "person", "access": "public",
  "titles": [{"text": "Ana María Quispe"}]},
 {"type": "work", "slug": "primera", "date": "1983", "access": "public",
  "titles": [{"text": "La primera película", "lang": "es"}],
  "descriptions": [{"text": "Mineros en la plaza.", "lang": "es"}],
  "credits": [{"agent": "ana-maria", "role": "director"}]},
 {"type": "work", "slug": "segunda", "date": "1984", "access": "private",
  "titles": [{"text": "La segunda", "lang": "es"}]}
]}
EOF
cat >"$IN/new.json" <<'EOF'
{"format": "cinemateca-import", "version": 1, "records": [
 {"type": "agent", "slug": "jorge-sanjines", "kind": "person", "access": "public",
  "titles": [{"text": "Jorge Sanjinés"}]},
 {"type": "work", "slug": "tercera", "date": "1985", "access": "public",
  "titles": [{"text": "Tercera: el socavón", "lang": "es"}, {"text": "Third", "lang": "en"}],
  "credits": [{"agent": "jorge-sanjines", "role": "camera"}],
  "relations": [{"type": "related", "to": "primera"}]},
 {"type": "work", "slug": "segunda", "date": "1984", "access": "public",
  "titles": [{"text": "La segunda", "lang": "es"}]}
]}
EOF
printf 'a scanned page, in words\n' >"$IN/base1.txt"
printf 'another page\n' >"$IN/base2.txt"
printf 'the third page, ingested under faults\n' >"$IN/new.txt"
cat >"$IN/subs.vtt" <<'EOF'
WEBVTT

00:00:01.000 --> 00:00:03.000
Los mineros cantan en la plaza.

00:00:04.000 --> 00:00:06.500
Doña Helena habla de la lucha.

00:00:07.000 --> 00:00:09.000
Fin.
EOF

# ---- the template archive --------------------------------------------------

setup_fail() {
	echo "error: setting up the template archive: $*" >&2
	exit 1
}
"$BIN" -a "$T" init >/dev/null || setup_fail init
"$BIN" -a "$T" import "$IN/base.json" >/dev/null || setup_fail import
for u in ana:archivist luis:viewer; do
	printf '%s\n' "$PW" | "$BIN" -a "$T" user add "${u%%:*}" --role "${u#*:}" --password-stdin \
		>/dev/null || setup_fail "user add $u"
done
"$BIN" -a "$T" ingest --to primera --role scan --no-derive "$IN/base1.txt" >/dev/null ||
	setup_fail ingest
"$BIN" -a "$T" ingest --to segunda --role scan --no-derive "$IN/base2.txt" >/dev/null ||
	setup_fail ingest
FILE1=$(sqlite3 "$T/catalog.db" "SELECT id FROM file WHERE name LIKE '%base1.txt'")
[[ -n $FILE1 ]] || setup_fail "no file row for base1.txt"

# The web edit: log the archivist in once, in the template, and keep the
# form of the work as a browser would send it (the session and its CSRF
# token are rows of the catalogue, so every copy has them).
JAR=$W/jar
EDIT_PATH=/admin/edit/primera
# form_fields FILE ACTION: the form's fields as NAME=VALUE lines, entities
# decoded (inputs, the selected option of each select, textareas).
form_fields() {
	ACT=$2 perl -0777 -ne '
		sub dec { my $s = shift; $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g;
			$s =~ s/&#39;/\x27/g; $s =~ s/&amp;/&/g; return $s }
		sub attr { my ($t, $n) = @_; return $t =~ /\b$n="([^"]*)"/ ? dec($1) : undef }
		while (/<form\b([^>]*)>(.*?)<\/form>/gs) {
			my ($a, $in) = ($1, $2);
			next unless $a =~ /action="\Q$ENV{ACT}\E"/;
			while ($in =~ /<(input|select|textarea)\b([^>]*)>(?:(.*?)<\/\1>)?/gs) {
				my ($tag, $t, $c) = ($1, $2, $3 // "");
				my $name = attr($t, "name"); next unless defined $name;
				my $v;
				if ($tag eq "input") { $v = attr($t, "value") // "" }
				elsif ($tag eq "textarea") { $c =~ s/^\n//; $v = dec($c) }
				else {
					my @o = $c =~ /<option\b([^>]*)>/g;
					my ($sel) = grep { /\bselected\b/ } @o;
					$sel //= $o[0] // ""; $v = attr($sel, "value") // "";
				}
				$v =~ s/\n/ /g;
				print "$name=$v\n";
			}
			exit;
		}' "$1"
}
CINEMATECA=$BIN server_start "$T" || setup_fail "serve"
curl -s -o "$W/page" -c "$JAR" -b "$JAR" "$BASE/login"
csrf=$(form_csrf "$W/page")
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode name=ana \
	--data-urlencode "password=$PW" --data-urlencode "csrf=$csrf" "$BASE/login"
curl -s -o "$W/page" -c "$JAR" -b "$JAR" "$BASE$EDIT_PATH"
EDIT_DATA=()
while IFS= read -r item; do
	[[ $item == title0=* ]] && item='title0=La primera película (editada)'
	EDIT_DATA+=(--data-urlencode "$item")
done < <(form_fields "$W/page" "$EDIT_PATH")
server_stop || setup_fail "serve did not stop"
[[ ${#EDIT_DATA[@]} -gt 4 ]] || setup_fail "no edit form at $EDIT_PATH"
sqlite3 "$T/catalog.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null

# op_args OP: the command line of OP (not edit), in ARGS.
op_args() {
	case $1 in
	import) ARGS=(import "$IN/new.json") ;;
	ingest) ARGS=(ingest --to primera --role scan --no-derive "$IN/new.txt") ;;
	subtitle) ARGS=(subtitle primera --lang es "$IN/subs.vtt") ;;
	delete) ARGS=(delete "$FILE1" --reason "a duplicate scan") ;;
	fixity) ARGS=(fixity) ;;
	grant) ARGS=(grant luis segunda --until 2030-01-01) ;;
	esac
}

# ---- what the catalogue looks like, and whether it is consistent ----------

# The signature: what an operation changes, without ids and times.
SIG_SQL="
SELECT 'record', group_concat(x, ' ') FROM (SELECT type || ':' || slug || ':' || access ||
	':' || ifnull(embargo_until, '') || ':' || ifnull(date, '') AS x FROM record ORDER BY x);
SELECT 'title', group_concat(x, '|') FROM (SELECT ord || ':' || text || ':' || ifnull(lang, '')
	AS x FROM title ORDER BY x);
SELECT 'description', count(*) FROM description;
SELECT 'credit', count(*) FROM credit;
SELECT 'relation', count(*) FROM relation;
SELECT 'manifestation', count(*) FROM manifestation;
SELECT 'file', group_concat(x, ' ') FROM (SELECT role || ':' || sha256 || ':' ||
	(deleted IS NOT NULL) AS x FROM file ORDER BY x);
SELECT 'object', group_concat(x, ' ') FROM (SELECT sha256 || ':' || ifnull(fixity_ok, '-')
	AS x FROM object ORDER BY x);
SELECT 'cue', group_concat(x, '|') FROM (SELECT start_ms || ':' || text AS x FROM cue ORDER BY x);
SELECT 'premis', group_concat(x, ' ') FROM (SELECT type || ':' || outcome AS x
	FROM premis_event ORDER BY x);
SELECT 'change_log', group_concat(x, ' ') FROM (SELECT type || ':' || op AS x
	FROM change_log ORDER BY x);
SELECT 'audit', group_concat(x, ' ') FROM (SELECT action AS x FROM audit ORDER BY x);
SELECT 'grant', group_concat(x, ' ') FROM (SELECT ifnull(user_id, '') || ':' ||
	ifnull(grp_id, '') || ':' || ifnull(until, '') AS x FROM access_grant ORDER BY x);
SELECT 'tombstone', count(*) FROM tombstone;
SELECT 'user', count(*) FROM user;
SELECT 'derivative_job', count(*) FROM derivative_job;
"

# The invariants, from the schema (src/db/schema/*.sql): each query prints
# a line only for what breaks one.
INV_SQL="
SELECT 'integrity_check: ' || integrity_check FROM pragma_integrity_check
	WHERE integrity_check <> 'ok';
SELECT 'foreign key: ' || \"table\" || ' row ' || rowid || ' -> ' || parent FROM pragma_foreign_key_check;
-- every record was logged, and its last entry is not a deletion
SELECT 'record ' || slug || ' has no change-log entry' FROM record r
	WHERE NOT EXISTS (SELECT 1 FROM change_log c WHERE c.record_id = r.id);
SELECT 'record ' || slug || ' is logged as deleted' FROM record r
	WHERE (SELECT op FROM change_log c WHERE c.record_id = r.id ORDER BY seq DESC LIMIT 1) = 'delete';
-- a tombstone is a record that is gone and logged as deleted
SELECT 'tombstone ' || slug || ' but the record is still there' FROM tombstone t
	WHERE EXISTS (SELECT 1 FROM record r WHERE r.id = t.record_id);
SELECT 'tombstone ' || slug || ' not logged as deleted' FROM tombstone t
	WHERE ifnull((SELECT op FROM change_log c WHERE c.record_id = t.record_id
		ORDER BY seq DESC LIMIT 1), '') <> 'delete';
-- every change-log entry is of a record that exists or has a tombstone
SELECT 'change log names ' || record_id || ', neither a record nor a tombstone' FROM change_log c
	WHERE NOT EXISTS (SELECT 1 FROM record r WHERE r.id = c.record_id)
	AND NOT EXISTS (SELECT 1 FROM tombstone t WHERE t.record_id = c.record_id);
-- every file was ingested (or made) with an event; a deleted one has its deletion
SELECT 'file ' || id || ' has no ingestion or creation event' FROM file f
	WHERE NOT EXISTS (SELECT 1 FROM premis_event e WHERE e.file_id = f.id
		AND e.type IN ('ingestion', 'creation') AND e.outcome = 'success');
SELECT 'file ' || id || ' is deleted without a deletion event' FROM file f
	WHERE deleted IS NOT NULL AND NOT EXISTS (SELECT 1 FROM premis_event e
		WHERE e.file_id = f.id AND e.type = 'deletion');
SELECT 'file ' || id || ' has a deletion event but is not deleted' FROM file f
	WHERE deleted IS NULL AND EXISTS (SELECT 1 FROM premis_event e
		WHERE e.file_id = f.id AND e.type = 'deletion');
-- every live file's bytes are an object; a subtitle's cues belong to a live file
SELECT 'file ' || id || ' has no object row' FROM file f
	WHERE deleted IS NULL AND NOT EXISTS (SELECT 1 FROM object o WHERE o.sha256 = f.sha256);
SELECT 'cue ' || id || ' of a deleted or missing file' FROM cue c
	WHERE file_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM file f WHERE f.id = c.file_id
		AND f.deleted IS NULL);
-- an object's verdict is that of the fixity events of its live files
SELECT 'object ' || sha256 || ' has fixity_ok ' || fixity_ok || ' unlike its events' FROM object o
	WHERE fixity_ok IS NOT NULL AND EXISTS (SELECT 1 FROM file f WHERE f.sha256 = o.sha256
		AND f.deleted IS NULL AND ifnull((SELECT e.outcome = 'success' FROM premis_event e
		WHERE e.file_id = f.id AND e.type = 'fixity check' ORDER BY e.rowid DESC LIMIT 1), -1)
		<> o.fixity_ok);
"

# sig DIR: the archive's signature.
sig() { sqlite3 "$1/catalog.db" "$SIG_SQL" 2>&1; }

# check_archive DIR: the invariants; prints one line per broken one.
check_archive() {
	local d=$1 out sha f
	out=$(sqlite3 "$d/catalog.db" "$INV_SQL" 2>&1) || echo "sqlite3 cannot read the catalogue: $out"
	[[ -z $out ]] || printf '%s\n' "$out"
	for t in search cue_search; do
		out=$(sqlite3 "$d/catalog.db" "INSERT INTO $t ($t, rank) VALUES ('integrity-check', 1)" 2>&1) ||
			echo "FTS5 $t integrity-check: $out"
	done
	# objects/ and the rows: a stored file has an object row and a live
	# file row (what fixity reads), and such an object has its file (the
	# row of an object whose files were all deleted stays, as history)
	sqlite3 "$d/catalog.db" "SELECT o.sha256 FROM object o WHERE EXISTS (SELECT 1 FROM file f
		WHERE f.sha256 = o.sha256 AND f.deleted IS NULL) ORDER BY 1" >"$W/rows" 2>&1
	find "$d/objects" -type f -printf '%f\n' 2>/dev/null | sort >"$W/stored"
	while IFS= read -r sha; do echo "object $sha in objects/ has no live file row (fixity never sees it)"; done \
		< <(comm -23 "$W/stored" "$W/rows")
	while IFS= read -r sha; do echo "object $sha of a live file is not in objects/"; done \
		< <(comm -13 "$W/stored" "$W/rows")
	while IFS= read -r f; do echo "left in tmp/: $f"; done \
		< <(find "$d/tmp" -type f -printf '%f\n' 2>/dev/null)
	rm -rf "$W/fixity"
	cp -a "$d" "$W/fixity"
	out=$("$BIN" -a "$W/fixity" fixity 2>&1) || echo "fixity fails: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
}

# message_problem FILE: why the error output in FILE is not a clear message.
message_problem() {
	if [[ ! -s $1 ]]; then
		echo "no message at all"
	elif grep -q 'not an error' "$1"; then
		echo "says 'not an error': $(head -c 200 "$1" | tr '\n' '|')"
	elif grep -q 'not an SQLite database' "$1"; then
		echo "calls the healthy catalogue not an SQLite database: $(head -c 200 "$1" | tr '\n' '|')"
	elif grep -q 'constraint failed' "$1"; then
		echo "a constraint names the wrong cause (a value was lost on the way): $(head -c 200 "$1" | tr '\n' '|')"
	elif [[ -n $success_line ]] && grep -qxF -- "$success_line" "$1"; then
		echo "says it succeeded ('$success_line'), then fails"
	elif grep -qE ':[[:space:]]*$' "$1"; then
		echo "a message with nothing after its colon: $(head -c 200 "$1" | tr '\n' '|')"
	elif ! iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; then
		echo "garbage bytes in the message: $(head -c 200 "$1" | od -c | head -3 | tr '\n' ' ')"
	fi
}

crashed() { grep -qE 'AddressSanitizer|runtime error:|Segmentation|Aborted|core dumped' "$1"; }

# ---- running one operation ------------------------------------------------

# run_cli OP SPEC DIR BINARY: run OP on DIR with the fault SPEC ("" for
# none). Sets RC; output in $W/out; counts in $W/counts.
run_cli() {
	local op=$1 spec=$2 dir=$3 bin=$4
	op_args "$op"
	rm -f "$W/counts"
	CINEMATECA_FAULT=$spec "$bin" -a "$dir" "${ARGS[@]}" >"$W/out" 2>&1 </dev/null
	RC=$?
}

# edit_post: POST the edit form to the running server. Sets RC (0 for the
# 303 of a saved edit, else the status); body in $W/out.
edit_post() {
	local status
	status=$(curl -s -o "$W/out" -D "$W/headers" -w '%{http_code}' --max-time 30 \
		-c "$JAR.point" -b "$JAR.point" "${EDIT_DATA[@]}" "$BASE$EDIT_PATH" 2>/dev/null) || status=000
	[[ -n $status ]] || status=000
	if [[ $status == 303 ]]; then RC=0; else RC=$status; fi
	# the message a person reads: the page's main text
	if [[ $RC != 0 ]]; then
		sed -n '/<main/,/<\/main>/p' "$W/out" | sed 's/<[^>]*>//g' | tr -s ' \n' ' ' >"$W/out.text"
		mv "$W/out.text" "$W/out"
	fi
}

# wait_file FILE: wait up to 5 s for FILE to exist.
wait_file() {
	local i
	for ((i = 0; i < 100; i++)); do
		[[ -e $1 ]] && return 0
		sleep 0.05
	done
	return 1
}

# run_edit SPEC DIR: start the fault build serving DIR, arm SPEC for one
# POST of the edit form, report the counts. Sets RC, SERVER_DIED.
run_edit() {
	local spec=$1 dir=$2
	SERVER_DIED=
	cp "$JAR" "$JAR.point"
	printf '%s\n' "$spec" >"$W/spec"
	CINEMATECA=$FAULTS CINEMATECA_FAULT_ARM=signal CINEMATECA_FAULT_FILE=$W/spec \
		server_start "$dir" || { RC=start; SERVER_DIED=1; return; }
	rm -f "$W/counts" "$W/counts.armed"
	kill -USR1 "$SERVER_PID"
	wait_file "$W/counts.armed" || { RC=arm; return; }
	edit_post
	if server_alive; then
		kill -USR2 "$SERVER_PID"
		wait_file "$W/counts"
	else
		SERVER_DIED=1
		SERVER_PID=
	fi
}

# ---- the sweep ------------------------------------------------------------

# points N: the points to try of N.
points() {
	local n=$1 i
	if [[ -n ${FAULT_POINT:-} ]]; then
		echo "$FAULT_POINT"
	elif [[ $SUITE == faults ]]; then
		seq 1 "$n"
	else
		{
			echo 1
			for ((i = 1; i <= SAMPLES; i++)); do echo $(((i * n + SAMPLES) / (SAMPLES + 1))); done
			echo "$n"
		} | awk -v n="$n" '$1 >= 1 && $1 <= n' | sort -nu
	fi
}

count_of() { awk -v k="$1" '$1 == k { print $2 }' "$W/counts" 2>/dev/null; }

# repro OP SPEC: the command line that reproduces a point.
repro() {
	echo "FAULT_OPS=$1 FAULT_KINDS=${2%%:*} FAULT_POINT=${2#*:} FAULT_KEEP=1 tests/faults/run.sh"
}

declare -A FINDINGS=()
t0=$SECONDS
for op in $OPS; do
	# the clean run: its counts and the signature after it
	rm -rf "$P"
	cp -a "$T" "$P"
	before=$(sig "$P")
	if [[ $op == edit ]]; then run_edit "" "$P"; server_stop; else run_cli "$op" "" "$P" "$FAULTS"; fi
	after=$(sig "$P")
	cp "$W/counts" "$W/counts.$op" 2>/dev/null
	# what the command says when it succeeds: a failing run must not say it
	success_line=
	[[ $op == edit ]] || success_line=$(grep -m1 '^cinemateca: ' "$W/out")
	check "$op: a clean run of the fault build succeeds" "exit $RC: $(head -c 300 "$W/out")" \
		test "$RC" = 0
	bad=$(check_archive "$P")
	check "$op: a clean run leaves the archive consistent" "$bad" test -z "$bad"
	check "$op: a clean run changes the catalogue" "signature unchanged" test "$before" != "$after"
	if [[ $op != fixity ]]; then
		check "$op: a clean run writes an audit line" \
			"$(diff <(grep '^audit' <<<"$before") <(grep '^audit' <<<"$after") >/dev/null &&
				echo "no new audit line")" \
			test "$(grep '^audit' <<<"$before")" != "$(grep '^audit' <<<"$after")"
	fi
	for kind in $KINDS; do
		n=$(awk -v k="$kind" '$1 == k { print $2 }' "$W/counts.$op" 2>/dev/null)
		n=${n:-0}
		if ((n == 0)); then
			echo "---- $op $kind: no points"
			continue
		fi
		tried=0 bad_points=0 unreached=0
		for pt in $(points "$n"); do
			spec=$kind:$pt
			rm -rf "$P"
			cp -a "$T" "$P"
			if [[ $op == edit ]]; then run_edit "$spec" "$P"; else run_cli "$op" "$spec" "$P" "$FAULTS"; fi
			if ! grep -q "^fired $kind " "$W/counts" 2>/dev/null && [[ -z ${SERVER_DIED:-} ]] &&
				! crashed "$W/out" && ((RC < 128)) 2>/dev/null; then
				unreached=$((unreached + 1))
				[[ $op != edit ]] || server_stop
				continue
			fi
			tried=$((tried + 1))
			probs=()
			[[ -z ${FAULT_MESSAGES:-} ]] ||
				printf '%s %s exit %s: %s\n' "$op" "$spec" "$RC" "$(head -c 300 "$W/out" | tr '\n' '|')" \
					>>"$FAULT_MESSAGES"
			now=$(sig "$P")
			if [[ -n ${SERVER_DIED:-} ]] || crashed "$W/out" || { [[ $RC =~ ^[0-9]+$ ]] && ((RC >= 128 && RC < 200)); }; then
				probs+=("crash (exit/status $RC): $(grep -m1 -E 'ERROR|runtime error|Segmentation' "$W/out" | head -c 200)")
			elif [[ $RC == 0 ]]; then
				[[ $now == "$after" ]] || probs+=("reported success but the catalogue is not as a clean run leaves it: $(diff <(echo "$after") <(echo "$now") | grep '^[<>]' | head -4 | tr '\n' ' ')")
			else
				[[ $RC != 2 ]] || probs+=("exit 2, a usage error, for a fault")
				m=$(message_problem "$W/out")
				[[ -z $m ]] || probs+=("unclear message: $m")
				if [[ $op == fixity ]]; then
					# each object's outcome is its own transaction, so that a
					# long run keeps what it proved: a failure may leave the
					# outcomes before it recorded, never half of one (which
					# check_archive sees)
					:
				elif [[ $now == "$after" ]]; then
					probs+=("reported failure (exit $RC) but the change was committed")
				elif [[ $now != "$before" ]]; then
					probs+=("half-made: the catalogue is neither as before nor as after: $(diff <(echo "$before") <(echo "$now") | grep '^[<>]' | head -4 | tr '\n' ' ')")
				fi
			fi
			bad=$(check_archive "$P")
			[[ -z $bad ]] || probs+=("inconsistent: $(head -n 3 <<<"$bad" | tr '\n' ';')")
			if [[ $RC != 0 && -z ${SERVER_DIED:-} ]]; then
				# the same operation without the fault
				if [[ $op == edit ]]; then
					edit_post
					server_stop || probs+=("the server did not stop cleanly")
				else
					run_cli "$op" "" "$P" "$BIN"
				fi
				if [[ $RC != 0 ]]; then
					probs+=("run again without the fault it fails (exit $RC): $(head -c 200 "$W/out" | tr '\n' '|')")
				elif [[ $op == fixity ]]; then
					# run twice, events add up: what must agree is each object's verdict
					[[ $(grep '^object' <<<"$(sig "$P")") == "$(grep '^object' <<<"$after")" ]] ||
						probs+=("run again without the fault the objects' verdicts are unlike a clean run's")
				elif [[ $(sig "$P") != "$after" ]]; then
					probs+=("run again without the fault it leaves the catalogue unlike a clean run")
				fi
			elif [[ $op == edit ]]; then
				server_stop || probs+=("the server did not stop cleanly")
			fi
			if ((${#probs[@]})); then
				bad_points=$((bad_points + 1))
				fail "$op $spec" "$(printf '%s; ' "${probs[@]}")
     reproduce: $(repro "$op" "$spec")"
				FINDINGS["$op $kind"]+=" $pt"
			else
				pass "$op $spec"
			fi
		done
		echo "---- $op $kind: $n points, $tried tried, $bad_points failed the invariants${unreached:+, $unreached not reached}"
	done
done
echo "---- $((SECONDS - t0)) s"
if ((${#FINDINGS[@]})); then
	echo "points that failed, by operation and kind:"
	for k in "${!FINDINGS[@]}"; do echo "  $k:${FINDINGS[$k]}"; done | sort
fi
[[ -z ${FAULT_KEEP:-} ]] || echo "kept: $W (the last point's archive: $P)"
check_summary "$SUITE" "$FAULTS"
