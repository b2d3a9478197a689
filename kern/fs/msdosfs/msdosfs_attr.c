/*
 * msdosfs_attr.c: getattr and setattr.
 *
 * FAT keeps no owner and no permissions: files belong to the mount's
 * uid/gid and their mode comes from its fmask/dmask, minus the write
 * bits for a read-only file.  As on Linux, chown to anything but the
 * mount's uid/gid and chmod with setuid/setgid/sticky bits are EPERM,
 * and a chmod FAT cannot represent (anything but adding or removing all
 * the write bits the mask allows, on a file) changes nothing.  Times are
 * kept as FAT stores them: mtime to 2 s, ctime (the creation-time field,
 * which Linux uses for ctime) to 10 ms, atime to the day.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

/* Link count of a directory: 2 + subdirectories, counted once.  [m] */
static nlink_t
msdosfs_dir_nlink(struct msdosfs_node *np)
{
	uint32_t n;

	if (!(np->de_flags & DE_NSUBVALID)) {
		if (msdosfs_dir_countsubdirs(np, &n) != 0)
			return 2;
		np->de_nsubdirs = n;
		np->de_flags |= DE_NSUBVALID;
	}
	return 2 + (nlink_t)np->de_nsubdirs;
}

/* vop_getattr. */
int
msdosfs_getattr(struct vnode *vp, struct vattr *va)
{
	struct msdosfs_node *np;
	struct msdosfs_mount *pm;

	if (vp == NULL || va == NULL)
		return EFAULT;
	np = VTODE(vp);
	pm = np->de_pm;
	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_mode = msdosfs_node_mode(np);
	va->va_uid = pm->pm_args.ma_uid;
	va->va_gid = pm->pm_args.ma_gid;
	va->va_blksize = pm->pm_clsize;
	va->va_mtime = np->de_mtime;
	va->va_ctime = np->de_ctime;
	mutex_enter(&pm->pm_lock);
	va->va_ino = np->de_ino;
	va->va_atime = np->de_atime;
	if (vp->v_type == VDIR) {
		va->va_nlink = msdosfs_dir_nlink(np);
		va->va_size = msdosfs_dir_size(np);
		va->va_bytes = va->va_size;
	} else {
		va->va_nlink = 1;
		va->va_size = np->de_size;
		va->va_bytes = ROUNDUP((uint64_t)np->de_size,
		    (uint64_t)pm->pm_clsize);
	}
	mutex_exit(&pm->pm_lock);
	return 0;
}

/*
 * The new attribute byte for chmod to mode, or -1 when FAT cannot show
 * that mode (Linux then leaves the mode alone, without an error): read
 * and execute bits must stay as the mask makes them; the write bits must
 * be all those the mask allows (writable) or none (read-only, files only).
 */
static int
msdosfs_chmod_attr(const struct msdosfs_node *np, mode_t mode)
{
	const struct msdosfs_args *ma = &np->de_pm->pm_args;
	mode_t mask = DE_ISDIR(np) ? ma->ma_dmask : ma->ma_fmask;
	mode_t w = 0222 & ~mask, cur = msdosfs_node_mode(np);
	int canro = !DE_ISDIR(np) && w != 0;

	if ((mode & 0555) != (cur & 0555))
		return -1;
	if ((mode & 0222) == w)
		return np->de_attr & ~ATTR_RO;
	if ((mode & 0222) == 0 && canro)
		return np->de_attr | ATTR_RO;
	return -1;
}

/* Is ts a valid timestamp for setattr? */
static int
msdosfs_validtime(const struct ktimespec *ts)
{
	return ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000;
}

/* The checks of setattr that come before any change (Linux's order). */
static int
msdosfs_setattr_check(struct vnode *vp, const struct vattr *va,
    unsigned mask)
{
	const struct msdosfs_args *ma = &VTODE(vp)->de_pm->pm_args;
	int error;

	if (mask & ~(VA_MODE | VA_UID | VA_GID | VA_SIZE | VA_ATIME |
	    VA_MTIME | VA_CTIME))
		return EINVAL;
	if (mask == 0)
		return 0;
	if ((error = msdosfs_writable(vp)) != 0)
		return error;
	if (((mask & VA_UID) && va->va_uid != ma->ma_uid) ||
	    ((mask & VA_GID) && va->va_gid != ma->ma_gid) ||
	    ((mask & VA_MODE) && (va->va_mode & ~0777)))
		return EPERM;
	if (((mask & VA_ATIME) && !msdosfs_validtime(&va->va_atime)) ||
	    ((mask & VA_MTIME) && !msdosfs_validtime(&va->va_mtime)) ||
	    ((mask & VA_CTIME) && !msdosfs_validtime(&va->va_ctime)))
		return EINVAL;
	if ((mask & VA_SIZE) && vp->v_type == VDIR)
		return EISDIR;
	return 0;
}

/*
 * vop_setattr: change the fields in mask.  The size (the only change
 * that can fail after the checks) goes first, so a failure changes
 * nothing else.  ctime becomes now unless VA_CTIME gives it.
 */
int
msdosfs_setattr(struct vnode *vp, const struct vattr *va, unsigned mask)
{
	struct msdosfs_node *np;
	struct msdosfs_mount *pm;
	struct ktimespec now;
	int error, attr;

	if (vp == NULL || va == NULL)
		return EFAULT;
	if ((error = msdosfs_setattr_check(vp, va, mask)) != 0 || mask == 0)
		return error;
	np = VTODE(vp);
	pm = np->de_pm;
	if ((mask & VA_SIZE) &&
	    (error = msdosfs_file_truncate(np, va->va_size)) != 0)
		return error;
	ktime_now(&now);
	mutex_enter(&pm->pm_lock);
	if ((mask & VA_MODE) && (attr = msdosfs_chmod_attr(np, va->va_mode)) >= 0)
		np->de_attr = (uint8_t)attr;
	if (mask & VA_SIZE) {
		np->de_attr |= ATTR_ARCH;
		msdosfs_node_touch(np, 0);
	}
	if (mask & VA_ATIME) {
		np->de_atime = va->va_atime;
		msdosfs_time_round(pm, &np->de_atime, MSDOSFS_TR_DAY);
	}
	if (mask & VA_MTIME) {
		np->de_mtime = va->va_mtime;
		msdosfs_time_round(pm, &np->de_mtime, MSDOSFS_TR_2SEC);
	}
	np->de_ctime = (mask & VA_CTIME) ? va->va_ctime : now;
	msdosfs_time_round(pm, &np->de_ctime, MSDOSFS_TR_CS);
	error = msdosfs_node_update(np);
	mutex_exit(&pm->pm_lock);
	return error;
}
