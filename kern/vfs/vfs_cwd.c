/*
 * vfs_cwd.c: the current directory: chdir(2), fchdir(2), getcwd(2), and
 * vn_fullpath(), which finds a directory's absolute path by walking ".."
 * and searching each parent for the child's inode number.
 */
#include "kern.h"
#include "sysproto.h"
#include "vfs/vfs_private.h"

#define VFS_DIRBUF	4096

/* Find the name under which directory dvp holds the inode ino. */
static int
vfs_dir_findname(struct vnode *dvp, ino_t ino, char *name, size_t *lenp)
{
	struct kdirent64 *d;
	struct kiovec iov;
	struct uio uio;
	off_t cookie = 0;
	size_t n, off;
	char *buf;
	int error = ENOENT;

	if ((buf = kmem_alloc(VFS_DIRBUF)) == NULL)
		return ENOMEM;
	for (;;) {
		uio_setup(&uio, &iov, buf, VFS_DIRBUF, 0, UIO_READ);
		vn_lock_shared(dvp);
		error = dvp->v_op->vop_readdir(dvp, &uio, &cookie);
		vn_unlock(dvp);
		n = VFS_DIRBUF - uio.uio_resid;
		if (error != 0 || n == 0)
			break;
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct kdirent64 *)(void *)(buf + off);
			if (d->d_ino != ino || kstrcmp(d->d_name, ".") == 0 ||
			    kstrcmp(d->d_name, "..") == 0)
				continue;
			*lenp = kstrlcpy(name, d->d_name, NAME_MAX + 1);
			goto out;
		}
	}
	if (error == 0)
		error = ENOENT;
out:
	kmem_free(buf);
	return error;
}

/* Put "/name" in front of the path being built backwards in buf. */
static int
vfs_prepend(char *buf, size_t *posp, const char *name, size_t len)
{
	if (*posp < len + 1)
		return ENAMETOOLONG;
	*posp -= len;
	memcpy(buf + *posp, name, len);
	buf[--*posp] = '/';
	return 0;
}

/*
 * One step up from cur (referenced, replaced by its parent): prepends
 * cur's name.  A mount's root is first replaced by the covered vnode.
 */
static int
vfs_fullpath_step(struct vnode **curp, char *buf, size_t *posp)
{
	struct vnode *cur = *curp, *parent;
	struct vattr va;
	char name[NAME_MAX + 1];
	size_t len;
	int error;

	if ((error = vn_getattr(cur, &va)) != 0)
		return error;
	if ((error = vfs_lookup_one(cur, "..", 2, &parent)) != 0)
		return error;
	if (parent == cur) {
		vrele(parent);
		return ENOENT;
	}
	error = vfs_dir_findname(parent, va.va_ino, name, &len);
	if (error == 0)
		error = vfs_prepend(buf, posp, name, len);
	vrele(cur);
	*curp = parent;
	return error;
}

/*
 * The absolute path of directory vp as seen from root, NUL-terminated,
 * into buf (ERANGE when size is too small); *lenp counts the NUL.
 * ENOENT when vp has been removed.
 */
int
vn_fullpath(struct vnode *vp, struct vnode *root, char *buf, size_t size,
    size_t *lenp)
{
	struct vnode *cur = vp;
	struct mount *mp;
	struct vattr va;
	size_t pos = PATH_MAX, len;
	char *tmp;
	int error;

	if ((error = vn_getattr(vp, &va)) != 0)
		return error;
	if (va.va_nlink == 0)
		return ENOENT;
	if ((tmp = kmem_alloc(PATH_MAX)) == NULL)
		return ENOMEM;
	tmp[--pos] = '\0';
	vref(cur);
	while (error == 0 && cur != root && cur != rootvnode) {
		mp = cur->v_mount;
		if (cur == mp->mnt_root && mp->mnt_vnodecovered != NULL &&
		    !__atomic_load_n(&mp->mnt_detached, __ATOMIC_ACQUIRE)) {
			vref(mp->mnt_vnodecovered);
			vrele(cur);
			cur = mp->mnt_vnodecovered;
			continue;
		}
		if (cur == mp->mnt_root)
			break;		/* a detached mount: its root is "/" */
		error = vfs_fullpath_step(&cur, tmp, &pos);
	}
	vrele(cur);
	if (error == 0 && pos == PATH_MAX - 1)
		tmp[--pos] = '/';
	len = PATH_MAX - pos;
	if (error == 0 && len > size)
		error = ERANGE;
	if (error == 0) {
		memcpy(buf, tmp + pos, len);
		if (lenp != NULL)
			*lenp = len;
	}
	kmem_free(tmp);
	return error;
}

/* getcwd(2): *retval is the length with the NUL, as Linux returns. */
int
sys_getcwd(struct lwp *l, char *buf, size_t size, register_t *retval)
{
	struct proc *p = l->l_proc;
	struct vnode *cwd, *root;
	char *tmp;
	size_t len;
	int error;

	if ((tmp = kmem_alloc(PATH_MAX)) == NULL)
		return ENOMEM;
	cwd = vfs_cwd_get(p);
	root = vfs_root_get(p);
	error = vn_fullpath(cwd, root, tmp, PATH_MAX, &len);
	vrele(root);
	vrele(cwd);
	if (error == 0 && len > size)
		error = ERANGE;
	else if (error == 0 && buf == NULL)
		error = EFAULT;
	if (error == 0) {
		memcpy(buf, tmp, len);
		*retval = (register_t)len;
	}
	kmem_free(tmp);
	return error;
}

/* Make vp (referenced; consumed) the cwd after the directory checks. */
static int
vfs_setcwd(struct proc *p, struct vnode *vp, struct cred *cr)
{
	struct vnode *old;
	int error = 0;

	if (vp->v_type != VDIR)
		error = ENOTDIR;
	if (error == 0) {
		vn_lock_shared(vp);
		error = vn_access(vp, X_OK, cr);
		vn_unlock(vp);
	}
	if (error != 0) {
		vrele(vp);
		return error;
	}
	mutex_enter(&p->p_lock);
	old = p->p_cwd;
	p->p_cwd = vp;
	mutex_exit(&p->p_lock);
	if (old != NULL)
		vrele(old);
	return 0;
}

int
sys_chdir(struct lwp *l, const char *path, register_t *retval)
{
	struct nameidata nd;
	struct cred *cr = vfs_curcred();
	int error;

	namei_init(&nd, AT_FDCWD, path, NI_FOLLOW, cr);
	if ((error = namei(&nd)) == 0) {
		error = vfs_setcwd(l->l_proc, nd.nd_vp, cr);
		nd.nd_vp = NULL;
	}
	namei_done(&nd);
	cred_release(cr);
	return error;
}

/* fchdir(2): O_PATH descriptors work; other kinds of files are ENOTDIR. */
int
sys_fchdir(struct lwp *l, int fd, register_t *retval)
{
	struct vnode *vp;
	struct cred *cr;
	int error;

	if ((error = vfs_fd_dirvnode(fd, &vp)) != 0)
		return error;
	cr = vfs_curcred();
	error = vfs_setcwd(l->l_proc, vp, cr);
	cred_release(cr);
	return error;
}
