/*
 * hyp_sync.c: mutexes, condition variables and rwlocks on POSIX threads.
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "hyp.h"

_Static_assert(sizeof(pthread_mutex_t) <= sizeof(struct hyp_mtx), "hyp_mtx too small");
_Static_assert(sizeof(pthread_cond_t) <= sizeof(struct hyp_cv), "hyp_cv too small");
_Static_assert(sizeof(pthread_rwlock_t) <= sizeof(struct hyp_rw), "hyp_rw too small");

#define MTX(m) ((pthread_mutex_t *)(void *)(m)->hm_opaque)
#define CV(c) ((pthread_cond_t *)(void *)(c)->hc_opaque)
#define RW(r) ((pthread_rwlock_t *)(void *)(r)->hr_opaque)

/* Abort on a host lock error: it means kernel state is already corrupt. */
static void
check(int rv, const char *what)
{
	if (rv != 0)
		hyp_panic(what);
}

void
hyp_mtx_init(struct hyp_mtx *m)
{
	check(pthread_mutex_init(MTX(m), NULL), "mutex init");
}

void
hyp_mtx_destroy(struct hyp_mtx *m)
{
	check(pthread_mutex_destroy(MTX(m)), "mutex destroy");
}

void
hyp_mtx_enter(struct hyp_mtx *m)
{
	check(pthread_mutex_lock(MTX(m)), "mutex enter");
}

int
hyp_mtx_tryenter(struct hyp_mtx *m)
{
	return pthread_mutex_trylock(MTX(m)) == 0;
}

void
hyp_mtx_exit(struct hyp_mtx *m)
{
	check(pthread_mutex_unlock(MTX(m)), "mutex exit");
}

/* Condition variables wait on the monotonic clock. */
void
hyp_cv_init(struct hyp_cv *c)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	check(pthread_cond_init(CV(c), &a), "cv init");
	pthread_condattr_destroy(&a);
}

void
hyp_cv_destroy(struct hyp_cv *c)
{
	check(pthread_cond_destroy(CV(c)), "cv destroy");
}

void
hyp_cv_wait(struct hyp_cv *c, struct hyp_mtx *m)
{
	check(pthread_cond_wait(CV(c), MTX(m)), "cv wait");
}

int
hyp_cv_timedwait(struct hyp_cv *c, struct hyp_mtx *m, int64_t deadline_ns)
{
	struct timespec ts;
	int rv;

	if (deadline_ns < 0)
		deadline_ns = 0;
	ts.tv_sec = deadline_ns / 1000000000;
	ts.tv_nsec = deadline_ns % 1000000000;
	rv = pthread_cond_timedwait(CV(c), MTX(m), &ts);
	if (rv == ETIMEDOUT)
		return ETIMEDOUT;
	check(rv, "cv timedwait");
	return 0;
}

void
hyp_cv_signal(struct hyp_cv *c)
{
	pthread_cond_signal(CV(c));
}

void
hyp_cv_broadcast(struct hyp_cv *c)
{
	pthread_cond_broadcast(CV(c));
}

void
hyp_rw_init(struct hyp_rw *rw)
{
	check(pthread_rwlock_init(RW(rw), NULL), "rwlock init");
}

void
hyp_rw_destroy(struct hyp_rw *rw)
{
	check(pthread_rwlock_destroy(RW(rw)), "rwlock destroy");
}

void
hyp_rw_enter_read(struct hyp_rw *rw)
{
	check(pthread_rwlock_rdlock(RW(rw)), "rwlock read");
}

void
hyp_rw_enter_write(struct hyp_rw *rw)
{
	check(pthread_rwlock_wrlock(RW(rw)), "rwlock write");
}

void
hyp_rw_exit(struct hyp_rw *rw)
{
	check(pthread_rwlock_unlock(RW(rw)), "rwlock exit");
}
