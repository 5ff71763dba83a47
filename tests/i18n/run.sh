#!/usr/bin/env bash
# tests/i18n/run.sh — the interface in every language, against the real
# binary.
#
#   tests/i18n/run.sh
#   CINEMATECA=build/asan/cinemateca tests/i18n/run.sh
#
# Makes a demo archive and a language only for this test: ARCHIVE/po/$TL.po,
# written here from po/es.po with every msgstr marked "⟦" and three plural
# forms. Checks: `cinemateca i18n check` is clean for es and en and lists
# what qaa lacks once an entry is taken out (and the page then shows the
# default language there, never an empty label); the file passes gettext's
# msgfmt --check; the whole site switches to qaa (home, search, timeline,
# every record type, the film player, login, the editor's pages as an
# archivist, the audit log, error pages, the IIIF access window) with
# <html lang="qaa">, and every visible text of those pages carries the
# marker or is catalogue data; plural forms, dates and numbers in es, en
# and qaa; Accept-Language with q-values; the remembered switch (a link
# sets a cookie that later pages follow, without scripts); record texts
# in the visitor's language first with the original marked; broken PO
# files (a bad escape, a msgid without msgstr, a bad Plural-Forms) refused
# by `i18n check` and by `serve` with file:line and the reason; every HTML
# page through the Nu Html Checker.
#
# Prints one line per check and ends with "N passed, N failed"; writes the
# totals to build/results/i18n (i18n-asan for a binary under build/asan/).
set -uo pipefail
cd "$(dirname "$0")/../.."

CINEMATECA=${CINEMATECA:-build/cinemateca}
BIN=$CINEMATECA
PW='password-123'
MARK='⟦'
# the test language: qaa, of the range ISO 639-2 keeps for local use, so
# that the validator takes it as a language tag
TL=qaa

# shellcheck source=tests/lib/server.sh
. tests/lib/server.sh
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh

W=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-i18n.XXXXXX")
at_exit rm -rf -- "$W"
A=$W/archive
mkdir -p "$W/pages"
npages=0

# ---- helpers -------------------------------------------------------------

# http JAR PATH [CURL ARGS...]: one GET (JAR: a cookie file, or - for
# none). Sets STATUS; the reply is in $W/body and $W/headers. Every HTML
# reply is kept for the validator.
http() {
	local cj=$1 path=$2
	shift 2
	local args=(-s -g --noproxy '*' --max-time 30 -o "$W/body" -D "$W/headers" -w '%{http_code}')
	[[ $cj == - ]] || args+=(-b "$cj" -c "$cj")
	: >"$W/body"
	: >"$W/headers"
	STATUS=$(curl "${args[@]}" "$@" "$BASE$path" 2>"$W/curl.err") || true
	[[ -n $STATUS ]] || STATUS=000
	if [[ -s $W/body ]] && header Content-Type | grep -qi 'text/html'; then
		npages=$((npages + 1))
		cp "$W/body" "$W/pages/$(printf '%04d' "$npages").html"
		echo "$path -> $STATUS" >"$W/pages/$(printf '%04d' "$npages").what"
	fi
}
body_has() { grep -qF -- "$1" "$W/body"; }
body_lacks() { ! grep -qF -- "$1" "$W/body"; }
html_lang() { perl -0777 -ne 'print $1 if /<html lang="([^"]*)"/' "$W/body"; }

# login JAR NAME: the web login (GET the form, POST it).
login() {
	local cj=$1 name=$2 csrf
	http "$cj" /login
	csrf=$(form_csrf "$W/body")
	http "$cj" /login --data-urlencode "name=$name" --data-urlencode "password=$PW" \
		--data-urlencode "csrf=$csrf"
}

