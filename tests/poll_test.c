/*
 * poll_test.c: poll(2) and ppoll(2) without threads: the events of pipe
 * and FIFO ends, POLLNVAL and negative fds, argument errors, timeouts,
 * and signals (pending, masked by ppoll).  Waking a sleeping poll from
 * another thread is in pipe_thread_test.c.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

/* Boot and become a fresh process with an empty descriptor table. */
static void
fresh_proc(void)
{
	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
}

/* poll one fd for events without waiting; returns revents (-1: error). */
static int
poll1(int fd, short events)
{
	struct pollfd pfd = { fd, events, 0x7777 };
	int n = rump_sys_poll(&pfd, 1, 0);

	if (n < 0)
		return -1;
	/* The count is the number of fds with nonzero revents. */
	CHECK_EQ(n, pfd.revents != 0);
	return pfd.revents;
}

TEST(poll_pipe_readiness)
{
	int p[2];
	char c;

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	CHECK_EQ(poll1(p[0], POLLIN), 0);
	CHECK_EQ(poll1(p[1], POLLOUT), POLLOUT);
	CHECK_EQ(poll1(p[1], POLLIN), 0);
	CHECK_EQ(poll1(p[1], POLLOUT | POLLWRNORM), POLLOUT | POLLWRNORM);
	CHECK_EQ(rump_sys_write(p[1], "x", 1), 1);
	CHECK_EQ(poll1(p[0], POLLIN), POLLIN);
	CHECK_EQ(poll1(p[0], POLLIN | POLLRDNORM), POLLIN | POLLRDNORM);
	/* Only what was asked for (an end is not writable by reading). */
	CHECK_EQ(poll1(p[0], POLLIN | POLLOUT), POLLIN);
	CHECK_EQ(poll1(p[0], POLLOUT), 0);
	CHECK_EQ(poll1(p[0], 0), 0);
	CHECK_EQ(rump_sys_read(p[0], &c, 1), 1);
	CHECK_EQ(poll1(p[0], POLLIN), 0);
}

TEST(poll_pipe_hup)
{
	int p[2];

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	CHECK_EQ(rump_sys_write(p[1], "x", 1), 1);
	CHECK_OK(rump_sys_close(p[1]));
	CHECK_EQ(poll1(p[0], POLLIN), POLLIN | POLLHUP);
	/* POLLHUP is reported even when not asked for. */
	CHECK_EQ(poll1(p[0], 0), POLLHUP);
	char c;
	CHECK_EQ(rump_sys_read(p[0], &c, 1), 1);
	CHECK_EQ(poll1(p[0], POLLIN), POLLHUP);
}

TEST(poll_pipe_err)
{
	int p[2];

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	CHECK_OK(rump_sys_close(p[0]));
	CHECK_EQ(poll1(p[1], POLLOUT), POLLOUT | POLLERR);
	/* POLLERR is reported even when not asked for. */
	CHECK_EQ(poll1(p[1], 0), POLLERR);
	CHECK_EQ(poll1(p[1], POLLIN), POLLERR);
}

/* A full pipe is not writable; it is again once PIPE_BUF bytes are free. */
TEST(poll_pipe_full)
{
	static char buf[4096];
	int p[2];

	fresh_proc();
	CHECK_OK(rump_sys_pipe2(p, O_NONBLOCK));
	for (int i = 0; i < 16; i++)
		CHECK_EQ(rump_sys_write(p[1], buf, sizeof(buf)), 4096);
	CHECK_EQ(poll1(p[1], POLLOUT), 0);
	CHECK_EQ(rump_sys_read(p[0], buf, 100), 100);
	CHECK_EQ(poll1(p[1], POLLOUT), 0);	/* 100 bytes free: not yet */
	CHECK_EQ(rump_sys_read(p[0], buf, 3996), 3996);
	CHECK_EQ(poll1(p[1], POLLOUT), POLLOUT);
}

