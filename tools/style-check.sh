#!/usr/bin/env bash
# style-check.sh: fail on what STYLE.md bans: unsafe C string functions,
# exit() on the serving path, SQL outside db/, microhttpd outside server.c.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
check() { # message, grep -nE pattern, paths...
	local msg=$1 pat=$2; shift 2
	local hits
	hits=$(grep -nE "$pat" "$@" 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "style: $msg"
		echo "$hits" | sed 's/^/  /'
		fail=1
	fi
}
src=$(find src tests/unit tools -name '*.c' -o -name '*.h' | sort)
check "banned function (use buf_*, snprintf, memcpy, str_parse_u64)" \
	'(^|[^_a-z])(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atol|gets)\(' $src
check "exit() on the serving path: return an error status instead" \
	'(^|[^_a-z])exit\(' $(find src/http src/web src/db src/catalog -name '*.c')
check "SQL belongs in src/db/" \
	'"(SELECT|INSERT|UPDATE|DELETE|CREATE) ' $(find src -name '*.c' ! -path 'src/db/*')
check "only src/http/server.c may include microhttpd.h" \
	'#include <microhttpd.h>' $(find src -name '*.c' -o -name '*.h' | grep -v '^src/http/server.c$')
mkdir -p build/results
if [ $fail -eq 0 ]; then
	echo "1 0" > build/results/style
	echo "style: 1 passed, 0 failed"
else
	echo "0 1" > build/results/style
	echo "style: 0 passed, 1 failed"
fi
exit $fail
