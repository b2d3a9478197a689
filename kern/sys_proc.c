/*
 * sys_proc.c: process identity and credential system calls: getpid,
 * getppid, get/set uid and gid, supplementary groups, umask and kill.
 *
 * Credentials are immutable and shared by reference.  To change them we
 * build a new struct cred from the current one and swap p->p_cred under
 * p_lock, so that the permission check and the swap see the same
 * credentials even when several lwps of a process change them at once.
 * "Root" means effective uid 0 (Linux's CAP_SETUID/CAP_SETGID/CAP_KILL).
 */
#include "kern.h"
#include "file.h"
#include "proc.h"
#include "sysproto.h"

#define INVALID_ID ((uint32_t)-1)	/* (uid_t)-1 / (gid_t)-1 */

/*
 * A private copy of cr with one reference; groups (ngroups entries) when
 * given replace cr's and become owned by the copy.  NULL on ENOMEM.
 */
static struct cred *
sysproc_cred_copy(const struct cred *cr, gid_t *groups, int ngroups)
{
	struct cred *ncr;

	ncr = kmem_zalloc(sizeof(*ncr));
	if (ncr == NULL)
		return NULL;
	/* Field by field: cr_refcnt changes under us (atomically). */
	ncr->cr_refcnt = 1;
	ncr->cr_uid = cr->cr_uid;
	ncr->cr_euid = cr->cr_euid;
	ncr->cr_suid = cr->cr_suid;
	ncr->cr_fsuid = cr->cr_fsuid;
	ncr->cr_gid = cr->cr_gid;
	ncr->cr_egid = cr->cr_egid;
	ncr->cr_sgid = cr->cr_sgid;
	ncr->cr_fsgid = cr->cr_fsgid;
	ncr->cr_ngroups = cr->cr_ngroups;
	if (groups != NULL || ngroups == 0) {
		ncr->cr_groups = groups;
		ncr->cr_ngroups = ngroups;
		return ncr;
	}
	if (cr->cr_ngroups == 0) {
		ncr->cr_groups = NULL;
		return ncr;
	}
	ncr->cr_groups = kmem_alloc((size_t)cr->cr_ngroups * sizeof(gid_t));
	if (ncr->cr_groups == NULL) {
		kmem_free(ncr);
		return NULL;
	}
	memcpy(ncr->cr_groups, cr->cr_groups,
	    (size_t)cr->cr_ngroups * sizeof(gid_t));
	return ncr;
}

/* Publish ncr as p's credentials (p_lock held); returns the old ones. */
static struct cred *
sysproc_swapcred_locked(struct proc *p, struct cred *ncr)
{
	struct cred *old = p->p_cred;

	p->p_cred = ncr;
	return old;
}

/* getpid(2). */
int
sys_getpid(struct lwp *l, register_t *retval)
{
	*retval = l->l_proc->p_pid;
	return 0;
}

/* getppid(2): 0 for init, which has no parent. */
int
sys_getppid(struct lwp *l, register_t *retval)
{
	struct proc *p = l->l_proc;

	proctab_enter();
	*retval = p->p_pptr != NULL ? p->p_pptr->p_pid : 0;
	proctab_exit();
	return 0;
}

/* Which id sysproc_getid() reads. */
enum credid { CID_UID, CID_EUID, CID_GID, CID_EGID };

/* One id of p's current credentials. */
static uint32_t
sysproc_getid(struct proc *p, enum credid which)
{
	struct cred *cr;
	uint32_t id = 0;

	mutex_enter(&p->p_lock);
	cr = p->p_cred;
	switch (which) {
	case CID_UID:  id = cr->cr_uid; break;
	case CID_EUID: id = cr->cr_euid; break;
	case CID_GID:  id = cr->cr_gid; break;
	case CID_EGID: id = cr->cr_egid; break;
	}
	mutex_exit(&p->p_lock);
	return id;
}

int
sys_getuid(struct lwp *l, register_t *retval)
{
	*retval = sysproc_getid(l->l_proc, CID_UID);
	return 0;
}

int
sys_geteuid(struct lwp *l, register_t *retval)
{
	*retval = sysproc_getid(l->l_proc, CID_EUID);
	return 0;
}

int
sys_getgid(struct lwp *l, register_t *retval)
{
	*retval = sysproc_getid(l->l_proc, CID_GID);
	return 0;
}

