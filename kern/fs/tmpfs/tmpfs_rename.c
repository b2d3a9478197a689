/*
 * tmpfs_rename.c: vop_rename, with its directory bookkeeping: the ".." of
 * a directory that changes parents, the link counts of the parents (each
 * subdirectory's ".." is a link to its parent), the replaced target, and
 * RENAME_EXCHANGE.
 *
 * The VFS holds mnt_renamelock and both parents' locks exclusive and has
 * done the permission, type and loop checks (a directory is never moved
 * below itself).  We check again what would corrupt the tree if wrong.
 * Everything that can fail happens before the first change.
 */
#include "kern.h"
#include "fs/tmpfs/tmpfs_node.h"

/* Is vp a tmpfs vnode of mount tm? */
static int
tmpfs_rename_ours(struct vnode *vp, struct tmpfs_mount *tm)
{
	return vp->v_op == &tmpfs_vnodeops && VP_TO_TMPFS(vp)->tn_tmp == tm;
}

/* A valid name for rename: a single component, not "." or "..". */
static int
tmpfs_rename_name(const char *name, size_t len)
{
	int error;

	if ((error = vfs_checkname(name, len)) != 0)
		return error;
	return vfs_isdots(name, len) ? EBUSY : 0;
}

/* Check the arguments; finds the two entries (*tdep NULL if none). */
static int
tmpfs_rename_check(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    struct vnode *tvp, unsigned flags, struct tmpfs_dirent **fdep,
    struct tmpfs_dirent **tdep)
{
	struct tmpfs_mount *tm;
	int error;

	if (fdvp == NULL || fvp == NULL || tdvp == NULL)
		return EFAULT;
	if (fdvp->v_type != VDIR || tdvp->v_type != VDIR)
		return ENOTDIR;
	if ((error = tmpfs_rename_name(fname, flen)) != 0 ||
	    (error = tmpfs_rename_name(tname, tlen)) != 0)
		return error;
	if ((flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE)) ||
	    (flags & RENAME_NOREPLACE && flags & RENAME_EXCHANGE))
		return EINVAL;
	tm = VP_TO_TMPFS(fdvp)->tn_tmp;
	if (!tmpfs_rename_ours(fdvp, tm) || !tmpfs_rename_ours(tdvp, tm) ||
	    !tmpfs_rename_ours(fvp, tm) ||
	    (tvp != NULL && !tmpfs_rename_ours(tvp, tm)))
		return EXDEV;
	*fdep = tmpfs_dir_lookup(VP_TO_TMPFS(fdvp), fname, flen);
	if (*fdep == NULL || TMPFS_TO_VP((*fdep)->td_node) != fvp)
		return ENOENT;
	*tdep = tmpfs_dir_lookup(VP_TO_TMPFS(tdvp), tname, tlen);
	if (tvp == NULL)
		return *tdep != NULL ? EEXIST : 0;
	if (*tdep == NULL || TMPFS_TO_VP((*tdep)->td_node) != tvp)
		return ENOENT;
	if (flags & RENAME_NOREPLACE)
		return EEXIST;
	return 0;
}

/* Timestamps after a rename: both parents change, the moved node too. */
static void
tmpfs_rename_touch(struct tmpfs_node *fdn, struct tmpfs_node *tdn,
    struct tmpfs_node *fn, struct tmpfs_node *tn)
{
	tmpfs_node_touch(fdn, TMPFS_MTIME | TMPFS_CTIME);
	if (tdn != fdn)
		tmpfs_node_touch(tdn, TMPFS_MTIME | TMPFS_CTIME);
	tmpfs_node_touch(fn, TMPFS_CTIME);
	if (tn != NULL)
		tmpfs_node_touch(tn, TMPFS_CTIME);
}

/*
 * RENAME_EXCHANGE: the two entries swap nodes.  When a directory and a
 * non-directory change parents, the ".." link moves with the directory.
 */
