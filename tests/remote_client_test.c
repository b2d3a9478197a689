/*
 * remote_client_test.c: the rumpclient(3) functions against a real
 * rump_server on a real socket: init and its errors, system calls over
 * unix and tcp, rumpclient_syscall, fork, vfork, prefork + fork_init,
 * fork_cancel, exec and daemon.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "remote_util.h"

/* Start a server of kind t (sets $RUMP_SERVER) and connect to it. */
static void
connect_new(struct ru_server *s, enum ru_transport t)
{
	CHECK_EQ(ru_server_new(s, t), 0);
	CHECK_EQ(rumpclient_init(), 0);
}

/* Read a kernel fd until EOF into buf (NUL-terminated); bytes read. */
static size_t
read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got + 1 < len &&
	    (n = rump_sys_read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	return got;
}

TEST(init_without_rump_server)
{
	unsetenv("RUMP_SERVER");
	CHECK_ERR(rumpclient_init(), ENOENT);
	/* A system call connects on demand and fails the same way. */
	CHECK_ERR(rump_sys_getpid(), ENOENT);
}

TEST(init_bad_url)
{
	static const struct {
		const char *url;
		int error;
	} bad[] = {
		{ "", EINVAL },
		{ "foo://bar", EPROTONOSUPPORT },
		{ "/tmp/sock", EPROTONOSUPPORT },
		{ "unix://", EINVAL },
		{ "tcp://127.0.0.1", EINVAL },
		{ "tcp://127.0.0.1:", EINVAL },
		{ "tcp://127.0.0.1:0", EINVAL },
		{ "tcp://127.0.0.1:65536", EINVAL },
		{ "tcp://127.0.0.1:12x", EINVAL },
		{ "tcp://localhost:1234", EINVAL },
		{ "tcp://[::1:1234", EINVAL },
	};
	char longurl[300];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("RUMP_SERVER", bad[i].url, 1);
		errno = 0;
		if (rumpclient_init() != -1 || errno != bad[i].error)
			TFAIL("RUMP_SERVER=\"%s\": errno %d, expected %d",
			    bad[i].url, errno, bad[i].error);
	}
	/* sun_path holds 107 bytes and a NUL. */
	snprintf(longurl, sizeof(longurl), "unix:///tmp/%0200d", 0);
	setenv("RUMP_SERVER", longurl, 1);
	CHECK_ERR(rumpclient_init(), ENAMETOOLONG);
}

TEST(init_no_server_then_server)
{
	struct ru_server su, st;

	CHECK_EQ(ru_server_init(&su, RU_UNIX), 0);
	CHECK_EQ(ru_server_init(&st, RU_TCP), 0);
	setenv("RUMP_SERVER", su.rs_url, 1);
	CHECK_ERR(rumpclient_init(), ENOENT);	/* no socket file */
	setenv("RUMP_SERVER", st.rs_url, 1);
	CHECK_ERR(rumpclient_init(), ECONNREFUSED);
	/* Failures are not remembered: once a server is there, init works. */
	CHECK_EQ(ru_server_start(&su), 0);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK(rump_sys_getpid() > 1);
	CHECK_EQ(rump_sys_getppid(), 1);	/* a new process: init's child */
	CHECK_EQ(rumpclient_init(), 0);		/* again: no-op */
	CHECK_EQ(ru_server_stop(&su), 0);
	ru_server_destroy(&su);
	ru_server_destroy(&st);
}

