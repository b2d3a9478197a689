/*
 * sp_conn.c: connection lifecycle, worker threads and the reader role
 * (the model is described in sp_conn.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kern_sp.h"
#include "sp_conn.h"

#define SP_STACK_SIZE (512u << 10)

static __thread struct sp_worker *sp_curworker;

static int  sp_worker_spawn(struct sp_conn *c);

/* Release a connection whose last worker has gone. */
static void
sp_conn_destroy(struct sp_conn *c)
{
	struct sp_server *ss = c->sc_srv;

	pthread_mutex_lock(&ss->ss_lock);
	if (c->sc_prev != NULL)
		c->sc_prev->sc_next = c->sc_next;
	else
		ss->ss_conns = c->sc_next;
	if (c->sc_next != NULL)
		c->sc_next->sc_prev = c->sc_prev;
	ss->ss_nconns--;
	pthread_cond_broadcast(&ss->ss_cv);
	pthread_mutex_unlock(&ss->ss_lock);

	if (c->sc_lwp != NULL) {
		/* After this no signal hook can reach c. */
		kern_sp_sethostctx(c->sc_lwp, NULL);
		kern_sp_release(c->sc_lwp);
	}
	if (ss->ss_verbose)
		fprintf(stderr, "rump_server: connection %d closed\n",
		    c->sc_fd);
	close(c->sc_fd);
	pthread_mutex_destroy(&c->sc_lock);
	pthread_mutex_destroy(&c->sc_sendlock);
	pthread_cond_destroy(&c->sc_idlecv);
	free(c->sc_rbuf);
	free(c);
}

void
sp_conn_fail(struct sp_conn *c)
{
	int first;

	pthread_mutex_lock(&c->sc_lock);
	first = !c->sc_dead;
	__atomic_store_n(&c->sc_dead, 1, __ATOMIC_RELEASE); /* chan_wait */
	pthread_cond_broadcast(&c->sc_idlecv);
	sp_chan_close_locked(c);
	pthread_mutex_unlock(&c->sc_lock);
	if (!first)
		return;
	shutdown(c->sc_fd, SHUT_RDWR);
	if (c->sc_lwp != NULL)
		kern_sp_kill(c->sc_lwp);
}

/* Take the reader role; -1 when the connection is over. */
static int
reader_acquire(struct sp_conn *c, int counted)
{
	int rv = 0;

	pthread_mutex_lock(&c->sc_lock);
	if (!counted)
		c->sc_nidle++;
	while (c->sc_reading && !c->sc_dead)
		pthread_cond_wait(&c->sc_idlecv, &c->sc_lock);
	c->sc_nidle--;
	if (c->sc_dead)
		rv = -1;
	else
		c->sc_reading = 1;
	pthread_mutex_unlock(&c->sc_lock);
	return rv;
}

/* Give the reader role to an idle worker, or start one. sc_lock held. */
static void
reader_handoff_locked(struct sp_conn *c)
{
	if (c->sc_reading || c->sc_dead)
		return;
	if (c->sc_nidle > 0)
		pthread_cond_signal(&c->sc_idlecv);
	else if (c->sc_nthreads < SP_MAX_THREADS)
		sp_worker_spawn(c);
}

void
sp_conn_kick(struct sp_conn *c)
{
	pthread_mutex_lock(&c->sc_lock);
	reader_handoff_locked(c);
	pthread_mutex_unlock(&c->sc_lock);
}

/* Drop the reader role; wake a successor when requests are waiting. */
static void
reader_release(struct sp_conn *c, int more)
{
	pthread_mutex_lock(&c->sc_lock);
	c->sc_reading = 0;
	if (more)
		reader_handoff_locked(c);
	else if (c->sc_nidle > 0 && c->sc_nthreads > 1)
		pthread_cond_signal(&c->sc_idlecv);
	pthread_mutex_unlock(&c->sc_lock);
}

/* Make room for n bytes in *bufp of capacity *capp. */
static int
buf_reserve(uint8_t **bufp, size_t *capp, size_t n)
{
	uint8_t *nb;

	if (*capp >= n)
		return 0;
	if ((nb = realloc(*bufp, n)) == NULL)
		return ENOMEM;
	*bufp = nb;
	*capp = n;
	return 0;
}

