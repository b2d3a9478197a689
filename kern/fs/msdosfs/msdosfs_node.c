/*
 * msdosfs_node.c: nodes: finding or making the node of a directory
 * entry, writing its metadata back into the entry, and freeing it.
 *
 * One node per directory entry while referenced: nodes are hashed by the
 * device offset of their short entry, which is also where their inode
 * number comes from (offset / 32; the root is 1), so a file keeps its
 * number until it is renamed.  Every node holds a reference to the
 * directory its entry is in (de_parent).  A directory's cluster chain is
 * checked when its node is made: a chain that loops, leaves the volume or
 * exceeds 2 MiB, or a directory whose first cluster is that of the
 * directory it is in or of one of its ancestors (a directory containing
 * itself), is EIO.
 *
 * The lookup/inactive race is handled as in tmpfs: a lookup may take a
 * reference from 0 while a vrele that dropped it to 0 has not called
 * vop_inactive yet; de_owed counts the inactive calls to come (1 at
 * creation, +1 for every reference taken from 0, under pm_lock), and the
 * call that brings it to 0 frees the node.
 *
 * Metadata is written into the cached entry at once (msdosfs_node_update,
 * by the operation that changed it), so nothing is left to write when a
 * node goes.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

/* Hash chain for entry offset entoff. */
static struct klist *
msdosfs_node_bucket(struct msdosfs_mount *pm, uint64_t entoff)
{
	return &pm->pm_nodehash[(entoff >> DE_SHIFT) % MSDOSFS_NODEHASH];
}

/* The node of the entry at entoff, or NULL.  [m] */
static struct msdosfs_node *
msdosfs_node_find(struct msdosfs_mount *pm, uint64_t entoff)
{
	struct klist *head = msdosfs_node_bucket(pm, entoff), *it;
	struct msdosfs_node *np;

	klist_foreach(it, head) {
		np = klist_entry(it, struct msdosfs_node, de_hash);
		if (np->de_entoff == entoff)
			return np;
	}
	return NULL;
}

/* Take a reference on a hashed node; its count may be 0.  [m] */
static void
msdosfs_node_vget(struct msdosfs_node *np)
{
	if (__atomic_fetch_add(&np->de_vnode.v_refcnt, 1,
	    __ATOMIC_ACQ_REL) == 0)
		np->de_owed++;
}

/* First cluster recorded in a short entry. */
static uint32_t
msdosfs_ent_start(const struct msdosfs_mount *pm, const uint8_t *ent)
{
	uint32_t start = le16_get(ent + DE_STARTLO);

	if (pm->pm_fatbits == 32)
		start |= (uint32_t)le16_get(ent + DE_STARTHI) << 16;
	return start;
}

/* Fill the [v] metadata of np from its short entry. */
static void
msdosfs_node_load(struct msdosfs_node *np, const uint8_t *ent)
{
	struct msdosfs_mount *pm = np->de_pm;

	np->de_attr = ent[DE_ATTR];
	np->de_lcase = ent[DE_LCASE];
	np->de_start = msdosfs_ent_start(pm, ent);
	np->de_size = (ent[DE_ATTR] & ATTR_DIR) ? 0 :
	    le32_get(ent + DE_SIZEOFF);
	msdosfs_time_fat2unix(pm, le16_get(ent + DE_MDATE),
	    le16_get(ent + DE_MTIME), 0, &np->de_mtime);
	msdosfs_time_fat2unix(pm, le16_get(ent + DE_CDATE),
	    le16_get(ent + DE_CTIME), ent[DE_CTIME_CS], &np->de_ctime);
	msdosfs_time_fat2unix(pm, le16_get(ent + DE_ADATE), 0, 0,
	    &np->de_atime);
}

/*
 * Is cl the first cluster of dn or one of its ancestors?  A directory
 * entry pointing there would make the tree a loop.  [m]
 */
static int
msdosfs_node_isancestor(struct msdosfs_node *dn, uint32_t cl)
{
	for (; dn != NULL; dn = dn->de_parent)
		if (dn->de_start == cl)
			return 1;
	return 0;
}

/* A new node for the entry de in directory dn, hashed, one reference. */
static int
msdosfs_node_new(struct msdosfs_node *dn, const struct msdosfs_dirent *de,
    struct msdosfs_node **npp)
{
	struct msdosfs_mount *pm = dn->de_pm;
	struct msdosfs_node *np;
	uint32_t ncl = 0, start = msdosfs_ent_start(pm, de->d_ent);
	int isdir = (de->d_ent[DE_ATTR] & ATTR_DIR) != 0, error;