int
sys_getegid(struct lwp *l, register_t *retval)
{
	*retval = sysproc_getid(l->l_proc, CID_EGID);
	return 0;
}

/*
 * The body of setuid and setgid (isgid): root sets the real, effective,
 * saved and filesystem ids; anyone else may set the effective (and fs)
 * id to the real or saved id only (EPERM).  (uint32_t)-1 is EINVAL.
 */
static int
sysproc_setid(struct proc *p, uint32_t id, int isgid)
{
	struct cred *cr, *ncr, *old = NULL;
	int error = 0, root;

	if (id == INVALID_ID)
		return EINVAL;
	mutex_enter(&p->p_lock);
	cr = p->p_cred;
	root = cred_is_root(cr);
	if (!root && (isgid ? id != cr->cr_gid && id != cr->cr_sgid :
	    id != cr->cr_uid && id != cr->cr_suid)) {
		error = EPERM;
		goto out;
	}
	if ((ncr = sysproc_cred_copy(cr, NULL, -1)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if (isgid) {
		if (root)
			ncr->cr_gid = ncr->cr_sgid = id;
		ncr->cr_egid = ncr->cr_fsgid = id;
	} else {
		if (root)
			ncr->cr_uid = ncr->cr_suid = id;
		ncr->cr_euid = ncr->cr_fsuid = id;
	}
	old = sysproc_swapcred_locked(p, ncr);
out:
	mutex_exit(&p->p_lock);
	if (old != NULL)
		cred_release(old);
	return error;
}

/* setuid(2): see sysproc_setid (root: CAP_SETUID). */
int
sys_setuid(struct lwp *l, uid_t uid, register_t *retval)
{
	int error;

	if ((error = sysproc_setid(l->l_proc, uid, 0)) == 0)
		*retval = 0;
	return error;
}

/* setgid(2): as setuid, for the group ids (root: CAP_SETGID). */
int
sys_setgid(struct lwp *l, gid_t gid, register_t *retval)
{
	int error;

	if ((error = sysproc_setid(l->l_proc, gid, 1)) == 0)
		*retval = 0;
	return error;
}

/*
 * getgroups(2): size 0 returns the count without writing; a size below
 * the count is EINVAL.  list is only written when there are groups.
 */
int
sys_getgroups(struct lwp *l, int size, gid_t *list, register_t *retval)
{
	struct cred *cr;
	int error = 0;

	if (size < 0)
		return EINVAL;
	cr = proc_cred(l->l_proc);
	if (size == 0 || cr->cr_ngroups == 0)
		goto done;
	if (size < cr->cr_ngroups) {
		error = EINVAL;
		goto out;
	}
	if (list == NULL) {
		error = EFAULT;
		goto out;
	}
	memcpy(list, cr->cr_groups, (size_t)cr->cr_ngroups * sizeof(gid_t));
done:
	*retval = cr->cr_ngroups;
out:
	cred_release(cr);
	return error;
}

/* Move a[i] down the max-heap a[0..n) to its place (heapsort). */
static void
gid_siftdown(gid_t *a, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;
		gid_t t;

		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[i] >= a[c])
			return;
		t = a[i], a[i] = a[c], a[c] = t;
		i = c;
	}
}

/* Sort n gids ascending, in place, in O(n log n): cred_groupmember
 * searches them by bisection. */
static void
gid_sort(gid_t *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		gid_siftdown(a, i, n);
	for (size_t end = n; end > 1; end--) {
		gid_t t = a[0];

		a[0] = a[end - 1];
		a[end - 1] = t;
		gid_siftdown(a, 0, end - 1);
	}
}

/*
 * A sorted kernel copy of the caller's group list for setgroups.  We
 * don't trust it: NULL with entries is EFAULT, (gid_t)-1 is EINVAL.
 */
static int
groups_import(const gid_t *list, size_t size, gid_t **out)
{
	gid_t *g;

	*out = NULL;
	if (size == 0)
		return 0;
	if (list == NULL)
		return EFAULT;
	if ((g = kmem_alloc(size * sizeof(gid_t))) == NULL)
		return ENOMEM;
	for (size_t i = 0; i < size; i++) {
		if (list[i] == INVALID_ID) {
			kmem_free(g);
			return EINVAL;
		}
		g[i] = list[i];
	}
	gid_sort(g, size);
	*out = g;
	return 0;
}

