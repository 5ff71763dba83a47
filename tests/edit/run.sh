#!/usr/bin/env bash
# tests/edit/run.sh — the web editor (/admin, /admin/new, /admin/edit/SLUG)
# over HTTP, against the real binary.
#
#   tests/edit/run.sh
#   CINEMATECA=build/asan/cinemateca tests/edit/run.sh
#
# Makes a demo archive, an archivist and a viewer, logs them in through
# the login form, and checks: who may reach the editor (anonymous: to the
# login form; a viewer: 403); creating a private work with titles in two
# languages (404 for anonymous, 200 for the archivist), opening it to the
# public; the validator's messages next to the field they name (a bad
# date, an unknown credited agent, a bad coordinate) with status 422, what
# was typed kept in the form and nothing written; CSRF (a missing or wrong
# token is a 403 and changes nothing); a new slug keeps the links of other
# records; an edit keeps what the form does not show (manifestations,
# forms, a transcription too long for a form); every demo record goes
# through its form unchanged; a level set from the command line does not
# stop the editor from setting it back; the audit log names who created
# and edited; markup typed into a title is shown escaped everywhere; every
# HTML page fetched passes the Nu Html Checker.
#
# Prints one line per check and ends with "N passed, N failed"; writes the
# totals to build/results/edit (edit-asan for a binary under build/asan/)
# for `make check`'s summary.
set -uo pipefail
cd "$(dirname "$0")/../.."

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
PW='password-123'
XSS='<script>alert(1)</script>'

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-edit.XXXXXX")
at_exit rm -rf -- "$W"
A=$W/archive
mkdir -p "$W/pages"
npages=0

# ---- helpers -------------------------------------------------------------


# http JAR METHOD PATH [CURL ARGS...]: one request (JAR: a cookie file, or
# - for none). Sets STATUS; the reply is in $W/body and $W/headers. Every
# HTML reply is kept for the validator.
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
		echo "$method $path -> $STATUS" >"$W/pages/$(printf '%04d' "$npages").what"
	fi
}



# status_is WANT: the last reply had status WANT.
status_is() { [[ $STATUS == "$1" ]]; }
# location_is WANT: the last reply's Location header is WANT.
location_is() { [[ $(header Location) == "$1" ]]; }
# body_has TEXT / body_lacks TEXT: fixed strings in the last reply's body.
body_has() { grep -qF -- "$1" "$W/body"; }
body_lacks() { ! grep -qF -- "$1" "$W/body"; }
# body_matches REGEX: a Perl regex over the whole body.
body_matches() { RE=$1 perl -0777 -ne 'exit(/$ENV{RE}/s ? 0 : 1)' "$W/body"; }


# form_fields FILE ACTION: what a browser would send for the form with
# this action, as NAME=VALUE items separated by NUL (inputs, the selected
# option of each select, textareas), entities decoded.
form_fields() {
	ACT=$2 perl -0777 -ne '
		sub dec { my $s = shift; $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g;
			$s =~ s/&#39;/\x27/g; $s =~ s/&amp;/&/g; return $s }
		sub attr { my ($t, $n) = @_; return $t =~ /\b$n="([^"]*)"/ ? dec($1) : undef }
		binmode STDOUT;
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
				print "$name=$v\0";
			}
			exit;
		}' "$1"
}