# make_xx OUT: the test language from po/es.po: each msgstr marked, the
# catalogue words too, three plural forms ("one", "two", "many"), a
# separator of its own in numbers and dates in an order of its own.
make_xx() {
	MARK=$MARK perl -CSD -Mutf8 -e '
		use strict; my $m = $ENV{MARK}; utf8::decode($m);
		local $/; my $t = <STDIN>;
		$t =~ s/"Language: es\\n"/"Language: qaa\\n"/;
		$t =~ s/"Language-Team: Spanish\\n"/"Language-Team: test\\n"/;
		$t =~ s/"Plural-Forms: [^"]*"/"Plural-Forms: nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;\\n"/;
		# plural entries: three forms
		$t =~ s/msgstr\[0\] "([^"\n]*)"\nmsgstr\[1\] "([^"\n]*)"/msgstr[0] "${m}one $1"\nmsgstr[1] "${m}two $2"\nmsgstr[2] "${m}many $2"/g;
		# every other msgstr but the header: marked
		$t =~ s/^msgstr "(?=[^"])/msgstr "$m/mg;
		$t =~ s/(msgctxt "NUM_THOUSANDS"\nmsgid "[^"]*"\nmsgstr ")[^"]*"/$1 "/;
		$t =~ s/(msgctxt "DATE_DAY_MONTH_YEAR"\nmsgid "[^"]*"\nmsgstr ")[^"]*"/$1${m}{y}\/{month}\/{d}"/;
		print $t;' <po/es.po >"$1"
}

# untranslated FILE...: the visible texts of these pages that neither
# carry the marker nor are catalogue data (one per line, with the page).
# Visible: text between tags (not in script or style) and the attributes
# a person reads or hears (placeholder, title, alt, aria-label, a
# button's value). Catalogue data: a substring of a string of the
# catalogue (export-json), or what is left once those are taken out is
# digits and punctuation. Also allowed: the site's title, account names
# and the other languages' names in the language menu (each is named in
# itself on purpose).
untranslated() {
	MARK=$MARK perl -CSD -MJSON::PP -Mutf8 -e '
		use strict; my $m = $ENV{MARK}; utf8::decode($m);
		my $cat = shift @ARGV;
		open my $fh, "<:raw", $cat or die; local $/; my $json = <$fh>;
		my @s; my $walk; $walk = sub { my $v = shift;
			if (ref $v eq "HASH") { $walk->($_) for values %$v }
			elsif (ref $v eq "ARRAY") { $walk->($_) for @$v }
			elsif (defined $v && !ref $v) { push @s, $v if length($v) >= 2 } };
		$walk->(JSON::PP->new->utf8->decode($json));
		# a vocabulary value shown as it is stored is untranslated, not data
		my %term;
		open my $po, "<:encoding(UTF-8)", "po/es.po" or die;
		{ local $/; my $p = <$po>; $term{$1} = 1 while $p =~ /msgctxt "term"\nmsgid "([^"]*)"/g }
		@s = grep { !$term{$_} } @s;
		# the site title, the account, the searches typed, and the other
		# languages named in themselves in the menu
		push @s, "Cinemateca", "archivist-1", "Español", "English", "Runasimi", "mina", "helena", "zzzznothing";
		s/\s+/ /g for @s;
		@s = sort { length($b) <=> length($a) } @s;
		my $blob = join("\x{1}", @s);
		sub dec { my $x = shift; $x =~ s/&lt;/</g; $x =~ s/&gt;/>/g; $x =~ s/&quot;/"/g;
			$x =~ s/&#39;/\x27/g; $x =~ s/&#(\d+);/chr($1)/ge; $x =~ s/&amp;/&/g; $x }
		for my $f (@ARGV) {
			open my $ph, "<:encoding(UTF-8)", $f or die; my $h = <$ph>;
			my $what = $f; $what =~ s/\.html$/.what/;
			open my $wh, "<", $what; my $w = <$wh> // $f; $w =~ s/\s+$//;
			$h =~ s/<!--.*?-->//gs;
			$h =~ s/<(script|style)\b[^>]*>.*?<\/\1>//gs;
			# a search hit'"'"'s snippet is catalogue text cut at the match
			$h =~ s/<p class="snippet">.*?<\/p>//gs;
			# what a form field holds is a value, not a label
			$h =~ s/<textarea\b([^>]*)>.*?<\/textarea>/<textarea$1><\/textarea>/gs;
			# the audit log'"'"'s cells are the log'"'"'s records (who, when, what was done)
			$h =~ s/<td>.*?<\/td>//gs if $w =~ m{^/admin/audit};
			my @nodes;
			while ($h =~ /<([a-zA-Z][^\s>\/]*)([^>]*)>/g) {
				my ($tag, $a) = (lc $1, $2);
				for my $at (qw(placeholder title alt aria-label)) {
					push @nodes, dec($1) if $a =~ /\b$at="([^"]*)"/;
				}
				push @nodes, dec($1) if $tag eq "input" && $a =~ /type="(?:submit|button)"/ && $a =~ /\bvalue="([^"]*)"/;
			}
			(my $text = $h) =~ s/<title>.*?<\/title>//s;
			push @nodes, map { dec($_) } split /<[^>]*>/, $text;
			if ($h =~ /<title>(.*?)<\/title>/s) { push @nodes, split / · /, dec($1) }
			for my $n (@nodes) {
				$n =~ s/^\s+|\s+$//g; $n =~ s/\s+/ /g;
				next if $n eq "" || index($n, $m) >= 0 || $n =~ /^[\d\s\p{P}\p{S}]*$/;
				next if index($blob, $n) >= 0;
				my $r = $n;
				for my $s (@s) { last if $r =~ /^[\d\s\p{P}\p{S}]*$/; my $i; while (($i = index($r, $s)) >= 0) { substr($r, $i, length $s) = " " } }
				next if $r =~ /^[\d\s\p{P}\p{S}]*$/;
				print "$w: \"$n\"\n";
			}
		}' "$W/catalogue.json" "$@"
}

