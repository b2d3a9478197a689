/*
 * msdosfs_vnops.c: the vnode operations of msdosfs (rename is in
 * msdosfs_rename.c, attributes in msdosfs_attr.c, file data in
 * msdosfs_file.c).
 *
 * The VFS holds the vnode locks as kern/vfs/vfs.h says; each operation
 * takes pm_lock for the directory and FAT work.  Arguments are checked
 * again here (we don't trust the caller: a wrong call gets an errno).
 * FAT has regular files and directories only: mknod of anything else,
 * symlink and link are EPERM, as on Linux's vfat.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

/* May vp's file system be written?  EROFS for a read-only mount/device. */
int
msdosfs_writable(struct vnode *vp)
{
	if (vn_rdonly(vp) || VTODE(vp)->de_pm->pm_rdonly)
		return EROFS;
	return 0;
}

/* vop_lookup: find name in dvp, "." and ".." included. */
static int
msdosfs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct msdosfs_node *dn, *np = NULL;
	struct msdosfs_mount *pm;
	struct msdosfs_dirent *de;
	int error;

	if (dvp == NULL || vpp == NULL)
		return EFAULT;
	if ((error = vfs_checkdirop(dvp, name, len, 0)) != 0)
		return error;
	dn = VTODE(dvp);
	pm = dn->de_pm;
	if (len == 1 && name[0] == '.') {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	if ((de = kmem_alloc(sizeof(*de))) == NULL)
		return ENOMEM;
	mutex_enter(&pm->pm_lock);
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		np = dn->de_parent != NULL ? dn->de_parent : dn;
		vref(DETOV(np));
	} else if (dn->de_flags & DE_UNLINKED)
		error = ENOENT;
	else if ((error = msdosfs_dir_find(dn, name, len, de)) == 0)
		error = msdosfs_node_get(dn, de, &np);
	mutex_exit(&pm->pm_lock);
	kmem_free(de);
	if (error == 0)
		*vpp = DETOV(np);
	return error;
}

/* Checks shared by create and mkdir; the parsed name goes to nn. */
static int
msdosfs_mkcheck(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp, struct msdosfs_newname *nn)
{
	int error;

	if (dvp == NULL || va == NULL || vpp == NULL)
		return EFAULT;
	if ((error = vfs_checkdirop(dvp, name, len, EEXIST)) != 0)
		return error;
	if ((error = msdosfs_writable(dvp)) != 0)
		return error;
	return msdosfs_newname_init(VTODE(dvp)->de_pm, name, len, nn);
}

/*
 * May name be created in dn?  EEXIST if it (or a name equal to it but
 * for case) is there, ENOENT if dn was removed.  [m]
 */
static int
msdosfs_mkexists(struct msdosfs_node *dn, const char *name, size_t len)
{
	struct msdosfs_dirent *de;
	int error;

	if (dn->de_flags & DE_UNLINKED)
		return ENOENT;
	if ((de = kmem_alloc(sizeof(*de))) == NULL)
		return ENOMEM;
	error = msdosfs_dir_find(dn, name, len, de);
	kmem_free(de);
	if (error == 0)
		return EEXIST;
	return error == ENOENT ? 0 : error;
}

/*
 * Enter name (parsed as nn) in dn with short entry template tmpl and
 * make its node: the common part of create and mkdir.  [m]
 */
static int
msdosfs_mkentry(struct msdosfs_node *dn, const char *name, size_t len,
    struct msdosfs_newname *nn, const uint8_t *tmpl,
    struct msdosfs_node **npp)
{
	struct msdosfs_dirent *de;
	int error;

	if ((error = msdosfs_mkexists(dn, name, len)) != 0)
		return error;
	if ((de = kmem_alloc(sizeof(*de))) == NULL)
		return ENOMEM;
	if ((error = msdosfs_dir_add(dn, nn, tmpl, de)) == 0 &&
	    (error = msdosfs_node_get(dn, de, npp)) != 0)
		(void)msdosfs_dir_remove(dn, de->d_first, de->d_off);
	if (error == 0) {
		msdosfs_node_touch(dn, 1);
		(void)msdosfs_node_update(dn);
	}
	kmem_free(de);
	return error;
}