/* File, pipe and error round trips that every transport must carry. */
static void
basic_calls(void)
{
	static char big[3 << 20];
	char buf[64], cwd[64];
	struct iovec iov[3];
	struct stat st;
	struct pollfd pfd;
	int fd, p[2];

	CHECK(rump_sys_getpid() > 1);
	CHECK_EQ(rump_sys_getppid(), 1);
	CHECK_ERR(rump_sys_open("/nonexistent", O_RDONLY), ENOENT);
	CHECK_ERR(rump_sys_close(1000), EBADF);
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	CHECK_ERR(rump_sys_mkdir("/d", 0755), EEXIST);
	CHECK_OK(rump_sys_chdir("/d"));
	CHECK(rump_sys_getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK_STR(cwd, "/d");
	fd = CHECK_OK(rump_sys_open("f", O_RDWR | O_CREAT | O_EXCL, 0640));
	CHECK_EQ(rump_sys_write(fd, "hello, world", 12), 12);
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_size, 12);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_mode & 07777, 0640 & ~022);
	CHECK_EQ(rump_sys_pread(fd, buf, sizeof(buf), 7), 5);
	CHECK(memcmp(buf, "world", 5) == 0);
	iov[0] = (struct iovec){ buf, 5 };
	iov[1] = (struct iovec){ buf + 10, 2 };
	iov[2] = (struct iovec){ buf + 20, 100 };
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(rump_sys_readv(fd, iov, 3), 12);
	CHECK(memcmp(buf, "hello", 5) == 0 && memcmp(buf + 10, ", ", 2) == 0 &&
	    memcmp(buf + 20, "world", 5) == 0);
	CHECK_OK(rump_sys_stat("/d/f", &st));
	CHECK_EQ(st.st_size, 12);
	/* A few megabytes each way: more than any socket buffer. */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 4096);
	CHECK_OK(rump_sys_ftruncate(fd, 0));
	CHECK_EQ(rump_sys_pwrite(fd, big, sizeof(big), 0), sizeof(big));
	memset(big, 0, sizeof(big));
	CHECK_EQ(rump_sys_pread(fd, big, sizeof(big), 0), sizeof(big));
	for (size_t i = 0; i < sizeof(big); i++) {
		if (big[i] != (char)(i * 7 + i / 4096)) {
			TFAIL("big read differs at %zu", i);
			break;
		}
	}
	CHECK_OK(rump_sys_close(fd));
	CHECK_ERR(rump_sys_fstat(fd, &st), EBADF);
	CHECK_OK(rump_sys_pipe(p));
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	CHECK_EQ(rump_sys_poll(&pfd, 1, 0), 0);
	CHECK_EQ(rump_sys_write(p[1], "xy", 2), 2);
	CHECK_EQ(rump_sys_poll(&pfd, 1, 0), 1);
	CHECK_EQ(pfd.revents, POLLIN);
	CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 2);
	CHECK_OK(rump_sys_unlink("/d/f"));
	CHECK_ERR(rump_sys_rmdir("/nonexistent"), ENOENT);
}

/*
 * Another connection is another process of the same kernel.  It is
 * started before the test connects (a host fork of a connected program
 * would share its socket) and waits for the pipe to give it the
 * server's URL and the first client's pid.
 */
struct second_msg {
	pid_t	first;
	char	url[192];
};

static void
second_client(void *arg)
{
	int *go = arg;
	struct second_msg m;
	struct stat st;
	pid_t first;

	CHECK_EQ(ru_readn(go[0], &m, sizeof(m)), 0);
	first = m.first;
	setenv("RUMP_SERVER", m.url, 1);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK(rump_sys_getpid() > 1);
	CHECK(rump_sys_getpid() != first);
	CHECK_EQ(rump_sys_getppid(), 1);
	CHECK_OK(rump_sys_stat("/d/g", &st));
	CHECK_EQ(st.st_size, 3);
	CHECK_ERR(rump_sys_fcntl(0, F_GETFD), EBADF);	/* fds are per process */
}

