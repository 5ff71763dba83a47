#!/usr/bin/env bash
# run-fuzz.sh SECONDS TARGET...: run each libFuzzer target for SECONDS,
# starting from its checked-in corpus (tests/fuzz/corpus/NAME) copied to a
# scratch folder so runs do not grow the repository. FUZZ_JOBS targets
# (default 2, one per core of the machine the suite is sized for) run at
# once, so that `make check` gives every target a minute in under three.
# A crash leaves its input in build/fuzz/ and fails the suite.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=$1; shift
jobs=${FUZZ_JOBS:-2}
passed=0 failed=0

# AddressSanitizer keeps freed memory in quarantine to catch use after
# free; over a minute of FFmpeg's probing it grew past libFuzzer's 2 GiB
# limit with 24 MB live (fuzz_probe "out-of-memory" with nothing leaked).
# A smaller quarantine still catches a use soon after the free.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=64}

# one TARGET: run it; its log and outcome (ok/FAIL) land in build/fuzz/.
one() {
	local t=$1 name short work
	name=$(basename "$t"); short=${name#fuzz_}
	work=build/fuzz/corpus-$short
	mkdir -p "$work"
	cp -n tests/fuzz/corpus/"$short"/* "$work"/ 2>/dev/null || true
	if "$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix=build/fuzz/"$name"- "$work" > build/fuzz/"$name".log 2>&1; then
		echo ok > build/fuzz/"$name".outcome
	else
		echo FAIL > build/fuzz/"$name".outcome
	fi
}

mkdir -p build/fuzz
running=0
for t in "$@"; do
	rm -f build/fuzz/"$(basename "$t")".outcome
	one "$t" &
	running=$((running + 1))
	if ((running >= jobs)); then
		wait -n
		running=$((running - 1))
	fi
done
wait
for t in "$@"; do
	name=$(basename "$t")
	if [[ $(cat build/fuzz/"$name".outcome 2>/dev/null) == ok ]]; then
		echo "ok   $name: $(grep -Eo 'Done [0-9]+ runs' build/fuzz/"$name".log | tail -1)"
		passed=$((passed + 1))
	else
		echo "FAIL $name (see build/fuzz/$name.log)"
		tail -30 build/fuzz/"$name".log
		failed=$((failed + 1))
	fi
done
mkdir -p build/results
echo "$passed $failed" > build/results/fuzz
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
