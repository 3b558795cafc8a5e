/*
 * crack.c - the builtin cracking engine and the DES-keyspace arithmetic
 * (see crack.h). Hot loops call nettle's MD4, MD5 and DES directly
 * rather than through crypto.h: those wrappers wipe their contexts and
 * expand a 7-byte key on every call, which is right for a login and
 * several times the work of a candidate here. Nothing here is secret
 * from the person running it.
 *
 * Work sharing: the word list is mapped read-only and cut into chunks
 * (4 KiB to 1 MiB, 16 per thread) that the threads take in turn (an
 * atomic counter); a line belongs to the chunk it starts in. Threads
 * stop when every target is found.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/md5.h>

#include "audit/crack.h"
#include "audit/export.h"
#include "auth/mschap.h"
#include "core/err.h"
#include "crypto/crypto.h"

#define CHUNK_MAX (1u << 20)
#define CHUNK_MIN 4096
#define PW_MAX (AUDIT_NAME_MAX - 1)
#define THREADS_MAX 256
#define TICK_NS 10000000L	/* how often threads are checked */
#define PROGRESS_TICKS 20	/* progress every 20 ticks (0.2 s) */
#define KNOWN_CHUNK (1u << 18)

/* --- rules ------------------------------------------------------------ */

/*
 * The usual mutations: the word as it is, lower-cased, upper-cased and
 * capitalised, each with nothing, one digit, two digits, "123", "1234",
 * "!", "1!", "@" or a year from 1970 to 2030 appended. Written as
 * hashcat rules so that --engine hashcat tries exactly the same.
 */
#define RULE_LEN_MAX 32
#define RULES_MAX 1024
static char rules[RULES_MAX][RULE_LEN_MAX];
static size_t n_rules;
static pthread_once_t rules_once = PTHREAD_ONCE_INIT;

static void
rule_add(const char *casing, const char *suffix)
{
	char *r = rules[n_rules++];
	size_t o;

	o = (size_t)snprintf(r, RULE_LEN_MAX, "%s", casing);
	for (const char *s = suffix; *s != '\0'; s++)
		o += (size_t)snprintf(r + o, RULE_LEN_MAX - o, " $%c", *s);
}

static void
rules_build(void)
{
	static const char *casings[] = { ":", "l", "u", "c" };
	static const char *fixed[] = { "123", "1234", "!", "1!", "@" };
	char s[8];

	for (size_t c = 0; c < 4; c++) {
		rule_add(casings[c], "");
		for (int d = 0; d < 10; d++) {
			snprintf(s, sizeof(s), "%d", d);
			rule_add(casings[c], s);
		}
		for (int d = 0; d < 100; d++) {
			snprintf(s, sizeof(s), "%02d", d);
			rule_add(casings[c], s);
		}
		for (size_t f = 0; f < 5; f++)
			rule_add(casings[c], fixed[f]);
		for (int y = 1970; y <= 2030; y++) {
			snprintf(s, sizeof(s), "%d", y);
			rule_add(casings[c], s);
		}
	}
}

size_t
audit_rules_count(void)
{
	pthread_once(&rules_once, rules_build);
	return n_rules;
}

const char *
audit_rule(size_t i)
{
	pthread_once(&rules_once, rules_build);
	return i < n_rules ? rules[i] : NULL;
}

static char
ascii_lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static char
ascii_upper(char ch)
{
	return ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
}

long
audit_rule_apply(size_t i, const char *word, size_t len, char *out,
    size_t cap)
{
	const char *r = audit_rule(i);
	size_t n = len;

	if (r == NULL || len > cap)
		return -1;
	memcpy(out, word, len);
	/* hashcat's l, u and c change ASCII letters only. */
	for (; *r != '\0'; r++) {
		switch (*r) {
		case 'l':
			for (size_t k = 0; k < n; k++)
				out[k] = ascii_lower(out[k]);
			break;
		case 'u':
			for (size_t k = 0; k < n; k++)
				out[k] = ascii_upper(out[k]);
			break;
		case 'c':
			for (size_t k = 0; k < n; k++)
				out[k] = k == 0 ? ascii_upper(out[k]) :
				    ascii_lower(out[k]);
			break;
		case '$':
			if (r[1] == '\0' || n >= cap)
				return -1;
			out[n++] = *++r;
			break;
		default:
			break;	/* ':' and the blanks between rules */
		}
	}
	return (long)n;
}

/* --- targets ---------------------------------------------------------- */

