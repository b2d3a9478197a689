/*
 * rc_chan.c: the client's side of the shared-memory call channel
 * (wire/wire_chan.h, doc/protocol.md "The call channel").
 *
 * On a unix socket the client asks for a channel right after the
 * handshake.  A call then goes through it when it fits and no other
 * thread is using it; otherwise, or when the server has none to give, it
 * goes on the socket as before.  RUMPCLIENT_NOCHANNEL=1 in the
 * environment keeps every call on the socket; RUMPCLIENT_BUSYPOLL=USEC
 * makes a caller wait for its reply awake for up to USEC microseconds
 * before it sleeps.
 *
 * The server is trusted as on the socket; still, the reply frame in the
 * shared pages is checked like any received frame before it is used.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "rc_internal.h"
#include "wire_chan.h"

#define RC_BUSYPOLL_MAX_US	1000000	/* a second */

static void
chan_futex_wake(uint32_t *word, int n)
{
	syscall(SYS_futex, word, FUTEX_WAKE, n, NULL, NULL, 0);
}

/* Has the server closed or dropped the connection? */
static int
socket_broken(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLRDHUP };

	return poll(&p, 1, 0) == 1 &&
	    (p.revents & (POLLHUP | POLLERR | POLLRDHUP | POLLNVAL)) != 0;
}

/* Receive exactly n bytes; the first recvmsg also takes a passed
 * descriptor into *fdp.  0 or errno. */
static int
recv_exact(int fd, uint8_t *p, size_t n, int *fdp)
{
	while (n > 0) {
		union {
			struct cmsghdr	hdr;
			char		buf[CMSG_SPACE(sizeof(int) * 4)];
		} ctl;
		struct iovec iov = { p, n };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
		    .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
		ssize_t got = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got == 0 ? ENOTCONN : errno;
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm != NULL;
		    cm = CMSG_NXTHDR(&mh, cm)) {
			size_t nfd;

			if (cm->cmsg_level != SOL_SOCKET ||
			    cm->cmsg_type != SCM_RIGHTS)
				continue;
			nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (size_t i = 0; i < nfd; i++) {
				int pfd;

				memcpy(&pfd, CMSG_DATA(cm) + i * sizeof(int),
				    sizeof(int));
				if (*fdp < 0)
					*fdp = pfd;
				else
					close(pfd);	/* not asked for */
			}
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/* Map a channel descriptor from the server: the mapping or NULL. */
static uint8_t *
chan_map(int cfd)
{
	struct stat st;
	uint32_t magic;
	void *p;

	if (fstat(cfd, &st) != 0 || st.st_size != WIRE_CHAN_SIZE)
		return NULL;
	p = mmap(NULL, WIRE_CHAN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
	    cfd, 0);
	if (p == MAP_FAILED)
		return NULL;
	memcpy(&magic, (uint8_t *)p + WIRE_CHAN_MAGIC_OFF, sizeof(magic));
	if (magic != WIRE_CHAN_MAGIC) {
		munmap(p, WIRE_CHAN_SIZE);
		return NULL;
	}
	return p;
}

int
rc_chan_request(int fd, uint8_t **chanp)
{
	const char *off = getenv("RUMPCLIENT_NOCHANNEL");
	uint8_t b[WIRE_HDRLEN + 4];
	struct wire_hdr h = { .len = WIRE_HDRLEN, .type = WIRE_CHANNEL };
	struct iovec iov = { b, WIRE_HDRLEN };
	int cfd = -1, error;

	*chanp = NULL;
	if (rc.rc_addr.family != AF_UNIX || rc.rc_rlen != 0 ||
	    (off != NULL && *off != '\0' && strcmp(off, "0") != 0))
		return 0;
	wire_hdr_encode(b, &h);
	if ((error = rc_write_all(fd, &iov, 1)) != 0 ||
	    (error = recv_exact(fd, b, WIRE_HDRLEN, &cfd)) != 0)
		goto out;
	if (wire_hdr_decode(b, &h) != 0 || h.type != WIRE_CHANNEL_REPLY ||
	    h.len > sizeof(b) || (h.error == 0 && h.len != sizeof(b))) {
		error = EPROTO;
		goto out;
	}
	if (h.len > WIRE_HDRLEN &&
	    (error = recv_exact(fd, b + WIRE_HDRLEN, h.len - WIRE_HDRLEN,
	    &cfd)) != 0)
		goto out;
	/* A server that has no channel to give says why; calls then use
	 * the socket, which is no error. */
	if (h.error == 0 && cfd >= 0 && wire_get32(b + WIRE_HDRLEN) ==
	    WIRE_CHAN_SIZE)
		*chanp = chan_map(cfd);
out:
	if (cfd >= 0)
		close(cfd);
	return error;
}

void
rc_chan_install(uint8_t *chan)
{
	uint8_t *old;

	pthread_mutex_lock(&rc.rc_chanlock);
	pthread_mutex_lock(&rc.rc_lock);
	old = rc.rc_chan;
	rc.rc_chan = chan;
	pthread_mutex_unlock(&rc.rc_lock);
	pthread_mutex_unlock(&rc.rc_chanlock);
	if (old != NULL)
		munmap(old, WIRE_CHAN_SIZE);
}

void
rc_chan_close(void)
{
	uint32_t *st;

	if (rc.rc_chan == NULL)
		return;
	st = wire_chan_state(rc.rc_chan);
	__atomic_or_fetch(st, WIRE_CHAN_CLOSED, __ATOMIC_ACQ_REL);
	chan_futex_wake(st, INT_MAX);
}

void
rc_chan_forget(void)
{
	if (rc.rc_chan != NULL)
		munmap(rc.rc_chan, WIRE_CHAN_SIZE);
	rc.rc_chan = NULL;
	pthread_mutex_init(&rc.rc_chanlock, NULL);
}

uint8_t *
rc_chan_claim(size_t len)
{
	uint8_t *chan;
	uint32_t s;

	if (len > WIRE_CHAN_REQ_MAX ||
	    __atomic_load_n(&rc.rc_chan, __ATOMIC_RELAXED) == NULL ||
	    pthread_mutex_trylock(&rc.rc_chanlock) != 0)
		return NULL;
	chan = rc.rc_chan;
	/* The client's turn, still open?  (After an exec, a call the old
	 * program left running may still hold the server's turn.) */
	if (chan != NULL) {
		s = __atomic_load_n(wire_chan_state(chan), __ATOMIC_ACQUIRE);
		if ((s & (WIRE_CHAN_SERVER | WIRE_CHAN_CLOSED)) == 0)
			return chan;
	}
	pthread_mutex_unlock(&rc.rc_chanlock);
	return NULL;
}

void
rc_chan_release(void)
{
	pthread_mutex_unlock(&rc.rc_chanlock);
}

void
rc_chan_busypoll_setup(void)
{
	const char *v = getenv("RUMPCLIENT_BUSYPOLL");
	char *end;
	long us;

	rc.rc_busypoll_ns = 0;
	if (v == NULL || *v == '\0')
		return;
	errno = 0;
	us = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || us < 0 || us > RC_BUSYPOLL_MAX_US) {
		fprintf(stderr, "rumpclient: RUMPCLIENT_BUSYPOLL=%s: not a "
		    "number of microseconds from 0 to %d; not polling\n", v,
		    RC_BUSYPOLL_MAX_US);
		return;
	}
	rc.rc_busypoll_ns = (int64_t)us * 1000;
}

/* The monotonic clock in nanoseconds. */
static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Tell the CPU we are spinning (cheaper for a sibling hyperthread). */
static inline void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#else
	__asm__ volatile("" ::: "memory");
#endif
}

