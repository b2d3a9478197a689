/*
 * remote_bench.h: what the remote benchmarks (bench/remote_*_bench.c)
 * share: a rump_server of the same build on a unix socket in a temporary
 * directory, the bare-socket baselines (a 32-byte ping-pong and a byte
 * stream between two processes over a unix socketpair), interleaved runs
 * with medians, and a result line for targets that are not "rump / host
 * <= T":
 *
 *   NAME: rump X UNIT, baseline Y UNIT, ratio R (target >= T) met|missed
 *
 * The server is found next to the benchmark: dirname(/proc/self/exe)/
 * ../bin/rump_server.  Timing never fails a benchmark (benchlib.h).
 */
#ifndef BENCH_REMOTE_BENCH_H
#define BENCH_REMOTE_BENCH_H

#include <limits.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "benchlib.h"

#define RB_MSG		32		/* ping-pong message size */
#define RB_CHUNK	(1u << 20)	/* stream chunk: 1 MiB */

struct rb_server {
	pid_t	pid;
	char	dir[64];
	char	path[128];
	char	url[160];
};

/* The rump_server of this build. */
static inline const char *
rb_server_bin(void)
{
	static char path[PATH_MAX + 32];
	char self[PATH_MAX], *slash;
	ssize_t n;

	if (path[0] != '\0')
		return path;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	if ((slash = strrchr(self, '/')) != NULL)
		*slash = '\0';
	snprintf(path, sizeof(path), "%s/../bin/rump_server", self);
	return path;
}

/* Read or write exactly n bytes; 0 or an errno value. */
static inline int
rb_io(int fd, void *p, size_t n, int wr)
{
	char *c = p;

	while (n > 0) {
		ssize_t k = wr ? write(fd, c, n) : read(fd, c, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k == 0 ? EPIPE : errno;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Can we connect to the server's socket yet? */
static inline int
rb_reachable(const struct rb_server *s)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), ok;

	memcpy(sun.sun_path, s->path, sizeof(sun.sun_path) - 1);
	ok = fd >= 0 && connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Start "rump_server -s unix://DIR/sock"; sets $RUMP_SERVER.  Exits
 * through bench_fail when it cannot. */
static inline void
rb_server_start(struct rb_server *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/rump-bench.XXXXXX");
	if (mkdtemp(s->dir) == NULL)
		bench_fail(name, "mkdtemp: %s", strerror(errno));
	snprintf(s->path, sizeof(s->path), "%s/sock", s->dir);
	snprintf(s->url, sizeof(s->url), "unix://%s", s->path);
	fflush(NULL);
	if ((s->pid = fork()) < 0)
		bench_fail(name, "fork: %s", strerror(errno));
	if (s->pid == 0) {
		execl(rb_server_bin(), "rump_server", "-s", s->url,
		    (char *)NULL);
		_exit(127);
	}
	for (int i = 0; !rb_reachable(s); i++) {
		struct timespec ts = { 0, 10000000 };

		if (i > 3000 || waitpid(s->pid, NULL, WNOHANG) == s->pid)
			bench_fail(name, "%s did not start", rb_server_bin());
		nanosleep(&ts, NULL);
	}
	setenv("RUMP_SERVER", s->url, 1);
}

/* Stop the server and remove its directory. */
static inline void
rb_server_stop(struct rb_server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = -1;
	}
	unlink(s->path);
	rmdir(s->dir);
}

/* The server's resident memory in KiB (-1 if unknown). */
static inline long
rb_rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/*
 * The bare baselines: a child process on the other end of a unix
 * socketpair.  Command byte 'p': echo RB_MSG-byte messages until the
 * count that follows is done; 's': read a stream of the given number of
 * RB_CHUNK chunks, then answer one byte.
 */
struct rb_peer {
	int	fd;
	pid_t	pid;
};

/* The peer's side. */
static inline void __attribute__((noreturn))
rb_peer_main(int fd)
{
	char *buf = malloc(RB_CHUNK);
	char cmd;
	long n;

	while (rb_io(fd, &cmd, 1, 0) == 0 && rb_io(fd, &n, sizeof(n), 0) == 0) {
		for (long i = 0; i < n; i++) {
			if (cmd == 'p' && (rb_io(fd, buf, RB_MSG, 0) != 0 ||
			    rb_io(fd, buf, RB_MSG, 1) != 0))
				_exit(1);
			if (cmd == 's' && rb_io(fd, buf, RB_CHUNK, 0) != 0)
				_exit(1);
		}
		if (cmd == 's' && rb_io(fd, &cmd, 1, 1) != 0)
			_exit(1);
	}
	_exit(0);
}

/* Start the peer.  Exits through bench_fail when it cannot. */
static inline void
rb_peer_start(struct rb_peer *p, const char *name)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		bench_fail(name, "socketpair: %s", strerror(errno));
	fflush(NULL);
	if ((p->pid = fork()) < 0)
		bench_fail(name, "fork: %s", strerror(errno));
	if (p->pid == 0) {
		close(sv[0]);
		rb_peer_main(sv[1]);
	}
	close(sv[1]);
	p->fd = sv[0];
}