void
audit_des_expand(const uint8_t k7[7], uint8_t k8[8])
{
	k8[0] = k7[0];
	for (int i = 1; i < 7; i++)
		k8[i] = (uint8_t)((k7[i - 1] << (8 - i)) | (k7[i] >> i));
	k8[7] = (uint8_t)(k7[6] << 1);
	des_fix_parity(8, k8, k8);
}

void
audit_des_compress(const uint8_t k8[8], uint8_t k7[7])
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 7) | (uint64_t)(k8[i] >> 1);
	for (int i = 6; i >= 0; i--) {
		k7[i] = (uint8_t)v;
		v >>= 8;
	}
}

int
audit_target_mschap(const uint8_t plain[8], const uint8_t resp[24],
    int method, const char *label, struct audit_target *t)
{
	memset(t, 0, sizeof(*t));
	t->method = method;
	snprintf(t->label, sizeof(t->label), "%s", label);
	memcpy(t->plain, plain, 8);
	memcpy(t->nt_response, resp, 24);
	return audit_k3_recover(plain, resp, t->k3);
}

int
audit_target_from_hs(const struct audit_hs *h, unsigned session,
    struct audit_target *t)
{
	char label[sizeof(t->label)], user[AUDIT_NAME_MAX];
	size_t o = 0;

	/* A label for messages: printable bytes of the user name only. */
	for (size_t i = 0; h->user[i] != '\0' && o + 1 < sizeof(user); i++)
		user[o++] = (unsigned char)h->user[i] >= 0x20 &&
		    (unsigned char)h->user[i] < 0x7f ? h->user[i] : '?';
	user[o] = '\0';
	snprintf(label, sizeof(label), "session %u user \"%s\"", session,
	    user);
	switch (h->method) {
	case AUDIT_AUTH_MSCHAPV1:
	case AUDIT_AUTH_MSCHAPV2:
		if (!h->have_des)
			return PK_ERR_STATE;
		return audit_target_mschap(h->des_plain, h->nt_response,
		    h->method, label, t);
	case AUDIT_AUTH_CHAP_MD5:
		if (!h->have_challenge || !h->have_response ||
		    h->response_len != 16)
			return PK_ERR_STATE;
		memset(t, 0, sizeof(*t));
		t->method = h->method;
		snprintf(t->label, sizeof(t->label), "%s", label);
		t->id = h->id;
		memcpy(t->challenge, h->challenge, h->challenge_len);
		t->challenge_len = h->challenge_len;
		memcpy(t->md5, h->response, 16);
		return PK_OK;
	}
	return PK_ERR_TYPE;
}

static int
des_check(const uint8_t k7[7], const uint8_t plain[8], const uint8_t c[8])
{
	struct des_ctx ctx;
	uint8_t k8[8], out[8];

	audit_des_expand(k7, k8);
	(void)des_set_key(&ctx, k8);
	des_encrypt(&ctx, 8, out, plain);
	return memcmp(out, c, 8) == 0;
}

/* Both remaining DES blocks of an MS-CHAP response (K3 already fits). */
static int
mschap_hash_fits(const struct audit_target *t, const uint8_t h[16])
{
	return h[14] == t->k3[0] && h[15] == t->k3[1] &&
	    des_check(h, t->plain, t->nt_response) &&
	    des_check(h + 7, t->plain, t->nt_response + 8);
}

int
audit_target_check_nt_hash(struct audit_target *t, const uint8_t h[16])
{
	if (t->method == AUDIT_AUTH_CHAP_MD5 || !mschap_hash_fits(t, h))
		return 0;
	t->found = 1;
	memcpy(t->nt_hash, h, 16);
	t->have_nt_hash = 1;
	return 1;
}

static int
md5_fits(const struct audit_target *t, const char *pw, size_t len)
{
	struct md5_ctx ctx;
	uint8_t d[16];

	md5_init(&ctx);
	md5_update(&ctx, 1, &t->id);
	md5_update(&ctx, len, (const uint8_t *)pw);
	md5_update(&ctx, t->challenge_len, t->challenge);
	md5_digest(&ctx, 16, d);
	return memcmp(d, t->md5, 16) == 0;
}

int
audit_target_check_password(struct audit_target *t, const char *pw)
{
	uint8_t h[16];

	if (t->method == AUDIT_AUTH_CHAP_MD5) {
		if (!md5_fits(t, pw, strlen(pw)))
			return 0;
	} else {
		if (crypto_nt_password_hash(pw, h) != 0 ||
		    !mschap_hash_fits(t, h))
			return 0;
		memcpy(t->nt_hash, h, 16);
		t->have_nt_hash = 1;
	}
	t->found = 1;
	snprintf(t->password, sizeof(t->password), "%s", pw);
	return 1;
}

