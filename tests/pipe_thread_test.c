/*
 * pipe_thread_test.c: pipes, FIFOs and poll with several host threads:
 * blocking reads and writes woken by the other side, large transfers
 * between two processes, atomicity of PIPE_BUF writes, poll woken by a
 * write or a close, the FIFO open rules that block, and blocked calls
 * ended by signals and by the exit of their process.  Also run under
 * ThreadSanitizer.
 *
 * Where a test sleeps before acting, that only makes it likely that the
 * other thread is already blocked; the result checked is the same either
 * way.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* Give another thread time to block (never asserted on). */
static void
pause_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

/* Boot and become a fresh process with an empty descriptor table. */
static void
fresh_proc(void)
{
	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
}

/* A one-shot event between host threads. */
struct event {
	pthread_mutex_t	mtx;
	pthread_cond_t	cv;
	int		set;
	long		val;
};
#define EVENT_INIT { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 }

static void
event_set(struct event *e, long val)
{
	pthread_mutex_lock(&e->mtx);
	e->set = 1;
	e->val = val;
	pthread_cond_broadcast(&e->cv);
	pthread_mutex_unlock(&e->mtx);
}

static long
event_wait(struct event *e)
{
	long v;

	pthread_mutex_lock(&e->mtx);
	while (!e->set)
		pthread_cond_wait(&e->cv, &e->mtx);
	v = e->val;
	pthread_mutex_unlock(&e->mtx);
	return v;
}

static unsigned char
pat(size_t i)
{
	return (unsigned char)(i * 13 + i / 509);
}

/* Arguments and results of a helper thread. */
struct targ {
	int		fd;
	int		fd2;
	size_t		len;
	long		ret;		/* return value of the call */
	int		err;		/* its errno */
	struct lwp	*lwp;		/* lwp to switch to, or NULL */
	struct event	ready;		/* the thread is about to block */
	pid_t		pid;
	int		ok;
	unsigned char	tag;
};

static pthread_t
spawn(void *(*fn)(void *), struct targ *ta)
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, ta) != 0)
		abort();
	return t;
}

/* Read one byte (blocking); result in ret/err. */
static void *
reader_1(void *arg)
{
	struct targ *ta = arg;
	char c = 0;

	event_set(&ta->ready, 0);
	errno = 0;
	ta->ret = rump_sys_read(ta->fd, &c, 1);
	ta->err = errno;
	ta->tag = (unsigned char)c;
	return NULL;
}

TEST(read_blocks_until_write)
{
	struct targ ta = { .ready = EVENT_INIT };
	pthread_t t;
	int p[2];

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_pipe(p));
	ta.fd = p[0];
	t = spawn(reader_1, &ta);
	event_wait(&ta.ready);
	pause_ms(20);
	CHECK_EQ(rump_sys_write(p[1], "k", 1), 1);
	pthread_join(t, NULL);
	CHECK_EQ(ta.ret, 1);
	CHECK_EQ(ta.tag, 'k');
}

TEST(read_blocks_until_eof)
{
	struct targ ta = { .ready = EVENT_INIT };
	pthread_t t;
	int p[2];

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_pipe(p));
	ta.fd = p[0];
	t = spawn(reader_1, &ta);
	event_wait(&ta.ready);
	pause_ms(20);
	CHECK_OK(rump_sys_close(p[1]));
	pthread_join(t, NULL);
	CHECK_EQ(ta.ret, 0);
}

/* Clearing O_NONBLOCK with fcntl makes the next read block. */
TEST(fcntl_clear_nonblock_then_block)
{
	struct targ ta = { .ready = EVENT_INIT };
	pthread_t t;
	int p[2];
	char c;

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_pipe2(p, O_NONBLOCK));
	CHECK_ERR(rump_sys_read(p[0], &c, 1), EAGAIN);
	CHECK_OK(rump_sys_fcntl(p[0], F_SETFL, 0));
	ta.fd = p[0];
	t = spawn(reader_1, &ta);
	event_wait(&ta.ready);
	pause_ms(20);
	CHECK_EQ(rump_sys_write(p[1], "n", 1), 1);
	pthread_join(t, NULL);
	CHECK_EQ(ta.ret, 1);
	CHECK_EQ(ta.tag, 'n');
}

