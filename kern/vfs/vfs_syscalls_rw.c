/*
 * vfs_syscalls_rw.c: read(2), write(2), their positional and vector
 * forms, and lseek(2), for every kind of open file (they dispatch through
 * the file's fileops).
 *
 * We don't trust the caller's buffers and counts: NULL buffers are EFAULT,
 * a count is clamped to Linux's MAX_RW_COUNT, vectors are bounded by
 * IOV_MAX and their total must fit in ssize_t.  When some bytes moved
 * before an error, the call returns the count, as Linux does.
 */
#include "kern.h"
#include "sysproto.h"
#include "vfs/vfs_private.h"

#define VFS_MAX_RW	0x7ffff000L	/* Linux's MAX_RW_COUNT */
#define VFS_IOV_MAX	1024
#define VFS_IOV_STACK	8

/*
 * Move data for fd through uio.  pos < 0 means "at f_offset"; otherwise
 * the file must be seekable and the position is pos (pread, pwrite).
 */
static int
vfs_rdwr(int fd, struct uio *uio, int positional, off_t pos,
    register_t *retval)
{
	struct file *fp;
	size_t resid = uio->uio_resid;
	int error, flags, fflag = FOF_UPDATE_OFFSET;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	flags = file_flags(fp);
	if ((flags & O_PATH) || (uio->uio_rw == UIO_READ ?
	    (flags & O_ACCMODE) == O_WRONLY : (flags & O_ACCMODE) == O_RDONLY)) {
		error = EBADF;
		goto out;
	}
	if (positional) {
		if (fp->f_ops->fo_seek == NULL) {
			error = ESPIPE;
			goto out;
		}
		if (pos < 0) {
			error = EINVAL;
			goto out;
		}
		uio->uio_offset = pos;
		fflag = 0;
	}
	if (uio->uio_rw == UIO_READ)
		error = fp->f_ops->fo_read(fp, uio, fflag);
	else
		error = fp->f_ops->fo_write(fp, uio, fflag);
	if (uio->uio_resid != resid)
		error = 0;
	if (error == 0)
		*retval = (register_t)(resid - uio->uio_resid);
out:
	file_release(fp);
	return error;
}

/* One-buffer read or write: EFAULT for NULL, count clamped. */
static int
vfs_rdwr1(int fd, void *buf, size_t count, enum uio_rw rw, int positional,
    off_t pos, register_t *retval)
{
	struct kiovec iov;
	struct uio uio;

	if (buf == NULL && count > 0)
		return EFAULT;
	if (count > VFS_MAX_RW)
		count = VFS_MAX_RW;
	uio_setup(&uio, &iov, buf, count, 0, rw);
	return vfs_rdwr(fd, &uio, positional, pos, retval);
}

int
sys_read(struct lwp *l, int fd, void *buf, size_t count, register_t *retval)
{
	return vfs_rdwr1(fd, buf, count, UIO_READ, 0, 0, retval);
}

int
sys_write(struct lwp *l, int fd, const void *buf, size_t count,
    register_t *retval)
{
	return vfs_rdwr1(fd, (void *)(uintptr_t)buf, count, UIO_WRITE, 0, 0,
	    retval);
}

int
sys_pread(struct lwp *l, int fd, void *buf, size_t count, off_t offset,
    register_t *retval)
{
	return vfs_rdwr1(fd, buf, count, UIO_READ, 1, offset, retval);
}

int
sys_pwrite(struct lwp *l, int fd, const void *buf, size_t count,
    off_t offset, register_t *retval)
{
	return vfs_rdwr1(fd, (void *)(uintptr_t)buf, count, UIO_WRITE, 1,
	    offset, retval);
}

/*
 * Copy and check the caller's vector (we don't trust it): EINVAL for a
 * bad count or a total beyond ssize_t, EFAULT for NULL buffers.  The
 * total is clamped to MAX_RW_COUNT as Linux does.
 */
static int
vfs_iov_import(const struct kiovec *uiov, int iovcnt, struct kiovec *iov,
    size_t *totalp)
{
	uint64_t total = 0, len;

	if (iovcnt < 0 || iovcnt > VFS_IOV_MAX)
		return EINVAL;
	if (iovcnt > 0 && uiov == NULL)
		return EFAULT;
	for (int i = 0; i < iovcnt; i++) {
		len = uiov[i].iov_len;
		if (len > (uint64_t)INT64_MAX)
			return EINVAL;
		if (len > 0 && uiov[i].iov_base == NULL)
			return EFAULT;
		if (len > (uint64_t)VFS_MAX_RW - total)
			len = (uint64_t)VFS_MAX_RW - total;
		iov[i].iov_base = uiov[i].iov_base;
		iov[i].iov_len = len;
		total += len;
	}
	*totalp = (size_t)total;
	return 0;
}

/* readv/writev/preadv/pwritev. */
static int
vfs_rdwrv(int fd, const struct kiovec *uiov, int iovcnt, enum uio_rw rw,
    int positional, off_t pos, register_t *retval)
{
	struct kiovec stackiov[VFS_IOV_STACK], *iov = stackiov;
	struct uio uio;
	size_t total;
	int error;

	if (iovcnt > VFS_IOV_STACK && iovcnt <= VFS_IOV_MAX &&
	    (iov = kmem_alloc((size_t)iovcnt * sizeof(*iov))) == NULL)
		return ENOMEM;
	if ((error = vfs_iov_import(uiov, iovcnt, iov, &total)) != 0)
		goto out;
	uio.uio_iov = iov;
	uio.uio_iovcnt = iovcnt;
	uio.uio_offset = 0;
	uio.uio_resid = total;
	uio.uio_rw = rw;
	error = vfs_rdwr(fd, &uio, positional, pos, retval);
out:
	if (iov != stackiov)
		kmem_free(iov);
	return error;
}

int
sys_readv(struct lwp *l, int fd, const struct kiovec *iov, int iovcnt,
    register_t *retval)
{
	return vfs_rdwrv(fd, iov, iovcnt, UIO_READ, 0, 0, retval);
}

int
sys_writev(struct lwp *l, int fd, const struct kiovec *iov, int iovcnt,
    register_t *retval)
{
	return vfs_rdwrv(fd, iov, iovcnt, UIO_WRITE, 0, 0, retval);
}

int
sys_preadv(struct lwp *l, int fd, const struct kiovec *iov, int iovcnt,
    off_t offset, register_t *retval)
{
	return vfs_rdwrv(fd, iov, iovcnt, UIO_READ, 1, offset, retval);
}

int
sys_pwritev(struct lwp *l, int fd, const struct kiovec *iov, int iovcnt,
    off_t offset, register_t *retval)
{
	return vfs_rdwrv(fd, iov, iovcnt, UIO_WRITE, 1, offset, retval);
}

/* lseek(2): ESPIPE for pipes and sockets; the rest is the file's. */
int
sys_lseek(struct lwp *l, int fd, off_t offset, int whence,
    register_t *retval)
{
	struct file *fp;
	off_t newoff;
	int error;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (file_flags(fp) & O_PATH)
		error = EBADF;
	else if (fp->f_ops->fo_seek == NULL)
		error = ESPIPE;
	else if ((error = fp->f_ops->fo_seek(fp, offset, whence,
	    &newoff)) == 0)
		*retval = newoff;
	file_release(fp);
	return error;
}