# ---- the archive, the test language, the accounts -------------------------

server_make_demo "$A" || exit 1
"$BIN" -a "$A" export-json "$W/catalogue.json" >/dev/null || exit 1
printf '%s\n' "$PW" | "$BIN" -a "$A" user add archivist-1 --role archivist --password-stdin >/dev/null || exit 1

"$BIN" -a "$A" i18n check >"$W/check.out" 2>&1
check "i18n check: es and en complete, nothing left untranslated" "$(cat "$W/check.out")" \
	eval 'grep -q "^es: complete, 0 problems" "$W/check.out" && grep -q "^en: complete, 0 problems" "$W/check.out" && ! grep -q untranslated "$W/check.out"'

mkdir -p "$A/po"
make_xx "$A/po/$TL.po"
check "the test language is a standard PO file (msgfmt --check)" "$(msgfmt --check -o /dev/null "$A/po/$TL.po" 2>&1 | head -3)" \
	msgfmt --check -o /dev/null "$A/po/$TL.po"
"$BIN" -a "$A" i18n check >"$W/check.out" 2>&1
check "i18n check: the language in ARCHIVE/po is read and complete" "$(cat "$W/check.out")" \
	grep -q "^$TL: complete, 0 problems" "$W/check.out"
"$BIN" -a "$A" i18n languages >"$W/langs.out" 2>&1
check "i18n languages: es (the default), en and $TL" "$(cat "$W/langs.out")" \
	eval 'head -1 "$W/langs.out" | grep -q "^es.*(default)" && grep -q "^en" "$W/langs.out" && grep -q "^$TL" "$W/langs.out"'

server_start "$A" || exit 1

# ---- the whole site in the test language --------------------------------

XX=$W/tl.jar
http "$XX" "/?lang=$TL"
check "?lang=$TL answers in $TL and remembers it in a cookie" "HTTP $STATUS, $(header Set-Cookie)" \
	eval '[[ $(html_lang) == $TL ]] && header Set-Cookie | grep -q "^lang=$TL;"'
http "$XX" "/search"
same "the next page, with no argument, is in $TL (the cookie)" "$(html_lang)" $TL
check "every page offers every language as a plain link" "$(grep -o '<p class="langs">.*</p>' "$W/body")" \
	eval 'body_has "href=\"/search?lang=es\"" && body_has "href=\"/search?lang=en\"" && body_has "href=\"/search?lang=$TL\""'

