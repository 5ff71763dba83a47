#!/usr/bin/env bash
# tests/subtitle/run.sh — `cinemateca subtitle` against the real binary, a
# real catalogue and a real server on port 0: files a person meant one way
# that a player would read another are refused with their line (a missing
# blank line, a timing line after NOTE or inside a STYLE, times the WebVTT
# spec rejects or past 99:59:59.999), nothing stored; the file as
# submitted is kept as the original with its own hash and event, an SRT's
# WebVTT as its derivative, ids, settings and blocks written back; SRT text
# with '<' is shown and found whole; Windows-1252 and UTF-16 are named
# with the --encoding that converts them, and converted when it is given;
# search links to moments late in a long film without overflow.
#
# Prints one line per check and ends with "subtitle: N passed, N failed";
# writes the totals to build/results/subtitle (subtitle-asan for a binary
# under build/asan/) for `make check`'s summary.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
WORK=dona-helena-palliri	# a public work of the demo

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-subtitle.XXXXXX")
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
sql() { sqlite3 "$A/catalog.db" "$@"; }
sha_of() { sha256sum "$1" | cut -d' ' -f1; }
obj() { echo "$A/objects/sha256/${1:0:2}/${1:2:2}/$1"; }
ncues() { sql "SELECT count(*) FROM cue WHERE lang = '$1'"; }
# sub LANG FILE [OPTIONS]: store FILE for the work in LANG.
sub() {
	local lang=$1 file=$2
	shift 2
	"$BIN" -a "$A" subtitle "$WORK" --lang "$lang" "$@" "$file"
}

server_make_demo "$A" || exit 1

echo "== refused with the line, nothing stored"
printf 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nuno\n2\n00:00:03.000 --> 00:00:04.000\ndos\n' >"$M/merged.vtt"
expect "a missing blank line between WebVTT cues" 1 'merged.vtt:7: a timing line inside a cue: a blank line is missing before line 6' -- \
	sub qu "$M/merged.vtt"
same "  ... stores no cue" "$(ncues qu)" 0
printf 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nuno\n   \n00:00:03.000 --> 00:00:04.000\ndos\n' >"$M/spaces.vtt"
expect "a line of spaces between WebVTT cues" 1 'spaces.vtt:6: a timing line inside a cue: line 5 holds only spaces' -- \
	sub qu "$M/spaces.vtt"
printf '1\r\n00:00:01,000 --> 00:00:02,000\r\nuno\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\ndos\r\n' >"$M/merged.srt"
expect "a missing blank line between SRT cues" 1 'merged.srt:5: a timing line inside a cue: a blank line is missing before line 4' -- \
	sub qu "$M/merged.srt"
printf 'WEBVTT\n\nNOTE\n00:00:01.000 --> 00:00:02.000\nuno\n' >"$M/note.vtt"
expect "a timing line right after NOTE" 1 'note.vtt:4: a timing line right after "NOTE"' -- sub qu "$M/note.vtt"
printf 'WEBVTT\n\nSTYLE\n::cue { color: red }\n00:00:01.000 --> 00:00:02.000\nuno\n' >"$M/style.vtt"
expect "a timing line inside a STYLE block" 1 'style.vtt:5: a timing line inside a STYLE block' -- sub qu "$M/style.vtt"
printf 'WEBVTT\nKind: captions\n00:00:01.000 --> 00:00:02.000\nuno\n' >"$M/header.vtt"
expect "a timing line inside the header" 1 'header.vtt:3: a timing line inside the header' -- sub qu "$M/header.vtt"
for t in 00:0:00.000 0:05.000 000:00.000; do
	printf 'WEBVTT\n\n%s --> 00:00:09.000\nuno\n' "$t" >"$M/time.vtt"
	expect "the time $t, which WebVTT does not allow" 1 "time.vtt:3: \"$t --> 00:00:09.000\" is not a timing line" -- \
		sub qu "$M/time.vtt"
done
printf 'WEBVTT\n\n99999999:59:59.000 --> 99999999:59:59.500\nuno\n' >"$M/late.vtt"
expect "a time past 99:59:59.999" 1 'late.vtt:3: a time later than 99:59:59.999' -- sub qu "$M/late.vtt"
same "  ... none of them stored a cue" "$(ncues qu)" 0
same "  ... nor a file" "$(sql "SELECT count(*) FROM file WHERE role = 'subtitle'")" 0

echo "== what the spec allows is stored as written"
printf 'WEBVTT\n00:00:01.000 --> 00:00:02.000\nuno\n\n00:00:03.000 --> 00:00:04.000\ndos\n' >"$M/first.vtt"
expect "a cue right after the WEBVTT line" 0 '(2 cues, ay)' -- sub ay "$M/first.vtt"
printf 'WEBVTT - Doña Helena\nKind: captions\n\nNOTE\tmade by hand\n\nSTYLE \n::cue { color: yellow }\n\nREGION \nid:top width:40%%\n\n1:intro\n00:00:01.000 --> 00:00:02.000 region:top align:start\n<v Ana>Hola\n\nNOTE between\n\n2\n00:00:03.000 --> 00:00:04.000\nChau\n' >"$M/full.vtt"
expect "ids like 1:intro, NOTE and a tab, STYLE and REGION and a space" 0 '(2 cues, gn)' -- sub gn "$M/full.vtt"
same "  ... the ids and settings in the catalogue" \
	"$(sql "SELECT ident || '|' || coalesce(settings, '') FROM cue WHERE lang = 'gn' ORDER BY start_ms" | paste -sd' ')" \
	"1:intro|region:top align:start 2|"
