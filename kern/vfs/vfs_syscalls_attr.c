/*
 * vfs_syscalls_attr.c: changing attributes: chmod, chown, truncate and
 * utimensat, by path and by descriptor.
 *
 * Each change is one vop_setattr under the exclusive vnode lock, after
 * Linux's checks: EROFS, then ownership (EPERM) or write permission
 * (EACCES).  The file system updates ctime.
 */
#include "kern.h"
#include "pipe.h"
#include "sysproto.h"
#include "vfs/vfs_private.h"

#define NSEC_PER_SEC	1000000000L

/*
 * The vnode behind an open file for the f* calls: a vnode file, or a
 * FIFO's vnode.  EBADF for O_PATH files, EINVAL for anonymous pipes and
 * sockets.  Returned referenced.
 */
static int
vfs_fd_vnode(int fd, struct vnode **vpp)
{
	struct file *fp;
	struct pipefile *pf;
	int error;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	*vpp = NULL;
	if (file_flags(fp) & O_PATH)
		error = EBADF;
	else if (fp->f_type == FTYPE_VNODE)
		*vpp = fp->f_data;
	else if (fp->f_type == FTYPE_PIPE &&
	    (pf = fp->f_data) != NULL && pf->pf_vnode != NULL)
		*vpp = pf->pf_vnode;
	else
		error = EINVAL;
	if (*vpp != NULL)
		vref(*vpp);
	file_release(fp);
	return error;
}

/* Resolve path (or dirfd with AT_EMPTY_PATH) for an attribute change. */
static int
vfs_attr_lookup(struct nameidata *nd, int dirfd, const char *path,
    int flags, struct cred *cr)
{
	unsigned niflags = 0;

	if (!(flags & AT_SYMLINK_NOFOLLOW))
		niflags |= NI_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		niflags |= NI_EMPTYPATH;
	namei_init(nd, dirfd, path, niflags, cr);
	return namei(nd);
}

/* chmod of vp: owner or root; setgid needs membership of the group. */
static int
vfs_chmod_vnode(struct vnode *vp, mode_t mode, struct cred *cr)
{
	struct vattr va, nva;
	int error;

	if (vn_rdonly(vp))
		return EROFS;
	vn_lock_excl(vp);
	if ((error = vn_getattr_locked(vp, &va)) != 0)
		goto out;
	if (!vfs_owner_or_root(&va, cr)) {
		error = EPERM;
		goto out;
	}
	memset(&nva, 0, sizeof(nva));
	nva.va_mode = mode & ALLPERMS;
	if (cr->cr_fsuid != 0 && !vfs_groupmember(cr, va.va_gid))
		nva.va_mode &= ~S_ISGID;
	error = vp->v_op->vop_setattr(vp, &nva, VA_MODE);
out:
	vn_unlock(vp);
	return error;
}

/*
 * May cr change the owner to uid and the group to gid ((id_t)-1: keep)?
 * Linux's chown_ok/chgrp_ok.
 */
static int
vfs_chown_ok(const struct vattr *va, uid_t uid, gid_t gid,
    const struct cred *cr)
{
	int owner = cr->cr_fsuid == va->va_uid;

	if (cr->cr_fsuid == 0)
		return 0;
	if (uid != (uid_t)-1 && !(owner && uid == va->va_uid))
		return EPERM;
	if (gid != (gid_t)-1 && !(owner && (gid == va->va_gid ||
	    vfs_groupmember(cr, gid))))
		return EPERM;
	return 0;
}

/*
 * chown of vp.  Like Linux, a chown of a non-directory clears setuid, and
 * setgid when group-execute is set, whoever does it.
 */
static int
vfs_chown_vnode(struct vnode *vp, uid_t uid, gid_t gid, struct cred *cr)
{
	struct vattr va, nva;
	unsigned mask = 0;
	int error;

	if (vn_rdonly(vp))
		return EROFS;
	vn_lock_excl(vp);
	if ((error = vn_getattr_locked(vp, &va)) != 0 ||
	    (error = vfs_chown_ok(&va, uid, gid, cr)) != 0)
		goto out;
	memset(&nva, 0, sizeof(nva));
	if (uid != (uid_t)-1) {
		nva.va_uid = uid;
		mask |= VA_UID;
	}
	if (gid != (gid_t)-1) {
		nva.va_gid = gid;
		mask |= VA_GID;
	}
	nva.va_mode = va.va_mode;
	if (vp->v_type != VDIR) {
		nva.va_mode &= ~S_ISUID;
		if (nva.va_mode & (S_IXUSR >> 3))
			nva.va_mode &= ~S_ISGID;
	}
	if (nva.va_mode != va.va_mode)
		mask |= VA_MODE;
	error = vp->v_op->vop_setattr(vp, &nva, mask);
out:
	vn_unlock(vp);
	return error;
}

