/* probe.c: technical metadata with libavformat (see probe.h), and a MIME
 * type for everything, media or not.
 *
 * The file is outside input, so libavformat is kept on a short lead: only
 * the file protocol (the path is opened as "file:PATH", so a name such as
 * "http://..." or "concat:a|b" is just a name), the demuxer is chosen by
 * the bytes alone (not the name) and must be sure of itself, and demuxers
 * that open other files or addresses named inside the input (playlists,
 * concat lists, SDP, IMF) are refused. Files libavformat does not read are
 * recognised by their first bytes: PDF, WebVTT, SubRip, UTF-8 text.
 *
 * The JSON written (compact, keys present only when known):
 *   {"container": "matroska,webm", "container_long": "Matroska / WebM",
 *    "duration": 4.0, "bit_rate": 1234567,
 *    "streams": [{"index": 0, "type": "video", "codec": "ffv1",
 *                 "width": 320, "height": 240, "frame_rate": "25/1",
 *                 "fps": 25.0, "pix_fmt": "yuv420p", "bit_rate": 1000},
 *                {"index": 1, "type": "audio", "codec": "flac",
 *                 "sample_rate": 48000, "channels": 1,
 *                 "channel_layout": "mono", "bit_rate": 1000}]}
 * type is video, audio, subtitle, data, attachment or image (a still
 * picture: PNG, JPEG, TIFF... read by an image demuxer, or cover art);
 * still images have no duration. */
#include "probe.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/pixdesc.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

#define SNIFF_BYTES 65536	/* bytes read to recognise non-media files */
#define MAX_STREAMS 64		/* streams described in the JSON */
#define PATH_MAX_LEN 4096

/* Demuxers that would read other files or addresses named in the input,
 * or that take any text for media. */
static const char *const refused_demuxers[] = {
	"hls", "applehttp", "dash", "concat", "sdp", "rtsp", "rtp", "imf", "tty",
	"ffmetadata", "image2", "lrc", NULL};

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

static void quiet(void)
{
	av_log_set_level(AV_LOG_QUIET);
}

static bool refused(const char *name)
{
	for (const char *const *r = refused_demuxers; *r; r++)
		if (strcmp(name, *r) == 0)
			return true;
	return false;
}

static void set_mime(char mime[64], const char *m)
{
	snprintf(mime, 64, "%s", m);
}

/* sniff_subrip: a SubRip file starts (after a BOM and blank lines) with a
 * cue number line and a "00:00:01,000 --> 00:00:02,000" line. */
static bool sniff_subrip(const char *p, size_t n)
{
	size_t i = 0, digits = 0;

	while (i < n && (p[i] == '\r' || p[i] == '\n' || p[i] == ' '))
		i++;
	while (i < n && p[i] >= '0' && p[i] <= '9') {
		i++;
		digits++;
	}
	if (digits == 0 || digits > 9)
		return false;
	while (i < n && p[i] == ' ')
		i++;
	if (i < n && p[i] == '\r')
		i++;
	if (i >= n || p[i] != '\n')
		return false;
	i++;
	/* HH:MM:SS,mmm --> HH:MM:SS,mmm (hours may have more digits, '.' is tolerated) */
	static const char shape[] = "9:99:99,999 --> ";
	size_t h = 0;
	while (i < n && p[i] >= '0' && p[i] <= '9') {
		i++;
		h++;
	}
	if (h == 0)
		return false;
	for (const char *s = shape + 1; *s; s++, i++) {
		if (i >= n)
			return false;
		if (*s == '9' ? !(p[i] >= '0' && p[i] <= '9')
			      : (*s == ',' ? (p[i] != ',' && p[i] != '.') : p[i] != *s))
			return false;
	}
	return i < n && p[i] >= '0' && p[i] <= '9';
}

/* sniff_text: well-formed UTF-8 with no control characters but tab, line
 * feed, carriage return and form feed. A sequence cut by the end of the
 * sample (when the file goes on) does not count against it. */
static bool sniff_text(const char *p, size_t n, bool truncated)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f)
			return false;
	}
	if (truncated)
		n = str_utf8_prefix(p, n);
	return str_utf8_valid(p, n);
}

