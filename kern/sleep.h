/*
 * sleep.h: blocking.  Every kernel object that a call can wait on has a
 * waitq protected by that object's own mutex.  A waiting lwp puts a waiter
 * on the queue(s), drops the object lock and sleeps on its own condition
 * variable; a wakeup marks the lwp woken.  Because the sleep and the wakeup
 * meet under l_lock, no wakeup is lost, and killing a process needs no
 * object lock: it just wakes every lwp of the process.
 *
 * Pattern (caller holds obj->lock):
 *	while (!ready(obj)) {
 *		if (nonblocking) return EAGAIN;
 *		waiter_init(&w, l); waitq_add(&obj->wq, &w);
 *		mutex_exit(&obj->lock);
 *		error = lwp_sleep(l, deadline);
 *		mutex_enter(&obj->lock);
 *		waitq_remove(&w);
 *		if (error) return error;
 *	}
 */
#ifndef KERN_SLEEP_H
#define KERN_SLEEP_H

#include "kern.h"
#include "proc.h"

struct waitq {
	struct klist	wq_waiters;
	kmutex_t	*wq_lock;	/* the owning object's lock */
};

struct waiter {
	struct klist	w_link;
	struct lwp	*w_lwp;
	struct waitq	*w_q;		/* NULL when not queued */
};

void waitq_init(struct waitq *wq, kmutex_t *lock);
void waitq_destroy(struct waitq *wq);
void waiter_init(struct waiter *w, struct lwp *l);
void waitq_add(struct waitq *wq, struct waiter *w);	/* wq_lock held */
void waitq_remove(struct waiter *w);			/* wq_lock held */
void waitq_wakeup(struct waitq *wq);			/* wq_lock held */

/*
 * Sleep until woken, the deadline (monotonic ns, 0 = none) passes, or the
 * process is killed/signalled.  Returns 0, ETIMEDOUT or EINTR.
 */
int  lwp_sleep(struct lwp *l, int64_t deadline_ns);
void lwp_wakeup(struct lwp *l);
/* Called (when set) just before an lwp blocks: see kern_sp.h. */
extern void (*lwp_sleep_hook)(void);
/* Nonzero when l's process has an unmasked pending signal or is exiting. */
int  lwp_interrupted(struct lwp *l);

#endif /* KERN_SLEEP_H */