# submit JAR FORM_PAGE ACTION [NAME=VALUE...]: send the form with this
# action found in FORM_PAGE as a browser would, with the given fields
# changed (or added). NAME= empties a field; -NAME leaves it out.
submit() {
	local cj=$1 page=$2 action=$3
	shift 3
	local -A over=() drop=()
	local o item name data=()
	for o in "$@"; do
		if [[ $o == -* ]]; then drop[${o#-}]=1; else over[${o%%=*}]=${o#*=}; fi
	done
	while IFS= read -r -d '' item; do
		name=${item%%=*}
		[[ -z ${drop[$name]:-} ]] || continue
		if [[ -n ${over[$name]+x} ]]; then
			data+=(--data-urlencode "$name=${over[$name]}")
			unset "over[$name]"
		else
			data+=(--data-urlencode "$item")
		fi
	done < <(form_fields "$page" "$action")
	for name in "${!over[@]}"; do
		data+=(--data-urlencode "$name=${over[$name]}")
	done
	http "$cj" POST "$action" "${data[@]}"
}

# login JAR NAME: the whole web login (GET the form, POST it).
login() {
	local cj=$1 name=$2 csrf
	http "$cj" GET /login
	csrf=$(form_csrf "$W/body")
	http "$cj" POST /login --data-urlencode "name=$name" --data-urlencode "password=$PW" \
		--data-urlencode "csrf=$csrf"
}

# session_csrf JAR: the session's token, from the logout form of a page.
session_csrf() {
	http "$1" GET /
	form_csrf "$W/body" /logout
}

# export_record SLUG FILE: the record as export-json writes it, canonical JSON.
export_record() {
	"$BIN" -a "$A" export-json "$W/export.json" >/dev/null 2>&1 || return 1
	S=$1 perl -MJSON::PP -0777 -ne '
		my $d = JSON::PP->new->decode($_);
		my ($r) = grep { $_->{slug} eq $ENV{S} } @{$d->{records}};
		print JSON::PP->new->canonical->encode($r) if $r' "$W/export.json" >"$2"
	[[ -s $2 ]]
}

# entries_by_archivist: the audit log's entries in the archivist's name.
entries_by_archivist() {
	http "$ARCH" GET /admin/audit
	grep -c '</time></td><td>archivist-1</td>' "$W/body"
}

# audit_rows: the number of rows of the audit log's first page.
audit_rows() {
	http "$ARCH" GET /admin/audit
	grep -c '^<tr><td><time' "$W/body"
}

ARCH=$W/jar.archivist VIEW=$W/jar.viewer ANON=-

# ---- the archive, the accounts, the server -------------------------------

server_make_demo "$A" || exit 1
for u in archivist viewer; do
	printf '%s\n' "$PW" | "$BIN" -a "$A" user add "$u-1" --role "$u" --password-stdin >/dev/null ||
		{ echo "error: cannot add $u-1" >&2; exit 1; }
done
server_start "$A" || exit 1
echo "server: $BASE (pid $SERVER_PID, $CINEMATECA)"

# ---- who may reach the editor ------------------------------------------

for path in /admin '/admin/new?type=work' /admin/edit/dona-helena-palliri; do
	http "$ANON" GET "$path"
	check "anonymous GET $path goes to the login form" "$(seen)" \
		eval 'status_is 303 && [[ $(header Location) == /login\?next=/admin* ]]'
done
http "$ANON" POST /admin/new --data-urlencode type=work --data-urlencode title0=Intruso
check "anonymous POST /admin/new is refused" "$(seen)" status_is 403

login "$ARCH" archivist-1
check "the archivist logs in" "$(seen)" status_is 303
login "$VIEW" viewer-1
check "the viewer logs in" "$(seen)" status_is 303
ACSRF=$(session_csrf "$ARCH")
VCSRF=$(session_csrf "$VIEW")
check "both sessions have a form token" "archivist '$ACSRF', viewer '$VCSRF'" \
	eval '[[ ${#ACSRF} -eq 64 && ${#VCSRF} -eq 64 ]]'

for path in /admin '/admin/new?type=work' /admin/edit/dona-helena-palliri; do
	http "$VIEW" GET "$path"
	check "a viewer gets 403 on GET $path" "$(seen)" status_is 403
done
http "$VIEW" POST /admin/new --data-urlencode "csrf=$VCSRF" --data-urlencode type=work \
	--data-urlencode title0=Intruso --data-urlencode slug=viewer-intruder --data-urlencode access=public
check "a viewer gets 403 on POST /admin/new" "$(seen)" status_is 403
http "$VIEW" POST /admin/edit/dona-helena-palliri --data-urlencode "csrf=$VCSRF" \
	--data-urlencode access=private
check "a viewer gets 403 on POST /admin/edit/SLUG" "$(seen)" status_is 403
http "$ANON" GET /work/viewer-intruder
check "  ... and nothing was created" "$(seen)" status_is 404
http "$ANON" GET /work/dona-helena-palliri
check "  ... or changed" "$(seen)" status_is 200

# ---- the list ------------------------------------------------------------

http "$ARCH" GET /admin
check "the archivist sees /admin" "$(seen)" status_is 200
check "  ... the most recently changed first" "$(seen)" \
	body_matches '<tbody>\n<tr><td><a href="/subject/hostage-crises">'
# new_links: the last page offers a new record of every type.
new_links() {
	local t
	for t in work document agent place event collection subject; do
		body_has "href=\"/admin/new?type=$t\"" || return 1
	done
}
check "  ... with a new record choice for every type" "missing a /admin/new?type= link" new_links
http "$ARCH" GET '/admin?type=work'
check "/admin?type=work has an edit link for each work" "$(seen)" \
	body_has 'href="/admin/edit/dona-helena-palliri"'
check "  ... with their access level" "$(seen)" body_matches 'Doña Helena Palliri</a></td><td>Obra</td><td>Público</td>'
http "$ARCH" GET '/admin?type=agent'
check "/admin?type=agent lists agents only" "$(seen)" \
	eval 'status_is 200 && body_has /admin/edit/cesar-alarcon && body_lacks /admin/edit/dona-helena-palliri'
http "$ARCH" GET '/admin?type=nonsense'
check "/admin?type=nonsense is a 400" "$(seen)" status_is 400
http "$ARCH" GET '/admin/new?type=nonsense'
check "/admin/new?type=nonsense is a 400" "$(seen)" status_is 400
http "$ARCH" GET /admin/edit/no-such-record
check "/admin/edit/no-such-record is a 404" "$(seen)" status_is 404

# ---- creating a private work ---------------------------------------------

http "$ARCH" GET '/admin/new?type=work'
check "the new work form" "$(seen)" \
	eval 'status_is 200 && [[ $(form_csrf "$W/body" /admin/new) == "$ACSRF" ]]'
check "  ... has a label for every control" "a control without its label" perl -0777 -ne '
	my %for = map { $_ => 1 } /<label for="([^"]+)"/g;
	my @ids = /<(?:input|select|textarea)\b(?=[^>]*\bname=)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"/g;
	my @missing = grep { !$for{$_} } @ids;
	print STDERR "no label: @missing\n" if @missing;
	exit(@ids && !@missing ? 0 : 1)' "$W/body"
