/*
 * sp_conn.h: one client connection = one kernel process.
 *
 * Threads: a connection starts with one worker thread.  Whichever worker
 * holds the "reader role" reads the next frame from the socket, gives up
 * the role and runs the request itself, on its own lwp: no hand-off on the
 * hot path.  When a request is about to block in the kernel (the sleep
 * hook) or when more requests are already buffered, an idle worker is
 * woken (or a new one started, up to SP_MAX_THREADS) to take the reader
 * role, so the connection's other requests keep running.
 *
 * A unix-socket client may also ask for a call channel (sp_chan.c): a
 * thread of its own then waits on shared memory and runs the calls posted
 * there, one at a time, while the socket stays open for everything else.
 *
 * Locking: sc_lock protects the reader role, the read buffer, the thread
 * counts and sc_chan; sc_sendlock serialises replies.  Order: ss_lock ->
 * sc_lock; sc_sendlock is taken alone.
 */
#ifndef SERVER_SP_CONN_H
#define SERVER_SP_CONN_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "sp_server.h"

#define SP_MAX_THREADS	64		/* workers per connection */
#define SP_RBUF_INIT	4096
#define SP_BUF_KEEP	(2u << 20)	/* larger buffers are freed after use */

struct sp_chan;

struct sp_conn {
	struct sp_conn		*sc_next, *sc_prev;	/* [ss_lock] */
	struct sp_server	*sc_srv;
	int			sc_fd;
	int			sc_isunix;
	pid_t			sc_peerpid;	/* unix: the client's host pid */
	pthread_mutex_t		sc_lock;
	pthread_cond_t		sc_idlecv;
	int			sc_reading;	/* [sc_lock] reader role taken */
	int			sc_nthreads;	/* [sc_lock] */
	int			sc_nidle;	/* [sc_lock] waiting for the role */
	int			sc_dead;	/* [sc_lock] no more requests */
	int			sc_hello;	/* handshake done (reader only) */
	struct lwp		*sc_lwp;	/* the process's first lwp */
	char			sc_comm[32];
	pthread_mutex_t		sc_sendlock;
	uint64_t		sc_sigpending;	/* [atomic] tcp: to send */
	uint8_t			*sc_rbuf;	/* [reader] unconsumed bytes */
	size_t			sc_rlen, sc_rcap;
	struct sp_chan		*sc_chan;	/* [sc_lock] call channel */
};

/* A worker thread of a connection. */
struct sp_worker {
	struct sp_conn	*w_conn;
	struct lwp	*w_lwp;		/* bound to this thread */
	uint8_t		*w_buf;		/* the frame being handled */
	size_t		w_cap;
	struct sp_chan	*w_chan;	/* the channel it serves, or NULL */
};

/* One received frame, in the worker's buffer. */
struct sp_frame {
	struct wire_hdr	f_hdr;
	const uint8_t	*f_payload;
	size_t		f_len;		/* payload bytes */
};

/* sp_frames.c */
/* Handle one frame; nonzero means the connection must be closed. */
int  sp_frame_handle(struct sp_worker *w, const struct sp_frame *f);
/* Send a frame: header fields, then payload pieces.  0 or errno. */
int  sp_send(struct sp_conn *c, const struct wire_hdr *h,
    const struct iovec *iov, int niov);
/* Deliver a kernel signal to the client (called under the proc table
 * lock: never blocks). */
void sp_signal_client(struct sp_conn *c, int sig);

/* sp_chan.c */
/* CHANNEL: create the channel, pass it to the client, start its thread.
 * Nonzero means the connection must be closed. */
int  sp_chan_open(struct sp_worker *w, const struct sp_frame *f);
/* Reply to a call that came through w's channel. 0 or errno. */
int  sp_chan_reply(struct sp_worker *w, const struct wire_hdr *h,
    const struct iovec *iov, int niov);
/* Take the channel out of use and wake both sides (sc_lock held). */
void sp_chan_close_locked(struct sp_conn *c);

/* sp_conn.c */
/* Start a thread running fn(w) for c, counted in sc_nthreads: the
 * connection lives until it ends (sc_lock held). */
int  sp_conn_thread_start(struct sp_conn *c, void *(*fn)(void *),
    struct sp_worker *w);
/* Make w the calling thread's worker and run on its lwp. */
void sp_worker_enter(struct sp_worker *w);
/* The calling thread, w's, ends: its lwp and w go; the connection's
 * last thread frees the connection. */
void sp_worker_exit(struct sp_worker *w);
/* Mark the connection over and interrupt its process's blocking calls. */
void sp_conn_fail(struct sp_conn *c);
/* The reader role is free again and requests may be waiting. */
void sp_conn_kick(struct sp_conn *c);

#endif /* SERVER_SP_CONN_H */
