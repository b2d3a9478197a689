/*
 * vfs_syscalls_dir.c: changing the name space: mkdir, mknod, symlink,
 * link, unlink and rmdir (and their *at forms).
 *
 * Each call looks up the parent directory (NI_PARENT), locks it
 * exclusively and looks the last name up again under that lock, so the
 * check and the change see the same directory.  Errors come in Linux's
 * order: lookup errors, EEXIST, EROFS, EACCES, then type errors.
 */
#include "kern.h"
#include "sysproto.h"
#include "vfs/vfs_private.h"

/*
 * Common start of a creating call: the parent of path, locked
 * exclusively, with the checks that come before the type-specific ones.
 * On success the caller must vn_unlock(nd->nd_dvp) and namei_done(nd).
 */
static int
vfs_create_begin(struct nameidata *nd, int dirfd, const char *path,
    int allowslash, struct cred *cr)
{
	struct vnode *dvp, *vp;
	int error;

	namei_init(nd, dirfd, path, NI_PARENT, cr);
	if ((error = namei(nd)) != 0)
		return error;
	if (nd->nd_lastkind != NI_LAST_NORM)
		return EEXIST;
	dvp = nd->nd_dvp;
	vn_lock_excl(dvp);
	error = vfs_lookup_locked(dvp, nd->nd_name, nd->nd_namelen, &vp);
	if (error == 0) {
		vrele(vp);
		error = EEXIST;
	} else if (error == ENOENT) {
		error = nd->nd_trailslash && !allowslash ? ENOENT :
		    vfs_dir_writable(dvp, cr);
	}
	if (error != 0)
		vn_unlock(dvp);
	return error;
}

/*
 * The common body of mkdir, mknod and symlink: a new node of type type
 * at dirfd/path with permissions mode (the umask already applied),
 * device dev (a mknod'ed device) or symlink target.  allowslash: a
 * trailing slash is fine (mkdir).
 */
static int
vfs_create_node(int dirfd, const char *path, int allowslash, enum vtype type,
    mode_t mode, dev_t dev, const char *target)
{
	struct nameidata nd;
	struct vattr va;
	struct vnode *dvp, *vp;
	struct cred *cr = vfs_curcred();
	int error;

	if ((error = vfs_create_begin(&nd, dirfd, path, allowslash, cr)) != 0)
		goto out;
	dvp = nd.nd_dvp;
	/* Device nodes need the superuser; a 0/0 whiteout does not. */
	if ((type == VBLK || (type == VCHR && dev != 0)) &&
	    cr->cr_fsuid != 0)
		error = EPERM;
	if (error == 0)
		error = vfs_newnode_attr(dvp, cr, type, mode, &va);
	va.va_rdev = dev;
	if (error == 0 && type == VDIR)
		error = dvp->v_op->vop_mkdir(dvp, nd.nd_name, nd.nd_namelen,
		    &va, &vp);
	else if (error == 0 && type == VLNK)
		error = dvp->v_op->vop_symlink(dvp, nd.nd_name, nd.nd_namelen,
		    &va, target, &vp);
	else if (error == 0)
		error = dvp->v_op->vop_create(dvp, nd.nd_name, nd.nd_namelen,
		    &va, &vp);
	if (error == 0)
		vrele(vp);
	vn_unlock(dvp);
out:
	namei_done(&nd);
	cred_release(cr);
	return error;
}

/* mkdirat(2). */
int
vfs_do_mkdir(int dirfd, const char *path, mode_t mode)
{
	mode &= (ALLPERMS & ~(S_ISUID | S_ISGID)) & ~vfs_curumask();
	return vfs_create_node(dirfd, path, 1, VDIR, mode, 0, NULL);
}

