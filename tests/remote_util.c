/*
 * remote_util.c: servers, client processes and the kernel process table
 * for the remote system call tests (see remote_util.h).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "remote_util.h"

#define RU_START_WAIT_MS	30000	/* a server under a sanitizer is slow */
#define RU_GONE_WAIT_MS		30000

/* The directory of this program, without the trailing slash. */
static const char *
self_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n;
	char *slash;

	if (dir[0] != '\0')
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0) {
		snprintf(dir, sizeof(dir), ".");
		return dir;
	}
	dir[n] = '\0';
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	return dir;
}

const char *
ru_server_bin(void)
{
	static char path[PATH_MAX + 32];

	if (path[0] == '\0')
		snprintf(path, sizeof(path), "%s/../bin/rump_server",
		    self_dir());
	return path;
}

const char *
ru_self_bin(void)
{
	static char path[PATH_MAX];
	ssize_t n;

	if (path[0] == '\0') {
		n = readlink("/proc/self/exe", path, sizeof(path) - 1);
		path[n > 0 ? n : 0] = '\0';
	}
	return path;
}

void
ru_msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* A tcp port on 127.0.0.1 that nobody listens on right now. */
static int
free_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd, port = -1;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

int
ru_server_init(struct ru_server *s, enum ru_transport t)
{
	memset(s, 0, sizeof(*s));
	s->rs_pid = -1;
	s->rs_transport = t;
	snprintf(s->rs_dir, sizeof(s->rs_dir), "/tmp/rump-rt.XXXXXX");
	if (mkdtemp(s->rs_dir) == NULL) {
		TFAIL("mkdtemp: %s", strerror(errno));
		s->rs_dir[0] = '\0';
		return -1;
	}
	if (t == RU_UNIX) {
		snprintf(s->rs_path, sizeof(s->rs_path), "%s/sock", s->rs_dir);
		snprintf(s->rs_url, sizeof(s->rs_url), "unix://%s",
		    s->rs_path);
		return 0;
	}
	if ((s->rs_port = free_port()) <= 0) {
		TFAIL("no free tcp port");
		return -1;
	}
	snprintf(s->rs_url, sizeof(s->rs_url), "tcp://127.0.0.1:%d",
	    s->rs_port);
	return 0;
}