/* Write len bytes of pattern in one call; result in ret/err. */
static void *
writer_big(void *arg)
{
	struct targ *ta = arg;
	unsigned char *buf = malloc(ta->len);

	for (size_t i = 0; i < ta->len; i++)
		buf[i] = pat(i);
	event_set(&ta->ready, 0);
	errno = 0;
	ta->ret = rump_sys_write(ta->fd, buf, ta->len);
	ta->err = errno;
	free(buf);
	return NULL;
}

/* A write bigger than the buffer blocks until the reader took it all. */
TEST(big_write_blocks_until_read)
{
	struct targ ta = { .ready = EVENT_INIT, .len = 1 << 20 };
	unsigned char *in = malloc(ta.len);
	size_t got = 0;
	pthread_t t;
	int p[2], ok = 1;
	long r;

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_pipe(p));
	ta.fd = p[1];
	t = spawn(writer_big, &ta);
	event_wait(&ta.ready);
	pause_ms(20);
	while (got < ta.len) {
		r = rump_sys_read(p[0], in + got, 7777);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	pthread_join(t, NULL);
	CHECK_EQ(got, ta.len);
	CHECK_EQ(ta.ret, (long)ta.len);
	for (size_t i = 0; i < got; i++)
		if (in[i] != pat(i))
			ok = 0;
	CHECK(ok);
	free(in);
}

/* A full pipe: a blocked writer is woken by a read, or gets EPIPE (and
 * its partial count) when the reader goes away. */
TEST(write_blocks_until_reader_closes)
{
	struct targ ta = { .ready = EVENT_INIT, .len = 100000 };
	pthread_t t;
	int p[2];

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_pipe(p));
	ta.fd = p[1];
	t = spawn(writer_big, &ta);
	event_wait(&ta.ready);
	pause_ms(20);
	CHECK_OK(rump_sys_close(p[0]));
	pthread_join(t, NULL);
	/* 64 KiB went in before it blocked: that count is returned. */
	CHECK_EQ(ta.ret, 65536);
}

/* Two threads in two processes: 8 MiB through a pipe, in odd chunks. */
static void *
proc_reader(void *arg)
{
	struct targ *ta = arg;
	unsigned char buf[9973];
	size_t off = 0;
	long r;

	rump_pub_lwproc_switch(ta->lwp);
	ta->ok = 1;
	while ((r = rump_sys_read(ta->fd, buf, sizeof(buf))) > 0) {
		for (long i = 0; i < r; i++)
			if (buf[i] != pat(off + (size_t)i))
				ta->ok = 0;
		off += (size_t)r;
	}
	ta->ret = r;
	ta->len = off;
	rump_pub_lwproc_releaselwp();	/* the process exits */
	return NULL;
}

TEST(transfer_between_processes)
{
	struct targ ta = { .ready = EVENT_INIT };
	size_t total = 8 << 20, off = 0, n;
	unsigned char buf[20000];
	struct lwp *l1;
	pthread_t t;
	int p[2];

	fresh_proc();
	l1 = rump_pub_lwproc_curlwp();
	CHECK_OK(rump_sys_pipe(p));
	/* A child with a copy of the descriptors, for the other thread. */
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	ta.lwp = rump_pub_lwproc_curlwp();
	CHECK(rump_sys_getpid() != 1);
	CHECK_OK(rump_sys_close(p[1]));
	rump_pub_lwproc_switch(l1);
	CHECK_OK(rump_sys_close(p[0]));
	ta.fd = p[0];
	t = spawn(proc_reader, &ta);
	for (int i = 0; off < total; i++) {
		n = MIN(total - off, (size_t)(1 + (i * 7919) % sizeof(buf)));
		for (size_t j = 0; j < n; j++)
			buf[j] = pat(off + j);
		long r = rump_sys_write(p[1], buf, n);
		if (r != (long)n) {
			CHECK_EQ(r, (long)n);
			break;
		}
		off += n;
	}
	CHECK_OK(rump_sys_close(p[1]));
	pthread_join(t, NULL);
	CHECK_EQ(ta.ret, 0);
	CHECK_EQ(ta.len, total);
	CHECK(ta.ok);
}

