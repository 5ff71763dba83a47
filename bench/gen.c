/* bench/gen.c: a national archive's catalogue, made up, for the benchmarks.
 *
 *   build/bench/gen OUTDIR [FILES]
 *
 * BENCH_N works (default 1,000,000) and, in proportion, N/5 agents, N/10
 * documents with transcribed text, N/20 events, N/50 places, N/100
 * subjects and N/100 collections (about 1.39 N records), in the import
 * format (docs/import-format.md), split over FILES files
 * (OUTDIR/import-0001.json ...; default 1). Records come in the order
 * subjects, places, collections, agents, works, documents, events, so
 * every reference names a record of the same file or of an earlier one.
 * Access: 70 % public, 20 % community, 10 % private, for every type.
 * Texts are Spanish (60 %) or English, drawn from a Zipf vocabulary
 * (s = 1) of 200,000 words per language: the language's commonest real
 * words first, then made-up words (consonant-vowel syllables ending in
 * "r", none a prefix of another), so there are words in most records and
 * words in a handful.
 *
 * Subtitles are not part of the import format: OUTDIR/files.tsv (file
 * id, work slug, language) and OUTDIR/cues.tsv (file id, start ms, end
 * ms, text) hold each subtitled work's lines, 5 a work on average, for
 * the benchmark to load as the subtitle command would store them.
 * OUTDIR/queries.tsv names the query mix from the counts made while
 * writing (class, words, records whose text or lines hold every word):
 * a word in about 65 % of the records, one in about 5 %, one in about
 * 20, and a two-word query.
 *
 * Deterministic: the same BENCH_N, BENCH_SEED (default 1) and FILES give
 * the same bytes. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VOCAB 200000	/* words per language */
#define NLANG 2

static uint64_t rng_state;

/* splitmix64: small, fast, and the same on every machine */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* below(n): uniform in [0, n) */
static uint64_t below(uint64_t n)
{
	return rnd() % n;
}