/* The vnode type mknod(2) makes of mode, or EPERM/EINVAL (may_mknod). */
static int
vfs_mknod_type(mode_t mode, enum vtype *typep)
{
	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
		*typep = VREG;
		return 0;
	case S_IFIFO:
		*typep = VFIFO;
		return 0;
	case S_IFSOCK:
		*typep = VSOCK;
		return 0;
	case S_IFCHR:
		*typep = VCHR;
		return 0;
	case S_IFBLK:
		*typep = VBLK;
		return 0;
	case S_IFDIR:
		return EPERM;
	default:
		return EINVAL;
	}
}

/*
 * mknodat(2): regular files, FIFOs, sockets; device nodes only for the
 * superuser (a character device 0/0, a whiteout, for anyone, as Linux).
 */
int
vfs_do_mknod(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	enum vtype type;
	int error;

	if ((error = vfs_mknod_type(mode, &type)) != 0)
		return error;
	return vfs_create_node(dirfd, path, 0, type,
	    mode & ALLPERMS & ~vfs_curumask(), dev, NULL);
}

/* symlinkat(2): the target is stored as given; it must not be empty. */
int
vfs_do_symlink(const char *target, int dirfd, const char *path)
{
	int error;

	if ((error = vfs_checkpath(target)) != 0)
		return error;
	if (target[0] == '\0')
		return ENOENT;
	return vfs_create_node(dirfd, path, 0, VLNK, 0777, 0, target);
}

/* linkat(2): a new name for an existing non-directory, same mount. */
int
vfs_do_link(int fdirfd, const char *from, int tdirfd, const char *to,
    int flags)
{
	struct nameidata fnd, tnd;
	struct vnode *vp, *dvp;
	struct cred *cr;
	unsigned niflags = 0;
	int error;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	if (flags & AT_SYMLINK_FOLLOW)
		niflags |= NI_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		niflags |= NI_EMPTYPATH;
	cr = vfs_curcred();
	namei_init(&tnd, tdirfd, to, 0, cr);
	namei_init(&fnd, fdirfd, from, niflags, cr);
	/* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH: ENOENT without it. */
	if (from != NULL && from[0] == '\0' && cr->cr_fsuid != 0)
		fnd.nd_flags &= ~NI_EMPTYPATH;
	if ((error = namei(&fnd)) != 0)
		goto out;
	vp = fnd.nd_vp;
	if ((error = vfs_create_begin(&tnd, tdirfd, to, 0, cr)) != 0)
		goto out;
	dvp = tnd.nd_dvp;
	if (dvp->v_mount != vp->v_mount)
		error = EXDEV;
	else if (vp->v_type == VDIR)
		error = EPERM;
	else
		error = dvp->v_op->vop_link(dvp, tnd.nd_name, tnd.nd_namelen,
		    vp);
	vn_unlock(dvp);
out:
	namei_done(&tnd);
	namei_done(&fnd);
	cred_release(cr);
	return error;
}

/* Type and busy checks of unlink/rmdir on the victim vp (Linux's order). */
static int
vfs_remove_check(struct nameidata *nd, struct vnode *vp, int rmdir)
{
	struct vattr dva, va;
	int error;

	if (!rmdir && nd->nd_trailslash)
		return vp->v_type == VDIR ? EISDIR : ENOTDIR;
	if ((error = vn_access(nd->nd_dvp, W_OK | X_OK, nd->nd_cred)) != 0)
		return error;
	if ((error = vn_getattr_locked(nd->nd_dvp, &dva)) != 0 ||
	    (error = vn_getattr(vp, &va)) != 0)
		return error;
	if ((error = vfs_sticky_check(&dva, &va, nd->nd_cred)) != 0)
		return error;
	if (rmdir && vp->v_type != VDIR)
		return ENOTDIR;
	if (!rmdir && vp->v_type == VDIR)
		return EISDIR;
	if (rmdir && (vp == rootvnode || vp == vp->v_mount->mnt_root ||
	    __atomic_load_n(&vp->v_mountedhere, __ATOMIC_ACQUIRE) != NULL))
		return EBUSY;
	return 0;
}

