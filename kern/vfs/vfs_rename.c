/*
 * vfs_rename.c: rename(2), renameat(2), renameat2(2).
 *
 * Under the mount's mnt_renamelock no other rename can change the shape
 * of the tree, so we can (1) look up source and target, (2) check by
 * walking ".." that a directory is not moved into its own subtree and
 * find out whether one parent is an ancestor of the other, (3) lock the
 * parents, the ancestor first (else by address), (4) look both names up
 * again under the locks, starting over if another call changed them
 * meanwhile, (5) check permissions and types, lock a directory about to
 * be replaced, and let the file system do it.  Child attributes are read
 * in step 1, so that no other vnode is locked under the parents except
 * that directory.  doc/vfs.md has the lock order.
 */
#include "kern.h"
#include "sysproto.h"
#include "vfs/vfs_private.h"

struct rename_args {
	struct nameidata *ra_from, *ra_to;
	unsigned	ra_flags;
	struct vnode	*ra_fvp, *ra_tvp;	/* referenced; tvp may be NULL */
	struct vattr	ra_fva, ra_tva;		/* their attributes */
};

/*
 * Is anc an ancestor of vp (or vp itself) in their mount?  Walks ".."
 * hand over hand; the rename lock keeps the tree still.
 */
static int
vfs_is_ancestor(struct vnode *anc, struct vnode *vp)
{
	struct vnode *cur = vp, *parent;
	int found = 0;

	vref(cur);
	for (;;) {
		if (cur == anc) {
			found = 1;
			break;
		}
		if (cur == rootvnode || cur == cur->v_mount->mnt_root)
			break;
		if (vfs_lookup_one(cur, "..", 2, &parent) != 0)
			break;
		vrele(cur);
		cur = parent;
		if (cur->v_mount != anc->v_mount)
			break;
	}
	vrele(cur);
	return found;
}

/*
 * Look up source and target names without locks (step 1), and read their
 * attributes now: with the parents locked we take no other vnode lock
 * (except that of a directory being replaced), as the owner checks of
 * Linux's may_delete() read the child's owner without its lock too.
 */
static int
rename_lookup(struct rename_args *ra)
{
	struct nameidata *f = ra->ra_from, *t = ra->ra_to;
	int error;

	ra->ra_fvp = ra->ra_tvp = NULL;
	error = vfs_lookup_one(f->nd_dvp, f->nd_name, f->nd_namelen,
	    &ra->ra_fvp);
	if (error == 0)
		error = vn_getattr(ra->ra_fvp, &ra->ra_fva);
	if (error != 0)
		return error;
	error = vfs_lookup_one(t->nd_dvp, t->nd_name, t->nd_namelen,
	    &ra->ra_tvp);
	if (error == ENOENT) {
		ra->ra_tvp = NULL;
		return 0;
	}
	if (error == 0)
		error = vn_getattr(ra->ra_tvp, &ra->ra_tva);
	return error;
}

/* Name-level checks: NOREPLACE, EXCHANGE, trailing slashes. */
static int
rename_check_names(struct rename_args *ra)
{
	struct vnode *fvp = ra->ra_fvp, *tvp = ra->ra_tvp;
	int exchange = ra->ra_flags & RENAME_EXCHANGE;

	if ((ra->ra_flags & RENAME_NOREPLACE) && tvp != NULL)
		return EEXIST;
	if (exchange && tvp == NULL)
		return ENOENT;
	if (exchange && tvp->v_type != VDIR && ra->ra_to->nd_trailslash)
		return ENOTDIR;
	if (fvp->v_type != VDIR && (ra->ra_from->nd_trailslash ||
	    (!exchange && ra->ra_to->nd_trailslash)))
		return ENOTDIR;
	return 0;
}

/* No directory may end up inside itself (step 2). */
static int
rename_check_loops(struct rename_args *ra)
{
	struct vnode *fdvp = ra->ra_from->nd_dvp, *tdvp = ra->ra_to->nd_dvp;

	if (ra->ra_fvp->v_type == VDIR && vfs_is_ancestor(ra->ra_fvp, tdvp))
		return EINVAL;
	if (ra->ra_tvp != NULL && ra->ra_tvp->v_type == VDIR &&
	    vfs_is_ancestor(ra->ra_tvp, fdvp))
		return (ra->ra_flags & RENAME_EXCHANGE) ? EINVAL : ENOTEMPTY;
	return 0;
}

