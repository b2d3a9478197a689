/*
 * vfs_open.c: opening files: open(2), openat(2), creat(2) and the kernel
 * entry vn_openat().
 *
 * Order of checks follows Linux: lookup errors, O_CREAT|O_EXCL (EEXIST),
 * type errors (EISDIR, ENOTDIR, ELOOP), EROFS, permission (EACCES), then
 * the open of the object (ENXIO for devices and sockets, the FIFO rules).
 */
#include "kern.h"
#include "pipe.h"
#include "dev/blkdev.h"
#include "sysproto.h"
#include "vfs/vfs_private.h"

#define O_TMPFILE_BIT	(O_TMPFILE & ~O_DIRECTORY)
/* The flags an O_PATH open keeps (Linux's O_PATH_FLAGS). */
#define O_PATH_FLAGS	(O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

/* The R_OK/W_OK permissions an open with flags needs. */
static int
vn_open_acc(int flags)
{
	int acc = 0;

	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		acc = R_OK;
		break;
	case O_WRONLY:
		acc = W_OK;
		break;
	default:
		acc = R_OK | W_OK;
		break;
	}
	if (flags & O_TRUNC)
		acc |= W_OK;
	return acc;
}

/* Type checks of do_open() and may_open(): ENOTDIR, ELOOP, EISDIR. */
static int
vn_open_typecheck(struct vnode *vp, int flags)
{
	if ((flags & O_DIRECTORY) && vp->v_type != VDIR)
		return ENOTDIR;
	if (vp->v_type == VLNK)
		return ELOOP;
	if (vp->v_type == VDIR && (vn_open_acc(flags) & W_OK))
		return EISDIR;
	return 0;
}

/* Permission to open vp with flags; O_NOATIME is for the owner only. */
static int
vn_open_permission(struct vnode *vp, int flags, struct cred *cr)
{
	struct vattr va;
	int error;

	vn_lock_shared(vp);
	error = vn_access(vp, vn_open_acc(flags), cr);
	if (error == 0 && (flags & O_NOATIME) &&
	    (error = vn_getattr_locked(vp, &va)) == 0 &&
	    !vfs_owner_or_root(&va, cr))
		error = EPERM;
	vn_unlock(vp);
	return error;
}

/* O_TRUNC of a regular file being opened (kills setuid as a write does). */
static int
vn_open_truncate(struct vnode *vp, struct cred *cr)
{
	struct vattr va;
	int error;

	memset(&va, 0, sizeof(va));
	va.va_size = 0;
	vn_lock_excl(vp);
	error = vfs_kill_suid(vp, cr);
	if (error == 0)
		error = vp->v_op->vop_setattr(vp, &va, VA_SIZE);
	vn_unlock(vp);
	return error;
}

/* A vnode file for a regular file or directory. */
static int
vn_open_file(struct vnode *vp, int flags, struct cred *cr, int created,
    struct file **fpp)
{
	int writer = vp->v_type == VREG && (flags & O_ACCMODE) != O_RDONLY;
	int error;

	if (writer && (error = vfs_mnt_addwriter(vp->v_mount)) != 0)
		return error;
	if ((flags & O_TRUNC) && !created && vp->v_type == VREG &&
	    (error = vn_open_truncate(vp, cr)) != 0)
		goto fail;
	*fpp = file_alloc(FTYPE_VNODE, &vn_fileops, vp, flags | O_LARGEFILE,
	    cr);
	if (*fpp == NULL) {
		error = ENOMEM;
		goto fail;
	}
	return 0;
fail:
	if (writer)
		vfs_mnt_delwriter(vp->v_mount);
	return error;
}

/*
 * Open vp (the caller's reference is consumed in every case) with flags.
 * created: we just made it, so no permission check applies.
 */
int
vn_open_vnode(struct vnode *vp, int flags, struct cred *cr, int created,
    struct file **fpp)
{
	int error;

