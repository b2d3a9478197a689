/*
 * remote_retry_test.c: rumpclient_setconnretry() against a server that
 * is stopped and restarted on the same URL: 0 (the default), N seconds,
 * RUMPCLIENT_RETRYCONN_INFTIME, _ONCE and _DIE.  After a reconnect the
 * client is a new process in a new kernel: its old descriptors and files
 * are gone.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "remote_util.h"

/* State of the first connection, to tell a new context from it. */
struct before {
	pid_t	pid;
	int	fd;
};

/* Leave traces in the current process: an open fd and a file. */
static void
make_traces(struct before *b)
{
	b->pid = rump_sys_getpid();
	CHECK(b->pid > 1);
	b->fd = CHECK_OK(rump_sys_open("/before", O_RDWR | O_CREAT, 0644));
}

/* After a reconnect: a new process of a new kernel. */
static void
check_new_context(const struct before *b)
{
	CHECK(rump_sys_getpid() > 1);
	CHECK_EQ(rump_sys_getppid(), 1);
	CHECK_ERR(rump_sys_fcntl(b->fd, F_GETFD), EBADF);
	CHECK_ERR(rump_sys_access("/before", F_OK), ENOENT);
	/* And it works normally. */
	CHECK_EQ(rump_sys_mkdir("/after", 0755), 0);
	CHECK_EQ(rump_sys_access("/after", F_OK), 0);
}

/* Stop the server, expecting a clean exit. */
static void
stop(struct ru_server *s)
{
	CHECK_EQ(ru_server_stop(s), 0);
}

TEST(retry_default_is_no_retry)
{
	struct ru_server s;
	struct before b;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	CHECK_EQ(rumpclient_init(), 0);
	make_traces(&b);
	stop(&s);
	CHECK_ERR(rump_sys_getpid(), ENOTCONN);
	/* Not even once the server is back: all calls fail. */
	CHECK_EQ(ru_server_start(&s), 0);
	CHECK_ERR(rump_sys_getpid(), ENOTCONN);
	CHECK_ERR(rump_sys_open("/x", O_RDONLY), ENOTCONN);
	stop(&s);
	ru_server_destroy(&s);
}

TEST(retry_zero)
{
	struct ru_server s;
	struct before b;

	CHECK_EQ(ru_server_new(&s, RU_TCP), 0);
	CHECK_EQ(rumpclient_init(), 0);
	rumpclient_setconnretry(0);
	make_traces(&b);
	stop(&s);
	CHECK_ERR(rump_sys_getpid(), ENOTCONN);
	CHECK_EQ(ru_server_start(&s), 0);
	CHECK_ERR(rump_sys_getpid(), ENOTCONN);
	CHECK_ERR(rump_sys_close(b.fd), ENOTCONN);
	/* A later policy applies to later calls. */
	rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_ONCE);
	check_new_context(&b);
	stop(&s);
	ru_server_destroy(&s);
}

TEST(retry_once)
{
	struct ru_server s;
	struct before b;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	CHECK_EQ(rumpclient_init(), 0);
	rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_ONCE);
	make_traces(&b);
	stop(&s);
	/* One attempt, refused: the call fails. */
	CHECK_ERR(rump_sys_getpid(), ENOTCONN);
	/* The next call tries once more, and now the server is there. */
	CHECK_EQ(ru_server_start(&s), 0);
	check_new_context(&b);
	stop(&s);
	ru_server_destroy(&s);
}

TEST(retry_seconds_gives_up)
{
	struct ru_server s;
	struct before b;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	CHECK_EQ(rumpclient_init(), 0);
	rumpclient_setconnretry(1);
	make_traces(&b);
	stop(&s);
	CHECK_ERR(rump_sys_getpid(), ENOTCONN);
	CHECK_ERR(rump_sys_getpid(), ENOTCONN);
	CHECK_EQ(ru_server_start(&s), 0);
	check_new_context(&b);
	stop(&s);
	ru_server_destroy(&s);
}

