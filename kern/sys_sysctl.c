/*
 * sys_sysctl.c: the sysctl system calls: sysctlbyname, sysctlnext and
 * sysctlinfo.  Mostly argument checking, since we don't trust the caller;
 * the tree itself is kern/sysctl.c.
 */
#include "kern.h"
#include "proc.h"
#include "sysctl.h"
#include "sysproto.h"

/*
 * Read the value of name into oldp (*oldlenp bytes) and, when newp is not
 * NULL, set it to newp/newlen.  BSD semantics (doc/sysctl.md).
 */
int
sys_sysctlbyname(struct lwp *l, const char *name, void *oldp,
    size_t *oldlenp, const void *newp, size_t newlen, register_t *retval)
{
	struct cred *cr;
	int error;

	/* We don't trust the arguments: they must agree with each other. */
	if (name == NULL)
		return EFAULT;
	if (oldp != NULL && oldlenp == NULL)
		return EINVAL;
	if (newp == NULL && newlen != 0)
		return EINVAL;
	if (newlen > SYSCTL_VALMAX)
		return EINVAL;
	cr = proc_cred(l->l_proc);
	error = sysctl_lookup(name, oldp, oldlenp, newp, newlen, cr);
	cred_release(cr);
	*retval = 0;
	return error;
}

/*
 * Write into next (len bytes) the full name of the first leaf after name
 * in depth-first order; name "" gives the first leaf.  ENOENT at the end.
 */
int
sys_sysctlnext(struct lwp *l, const char *name, char *next, size_t len,
    register_t *retval)
{
	int error;

	if (name == NULL || next == NULL)
		return EFAULT;
	if (len == 0)
		return ENOMEM;
	error = sysctl_next(name, next, len);
	*retval = 0;
	return error;
}

/* Describe the node called name: type, flags, size, description. */
int
sys_sysctlinfo(struct lwp *l, const char *name, struct ksysctl_info *info,
    register_t *retval)
{
	int error;

	if (name == NULL || info == NULL)
		return EFAULT;
	error = sysctl_info(name, info);
	*retval = 0;
	return error;
}