same "  ... the blocks in the catalogue" \
	"$(sql "SELECT kind || ':' || before_cue FROM cue_block b JOIN file f ON f.id = b.file_id WHERE f.name = 'full.vtt' ORDER BY ord" | paste -sd' ')" \
	"header:0 note:0 style:0 region:0 note:1"
gn_sha=$(sql "SELECT sha256 FROM file WHERE name = 'full.vtt'")
same "  ... a UTF-8 WebVTT is its own track: the file as submitted" "$gn_sha" "$(sha_of "$M/full.vtt")"
same "  ... and no derivative" "$(sql "SELECT count(*) FROM file WHERE name LIKE 'full%'")" 1

echo "== an SRT: the original and its WebVTT"
printf '1\r\n00:00:01,000 --> 00:00:02,000\r\nI <3 you & 5 < 6\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\n{\\an8}<i>arriba</i>\r\n' >"$M/love.srt"
expect "an SRT is stored" 0 '(2 cues, en, converted from SRT as love.vtt)' -- sub en "$M/love.srt"
orig=$(sql "SELECT id FROM file WHERE name = 'love.srt'")
same "  ... the original as submitted, with its own hash" \
	"$(sql "SELECT sha256 || ' ' || mime || ' ' || role FROM file WHERE id = '$orig'")" \
	"$(sha_of "$M/love.srt") application/x-subrip subtitle"
check "  ... its bytes in the store" "no object" cmp -s "$M/love.srt" "$(obj "$(sha_of "$M/love.srt")")"
same "  ... its ingestion event" "$(sql "SELECT type FROM premis_event WHERE file_id = '$orig'")" ingestion
vtt=$(sql "SELECT id FROM file WHERE derived_from = '$orig'")
same "  ... the WebVTT is its derivative" "$(sql "SELECT name || ' ' || mime || ' ' || derivative FROM file WHERE id = '$vtt'")" \
	"love.vtt text/vtt webvtt"
same "  ... with a creation event" "$(sql "SELECT type FROM premis_event WHERE file_id = '$vtt'")" creation
same "  ... the cues are the WebVTT's" "$(sql "SELECT count(*) FROM cue WHERE file_id = '$vtt'")" 2
same "  ... '<' kept in the words" "$(sql "SELECT text FROM cue WHERE file_id = '$vtt' ORDER BY start_ms LIMIT 1")" 'I <3 you & 5 < 6'
vsha=$(sql "SELECT sha256 FROM file WHERE id = '$vtt'")
same "  ... and escaped in the WebVTT, ids kept, the position a setting" "$(cat "$(obj "$vsha")")" \
	"$(printf 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nI &lt;3 you &amp; 5 &lt; 6\n\n2\n00:00:03.000 --> 00:00:04.000 line:0\n<i>arriba</i>')"
tr -d '\r' <"$M/love.srt" >"$M/love-lf.srt"
expect "the same SRT with other line ends is another original, not 'already stored'" 0 'stored ' -- sub en "$M/love-lf.srt"
check "  ... stored under its own hash" "$(cat "$W/out")" grep -qF "stored $(sha_of "$M/love-lf.srt") love-lf.srt" "$W/out"
expect "the same file again changes nothing" 0 'already stored' -- sub en "$M/love-lf.srt"

echo "== encodings"
printf '1\r\n00:00:01,000 --> 00:00:02,000\r\n\x93Comillas\x94 cuestan 5 \x80\r\n' >"$M/cp1252.srt"
expect "a Windows-1252 SRT is refused with the encoding to give" 1 'cp1252.srt:3: byte 0x93 is not UTF-8' -- sub es "$M/cp1252.srt"
check "  ... naming --encoding windows-1252" "$(cat "$W/out")" grep -qF -- '--encoding windows-1252' "$W/out"
expect "  ... read as Latin-1 it is refused: its quotes would be control characters" 1 'U+0093' -- \
	sub es "$M/cp1252.srt" --encoding latin1
expect "  ... converted with --encoding windows-1252" 0 '(1 cues, es, converted from SRT as cp1252.vtt)' -- \
	sub es "$M/cp1252.srt" --encoding windows-1252
same "  ... curly quotes and the euro sign" "$(sql "SELECT text FROM cue WHERE lang = 'es'")" '“Comillas” cuestan 5 €'
same "  ... the original kept in its encoding" "$(sql "SELECT sha256 || ' ' || json_extract(techmd, '$.encoding') FROM file WHERE name = 'cp1252.srt'")" \
	"$(sha_of "$M/cp1252.srt") windows-1252"