cp "$W/body" "$W/new.html"
submit "$ARCH" "$W/new.html" /admin/new "title0=$XSS Zorzalfilm" title0_lang=es title0_kind=original \
	"title1=The Zorzal Film" title1_lang=en title1_kind=translated slug=edit-test-work date=1984 \
	duration=1260 country=BO original_language=qu access=private \
	"desc_es=Una película de prueba."$'\r\n\r\n'"Segundo párrafo." "desc_en=A test film." \
	"credits=director cesar-alarcon" "relations=part_of miners-film-workshop-1983"
check "creating a work answers 303 to its page" "$(seen)" \
	eval 'status_is 303 && location_is /work/edit-test-work'
http "$ANON" GET /work/edit-test-work
check "  ... which is private: 404 for anonymous" "$(seen)" status_is 404
http "$VIEW" GET /work/edit-test-work
check "  ... and for a viewer" "$(seen)" status_is 404
http "$ARCH" GET /work/edit-test-work
check "  ... and 200 for the archivist" "$(seen)" status_is 200
check "  ... with both titles" "$(seen)" eval 'body_has Zorzalfilm && body_has "The Zorzal Film"'
check "  ... the markup of the title escaped" "$(seen)" \
	eval 'body_has "&lt;script&gt;alert(1)&lt;/script&gt;" && body_lacks "$XSS"'
check "  ... its credit and collection" "$(seen)" \
	eval 'body_has href=\"/agent/cesar-alarcon\" && body_has href=\"/collection/miners-film-workshop-1983\"'
check "  ... and its description in two paragraphs" "$(seen)" body_has '<p>Segundo párrafo.</p>'
export_record edit-test-work "$W/created.json"
check "the export has what was typed, duration in seconds" "$(cat "$W/created.json")" perl -MJSON::PP -0777 -ne '
	use utf8;
	my $r = decode_json($_);
	exit !($r->{duration} == 1260 && $r->{access} eq "private" && $r->{original_language} eq "qu"
		&& $r->{titles}[1]{kind} eq "translated" && $r->{titles}[1]{lang} eq "en"
		&& $r->{descriptions}[0]{text} eq "Una película de prueba.\n\nSegundo párrafo."
		&& $r->{credits}[0]{role} eq "director")' "$W/created.json"
for path in /admin '/search?q=zorzalfilm' /admin/edit/edit-test-work; do
	http "$ARCH" GET "$path"
	check "the title is escaped on $path" "$(seen)" \
		eval 'status_is 200 && body_has "&lt;script&gt;alert(1)&lt;/script&gt;" && body_lacks "$XSS"'