# record slugs of each type, from the catalogue
slugs() { T=$1 perl -MJSON::PP -0777 -ne 'my $d = JSON::PP->new->decode($_);
	print join("\n", map { $_->{slug} } grep { $_->{type} eq $ENV{T} } @{$d->{records}}), "\n"' "$W/catalogue.json"; }
first=$npages
walk=(/ "/search" "/search?q=mina" "/search?q=helena" "/search?q=zzzznothing" "/search?type=work" /timeline /login
	/no-such-page "/work/no-such-film" "/search?page=abc")
for s in $(slugs work); do walk+=("/work/$s"); done
for t in document agent place event collection subject; do
	for s in $(slugs $t | head -3); do walk+=("/$t/$s"); done
done
for p in "${walk[@]}"; do
	http "$XX" "$p"
	[[ $(html_lang) == $TL ]] || fail "$p is in $TL" "html lang=\"$(html_lang)\", HTTP $STATUS"
done
login "$XX" archivist-1
check "the archivist logs in" "HTTP $STATUS" test "$STATUS" = 303
admin=(/admin /admin/audit "/admin?type=agent" "/upload?return=/" "/iiif/access?origin=http://localhost:7070")
for t in work document agent place event collection subject; do
	admin+=("/admin/new?type=$t" "/admin/edit/$(slugs $t | head -1)")
done
for p in "${admin[@]}" / "/work/$(slugs work | head -1)"; do
	http "$XX" "$p"
	[[ $(html_lang) == $TL && $STATUS == 200 ]] || fail "$p (archivist) is in $TL" "html lang=\"$(html_lang)\", HTTP $STATUS"
done
# the checker itself finds an interface text left unmarked
printf '<p>Buscar en el archivo</p>' >"$W/self.html"
echo "self-test" >"$W/self.what"
check "the untranslated-text finder finds a text left unmarked" "$(untranslated "$W/self.html")" \
	eval 'untranslated "$W/self.html" | grep -q "Buscar en el archivo"'
pages_xx=("$W"/pages/*.html)
pages_xx=("${pages_xx[@]:$first}")
untranslated "${pages_xx[@]}" >"$W/untranslated.txt"
check "nothing left untranslated on ${#pages_xx[@]} pages in $TL (every text marked, or catalogue data)" \
	"$(wc -l <"$W/untranslated.txt") texts: $(sort "$W/untranslated.txt" | uniq -c | sort -rn | head -40)" test ! -s "$W/untranslated.txt"

# ---- plural forms, dates, numbers ---------------------------------------

count_line() { perl -0777 -ne 'print $1 if /<p class="meta">([^<]*)<\/p>\s*<div class="search-layout">/' "$W/body"; }
# a query with one hit, and the whole list (many)
one_q="$(slugs place | head -1)"
http - "/search?q=Telamayu&type=place&lang=es"
n=$(count_line)
check "es: one hit is \"1 registro\"" "got '$n'" test "$n" = "1 registro"
http - "/search?lang=es"
n=$(count_line)
check "es: many hits are \"N registros\"" "got '$n'" eval '[[ $n =~ ^[0-9.]+\ registros$ ]]'
http - "/search?q=Telamayu&type=place&lang=en"
n=$(count_line)
check "en: one hit is \"1 record\"" "got '$n'" test "$n" = "1 record"
http - "/search?lang=en"
n=$(count_line)
check "en: many hits are \"N records\"" "got '$n'" eval '[[ $n =~ ^[0-9,]+\ records$ ]]'
http - "/search?q=Telamayu&type=place&lang=$TL"
n=$(count_line)
same "$TL: one hit is its form 0" "$n" "${MARK}one 1 registro"
http - "/search?lang=$TL"
n=$(count_line)
check "$TL: many hits are its form 2 (of three)" "got '$n'" eval '[[ $n == "${MARK}many "*" registros" ]]'
: "${one_q:=}"

# a dated event: the day, the month's name, the year, in each language's order
ev=$(EV=1 perl -MJSON::PP -0777 -ne 'my $d = JSON::PP->new->decode($_);
	for (@{$d->{records}}) { if ($_->{type} eq "event" && ($_->{date} // "") =~ /^\d{4}-\d\d-\d\d$/) { print "$_->{slug} $_->{date}"; last } }' "$W/catalogue.json")
read -r ev_slug ev_date <<<"$ev"
if [[ -n $ev_slug ]]; then
	y=${ev_date:0:4} mo=$((10#${ev_date:5:2})) d=$((10#${ev_date:8:2}))
	es_months=(enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre)
	en_months=(January February March April May June July August September October November December)
	http - "/event/$ev_slug?lang=es"
	check "es: $ev_date is \"$d de ${es_months[mo-1]} de $y\"" "$(grep -o "<time datetime=\"$ev_date\">[^<]*" "$W/body" | head -1)" \
		body_has "<time datetime=\"$ev_date\">$d de ${es_months[mo-1]} de $y</time>"
	http - "/event/$ev_slug?lang=en"
	check "en: $ev_date is \"$d ${en_months[mo-1]} $y\"" "$(grep -o "<time datetime=\"$ev_date\">[^<]*" "$W/body" | head -1)" \
		body_has "<time datetime=\"$ev_date\">$d ${en_months[mo-1]} $y</time>"
	http - "/event/$ev_slug?lang=$TL"
	check "$TL: $ev_date in its own order and month names" "$(grep -o "<time datetime=\"$ev_date\">[^<]*" "$W/body" | head -1)" \
		body_has "<time datetime=\"$ev_date\">$MARK$y/$MARK${es_months[mo-1]}/$d</time>"
else
	fail "a demo event with a full date" "none found in the catalogue"
fi

# numbers: 1,200 more subject terms make the count run past a thousand
perl -e 'print "{\"format\": \"cinemateca-import\", \"version\": 1, \"records\": [",
	join(",", map { "{\"type\": \"subject\", \"slug\": \"term-$_\", \"access\": \"public\", \"titles\": [{\"text\": \"Term $_\", \"lang\": \"es\"}]}" } 1 .. 1200),
	"]}"' >"$W/many.json"
if "$BIN" -a "$A" import "$W/many.json" >"$W/import.out" 2>&1; then
	http - "/search?lang=es"
	es_n=$(count_line)
	http - "/search?lang=en"
	en_n=$(count_line)
	http - "/search?lang=$TL"
	tl_n=$(count_line)
	check "es: a count past a thousand is written 1.NNN" "got '$es_n'" eval '[[ $es_n =~ ^1\.[0-9]{3}\ registros$ ]]'
	check "en: and 1,NNN" "got '$en_n'" eval '[[ $en_n =~ ^1,[0-9]{3}\ records$ ]]'
	check "$TL: with its own separator" "got '$tl_n'" eval '[[ $tl_n =~ ^${MARK}many\ 1\ [0-9]{3}\ registros$ ]]'
	http - "/search?type=subject&lang=en"
	check "en: the facets' counts and the page numbers too" "$(grep -o '<span class="count">[^<]*' "$W/body" | head -3; grep -o '<nav class="pages".*</nav>' "$W/body")" \
		eval 'body_has "<span class=\"count\">1,209</span>" && grep -Eq "<span>Page 1 of [0-9]+</span>" "$W/body"'
	http - "/search?type=subject&lang=es"
	check "es: Página 1 de N" "$(grep -o '<nav class="pages".*</nav>' "$W/body")" \
		eval 'grep -Eq "<span>Página 1 de [0-9]+</span>" "$W/body" && body_has "<span class=\"count\">1.209</span>"'
else
	fail "importing 1,200 terms for the numbers" "$(head -3 "$W/import.out")"
fi

# ---- record texts: the visitor's language first, the original marked ---

DOC=contract-fstmb-comibol-ateliers-varan
WORK=nanook-of-the-north
http - "/document/$DOC?lang=en"
check "en: a document's English title first, with lang=\"en\"" "$(grep -o '<h1[^>]*>[^<]*' "$W/body")" \
	body_has '<h1 lang="en">[Contract between the FSTMB, COMIBOL and Ateliers Varan]</h1>'
check "en: its Spanish original among the other titles, marked (Español · original)" "$(grep -o '<dt>Other titles.*' "$W/body" | head -c 400)" \
	body_has '<span lang="es">[Contrato entre la FSTMB, la COMIBOL y Ateliers Varan]</span> <span class="meta">Main</span> <span class="lang-mark" lang="en">(<span lang="es">Español</span> · original)</span>'
check "en: the English description first, the Spanish original folded and marked" "$(grep -A3 '<h2>Description' "$W/body" | head -c 600)" \
	eval 'perl -0777 -ne '"'"'exit !m{<h2>Description</h2>\n<div lang="en"><p>Contract for.*?<details class="other-langs"><summary>In other languages</summary>\n<p class="meta"> <span class="lang-mark" lang="en">\(<span lang="es">Español</span> · original\)</span></p>\n<div lang="es"><p>Contrato para}s'"'"' "$W/body"'
http - "/document/$DOC?lang=es"
check "es: the same document's Spanish title, the original, unmarked" "$(grep -o '<h1[^>]*>[^<]*<' "$W/body")" \
	body_has '<h1 lang="es">[Contrato entre la FSTMB, la COMIBOL y Ateliers Varan]</h1>'
check "es: the Spanish description first, unmarked" "$(grep -A2 '<h2>Descripción' "$W/body" | head -c 300)" \
	eval 'perl -0777 -ne '"'"'exit !m{<h2>Descripción</h2>\n<div lang="es"><p>Contrato para}s'"'"' "$W/body"'
http - "/work/$WORK?lang=es"
check "es: a film with only an English title shows it marked (English · original)" "$(grep -o '<h1.*</h1>' "$W/body")" \
	body_has '<h1 lang="en">Nanook of the North <span class="lang-mark" lang="es">(<span lang="en">English</span> · original)</span></h1>'

http - "/search?q=nanook&lang=es"
check "es: a hit whose only name is English says so (lang=\"en\" on its link)" "$(grep -o '<a href="/work/nanook-of-the-north"[^>]*>' "$W/body" | head -1)" \
	body_has '<a href="/work/nanook-of-the-north" lang="en">Nanook of the North</a>'
http - "/search?q=nanook&lang=en"
check "en: the same hit in the page's language, no lang of its own" "$(grep -o '<a href="/work/nanook-of-the-north"[^>]*>' "$W/body" | head -1)" \
	body_has '<a href="/work/nanook-of-the-north">Nanook of the North</a>'

# ---- Accept-Language and the remembered switch --------------------------

al() { http - / -H "Accept-Language: $1"; html_lang; }
same "Accept-Language: en" "$(al "en")" en
same "Accept-Language: en-GB, a region served by its language" "$(al "en-GB,en;q=0.9")" en
same "Accept-Language: q-values decide, not the order (es;q=0.3, en;q=0.9)" "$(al "es;q=0.3, en;q=0.9")" en
same "Accept-Language: fr first, then en;q=0.8 over es;q=0.5" "$(al "fr-FR, fr;q=0.9, es;q=0.5, en;q=0.8")" en
same "Accept-Language: $TL;q=0.7 over en;q=0.6" "$(al "en;q=0.6, $TL;q=0.7")" $TL
same "Accept-Language: q=0 refuses a language" "$(al "en;q=0, de")" es
same "Accept-Language: none we have: the default" "$(al "de, fr;q=0.5")" es
SW=$W/switch.jar
http "$SW" / -H "Accept-Language: en"
same "the switch: first from Accept-Language" "$(html_lang)" en
http "$SW" "/timeline?lang=es" -H "Accept-Language: en"
check "the switch: a link sets lang=es for a year" "$(header Set-Cookie)" \
	eval 'header Set-Cookie | grep -q "^lang=es; Path=/; Max-Age=31536000"'
http "$SW" / -H "Accept-Language: en"
same "the switch is remembered over Accept-Language" "$(html_lang)" es
http "$SW" "/?lang=zz" -H "Accept-Language: en"
check "an unknown ?lang= changes nothing and sets no cookie" "$(html_lang), $(header Set-Cookie)" \
	eval '[[ $(html_lang) == es ]] && ! header Set-Cookie | grep -q "^lang="'

# ---- a missing string falls back, never empty ---------------------------

server_stop || fail "the server exits cleanly" "see above"
perl -0777 -i -pe 's/\nmsgctxt "NAV_TIMELINE"\nmsgid "[^"]*"\nmsgstr "[^"]*"\n/\n/; s/(msgctxt "SEARCH"\nmsgid "[^"]*"\nmsgstr )"[^"]*"/$1""/' "$A/po/$TL.po"
"$BIN" -a "$A" i18n check >"$W/check.out" 2>&1
rc=$?
check "i18n check lists what $TL lacks (missing and empty), and fails" "rc=$rc: $(cat "$W/check.out")" \
	eval '((rc == 1)) && grep -q "^$TL: NAV_TIMELINE untranslated" "$W/check.out" && grep -q "^$TL: SEARCH untranslated" "$W/check.out" && grep -q "^$TL: incomplete, 2 problems" "$W/check.out"'
server_start "$A" || exit 1
http - "/?lang=$TL"
check "a missing string shows the default language's (Cronología), an empty one too (Buscar)" "$(grep -o '<nav.*</nav>' "$W/body"; grep -o '<button type="submit">[^<]*' "$W/body" | head -1)" \
	eval 'body_has ">Cronología</a></nav>" && body_has "<button type=\"submit\">Buscar</button>"'
server_stop || fail "the server exits cleanly" "see above"

# ---- broken PO files: refused with file:line and the reason -------------

cp "$A/po/$TL.po" "$W/tl.good"
broken() { # NAME PERL-SUBSTITUTION EXPECTED-MESSAGE-REGEX
	WANT_RE=$3
	cp "$W/tl.good" "$A/po/$TL.po"
	perl -0777 -i -pe "$2" "$A/po/$TL.po"
	"$BIN" -a "$A" i18n check >"$W/check.out" 2>&1
	local rc=$?
	check "i18n check refuses $1 with file:line and why" "rc=$rc: $(head -3 "$W/check.out")" \
		eval '((rc == 1)) && grep -Eq "po/$TL\.po:[0-9]+: $WANT_RE" "$W/check.out"'
	"$BIN" -a "$A" serve --listen 127.0.0.1:0 >"$W/serve.out" 2>&1 &
	local pid=$!
	for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	if kill -0 $pid 2>/dev/null; then
		kill $pid; wait $pid 2>/dev/null
		fail "serve refuses $1" "it started: $(head -3 "$W/serve.out")"
	else
		wait $pid; rc=$?
		check "serve refuses to start with $1, saying where" "rc=$rc: $(head -3 "$W/serve.out")" \
			eval '((rc != 0)) && grep -Eq "po/$TL\.po:[0-9]+: $WANT_RE" "$W/serve.out"'
	fi
}
broken "a bad escape" 's/(msgctxt "NAV_HOME"\nmsgid "[^"]*"\nmsgstr ")/$1\\q/' 'invalid escape \\q'
broken "a msgid without msgstr" 's/(msgctxt "NAV_HOME"\nmsgid "[^"]*"\n)msgstr "[^"]*"\n/$1/' 'msgid without msgstr'
broken "a bad Plural-Forms" 's/plural=n==1 \? 0 : n==2 \? 1 : 2;/plural=n==1 ? 0 : 3;/' 'Plural-Forms: plural form 3 for n=0, but nplurals=3'
broken "a Plural-Forms that does not parse" 's/plural=n==1 \? 0 : n==2 \? 1 : 2;/plural=(n==1;/' 'Plural-Forms: missing \)'
broken "a plural message with too few forms" 's/\nmsgstr\[2\] "[^"]*"//' '2 plural forms, but the header.s Plural-Forms says nplurals=3'
line=$(grep -n '^msgctxt "NAV_HOME"' "$W/tl.good" | cut -d: -f1)
cp "$W/tl.good" "$A/po/$TL.po"
perl -0777 -i -pe 's/(msgctxt "NAV_HOME"\nmsgid "[^"]*"\nmsgstr ")/$1\\q/' "$A/po/$TL.po"
"$BIN" -a "$A" i18n check >"$W/check.out" 2>&1
check "the line named is the line of the fault ($((line + 2)))" "$(head -1 "$W/check.out")" \
	grep -q "po/$TL.po:$((line + 2)): invalid escape" "$W/check.out"
rm -f "$A/po/$TL.po"

# ---- the converter of old-form i18n.def lines ---------------------------

T2=$W/tree
mkdir -p "$T2/tools" "$T2/src/web" "$T2/po"
cp tools/i18n-from-def.py "$T2/tools/"
cp po/es.po po/en.po "$T2/po/"
cp "$W/tl.good" "$T2/po/$TL.po"
cp src/web/i18n.def "$T2/src/web/"
cat >>"$T2/src/web/i18n.def" <<'DEF'
#ifdef MSG
MSG(TEST_NEW, "Una frase \"nueva\"\n"
    "en dos partes", "A \"new\" sentence\n" "in two parts")
MSG(NAV_HOME, "Portada", "Front page")
#endif
#ifdef TERM
TERM("test-term", "término", "term")
#endif
DEF
python3 "$T2/tools/i18n-from-def.py" >"$W/conv.out" 2>&1
rc=$?
check "the converter moves old-form MSG and TERM lines into every PO file" "rc=$rc: $(cat "$W/conv.out")" \
	eval '((rc == 0)) && ! grep -q "^MSG(\|^TERM(" "$T2/src/web/i18n.def" &&
		grep -A2 "^msgctxt \"TEST_NEW\"" "$T2/po/en.po" | grep -qF "msgstr \"A \\\"new\\\" sentence\\nin two parts\"" &&
		grep -A2 "^msgctxt \"TEST_NEW\"" "$T2/po/es.po" | grep -qF "msgstr \"Una frase \\\"nueva\\\"\\nen dos partes\"" &&
		grep -A2 "^msgctxt \"TEST_NEW\"" "$T2/po/$TL.po" | grep -qx "msgstr \"\"" &&
		grep -B1 -A1 "^msgid \"test-term\"" "$T2/po/en.po" | grep -q "msgstr \"term\""'
check "the converter keeps a key the PO files already have, and says so" "$(cat "$W/conv.out")" \
	eval 'grep -q "NAV_HOME" "$W/conv.out" && grep -A2 "^msgctxt \"NAV_HOME\"" "$T2/po/es.po" | grep -q "msgstr \"Inicio\""'
for f in es en "$TL"; do msgfmt --check -o /dev/null "$T2/po/$f.po" 2>"$W/msgfmt.err" || fail "po/$f.po after the converter passes msgfmt --check" "$(head -3 "$W/msgfmt.err")"; done
cp -r "$T2/po" "$W/po.once"
python3 "$T2/tools/i18n-from-def.py" >"$W/conv.out" 2>&1
check "the converter run again changes nothing" "$(cat "$W/conv.out"; diff -r "$W/po.once" "$T2/po" | head -5)" \
	eval 'grep -q "nothing to move" "$W/conv.out" && diff -r "$W/po.once" "$T2/po" >/dev/null'
check "the converter's --check finds nothing left" "$(python3 "$T2/tools/i18n-from-def.py" --check 2>&1)" \
	python3 "$T2/tools/i18n-from-def.py" --check

# ---- every page through the validator -----------------------------------

check_pages_valid "$W/pages" "all $npages HTML pages are valid"

check_summary i18n "$CINEMATECA"
