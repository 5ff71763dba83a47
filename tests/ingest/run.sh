#!/usr/bin/env bash
# tests/ingest/run.sh — ingest and preservation, against the real binary.
#
#   tests/ingest/run.sh
#   CINEMATECA=build/asan/cinemateca tests/ingest/run.sh
#
# Makes test media with ffmpeg (a 4-second 320x240 25 fps film with a sine
# tone as an FFV1/FLAC Matroska master and as an H.264/AAC MP4), a PNG, a
# small PDF and a text file, and against a demo archive checks: ingest
# prints one line per file; the catalogue's SHA-256, MD5 and size equal
# sha256sum, md5sum and stat; the object sits read-only at
# objects/sha256/ab/cd/HASH; the same bytes again store nothing new; the
# technical metadata has the known values; the derivatives exist and play
# (H.264/AAC MP4 with its index first, poster and contact sheet JPEGs of the
# expected size, the PDF's page image), are recorded with their source and a
# creation event, and are never derived from again; a derivative ffmpeg
# cannot make fails with ffmpeg's own words and is tried three times in all,
# once per run; fixity passes, then
# names a corrupted and a missing object with their record; --sample and
# --since; a wrong record, a wrong role and unreadable files store nothing;
# an ingest killed mid-way leaves no half object and no row without its
# object, and fixity --repair-tmp sweeps tmp/; the work page shows the files
# section with the technical metadata (a private work's only to an
# archivist), never linking to the bytes, and passes the Nu Html Checker;
# delete leaves the file's row as a tombstone, a deletion event, and a
# record's tombstone. No caps: a record of 300 files is deleted whole, an
# object 70 files use gets 70 fixity events, and fixity names an object no
# file uses. Two ingests at once: a sweep of staging files leaves alone the
# ones still being written. Failures said as failures: under a held lock, on a full disk
# (a small tmpfs) and on a read-only catalogue (a read-only bind mount),
# both in a mount namespace of the test's own, delete, fixity and user add
# exit 1 with the cause (fixity with what it found) and change nothing.
#
# Prints one line per check and ends with "N passed, N failed"; writes the
# totals to build/results/ingest (ingest-asan for a binary under
# build/asan/) for `make check`'s summary.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
VNU_JAR=tests/node_modules/vnu-jar/build/dist/vnu.jar
PW='password-123'
WORK=dona-helena-palliri			# a public work of the demo
PRIVATE=on-the-back-of-the-sleeping-elephant	# the demo's private work
BROKEN=el-gran-movimiento			# gets a master whose derivatives fail

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-ingest.XXXXXX")
at_exit rm -rf -- "$W"
A=$W/archive
M=$W/media
mkdir -p "$M" "$W/pages"
npages=0

# ---- helpers -------------------------------------------------------------


# run COMMAND...: run it, keeping its exit status in RC and its output
# (standard output and error together) in $W/out.
run() {
	"$@" >"$W/out" 2>&1
	RC=$?
}
out_has() { grep -qE -- "$1" "$W/out"; }
out_lacks() { ! grep -qE -- "$1" "$W/out"; }
seen_out() { printf 'exit %s: %s' "$RC" "$(head -c 600 "$W/out" | tr '\n' '|')"; }
# expect NAME STATUS REGEX -- COMMAND...: exit status and a line of output.
expect() {
	local name=$1 want=$2 pat=$3
	shift 4
	run "$@"
	if [[ $RC -ne $want ]]; then
		fail "$name" "expected exit $want; $(seen_out)"
	elif [[ -n $pat ]] && ! out_has "$pat"; then
		fail "$name" "output lacks /$pat/; $(seen_out)"
	else
		pass "$name"
	fi
}

sql() { sqlite3 "$A/catalog.db" "$@"; }
# obj HASH: where the store keeps an object.
obj() { echo "$A/objects/sha256/${1:0:2}/${1:2:2}/$1"; }
nobjects() { find "$A/objects" -type f | wc -l; }
nfiles() { sql "SELECT count(*) FROM file"; }
ntmp() { find "$A/tmp" -mindepth 1 | wc -l; }
sha_of() { sha256sum "$1" | cut -d' ' -f1; }
# probe PATH ENTRIES: one ffprobe field list, comma-separated.
probe() { ffprobe -v error -show_entries "$2" -of csv=p=0 "$1" 2>/dev/null | paste -sd, -; }
# fid NAME: the id of the live file ingested or derived under this name.
fid() { sql "SELECT id FROM file WHERE name = '$1' AND deleted IS NULL LIMIT 1"; }
# fsha NAME: its SHA-256.
fsha() { sql "SELECT sha256 FROM file WHERE name = '$1' AND deleted IS NULL LIMIT 1"; }
# tm NAME JSONPATH: a value of its technical metadata.
tm() { sql "SELECT json_extract(techmd, '$2') FROM file WHERE name = '$1' AND deleted IS NULL LIMIT 1"; }
# within X LO HI: LO <= X <= HI, as decimals.
within() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x != "" && x >= lo && x <= hi) }'; }
# read_only FILE: nobody may write it (root could, so look at the mode).
read_only() { [[ -f $1 && $(stat -c %A "$1") != *w* ]]; }

# moov_first FILE: the MP4's moov atom comes before its mdat (faststart).
moov_first() {
	ffprobe -v trace "$1" 2>&1 | grep -oE "type:'(moov|mdat)' parent:'root'" | head -1 |
		grep -q moov
}

# http JAR METHOD PATH [CURL ARGS...]: one request (JAR: a cookie file or -).
# Sets STATUS; the reply is in $W/body and $W/headers; HTML replies are
# kept for the validator.
http() {
	local cj=$1 method=$2 path=$3
	shift 3
	local args=(-s -g --noproxy '*' --max-time 30 -o "$W/body" -D "$W/headers" -w '%{http_code}')
	[[ $cj == - ]] || args+=(-b "$cj" -c "$cj")
	[[ $method == GET ]] || args+=(-X "$method")
	: >"$W/body"
	STATUS=$(curl "${args[@]}" "$@" "$BASE$path" 2>/dev/null) || true
	[[ -n $STATUS ]] || STATUS=000
	if [[ -s $W/body ]] && grep -qi '^content-type: text/html' "$W/headers"; then
		npages=$((npages + 1))
		cp "$W/body" "$W/pages/$(printf '%04d' "$npages").html"
		echo "$method $path -> $STATUS" >"$W/pages/$(printf '%04d' "$npages").what"
	fi
}
body_has() { grep -qF -- "$1" "$W/body"; }
body_lacks() { ! grep -qF -- "$1" "$W/body"; }
# section FILE: the files section of a page (empty if none).
section() {
	perl -0777 -ne 'print $1 if /(<section class="files">.*?<\/ul>\n<\/section>)/s' "$1"
}
# total: the number of records the last search page says it found.
total() { sed -n 's,^<p class="meta">\([0-9]*\) registros\{0\,1\}</p>$,\1,p' "$W/body" | head -1; }
# multipart FILE-ID RANGE SOURCE MIME "FIRST LAST"...: ask /media for the
# ranges, keeping the headers in $W/media.h, the body in $W/media.out and
# its boundary in $boundary; write to $W/media.want the body RFC 9110
# lays out for those parts of SOURCE with that boundary.
multipart() {
	local id=$1 range=$2 src=$3 mime=$4 size sep='' r
	shift 4
	size=$(stat -c %s "$src")
	curl -s --noproxy '*' -D "$W/media.h" -H "Range: $range" "$BASE/media/$id" -o "$W/media.out"
	boundary=$(tr -d '\r' <"$W/media.h" | sed -n 's/^[Cc]ontent-[Tt]ype: multipart\/byteranges; boundary=//p')
	{
		for r in "$@"; do
			set -- $r
			printf '%s--%s\r\nContent-Type: %s\r\nContent-Range: bytes %d-%d/%d\r\n\r\n' \
				"$sep" "$boundary" "$mime" "$1" "$2" "$size"
			tail -c +$(($1 + 1)) "$src" | head -c $(($2 - $1 + 1))
			sep=$'\r\n'
		done
		printf '\r\n--%s--\r\n' "$boundary"
	} >"$W/media.want"
}
login() {
	local cj=$1 name=$2 csrf
	http "$cj" GET /login
	csrf=$(form_csrf "$W/body")
	http "$cj" POST /login --data-urlencode "name=$name" --data-urlencode "password=$PW" \
		--data-urlencode "csrf=$csrf"
}

