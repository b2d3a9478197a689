/*
 * tmpfs_vnops.c: the vnode operations of tmpfs (rename is in
 * tmpfs_rename.c).
 *
 * The VFS holds the vnode locks as kern/vfs/vfs.h describes; these
 * functions still check their arguments, because a wrong call must give
 * an errno, not corrupt the file system: we don't trust the caller.
 */
#include "kern.h"
#include "fs/tmpfs/tmpfs_node.h"

/* vop_lookup: find name in dvp and return its vnode referenced. */
static int
tmpfs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct tmpfs_node *dn, *tn;
	struct tmpfs_dirent *de;
	int error;

	if (dvp == NULL || vpp == NULL)
		return EFAULT;
	if ((error = vfs_checkdirop(dvp, name, len, 0)) != 0)
		return error;
	dn = VP_TO_TMPFS(dvp);
	if (len == 1 && name[0] == '.') {
		tn = dn;
		tmpfs_node_vget(tn);
	} else if (len == 2 && name[0] == '.' && name[1] == '.') {
		if ((error = tmpfs_dir_vgetparent(dn, &tn)) != 0)
			return error;
	} else {
		if ((de = tmpfs_dir_lookup(dn, name, len)) == NULL)
			return ENOENT;
		tn = de->td_node;
		tmpfs_node_vget(tn);
	}
	*vpp = TMPFS_TO_VP(tn);
	return 0;
}

/*
 * Create a node of type va->va_type named name in dvp: the common part of
 * create, mkdir and symlink.  Everything that can fail happens before the
 * directory changes.
 */
static int
tmpfs_mknode(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	struct tmpfs_node *dn, *tn;
	struct tmpfs_dirent *de = NULL;
	char *tcopy = NULL;
	size_t tlen = 0;
	int error, isdir = va->va_type == VDIR;

	dn = VP_TO_TMPFS(dvp);
	if (tmpfs_node_links(dn) == 0)
		return ENOENT;		/* dvp has been removed */
	if (tmpfs_dir_lookup(dn, name, len) != NULL)
		return EEXIST;
	if (target != NULL) {
		tlen = kstrnlen(target, PATH_MAX);
		if (tlen >= PATH_MAX)
			return ENAMETOOLONG;
		if (tlen == 0)
			return ENOENT;
		if ((tcopy = kmem_alloc(tlen + 1)) == NULL)
			return ENOMEM;
		memcpy(tcopy, target, tlen + 1);
	}
	if ((error = tmpfs_dirent_alloc(name, len, &de)) != 0 ||
	    (error = tmpfs_dir_reserve(dn)) != 0)
		goto fail;
	if (isdir && (error = tmpfs_node_addlink(dn)) != 0)
		goto fail;		/* the new directory's ".." */
	error = tmpfs_node_alloc(dn->tn_tmp, dvp->v_mount, va, isdir ? 2 : 1,
	    &tn);
	if (error != 0) {
		if (isdir)
			tmpfs_node_droplink(dn, 0);
		goto fail;
	}
	if (isdir)
		tmpfs_dir_init(tn, dn);
	if (target != NULL) {
		tn->tn_u.lnk.tl_target = tcopy;
		tn->tn_u.lnk.tl_len = tlen;
		tn->tn_size = tlen;
	}
	tmpfs_dir_attach(dn, de, tn);
	tmpfs_node_touch(dn, TMPFS_MTIME | TMPFS_CTIME);
	*vpp = TMPFS_TO_VP(tn);
	return 0;
fail:
	if (de != NULL)
		tmpfs_dirent_free(de);
	kmem_free(tcopy);
	return error;
}

/* Check the arguments shared by create, mkdir and symlink. */
static int
tmpfs_mkcheck(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	if (dvp == NULL || va == NULL || vpp == NULL)
		return EFAULT;
	return vfs_checkdirop(dvp, name, len, EEXIST);
}

/* vop_create: a regular file, fifo, socket or device node. */
static int
tmpfs_create(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	int error;

	if ((error = tmpfs_mkcheck(dvp, name, len, va, vpp)) != 0)
		return error;
	switch (va->va_type) {
	case VREG: case VFIFO: case VSOCK: case VCHR: case VBLK:
		break;
	default:
		return EINVAL;
	}
	return tmpfs_mknode(dvp, name, len, va, NULL, vpp);
}

