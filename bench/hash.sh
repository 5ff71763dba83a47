#!/usr/bin/env bash
# bench/hash.sh — ingest hashing throughput against the hardware limit.
#
#   bench/hash.sh                      # 2 GiB file, 5 runs each
#   BENCH_SIZE_MIB=512 BENCH_RUNS=3 bench/hash.sh
#
# One file of random bytes in the temporary folder, read once beforehand
# so every tool reads it from the page cache. Timed in turn, each RUNS
# times (median wall-clock seconds kept): openssl dgst -sha256 (SHA-NI
# where the CPU has it), openssl dgst -md5, coreutils sha256sum, then
# `cinemateca hash` (SHA-256 and MD5 on two threads over one read pass)
# and `cinemateca ingest --no-derive` (the same plus the copy into the
# store, fsync and rename). Rewrites its section of BENCHMARKS.md with
# throughput and ratios measured in this one run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

BIN=${CINEMATECA:-build/cinemateca}
SIZE=${BENCH_SIZE_MIB:-2048}
RUNS=${BENCH_RUNS:-5}
OUTFILE=BENCHMARKS.md
BEGIN='<!-- bench/hash.sh begin -->'
END='<!-- bench/hash.sh end -->'

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-hash.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT
FILE=$WORK/sample.bin
echo "making a $SIZE MiB file"
head -c "$((SIZE * 1024 * 1024))" /dev/urandom >"$FILE"
cat "$FILE" >/dev/null   # into the page cache

# time_it LABEL COMMAND...: median seconds of RUNS runs into T.
time_it() {
	local label=$1; shift
	local ts=() s e
	for _ in $(seq "$RUNS"); do
		s=$(date +%s.%N)
		"$@" >/dev/null
		e=$(date +%s.%N)
		ts+=("$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f", b - a }')")
	done
	T=$(median "${ts[@]}")
	printf '%-40s median %s s of %s\n' "$label" "$T" "${ts[*]}"
}

time_it "openssl dgst -sha256" openssl dgst -sha256 "$FILE"; T_SHA=$T
time_it "openssl dgst -md5" openssl dgst -md5 "$FILE"; T_MD5=$T
time_it "sha256sum" sha256sum "$FILE"; T_SUM=$T
time_it "cinemateca hash (sha256 + md5)" "$BIN" hash "$FILE"; T_CIN=$T
# the floor for ingest's copy: writing the bytes once and fsyncing them
copy_once() { rm -f "$WORK/copy"; dd if="$FILE" of="$WORK/copy" bs=1M conv=fsync status=none; rm -f "$WORK/copy"; }
time_it "dd bs=1M conv=fsync (copy alone)" copy_once; T_DD=$T

# ingest: a fresh archive each run so nothing is deduplicated
ingest_once() {
	rm -rf "$WORK/archive"
	"$BIN" -a "$WORK/archive" init >/dev/null
	"$BIN" -a "$WORK/archive" import /dev/stdin >/dev/null <<'JSON'
{"records": [{"type": "work", "slug": "bench", "titles": [{"text": "bench"}]}]}
JSON
	"$BIN" -a "$WORK/archive" ingest --to bench --role master --no-derive "$FILE"
}
time_it "cinemateca ingest --no-derive" ingest_once; T_ING=$T

mibs() { awk -v s="$SIZE" -v t="$1" 'BEGIN { printf "%.0f", s / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
SLOWER=$T_SHA; awk -v a="$T_MD5" -v b="$T_SHA" 'BEGIN { exit !(a > b) }' && SLOWER=$T_MD5

bench_machine
SHANI=no; grep -qw sha_ni /proc/cpuinfo && SHANI=yes
SECTION=$WORK/section.md
{
	echo "$BEGIN"
	echo "## Hashing: \`bench/hash.sh\`"
	echo
	echo "One $SIZE MiB file of random bytes read from the page cache; median of $RUNS runs of each"
	echo "tool, all in the same run. Ratios are throughput relative to the slower of"
	echo "\`openssl dgst -sha256\` and \`openssl dgst -md5\` (the hardware limit for computing both)."
	echo
	echo "| tool | median s | MiB/s | vs slower hash alone | vs sha256sum |"
	echo "| --- | ---: | ---: | ---: | ---: |"
	for row in "openssl dgst -sha256:$T_SHA" "openssl dgst -md5:$T_MD5" "sha256sum:$T_SUM" \
		"cinemateca hash (SHA-256 + MD5, one pass):$T_CIN" "dd conv=fsync (the copy alone, no hashing):$T_DD" \
		"cinemateca ingest --no-derive (hash + copy + fsync):$T_ING"; do
		name=${row%:*}; t=${row##*:}
		echo "| $name | $t | $(mibs "$t") | $(ratio "$t" "$SLOWER") | $(ratio "$t" "$T_SUM") |"
	done
	echo
	echo
	echo "Ingest against the copy alone: $(ratio "$T_ING" "$T_DD") of \`dd conv=fsync\`'s throughput (1.00 would"
	echo "mean hashing adds nothing to writing the object)."
	echo
	echo "- command: \`BENCH_SIZE_MIB=$SIZE BENCH_RUNS=$RUNS bench/hash.sh\`"
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "- machine: $(nproc) cores, ${CPU:-unknown CPU} (SHA-NI: $SHANI), Linux $(uname -r), $(openssl version)"
	echo "$END"
} >"$SECTION"
bench_write_section "$OUTFILE" "$BEGIN" "$END" "$SECTION"
cat "$SECTION"