/* vop_create: regular files only; fifos, sockets and devices are EPERM. */
static int
msdosfs_create(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	struct msdosfs_newname nn;
	struct msdosfs_node *dn, *np;
	struct ktimespec now;
	uint8_t tmpl[DE_SIZE];
	int error;

	/* Like Linux's vfat, which has no mknod: EPERM before anything. */
	if (va != NULL && va->va_type != VREG)
		return EPERM;
	if ((error = msdosfs_mkcheck(dvp, name, len, va, vpp, &nn)) != 0)
		return error;
	dn = VTODE(dvp);
	ktime_now(&now);
	msdosfs_ent_template(dn->de_pm, tmpl, ATTR_ARCH, 0, &now);
	mutex_enter(&dn->de_pm->pm_lock);
	error = msdosfs_mkentry(dn, name, len, &nn, tmpl, &np);
	mutex_exit(&dn->de_pm->pm_lock);
	if (error == 0)
		*vpp = DETOV(np);
	return error;
}

/* vop_mkdir: a new directory with one zeroed cluster, "." and "..". */
static int
msdosfs_mkdir(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	struct msdosfs_newname nn;
	struct msdosfs_node *dn, *np;
	struct msdosfs_mount *pm;
	struct ktimespec now;
	uint8_t tmpl[DE_SIZE];
	uint32_t cl = 0, got;
	int error;

	if ((error = msdosfs_mkcheck(dvp, name, len, va, vpp, &nn)) != 0)
		return error;
	dn = VTODE(dvp);
	pm = dn->de_pm;
	ktime_now(&now);
	mutex_enter(&pm->pm_lock);
	/* EEXIST (or ENOENT in a removed directory) before allocating. */
	if ((error = msdosfs_mkexists(dn, name, len)) != 0 ||
	    (error = msdosfs_alloc(pm, 0, 1, &cl, &got)) != 0)
		goto out;
	if (got == 0) {
		error = ENOSPC;
		goto out;
	}
	msdosfs_ent_template(pm, tmpl, ATTR_DIR, cl, &now);
	if ((error = msdosfs_dir_initnew(pm, cl, dn == pm->pm_root ? 0 :
	    dn->de_start, tmpl)) != 0 ||
	    (error = msdosfs_mkentry(dn, name, len, &nn, tmpl, &np)) != 0) {
		(void)msdosfs_freechain(pm, cl, 1);
		goto out;
	}
	if (dn->de_flags & DE_NSUBVALID)
		dn->de_nsubdirs++;
	*vpp = DETOV(np);
out:
	mutex_exit(&pm->pm_lock);
	return error;
}

/* vop_symlink, vop_link: FAT has neither (EPERM, as Linux's vfat). */
static int
msdosfs_symlink(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	return EPERM;
}