/* vop_mkdir: a new empty directory. */
static int
tmpfs_mkdir(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	struct vattr dva;
	int error;

	if ((error = tmpfs_mkcheck(dvp, name, len, va, vpp)) != 0)
		return error;
	dva = *va;
	dva.va_type = VDIR;
	return tmpfs_mknode(dvp, name, len, &dva, NULL, vpp);
}

/* vop_symlink: a symbolic link to target. */
static int
tmpfs_symlink(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	struct vattr lva;
	int error;

	if ((error = tmpfs_mkcheck(dvp, name, len, va, vpp)) != 0)
		return error;
	if (target == NULL)
		return EFAULT;
	lva = *va;
	lva.va_type = VLNK;
	lva.va_mode = 0777;		/* symlinks are always lrwxrwxrwx */
	return tmpfs_mknode(dvp, name, len, &lva, target, vpp);
}

/* Find the entry name in dvp that must point at vp; ENOENT otherwise. */
static int
tmpfs_findvictim(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp, struct tmpfs_dirent **dep)
{
	struct tmpfs_dirent *de;
	int error;

	if (dvp == NULL || vp == NULL)
		return EFAULT;
	if ((error = vfs_checkdirop(dvp, name, len, EINVAL)) != 0)
		return error;
	de = tmpfs_dir_lookup(VP_TO_TMPFS(dvp), name, len);
	if (de == NULL || TMPFS_TO_VP(de->td_node) != vp)
		return ENOENT;
	*dep = de;
	return 0;
}