/* Truncate vp (a regular file, locked here) to len. */
static int
vfs_truncate_vnode(struct vnode *vp, off_t len, struct cred *cr,
    int checkperm)
{
	struct vattr va;
	int error = 0;

	vn_lock_excl(vp);
	if (checkperm)
		error = vn_access(vp, W_OK, cr);
	if (error == 0)
		error = vfs_kill_suid(vp, cr);
	if (error == 0) {
		memset(&va, 0, sizeof(va));
		va.va_size = (uint64_t)len;
		error = vp->v_op->vop_setattr(vp, &va, VA_SIZE);
	}
	vn_unlock(vp);
	return error;
}

int
sys_truncate(struct lwp *l, const char *path, off_t length,
    register_t *retval)
{
	struct nameidata nd;
	struct cred *cr;
	struct vnode *vp;
	int error;

	if (length < 0)
		return EINVAL;
	cr = vfs_curcred();
	namei_init(&nd, AT_FDCWD, path, NI_FOLLOW, cr);
	if ((error = namei(&nd)) != 0)
		goto out;
	vp = nd.nd_vp;
	if (vp->v_type == VDIR)
		error = EISDIR;
	else if (vp->v_type != VREG)
		error = EINVAL;
	else if (vn_rdonly(vp))
		error = EROFS;
	else
		error = vfs_truncate_vnode(vp, length, cr, 1);
out:
	namei_done(&nd);
	cred_release(cr);
	return error;
}

/* ftruncate(2): EINVAL unless a regular file, EBADF unless open to write. */
int
sys_ftruncate(struct lwp *l, int fd, off_t length, register_t *retval)
{
	struct file *fp;
	struct vnode *vp;
	int error, fflags;

	if (length < 0)
		return EINVAL;
	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	fflags = file_flags(fp);
	if (fflags & O_PATH)
		error = EBADF;
	else if (fp->f_type != FTYPE_VNODE ||
	    (vp = fp->f_data)->v_type != VREG)
		error = EINVAL;
	else if ((fflags & O_ACCMODE) == O_RDONLY)
		error = EBADF;
	else
		error = vfs_truncate_vnode(vp, length, fp->f_cred, 0);
	file_release(fp);
	return error;
}

/* Check utimensat's times (we don't trust them); 1 when both are OMIT. */
static int
vfs_utimens_check(const struct ktimespec *ts, int *bothomit)
{
	*bothomit = 0;
	if (ts == NULL)
		return 0;
	for (int i = 0; i < 2; i++)
		if (ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT &&
		    (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= NSEC_PER_SEC))
			return EINVAL;
	*bothomit = ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT;
	return 0;
}

/*
 * Set the times of vp.  Explicit times need the owner (or root): EPERM;
 * "now" for both (or one now, one omitted) also lets anyone with write
 * permission do it: EACCES otherwise.
 */
static int
vfs_utimens_vnode(struct vnode *vp, const struct ktimespec *ts,
    struct cred *cr)
{
	struct vattr va, nva;
	struct ktimespec now;
	unsigned mask = 0;
	int error, explicit = 0;

	if (vn_rdonly(vp))
		return EROFS;
	ktime_now(&now);
	memset(&nva, 0, sizeof(nva));
	nva.va_atime = nva.va_mtime = now;
	for (int i = 0; ts != NULL && i < 2; i++) {
		if (ts[i].tv_nsec == UTIME_OMIT)
			continue;
		if (ts[i].tv_nsec != UTIME_NOW) {
			explicit = 1;
			*(i == 0 ? &nva.va_atime : &nva.va_mtime) = ts[i];
		}
		mask |= i == 0 ? VA_ATIME : VA_MTIME;
	}
	if (ts == NULL)
		mask = VA_ATIME | VA_MTIME;
	vn_lock_excl(vp);
	if ((error = vn_getattr_locked(vp, &va)) == 0 &&
	    !vfs_owner_or_root(&va, cr))
		error = explicit ? EPERM : vaccess(&va, W_OK, cr);
	if (error == 0)
		error = vp->v_op->vop_setattr(vp, &nva, mask);
	vn_unlock(vp);
	return error;
}

/* One attribute change, as vfs_attr_path and vfs_attr_fd apply it. */
enum vfs_attrkind { VFS_ATTR_MODE, VFS_ATTR_OWNER, VFS_ATTR_TIMES };
struct vfs_attrop {
	enum vfs_attrkind ao_kind;
	mode_t		ao_mode;	/* MODE */
	uid_t		ao_uid;		/* OWNER; (uid_t)-1: keep */
	gid_t		ao_gid;		/* OWNER; (gid_t)-1: keep */
	const struct ktimespec *ao_ts;	/* TIMES: checked, or NULL */
};