static int
msdosfs_link(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{
	return EPERM;
}

/*
 * Find the entry name in dvp that must be vp's (else ENOENT), for
 * removing it.  [m]
 */
static int
msdosfs_findvictim(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp, struct msdosfs_dirent *de)
{
	int error;

	if ((error = msdosfs_dir_find(VTODE(dvp), name, len, de)) != 0)
		return error;
	if (de->d_devoff != VTODE(vp)->de_entoff)
		return ENOENT;
	return 0;
}

/* Checks shared by remove and rmdir. */
static int
msdosfs_rmcheck(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{
	int error;

	if (dvp == NULL || vp == NULL)
		return EFAULT;
	if ((error = vfs_checkdirop(dvp, name, len, EINVAL)) != 0)
		return error;
	if (vp->v_mount != dvp->v_mount || vp == dvp)
		return EINVAL;
	return msdosfs_writable(dvp);
}

/*
 * Remove the entry of vp (name in dvp); with isdir, vp must be an empty
 * directory.  The node lives on, without entry, while it is in use.
 */
static int
msdosfs_unlink(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp, int isdir)
{
	struct msdosfs_node *dn = VTODE(dvp), *np = VTODE(vp);
	struct msdosfs_mount *pm = dn->de_pm;
	struct msdosfs_dirent *de;
	int error, empty = 1;

	if ((de = kmem_alloc(sizeof(*de))) == NULL)
		return ENOMEM;
	mutex_enter(&pm->pm_lock);
	if ((error = msdosfs_findvictim(dvp, name, len, vp, de)) != 0)
		goto out;
	if (isdir && (error = msdosfs_dir_isempty(np, &empty)) == 0 && !empty)
		error = ENOTEMPTY;
	if (error != 0 ||
	    (error = msdosfs_dir_remove(dn, de->d_first, de->d_off)) != 0)
		goto out;
	msdosfs_node_unlink(np);
	if (isdir && (dn->de_flags & DE_NSUBVALID) && dn->de_nsubdirs > 0)
		dn->de_nsubdirs--;
	msdosfs_node_touch(dn, 1);
	(void)msdosfs_node_update(dn);
out:
	mutex_exit(&pm->pm_lock);
	kmem_free(de);
	return error;
}

/* vop_remove: a file; its clusters go when it is no longer open. */
static int
msdosfs_remove(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{
	int error;

	if ((error = msdosfs_rmcheck(dvp, name, len, vp)) != 0)
		return error;
	if (vp->v_type == VDIR)
		return EISDIR;
	return msdosfs_unlink(dvp, name, len, vp, 0);
}

/* vop_rmdir: an empty directory (ENOTEMPTY otherwise). */
static int
msdosfs_rmdir(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{
	int error;

	if ((error = msdosfs_rmcheck(dvp, name, len, vp)) != 0)
		return error;
	if (vp->v_type != VDIR)
		return ENOTDIR;
	return msdosfs_unlink(dvp, name, len, vp, 1);
}

/* Access date of np is today (once a day at most, as FAT keeps dates). */
static void
msdosfs_markatime(struct vnode *vp)
{
	struct msdosfs_node *np = VTODE(vp);
	struct msdosfs_mount *pm = np->de_pm;
	struct ktimespec today;

	if ((vfs_mntflags(vp->v_mount) & MS_NOATIME) ||
	    msdosfs_writable(vp) != 0)
		return;
	ktime_now(&today);
	msdosfs_time_round(pm, &today, MSDOSFS_TR_DAY);
	mutex_enter(&pm->pm_lock);
	if (today.tv_sec != np->de_atime.tv_sec) {
		np->de_atime = today;
		(void)msdosfs_node_update(np);
	}
	mutex_exit(&pm->pm_lock);
}

/* vop_read: from a regular file. */
static int
msdosfs_read(struct vnode *vp, struct uio *uio)
{
	int error;

	if ((error = vfs_checkrw(vp, uio)) != 0)
		return error;
	error = msdosfs_file_read(VTODE(vp), uio);
	if (error == 0)
		msdosfs_markatime(vp);
	return error;
}

/* vop_write: to a regular file. */
static int
msdosfs_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	int error;

	if ((error = vfs_checkrw(vp, uio)) != 0)
		return error;
	if ((error = msdosfs_writable(vp)) != 0)
		return error;
	return msdosfs_file_write(VTODE(vp), uio, ioflag);
}

/* vop_readlink: there are no symbolic links on FAT. */
static int
msdosfs_readlink(struct vnode *vp, char *buf, size_t len, size_t *lenp)
{
	return EINVAL;
}

/* vop_readdir: see msdosfs_readdir.c. */
static int
msdosfs_readdir(struct vnode *vp, struct uio *uio, off_t *cookiep)
{
	struct msdosfs_mount *pm;
	int error;

	if (vp == NULL || uio == NULL || cookiep == NULL)
		return EFAULT;
	if (vp->v_type != VDIR)
		return ENOTDIR;
	pm = VTODE(vp)->de_pm;
	mutex_enter(&pm->pm_lock);
	error = msdosfs_readdir_locked(VTODE(vp), uio, cookiep);
	mutex_exit(&pm->pm_lock);
	return error;
}

/* vop_fsync: write back all metadata, then the device's host file. */
static int
msdosfs_fsync(struct vnode *vp, int datasync)
{
	if (vp == NULL)
		return EFAULT;
	if (msdosfs_writable(vp) != 0)
		return 0;
	return msdosfs_sync_all(VTODE(vp)->de_pm);
}

const struct vnodeops msdosfs_vnodeops = {
	.vop_lookup	= msdosfs_lookup,
	.vop_create	= msdosfs_create,
	.vop_mkdir	= msdosfs_mkdir,
	.vop_symlink	= msdosfs_symlink,
	.vop_remove	= msdosfs_remove,
	.vop_rmdir	= msdosfs_rmdir,
	.vop_link	= msdosfs_link,
	.vop_rename	= msdosfs_rename,
	.vop_getattr	= msdosfs_getattr,
	.vop_setattr	= msdosfs_setattr,
	.vop_read	= msdosfs_read,
	.vop_write	= msdosfs_write,
	.vop_readlink	= msdosfs_readlink,
	.vop_readdir	= msdosfs_readdir,
	.vop_fsync	= msdosfs_fsync,
	.vop_seekdata	= NULL,
	.vop_inactive	= msdosfs_inactive,
};
