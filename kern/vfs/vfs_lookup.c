/*
 * vfs_lookup.c: name lookup (namei), Linux's path resolution.
 *
 * A path is walked one component at a time, hand over hand: the directory
 * being searched is locked shared, the child is looked up (and comes back
 * referenced), the directory is unlocked and released, and the child
 * becomes the directory for the next component.  At most one vnode lock is
 * held at any time.  Mount points are crossed downwards after each lookup
 * (v_mountedhere) and upwards on ".." from a mount's root.  Symbolic links
 * are expanded in place: the link text and the rest of the path are
 * joined in a private buffer, and the walk goes on from there (from the
 * process root for an absolute link), at most KMAXSYMLINKS times.  See
 * doc/vfs.md for the whole algorithm.
 */
#include "kern.h"
#include "vfs/vfs_private.h"

/* We don't trust the caller's path: NULL is EFAULT, too long ENAMETOOLONG. */
int
vfs_checkpath(const char *path)
{
	if (path == NULL)
		return EFAULT;
	if (kstrnlen(path, PATH_MAX) >= PATH_MAX)
		return ENAMETOOLONG;
	return 0;
}

/*
 * The vnode of the vnode file open as fd (O_PATH files too), referenced;
 * ENOTDIR for other kinds of files: what a dirfd and fchdir(2) need.
 */
int
vfs_fd_dirvnode(int fd, struct vnode **vpp)
{
	struct file *fp;
	int error;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (fp->f_type != FTYPE_VNODE) {
		file_release(fp);
		return ENOTDIR;
	}
	*vpp = fp->f_data;
	vref(*vpp);
	file_release(fp);
	return 0;
}

/* p's cwd or root (*dirp, under p_lock; NULL: rootvnode), referenced. */
static struct vnode *
vfs_pdir_get(struct proc *p, struct vnode *const *dirp)
{
	struct vnode *vp;

	mutex_enter(&p->p_lock);
	vp = *dirp != NULL ? *dirp : rootvnode;
	vref(vp);
	mutex_exit(&p->p_lock);
	return vp;
}

/* The process's current directory, referenced. */
struct vnode *
vfs_cwd_get(struct proc *p)
{
	return vfs_pdir_get(p, &p->p_cwd);
}

/* The process's root directory, referenced. */
struct vnode *
vfs_root_get(struct proc *p)
{
	return vfs_pdir_get(p, &p->p_rootdir);
}

void
namei_init(struct nameidata *nd, int dirfd, const char *path,
    unsigned flags, struct cred *cr)
{
	memset(nd, 0, offsetof(struct nameidata, nd_namebuf));
	nd->nd_namebuf[0] = '\0';
	nd->nd_dirfd = dirfd;
	nd->nd_path = path;
	nd->nd_flags = flags;
	nd->nd_cred = cr;
	nd->nd_name = nd->nd_namebuf;
}

void
namei_done(struct nameidata *nd)
{
	if (nd->nd_vp != NULL)
		vrele(nd->nd_vp);
	if (nd->nd_dvp != NULL)
		vrele(nd->nd_dvp);
	if (nd->nd_root != NULL)
		vrele(nd->nd_root);
	kmem_free(nd->nd_buf);
	nd->nd_vp = nd->nd_dvp = nd->nd_root = NULL;
	nd->nd_buf = NULL;
}

/* The process root for this lookup, fetched on first use. */
static struct vnode *
namei_root(struct nameidata *nd)
{
	if (nd->nd_root == NULL)
		nd->nd_root = vfs_root_get(curproc());
	return nd->nd_root;
}

/*
 * Where a lookup starts: the root for an absolute path, else the cwd or
 * the directory open as dirfd.  With an empty path (NI_EMPTYPATH) the
 * file of dirfd itself, of any type.  Returned referenced.
 */
static int
namei_start(struct nameidata *nd, struct vnode **startp)
{
	struct vnode *vp;
	int error;

	if (nd->nd_path[0] == '/') {
		vp = namei_root(nd);
		vref(vp);
		*startp = vp;
		return 0;
	}
	if (nd->nd_dirfd == AT_FDCWD) {
		*startp = vfs_cwd_get(curproc());
		return 0;
	}
	if ((error = vfs_fd_dirvnode(nd->nd_dirfd, &vp)) != 0)
		return error;
	if (nd->nd_path[0] != '\0' && vp->v_type != VDIR) {
		vrele(vp);
		return ENOTDIR;
	}
	*startp = vp;
	return 0;
}

/*
 * If a file system is mounted on vp, the root of the topmost one instead
 * (the reference moves).  v_mountedhere is read without the interlock
 * first: it is written atomically, and is NULL for almost every vnode.
 */
struct vnode *
vfs_cross_mount(struct vnode *vp)
{
	struct mount *mp;
	struct vnode *root;

	while (vp->v_type == VDIR &&
	    __atomic_load_n(&vp->v_mountedhere, __ATOMIC_ACQUIRE) != NULL) {
		mutex_enter(&vp->v_interlock);
		mp = vp->v_mountedhere;
		if (mp == NULL) {
			mutex_exit(&vp->v_interlock);
			break;
		}
		root = mp->mnt_root;
		vref(root);
		mutex_exit(&vp->v_interlock);
		vrele(vp);
		vp = root;
	}
	return vp;
}