/* The errors of unlink/rmdir on ".", ".." and "/". */
static int
vfs_remove_lastkind(int kind, int rmdir)
{
	if (!rmdir)
		return EISDIR;
	switch (kind) {
	case NI_LAST_DOT:
		return EINVAL;
	case NI_LAST_DOTDOT:
		return ENOTEMPTY;
	default:
		return EBUSY;
	}
}

/* unlinkat(2) and rmdir(2). */
int
vfs_do_unlink(int dirfd, const char *path, int rmdir)
{
	struct nameidata nd;
	struct vnode *dvp, *vp = NULL;
	struct cred *cr = vfs_curcred();
	int error;

	namei_init(&nd, dirfd, path, NI_PARENT, cr);
	if ((error = namei(&nd)) != 0)
		goto out;
	if (nd.nd_lastkind != NI_LAST_NORM) {
		error = vfs_remove_lastkind(nd.nd_lastkind, rmdir);
		goto out;
	}
	dvp = nd.nd_dvp;
	if (vn_rdonly(dvp)) {
		error = EROFS;
		goto out;
	}
	vn_lock_excl(dvp);
	error = vfs_lookup_locked(dvp, nd.nd_name, nd.nd_namelen, &vp);
	if (error == 0)
		error = vfs_remove_check(&nd, vp, rmdir);
	if (error == 0 && rmdir) {
		vn_lock_excl(vp);
		error = dvp->v_op->vop_rmdir(dvp, nd.nd_name, nd.nd_namelen,
		    vp);
		vn_unlock(vp);
	} else if (error == 0) {
		error = dvp->v_op->vop_remove(dvp, nd.nd_name, nd.nd_namelen,
		    vp);
	}
	vn_unlock(dvp);
	if (vp != NULL)
		vrele(vp);
out:
	namei_done(&nd);
	cred_release(cr);
	return error;
}

int
sys_mkdir(struct lwp *l, const char *path, mode_t mode, register_t *retval)
{
	return vfs_do_mkdir(AT_FDCWD, path, mode);
}

int
sys_mkdirat(struct lwp *l, int dirfd, const char *path, mode_t mode,
    register_t *retval)
{
	return vfs_do_mkdir(dirfd, path, mode);
}

int
sys_mknod(struct lwp *l, const char *path, mode_t mode, dev_t dev,
    register_t *retval)
{
	return vfs_do_mknod(AT_FDCWD, path, mode, dev);
}

int
sys_mknodat(struct lwp *l, int dirfd, const char *path, mode_t mode,
    dev_t dev, register_t *retval)
{
	return vfs_do_mknod(dirfd, path, mode, dev);
}

int
sys_symlink(struct lwp *l, const char *target, const char *linkpath,
    register_t *retval)
{
	return vfs_do_symlink(target, AT_FDCWD, linkpath);
}

int
sys_symlinkat(struct lwp *l, const char *target, int newdirfd,
    const char *linkpath, register_t *retval)
{
	return vfs_do_symlink(target, newdirfd, linkpath);
}

int
sys_link(struct lwp *l, const char *oldpath, const char *newpath,
    register_t *retval)
{
	return vfs_do_link(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

int
sys_linkat(struct lwp *l, int olddirfd, const char *oldpath, int newdirfd,
    const char *newpath, int flags, register_t *retval)
{
	return vfs_do_link(olddirfd, oldpath, newdirfd, newpath, flags);
}

int
sys_unlink(struct lwp *l, const char *path, register_t *retval)
{
	return vfs_do_unlink(AT_FDCWD, path, 0);
}

int
sys_rmdir(struct lwp *l, const char *path, register_t *retval)
{
	return vfs_do_unlink(AT_FDCWD, path, 1);
}

/* unlinkat(2): AT_REMOVEDIR makes it rmdir; other flags are EINVAL. */
int
sys_unlinkat(struct lwp *l, int dirfd, const char *path, int flags,
    register_t *retval)
{
	if (flags & ~AT_REMOVEDIR)
		return EINVAL;
	return vfs_do_unlink(dirfd, path, (flags & AT_REMOVEDIR) != 0);
}
