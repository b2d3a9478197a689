/*
 * remote_thread_test.c: a multi-threaded client on one connection.  Some
 * threads block in kernel pipe reads while others keep making calls; the
 * blocked ones are released at the end.  Also runs under ThreadSanitizer
 * (the file name contains "thread").
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "remote_util.h"

#define NREADERS	12
#define NWORKERS	8
#define ROUNDS		150

struct reader {
	pthread_t	t;
	int		fd;		/* read end of its own pipe */
	int		wfd;
	int		idx;
	int		returned;	/* [atomic] the read came back */
	ssize_t		n;
	int		err;
	char		buf[32];
};

struct worker {
	pthread_t	t;
	int		idx;
	pid_t		pid;		/* the connection's kernel pid */
	int		failures;
};

static void *
reader_main(void *arg)
{
	struct reader *r = arg;

	r->n = rump_sys_read(r->fd, r->buf, sizeof(r->buf) - 1);
	r->err = r->n < 0 ? errno : 0;
	__atomic_store_n(&r->returned, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* File operations in a directory of its own; counts its failures. */
static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	char dir[32], path[64], buf[64], back[64];
	struct stat st;

	snprintf(dir, sizeof(dir), "/w%d", w->idx);
	if (rump_sys_mkdir(dir, 0755) != 0)
		w->failures++;
	for (int i = 0; i < ROUNDS; i++) {
		int fd, n = snprintf(buf, sizeof(buf), "worker %d round %d",
		    w->idx, i);

		snprintf(path, sizeof(path), "%s/f%d", dir, i % 4);
		fd = rump_sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			w->failures++;
			continue;
		}
		if (rump_sys_write(fd, buf, (size_t)n) != n ||
		    rump_sys_pread(fd, back, sizeof(back), 0) != n ||
		    memcmp(buf, back, (size_t)n) != 0 ||
		    rump_sys_fstat(fd, &st) != 0 || st.st_size != n ||
		    rump_sys_getpid() != w->pid)
			w->failures++;
		if (rump_sys_close(fd) != 0)
			w->failures++;
		if (i % 4 == 3 && rump_sys_unlink(path) != 0)
			w->failures++;
	}
	return NULL;
}

static void
many_threads(enum ru_transport t)
{
	struct reader rd[NREADERS];
	struct worker wk[NWORKERS];
	struct ru_server s;
	pid_t pid;

	/* Counting lwps tells when the readers blocked: that is the
	 * socket's model (a blocked call gets a worker), so no call channel
	 * here (remote_chan_test has threads sharing one). */
	setenv("RUMPCLIENT_NOCHANNEL", "1", 1);
	CHECK_EQ(ru_server_new(&s, t), 0);
	CHECK_EQ(rumpclient_init(), 0);
	pid = rump_sys_getpid();
	for (int i = 0; i < NREADERS; i++) {
		int p[2];

		memset(&rd[i], 0, sizeof(rd[i]));
		CHECK_OK(rump_sys_pipe(p));
		rd[i].fd = p[0];
		rd[i].wfd = p[1];
		rd[i].idx = i;
		CHECK_EQ(pthread_create(&rd[i].t, NULL, reader_main, &rd[i]), 0);
	}
	/* Every reader blocked in the kernel has an lwp of its own. */
	CHECK_EQ(ru_proc_wait_nlwps(pid, NREADERS + 1), 0);
	for (int i = 0; i < NWORKERS; i++) {
		wk[i] = (struct worker){ .idx = i, .pid = pid };
		CHECK_EQ(pthread_create(&wk[i].t, NULL, worker_main, &wk[i]), 0);
	}
	/* The workers finish while the readers still wait. */
	for (int i = 0; i < NWORKERS; i++) {
		pthread_join(wk[i].t, NULL);
		if (wk[i].failures != 0)
			TFAIL("worker %d: %d failures", i, wk[i].failures);
	}
	for (int i = 0; i < NREADERS; i++)
		if (__atomic_load_n(&rd[i].returned, __ATOMIC_ACQUIRE))
			TFAIL("reader %d returned before any write", i);
	/* Release the readers in reverse order: replies out of order. */
	for (int i = NREADERS - 1; i >= 0; i--) {
		char msg[32];
		int n = snprintf(msg, sizeof(msg), "for reader %d", i);

		CHECK_EQ(rump_sys_write(rd[i].wfd, msg, (size_t)n), n);
	}
	for (int i = 0; i < NREADERS; i++) {
		char want[32];

		pthread_join(rd[i].t, NULL);
		snprintf(want, sizeof(want), "for reader %d", i);
		CHECK_EQ(rd[i].n, (ssize_t)strlen(want));
		rd[i].buf[rd[i].n > 0 ? rd[i].n : 0] = '\0';
		CHECK_STR(rd[i].buf, want);
	}
	CHECK_EQ(rump_sys_getpid(), pid);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

TEST(threads_one_connection_unix)
{
	many_threads(RU_UNIX);
}

TEST(threads_one_connection_tcp)
{
	many_threads(RU_TCP);
}

struct ponger {
	int	in, out;
	int	rounds;
	int	failures;
};

/* Read a byte, write it back incremented. */
static void *
pong_main(void *arg)
{
	struct ponger *pg = arg;

	for (int i = 0; i < pg->rounds; i++) {
		unsigned char c;

		if (rump_sys_read(pg->in, &c, 1) != 1) {
			pg->failures++;
			break;
		}
		c++;
		if (rump_sys_write(pg->out, &c, 1) != 1)
			pg->failures++;
	}
	return NULL;
}

/*
 * Two threads of one process bounce a byte through two pipes: every
 * call blocks and is woken by a call of the other thread on the same
 * connection.
 */
TEST(threads_ping_pong)
{
	struct ru_server s;
	struct ponger pg = { .rounds = 500 };
	pthread_t t;
	unsigned char c = 0;
	int a[2], b[2];

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK_OK(rump_sys_pipe(a));
	CHECK_OK(rump_sys_pipe(b));
	pg.in = a[0];
	pg.out = b[1];
	CHECK_EQ(pthread_create(&t, NULL, pong_main, &pg), 0);
	for (int i = 0; i < pg.rounds; i++) {
		unsigned char back;

		CHECK_EQ(rump_sys_write(a[1], &c, 1), 1);
		if (rump_sys_read(b[0], &back, 1) != 1 ||
		    back != (unsigned char)(c + 1)) {
			TFAIL("round %d: bad answer", i);
			break;
		}
		c = (unsigned char)(back + 1);
	}
	pthread_join(t, NULL);
	CHECK_EQ(pg.failures, 0);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}