done

# ---- opening it to the public --------------------------------------------

http "$ARCH" GET /admin/edit/edit-test-work
cp "$W/body" "$W/edit.html"
check "the edit form shows the stored values" "$(seen)" \
	eval 'body_has "value=\"1260\"" && body_matches "<option value=\"private\" selected>"'
submit "$ARCH" "$W/edit.html" /admin/edit/edit-test-work access=public
check "setting the access to public answers 303" "$(seen)" \
	eval 'status_is 303 && location_is /work/edit-test-work'
http "$ANON" GET /work/edit-test-work
check "  ... and anonymous visitors see it" "$(seen)" status_is 200
export_record edit-test-work "$W/public.json"
check "  ... nothing else changed" "$(diff "$W/created.json" "$W/public.json")" \
	eval '[[ $(sed "s/\"private\"/\"public\"/" "$W/created.json") == "$(cat "$W/public.json")" ]]'

# ---- the validator's messages next to their fields -----------------------

http "$ARCH" GET /admin/edit/edit-test-work
cp "$W/body" "$W/edit.html"
before_audit=$(audit_rows)
submit "$ARCH" "$W/edit.html" /admin/edit/edit-test-work date=198 "desc_en=A changed text."
check "a bad date is refused with 422" "$(seen)" status_is 422
check "  ... with the message next to the date field" "$(seen)" \
	body_matches 'id="f-date" name="date" value="198" aria-describedby="h-date e-date" aria-invalid="true"><p class="meta" id="h-date">[^<]*</p><p class="error" id="e-date"><span lang="en">&quot;198&quot; is not YYYY'
check "  ... and in the summary, linked to the field" "$(seen)" \
	body_matches 'role="alert".*<li><a href="#f-date">Fecha</a>: '
check "  ... keeping what was typed elsewhere" "$(seen)" body_matches 'lang="en">\nA changed text\.</textarea>'
check "  ... still posting to the same record" "$(seen)" body_has 'action="/admin/edit/edit-test-work"'
export_record edit-test-work "$W/after.json"
check "  ... and changing nothing" "$(diff "$W/public.json" "$W/after.json")" cmp -s "$W/public.json" "$W/after.json"
check "  ... not even the audit log" "rows $before_audit -> $(audit_rows)" eval '[[ $(audit_rows) == "$before_audit" ]]'

submit "$ARCH" "$W/edit.html" /admin/edit/edit-test-work \
	"credits=director cesar-alarcon"$'\r\n\r\n'"producer ghost-person"
check "an unknown credited agent is refused" "$(seen)" status_is 422
check "  ... with its line and reason next to the credits" "$(seen)" \
	body_matches '<p class="error" id="e-credits">Línea 3: <span lang="en">agent: no record &quot;ghost-person&quot;'
check "  ... the credits textarea tied to it" "$(seen)" \
	body_has 'name="credits" rows="5" aria-describedby="h-credits e-credits" aria-invalid="true"'
export_record edit-test-work "$W/after.json"
check "  ... and nothing changed" "$(diff "$W/public.json" "$W/after.json")" cmp -s "$W/public.json" "$W/after.json"

submit "$ARCH" "$W/edit.html" /admin/edit/edit-test-work title0= title0_lang= "title1_lang=english"
check "an emptied first title row and a bad language tag are refused" "$(seen)" status_is 422
check "  ... the message next to the language of the row it is in" "$(seen)" \
	body_matches '<p class="error" id="e-title1_lang"><span lang="en">&quot;english&quot; is not a language tag'
submit "$ARCH" "$W/edit.html" /admin/edit/edit-test-work slug=dona-helena-palliri
check "a slug that another record has is refused" "$(seen)" \
	eval 'status_is 422 && body_has "id=\"e-slug\""'
submit "$ARCH" "$W/edit.html" /admin/edit/edit-test-work "relations=part_of edit-test-work" access=bogus
check "a relation to itself and an unknown level are refused" "$(seen)" \
	eval 'status_is 422 && body_has "id=\"e-relations\"" && body_has "id=\"e-access\"" && body_has "<option value=\"bogus\" selected>bogus</option>"'
