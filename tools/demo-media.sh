#!/usr/bin/env bash
# tools/demo-media.sh ARCHIVE — something to watch in the demo archive.
#
# The films of the demo collection are not ours to ship, so the demo's
# player plays a sample instead: 32 seconds of ffmpeg's test pattern
# (silent), attached to "Doña Helena Palliri" as its access copy, with
# Spanish and English captions that say it is a sample and then describe,
# in the words of the seed text (an essay on the 1983 workshop), the
# film's early scene. Search finds the film by those words ("guijarros",
# "perforated") at their second.
#
# Run by `make demo` after `cinemateca demo`. Safe to run again: the
# sample is made once (build/demo-media/) and the same bytes are stored
# and attached once. Without ffmpeg it says so and leaves the archive as
# it is. Environment: CINEMATECA (default build/cinemateca).
set -euo pipefail
cd "$(dirname "$0")/.."

ARCHIVE=${1:?usage: tools/demo-media.sh ARCHIVE}
BIN=${CINEMATECA:-build/cinemateca}
WORK=dona-helena-palliri
DIR=build/demo-media
SECONDS_LONG=32

if ! command -v ffmpeg >/dev/null; then
	echo "demo-media: ffmpeg is not installed, so the demo has no sample film to play" >&2
	exit 0
fi
mkdir -p "$DIR"
if [[ ! -s $DIR/muestra.mp4 ]]; then
	ffmpeg -loglevel error -nostdin -y \
		-f lavfi -i "testsrc2=size=640x360:rate=25:duration=$SECONDS_LONG" \
		-f lavfi -i "anullsrc=r=48000:cl=stereo" -t "$SECONDS_LONG" \
		-c:v libx264 -preset veryfast -crf 28 -pix_fmt yuv420p -c:a aac -b:a 64k \
		-movflags +faststart -map_metadata -1 "$DIR/muestra.part.mp4"
	mv "$DIR/muestra.part.mp4" "$DIR/muestra.mp4"
fi

cat >"$DIR/muestra.es.vtt" <<'VTT'
WEBVTT

00:00:00.500 --> 00:00:07.500
Muestra para la demostración: una carta de ajuste, no la película.

00:00:08.000 --> 00:00:15.500
[Descripción] En una escena temprana, Doña Helena, inclinada en lo alto de un cerro, rodeada de fragmentos de roca y guijarros…

00:00:16.000 --> 00:00:23.500
[Descripción] …raspa montones de piedras contra una lámina de metal perforado para separar el mineral de la tierra.

00:00:24.000 --> 00:00:31.500
[Descripción] Al fondo, montañas color índigo: la altura y la dureza del paisaje.
VTT
cat >"$DIR/muestra.en.vtt" <<'VTT'
WEBVTT

00:00:00.500 --> 00:00:07.500
A sample for the demo: a test pattern, not the film.

00:00:08.000 --> 00:00:15.500
[Description] In an early scene, Doña Helena, bent over on top of a mountain, surrounded by shards of rock and pebbles…

00:00:16.000 --> 00:00:23.500
[Description] …scrapes piles of stones against a sheet of perforated metal to isolate the minerals from the dirt.

00:00:24.000 --> 00:00:31.500
[Description] In the background, indigo mountains: the altitude and the starkness of the landscape.
VTT

"$BIN" -a "$ARCHIVE" ingest --to "$WORK" --role access "$DIR/muestra.mp4"
"$BIN" -a "$ARCHIVE" subtitle "$WORK" --lang es "$DIR/muestra.es.vtt"
"$BIN" -a "$ARCHIVE" subtitle "$WORK" --lang en "$DIR/muestra.en.vtt"
