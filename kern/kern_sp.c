/*
 * kern_sp.c: the kernel side of the sysproxy server (see kern_sp.h).
 */
#include "kern.h"
#include "file.h"
#include "kern_sp.h"
#include "proc.h"
#include "sleep.h"

static void (*sp_signal_hook)(void *, int);

/* proc_signal_hook: forward a signal to the process's client, if any. */
static void
sp_signal(struct proc *p, int sig)
{
	if (p->p_hostctx != NULL && sp_signal_hook != NULL)
		sp_signal_hook(p->p_hostctx, sig);
}

void
kern_sp_sethooks(void (*signal)(void *, int), void (*sleep)(void))
{
	sp_signal_hook = signal;
	proc_signal_hook = signal != NULL ? sp_signal : NULL;
	lwp_sleep_hook = sleep;
}

int
kern_sp_newproc(struct lwp *parent, int fdflags, const char *comm,
    void *hostctx, struct lwp **lp)
{
	struct proc *pp = parent != NULL ? parent->l_proc : initproc;
	struct proc *p;
	int error, rf = 0;

	if (fdflags & KERN_SP_FDCOPY)
		rf |= RF_FDCOPY;
	if (fdflags & KERN_SP_FDCLEAN)
		rf |= RF_FDCLEAN;
	if ((error = proc_create(pp, rf, &p)) != 0)
		return error;
	if (comm != NULL)
		kstrlcpy(p->p_comm, comm, sizeof(p->p_comm));
	p->p_hostctx = hostctx;
	if ((error = lwp_create(p, lp)) != 0)
		proc_exit(p);
	return error;
}

int
kern_sp_newlwp(struct lwp *l, struct lwp **lp)
{
	return lwp_create(l->l_proc, lp);
}

void
kern_sp_release(struct lwp *l)
{
	lwp_release(l);
}

void
kern_sp_switch(struct lwp *l)
{
	lwp_switch(l);
}

int32_t
kern_sp_getpid(struct lwp *l)
{
	return l->l_proc->p_pid;
}

void
kern_sp_sethostctx(struct lwp *l, void *hostctx)
{
	struct proc *p = l->l_proc;

	proctab_enter();		/* the signal hook reads it under this */
	p->p_hostctx = hostctx;
	proctab_exit();
}

void
kern_sp_exec(struct lwp *l, const char *comm)
{
	struct proc *p = l->l_proc;

	fdesc_close_on_exec(p->p_fd);
	mutex_enter(&p->p_lock);
	kstrlcpy(p->p_comm, comm, sizeof(p->p_comm));
	mutex_exit(&p->p_lock);
}

void
kern_sp_kill(struct lwp *l)
{
	proc_kill_all_lwps(l->l_proc);
}

void
kern_sp_syscall_enter(struct lwp *l)
{
	struct proc *p = l->l_proc;

	if (atomic_load(&p->p_sigpending) != 0)
		proc_sigconsume(p);
}