static double unit(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

static const char *const real_words[NLANG][120] = {
	{"de", "la", "que", "el", "en", "y", "los", "del", "se", "las", "por", "un", "para",
	 "con", "una", "su", "al", "lo", "como", "más", "pero", "sus", "le", "ya", "o", "este",
	 "sí", "porque", "esta", "entre", "cuando", "muy", "sin", "sobre", "también", "me",
	 "hasta", "hay", "donde", "quien", "desde", "todo", "nos", "durante", "todos", "uno",
	 "les", "ni", "contra", "otros", "ese", "eso", "ante", "ellos", "esto", "antes",
	 "algunos", "unos", "otro", "otras", "otra", "tanto", "esa", "estos", "mucho",
	 "película", "mina", "minero", "mineros", "trabajo", "pueblo", "historia", "mujer",
	 "mujeres", "niño", "niños", "agua", "tierra", "montaña", "fiesta", "canción",
	 "memoria", "sindicato", "estaño", "plata", "socavón", "radio", "escuela", "comunidad",
	 "familia", "madre", "padre", "calle", "mercado", "campo", "ciudad", "año", "años",
	 "vida", "muerte", "noche", "día", "cine", "cámara", "sonido", "imagen", "voz",
	 "palabra", "música", "danza", "lucha", "huelga", "patrón", "compañero", "camino",
	 "río", "viento"},
	{"the", "of", "and", "to", "a", "in", "is", "it", "that", "was", "for", "on", "with",
	 "as", "his", "he", "be", "at", "by", "this", "had", "not", "are", "but", "from", "or",
	 "have", "an", "they", "which", "one", "you", "were", "all", "her", "she", "there",
	 "would", "their", "we", "him", "been", "has", "when", "who", "will", "no", "more",
	 "if", "out", "so", "said", "what", "up", "its", "about", "into", "than", "them",
	 "film", "mine", "miner", "miners", "work", "town", "history", "woman", "women",
	 "child", "children", "water", "land", "mountain", "feast", "song", "memory", "union",
	 "tin", "silver", "shaft", "radio", "school", "community", "family", "mother", "father",
	 "street", "market", "field", "city", "year", "years", "life", "death", "night", "day",
	 "cinema", "camera", "sound", "image", "voice", "word", "music", "dance", "struggle",
	 "strike", "boss", "comrade", "road", "river", "wind", "rain", "stone", "light",
	 "house", "bread", "fire", "time", "people"}};
static const char *const first_names[] = {
	"Helena", "Juan", "María", "Pedro", "Rosa", "Carlos", "Ana", "Luis", "Carmen", "José",
	"Domitila", "Jorge", "Lucía", "Mario", "Elena", "Víctor", "Teresa", "Simón", "Julia",
	"Ramón", "Grace", "John", "Mary", "Peter", "Alice", "David", "Susan", "Paul", "Ruth",
	"Tomás", "Inés", "Oscar", "Sofía", "Andrés", "Nina", "Gabriel", "Marta", "Raúl", "Eva",
	"Hugo"};
static const char *const surnames[] = {
	"Palliri", "Mamani", "Quispe", "Condori", "Flores", "Choque", "Rojas", "García",
	"López", "Fernández", "Gutiérrez", "Vargas", "Chungara", "Sanjinés", "Ruiz", "Torres",
	"Morales", "Ticona", "Huanca", "Apaza", "Smith", "Jones", "Brown", "Taylor", "Wilson",
	"Evans", "Thomas", "Roberts", "Walker", "Wright", "Peña", "Núñez", "Ibáñez", "Limachi",
	"Colque", "Calle", "Poma", "Yupanqui", "Soria", "Arze"};
static const char *const countries[] = {"BO", "PE", "AR", "CL", "MX", "ES", "FR", "GB", "US",
					"BR", "CO", "EC"};
static const char *const forms[] = {"documentary", "short", "fiction", "newsreel",
				    "animation", "experimental"};
static const char *const roles[] = {"director", "camera", "sound", "editor", "participant",
				    "producer", "writer"};
static const char *const doc_types[] = {"contract", "thesis", "pamphlet", "letter", "article",
					"table", "book", "report", "other"};
static const char *const langs[NLANG] = {"es", "en"};

static char *vocab[NLANG][VOCAB];	/* word r of each language's ranking */
static double cdf[NLANG][VOCAB];	/* Zipf: P(rank <= r) */
static uint32_t df[NLANG][VOCAB];	/* records holding the word */
static uint32_t last_rec[NLANG][VOCAB];	/* last record counted in df, + 1 */
static uint32_t rec_no;			/* the record being written, from 1 */

/* made_word spells rank r as consonant-vowel syllables and a final "r";
 * "r" is in no syllable, so no made word is the prefix of another. */
static char *made_word(int lang, uint64_t r)
{
	static const char cons[] = "bcdfgklmnpstvz";
	static const char vow[] = "aeiou";
	char w[32];
	size_t n = 0, nsyl = sizeof cons - 1 + (lang == 0);	/* Spanish also has ñ */

	r += nsyl * 5;	/* two syllables at least */
	do {
		uint64_t s = r % (nsyl * 5);
		size_t c = s / 5;
		if (c == sizeof cons - 1) {
			memcpy(w + n, "ñ", 2);
			n += 2;
		} else {
			w[n++] = cons[c];
		}
		w[n++] = vow[s % 5];
		r /= nsyl * 5;
	} while (r);
	w[n++] = 'r';
	w[n] = '\0';
	return strdup(w);
}

static void vocab_init(void)
{
	for (int l = 0; l < NLANG; l++) {
		double sum = 0;
		int nreal = 0;

		while (nreal < 120 && real_words[l][nreal])
			nreal++;
		for (int r = 0; r < VOCAB; r++) {
			vocab[l][r] = r < nreal ? strdup(real_words[l][r]) : made_word(l, (uint64_t)(r - nreal));
			if (!vocab[l][r]) {
				perror("gen");
				exit(1);
			}
			sum += 1.0 / (r + 1);
			cdf[l][r] = sum;
		}
		for (int r = 0; r < VOCAB; r++)
			cdf[l][r] /= sum;
	}
}

/* zipf_rank draws a rank of language l and counts it for this record */
static int zipf_rank(int l)
{
	double u = unit();
	int lo = 0, hi = VOCAB - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (cdf[l][mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (last_rec[l][lo] != rec_no) {
		last_rec[l][lo] = rec_no;
		df[l][lo]++;
	}
	return lo;
}

/* words writes n words of language l, space-separated, the first with
 * a capital when cap (ASCII only: made words and most real ones) */
static void words(FILE *f, int l, int n, int cap)
{
	for (int i = 0; i < n; i++) {
		const char *w = vocab[l][zipf_rank(l)];
		if (i)
			fputc(' ', f);
		if (i == 0 && cap && w[0] >= 'a' && w[0] <= 'z') {
			fputc(w[0] - 'a' + 'A', f);
			fputs(w + 1, f);
		} else {
			fputs(w, f);
		}
	}
}

static const char *access_level(void)
{
	uint64_t a = below(10);
	return a < 7 ? "public" : a < 9 ? "community" : "private";
}

/* The output: records spread over files, each a complete document. */
struct out {
	const char *dir;
	int nfiles, file;
	uint64_t total, per_file, written;
	FILE *f;
	int first;	/* no record in the current file yet */
};

static void out_close(struct out *o)
{
	if (!o->f)
		return;
	fputs("\n]}\n", o->f);
	if (fclose(o->f)) {
		perror("gen: writing");
		exit(1);
	}
	o->f = NULL;
}

/* rec_begin starts a record, opening the next file when this one is full */
static FILE *rec_begin(struct out *o)
{
	if (!o->f || (o->written >= o->per_file * (uint64_t)o->file && o->file < o->nfiles)) {
		char path[4096];
		out_close(o);
		o->file++;
		snprintf(path, sizeof path, "%s/import-%04d.json", o->dir, o->file);
		if (!(o->f = fopen(path, "w"))) {
			fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
			exit(1);
		}
		fputs("{\"format\": \"cinemateca-import\", \"version\": 1, \"records\": [\n", o->f);
		o->first = 1;
	}
	if (!o->first)
		fputs(",\n", o->f);
	o->first = 0;
	o->written++;
	rec_no++;
	return o->f;
}

static void title(FILE *f, int l, int nw, const char *kind)
{
	fprintf(f, "{\"text\": \"");
	words(f, l, nw, 1);
	fprintf(f, "\", \"lang\": \"%s\"%s%s%s}", langs[l], kind ? ", \"kind\": \"" : "",
		kind ? kind : "", kind ? "\"" : "");
}

static void description(FILE *f, int l, int nw)
{
	fprintf(f, "{\"text\": \"");
	words(f, l, nw, 1);
	fprintf(f, ".\", \"lang\": \"%s\"}", langs[l]);
}

static int lang_draw(void)
{
	return below(10) < 6 ? 0 : 1;
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *s = getenv(name);
	char *end;
	unsigned long long v;

	if (!s || !*s)
		return dflt;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v == 0) {
		fprintf(stderr, "gen: %s must be a positive whole number, not \"%s\"\n", name, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	uint64_t n = env_u64("BENCH_N", 1000000), seed = env_u64("BENCH_SEED", 1);
	uint64_t nagents = n / 5 + 1, ndocs = n / 10 + 1, nevents = n / 20 + 1;
	uint64_t nplaces = n / 50 + 1, nsubjects = n / 100 + 1, ncolls = n / 100 + 1;
	struct out o = {0};
	FILE *files, *cues, *f;
	char path[4096];
	uint64_t nfile = 0, ncues = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: gen OUTDIR [FILES]   (BENCH_N works, default 1000000; "
			"BENCH_SEED)\n");
		return 2;
	}
	o.dir = argv[1];
	o.nfiles = argc == 3 ? (int)strtol(argv[2], NULL, 10) : 1;
	if (o.nfiles < 1 || o.nfiles > 9999) {
		fprintf(stderr, "gen: FILES must be 1 to 9999\n");
		return 2;
	}
	o.total = nsubjects + nplaces + ncolls + nagents + n + ndocs + nevents;
	o.per_file = (o.total + (uint64_t)o.nfiles - 1) / (uint64_t)o.nfiles;
	rng_state = seed;
	vocab_init();

	snprintf(path, sizeof path, "%s/files.tsv", o.dir);
	files = fopen(path, "w");
	snprintf(path, sizeof path, "%s/cues.tsv", o.dir);
	cues = fopen(path, "w");
	if (!files || !cues) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return 1;
	}

	for (uint64_t i = 1; i <= nsubjects; i++) {
		int l = lang_draw();
		f = rec_begin(&o);
		fprintf(f, "{\"type\": \"subject\", \"slug\": \"s-%llu\", \"access\": \"public\", "
			"\"titles\": [", (unsigned long long)i);
		title(f, l, 1 + (int)below(2), NULL);
		fputs("]}", f);
	}
	for (uint64_t i = 1; i <= nplaces; i++) {
		int l = lang_draw();
		f = rec_begin(&o);
		fprintf(f, "{\"type\": \"place\", \"slug\": \"p-%llu\", \"access\": \"%s\", "
			"\"lat\": %.4f, \"lon\": %.4f, \"country\": \"%s\", \"titles\": [",
			(unsigned long long)i, access_level(), unit() * 120 - 60, unit() * 300 - 150,
			countries[below(12)]);
		title(f, l, 1 + (int)below(2), NULL);
		fputs("]}", f);
	}
	for (uint64_t i = 1; i <= ncolls; i++) {
		int l = lang_draw();
		f = rec_begin(&o);
		fprintf(f, "{\"type\": \"collection\", \"slug\": \"c-%llu\", \"access\": \"%s\", "
			"\"titles\": [", (unsigned long long)i, access_level());
		title(f, l, 2 + (int)below(4), NULL);
		fputs("], \"descriptions\": [", f);
		description(f, l, 10 + (int)below(30));
		fputs("]", f);
		if (i > 10 && below(4) == 0)
			fprintf(f, ", \"relations\": [{\"type\": \"part_of\", \"to\": \"c-%llu\"}]",
				(unsigned long long)(1 + below(i - 1)));
		fputs("}", f);
	}
	for (uint64_t i = 1; i <= nagents; i++) {
		int person = below(10) < 9;
		f = rec_begin(&o);
		fprintf(f, "{\"type\": \"agent\", \"slug\": \"a-%llu\", \"kind\": \"%s\", "
			"\"access\": \"%s\", \"titles\": [{\"text\": \"", (unsigned long long)i,
			person ? "person" : "organisation", access_level());
		if (person)
			fprintf(f, "%s %s %s", first_names[below(40)], surnames[below(40)],
				surnames[below(40)]);
		else
			fprintf(f, "Sindicato %s %s", surnames[below(40)], vocab[0][zipf_rank(0)]);
		fputs("\"}]", f);
		if (below(2)) {
			int l = lang_draw();
			fputs(", \"descriptions\": [", f);
			description(f, l, 8 + (int)below(20));
			fputs("]", f);
		}
		fputs("}", f);
	}
	for (uint64_t i = 1; i <= n; i++) {
		int l = lang_draw(), nc = 1 + (int)below(4), nlines;
		f = rec_begin(&o);
		fprintf(f, "{\"type\": \"work\", \"slug\": \"w-%llu\", \"access\": \"%s\", "
			"\"date\": \"%d\", \"country\": \"%s\", \"original_language\": \"%s\", "
			"\"duration\": %d, \"forms\": [\"%s\"], \"titles\": [",
			(unsigned long long)i, access_level(), 1900 + (int)below(126),
			countries[below(12)], langs[l], 60 + (int)below(7200), forms[below(6)]);
		title(f, l, 2 + (int)below(5), "original");
		if (below(2)) {
			fputs(", ", f);
			title(f, 1 - l, 2 + (int)below(5), "translated");
		}
		fputs("], \"descriptions\": [", f);
		description(f, l, 20 + (int)below(40));
		if (below(3) == 0) {
			fputs(", ", f);
			description(f, 1 - l, 20 + (int)below(40));
		}
		fputs("], \"credits\": [", f);
		for (int k = 0; k < nc; k++)
			fprintf(f, "%s{\"agent\": \"a-%llu\", \"role\": \"%s\"}", k ? ", " : "",
				(unsigned long long)(1 + below(nagents)), roles[below(7)]);
		fprintf(f, "], \"relations\": [{\"type\": \"subject\", \"to\": \"s-%llu\"}, "
			"{\"type\": \"place\", \"to\": \"p-%llu\"}",
			(unsigned long long)(1 + below(nsubjects)), (unsigned long long)(1 + below(nplaces)));
		if (below(10) < 3)
			fprintf(f, ", {\"type\": \"part_of\", \"to\": \"c-%llu\"}",
				(unsigned long long)(1 + below(ncolls)));
		fprintf(f, "], \"manifestations\": [{\"kind\": \"access copy\", \"format\": \"%s\"}]}",
			below(2) ? "16mm" : "8mm");
		/* what is said in it: 0 to 10 lines, 5 on average */
		nlines = (int)below(11);
		if (nlines) {
			uint64_t at = below(60000);
			nfile++;
			fprintf(files, "0190%04llx-%04llx-7000-8000-%012llx\tw-%llu\t%s\n",
				(unsigned long long)(nfile >> 16) & 0xffff,
				(unsigned long long)nfile & 0xffff, (unsigned long long)nfile,
				(unsigned long long)i, langs[l]);
			for (int k = 0; k < nlines; k++) {
				uint64_t len = 1500 + below(4000);
				fprintf(cues, "0190%04llx-%04llx-7000-8000-%012llx\t%llu\t%llu\t",
					(unsigned long long)(nfile >> 16) & 0xffff,
					(unsigned long long)nfile & 0xffff, (unsigned long long)nfile,
					(unsigned long long)at, (unsigned long long)(at + len));
				words(cues, l, 4 + (int)below(9), 1);
				fputc('\n', cues);
				at += len + below(20000);
				ncues++;
			}
		}
	}
	for (uint64_t i = 1; i <= ndocs; i++) {
		int l = lang_draw();
		f = rec_begin(&o);
		fprintf(f, "{\"type\": \"document\", \"slug\": \"d-%llu\", \"access\": \"%s\", "
			"\"doc_type\": \"%s\", \"date\": \"%d-%02d\", \"pages\": %d, \"titles\": [",
			(unsigned long long)i, access_level(), doc_types[below(9)],
			1900 + (int)below(126), 1 + (int)below(12), 1 + (int)below(40));
		title(f, l, 3 + (int)below(6), NULL);
		fputs("], \"text\": \"", f);
		words(f, l, 100 + (int)below(300), 1);
		fprintf(f, ".\", \"credits\": [{\"agent\": \"a-%llu\", \"role\": \"author\"}], "
			"\"relations\": [{\"type\": \"about\", \"to\": \"w-%llu\"}]}",
			(unsigned long long)(1 + below(nagents)), (unsigned long long)(1 + below(n)));
	}
	for (uint64_t i = 1; i <= nevents; i++) {
		int l = lang_draw();
		f = rec_begin(&o);
		fprintf(f, "{\"type\": \"event\", \"slug\": \"e-%llu\", \"access\": \"%s\", "
			"\"date\": \"%d-%02d-%02d\", \"titles\": [", (unsigned long long)i,
			access_level(), 1900 + (int)below(126), 1 + (int)below(12), 1 + (int)below(28));
		title(f, l, 2 + (int)below(5), NULL);
		fputs("], \"descriptions\": [", f);
		description(f, l, 15 + (int)below(30));
		fprintf(f, "], \"relations\": [{\"type\": \"participant\", \"to\": \"a-%llu\"}, "
			"{\"type\": \"place\", \"to\": \"p-%llu\"}]}",
			(unsigned long long)(1 + below(nagents)), (unsigned long long)(1 + below(nplaces)));
	}
	out_close(&o);
	if (fclose(files) || fclose(cues)) {
		perror("gen: writing");
		return 1;
	}

	/* the query mix, from the counts (a word's records, by its exact
	 * spelling; prefixes of longer words are counted by the search) */
	{
		double want[3] = {0.65 * (double)o.total, 0.05 * (double)o.total, 20};
		const char *cls[3] = {"common", "medium", "rare"};
		int best_l[3] = {0}, best_r[3] = {0};
		FILE *q;

		for (int c = 0; c < 3; c++) {
			double bestd = INFINITY;
			for (int l = 0; l < NLANG; l++)
				for (int r = c == 2 ? 120 : 0; r < VOCAB; r++) {
					double d = fabs((double)df[l][r] - want[c]);
					if (df[l][r] && d < bestd) {
						bestd = d;
						best_l[c] = l;
						best_r[c] = r;
					}
				}
		}
		snprintf(path, sizeof path, "%s/queries.tsv", o.dir);
		if (!(q = fopen(path, "w"))) {
			fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
			return 1;
		}
		for (int c = 0; c < 3; c++)
			fprintf(q, "%s\t%s\t%u\n", cls[c], vocab[best_l[c]][best_r[c]],
				df[best_l[c]][best_r[c]]);
		fprintf(q, "two\t%s %s\t\n", vocab[best_l[0]][best_r[0]], vocab[best_l[1]][best_r[1]]);
		if (fclose(q)) {
			perror("gen: writing");
			return 1;
		}
	}
	fprintf(stderr, "gen: %llu records in %d file(s), %llu subtitle files, %llu lines\n",
		(unsigned long long)o.total, o.nfiles, (unsigned long long)nfile,
		(unsigned long long)ncues);
	return 0;
}
