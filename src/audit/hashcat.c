/*
 * hashcat.c - the hashcat engine (see hashcat.h). hashcat is a separate
 * program; this file is process glue: a temporary directory, fork/exec,
 * its stdout read line by line (--status-json), its stderr kept for the
 * error message.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "audit/export.h"
#include "audit/hashcat.h"
#include "core/err.h"

#define ARGS_MAX 40
#define PATH_LEN 4096
#define ERRBUF 4096
#define LINEBUF 65536

int
audit_hashcat_find(char *buf, size_t len)
{
	const char *env = getenv("PPTPKIT_HASHCAT"), *path;
	char dir[PATH_LEN];

	if (env != NULL && *env != '\0') {
		snprintf(buf, len, "%s", env);
		return access(buf, X_OK) == 0;
	}
	if ((path = getenv("PATH")) == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path != '\0') {
		size_t n = strcspn(path, ":");

		if (n > 0 && n < sizeof(dir)) {
			memcpy(dir, path, n);
			dir[n] = '\0';
			snprintf(buf, len, "%s/hashcat", dir);
			if (access(buf, X_OK) == 0)
				return 1;
		}
		path += n;
		if (*path == ':')
			path++;
	}
	return 0;
}

static int
write_file(const char *path, const char *const *lines, size_t n)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (f == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	ok = ferror(f) == 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int
write_rules(const char *path)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (f == NULL)
		return -1;
	for (size_t i = 0; i < audit_rules_count(); i++)
		fprintf(f, "%s\n", audit_rule(i));
	ok = ferror(f) == 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static void
rm_tree(const char *dir)
{
	char cmd[PATH_LEN + 32];
	pid_t pid;

	/* Only our own mkdtemp() directory: a plain rm -rf of it. */
	snprintf(cmd, sizeof(cmd), "%s", dir);
	if ((pid = fork()) == 0) {
		execlp("rm", "rm", "-rf", "--", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* One JSON status line: progress, speed, ETA to the callback. */
static void
status_line(const struct audit_hashcat_job *job,
    struct audit_hashcat_result *res, const char *line)
{
	json_object *o = json_tokener_parse(line), *v, *d;
	double done = 0, total = 0, speed = 0, eta = -1;

	if (o == NULL)
		return;
	res->status_lines++;
	if (json_object_object_get_ex(o, "progress", &v) &&
	    json_object_array_length(v) == 2) {
		done = json_object_get_double(json_object_array_get_idx(v, 0));
		total = json_object_get_double(json_object_array_get_idx(v, 1));
	}
	if (json_object_object_get_ex(o, "devices", &v))
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			d = json_object_array_get_idx(v, i);
			if (json_object_object_get_ex(d, "speed", &d))
				speed += json_object_get_double(d);
		}
	if (speed > 0) {
		res->speed = speed;
		if (total > done)
			eta = (total - done) / speed;
	}
	if (job->progress != NULL && total > 0)
		job->progress(job->progress_arg, done / total, speed, eta);
	json_object_put(o);
}

/* Benchmark output (--machine-readable): "1:MODE:...:SPEED". */
static void
bench_line(struct audit_hashcat_result *res, const char *line)
{
	const char *last = strrchr(line, ':');
	char *end;
	double v;

	if (last == NULL || strchr(line, ':') == last)
		return;
	v = strtod(last + 1, &end);
	if (end != last + 1 && v > 0)
		res->speed += v;
}

static void
read_found(const char *path, struct audit_hashcat_result *res)
{
	char line[2 * AUDIT_NAME_MAX + 16];
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL &&
	    res->n_found < AUDIT_HASHCAT_FOUND_MAX) {
		size_t n = strcspn(line, "\r\n");
		uint8_t *dst = (uint8_t *)res->found[res->n_found];

		line[n] = '\0';
		if (n % 2 != 0 || n / 2 >= AUDIT_NAME_MAX ||
		    audit_unhex(line, dst, n / 2) != 0)
			continue;
		dst[n / 2] = '\0';
		res->found_len[res->n_found++] = n / 2;
	}
	fclose(f);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
audit_hashcat_run(const struct audit_hashcat_job *job,
    struct audit_hashcat_result *res, char *err, size_t errlen)
{
	char bin[PATH_LEN], dir[] = "/tmp/pptpkit-hashcat.XXXXXX";
	char hashes[PATH_LEN], out[PATH_LEN], rules[PATH_LEN], mode[16];
	char session[48], xdg[PATH_LEN], cache[PATH_LEN], *errbuf = NULL;
	char *linebuf = NULL, wordlist[PATH_LEN];
	const char *argv[ARGS_MAX];
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, status, argc = 0;
	int r = PK_ERR_SYS;
	size_t elen = 0, llen = 0;
	double t0 = now_s();
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (!audit_hashcat_find(bin, sizeof(bin))) {
		snprintf(err, errlen, "hashcat is not installed (not in "
		    "PATH; PPTPKIT_HASHCAT names another binary)");
		return PK_ERR_SYS;
	}
	/* hashcat runs in the temporary directory: absolute paths. */
	if (!job->benchmark && job->mask == NULL &&
	    realpath(job->wordlist, wordlist) == NULL) {
		snprintf(err, errlen, "%s: %s", job->wordlist, strerror(errno));
		return PK_ERR_SYS;
	}
	if (mkdtemp(dir) == NULL) {
		snprintf(err, errlen, "mkdtemp: %s", strerror(errno));
		return PK_ERR_SYS;
	}
	snprintf(hashes, sizeof(hashes), "%s/hashes.txt", dir);
	snprintf(out, sizeof(out), "%s/found.txt", dir);
	snprintf(rules, sizeof(rules), "%s/rules.txt", dir);
	snprintf(xdg, sizeof(xdg), "%s/data", dir);
	snprintf(cache, sizeof(cache), "%s/cache", dir);
	snprintf(mode, sizeof(mode), "%u", job->mode);
	snprintf(session, sizeof(session), "pptpkit-%ld", (long)getpid());
	if (mkdir(xdg, 0700) != 0 || (!job->benchmark &&
	    write_file(hashes, job->lines, job->n_lines) != 0) ||
	    (job->rules && write_rules(rules) != 0)) {
		snprintf(err, errlen, "%s: cannot write: %s", dir,
		    strerror(errno));
		goto out;
	}
	argv[argc++] = bin;
	argv[argc++] = "-m";
	argv[argc++] = mode;
	if (job->benchmark) {
		argv[argc++] = "-b";
		argv[argc++] = "--machine-readable";
	} else {
		argv[argc++] = "-a";
		argv[argc++] = job->mask != NULL ? "3" : "0";
		argv[argc++] = "--potfile-disable";
		argv[argc++] = "--outfile";
		argv[argc++] = out;
		argv[argc++] = "--outfile-format";
		argv[argc++] = "3";
		argv[argc++] = "--status";
		argv[argc++] = "--status-json";
		argv[argc++] = "--status-timer";
		argv[argc++] = "1";
	}
	argv[argc++] = "--session";
	argv[argc++] = session;
	argv[argc++] = "--quiet";
	if (job->mask != NULL && job->charset1 != NULL) {
		argv[argc++] = "--hex-charset";
		argv[argc++] = "-1";
		argv[argc++] = job->charset1;
		if (job->charset2 != NULL) {
			argv[argc++] = "-2";
			argv[argc++] = job->charset2;
		}
	}
	if (!job->benchmark) {
		argv[argc++] = hashes;
		argv[argc++] = job->mask != NULL ? job->mask : wordlist;
		if (job->rules && job->mask == NULL) {
			argv[argc++] = "-r";
			argv[argc++] = rules;
		}
	}
	argv[argc] = NULL;
	if ((errbuf = malloc(ERRBUF)) == NULL ||
	    (linebuf = malloc(LINEBUF)) == NULL || pipe(po) != 0 ||
	    pipe(pe) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto out;
	}
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		const char *home = getenv("XDG_CACHE_HOME"), *h2;
		char probe[PATH_LEN];

		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		if (chdir(dir) != 0)
			_exit(126);
		/* Sessions and dictionary statistics in our directory;
		 * the kernel cache where it was, if that is writable. */
		setenv("XDG_DATA_HOME", xdg, 1);
		if (home == NULL && (h2 = getenv("HOME")) != NULL) {
			snprintf(probe, sizeof(probe), "%s/.cache", h2);
			home = probe;
		}
		if (home == NULL || access(home, W_OK) != 0)
			setenv("XDG_CACHE_HOME", cache, 1);
		execv(bin, (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	for (int out_open = 1, err_open = 1; out_open || err_open;) {
		struct pollfd p[2] = { { out_open ? po[0] : -1, POLLIN, 0 },
		    { err_open ? pe[0] : -1, POLLIN, 0 } };
		ssize_t n;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (out_open && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(po[0], linebuf + llen, LINEBUF - 1 - llen);
			if (n <= 0) {
				out_open = 0;
			} else {
				char *nl;

				llen += (size_t)n;
				linebuf[llen] = '\0';
				while ((nl = memchr(linebuf, '\n', llen))) {
					*nl = '\0';
					if (job->benchmark)
						bench_line(res, linebuf);
					else if (linebuf[0] == '{')
						status_line(job, res, linebuf);
					llen -= (size_t)(nl + 1 - linebuf);
					memmove(linebuf, nl + 1, llen);
				}
				if (llen == LINEBUF - 1)
					llen = 0;	/* an absurd line */
			}
		}
		if (err_open && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			char tmp[512];

			n = read(pe[0], tmp, sizeof(tmp));
			if (n <= 0) {
				err_open = 0;
			} else {
				/* Keep the last ERRBUF - 1 bytes. */
				size_t k = (size_t)n > ERRBUF - 1 ?
				    ERRBUF - 1 : (size_t)n;

				if (elen + k > ERRBUF - 1) {
					size_t drop = elen + k - (ERRBUF - 1);

					memmove(errbuf, errbuf + drop,
					    elen - drop);
					elen -= drop;
				}
				memcpy(errbuf + elen, tmp + ((size_t)n - k),
				    k);
				elen += k;
			}
		}
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	res->seconds = now_s() - t0;
	res->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	errbuf[elen] = '\0';
	if (!job->benchmark)
		read_found(out, res);
	/* hashcat: 0 cracked, 1 exhausted; 2 aborted, 255 (-1) error. */
	/* A run that ended without one status report was no hashcat run
	 * (a wrapper, a broken install), whatever its exit status. */
	if ((!job->benchmark && (res->exit_status == 0 ||
	    res->exit_status == 1) && res->status_lines > 0) ||
	    (job->benchmark && res->speed > 0)) {
		r = PK_OK;
	} else {
		char *e = errbuf;

		/* The last non-empty line says it best. */
		while (elen > 0 && (errbuf[elen - 1] == '\n' ||
		    errbuf[elen - 1] == ' '))
			errbuf[--elen] = '\0';
		if ((e = strrchr(errbuf, '\n')) != NULL)
			e++;
		else
			e = errbuf;
		snprintf(err, errlen, "hashcat exited with status %d%s%s%s",
		    res->exit_status, res->status_lines == 0 &&
		    !job->benchmark ? " without a status report" : "",
		    *e ? ": " : "", e);
	}
 out:
	if (po[0] >= 0)
		close(po[0]);
	if (po[1] >= 0)
		close(po[1]);
	if (pe[0] >= 0)
		close(pe[0]);
	if (pe[1] >= 0)
		close(pe[1]);
	free(errbuf);
	free(linebuf);
	rm_tree(dir);
	return r;
}