static int
tmpfs_rename_exchange(struct tmpfs_node *fdn, struct tmpfs_dirent *fde,
    struct tmpfs_node *tdn, struct tmpfs_dirent *tde)
{
	struct tmpfs_node *fn = fde->td_node, *tn = tde->td_node;
	int fdir = fn->tn_vnode.v_type == VDIR;
	int tdir = tn->tn_vnode.v_type == VDIR;
	int error;

	if (fdn != tdn) {
		if (fdir && !tdir && (error = tmpfs_node_addlink(tdn)) != 0)
			return error;
		if (tdir && !fdir && (error = tmpfs_node_addlink(fdn)) != 0)
			return error;
		if (fdir && !tdir)
			tmpfs_node_droplink(fdn, 0);
		if (tdir && !fdir)
			tmpfs_node_droplink(tdn, 0);
		if (fdir)
			tmpfs_dir_setparent(fn, tdn);
		if (tdir)
			tmpfs_dir_setparent(tn, fdn);
	}
	fde->td_node = tn;
	tde->td_node = fn;
	tmpfs_rename_touch(fdn, tdn, fn, tn);
	return 0;
}

/*
 * Plain rename to a new name (tde NULL) or over the target tde, whose
 * node loses that link (a directory both of its links, and its parent the
 * link of its "..").  Replacing reuses tde, so it cannot fail.
 */
static int
tmpfs_rename_move(struct tmpfs_node *fdn, struct tmpfs_dirent *fde,
    struct tmpfs_node *tdn, struct tmpfs_dirent *tde, const char *tname,
    size_t tlen)
{
	struct tmpfs_node *fn = fde->td_node, *tn = NULL;
	struct tmpfs_dirent *nde = NULL;
	int fdir = fn->tn_vnode.v_type == VDIR, error;

	if (tde != NULL) {
		tn = tde->td_node;
		if (fdir && tn->tn_vnode.v_type != VDIR)
			return ENOTDIR;
		if (!fdir && tn->tn_vnode.v_type == VDIR)
			return EISDIR;
		if (fdir && tn->tn_u.dir.td_count != 0)
			return ENOTEMPTY;
	} else {
		if ((error = tmpfs_dirent_alloc(tname, tlen, &nde)) != 0)
			return error;
		if ((error = tmpfs_dir_reserve(tdn)) != 0 ||
		    (fdir && fdn != tdn &&
		    (error = tmpfs_node_addlink(tdn)) != 0)) {
			tmpfs_dirent_free(nde);
			return error;
		}
	}
	/* No failures from here on. */
	tmpfs_dir_detach(fdn, fde);
	tmpfs_dirent_free(fde);
	if (tde != NULL) {
		tde->td_node = fn;
		tmpfs_node_droplink(tn, fdir);
		if (fdir) {
			tmpfs_dir_orphan(tn, tdn);
			if (fdn == tdn)
				tmpfs_node_droplink(tdn, 0);
		}
	} else
		tmpfs_dir_attach(tdn, nde, fn);
	if (fdir && fdn != tdn) {
		tmpfs_dir_setparent(fn, tdn);
		tmpfs_node_droplink(fdn, 0);
	}
	tmpfs_rename_touch(fdn, tdn, fn, NULL);
	return 0;
}

/* vop_rename: see kern/vfs/vfs.h. */
int
tmpfs_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    struct vnode *tvp, unsigned flags)
{
	struct tmpfs_dirent *fde, *tde;
	int error;

	error = tmpfs_rename_check(fdvp, fname, flen, fvp, tdvp, tname, tlen,
	    tvp, flags, &fde, &tde);
	if (error != 0)
		return error;
	if (fvp == tvp)
		return 0;		/* two names of one file: nothing to do */
	if (flags & RENAME_EXCHANGE) {
		if (tde == NULL)
			return ENOENT;
		return tmpfs_rename_exchange(VP_TO_TMPFS(fdvp), fde,
		    VP_TO_TMPFS(tdvp), tde);
	}
	if (tmpfs_node_links(VP_TO_TMPFS(tdvp)) == 0)
		return ENOENT;		/* tdvp has been removed */
	return tmpfs_rename_move(VP_TO_TMPFS(fdvp), fde, VP_TO_TMPFS(tdvp),
	    tde, tname, tlen);
}
