#!/usr/bin/env bash
# tests/browser/run.sh — run the browser tests (playwright-core driving
# Debian's /usr/bin/chromium) against the real binary: search.mjs (a
# visitor's search), player.mjs (watching a film: playback, subtitle
# tracks, transcript and frame seeks, moments in the address) and
# iiif-viewer.mjs (Mirador 4 on another origin playing a film with its
# captions; the IIIF Authorization Flow 2.0 walked by a viewer elsewhere)
# and uploads.mjs (tus-js-client and the site's upload.js uploading with
# the server stopped midway, resumed, the bytes checked) and contrib.mjs
# (community memories' scripts: "Now" in a note's form, a note's mark laid
# along the timeline, a region drawn on a page image).
#
#   tests/browser/run.sh
#   CINEMATECA=build/asan/cinemateca tests/browser/run.sh
#
# Installs tests/node_modules with `npm ci` from the committed lock file if
# it is missing. Screenshots land in build/screenshots/. Prints
# "N passed, N failed", records it in build/results/browser (browser-asan
# for a binary under build/asan/) for `make check`'s summary, and exits
# non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

export CINEMATECA=${CINEMATECA:-build/cinemateca}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

if [[ ! -x $CINEMATECA ]]; then
	echo "error: $CINEMATECA is not an executable (run make, or set CINEMATECA)" >&2
	exit 1
fi
if [[ ! -x $CHROMIUM ]]; then
	echo "error: $CHROMIUM not found (apt-get install chromium, or set CHROMIUM)" >&2
	exit 1
fi
if [[ ! -f tests/node_modules/playwright-core/package.json ]]; then
	echo "tests/node_modules is missing: running npm ci in tests/" >&2
	(cd tests && npm ci --ignore-scripts --no-audit --no-fund)
fi

mkdir -p build/results
name=browser
[[ $CINEMATECA != */asan/* ]] || name=browser-asan
log=$(mktemp "${TMPDIR:-/tmp}/cinemateca-browser.XXXXXX")
trap 'rm -f -- "$log"' EXIT
rc=0 passed=0 failed=0
for t in tests/browser/search.mjs tests/browser/player.mjs tests/browser/iiif-viewer.mjs tests/browser/uploads.mjs tests/browser/contrib.mjs; do
	: >"$log"
	node "$t" | tee "$log" || rc=1
	# each test's own closing line gives its totals; no line means it crashed
	totals=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log" | tail -n1)
	[[ -n $totals ]] || { totals="0 1"; rc=1; }
	passed=$((passed + ${totals% *})) failed=$((failed + ${totals#* }))
done
echo "browser: $passed passed, $failed failed"
echo "$passed $failed" >"build/results/$name"
exit "$rc"