/*
 * setgroups(2): root only (EPERM); more than KNGROUPS_MAX entries is
 * EINVAL; size 0 (list may be NULL) clears the list.
 */
int
sys_setgroups(struct lwp *l, size_t size, const gid_t *list,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	struct cred *cr, *ncr, *old = NULL;
	gid_t *groups = NULL;
	int error;

	cr = proc_cred(p);
	error = cred_is_root(cr) ? 0 : EPERM;
	cred_release(cr);
	if (error != 0)
		return error;
	if (size > KNGROUPS_MAX)
		return EINVAL;
	if ((error = groups_import(list, size, &groups)) != 0)
		return error;
	mutex_enter(&p->p_lock);
	cr = p->p_cred;
	/* Recheck: another lwp may have given up root meanwhile. */
	if (!cred_is_root(cr)) {
		error = EPERM;
		goto out;
	}
	if ((ncr = sysproc_cred_copy(cr, groups, (int)size)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	groups = NULL;			/* owned by ncr now */
	old = sysproc_swapcred_locked(p, ncr);
	*retval = 0;
out:
	mutex_exit(&p->p_lock);
	kmem_free(groups);
	if (old != NULL)
		cred_release(old);
	return error;
}

/* umask(2): set the file creation mask (0777 bits); returns the old one. */
int
sys_umask(struct lwp *l, mode_t mask, register_t *retval)
{
	struct proc *p = l->l_proc;

	mutex_enter(&p->p_lock);
	*retval = p->p_umask;
	p->p_umask = mask & 0777;
	mutex_exit(&p->p_lock);
	return 0;
}

/*
 * May a process with credentials scr signal target?  Root may signal
 * anyone; others need their real or effective uid to match the target's
 * real or saved uid.  proctab_lock held.  0 or EPERM.
 */
static int
kill_permitted(const struct cred *scr, struct proc *target)
{
	struct cred *tcr;
	int ok;

	if (cred_is_root(scr))
		return 0;
	tcr = proc_cred(target);
	ok = scr->cr_euid == tcr->cr_uid || scr->cr_euid == tcr->cr_suid ||
	    scr->cr_uid == tcr->cr_uid || scr->cr_uid == tcr->cr_suid;
	cred_release(tcr);
	return ok ? 0 : EPERM;
}

/* Signal one process by pid: ESRCH if there is none, else as permitted. */
static int
kill_one(const struct cred *scr, pid_t pid, int sig)
{
	struct proc *p;
	int error;

	if ((p = proc_find_locked(pid)) == NULL)
		return ESRCH;
	error = kill_permitted(scr, p);
	if (error == 0)
		error = proc_signal(p, sig);
	proctab_exit();
	return error;
}

/*
 * kill(-1, sig): every process but init and the caller.  As on Linux the
 * result is ESRCH when there was none, otherwise the last error other
 * than EPERM (so 0 even if every target refused).
 */
static int
kill_all(const struct cred *scr, pid_t self, int sig)
{
	pid_t pid = 1;
	int count = 0, ret = 0, error;

	while (proc_next_pid(pid, &pid) == 0) {
		if (pid == self)
			continue;
		error = kill_one(scr, pid, sig);
		if (error == ESRCH)
			continue;	/* exited since we listed it */
		count++;
		if (error != EPERM)
			ret = error;
	}
	return count > 0 ? ret : ESRCH;
}

/*
 * kill(2).  Process groups are not modelled: every process is its own
 * group, so pid 0 means the caller and pid < -1 means process -pid.
 * Signal 0 checks existence and permission only.  We don't trust sig:
 * outside 0..KNSIG it is EINVAL.
 */
int
sys_kill(struct lwp *l, pid_t pid, int sig, register_t *retval)
{
	struct proc *p = l->l_proc;
	struct cred *scr;
	int error;

	if (sig < 0 || sig > KNSIG)
		return EINVAL;
	if (pid == INT32_MIN)
		return ESRCH;		/* -pid would overflow; Linux agrees */
	scr = proc_cred(p);
	if (pid == -1)
		error = kill_all(scr, p->p_pid, sig);
	else if (pid == 0)
		error = kill_one(scr, p->p_pid, sig);
	else
		error = kill_one(scr, pid < 0 ? -pid : pid, sig);
	cred_release(scr);
	if (error == 0)
		*retval = 0;
	return error;
}