static void
transport_test(enum ru_transport t)
{
	struct second_msg m = { 0 };
	struct ru_server s;
	int fd, go[2];
	pid_t me, c;

	CHECK_OK(pipe(go));
	c = ru_spawn(second_client, go);
	connect_new(&s, t);
	basic_calls();
	me = rump_sys_getpid();
	/* A new process has no descriptors: the lowest free one is 0. */
	CHECK_OK(rump_sys_close(0));
	CHECK_OK(rump_sys_close(1));
	fd = CHECK_OK(rump_sys_open("/d/g", O_RDWR | O_CREAT, 0644));
	CHECK_EQ(fd, 0);
	CHECK_EQ(rump_sys_write(fd, "abc", 3), 3);
	m.first = me;
	snprintf(m.url, sizeof(m.url), "%s", s.rs_url);
	CHECK_EQ(ru_writen(go[1], &m, sizeof(m)), 0);
	CHECK_EQ(ru_wait(c), 0);
	CHECK_EQ(rump_sys_getpid(), me);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

TEST(syscalls_unix)
{
	transport_test(RU_UNIX);
}

TEST(syscalls_tcp)
{
	transport_test(RU_TCP);
}

TEST(huge_write_is_short_not_refused)
{
	struct ru_server s;
	size_t len = 20u << 20;
	char *buf = malloc(len), *back = malloc(len);
	struct stat st;
	ssize_t n;
	int fd;

	connect_new(&s, RU_UNIX);
	CHECK(buf != NULL && back != NULL);
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)(i % 251);
	fd = CHECK_OK(rump_sys_open("/big", O_RDWR | O_CREAT, 0644));
	/* Linux may write fewer bytes than asked; the count must be true. */
	n = rump_sys_write(fd, buf, len);
	CHECK(n > 0 && (size_t)n <= len);
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_size, n);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), n);
	CHECK_EQ(rump_sys_pread(fd, back, len, 0), n);
	CHECK(n > 0 && memcmp(buf, back, (size_t)n) == 0);
	free(buf);
	free(back);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

TEST(syscall_premarshalled)
{
	struct ru_server s;
	char buf[16] = { 0 };
	int64_t a[6], rv = -5;
	int fd;

	connect_new(&s, RU_UNIX);
	CHECK_EQ(rumpclient_syscall(RUMP_SYS_getpid, NULL, 0, &rv), 0);
	CHECK_EQ(rv, rump_sys_getpid());
	a[0] = (int64_t)(intptr_t)"/s";
	a[1] = O_RDWR | O_CREAT;
	a[2] = 0600;
	CHECK_EQ(rumpclient_syscall(RUMP_SYS_open, a, 3 * sizeof(a[0]), &rv),
	    0);
	fd = (int)rv;
	CHECK(fd >= 0);
	a[0] = fd;
	a[1] = (int64_t)(intptr_t)"abcdef";
	a[2] = 6;
	CHECK_EQ(rumpclient_syscall(RUMP_SYS_write, a, 3 * sizeof(a[0]), &rv),
	    0);
	CHECK_EQ(rv, 6);
	CHECK_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 6);
	CHECK_STR(buf, "abcdef");
	/* Output buffers come back too. */
	memset(buf, 0, sizeof(buf));
	a[0] = fd;
	a[1] = (int64_t)(intptr_t)buf;
	a[2] = 3;
	a[3] = 2;
	CHECK_EQ(rumpclient_syscall(RUMP_SYS_pread, a, 4 * sizeof(a[0]), &rv),
	    0);
	CHECK_EQ(rv, 3);
	CHECK_STR(buf, "cde");
	/* The call's own error: -1 and errno. */
	a[0] = 999;
	CHECK_ERR(rumpclient_syscall(RUMP_SYS_close, a, sizeof(a[0]), &rv),
	    EBADF);
	CHECK_ERR(rumpclient_syscall(4000, NULL, 0, &rv), ENOSYS);
	/* Bad argument blocks: at most 6 whole 64-bit slots. */
	CHECK_ERR(rumpclient_syscall(RUMP_SYS_getpid, a, 7 * sizeof(a[0]),
	    &rv), EINVAL);
	CHECK_ERR(rumpclient_syscall(RUMP_SYS_close, a, 4, &rv), EINVAL);
	CHECK_ERR(rumpclient_syscall(RUMP_SYS_close, NULL, 8, &rv), EINVAL);
	/* The connection is still fine. */
	CHECK_EQ(rumpclient_syscall(RUMP_SYS_getpid, NULL, 0, &rv), 0);
	CHECK_EQ(rv, rump_sys_getpid());
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

/*
 * Fork with forkfn: the child has its own kernel process, a child of
 * ours, with a copy of our descriptors that shares their offsets.
 */
