/*
 * msdosfs_vfsops.c: mounting and unmounting FAT volumes, statfs, sync.
 *
 * mount(source, target, "msdos", flags, options): source is a block
 * device path (kern/dev/blkdev.h).  The boot sector is checked
 * (msdosfs_bpb.c: EINVAL for an impossible one), the root directory made.
 * MS_RDONLY opens the device read-only; a read-only device (EACCES when
 * asked for writing) is mounted read-only, as mount(8) does on Linux.
 * Unmount writes everything back (FAT copies, directories, FSInfo) and
 * syncs the host file; it is EBUSY while any file or directory of the
 * mount is in use.
 */
#include "kern.h"
#include "proc.h"
#include "fs/msdosfs/msdosfs_var.h"

/* Defaults of the options: the mounter's ids and umask (Linux's). */
static void
msdosfs_defaults(struct msdosfs_args *ma, struct cred *cr)
{
	struct proc *p = curproc();
	mode_t umask;

	mutex_enter(&p->p_lock);
	umask = p->p_umask & 0777;
	mutex_exit(&p->p_lock);
	memset(ma, 0, sizeof(*ma));
	ma->ma_uid = cr != NULL ? cr->cr_fsuid : 0;
	ma->ma_gid = cr != NULL ? cr->cr_fsgid : 0;
	ma->ma_fmask = ma->ma_dmask = umask;
	ma->ma_shortname = MSDOSFS_SN_WINNT;
	ma->ma_tzoff = 0;
}

/* Open the device: read-only when asked or when it cannot be written. */
static int
msdosfs_opendev(struct mount *mp, const char *source, struct cred *cr,
    struct blkdev **bdp)
{
	int flags = vfs_mntflags(mp), error;

	error = blkdev_open_path(source, cr, !(flags & MS_RDONLY), bdp);
	if (error == EACCES && !(flags & MS_RDONLY)) {
		error = blkdev_open_path(source, cr, 0, bdp);
		if (error == 0 && !(*bdp)->bd_rdonly) {
			blkdev_release(*bdp);
			error = EACCES;
		}
		if (error == 0)
			__atomic_store_n(&mp->mnt_flag, flags | MS_RDONLY,
			    __ATOMIC_SEQ_CST);
	}
	return error;
}

/* Free a mount's private part (its root and buffers already gone). */
static void
msdosfs_pm_free(struct msdosfs_mount *pm)
{
	msdosfs_bc_fini(pm);
	mutex_destroy(&pm->pm_lock);
	if (pm->pm_dev != NULL)
		blkdev_release(pm->pm_dev);
	kmem_free(pm);
}

/* Read and check the boot sector, set up cache, FSInfo hint and root. */
static int
msdosfs_mountfs(struct msdosfs_mount *pm)
{
	uint8_t *bs;
	int error;

	if ((bs = kmem_alloc(BPB_MINSIZE)) == NULL)
		return ENOMEM;
	if (pm->pm_dev->bd_size < BPB_MINSIZE)
		error = EINVAL;
	else if ((error = blkdev_read(pm->pm_dev, 0, bs, BPB_MINSIZE)) == 0)
		error = msdosfs_bpb_parse(pm, bs, BPB_MINSIZE,
		    pm->pm_dev->bd_size);
	kmem_free(bs);
	if (error != 0 || (error = msdosfs_bc_init(pm)) != 0)
		return error;
	mutex_enter(&pm->pm_lock);
	msdosfs_fsinfo_read(pm);
	error = msdosfs_node_mkroot(pm);
	mutex_exit(&pm->pm_lock);
	return error;
}

/*
 * vfs_mount: attach the FAT volume on the block device source to mp.
 * We don't trust source, options or image: each is checked.
 */
static int
msdosfs_mount(struct mount *mp, const char *source, const char *data,
    struct cred *cr)
{
	struct msdosfs_mount *pm;
	struct msdosfs_args ma;
	struct blkdev *bd;
	int error;

	if (mp == NULL)
		return EFAULT;
	if (source == NULL)
		return EINVAL;		/* Linux: no source specified */
	msdosfs_defaults(&ma, cr);
	if ((error = msdosfs_opts_parse(data, &ma)) != 0)
		return error;
	if ((error = msdosfs_opendev(mp, source, cr, &bd)) != 0)
		return error;
	if ((pm = kmem_zalloc(sizeof(*pm))) == NULL) {
		blkdev_release(bd);
		return ENOMEM;
	}
	mutex_init(&pm->pm_lock);
	pm->pm_mp = mp;
	pm->pm_dev = bd;
	pm->pm_rdonly = bd->bd_rdonly;
	pm->pm_args = ma;
	for (int i = 0; i < MSDOSFS_NODEHASH; i++)
		klist_init(&pm->pm_nodehash[i]);
	if ((error = msdosfs_mountfs(pm)) != 0) {
		msdosfs_pm_free(pm);
		return error;
	}
	mp->mnt_data = pm;
	return 0;
}

