/*
 * msdosfs_rename.c: rename, within a directory or across directories.
 *
 * The VFS has checked permissions, types, emptiness rules that need no
 * fs knowledge, and loops, and holds both parents locked (and a
 * directory about to be replaced).  The moved node's lock is not held,
 * so we never read its [v] fields: its short entry is copied as it is on
 * disk, under pm_lock, and pm_lock serialises that with the node's own
 * write-backs, which go to the new place afterwards.
 *
 * Without a target, the new name gets a new entry (long-name slots and a
 * new short alias) and the old one is freed.  Over an existing target the
 * target's short entry is reused, name and all, as Linux does, so
 * replacing never needs room; the target node becomes a removed node.
 * A moved directory's ".." is pointed at its new parent.
 * RENAME_EXCHANGE is EINVAL: FAT cannot swap two entries atomically.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

struct msdosfs_renargs {
	struct msdosfs_node	*rn_fdn, *rn_fn, *rn_tdn, *rn_tn;
	struct msdosfs_dirent	rn_fde, rn_tde;
	struct msdosfs_newname	rn_nn;
	uint8_t			rn_ent[DE_SIZE];	/* the moved entry */
};

/* Argument checks; 0 or an errno. */
static int
msdosfs_rename_check(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    struct vnode *tvp, unsigned flags)
{
	if (fdvp == NULL || fname == NULL || fvp == NULL || tdvp == NULL ||
	    tname == NULL)
		return EFAULT;
	if (flags & RENAME_EXCHANGE)
		return EINVAL;
	if (flags != 0)
		return EINVAL;
	if (fdvp->v_type != VDIR || tdvp->v_type != VDIR)
		return ENOTDIR;
	if (fvp->v_mount != fdvp->v_mount || tdvp->v_mount != fdvp->v_mount ||
	    (tvp != NULL && tvp->v_mount != fdvp->v_mount))
		return EXDEV;
	if (flen == 0 || flen > NAME_MAX || tlen == 0 || tlen > NAME_MAX)
		return flen == 0 || tlen == 0 ? ENOENT : ENAMETOOLONG;
	if (fvp == fdvp || fvp == tdvp || (tvp != NULL && tvp == tdvp))
		return EINVAL;
	if (tvp != NULL && (fvp->v_type == VDIR) != (tvp->v_type == VDIR))
		return fvp->v_type == VDIR ? ENOTDIR : EISDIR;
	return msdosfs_writable(fdvp);
}

/* Find the source (and target) entries again; they must be the nodes'. */
static int
msdosfs_rename_find(struct msdosfs_renargs *ra, const char *fname,
    size_t flen, const char *tname, size_t tlen)
{
	int error, empty;

	if ((error = msdosfs_dir_find(ra->rn_fdn, fname, flen,
	    &ra->rn_fde)) != 0)
		return error;
	if (ra->rn_fde.d_devoff != ra->rn_fn->de_entoff)
		return ENOENT;
	if (ra->rn_tn == NULL)
		return 0;
	if ((error = msdosfs_dir_find(ra->rn_tdn, tname, tlen,
	    &ra->rn_tde)) != 0)
		return error;
	if (ra->rn_tde.d_devoff != ra->rn_tn->de_entoff)
		return ENOENT;
	if (DE_ISDIR(ra->rn_tn) &&
	    (error = msdosfs_dir_isempty(ra->rn_tn, &empty)) == 0 && !empty)
		error = ENOTEMPTY;
	return error;
}

/* Copy the source's short entry as it is on disk into rn_ent. */
static int
msdosfs_rename_copyent(struct msdosfs_renargs *ra)
{
	struct msdosfs_mount *pm = ra->rn_fn->de_pm;
	struct msdosfs_buf *bp;
	uint8_t *ent;
	int error;

	if ((error = msdosfs_ent_get(pm, ra->rn_fn->de_entoff, &bp,
	    &ent)) != 0)
		return error;
	memcpy(ra->rn_ent, ent, DE_SIZE);
	msdosfs_bc_release(pm, bp);
	return 0;
}

/*
 * Put the source's entry where the target's is: everything but the name
 * and its case flags comes from the source.  [m]
 */
static int
msdosfs_rename_overwrite(struct msdosfs_renargs *ra)
{
	struct msdosfs_mount *pm = ra->rn_fn->de_pm;
	struct msdosfs_buf *bp;
	uint8_t *ent;
	int error;

	if ((error = msdosfs_ent_get(pm, ra->rn_tde.d_devoff, &bp,
	    &ent)) != 0)
		return error;
	memcpy(ent + DE_ATTR, ra->rn_ent + DE_ATTR, DE_LCASE - DE_ATTR);
	memcpy(ent + DE_CTIME_CS, ra->rn_ent + DE_CTIME_CS,
	    DE_SIZE - DE_CTIME_CS);
	msdosfs_bc_dirty(pm, bp);
	msdosfs_bc_release(pm, bp);
	msdosfs_node_unlink(ra->rn_tn);
	msdosfs_node_move(ra->rn_fn, ra->rn_tde.d_devoff, ra->rn_tde.d_off);
	return 0;
}