/* --- the engine -------------------------------------------------------- */

enum job_kind { JOB_WORDS, JOB_HASHES };

struct job {
	int kind;
	const uint8_t *data;
	size_t size;
	size_t chunk;		/* bytes per chunk */
	size_t n_chunks;
	int rules;
	size_t n_rules;
	struct audit_target *t;
	size_t n;
	int any_mschap, any_md5;
	uint8_t k3map[8192];	/* bit per K3 value among the targets */
	atomic_size_t next_chunk;
	atomic_size_t chunks_done;
	atomic_uint_fast64_t cands, words;
	atomic_int remaining;
	atomic_int running;
	pthread_mutex_t lock;
};

static void
found_password(struct job *j, struct audit_target *t, const char *pw,
    size_t len, const uint8_t *h)
{
	pthread_mutex_lock(&j->lock);
	if (!t->found) {
		t->found = 1;
		memcpy(t->password, pw, len);
		t->password[len] = '\0';
		if (h != NULL) {
			memcpy(t->nt_hash, h, 16);
			t->have_nt_hash = 1;
		}
		atomic_fetch_sub(&j->remaining, 1);
	}
	pthread_mutex_unlock(&j->lock);
}

static void
try_nt_hash(struct job *j, const uint8_t h[16], const char *pw, size_t len)
{
	uint16_t k3 = (uint16_t)(h[14] << 8 | h[15]);

	if (!(j->k3map[k3 >> 3] & (1u << (k3 & 7))))
		return;		/* asleap's filter: 65535 in 65536 stop here */
	for (size_t i = 0; i < j->n; i++) {
		struct audit_target *t = &j->t[i];

		if (t->method == AUDIT_AUTH_CHAP_MD5 || t->found ||
		    !mschap_hash_fits(t, h))
			continue;
		if (pw != NULL) {
			found_password(j, t, pw, len, h);
			continue;
		}
		pthread_mutex_lock(&j->lock);
		if (!t->found) {
			t->found = 1;
			memcpy(t->nt_hash, h, 16);
			t->have_nt_hash = 1;
			atomic_fetch_sub(&j->remaining, 1);
		}
		pthread_mutex_unlock(&j->lock);
	}
}

/* NT hash of a byte string: ASCII as UTF-16LE directly; anything else
 * both as UTF-8 (Windows) and byte by byte (pppd takes each byte as one
 * UTF-16 unit). */
static void
try_candidate(struct job *j, struct md4_ctx *md4, const char *pw, size_t len)
{
	uint8_t u16[2 * PW_MAX], h[16];
	int ascii = 1;

	if (j->any_md5)
		for (size_t i = 0; i < j->n; i++)
			if (j->t[i].method == AUDIT_AUTH_CHAP_MD5 &&
			    !j->t[i].found && md5_fits(&j->t[i], pw, len))
				found_password(j, &j->t[i], pw, len, NULL);
	if (!j->any_mschap)
		return;
	for (size_t i = 0; i < len; i++) {
		u16[2 * i] = (uint8_t)pw[i];
		u16[2 * i + 1] = 0;
		ascii &= (uint8_t)pw[i] < 0x80;
	}
	md4_update(md4, 2 * len, u16);
	md4_digest(md4, 16, h);
	try_nt_hash(j, h, pw, len);
	if (!ascii) {
		char z[PW_MAX + 1];

		memcpy(z, pw, len);
		z[len] = '\0';
		if (crypto_nt_password_hash(z, h) == 0)
			try_nt_hash(j, h, pw, len);
	}
}

static void
do_line(struct job *j, struct md4_ctx *md4, const char *line, size_t len,
    uint64_t *cands)
{
	char cand[PW_MAX + 1];
	uint8_t h[16];

	if (j->kind == JOB_HASHES) {
		char hex[33];

		if (len < 32)
			return;
		memcpy(hex, line, 32);
		hex[32] = '\0';
		if (audit_unhex(hex, h, 16) == 0)
			try_nt_hash(j, h, NULL, 0);
		(*cands)++;
		return;
	}
	if (len > PW_MAX)
		return;
	if (!j->rules) {
		try_candidate(j, md4, line, len);
		(*cands)++;
		return;
	}
	for (size_t r = 0; r < j->n_rules; r++) {
		long n = audit_rule_apply(r, line, len, cand, PW_MAX);

		if (n < 0)
			continue;
		try_candidate(j, md4, cand, (size_t)n);
		(*cands)++;
	}
}