int
ru_server_reachable(const struct ru_server *s)
{
	union {
		struct sockaddr sa;
		struct sockaddr_un sun;
		struct sockaddr_in sin;
	} a;
	socklen_t len;
	int fd, ok;

	memset(&a, 0, sizeof(a));
	if (s->rs_transport == RU_UNIX) {
		a.sun.sun_family = AF_UNIX;
		memcpy(a.sun.sun_path, s->rs_path, sizeof(a.sun.sun_path) - 1);
		len = sizeof(a.sun);
	} else {
		a.sin.sin_family = AF_INET;
		a.sin.sin_port = htons((uint16_t)s->rs_port);
		a.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(a.sin);
	}
	fd = socket(a.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	ok = connect(fd, &a.sa, len) == 0;
	close(fd);
	return ok;
}

int
ru_server_start(struct ru_server *s)
{
	pid_t parent = getpid(), pid;

	fflush(NULL);
	if ((pid = fork()) < 0) {
		TFAIL("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* Do not outlive a test that dies (time limit, crash). */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(127);
		execl(ru_server_bin(), "rump_server", "-s", s->rs_url,
		    (char *)NULL);
		fprintf(stderr, "exec %s: %s\n", ru_server_bin(),
		    strerror(errno));
		_exit(127);
	}
	s->rs_pid = pid;
	for (int waited = 0; waited < RU_START_WAIT_MS; waited += 10) {
		int status;

		if (waitpid(pid, &status, WNOHANG) == pid) {
			s->rs_pid = -1;
			TFAIL("rump_server %s exited during startup (status "
			    "%#x)", s->rs_url, status);
			return -1;
		}
		if (ru_server_reachable(s)) {
			setenv("RUMP_SERVER", s->rs_url, 1);
			return 0;
		}
		ru_msleep(10);
	}
	TFAIL("rump_server %s never accepted connections", s->rs_url);
	return -1;
}

int
ru_server_new(struct ru_server *s, enum ru_transport t)
{
	if (ru_server_init(s, t) != 0)
		return -1;
	return ru_server_start(s);
}

int
ru_server_stop(struct ru_server *s)
{
	int status;

	if (s->rs_pid <= 0)
		return -1;
	kill(s->rs_pid, SIGTERM);
	status = ru_wait(s->rs_pid);
	s->rs_pid = -1;
	return status;
}

void
ru_server_destroy(struct ru_server *s)
{
	char path[sizeof(s->rs_dir) + 300];
	struct dirent *de;
	DIR *d;

	if (s->rs_pid > 0) {
		kill(s->rs_pid, SIGKILL);
		ru_wait(s->rs_pid);
		s->rs_pid = -1;
	}
	if (s->rs_dir[0] == '\0' || (d = opendir(s->rs_dir)) == NULL)
		return;
	/* The tests put only plain files and sockets there. */
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", s->rs_dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(s->rs_dir);
	s->rs_dir[0] = '\0';
}

/* Read what is left in a pipe whose writers may still exist. */
static size_t
drain(int fd, char *out, size_t len, size_t got)
{
	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (got + 1 < len) {
		ssize_t n = read(fd, out + got, len - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

int
ru_run_server(char *const argv[], char *out, size_t outlen)
{
	int p[2], status;
	size_t got = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		execv(ru_server_bin(), argv);
		_exit(127);
	}
	close(p[1]);
	status = ru_wait(pid);
	got = drain(p[0], out, outlen, got);
	out[got] = '\0';
	close(p[0]);
	return status;
}

int
ru_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

void
ru_child_exit(void)
{
	fflush(NULL);
	_exit(test_failures ? 1 : 0);
}

pid_t
ru_spawn(void (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) < 0) {
		TFAIL("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		test_failures = 0;
		fn(arg);
		ru_child_exit();
	}
	return pid;
}

/* Call fn for every kernel process until it returns nonzero. */
static int
proc_walk(int (*fn)(const struct kprocinfo *, void *), void *arg)
{
	struct kprocinfo buf[32];
	pid_t after = 0;
	int n;

	while ((n = rump_sys_getprocs(after, buf, 32)) > 0) {
		for (int i = 0; i < n; i++)
			if (fn(&buf[i], arg) != 0)
				return 1;
		after = buf[n - 1].pi_pid;
	}
	if (n < 0)
		TFAIL("getprocs: %s", strerror(errno));
	return 0;
}

struct find_arg {
	pid_t pid;
	struct kprocinfo *pi;
};

static int
find_one(const struct kprocinfo *pi, void *arg)
{
	struct find_arg *fa = arg;

	if (pi->pi_pid != fa->pid)
		return 0;
	*fa->pi = *pi;
	return 1;
}

int
ru_proc_find(pid_t pid, struct kprocinfo *pi)
{
	struct kprocinfo dummy;
	struct find_arg fa = { pid, pi != NULL ? pi : &dummy };

	return proc_walk(find_one, &fa) ? 0 : -1;
}

struct count_arg {
	pid_t ppid;
	int n;
};

static int
count_children(const struct kprocinfo *pi, void *arg)
{
	struct count_arg *ca = arg;

	if (pi->pi_ppid == ca->ppid)
		ca->n++;
	return 0;
}

int
ru_proc_nchildren(pid_t ppid)
{
	struct count_arg ca = { ppid, 0 };

	proc_walk(count_children, &ca);
	return ca.n;
}

int
ru_proc_wait_gone(pid_t pid)
{
	for (int waited = 0; waited < RU_GONE_WAIT_MS; waited += 10) {
		if (ru_proc_find(pid, NULL) != 0)
			return 0;
		ru_msleep(10);
	}
	return -1;
}

int
ru_proc_wait_nlwps(pid_t pid, int n)
{
	struct kprocinfo pi;

	for (int waited = 0; waited < 10000; waited += 5) {
		if (ru_proc_find(pid, &pi) == 0 && pi.pi_nlwps >= n)
			return 0;
		ru_msleep(5);
	}
	return -1;
}

int
ru_readn(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

int
ru_writen(int fd, const void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = write(fd, (const char *)buf + done, n - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

/* Child mode: see remote_util.h. */
static struct {
	const char *name;
	ru_child_fn fn;
} ru_children[16];
static int ru_nchildren;

void
ru_child_register(const char *name, ru_child_fn fn)
{
	if (ru_nchildren < (int)(sizeof(ru_children) / sizeof(ru_children[0]))) {
		ru_children[ru_nchildren].name = name;
		ru_children[ru_nchildren].fn = fn;
		ru_nchildren++;
	}
}

/* Runs after the RU_CHILD_MAIN registrations (priority 200), before
 * main(): glibc passes constructors argc, argv and envp. */
__attribute__((constructor(300))) static void
ru_child_dispatch(int argc, char **argv, char **envp)
{
	const char *mode = getenv("RU_CHILD");

	(void)envp;
	if (mode == NULL)
		return;
	for (int i = 0; i < ru_nchildren; i++) {
		if (strcmp(ru_children[i].name, mode) == 0) {
			unsetenv("RU_CHILD");
			setvbuf(stdout, NULL, _IOLBF, 0);
			exit(ru_children[i].fn(argc, argv));
		}
	}
	fprintf(stderr, "RU_CHILD=%s: no such child mode\n", mode);
	exit(127);
}