/* Point ".." of the moved directory fn at its new parent tdn.  [m] */
static int
msdosfs_rename_dotdot(struct msdosfs_renargs *ra)
{
	struct msdosfs_node *fn = ra->rn_fn, *tdn = ra->rn_tdn;
	struct msdosfs_mount *pm = fn->de_pm;
	uint32_t cl = tdn == pm->pm_root ? 0 : tdn->de_start;
	struct msdosfs_buf *bp;
	uint8_t *ent;
	int error;

	if ((error = msdosfs_dir_slotget(fn, DE_SIZE, &bp, &ent)) != 0)
		return error;
	/* A directory without a proper ".." (corrupt) is left alone. */
	if (memcmp(ent + DE_NAME, "..         ", DE_NAMELEN) == 0) {
		le16_put(ent + DE_STARTHI, (uint16_t)(cl >> 16));
		le16_put(ent + DE_STARTLO, (uint16_t)cl);
		msdosfs_bc_dirty(pm, bp);
	}
	msdosfs_bc_release(pm, bp);
	return 0;
}

/* Subdirectory counts after the move.  [m] */
static void
msdosfs_rename_counts(struct msdosfs_renargs *ra)
{
	struct msdosfs_node *fdn = ra->rn_fdn, *tdn = ra->rn_tdn;

	if (ra->rn_tn != NULL && DE_ISDIR(ra->rn_tn) &&
	    (tdn->de_flags & DE_NSUBVALID) && tdn->de_nsubdirs > 0)
		tdn->de_nsubdirs--;
	if (!DE_ISDIR(ra->rn_fn) || fdn == tdn)
		return;
	if ((fdn->de_flags & DE_NSUBVALID) && fdn->de_nsubdirs > 0)
		fdn->de_nsubdirs--;
	if (tdn->de_flags & DE_NSUBVALID)
		tdn->de_nsubdirs++;
}

/*
 * The move itself, under pm_lock.  *oldparentp gets the reference to
 * the old parent of a directory that changed parents, for the caller to
 * release after dropping pm_lock.
 */
static int
msdosfs_rename_locked(struct msdosfs_renargs *ra, const char *fname,
    size_t flen, const char *tname, size_t tlen,
    struct msdosfs_node **oldparentp)
{
	struct msdosfs_node *fn = ra->rn_fn, *tdn = ra->rn_tdn;
	int error, movedir = DE_ISDIR(fn) && ra->rn_fdn != tdn;

	if (tdn->de_flags & DE_UNLINKED)
		return ENOENT;
	if ((error = msdosfs_rename_find(ra, fname, flen, tname, tlen)) != 0 ||
	    (error = msdosfs_rename_copyent(ra)) != 0)
		return error;
	if (ra->rn_tn != NULL)
		error = msdosfs_rename_overwrite(ra);
	else if ((error = msdosfs_dir_add(tdn, &ra->rn_nn, ra->rn_ent,
	    &ra->rn_tde)) == 0)
		msdosfs_node_move(fn, ra->rn_tde.d_devoff, ra->rn_tde.d_off);
	if (error != 0)
		return error;
	(void)msdosfs_dir_remove(ra->rn_fdn, ra->rn_fde.d_first,
	    ra->rn_fde.d_off);
	msdosfs_rename_counts(ra);
	if (movedir) {
		(void)msdosfs_rename_dotdot(ra);
		*oldparentp = fn->de_parent;
		vref(DETOV(tdn));
		fn->de_parent = tdn;
	}
	msdosfs_node_touch(ra->rn_fdn, 1);
	(void)msdosfs_node_update(ra->rn_fdn);
	if (tdn != ra->rn_fdn) {
		msdosfs_node_touch(tdn, 1);
		(void)msdosfs_node_update(tdn);
	}
	return 0;
}

/* vop_rename. */
int
msdosfs_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    struct vnode *tvp, unsigned flags)
{
	struct msdosfs_renargs *ra;
	struct msdosfs_node *oldparent = NULL;
	struct msdosfs_mount *pm;
	int error;

	if ((error = msdosfs_rename_check(fdvp, fname, flen, fvp, tdvp, tname,
	    tlen, tvp, flags)) != 0)
		return error;
	if ((ra = kmem_zalloc(sizeof(*ra))) == NULL)
		return ENOMEM;
	ra->rn_fdn = VTODE(fdvp);
	ra->rn_fn = VTODE(fvp);
	ra->rn_tdn = VTODE(tdvp);
	ra->rn_tn = tvp != NULL ? VTODE(tvp) : NULL;
	pm = ra->rn_fdn->de_pm;
	if (tvp == NULL && (error = msdosfs_newname_init(pm, tname, tlen,
	    &ra->rn_nn)) != 0)
		goto out;
	mutex_enter(&pm->pm_lock);
	error = msdosfs_rename_locked(ra, fname, flen, tname, tlen, &oldparent);
	mutex_exit(&pm->pm_lock);
	if (oldparent != NULL)
		vrele(DETOV(oldparent));
out:
	kmem_free(ra);
	return error;
}