TEST(poll_nval_and_negative)
{
	struct pollfd pfd[4];
	int p[2];

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	CHECK_EQ(rump_sys_write(p[1], "x", 1), 1);
	pfd[0] = (struct pollfd){ -1, POLLIN, 0x55 };	/* ignored */
	pfd[1] = (struct pollfd){ 77, POLLIN, 0x55 };	/* not open */
	pfd[2] = (struct pollfd){ p[0], POLLIN, 0x55 };
	pfd[3] = (struct pollfd){ -5, POLLOUT, 0x55 };
	CHECK_EQ(rump_sys_poll(pfd, 4, 0), 2);
	CHECK_EQ(pfd[0].revents, 0);
	CHECK_EQ(pfd[1].revents, POLLNVAL);
	CHECK_EQ(pfd[2].revents, POLLIN);
	CHECK_EQ(pfd[3].revents, 0);
	/* POLLNVAL is reported even with no events asked for, and
	 * events/fd are left as they were. */
	pfd[1].events = 0;
	CHECK_EQ(rump_sys_poll(&pfd[1], 1, -1), 1);
	CHECK_EQ(pfd[1].revents, POLLNVAL);
	CHECK_EQ(pfd[1].fd, 77);
	CHECK_EQ(pfd[1].events, 0);
	/* A closed descriptor is POLLNVAL too. */
	CHECK_OK(rump_sys_close(p[1]));
	pfd[0] = (struct pollfd){ p[1], POLLOUT, 0 };
	CHECK_EQ(rump_sys_poll(pfd, 1, 0), 1);
	CHECK_EQ(pfd[0].revents, POLLNVAL);
}

/* The same fd twice, and many fds: each entry reports on its own. */
TEST(poll_many_fds)
{
	enum { N = 100 };
	struct pollfd pfd[2 * N];
	int p[N][2], ready = 0;

	fresh_proc();
	for (int i = 0; i < N; i++) {
		CHECK_OK(rump_sys_pipe(p[i]));
		if (i % 7 == 3) {
			CHECK_EQ(rump_sys_write(p[i][1], "x", 1), 1);
			ready++;
		}
		pfd[2 * i] = (struct pollfd){ p[i][0], POLLIN, 0 };
		pfd[2 * i + 1] = (struct pollfd){ p[i][0], POLLIN, 0 };
	}
	CHECK_EQ(rump_sys_poll(pfd, 2 * N, 0), 2 * ready);
	for (int i = 0; i < 2 * N; i++)
		CHECK_EQ(pfd[i].revents, (i / 2) % 7 == 3 ? POLLIN : 0);
}

/* nfds above RLIMIT_NOFILE is EINVAL; a NULL array is EFAULT. */
TEST(poll_args)
{
	struct rlimit rl = { 8, 64 };
	struct pollfd pfd[9];
	struct timespec ts = { 0, 0 };

	fresh_proc();
	for (int i = 0; i < 9; i++)
		pfd[i] = (struct pollfd){ -1, POLLIN, 0 };
	CHECK_EQ(rump_sys_poll(pfd, 9, 0), 0);	/* default limit 1024 */
	CHECK_OK(rump_sys_setrlimit(RLIMIT_NOFILE, &rl));
	CHECK_EQ(rump_sys_poll(pfd, 8, 0), 0);
	CHECK_ERR(rump_sys_poll(pfd, 9, 0), EINVAL);
	CHECK_ERR(rump_sys_ppoll(pfd, 9, &ts, NULL), EINVAL);
	CHECK_ERR(rump_sys_poll(NULL, 1, 0), EFAULT);
	CHECK_ERR(rump_sys_poll(NULL, 9, 0), EINVAL);	/* limit first */
	CHECK_EQ(rump_sys_poll(NULL, 0, 0), 0);
	CHECK_EQ(rump_sys_poll(NULL, 0, 10), 0);	/* just sleeps */
}

TEST(poll_timeout)
{
	struct pollfd pfd;
	int p[2];

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	CHECK_EQ(rump_sys_poll(&pfd, 1, 20), 0);
	CHECK_EQ(pfd.revents, 0);
}

TEST(ppoll_timeout)
{
	struct pollfd pfd;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int p[2];

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	CHECK_EQ(rump_sys_ppoll(&pfd, 1, &ts, NULL), 0);
	ts = (struct timespec){ 0, 0 };
	CHECK_EQ(rump_sys_ppoll(&pfd, 1, &ts, NULL), 0);
	/* Ready: no wait at all, NULL timeout (forever) is fine. */
	CHECK_EQ(rump_sys_write(p[1], "x", 1), 1);
	CHECK_EQ(rump_sys_ppoll(&pfd, 1, NULL, NULL), 1);
	CHECK_EQ(pfd.revents, POLLIN);
	/* A huge timeout is valid (no overflow). */
	ts = (struct timespec){ INT64_MAX, 999999999 };
	CHECK_EQ(rump_sys_ppoll(&pfd, 1, &ts, NULL), 1);
}