/* Writes of at most PIPE_BUF bytes are never interleaved. */
#define REC 4000		/* does not divide 64 KiB: records wrap */
#define NREC 500
#define NWRITERS 4

static void *
rec_writer(void *arg)
{
	struct targ *ta = arg;
	unsigned char rec[REC];

	memset(rec, ta->tag, sizeof(rec));
	ta->ok = 1;
	for (int i = 0; i < NREC; i++)
		if (rump_sys_write(ta->fd, rec, sizeof(rec)) != REC)
			ta->ok = 0;
	return NULL;
}

TEST(atomic_pipe_buf_writes)
{
	struct targ ta[NWRITERS];
	pthread_t t[NWRITERS];
	unsigned char rec[REC];
	int p[2], counts[NWRITERS] = { 0 }, mixed = 0;
	long r;

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_pipe(p));
	for (int i = 0; i < NWRITERS; i++) {
		ta[i] = (struct targ){ .fd = p[1], .tag = (unsigned char)('A' + i) };
		t[i] = spawn(rec_writer, &ta[i]);
	}
	for (int n = 0; n < NWRITERS * NREC; n++) {
		size_t got = 0;

		/* Read one record's worth, in pieces if need be. */
		while (got < REC) {
			r = rump_sys_read(p[0], rec + got, REC - got);
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		CHECK_EQ(got, REC);
		for (size_t i = 1; i < got; i++)
			if (rec[i] != rec[0])
				mixed++;
		if (rec[0] >= 'A' && rec[0] < 'A' + NWRITERS)
			counts[rec[0] - 'A']++;
	}
	for (int i = 0; i < NWRITERS; i++) {
		pthread_join(t[i], NULL);
		CHECK(ta[i].ok);
		CHECK_EQ(counts[i], NREC);
	}
	CHECK_EQ(mixed, 0);
}

/* Write one byte to fd after a pause. */
static void *
late_writer(void *arg)
{
	struct targ *ta = arg;

	pause_ms(20);
	ta->ret = rump_sys_write(ta->fd, "w", 1);
	return NULL;
}

/* Close fd after a pause. */
static void *
late_closer(void *arg)
{
	struct targ *ta = arg;

	pause_ms(20);
	ta->ret = rump_sys_close(ta->fd);
	return NULL;
}

TEST(poll_woken_by_write)
{
	struct targ ta = { .ready = EVENT_INIT };
	struct pollfd pfd[2];
	pthread_t t;
	int p[2], q[2];

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_pipe(p));
	CHECK_OK(rump_sys_pipe(q));
	pfd[0] = (struct pollfd){ q[0], POLLIN, 0 };
	pfd[1] = (struct pollfd){ p[0], POLLIN, 0 };
	ta.fd = p[1];
	t = spawn(late_writer, &ta);
	CHECK_EQ(rump_sys_poll(pfd, 2, -1), 1);
	CHECK_EQ(pfd[0].revents, 0);
	CHECK_EQ(pfd[1].revents, POLLIN);
	pthread_join(t, NULL);
	CHECK_EQ(ta.ret, 1);
}

TEST(ppoll_woken_by_close)
{
	struct targ ta = { .ready = EVENT_INIT };
	struct pollfd pfd;
	pthread_t t;
	int p[2];

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_pipe(p));
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	ta.fd = p[1];
	t = spawn(late_closer, &ta);
	CHECK_EQ(rump_sys_ppoll(&pfd, 1, NULL, NULL), 1);
	CHECK_EQ(pfd.revents, POLLHUP);
	pthread_join(t, NULL);
	CHECK_EQ(ta.ret, 0);
}

