/*
 * sleep.c: wait queues and lwp sleep/wakeup (the model is in sleep.h).
 */
#include "kern.h"
#include "proc.h"
#include "sleep.h"

void
waitq_init(struct waitq *wq, kmutex_t *lock)
{
	klist_init(&wq->wq_waiters);
	wq->wq_lock = lock;
}

void
waitq_destroy(struct waitq *wq)
{
	KASSERT(klist_empty(&wq->wq_waiters));
}

void
waiter_init(struct waiter *w, struct lwp *l)
{
	klist_init(&w->w_link);
	w->w_lwp = l;
	w->w_q = NULL;
}

void
waitq_add(struct waitq *wq, struct waiter *w)
{
	KASSERT(w->w_q == NULL);
	klist_append(&wq->wq_waiters, &w->w_link);
	w->w_q = wq;
}

void
waitq_remove(struct waiter *w)
{
	if (w->w_q != NULL) {
		klist_remove(&w->w_link);
		w->w_q = NULL;
	}
}

/* Wake every lwp waiting on wq; they re-check their condition. */
void
waitq_wakeup(struct waitq *wq)
{
	struct klist *it;

	klist_foreach(it, &wq->wq_waiters)
		lwp_wakeup(klist_entry(it, struct waiter, w_link)->w_lwp);
}

void
lwp_wakeup(struct lwp *l)
{
	mutex_enter(&l->l_lock);
	atomic_store(&l->l_woken, 1);	/* lwp_sleep's hint reads it unlocked */
	cv_signal(&l->l_cv);
	mutex_exit(&l->l_lock);
}

/* Exiting, or a pending signal not blocked by the process or the wait. */
int
lwp_interrupted(struct lwp *l)
{
	struct proc *p = l->l_proc;
	uint64_t pending;

	if (atomic_load(&p->p_exiting))
		return 1;
	pending = atomic_load(&p->p_sigpending);
	if (pending == 0)
		return 0;
	return (pending & ~(__atomic_load_n(&p->p_sigmask, __ATOMIC_RELAXED) |
	    l->l_sigmask_wait)) != 0;
}

void (*lwp_sleep_hook)(void);

int
lwp_sleep(struct lwp *l, int64_t deadline_ns)
{
	int error = 0;

	/* A hint for the server, read without the lock: a wakeup that has
	 * already come means this sleep will not block. */
	if (lwp_sleep_hook != NULL && !atomic_load(&l->l_woken))
		lwp_sleep_hook();

	mutex_enter(&l->l_lock);
	while (!l->l_woken) {
		if (lwp_interrupted(l)) {
			error = EINTR;
			break;
		}
		if (deadline_ns == 0) {
			cv_wait(&l->l_cv, &l->l_lock);
			continue;
		}
		if (cv_timedwait(&l->l_cv, &l->l_lock, deadline_ns) ==
		    ETIMEDOUT && !l->l_woken) {
			error = ETIMEDOUT;
			break;
		}
	}
	l->l_woken = 0;
	mutex_exit(&l->l_lock);
	return error;
}
