/*
 * vfs_mount.c: file-system types, the mount table, mounting and
 * unmounting, and the root file system at boot.
 *
 * vfs_mount_lock serialises mount(2), umount2(2) and walks of the table.
 * A mount is attached by setting v_mountedhere of the covered directory
 * (under its v_interlock, stored atomically so that lookups can test it
 * without the lock); it is detached the same way before the file system
 * is asked to unmount, so no new lookup can enter it meanwhile.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs.h"
#include "fs/tmpfs/tmpfs.h"
#include "vfs/vfs_private.h"

#define VFS_MAXTYPES	16

kmutex_t vfs_mount_lock;
struct klist vfs_mountlist = KLIST_INIT(vfs_mountlist);
struct vnode *rootvnode;

static kmutex_t vfs_types_lock;
static const struct vfsops *vfs_types[VFS_MAXTYPES];
static int vfs_ntypes;
static dev_t vfs_nextdev = 0x20;	/* [vfs_mount_lock] anonymous devs */
static struct cred vfs_bootcred = { .cr_refcnt = 1 };	/* root, at boot */

/* Add a file-system type; EEXIST if the name is taken, ENOSPC if full. */
int
vfs_register(const struct vfsops *ops)
{
	int error = 0;

	mutex_enter(&vfs_types_lock);
	for (int i = 0; i < vfs_ntypes; i++)
		if (kstrcmp(vfs_types[i]->vfs_name, ops->vfs_name) == 0)
			error = EEXIST;
	if (error == 0 && vfs_ntypes == VFS_MAXTYPES)
		error = ENOSPC;
	if (error == 0)
		vfs_types[vfs_ntypes++] = ops;
	mutex_exit(&vfs_types_lock);
	return error;
}

/* The file-system type called name, or NULL. */
const struct vfsops *
vfs_findtype(const char *name)
{
	const struct vfsops *ops = NULL;

	mutex_enter(&vfs_types_lock);
	for (int i = 0; i < vfs_ntypes && ops == NULL; i++)
		if (kstrcmp(vfs_types[i]->vfs_name, name) == 0)
			ops = vfs_types[i];
	mutex_exit(&vfs_types_lock);
	return ops;
}

/* Space-separated names of the registered types (vfs.generic.fstypes). */
void
vfs_fstypes(char *buf, size_t len)
{
	if (len == 0)
		return;
	buf[0] = '\0';
	mutex_enter(&vfs_types_lock);
	for (int i = 0; i < vfs_ntypes; i++) {
		if (i > 0)
			kstrlcat(buf, " ", len);
		kstrlcat(buf, vfs_types[i]->vfs_name, len);
	}
	mutex_exit(&vfs_types_lock);
}

/* A new, unattached mount of type ops; fields a file system may read. */
static struct mount *
vfs_mount_alloc(const struct vfsops *ops, const char *source, int flags)
{
	struct mount *mp;

	if ((mp = kmem_zalloc(sizeof(*mp))) == NULL)
		return NULL;
	klist_init(&mp->mnt_list);
	mp->mnt_op = ops;
	mp->mnt_flag = flags;
	mutex_init(&mp->mnt_renamelock);
	kstrlcpy(mp->mnt_fstype, ops->vfs_name, sizeof(mp->mnt_fstype));
	kstrlcpy(mp->mnt_from, source != NULL ? source : ops->vfs_name,
	    sizeof(mp->mnt_from));
	return mp;
}

static void
vfs_mount_free(struct mount *mp)
{
	mutex_destroy(&mp->mnt_renamelock);
	kmem_free(mp);
}

/*
 * Mount a file system of type fstype on directory covered (referenced by
 * the caller; NULL for the root).  vfs_mount_lock held.
 */
int
vfs_domount(struct vnode *covered, const char *fstype, const char *source,
    int flags, const char *data, struct cred *cr)
{
	const struct vfsops *ops;
	struct mount *mp;
	struct vnode *root;
	int error;

	if ((ops = vfs_findtype(fstype)) == NULL)
		return ENODEV;
	if ((mp = vfs_mount_alloc(ops, source, flags)) == NULL)
		return ENOMEM;
	mp->mnt_dev = vfs_nextdev++;
	if ((error = ops->vfs_mount(mp, source, data, cr)) != 0)
		goto fail;
	if ((error = ops->vfs_root(mp, &root)) != 0) {
		ops->vfs_unmount(mp, MNT_FORCE);
		goto fail;
	}
	mp->mnt_root = root;
	mp->mnt_rootrefs = atomic_load(&root->v_refcnt);
	if (covered == NULL) {
		kstrlcpy(mp->mnt_on, "/", sizeof(mp->mnt_on));
	} else {
		if (vn_fullpath(covered, rootvnode, mp->mnt_on,
		    sizeof(mp->mnt_on), NULL) != 0)
			kstrlcpy(mp->mnt_on, "?", sizeof(mp->mnt_on));
		vref(covered);
		mp->mnt_vnodecovered = covered;
		mutex_enter(&covered->v_interlock);
		__atomic_store_n(&covered->v_mountedhere, mp, __ATOMIC_RELEASE);
		mutex_exit(&covered->v_interlock);
	}
	klist_append(&vfs_mountlist, &mp->mnt_list);
	return 0;
fail:
	vfs_mount_free(mp);
	return error;
}