/* Lock the parents, the ancestor first (step 3). */
static void
rename_lock_parents(struct vnode *fdvp, struct vnode *tdvp)
{
	struct vnode *first = fdvp, *second = tdvp;

	if (fdvp == tdvp) {
		vn_lock_excl(fdvp);
		return;
	}
	if (vfs_is_ancestor(tdvp, fdvp) ||
	    (!vfs_is_ancestor(fdvp, tdvp) && (uintptr_t)tdvp < (uintptr_t)fdvp)) {
		first = tdvp;
		second = fdvp;
	}
	vn_lock_excl(first);
	vn_lock_excl(second);
}

static void
rename_unlock_parents(struct vnode *fdvp, struct vnode *tdvp)
{
	vn_unlock(fdvp);
	if (tdvp != fdvp)
		vn_unlock(tdvp);
}

/* Still the same vnodes under the names, now that we hold the locks? */
static int
rename_recheck(struct rename_args *ra, int *changedp)
{
	struct nameidata *f = ra->ra_from, *t = ra->ra_to;
	struct vnode *vp;
	int error;

	*changedp = 0;
	error = vfs_lookup_locked(f->nd_dvp, f->nd_name, f->nd_namelen, &vp);
	if (error != 0)
		return error;
	*changedp |= vp != ra->ra_fvp;
	vrele(vp);
	error = vfs_lookup_locked(t->nd_dvp, t->nd_name, t->nd_namelen, &vp);
	if (error == ENOENT) {
		*changedp |= ra->ra_tvp != NULL;
		return 0;
	}
	if (error != 0)
		return error;
	*changedp |= vp != ra->ra_tvp;
	vrele(vp);
	return 0;
}

/* Removing a file with attributes va from dvp (locked): may_delete(). */
static int
rename_may_delete(struct vnode *dvp, const struct vattr *va,
    struct cred *cr)
{
	struct vattr dva;
	int error;

	if ((error = vn_access(dvp, W_OK | X_OK, cr)) != 0)
		return error;
	if ((error = vn_getattr_locked(dvp, &dva)) != 0)
		return error;
	return vfs_sticky_check(&dva, va, cr);
}

/* Permission, type and busy checks with the parents locked (step 5). */
static int
rename_check_locked(struct rename_args *ra, struct cred *cr)
{
	struct vnode *fdvp = ra->ra_from->nd_dvp, *tdvp = ra->ra_to->nd_dvp;
	struct vnode *fvp = ra->ra_fvp, *tvp = ra->ra_tvp;
	int exchange = ra->ra_flags & RENAME_EXCHANGE, error;

	if ((error = rename_may_delete(fdvp, &ra->ra_fva, cr)) != 0)
		return error;
	if (tvp != NULL)
		error = rename_may_delete(tdvp, &ra->ra_tva, cr);
	else if (tdvp != fdvp)
		error = vn_access(tdvp, W_OK | X_OK, cr);
	if (error != 0)
		return error;
	if (!exchange && tvp != NULL && fvp->v_type == VDIR &&
	    tvp->v_type != VDIR)
		return ENOTDIR;
	if (!exchange && tvp != NULL && fvp->v_type != VDIR &&
	    tvp->v_type == VDIR)
		return EISDIR;
	/* A directory whose ".." changes must be writable. */
	if (fdvp != tdvp && fvp->v_type == VDIR &&
	    (error = vaccess(&ra->ra_fva, W_OK, cr)) != 0)
		return error;
	if (fdvp != tdvp && exchange && tvp->v_type == VDIR &&
	    (error = vaccess(&ra->ra_tva, W_OK, cr)) != 0)
		return error;
	if (__atomic_load_n(&fvp->v_mountedhere, __ATOMIC_ACQUIRE) != NULL ||
	    (tvp != NULL &&
	    __atomic_load_n(&tvp->v_mountedhere, __ATOMIC_ACQUIRE) != NULL))
		return EBUSY;
	return 0;
}

