/*
 * kern_init.c: booting the kernel, and the process-context operations
 * behind the public rump_pub_lwproc_* calls.
 */
#include "kern.h"
#include "kern_init.h"
#include "proc.h"
#include "sysctl.h"
#include "dev/blkdev.h"
#include "vfs/vfs.h"

static int boot_state;		/* 0 not booted, 1 booting, 2 up, 3 failed */
static int boot_error;
static int halted;
void (*kern_halt_hook)(int cmd);

/* Bring the subsystems up in dependency order. */
static int
kern_boot_once(void)
{
	int error;

	ktime_boot();
	if ((error = sysctl_init()) != 0)
		return error;
	if ((error = vfs_init()) != 0)
		return error;
	if ((error = proc_init()) != 0)
		return error;
	blkdev_init();
	hyp_set_thread_exit_hook(lwp_thread_exit);
	return 0;
}

int
kern_boot(void)
{
	int expected = 0;

	if (__atomic_compare_exchange_n(&boot_state, &expected, 1, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		boot_error = kern_boot_once();
		atomic_store(&boot_state, boot_error ? 3 : 2);
		return boot_error;
	}
	while (atomic_load(&boot_state) == 1)
		hyp_thread_yield();
	return atomic_load(&boot_state) == 2 ? 0 : boot_error;
}

void
kern_shutdown(void)
{
	vfs_syncall();
	blkdev_syncall();
}

int
kern_halted(void)
{
	return atomic_load(&halted);
}

/* reboot(2) calls this after its checks. */
void
kern_halt(int cmd)
{
	kern_shutdown();
	atomic_store(&halted, 1);
	if (kern_halt_hook != NULL)
		kern_halt_hook(cmd);
}

int
kern_lwproc_rfork(int flags)
{
	struct proc *np;
	struct lwp *nl;
	int fdflags = 0, error;

	if (flags & ~(RF_FDCOPY | RF_FDCLEAN) ||
	    (flags & (RF_FDCOPY | RF_FDCLEAN)) == (RF_FDCOPY | RF_FDCLEAN))
		return EINVAL;
	fdflags = flags;
	if ((error = proc_create(curproc(), fdflags, &np)) != 0)
		return error;
	if ((error = lwp_create(np, &nl)) != 0) {
		proc_exit(np);
		return error;
	}
	lwp_switch(nl);
	return 0;
}

int
kern_lwproc_newlwp(int32_t pid)
{
	struct proc *p;
	struct lwp *l;
	int error;

	if ((p = proc_find_locked(pid)) == NULL)
		return ESRCH;
	error = lwp_create(p, &l);
	proctab_exit();
	if (error == 0)
		lwp_switch(l);
	return error;
}

void
kern_lwproc_switch(struct lwp *l)
{
	lwp_switch(l);
}

void
kern_lwproc_releaselwp(void)
{
	struct lwp *l = hyp_curlwp();

	if (l != NULL)
		lwp_release(l);
}

/* The caller may switch back to the lwp it is given, so an implicit lwp
 * handed out here becomes an ordinary one that switching away keeps. */
struct lwp *
kern_lwproc_curlwp(void)
{
	struct lwp *l = curlwp();

	l->l_implicit = 0;
	return l;
}

int
kern_lwproc_setcomm(const char *name)
{
	struct proc *p = curproc();

	mutex_enter(&p->p_lock);
	kstrlcpy(p->p_comm, name, sizeof(p->p_comm));
	mutex_exit(&p->p_lock);
	return 0;
}
