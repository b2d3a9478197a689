/*
 * rc_internal.h: librumpclient's shared state.
 *
 * One connection per host process.  Many threads may have requests in
 * flight: each sends its frame (under rc_sendlock) and waits.  One waiting
 * thread at a time holds the reader role and reads frames; a reply for
 * another thread is handed to it and that thread is woken.  A thread whose
 * own reply arrives gives the role to the next waiter.  With one thread
 * this is a plain write and read per call.
 *
 * On a unix socket a call may instead go through the shared-memory call
 * channel (rc_chan.c): one call at a time, by whichever thread gets
 * rc_chanlock; its waiter is registered like any other (w_chan set, so it
 * is never handed the reader role) in case the reply comes on the socket.
 *
 * Locking: rc_lock protects the waiter list, the reader role and the
 * connection state; rc_sendlock serialises frames going out; rc_chanlock
 * is held for a whole call through the channel.  rc_chan changes only
 * with rc_chanlock and rc_lock both held.  Order: rc_chanlock -> rc_lock;
 * rc_sendlock is taken alone.
 */
#ifndef CLIENT_RC_INTERNAL_H
#define CLIENT_RC_INTERNAL_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "wire.h"
#include "wire_url.h"

#define RC_EXECFD_ENV	"RUMPCLIENT__EXECFD"

/* The library's internal names, kept out of programs' way when it is
 * linked statically. */
#define rc			rumpclient__state
#define rc_connect		rumpclient__connect
#define rc_reconnect		rumpclient__reconnect
#define rc_progname		rumpclient__progname
#define rc_reset_after_fork	rumpclient__reset_after_fork
#define rc_call			rumpclient__call
#define rc_read_frame_sync	rumpclient__read_frame_sync
#define rc_write_all		rumpclient__write_all
#define rc_chan_request		rumpclient__chan_request
#define rc_chan_install		rumpclient__chan_install
#define rc_chan_close		rumpclient__chan_close
#define rc_chan_forget		rumpclient__chan_forget
#define rc_chan_claim		rumpclient__chan_claim
#define rc_chan_release		rumpclient__chan_release
#define rc_chan_exchange	rumpclient__chan_exchange

struct rc_waiter {
	struct rc_waiter	*w_next;
	uint64_t		w_tag;
	pthread_cond_t		w_cv;
	int			w_done;		/* reply (or failure) is in */
	int			w_chan;		/* waiting in the channel */
	int			w_error;	/* connection failed: errno */
	struct wire_hdr		w_hdr;
	uint8_t			*w_frame;	/* whole frame, malloc'd */
};

struct rc_state {
	pthread_mutex_t		rc_lock;
	pthread_mutex_t		rc_sendlock;
	int			rc_fd;		/* -1 when not connected */
	int			rc_inited;
	int			rc_reading;	/* [rc_lock] reader role */
	struct rc_waiter	*rc_waiters;	/* [rc_lock] */
	uint64_t		rc_nexttag;	/* [rc_lock] */
	uint64_t		rc_generation;	/* [rc_lock] connections made */
	int32_t			rc_pid;		/* kernel pid */
	time_t			rc_retry;	/* rumpclient_setconnretry */
	struct wire_addr	rc_addr;
	char			rc_url[512];
	uint8_t			*rc_rbuf;	/* [reader] received bytes */
	size_t			rc_rlen, rc_rcap;
	pthread_mutex_t		rc_chanlock;
	uint8_t			*rc_chan;	/* call channel or NULL */
	int64_t			rc_busypoll_ns;	/* RUMPCLIENT_BUSYPOLL */
};

extern struct rc_state rc;

/* rc_conn.c */
/* Connect to rc_addr and do the handshake of the given kind. */
int  rc_connect(int kind, const uint8_t *cookie, int execfd);
/* The connection broke during a call: reconnect as the retry policy
 * says.  0 when a new connection (a new process!) is up. */
int  rc_reconnect(uint64_t generation);
/* Program name for the server's process table. */
const char *rc_progname(void);
/* Reset locks and state in a fork child. */
void rc_reset_after_fork(void);

/* rc_call.c */
/*
 * Send a frame (iov[0] starts with the header, filled in here except for
 * len) and wait for the reply with the same tag.  On success *replyp is a
 * malloc'd frame for the caller to free.  0 or errno.
 */
int  rc_call(int type, uint32_t num, struct iovec *iov, int niov,
    struct wire_hdr *rh, uint8_t **replyp);
/* Read one frame from fd into a malloc'd buffer (handshakes). */
int  rc_read_frame_sync(int fd, struct wire_hdr *h, uint8_t **framep);
int  rc_write_all(int fd, struct iovec *iov, int niov);

/* rc_chan.c */
#define RC_CHAN_ONSOCKET (-1)	/* rc_chan_exchange: reply is on the socket */
/* Right after the handshake on fd: ask for a channel.  *chanp is the
 * mapping, or NULL if there is none (no error).  0 or errno (the
 * connection failed). */
int  rc_chan_request(int fd, uint8_t **chanp);
/* Make chan (or NULL) the channel, unmapping the old one. */
void rc_chan_install(uint8_t *chan);
/* The connection broke: wake the thread waiting in the channel. rc_lock
 * held. */
void rc_chan_close(void);
/* rumpclient_init: read RUMPCLIENT_BUSYPOLL into rc_busypoll_ns. */
void rc_chan_busypoll_setup(void);
/* Fork child: drop the parent's channel without touching it. */
void rc_chan_forget(void);
/* Take the channel for a request of len bytes: the mapping (release it
 * with rc_chan_release), or NULL when the call must use the socket. */
uint8_t *rc_chan_claim(size_t len);
void rc_chan_release(void);
/* Post the request and wait: 0 with the reply frame (malloc'd),
 * RC_CHAN_ONSOCKET when the reply comes on the socket under the request's
 * tag, or an errno value (ENOTCONN: connection lost). */
int  rc_chan_exchange(uint8_t *chan, const struct iovec *iov, int niov,
    int fd, struct wire_hdr *h, uint8_t **framep);

#endif /* CLIENT_RC_INTERNAL_H */
