/*
 * remote_procs_test.c: many client processes on one server: 100 clients
 * at once, fork trees that inherit descriptors, two processes talking
 * through a kernel pipe, a client killed while blocked, and kill(2)
 * between clients reaching the host process.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "remote_util.h"

#define NCLIENTS	100
#define CLIENT_FILE	(16 * 1024)

/* Byte j of client i's file. */
static char
pattern(int i, size_t j)
{
	return (char)('a' + (i * 31 + j * 7 + j / 1000) % 26);
}

struct crowd {
	int	ready[2];	/* clients -> test: (i, pid) records */
	int	go[2];		/* closed by the test: start */
	int	i;
};

struct crowd_rec {
	int32_t	i;
	int32_t	pid;
};

/* One of the 100: a file workout in its own directory. */
static void
crowd_client(void *arg)
{
	struct crowd *cw = arg;
	static char buf[CLIENT_FILE], back[CLIENT_FILE];
	struct crowd_rec rec = { cw->i, 0 };
	char dir[32], path[48], path2[48], c;
	struct stat st;
	int fd, p[2];

	close(cw->go[1]);
	CHECK_EQ(rumpclient_init(), 0);
	rec.pid = rump_sys_getpid();
	CHECK_EQ(ru_writen(cw->ready[1], &rec, sizeof(rec)), 0);
	CHECK_EQ(read(cw->go[0], &c, 1), 0);	/* EOF: everyone is in */

	snprintf(dir, sizeof(dir), "/c%d", cw->i);
	snprintf(path, sizeof(path), "%s/data", dir);
	snprintf(path2, sizeof(path2), "%s/final", dir);
	for (size_t j = 0; j < sizeof(buf); j++)
		buf[j] = pattern(cw->i, j);
	CHECK_OK(rump_sys_mkdir(dir, 0700));
	CHECK_OK(rump_sys_chdir(dir));
	fd = CHECK_OK(rump_sys_open("data", O_RDWR | O_CREAT | O_EXCL, 0600));
	for (size_t off = 0; off < sizeof(buf); off += 1000) {
		size_t n = sizeof(buf) - off < 1000 ? sizeof(buf) - off : 1000;

		CHECK_EQ(rump_sys_write(fd, buf + off, n), (ssize_t)n);
	}
	CHECK_OK(rump_sys_fsync(fd));
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_size, sizeof(buf));
	CHECK_EQ(rump_sys_pread(fd, back, sizeof(back), 0), sizeof(back));
	CHECK(memcmp(buf, back, sizeof(buf)) == 0);
	CHECK_OK(rump_sys_close(fd));
	CHECK_OK(rump_sys_rename(path, path2));
	CHECK_ERR(rump_sys_stat(path, &st), ENOENT);
	CHECK_OK(rump_sys_stat(path2, &st));
	CHECK_EQ(st.st_size, sizeof(buf));
	/* A pipe round trip inside this process. */
	CHECK_OK(rump_sys_pipe(p));
	CHECK_EQ(rump_sys_write(p[1], dir, strlen(dir)), (ssize_t)strlen(dir));
	memset(back, 0, 64);
	CHECK_EQ(rump_sys_read(p[0], back, 64), (ssize_t)strlen(dir));
	CHECK_STR(back, dir);
	CHECK_EQ(rump_sys_getpid(), rec.pid);
}

