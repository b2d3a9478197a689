/*
 * vfs_vnops.c: open files that name vnodes (FTYPE_VNODE): read, write,
 * seek, poll, stat and close, and the helpers the descriptor-based system
 * calls share.
 *
 * The offset f_offset is used and advanced under f_lock, held across the
 * whole read or write as Linux holds f_pos_lock, so that concurrent reads
 * through one open file never return the same bytes.  Order: f_lock ->
 * v_lock.
 */
#include "kern.h"
#include "vfs/vfs_private.h"

/* The calling process's credentials, held. */
struct cred *
vfs_curcred(void)
{
	return proc_cred(curproc());
}

/* The calling process's umask. */
mode_t
vfs_curumask(void)
{
	struct proc *p = curproc();
	mode_t m;

	mutex_enter(&p->p_lock);
	m = p->p_umask;
	mutex_exit(&p->p_lock);
	return m;
}

/*
 * The referenced file for fd and its vnode.  EBADF for a bad fd, or an
 * O_PATH file unless allowpath; EINVAL when the file is not a vnode file
 * (callers that want another errno test f_type themselves).
 */
int
vfs_getvnfile(int fd, int allowpath, struct file **fpp, struct vnode **vpp)
{
	struct file *fp;
	int error;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (!allowpath && (file_flags(fp) & O_PATH)) {
		file_release(fp);
		return EBADF;
	}
	if (fp->f_type != FTYPE_VNODE) {
		file_release(fp);
		return EINVAL;
	}
	*fpp = fp;
	*vpp = fp->f_data;
	return 0;
}

/* Give fp (one reference, ours) the lowest free descriptor. */
int
vfs_install(struct file *fp, int cloexec, register_t *retval)
{
	int fd, error;

	error = fd_install(curproc(), fp, 0, cloexec, &fd);
	file_release(fp);
	if (error == 0)
		*retval = fd;
	return error;
}

/* fo_read: EISDIR for directories; uses f_offset when asked to. */
static int
vn_fo_read(struct file *fp, struct uio *uio, int flags)
{
	struct vnode *vp = fp->f_data;
	int error;

	if (vp->v_type == VDIR)
		return EISDIR;
	if (!(flags & FOF_UPDATE_OFFSET)) {
		vn_lock_shared(vp);
		error = vp->v_op->vop_read(vp, uio);
		vn_unlock(vp);
		return error;
	}
	mutex_enter(&fp->f_lock);
	uio->uio_offset = fp->f_offset;
	vn_lock_shared(vp);
	error = vp->v_op->vop_read(vp, uio);
	vn_unlock(vp);
	fp->f_offset = uio->uio_offset;
	mutex_exit(&fp->f_lock);
	return error;
}

/* One write under the exclusive vnode lock (f_lock may be held). */
static int
vn_write_locked(struct file *fp, struct uio *uio, int fflags)
{
	struct vnode *vp = fp->f_data;
	int ioflag = 0, error;

	if (fflags & O_APPEND)
		ioflag |= IO_APPEND;
	if (fflags & (O_SYNC | O_DSYNC))
		ioflag |= IO_SYNC;
	vn_lock_excl(vp);
	error = vfs_kill_suid(vp, fp->f_cred);
	if (error == 0)
		error = vp->v_op->vop_write(vp, uio, ioflag);
	vn_unlock(vp);
	return error;
}

/* fo_write: O_APPEND writes at the end, even pwrite (as Linux does). */
static int
vn_fo_write(struct file *fp, struct uio *uio, int flags)
{
	int error;

	if (!(flags & FOF_UPDATE_OFFSET))
		return vn_write_locked(fp, uio, file_flags(fp));
	mutex_enter(&fp->f_lock);
	uio->uio_offset = fp->f_offset;
	error = vn_write_locked(fp, uio, fp->f_flag);
	fp->f_offset = uio->uio_offset;
	mutex_exit(&fp->f_lock);
	return error;
}

/* Regular files and directories are always ready. */
static int
vn_fo_poll(struct file *fp, int events, struct polltab *pt)
{
	return events & (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM);
}

static int
vn_fo_stat(struct file *fp, struct kstat *st)
{
	return vn_stat(fp->f_data, st);
}

/* SEEK_DATA/SEEK_HOLE from off: ENXIO at or beyond the end. */
static int
vn_seekdata(struct vnode *vp, off_t off, int whence, off_t *res)
{
	struct vattr va;
	int error;

	vn_lock_shared(vp);
	error = vn_getattr_locked(vp, &va);
	if (error == 0 && (off < 0 || (uint64_t)off >= va.va_size))
		error = ENXIO;
	if (error == 0 && vp->v_op->vop_seekdata != NULL)
		error = vp->v_op->vop_seekdata(vp, off, whence, res);
	else if (error == 0)
		*res = whence == SEEK_DATA ? off : (off_t)va.va_size;
	vn_unlock(vp);
	return error;
}

/* The position whence refers to; directories allow SET and CUR only. */
static int
vn_seek_base(struct file *fp, int whence, off_t *basep)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	int error;

	switch (whence) {
	case SEEK_SET:
		*basep = 0;
		return 0;
	case SEEK_CUR:
		*basep = fp->f_offset;
		return 0;
	case SEEK_END:
		if (vp->v_type == VDIR)
			return EINVAL;
		if ((error = vn_getattr(vp, &va)) != 0)
			return error;
		*basep = (off_t)va.va_size;
		return 0;
	default:
		return EINVAL;
	}
}

/* fo_seek: Linux's rules; a negative or overflowing result is EINVAL. */
static int
vn_fo_seek(struct file *fp, off_t off, int whence, off_t *newoff)
{
	struct vnode *vp = fp->f_data;
	off_t base, res;
	int error;

	mutex_enter(&fp->f_lock);
	if (whence == SEEK_DATA || whence == SEEK_HOLE) {
		error = vp->v_type == VDIR ? EINVAL :
		    vn_seekdata(vp, off, whence, &res);
	} else if ((error = vn_seek_base(fp, whence, &base)) == 0) {
		if (__builtin_add_overflow(base, off, &res) || res < 0)
			error = EINVAL;
	}
	if (error == 0)
		fp->f_offset = *newoff = res;
	mutex_exit(&fp->f_lock);
	return error;
}

static int
vn_fo_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	return ENOTTY;
}

/* Last reference to the open file: give up write access and the vnode. */
static void
vn_fo_close(struct file *fp)
{
	struct vnode *vp = fp->f_data;

	if (vp->v_type == VREG && FWRITABLE(fp))
		vfs_mnt_delwriter(vp->v_mount);
	vrele(vp);
}

const struct fileops vn_fileops = {
	.fo_name = "vnode",
	.fo_read = vn_fo_read,
	.fo_write = vn_fo_write,
	.fo_poll = vn_fo_poll,
	.fo_stat = vn_fo_stat,
	.fo_seek = vn_fo_seek,
	.fo_ioctl = vn_fo_ioctl,
	.fo_close = vn_fo_close,
};
