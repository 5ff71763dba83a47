# cinemateca build. `make` builds build/cinemateca; `make demo` serves the
# demo archive; `make check` installs what the tests need and runs them all.

CC ?= cc
PKGS = libmicrohttpd jansson sqlite3 libsodium libcrypto libavformat libavcodec libavutil
CFLAGS_BASE = -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	-Wformat=2 -Wno-format-nonliteral -Isrc -Ibuild/gen $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS ?= -O2 -g
LDLIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
SAN = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRC := $(shell find src -name '*.c' | sort)
LIB_SRC := $(filter-out src/main.c,$(SRC))
EMBED := schema_001_catalogue_sql=src/db/schema/001_catalogue.sql \
	schema_002_access_sql=src/db/schema/002_access.sql \
	schema_003_preservation_sql=src/db/schema/003_preservation.sql \
	schema_004_cues_sql=src/db/schema/004_cues.sql \
	schema_005_subtitles_sql=src/db/schema/005_subtitles.sql \
	schema_006_api_sql=src/db/schema/006_api.sql \
	schema_007_oai_sql=src/db/schema/007_oai.sql \
	schema_008_iiif_auth_sql=src/db/schema/008_iiif_auth.sql \
	schema_009_rights_sql=src/db/schema/009_rights.sql \
	schema_010_uploads_sql=src/db/schema/010_uploads.sql \
	schema_011_contrib_sql=src/db/schema/011_contrib.sql \
	schema_012_testimony_sql=src/db/schema/012_testimony.sql \
	schema_013_labels_sql=src/db/schema/013_labels.sql \
	schema_014_browse_sql=src/db/schema/014_browse.sql \
	style_css=src/assets/style.css player_js=src/assets/player.js iiif_auth_js=src/assets/iiif-auth.js contrib_js=src/assets/contrib.js upload_js=src/assets/upload.js demo_json=data/demo.json \
	openapi_json=src/interop/openapi.json