TEST(hundred_clients_at_once)
{
	static char back[CLIENT_FILE];
	pid_t pids[NCLIENTS], kpids[NCLIENTS] = { 0 };
	struct ru_server s;
	struct crowd cw;
	int i, fd;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	CHECK_OK(pipe(cw.ready));
	CHECK_OK(pipe(cw.go));
	for (i = 0; i < NCLIENTS; i++) {
		cw.i = i;
		pids[i] = ru_spawn(crowd_client, &cw);
		CHECK(pids[i] > 0);
	}
	/* All connected (each a process with its own pid), then go. */
	for (i = 0; i < NCLIENTS; i++) {
		struct crowd_rec rec;

		if (ru_readn(cw.ready[0], &rec, sizeof(rec)) != 0) {
			TFAIL("only %d clients connected", i);
			break;
		}
		CHECK(rec.i >= 0 && rec.i < NCLIENTS && kpids[rec.i] == 0);
		if (rec.i >= 0 && rec.i < NCLIENTS)
			kpids[rec.i] = rec.pid;
		CHECK(rec.pid > 1);
	}
	for (i = 0; i < NCLIENTS; i++)
		for (int j = i + 1; j < NCLIENTS; j++)
			if (kpids[i] == kpids[j])
				TFAIL("clients %d and %d have pid %d", i, j,
				    kpids[i]);
	close(cw.go[1]);
	for (i = 0; i < NCLIENTS; i++)
		if (ru_wait(pids[i]) != 0)
			TFAIL("client %d failed", i);
	/* Everything they wrote is there; their processes are gone. */
	CHECK_EQ(rumpclient_init(), 0);
	for (i = 0; i < NCLIENTS; i++) {
		char path[48];
		struct stat st;

		snprintf(path, sizeof(path), "/c%d/final", i);
		fd = CHECK_OK(rump_sys_open(path, O_RDONLY));
		CHECK_OK(rump_sys_fstat(fd, &st));
		CHECK_EQ(st.st_mode & 07777, 0600);
		CHECK_EQ(rump_sys_read(fd, back, sizeof(back)), sizeof(back));
		for (size_t j = 0; j < sizeof(back); j++) {
			if (back[j] != pattern(i, j)) {
				TFAIL("client %d's file differs at %zu", i, j);
				break;
			}
		}
		CHECK_OK(rump_sys_close(fd));
		CHECK_EQ(ru_proc_wait_gone(kpids[i]), 0);
	}
	CHECK_EQ(ru_proc_nchildren(1), 1);	/* only us */
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

/*
 * A fork tree: the test (A) forks B, B forks C.  All share one open file
 * and its offset; each reports its pid and parent through a kernel pipe.
 */
static void
tree_grandchild(int fd, int rep)
{
	char buf[64];
	int n;

	CHECK_EQ(rump_sys_read(fd, buf, 2), 2);
	CHECK(memcmp(buf, "23", 2) == 0);
	n = snprintf(buf, sizeof(buf), "C %d %d\n", rump_sys_getpid(),
	    rump_sys_getppid());
	CHECK_EQ(rump_sys_write(rep, buf, (size_t)n), n);
	ru_child_exit();
}

static void
tree_child(int fd, int rep)
{
	char buf[64];
	pid_t c;
	int n;

	CHECK_EQ(rump_sys_read(fd, buf, 2), 2);
	CHECK(memcmp(buf, "01", 2) == 0);
	c = rumpclient_fork();
	if (c == 0)
		tree_grandchild(fd, rep);
	CHECK(c > 0);
	CHECK_EQ(ru_wait(c), 0);
	/* The grandchild moved our shared offset. */
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 4);
	n = snprintf(buf, sizeof(buf), "B %d %d\n", rump_sys_getpid(),
	    rump_sys_getppid());
	CHECK_EQ(rump_sys_write(rep, buf, (size_t)n), n);
	ru_child_exit();
}

TEST(fork_tree_inherits_fds)
{
	struct ru_server s;
	char msg[256];
	int fd, p[2], bpid, bppid, cpid, cppid;
	ssize_t n, got = 0;
	pid_t me, c;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	CHECK_EQ(rumpclient_init(), 0);
	me = rump_sys_getpid();
	fd = CHECK_OK(rump_sys_open("/tree", O_RDWR | O_CREAT, 0644));
	CHECK_EQ(rump_sys_pwrite(fd, "0123456789", 10, 0), 10);
	CHECK_OK(rump_sys_pipe(p));
	c = rumpclient_fork();
	if (c == 0) {
		CHECK_OK(rump_sys_close(p[0]));
		tree_child(fd, p[1]);
	}
	CHECK(c > 0);
	CHECK_OK(rump_sys_close(p[1]));
	while (got < (ssize_t)sizeof(msg) - 1 &&
	    (n = rump_sys_read(p[0], msg + got, sizeof(msg) - 1 - got)) > 0)
		got += n;
	msg[got] = '\0';
	CHECK_EQ(ru_wait(c), 0);
	CHECK_EQ(sscanf(msg, "C %d %d\nB %d %d\n", &cpid, &cppid, &bpid,
	    &bppid), 4);
	CHECK_EQ(bppid, me);
	CHECK_EQ(cppid, bpid);
	CHECK(bpid != me && cpid != me && cpid != bpid);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 4);
	CHECK_EQ(rump_sys_read(fd, msg, 2), 2);
	CHECK(memcmp(msg, "45", 2) == 0);
	CHECK_EQ(ru_proc_wait_gone(bpid), 0);
	CHECK_EQ(ru_proc_wait_gone(cpid), 0);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