/* A writer polling a full pipe is woken when a read makes room. */
static void *
late_reader(void *arg)
{
	struct targ *ta = arg;
	char buf[8192];

	pause_ms(20);
	ta->ret = rump_sys_read(ta->fd, buf, sizeof(buf));
	return NULL;
}

TEST(poll_pollout_woken_by_read)
{
	static char buf[4096];
	struct targ ta = { .ready = EVENT_INIT };
	struct pollfd pfd;
	pthread_t t;
	int p[2];

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_pipe2(p, O_NONBLOCK));
	while (rump_sys_write(p[1], buf, sizeof(buf)) > 0)
		;
	pfd = (struct pollfd){ p[1], POLLOUT, 0 };
	ta.fd = p[0];
	t = spawn(late_reader, &ta);
	CHECK_EQ(rump_sys_poll(&pfd, 1, -1), 1);
	CHECK_EQ(pfd.revents, POLLOUT);
	pthread_join(t, NULL);
	CHECK_EQ(ta.ret, 8192);
}

/* More fds than a poll registers without allocating: the last wakes. */
TEST(poll_many_woken)
{
	enum { N = 150 };
	struct targ ta = { .ready = EVENT_INIT };
	struct pollfd pfd[N];
	int p[N][2];
	pthread_t t;

	CHECK_EQ(rump_init(), 0);
	for (int i = 0; i < N; i++) {
		CHECK_OK(rump_sys_pipe(p[i]));
		pfd[i] = (struct pollfd){ p[i][0], POLLIN, 0 };
	}
	ta.fd = p[N - 1][1];
	t = spawn(late_writer, &ta);
	CHECK_EQ(rump_sys_poll(pfd, N, -1), 1);
	for (int i = 0; i < N - 1; i++)
		CHECK_EQ(pfd[i].revents, 0);
	CHECK_EQ(pfd[N - 1].revents, POLLIN);
	pthread_join(t, NULL);
}

/* Open path with flags in a thread; result in ret/err. */
static void *
opener(void *arg)
{
	struct targ *ta = arg;

	if (ta->lwp != NULL)
		rump_pub_lwproc_switch(ta->lwp);
	event_set(&ta->ready, 0);
	errno = 0;
	ta->ret = rump_sys_open("/fifo", ta->fd);
	ta->err = errno;
	if (ta->lwp != NULL)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

TEST(fifo_reader_waits_for_writer)
{
	struct targ ta = { .ready = EVENT_INIT, .fd = O_RDONLY };
	pthread_t t;
	char buf[4];
	int w;

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_mknod("/fifo", S_IFIFO | 0666, 0));
	t = spawn(opener, &ta);
	event_wait(&ta.ready);
	pause_ms(20);
	w = (int)CHECK_OK(rump_sys_open("/fifo", O_WRONLY));
	pthread_join(t, NULL);
	CHECK(ta.ret >= 0);
	CHECK_EQ(rump_sys_write(w, "hi", 2), 2);
	CHECK_EQ(rump_sys_read((int)ta.ret, buf, sizeof(buf)), 2);
	CHECK(memcmp(buf, "hi", 2) == 0);
}

TEST(fifo_writer_waits_for_reader)
{
	struct targ ta = { .ready = EVENT_INIT, .fd = O_WRONLY };
	pthread_t t;
	char buf[4];
	int r;

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_mknod("/fifo", S_IFIFO | 0666, 0));
	t = spawn(opener, &ta);
	event_wait(&ta.ready);
	pause_ms(20);
	r = (int)CHECK_OK(rump_sys_open("/fifo", O_RDONLY));
	pthread_join(t, NULL);
	CHECK(ta.ret >= 0);
	CHECK_EQ(rump_sys_write((int)ta.ret, "yo", 2), 2);
	CHECK_EQ(rump_sys_read(r, buf, sizeof(buf)), 2);
	CHECK(memcmp(buf, "yo", 2) == 0);
	/* The writer closes: EOF for the reader. */
	CHECK_OK(rump_sys_close((int)ta.ret));
	CHECK_EQ(rump_sys_read(r, buf, sizeof(buf)), 0);
}

