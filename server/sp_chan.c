/*
 * sp_chan.c: the server's side of the shared-memory call channel
 * (wire/wire_chan.h, doc/protocol.md "The call channel").
 *
 * On a CHANNEL request from a unix-socket client the server creates a
 * memfd, seals its size (so the client cannot truncate it under our
 * mapping: that would be SIGBUS here), maps it, starts a thread for it and
 * passes the descriptor in the reply.  The thread waits on the state word,
 * copies each posted frame out of the shared pages before looking at it,
 * runs it on its own lwp of the connection's process, and answers in the
 * reply area (or on the socket when the reply is too big for it).
 *
 * Trust boundary: the client can write the whole mapping at any moment.
 * The request is read once, into private memory, and checked there like
 * a frame from the socket; the state word only ever decides whether to
 * look for a request; the thread's own decisions to stop (ch_closed,
 * sc_dead) live in private memory, and its waits time out, so a client
 * scribbling on the state word cannot keep it (or the connection) alive.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kern_sp.h"
#include "sp_conn.h"
#include "wire_chan.h"

struct sp_chan {
	uint8_t	*ch_base;	/* the shared mapping */
	int	ch_closed;	/* [atomic] out of use: the thread ends */
};

/* FUTEX_WAIT on the shared word while it holds val, at most a second. */
static void
chan_futex_wait(uint32_t *word, uint32_t val)
{
	struct timespec ts = { 1, 0 };

	syscall(SYS_futex, word, FUTEX_WAIT, val, &ts, NULL, 0);
}

static void
chan_futex_wake(uint32_t *word, int n)
{
	syscall(SYS_futex, word, FUTEX_WAKE, n, NULL, NULL, 0);
}

/* A sealed memfd of WIRE_CHAN_SIZE bytes, mapped.  0 or errno. */
static int
chan_create(int *fdp, uint8_t **basep)
{
	int fd, error;
	void *p;

	fd = memfd_create("rump-channel", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return errno;
	if (ftruncate(fd, WIRE_CHAN_SIZE) != 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
	    F_SEAL_SEAL) != 0 ||
	    (p = mmap(NULL, WIRE_CHAN_SIZE, PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, 0)) == MAP_FAILED) {
		error = errno;
		close(fd);
		return error;
	}
	*wire_chan_state(p) = 0;
	memcpy((uint8_t *)p + WIRE_CHAN_MAGIC_OFF, &(uint32_t){
	    WIRE_CHAN_MAGIC }, 4);
	*fdp = fd;
	*basep = p;
	return 0;
}

/* Send a CHANNEL_REPLY carrying fd (or only an error when fd < 0). */
static int
chan_send_reply(struct sp_conn *c, const struct sp_frame *f, int error,
    int fd)
{
	struct wire_hdr h = { .type = WIRE_CHANNEL_REPLY, .tag = f->f_hdr.tag,
	    .error = (uint32_t)error };
	uint8_t b[WIRE_HDRLEN + 4];
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { b, fd >= 0 ? sizeof(b) : WIRE_HDRLEN };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	size_t off = 0;
	ssize_t n;

	h.len = (uint32_t)iov.iov_len;
	wire_hdr_encode(b, &h);
	wire_put32(b + WIRE_HDRLEN, WIRE_CHAN_SIZE);
	if (fd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		ctl.hdr.cmsg_level = SOL_SOCKET;
		ctl.hdr.cmsg_type = SCM_RIGHTS;
		ctl.hdr.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&ctl.hdr), &fd, sizeof(int));
	}
	pthread_mutex_lock(&c->sc_sendlock);
	while ((n = sendmsg(c->sc_fd, &mh, MSG_NOSIGNAL)) < 0 &&
	    errno == EINTR)
		;
	/* The descriptor went with the first byte; finish a short send. */
	while (n > 0 && (off += (size_t)n) < iov.iov_len)
		while ((n = send(c->sc_fd, b + off, iov.iov_len - off,
		    MSG_NOSIGNAL)) < 0 && errno == EINTR)
			;
	error = n < 0 ? errno : 0;
	pthread_mutex_unlock(&c->sc_sendlock);
	return error;
}