	if (isdir && (error = msdosfs_chain_count(pm, start,
	    DIR_MAXSIZE >> pm->pm_clshift, &ncl, NULL)) != 0)
		return error;
	if ((np = kmem_zalloc(sizeof(*np))) == NULL)
		return ENOMEM;
	np->de_pm = pm;
	msdosfs_node_load(np, de->d_ent);
	np->de_ncl = ncl;
	np->de_entoff = de->d_devoff;
	np->de_diroff = de->d_off;
	np->de_ino = de->d_devoff >> DE_SHIFT;
	np->de_owed = 1;
	vnode_init(&np->de_vnode, isdir ? VDIR : VREG, pm->pm_mp,
	    &msdosfs_vnodeops, np);
	vref(DETOV(dn));
	np->de_parent = dn;
	klist_append(msdosfs_node_bucket(pm, np->de_entoff), &np->de_hash);
	*npp = np;
	return 0;
}

/*
 * The node of entry de found in directory dn (referenced by the caller),
 * referenced: the one in the hash, or a new one.  EIO for a directory
 * entry that would loop the tree or whose chain is broken.  [m]
 */
int
msdosfs_node_get(struct msdosfs_node *dn, const struct msdosfs_dirent *de,
    struct msdosfs_node **npp)
{
	struct msdosfs_mount *pm = dn->de_pm;
	struct msdosfs_node *np;

	if ((de->d_ent[DE_ATTR] & ATTR_DIR) &&
	    msdosfs_node_isancestor(dn, msdosfs_ent_start(pm, de->d_ent)))
		return EIO;
	if ((np = msdosfs_node_find(pm, de->d_devoff)) != NULL) {
		msdosfs_node_vget(np);
		*npp = np;
		return 0;
	}
	return msdosfs_node_new(dn, de, npp);
}

/*
 * The root node, referenced once for the mount itself: FAT12/16's fixed
 * region or FAT32's cluster chain (checked: EIO if broken).  [m]
 */
int
msdosfs_node_mkroot(struct msdosfs_mount *pm)
{
	struct msdosfs_node *np;
	uint32_t ncl = 0;
	int error;

	if (pm->pm_fatbits == 32 && (error = msdosfs_chain_count(pm,
	    pm->pm_rootcl, DIR_MAXSIZE >> pm->pm_clshift, &ncl, NULL)) != 0)
		return error;
	if ((np = kmem_zalloc(sizeof(*np))) == NULL)
		return ENOMEM;
	np->de_pm = pm;
	np->de_attr = ATTR_DIR;
	np->de_start = pm->pm_rootcl;
	np->de_ncl = ncl;
	np->de_ino = MSDOSFS_ROOTINO;
	np->de_owed = 1;
	klist_init(&np->de_hash);
	pm->pm_root = np;	/* before vnode_init: DE_FIXEDROOT needs it */
	vnode_init(&np->de_vnode, VDIR, pm->pm_mp, &msdosfs_vnodeops, np);
	return 0;
}

/* Free the root at unmount (nobody else holds it any more). */
void
msdosfs_node_freeroot(struct msdosfs_mount *pm)
{
	struct msdosfs_node *np = pm->pm_root;

	if (np == NULL)
		return;
	vnode_fini(&np->de_vnode);
	kmem_free(np);
	pm->pm_root = NULL;
}

/*
 * Write np's metadata into its short entry: attributes, first cluster,
 * size, times.  Nothing for the root or a removed node.  The name is
 * not touched.  [m]; np's [v] fields must be stable (the caller holds
 * its lock or it is being created).
 */
int
msdosfs_node_update(struct msdosfs_node *np)
{
	struct msdosfs_mount *pm = np->de_pm;
	struct msdosfs_buf *bp;
	uint16_t date, time;
	uint8_t *ent, cs;
	int error;

	if (np->de_entoff == 0 || pm->pm_rdonly)
		return 0;
	if ((error = msdosfs_ent_get(pm, np->de_entoff, &bp, &ent)) != 0)
		return error;
	ent[DE_ATTR] = np->de_attr;
	le16_put(ent + DE_STARTHI, (uint16_t)(np->de_start >> 16));
	le16_put(ent + DE_STARTLO, (uint16_t)np->de_start);
	le32_put(ent + DE_SIZEOFF, DE_ISDIR(np) ? 0 : np->de_size);
	msdosfs_time_unix2fat(pm, &np->de_mtime, &date, &time, NULL);
	le16_put(ent + DE_MTIME, time);
	le16_put(ent + DE_MDATE, date);
	msdosfs_time_unix2fat(pm, &np->de_ctime, &date, &time, &cs);
	ent[DE_CTIME_CS] = cs;
	le16_put(ent + DE_CTIME, time);
	le16_put(ent + DE_CDATE, date);
	msdosfs_time_unix2fat(pm, &np->de_atime, &date, NULL, NULL);
	le16_put(ent + DE_ADATE, date);
	msdosfs_bc_dirty(pm, bp);
	msdosfs_bc_release(pm, bp);
	return 0;
}

