/*
 * blkdev_file.c: open block device nodes (open(2) of a VBLK vnode), and
 * the path lookup file systems use to find their device.
 *
 * An open device is an FTYPE_VNODE file whose f_data is the vnode, as for
 * any other node, so fstat, fchmod, fstatfs and friends work on it
 * unchanged; only its fileops differ.  The file holds a reference on the
 * device (the unregister EBUSY check) and finds it again by the vnode's
 * rdev, which never changes and is never reused.
 *
 * Semantics are Linux's for block devices: reads at or past the end
 * return 0 bytes, writes there fail with ENOSPC, I/O crossing the end is
 * shortened; lseek cannot go past the end (EINVAL) and SEEK_END is the
 * device size; st_size is 0.
 */
#include "kern.h"
#include "file.h"
#include "poll.h"
#include "vfs/vfs.h"
#include "dev/blkdev.h"

static int blkfile_read(struct file *fp, struct uio *uio, int flags);
static int blkfile_write(struct file *fp, struct uio *uio, int flags);
static int blkfile_poll(struct file *fp, int events, struct polltab *pt);
static int blkfile_stat(struct file *fp, struct kstat *st);
static int blkfile_seek(struct file *fp, off_t off, int whence,
    off_t *newoff);
static int blkfile_ioctl(struct file *fp, unsigned long cmd, void *data);
static void blkfile_close(struct file *fp);

static const struct fileops blkdev_fileops = {
	.fo_name = "blkdev",
	.fo_read = blkfile_read,
	.fo_write = blkfile_write,
	.fo_poll = blkfile_poll,
	.fo_stat = blkfile_stat,
	.fo_seek = blkfile_seek,
	.fo_ioctl = blkfile_ioctl,
	.fo_close = blkfile_close,
};

/* Step uio past n bytes of its current segment, which were moved. */
static void
blkfile_advance(struct uio *uio, size_t n)
{
	struct kiovec *iov = uio->uio_iov;

	iov->iov_base = (char *)iov->iov_base + n;
	iov->iov_len -= n;
	uio->uio_resid -= n;
	uio->uio_offset += (off_t)n;
}

/*
 * Move up to max bytes between the device at uio_offset and uio, one
 * host call per segment, straight into or out of the caller's buffers.
 * A failing segment stops the transfer with the uio left at its start.
 */
static int
blkfile_transfer(struct blkdev *bd, struct uio *uio, uint64_t max)
{
	int error = 0;

	while (max > 0 && uio->uio_resid > 0 && uio->uio_iovcnt > 0) {
		struct kiovec *iov = uio->uio_iov;
		uint64_t n = MIN(MIN(iov->iov_len, (uint64_t)uio->uio_resid),
		    max);

		if (iov->iov_len == 0) {
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		if (uio->uio_rw == UIO_READ)
			error = blkdev_read(bd, (uint64_t)uio->uio_offset,
			    iov->iov_base, (size_t)n);
		else
			error = blkdev_write(bd, (uint64_t)uio->uio_offset,
			    iov->iov_base, (size_t)n);
		if (error != 0)
			break;
		blkfile_advance(uio, (size_t)n);
		max -= n;
	}
	return error;
}

/* One read or write at uio_offset with Linux's end-of-device rules. */
static int
blkfile_rw(struct blkdev *bd, struct uio *uio)
{
	uint64_t off;

	if (uio->uio_offset < 0)
		return EINVAL;
	off = (uint64_t)uio->uio_offset;
	if (uio->uio_resid == 0)
		return 0;
	if (off >= bd->bd_size)
		return uio->uio_rw == UIO_READ ? 0 : ENOSPC;
	return blkfile_transfer(bd, uio, bd->bd_size - off);
}

/* The open file's device, referenced (the file's own reference keeps it
 * registered, so this finds it). */
static int
blkfile_dev(struct file *fp, struct blkdev **bdp)
{
	return blkdev_from_vnode(fp->f_data, bdp);
}

/*
 * fo_read/fo_write: at f_offset (advanced, under f_lock as Linux holds
 * f_pos_lock) or at the uio's offset.  O_APPEND writes go to the end of
 * the device, where Linux says ENOSPC.
 */
static int
blkfile_io(struct file *fp, struct uio *uio, int flags)
{
	struct blkdev *bd;
	int error;

	if ((error = blkfile_dev(fp, &bd)) != 0)
		return error;
	if (!(flags & FOF_UPDATE_OFFSET)) {
		if (uio->uio_rw == UIO_WRITE && (file_flags(fp) & O_APPEND))
			uio->uio_offset = (off_t)bd->bd_size;
		error = blkfile_rw(bd, uio);
		goto out;
	}
	mutex_enter(&fp->f_lock);
	uio->uio_offset = fp->f_offset;
	if (uio->uio_rw == UIO_WRITE && (fp->f_flag & O_APPEND))
		uio->uio_offset = (off_t)bd->bd_size;
	error = blkfile_rw(bd, uio);
	fp->f_offset = uio->uio_offset;
	mutex_exit(&fp->f_lock);
out:
	blkdev_release(bd);
	return error;
}

static int
blkfile_read(struct file *fp, struct uio *uio, int flags)
{
	return blkfile_io(fp, uio, flags);
}

static int
blkfile_write(struct file *fp, struct uio *uio, int flags)
{
	return blkfile_io(fp, uio, flags);
}

/* A device is always ready. */
static int
blkfile_poll(struct file *fp, int events, struct polltab *pt)
{
	return events & (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM);
}

/* fstat: the node's attributes (S_IFBLK, rdev, st_size 0). */
static int
blkfile_stat(struct file *fp, struct kstat *st)
{
	return vn_stat(fp->f_data, st);
}

/* The new offset for lseek (Linux's fixed_size_llseek); [f_lock]. */
static int
blkfile_seekpos(struct file *fp, uint64_t size, off_t off, int whence,
    off_t *res)
{
	off_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = fp->f_offset;
		break;
	case SEEK_END:
		base = (off_t)size;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		/* All data, no hole before the end. */
		if (off < 0 || (uint64_t)off >= size)
			return ENXIO;
		*res = whence == SEEK_DATA ? off : (off_t)size;
		return 0;
	default:
		return EINVAL;
	}
	if (__builtin_add_overflow(base, off, res) || *res < 0 ||
	    (uint64_t)*res > size)
		return EINVAL;
	return 0;
}