/* vop_remove: unlink a non-directory; its data lives while it is open. */
static int
tmpfs_remove(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{
	struct tmpfs_dirent *de;
	struct tmpfs_node *dn;
	int error;

	if ((error = tmpfs_findvictim(dvp, name, len, vp, &de)) != 0)
		return error;
	if (vp->v_type == VDIR)
		return EISDIR;
	dn = VP_TO_TMPFS(dvp);
	tmpfs_dir_detach(dn, de);
	tmpfs_dirent_free(de);
	tmpfs_node_droplink(VP_TO_TMPFS(vp), 0);
	tmpfs_node_touch(dn, TMPFS_MTIME | TMPFS_CTIME);
	return 0;
}

/*
 * vop_rmdir: remove the empty directory vp.  It loses both its links
 * (its name and its ".") and dvp loses the one of vp's "..".
 */
static int
tmpfs_rmdir(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{
	struct tmpfs_dirent *de;
	struct tmpfs_node *dn, *tn;
	int error;

	if ((error = tmpfs_findvictim(dvp, name, len, vp, &de)) != 0)
		return error;
	if (vp->v_type != VDIR)
		return ENOTDIR;
	dn = VP_TO_TMPFS(dvp);
	tn = VP_TO_TMPFS(vp);
	if (tn->tn_u.dir.td_count != 0)
		return ENOTEMPTY;
	tmpfs_dir_detach(dn, de);
	tmpfs_dirent_free(de);
	tmpfs_dir_orphan(tn, dn);
	tmpfs_node_droplink(tn, 1);
	tmpfs_node_droplink(dn, 0);
	tmpfs_node_touch(dn, TMPFS_MTIME | TMPFS_CTIME);
	return 0;
}

/* vop_link: a new name in dvp for the non-directory vp. */
static int
tmpfs_link(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{
	struct tmpfs_node *dn, *tn;
	struct tmpfs_dirent *de = NULL;
	int error;

	if (dvp == NULL || vp == NULL)
		return EFAULT;
	if ((error = vfs_checkdirop(dvp, name, len, EEXIST)) != 0)
		return error;
	if (vp->v_type == VDIR)
		return EPERM;
	dn = VP_TO_TMPFS(dvp);
	if (vp->v_op != &tmpfs_vnodeops || VP_TO_TMPFS(vp)->tn_tmp !=
	    dn->tn_tmp)
		return EXDEV;
	tn = VP_TO_TMPFS(vp);
	if (tmpfs_node_links(dn) == 0)
		return ENOENT;
	if (tmpfs_dir_lookup(dn, name, len) != NULL)
		return EEXIST;
	if ((error = tmpfs_dirent_alloc(name, len, &de)) != 0 ||
	    (error = tmpfs_dir_reserve(dn)) != 0 ||
	    (error = tmpfs_node_addlink(tn)) != 0)
		goto fail;
	tmpfs_dir_attach(dn, de, tn);
	tmpfs_node_touch(dn, TMPFS_MTIME | TMPFS_CTIME);
	return 0;
fail:
	if (de != NULL)
		tmpfs_dirent_free(de);
	return error;
}

/* vop_getattr. */
static int
tmpfs_getattr(struct vnode *vp, struct vattr *va)
{
	struct tmpfs_node *tn;

	if (vp == NULL || va == NULL)
		return EFAULT;
	tn = VP_TO_TMPFS(vp);
	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_mode = tn->tn_mode;
	va->va_uid = tn->tn_uid;
	va->va_gid = tn->tn_gid;
	va->va_ino = tn->tn_ino;
	va->va_rdev = tn->tn_rdev;
	va->va_size = tn->tn_size;
	if (vp->v_type == VREG)
		va->va_bytes = tn->tn_u.reg.tr_npages * TMPFS_PAGE_SIZE;
	va->va_blksize = TMPFS_PAGE_SIZE;
	va->va_btime = tn->tn_btime;
	mutex_enter(&tn->tn_mtx);
	va->va_nlink = tn->tn_links;
	va->va_atime = tn->tn_atime;
	va->va_mtime = tn->tn_mtime;
	va->va_ctime = tn->tn_ctime;
	mutex_exit(&tn->tn_mtx);
	return 0;
}

/* Is ts a valid timestamp for setattr? */
static int
tmpfs_validtime(const struct ktimespec *ts)
{
	return ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000;
}

/*
 * vop_setattr: change the fields in mask.  VA_SIZE (the only change that
 * can fail) comes first, so a failure changes nothing.  ctime becomes
 * now unless VA_CTIME gives it.
 */
static int
tmpfs_setattr(struct vnode *vp, const struct vattr *va, unsigned mask)
{
	struct tmpfs_node *tn;
	struct ktimespec now;
	int error, sized = 0;

	if (vp == NULL || va == NULL)
		return EFAULT;
	if (mask & ~(VA_MODE | VA_UID | VA_GID | VA_SIZE | VA_ATIME |
	    VA_MTIME | VA_CTIME))
		return EINVAL;
	if (((mask & VA_ATIME) && !tmpfs_validtime(&va->va_atime)) ||
	    ((mask & VA_MTIME) && !tmpfs_validtime(&va->va_mtime)) ||
	    ((mask & VA_CTIME) && !tmpfs_validtime(&va->va_ctime)))
		return EINVAL;
	tn = VP_TO_TMPFS(vp);
	if (mask & VA_SIZE) {
		if (vp->v_type == VDIR)
			return EISDIR;
		if (vp->v_type != VREG)
			return EINVAL;
		sized = va->va_size != tn->tn_size;
		if ((error = tmpfs_reg_truncate(tn, va->va_size)) != 0)
			return error;
	}
	if (mask & VA_MODE)
		tn->tn_mode = va->va_mode & ALLPERMS;
	if (mask & VA_UID)
		tn->tn_uid = va->va_uid;
	if (mask & VA_GID)
		tn->tn_gid = va->va_gid;
	if (mask == 0)
		return 0;
	ktime_now(&now);
	mutex_enter(&tn->tn_mtx);
	if (sized)
		tn->tn_mtime = now;
	if (mask & VA_ATIME)
		tn->tn_atime = va->va_atime;
	if (mask & VA_MTIME)
		tn->tn_mtime = va->va_mtime;
	tn->tn_ctime = (mask & VA_CTIME) ? va->va_ctime : now;
	mutex_exit(&tn->tn_mtx);
	return 0;
}

/* Does the mount of vp want access times kept? */
static int
tmpfs_wantatime(struct vnode *vp)
{
	return !(atomic_load(&vp->v_mount->mnt_flag) & MS_NOATIME);
}

/* vop_read: from a regular file; sets atime. */
static int
tmpfs_read(struct vnode *vp, struct uio *uio)
{
	int error;

	if ((error = vfs_checkrw(vp, uio)) != 0)
		return error;
	error = tmpfs_reg_read(VP_TO_TMPFS(vp), uio);
	if (error == 0 && tmpfs_wantatime(vp))
		tmpfs_node_touch(VP_TO_TMPFS(vp), TMPFS_ATIME);
	return error;
}

/* vop_write: to a regular file; sets mtime and ctime when it wrote. */
static int
tmpfs_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	size_t resid;
	int error;

	if ((error = vfs_checkrw(vp, uio)) != 0)
		return error;
	resid = uio->uio_resid;
	error = tmpfs_reg_write(VP_TO_TMPFS(vp), uio, ioflag);
	if (uio->uio_resid != resid)
		tmpfs_node_touch(VP_TO_TMPFS(vp), TMPFS_MTIME | TMPFS_CTIME);
	return error;
}

/* vop_readlink: the target, truncated to len, without a NUL. */
static int
tmpfs_readlink(struct vnode *vp, char *buf, size_t len, size_t *lenp)
{
	struct tmpfs_node *tn;
	size_t n;

	if (vp == NULL || buf == NULL || lenp == NULL)
		return EFAULT;
	if (vp->v_type != VLNK)
		return EINVAL;
	tn = VP_TO_TMPFS(vp);
	n = MIN(len, tn->tn_u.lnk.tl_len);
	memcpy(buf, tn->tn_u.lnk.tl_target, n);
	*lenp = n;
	if (tmpfs_wantatime(vp))
		tmpfs_node_touch(tn, TMPFS_ATIME);
	return 0;
}

/* vop_readdir: see tmpfs_dir.c; sets atime. */
static int
tmpfs_readdir(struct vnode *vp, struct uio *uio, off_t *cookiep)
{
	int error;

	if (vp == NULL || uio == NULL || cookiep == NULL)
		return EFAULT;
	if (vp->v_type != VDIR)
		return ENOTDIR;
	error = tmpfs_dir_readdir(VP_TO_TMPFS(vp), uio, cookiep);
	if (error == 0 && tmpfs_wantatime(vp) &&
	    !(atomic_load(&vp->v_mount->mnt_flag) & MS_NODIRATIME))
		tmpfs_node_touch(VP_TO_TMPFS(vp), TMPFS_ATIME);
	return error;
}

/* vop_fsync: memory is as stable as it gets. */
static int
tmpfs_fsync(struct vnode *vp, int datasync)
{
	return 0;
}

/* vop_seekdata: SEEK_DATA/SEEK_HOLE on a regular file. */
static int
tmpfs_seekdata(struct vnode *vp, off_t off, int whence, off_t *res)
{
	if (vp == NULL || res == NULL)
		return EFAULT;
	if (vp->v_type != VREG)
		return EINVAL;
	return tmpfs_reg_seekdata(VP_TO_TMPFS(vp), off, whence, res);
}

const struct vnodeops tmpfs_vnodeops = {
	.vop_lookup	= tmpfs_lookup,
	.vop_create	= tmpfs_create,
	.vop_mkdir	= tmpfs_mkdir,
	.vop_symlink	= tmpfs_symlink,
	.vop_remove	= tmpfs_remove,
	.vop_rmdir	= tmpfs_rmdir,
	.vop_link	= tmpfs_link,
	.vop_rename	= tmpfs_rename,
	.vop_getattr	= tmpfs_getattr,
	.vop_setattr	= tmpfs_setattr,
	.vop_read	= tmpfs_read,
	.vop_write	= tmpfs_write,
	.vop_readlink	= tmpfs_readlink,
	.vop_readdir	= tmpfs_readdir,
	.vop_fsync	= tmpfs_fsync,
	.vop_seekdata	= tmpfs_seekdata,
	.vop_inactive	= tmpfs_node_inactive,
};