printf '\xff\xfeW\0E\0B\0V\0T\0T\0\n\0\n\x000\x000\0:\x000\x001\0.\x000\x000\x000\0 \0-\0-\0>\0 \x000\x000\0:\x000\x002\0.\x000\x000\x000\0\n\0h\0i\0\n\0' >"$M/utf16.vtt"
expect "a UTF-16 file is named as such" 1 'utf16.vtt: is UTF-16LE text (it starts with that byte-order mark), not UTF-8: give --encoding UTF-16' -- \
	sub de "$M/utf16.vtt"
expect "  ... and converted with --encoding UTF-16" 0 '(1 cues, de, converted from UTF-16 as utf16.utf-8.vtt)' -- \
	sub de "$M/utf16.vtt" --encoding UTF-16
expect "an encoding iconv does not know" 1 '"klingon" is not an encoding' -- sub de "$M/utf16.vtt" --encoding klingon

echo "== a catalogue that fails mid-way"
nobj=$(find "$A/objects" -type f | wc -l) nfile=$(sql "SELECT count(*) FROM file")
sql "CREATE TRIGGER fail_cue BEFORE INSERT ON cue BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
printf '1\n00:00:01,000 --> 00:00:02,000\nNunca guardado\n' >"$M/never.srt"
expect "a failed transaction is reported" 1 'cannot record the subtitles: injected failure' -- sub pt "$M/never.srt"
same "  ... records no file" "$(sql "SELECT count(*) FROM file")" "$nfile"
same "  ... and leaves no object that no row names" "$(find "$A/objects" -type f | wc -l)" "$nobj"
sql "DROP TRIGGER fail_cue"
expect "  ... the same file then goes in" 0 '(1 cues, pt, converted from SRT as never.vtt)' -- sub pt "$M/never.srt"
never=$(sql "SELECT id FROM file WHERE name = 'never.srt' AND deleted IS NULL")
expect "deleting an SRT original" 0 '' -- "$BIN" -a "$A" delete "$never" --reason "withdrawn by its translator"
same "  ... deletes its WebVTT too" "$(sql "SELECT count(*) FROM file WHERE derived_from = '$never' AND deleted IS NULL")" 0
same "  ... with its own deletion event" \
	"$(sql "SELECT count(*) FROM premis_event e JOIN file f ON f.id = e.file_id WHERE f.derived_from = '$never' AND e.type = 'deletion' AND e.detail LIKE '%made from $never, which was deleted: withdrawn by its translator'")" 1
same "  ... and its lines are said no more" "$(ncues pt)" 0

echo "== moments late in a long film"
printf 'WEBVTT\n\n99:00:00.000 --> 99:00:02.000\nZorzaltardio al final\n' >"$M/long.vtt"
expect "a cue at 99:00:00" 0 '(1 cues, fr)' -- sub fr "$M/long.vtt"
# a cue an earlier version let in at 99999999:59:59, as an old archive may hold it
printf 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nZorzalantiguo muy tarde\n' >"$M/old.vtt"
expect "a cue to move late" 0 '(1 cues, it)' -- sub it "$M/old.vtt"
sql "UPDATE cue SET start_ms = 359999996399000, end_ms = 359999996400000 WHERE lang = 'it'"
if server_start "$A"; then
	curl -s -g --noproxy '*' --max-time 30 -o "$W/body" "$BASE/search?q=zorzalantiguo"
	check "a cue stored at 99999999:59:59 links to ?t=359999996399, not an overflow" \
		"$(grep -o '?t=[-0-9]*' "$W/body" | head -3 | tr '\n' ' ')" grep -qE '[?]t=359999996399([&"]|$)' "$W/body"
	curl -s -g --noproxy '*' --max-time 30 -o "$W/body" "$BASE/search?q=zorzaltardio"
	check "the search links to ?t=356400, not an overflow" "$(grep -o '?t=[-0-9]*' "$W/body" | head -3 | tr '\n' ' ')" \
		grep -qF '?t=356400' "$W/body"
	check "  ... and says when" "$(grep -o '<time[^<]*</time>' "$W/body" | head -2)" \
		grep -qF '<time datetime="PT356400S">99:00:00</time>' "$W/body"
	curl -s -g --noproxy '*' --max-time 30 -o "$W/body" "$BASE/work/$WORK?transcript=en"
	check "the transcript shows 'I <3 you' whole" "$(grep -o '<li>.*I .*</li>' "$W/body" | head -2)" \
		grep -qF 'I &lt;3 you &amp; 5 &lt; 6' "$W/body"
	curl -s -g --noproxy '*' --max-time 30 -o "$W/body" "$BASE/media/$vtt"
	check "the track served is the WebVTT derivative" "$(head -c 200 "$W/body")" cmp -s "$W/body" "$(obj "$vsha")"
	curl -s -g --noproxy '*' --max-time 30 -o "$W/body" "$BASE/work/$WORK?lang=en"
	check "the files section names the derivative's kind in words" "$(grep -o 'love.vtt.\{0,300\}' "$W/body" | head -1)" \
		grep -qF 'WebVTT subtitles' "$W/body"
	server_stop || fail "the server stops cleanly" "see above"
else
	fail "the server starts" "see above"
fi

check_summary subtitle "$CINEMATECA"