/* sniff names what the first bytes of a file that is not media show. */
static void sniff(const char *p, size_t n, bool truncated, char mime[64])
{
	const char *t = p;
	size_t tn = n;

	if (tn >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0) {
		t += 3;
		tn -= 3;
	}
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		set_mime(mime, "application/pdf");
	else if (tn >= 6 && memcmp(t, "WEBVTT", 6) == 0 &&
		 (tn == 6 || t[6] == ' ' || t[6] == '\t' || t[6] == '\n' || t[6] == '\r'))
		set_mime(mime, "text/vtt");
	else if (sniff_subrip(t, tn))
		set_mime(mime, "application/x-subrip");
	else if (sniff_text(p, n, truncated))
		set_mime(mime, "text/plain");
	else
		set_mime(mime, "application/octet-stream");
}

/* media_mime names a file libavformat read, by its demuxer and, for the
 * families that share one, the bytes and the kinds of stream in it. */
static void media_mime(const AVFormatContext *fc, const unsigned char *head, size_t n,
		       char mime[64])
{
	static const struct {
		const char *demuxer, *mime;
	} table[] = {
		{"avi", "video/x-msvideo"}, {"mpegts", "video/mp2t"}, {"mpeg", "video/mpeg"},
		{"mpegvideo", "video/mpeg"}, {"flv", "video/x-flv"}, {"asf", "video/x-ms-asf"},
		{"dv", "video/x-dv"}, {"mxf", "application/mxf"}, {"h264", "video/h264"},
		{"hevc", "video/h265"}, {"m4v", "video/mp4"}, {"yuv4mpegpipe", "video/x-yuv4mpeg"},
		{"wav", "audio/wav"}, {"w64", "audio/x-w64"}, {"flac", "audio/flac"},
		{"mp3", "audio/mpeg"}, {"aac", "audio/aac"}, {"ac3", "audio/ac3"},
		{"eac3", "audio/eac3"}, {"aiff", "audio/aiff"}, {"au", "audio/basic"},
		{"amr", "audio/amr"}, {"caf", "audio/x-caf"}, {"wv", "audio/x-wavpack"},
		{"ape", "audio/x-ape"}, {"tta", "audio/x-tta"}, {"dts", "audio/vnd.dts"},
		{"png_pipe", "image/png"}, {"apng", "image/apng"}, {"jpeg_pipe", "image/jpeg"},
		{"jpegls_pipe", "image/jls"}, {"tiff_pipe", "image/tiff"},
		{"webp_pipe", "image/webp"}, {"gif", "image/gif"}, {"gif_pipe", "image/gif"},
		{"bmp_pipe", "image/bmp"}, {"dpx_pipe", "image/x-dpx"},
		{"exr_pipe", "image/x-exr"}, {"j2k_pipe", "image/jp2"},
		{"j2k", "image/jp2"}, {"svg_pipe", "image/svg+xml"},
		{"webvtt", "text/vtt"}, {"srt", "application/x-subrip"},
		{"ass", "text/x-ssa"}, {"sami", "application/x-sami"},
		{NULL, NULL}};
	const char *name = fc->iformat->name;
	bool video = false;

	for (unsigned i = 0; i < fc->nb_streams; i++)
		if (fc->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
		    !(fc->streams[i]->disposition & AV_DISPOSITION_ATTACHED_PIC))
			video = true;

	if (strcmp(name, "mov,mp4,m4a,3gp,3g2,mj2") == 0) {
		if (n >= 12 && memcmp(head + 4, "ftyp", 4) == 0) {
			if (memcmp(head + 8, "qt  ", 4) == 0)
				set_mime(mime, "video/quicktime");
			else if (memcmp(head + 8, "3gp", 3) == 0 || memcmp(head + 8, "3g2", 3) == 0)
				set_mime(mime, video ? "video/3gpp" : "audio/3gpp");
			else if (memcmp(head + 8, "mjp2", 4) == 0)
				set_mime(mime, "video/mj2");
			else
				set_mime(mime, video ? "video/mp4" : "audio/mp4");
		} else {
			set_mime(mime, "video/quicktime");
		}
		return;
	}
	if (strcmp(name, "matroska,webm") == 0) {
		bool webm = memmem(head, n < 256 ? n : 256, "webm", 4) != NULL;
		if (webm)
			set_mime(mime, video ? "video/webm" : "audio/webm");
		else
			set_mime(mime, video ? "video/x-matroska" : "audio/x-matroska");
		return;
	}
	if (strcmp(name, "ogg") == 0) {
		set_mime(mime, video ? "video/ogg" : "audio/ogg");
		return;
	}
	for (int i = 0; table[i].demuxer; i++)
		if (strcmp(name, table[i].demuxer) == 0) {
			set_mime(mime, table[i].mime);
			return;
		}
	set_mime(mime, "application/octet-stream");
}