	if (flags & O_PATH) {
		error = (flags & O_DIRECTORY) && vp->v_type != VDIR ? ENOTDIR :
		    0;
		if (error == 0 && (*fpp = file_alloc(FTYPE_VNODE, &vn_fileops,
		    vp, flags & O_PATH_FLAGS, cr)) == NULL)
			error = ENOMEM;
		goto out;
	}
	if ((error = vn_open_typecheck(vp, flags)) != 0)
		goto out;
	if (!created && (error = vn_open_permission(vp, flags, cr)) != 0)
		goto out;
	switch (vp->v_type) {
	case VFIFO:
		error = fifo_open(vp, flags & ~O_TRUNC, cr, fpp);
		break;
	case VBLK:
		error = (vfs_mntflags(vp->v_mount) & MS_NODEV) ? EACCES :
		    blkdev_vnode_open(vp, flags & ~O_TRUNC, cr, fpp);
		break;
	case VCHR:
		error = (vfs_mntflags(vp->v_mount) & MS_NODEV) ? EACCES : ENXIO;
		break;
	case VREG:
	case VDIR:
		error = vn_open_file(vp, flags, cr, created, fpp);
		if (error == 0)
			return 0;	/* the file owns our reference */
		break;
	default:
		error = ENXIO;
		break;
	}
out:
	if (error == 0 && (flags & O_PATH))
		return 0;
	vrele(vp);
	return error;
}

/*
 * Create name in dvp (referenced, not locked) unless it appeared
 * meanwhile.  *vpp: the new node (referenced, *createdp = 1), or what is
 * there now (*createdp = 0).
 */
static int
vn_open_mknew(struct nameidata *nd, mode_t mode, struct vnode **vpp,
    int *createdp)
{
	struct vnode *dvp = nd->nd_dvp;
	struct vattr va;
	int error;

	*createdp = 0;
	vn_lock_excl(dvp);
	error = vfs_lookup_locked(dvp, nd->nd_name, nd->nd_namelen, vpp);
	if (error != ENOENT)
		goto out;
	if ((error = vfs_dir_writable(dvp, nd->nd_cred)) != 0)
		goto out;
	mode = mode & ALLPERMS & ~vfs_curumask();
	if ((error = vfs_newnode_attr(dvp, nd->nd_cred, VREG, mode, &va)) != 0)
		goto out;
	error = dvp->v_op->vop_create(dvp, nd->nd_name, nd->nd_namelen, &va,
	    vpp);
	if (error == 0)
		*createdp = 1;
out:
	vn_unlock(dvp);
	return error;
}

/* open(O_CREAT): find or create the file, then open it. */
static int
vn_open_creat(int dirfd, const char *path, int flags, mode_t mode,
    struct cred *cr, struct file **fpp)
{
	struct nameidata nd;
	struct vnode *vp = NULL;
	unsigned niflags = NI_CREATE;
	int error, created = 0, tries = 0;

	if (!(flags & (O_EXCL | O_NOFOLLOW)))
		niflags |= NI_FOLLOW;
again:
	namei_init(&nd, dirfd, path, niflags, cr);
	if ((error = namei(&nd)) != 0)
		goto out;
	if (nd.nd_trailslash || nd.nd_lastkind == NI_LAST_ROOT) {
		error = EISDIR;
		goto out;
	}
	vp = nd.nd_vp;
	nd.nd_vp = NULL;
	if (vp == NULL && (error = vn_open_mknew(&nd, mode, &vp,
	    &created)) != 0)
		goto out;
	/* A symlink that appeared between lookup and create: start over. */
	if (!created && vp->v_type == VLNK && (niflags & NI_FOLLOW) &&
	    ++tries < KMAXSYMLINKS) {
		vrele(vp);
		vp = NULL;
		namei_done(&nd);
		goto again;
	}
	if (!created && (flags & O_EXCL))
		error = EEXIST;
	else if (!created && vp->v_type == VDIR)
		error = EISDIR;
	if (error == 0) {
		error = vn_open_vnode(vp, created ? flags & ~O_TRUNC : flags,
		    cr, created, fpp);
		vp = NULL;
	}
out:
	if (vp != NULL)
		vrele(vp);
	namei_done(&nd);
	return error;
}

/*
 * Create a regular file in dvp (locked exclusively) under a private name
 * and remove the name again at once: an O_TMPFILE node, referenced.
 */