# the interface languages: every po/LANG.po the tree has is built in (an
# archive's own ARCHIVE/po/*.po are read at start, README "Translating")
PO_FILES := $(sort $(wildcard po/*.po))
EMBED += $(foreach f,$(PO_FILES),po_$(subst @,_,$(subst -,_,$(basename $(notdir $(f)))))_po=$(f))
EMBED_FILES := $(foreach e,$(EMBED),$(word 2,$(subst =, ,$(e))))
UNIT_SRC := $(wildcard tests/unit/test_*.c)

OBJ := $(patsubst src/%.c,build/obj/%.o,$(LIB_SRC)) build/obj/gen/embedded.o
ASAN_OBJ := $(patsubst src/%.c,build/asan/obj/%.o,$(LIB_SRC)) build/asan/obj/gen/embedded.o

DEMO_ARCHIVE ?= demo-archive
DEMO_LISTEN ?= 127.0.0.1:8080

.PHONY: all demo check deps unit unit-asan cli cli-asan http http-asan access access-asan edit edit-asan ingest ingest-asan subtitle subtitle-asan server server-asan oai oai-asan bagit bagit-asan browser faults-quick faults-quick-asan faults fuzz style clean bench
all: build/cinemateca

build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

build/gen/embedded.c build/gen/embedded.h &: build/tools/embed $(EMBED_FILES) Makefile
	@mkdir -p build/gen
	@build/tools/embed build/gen/embedded.c build/gen/embedded.h $(EMBED)

# MSG_KEY for every message of po/es.po (the source language), read by
# the program's own PO reader: a broken file stops the build at its line
build/tools/po-keys: tools/po-keys.c src/web/po.c src/web/po.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) -O2 -o $@ tools/po-keys.c src/web/po.c
build/gen/i18n_keys.h: build/tools/po-keys po/es.po
	@mkdir -p build/gen
	@build/tools/po-keys po/es.po $@.tmp && mv $@.tmp $@
GEN_H := build/gen/embedded.h build/gen/i18n_keys.h

build/obj/%.o: src/%.c $(GEN_H)
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(CFLAGS_BASE) $(CFLAGS) -MMD -MP -c -o $@ $<
build/obj/gen/embedded.o: build/gen/embedded.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -c -o $@ $<
build/asan/obj/%.o: src/%.c $(GEN_H)
	@mkdir -p $(@D)
	@echo "CC (asan) $<"
	@$(CC) $(CFLAGS_BASE) $(SAN) -MMD -MP -c -o $@ $<
build/asan/obj/gen/embedded.o: build/gen/embedded.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(SAN) -c -o $@ $<

build/libcinemateca.a: $(OBJ)
	@ar rcs $@ $^
build/asan/libcinemateca.a: $(ASAN_OBJ)
	@ar rcs $@ $^

build/cinemateca: build/obj/main.o build/libcinemateca.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
build/asan/cinemateca: build/asan/obj/main.o build/asan/libcinemateca.a
	$(CC) $(SAN) -o $@ $^ $(LDLIBS)

# The fault build: the plain build's own objects, linked so that the
# program's calls below go through tests/faults/shim.c, which fails the
# Nth of a kind when CINEMATECA_FAULT says so (and otherwise only counts).
# Relinking rather than recompiling tests exactly the code that ships.
FAULT_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup \
	-Wl,--wrap=write,--wrap=fsync,--wrap=fdatasync,--wrap=sqlite3_step,--wrap=sqlite3_open_v2
build/faults/shim.o: tests/faults/shim.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -c -o $@ $<
build/faults/cinemateca: build/obj/main.o build/libcinemateca.a build/faults/shim.o
	$(CC) $(CFLAGS) $(FAULT_WRAP) -o $@ build/faults/shim.o build/obj/main.o build/libcinemateca.a $(LDLIBS)
# and the same under ASan and UBSan, so that a failure path that reads
# freed memory is a crash, not garbage in a message
build/asan/faults/cinemateca: build/asan/obj/main.o build/asan/libcinemateca.a build/faults/shim.o
	@mkdir -p $(@D)
	$(CC) $(SAN) $(FAULT_WRAP) -o $@ build/faults/shim.o build/asan/obj/main.o build/asan/libcinemateca.a $(LDLIBS)

build/unit/%: tests/unit/%.c build/libcinemateca.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -o $@ $< build/libcinemateca.a $(LDLIBS) -lcmocka
build/asan/unit/%: tests/unit/%.c build/asan/libcinemateca.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(SAN) -o $@ $< build/asan/libcinemateca.a $(LDLIBS) -lcmocka

# Fuzzing: the library again, built by clang with libFuzzer's coverage.
FUZZ_CC ?= clang
FUZZ_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer
FUZZ_OBJ := $(patsubst src/%.c,build/fuzz/obj/%.o,$(LIB_SRC)) build/fuzz/obj/gen/embedded.o
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
# Each target's time in `make check`: 60 s, two at a time (tools/run-fuzz.sh,
# FUZZ_JOBS), about three minutes for the five. fuzz_import found a crash
# on null members within two minutes that 15 s never reached. For a long
# run: make fuzz FUZZ_SECONDS=1800.
FUZZ_SECONDS ?= 60
build/fuzz/obj/%.o: src/%.c $(GEN_H)
	@mkdir -p $(@D)
	@echo "CC (fuzz) $<"
	@$(FUZZ_CC) $(CFLAGS_BASE) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
build/fuzz/obj/gen/embedded.o: build/gen/embedded.c
	@mkdir -p $(@D)
	@$(FUZZ_CC) $(CFLAGS_BASE) $(FUZZ_FLAGS) -c -o $@ $<
build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	@echo "LINK (fuzz) $@"
	@$(FUZZ_CC) $(CFLAGS_BASE) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LDLIBS)

UNIT_BIN := $(patsubst tests/unit/%.c,build/unit/%,$(UNIT_SRC))
UNIT_ASAN_BIN := $(patsubst tests/unit/%.c,build/asan/unit/%,$(UNIT_SRC))

deps:
	@tools/deps.sh

# Installs what building needs first, then builds in a fresh make so that
# pkg-config sees the newly installed libraries.
demo:
	@tools/deps.sh --build-only
	@$(MAKE) --no-print-directory build/cinemateca
	build/cinemateca -a $(DEMO_ARCHIVE) demo
	CINEMATECA=build/cinemateca tools/demo-media.sh $(DEMO_ARCHIVE)
	build/cinemateca -a $(DEMO_ARCHIVE) serve --listen $(DEMO_LISTEN)

unit: $(UNIT_BIN)
	@tools/run-unit.sh $(UNIT_BIN)
unit-asan: $(UNIT_ASAN_BIN)
	@tools/run-unit.sh $(UNIT_ASAN_BIN)
# The suites that drive the real binary: tests/NAME/run.sh, plain and
# under ASan+UBSan (NAME-asan).
SCRIPT_SUITES = cli http access edit ingest subtitle server oai
# IIIF manifests and search; BagIt bags (export --bagit and import-bag); the JSON API
SCRIPT_SUITES += iiif bagit api
.PHONY: iiif iiif-asan bagit bagit-asan api api-asan
# the IIIF Authorization Flow 2.0 (probe, access, token, logout services)
SCRIPT_SUITES += iiif-auth
.PHONY: iiif-auth iiif-auth-asan
# resumable uploads (tus 1.0.0 at /uploads/) and the upload form
SCRIPT_SUITES += uploads
.PHONY: uploads uploads-asan
uploads: build/faults/cinemateca
uploads-asan: build/asan/faults/cinemateca
# the interface in every language (po/), a language made by the test
SCRIPT_SUITES += i18n
.PHONY: i18n i18n-asan po-check
# community memories: contributions, moderation, keepers
SCRIPT_SUITES += contrib
.PHONY: contrib contrib-asan
# Local Contexts labels and Notices: import, CLI, pages (tests/labels)
SCRIPT_SUITES += labels
.PHONY: labels labels-asan
# the access matrix sampled against a generated catalogue of 50,000 records
# (search's fast paths); under ASan at 21,000 records, still past their caps
SCRIPT_SUITES += scale
.PHONY: scale scale-asan bench-quick
scale: build/bench/gen
scale-asan: build/bench/gen
scale-asan: export SCALE_N = 15000
$(SCRIPT_SUITES): build/cinemateca
	tests/$@/run.sh
$(addsuffix -asan,$(SCRIPT_SUITES)): build/asan/cinemateca
	CINEMATECA=build/asan/cinemateca tests/$(@:-asan=)/run.sh
browser: build/cinemateca
	tests/browser/run.sh
# Fault injection (tests/faults/run.sh): faults-quick tries the first, the
# last and six points between of every kind for every operation (about a
# minute); `make faults` tries every point (hours: dballoc alone has
# thousands per operation).
faults-quick: build/cinemateca build/faults/cinemateca
	tests/faults/run.sh
faults: build/cinemateca build/faults/cinemateca
	tests/faults/run.sh --full
faults-quick-asan: build/cinemateca build/asan/faults/cinemateca
	FAULTS=build/asan/faults/cinemateca tests/faults/run.sh
style:
	tools/style-check.sh
# every PO file as gettext's own msgfmt sees it (what translators' tools use)
po-check:
	tools/po-check.sh
fuzz: $(FUZZ_TARGETS)
	@tools/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The whole suite: plain build, then everything again under ASan+UBSan.
SUITES = style po-check unit unit-asan cli cli-asan http http-asan access access-asan edit edit-asan ingest ingest-asan subtitle subtitle-asan server server-asan oai oai-asan bagit bagit-asan iiif iiif-asan api api-asan iiif-auth iiif-auth-asan scale scale-asan uploads uploads-asan labels labels-asan i18n i18n-asan contrib contrib-asan browser faults-quick faults-quick-asan fuzz

# The whole suite: the plain build, then everything again under ASan and
# UBSan. Everything the suites run is built first (CHECK_BUILT); then
# tools/run-suites.sh runs the suites CHECK_JOBS at a time, each with make's
# -o for every one of those files, so that no suite's make rebuilds anything
# (two of them writing the same binary at once is how an earlier parallel
# run broke). Each suite's output goes to build/results/logs/SUITE.log and
# is shown whole when it ends. Every suite runs even if an earlier one
# failed; the summary at the end adds them up (a suite that recorded
# nothing counts as failed) and decides the exit status. CHECK_JOBS=1 runs
# them one after another, as before.
CHECK_JOBS ?= 2
CHECK_BUILT = build/cinemateca build/asan/cinemateca build/faults/cinemateca \
	build/asan/faults/cinemateca $(UNIT_BIN) $(UNIT_ASAN_BIN) $(FUZZ_TARGETS)
check: deps
	@rm -rf build/results
	$(MAKE) -j$(CHECK_JOBS) $(CHECK_BUILT)
	@tools/run-suites.sh $(CHECK_JOBS) "$(addprefix -o ,$(CHECK_BUILT))" $(SUITES)
	@tools/summary.sh $(SUITES)

# The catalogue generator of the search and import benchmarks (bench/gen.c)
build/bench/gen: bench/gen.c
	@mkdir -p $(@D)
	$(CC) -O2 -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -o $@ $< -lm

bench: build/cinemateca build/bench/gen
	bench/http.sh
	bench/media.sh
	bench/hash.sh
	bench/oai.sh
	bench/search.sh

# bench/search.sh at 20,000 works with short runs, written aside: checks
# that the benchmark works (for CI), measures nothing worth keeping
bench-quick: build/cinemateca build/bench/gen
	BENCH_N=20000 BENCH_RUNS=1 BENCH_DURATION=2s BENCH_OUT=build/BENCHMARKS-quick.md bench/search.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)

# keep intermediate objects (fuzz builds) between runs
.SECONDARY:
