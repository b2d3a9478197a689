/*
 * rc_conn.c: connecting, the handshake, reconnecting after a broken
 * connection (rumpclient_setconnretry), and rumpclient_init.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "rc_internal.h"

struct rc_state rc = {
	.rc_lock = PTHREAD_MUTEX_INITIALIZER,
	.rc_sendlock = PTHREAD_MUTEX_INITIALIZER,
	.rc_chanlock = PTHREAD_MUTEX_INITIALIZER,
	.rc_fd = -1,
	.rc_retry = 0,
};
static pthread_mutex_t rc_initlock = PTHREAD_MUTEX_INITIALIZER;

const char *
rc_progname(void)
{
	extern char *program_invocation_short_name;

	return program_invocation_short_name != NULL ?
	    program_invocation_short_name : "rumpclient";
}

/* Send HELLO on fd and read the reply: 0 with the kernel pid, or errno. */
static int
handshake(int fd, int kind, const uint8_t *cookie, int32_t *pidp)
{
	const char *name = rc_progname();
	size_t namelen = strnlen(name, 31);
	uint8_t b[WIRE_HDRLEN + 40 + 32];
	struct wire_hdr h = { .type = WIRE_HELLO };
	struct wire_wr wr;
	struct iovec iov;
	uint8_t *reply = NULL;
	int error;

	wire_wr_init(&wr, b, sizeof(b));
	wire_wrbytes(&wr, b, WIRE_HDRLEN);		/* header, below */
	wire_wrbytes(&wr, WIRE_MAGIC, 8);
	wire_wr32(&wr, WIRE_VERSION);
	wire_wr32(&wr, (uint32_t)kind);
	if (cookie != NULL)
		wire_wrbytes(&wr, cookie, WIRE_COOKIELEN);
	else {
		uint8_t zero[WIRE_COOKIELEN] = { 0 };

		wire_wrbytes(&wr, zero, WIRE_COOKIELEN);
	}
	wire_wr32(&wr, (uint32_t)getpid());
	wire_wr32(&wr, (uint32_t)namelen);
	wire_wrbytes(&wr, name, namelen);
	h.len = (uint32_t)wr.len;
	wire_hdr_encode(b, &h);
	iov.iov_base = b;
	iov.iov_len = wr.len;
	if ((error = rc_write_all(fd, &iov, 1)) != 0)
		return error;
	rc.rc_rlen = 0;
	if ((error = rc_read_frame_sync(fd, &h, &reply)) != 0)
		return error;
	if (h.type != WIRE_HELLO_REPLY || h.len != WIRE_HDRLEN + 8)
		error = EPROTO;
	else if (h.error != 0)
		error = (int)h.error;
	else
		*pidp = (int32_t)wire_get32(reply + WIRE_HDRLEN + 4);
	free(reply);
	return error;
}

