#!/usr/bin/env bash
# tests/scale/run.sh — a sample of the access matrix against a generated
# catalogue large enough for search's fast paths (SCALE_N works, default
# 36,000: about 50,000 records and 180,000 subtitle lines, made by
# bench/gen, imported by `cinemateca import`).
#
#   tests/scale/run.sh
#   CINEMATECA=build/asan/cinemateca tests/scale/run.sh
#
# Search there takes its fast paths: a word in most records has more
# candidates than are ranked (the total is estimated, the facets counted
# over the candidates, the candidates kept in a cache shared by the
# principals who read the same records), browsing walks the title index,
# the home page's counts come from that cache. For every principal (a
# visitor, a viewer, a community member, an archivist, a viewer with a
# grant on one private work) and every page of the sample (the common
# word, its page 50, its works only; a word in about 5 %; a rare word;
# browsing, its page 50, works only; the home page), in the order
# archivist first (so that a cache shared wrongly would hand the others
# what the archivist sees): every record listed must be one that
# principal may read, as the catalogue's own levels say (read with
# sqlite3); the rare and medium words' totals must be what sqlite3
# counts for that principal (record text or readable lines); the type
# facet must add up to the total; the granted viewer finds the granted
# work, a viewer without the grant does not; the estimated totals say
# "about". No timing is asserted: bench/search.sh measures.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
N=${SCALE_N:-36000}
PW='correct horse battery'

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-scale.XXXXXX")
at_exit rm -rf -- "$W"
A=$W/archive
G=$W/gen
mkdir -p "$G"
command -v sqlite3 >/dev/null || { echo "tests/scale: needs sqlite3" >&2; exit 1; }
make --no-print-directory build/bench/gen >/dev/null || exit 1

if BENCH_N=$N build/bench/gen "$G" 2>"$W/gen.err"; then
	pass "bench/gen makes $(sed -n 's/^gen: \([0-9]*\) records.*/\1/p' "$W/gen.err") records"
else
	fail "bench/gen" "$(cat "$W/gen.err")"
fi
"$BIN" -a "$A" init >/dev/null
if "$BIN" -a "$A" import "$G/import-0001.json" >"$W/import.out" 2>&1; then
	pass "the catalogue imports"
else
	fail "the catalogue imports" "$(tail -c 400 "$W/import.out")"
fi
check "the subtitle lines load" "bench/load-cues.sh failed" bench/load-cues.sh "$A" "$G"
DB=$A/catalog.db

read -r _ COMMON _ <<<"$(grep -P '^common\t' "$G/queries.tsv" | tr '\t' ' ')"
read -r _ MEDIUM _ <<<"$(grep -P '^medium\t' "$G/queries.tsv" | tr '\t' ' ')"
read -r _ RARE _ <<<"$(grep -P '^rare\t' "$G/queries.tsv" | tr '\t' ' ')"

# a private work the medium word finds, granted to one viewer
GRANTED=$(sqlite3 "$DB" "SELECT r.slug FROM search s JOIN record r ON r.n = s.rowid
	WHERE search MATCH '\"$MEDIUM\"*' AND r.access = 'private' AND r.type = 'work' LIMIT 1")
check "a private work holds the medium word" "none found" test -n "$GRANTED"

for u in viewer1:viewer member1:community keeper1:archivist granted1:viewer; do
	printf '%s\n' "$PW" | "$BIN" -a "$A" user add "${u%%:*}" --role "${u##*:}" --password-stdin \
		>/dev/null 2>&1 || fail "user add $u" "failed"
done
"$BIN" -a "$A" grant granted1 "$GRANTED" >/dev/null 2>&1 || fail "grant granted1 $GRANTED" "failed"

# levels PRINCIPAL: the SQL list of the levels it reads
levels() {
	case $1 in
	anonymous) echo "'public'" ;;
	viewer | granted) echo "'public', 'registered'" ;;
	community) echo "'public', 'registered', 'community'" ;;
	archivist) echo "'public', 'registered', 'community', 'private'" ;;
	esac
}
# readable_sql PRINCIPAL: an SQL condition on record r for what it reads
readable_sql() {
	local c="(r.access IN ($(levels "$1")) OR r.embargo_until <= date('now'))"
	[[ $1 != granted ]] || c="($c OR r.slug = '$GRANTED')"
	echo "$c"
}
# expected_total PRINCIPAL WORD: what sqlite3 counts: records it reads whose
# text, or whose lines in a file read at the record's level, match
expected_total() {
	sqlite3 "$DB" "SELECT count(*) FROM record r WHERE $(readable_sql "$1") AND (
		r.n IN (SELECT rowid FROM search WHERE search MATCH '\"$2\"*')
		OR r.id IN (SELECT c.record_id FROM cue_search s JOIN cue c ON c.id = s.rowid
			JOIN file f ON f.id = c.file_id WHERE cue_search MATCH '\"$2\"*'
			AND f.deleted IS NULL AND f.access IS NULL))"
}

server_start "$A" || { fail "serve starts" "see above"; check_summary scale "$BIN"; exit 1; }