/* mount -o remount: change the MS_* flags of mp.  vfs_mount_lock held. */
int
vfs_remount(struct mount *mp, int flags)
{
	const int changeable = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC |
	    MS_SYNCHRONOUS | MS_NOATIME | MS_NODIRATIME;
	int old = vfs_mntflags(mp), nflags;

	nflags = (old & ~changeable) | (flags & changeable);
	if ((nflags & MS_RDONLY) && !(old & MS_RDONLY)) {
		/* Going read-only: refuse while files are open for writing. */
		__atomic_store_n(&mp->mnt_flag, old | MS_RDONLY,
		    __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&mp->mnt_writers, __ATOMIC_SEQ_CST) != 0) {
			__atomic_store_n(&mp->mnt_flag, old, __ATOMIC_SEQ_CST);
			return EBUSY;
		}
		if (mp->mnt_op->vfs_sync != NULL)
			mp->mnt_op->vfs_sync(mp);
	}
	__atomic_store_n(&mp->mnt_flag, nflags, __ATOMIC_SEQ_CST);
	return 0;
}

/*
 * A file is being opened for writing on mp: EROFS on a read-only mount.
 * Pairs with vfs_remount: either the remount sees our count, or we see
 * its read-only flag.
 */
int
vfs_mnt_addwriter(struct mount *mp)
{
	__atomic_add_fetch(&mp->mnt_writers, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&mp->mnt_flag, __ATOMIC_SEQ_CST) & MS_RDONLY) {
		__atomic_sub_fetch(&mp->mnt_writers, 1, __ATOMIC_SEQ_CST);
		return EROFS;
	}
	return 0;
}

void
vfs_mnt_delwriter(struct mount *mp)
{
	__atomic_sub_fetch(&mp->mnt_writers, 1, __ATOMIC_SEQ_CST);
}

/* Detach mp from the directory it covers (no new lookups enter it). */
static void
vfs_mount_detach(struct mount *mp)
{
	struct vnode *covered = mp->mnt_vnodecovered;

	mutex_enter(&covered->v_interlock);
	__atomic_store_n(&covered->v_mountedhere, NULL, __ATOMIC_RELEASE);
	mutex_exit(&covered->v_interlock);
}

static void
vfs_mount_reattach(struct mount *mp)
{
	struct vnode *covered = mp->mnt_vnodecovered;

	mutex_enter(&covered->v_interlock);
	__atomic_store_n(&covered->v_mountedhere, mp, __ATOMIC_RELEASE);
	mutex_exit(&covered->v_interlock);
}

/*
 * Unmount the file system whose root is rootvp (the caller's reference is
 * consumed).  vfs_mount_lock held.  EBUSY while anything in it is in use:
 * a reference to its root beyond those it had when mounted and ours, or what
 * the file system reports (open files, cwds, mounts on its directories).
 * MNT_DETACH takes a busy mount out of the namespace and leaves it to its
 * users.  MNT_FORCE changes nothing for tmpfs (as on Linux).
 */
int
vfs_dounmount(struct vnode *rootvp, int flags)
{
	struct mount *mp = rootvp->v_mount;
	int error;

	if (mp->mnt_vnodecovered == NULL || atomic_load(&mp->mnt_detached)) {
		/* "/" is busy; a detached mount is out of reach already. */
		vrele(rootvp);
		return mp->mnt_vnodecovered == NULL ? EBUSY : EINVAL;
	}
	vfs_mount_detach(mp);
	error = EBUSY;
	if (atomic_load(&rootvp->v_refcnt) == mp->mnt_rootrefs + 1) {
		vrele(rootvp);
		rootvp = NULL;
		error = mp->mnt_op->vfs_unmount(mp, 0);
	}
	if (rootvp != NULL)
		vrele(rootvp);
	if (error == 0) {
		klist_remove(&mp->mnt_list);
		vrele(mp->mnt_vnodecovered);
		vfs_mount_free(mp);
	} else if (flags & MNT_DETACH) {
		/*
		 * Busy, but out of the name space: it lives on for its users
		 * and is never freed.  It keeps its reference to the covered
		 * vnode, which a ".." racing with us may still be taking.
		 */
		klist_remove(&mp->mnt_list);
		__atomic_store_n(&mp->mnt_detached, 1, __ATOMIC_RELEASE);
		error = 0;
	} else
		vfs_mount_reattach(mp);
	return error;
}

/* Sync every mounted file system (sync(2), shutdown). */
void
vfs_syncall(void)
{
	struct klist *it;
	struct mount *mp;

	mutex_enter(&vfs_mount_lock);
	klist_foreach(it, &vfs_mountlist) {
		mp = klist_entry(it, struct mount, mnt_list);
		if (mp->mnt_op->vfs_sync != NULL &&
		    !(vfs_mntflags(mp) & MS_RDONLY))
			mp->mnt_op->vfs_sync(mp);
	}
	mutex_exit(&vfs_mount_lock);
}

/* Boot: register the file systems and mount tmpfs as "/". */
int
vfs_init(void)
{
	struct mount *mp;
	int error;

	mutex_init(&vfs_types_lock);
	mutex_init(&vfs_mount_lock);
	if ((error = vfs_register(&tmpfs_vfsops)) != 0 ||
	    (error = vfs_register(&msdosfs_vfsops)) != 0)
		return error;
	mutex_enter(&vfs_mount_lock);
	error = vfs_domount(NULL, "tmpfs", "rootfs", 0, "mode=0755",
	    &vfs_bootcred);
	if (error == 0) {
		mp = klist_entry(vfs_mountlist.next, struct mount, mnt_list);
		rootvnode = mp->mnt_root;
		vref(rootvnode);
	}
	mutex_exit(&vfs_mount_lock);
	return error;
}