http "$ARCH" GET /admin/edit/edit-test-work?lang=en
cp "$W/body" "$W/edit-en.html"
submit "$ARCH" "$W/edit-en.html" /admin/edit/edit-test-work duration=21min
check "in English, a bad duration is refused with English words" "$(seen)" \
	eval 'status_is 422 && body_has "Nothing was saved" && body_has "<a href=\"#f-duration\">Duration in seconds</a>: <span lang=\"en\">must be a positive whole number"'
http "$ARCH" GET '/?lang=es'

# ---- CSRF ----------------------------------------------------------------

submit "$ARCH" "$W/edit.html" /admin/edit/edit-test-work -csrf access=private
check "an edit without its CSRF token is a 403" "$(seen)" status_is 403
submit "$ARCH" "$W/edit.html" /admin/edit/edit-test-work csrf=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef access=private
check "an edit with a wrong CSRF token is a 403" "$(seen)" status_is 403
submit "$ARCH" "$W/new.html" /admin/new -csrf title0=Sinficha slug=no-csrf-work access=public
check "a creation without its CSRF token is a 403" "$(seen)" status_is 403
submit "$ARCH" "$W/new.html" /admin/new csrf="$VCSRF" title0=Sinficha slug=no-csrf-work access=public
check "a creation with another session's token is a 403" "$(seen)" status_is 403
http "$ANON" GET /work/edit-test-work
check "  ... the work is still public" "$(seen)" status_is 200
export_record edit-test-work "$W/after.json"
check "  ... and unchanged" "$(diff "$W/public.json" "$W/after.json")" cmp -s "$W/public.json" "$W/after.json"
http "$ARCH" GET /work/no-csrf-work
check "  ... and nothing was created" "$(seen)" status_is 404

# ---- a new slug keeps links working --------------------------------------

submit "$ARCH" "$W/edit.html" /admin/edit/edit-test-work slug=edit-test-renamed
check "a new slug answers 303 to the new address" "$(seen)" \
	eval 'status_is 303 && location_is /work/edit-test-renamed'
http "$ANON" GET /work/edit-test-work
check "  ... the old one is gone" "$(seen)" status_is 404
http "$ANON" GET /collection/miners-film-workshop-1983
check "  ... its collection links to the new address" "$(seen)" body_has 'href="/work/edit-test-renamed"'
http "$ANON" GET /agent/cesar-alarcon
check "  ... and so does its director's page" "$(seen)" body_has 'href="/work/edit-test-renamed"'
export_record edit-test-renamed "$W/renamed.json"
check "  ... and it is the same record" "$(cat "$W/renamed.json")" \
	eval '[[ $(sed "s/edit-test-work/edit-test-renamed/" "$W/public.json") == "$(cat "$W/renamed.json")" ]]'

# ---- a level set from the command line -----------------------------------

"$BIN" -a "$A" access set edit-test-renamed private >/dev/null 2>&1
http "$ANON" GET /work/edit-test-renamed
check "access set private on the command line hides the work" "$(seen)" status_is 404
http "$ARCH" GET /admin/edit/edit-test-renamed
cp "$W/body" "$W/edit.html"
submit "$ARCH" "$W/edit.html" /admin/edit/edit-test-renamed access=public
http "$ANON" GET /work/edit-test-renamed
check "  ... and the editor opens it again" "$(seen)" status_is 200

# ---- what the form does not show is kept ---------------------------------

export_record dona-helena-palliri "$W/dh-before.json"
http "$ARCH" GET /admin/edit/dona-helena-palliri
cp "$W/body" "$W/dh.html"
submit "$ARCH" "$W/dh.html" /admin/edit/dona-helena-palliri "desc_en=Edited in the web form."
check "editing a demo work's English description" "$(seen)" \
	eval 'status_is 303 && location_is /work/dona-helena-palliri'