/* A client whose next call comes while the server is down. */
struct retry_arg {
	time_t	policy;
	int	ready[2];	/* child -> test: connected */
	int	go[2];		/* test -> child: the server is down */
	int	dies;		/* the call must not return */
};

static void
retry_client(void *arg)
{
	struct retry_arg *a = arg;
	struct before b;
	char c = 1;

	CHECK_EQ(rumpclient_init(), 0);
	rumpclient_setconnretry(a->policy);
	make_traces(&b);
	CHECK_EQ(ru_writen(a->ready[1], &c, 1), 0);
	CHECK_EQ(ru_readn(a->go[0], &c, 1), 0);
	/* This call finds the connection broken. */
	if (a->dies) {
		rump_sys_getpid();
		_exit(42);
	}
	check_new_context(&b);
}

/* Run retry_client with policy; restart the server while it retries. */
static void
retry_while_down(time_t policy, enum ru_transport t)
{
	struct retry_arg a = { .policy = policy };
	struct ru_server s;
	char c = 1;
	pid_t pid;

	CHECK_OK(pipe(a.ready));
	CHECK_OK(pipe(a.go));
	CHECK_EQ(ru_server_new(&s, t), 0);
	pid = ru_spawn(retry_client, &a);
	CHECK_EQ(ru_readn(a.ready[0], &c, 1), 0);
	stop(&s);
	CHECK_EQ(ru_writen(a.go[1], &c, 1), 0);
	/* Give the client time to start retrying (not required). */
	ru_msleep(300);
	CHECK_EQ(ru_server_start(&s), 0);
	CHECK_EQ(ru_wait(pid), 0);
	stop(&s);
	ru_server_destroy(&s);
}

TEST(retry_seconds_reconnects_unix)
{
	retry_while_down(60, RU_UNIX);
}

TEST(retry_seconds_reconnects_tcp)
{
	retry_while_down(60, RU_TCP);
}

TEST(retry_inftime)
{
	retry_while_down(RUMPCLIENT_RETRYCONN_INFTIME, RU_UNIX);
}

TEST(retry_die_exits)
{
	struct retry_arg a = { .policy = RUMPCLIENT_RETRYCONN_DIE, .dies = 1 };
	struct ru_server s;
	char c = 1;
	pid_t pid;

	CHECK_OK(pipe(a.ready));
	CHECK_OK(pipe(a.go));
	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	pid = ru_spawn(retry_client, &a);
	CHECK_EQ(ru_readn(a.ready[0], &c, 1), 0);
	stop(&s);
	/* Even with the server back, DIE does not reconnect. */
	CHECK_EQ(ru_server_start(&s), 0);
	CHECK_EQ(ru_writen(a.go[1], &c, 1), 0);
	CHECK_EQ(ru_wait(pid), 1);
	stop(&s);
	ru_server_destroy(&s);
}

/* Blocked in a read when the server stops: the call ends. */
static void
blocked_client(void *arg)
{
	int *ready = arg;
	pid_t pid;
	char c;
	int p[2];

	CHECK_EQ(rumpclient_init(), 0);
	CHECK_OK(rump_sys_pipe(p));
	pid = rump_sys_getpid();
	CHECK_EQ(ru_writen(ready[1], &pid, sizeof(pid)), 0);
	CHECK_ERR(rump_sys_read(p[0], &c, 1), ENOTCONN);
}

TEST(server_stop_ends_blocked_call)
{
	struct ru_server s;
	int ready[2];
	pid_t pid, kpid;

	CHECK_OK(pipe(ready));
	CHECK_EQ(ru_server_new(&s, RU_TCP), 0);
	pid = ru_spawn(blocked_client, ready);
	CHECK_EQ(ru_readn(ready[0], &kpid, sizeof(kpid)), 0);
	CHECK_EQ(rumpclient_init(), 0);
	/* A second lwp means the read is waiting in the kernel. */
	CHECK_EQ(ru_proc_wait_nlwps(kpid, 2), 0);
	stop(&s);
	CHECK_EQ(ru_wait(pid), 0);
	ru_server_destroy(&s);
}
