/*
 * vfs_vopcheck.c: argument checks that the vnode operations of every
 * file system share.  The VFS has made them already; file systems make
 * them again because a wrong call must give an errno, not corrupt the
 * file system: we don't trust the caller.
 */
#include "kern.h"
#include "vfs/vfs.h"

/* Is name (len bytes) a valid single component?  0 or an errno. */
int
vfs_checkname(const char *name, size_t len)
{
	size_t i;

	if (name == NULL)
		return EFAULT;
	if (len == 0)
		return ENOENT;
	if (len > NAME_MAX)
		return ENAMETOOLONG;
	for (i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == '\0')
			return EINVAL;
	return 0;
}

/* Is name (len bytes) "." or ".."? */
int
vfs_isdots(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.');
}

/*
 * Checks of an operation on name in directory dvp (not NULL): ENOTDIR,
 * then vfs_checkname, then dotserr for "." and ".." (0: they are fine).
 */
int
vfs_checkdirop(struct vnode *dvp, const char *name, size_t len, int dotserr)
{
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if ((error = vfs_checkname(name, len)) != 0)
		return error;
	if (dotserr != 0 && vfs_isdots(name, len))
		return dotserr;
	return 0;
}

/* Checks of vop_read and vop_write: vp must be a regular file. */
int
vfs_checkrw(struct vnode *vp, struct uio *uio)
{
	if (vp == NULL || uio == NULL)
		return EFAULT;
	if (vp->v_type == VDIR)
		return EISDIR;
	if (vp->v_type != VREG)
		return EINVAL;
	return 0;
}