/* Receive until the read buffer holds at least n bytes. */
static int
fill(struct sp_conn *c, size_t n)
{
	while (c->sc_rlen < n) {
		ssize_t got = recv(c->sc_fd, c->sc_rbuf + c->sc_rlen,
		    c->sc_rcap - c->sc_rlen, 0);

		if (got == 0)
			return ECONNRESET;
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		c->sc_rlen += (size_t)got;
	}
	return 0;
}

/*
 * Read one frame into the worker's buffer (reader role held).  The
 * header is checked before the payload is allocated.  *more says whether
 * bytes of a further frame are already buffered.
 */
static int
read_frame(struct sp_conn *c, struct sp_worker *w, struct sp_frame *f,
    int *more)
{
	size_t left;
	uint8_t *tb;
	size_t tc;
	int error;

	if ((error = buf_reserve(&c->sc_rbuf, &c->sc_rcap, SP_RBUF_INIT)) ||
	    (error = fill(c, WIRE_HDRLEN)))
		return error;
	if ((error = wire_hdr_decode(c->sc_rbuf, &f->f_hdr)) != 0)
		return error;
	if ((error = buf_reserve(&c->sc_rbuf, &c->sc_rcap, f->f_hdr.len)) ||
	    (error = fill(c, f->f_hdr.len)))
		return error;
	/* Swap buffers: the frame goes with the worker, the rest stays. */
	left = c->sc_rlen - f->f_hdr.len;
	tb = w->w_buf;
	tc = w->w_cap;
	w->w_buf = c->sc_rbuf;
	w->w_cap = c->sc_rcap;
	c->sc_rbuf = tb;
	c->sc_rcap = tc;
	c->sc_rlen = 0;
	if (left > 0) {
		if ((error = buf_reserve(&c->sc_rbuf, &c->sc_rcap,
		    left > SP_RBUF_INIT ? left : SP_RBUF_INIT)) != 0)
			return error;
		memcpy(c->sc_rbuf, w->w_buf + f->f_hdr.len, left);
		c->sc_rlen = left;
	}
	f->f_payload = w->w_buf + WIRE_HDRLEN;
	f->f_len = f->f_hdr.len - WIRE_HDRLEN;
	*more = left > 0;
	return 0;
}

/* The kernel is about to block this thread's lwp: keep reading. */
static void
sp_sleep_hook(void)
{
	struct sp_worker *w = sp_curworker;

	if (w != NULL)
		sp_conn_kick(w->w_conn);
}

static void
sp_signal_hook(void *hostctx, int sig)
{
	sp_signal_client(hostctx, sig);
}

void
sp_conn_hooks_install(void)
{
	kern_sp_sethooks(sp_signal_hook, sp_sleep_hook);
}

/* A worker's life: take the reader role, read a frame, handle it. */
static void *
sp_worker_main(void *arg)
{
	struct sp_worker *w = arg;
	struct sp_conn *c = w->w_conn;
	int counted = 1;

	sp_worker_enter(w);
	for (;;) {
		struct sp_frame f;
		int more = 0, error, handshake;

		if (reader_acquire(c, counted) != 0)
			break;
		counted = 0;
		error = read_frame(c, w, &f, &more);
		/*
		 * Until the handshake is done the frame is handled holding
		 * the reader role: a frame the client sent right behind its
		 * HELLO must not run on another worker before the process
		 * exists (it would run without one, as init).
		 */
		handshake = error == 0 && !c->sc_hello;
		if (!handshake)
			reader_release(c, error == 0 && more);
		if (error == 0 && sp_frame_handle(w, &f) != 0)
			error = EPROTO;
		if (handshake)
			reader_release(c, error == 0 && more);
		if (error != 0) {
			sp_conn_fail(c);
			break;
		}
		if (w->w_cap > SP_BUF_KEEP) {
			free(w->w_buf);
			w->w_buf = NULL;
			w->w_cap = 0;
		}
	}
	sp_worker_exit(w);
	return NULL;
}

void
sp_worker_exit(struct sp_worker *w)
{
	struct sp_conn *c = w->w_conn;
	int last;

	if (w->w_lwp != NULL && w->w_lwp != c->sc_lwp)
		kern_sp_release(w->w_lwp);
	kern_sp_switch(NULL);
	free(w->w_buf);
	free(w);
	pthread_mutex_lock(&c->sc_lock);
	last = (--c->sc_nthreads == 0);
	pthread_mutex_unlock(&c->sc_lock);
	if (last)
		sp_conn_destroy(c);
}

