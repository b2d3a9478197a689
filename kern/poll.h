/*
 * poll.h: the poll machinery that fo_poll implementations register with.
 *
 * fo_poll(fp, events, pt) checks readiness with the object's lock held;
 * when pt is not NULL and nothing asked for is ready, it calls
 * polltab_register(pt, &obj->waitq) before dropping the lock, so that a
 * later event wakes the polling lwp.  sys_poll removes every registration
 * before it returns.
 *
 * The events a fo_poll receives always include POLLERR and POLLHUP (poll
 * reports them whether asked or not); it returns the ready events among
 * them.  A file whose fo_poll is NULL is always readable and writable
 * (Linux's DEFAULT_POLLMASK).
 *
 * Rules for an object that registers: the waitq must stay alive until
 * poll removes the registration.  poll holds a reference to every file it
 * polls until then, so an object that lives as long as its files is safe.
 * Wake the waitq (waitq_wakeup) on every change of readiness.
 *
 * A polltab lives on the stack of sys_poll (kern/sys_poll.c); its waiters
 * are linked into the objects' waitqs, each under that waitq's lock.
 */
#ifndef KERN_POLL_H
#define KERN_POLL_H

#include "kern.h"
#include "sleep.h"

/* One registration: a waiter on one object's waitq. */
struct pollent {
	struct waiter	pe_waiter;	/* [pe_wq->wq_lock] */
	struct waitq	*pe_wq;		/* [c] where pe_waiter is queued */
};

#define POLLTAB_NINLINE	16	/* registrations without allocating */
#define POLLTAB_CHUNK	64	/* registrations per allocated chunk */

struct polltab_chunk {
	struct polltab_chunk	*pc_next;
	int			pc_n;	/* entries in use */
	struct pollent		pc_ent[POLLTAB_CHUNK];
};

/* The registrations of one poll call; used only by the polling lwp. */
struct polltab {
	struct lwp		*pt_lwp;	/* who is woken */
	int			pt_ninline;	/* pt_inline entries in use */
	int			pt_overflow;	/* a registration failed */
	struct polltab_chunk	*pt_chunks;	/* more entries */
	struct pollent		pt_inline[POLLTAB_NINLINE];
};

/* Register the polling lwp on wq (wq's lock held).  May fail silently on
 * ENOMEM, in which case poll falls back to a short timed re-check. */
void polltab_register(struct polltab *pt, struct waitq *wq);

/* Start an empty table for lwp l. */
void polltab_init(struct polltab *pt, struct lwp *l);
/* Remove every registration (takes each waitq's lock); the table may be
 * reused afterwards. */
void polltab_clear(struct polltab *pt);
/* Remove every registration and free the table's memory. */
void polltab_fini(struct polltab *pt);

/* No deadline for kern_poll. */
#define POLL_NO_DEADLINE INT64_MAX

/*
 * The body of poll(2)/ppoll(2), also for select-style callers: wait until
 * an fd in fds[0..nfds) is ready, the deadline (monotonic ns, as
 * hyp_clock_monotonic_ns(); POLL_NO_DEADLINE for none; in the past for no
 * wait) passes, or l is interrupted (EINTR).  sigmask, when not NULL, is
 * blocked in addition to the process mask during the wait.  fds is a
 * kernel pointer checked by the caller; nfds is bounded by the caller.
 * *nreadyp is the number of fds with nonzero revents.
 */
int kern_poll(struct lwp *l, struct kpollfd *fds, nfds_t nfds,
    int64_t deadline_ns, const ksigset_t *sigmask, int *nreadyp);

#endif /* KERN_POLL_H */