/* Steps 4 and 5, with the parents locked; *retryp when names changed. */
static int
rename_locked(struct rename_args *ra, struct cred *cr, int *retryp)
{
	struct nameidata *f = ra->ra_from, *t = ra->ra_to;
	struct vnode *tvp = ra->ra_tvp;
	int error, lockt;

	if ((error = rename_recheck(ra, retryp)) != 0 || *retryp)
		return error;
	if (ra->ra_fvp == tvp)
		return 0;	/* two names of one file: nothing to do */
	if ((error = rename_check_locked(ra, cr)) != 0)
		return error;
	/* A directory about to be replaced must not gain entries meanwhile. */
	lockt = tvp != NULL && tvp->v_type == VDIR &&
	    !(ra->ra_flags & RENAME_EXCHANGE);
	if (lockt)
		vn_lock_excl(tvp);
	error = f->nd_dvp->v_op->vop_rename(f->nd_dvp, f->nd_name,
	    f->nd_namelen, ra->ra_fvp, t->nd_dvp, t->nd_name, t->nd_namelen,
	    tvp, ra->ra_flags & RENAME_EXCHANGE);
	if (lockt)
		vn_unlock(tvp);
	return error;
}

static void
rename_release(struct rename_args *ra)
{
	if (ra->ra_fvp != NULL)
		vrele(ra->ra_fvp);
	if (ra->ra_tvp != NULL)
		vrele(ra->ra_tvp);
	ra->ra_fvp = ra->ra_tvp = NULL;
}

/* The rename proper, under mnt_renamelock. */
static int
rename_under_lock(struct rename_args *ra, struct cred *cr)
{
	struct vnode *fdvp = ra->ra_from->nd_dvp, *tdvp = ra->ra_to->nd_dvp;
	int error, retry;

	do {
		retry = 0;
		if ((error = rename_lookup(ra)) == 0 &&
		    (error = rename_check_names(ra)) == 0 &&
		    (error = rename_check_loops(ra)) == 0) {
			rename_lock_parents(fdvp, tdvp);
			error = rename_locked(ra, cr, &retry);
			rename_unlock_parents(fdvp, tdvp);
		}
		rename_release(ra);
	} while (error == 0 && retry);
	return error;
}

/* renameat2(2). */
int
vfs_do_rename(int fdirfd, const char *from, int tdirfd, const char *to,
    unsigned flags)
{
	struct nameidata fnd, tnd;
	struct rename_args ra = { .ra_from = &fnd, .ra_to = &tnd,
	    .ra_flags = flags };
	struct cred *cr = vfs_curcred();
	struct mount *mp;
	int error;

	namei_init(&tnd, tdirfd, to, NI_PARENT, cr);
	namei_init(&fnd, fdirfd, from, NI_PARENT, cr);
	error = EINVAL;
	if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) ||
	    (flags & RENAME_NOREPLACE && flags & RENAME_EXCHANGE))
		goto out;
	if ((error = namei(&fnd)) != 0 || (error = namei(&tnd)) != 0)
		goto out;
	mp = fnd.nd_dvp->v_mount;
	if (tnd.nd_dvp->v_mount != mp)
		error = EXDEV;
	else if (fnd.nd_lastkind != NI_LAST_NORM)
		error = EBUSY;
	else if (tnd.nd_lastkind != NI_LAST_NORM)
		error = (flags & RENAME_NOREPLACE) ? EEXIST : EBUSY;
	else if (vfs_mntflags(mp) & MS_RDONLY)
		error = EROFS;
	if (error != 0)
		goto out;
	mutex_enter(&mp->mnt_renamelock);
	error = rename_under_lock(&ra, cr);
	mutex_exit(&mp->mnt_renamelock);
out:
	namei_done(&tnd);
	namei_done(&fnd);
	cred_release(cr);
	return error;
}

int
sys_rename(struct lwp *l, const char *oldpath, const char *newpath,
    register_t *retval)
{
	return vfs_do_rename(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

int
sys_renameat(struct lwp *l, int olddirfd, const char *oldpath, int newdirfd,
    const char *newpath, register_t *retval)
{
	return vfs_do_rename(olddirfd, oldpath, newdirfd, newpath, 0);
}

int
sys_renameat2(struct lwp *l, int olddirfd, const char *oldpath,
    int newdirfd, const char *newpath, unsigned int flags,
    register_t *retval)
{
	return vfs_do_rename(olddirfd, oldpath, newdirfd, newpath, flags);
}