static int
vn_mktmpnode(struct vnode *dvp, const struct vattr *va, struct vnode **vpp)
{
	static uint32_t tmpseq;
	char name[32];
	size_t len;
	int error = EEXIST;

	for (int i = 0; error == EEXIST && i < 100; i++) {
		len = (size_t)ksnprintf(name, sizeof(name), ".tmpfile.%u",
		    atomic_inc_32(&tmpseq));
		error = dvp->v_op->vop_create(dvp, name, len, va, vpp);
	}
	if (error != 0)
		return error;
	if ((error = dvp->v_op->vop_remove(dvp, name, len, *vpp)) != 0)
		vrele(*vpp);
	return error;
}

/*
 * O_TMPFILE: an unnamed regular file in directory path.  It is created
 * and unlinked while we hold the directory lock, so nobody sees its name.
 */
static int
vn_open_tmpfile(int dirfd, const char *path, int flags, mode_t mode,
    struct cred *cr, struct file **fpp)
{
	struct nameidata nd;
	struct vnode *dvp, *vp;
	struct vattr va;
	int error;

	if ((flags & O_ACCMODE) == O_RDONLY || (flags & O_CREAT))
		return EINVAL;
	namei_init(&nd, dirfd, path, NI_FOLLOW, cr);
	if ((error = namei(&nd)) != 0)
		goto out;
	dvp = nd.nd_vp;
	if (dvp->v_type != VDIR) {
		error = ENOTDIR;
		goto out;
	}
	vn_lock_excl(dvp);
	error = vfs_dir_writable(dvp, cr);
	if (error == 0)
		error = vfs_newnode_attr(dvp, cr, VREG,
		    mode & ALLPERMS & ~vfs_curumask(), &va);
	if (error == 0)
		error = vn_mktmpnode(dvp, &va, &vp);
	vn_unlock(dvp);
	if (error == 0)
		error = vn_open_vnode(vp, flags & ~(O_TMPFILE_BIT | O_DIRECTORY),
		    cr, 1, fpp);
out:
	namei_done(&nd);
	return error;
}

/* openat(2) without the descriptor: see vfs.h. */
int
vn_openat(int dirfd, const char *path, int flags, mode_t mode,
    struct file **fpp)
{
	struct nameidata nd;
	struct cred *cr;
	struct vnode *vp;
	int error;

	if ((error = vfs_checkpath(path)) != 0)
		return error;
	if (flags & O_PATH)
		flags &= O_PATH_FLAGS;
	/* O_CREAT|O_DIRECTORY and a partial O_TMPFILE are EINVAL (Linux 6.4). */
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY) &&
	    !(flags & O_TMPFILE_BIT))
		return EINVAL;
	if ((flags & O_TMPFILE) == O_TMPFILE_BIT)
		return EINVAL;
	cr = vfs_curcred();
	if ((flags & O_TMPFILE) == O_TMPFILE)
		error = vn_open_tmpfile(dirfd, path, flags, mode, cr, fpp);
	else if (flags & O_CREAT)
		error = vn_open_creat(dirfd, path, flags, mode, cr, fpp);
	else {
		namei_init(&nd, dirfd, path,
		    (flags & O_NOFOLLOW) ? 0 : NI_FOLLOW, cr);
		if ((error = namei(&nd)) == 0) {
			vp = nd.nd_vp;
			nd.nd_vp = NULL;
			error = vn_open_vnode(vp, flags, cr, 0, fpp);
		}
		namei_done(&nd);
	}
	cred_release(cr);
	return error;
}

/* openat(2): open path relative to dirfd and return a new descriptor. */
int
sys_openat(struct lwp *l, int dirfd, const char *path, int flags,
    mode_t mode, register_t *retval)
{
	struct file *fp;
	int error;

	if ((error = vn_openat(dirfd, path, flags, mode, &fp)) != 0)
		return error;
	return vfs_install(fp, (flags & O_CLOEXEC) != 0, retval);
}

/* open(2). */
int
sys_open(struct lwp *l, const char *path, int flags, mode_t mode,
    register_t *retval)
{
	return sys_openat(l, AT_FDCWD, path, flags, mode, retval);
}

/* creat(2): open(path, O_CREAT|O_WRONLY|O_TRUNC, mode). */
int
sys_creat(struct lwp *l, const char *path, mode_t mode, register_t *retval)
{
	return sys_openat(l, AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC,
	    mode, retval);
}