declare -A JAR=([anonymous]=-)
for p in archivist community viewer granted; do
	declare -A NAME=([archivist]=keeper1 [community]=member1 [viewer]=viewer1 [granted]=granted1)
	JAR[$p]=$W/jar.$p
	curl -s -c "${JAR[$p]}" -b "${JAR[$p]}" -o "$W/login.html" "$BASE/login"
	csrf=$(form_csrf "$W/login.html")
	code=$(curl -s -c "${JAR[$p]}" -b "${JAR[$p]}" -o /dev/null -w '%{http_code}' \
		--data-urlencode "name=${NAME[$p]}" --data-urlencode "password=$PW" \
		--data-urlencode "csrf=$csrf" "$BASE/login")
	same "$p logs in" "$code" 303
done

# get PRINCIPAL PATH: the page into $W/page.html; sets STATUS
get() {
	local args=(-s -g -o "$W/page.html" -w '%{http_code}')
	[[ ${JAR[$1]} == - ]] || args+=(-b "${JAR[$1]}")
	STATUS=$(curl "${args[@]}" "$BASE$2")
}
# listed: the slugs of the records a results page lists
listed() {
	sed -n '/<ol class="results">/,/<\/ol>/p' "$W/page.html" |
		grep -o 'href="/[a-z]*/[a-z0-9-]*"' | sed 's|.*/||; s|"||' | sort -u
}
# shown_total: the "N registros" of a results page, digits only
shown_total() {
	grep -o '<p class="meta">[^<]*registro' "$W/page.html" | head -1 | tr -cd '0-9'
}
# type_facet_sum: the type facet's counts added up (written as the
# language writes numbers: "1.752")
type_facet_sum() {
	perl -0777 -ne 'my $s = 0; while (/href="\/search\?[^"]*type=[a-z]+[^"]*">[^<]*<\/a> <span class="count">([^<]+)/g) { (my $n = $1) =~ s/\D//g; $s += $n } print $s' "$W/page.html"
}
# unreadable PRINCIPAL SLUGS...: those of the slugs the principal may not read
unreadable() {
	local p=$1
	shift
	(($#)) || return 0
	local list
	list=$(printf "'%s'," "$@")
	sqlite3 "$DB" "SELECT slug FROM record r WHERE slug IN (${list%,}) AND NOT $(readable_sql "$p")"
}

PAGES=("/search?q=$COMMON" "/search?q=$COMMON&page=50" "/search?q=$COMMON&type=work"
	"/search?q=$MEDIUM" "/search?q=$RARE" "/search" "/search?page=50" "/search?type=work")
for p in archivist community viewer granted anonymous; do
	for path in "${PAGES[@]}"; do
		get "$p" "$path"
		if [[ $STATUS != 200 ]]; then
			fail "$p: $path answers" "HTTP $STATUS"
			continue
		fi
		mapfile -t slugs < <(listed)
		bad=$(unreadable "$p" "${slugs[@]}")
		if ((${#slugs[@]} == 0)); then
			fail "$p: $path lists records" "none listed"
		elif [[ -z $bad ]]; then
			pass "$p: $path lists ${#slugs[@]} records, all readable"
		else
			fail "$p: $path lists only what it may read" "not readable: $(echo $bad | head -c 300)"
		fi
	done
	for word in "$MEDIUM" "$RARE"; do
		get "$p" "/search?q=$word"
		same "$p: the total for $word is sqlite3's" "$(shown_total)" "$(expected_total "$p" "$word")"
		same "$p: the type facet for $word adds up to the total" "$(type_facet_sum)" "$(shown_total)"
	done
	get "$p" "/search?q=$COMMON"
	want=$(expected_total "$p" "$COMMON")
	if ((want > 10000)); then
		check "$p: the common word's total ($want) is an estimate" "no 'about'" \
			grep -qE '<p class="meta">(unos|about) ' "$W/page.html"
	else
		same "$p: the common word's total is sqlite3's" "$(shown_total)" "$want"
	fi
	get "$p" "/"
	same "$p: the home page answers" "$STATUS" 200
	home_works=$(perl -0777 -ne 'if (/href="\/search\?type=work"[^>]*>[^<]*<\/a>\s*<span[^>]*>\s*([^<]+)/) { (my $n = $1) =~ s/\D//g; print $n }' "$W/page.html")
	same "$p: the home page counts the works it may read" "$home_works" \
		"$(sqlite3 "$DB" "SELECT count(*) FROM record r WHERE r.type = 'work' AND $(readable_sql "$p")")"
done

# the grant: found by the one it was given to, by no other viewer
get granted "/search?q=$MEDIUM"
g_total=$(shown_total)
get viewer "/search?q=$MEDIUM"
v_total=$(shown_total)
same "the granted viewer finds one record more than a viewer" "$((v_total + 1))" "$g_total"
get granted "/work/$GRANTED"
same "the granted viewer reads the granted work" "$STATUS" 200
get viewer "/work/$GRANTED"
same "a viewer without the grant does not" "$STATUS" 404

server_stop || fail "the server exits 0 on SIGTERM" "see above"
check_summary scale "$BIN"
