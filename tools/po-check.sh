#!/usr/bin/env bash
# po-check.sh: every po/*.po through gettext's msgfmt --check --statistics
# (the tool translators' editors use), and nothing left in i18n.def's old
# form. Records "PASSED FAILED" in build/results/po-check.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0 failed=0
for f in po/*.po; do
	if out=$(msgfmt --check --statistics -o /dev/null "$f" 2>&1); then
		echo "po-check: $f: $out"
		passed=$((passed + 1))
	else
		echo "po-check: $f FAILED:"
		echo "$out" | sed 's/^/  /'
		failed=$((failed + 1))
	fi
done
if python3 tools/i18n-from-def.py --check; then
	passed=$((passed + 1))
else
	echo "po-check: old-form strings in src/web/i18n.def: run tools/i18n-from-def.py"
	failed=$((failed + 1))
fi
mkdir -p build/results
echo "$passed $failed" > build/results/po-check
echo "po-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