/* End the peer: it sees EOF. */
static inline void
rb_peer_stop(struct rb_peer *p)
{
	close(p->fd);
	waitpid(p->pid, NULL, 0);
}

/* Send the peer a command for n operations. */
static inline int
rb_peer_cmd(struct rb_peer *p, char cmd, long n)
{
	int error = rb_io(p->fd, &cmd, 1, 1);

	return error ? error : rb_io(p->fd, &n, sizeof(n), 1);
}

/* bench_fn: iters ping-pongs of RB_MSG bytes with the peer. */
static inline int
rb_pingpong(void *arg, long iters)
{
	struct rb_peer *p = arg;
	char msg[RB_MSG] = "ping";
	int error = rb_peer_cmd(p, 'p', iters);

	for (long i = 0; i < iters && error == 0; i++)
		if ((error = rb_io(p->fd, msg, RB_MSG, 1)) == 0)
			error = rb_io(p->fd, msg, RB_MSG, 0);
	return error;
}

/* bench_fn: stream iters chunks of RB_CHUNK bytes to the peer, until it
 * has read them all. */
static inline int
rb_stream(void *arg, long iters)
{
	static char *chunk;
	struct rb_peer *p = arg;
	int error = rb_peer_cmd(p, 's', iters);
	char ack;

	if (chunk == NULL && (chunk = calloc(1, RB_CHUNK)) == NULL)
		return ENOMEM;
	for (long i = 0; i < iters && error == 0; i++)
		error = rb_io(p->fd, chunk, RB_CHUNK, 1);
	return error ? error : rb_io(p->fd, &ack, 1, 0);
}

/*
 * Time rump and base alternately (one warm-up each, then reps runs of
 * each, the first side alternating) and return the medians in ns/op.
 */
static inline void
rb_medians(const char *name, bench_fn rump, void *rarg, bench_fn base,
    void *barg, long iters, int reps, double *rm, double *bm)
{
	double r[BENCH_MAXREPS], b[BENCH_MAXREPS];

	if (reps < 1 || reps > BENCH_MAXREPS)
		bench_fail(name, "bad repetition count %d", reps);
	(void)bench_run(name, "rump", rump, rarg, iters);
	(void)bench_run(name, "baseline", base, barg, iters);
	for (int i = 0; i < reps; i++) {
		if (i % 2 == 0) {
			r[i] = bench_run(name, "rump", rump, rarg, iters);
			b[i] = bench_run(name, "baseline", base, barg, iters);
		} else {
			b[i] = bench_run(name, "baseline", base, barg, iters);
			r[i] = bench_run(name, "rump", rump, rarg, iters);
		}
	}
	*rm = bench_median(r, reps);
	*bm = bench_median(b, reps);
}

/* Print a result line; op is "<=", "<" or ">=". */
static inline void
rb_report(const char *name, double rump, double base, const char *unit,
    double ratio, const char *op, double target)
{
	int met = op[0] == '>' ? ratio >= target :
	    op[1] == '=' ? ratio <= target : ratio < target;

	printf("%s: rump %.1f %s, baseline %.1f %s, ratio %.3f (target %s %g) "
	    "%s\n", name, rump, unit, base, unit, ratio, op, target,
	    met ? "met" : "missed");
	fflush(stdout);
}

/* Allow n more open descriptors than now, up to the hard limit. */
static inline void
rb_raise_nofile(rlim_t n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < n) {
		rl.rlim_cur = n < rl.rlim_max ? n : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

#endif /* BENCH_REMOTE_BENCH_H */
