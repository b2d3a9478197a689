/*
 * tmpfs_vfsops.c: mounting and unmounting tmpfs, statfs.
 *
 * A mount owns a struct tmpfs_mount with the limits and the list of all
 * its nodes.  Unmounting takes every node's links away and empties every
 * directory; nodes nobody references are freed at once, the others (only
 * with MNT_FORCE, and the root) when their last reference goes, and the
 * last node to go frees the tmpfs_mount.
 */
#include "kern.h"
#include "proc.h"
#include "fs/tmpfs/tmpfs_node.h"

/* Default limit of pages and of inodes: half of physical memory. */
static uint64_t
tmpfs_default_pages(void)
{
	uint64_t pages = hyp_physmem() / TMPFS_PAGE_SIZE / 2;

	return pages > 0 ? pages : 1;
}

/* Make the root directory of a new mount, as ta says. */
static int
tmpfs_mkroot(struct tmpfs_mount *tm, struct mount *mp,
    const struct tmpfs_args *ta)
{
	struct vattr va;
	struct tmpfs_node *root;
	int error;

	memset(&va, 0, sizeof(va));
	va.va_type = VDIR;
	va.va_mode = ta->ta_mode;
	va.va_uid = ta->ta_uid;
	va.va_gid = ta->ta_gid;
	if ((error = tmpfs_node_alloc(tm, mp, &va, 2, &root)) != 0)
		return error;
	tmpfs_dir_init(root, root);	/* the root is its own ".." */
	tm->tm_root = root;
	return 0;
}

/*
 * vfs_mount: parse the options (we don't trust them: tmpfs_opts.c checks
 * each), set up the accounting and the root.  source is ignored.
 */
static int
tmpfs_mount(struct mount *mp, const char *source, const char *data,
    struct cred *cr)
{
	struct tmpfs_args ta;
	struct tmpfs_mount *tm;
	int error;

	if (mp == NULL)
		return EFAULT;
	memset(&ta, 0, sizeof(ta));
	ta.ta_pages = ta.ta_nodes = tmpfs_default_pages();
	ta.ta_mode = S_ISVTX | 0777;
	if (cr != NULL) {
		ta.ta_uid = cr->cr_fsuid;
		ta.ta_gid = cr->cr_fsgid;
	}
	if ((error = tmpfs_opts_parse(data, &ta)) != 0)
		return error;
	if ((tm = kmem_zalloc(sizeof(*tm))) == NULL)
		return ENOMEM;
	mutex_init(&tm->tm_lock);
	klist_init(&tm->tm_nodes);
	tm->tm_pages_max = ta.ta_pages ? ta.ta_pages : UINT64_MAX;
	tm->tm_nodes_max = ta.ta_nodes ? ta.ta_nodes : UINT64_MAX;
	tm->tm_nextino = 1;
	if ((error = tmpfs_mkroot(tm, mp, &ta)) != 0) {
		tmpfs_mount_free(tm);
		return error;
	}
	mp->mnt_data = tm;
	return 0;
}

/* Is any node but the root referenced?  (tm_lock held) */
static int
tmpfs_busy(struct tmpfs_mount *tm)
{
	struct klist *it;
	struct tmpfs_node *tn;

	klist_foreach(it, &tm->tm_nodes) {
		tn = klist_entry(it, struct tmpfs_node, tn_entry);
		if (tn != tm->tm_root &&
		    atomic_load(&tn->tn_vnode.v_refcnt) > 0)
			return 1;
	}
	return 0;
}

/*
 * Take all links from tn and empty it if it is a directory; move it to
 * the list dead when nobody will call vop_inactive on it any more.
 * (tm_lock held)
 */
static void
tmpfs_unlink_all(struct tmpfs_node *tn, struct klist *dead)
{
	int unused;

	if (tn->tn_vnode.v_type == VDIR) {
		tmpfs_dir_fini(tn);	/* frees the entries */
		if (!tn->tn_u.dir.td_removed)
			tn->tn_u.dir.td_parent = NULL;
	}
	mutex_enter(&tn->tn_mtx);
	tn->tn_links = 0;
	unused = tn->tn_owed == 0 && !tn->tn_dying;
	if (unused)
		tn->tn_dying = 1;
	mutex_exit(&tn->tn_mtx);
	if (unused) {
		klist_remove(&tn->tn_entry);
		klist_append(dead, &tn->tn_entry);
	}
}

