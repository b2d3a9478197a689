/*
 * vfs_syscalls_stat.c: asking about files: stat(2) and its relatives,
 * statx(2), access(2)/faccessat(2) and readlink(2).
 */
#include "kern.h"
#include "sysproto.h"
#include "vfs/vfs_private.h"

#define STATX_RESERVED	0x80000000u

/* fstat of the file open as fd (AT_FDCWD: the cwd); O_PATH files too. */
static int
vfs_fdstat(int fd, struct kstat *st)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	if (fd == AT_FDCWD) {
		vp = vfs_cwd_get(curproc());
		error = vn_stat(vp, st);
		vrele(vp);
		return error;
	}
	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	error = fp->f_ops->fo_stat(fp, st);
	file_release(fp);
	return error;
}

/* stat of path relative to dirfd; flags AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH. */
int
vfs_do_stat(int dirfd, const char *path, int flags, struct kstat *st)
{
	struct nameidata nd;
	struct cred *cr;
	int error;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return EINVAL;
	if (st == NULL || path == NULL)
		return EFAULT;
	if (path[0] == '\0' && (flags & AT_EMPTY_PATH))
		return vfs_fdstat(dirfd, st);
	cr = vfs_curcred();
	namei_init(&nd, dirfd, path,
	    (flags & AT_SYMLINK_NOFOLLOW) ? 0 : NI_FOLLOW, cr);
	if ((error = namei(&nd)) == 0)
		error = vn_stat(nd.nd_vp, st);
	namei_done(&nd);
	cred_release(cr);
	return error;
}

int
sys_stat(struct lwp *l, const char *path, struct kstat *st,
    register_t *retval)
{
	return vfs_do_stat(AT_FDCWD, path, 0, st);
}

int
sys_lstat(struct lwp *l, const char *path, struct kstat *st,
    register_t *retval)
{
	return vfs_do_stat(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, st);
}

int
sys_fstatat(struct lwp *l, int dirfd, const char *path, struct kstat *st,
    int flags, register_t *retval)
{
	return vfs_do_stat(dirfd, path, flags, st);
}

/* fstat(2): any open file, O_PATH ones included. */
int
sys_fstat(struct lwp *l, int fd, struct kstat *st, register_t *retval)
{
	if (st == NULL)
		return EFAULT;
	if (fd == AT_FDCWD)
		return EBADF;
	return vfs_fdstat(fd, st);
}

/* Linux's user-visible dev_t encoding, split. */
static uint32_t
vfs_dev_major(uint64_t dev)
{
	return (uint32_t)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffULL));
}

static uint32_t
vfs_dev_minor(uint64_t dev)
{
	return (uint32_t)((dev & 0xff) | ((dev >> 12) & ~0xffULL));
}

static void
vfs_statx_ts(struct kstatx_timestamp *t, const struct ktimespec *ts)
{
	t->tv_sec = ts->tv_sec;
	t->tv_nsec = (uint32_t)ts->tv_nsec;
}

/* struct statx from a struct kstat (and a birth time when known). */
static void
vfs_kstat_to_statx(const struct kstat *st, const struct ktimespec *btime,
    struct kstatx *stx)
{
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS | (btime != NULL ? STATX_BTIME : 0);
	stx->stx_blksize = (uint32_t)st->st_blksize;
	stx->stx_nlink = (uint32_t)st->st_nlink;
	stx->stx_uid = st->st_uid;
	stx->stx_gid = st->st_gid;
	stx->stx_mode = (uint16_t)st->st_mode;
	stx->stx_ino = st->st_ino;
	stx->stx_size = (uint64_t)st->st_size;
	stx->stx_blocks = (uint64_t)st->st_blocks;
	vfs_statx_ts(&stx->stx_atime, &st->st_atim);
	vfs_statx_ts(&stx->stx_mtime, &st->st_mtim);
	vfs_statx_ts(&stx->stx_ctime, &st->st_ctim);
	if (btime != NULL)
		vfs_statx_ts(&stx->stx_btime, btime);
	stx->stx_rdev_major = vfs_dev_major(st->st_rdev);
	stx->stx_rdev_minor = vfs_dev_minor(st->st_rdev);
	stx->stx_dev_major = vfs_dev_major(st->st_dev);
	stx->stx_dev_minor = vfs_dev_minor(st->st_dev);
}

/* statx of a vnode, with its birth time. */
static int
vfs_vn_statx(struct vnode *vp, struct kstatx *stx)
{
	struct vattr va;
	struct kstat st;
	int error;

	if ((error = vn_getattr(vp, &va)) != 0)
		return error;
	vn_vattr_to_kstat(&va, vp->v_mount, &st);
	vfs_kstat_to_statx(&st, &va.va_btime, stx);
	return 0;
}

