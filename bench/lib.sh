# bench/lib.sh — what the scripts in bench/ share; sourced, not run.
# shellcheck shell=bash

# bench_nginx: set NGINX to the nginx program, installing Debian's
# nginx-light (else nginx) first if there is none.
bench_nginx() {
	if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
		echo "installing nginx for the reference measurement"
		local sudo=""
		[[ $(id -u) -eq 0 ]] || sudo=sudo
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nginx-light >/dev/null ||
			DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nginx >/dev/null
	fi
	# shellcheck disable=SC2034 # read by the scripts that source this
	NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

# bench_machine: set CPU (the processor's model name) and COMMIT (the
# commit measured, marked when the tree has uncommitted changes).
# shellcheck disable=SC2034 # read by the scripts that source this
bench_machine() {
	CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	[[ -z $(git status --porcelain --untracked-files=no 2>/dev/null) ]] || COMMIT+=" (with uncommitted changes)"
}

# to_ms VALUE: wrk's latency ("812.00us", "3.21ms", "1.02s") in ms.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
		printf "%.2f", n
	}'
}

# median NUMBERS...: the middle value (the lower middle for an even count).
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# bench_write_section FILE BEGIN END SECTION: put the text of the file
# SECTION (which starts with the line BEGIN and ends with END) in FILE in
# place of its lines from BEGIN to END, or at its end if it has none;
# FILE is created if missing. Each script rewrites only its own section.
bench_write_section() {
	local file=$1 begin=$2 end=$3 section=$4 tmp
	tmp=$(mktemp "${TMPDIR:-/tmp}/cinemateca-bench-md.XXXXXX")
	if [[ ! -f $file ]]; then
		printf '# Benchmarks\n\nNumbers written by the scripts in bench/; each rewrites only its own section.\n\n' >"$file"
	fi
	if grep -qF -- "$begin" "$file"; then
		awk -v begin="$begin" -v end="$end" -v section="$section" '
			$0 == begin { while ((getline line < section) > 0) print line; skip = 1; next }
			$0 == end { skip = 0; next }
			!skip { print }
		' "$file" >"$tmp"
	else
		{
			cat "$file"
			[[ -z $(tail -c 1 "$file") ]] || echo   # end the last line
			echo
			cat "$section"
		} >"$tmp"
	fi
	cat "$tmp" >"$file"
	rm -f -- "$tmp"
}