/* np's entry moved (rename): new position, hash slot, inode number.  [m] */
void
msdosfs_node_move(struct msdosfs_node *np, uint64_t entoff, uint32_t diroff)
{
	struct msdosfs_mount *pm = np->de_pm;

	klist_remove(&np->de_hash);
	np->de_entoff = entoff;
	np->de_diroff = diroff;
	np->de_ino = entoff >> DE_SHIFT;
	klist_append(msdosfs_node_bucket(pm, entoff), &np->de_hash);
}

/*
 * np's entry was removed: nobody finds it any more, its metadata is not
 * written back, and its clusters go with its last reference.  [m]
 */
void
msdosfs_node_unlink(struct msdosfs_node *np)
{
	klist_remove(&np->de_hash);
	np->de_entoff = 0;
	np->de_flags |= DE_UNLINKED;
}

/* Is any node other than the root alive (for unmount)?  [m] */
int
msdosfs_node_busy(struct msdosfs_mount *pm)
{
	for (int i = 0; i < MSDOSFS_NODEHASH; i++)
		if (!klist_empty(&pm->pm_nodehash[i]))
			return 1;
	return 0;
}

/* Set mtime (and ctime) of np to now, as FAT stores them.  [v] */
void
msdosfs_node_touch(struct msdosfs_node *np, int ctime_too)
{
	struct ktimespec now;

	ktime_now(&now);
	np->de_mtime = now;
	msdosfs_time_round(np->de_pm, &np->de_mtime, MSDOSFS_TR_2SEC);
	if (ctime_too) {
		np->de_ctime = now;
		msdosfs_time_round(np->de_pm, &np->de_ctime, MSDOSFS_TR_CS);
	}
}

/*
 * Permission bits: FAT has none, so they come from the mount's masks;
 * a read-only file loses its write bits (directories ignore the flag,
 * as Linux does without "rodir").
 */
mode_t
msdosfs_node_mode(const struct msdosfs_node *np)
{
	const struct msdosfs_args *ma = &np->de_pm->pm_args;

	if (DE_ISDIR(np))
		return 0777 & ~ma->ma_dmask;
	if (np->de_attr & ATTR_RO)
		return 0777 & ~ma->ma_fmask & ~0222;
	return 0777 & ~ma->ma_fmask;
}

/*
 * One inactive call for np: true when it was the last one owed, so the
 * caller must free the node; then it is out of the hash and its parent
 * pointer is moved to *parentp.  A removed node's clusters are freed
 * here.  [m]
 */
static int
msdosfs_node_lastcall(struct msdosfs_node *np, struct msdosfs_node **parentp)
{
	struct msdosfs_mount *pm = np->de_pm;

	KASSERT(np->de_owed > 0);
	if (--np->de_owed != 0 || np == pm->pm_root)
		return 0;
	np->de_flags |= DE_DYING;
	klist_remove(&np->de_hash);
	if ((np->de_flags & DE_UNLINKED) && np->de_start != 0 &&
	    !pm->pm_rdonly)
		(void)msdosfs_freechain(pm, np->de_start, DE_ISDIR(np));
	*parentp = np->de_parent;
	np->de_parent = NULL;
	return 1;
}

/*
 * vop_inactive: the last reference went (no lock held).  Free the node
 * if no more inactive calls are owed, then drop its reference to its
 * directory, in a loop rather than by recursion (directory chains can be
 * long).
 */
void
msdosfs_inactive(struct vnode *vp)
{
	struct msdosfs_node *np = VTODE(vp), *parent;
	struct msdosfs_mount *pm;
	int dead;

	while (np != NULL) {
		pm = np->de_pm;
		parent = NULL;
		mutex_enter(&pm->pm_lock);
		dead = msdosfs_node_lastcall(np, &parent);
		mutex_exit(&pm->pm_lock);
		if (!dead)
			break;
		vnode_fini(&np->de_vnode);
		kmem_free(np);
		np = NULL;
		if (parent != NULL &&
		    atomic_dec_32(&parent->de_vnode.v_refcnt) == 0)
			np = parent;
	}
}