/* statx of the file open as fd (AT_EMPTY_PATH). */
static int
vfs_fdstatx(int fd, struct kstatx *stx)
{
	struct file *fp;
	struct kstat st;
	struct vnode *vp;
	int error;

	if (fd == AT_FDCWD) {
		vp = vfs_cwd_get(curproc());
		error = vfs_vn_statx(vp, stx);
		vrele(vp);
		return error;
	}
	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (fp->f_type == FTYPE_VNODE)
		error = vfs_vn_statx(fp->f_data, stx);
	else if ((error = fp->f_ops->fo_stat(fp, &st)) == 0)
		vfs_kstat_to_statx(&st, NULL, stx);
	file_release(fp);
	return error;
}

/* statx(2): we always fill the basic fields and the birth time. */
int
sys_statx(struct lwp *l, int dirfd, const char *path, int flags,
    unsigned int mask, struct kstatx *stx, register_t *retval)
{
	struct nameidata nd;
	struct cred *cr;
	int error;

	if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH |
	    AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) ||
	    (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
	    (mask & STATX_RESERVED))
		return EINVAL;
	if (stx == NULL)
		return EFAULT;
	if ((path == NULL || path[0] == '\0') && (flags & AT_EMPTY_PATH))
		return vfs_fdstatx(dirfd, stx);
	if (path == NULL)
		return EFAULT;
	cr = vfs_curcred();
	namei_init(&nd, dirfd, path,
	    (flags & AT_SYMLINK_NOFOLLOW) ? 0 : NI_FOLLOW, cr);
	if ((error = namei(&nd)) == 0)
		error = vfs_vn_statx(nd.nd_vp, stx);
	namei_done(&nd);
	cred_release(cr);
	return error;
}

/*
 * faccessat: the check is made with the real ids unless AT_EACCESS (a
 * private copy of the credentials with fsuid/fsgid replaced; it is never
 * held or published).
 */
int
vfs_do_access(int dirfd, const char *path, int mode, int flags)
{
	struct nameidata nd;
	struct cred *cr, rcr;
	unsigned niflags = 0;
	int error;

	if ((mode & ~(R_OK | W_OK | X_OK)) ||
	    (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)))
		return EINVAL;
	if (!(flags & AT_SYMLINK_NOFOLLOW))
		niflags |= NI_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		niflags |= NI_EMPTYPATH;
	cr = vfs_curcred();
	rcr = *cr;
	if (!(flags & AT_EACCESS)) {
		rcr.cr_fsuid = rcr.cr_euid = cr->cr_uid;
		rcr.cr_fsgid = rcr.cr_egid = cr->cr_gid;
	}
	namei_init(&nd, dirfd, path, niflags, &rcr);
	if ((error = namei(&nd)) == 0 && mode != F_OK) {
		vn_lock_shared(nd.nd_vp);
		error = vn_access(nd.nd_vp, mode, &rcr);
		vn_unlock(nd.nd_vp);
	}
	namei_done(&nd);
	cred_release(cr);
	return error;
}

int
sys_access(struct lwp *l, const char *path, int mode, register_t *retval)
{
	return vfs_do_access(AT_FDCWD, path, mode, 0);
}

int
sys_faccessat(struct lwp *l, int dirfd, const char *path, int mode,
    int flags, register_t *retval)
{
	return vfs_do_access(dirfd, path, mode, flags);
}

/*
 * readlinkat: the link text, truncated to size, without a NUL.  EINVAL
 * when size is 0 or the file is no symlink; an empty path means dirfd
 * itself (an O_PATH descriptor of the link), as on Linux.
 */
int
vfs_do_readlink(int dirfd, const char *path, char *buf, size_t size,
    register_t *retval)
{
	struct nameidata nd;
	struct cred *cr;
	struct vnode *vp;
	size_t len;
	int error;

	if (buf == NULL || path == NULL)
		return EFAULT;
	if (size == 0 || size > INT32_MAX)
		return EINVAL;
	cr = vfs_curcred();
	namei_init(&nd, dirfd, path,
	    dirfd != AT_FDCWD ? NI_EMPTYPATH : 0, cr);
	if ((error = namei(&nd)) != 0)
		goto out;
	vp = nd.nd_vp;
	if (vp->v_type != VLNK) {
		error = path[0] == '\0' ? ENOENT : EINVAL;
		goto out;
	}
	vn_lock_shared(vp);
	error = vp->v_op->vop_readlink(vp, buf, size, &len);
	vn_unlock(vp);
	if (error == 0)
		*retval = (register_t)len;
out:
	namei_done(&nd);
	cred_release(cr);
	return error;
}

int
sys_readlink(struct lwp *l, const char *path, char *buf, size_t size,
    register_t *retval)
{
	return vfs_do_readlink(AT_FDCWD, path, buf, size, retval);
}

int
sys_readlinkat(struct lwp *l, int dirfd, const char *path, char *buf,
    size_t size, register_t *retval)
{
	return vfs_do_readlink(dirfd, path, buf, size, retval);
}
