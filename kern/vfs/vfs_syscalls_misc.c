/*
 * vfs_syscalls_misc.c: getdents64(2), fsync(2), fdatasync(2), sync(2).
 */
#include "kern.h"
#include "sysproto.h"
#include "vfs/vfs_private.h"
#include "dev/blkdev.h"

/* The smallest linux_dirent64 record: a one-character name. */
#define DIRENT_MINSIZE	ROUNDUP(offsetof(struct kdirent64, d_name) + 2, 8)
/* The largest record: a NAME_MAX name. */
#define DIRENT_MAXSIZE	\
	ROUNDUP(offsetof(struct kdirent64, d_name) + NAME_MAX + 1, 8)

/* Is there an entry at cookie that a bigger buffer would have taken? */
static int
vfs_dir_more(struct vnode *vp, off_t cookie)
{
	char buf[DIRENT_MAXSIZE];
	struct kiovec iov;
	struct uio uio;

	uio_setup(&uio, &iov, buf, sizeof(buf), 0, UIO_READ);
	vn_lock_shared(vp);
	vp->v_op->vop_readdir(vp, &uio, &cookie);
	vn_unlock(vp);
	return uio.uio_resid != sizeof(buf);
}

/* Read directory entries at the file's cookie f_offset into uio. */
static int
vfs_getdents(struct file *fp, struct vnode *vp, struct uio *uio)
{
	size_t count = uio->uio_resid;
	off_t cookie;
	int error;

	mutex_enter(&fp->f_lock);
	cookie = fp->f_offset;
	vn_lock_shared(vp);
	error = vp->v_op->vop_readdir(vp, uio, &cookie);
	vn_unlock(vp);
	fp->f_offset = cookie;
	mutex_exit(&fp->f_lock);
	/*
	 * Nothing fitted although entries remain: "buffer too small".  A
	 * buffer that holds the largest record cannot be too small (and an
	 * entry added since is not its fault), so only small ones are
	 * checked.
	 */
	if (error == 0 && uio->uio_resid == count && count < DIRENT_MAXSIZE &&
	    vfs_dir_more(vp, cookie))
		error = EINVAL;
	return error;
}

/* getdents64(2): EINVAL when count cannot hold the next entry. */
int
sys_getdents64(struct lwp *l, int fd, void *dirp, size_t count,
    register_t *retval)
{
	struct kiovec iov;
	struct uio uio;
	struct file *fp;
	struct vnode *vp;
	int error;

	if ((error = vfs_getvnfile(fd, 0, &fp, &vp)) != 0)
		return error == EINVAL ? ENOTDIR : error;
	if (vp->v_type != VDIR)
		error = ENOTDIR;
	else if (dirp == NULL)
		error = EFAULT;
	else if (count < DIRENT_MINSIZE)
		error = EINVAL;
	if (error != 0)
		goto out;
	if (count > INT32_MAX)
		count = INT32_MAX;
	uio_setup(&uio, &iov, dirp, count, 0, UIO_READ);
	if ((error = vfs_getdents(fp, vp, &uio)) == 0)
		*retval = (register_t)(count - uio.uio_resid);
out:
	file_release(fp);
	return error;
}

/* fsync/fdatasync: EINVAL for pipes and sockets, EBADF for O_PATH. */
static int
vfs_fsync(int fd, int datasync)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	if ((error = vfs_getvnfile(fd, 0, &fp, &vp)) != 0)
		return error;
	if (vp->v_type == VBLK)		/* an open device: its host file */
		error = blkdev_vnode_fsync(vp);
	else if (vp->v_op->vop_fsync != NULL) {
		vn_lock_excl(vp);
		error = vp->v_op->vop_fsync(vp, datasync);
		vn_unlock(vp);
	}
	file_release(fp);
	return error;
}

int
sys_fsync(struct lwp *l, int fd, register_t *retval)
{
	return vfs_fsync(fd, 0);
}

int
sys_fdatasync(struct lwp *l, int fd, register_t *retval)
{
	return vfs_fsync(fd, 1);
}

int
sys_sync(struct lwp *l, register_t *retval)
{
	vfs_syncall();
	return 0;
}
