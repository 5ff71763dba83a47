#!/usr/bin/env bash
# bench/load-cues.sh ARCHIVE GENDIR — load bench/gen's subtitle lines
# (GENDIR/files.tsv, GENDIR/cues.tsv) into ARCHIVE's catalogue as the
# subtitle command stores them: a file row (role subtitle) per subtitled
# work, read at its work's level, and its cue rows; the cue index follows
# through its triggers. The subtitle command would also store each
# WebVTT file in the object store: a million of them are not what is
# measured here, the lines are. One transaction.
set -euo pipefail
A=$1 G=$2
sqlite3 "$A/catalog.db" <<SQL
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -262144;
CREATE TEMP TABLE gf (id TEXT, slug TEXT, lang TEXT);
CREATE TEMP TABLE gc (file_id TEXT, start_ms INTEGER, end_ms INTEGER, text TEXT);
.mode tabs
.import $G/files.tsv gf
.import $G/cues.tsv gc
BEGIN;
INSERT INTO file (id, record_id, role, sha256, size, mime, created)
  SELECT gf.id, r.id, 'subtitle', lower(hex(randomblob(32))), 1000, 'text/vtt',
         strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
  FROM gf JOIN record r ON r.slug = gf.slug;
INSERT INTO cue (record_id, file_id, lang, start_ms, end_ms, text)
  SELECT f.record_id, gc.file_id, gf.lang, gc.start_ms, gc.end_ms, gc.text
  FROM gc JOIN gf ON gf.id = gc.file_id JOIN file f ON f.id = gc.file_id;
COMMIT;
PRAGMA optimize;
SQL