# make_pdf FILE: a one-page PDF with two lines of text, written by hand
# (objects, then the cross-reference table with their byte offsets).
make_pdf() {
	local LC_ALL=C
	local text='BT /F1 14 Tf 20 150 Td (Contrato, Taller de Cine Minero) Tj 0 -20 Td (Telamayu, 1983) Tj ET'
	local objs=('<< /Type /Catalog /Pages 2 0 R >>'
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>'
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>'
		"<< /Length ${#text} >>"$'\nstream\n'"$text"$'\nendstream'
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>')
	local pdf=$'%PDF-1.4\n' offs=() i o line
	for i in "${!objs[@]}"; do
		offs+=("${#pdf}")
		pdf+="$((i + 1)) 0 obj"$'\n'"${objs[i]}"$'\nendobj\n'
	done
	local xref=${#pdf}
	pdf+="xref"$'\n'"0 $((${#objs[@]} + 1))"$'\n'"0000000000 65535 f "$'\n'
	for o in "${offs[@]}"; do
		printf -v line '%010d 00000 n \n' "$o"
		pdf+=$line
	done
	pdf+="trailer"$'\n'"<< /Size $((${#objs[@]} + 1)) /Root 1 0 R >>"$'\n'"startxref"$'\n'"$xref"$'\n%%EOF\n'
	printf '%s' "$pdf" >"$1"
}

# ---- test media ------------------------------------------------------------

echo "== test media"
for tool in ffmpeg ffprobe pdfinfo sqlite3 curl perl; do
	command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done
FF=(ffmpeg -nostdin -v error -y)
"${FF[@]}" -f lavfi -i testsrc2=size=320x240:rate=25:duration=4 \
	-f lavfi -i sine=frequency=440:sample_rate=48000:duration=4 \
	-c:v ffv1 -c:a flac -shortest "$M/master.mkv" &&
"${FF[@]}" -f lavfi -i testsrc2=size=320x240:rate=25:duration=4 \
	-f lavfi -i sine=frequency=220:sample_rate=44100:duration=4 \
	-c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -shortest "$M/access.mp4" &&
"${FF[@]}" -f lavfi -i testsrc2=size=200x150 -frames:v 1 "$M/still.png" ||
	{ echo "error: ffmpeg could not make the test media" >&2; exit 1; }
make_pdf "$M/contract.pdf"
printf 'Notas del taller.\nCon tildes: acción, ñandú.\n' >"$M/notes.txt"
check "the hand-made PDF is one page for pdfinfo" "$(pdfinfo "$M/contract.pdf" 2>&1 | head -3)" \
	eval 'pdfinfo "$M/contract.pdf" 2>/dev/null | grep -qE "^Pages: +1$"'
server_make_demo "$A" || exit 1

# ---- ingest ----------------------------------------------------------------

echo "== ingest"
expect "ingest a master, a still, a PDF and a text" 0 '^stored [0-9a-f]{64} master\.mkv$' -- \
	"$BIN" -a "$A" ingest --to "$WORK" --role master \
	"$M/master.mkv" "$M/still.png" "$M/contract.pdf" "$M/notes.txt"
for f in still.png contract.pdf notes.txt; do
	check "  ... one line for $f" "$(seen_out)" out_has "^stored $(sha_of "$M/$f") $f\$"
done
for f in master.mkv still.png contract.pdf notes.txt; do
	got=$(sql "SELECT sha256 || ' ' || md5 || ' ' || size FROM file WHERE name = '$f'")
	want="$(sha_of "$M/$f") $(md5sum "$M/$f" | cut -d' ' -f1) $(stat -c %s "$M/$f")"
	same "$f: SHA-256, MD5 and size as sha256sum, md5sum and stat" "$got" "$want"
	h=$(sha_of "$M/$f")
	check "$f: stored read-only at objects/sha256/${h:0:2}/${h:2:2}/HASH" \
		"$(ls -l "$(obj "$h")" 2>&1)" read_only "$(obj "$h")"
	check "$f: the object's bytes are the file's" "differ" cmp -s "$(obj "$h")" "$M/$f"
done
same "the object table has each object once, with its MD5 and size" \
	"$(sql "SELECT md5 || ' ' || size FROM object WHERE sha256 = '$(sha_of "$M/master.mkv")'")" \
	"$(md5sum "$M/master.mkv" | cut -d' ' -f1) $(stat -c %s "$M/master.mkv")"
same "an ingestion event for each file" \
	"$(sql "SELECT count(*) FROM premis_event WHERE type = 'ingestion' AND outcome = 'success'")" 4
check "nothing left in tmp/" "$(ls "$A/tmp")" test "$(ntmp)" -eq 0

objs=$(nobjects) rows=$(nfiles)
cp "$M/master.mkv" "$M/same-bytes.mkv"
expect "the same bytes again: already stored" 0 \
	"^already stored $(sha_of "$M/master.mkv") same-bytes\.mkv" -- \
	"$BIN" -a "$A" ingest --to "$WORK" --role master "$M/same-bytes.mkv"
same "  ... no new object" "$(nobjects)" "$objs"
same "  ... no new file row" "$(nfiles)" "$rows"
same "  ... the object is recorded once" \
	"$(sql "SELECT count(*) FROM object WHERE sha256 = '$(sha_of "$M/master.mkv")'")" 1

# ---- technical metadata ----------------------------------------------------

echo "== technical metadata"
same "master.mkv: MIME type" "$(sql "SELECT mime FROM file WHERE name = 'master.mkv'")" video/x-matroska
same "  ... container" "$(tm master.mkv '$.container')" "matroska,webm"
check "  ... duration about 4 s" "got $(tm master.mkv '$.duration')" \
	within "$(tm master.mkv '$.duration')" 3.9 4.1
same "  ... video: ffv1 320x240" "$(tm master.mkv '$.streams[0].type') $(tm master.mkv '$.streams[0].codec') $(tm master.mkv '$.streams[0].width')x$(tm master.mkv '$.streams[0].height')" \
	"video ffv1 320x240"
same "  ... 25 fps" "$(tm master.mkv '$.streams[0].frame_rate') $(tm master.mkv '$.streams[0].fps')" "25/1 25.0"
same "  ... one audio stream, FLAC at 48000 Hz, one channel" \
	"$(sql "SELECT count(*), group_concat(json_extract(s.value, '$.codec') || ' ' || json_extract(s.value, '$.sample_rate') || ' ' || json_extract(s.value, '$.channels')) FROM file f, json_each(f.techmd, '$.streams') s WHERE f.name = 'master.mkv' AND json_extract(s.value, '$.type') = 'audio'")" \
	"1|flac 48000 1"
same "still.png: image/png, an image 200x150" \
	"$(sql "SELECT mime FROM file WHERE name = 'still.png'") $(tm still.png '$.streams[0].type') $(tm still.png '$.streams[0].width')x$(tm still.png '$.streams[0].height')" \
	"image/png image 200x150"
same "contract.pdf: application/pdf, no techmd" \
	"$(sql "SELECT mime || ' ' || ifnull(techmd, 'none') FROM file WHERE name = 'contract.pdf'")" \
	"application/pdf none"
same "notes.txt: text/plain" "$(sql "SELECT mime FROM file WHERE name = 'notes.txt'")" text/plain

# ---- derivatives -----------------------------------------------------------

echo "== derivatives"
master=$(fid master.mkv)
same "master.mkv: three derivatives, made at ingest" \
	"$(sql "SELECT group_concat(derivative || ':' || role || ':' || mime, ' ') FROM (SELECT * FROM file WHERE derived_from = '$master' ORDER BY derivative)")" \
	"access-mp4:access:video/mp4 contact-sheet:other:image/jpeg poster:poster:image/jpeg"
mp4=$(obj "$(fsha master-access.mp4)")
same "  ... the access copy is H.264 and AAC" "$(probe "$mp4" stream=codec_name)" "h264,aac"
same "  ... 320x240 yuv420p" "$(probe "$mp4" stream=width,height,pix_fmt | cut -d, -f1-3)" "320,240,yuv420p"
check "  ... its index (moov) before the media (mdat)" "$(ffprobe -v trace "$mp4" 2>&1 | grep -oE "type:'[a-z]{4}' parent:'root'" | tr '\n' ' ')" \
	moov_first "$mp4"
check "  ... and it plays through without errors" "ffmpeg complained" \
	eval '[[ -z $(ffmpeg -nostdin -v error -i "$mp4" -f null - 2>&1) ]]'
same "  ... about 4 s long" "$(awk '{ printf "%.0f", $1 }' <<<"$(probe "$mp4" format=duration)")" 4
poster=$(obj "$(fsha master-poster.jpg)")
same "  ... the poster is a 320x240 JPEG" "$(probe "$poster" stream=codec_name,width,height)" "mjpeg,320,240"
sheet=$(obj "$(fsha master-contact-sheet.jpg)")
same "  ... the contact sheet is 4x3 frames of 320x240: a 1280x720 JPEG" \
	"$(probe "$sheet" stream=codec_name,width,height)" "mjpeg,1280,720"
same "  ... each with a creation event by ffmpeg" \
	"$(sql "SELECT count(*) FROM premis_event e JOIN file f ON f.id = e.file_id WHERE f.derived_from = '$master' AND e.type = 'creation' AND e.outcome = 'success' AND e.agent LIKE 'ffmpeg %'")" 3
check "  ... objects of their own, read-only" "$(ls -l "$mp4" "$poster" "$sheet" 2>&1)" \
	eval 'read_only "$mp4" && read_only "$poster" && read_only "$sheet"'
same "contract.pdf: a first-page image, a 300x200 PNG" \
	"$(sql "SELECT derivative || ' ' || mime FROM file WHERE derived_from = '$(fid contract.pdf)'") $(probe "$(obj "$(fsha contract-page-1.png)")" stream=codec_name,width,height)" \
	"page-image image/png png,300,200"
same "no derivative of the still or the text" \
	"$(sql "SELECT count(*) FROM file WHERE derived_from IN ('$(fid still.png)', '$(fid notes.txt)')")" 0
same "every job done" "$(sql "SELECT group_concat(state) FROM (SELECT DISTINCT state FROM derivative_job)")" done
same "derivatives are never derived from again" \
	"$(sql "SELECT count(*) FROM derivative_job j JOIN file f ON f.id = j.file_id WHERE f.derived_from IS NOT NULL")" 0

# an H.264/AAC MP4 access file: poster and contact sheet, no second access copy
expect "ingest --no-derive queues the jobs" 0 "^stored $(sha_of "$M/access.mp4") access\.mp4" -- \
	"$BIN" -a "$A" ingest --to "$WORK" --role access --no-derive "$M/access.mp4"
same "  ... an H.264/AAC MP4 access file needs no access copy" \
	"$(sql "SELECT group_concat(kind || ':' || state, ' ') FROM (SELECT * FROM derivative_job WHERE file_id = '$(fid access.mp4)' ORDER BY kind)")" \
	"contact-sheet:pending poster:pending"
same "  ... access.mp4 is video/mp4, 44100 Hz audio" \
	"$(sql "SELECT mime FROM file WHERE name = 'access.mp4'") $(tm access.mp4 '$.streams[1].codec') $(tm access.mp4 '$.streams[1].sample_rate')" \
	"video/mp4 aac 44100"
expect "derive runs what is pending" 0 '^derived poster [0-9a-f]{64} access-poster\.jpg$' -- "$BIN" -a "$A" derive
same "  ... both jobs done" \
	"$(sql "SELECT count(*) FROM derivative_job WHERE file_id = '$(fid access.mp4)' AND state = 'done'")" 2
expect "derive with nothing pending" 0 '' -- "$BIN" -a "$A" derive
check "  ... makes nothing" "$(seen_out)" out_lacks '^derived'
check "nothing left in tmp/ after the derivatives" "$(ls "$A/tmp")" test "$(ntmp)" -eq 0

# a master whose frames are cut off: probed as video, but ffmpeg fails
head -c 3000 "$M/master.mkv" >"$M/cut.mkv"
expect "a cut-off master is stored even though its derivatives fail" 0 \
	"access-mp4 of cut\.mkv failed: ffmpeg exited with status [0-9]+: .*[a-z]" -- \
	"$BIN" -a "$A" ingest --to "$BROKEN" --role master "$M/cut.mkv"
cut=$(fid cut.mkv)
same "  ... three failed jobs, one attempt each, with ffmpeg's last words" \
	"$(sql "SELECT count(*) FROM derivative_job WHERE file_id = '$cut' AND state = 'failed' AND attempts = 1 AND error LIKE 'ffmpeg exited with status %: %'")" 3
same "  ... and failed creation events on the source" \
	"$(sql "SELECT count(*) FROM premis_event WHERE file_id = '$cut' AND type = 'creation' AND outcome = 'failure'")" 3
expect "derive tries them again and says so" 1 '3 derivatives failed' -- "$BIN" -a "$A" derive
expect "  ... and a third time" 1 '3 derivatives failed' -- "$BIN" -a "$A" derive
expect "  ... then leaves them alone" 0 '' -- "$BIN" -a "$A" derive
same "  ... after three attempts" \
	"$(sql "SELECT group_concat(DISTINCT state || ':' || attempts) FROM derivative_job WHERE file_id = '$cut'")" "failed:3"
check "  ... with nothing left in tmp/" "$(ls "$A/tmp")" test "$(ntmp)" -eq 0

# ---- fixity ----------------------------------------------------------------

echo "== fixity"
total=$(sql "SELECT count(*) FROM object")
expect "fixity --since 1 checks what was never checked" 0 "^$total objects checked, 0 bad" -- \
	"$BIN" -a "$A" fixity --since 1
expect "fixity --since 1 again checks nothing" 0 '^0 objects checked, 0 bad' -- "$BIN" -a "$A" fixity --since 1
expect "fixity" 0 "^$total objects checked, 0 bad" -- "$BIN" -a "$A" fixity
check "  ... one ok line per object" "$(seen_out)" test "$(grep -c '^ok ' "$W/out")" -eq "$total"
half=$(((total + 1) / 2))
expect "fixity --sample 50 checks half" 0 "^$half objects checked, 0 bad" -- "$BIN" -a "$A" fixity --sample 50
expect "fixity --sample 0 is refused" 1 'sample' -- "$BIN" -a "$A" fixity --sample 0
same "fixity events are recorded" \
	"$(sql "SELECT count(*) > 0 FROM premis_event WHERE type = 'fixity check' AND outcome = 'success'")" 1

png=$(obj "$(sha_of "$M/still.png")")
chmod u+w "$png"
byte=$(od -An -tu1 -j 100 -N 1 "$png" | tr -d ' ')
printf "\\$(printf '%03o' $(((byte + 1) % 256)))" | dd of="$png" bs=1 seek=100 conv=notrunc status=none
expect "a flipped byte: fixity fails" 1 "CORRUPTED +$(sha_of "$M/still.png")" -- "$BIN" -a "$A" fixity
check "  ... naming the record and the file" "$(seen_out)" out_has "CORRUPTED .*$WORK.*still\.png"
check "  ... and only that object" "$(seen_out)" test "$(grep -c 'CORRUPTED' "$W/out")" -eq 1
same "  ... a failed fixity event" \
	"$(sql "SELECT count(*) FROM premis_event WHERE type = 'fixity check' AND outcome = 'failure' AND file_id = '$(fid still.png)'")" 1
printf "\\$(printf '%03o' "$byte")" | dd of="$png" bs=1 seek=100 conv=notrunc status=none
chmod a-w "$png"
txt=$(obj "$(sha_of "$M/notes.txt")")
rm -f "$txt"
expect "a deleted object: fixity reports it missing" 1 "MISSING +$(sha_of "$M/notes.txt") .*$WORK.*notes\.txt" -- \
	"$BIN" -a "$A" fixity
check "  ... the restored byte passes again" "$(seen_out)" out_has "^ok +$(sha_of "$M/still.png")"
expect "ingesting the file again puts the object back" 0 "$(sha_of "$M/notes.txt") notes\.txt" -- \
	"$BIN" -a "$A" ingest --to "$WORK" --role master "$M/notes.txt"
expect "  ... and fixity passes" 0 '0 bad' -- "$BIN" -a "$A" fixity

# ---- refusals ----------------------------------------------------------------

echo "== refusals"
printf 'bytes nobody stored\n' >"$M/new.txt"
objs=$(nobjects) rows=$(nfiles)
expect "a record that does not exist" 1 'no record "nope"' -- \
	"$BIN" -a "$A" ingest --to nope --role master "$M/new.txt"
same "  ... nothing stored" "$(nobjects) $(nfiles) $(ntmp)" "$objs $rows 0"
expect "a role that does not exist" 1 '"king" is not a role' -- \
	"$BIN" -a "$A" ingest --to "$WORK" --role king "$M/new.txt"
same "  ... nothing stored" "$(nobjects) $(nfiles) $(ntmp)" "$objs $rows 0"
expect "ingest without --to" 2 'usage' -- "$BIN" -a "$A" ingest --role master "$M/new.txt"
expect "a file that does not exist" 1 'missing\.mkv' -- \
	"$BIN" -a "$A" ingest --to "$WORK" --role master "$M/missing.mkv"
same "  ... nothing stored" "$(nobjects) $(nfiles) $(ntmp)" "$objs $rows 0"
mkdir -p "$M/a-folder"
expect "a folder instead of a file" 1 'a-folder' -- \
	"$BIN" -a "$A" ingest --to "$WORK" --role master "$M/a-folder"
same "  ... nothing stored" "$(nobjects) $(nfiles) $(ntmp)" "$objs $rows 0"
if [[ $(id -u) -ne 0 ]]; then
	cp "$M/new.txt" "$M/secret.txt" && chmod 000 "$M/secret.txt"
	expect "a file it may not read" 1 'secret\.txt' -- \
		"$BIN" -a "$A" ingest --to "$WORK" --role master "$M/secret.txt"
	same "  ... nothing stored" "$(nobjects) $(nfiles) $(ntmp)" "$objs $rows 0"
fi
expect "one bad file among good ones: the good ones are stored" 1 "^stored $(sha_of "$M/new.txt") new\.txt" -- \
	"$BIN" -a "$A" ingest --to "$WORK" --role other "$M/missing.mkv" "$M/new.txt"
same "  ... one object and one row more" "$(nobjects) $(nfiles)" "$((objs + 1)) $((rows + 1))"

# ---- an ingest killed mid-way ------------------------------------------------

echo "== a killed ingest"
head -c 200M /dev/urandom >"$M/big.bin"
objs=$(nobjects) rows=$(nfiles)
"$BIN" -a "$A" ingest --to "$WORK" --role master "$M/big.bin" >"$W/big.out" 2>&1 &
pid=$!
# kill it once its staging file is there (a fixed sleep raced a loaded
# machine, where the sanitizer build had not begun writing yet)
for _ in $(seq 200); do
	(($(ntmp) >= 1)) && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
if kill -9 "$pid" 2>/dev/null; then
	wait "$pid" 2>/dev/null
	pass "the ingest was killed while it ran"
	check "  ... no half object in objects/" "$(nobjects) objects, $objs before" \
		test "$(nobjects)" -eq "$objs"
	same "  ... no new row" "$(nfiles)" "$rows"
	bad=0
	while read -r h; do
		[[ -f $(obj "$h") ]] || { bad=$((bad + 1)); echo "    no object for $h"; }
	done < <(sql "SELECT DISTINCT sha256 FROM file WHERE deleted IS NULL")
	same "  ... every live file's object exists" "$bad" 0
	check "  ... its staging file is in tmp/" "$(ls -la "$A/tmp")" test "$(ntmp)" -ge 1
	expect "fixity --repair-tmp removes it" 0 'removed 1 staging file' -- "$BIN" -a "$A" fixity --repair-tmp
	same "  ... tmp/ is empty" "$(ntmp)" 0
	expect "  ... and the catalogue is whole" 0 '0 bad' -- "$BIN" -a "$A" fixity
else
	wait "$pid" 2>/dev/null
	fail "the ingest was killed while it ran" "it had finished within 0.2 s: $(tr '\n' '|' <"$W/big.out")"
fi
rm -f "$M/big.bin"

# ---- the web page --------------------------------------------------------------

echo "== the work page"
expect "a PNG for the private work" 0 "stored $(sha_of "$M/still.png") still\\.png" -- \
	"$BIN" -a "$A" ingest --to "$PRIVATE" --role scan "$M/still.png"
echo "$PW" | "$BIN" -a "$A" user add archi --role archivist --password-stdin >/dev/null 2>&1

# Subtitles for the player and for search inside the films: Spanish WebVTT
# (a voice tag, an escaped ampersand, a word said only here: "cantan") and
# English SRT on the public work; a word said only in the private work.
printf 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Doña Helena>La mina &amp; el ingenio.\n\n00:00:02.500 --> 00:00:03.500\nLos mineros de Siglo XX <i>cantan</i>.\n\n01:02:03.000 --> 01:02:04.000\nFin.\n' >"$M/es.vtt"
printf '1\r\n00:00:01,000 --> 00:00:02,000\r\nThe mine and the mill.\r\n\r\n2\r\n00:00:02,500 --> 00:00:03,500\r\nThe miners of Siglo XX sing.\r\n' >"$M/en.srt"
printf 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nZorzalsecreto dicho en privado.\n' >"$M/private.vtt"
expect "Spanish subtitles for the public work" 0 '3 cues, es' -- "$BIN" -a "$A" subtitle "$WORK" --lang es "$M/es.vtt"
expect "English subtitles for it" 0 '2 cues, en, converted from SRT' -- "$BIN" -a "$A" subtitle "$WORK" --lang en "$M/en.srt"
expect "subtitles for the private work" 0 '1 cues, es' -- "$BIN" -a "$A" subtitle "$PRIVATE" --lang es "$M/private.vtt"
expect "search finds a line said in the film, with its moment" 0 "at 00:02 \(es\): Los mineros de Siglo XX \[cantan\]" -- \
	"$BIN" -a "$A" search cantan
expect "  ... the stored line is words: no tags, the voice named, references decoded" 0 '^Doña Helena: La mina & el ingenio\.$' -- \
	sql "SELECT text FROM cue WHERE start_ms = 1000 AND lang = 'es' AND record_id = (SELECT id FROM record WHERE slug = '$WORK')"
if server_start "$A"; then
	http - GET "/work/$WORK"
	sec=$(section "$W/body")
	check "the work page has a files section" "HTTP $STATUS, no <section class=\"files\">" \
		test -n "$sec"
	for want in 'Archivos' 'master.mkv' 'Matroska / WebM' '0:00:04' '320×240' '25 fps' \
		'48 kHz' 'master-access.mp4' 'access.mp4' 'contract.pdf' 'application/pdf' \
		'<details>' 'Ingreso' "title=\"$(sha_of "$M/master.mkv")\""; do
		check "  ... shows $want" "not in the section" grep -qF -- "$want" <<<"$sec"
	done
	check "  ... derivatives under their source" "master-access.mp4 is not inside master.mkv's item" \
		eval 'perl -0777 -ne "exit !/<h3>master\\.mkv<\\/h3>(?:(?!<h3>).)*<h4>master-access\\.mp4<\\/h4>/s" <<<"$sec"'
	check "  ... links to the bytes only through /media, one per file" "$(grep -oE '(href|src)="[^"]*"' <<<"$sec" | grep -v '^href="/media/' | head -3)" \
		eval '! grep -oE "(href|src)=\"[^\"]*\"" <<<"$sec" | grep -qv "^href=\"/media/[0-9a-f-]\{36\}\"\$" &&
			[[ $(grep -c "download>Descargar</a>" <<<"$sec") -eq $(grep -c "<li class=\"card\">" <<<"$sec") ]]'
	http - GET "/work/$WORK?lang=en"
	check "  ... in English: Files, Ingestion" "not found" \
		eval 'grep -q "<h2>Files</h2>" <<<"$(section "$W/body")" && grep -q Ingestion <<<"$(section "$W/body")"'
	http - GET "/work/$PRIVATE"
	check "the private work: 404 to a visitor" "HTTP $STATUS" test "$STATUS" = 404
	check "  ... with nothing of its files" "still.png shown" body_lacks 'still.png'
	login "$W/jar" archi
	http "$W/jar" GET "/work/$PRIVATE"
	check "  ... its files to an archivist" "HTTP $STATUS: $(section "$W/body" | head -c 200)" \
		eval '[[ $STATUS == 200 ]] && grep -q "still.png" <<<"$(section "$W/body")"'
	# a file's own level: a private poster of the public work is hidden
	sql "UPDATE file SET access = 'private' WHERE name = 'master-poster.jpg'" >/dev/null
	http - GET "/work/$WORK"
	check "a private file of a public work is hidden from a visitor" "master-poster.jpg shown" \
		body_lacks 'master-poster.jpg'
	http "$W/jar" GET "/work/$WORK"
	check "  ... and shown to an archivist" "not shown" \
		eval 'grep -q "master-poster.jpg" <<<"$(section "$W/body")"'
	sql "UPDATE file SET access = NULL WHERE name = 'master-poster.jpg'" >/dev/null
	http - GET "/work/$BROKEN"
	check "a failed derivative shows as a failed event" "$(section "$W/body" | grep -o 'Fallido[^<]*' | head -1)" \
		eval 'grep -q "Fallido: access-mp4: ffmpeg exited with status" <<<"$(section "$W/body")"'
	http - GET "/work/carreras"
	check "a work without files has no files section" "found one" test -z "$(section "$W/body")"
	# the bytes of a stored file, per RFC 9110 (issue 5 builds the player on this)
	mf=$(fid master.mkv)
	curl -s --noproxy '*' "$BASE/media/$mf" -o "$W/media.out"
	check "media: the whole file, byte for byte" "differs" cmp -s "$W/media.out" "$M/master.mkv"
	curl -s --noproxy '*' -r 100-1099 "$BASE/media/$mf" -o "$W/media.out"
	check "media: a range, byte for byte" "differs" \
		cmp -s "$W/media.out" <(dd if="$M/master.mkv" bs=1 skip=100 count=1000 status=none)
	curl -s --noproxy '*' -H 'Range: bytes=-77' "$BASE/media/$mf" -o "$W/media.out"
	check "media: a suffix range" "differs" cmp -s "$W/media.out" <(tail -c 77 "$M/master.mkv")
	code=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' -H 'Range: bytes=999999999-' "$BASE/media/$mf")
	same "media: a range past the end is 416" "$code" 416
	# several ranges: multipart/byteranges, byte for byte as RFC 9110 lays it out
	msize=$(stat -c %s "$M/master.mkv")
	multipart "$mf" 'bytes=100-199,1000-1099,-50' "$M/master.mkv" video/x-matroska \
		"100 199" "1000 1099" "$((msize - 50)) $((msize - 1))"
	check "media: three ranges as multipart/byteranges, byte for byte" \
		"$(head -1 "$W/media.h" | tr -d '\r'), boundary '$boundary', $(stat -c %s "$W/media.out") bytes for $(stat -c %s "$W/media.want")" \
		eval 'head -1 "$W/media.h" | grep -q " 206" && [[ ${#boundary} -ge 20 ]] && cmp -s "$W/media.out" "$W/media.want" &&
			grep -qi "^content-length: $(stat -c %s "$W/media.want")" "$W/media.h"'
	b2=$(curl -s --noproxy '*' -D - -o /dev/null -H 'Range: bytes=0-0,9-9' "$BASE/media/$mf" | tr -d '\r' | sed -n 's/^[Cc]ontent-[Tt]ype: multipart\/byteranges; boundary=//p')
	check "  ... with a new boundary each time" "'$boundary' then '$b2'" eval '[[ -n $b2 && $b2 != "$boundary" ]]'
	for bad in 'bytes=abc' 'bytes=5-1' 'bytes=9-20,0-1' 'bytes=99999999999999999999999-'; do
		code=$(curl -s --noproxy '*' -o "$W/media.out" -w '%{http_code}' -H "Range: $bad" "$BASE/media/$mf")
		check "media: Range: $bad gives the whole body" "HTTP $code" \
			eval '[[ $code == 200 ]] && cmp -s "$W/media.out" "$M/master.mkv"'
	done
	etag=$(curl -s --noproxy '*' -I "$BASE/media/$mf" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
	same "media: the ETag is the SHA-256" "$etag" "\"$(sha_of "$M/master.mkv")\""
	code=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$BASE/media/$mf")
	same "media: If-None-Match gives 304" "$code" 304
	# one reading of the entity-tag list (RFC 9110 13.1.2), weak comparison
	for inm in "W/$etag" "\"other\", , $etag," '*'; do
		code=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' -H "If-None-Match: $inm" "$BASE/media/$mf")
		same "media: If-None-Match: $inm gives 304" "$code" 304
	done
	for inm in '"abc*"' '"*"' "${etag%\"}*\"" "$etag junk" '*, "abc"'; do
		code=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' -H "If-None-Match: $inm" "$BASE/media/$mf")
		same "media: If-None-Match: $inm gives the file (200)" "$code" 200
	done
	# empty list elements (RFC 9110 5.6.1) are ignored wherever they are
	for rg in 'bytes=0-1,' 'bytes=,,,0-1' 'bytes=0-1, ,'; do
		code=$(curl -s --noproxy '*' -o "$W/media.out" -w '%{http_code}' -H "Range: $rg" "$BASE/media/$mf")
		check "media: Range: $rg gives the first two bytes (206)" "HTTP $code, $(stat -c %s "$W/media.out") bytes" \
			eval '[[ $code == 206 ]] && cmp -s "$W/media.out" <(head -c 2 "$M/master.mkv")'
	done
	pf=$(sql "SELECT f.id FROM file f JOIN record r ON r.id = f.record_id WHERE r.slug = '$PRIVATE' LIMIT 1")
	code=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' "$BASE/media/$pf")
	same "media: a private work's file is 404 to a visitor" "$code" 404
	code=$(curl -s --noproxy '*' -b "$W/jar" -o /dev/null -w '%{http_code}' "$BASE/media/$pf")
	same "  ... and 200 to an archivist" "$code" 200

	# clients that read slowly, never read, or vanish mid-file hold no one up
	head -c $((48 << 20)) /dev/urandom >"$M/reel.bin"
	"$BIN" -a "$A" ingest --to "$WORK" --role other --no-derive "$M/reel.bin" >/dev/null 2>&1
	rf=$(fid reel.bin) port=${BASE##*:} slow=()
	for i in 1 2 3 4 5 6 7 8; do
		curl -s --noproxy '*' --limit-rate 64k -o /dev/null "$BASE/media/$rf" & slow+=($!)
	done
	for fd in 20 21 22 23 24 25 26 27; do
		# a request whose answer is never read: the server's socket buffer fills
		eval "exec $fd<>/dev/tcp/127.0.0.1/$port"
		printf 'GET /media/%s HTTP/1.1\r\nHost: test\r\n\r\n' "$rf" >&"$fd"
	done
	sleep 1
	code=$(curl -s --noproxy '*' --max-time 5 -o "$W/media.out" -w '%{http_code} %{time_total}' -r 1000-1999 "$BASE/media/$rf")
	check "16 slow or stalled clients of a 48 MiB file: another is served at once" "$code" \
		eval '[[ ${code%% *} == 206 ]] && cmp -s "$W/media.out" <(tail -c +1001 "$M/reel.bin" | head -c 1000)'
	code=$(curl -s --noproxy '*' --max-time 5 -o /dev/null -w '%{http_code}' "$BASE/work/$WORK")
	same "  ... and so is a page" "$code" 200
	kill -9 "${slow[@]}" 2>/dev/null
	wait "${slow[@]}" 2>/dev/null
	for fd in 20 21 22 23 24 25 26 27; do eval "exec $fd>&-"; done
	code=$(curl -s --noproxy '*' --max-time 5 -o /dev/null -w '%{http_code}' "$BASE/media/$rf")
	check "  ... and when they vanish mid-file the server goes on" "HTTP $code" \
		eval '[[ $code == 200 ]] && server_alive'
	# a multipart answer far larger than the server's buffers, byte for byte
	rsize=$(stat -c %s "$M/reel.bin")
	multipart "$rf" 'bytes=0-99999,5000000-9999999,-70000' "$M/reel.bin" application/octet-stream \
		"0 99999" "5000000 9999999" "$((rsize - 70000)) $((rsize - 1))"
	check "5 MiB in three ranges as multipart/byteranges, byte for byte" \
		"$(stat -c %s "$W/media.out") bytes for $(stat -c %s "$W/media.want"), boundary '$boundary'" \
		cmp -s "$W/media.out" "$W/media.want"
	"$BIN" -a "$A" delete "$rf" --reason "test reel" >/dev/null 2>&1
	rm -f "$M/reel.bin"

	echo "== the player"
	acc=$(fid access.mp4) es=$(fid es.vtt) en=$(fid en.vtt)	# an SRT's track is the WebVTT made from it
	http - GET "/work/$WORK"
	player=$(perl -0777 -ne 'print $1 if /(<section class="player".*?<\/section>\n<script)/s' "$W/body")
	check "the work page has a player" "HTTP $STATUS, no player section" test -n "$player"
	check "  ... the ingested access copy plays" "$(grep -o '<video[^>]*>' <<<"$player")" \
		grep -qF "src=\"/media/$acc\"" <<<"$player"
	check "  ... with a poster" "$(grep -o '<video[^>]*>' <<<"$player")" \
		grep -qE '<video[^>]* poster="/media/[0-9a-f-]{36}"' <<<"$player"
	check "  ... a Spanish track, shown by default on a Spanish page" "$(grep -o '<track[^>]*>' <<<"$player" | tr '\n' ' ')" \
		grep -qF "<track kind=\"subtitles\" srclang=\"es\" label=\"Español\" src=\"/media/$es\" default>" <<<"$player"
	check "  ... and an English one" "$(grep -o '<track[^>]*>' <<<"$player" | tr '\n' ' ')" \
		grep -qF "<track kind=\"subtitles\" srclang=\"en\" label=\"English\" src=\"/media/$en\">" <<<"$player"
	check "  ... the transcript in Spanish, every line a link to its moment" "$(grep -c 'data-t=' <<<"$player")" \
		eval 'grep -qF "<ol id=\"transcript\" class=\"plain\" lang=\"es\">" <<<"$player" &&
			grep -qF "<a href=\"?t=2.5#player\" data-t=\"2.5\" data-end=\"3.5\"><time datetime=\"PT2S\">00:02</time> Los mineros de Siglo XX cantan.</a>" <<<"$player"'
	check "  ... who speaks, and text escaped once" "not found" \
		grep -qF 'Doña Helena: La mina &amp; el ingenio.' <<<"$player"
	check "  ... an hour and more reads h:mm:ss" "not found" grep -qF '>1:02:03</time> Fin.' <<<"$player"
	check "  ... twelve frames of the contact sheet, each a link" "$(grep -c 'class="vh"' <<<"$player")" \
		test "$(grep -c '<span class="vh">Ver desde </span>' <<<"$player")" -eq 12
	check "  ... and the script" "not found" grep -qF '<script src="/static/player.js" defer></script>' "$W/body"
	for t in '4 4' '0:04 4' '1:02:03 3723' '2.5 2.5' '0:00:07.250 7.25'; do
		set -- $t
		http - GET "/work/$WORK?t=$1"
		check "?t=$1 opens the film at $2 s" "$(grep -o '<video[^>]*>' "$W/body")" \
			grep -qF "src=\"/media/$acc#t=$2\"" "$W/body"
	done
	for t in abc -3 1:99 4:: 99999999999 '1e3' ''; do
		http - GET "/work/$WORK?t=$t"
		check "?t=$t is ignored (the film from its start)" "HTTP $STATUS $(grep -o '<video[^>]*>' "$W/body")" \
			eval '[[ $STATUS == 200 ]] && grep -qF "src=\"/media/$acc\"" "$W/body"'
	done
	http - GET "/work/$WORK?lang=en"
	check "an English page shows the English transcript and track" "$(grep -o '<ol id="transcript"[^>]*>' "$W/body")" \
		eval 'grep -qF "<ol id=\"transcript\" class=\"plain\" lang=\"en\">" "$W/body" &&
			grep -qF "srclang=\"en\" label=\"English\" src=\"/media/$en\" default>" "$W/body"'
	http - GET "/work/$WORK?transcript=en"
	check "?transcript=en on a Spanish page" "$(grep -o '<ol id="transcript"[^>]*>' "$W/body")" \
		eval 'grep -qF "lang=\"en\">" <<<"$(grep -o "<ol id=\"transcript\"[^>]*>" "$W/body")" &&
			grep -qF "href=\"?t=2.5&amp;transcript=en#player\"" "$W/body"'
	http - GET "/work/carreras"
	check "a work without a film has no player" "found one" body_lacks 'class="player"'
	http - GET /static/player.js
	check "/static/player.js is served as JavaScript" "HTTP $STATUS $(grep -i '^content-type' "$W/headers")" \
		eval '[[ $STATUS == 200 ]] && grep -qi "^content-type: text/javascript" "$W/headers" && grep -q "timeupdate" "$W/body"'

	echo "== search inside the films"
	http - GET "/search?q=cantan"
	check "a word said only in the film finds it" "$(grep -o '[0-9]* registros\?' "$W/body" | head -1)" \
		eval 'grep -qF "<p class=\"meta\">1 registro</p>" "$W/body" && grep -qF "href=\"/work/$WORK\"" "$W/body"'
	check "  ... the line, marked, and a link to its second" "$(grep -A2 'cue-hits' "$W/body" | head -3)" \
		grep -qF "<li><q lang=\"es\">Los mineros de Siglo XX <mark>cantan</mark>.</q> <a href=\"/work/$WORK?t=2#player\">en <time datetime=\"PT2S\">00:02</time></a></li>" "$W/body"
	http - GET "/search?q=sing&lang=en"
	check "an English line links to the English transcript" "$(grep -A2 'cue-hits' "$W/body" | head -3)" \
		grep -qF "href=\"/work/$WORK?t=2#player\">at <time" "$W/body"
	http - GET "/search?q=sing"
	check "  ... from a Spanish page, with transcript=en" "$(grep -A2 'cue-hits' "$W/body" | head -3)" \
		grep -qF "href=\"/work/$WORK?t=2&amp;transcript=en#player\">en <time" "$W/body"
	http - GET "/search?q=siglo"
	check "a moment said in two languages is listed once, in the page's" "$(grep -A3 'cue-hits' "$W/body" | head -4)" \
		eval '[[ $(grep -c "<li><q lang=" "$W/body") -eq 1 ]] && grep -qF "<li><q lang=\"es\">Los mineros de <mark>Siglo</mark>" "$W/body"'
	http - GET "/search?q=siglo&lang=en"
	check "  ... and in English on an English page" "$(grep -A3 'cue-hits' "$W/body" | head -4)" \
		eval '[[ $(grep -c "<li><q lang=" "$W/body") -eq 1 ]] && grep -qF "<li><q lang=\"en\">The miners of <mark>Siglo</mark>" "$W/body"'
	http - GET "/search?q=zorzalsecreto"
	same "a line said in a private film is not found by a visitor" "$(total)" 0
	http "$W/jar" GET "/search?q=zorzalsecreto"
	check "  ... and found by an archivist" "$(grep -o '[0-9]* registros\?' "$W/body" | head -1)" \
		eval 'grep -qF "<p class=\"meta\">1 registro</p>" "$W/body" && grep -qF "<mark>Zorzalsecreto</mark>" "$W/body"'
	sql "UPDATE file SET access = 'private' WHERE id = '$en'" >/dev/null
	http - GET "/search?q=sing"
	same "a private subtitle file's lines are not found by a visitor" "$(total)" 0
	http - GET "/work/$WORK"
	check "  ... nor its track offered" "$(grep -o '<track[^>]*>' "$W/body" | tr '\n' ' ')" body_lacks 'srclang="en"'
	http - GET "/work/$WORK?transcript=en"
	check "  ... nor its transcript" "$(grep -o '<ol id="transcript"[^>]*>' "$W/body")" body_lacks 'The miners of Siglo XX sing'
	sql "UPDATE file SET access = NULL WHERE id = '$en'" >/dev/null
	printf 'WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nLas palliris trabajan.\n' >"$M/es2.vtt"
	expect "new Spanish subtitles replace the old lines" 0 '1 cues, es' -- "$BIN" -a "$A" subtitle "$WORK" --lang es "$M/es2.vtt"
	http - GET "/search?q=cantan"
	same "  ... the old line is no longer found" "$(total)" 0
	http - GET "/search?q=trabajan"
	check "  ... the new one is" "$(grep -A2 'cue-hits' "$W/body" | head -2)" \
		grep -qF "<mark>trabajan</mark>" "$W/body"
	http - GET "/work/$WORK"
	check "  ... and the Spanish track is the new file" "$(grep -o '<track[^>]*>' "$W/body" | tr '\n' ' ')" \
		eval 'grep -qF "src=\"/media/$(fid es2.vtt)\" default>" "$W/body" && ! grep -o "<track[^>]*>" "$W/body" | grep -qF "/media/$es\""'
	expect "deleting the English subtitle file" 0 '' -- "$BIN" -a "$A" delete "$en" --reason "test"
	http - GET "/search?q=sing"
	same "  ... takes its lines out of search" "$(total)" 0
	same "  ... and out of the catalogue" "$(sql "SELECT count(*) FROM cue WHERE file_id = '$en'")" 0
	server_stop || fail "the server stops cleanly" "see above"
	if command -v java >/dev/null && [[ -f $VNU_JAR ]]; then
		java -jar "$VNU_JAR" --errors-only --format gnu "$W"/pages/*.html >"$W/vnu.txt" 2>&1
		if grep -v '^Picked up ' "$W/vnu.txt" | grep -q .; then
			fail "all $npages HTML pages are valid" "$(grep -v '^Picked up ' "$W/vnu.txt" | head -5)"
		else
			pass "all $npages HTML pages are valid"
		fi
	fi
else
	fail "the server starts" "see above"
fi

# ---- deletion ------------------------------------------------------------------

echo "== deletion"
nf=$(fid notes.txt) nsha=$(sha_of "$M/notes.txt")
expect "delete without a reason" 2 'usage' -- "$BIN" -a "$A" delete "$nf"
expect "delete a file" 0 'deleted' -- "$BIN" -a "$A" delete "$nf" --reason "a duplicate of the typed notes"
same "  ... its row stays, marked deleted" "$(sql "SELECT deleted IS NOT NULL FROM file WHERE id = '$nf'")" 1
same "  ... a deletion event with the reason" \
	"$(sql "SELECT count(*) FROM premis_event WHERE type = 'deletion' AND file_id = '$nf' AND detail LIKE '%duplicate%'")" 1
check "  ... its object is gone (nothing else used it)" "$(ls -l "$(obj "$nsha")" 2>&1)" \
	test ! -e "$(obj "$nsha")"
expect "  ... fixity does not miss it" 0 '0 bad' -- "$BIN" -a "$A" fixity
expect "delete it again" 1 'no record or live file' -- "$BIN" -a "$A" delete "$nf" --reason again
psha=$(sha_of "$M/still.png")
pfile=$(sql "SELECT f.id FROM file f JOIN record r ON r.id = f.record_id WHERE r.slug = '$PRIVATE' AND f.name = 'still.png'")
expect "delete a record" 0 'deleted' -- "$BIN" -a "$A" delete "$PRIVATE" --reason "withdrawn by the family"
same "  ... a tombstone with the reason" \
	"$(sql "SELECT type || ' ' || reason FROM tombstone WHERE slug = '$PRIVATE'")" "work withdrawn by the family"
same "  ... the record is gone" "$(sql "SELECT count(*) FROM record WHERE slug = '$PRIVATE'")" 0
same "  ... and the lines said in it, from search too" \
	"$(sql "SELECT count(*) FROM cue_search WHERE cue_search MATCH 'zorzalsecreto'")" 0
expect "  ... the index of lines agrees with the lines" 0 '' -- \
	sql "INSERT INTO cue_search (cue_search) VALUES ('integrity-check')"
same "  ... its file goes with it; the deletion event keeps its id" \
	"$(sql "SELECT count(*) FROM file WHERE id = '$pfile'") $(sql "SELECT count(*) FROM premis_event WHERE type = 'deletion' AND file_id = '$pfile'")" "0 1"
same "  ... a deletion event for its file" \
	"$(sql "SELECT count(*) FROM premis_event WHERE type = 'deletion' AND sha256 = '$psha'")" 1
check "  ... the object stays: the public work's still.png uses it" "$(ls -l "$(obj "$psha")" 2>&1)" \
	test -f "$(obj "$psha")"

# ---- no caps, and failures said as failures -----------------------------------
# A small archive of its own (S), so counts of objects and events are exact.

echo "== no caps"
S=$W/small
ssql() { sqlite3 "$S/catalog.db" "$@"; }
sobjects() { find "$S/objects" -type f | wc -l; }
"$BIN" -a "$S" init >/dev/null
{
	echo '{"records": ['
	echo '{"type": "work", "slug": "many", "titles": [{"text": "Many files"}]}'
	for i in $(seq 1 70); do
		echo ",{\"type\": \"work\", \"slug\": \"w$i\", \"titles\": [{\"text\": \"Work $i\"}]}"
	done
	echo ']}'
} >"$W/small.json"
run "$BIN" -a "$S" import "$W/small.json"
check "a small archive with 71 works" "$(seen_out)" test "$RC" -eq 0
mkdir -p "$M/many"
for i in $(seq 1 300); do echo "page $i" >"$M/many/p$i.txt"; done
run "$BIN" -a "$S" ingest --to many --role scan --no-derive "$M"/many/p*.txt
same "ingest 300 files to one record" "$RC $(ssql "SELECT count(*) FROM file f JOIN record r ON r.id = f.record_id WHERE r.slug = 'many'")" "0 300"
expect "delete a record of 300 files" 0 'deleted many \(300 objects removed' -- \
	"$BIN" -a "$S" delete many --reason "more than 256 files"
same "  ... a deletion event for every one of its files" \
	"$(ssql "SELECT count(*) FROM premis_event WHERE type = 'deletion'")" 300
same "  ... and none of their objects is left in the store" "$(sobjects)" 0
echo "the same bytes, for seventy works" >"$M/shared.txt"
for i in $(seq 1 70); do
	"$BIN" -a "$S" ingest --to "w$i" --role other --no-derive "$M/shared.txt" >/dev/null 2>&1
done
same "one object used by 70 files" "$(sobjects) $(ssql "SELECT count(*) FROM file WHERE deleted IS NULL")" "1 70"
expect "fixity of an object 70 files use" 0 '^1 objects checked, 0 bad' -- "$BIN" -a "$S" fixity
same "  ... a fixity event for every one of them" \
	"$(ssql "SELECT count(DISTINCT file_id) FROM premis_event WHERE type = 'fixity check'")" 70
long=$(printf 'why %.0s' $(seq 1 1250))	# 5000 bytes
expect "a reason longer than is kept is refused" 1 'the reason is 5000 bytes long' -- \
	"$BIN" -a "$S" delete w70 --reason "$long"
same "  ... and nothing was deleted" "$(ssql "SELECT count(*) FROM record WHERE slug = 'w70'")" 1
expect "a long reason is kept whole" 0 'deleted w70' -- "$BIN" -a "$S" delete w70 --reason "${long:0:3000}"
same "  ... in its deletion event" \
	"$(ssql "SELECT length(detail) FROM premis_event WHERE type = 'deletion' AND detail LIKE 'shared.txt; why%'")" \
	"$((12 + 3000))"
# an object no file uses: the catalogue cannot see it, the store listing can
orphan=$(echo "nobody's bytes" | sha256sum | cut -d' ' -f1)
mkdir -p "$S/objects/sha256/${orphan:0:2}/${orphan:2:2}"
echo "nobody's bytes" >"$S/objects/sha256/${orphan:0:2}/${orphan:2:2}/$orphan"
expect "fixity names an object no file uses" 0 "UNRECORDED $orphan" -- "$BIN" -a "$S" fixity
check "  ... and counts it" "$(seen_out)" out_has '1 objects in the store no file uses'
rm -f "$S/objects/sha256/${orphan:0:2}/${orphan:2:2}/$orphan"

echo "== ingests at the same time"
# another ingest's staging file, still being written (its writer alive and
# holding its lock, as the store's writers do), survives this ingest's sweep
exec 7>"$S/tmp/ingest-another.part"
flock 7
echo "a file of its own" >"$M/own.txt"
expect "an ingest while another is writing" 0 'stored .* own.txt' -- \
	"$BIN" -a "$S" ingest --to w1 --role other --no-derive "$M/own.txt"
check "  ... leaves the other's staging file alone" "$(ls -la "$S/tmp")" test -e "$S/tmp/ingest-another.part"
expect "  ... and so does fixity --repair-tmp" 0 'removed 0 staging files' -- "$BIN" -a "$S" fixity --repair-tmp
exec 7>&-
expect "  ... which sweeps it once its writer is gone" 0 'removed 1 staging file' -- "$BIN" -a "$S" fixity --repair-tmp

echo "== a held lock"
# another process holds the write lock (BEGIN IMMEDIATE) until told to stop
mkfifo "$W/lock.in"
sqlite3 "$S/catalog.db" <"$W/lock.in" >"$W/lock.out" 2>&1 &
holder=$!
exec 8>"$W/lock.in"
echo "BEGIN IMMEDIATE; SELECT 'held';" >&8
for _ in $(seq 1 50); do grep -q held "$W/lock.out" && break; sleep 0.1; done
expect "delete while the catalogue is locked" 1 'nothing was deleted: the catalogue is locked' -- \
	"$BIN" -a "$S" delete w1 --reason "locked"
check "  ... with no memory error" "$(seen_out)" out_lacks 'AddressSanitizer|runtime error'
expect "fixity while the catalogue is locked" 1 '2 objects checked, 0 bad, but .* could not be recorded: the catalogue is locked' -- \
	"$BIN" -a "$S" fixity
check "  ... and no success line" "$(seen_out)" out_lacks '^2 objects checked, 0 bad$'
echo "ROLLBACK;" >&8
exec 8>&-
wait "$holder"
same "  ... nothing was deleted" "$(ssql "SELECT count(*) FROM record WHERE slug = 'w1'")" 1

# A full disk and a read-only catalogue, in a mount namespace of this test's
# own (a small tmpfs, a read-only bind mount), so nothing outside it is
# touched; as root, or as a user allowed user namespaces. The commands'
# outputs and exit statuses are written to $W/ns and checked here.
echo "== a full disk and a read-only catalogue"
NS=()
if unshare -m true 2>/dev/null; then NS=(unshare -m); elif unshare -rm true 2>/dev/null; then NS=(unshare -rm); fi
if ((${#NS[@]} == 0)); then
	echo "skipped: a full disk and a read-only catalogue (no mount namespace here: unshare -m failed)"
else
	mkdir -p "$W/ns" "$W/full"
	cat >"$W/ns.sh" <<'SH'
# ns.sh BIN ARCHIVE MOUNTPOINT OUT: run inside a private mount namespace.
set -u
BIN=$1 SRC=$2 F=$3 OUT=$4
ns_run() { local name=$1; shift; "$@" >"$OUT/$name.out" 2>&1; echo $? >"$OUT/$name.rc"; }
mount -t tmpfs -o size=32m cinemateca-test "$F" || exit 3
cp -a "$SRC" "$F/a"
# a reader keeps catalog.db-wal and -shm in place, as a running server does
mkfifo "$OUT/reader.in"
sqlite3 "$F/a/catalog.db" <"$OUT/reader.in" >/dev/null 2>&1 &
exec 9>"$OUT/reader.in"
echo "SELECT count(*) FROM record;" >&9
for _ in $(seq 1 50); do [ -e "$F/a/catalog.db-shm" ] && break; sleep 0.1; done
dd if=/dev/zero of="$F/fill" bs=4k >/dev/null 2>&1	# until the disk is full
ns_run fixity "$BIN" -a "$F/a" fixity
ns_run delete "$BIN" -a "$F/a" delete w2 --reason "a full disk"
ns_run useradd sh -c "echo a-good-password | '$BIN' -a '$F/a' user add zoe --role viewer --password-stdin"
rm -f "$F/fill"
ns_run after "$BIN" -a "$F/a" fixity
sqlite3 "$F/a/catalog.db" "SELECT count(*) FROM record WHERE slug = 'w2'; SELECT count(*) FROM user WHERE name = 'zoe'" >"$OUT/counts" 2>&1
exec 9>&-
wait
# the catalogue alone on a read-only mount: the folder stays writable
mount --bind -o ro "$F/a/catalog.db" "$F/a/catalog.db" || exit 4
ns_run ro-delete "$BIN" -a "$F/a" delete w3 --reason "read-only"
ns_run ro-fixity "$BIN" -a "$F/a" fixity
exit 0
SH
	"${NS[@]}" bash "$W/ns.sh" "$BIN" "$S" "$W/full" "$W/ns"
	nsrc=$?
	if ((nsrc != 0)); then
		echo "skipped: a full disk and a read-only catalogue (cannot mount in the namespace: $nsrc)"
	else
		# nsout NAME: the exit status and output of one command run there
		nsout() { printf 'exit %s: %s' "$(cat "$W/ns/$1.rc")" "$(head -c 600 "$W/ns/$1.out" | tr '\n' '|')"; }
		nshas() { grep -qE -- "$2" "$W/ns/$1.out"; }
		check "fixity on a full disk fails, saying what it found" "$(nsout fixity)" \
			eval '[[ $(cat "$W/ns/fixity.rc") == 1 ]] && nshas fixity "2 objects checked, 0 bad, but .* could not be recorded: database or disk is full"'
		check "  ... and prints no success line" "$(nsout fixity)" eval '! nshas fixity "^2 objects checked, 0 bad$"'
		check "delete on a full disk says so" "$(nsout delete)" \
			eval '[[ $(cat "$W/ns/delete.rc") == 1 ]] && nshas delete "nothing was deleted: database or disk is full"'
		check "  ... with no memory error" "$(nsout delete)" eval '! nshas delete "AddressSanitizer|runtime error"'
		check "user add on a full disk does not say added" "$(nsout useradd)" \
			eval '[[ $(cat "$W/ns/useradd.rc") == 1 ]] && ! nshas useradd "added" && nshas useradd "disk is full"'
		same "  ... nothing was deleted or added" "$(tr '\n' ' ' <"$W/ns/counts")" "1 0 "
		check "  ... and once there is space, fixity passes" "$(nsout after)" \
			eval '[[ $(cat "$W/ns/after.rc") == 0 ]] && nshas after "^2 objects checked, 0 bad$"'
		check "delete on a read-only catalogue says so" "$(nsout ro-delete)" \
			eval '[[ $(cat "$W/ns/ro-delete.rc") == 1 ]] && nshas ro-delete "nothing was deleted: attempt to write a readonly database"'
		check "  ... with no memory error" "$(nsout ro-delete)" eval '! nshas ro-delete "AddressSanitizer|runtime error"'
		check "fixity on a read-only catalogue fails" "$(nsout ro-fixity)" \
			eval '[[ $(cat "$W/ns/ro-fixity.rc") == 1 ]] && nshas ro-fixity "could not be recorded: attempt to write a readonly database"'
	fi
fi

check_summary ingest "$CINEMATECA"
