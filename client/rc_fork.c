/*
 * rc_fork.c: fork, exec and daemon for rumpclient programs.
 *
 * fork: the parent asks the server to prepare a child process (PREFORK,
 * which copies the parent's descriptors) and gets a cookie; after the
 * host fork the child opens its own connection and claims the prepared
 * process with the cookie.  exec: the connection's socket survives the
 * host execve and its number travels in the environment; the new
 * program's rumpclient_init() announces itself on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "rc_internal.h"

struct rumpclient_fork {
	uint8_t rf_cookie[WIRE_COOKIELEN];
};

struct rumpclient_fork *
rumpclient_prefork(void)
{
	struct rumpclient_fork *rf;
	uint8_t hdr[WIRE_HDRLEN];
	struct iovec iov = { hdr, sizeof(hdr) };
	struct wire_hdr h;
	uint8_t *reply;
	int error;

	if (!rc.rc_inited && rumpclient_init() != 0)
		return NULL;
	if ((error = rc_call(WIRE_PREFORK, 0, &iov, 1, &h, &reply)) != 0) {
		errno = error;
		return NULL;
	}
	if (h.type != WIRE_PREFORK_REPLY || h.error != 0 ||
	    h.len != WIRE_HDRLEN + WIRE_COOKIELEN) {
		free(reply);
		errno = h.error != 0 ? (int)h.error : EPROTO;
		return NULL;
	}
	if ((rf = malloc(sizeof(*rf))) == NULL) {
		free(reply);
		errno = ENOMEM;
		return NULL;
	}
	memcpy(rf->rf_cookie, reply + WIRE_HDRLEN, WIRE_COOKIELEN);
	free(reply);
	return rf;
}

int
rumpclient_fork_init(struct rumpclient_fork *rf)
{
	int error;

	rc_reset_after_fork();
	if (rc.rc_fd >= 0)
		close(rc.rc_fd);	/* the parent's connection */
	rc.rc_fd = -1;
	error = rc_connect(WIRE_KIND_FORK, rf->rf_cookie, -1);
	free(rf);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

void
rumpclient_fork_cancel(struct rumpclient_fork *rf)
{
	uint8_t b[WIRE_HDRLEN + WIRE_COOKIELEN];
	struct iovec iov = { b, sizeof(b) };
	struct wire_hdr h;
	uint8_t *reply;
	int saved = errno;

	memcpy(b + WIRE_HDRLEN, rf->rf_cookie, WIRE_COOKIELEN);
	if (rc_call(WIRE_FORK_CANCEL, 0, &iov, 1, &h, &reply) == 0)
		free(reply);
	free(rf);
	errno = saved;
}

/* fork(2) with the kernel process forked too. */
pid_t
rumpclient_fork(void)
{
	struct rumpclient_fork *rf = rumpclient_prefork();
	pid_t pid;

	if (rf == NULL)
		return -1;
	switch ((pid = fork())) {
	case -1:
		rumpclient_fork_cancel(rf);
		return -1;
	case 0:
		if (rumpclient_fork_init(rf) != 0)
			fprintf(stderr, "rumpclient: fork child cannot "
			    "connect: %s\n", strerror(errno));
		return 0;
	default:
		free(rf);
		return pid;
	}
}

pid_t
rumpclient_vfork(void)
{
	return rumpclient_fork();
}

/* envp plus our connection's descriptor number. */
static char **
exec_environment(char *const envp[], int fd)
{
	size_t n = 0, j = 0;
	char **env;

	while (envp != NULL && envp[n] != NULL)
		n++;
	if ((env = calloc(n + 2, sizeof(*env))) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(envp[i], RC_EXECFD_ENV "=",
		    sizeof(RC_EXECFD_ENV)) != 0)
			env[j++] = envp[i];
	if (asprintf(&env[j], "%s=%d", RC_EXECFD_ENV, fd) < 0) {
		free(env);
		return NULL;
	}
	return env;
}

int
rumpclient_exec(const char *path, char *const argv[], char *const envp[])
{
	char **env;
	int fd = rc.rc_fd, saved;

	if (fd < 0) {
		errno = ENOTCONN;
		return -1;
	}
	if ((env = exec_environment(envp, fd)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	fcntl(fd, F_SETFD, 0);
	execve(path, argv, env);
	saved = errno;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	for (size_t i = 0; env[i] != NULL; i++)
		if (strncmp(env[i], RC_EXECFD_ENV "=",
		    sizeof(RC_EXECFD_ENV)) == 0)
			free(env[i]);
	free(env);
	errno = saved;
	return -1;
}

int
rumpclient_daemon(int nochdir, int noclose)
{
	struct rumpclient_fork *rf = rumpclient_prefork();
	int fd;

	if (rf == NULL)
		return -1;
	switch (fork()) {
	case -1:
		rumpclient_fork_cancel(rf);
		return -1;
	case 0:
		break;
	default:
		_exit(0);
	}
	if (setsid() == -1 || rumpclient_fork_init(rf) != 0)
		return -1;
	if (!nochdir && chdir("/") != 0)
		return -1;
	if (!noclose && (fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return 0;
}
