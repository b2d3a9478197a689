/*
 * kern.h: what every kernel source file includes.
 *
 * kern/ is host-independent: it includes only freestanding C headers, the
 * hypercall interface (hyp/hyp.h) and its own headers.  Kernel functions
 * return 0 or a positive errno; -1/errno exists only at the public edge.
 */
#ifndef KERN_KERN_H
#define KERN_KERN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hyp.h"
#include "sys/abi.h"
#include "klib.h"
#include "list.h"

/* Assertions on kernel invariants (not on caller input: that gets errno). */
#define KASSERT(e) \
	((e) ? (void)0 : kpanic("assertion \"%s\" failed at %s:%d", #e, \
	    __FILE__, __LINE__))

/* Integer limits (limits.h is not freestanding-safe here). */
#define INT_MAX   __INT_MAX__
#define INT_MIN   (-INT_MAX - 1)
#define UINT_MAX  (INT_MAX * 2U + 1U)
#define LONG_MAX  __LONG_MAX__
#define LLONG_MAX __LONG_LONG_MAX__

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ROUNDUP(x, a) ((((x) + (a) - 1) / (a)) * (a))
#define container_of(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

/* Atomic reference counts and flags. */
#define atomic_inc_32(p)   __atomic_add_fetch((p), 1, __ATOMIC_ACQ_REL)
#define atomic_dec_32(p)   __atomic_sub_fetch((p), 1, __ATOMIC_ACQ_REL)
#define atomic_load(p)     __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_store(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define atomic_or(p, v)    __atomic_fetch_or((p), (v), __ATOMIC_ACQ_REL)
#define atomic_and(p, v)   __atomic_fetch_and((p), (v), __ATOMIC_ACQ_REL)

/* Locks: thin names over the hypercalls, as the kernel writes them. */
typedef struct hyp_mtx kmutex_t;
typedef struct hyp_cv kcondvar_t;
typedef struct hyp_rw krwlock_t;
#define mutex_init(m)		hyp_mtx_init(m)
#define mutex_destroy(m)	hyp_mtx_destroy(m)
#define mutex_enter(m)		hyp_mtx_enter(m)
#define mutex_tryenter(m)	hyp_mtx_tryenter(m)
#define mutex_exit(m)		hyp_mtx_exit(m)
#define cv_init(c)		hyp_cv_init(c)
#define cv_destroy(c)		hyp_cv_destroy(c)
#define cv_wait(c, m)		hyp_cv_wait(c, m)
#define cv_timedwait(c, m, d)	hyp_cv_timedwait(c, m, d)
#define cv_signal(c)		hyp_cv_signal(c)
#define cv_broadcast(c)		hyp_cv_broadcast(c)
#define rw_init(r)		hyp_rw_init(r)
#define rw_destroy(r)		hyp_rw_destroy(r)
#define rw_enter_read(r)	hyp_rw_enter_read(r)
#define rw_enter_write(r)	hyp_rw_enter_write(r)
#define rw_exit(r)		hyp_rw_exit(r)

/* Memory: kmem_zalloc returns zeroed memory; both return NULL on failure. */
#define kmem_alloc(n)		hyp_malloc(n)
#define kmem_zalloc(n)		hyp_calloc(1, (n))
#define kmem_realloc(p, n)	hyp_realloc((p), (n))
#define kmem_free(p)		hyp_free(p)

/* Time. */
void ktime_now(struct ktimespec *ts);		/* wall clock */
int64_t ktime_uptime_ns(void);			/* since boot */
void ktime_boot(void);				/* at boot: set kern_boottime */
extern struct ktimespec kern_boottime;

_Noreturn void kpanic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* KERN_KERN_H */