static bool image_demuxer(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, "_pipe") == 0) || strcmp(name, "image2") == 0 ||
	       strcmp(name, "gif") == 0 || strcmp(name, "j2k") == 0;
}

/* set_* add a member only when its value was made (jansson returns NULL
 * for NaN, non-UTF-8 and on allocation failure; a missing key is better
 * than a failed probe). */
static void set_str(json_t *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_set_new(o, k, json_string(v));
}

static void set_int(json_t *o, const char *k, long long v)
{
	if (v > 0)
		json_object_set_new(o, k, json_integer(v));
}

static void set_real(json_t *o, const char *k, double v)
{
	if (isfinite(v) && v > 0)
		json_object_set_new(o, k, json_real(round(v * 1000.0) / 1000.0));
}

static json_t *describe_stream(const AVStream *st, bool still)
{
	const AVCodecParameters *cp = st->codecpar;
	json_t *o = json_object();
	const char *type;
	char tmp[128];

	if (!o)
		return NULL;
	json_object_set_new(o, "index", json_integer(st->index));
	switch (cp->codec_type) {
	case AVMEDIA_TYPE_VIDEO:
		type = still || (st->disposition & AV_DISPOSITION_ATTACHED_PIC) ? "image" : "video";
		break;
	case AVMEDIA_TYPE_AUDIO: type = "audio"; break;
	case AVMEDIA_TYPE_SUBTITLE: type = "subtitle"; break;
	case AVMEDIA_TYPE_ATTACHMENT: type = "attachment"; break;
	default: type = "data"; break;
	}
	json_object_set_new(o, "type", json_string(type));
	set_str(o, "codec", avcodec_get_name(cp->codec_id));
	set_int(o, "bit_rate", cp->bit_rate);
	if (cp->codec_type == AVMEDIA_TYPE_VIDEO) {
		set_int(o, "width", cp->width);
		set_int(o, "height", cp->height);
		if (cp->format >= 0)
			set_str(o, "pix_fmt", av_get_pix_fmt_name((enum AVPixelFormat)cp->format));
		AVRational fr = st->avg_frame_rate;
		if (fr.num <= 0 || fr.den <= 0)
			fr = st->r_frame_rate;
		if (!still && fr.num > 0 && fr.den > 0) {
			snprintf(tmp, sizeof tmp, "%d/%d", fr.num, fr.den);
			set_str(o, "frame_rate", tmp);
			set_real(o, "fps", av_q2d(fr));
		}
	} else if (cp->codec_type == AVMEDIA_TYPE_AUDIO) {
		set_int(o, "sample_rate", cp->sample_rate);
		set_int(o, "channels", cp->ch_layout.nb_channels);
		if (cp->ch_layout.order != AV_CHANNEL_ORDER_UNSPEC &&
		    av_channel_layout_describe(&cp->ch_layout, tmp, sizeof tmp) > 0)
			set_str(o, "channel_layout", tmp);
	}
	return o;
}