/* Search permission on directory dvp (not locked by the caller). */
static int
namei_search(struct nameidata *nd, struct vnode *dvp)
{
	int error;

	vn_lock_shared(dvp);
	error = vn_access(dvp, X_OK, nd->nd_cred);
	vn_unlock(dvp);
	return error;
}

/*
 * "..": stays at the process root (and the global root); from the root of
 * a mount goes first to the directory it covers, then up from there.
 * *dvpp may be replaced by the covered vnode.
 */
static int
namei_dotdot(struct nameidata *nd, struct vnode **dvpp, struct vnode **vpp)
{
	struct vnode *dvp = *dvpp, *covered;
	struct mount *mp;

	for (;;) {
		if (dvp == namei_root(nd) || dvp == rootvnode) {
			vref(dvp);
			*vpp = dvp;
			return 0;
		}
		mp = dvp->v_mount;
		if (dvp != mp->mnt_root || mp->mnt_vnodecovered == NULL ||
		    __atomic_load_n(&mp->mnt_detached, __ATOMIC_ACQUIRE))
			break;
		covered = mp->mnt_vnodecovered;
		vref(covered);
		vrele(dvp);
		dvp = *dvpp = covered;
	}
	return vfs_lookup_one(dvp, "..", 2, vpp);
}

/* Look name up with dvp locked (shared or exclusive) by the caller. */
int
vfs_lookup_locked(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	if (len == 1 && name[0] == '.') {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	return dvp->v_op->vop_lookup(dvp, name, len, vpp);
}

/* Look name up in directory dvp, taking its lock shared. */
int
vfs_lookup_one(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	vn_lock_shared(dvp);
	error = vfs_lookup_locked(dvp, name, len, vpp);
	vn_unlock(dvp);
	return error;
}

/* One component: search permission on *dvpp, then the lookup proper. */
static int
namei_step(struct nameidata *nd, struct vnode **dvpp, const char *comp,
    size_t len, struct vnode **vpp)
{
	struct vnode *dvp = *dvpp;
	int error;

	if (len == 2 && comp[0] == '.' && comp[1] == '.') {
		if ((error = namei_search(nd, dvp)) != 0)
			return error;
		return namei_dotdot(nd, dvpp, vpp);
	}
	vn_lock_shared(dvp);
	error = vn_access(dvp, X_OK, nd->nd_cred);
	if (error == 0)
		error = vfs_lookup_locked(dvp, comp, len, vpp);
	vn_unlock(dvp);
	return error;
}

/*
 * Replace the walk's remaining path by the text of symlink vp followed by
 * rest (the slashes and components after the link's name).  An absolute
 * link restarts at the process root (*dvpp changes).
 */
static int
namei_symlink(struct nameidata *nd, struct vnode *vp, const char *rest,
    struct vnode **dvpp)
{
	size_t tlen, restlen;
	char *lnk;
	int error;

	if (++nd->nd_nlinks > KMAXSYMLINKS)
		return ELOOP;
	if (nd->nd_buf == NULL && (nd->nd_buf = kmem_alloc(2 * PATH_MAX)) ==
	    NULL)
		return ENOMEM;
	lnk = nd->nd_buf + PATH_MAX;
	vn_lock_shared(vp);
	error = vp->v_op->vop_readlink(vp, lnk, PATH_MAX, &tlen);
	vn_unlock(vp);
	if (error != 0)
		return error;
	if (tlen == 0)
		return ENOENT;
	restlen = kstrlen(rest);
	if (tlen + restlen >= PATH_MAX)
		return ENAMETOOLONG;
	memmove(nd->nd_buf + tlen, rest, restlen + 1);
	memcpy(nd->nd_buf, lnk, tlen);
	if (lnk[0] == '/') {
		vrele(*dvpp);
		*dvpp = namei_root(nd);
		vref(*dvpp);
	}
	return 0;
}

/* Record the last component for NI_PARENT/NI_CREATE callers. */
static void
namei_setlast(struct nameidata *nd, const char *comp, size_t len, int trail)
{
	memcpy(nd->nd_namebuf, comp, len);
	nd->nd_namebuf[len] = '\0';
	nd->nd_name = nd->nd_namebuf;
	nd->nd_namelen = len;
	nd->nd_trailslash = trail;
	if (len == 1 && comp[0] == '.')
		nd->nd_lastkind = NI_LAST_DOT;
	else if (len == 2 && comp[0] == '.' && comp[1] == '.')
		nd->nd_lastkind = NI_LAST_DOTDOT;
	else
		nd->nd_lastkind = NI_LAST_NORM;
}

/* The path had no component at all ("/", or a link to "/"). */
static void
namei_onlyroot(struct nameidata *nd, struct vnode *dvp)
{
	nd->nd_lastkind = NI_LAST_ROOT;
	nd->nd_namelen = 0;
	nd->nd_namebuf[0] = '\0';
	if (nd->nd_flags & NI_PARENT) {
		nd->nd_dvp = dvp;
		return;
	}
	if (nd->nd_flags & NI_CREATE) {
		vref(dvp);
		nd->nd_dvp = dvp;
	}
	nd->nd_vp = dvp;
}

/*
 * The last component was found as vp: check a trailing slash (NI_CREATE
 * callers judge it themselves) and hand the results over (dvp is
 * consumed).
 */
static int
namei_last(struct nameidata *nd, struct vnode *dvp, struct vnode *vp,
    int trail)
{
	if (trail && vp->v_type != VDIR && !(nd->nd_flags & NI_CREATE)) {
		vrele(vp);
		vrele(dvp);
		return ENOTDIR;
	}
	nd->nd_vp = vp;
	if (nd->nd_flags & NI_CREATE)
		nd->nd_dvp = dvp;
	else
		vrele(dvp);
	return 0;
}

/* One component of a path being walked. */
struct namei_comp {
	const char	*c_name;	/* start of the component */
	size_t		c_len;
	const char	*c_end;		/* just after it (slashes, or NUL) */
	const char	*c_next;	/* the next component, or the NUL */
	int		c_last;		/* nothing follows but slashes */
	int		c_trail;	/* ... and there are some */
};

/* Split off the component at p; 0 when only slashes are left. */
static int
namei_parse(const char *p, struct namei_comp *c)
{
	while (*p == '/')
		p++;
	if (*p == '\0')
		return 0;
	for (c->c_name = p; *p != '\0' && *p != '/'; p++)
		continue;
	c->c_len = (size_t)(p - c->c_name);
	c->c_end = p;
	while (*p == '/')
		p++;
	c->c_next = p;
	c->c_last = *p == '\0';
	c->c_trail = c->c_last && c->c_end != p;
	return 1;
}

/* Checks before looking a component up in dvp; records the last one. */
static int
namei_checkcomp(struct nameidata *nd, struct vnode *dvp,
    const struct namei_comp *c)
{
	if (c->c_len > NAME_MAX)
		return ENAMETOOLONG;
	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (c->c_last && (nd->nd_flags & (NI_PARENT | NI_CREATE)))
		namei_setlast(nd, c->c_name, c->c_len, c->c_trail);
	return 0;
}

/* Is vp a symlink this walk must follow? */
static int
namei_must_follow(const struct nameidata *nd, const struct vnode *vp,
    const struct namei_comp *c)
{
	return vp->v_type == VLNK &&
	    (!c->c_last || c->c_trail || (nd->nd_flags & NI_FOLLOW));
}

/*
 * Argument checks and the starting vnode (*dvpp, referenced).  For an
 * empty path with NI_EMPTYPATH the result is already in nd_vp.
 */
static int
namei_begin(struct nameidata *nd, struct vnode **dvpp)
{
	int error;

	if ((error = vfs_checkpath(nd->nd_path)) != 0)
		return error;
	if (nd->nd_path[0] == '\0' && !(nd->nd_flags & NI_EMPTYPATH))
		return ENOENT;
	if ((error = namei_start(nd, dvpp)) != 0)
		return error;
	if (nd->nd_path[0] == '\0')
		nd->nd_vp = *dvpp;
	return 0;
}

/* Walk nd_path; see the comment above struct nameidata. */
int
namei(struct nameidata *nd)
{
	struct namei_comp c;
	struct vnode *dvp, *vp;
	unsigned flags = nd->nd_flags;
	int error;

	if ((error = namei_begin(nd, &dvp)) != 0 || nd->nd_vp != NULL)
		return error;
	for (c.c_next = nd->nd_path;;) {
		if (!namei_parse(c.c_next, &c)) {
			namei_onlyroot(nd, dvp);
			return 0;
		}
		if ((error = namei_checkcomp(nd, dvp, &c)) != 0)
			goto fail;
		if (c.c_last && (flags & NI_PARENT)) {
			nd->nd_dvp = dvp;
			return 0;
		}
		error = namei_step(nd, &dvp, c.c_name, c.c_len, &vp);
		if (error == ENOENT && c.c_last && (flags & NI_CREATE)) {
			nd->nd_dvp = dvp;
			return 0;
		}
		if (error != 0)
			goto fail;
		if (!c.c_last || !(flags & NI_NOCROSS))
			vp = vfs_cross_mount(vp);
		if (namei_must_follow(nd, vp, &c)) {
			error = namei_symlink(nd, vp, c.c_end, &dvp);
			vrele(vp);
			if (error != 0)
				goto fail;
			c.c_next = nd->nd_buf;
			continue;
		}
		if (c.c_last)
			return namei_last(nd, dvp, vp, c.c_trail);
		vrele(dvp);
		dvp = vp;
	}
fail:
	vrele(dvp);
	return error;
}