/* fo_seek: within [0, device size]. */
static int
blkfile_seek(struct file *fp, off_t off, int whence, off_t *newoff)
{
	struct blkdev *bd;
	off_t res;
	int error;

	if ((error = blkfile_dev(fp, &bd)) != 0)
		return error;
	mutex_enter(&fp->f_lock);
	error = blkfile_seekpos(fp, bd->bd_size, off, whence, &res);
	if (error == 0)
		fp->f_offset = *newoff = res;
	mutex_exit(&fp->f_lock);
	blkdev_release(bd);
	return error;
}

static int
blkfile_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	return ENOTTY;
}

/* Last reference: give back the open's device reference and the vnode. */
static void
blkfile_close(struct file *fp)
{
	struct vnode *vp = fp->f_data;
	struct blkdev *bd;

	if (blkfile_dev(fp, &bd) == 0) {
		blkdev_release(bd);	/* the one we just took */
		blkdev_release(bd);	/* the open's */
	}
	vrele(vp);
}

/* open(2) of a VBLK vnode: see blkdev.h. */
int
blkdev_vnode_open(struct vnode *vp, int flags, struct cred *cr,
    struct file **fpp)
{
	struct blkdev *bd;
	struct file *fp;
	int error;

	if (vp == NULL || fpp == NULL)
		return EINVAL;
	if ((error = blkdev_from_vnode(vp, &bd)) != 0)
		return error;
	if ((flags & O_ACCMODE) != O_RDONLY && bd->bd_rdonly) {
		error = EROFS;
		goto fail;
	}
	fp = file_alloc(FTYPE_VNODE, &blkdev_fileops, vp, flags | O_LARGEFILE,
	    cr);
	if (fp == NULL) {
		error = ENOMEM;
		goto fail;
	}
	vref(vp);
	*fpp = fp;
	return 0;		/* the file keeps bd's reference */
fail:
	blkdev_release(bd);
	return error;
}

/* fsync(2) of an open device: the host file's fsync. */
int
blkdev_vnode_fsync(struct vnode *vp)
{
	struct blkdev *bd;
	int error;

	if ((error = blkdev_from_vnode(vp, &bd)) != 0)
		return error;
	error = blkdev_sync(bd);
	blkdev_release(bd);
	return error;
}

/* The device named by path, for mounting: see blkdev.h. */
int
blkdev_open_path(const char *path, struct cred *cr, int writable,
    struct blkdev **bdp)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	if (bdp == NULL)
		return EINVAL;
	/* vn_openat checks the path (NULL: EFAULT) and resolves it. */
	if ((error = vn_openat(AT_FDCWD, path, O_PATH, 0, &fp)) != 0)
		return error;
	vp = fp->f_data;
	if (vp->v_type != VBLK)
		error = ENOTBLK;
	else if (vfs_mntflags(vp->v_mount) & MS_NODEV)
		error = EACCES;
	else if ((error = blkdev_from_vnode(vp, bdp)) == 0 && writable &&
	    (*bdp)->bd_rdonly) {
		blkdev_release(*bdp);
		error = EACCES;
	}
	file_release(fp);
	return error;
}
