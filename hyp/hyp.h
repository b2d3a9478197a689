/*
 * hyp.h: the hypercall interface, everything the kernel asks of its host.
 *
 * This header is the only door between kern/ and the host.  It uses only
 * freestanding C types, so kern/ can include it without any host header.
 * Everything here is implemented in the hyp/ sources, the only code in the project
 * (besides the lwIP glue) that calls the host C library or Linux.
 *
 * Conventions: functions that can fail return 0 or a positive Linux errno.
 * Lock and condition objects have a fixed size so that kernel structures can
 * embed them; hyp/ checks at compile time that the host objects fit.
 */
#ifndef HYP_HYP_H
#define HYP_HYP_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define HYP_VERSION 1

/* Opaque storage for host synchronisation objects. */
struct hyp_mtx { _Alignas(16) unsigned char hm_opaque[64]; };
struct hyp_cv  { _Alignas(16) unsigned char hc_opaque[64]; };
struct hyp_rw  { _Alignas(16) unsigned char hr_opaque[64]; };
struct hyp_thread;

/* Mutexes (non-recursive). */
void hyp_mtx_init(struct hyp_mtx *m);
void hyp_mtx_destroy(struct hyp_mtx *m);
void hyp_mtx_enter(struct hyp_mtx *m);
int  hyp_mtx_tryenter(struct hyp_mtx *m);        /* 1 if taken, 0 if busy */
void hyp_mtx_exit(struct hyp_mtx *m);

/* Condition variables, always used with a hyp_mtx. */
void hyp_cv_init(struct hyp_cv *c);
void hyp_cv_destroy(struct hyp_cv *c);
void hyp_cv_wait(struct hyp_cv *c, struct hyp_mtx *m);
/* Wait until the monotonic clock reaches deadline_ns; 0 or ETIMEDOUT. */
int  hyp_cv_timedwait(struct hyp_cv *c, struct hyp_mtx *m, int64_t deadline_ns);
void hyp_cv_signal(struct hyp_cv *c);
void hyp_cv_broadcast(struct hyp_cv *c);

/* Reader/writer locks. */
void hyp_rw_init(struct hyp_rw *rw);
void hyp_rw_destroy(struct hyp_rw *rw);
void hyp_rw_enter_read(struct hyp_rw *rw);
void hyp_rw_enter_write(struct hyp_rw *rw);
void hyp_rw_exit(struct hyp_rw *rw);

/* Memory.  hyp_malloc returns NULL when out of memory. */
void *hyp_malloc(size_t n);
void *hyp_calloc(size_t nmemb, size_t size);
void *hyp_realloc(void *p, size_t n);
void  hyp_free(void *p);

/* Clocks, in nanoseconds. */
int64_t hyp_clock_realtime_ns(void);
int64_t hyp_clock_monotonic_ns(void);

/* Cryptographic-quality random bytes. */
void hyp_getrandom(void *buf, size_t n);

/* Threads.  fn runs on a new host thread. */
int  hyp_thread_create(void (*fn)(void *), void *arg, const char *name,
    struct hyp_thread **tp);
int  hyp_thread_join(struct hyp_thread *t);
void hyp_thread_yield(void);

/*
 * The kernel's per-thread context pointer (the current lwp).  When a host
 * thread that has one exits, the hook set by hyp_set_thread_exit_hook is
 * called with it, so the kernel can release it.
 */
void *hyp_curlwp(void);
void  hyp_set_curlwp(void *lwp);
void  hyp_set_thread_exit_hook(void (*hook)(void *lwp));

/* Facts about the host machine, as configured (see hyp_configure). */
int      hyp_ncpu(void);
uint64_t hyp_physmem(void);
int      hyp_pagesize(void);

/*
 * Before boot, the program embedding the kernel may set the number of
 * CPUs the kernel reports and a limit on the memory the kernel allocates
 * (0: none).  With a limit, hyp_malloc fails once it would be exceeded
 * and hyp_physmem reports the limit.
 */
void hyp_configure(int ncpu, uint64_t memlimit);

/* Console output and fatal errors. */
void hyp_console_write(const char *s, size_t n);
int  hyp_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
_Noreturn void hyp_panic(const char *msg);

/*
 * Host files used as block devices.  A handle is a small integer owned by
 * hyp/.  hyp_file_open opens read-write when writable is nonzero and the
 * file allows it, otherwise read-only, and says which through *rdonly.
 */
int hyp_file_open(const char *path, int writable, int *handle,
    uint64_t *size, int *rdonly);
int hyp_file_pread(int handle, void *buf, size_t n, uint64_t off,
    size_t *done);
int hyp_file_pwrite(int handle, const void *buf, size_t n, uint64_t off,
    size_t *done);
int hyp_file_fsync(int handle);
int hyp_file_close(int handle);

#endif /* HYP_HYP_H */
