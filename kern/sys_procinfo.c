/*
 * sys_procinfo.c: getprocs(2), the process listing behind rump.ps.
 */
#include "kern.h"
#include "file.h"
#include "proc.h"
#include "sysproto.h"

/* Count the open descriptors of a table. */
static int
fdesc_count(struct filedesc *fdp)
{
	int n = 0;

	mutex_enter(&fdp->fd_lock);
	for (int i = 0; i < fdp->fd_nfiles; i++)
		if (fdp->fd_ofiles[i].fe_file != NULL)
			n++;
	mutex_exit(&fdp->fd_lock);
	return n;
}

/* Fill info for pid; ESRCH if it went away meanwhile. */
static int
procinfo_fill(pid_t pid, struct kprocinfo *pi)
{
	struct proc *p = proc_find_locked(pid);

	if (p == NULL)
		return ESRCH;
	memset(pi, 0, sizeof(*pi));
	pi->pi_pid = p->p_pid;
	pi->pi_ppid = p->p_pptr != NULL ? p->p_pptr->p_pid : 0;
	mutex_enter(&p->p_lock);
	pi->pi_uid = p->p_cred->cr_uid;
	pi->pi_euid = p->p_cred->cr_euid;
	pi->pi_gid = p->p_cred->cr_gid;
	pi->pi_egid = p->p_cred->cr_egid;
	pi->pi_nlwps = p->p_nlwps;
	kstrlcpy(pi->pi_comm, p->p_comm, sizeof(pi->pi_comm));
	mutex_exit(&p->p_lock);
	pi->pi_nfds = fdesc_count(p->p_fd);
	proctab_exit();
	return 0;
}

/*
 * Fill buf with up to n processes whose pid is above 'after', in pid
 * order; the number filled is returned.
 */
int
sys_getprocs(struct lwp *l, pid_t after, struct kprocinfo *buf, int n,
    register_t *retval)
{
	int count = 0;

	if (n < 0)
		return EINVAL;
	if (buf == NULL && n > 0)
		return EFAULT;
	while (count < n) {
		pid_t next;

		if (proc_next_pid(after, &next) != 0)
			break;
		if (procinfo_fill(next, &buf[count]) == 0)
			count++;
		after = next;
	}
	*retval = count;
	return 0;
}