export_record dona-helena-palliri "$W/dh-after.json"
check "  ... changes only that description (its rights and manifestations stay)" "$(diff "$W/dh-before.json" "$W/dh-after.json" | head -c 600)" \
	perl -MJSON::PP -e '
	local $/; open my $a, "<", $ARGV[0]; open my $b, "<", $ARGV[1];
	my ($x, $y) = (decode_json(<$a>), decode_json(<$b>));
	my @dx = grep { ($_->{lang} // "") ne "en" } @{$x->{descriptions}};
	my @dy = grep { ($_->{lang} // "") ne "en" } @{$y->{descriptions}};
	my ($ey) = grep { ($_->{lang} // "") eq "en" } @{$y->{descriptions}};
	exit 1 unless $ey && $ey->{text} eq "Edited in the web form.";
	my $j = JSON::PP->new->canonical;
	delete $x->{descriptions}; delete $y->{descriptions};
	exit !($j->encode($x) eq $j->encode($y) && $j->encode(\@dx) eq $j->encode(\@dy)
		&& @{$x->{manifestations} // []} > 0
		&& ($y->{rights} // "") =~ m{^http://rightsstatements.org/} && @{$y->{rights_statements} // []} == 2)' \
	"$W/dh-before.json" "$W/dh-after.json"

# a transcription too long to send back in a form
perl -e 'print "{\"records\": [{\"type\": \"document\", \"slug\": \"edit-long-doc\", ",
	"\"access\": \"public\", \"titles\": [{\"text\": \"Long transcription\"}], ",
	"\"text\": \"", "Palabra ñandú " x 5000, "\"}]}"' >"$W/long.json"
"$BIN" -a "$A" import "$W/long.json" >/dev/null 2>&1
export_record edit-long-doc "$W/long-before.json"
http "$ARCH" GET /admin/edit/edit-long-doc
cp "$W/body" "$W/long.html"
check "a transcription too long for a form is not sent in it" "$(seen)" \
	eval 'status_is 200 && body_lacks "name=\"text\"" && body_has "Demasiado largo para editarlo aquí"'
submit "$ARCH" "$W/long.html" /admin/edit/edit-long-doc date=1985 pages=12 doc_type=report
check "  ... the document still saves" "$(seen)" status_is 303
export_record edit-long-doc "$W/long-after.json"
check "  ... with its transcription intact" "transcription changed" perl -MJSON::PP -e '
	local $/; open my $a, "<", $ARGV[0]; open my $b, "<", $ARGV[1];
	my ($x, $y) = (decode_json(<$a>), decode_json(<$b>));
	exit !($x->{text} eq $y->{text} && length($y->{text}) > 60000 && $y->{date} eq "1985"
		&& $y->{pages} == 12 && $y->{doc_type} eq "report")' "$W/long-before.json" "$W/long-after.json"

# ---- other types -----------------------------------------------------------

http "$ARCH" GET '/admin/new?type=place'
cp "$W/body" "$W/place.html"
submit "$ARCH" "$W/place.html" /admin/new title0=Lugarprueba lat=north lon=-66.1 access=public
check "a place with a bad latitude is refused" "$(seen)" \
	eval 'status_is 422 && body_has "<p class=\"error\" id=\"e-lat\">" && body_has "value=\"north\""'
http "$ARCH" GET /search?q=lugarprueba
check "  ... and not created" "$(seen)" body_lacks 'Lugarprueba'
submit "$ARCH" "$W/place.html" /admin/new title0=Lugarprueba lat=-20.5 lon=-66.1 country=BO access=public
check "a place with its coordinates is created, its slug made from its name" "$(seen)" \
	eval 'status_is 303 && location_is /place/lugarprueba'
http "$ARCH" GET '/admin/new?type=agent'
cp "$W/body" "$W/agent.html"
submit "$ARCH" "$W/agent.html" /admin/new title0=Personaprueba access=public
check "an agent without its kind is refused next to the kind" "$(seen)" \
	eval 'status_is 422 && body_has "<p class=\"error\" id=\"e-kind\"><span lang=\"en\">is required"'
submit "$ARCH" "$W/agent.html" /admin/new title0=Personaprueba kind=person access=registered
check "an agent with its kind is created" "$(seen)" \
	eval 'status_is 303 && location_is /agent/personaprueba'
http "$ARCH" GET '/admin/new?type=event'
cp "$W/body" "$W/event.html"
submit "$ARCH" "$W/event.html" /admin/new title0=Hechoprueba access=public
check "an event without a date is refused" "$(seen)" \
	eval 'status_is 422 && body_has "<p class=\"error\" id=\"e-date\"><span lang=\"en\">is required for this type"'

# ---- titles with no Latin letter -------------------------------------------

http "$ARCH" GET '/admin/new?type=work'
cp "$W/body" "$W/new.html"
submit "$ARCH" "$W/new.html" /admin/new "title0=東京物語" title0_lang=ja access=public
check "a work titled in Japanese is created, its slug made from the title's digest" "$(seen)" \
	eval 'status_is 303 && [[ $(header Location) =~ ^/work/work-[0-9a-f]{16}$ ]]'
first=$(header Location)
http "$ANON" GET "$first"
check "  ... and its page shows it" "$(seen)" eval 'status_is 200 && body_has "東京物語"'
submit "$ARCH" "$W/new.html" /admin/new "title0=東京物語" title0_lang=ja access=public
check "  ... a second one of the same title gets a slug of its own" "$(seen)" \
	eval 'status_is 303 && [[ $(header Location) == "$first-2" ]]'

# ---- a busy catalogue: the form comes back as typed ----------------------

http "$ARCH" GET /admin/edit/edit-test-renamed
cp "$W/body" "$W/busy.html"
sqlite3 "$A/catalog.db" >/dev/null 2>&1 <<'SQL' &
.timeout 2000
BEGIN IMMEDIATE;
.shell sleep 9
ROLLBACK;
SQL
locker=$!
sleep 1
submit "$ARCH" "$W/busy.html" /admin/edit/edit-test-renamed "desc_en=Typed while the catalogue was busy."
check "an edit that meets a busy catalogue answers 503" "$(seen)" status_is 503
check "  ... with Retry-After" "Retry-After: '$(header Retry-After)'" eval '[[ $(header Retry-After) =~ ^[0-9]+$ ]]'
check "  ... the form again, saying the catalogue is busy" "$(seen)" \
	eval 'body_has "El catálogo está ocupado" && body_has "action=\"/admin/edit/edit-test-renamed\""'
check "  ... with what was typed" "$(seen)" body_matches 'lang="en">\nTyped while the catalogue was busy\.</textarea>'
wait "$locker"
submit "$ARCH" "$W/busy.html" /admin/edit/edit-test-renamed "desc_en=Typed while the catalogue was busy."
check "  ... and sent again once it is free, it saves" "$(seen)" status_is 303

# ---- every demo record through its form, unchanged -----------------------

"$BIN" -a "$A" export-json "$W/all-before.json" >/dev/null
audit_before=$(audit_rows)
mapfile -t SLUGS < <(perl -MJSON::PP -0777 -ne 'print "$_->{slug}\n" for @{decode_json($_)->{records}}' "$W/all-before.json")
bad=()
for s in "${SLUGS[@]}"; do
	http "$ARCH" GET "/admin/edit/$s"
	cp "$W/body" "$W/rt.html"
	submit "$ARCH" "$W/rt.html" "/admin/edit/$s"
	[[ $STATUS == 303 ]] || bad+=("$s:$STATUS")
done
check "every record (${#SLUGS[@]}) goes through its form unchanged with 303" "${bad[*]}" \
	eval '((${#bad[@]} == 0))'
"$BIN" -a "$A" export-json "$W/all-after.json" >/dev/null
check "  ... and the export is identical" "$(diff "$W/all-before.json" "$W/all-after.json" | head -c 600)" \
	cmp -s "$W/all-before.json" "$W/all-after.json"
check "  ... and the audit log has no entry for it" "$(audit_rows) rows, $audit_before before" \
	eval '[[ $(audit_rows) == "$audit_before" ]]'

# ---- the audit log -------------------------------------------------------

http "$ARCH" GET /admin/audit
check "the audit log names the archivist's creation" "$(seen)" \
	body_matches '<td>archivist-1</td><td>create</td><td><a href="/work/edit-test-renamed">edit-test-renamed</a></td><td>work, access private</td>'
check "  ... the change of access level" "$(seen)" \
	body_matches '<td>archivist-1</td><td>edit</td><td><a href="/work/edit-test-renamed">edit-test-renamed</a></td><td>access private → public</td>'
check "  ... and of slug" "$(seen)" body_has 'slug edit-test-work → edit-test-renamed'
check "  ... and of a demo record's description" "$(seen)" \
	body_matches '<td>archivist-1</td><td>edit</td><td><a href="/work/dona-helena-palliri">dona-helena-palliri</a></td><td>descriptions</td>'
n=$(entries_by_archivist)
check "  ... one entry per save that changed something (11 here)" "$n entries" eval '((n == 11))'

# ---- the server, and every page through the validator --------------------

if server_stop; then pass "the server exits cleanly"; else fail "the server exits cleanly" "see above"; fi

check_pages_valid "$W/pages" "all $npages HTML pages are valid"

check_summary edit "$CINEMATECA"