/*
 * vfs_unmount: EBUSY while a node other than the root is referenced,
 * unless MNT_FORCE.  The VFS has made the mount unreachable and checked
 * that the root is not in use; a successful unmount consumes the mount's
 * reference to its root (mnt_root), so the VFS must not vrele it after.
 * Nodes still referenced after a forced unmount stay usable, but empty
 * and unlinked, like files removed while open.
 */
static int
tmpfs_unmount(struct mount *mp, int flags)
{
	struct tmpfs_mount *tm;
	struct tmpfs_node *tn, *root;
	struct klist dead, *it, *tmp;

	if (mp == NULL || (tm = mp->mnt_data) == NULL)
		return EINVAL;
	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return EINVAL;
	klist_init(&dead);
	mutex_enter(&tm->tm_lock);
	if (!(flags & MNT_FORCE) && tmpfs_busy(tm)) {
		mutex_exit(&tm->tm_lock);
		return EBUSY;
	}
	klist_foreach_safe(it, tmp, &tm->tm_nodes)
		tmpfs_unlink_all(klist_entry(it, struct tmpfs_node, tn_entry),
		    &dead);
	tm->tm_unmounted = 1;
	root = tm->tm_root;
	mutex_exit(&tm->tm_lock);
	mp->mnt_data = NULL;
	klist_foreach_safe(it, tmp, &dead) {
		tn = tmpfs_node_destroy(tm,
		    klist_entry(it, struct tmpfs_node, tn_entry));
		if (tn != NULL)
			tmpfs_node_rele(tn);
	}
	/*
	 * Drop our own reference to the root and the mount's (mnt_root,
	 * which the VFS gives up with a successful unmount); the last
	 * reference frees the root, and the last node frees tm.
	 */
	if (mp->mnt_root == TMPFS_TO_VP(root))
		tmpfs_node_rele(root);
	tmpfs_node_rele(root);
	return 0;
}

/* vfs_root: the root directory, referenced. */
static int
tmpfs_root(struct mount *mp, struct vnode **vpp)
{
	struct tmpfs_mount *tm;

	if (mp == NULL || vpp == NULL)
		return EFAULT;
	if ((tm = mp->mnt_data) == NULL)
		return EINVAL;
	tmpfs_node_vget(tm->tm_root);
	*vpp = TMPFS_TO_VP(tm->tm_root);
	return 0;
}

/*
 * vfs_statfs: blocks from the size limit, files from the inode limit
 * (both 0 when the mount has none, as Linux reports).
 */
static int
tmpfs_statfs(struct mount *mp, struct kstatfs *sf)
{
	struct tmpfs_mount *tm;

	if (mp == NULL || sf == NULL)
		return EFAULT;
	if ((tm = mp->mnt_data) == NULL)
		return EINVAL;
	memset(sf, 0, sizeof(*sf));
	sf->f_type = TMPFS_MAGIC;
	sf->f_bsize = TMPFS_PAGE_SIZE;
	sf->f_frsize = TMPFS_PAGE_SIZE;
	sf->f_namelen = NAME_MAX;
	sf->f_fsid[0] = (int32_t)(uint32_t)mp->mnt_dev;
	sf->f_fsid[1] = (int32_t)(uint32_t)(mp->mnt_dev >> 32);
	mutex_enter(&tm->tm_lock);
	if (tm->tm_pages_max != UINT64_MAX) {
		sf->f_blocks = tm->tm_pages_max;
		sf->f_bfree = sf->f_bavail =
		    tm->tm_pages_max - tm->tm_pages_used;
	}
	if (tm->tm_nodes_max != UINT64_MAX) {
		sf->f_files = tm->tm_nodes_max;
		sf->f_ffree = tm->tm_nodes_max - tm->tm_nodes_used;
	}
	mutex_exit(&tm->tm_lock);
	return 0;
}

/* vfs_sync: nothing to write back. */
static int
tmpfs_sync(struct mount *mp)
{
	return 0;
}

const struct vfsops tmpfs_vfsops = {
	.vfs_name	= "tmpfs",
	.vfs_mount	= tmpfs_mount,
	.vfs_unmount	= tmpfs_unmount,
	.vfs_root	= tmpfs_root,
	.vfs_statfs	= tmpfs_statfs,
	.vfs_sync	= tmpfs_sync,
};