static void
fork_test(pid_t (*forkfn)(void), enum ru_transport t)
{
	struct ru_server s;
	char buf[32] = { 0 };
	pid_t me, c, ckpid = -1;
	int fd;

	connect_new(&s, t);
	me = rump_sys_getpid();
	fd = CHECK_OK(rump_sys_open("/f", O_RDWR | O_CREAT, 0644));
	CHECK_EQ(rump_sys_write(fd, "hello world", 11), 11);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(rump_sys_read(fd, buf, 6), 6);
	c = forkfn();
	if (c == 0) {
		pid_t kpid = rump_sys_getpid();
		int fd2;

		CHECK(kpid > 1 && kpid != me);
		CHECK_EQ(rump_sys_getppid(), me);
		CHECK_EQ(rump_sys_read(fd, buf, 5), 5);
		CHECK(memcmp(buf, "world", 5) == 0);
		CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 11);
		fd2 = CHECK_OK(rump_sys_open("/g", O_RDWR | O_CREAT, 0644));
		CHECK_EQ(fd2, fd + 1);
		snprintf(buf, sizeof(buf), "%d", kpid);
		CHECK_EQ(rump_sys_write(fd2, buf, strlen(buf)),
		    (ssize_t)strlen(buf));
		ru_child_exit();
	}
	CHECK(c > 0);
	CHECK_EQ(ru_wait(c), 0);
	/* The child moved the shared offset; its own fd is not ours. */
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 11);
	CHECK_ERR(rump_sys_fcntl(fd + 1, F_GETFD), EBADF);
	CHECK_EQ(rump_sys_getpid(), me);
	memset(buf, 0, sizeof(buf));
	fd = CHECK_OK(rump_sys_open("/g", O_RDONLY));
	CHECK(rump_sys_read(fd, buf, sizeof(buf) - 1) > 0);
	ckpid = atoi(buf);
	CHECK(ckpid > 1 && ckpid != me);
	/* The host child is gone, so is its kernel process. */
	CHECK_EQ(ru_proc_wait_gone(ckpid), 0);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

TEST(fork_unix)
{
	fork_test(rumpclient_fork, RU_UNIX);
}

TEST(fork_tcp)
{
	fork_test(rumpclient_fork, RU_TCP);
}

TEST(vfork)
{
	fork_test(rumpclient_vfork, RU_UNIX);
}

TEST(prefork_fork_init)
{
	struct rumpclient_fork *rf;
	struct ru_server s;
	char buf[8] = { 0 };
	pid_t me, c;
	int fd, later;

	connect_new(&s, RU_UNIX);
	me = rump_sys_getpid();
	fd = CHECK_OK(rump_sys_open("/f", O_RDWR | O_CREAT, 0644));
	CHECK_EQ(rump_sys_write(fd, "abcd", 4), 4);
	CHECK_EQ(ru_proc_nchildren(me), 0);
	rf = rumpclient_prefork();
	CHECK(rf != NULL);
	if (rf == NULL)
		return;
	/* The prepared child exists in the kernel already... */
	CHECK_EQ(ru_proc_nchildren(me), 1);
	/* ...with the descriptors we had at prefork time, not later ones. */
	later = CHECK_OK(rump_sys_open("/f", O_RDONLY));
	c = fork();
	if (c == 0) {
		CHECK_EQ(rumpclient_fork_init(rf), 0);
		CHECK(rump_sys_getpid() != me);
		CHECK_EQ(rump_sys_getppid(), me);
		CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 4);
		CHECK_EQ(rump_sys_pread(fd, buf, 4, 0), 4);
		CHECK_STR(buf, "abcd");
		CHECK_ERR(rump_sys_fcntl(later, F_GETFD), EBADF);
		CHECK_EQ(rump_sys_lseek(fd, 1, SEEK_SET), 1);
		ru_child_exit();
	}
	free(rf);		/* the parent's copy of the cookie */
	CHECK(c > 0);
	CHECK_EQ(ru_wait(c), 0);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 1);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