/* Busy-poll: watch the state word, awake, for up to ns nanoseconds or
 * until the server's turn is over or the channel closes. */
static void
chan_busypoll(const uint32_t *st, int64_t ns)
{
	int64_t end = now_ns() + ns;

	for (unsigned i = 1;; i++) {
		uint32_t s = __atomic_load_n(st, __ATOMIC_ACQUIRE);

		if (!(s & WIRE_CHAN_SERVER) || (s & WIRE_CHAN_CLOSED))
			return;
		cpu_relax();
		if (i % 64 == 0 && now_ns() >= end)
			return;
	}
}

/* Copy the reply frame out of the channel: 0 or EPROTO. */
static int
chan_reply(const uint8_t *chan, struct wire_hdr *h, uint8_t **framep)
{
	const uint8_t *rep = chan + WIRE_CHAN_REP_OFF;
	uint8_t *f;

	if (wire_hdr_decode(rep, h) != 0 || h->len > WIRE_CHAN_REP_MAX ||
	    h->type != WIRE_SYSCALL_REPLY)
		return EPROTO;
	if ((f = malloc(h->len)) == NULL)
		return ENOMEM;
	memcpy(f, rep, h->len);
	*framep = f;
	return 0;
}

int
rc_chan_exchange(uint8_t *chan, const struct iovec *iov, int niov, int fd,
    struct wire_hdr *h, uint8_t **framep)
{
	uint32_t *st = wire_chan_state(chan);
	uint8_t *req = chan + WIRE_CHAN_REQ_OFF;
	struct timespec second = { 1, 0 };
	size_t off = 0;
	uint32_t s;

	for (int i = 0; i < niov; i++) {
		memcpy(req + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	/* Post: the server's turn; wake it if it sleeps. */
	s = __atomic_load_n(st, __ATOMIC_RELAXED);
	do {
		if (s & WIRE_CHAN_CLOSED)
			return ENOTCONN;
	} while (!__atomic_compare_exchange_n(st, &s, WIRE_CHAN_SERVER, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	if (s & WIRE_CHAN_SLEEP)
		chan_futex_wake(st, 1);
	if (rc.rc_busypoll_ns > 0)
		chan_busypoll(st, rc.rc_busypoll_ns);
	/* Wait for the turn to come back, asleep; look at the socket now
	 * and then in case the server is gone without a word. */
	for (;;) {
		s = __atomic_load_n(st, __ATOMIC_ACQUIRE);
		if (!(s & WIRE_CHAN_SERVER))
			break;
		if (s & WIRE_CHAN_CLOSED)
			return ENOTCONN;
		if (!(s & WIRE_CHAN_SLEEP)) {
			__atomic_compare_exchange_n(st, &s, s | WIRE_CHAN_SLEEP,
			    0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
			continue;
		}
		if (syscall(SYS_futex, st, FUTEX_WAIT, s, &second, NULL, 0) <
		    0 && errno == ETIMEDOUT && socket_broken(fd))
			return ENOTCONN;
	}
	if (s & WIRE_CHAN_SOCKET)
		return RC_CHAN_ONSOCKET;
	return chan_reply(chan, h, framep);
}
