/* shim.c: fault injection for the fault build (build/faults/cinemateca).
 *
 * The failure paths of a program that stores things are where data is
 * lost, and they are the paths a normal test never takes. SQLite tests
 * them by failing its Nth allocation or I/O call (faultsim, test_vfs);
 * curl by failing each allocation in turn (torture mode). This file does
 * the same to cinemateca from outside its sources: the fault build links
 * the same objects with -Wl,--wrap for the calls below, so every call the
 * program makes goes through a counter here first, and the Nth call of
 * one kind fails as the real thing would fail:
 *
 *   step      the program's sqlite3_step(): the statement really runs and
 *             is interrupted by SQLite itself (SQLITE_INTERRUPT), which
 *             rolls back a write transaction as an I/O error would
 *   write     write(): -1, ENOSPC (disk full)
 *   fsync     fsync(), fdatasync(): -1, EIO
 *   alloc     malloc, calloc, realloc, strdup, strndup, and jansson's
 *             allocations (json_set_alloc_funcs): NULL, ENOMEM
 *   dbwrite   SQLite's own xWrite on the catalogue, its WAL and journals
 *             (a VFS over the default one): SQLITE_FULL
 *   dbsync    SQLite's xSync: SQLITE_IOERR_FSYNC
 *   dballoc   SQLite's allocations (SQLITE_CONFIG_MALLOC): NULL
 *
 * Environment:
 *   CINEMATECA_FAULT=KIND:N     fail the Nth call of KIND (from 1), once;
 *   CINEMATECA_FAULT=KIND:N+    fail it and every later one (a disk that
 *                               stays full);
 *   CINEMATECA_FAULT_COUNTS=F   at exit, write to F one line per kind,
 *                               "KIND CALLS", and "fired KIND N" when the
 *                               fault was injected;
 *   CINEMATECA_FAULT_ARM=signal count nothing and fail nothing until
 *                               SIGUSR1, which zeroes the counters, reads
 *                               the fault from the file named by
 *                               CINEMATECA_FAULT_FILE (or the variable
 *                               above) and writes "armed" to F.armed;
 *                               SIGUSR2 writes the counts to F and stops
 *                               counting. So one server can be put under
 *                               a fault for exactly one request.
 * Without CINEMATECA_FAULT (and not armed) nothing fails and the build
 * behaves as the normal one, only counting. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind { K_STEP, K_WRITE, K_FSYNC, K_ALLOC, K_DBWRITE, K_DBSYNC, K_DBALLOC, K_COUNT };

static const char *const kind_name[K_COUNT] = {
	"step", "write", "fsync", "alloc", "dbwrite", "dbsync", "dballoc",
};

static unsigned long calls[K_COUNT];	/* calls of each kind so far */
static int fault_kind = -1;		/* the kind that fails, -1: none */
static unsigned long fault_at;		/* its call number that fails, from 1 */
static int fault_sticky;		/* and every later one too */
static unsigned long fired_at;		/* the first call that failed, 0: none */
static int counting = 1;		/* 0 while waiting for SIGUSR1 */
static const char *counts_path;		/* CINEMATECA_FAULT_COUNTS */

/* parse_spec reads "KIND:N" or "KIND:N+" into the fault; anything else
 * arms nothing. Only string scanning: it also runs in a signal handler. */
static void parse_spec(const char *s)
{
	unsigned long n = 0;
	size_t len;
	int k;

	fault_kind = -1;
	fired_at = 0;
	if (!s)
		return;
	for (k = 0; k < K_COUNT; k++) {
		len = strlen(kind_name[k]);
		if (strncmp(s, kind_name[k], len) == 0 && s[len] == ':')
			break;
	}
	if (k == K_COUNT)
		return;
	s += strlen(kind_name[k]) + 1;
	if (*s < '0' || *s > '9')
		return;
	while (*s >= '0' && *s <= '9')
		n = n * 10 + (unsigned long)(*s++ - '0');
	fault_sticky = *s == '+';
	if (n == 0 || (*s && !(fault_sticky && s[1] == 0)))
		return;
	fault_at = n;
	__atomic_store_n(&fault_kind, k, __ATOMIC_SEQ_CST);
}

