/*
 * rumpclient.h: the client side of remote system calls (rumpclient(3)).
 *
 * rumpclient_init() connects to the server named by $RUMP_SERVER
 * (unix://path or tcp://addr:port, see rump_sp(7)); afterwards the
 * rump_sys_* calls of <rump/rump_syscalls.h> run in that kernel, in a
 * process of their own.  All functions return -1 and set errno on failure
 * unless said otherwise.  Thread-safe: calls from many threads are in
 * flight at once.
 */
#ifndef RUMP_RUMPCLIENT_H
#define RUMP_RUMPCLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <rump/rump_syscalls.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rumpclient_fork;

int rumpclient_init(void);

/* Fork the host process; the child gets a copy of the kernel fds. */
pid_t rumpclient_fork(void);
/*
 * Like rumpclient_fork().  The host's fork(2) is used rather than
 * vfork(2): a vfork child shares its parent's memory and so could not open
 * its own connection without breaking the parent's.
 */
pid_t rumpclient_vfork(void);

/* The low-level parts of rumpclient_fork(). */
struct rumpclient_fork *rumpclient_prefork(void);
int  rumpclient_fork_init(struct rumpclient_fork *rfp);
void rumpclient_fork_cancel(struct rumpclient_fork *rfp);

/* execve(2) keeping the kernel process (pid, non-close-on-exec fds). */
int rumpclient_exec(const char *path, char *const argv[], char *const envp[]);
/* daemon(3) keeping the kernel process working in the child. */
int rumpclient_daemon(int nochdir, int noclose);

/* How long to try reconnecting after a broken connection. */
#define RUMPCLIENT_RETRYCONN_INFTIME	((time_t)-1)
#define RUMPCLIENT_RETRYCONN_ONCE	((time_t)-2)
#define RUMPCLIENT_RETRYCONN_DIE	((time_t)-3)
void rumpclient_setconnretry(time_t retrytime);

/*
 * Make system call num with pre-marshalled arguments: sysarg points to
 * argsize / 8 64-bit argument slots (at most 6), as the rump_sys_*
 * functions pass them.  retval[0] receives the return value.
 */
int rumpclient_syscall(int num, const void *sysarg, size_t argsize,
    int64_t *retval);

#ifdef __cplusplus
}
#endif

#endif /* RUMP_RUMPCLIENT_H */
