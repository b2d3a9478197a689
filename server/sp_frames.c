/*
 * sp_frames.c: what the server does with each frame a client sends.
 *
 * Trust boundary: frames come from clients.  The header has been checked
 * by wire_hdr_decode(); payloads are read only through the bounded
 * reader (wire.h), and system call arguments are checked by
 * wire_decode_request() before the kernel sees them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kern_init.h"
#include "kern_sp.h"
#include "sp_conn.h"

void sp_worker_bind(struct sp_worker *w, struct lwp *l);

/* Send all of the frame, retrying short writes.  0 or errno. */
static int
send_all(int fd, struct iovec *iov, int niov)
{
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)niov };

	while (mh.msg_iovlen > 0) {
		ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		while (n > 0 && mh.msg_iovlen > 0) {
			if ((size_t)n >= mh.msg_iov->iov_len) {
				n -= (ssize_t)mh.msg_iov->iov_len;
				mh.msg_iov++;
				mh.msg_iovlen--;
			} else {
				mh.msg_iov->iov_base =
				    (char *)mh.msg_iov->iov_base + n;
				mh.msg_iov->iov_len -= (size_t)n;
				n = 0;
			}
		}
		while (mh.msg_iovlen > 0 && mh.msg_iov->iov_len == 0) {
			mh.msg_iov++;
			mh.msg_iovlen--;
		}
	}
	return 0;
}

/* Send a frame; a small one is gathered into one buffer and sent with a
 * plain send(), which costs less than sendmsg() on the hot path. */