/* hit counts one call of kind k and says whether it must fail. */
static int hit(enum kind k)
{
	unsigned long n;

	if (!__atomic_load_n(&counting, __ATOMIC_RELAXED))
		return 0;
	n = __atomic_add_fetch(&calls[k], 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&fault_kind, __ATOMIC_RELAXED) != (int)k)
		return 0;
	if (n == fault_at || (fault_sticky && n > fault_at)) {
		unsigned long none = 0;
		__atomic_compare_exchange_n(&fired_at, &none, n, 0, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
		return 1;
	}
	return 0;
}

/* put_num appends the decimal n to p; async-signal-safe. */
static char *put_num(char *p, unsigned long n)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	while (i)
		*p++ = tmp[--i];
	return p;
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

extern ssize_t __real_write(int fd, const void *b, size_t n);

/* write_counts writes the counters to counts_path; async-signal-safe. */
static void write_counts(void)
{
	char out[512], *p = out;
	int fd;

	if (!counts_path)
		return;
	for (int k = 0; k < K_COUNT; k++) {
		p = put_str(p, kind_name[k]);
		*p++ = ' ';
		p = put_num(p, __atomic_load_n(&calls[k], __ATOMIC_RELAXED));
		*p++ = '\n';
	}
	if (fault_kind >= 0 && fired_at) {
		p = put_str(p, "fired ");
		p = put_str(p, kind_name[fault_kind]);
		*p++ = ' ';
		p = put_num(p, fired_at);
		*p++ = '\n';
	}
	fd = open(counts_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (__real_write(fd, out, (size_t)(p - out)) < 0) {
		/* nothing to do: the runner sees no counts and says so */
	}
	close(fd);
}

static void on_exit_counts(void)
{
	write_counts();
}

/* SIGUSR1: zero the counters and arm the fault from its file. */
static void on_arm(int sig)
{
	char spec[64], path[4096], *p;
	const char *file = getenv("CINEMATECA_FAULT_FILE");
	ssize_t n = 0;
	int fd;

	(void)sig;
	__atomic_store_n(&counting, 0, __ATOMIC_SEQ_CST);
	for (int k = 0; k < K_COUNT; k++)
		__atomic_store_n(&calls[k], 0, __ATOMIC_SEQ_CST);
	spec[0] = 0;
	if (file && (fd = open(file, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, spec, sizeof spec - 1);
		close(fd);
		spec[n > 0 ? n : 0] = 0;
		for (p = spec; *p; p++)
			if (*p == '\n')
				*p = 0;
		parse_spec(spec);
	} else {
		parse_spec(getenv("CINEMATECA_FAULT"));
	}
	__atomic_store_n(&counting, 1, __ATOMIC_SEQ_CST);
	if (counts_path && strlen(counts_path) < sizeof path - 8) {
		p = put_str(path, counts_path);
		p = put_str(p, ".armed");
		*p = 0;
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			if (__real_write(fd, "armed\n", 6) < 0) {
				/* the runner waits for the file and says so */
			}
			close(fd);
		}
	}
}

/* SIGUSR2: write the counts and stop counting. */
static void on_report(int sig)
{
	(void)sig;
	__atomic_store_n(&counting, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&fault_kind, -1, __ATOMIC_SEQ_CST);
	write_counts();
}

/* ---- the program's own calls (--wrap) ------------------------------- */

extern void *__real_malloc(size_t n);
extern void *__real_calloc(size_t n, size_t m);
extern void *__real_realloc(void *p, size_t n);
extern char *__real_strdup(const char *s);
extern char *__real_strndup(const char *s, size_t n);
extern int __real_fsync(int fd);
extern int __real_fdatasync(int fd);
extern int __real_sqlite3_step(sqlite3_stmt *st);
extern int __real_sqlite3_open_v2(const char *path, sqlite3 **db, int flags,
				  const char *vfs);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
ssize_t __wrap_write(int fd, const void *b, size_t n);
int __wrap_fsync(int fd);
int __wrap_fdatasync(int fd);
int __wrap_sqlite3_step(sqlite3_stmt *st);
int __wrap_sqlite3_open_v2(const char *path, sqlite3 **db, int flags, const char *vfs);

void *__wrap_malloc(size_t n)
{
	if (hit(K_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
	if (hit(K_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
	if (hit(K_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	if (hit(K_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	if (hit(K_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_strndup(s, n);
}

static void *json_alloc(size_t n)
{
	return __wrap_malloc(n);
}

ssize_t __wrap_write(int fd, const void *b, size_t n)
{
	if (hit(K_WRITE)) {
		errno = ENOSPC;
		return -1;
	}
	return __real_write(fd, b, n);
}

int __wrap_fsync(int fd)
{
	if (hit(K_FSYNC)) {
		errno = EIO;
		return -1;
	}
	return __real_fsync(fd);
}

int __wrap_fdatasync(int fd)
{
	if (hit(K_FSYNC)) {
		errno = EIO;
		return -1;
	}
	return __real_fdatasync(fd);
}

static int interrupt_now(void *arg)
{
	(void)arg;
	return 1;
}

/* A failing step really runs, and SQLite stops it at its first check
 * (the progress handler asks to interrupt), so the statement, its
 * transaction and the error message are SQLite's own. */
int __wrap_sqlite3_step(sqlite3_stmt *st)
{
	sqlite3 *h;
	int rc;

	if (!st || !hit(K_STEP))
		return __real_sqlite3_step(st);
	h = sqlite3_db_handle(st);
	sqlite3_progress_handler(h, 1, interrupt_now, NULL);
	rc = __real_sqlite3_step(st);
	sqlite3_progress_handler(h, 0, NULL, NULL);
	return rc;
}

/* ---- SQLite's own file I/O: a VFS over the default one -------------- */

struct ffile {
	sqlite3_file base;	/* pMethods: ours */
	sqlite3_file *real;	/* the default VFS's file, right after us */
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static sqlite3_io_methods fault_io;

#define REAL(f) (((struct ffile *)(f))->real)

static int f_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), b, n, off);
}
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
	if (hit(K_DBWRITE))
		return SQLITE_FULL;
	return REAL(f)->pMethods->xWrite(REAL(f), b, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
	if (hit(K_DBSYNC))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int f_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int f_check(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_caps(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **p)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, p);
}
static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, p);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct ffile *ff = (struct ffile *)f;
	int rc;

	(void)vfs;
	ff->real = (sqlite3_file *)(ff + 1);
	ff->base.pMethods = NULL;
	rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
	if (ff->real->pMethods) {
		/* the same version as the real file's methods, so SQLite asks
		 * for WAL memory and mmap exactly when the real VFS offers them */
		fault_io.iVersion = ff->real->pMethods->iVersion;
		ff->base.pMethods = &fault_io;
	}
	return rc;
}
static int v_delete(sqlite3_vfs *v, const char *name, int sync)
{
	(void)v;
	return real_vfs->xDelete(real_vfs, name, sync);
}
static int v_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	(void)v;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}
static int v_full(sqlite3_vfs *v, const char *name, int n, char *out)
{
	(void)v;
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}
static void *v_dlopen(sqlite3_vfs *v, const char *name)
{
	(void)v;
	return real_vfs->xDlOpen(real_vfs, name);
}
static void v_dlerror(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	real_vfs->xDlError(real_vfs, n, out);
}
static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	(void)v;
	return real_vfs->xDlSym(real_vfs, h, sym);
}
static void v_dlclose(sqlite3_vfs *v, void *h)
{
	(void)v;
	real_vfs->xDlClose(real_vfs, h);
}
static int v_random(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return real_vfs->xRandomness(real_vfs, n, out);
}
static int v_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return real_vfs->xSleep(real_vfs, us);
}
static int v_time(sqlite3_vfs *v, double *out)
{
	(void)v;
	return real_vfs->xCurrentTime(real_vfs, out);
}
static int v_lasterr(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, n, out) : 0;
}
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	(void)v;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static pthread_once_t vfs_once = PTHREAD_ONCE_INIT;

/* install_vfs makes the fault VFS the default. It runs at the first
 * sqlite3_open_v2, after the program's own sqlite3_config calls (which
 * must come before SQLite initialises, and registering a VFS would
 * initialise it). */
static void install_vfs(void)
{
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs)
		return;
	fault_io = (sqlite3_io_methods){
		.iVersion = 3, .xClose = f_close, .xRead = f_read, .xWrite = f_write,
		.xTruncate = f_truncate, .xSync = f_sync, .xFileSize = f_size,
		.xLock = f_lock, .xUnlock = f_unlock, .xCheckReservedLock = f_check,
		.xFileControl = f_control, .xSectorSize = f_sector,
		.xDeviceCharacteristics = f_caps, .xShmMap = f_shm_map,
		.xShmLock = f_shm_lock, .xShmBarrier = f_shm_barrier,
		.xShmUnmap = f_shm_unmap, .xFetch = f_fetch, .xUnfetch = f_unfetch,
	};
	fault_vfs = (sqlite3_vfs){
		.iVersion = 2, .szOsFile = (int)sizeof(struct ffile) + real_vfs->szOsFile,
		.mxPathname = real_vfs->mxPathname, .zName = "cinemateca-faults",
		.xOpen = v_open, .xDelete = v_delete, .xAccess = v_access,
		.xFullPathname = v_full, .xDlOpen = v_dlopen, .xDlError = v_dlerror,
		.xDlSym = v_dlsym, .xDlClose = v_dlclose, .xRandomness = v_random,
		.xSleep = v_sleep, .xCurrentTime = v_time, .xGetLastError = v_lasterr,
		.xCurrentTimeInt64 = v_time64,
	};
	sqlite3_vfs_register(&fault_vfs, 1);
}

int __wrap_sqlite3_open_v2(const char *path, sqlite3 **db, int flags, const char *vfs)
{
	pthread_once(&vfs_once, install_vfs);
	return __real_sqlite3_open_v2(path, db, flags, vfs);
}

/* ---- SQLite's allocations -------------------------------------------- */

static sqlite3_mem_methods real_mem;

static void *m_malloc(int n)
{
	return hit(K_DBALLOC) ? NULL : real_mem.xMalloc(n);
}
static void m_free(void *p)
{
	real_mem.xFree(p);
}
static void *m_realloc(void *p, int n)
{
	return hit(K_DBALLOC) ? NULL : real_mem.xRealloc(p, n);
}
static int m_size(void *p)
{
	return real_mem.xSize(p);
}
static int m_roundup(int n)
{
	return real_mem.xRoundup(n);
}
static int m_init(void *arg)
{
	return real_mem.xInit(arg);
}
static void m_shutdown(void *arg)
{
	real_mem.xShutdown(arg);
}

/* Before main: SQLite's and jansson's allocators, the fault, the signals.
 * SQLite takes SQLITE_CONFIG_MALLOC only before it initialises, which the
 * program does later, in db_open. */
__attribute__((constructor)) static void faults_init(void)
{
	static sqlite3_mem_methods mine;
	struct sigaction sa;

	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) == SQLITE_OK) {
		mine = real_mem;
		mine.xMalloc = m_malloc;
		mine.xFree = m_free;
		mine.xRealloc = m_realloc;
		mine.xSize = m_size;
		mine.xRoundup = m_roundup;
		mine.xInit = m_init;
		mine.xShutdown = m_shutdown;
		sqlite3_config(SQLITE_CONFIG_MALLOC, &mine);
	}
	json_set_alloc_funcs(json_alloc, free);
	counts_path = getenv("CINEMATECA_FAULT_COUNTS");
	if (counts_path)
		atexit(on_exit_counts);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_arm;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_report;
	sigaction(SIGUSR2, &sa, NULL);
	if (getenv("CINEMATECA_FAULT_ARM"))
		counting = 0;
	else
		parse_spec(getenv("CINEMATECA_FAULT"));
}