/* A blocked reader's open completes when an O_RDWR opener comes. */
TEST(fifo_reader_released_by_rdwr)
{
	struct targ ta = { .ready = EVENT_INIT, .fd = O_RDONLY };
	pthread_t t;
	int rw;

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_mknod("/fifo", S_IFIFO | 0666, 0));
	t = spawn(opener, &ta);
	event_wait(&ta.ready);
	pause_ms(20);
	rw = (int)CHECK_OK(rump_sys_open("/fifo", O_RDWR));
	pthread_join(t, NULL);
	CHECK(ta.ret >= 0);
	CHECK_OK(rump_sys_close(rw));
}

/* A writer that opens and closes again still releases a waiting reader
 * (Linux counts opens, not open files); the reader then sees EOF. */
TEST(fifo_reader_released_by_brief_writer)
{
	struct targ ta = { .ready = EVENT_INIT, .fd = O_RDONLY };
	pthread_t t;
	char c;
	int w;

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_mknod("/fifo", S_IFIFO | 0666, 0));
	t = spawn(opener, &ta);
	event_wait(&ta.ready);
	pause_ms(20);
	w = (int)CHECK_OK(rump_sys_open("/fifo", O_WRONLY));
	CHECK_OK(rump_sys_close(w));
	pthread_join(t, NULL);
	CHECK(ta.ret >= 0);
	CHECK_EQ(rump_sys_read((int)ta.ret, &c, 1), 0);
}

/* A FIFO open waiting for a partner ends with EINTR on a signal. */
TEST(fifo_open_interrupted)
{
	struct targ ta = { .ready = EVENT_INIT, .fd = O_WRONLY };
	pthread_t t;
	pid_t pid;
	char c;
	int r;

	fresh_proc();
	CHECK_OK(rump_sys_mknod("/fifo", S_IFIFO | 0666, 0));
	pid = rump_sys_getpid();
	/* A second lwp of this process does the open. */
	struct lwp *me = rump_pub_lwproc_curlwp();
	CHECK_EQ(rump_pub_lwproc_newlwp(pid), 0);
	ta.lwp = rump_pub_lwproc_curlwp();
	rump_pub_lwproc_switch(me);
	t = spawn(opener, &ta);
	event_wait(&ta.ready);
	pause_ms(20);
	/* Signal from another process (init: the implicit context). */
	rump_pub_lwproc_switch(NULL);
	CHECK_OK(rump_sys_kill(pid, SIGUSR1));
	pthread_join(t, NULL);
	rump_pub_lwproc_switch(me);
	CHECK_EQ(ta.ret, -1);
	CHECK_EQ(ta.err, EINTR);
	/* The failed open left no writer behind: a reader sees EOF. */
	r = (int)CHECK_OK(rump_sys_open("/fifo", O_RDONLY | O_NONBLOCK));
	CHECK_EQ(rump_sys_read(r, &c, 1), 0);
	CHECK_OK(rump_sys_open("/fifo", O_WRONLY | O_NONBLOCK));
}

/* Block in read in a fresh process; report the pid first. */
static void *
proc_blocked_reader(void *arg)
{
	struct targ *ta = arg;
	int p[2];
	char c;

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0 ||
	    rump_sys_pipe(p) != 0) {
		event_set(&ta->ready, -1);
		return NULL;
	}
	ta->pid = rump_sys_getpid();
	event_set(&ta->ready, ta->pid);
	errno = 0;
	ta->ret = rump_sys_read(p[0], &c, 1);
	ta->err = errno;
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* The required test: a blocked read on a pipe ends when its process is
 * killed (which is how a process exit ends blocked calls). */
