/*
 * tmpfs_node.c: tmpfs nodes: creation, references, link counts,
 * timestamps, and freeing when the last link and the last reference are
 * gone; space and inode accounting of the mount.
 *
 * The race between lookup and inactive: a directory lookup may take a
 * reference on a node whose v_refcnt is 0 ("resurrect" it) while a vrele
 * that dropped the count to 0 has not yet called vop_inactive.  Each drop
 * to 0 is followed by exactly one vop_inactive call, so we count in
 * tn_owed the calls still to come: 1 at creation (the first reference)
 * plus one for every resurrection, which tmpfs_node_vget does under
 * tn_mtx.  vop_inactive decrements it; the call that brings it to 0 with
 * no links left is the last one anyone will make, and frees the node.
 * Links cannot come back once they reach 0 (tmpfs_node_addlink refuses),
 * and no lookup can find a node without links.
 */
#include "kern.h"
#include "fs/tmpfs/tmpfs_node.h"

/* Charge n pages to the mount; ENOSPC when over its size limit. */
int
tmpfs_pages_charge(struct tmpfs_mount *tm, uint64_t n)
{
	int error = 0;

	mutex_enter(&tm->tm_lock);
	if (tm->tm_pages_max - tm->tm_pages_used < n)
		error = ENOSPC;
	else
		tm->tm_pages_used += n;
	mutex_exit(&tm->tm_lock);
	return error;
}

/* Give back n pages charged with tmpfs_pages_charge. */
void
tmpfs_pages_uncharge(struct tmpfs_mount *tm, uint64_t n)
{
	mutex_enter(&tm->tm_lock);
	KASSERT(tm->tm_pages_used >= n);
	tm->tm_pages_used -= n;
	mutex_exit(&tm->tm_lock);
}

/* Free the mount structure itself (no nodes left). */
void
tmpfs_mount_free(struct tmpfs_mount *tm)
{
	KASSERT(klist_empty(&tm->tm_nodes));
	mutex_destroy(&tm->tm_lock);
	kmem_free(tm);
}

/*
 * Allocate a node of va->va_type with va's mode, owner and rdev: one
 * vnode reference, the link count the caller is about to create, all
 * times now.  ENOSPC when the mount's inode limit is reached.
 */
int
tmpfs_node_alloc(struct tmpfs_mount *tm, struct mount *mp,
    const struct vattr *va, nlink_t links, struct tmpfs_node **tnp)
{
	struct tmpfs_node *tn;
	struct ktimespec now;

	if ((tn = kmem_zalloc(sizeof(*tn))) == NULL)
		return ENOMEM;
	tn->tn_tmp = tm;
	mutex_init(&tn->tn_mtx);
	tn->tn_owed = 1;
	tn->tn_links = links;
	tn->tn_mode = va->va_mode & ALLPERMS;
	tn->tn_uid = va->va_uid;
	tn->tn_gid = va->va_gid;
	if (va->va_type == VCHR || va->va_type == VBLK)
		tn->tn_rdev = va->va_rdev;
	ktime_now(&now);
	tn->tn_atime = tn->tn_mtime = tn->tn_ctime = tn->tn_btime = now;
	vnode_init(&tn->tn_vnode, va->va_type, mp, &tmpfs_vnodeops, tn);

	/* Complete before it joins the mount's list. */
	mutex_enter(&tm->tm_lock);
	if (tm->tm_nodes_used >= tm->tm_nodes_max) {
		mutex_exit(&tm->tm_lock);
		vnode_fini(&tn->tn_vnode);
		mutex_destroy(&tn->tn_mtx);
		kmem_free(tn);
		return ENOSPC;
	}
	tm->tm_nodes_used++;
	tn->tn_ino = tm->tm_nextino++;
	klist_append(&tm->tm_nodes, &tn->tn_entry);
	mutex_exit(&tm->tm_lock);
	*tnp = tn;
	return 0;
}

/*
 * Take a vnode reference on a node found through a directory entry or a
 * parent pointer; its count may be 0 (see the comment at the top).
 */