/* Wait for a posted request: 0, or -1 when the channel is out of use. */
static int
chan_wait(struct sp_conn *c, struct sp_chan *ch)
{
	uint32_t *st = wire_chan_state(ch->ch_base);

	for (;;) {
		uint32_t s;

		if (__atomic_load_n(&ch->ch_closed, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&c->sc_dead, __ATOMIC_ACQUIRE))
			return -1;
		s = __atomic_load_n(st, __ATOMIC_ACQUIRE);
		if (s & WIRE_CHAN_SERVER)
			return 0;
		if (!(s & WIRE_CHAN_SLEEP)) {
			__atomic_compare_exchange_n(st, &s, s | WIRE_CHAN_SLEEP,
			    0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
			continue;
		}
		chan_futex_wait(st, s);
	}
}

/*
 * Trust boundary: copy the posted frame into the worker's own buffer
 * (read its length once) and check it there.  Only SYSCALL frames come
 * this way.  0 or EPROTO.
 */
static int
chan_take(struct sp_worker *w, struct sp_frame *f)
{
	const uint8_t *req = w->w_chan->ch_base + WIRE_CHAN_REQ_OFF;
	uint8_t lenb[4];
	uint32_t len;

	memcpy(lenb, req, sizeof(lenb));
	len = wire_get32(lenb);
	if (len < WIRE_HDRLEN || len > WIRE_CHAN_REQ_MAX)
		return EPROTO;
	if (w->w_cap < len) {
		uint8_t *nb = realloc(w->w_buf, WIRE_CHAN_REQ_MAX);

		if (nb == NULL)
			return ENOMEM;
		w->w_buf = nb;
		w->w_cap = WIRE_CHAN_REQ_MAX;
	}
	memcpy(w->w_buf, req, len);
	if (wire_hdr_decode(w->w_buf, &f->f_hdr) != 0 ||
	    f->f_hdr.len != len || f->f_hdr.type != WIRE_SYSCALL)
		return EPROTO;
	f->f_payload = w->w_buf + WIRE_HDRLEN;
	f->f_len = len - WIRE_HDRLEN;
	return 0;
}

/* Give the turn back to the client, with flags; wake it if it sleeps. */
static void
chan_post(struct sp_chan *ch, uint32_t flags)
{
	uint32_t *st = wire_chan_state(ch->ch_base);
	uint32_t s = __atomic_load_n(st, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(st, &s,
	    (s & WIRE_CHAN_CLOSED) | flags, 0, __ATOMIC_ACQ_REL,
	    __ATOMIC_RELAXED))
		;
	if (s & WIRE_CHAN_SLEEP)
		chan_futex_wake(st, 1);
}

int
sp_chan_reply(struct sp_worker *w, const struct wire_hdr *hin,
    const struct iovec *iov, int niov)
{
	uint8_t *rep = w->w_chan->ch_base + WIRE_CHAN_REP_OFF;
	struct wire_hdr h = *hin;
	size_t len = WIRE_HDRLEN;

	for (int i = 0; i < niov; i++)
		len += iov[i].iov_len;
	if (len > WIRE_CHAN_REP_MAX) {
		/* Too big for the reply area: the socket carries it, under
		 * the request's tag.  The flag tells the client so first:
		 * it must be reading before a big reply fills the socket. */
		chan_post(w->w_chan, WIRE_CHAN_SOCKET);
		return sp_send(w->w_conn, &h, iov, niov);
	}
	h.len = (uint32_t)len;
	wire_hdr_encode(rep, &h);
	len = WIRE_HDRLEN;
	for (int i = 0; i < niov; i++) {
		memcpy(rep + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	chan_post(w->w_chan, 0);
	return 0;
}

/* The channel's thread: run what the client posts until it is closed. */
static void *
chan_main(void *arg)
{
	struct sp_worker *w = arg;
	struct sp_conn *c = w->w_conn;
	struct sp_chan *ch = w->w_chan;

	sp_worker_enter(w);
	while (chan_wait(c, ch) == 0) {
		struct sp_frame f;

		if (chan_take(w, &f) != 0 || sp_frame_handle(w, &f) != 0) {
			/* A malformed request ends the connection, as one
			 * on the socket would. */
			sp_conn_fail(c);
			break;
		}
	}
	pthread_mutex_lock(&c->sc_lock);
	if (c->sc_chan == ch)
		c->sc_chan = NULL;
	pthread_mutex_unlock(&c->sc_lock);
	munmap(ch->ch_base, WIRE_CHAN_SIZE);
	free(ch);
	sp_worker_exit(w);
	return NULL;
}

void
sp_chan_close_locked(struct sp_conn *c)
{
	struct sp_chan *ch = c->sc_chan;
	uint32_t *st;

	if (ch == NULL)
		return;
	c->sc_chan = NULL;
	__atomic_store_n(&ch->ch_closed, 1, __ATOMIC_RELEASE);
	st = wire_chan_state(ch->ch_base);
	__atomic_or_fetch(st, WIRE_CHAN_CLOSED, __ATOMIC_ACQ_REL);
	chan_futex_wake(st, INT_MAX);
}

/* Free a channel whose thread never started. */
static void
chan_discard(struct sp_worker *w)
{
	munmap(w->w_chan->ch_base, WIRE_CHAN_SIZE);
	free(w->w_chan);
	if (w->w_lwp != NULL)
		kern_sp_release(w->w_lwp);
	free(w);
}

int
sp_chan_open(struct sp_worker *cur, const struct sp_frame *f)
{
	struct sp_conn *c = cur->w_conn;
	struct sp_worker *w = NULL;
	int fd = -1, error;

	if (f->f_len != 0)
		return chan_send_reply(c, f, EINVAL, -1) != 0;
	if (!c->sc_isunix)
		return chan_send_reply(c, f, EOPNOTSUPP, -1) != 0;
	if ((w = calloc(1, sizeof(*w))) == NULL ||
	    (w->w_chan = calloc(1, sizeof(*w->w_chan))) == NULL) {
		free(w);
		return chan_send_reply(c, f, ENOMEM, -1) != 0;
	}
	w->w_conn = c;
	if ((error = chan_create(&fd, &w->w_chan->ch_base)) != 0) {
		free(w->w_chan);
		free(w);
		return chan_send_reply(c, f, error, -1) != 0;
	}
	if ((error = kern_sp_newlwp(c->sc_lwp, &w->w_lwp)) != 0) {
		w->w_lwp = NULL;
		goto fail;
	}
	/* Only one channel per connection: a new one (after an exec, say)
	 * takes the place of the old, whose thread finishes and ends. */
	pthread_mutex_lock(&c->sc_lock);
	error = c->sc_dead ? ECONNRESET : 0;
	if (error == 0 &&
	    (error = sp_conn_thread_start(c, chan_main, w)) == 0) {
		sp_chan_close_locked(c);
		c->sc_chan = w->w_chan;
	}
	pthread_mutex_unlock(&c->sc_lock);
	if (error != 0)
		goto fail;
	error = chan_send_reply(c, f, 0, fd);
	close(fd);
	return error != 0;
fail:
	close(fd);
	chan_discard(w);
	return chan_send_reply(c, f, error, -1) != 0;
}
