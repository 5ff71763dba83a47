# tests/lib/check.sh — the checks of the script suites (tests/*/run.sh);
# shellcheck shell=bash
# sourced, not run.
#
#   . tests/lib/check.sh
#   check "the page answers" "HTTP $STATUS" test "$STATUS" = 200
#   same "its title" "$title" "Doña Helena Palliri"
#   ...
#   check_summary access "$CINEMATECA"   # last: totals, results file, status
#
# Each check prints "ok   NAME" or "FAIL NAME: WHAT" and counts in
# $passed and $failed; failed names are kept in FAILS.

passed=0 failed=0
FAILS=()

pass() {
	passed=$((passed + 1))
	echo "ok   $1"
}
# fail NAME WHAT: record a failed check and say what was seen.
fail() {
	failed=$((failed + 1))
	FAILS+=("$1")
	echo "FAIL $1: $2"
}
# check NAME WHAT COMMAND...: pass if COMMAND succeeds, else fail with WHAT.
check() {
	local name=$1 what=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$what"; fi
}
# same NAME GOT WANT: pass if the two strings are equal.
same() {
	if [[ $2 == "$3" ]]; then pass "$1"; else fail "$1" "got '$2', expected '$3'"; fi
}

# header NAME [FILE]: the values of header NAME in a reply's headers
# (default $W/headers, as curl -D writes them; the last reply's when it
# followed redirects), one per line.
header() {
	LC_ALL=C awk -v want="$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')" '
		{ sub(/\r$/, "") }
		/^HTTP\// { n = 0; delete v; next }
		{
			i = index($0, ":"); if (i == 0) next
			if (tolower(substr($0, 1, i - 1)) == want) {
				val = substr($0, i + 1); sub(/^[ \t]+/, "", val); v[n++] = val
			}
		}
		END { for (k = 0; k < n; k++) print v[k] }
	' "${2:-$W/headers}"
}

# seen: a short description of the last reply ($STATUS, $W/headers,
# $W/body), for failure messages.
seen() {
	local loc
	loc=$(header Location)
	printf 'HTTP %s%s, %s bytes: %s' "$STATUS" "${loc:+ Location: $loc}" \
		"$(stat -c %s "$W/body" 2>/dev/null)" \
		"$(sed -n '/<main/,/<\/main>/p' "$W/body" | sed 's/<[^>]*>//g' | tr -s ' \n' ' ' | head -c 300)"
}

# form_csrf FILE [ACTION]: the hidden csrf input's value in the form with
# this action (any form when ACTION is empty) of the page in FILE.
form_csrf() {
	ACT=${2:-} perl -0777 -ne '
		my $act = $ENV{ACT};
		while (/<form\b([^>]*)>(.*?)<\/form>/gs) {
			my ($attr, $in) = ($1, $2);
			next if $act ne "" && $attr !~ /action="\Q$act\E"/;
			while ($in =~ /<input\b([^>]*)>/g) {
				my $t = $1;
				if ($t =~ /name="csrf"/ && $t =~ /value="([^"]*)"/) { print $1; exit }
			}
		}' "$1"
}

# check_pages_valid DIR WHAT: every DIR/*.html through the Nu Html Checker
# (tests/node_modules' vnu.jar, with npm ci when it is missing), as one
# check named WHAT. A failure shows the checker's first 20 lines, each with
# what the page was (DIR/N.what, written beside page N.html, when there).
check_pages_valid() {
	local dir=$1 what=$2 jar=tests/node_modules/vnu-jar/build/dist/vnu.jar out line f
	if ! command -v java >/dev/null; then
		fail "$what" "java not found; the Nu Html Checker needs Java 11 or later"
		return
	fi
	if [[ ! -f $jar ]]; then
		echo "tests/node_modules is missing: running npm ci in tests/" >&2
		(cd tests && npm ci --ignore-scripts --no-audit --no-fund)
	fi
	out=$(java -jar "$jar" --errors-only --format gnu "$dir"/*.html 2>&1 | grep -v '^Picked up ')
	if [[ -z $out ]]; then
		pass "$what"
		return
	fi
	fail "$what" "the Nu Html Checker says:"
	head -20 <<<"$out" | while IFS= read -r line; do
		f=$(sed -n 's,.*/\([0-9]*\)\.html.*,\1,p' <<<"$line")
		printf '    %s (%s)\n' "$line" "$(cat "$dir/$f.what" 2>/dev/null)"
	done
}

# check_summary SUITE BINARY: list the failed checks, write the totals to
# build/results/SUITE (SUITE-asan for a binary under build/asan/) for
# `make check`'s summary, print "SUITE: N passed, N failed", and succeed
# only if nothing failed.
check_summary() {
	local name=$1
	[[ $2 != */asan/* ]] || name=$1-asan
	if ((failed > 0)); then
		echo "failed checks:"
		printf '  %s\n' "${FAILS[@]}"
	fi
	mkdir -p build/results
	echo "$passed $failed" >"build/results/$name"
	echo "$name: $passed passed, $failed failed"
	((failed == 0))
}