/* describe turns an opened file into the JSON text (NULL if out of memory). */
static char *describe(const AVFormatContext *fc)
{
	bool still = image_demuxer(fc->iformat->name);
	json_t *root = json_object(), *streams = json_array();
	char *out = NULL;

	if (!root || !streams)
		goto out;
	set_str(root, "container", fc->iformat->name);
	set_str(root, "container_long", fc->iformat->long_name);
	if (!still && fc->duration != AV_NOPTS_VALUE && fc->duration > 0)
		set_real(root, "duration", (double)fc->duration / AV_TIME_BASE);
	if (!still)
		set_int(root, "bit_rate", fc->bit_rate);
	for (unsigned i = 0; i < fc->nb_streams && i < MAX_STREAMS; i++) {
		json_t *s = describe_stream(fc->streams[i], still);
		if (s)
			json_array_append_new(streams, s);
	}
	json_object_set(root, "streams", streams);
	out = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(12));
out:
	json_decref(streams);
	json_decref(root);
	return out;
}

/* open_media opens path with a demuxer picked from its bytes, refusing
 * the ones above and unsure guesses. Returns 0 and *out, or ERR_INVALID. */
static int open_media(const char *url, AVFormatContext **out)
{
	AVIOContext *pb = NULL;
	const AVInputFormat *fmt = NULL;
	AVDictionary *opts = NULL;
	AVFormatContext *fc = NULL;
	int score;

	*out = NULL;
	if (avio_open2(&pb, url, AVIO_FLAG_READ, NULL, NULL) < 0)
		return ERR_INVALID;
	score = av_probe_input_buffer2(pb, &fmt, "", NULL, 0, 0);
	avio_closep(&pb);
	if (score <= AVPROBE_SCORE_RETRY || !fmt || refused(fmt->name))
		return ERR_INVALID;

	fc = avformat_alloc_context();
	if (!fc)
		return ERR_NOMEM;
	av_dict_set(&opts, "protocol_whitelist", "file", 0);
	av_dict_set(&opts, "format_whitelist", fmt->name, 0);
	av_dict_set(&opts, "probesize", "10000000", 0);
	av_dict_set(&opts, "analyzeduration", "10000000", 0);
	if (avformat_open_input(&fc, url, fmt, &opts) < 0) {	/* frees fc on failure */
		av_dict_free(&opts);
		return ERR_INVALID;
	}
	av_dict_free(&opts);
	if (avformat_find_stream_info(fc, NULL) < 0 || fc->nb_streams == 0) {
		avformat_close_input(&fc);
		return ERR_INVALID;
	}
	*out = fc;
	return 0;
}

int probe_file(const char *path, char **techmd, char mime[64])
{
	char *head = NULL, url[PATH_MAX_LEN + 8];
	AVFormatContext *fc = NULL;
	FILE *f = NULL;
	size_t n;
	bool truncated;
	int rc;

	*techmd = NULL;
	set_mime(mime, "application/octet-stream");
	pthread_once(&quiet_once, quiet);
	if (snprintf(url, sizeof url, "file:%s", path) >= (int)sizeof url)
		return ERR_IO;

	/* the first bytes: for the PDF magic before any demuxer sees the
	 * file, and for the MIME type of what is not media */
	head = malloc(SNIFF_BYTES + 1);
	if (!head)
		return ERR_NOMEM;
	f = fopen(path, "rb");
	if (!f) {
		rc = ERR_IO;
		goto out;
	}
	n = fread(head, 1, SNIFF_BYTES, f);
	if (ferror(f)) {
		rc = ERR_IO;
		goto out;
	}
	truncated = n == SNIFF_BYTES && fgetc(f) != EOF;
	fclose(f);
	f = NULL;
	head[n] = '\0';

	if (n >= 5 && memcmp(head, "%PDF-", 5) == 0) {
		set_mime(mime, "application/pdf");
		rc = ERR_INVALID;
		goto out;
	}
	rc = n == 0 ? ERR_INVALID : open_media(url, &fc);
	if (rc == ERR_NOMEM)
		goto out;
	if (rc) {
		sniff(head, n, truncated, mime);
		rc = ERR_INVALID;
		goto out;
	}
	media_mime(fc, (const unsigned char *)head, n, mime);
	*techmd = describe(fc);
	rc = *techmd ? 0 : ERR_NOMEM;
out:
	if (fc)
		avformat_close_input(&fc);
	if (f)
		fclose(f);
	free(head);
	return rc;
}
