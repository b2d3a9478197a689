/*
 * proc.h: processes, lightweight processes (lwps) and credentials.
 *
 * A process owns credentials, a cwd, a umask and a file descriptor table.
 * An lwp is the kernel context of one host thread acting for a process; a
 * host thread carries at most one current lwp (hyp_curlwp()).  Threads that
 * call into the kernel without one get an implicit lwp in init (pid 1),
 * released when the host thread exits.
 *
 * Locking: proctab_lock (kern/proc.c) protects the pid table and the
 * parent/child links; p_lock protects the fields marked [p]; fields marked
 * [c] are constant after creation.  Order: proctab_lock -> p_lock -> l_lock.
 */
#ifndef KERN_PROC_H
#define KERN_PROC_H

#include "kern.h"

struct filedesc;
struct vnode;

/* Credentials are immutable once published and shared by reference. */
struct cred {
	uint32_t cr_refcnt;
	uid_t cr_uid, cr_euid, cr_suid, cr_fsuid;
	gid_t cr_gid, cr_egid, cr_sgid, cr_fsgid;
	int   cr_ngroups;
	gid_t *cr_groups;		/* cr_ngroups entries, sorted */
};

struct proc {
	pid_t		p_pid;		/* [c] */
	struct proc	*p_pptr;	/* [proctab_lock] parent */
	struct klist	p_children;	/* [proctab_lock] */
	struct klist	p_sibling;	/* [proctab_lock] */
	struct klist	p_hashlink;	/* [proctab_lock] pid table */
	char		p_comm[32];	/* [p] command name */
	kmutex_t	p_lock;
	struct cred	*p_cred;	/* [p] */
	struct vnode	*p_cwd;		/* [p] referenced */
	struct vnode	*p_rootdir;	/* [p] referenced */
	mode_t		p_umask;	/* [p] */
	struct filedesc	*p_fd;		/* [c] may be shared (rfork 0) */
	struct klist	p_lwps;		/* [p] */
	int		p_nlwps;	/* [p] */
	int		p_dead;		/* [p] last lwp gone: exit under way */
	int		p_exiting;	/* [atomic] set once, never cleared */
	uint64_t	p_sigpending;	/* [atomic] bit (sig-1) */
	uint64_t	p_sigmask;	/* [p] blocked signals */
	void		*p_hostctx;	/* [c] owner's context (server) */
};

struct lwp {
	struct proc	*l_proc;	/* [c] */
	int		l_lid;		/* [c] */
	struct klist	l_sibling;	/* [p_lock] in p_lwps */
	kmutex_t	l_lock;
	kcondvar_t	l_cv;		/* lwp_sleep waits here */
	int		l_woken;	/* [l_lock] */
	int		l_implicit;	/* [c] made for a thread without one */
	uint64_t	l_sigmask_wait;	/* [l_lock] extra mask during ppoll */
};

/* The calling thread's lwp and process; creates the implicit lwp. */
struct lwp *curlwp(void);
#define curproc() (curlwp()->l_proc)

/* Process table. */
extern struct proc *initproc;		/* pid 1 */
int  proc_init(void);			/* at boot: creates init */
/* Create a child of parent; fdflags as in rfork (RF_*). */
int  proc_create(struct proc *parent, int fdflags, struct proc **pp);
/* Release everything p holds and remove it; p has no lwps left. */
void proc_exit(struct proc *p);
/* Find a live process and return it with proctab_lock held; NULL if none. */
struct proc *proc_find_locked(pid_t pid);
void proctab_enter(void);
void proctab_exit(void);
/* Mark p exiting and wake all its lwps so blocking calls end with EINTR. */
void proc_kill_all_lwps(struct proc *p);
/* Send signal sig to p (0 only checks existence); records and wakes. */
int  proc_signal(struct proc *p, int sig);
/* A call ended with EINTR: clear the pending unmasked signals. */
void proc_sigconsume(struct proc *p);
/* Hook for signals: the server forwards them to its client.  Called with
 * proctab_lock held; it must not call back into the process table. */
extern void (*proc_signal_hook)(struct proc *p, int sig);
/* Iterate over processes for ps-style listings: returns the next pid > pid. */
int  proc_next_pid(pid_t after, pid_t *next);

#define RF_FDCOPY	0x01	/* child gets a copy of the parent's fds */
#define RF_FDCLEAN	0x02	/* child starts with an empty fd table */
				/* neither: the child shares the table */

/* lwps. */
int  lwp_create(struct proc *p, struct lwp **lp);
/* Release l; when it was the process's last lwp, the process exits. */
void lwp_release(struct lwp *l);
void lwp_switch(struct lwp *l);		/* make l the calling thread's lwp */
void lwp_free_unlinked(struct lwp *l);	/* free an lwp in no process */
int  lwp_implicit(struct lwp **lp);	/* new implicit lwp for this thread */
void lwp_thread_exit(void *l);		/* hyp thread-exit hook */

/* Credentials. */
struct cred *cred_hold(struct cred *cr);
void cred_release(struct cred *cr);
struct cred *proc_cred(struct proc *p);	/* returns a held reference */
int  cred_groupmember(const struct cred *cr, gid_t gid);
#define cred_is_root(cr) ((cr)->cr_euid == 0)

#endif /* KERN_PROC_H */
