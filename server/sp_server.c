/*
 * sp_server.c: listening, accepting and stopping.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sp_server.h"

/* Refuse to replace a unix socket some live server is listening on. */
static int
unix_path_in_use(const struct wire_addr *a)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int inuse;

	if (fd < 0)
		return 0;
	inuse = connect(fd, (const struct sockaddr *)&a->sa, a->salen) == 0;
	close(fd);
	return inuse;
}

/* "address:port" of a tcp address, for messages. */
static void
inet_string(const struct wire_addr *a, char *buf, size_t len)
{
	char host[64] = "?", serv[16] = "?";

	getnameinfo((const struct sockaddr *)&a->sa, a->salen, host,
	    sizeof(host), serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(buf, len, a->family == AF_INET6 ? "[%s]:%s" : "%s:%s", host,
	    serv);
}

/* Bind: a unix socket is created owner-only (mode 0600). */
static int
bind_socket(struct sp_server *ss, char *err, size_t errlen)
{
	struct wire_addr *a = &ss->ss_addr;
	struct stat st;
	int one = 1;

	if (a->family == AF_UNIX && lstat(a->path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s exists and is not a socket",
			    a->path);
			return EEXIST;
		}
		if (unix_path_in_use(a)) {
			snprintf(err, errlen, "%s: a server is already "
			    "listening there", a->path);
			return EADDRINUSE;
		}
		unlink(a->path);		/* a stale socket */
	}
	if (a->family != AF_UNIX)
		setsockopt(ss->ss_listenfd, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one));
	if (a->family == AF_UNIX) {
		/* Created owner-only from the start: no window of 0777. */
		mode_t old = umask(0177);
		int rv = bind(ss->ss_listenfd, (const struct sockaddr *)&a->sa,
		    a->salen);
		int e = errno;

		umask(old);
		if (rv != 0) {
			snprintf(err, errlen, "cannot bind %s: %s", a->path,
			    strerror(e));
			return e;
		}
	} else if (bind(ss->ss_listenfd, (const struct sockaddr *)&a->sa,
	    a->salen) != 0) {
		int e = errno;
		char where[96];

		inet_string(a, where, sizeof(where));
		snprintf(err, errlen, "cannot bind %s: %s", where, strerror(e));
		return e;
	}
	if (a->family == AF_UNIX && chmod(a->path, 0600) != 0) {
		int e = errno;

		snprintf(err, errlen, "chmod %s: %s", a->path, strerror(e));
		unlink(a->path);
		return e;
	}
	/* Only a socket we created is ours to remove. */
	ss->ss_unlink = a->family == AF_UNIX;
	return 0;
}

int
sp_server_open(struct sp_server *ss, const char *url, int verbose, char *err,
    size_t errlen)
{
	int error;

	memset(ss, 0, sizeof(*ss));
	ss->ss_listenfd = -1;
	ss->ss_wakepipe[0] = ss->ss_wakepipe[1] = -1;
	ss->ss_verbose = verbose;
	pthread_mutex_init(&ss->ss_lock, NULL);
	pthread_cond_init(&ss->ss_cv, NULL);
	if ((error = wire_parse_url(url, &ss->ss_addr, err, errlen)) != 0)
		return error;
	if (pipe2(ss->ss_wakepipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		error = errno;
		snprintf(err, errlen, "pipe: %s", strerror(error));
		return error;
	}
	ss->ss_listenfd = socket(ss->ss_addr.family, SOCK_STREAM | SOCK_CLOEXEC,
	    0);
	if (ss->ss_listenfd < 0) {
		error = errno;
		snprintf(err, errlen, "socket: %s", strerror(error));
		return error;
	}
	if ((error = bind_socket(ss, err, errlen)) != 0)
		return error;
	if (listen(ss->ss_listenfd, 1024) != 0) {
		error = errno;
		snprintf(err, errlen, "listen: %s", strerror(error));
		return error;
	}
	sp_conn_hooks_install();
	return 0;
}

void
sp_server_stop(struct sp_server *ss)
{
	char c = 1;
	ssize_t n;

	n = write(ss->ss_wakepipe[1], &c, 1);
	(void)n;
}

int
sp_server_run(struct sp_server *ss)
{
	struct pollfd pfd[2] = {
		{ .fd = ss->ss_listenfd, .events = POLLIN },
		{ .fd = ss->ss_wakepipe[0], .events = POLLIN },
	};

	for (;;) {
		int fd;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (pfd[1].revents != 0)
			break;
		if (!(pfd[0].revents & POLLIN))
			continue;
		fd = accept4(ss->ss_listenfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE) {
				fprintf(stderr, "rump_server: accept: %s\n",
				    strerror(errno));
				usleep(100000);
			}
			continue;
		}
		if (sp_conn_start(ss, fd) != 0)
			close(fd);
	}
	pthread_mutex_lock(&ss->ss_lock);
	ss->ss_stopping = 1;
	pthread_mutex_unlock(&ss->ss_lock);
	sp_conn_shutdown_all(ss);
	sp_fork_expire(ss, 1);
	return 0;
}

void
sp_server_close(struct sp_server *ss)
{
	if (ss->ss_listenfd >= 0) {
		close(ss->ss_listenfd);
		ss->ss_listenfd = -1;
		if (ss->ss_unlink)
			unlink(ss->ss_addr.path);
	}
	for (int i = 0; i < 2; i++)
		if (ss->ss_wakepipe[i] >= 0)
			close(ss->ss_wakepipe[i]);
}
