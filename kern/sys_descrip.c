/*
 * sys_descrip.c: system calls on descriptors themselves: close, dup,
 * dup2, dup3, fcntl, and the RLIMIT_NOFILE limit (getrlimit/setrlimit).
 *
 * The work is done by kern/file.c; this file checks arguments (we don't
 * trust the caller: every fd, flag and command is validated) and maps
 * them to Linux's results.
 */
#include "kern.h"
#include "file.h"
#include "proc.h"
#include "sysproto.h"

/* Is the calling process the superuser (effective uid 0)? */
static int
descrip_is_root(struct proc *p)
{
	struct cred *cr = proc_cred(p);
	int root = cred_is_root(cr);

	cred_release(cr);
	return root;
}

/* close(2): EBADF if fd is not open. */
int
sys_close(struct lwp *l, int fd, register_t *retval)
{
	*retval = 0;
	return fd_close(l->l_proc, fd);
}

/* dup(2): the lowest free descriptor, sharing oldfd's file. */
int
sys_dup(struct lwp *l, int oldfd, register_t *retval)
{
	struct file *fp;
	int error, fd;

	if ((error = fd_getfile(oldfd, &fp)) != 0)
		return error;
	error = fd_install(l->l_proc, fp, 0, 0, &fd);
	file_release(fp);
	if (error == 0)
		*retval = fd;
	return error;
}

/* dup2(2): newfd == oldfd only checks that oldfd is open. */
int
sys_dup2(struct lwp *l, int oldfd, int newfd, register_t *retval)
{
	int error;

	error = fd_dup2(l->l_proc, oldfd, newfd, 0);
	if (error == 0)
		*retval = newfd;
	return error;
}

/* dup3(2): like dup2, but only O_CLOEXEC is allowed and oldfd != newfd. */
int
sys_dup3(struct lwp *l, int oldfd, int newfd, int flags, register_t *retval)
{
	int error;

	if ((flags & ~O_CLOEXEC) != 0)
		return EINVAL;
	if (oldfd == newfd)
		return EINVAL;
	error = fd_dup2(l->l_proc, oldfd, newfd, (flags & O_CLOEXEC) != 0);
	if (error == 0)
		*retval = newfd;
	return error;
}

/* The process's RLIMIT_NOFILE soft limit. */
static uint64_t
descrip_limit(struct proc *p)
{
	struct filedesc *fdp = p->p_fd;
	uint64_t lim;

	mutex_enter(&fdp->fd_lock);
	lim = fdp->fd_limit;
	mutex_exit(&fdp->fd_lock);
	return lim;
}

/*
 * F_DUPFD and F_DUPFD_CLOEXEC: the lowest free descriptor >= arg.  Linux
 * reads arg as unsigned, so a negative one is over the limit: EINVAL.
 */
static int
fcntl_dupfd(struct lwp *l, struct file *fp, long arg, int cloexec,
    register_t *retval)
{
	int error, fd;

	if ((unsigned long)arg >= descrip_limit(l->l_proc))
		return EINVAL;
	error = fd_install(l->l_proc, fp, (int)arg, cloexec, &fd);
	if (error == 0)
		*retval = fd;
	return error;
}

/* F_GETFL: access mode and status flags. */
static int
fcntl_getfl(struct file *fp, register_t *retval)
{
	*retval = file_flags(fp);
	return 0;
}

/* F_SETFL: only the FSETFL_MASK bits change; the others are ignored. */
static int
fcntl_setfl(struct file *fp, long arg, register_t *retval)
{
	mutex_enter(&fp->f_lock);
	fp->f_flag = (fp->f_flag & ~FSETFL_MASK) | ((int)arg & FSETFL_MASK);
	mutex_exit(&fp->f_lock);
	*retval = 0;
	return 0;
}

/* Commands Linux allows on an O_PATH descriptor; others are EBADF. */
static int
fcntl_path_ok(int cmd)
{
	return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD ||
	    cmd == F_SETFD || cmd == F_GETFL;
}

/* fcntl(2): EBADF for a closed fd first, then EINVAL for unknown cmds. */
int
sys_fcntl(struct lwp *l, int fd, int cmd, long arg, register_t *retval)
{
	struct file *fp;
	int error, cloexec, flag;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	flag = file_flags(fp);
	if ((flag & O_PATH) && !fcntl_path_ok(cmd)) {
		error = EBADF;
		goto out;
	}
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		error = fcntl_dupfd(l, fp, arg, cmd == F_DUPFD_CLOEXEC,
		    retval);
		break;
	case F_GETFD:
		error = fd_getcloexec(l->l_proc, fd, &cloexec);
		if (error == 0)
			*retval = cloexec ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		error = fd_setcloexec(l->l_proc, fd, (arg & FD_CLOEXEC) != 0);
		if (error == 0)
			*retval = 0;
		break;
	case F_GETFL:
		error = fcntl_getfl(fp, retval);
		break;
	case F_SETFL:
		error = fcntl_setfl(fp, arg, retval);
		break;
	default:
		error = EINVAL;
		break;
	}
out:
	file_release(fp);
	return error;
}

/*
 * getrlimit(2).  Only RLIMIT_NOFILE is modelled; other resources are
 * EINVAL.  The limit belongs to the descriptor table, so processes that
 * share a table (rfork without a copy) share it.
 */
int
sys_getrlimit(struct lwp *l, int resource, struct krlimit *rlim,
    register_t *retval)
{
	struct filedesc *fdp = l->l_proc->p_fd;

	if (resource != RLIMIT_NOFILE)
		return EINVAL;
	if (rlim == NULL)
		return EFAULT;
	mutex_enter(&fdp->fd_lock);
	rlim->rlim_cur = fdp->fd_limit;
	rlim->rlim_max = fdp->fd_limit_max;
	mutex_exit(&fdp->fd_lock);
	*retval = 0;
	return 0;
}

/*
 * setrlimit(2) for RLIMIT_NOFILE: EINVAL when cur > max; EPERM when max
 * exceeds FD_HARD_LIMIT (Linux's nr_open) or, for non-root, when max is
 * raised.  Descriptors already open above a lowered limit stay open.
 */
int
sys_setrlimit(struct lwp *l, int resource, const struct krlimit *rlim,
    register_t *retval)
{
	struct filedesc *fdp = l->l_proc->p_fd;
	struct krlimit nl;
	int root, error = 0;

	if (rlim == NULL)
		return EFAULT;
	nl = *rlim;
	if (resource != RLIMIT_NOFILE)
		return EINVAL;
	if (nl.rlim_cur > nl.rlim_max)
		return EINVAL;
	if (nl.rlim_max > FD_HARD_LIMIT)
		return EPERM;
	root = descrip_is_root(l->l_proc);
	mutex_enter(&fdp->fd_lock);
	if (nl.rlim_max > fdp->fd_limit_max && !root) {
		error = EPERM;
		goto out;
	}
	fdp->fd_limit = nl.rlim_cur;
	fdp->fd_limit_max = nl.rlim_max;
	*retval = 0;
out:
	mutex_exit(&fdp->fd_lock);
	return error;
}