#define PINGS 200

/* The other end: answer each message with its bytes incremented. */
static void
echo_child(int in, int out)
{
	char buf[64];
	ssize_t n;

	while ((n = rump_sys_read(in, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			buf[i]++;
		CHECK_EQ(rump_sys_write(out, buf, (size_t)n), n);
	}
	CHECK_EQ(n, 0);		/* EOF when the test closes its end */
	ru_child_exit();
}

static void
pipe_talk(enum ru_transport t)
{
	struct ru_server s;
	int down[2], up[2];
	char buf[64], want[64];
	pid_t c;

	CHECK_EQ(ru_server_new(&s, t), 0);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK_OK(rump_sys_pipe(down));
	CHECK_OK(rump_sys_pipe(up));
	c = rumpclient_fork();
	if (c == 0) {
		CHECK_OK(rump_sys_close(down[1]));
		CHECK_OK(rump_sys_close(up[0]));
		echo_child(down[0], up[1]);
	}
	CHECK(c > 0);
	CHECK_OK(rump_sys_close(down[0]));
	CHECK_OK(rump_sys_close(up[1]));
	for (int i = 0; i < PINGS; i++) {
		int n = snprintf(buf, sizeof(buf), "ping %d", i);

		for (int j = 0; j < n; j++)
			want[j] = (char)(buf[j] + 1);
		CHECK_EQ(rump_sys_write(down[1], buf, (size_t)n), n);
		CHECK_EQ(rump_sys_read(up[0], buf, sizeof(buf)), n);
		if (memcmp(buf, want, (size_t)n) != 0) {
			TFAIL("reply %d differs", i);
			break;
		}
	}
	CHECK_OK(rump_sys_close(down[1]));
	/* The child saw EOF and exited: its end of "up" is closed. */
	CHECK_EQ(rump_sys_read(up[0], buf, sizeof(buf)), 0);
	CHECK_EQ(ru_wait(c), 0);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

TEST(two_processes_through_pipe_unix)
{
	pipe_talk(RU_UNIX);
}

TEST(two_processes_through_pipe_tcp)
{
	pipe_talk(RU_TCP);
}

static volatile sig_atomic_t got_sigpipe;

static void
on_sigpipe(int sig)
{
	(void)sig;
	got_sigpipe++;
}

/* Block reading the pipe until killed. */
static void
blocked_reader(int rfd, int hostready)
{
	pid_t pid = rump_sys_getpid();
	char c;

	CHECK_EQ(ru_writen(hostready, &pid, sizeof(pid)), 0);
	rump_sys_read(rfd, &c, 1);
	TFAIL("the read returned");
	ru_child_exit();
}

TEST(killed_client_is_cleaned_up)
{
	struct sigaction sa = { .sa_handler = on_sigpipe };
	struct ru_server s;
	struct kprocinfo pi;
	int p[2], hp[2];
	pid_t me, c, ckpid;

	sigaction(SIGPIPE, &sa, NULL);
	/* Counting lwps tells when a call blocked: that is the socket's
	 * model (a blocked call gets a worker), so no call channel here. */
	setenv("RUMPCLIENT_NOCHANNEL", "1", 1);
	CHECK_OK(pipe(hp));
	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	CHECK_EQ(rumpclient_init(), 0);
	me = rump_sys_getpid();
	CHECK_OK(rump_sys_pipe(p));
	c = rumpclient_fork();
	if (c == 0) {
		CHECK_OK(rump_sys_close(p[1]));
		blocked_reader(p[0], hp[1]);
	}
	CHECK(c > 0);
	CHECK_OK(rump_sys_close(p[0]));
	CHECK_EQ(ru_readn(hp[0], &ckpid, sizeof(ckpid)), 0);
	CHECK_EQ(ru_proc_find(ckpid, &pi), 0);
	CHECK_EQ(pi.pi_ppid, me);
	/* Wait for the read to block in the kernel (a second lwp). */
	CHECK_EQ(ru_proc_wait_nlwps(ckpid, 2), 0);
	CHECK_EQ(rump_sys_write(p[1], "", 0), 0);	/* a reader exists */
	kill(c, SIGKILL);
	CHECK_EQ(ru_wait(c), 128 + SIGKILL);
	/* The server notices the closed connection and ends the process. */
	CHECK_EQ(ru_proc_wait_gone(ckpid), 0);
	CHECK_EQ(ru_proc_nchildren(me), 0);
	/* Its read end went with it: the writer gets EPIPE and SIGPIPE. */
	CHECK_EQ(got_sigpipe, 0);
	CHECK_ERR(rump_sys_write(p[1], "x", 1), EPIPE);
	CHECK_EQ(got_sigpipe, 1);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

static volatile sig_atomic_t got_sigusr1;

static void
on_sigusr1(int sig)
{
	(void)sig;
	got_sigusr1++;
}

struct kill_arg {
	int	hostpipe[2];	/* target -> test: its kernel pid */
};

/* No signal is left pending: a poll that must time out does. */
static void
check_no_pending_signal(void)
{
	struct pollfd pfd;
	int p[2];

	CHECK_OK(rump_sys_pipe(p));
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	CHECK_EQ(rump_sys_poll(&pfd, 1, 20), 0);
	CHECK_OK(rump_sys_close(p[0]));
	CHECK_OK(rump_sys_close(p[1]));
}

/* The target: blocked in a kernel read when SIGUSR1 comes. */
static void
kill_target(void *arg)
{
	struct kill_arg *ka = arg;
	struct sigaction sa = { .sa_handler = on_sigusr1 };	/* no SA_RESTART */
	pid_t pid;
	char c;
	int p[2];

	sigaction(SIGUSR1, &sa, NULL);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK_OK(rump_sys_pipe(p));
	pid = rump_sys_getpid();
	CHECK_EQ(ru_writen(ka->hostpipe[1], &pid, sizeof(pid)), 0);
	/* Interrupted by the signal, as a Linux read would be. */
	CHECK_ERR(rump_sys_read(p[0], &c, 1), EINTR);
	CHECK_EQ(got_sigusr1, 1);
	/* The signal was consumed: the next read is not interrupted. */
	CHECK_EQ(rump_sys_write(p[1], "z", 1), 1);
	CHECK_EQ(rump_sys_read(p[0], &c, 1), 1);
	check_no_pending_signal();
	CHECK_EQ(got_sigusr1, 1);
}

static void
kill_test(enum ru_transport t)
{
	struct ru_server s;
	struct kill_arg ka;
	pid_t c, target;

	/* Counting lwps tells when a call blocked: that is the socket's
	 * model (a blocked call gets a worker), so no call channel here. */
	setenv("RUMPCLIENT_NOCHANNEL", "1", 1);
	CHECK_OK(pipe(ka.hostpipe));
	CHECK_EQ(ru_server_new(&s, t), 0);
	c = ru_spawn(kill_target, &ka);
	CHECK_EQ(ru_readn(ka.hostpipe[0], &target, sizeof(target)), 0);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK_ERR(rump_sys_kill(target, 65), EINVAL);
	CHECK_EQ(rump_sys_kill(target, 0), 0);		/* exists; no signal */
	CHECK_EQ(ru_proc_wait_nlwps(target, 2), 0);	/* blocked in read */
	CHECK_EQ(rump_sys_kill(target, SIGUSR1), 0);
	CHECK_EQ(ru_wait(c), 0);
	CHECK_EQ(ru_proc_wait_gone(target), 0);
	CHECK_ERR(rump_sys_kill(target, SIGUSR1), ESRCH);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

TEST(kill_reaches_other_client_unix)
{
	kill_test(RU_UNIX);
}

TEST(kill_reaches_other_client_tcp)
{
	kill_test(RU_TCP);
}

/* kill(getpid(), sig) signals the caller's own host process. */
TEST(kill_self)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct ru_server s;

	sigaction(SIGUSR1, &sa, NULL);
	CHECK_EQ(ru_server_new(&s, RU_TCP), 0);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK_EQ(rump_sys_kill(rump_sys_getpid(), SIGUSR1), 0);
	CHECK_EQ(got_sigusr1, 1);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

/*
 * A signal the host process has received is not also left pending in
 * the kernel process, where it would end the next blocking call with
 * EINTR (on Linux the signal is delivered once, at the return to user
 * mode).
 */
TEST(kill_self_leaves_nothing_pending)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct ru_server s;

	sigaction(SIGUSR1, &sa, NULL);
	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK_EQ(rump_sys_kill(rump_sys_getpid(), SIGUSR1), 0);
	CHECK_EQ(got_sigusr1, 1);
	check_no_pending_signal();
	CHECK_EQ(got_sigusr1, 1);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}