void
sp_worker_enter(struct sp_worker *w)
{
	sp_curworker = w;
	/* A worker started after the handshake acts for the connection's
	 * process on its own lwp (without this it would act as init). */
	if (w->w_lwp != NULL)
		kern_sp_switch(w->w_lwp);
}

int
sp_conn_thread_start(struct sp_conn *c, void *(*fn)(void *),
    struct sp_worker *w)
{
	pthread_attr_t attr;
	pthread_t t;
	int error;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, SP_STACK_SIZE);
	c->sc_nthreads++;
	error = pthread_create(&t, &attr, fn, w);
	pthread_attr_destroy(&attr);
	if (error != 0)
		c->sc_nthreads--;
	return error;
}

/* Start a worker (sc_lock held).  It counts as idle until it reads. */
static int
sp_worker_spawn(struct sp_conn *c)
{
	struct sp_worker *w = calloc(1, sizeof(*w));
	int error;

	if (w == NULL)
		return ENOMEM;
	w->w_conn = c;
	if (c->sc_lwp != NULL &&
	    (error = kern_sp_newlwp(c->sc_lwp, &w->w_lwp)) != 0) {
		free(w);
		return error;
	}
	c->sc_nidle++;
	if ((error = sp_conn_thread_start(c, sp_worker_main, w)) != 0) {
		c->sc_nidle--;
		if (w->w_lwp != NULL)
			kern_sp_release(w->w_lwp);
		free(w);
	}
	return error;
}

/* Bind the calling worker to lwp l (after the handshake). */
void sp_worker_bind(struct sp_worker *w, struct lwp *l);
void
sp_worker_bind(struct sp_worker *w, struct lwp *l)
{
	w->w_lwp = l;
	kern_sp_switch(l);
}

int
sp_conn_start(struct sp_server *ss, int fd)
{
	struct sp_conn *c = calloc(1, sizeof(*c));
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	int error;

	if (c == NULL)
		return ENOMEM;
	c->sc_srv = ss;
	c->sc_fd = fd;
	c->sc_isunix = ss->ss_addr.family == AF_UNIX;
	if (c->sc_isunix &&
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == 0)
		c->sc_peerpid = cred.pid;
	pthread_mutex_init(&c->sc_lock, NULL);
	pthread_mutex_init(&c->sc_sendlock, NULL);
	pthread_cond_init(&c->sc_idlecv, NULL);

	pthread_mutex_lock(&ss->ss_lock);
	c->sc_next = ss->ss_conns;
	if (ss->ss_conns != NULL)
		ss->ss_conns->sc_prev = c;
	ss->ss_conns = c;
	ss->ss_nconns++;
	pthread_mutex_lock(&c->sc_lock);
	error = sp_worker_spawn(c);
	pthread_mutex_unlock(&c->sc_lock);
	pthread_mutex_unlock(&ss->ss_lock);
	if (error != 0) {
		/* No worker: take it down here. */
		pthread_mutex_lock(&c->sc_lock);
		c->sc_nthreads = 0;
		pthread_mutex_unlock(&c->sc_lock);
		sp_conn_destroy(c);
	}
	return error;
}

/* Stop every connection: tell the client, interrupt, wait a while. */
void
sp_conn_shutdown_all(struct sp_server *ss)
{
	struct wire_hdr h = { .len = WIRE_HDRLEN, .type = WIRE_SHUTDOWN };
	struct timespec deadline;

	pthread_mutex_lock(&ss->ss_lock);
	for (struct sp_conn *c = ss->ss_conns; c != NULL; c = c->sc_next) {
		uint8_t hdr[WIRE_HDRLEN];

		wire_hdr_encode(hdr, &h);
		if (pthread_mutex_trylock(&c->sc_sendlock) == 0) {
			send(c->sc_fd, hdr, sizeof(hdr),
			    MSG_DONTWAIT | MSG_NOSIGNAL);
			pthread_mutex_unlock(&c->sc_sendlock);
		}
		sp_conn_fail(c);
	}
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 5;
	while (ss->ss_nconns > 0 &&
	    pthread_cond_timedwait(&ss->ss_cv, &ss->ss_lock, &deadline) == 0)
		;
	pthread_mutex_unlock(&ss->ss_lock);
}