void
tmpfs_node_vget(struct tmpfs_node *tn)
{
	uint32_t *cnt = &tn->tn_vnode.v_refcnt;
	uint32_t old = atomic_load(cnt);

	/* Fast path: already referenced, so this is no resurrection. */
	while (old != 0) {
		if (__atomic_compare_exchange_n(cnt, &old, old + 1, 0,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return;
	}
	mutex_enter(&tn->tn_mtx);
	if (__atomic_fetch_add(cnt, 1, __ATOMIC_ACQ_REL) == 0)
		tn->tn_owed++;
	mutex_exit(&tn->tn_mtx);
}

/* Set the timestamps in which (TMPFS_ATIME|MTIME|CTIME) to now. */
void
tmpfs_node_touch(struct tmpfs_node *tn, int which)
{
	struct ktimespec now;

	ktime_now(&now);
	mutex_enter(&tn->tn_mtx);
	if (which & TMPFS_ATIME)
		tn->tn_atime = now;
	if (which & TMPFS_MTIME)
		tn->tn_mtime = now;
	if (which & TMPFS_CTIME)
		tn->tn_ctime = now;
	mutex_exit(&tn->tn_mtx);
}

/*
 * One more link to tn (a new name, or a subdirectory's ".."), updating
 * its ctime.  EMLINK at the limit; ENOENT once the node has lost all its
 * links (a removed directory gets no entries, an unlinked file no names).
 * A new node's first links come from tmpfs_node_alloc.
 */
int
tmpfs_node_addlink(struct tmpfs_node *tn)
{
	int error = 0;

	mutex_enter(&tn->tn_mtx);
	if (tn->tn_links == 0)
		error = ENOENT;
	else if (tn->tn_links >= TMPFS_LINK_MAX)
		error = EMLINK;
	else {
		tn->tn_links++;
		ktime_now(&tn->tn_ctime);
	}
	mutex_exit(&tn->tn_mtx);
	return error;
}

/* tn's link count now. */
nlink_t
tmpfs_node_links(struct tmpfs_node *tn)
{
	nlink_t n;

	mutex_enter(&tn->tn_mtx);
	n = tn->tn_links;
	mutex_exit(&tn->tn_mtx);
	return n;
}

/* One link fewer (all: every link, for rmdir), updating ctime. */
void
tmpfs_node_droplink(struct tmpfs_node *tn, int all)
{
	mutex_enter(&tn->tn_mtx);
	KASSERT(tn->tn_links > 0);
	if (all)
		tn->tn_links = 0;
	else
		tn->tn_links--;
	ktime_now(&tn->tn_ctime);
	mutex_exit(&tn->tn_mtx);
}

/*
 * Free a node nobody can reach any more: its data, its vnode, its slot in
 * the mount.  The caller has set tn_dying.  Frees the mount too when it
 * was unmounted and this was its last node.  Returns the parent a removed
 * directory held a reference to, for the caller to release, or NULL.
 */
struct tmpfs_node *
tmpfs_node_destroy(struct tmpfs_mount *tm, struct tmpfs_node *tn)
{
	struct tmpfs_node *parent = NULL;
	int lastnode;

	switch (tn->tn_vnode.v_type) {
	case VREG:
		tmpfs_reg_free(tn);
		break;
	case VDIR:
		tmpfs_dir_fini(tn);
		if (tn->tn_u.dir.td_removed)
			parent = tn->tn_u.dir.td_parent;
		break;
	case VLNK:
		kmem_free(tn->tn_u.lnk.tl_target);
		break;
	default:
		break;
	}
	mutex_enter(&tm->tm_lock);
	klist_remove(&tn->tn_entry);
	tm->tm_nodes_used--;
	lastnode = tm->tm_unmounted && tm->tm_nodes_used == 0;
	mutex_exit(&tm->tm_lock);
	vnode_fini(&tn->tn_vnode);
	mutex_destroy(&tn->tn_mtx);
	kmem_free(tn);
	if (lastnode) {
		KASSERT(parent == NULL);
		tmpfs_mount_free(tm);
	}
	return parent;
}

/*
 * One inactive call for tn: true when it was the last one owed and the
 * node has no links, so the caller must destroy it.
 */
static int
tmpfs_node_lastcall(struct tmpfs_node *tn)
{
	int dead;

	mutex_enter(&tn->tn_mtx);
	KASSERT(tn->tn_owed > 0);
	tn->tn_owed--;
	dead = tn->tn_owed == 0 && tn->tn_links == 0 && !tn->tn_dying;
	if (dead)
		tn->tn_dying = 1;
	mutex_exit(&tn->tn_mtx);
	return dead;
}

/*
 * vop_inactive: the vnode's count dropped to 0 (no lock held).  Free the
 * node if this is the last inactive call owed and it has no links left;
 * then drop the reference a removed directory held on its parent, in a
 * loop rather than by recursion, since such parents can form long chains.
 */
void
tmpfs_node_inactive(struct vnode *vp)
{
	struct tmpfs_node *tn = VP_TO_TMPFS(vp);

	while (tn != NULL && tmpfs_node_lastcall(tn)) {
		tn = tmpfs_node_destroy(tn->tn_tmp, tn);
		if (tn != NULL && atomic_dec_32(&tn->tn_vnode.v_refcnt) != 0)
			tn = NULL;
	}
}

/* vrele for a node tmpfs itself holds a reference to. */
void
tmpfs_node_rele(struct tmpfs_node *tn)
{
	if (atomic_dec_32(&tn->tn_vnode.v_refcnt) == 0)
		tmpfs_node_inactive(TMPFS_TO_VP(tn));
}