static void *
worker(void *arg)
{
	struct job *j = arg;
	struct md4_ctx md4;
	size_t c;

	md4_init(&md4);
	while (atomic_load(&j->remaining) > 0 &&
	    (c = atomic_fetch_add(&j->next_chunk, 1)) < j->n_chunks) {
		size_t s = c * j->chunk, e = s + j->chunk < j->size ?
		    s + j->chunk : j->size;
		uint64_t cands = 0, words = 0;
		const uint8_t *p = j->data;

		/* A line belongs to the chunk it starts in. */
		if (s > 0 && p[s - 1] != '\n')
			while (s < j->size && p[s++] != '\n')
				;
		while (s < e && atomic_load(&j->remaining) > 0) {
			const uint8_t *nl = memchr(p + s, '\n', j->size - s);
			size_t end = nl ? (size_t)(nl - p) : j->size, len;

			len = end - s;
			if (len > 0 && p[end - 1] == '\r')
				len--;
			do_line(j, &md4, (const char *)p + s, len, &cands);
			words++;
			s = end + 1;
		}
		atomic_fetch_add(&j->cands, cands);
		atomic_fetch_add(&j->words, words);
		atomic_fetch_add(&j->chunks_done, 1);
	}
	atomic_fetch_sub(&j->running, 1);
	return NULL;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

unsigned
audit_cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > THREADS_MAX ? THREADS_MAX : (unsigned)n;
}

static unsigned
threads_of(const struct audit_crack_opts *o)
{
	unsigned n = o->threads ? o->threads : audit_cpu_count();

	return n > THREADS_MAX ? THREADS_MAX : n;
}

/* Runs job on the threads, reporting progress; returns elapsed s. */
static double
run_threads(struct job *j, const struct audit_crack_opts *o,
    unsigned threads)
{
	pthread_t tid[THREADS_MAX];
	struct timespec tick = { 0, TICK_NS };
	double t0 = now_s(), t;
	unsigned started = 0, ticks = 0;

	atomic_store(&j->running, (int)threads);
	for (unsigned i = 0; i < threads; i++) {
		if (pthread_create(&tid[i], NULL, worker, j) != 0) {
			atomic_fetch_sub(&j->running, 1);
			continue;
		}
		started++;
	}
	if (started == 0)	/* no threads at all: do it here */
		worker(j), atomic_fetch_add(&j->running, 1);
	while (atomic_load(&j->running) > 0) {
		nanosleep(&tick, NULL);
		if (o->progress == NULL || ++ticks % PROGRESS_TICKS != 0)
			continue;
		t = now_s() - t0;
		{
			double frac = j->n_chunks ? (double)atomic_load(
			    &j->chunks_done) / (double)j->n_chunks : 1;
			double rate = t > 0 ? (double)atomic_load(&j->cands) /
			    t : 0;

			o->progress(o->progress_arg, frac, rate, frac > 0 ?
			    t / frac - t : -1);
		}
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	return now_s() - t0;
}

static int
crack_file(int kind, struct audit_target *t, size_t n, const char *path,
    const struct audit_crack_opts *o, struct audit_crack_stats *st,
    char *err, size_t errlen)
{
	struct job *j;
	struct stat sb;
	void *map = NULL;
	int fd, r = PK_OK;

	memset(st, 0, sizeof(*st));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &sb) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return PK_ERR_SYS;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return PK_ERR_SYS;
	}
	if (sb.st_size > 0 && (map = mmap(NULL, (size_t)sb.st_size, PROT_READ,
	    MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return PK_ERR_SYS;
	}
	close(fd);
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		r = PK_ERR_NOMEM;
		goto out;
	}
	j->kind = kind;
	j->data = map;
	j->size = (size_t)sb.st_size;
	/* Enough chunks for every thread to stay busy (16 each), none
	 * smaller than a page nor larger than 1 MiB. */
	j->chunk = j->size / ((size_t)threads_of(o) * 16);
	if (j->chunk < CHUNK_MIN)
		j->chunk = CHUNK_MIN;
	if (j->chunk > CHUNK_MAX)
		j->chunk = CHUNK_MAX;
	j->n_chunks = (j->size + j->chunk - 1) / j->chunk;
	j->rules = o->rules && kind == JOB_WORDS;
	j->n_rules = audit_rules_count();
	j->t = t;
	j->n = n;
	pthread_mutex_init(&j->lock, NULL);
	for (size_t i = 0; i < n; i++) {
		uint16_t k3 = (uint16_t)(t[i].k3[0] << 8 | t[i].k3[1]);

		if (t[i].found || (kind == JOB_HASHES &&
		    t[i].method == AUDIT_AUTH_CHAP_MD5))
			continue;
		atomic_fetch_add(&j->remaining, 1);
		if (t[i].method == AUDIT_AUTH_CHAP_MD5) {
			j->any_md5 = 1;
			continue;
		}
		j->any_mschap = 1;
		j->k3map[k3 >> 3] |= (uint8_t)(1u << (k3 & 7));
	}
	st->threads = threads_of(o);
	if (atomic_load(&j->remaining) > 0 && j->size > 0)
		st->seconds = run_threads(j, o, st->threads);
	st->candidates = atomic_load(&j->cands);
	st->words = atomic_load(&j->words);
	pthread_mutex_destroy(&j->lock);
	free(j);
 out:
	if (map != NULL)
		munmap(map, (size_t)sb.st_size);
	return r;
}

