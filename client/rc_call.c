/*
 * rc_call.c: requests and replies over the client's connection (the model
 * is in rc_internal.h), and the rump_sys_* entry into it.
 *
 * Trust boundary: frames come from the server.  Headers are checked by
 * wire_hdr_decode(), replies by wire_decode_reply(), which never writes
 * past the caller's buffers.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "rc_internal.h"
#include "rump_edge.h"

#define RC_RBUF_INIT 16384

int
rc_write_all(int fd, struct iovec *iov, int niov)
{
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)niov };

	if (niov == 1) {
		/* The common small request: a plain send() is cheapest. */
		ssize_t n = send(fd, iov[0].iov_base, iov[0].iov_len,
		    MSG_NOSIGNAL);

		if (n == (ssize_t)iov[0].iov_len)
			return 0;
		if (n > 0) {
			iov[0].iov_base = (char *)iov[0].iov_base + n;
			iov[0].iov_len -= (size_t)n;
		} else if (errno != EINTR)
			return errno;
	}
	while (mh.msg_iovlen > 0) {
		struct msghdr part = mh;
		ssize_t n;

		if (part.msg_iovlen > IOV_MAX)	/* the kernel's limit per call */
			part.msg_iovlen = IOV_MAX;
		n = sendmsg(fd, &part, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		while (mh.msg_iovlen > 0 && (size_t)n >= mh.msg_iov->iov_len) {
			n -= (ssize_t)mh.msg_iov->iov_len;
			mh.msg_iov++;
			mh.msg_iovlen--;
		}
		if (n > 0) {
			mh.msg_iov->iov_base = (char *)mh.msg_iov->iov_base + n;
			mh.msg_iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

/* Receive until the buffer holds at least n bytes. */
static int
rbuf_fill(int fd, size_t n)
{
	if (rc.rc_rcap < n) {
		size_t cap = n < RC_RBUF_INIT ? RC_RBUF_INIT : n;
		uint8_t *nb = realloc(rc.rc_rbuf, cap);

		if (nb == NULL)
			return ENOMEM;
		rc.rc_rbuf = nb;
		rc.rc_rcap = cap;
	}
	while (rc.rc_rlen < n) {
		ssize_t got = recv(fd, rc.rc_rbuf + rc.rc_rlen,
		    rc.rc_rcap - rc.rc_rlen, 0);

		if (got == 0)
			return ENOTCONN;
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return ENOTCONN;
		}
		rc.rc_rlen += (size_t)got;
	}
	return 0;
}

/* Read the next frame (reader role held) into a malloc'd copy. */
static int
read_frame(int fd, struct wire_hdr *h, uint8_t **framep)
{
	uint8_t *f;
	int error;

	if ((error = rbuf_fill(fd, WIRE_HDRLEN)) != 0)
		return error;
	if (wire_hdr_decode(rc.rc_rbuf, h) != 0)
		return EPROTO;
	if ((error = rbuf_fill(fd, h->len)) != 0)
		return error;
	if ((f = malloc(h->len)) == NULL)
		return ENOMEM;
	memcpy(f, rc.rc_rbuf, h->len);
	rc.rc_rlen -= h->len;
	memmove(rc.rc_rbuf, rc.rc_rbuf + h->len, rc.rc_rlen);
	*framep = f;
	return 0;
}

/* Read one frame from a socket nobody else reads yet (handshakes). */
int
rc_read_frame_sync(int fd, struct wire_hdr *h, uint8_t **framep)
{
	return read_frame(fd, h, framep);
}

/* The connection is unusable: fail every waiter.  rc_lock held. */
static void
fail_all(int error)
{
	if (rc.rc_fd >= 0)
		shutdown(rc.rc_fd, SHUT_RDWR);
	rc_chan_close();
	for (struct rc_waiter *w = rc.rc_waiters; w != NULL; w = w->w_next) {
		if (!w->w_done) {
			w->w_done = 1;
			w->w_error = error;
			pthread_cond_signal(&w->w_cv);
		}
	}
}

/* Give a frame to its waiter.  rc_lock held.  Returns a signal to raise
 * (0 for none) or -1 for a frame that breaks the protocol. */
static int
dispatch(struct wire_hdr *h, uint8_t *frame)
{
	int sig = 0;

	switch (h->type) {
	case WIRE_SIGNAL:
		if (h->len == WIRE_HDRLEN + 4)
			sig = (int)wire_get32(frame + WIRE_HDRLEN);
		free(frame);
		return sig > 0 && sig < 65 ? sig : -1;
	case WIRE_SHUTDOWN:
		free(frame);
		fail_all(ENOTCONN);
		return 0;
	case WIRE_SYSCALL_REPLY:
	case WIRE_PREFORK_REPLY:
	case WIRE_FORK_CANCEL_REPLY:
	case WIRE_HELLO_REPLY:
		for (struct rc_waiter *w = rc.rc_waiters; w; w = w->w_next) {
			if (w->w_tag == h->tag && !w->w_done) {
				w->w_hdr = *h;
				w->w_frame = frame;
				w->w_done = 1;
				pthread_cond_signal(&w->w_cv);
				return 0;
			}
		}
		break;
	}
	free(frame);
	return -1;
}

/* Wait for w's reply, reading frames while nobody else does.  Called and
 * returns with rc_lock held. */
static void
await_reply(struct rc_waiter *w, int fd)
{
	while (!w->w_done) {
		struct wire_hdr h;
		uint8_t *frame;
		int error, sig;

		if (rc.rc_reading) {
			pthread_cond_wait(&w->w_cv, &rc.rc_lock);
			continue;
		}
		rc.rc_reading = 1;
		pthread_mutex_unlock(&rc.rc_lock);
		error = read_frame(fd, &h, &frame);
		pthread_mutex_lock(&rc.rc_lock);
		rc.rc_reading = 0;
		if (error != 0) {
			fail_all(error);
			break;
		}
		sig = dispatch(&h, frame);
		if (sig < 0) {
			fail_all(EPROTO);
			break;
		}
		if (sig > 0) {
			pthread_mutex_unlock(&rc.rc_lock);
			raise(sig);
			pthread_mutex_lock(&rc.rc_lock);
		}
	}
	/* Hand the reader role to another thread still waiting. */
	for (struct rc_waiter *o = rc.rc_waiters; o != NULL; o = o->w_next) {
		if (o != w && !o->w_done && !o->w_chan) {
			pthread_cond_signal(&o->w_cv);
			break;
		}
	}
}

static void
waiter_unlink(struct rc_waiter *w)
{
	for (struct rc_waiter **pp = &rc.rc_waiters; *pp; pp = &(*pp)->w_next) {
		if (*pp == w) {
			*pp = w->w_next;
			break;
		}
	}
}

/* Send a frame from a copy of its iovecs (sending advances them, and
 * the caller may need them again for a retry after reconnecting). */
static int
send_copy(int fd, const struct iovec *iov, int niov)
{
	struct iovec small[WIRE_REQ_IOV], *v = small;
	int error;

	if (niov > WIRE_REQ_IOV && (v = malloc((size_t)niov * sizeof(*v))) ==
	    NULL)
		return ENOMEM;
	memcpy(v, iov, (size_t)niov * sizeof(*v));
	pthread_mutex_lock(&rc.rc_sendlock);
	error = rc_write_all(fd, v, niov);
	pthread_mutex_unlock(&rc.rc_sendlock);
	if (v != small)
		free(v);
	return error;
}

/* One attempt on the current connection. */
static int
call_once(int type, uint32_t num, struct iovec *iov, int niov,
    struct wire_hdr *rh, uint8_t **replyp, uint64_t *genp)
{
	struct rc_waiter w = { 0 };
	struct wire_hdr h = { .type = (uint16_t)type, .num = num };
	uint8_t *chan;
	int fd, error;

	for (int i = 0; i < niov; i++)
		h.len += (uint32_t)iov[i].iov_len;
	/* Through the call channel if we can have it, else the socket. */
	chan = type == WIRE_SYSCALL ? rc_chan_claim(h.len) : NULL;
	w.w_chan = chan != NULL;
	pthread_cond_init(&w.w_cv, NULL);
	pthread_mutex_lock(&rc.rc_lock);
	fd = rc.rc_fd;
	*genp = rc.rc_generation;
	if (fd < 0) {
		pthread_mutex_unlock(&rc.rc_lock);
		pthread_cond_destroy(&w.w_cv);
		if (chan != NULL)
			rc_chan_release();
		return ENOTCONN;
	}
	w.w_tag = h.tag = ++rc.rc_nexttag;
	w.w_next = rc.rc_waiters;
	rc.rc_waiters = &w;
	pthread_mutex_unlock(&rc.rc_lock);

	wire_hdr_encode(iov[0].iov_base, &h);
	if (chan != NULL) {
		error = rc_chan_exchange(chan, iov, niov, fd, &w.w_hdr,
		    &w.w_frame);
		rc_chan_release();
		pthread_mutex_lock(&rc.rc_lock);
		w.w_chan = 0;
		if (error == 0)
			w.w_done = 1;
		else if (error == RC_CHAN_ONSOCKET)
			error = 0;	/* await_reply below reads it */
		else if (error == ENOTCONN)
			fail_all(ENOTCONN);
		else if (!w.w_done) {
			w.w_done = 1;
			w.w_error = error;
		}
	} else {
		error = send_copy(fd, iov, niov);
		pthread_mutex_lock(&rc.rc_lock);
	}
	if (error == ENOMEM) {
		waiter_unlink(&w);
		pthread_mutex_unlock(&rc.rc_lock);
		pthread_cond_destroy(&w.w_cv);
		return ENOMEM;
	}
	if (error != 0)
		fail_all(ENOTCONN);
	await_reply(&w, fd);
	waiter_unlink(&w);
	pthread_mutex_unlock(&rc.rc_lock);
	pthread_cond_destroy(&w.w_cv);
	if (w.w_error != 0) {
		free(w.w_frame);
		return w.w_error;
	}
	*rh = w.w_hdr;
	*replyp = w.w_frame;
	return 0;
}

int
rc_call(int type, uint32_t num, struct iovec *iov, int niov,
    struct wire_hdr *rh, uint8_t **replyp)
{
	uint64_t gen;
	int error;

	for (;;) {
		error = call_once(type, num, iov, niov, rh, replyp, &gen);
		if (error != ENOTCONN)
			return error;
		if (rc_reconnect(gen) != 0)
			return ENOTCONN;
	}
}

/* Every rump_sys_* call of the client comes here. */
int
rump_edge_syscall(int nr, const int64_t *args, int64_t *rv)
{
	struct wire_req rq;
	struct wire_hdr h;
	uint8_t *frame;
	int error;

	if (!__atomic_load_n(&rc.rc_inited, __ATOMIC_ACQUIRE) &&
	    rumpclient_init() != 0)
		return errno;
	if ((error = wire_encode_request(&rq, nr, args, 0)) != 0)
		return error;
	error = rc_call(WIRE_SYSCALL, (uint32_t)nr, rq.iov, rq.niov, &h, &frame);
	wire_req_free(&rq);
	if (error != 0)
		return error;
	if (h.flags & WIRE_FLAG_REFUSED)
		*rv = -1;
	else if (wire_decode_reply(nr, args, frame + WIRE_HDRLEN,
	    h.len - WIRE_HDRLEN, rv) != 0) {
		free(frame);
		return EPROTO;
	}
	free(frame);
	return (int)h.error;
}

int
rumpclient_syscall(int num, const void *sysarg, size_t argsize,
    int64_t *retval)
{
	int64_t args[6] = { 0 };
	int error;

	if (argsize > sizeof(args) || argsize % sizeof(int64_t) != 0 ||
	    (argsize > 0 && sysarg == NULL)) {
		errno = EINVAL;
		return -1;
	}
	if (argsize > 0)		/* sysarg may be NULL for no arguments */
		memcpy(args, sysarg, argsize);
	if ((error = rump_edge_syscall(num, args, retval)) != 0) {
		errno = error;
		return -1;
	}
	return 0;
}
