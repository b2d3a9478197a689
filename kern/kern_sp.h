/*
 * kern_sp.h: what the sysproxy server needs from the kernel, declared
 * without kernel types so the server (host code) can include it.
 *
 * A connection is a process: kern_sp_newproc() creates it with its first
 * lwp; further lwps serve further requests of the same connection at the
 * same time.  The server binds an lwp to its thread with kern_sp_switch()
 * before calling ksyscall().
 */
#ifndef KERN_KERN_SP_H
#define KERN_KERN_SP_H

#include <stdint.h>

struct lwp;

#define KERN_SP_FDCOPY	0x01	/* child gets a copy of the parent's fds */
#define KERN_SP_FDCLEAN	0x02	/* child starts with no fds */

/*
 * New process, child of parent's process (or of init when parent is NULL),
 * with one lwp returned in *lp.  hostctx is stored for the signal hook.
 */
int  kern_sp_newproc(struct lwp *parent, int fdflags, const char *comm,
    void *hostctx, struct lwp **lp);
/* Another lwp in l's process. */
int  kern_sp_newlwp(struct lwp *l, struct lwp **lp);
/* Release an lwp; the last one ends its process. */
void kern_sp_release(struct lwp *l);
/* Bind l to the calling thread (NULL unbinds). */
void kern_sp_switch(struct lwp *l);
int32_t kern_sp_getpid(struct lwp *l);
/* The process's client context is now hostctx (fork claims, exec). */
void kern_sp_sethostctx(struct lwp *l, void *hostctx);
/* exec: close close-on-exec descriptors, take the new command name. */
void kern_sp_exec(struct lwp *l, const char *comm);
/* The connection is gone: end every blocking call of l's process. */
void kern_sp_kill(struct lwp *l);
/*
 * A request of l's process is about to run: signals sent before now have
 * been forwarded to the client's host process already, so they must not
 * also interrupt this call or a later one (Linux delivers a signal once).
 */
void kern_sp_syscall_enter(struct lwp *l);

/*
 * Hooks the server sets.  signal: a signal was sent to a process whose
 * hostctx is given (called with the process table locked: do not call
 * back into the kernel).  sleep: the calling lwp is about to block, so
 * the server can let another thread take over reading its connection.
 */
void kern_sp_sethooks(void (*signal)(void *hostctx, int sig),
    void (*sleep)(void));

#endif /* KERN_KERN_SP_H */