int
audit_crack_wordlist(struct audit_target *t, size_t n, const char *path,
    const struct audit_crack_opts *o, struct audit_crack_stats *st,
    char *err, size_t errlen)
{
	return crack_file(JOB_WORDS, t, n, path, o, st, err, errlen);
}

int
audit_crack_nt_hashes(struct audit_target *t, size_t n, const char *path,
    const struct audit_crack_opts *o, struct audit_crack_stats *st,
    char *err, size_t errlen)
{
	return crack_file(JOB_HASHES, t, n, path, o, st, err, errlen);
}

/* --- measurements and the DES keyspace --------------------------------- */

struct measure {
	double seconds;
	double limit, des;	/* per thread */
};

static void *
measure_thread(void *arg)
{
	struct measure *m = arg;
	static const uint8_t plain[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t u16[16] = { 0 }, h[16], k8[8], out[8], sink = 0;
	struct md4_ctx md4;
	struct des_ctx des;
	uint64_t n = 0;
	double t0 = now_s(), t;

	/* One MS-CHAP candidate the plain way: the NT hash of an
	 * 8-character password and both DES blocks (key set-up each). */
	md4_init(&md4);
	for (;;) {
		for (int i = 0; i < 8; i++)
			u16[2 * i] = (uint8_t)('a' + ((n >> (3 * i)) & 7));
		md4_update(&md4, sizeof(u16), u16);
		md4_digest(&md4, 16, h);
		audit_des_expand(h, k8);
		(void)des_set_key(&des, k8);
		des_encrypt(&des, 8, out, plain);
		sink ^= out[0];
		audit_des_expand(h + 7, k8);
		(void)des_set_key(&des, k8);
		des_encrypt(&des, 8, out, plain);
		sink ^= out[0];
		if ((++n & 4095) == 0 && (t = now_s() - t0) >= m->seconds)
			break;
	}
	m->limit = (double)n / (now_s() - t0);
	/* DES key trials: key schedule and one block per key. */
	n = 0;
	memset(k8, 0, sizeof(k8));
	t0 = now_s();
	for (;;) {
		k8[7] = (uint8_t)(n << 1);
		k8[6] = (uint8_t)(n >> 6);
		k8[5] = (uint8_t)(n >> 14);
		(void)des_set_key(&des, k8);
		des_encrypt(&des, 8, out, plain);
		sink ^= out[0];
		if ((++n & 4095) == 0 && (t = now_s() - t0) >= m->seconds)
			break;
	}
	m->des = (double)n / (now_s() - t0);
	/* Keep the work observable so that no compiler drops it. */
	if (sink == 0x5a && n == 1)
		fputc(0, stderr);
	return NULL;
}

void
audit_measure(unsigned threads, double seconds, double *limit, double *des)
{
	struct measure m[THREADS_MAX];
	pthread_t tid[THREADS_MAX];
	unsigned started = 0;

	if (threads == 0)
		threads = audit_cpu_count();
	if (threads > THREADS_MAX)
		threads = THREADS_MAX;
	*limit = *des = 0;
	for (unsigned i = 0; i < threads; i++) {
		m[i].seconds = seconds;
		if (pthread_create(&tid[i], NULL, measure_thread, &m[i]) == 0)
			started++;
	}
	for (unsigned i = 0; i < started; i++) {
		pthread_join(tid[i], NULL);
		*limit += m[i].limit;
		*des += m[i].des;
	}
}

struct known {
	uint8_t plain[8], c[2][8];
	uint64_t prefix[2];	/* the given high bits of K1, K2 */
	uint64_t space;		/* 2^(56 - known) */
	atomic_uint_fast64_t next, done;
	atomic_int found[2];
	uint64_t key[2];
	atomic_int running;
	pthread_mutex_t lock;
};

static void
key56_to_7(uint64_t v, uint8_t k7[7])
{
	for (int i = 6; i >= 0; i--) {
		k7[i] = (uint8_t)v;
		v >>= 8;
	}
}

static uint64_t
key7_to_56(const uint8_t k7[7])
{
	uint64_t v = 0;

	for (int i = 0; i < 7; i++)
		v = (v << 8) | k7[i];
	return v;
}

static void *
known_thread(void *arg)
{
	struct known *k = arg;
	struct des_ctx des;
	uint8_t k7[7], k8[8], out[8];
	uint64_t s, e;

	while (!(atomic_load(&k->found[0]) && atomic_load(&k->found[1])) &&
	    (s = atomic_fetch_add(&k->next, KNOWN_CHUNK)) < k->space) {
		e = s + KNOWN_CHUNK < k->space ? s + KNOWN_CHUNK : k->space;
		for (uint64_t v = s; v < e; v++)
			for (int w = 0; w < 2; w++) {
				if (atomic_load(&k->found[w]))
					continue;
				key56_to_7(k->prefix[w] | v, k7);
				audit_des_expand(k7, k8);
				(void)des_set_key(&des, k8);
				des_encrypt(&des, 8, out, k->plain);
				if (memcmp(out, k->c[w], 8) != 0)
					continue;
				pthread_mutex_lock(&k->lock);
				k->key[w] = k->prefix[w] | v;
				atomic_store(&k->found[w], 1);
				pthread_mutex_unlock(&k->lock);
			}
		atomic_fetch_add(&k->done, e - s);
	}
	atomic_fetch_sub(&k->running, 1);
	return NULL;
}

int
audit_des_known_bits(const uint8_t plain[8], const uint8_t c1[8],
    const uint8_t c2[8], uint8_t k1[7], uint8_t k2[7], int known_bits,
    const struct audit_crack_opts *o, int *found1, int *found2,
    struct audit_crack_stats *st)
{
	struct timespec tick = { 0, TICK_NS };
	pthread_t tid[THREADS_MAX];
	unsigned threads = threads_of(o), started = 0, ticks = 0;
	struct known *k;
	double t0, t;

	memset(st, 0, sizeof(*st));
	*found1 = *found2 = 0;
	if (known_bits < 16 || known_bits > 56)
		return PK_ERR_ARG;	/* over 2^40 keys: not a demo */
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return PK_ERR_NOMEM;
	memcpy(k->plain, plain, 8);
	memcpy(k->c[0], c1, 8);
	memcpy(k->c[1], c2, 8);
	k->space = 1ull << (56 - known_bits);
	k->prefix[0] = key7_to_56(k1) & ~(k->space - 1);
	k->prefix[1] = key7_to_56(k2) & ~(k->space - 1);
	pthread_mutex_init(&k->lock, NULL);
	atomic_store(&k->running, (int)threads);
	t0 = now_s();
	for (unsigned i = 0; i < threads; i++) {
		if (pthread_create(&tid[i], NULL, known_thread, k) != 0) {
			atomic_fetch_sub(&k->running, 1);
			continue;
		}
		started++;
	}
	if (started == 0)
		known_thread(k), atomic_fetch_add(&k->running, 1);
	while (atomic_load(&k->running) > 0) {
		nanosleep(&tick, NULL);
		if (o->progress == NULL || ++ticks % PROGRESS_TICKS != 0)
			continue;
		t = now_s() - t0;
		{
			double frac = (double)atomic_load(&k->done) /
			    (double)k->space;

			o->progress(o->progress_arg, frac, t > 0 ? 2.0 *
			    (double)atomic_load(&k->done) / t : 0, frac > 0 ?
			    t / frac - t : -1);
		}
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	st->seconds = now_s() - t0;
	st->candidates = 2 * atomic_load(&k->done);
	st->threads = threads;
	*found1 = atomic_load(&k->found[0]);
	*found2 = atomic_load(&k->found[1]);
	if (*found1)
		key56_to_7(k->key[0], k1);
	if (*found2)
		key56_to_7(k->key[1], k2);
	pthread_mutex_destroy(&k->lock);
	free(k);
	return PK_OK;
}