TEST(fork_cancel_releases_child)
{
	struct rumpclient_fork *rf;
	struct ru_server s;
	char c;
	pid_t me;
	int p[2];

	connect_new(&s, RU_UNIX);
	me = rump_sys_getpid();
	CHECK_OK(rump_sys_pipe2(p, O_NONBLOCK));
	rf = rumpclient_prefork();
	CHECK(rf != NULL);
	if (rf == NULL)
		return;
	/* Only the prepared child holds the write end now. */
	CHECK_OK(rump_sys_close(p[1]));
	CHECK_EQ(ru_proc_nchildren(me), 1);
	CHECK_ERR(rump_sys_read(p[0], &c, 1), EAGAIN);
	rumpclient_fork_cancel(rf);
	/* The child is gone, and with it the last write end: EOF. */
	CHECK_EQ(ru_proc_nchildren(me), 0);
	CHECK_EQ(rump_sys_read(p[0], &c, 1), 0);
	/* Forking still works afterwards. */
	rf = rumpclient_prefork();
	CHECK(rf != NULL);
	if (rf != NULL)
		rumpclient_fork_cancel(rf);
	CHECK_EQ(ru_proc_nchildren(me), 0);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

/*
 * The program rumpclient_exec() starts: argv is the name, then the pid it
 * must have, the fd that must survive, the close-on-exec fd, the kernel
 * pipe to report on and the one to wait on.
 */
RU_CHILD_MAIN(exec_child)
{
	char msg[128], buf[8] = { 0 };
	int keep, cloexec, report, wait, cl, clerr, kfl;
	ssize_t n;

	if (argc != 6)
		return 2;
	keep = atoi(argv[2]);
	cloexec = atoi(argv[3]);
	report = atoi(argv[4]);
	wait = atoi(argv[5]);
	if (rumpclient_init() != 0) {
		fprintf(stderr, "exec_child: rumpclient_init: %s\n",
		    strerror(errno));
		return 3;
	}
	n = rump_sys_pread(keep, buf, 4, 0);
	errno = 0;
	cl = rump_sys_fcntl(cloexec, F_GETFD);
	clerr = errno;
	kfl = rump_sys_fcntl(keep, F_GETFD);
	snprintf(msg, sizeof(msg), "pid=%d want=%s keep=%.*s cloexec=%d/%d "
	    "keepfl=%d", rump_sys_getpid(), argv[1], (int)(n > 0 ? n : 0), buf,
	    cl, clerr, kfl);
	if (rump_sys_write(report, msg, strlen(msg)) != (ssize_t)strlen(msg))
		return 4;
	rump_sys_close(report);
	/* Stay until the test has looked at us in the process table. */
	while ((n = rump_sys_read(wait, buf, 1)) != 0)
		if (n < 0)
			return 5;
	return 0;
}

TEST(exec_keeps_pid_and_fds)
{
	struct ru_server s;
	struct kprocinfo pi;
	char msg[256], want[256];
	int keep, cloexec, rep[2], wt[2];
	pid_t c, ckpid;

	connect_new(&s, RU_UNIX);
	keep = CHECK_OK(rump_sys_open("/keep", O_RDWR | O_CREAT, 0644));
	CHECK_EQ(rump_sys_write(keep, "kept", 4), 4);
	cloexec = CHECK_OK(rump_sys_open("/keep", O_RDONLY | O_CLOEXEC));
	CHECK_OK(rump_sys_pipe(rep));
	CHECK_OK(rump_sys_pipe(wt));
	c = rumpclient_fork();
	if (c == 0) {
		char a[5][16], *argv[7], *env[] = { "RU_CHILD=exec_child",
		    NULL, NULL };
		char envurl[256];

		snprintf(a[0], 16, "%d", rump_sys_getpid());
		snprintf(a[1], 16, "%d", keep);
		snprintf(a[2], 16, "%d", cloexec);
		snprintf(a[3], 16, "%d", rep[1]);
		snprintf(a[4], 16, "%d", wt[0]);
		argv[0] = "execd-prog";
		for (int i = 0; i < 5; i++)
			argv[i + 1] = a[i];
		argv[6] = NULL;
		snprintf(envurl, sizeof(envurl), "RUMP_SERVER=%s", s.rs_url);
		env[1] = envurl;
		CHECK_OK(rump_sys_close(rep[0]));
		CHECK_OK(rump_sys_close(wt[1]));
		/* A failed exec leaves the connection working. */
		CHECK_ERR(rumpclient_exec("/nonexistent/prog", argv, env),
		    ENOENT);
		CHECK_EQ(rump_sys_getpid(), atoi(a[0]));
		rumpclient_exec(ru_self_bin(), argv, env);
		TFAIL("rumpclient_exec: %s", strerror(errno));
		ru_child_exit();
	}
	CHECK(c > 0);
	CHECK_OK(rump_sys_close(rep[1]));
	CHECK_OK(rump_sys_close(wt[0]));
	read_all(rep[0], msg, sizeof(msg));
	ckpid = atoi(msg + 4);
	snprintf(want, sizeof(want), "pid=%d want=%d keep=kept cloexec=-1/%d "
	    "keepfl=0", ckpid, ckpid, EBADF);
	CHECK_STR(msg, want);
	/* Same process, new program name. */
	CHECK_EQ(ru_proc_find(ckpid, &pi), 0);
	CHECK_STR(pi.pi_comm, "execd-prog");
	CHECK_EQ(pi.pi_ppid, rump_sys_getpid());
	CHECK_OK(rump_sys_close(wt[1]));
	CHECK_EQ(ru_wait(c), 0);
	CHECK_EQ(ru_proc_wait_gone(ckpid), 0);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

/* In the child of the test: become a daemon and report from there. */
static void
daemon_child(int rfd, int unused_fd)
{
	char msg[256 + PATH_MAX], cwd[PATH_MAX];
	pid_t before = rump_sys_getpid();
	struct stat st;
	int null = 1, unused, unusederr;

	CHECK_OK(rump_sys_close(unused_fd));
	if (rumpclient_daemon(0, 0) != 0)
		_exit(3);
	/* Now in the daemon: the host parent has exited. */
	for (int i = 0; i < 3; i++)
		if (fstat(i, &st) != 0 || !S_ISCHR(st.st_mode) ||
		    st.st_rdev != makedev(1, 3))
			null = 0;
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		snprintf(cwd, sizeof(cwd), "?");
	errno = 0;
	unused = rump_sys_fcntl(unused_fd, F_GETFD);
	unusederr = errno;
	snprintf(msg, sizeof(msg), "before=%d pid=%d ppid=%d sid=%d null=%d "
	    "cwd=%s unused=%d/%d", before, rump_sys_getpid(), rump_sys_getppid(),
	    getsid(0) == getpid(), null, cwd, unused, unusederr);
	rump_sys_write(rfd, msg, strlen(msg));
	_exit(0);
}

TEST(daemon)
{
	struct ru_server s;
	char msg[512], cwd[PATH_MAX];
	int before, pid, ppid, sid, null, unused, unusederr, p[2];
	pid_t c;

	connect_new(&s, RU_UNIX);
	CHECK_OK(rump_sys_pipe(p));
	c = rumpclient_fork();
	if (c == 0)
		daemon_child(p[1], p[0]);
	CHECK(c > 0);
	CHECK_OK(rump_sys_close(p[1]));
	/* rumpclient_daemon's parent exits at once with status 0. */
	CHECK_EQ(ru_wait(c), 0);
	/* The message comes from the daemon; EOF once it has exited. */
	read_all(p[0], msg, sizeof(msg));
	CHECK_EQ(sscanf(msg, "before=%d pid=%d ppid=%d sid=%d null=%d "
	    "cwd=%s unused=%d/%d", &before, &pid, &ppid, &sid, &null, cwd,
	    &unused, &unusederr), 8);
	CHECK(before > 1);
	CHECK(pid > 1 && pid != before && pid != rump_sys_getpid());
	/* Its kernel parent is the process that called daemon; that one
	 * may have exited already, and then init has adopted it. */
	CHECK(ppid == before || ppid == 1);
	CHECK_EQ(sid, 1);
	CHECK_EQ(null, 1);
	CHECK_STR(cwd, "/");
	CHECK_EQ(unused, -1);
	CHECK_EQ(unusederr, EBADF);
	CHECK_EQ(ru_proc_wait_gone(pid), 0);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}