TEST(blocked_read_ends_on_process_exit)
{
	struct targ ta = { .ready = EVENT_INIT };
	pthread_t t;
	pid_t pid;

	CHECK_EQ(rump_init(), 0);
	t = spawn(proc_blocked_reader, &ta);
	pid = (pid_t)event_wait(&ta.ready);
	CHECK(pid > 1);
	pause_ms(20);
	CHECK_OK(rump_sys_kill(pid, SIGKILL));
	pthread_join(t, NULL);
	CHECK_EQ(ta.ret, -1);
	CHECK_EQ(ta.err, EINTR);
	/* A released last lwp: the process is gone. */
	CHECK_ERR(rump_sys_kill(pid, 0), ESRCH);
}

/* A signal (not a kill) ends a blocked read with EINTR; a blocked write
 * that moved some bytes returns their count instead. */
TEST(blocked_read_interrupted_by_signal)
{
	struct targ ta = { .ready = EVENT_INIT };
	pthread_t t;
	pid_t pid;

	CHECK_EQ(rump_init(), 0);
	t = spawn(proc_blocked_reader, &ta);
	pid = (pid_t)event_wait(&ta.ready);
	CHECK(pid > 1);
	pause_ms(20);
	CHECK_OK(rump_sys_kill(pid, SIGUSR1));
	pthread_join(t, NULL);
	CHECK_EQ(ta.ret, -1);
	CHECK_EQ(ta.err, EINTR);
}

static void *
proc_blocked_writer(void *arg)
{
	struct targ *ta = arg;
	unsigned char *buf = calloc(1, ta->len);
	int p[2];

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0 ||
	    rump_sys_pipe(p) != 0) {
		event_set(&ta->ready, -1);
		free(buf);
		return NULL;
	}
	ta->pid = rump_sys_getpid();
	event_set(&ta->ready, ta->pid);
	errno = 0;
	ta->ret = rump_sys_write(p[1], buf, ta->len);
	ta->err = errno;
	rump_pub_lwproc_releaselwp();
	free(buf);
	return NULL;
}

TEST(blocked_write_interrupted_returns_count)
{
	struct targ ta = { .ready = EVENT_INIT, .len = 200000 };
	pthread_t t;
	pid_t pid;

	CHECK_EQ(rump_init(), 0);
	t = spawn(proc_blocked_writer, &ta);
	pid = (pid_t)event_wait(&ta.ready);
	CHECK(pid > 1);
	pause_ms(20);
	CHECK_OK(rump_sys_kill(pid, SIGUSR1));
	pthread_join(t, NULL);
	/* Whenever the signal came, 64 KiB went in before the wait. */
	CHECK_EQ(ta.ret, 65536);
}

/* Killing a process also ends its blocked poll. */
static void *
proc_blocked_poll(void *arg)
{
	struct targ *ta = arg;
	struct pollfd pfd;
	int p[2];

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0 ||
	    rump_sys_pipe(p) != 0) {
		event_set(&ta->ready, -1);
		return NULL;
	}
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	event_set(&ta->ready, rump_sys_getpid());
	errno = 0;
	ta->ret = rump_sys_poll(&pfd, 1, -1);
	ta->err = errno;
	rump_pub_lwproc_releaselwp();
	return NULL;
}

TEST(blocked_poll_ends_on_kill)
{
	struct targ ta = { .ready = EVENT_INIT };
	pthread_t t;
	pid_t pid;

	CHECK_EQ(rump_init(), 0);
	t = spawn(proc_blocked_poll, &ta);
	pid = (pid_t)event_wait(&ta.ready);
	CHECK(pid > 1);
	pause_ms(20);
	CHECK_OK(rump_sys_kill(pid, SIGKILL));
	pthread_join(t, NULL);
	CHECK_EQ(ta.ret, -1);
	CHECK_EQ(ta.err, EINTR);
	CHECK_ERR(rump_sys_kill(pid, 0), ESRCH);
}