TEST(ppoll_bad_timeout)
{
	struct pollfd pfd = { -1, 0, 0 };
	struct timespec ts;

	fresh_proc();
	ts = (struct timespec){ -1, 0 };
	CHECK_ERR(rump_sys_ppoll(&pfd, 1, &ts, NULL), EINVAL);
	ts = (struct timespec){ 0, -1 };
	CHECK_ERR(rump_sys_ppoll(&pfd, 1, &ts, NULL), EINVAL);
	ts = (struct timespec){ 0, 1000000000 };
	CHECK_ERR(rump_sys_ppoll(&pfd, 1, &ts, NULL), EINVAL);
	ts = (struct timespec){ 1, 999999999 };
	ts.tv_sec = -1;
	CHECK_ERR(rump_sys_ppoll(&pfd, 1, &ts, NULL), EINVAL);
}

/* A pending signal ends a waiting poll with EINTR, once; ppoll's mask
 * holds it off for the duration of the call. */
TEST(ppoll_sigmask)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct pollfd pfd;
	sigset_t set;
	int p[2];

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	CHECK_OK(rump_sys_kill(rump_sys_getpid(), SIGUSR1));
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_EQ(rump_sys_ppoll(&pfd, 1, &ts, &set), 0);
	/* Another signal's mask does not help. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK_ERR(rump_sys_ppoll(&pfd, 1, &ts, &set), EINTR);
	/* The EINTR consumed it: now the timeout runs out normally. */
	CHECK_EQ(rump_sys_poll(&pfd, 1, 10), 0);
	CHECK_OK(rump_sys_kill(rump_sys_getpid(), SIGUSR2));
	CHECK_ERR(rump_sys_poll(&pfd, 1, -1), EINTR);
	/* Ready fds are reported even with a signal pending. */
	CHECK_OK(rump_sys_kill(rump_sys_getpid(), SIGUSR2));
	CHECK_EQ(rump_sys_write(p[1], "x", 1), 1);
	CHECK_EQ(rump_sys_poll(&pfd, 1, -1), 1);
}

/* EPIPE posts SIGPIPE to the writer's process: a later wait sees it. */
TEST(pipe_epipe_posts_sigpipe)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct pollfd pfd;
	sigset_t set;
	int p[2], q[2];

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	CHECK_OK(rump_sys_pipe(q));
	pfd = (struct pollfd){ q[0], POLLIN, 0 };
	CHECK_EQ(rump_sys_poll(&pfd, 1, 10), 0);	/* nothing pending */
	CHECK_OK(rump_sys_close(p[0]));
	CHECK_ERR(rump_sys_write(p[1], "x", 1), EPIPE);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	CHECK_EQ(rump_sys_ppoll(&pfd, 1, &ts, &set), 0);
	CHECK_ERR(rump_sys_poll(&pfd, 1, -1), EINTR);
}

/* FIFO: a nonblocking reader that has never seen a writer gets no
 * POLLHUP (Linux); after a writer came and went, it does. */
TEST(poll_fifo_hup)
{
	int r, w;

	fresh_proc();
	CHECK_OK(rump_sys_mknod("/f", S_IFIFO | 0600, 0));
	r = (int)CHECK_OK(rump_sys_open("/f", O_RDONLY | O_NONBLOCK));
	CHECK_EQ(poll1(r, POLLIN), 0);
	w = (int)CHECK_OK(rump_sys_open("/f", O_WRONLY | O_NONBLOCK));
	CHECK_EQ(poll1(r, POLLIN), 0);
	CHECK_EQ(poll1(w, POLLOUT), POLLOUT);
	CHECK_EQ(rump_sys_write(w, "x", 1), 1);
	CHECK_EQ(poll1(r, POLLIN), POLLIN);
	CHECK_OK(rump_sys_close(w));
	CHECK_EQ(poll1(r, POLLIN), POLLIN | POLLHUP);
	/* O_RDWR: its own writer, so never POLLHUP nor POLLERR. */
	int rw = (int)CHECK_OK(rump_sys_open("/f", O_RDWR));
	CHECK_EQ(poll1(rw, POLLIN | POLLOUT), POLLIN | POLLOUT);
	CHECK_OK(rump_sys_close(r));
	CHECK_EQ(poll1(rw, POLLOUT), POLLOUT);
}

/* Regular files are always ready (Linux's default poll mask). */
TEST(poll_regular_file)
{
	int fd;

	fresh_proc();
	fd = (int)CHECK_OK(rump_sys_open("/reg", O_CREAT | O_RDWR, 0644));
	CHECK_EQ(poll1(fd, POLLIN | POLLOUT), POLLIN | POLLOUT);
	CHECK_EQ(rump_sys_poll(&(struct pollfd){ fd, POLLIN, 0 }, 1, -1), 1);
}