static int
send_frame(int fd, struct iovec *iov, int niov, size_t len)
{
	uint8_t small[256];
	size_t off = 0;
	ssize_t n;

	if (len > sizeof(small) || niov == 1)
		return send_all(fd, iov, niov);
	for (int i = 0; i < niov; i++) {
		memcpy(small + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	n = send(fd, small, len, MSG_NOSIGNAL);
	if (n == (ssize_t)len)
		return 0;
	if (n < 0 && errno != EINTR)
		return errno;
	/* A short or interrupted send: finish the rest the long way. */
	struct iovec rest = { small + (n > 0 ? n : 0),
	    len - (size_t)(n > 0 ? n : 0) };
	return send_all(fd, &rest, 1);
}

/* Send SIGNAL frames for signals recorded while the socket was busy.
 * sc_sendlock held. */
static void
flush_signals(struct sp_conn *c)
{
	uint64_t pending = __atomic_exchange_n(&c->sc_sigpending, 0,
	    __ATOMIC_ACQ_REL);

	for (int sig = 1; pending != 0 && sig <= 64; sig++) {
		struct wire_hdr h = { .len = WIRE_HDRLEN + 4,
		    .type = WIRE_SIGNAL };
		uint8_t b[WIRE_HDRLEN + 4];
		struct iovec iov = { b, sizeof(b) };

		if (!(pending & (1ULL << (sig - 1))))
			continue;
		pending &= ~(1ULL << (sig - 1));
		wire_hdr_encode(b, &h);
		wire_put32(b + WIRE_HDRLEN, (uint32_t)sig);
		send_all(c->sc_fd, &iov, 1);
	}
}

int
sp_send(struct sp_conn *c, const struct wire_hdr *hin, const struct iovec *iov,
    int niov)
{
	struct iovec v[WIRE_REQ_IOV + 1];
	uint8_t hdr[WIRE_HDRLEN];
	struct wire_hdr h = *hin;
	size_t len = WIRE_HDRLEN;
	int error;

	for (int i = 0; i < niov; i++) {
		v[i + 1] = iov[i];
		len += iov[i].iov_len;
	}
	h.len = (uint32_t)len;
	wire_hdr_encode(hdr, &h);
	v[0].iov_base = hdr;
	v[0].iov_len = WIRE_HDRLEN;
	pthread_mutex_lock(&c->sc_sendlock);
	/* Signals recorded so far go first: a call they interrupted must
	 * not return EINTR to a client that has not yet seen them. */
	if (__atomic_load_n(&c->sc_sigpending, __ATOMIC_ACQUIRE))
		flush_signals(c);
	error = send_frame(c->sc_fd, v, niov + 1, len);
	if (error == 0 && __atomic_load_n(&c->sc_sigpending, __ATOMIC_ACQUIRE))
		flush_signals(c);
	pthread_mutex_unlock(&c->sc_sendlock);
	return error;
}

/*
 * A signal for the client's process.  Unix clients are signalled through
 * the host (the peer pid comes from the kernel, not from the client);
 * tcp clients get a SIGNAL frame now if the socket is free, or with the
 * next reply.  Never blocks: the process table is locked.
 */
void
sp_signal_client(struct sp_conn *c, int sig)
{
	if (sig <= 0 || sig > 64)
		return;
	if (c->sc_isunix && c->sc_peerpid > 0) {
		kill(c->sc_peerpid, sig);
		return;
	}
	__atomic_or_fetch(&c->sc_sigpending, 1ULL << (sig - 1),
	    __ATOMIC_ACQ_REL);
	if (pthread_mutex_trylock(&c->sc_sendlock) == 0) {
		flush_signals(c);
		pthread_mutex_unlock(&c->sc_sendlock);
	}
}

/* A reply with only a status. */
static int
reply_status(struct sp_conn *c, const struct sp_frame *f, int type, int error)
{
	struct wire_hdr h = { .type = (uint16_t)type, .tag = f->f_hdr.tag,
	    .num = f->f_hdr.num, .error = (uint32_t)error };

	return sp_send(c, &h, NULL, 0);
}

static int
reply_hello(struct sp_conn *c, const struct sp_frame *f, int error)
{
	struct wire_hdr h = { .type = WIRE_HELLO_REPLY, .tag = f->f_hdr.tag,
	    .error = (uint32_t)error };
	uint8_t b[8];
	struct iovec iov = { b, sizeof(b) };

	wire_put32(b, WIRE_VERSION);
	wire_put32(b + 4, (uint32_t)(c->sc_lwp != NULL ?
	    kern_sp_getpid(c->sc_lwp) : -1));
	return sp_send(c, &h, &iov, 1);
}

/*
 * HELLO: check the banner and version, then become a new process, claim
 * a prepared fork child, or (on a live connection) start a new program.
 * Returns nonzero when the connection must close.
 */
static int
handle_hello(struct sp_worker *w, const struct sp_frame *f)
{
	struct sp_conn *c = w->w_conn;
	struct sp_server *ss = c->sc_srv;
	const uint8_t *magic, *cookie, *name;
	struct wire_rd r;
	uint32_t version, kind, namelen;
	struct lwp *l = NULL;
	int error = 0;

	wire_rd_init(&r, f->f_payload, f->f_len);
	magic = wire_rdbytes(&r, 8);
	version = wire_rd32(&r);
	kind = wire_rd32(&r);
	cookie = wire_rdbytes(&r, WIRE_COOKIELEN);
	(void)wire_rd32(&r);			/* host pid: informational */
	namelen = wire_rd32(&r);
	name = wire_rdbytes(&r, namelen);
	if (r.bad || r.left != 0 || memcmp(magic, WIRE_MAGIC, 8) != 0)
		error = EPROTO;
	else if (version != WIRE_VERSION)
		error = EPROTONOSUPPORT;
	else if (kind > WIRE_KIND_EXEC || (kind == WIRE_KIND_EXEC) !=
	    (c->sc_hello != 0))
		error = EPROTO;
	if (error != 0) {
		reply_hello(c, f, error);
		return 1;
	}
	memset(c->sc_comm, 0, sizeof(c->sc_comm));
	memcpy(c->sc_comm, name, namelen < sizeof(c->sc_comm) ? namelen :
	    sizeof(c->sc_comm) - 1);
	for (char *p = c->sc_comm; *p != '\0'; p++)
		if (*p < ' ' || *p > '~')
			*p = '?';		/* shown by ps: printable only */

	switch (kind) {
	case WIRE_KIND_NEW:
		error = kern_sp_newproc(NULL, KERN_SP_FDCLEAN, c->sc_comm, c, &l);
		break;
	case WIRE_KIND_FORK:
		if ((l = sp_fork_claim(ss, cookie)) == NULL)
			error = ESRCH;
		else {
			kern_sp_sethostctx(l, c);
			kern_sp_exec(l, c->sc_comm);
		}
		break;
	case WIRE_KIND_EXEC:
		kern_sp_exec(c->sc_lwp, c->sc_comm);
		return reply_hello(c, f, 0) != 0;
	}
	if (error != 0) {
		reply_hello(c, f, error);
		return 1;
	}
	c->sc_lwp = l;
	c->sc_hello = 1;
	sp_worker_bind(w, l);
	if (ss->ss_verbose)
		fprintf(stderr, "rump_server: connection %d: pid %d \"%s\"%s\n",
		    c->sc_fd, kern_sp_getpid(l), c->sc_comm,
		    kind == WIRE_KIND_FORK ? " (fork)" : "");
	return reply_hello(c, f, 0) != 0;
}

/* A SYSCALL_REPLY, through the call channel if the request came that
 * way, else on the socket. */
static int
reply_syscall(struct sp_worker *w, const struct wire_hdr *h,
    const struct iovec *iov, int niov)
{
	if (w->w_chan != NULL)
		return sp_chan_reply(w, h, iov, niov);
	return sp_send(w->w_conn, h, iov, niov);
}

/* SYSCALL: decode, run on this worker's lwp, reply. */
static int
handle_syscall(struct sp_worker *w, const struct sp_frame *f)
{
	struct sp_conn *c = w->w_conn;
	struct wire_hdr h = { .type = WIRE_SYSCALL_REPLY, .tag = f->f_hdr.tag,
	    .num = f->f_hdr.num };
	struct wire_call wc;
	struct wire_reply rp;
	int64_t rv = -1;
	int error, serr;

	error = wire_decode_request(&wc, (int)f->f_hdr.num, f->f_payload,
	    f->f_len);
	if (error != 0) {
		/* Refused before it ran: only the return value follows. */
		uint8_t b[8];
		struct iovec iov = { b, sizeof(b) };

		wire_call_free(&wc);
		h.error = (uint32_t)error;
		h.flags = WIRE_FLAG_REFUSED;
		wire_put64(b, (uint64_t)-1);
		return reply_syscall(w, &h, &iov, 1) != 0;
	}
	if (w->w_lwp != NULL)
		kern_sp_syscall_enter(w->w_lwp);
	error = ksyscall((int)f->f_hdr.num, wc.args, &rv);
	wire_encode_reply(&wc, error, rv, &rp);
	h.error = (uint32_t)error;
	serr = reply_syscall(w, &h, rp.iov, rp.niov);
	wire_call_free(&wc);
	if (kern_halted())
		sp_server_stop(c->sc_srv);
	return serr != 0;
}

static int
handle_prefork(struct sp_worker *w, const struct sp_frame *f)
{
	struct sp_conn *c = w->w_conn;
	struct wire_hdr h = { .type = WIRE_PREFORK_REPLY, .tag = f->f_hdr.tag };
	uint8_t cookie[WIRE_COOKIELEN] = { 0 };
	struct iovec iov = { cookie, sizeof(cookie) };
	int error;

	error = sp_fork_prepare(c->sc_srv, c->sc_lwp, c->sc_comm, cookie);
	h.error = (uint32_t)error;
	return sp_send(c, &h, &iov, error ? 0 : 1) != 0;
}

static int
handle_fork_cancel(struct sp_worker *w, const struct sp_frame *f)
{
	struct sp_conn *c = w->w_conn;
	int error = EINVAL;

	if (f->f_len == WIRE_COOKIELEN)
		error = sp_fork_cancel(c->sc_srv, f->f_payload);
	return reply_status(c, f, WIRE_FORK_CANCEL_REPLY, error) != 0;
}

int
sp_frame_handle(struct sp_worker *w, const struct sp_frame *f)
{
	struct sp_conn *c = w->w_conn;

	if (!c->sc_hello && f->f_hdr.type != WIRE_HELLO)
		return 1;		/* the handshake comes first */
	switch (f->f_hdr.type) {
	case WIRE_HELLO:
		return handle_hello(w, f);
	case WIRE_SYSCALL:
		return handle_syscall(w, f);
	case WIRE_PREFORK:
		return handle_prefork(w, f);
	case WIRE_FORK_CANCEL:
		return handle_fork_cancel(w, f);
	case WIRE_CHANNEL:
		return sp_chan_open(w, f);
	default:
		return 1;		/* not a client's message */
	}
}