/* Make the change op to vp.  chmod of a symlink is EOPNOTSUPP. */
static int
vfs_attr_apply(struct vnode *vp, const struct vfs_attrop *op,
    struct cred *cr)
{
	switch (op->ao_kind) {
	case VFS_ATTR_MODE:
		if (vp->v_type == VLNK)
			return EOPNOTSUPP;
		return vfs_chmod_vnode(vp, op->ao_mode, cr);
	case VFS_ATTR_OWNER:
		return vfs_chown_vnode(vp, op->ao_uid, op->ao_gid, cr);
	default:
		return vfs_utimens_vnode(vp, op->ao_ts, cr);
	}
}

/*
 * Make the change op to the file at path relative to dirfd; flags
 * AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH, others are EINVAL.
 */
static int
vfs_attr_path(int dirfd, const char *path, int flags,
    const struct vfs_attrop *op)
{
	struct nameidata nd;
	struct cred *cr;
	int error;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	cr = vfs_curcred();
	if ((error = vfs_attr_lookup(&nd, dirfd, path, flags, cr)) == 0)
		error = vfs_attr_apply(nd.nd_vp, op, cr);
	namei_done(&nd);
	cred_release(cr);
	return error;
}

/* Make the change op to the file open as fd (see vfs_fd_vnode). */
static int
vfs_attr_fd(int fd, const struct vfs_attrop *op)
{
	struct vnode *vp;
	struct cred *cr;
	int error;

	if ((error = vfs_fd_vnode(fd, &vp)) != 0)
		return error;
	cr = vfs_curcred();
	error = vfs_attr_apply(vp, op, cr);
	cred_release(cr);
	vrele(vp);
	return error;
}

/* fchmodat(2): AT_SYMLINK_NOFOLLOW on a symlink is EOPNOTSUPP. */
int
vfs_do_chmod(int dirfd, const char *path, mode_t mode, int flags)
{
	struct vfs_attrop op = { .ao_kind = VFS_ATTR_MODE, .ao_mode = mode };

	return vfs_attr_path(dirfd, path, flags, &op);
}

/* fchownat(2). */
int
vfs_do_chown(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	struct vfs_attrop op = { .ao_kind = VFS_ATTR_OWNER, .ao_uid = uid,
	    .ao_gid = gid };

	return vfs_attr_path(dirfd, path, flags, &op);
}

/* utimensat(2); a NULL path means dirfd itself (futimens). */
int
sys_utimensat(struct lwp *l, int dirfd, const char *path,
    const struct ktimespec *times, int flags, register_t *retval)
{
	struct vfs_attrop op = { .ao_kind = VFS_ATTR_TIMES, .ao_ts = times };
	int error, bothomit;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	if ((error = vfs_utimens_check(times, &bothomit)) != 0 || bothomit)
		return error;
	if (path == NULL) {
		if (dirfd == AT_FDCWD)
			return EFAULT;
		if (flags & AT_SYMLINK_NOFOLLOW)
			return EINVAL;
		return vfs_attr_fd(dirfd, &op);
	}
	return vfs_attr_path(dirfd, path, flags, &op);
}

int
sys_chmod(struct lwp *l, const char *path, mode_t mode, register_t *retval)
{
	return vfs_do_chmod(AT_FDCWD, path, mode, 0);
}

int
sys_fchmodat(struct lwp *l, int dirfd, const char *path, mode_t mode,
    int flags, register_t *retval)
{
	return vfs_do_chmod(dirfd, path, mode, flags);
}

int
sys_fchmod(struct lwp *l, int fd, mode_t mode, register_t *retval)
{
	struct vfs_attrop op = { .ao_kind = VFS_ATTR_MODE, .ao_mode = mode };

	return vfs_attr_fd(fd, &op);
}

int
sys_chown(struct lwp *l, const char *path, uid_t owner, gid_t group,
    register_t *retval)
{
	return vfs_do_chown(AT_FDCWD, path, owner, group, 0);
}

int
sys_lchown(struct lwp *l, const char *path, uid_t owner, gid_t group,
    register_t *retval)
{
	return vfs_do_chown(AT_FDCWD, path, owner, group, AT_SYMLINK_NOFOLLOW);
}

int
sys_fchownat(struct lwp *l, int dirfd, const char *path, uid_t owner,
    gid_t group, int flags, register_t *retval)
{
	return vfs_do_chown(dirfd, path, owner, group, flags);
}

int
sys_fchown(struct lwp *l, int fd, uid_t owner, gid_t group,
    register_t *retval)
{
	struct vfs_attrop op = { .ao_kind = VFS_ATTR_OWNER, .ao_uid = owner,
	    .ao_gid = group };

	return vfs_attr_fd(fd, &op);
}