/* A new socket connected to the server. */
static int
dial(int *fdp)
{
	int fd, one = 1;

	fd = socket(rc.rc_addr.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	while (connect(fd, (struct sockaddr *)&rc.rc_addr.sa,
	    rc.rc_addr.salen) != 0) {
		int e = errno;

		if (e == EINTR)
			continue;
		close(fd);
		return e;
	}
	if (rc.rc_addr.family != AF_UNIX)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	*fdp = fd;
	return 0;
}

int
rc_connect(int kind, const uint8_t *cookie, int execfd)
{
	uint8_t *chan = NULL;
	int32_t pid = -1;
	int fd = -1, error;

	if (execfd >= 0)
		fd = execfd;
	else if ((error = dial(&fd)) != 0)
		return error;
	if ((error = handshake(fd, kind, cookie, &pid)) != 0 ||
	    (error = rc_chan_request(fd, &chan)) != 0) {
		close(fd);
		return error;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	rc_chan_install(chan);
	pthread_mutex_lock(&rc.rc_lock);
	rc.rc_fd = fd;
	rc.rc_pid = pid;
	rc.rc_generation++;
	pthread_mutex_unlock(&rc.rc_lock);
	return 0;
}

/* Sleep up to ms milliseconds between reconnection attempts. */
static void
pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Close the broken socket once no thread is reading it. */
static void
drop_old_connection(uint64_t generation)
{
	pthread_mutex_lock(&rc.rc_lock);
	while (rc.rc_reading) {
		pthread_mutex_unlock(&rc.rc_lock);
		pause_ms(1);
		pthread_mutex_lock(&rc.rc_lock);
	}
	if (rc.rc_generation == generation && rc.rc_fd >= 0) {
		rc_chan_close();
		close(rc.rc_fd);
		rc.rc_fd = -1;
		rc.rc_rlen = 0;
	}
	pthread_mutex_unlock(&rc.rc_lock);
}

int
rc_reconnect(uint64_t generation)
{
	static pthread_mutex_t relock = PTHREAD_MUTEX_INITIALIZER;
	time_t policy = rc.rc_retry, start = time(NULL);
	int error = ENOTCONN, attempts = 0;

	pthread_mutex_lock(&relock);
	if (rc.rc_generation != generation && rc.rc_fd >= 0) {
		pthread_mutex_unlock(&relock);	/* someone else reconnected */
		return 0;
	}
	drop_old_connection(generation);
	if (policy == RUMPCLIENT_RETRYCONN_DIE) {
		fprintf(stderr, "rumpclient: connection to %s lost\n",
		    rc.rc_url);
		exit(1);
	}
	while (policy != 0) {
		attempts++;
		if ((error = rc_connect(WIRE_KIND_NEW, NULL, -1)) == 0)
			break;
		if (policy == RUMPCLIENT_RETRYCONN_ONCE ||
		    (policy > 0 && time(NULL) - start >= policy))
			break;
		pause_ms(attempts < 10 ? 100 : 1000);
	}
	pthread_mutex_unlock(&relock);
	return policy == 0 ? ENOTCONN : error;
}

void
rumpclient_setconnretry(time_t retrytime)
{
	if (retrytime < RUMPCLIENT_RETRYCONN_DIE)
		return;			/* not a value rumpclient(3) defines */
	rc.rc_retry = retrytime;
}

/* An execd program inherits the connection through the environment. */
static int
exec_fd(void)
{
	const char *s = getenv(RC_EXECFD_ENV);
	struct stat st;
	char *end;
	long fd;

	if (s == NULL)
		return -1;
	fd = strtol(s, &end, 10);
	unsetenv(RC_EXECFD_ENV);
	if (*end != '\0' || fd < 0 || fd > 1 << 20 ||
	    fstat((int)fd, &st) != 0 || !S_ISSOCK(st.st_mode))
		return -1;
	return (int)fd;
}

int
rumpclient_init(void)
{
	char err[256];
	const char *url;
	int error = 0, efd;

	pthread_mutex_lock(&rc_initlock);
	if (rc.rc_inited)
		goto out;
	if ((url = getenv("RUMP_SERVER")) == NULL) {
		error = ENOENT;
		goto out;
	}
	if ((error = wire_parse_url(url, &rc.rc_addr, err, sizeof(err)))) {
		fprintf(stderr, "rumpclient: %s\n", err);
		goto out;
	}
	snprintf(rc.rc_url, sizeof(rc.rc_url), "%s", url);
	rc_chan_busypoll_setup();
	efd = exec_fd();
	error = rc_connect(efd >= 0 ? WIRE_KIND_EXEC : WIRE_KIND_NEW, NULL,
	    efd);
	if (error == 0)
		__atomic_store_n(&rc.rc_inited, 1, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&rc_initlock);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

/* In a fork child: other threads are gone; start from clean locks. */
void
rc_reset_after_fork(void)
{
	pthread_mutex_init(&rc.rc_lock, NULL);
	pthread_mutex_init(&rc.rc_sendlock, NULL);
	rc_chan_forget();
	rc.rc_reading = 0;
	rc.rc_waiters = NULL;
	rc.rc_rlen = 0;
}