/*
 * Write back everything: FSInfo (when the FAT changed), then every dirty
 * sector.  [m]
 */
int
msdosfs_sync_locked(struct msdosfs_mount *pm)
{
	int error, e;

	if (pm->pm_rdonly)
		return 0;
	error = msdosfs_fsinfo_write(pm);
	if ((e = msdosfs_bc_flush(pm)) != 0 && error == 0)
		error = e;
	return error;
}

/* Write back everything, then sync the device's host file (takes [m]). */
int
msdosfs_sync_all(struct msdosfs_mount *pm)
{
	int error;

	mutex_enter(&pm->pm_lock);
	error = msdosfs_sync_locked(pm);
	mutex_exit(&pm->pm_lock);
	if (error == 0)
		error = blkdev_sync(pm->pm_dev);
	return error;
}

/*
 * vfs_unmount: EBUSY while any node but the root exists (each holds its
 * directory, so the VFS's check of the root's count sees them too).
 * Writes everything back and frees the mount; a successful unmount
 * consumes the mount's reference to its root (mnt_root), as with tmpfs.
 */
static int
msdosfs_unmount(struct mount *mp, int flags)
{
	struct msdosfs_mount *pm;

	if (mp == NULL || (pm = mp->mnt_data) == NULL)
		return EINVAL;
	mutex_enter(&pm->pm_lock);
	if (msdosfs_node_busy(pm) ||
	    atomic_load(&pm->pm_root->de_vnode.v_refcnt) >
	    (mp->mnt_root != NULL ? 2u : 1u)) {
		mutex_exit(&pm->pm_lock);
		return EBUSY;
	}
	if (!(vfs_mntflags(mp) & MS_RDONLY))
		(void)msdosfs_sync_locked(pm);
	mutex_exit(&pm->pm_lock);
	if (!pm->pm_rdonly && !(vfs_mntflags(mp) & MS_RDONLY))
		(void)blkdev_sync(pm->pm_dev);
	msdosfs_node_freeroot(pm);
	mp->mnt_data = NULL;
	msdosfs_pm_free(pm);
	return 0;
}

/* vfs_root: the root directory, referenced. */
static int
msdosfs_root(struct mount *mp, struct vnode **vpp)
{
	struct msdosfs_mount *pm;

	if (mp == NULL || vpp == NULL)
		return EFAULT;
	if ((pm = mp->mnt_data) == NULL)
		return EINVAL;
	vref(DETOV(pm->pm_root));
	*vpp = DETOV(pm->pm_root);
	return 0;
}

/*
 * vfs_statfs: Linux's answers for vfat: blocks are clusters, free ones
 * counted from the FAT, no inode counts, names up to 255.
 */
static int
msdosfs_statfs(struct mount *mp, struct kstatfs *sf)
{
	struct msdosfs_mount *pm;
	uint32_t nfree = 0;
	int error;

	if (mp == NULL || sf == NULL)
		return EFAULT;
	if ((pm = mp->mnt_data) == NULL)
		return EINVAL;
	mutex_enter(&pm->pm_lock);
	error = msdosfs_freecount(pm, &nfree);
	mutex_exit(&pm->pm_lock);
	if (error != 0)
		return error;
	memset(sf, 0, sizeof(*sf));
	sf->f_type = MSDOS_SUPER_MAGIC;
	sf->f_bsize = pm->pm_clsize;
	sf->f_frsize = pm->pm_clsize;
	sf->f_blocks = pm->pm_nclusters;
	sf->f_bfree = sf->f_bavail = nfree;
	sf->f_namelen = LFN_MAXLEN;
	sf->f_fsid[0] = (int32_t)(uint32_t)mp->mnt_dev;
	sf->f_fsid[1] = (int32_t)(uint32_t)(mp->mnt_dev >> 32);
	return 0;
}

/* vfs_sync: write everything back and sync the host file. */
static int
msdosfs_sync(struct mount *mp)
{
	struct msdosfs_mount *pm;

	if (mp == NULL || (pm = mp->mnt_data) == NULL)
		return EINVAL;
	if (pm->pm_rdonly)
		return 0;
	return msdosfs_sync_all(pm);
}

const struct vfsops msdosfs_vfsops = {
	.vfs_name	= "msdos",
	.vfs_mount	= msdosfs_mount,
	.vfs_unmount	= msdosfs_unmount,
	.vfs_root	= msdosfs_root,
	.vfs_statfs	= msdosfs_statfs,
	.vfs_sync	= msdosfs_sync,
};
