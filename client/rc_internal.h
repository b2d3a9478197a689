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
 * Locking: rc_lock protects the waiter list, the reader role and the
 * connection state; rc_sendlock serialises frames going out.  Order:
 * rc_lock -> rc_sendlock is never needed: they are taken one at a time.
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

struct rc_waiter {
	struct rc_waiter	*w_next;
	uint64_t		w_tag;
	pthread_cond_t		w_cv;
	int			w_done;		/* reply (or failure) is in */
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

#endif /* CLIENT_RC_INTERNAL_H */
