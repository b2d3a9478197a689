/*
 * msdosfs_file.c: file data: read, write, truncate.
 *
 * Data moves between the device and the caller's buffers directly, one
 * device call per run of contiguous clusters (and iovec), never through
 * the metadata cache: the chain is mapped under pm_lock, the transfer
 * runs without it (the vnode lock keeps the file's chain still).
 *
 * A file's chain always has exactly the clusters its size needs (what
 * fsck.fat checks).  Writing past the end allocates the clusters first;
 * when the volume fills up, the write stops where the clusters end and
 * returns the short count, or ENOSPC if none of it fits, and whatever was
 * allocated beyond the new size is freed again.  A gap between the old
 * end and the write is zero-filled, as is a file grown by truncate.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

#define MSDOSFS_ZEROBUF	(64u << 10)	/* zero-fill chunk */

/* Clusters needed for size bytes. */
static uint32_t
msdosfs_clusters(const struct msdosfs_mount *pm, uint64_t size)
{
	return (uint32_t)((size + pm->pm_clsize - 1) >> pm->pm_clshift);
}

/*
 * Move n bytes between the device at devoff and uio's buffers, one
 * device call per iovec segment, advancing uio as uiomove does.
 */
static int
msdosfs_uio_dev(struct msdosfs_mount *pm, struct uio *uio, uint64_t devoff,
    size_t n)
{
	struct kiovec *iov;
	size_t cnt;
	int error;

	while (n > 0 && uio->uio_iovcnt > 0) {
		iov = uio->uio_iov;
		if ((cnt = MIN(n, iov->iov_len)) == 0) {
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		if (uio->uio_rw == UIO_READ)
			error = blkdev_read(pm->pm_dev, devoff, iov->iov_base,
			    cnt);
		else
			error = blkdev_write(pm->pm_dev, devoff, iov->iov_base,
			    cnt);
		if (error != 0)
			return error;
		iov->iov_base = (char *)iov->iov_base + cnt;
		iov->iov_len -= cnt;
		uio->uio_resid -= cnt;
		uio->uio_offset += (off_t)cnt;
		devoff += cnt;
		n -= cnt;
	}
	return 0;
}

/*
 * Map file offset off of np for up to n bytes: device offset and how many
 * bytes from there are contiguous on the device (at most n).
 */
static int
msdosfs_file_map(struct msdosfs_node *np, uint64_t off, uint64_t n,
    uint64_t *devoffp, uint64_t *lenp)
{
	struct msdosfs_mount *pm = np->de_pm;
	uint32_t in = (uint32_t)(off & (pm->pm_clsize - 1)), cl, run;
	int error;

	run = msdosfs_clusters(pm, in + n);
	mutex_enter(&pm->pm_lock);
	error = msdosfs_bmap(np, (uint32_t)(off >> pm->pm_clshift), &cl, &run);
	mutex_exit(&pm->pm_lock);
	if (error != 0)
		return error;
	*devoffp = msdosfs_cl2off(pm, cl) + in;
	*lenp = MIN(n, ((uint64_t)run << pm->pm_clshift) - in);
	return 0;
}

/*
 * vop_read of a regular file: at most up to its size.  An error after
 * some data was read ends the read there (the caller gets the count).
 */
int
msdosfs_file_read(struct msdosfs_node *np, struct uio *uio)
{
	uint64_t off, n, devoff, len;
	size_t resid = uio->uio_resid;
	int error = 0;

	if (uio->uio_offset < 0)
		return EINVAL;
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < np->de_size) {
		off = (uint64_t)uio->uio_offset;
		n = MIN(uio->uio_resid, np->de_size - off);
		if ((error = msdosfs_file_map(np, off, n, &devoff, &len)) != 0 ||
		    (error = msdosfs_uio_dev(np->de_pm, uio, devoff, len)) != 0)
			break;
	}
	return uio->uio_resid != resid ? 0 : error;
}

/* Write zeros to file bytes [from, to), which have clusters. */
static int
msdosfs_file_zero(struct msdosfs_node *np, uint64_t from, uint64_t to)
{
	struct msdosfs_mount *pm = np->de_pm;
	uint64_t devoff, len;
	size_t chunk;
	uint8_t *zero;
	int error = 0;

	if (from >= to)
		return 0;
	if ((zero = kmem_zalloc(MSDOSFS_ZEROBUF)) == NULL)
		return ENOMEM;
	while (from < to && error == 0) {
		if ((error = msdosfs_file_map(np, from, to - from, &devoff,
		    &len)) != 0)
			break;
		for (; len > 0 && error == 0; len -= chunk) {
			chunk = (size_t)MIN(len, MSDOSFS_ZEROBUF);
			error = blkdev_write(pm->pm_dev, devoff, zero, chunk);
			devoff += chunk;
			from += chunk;
		}
	}
	kmem_free(zero);
	return error;
}

/*
 * Cut np's chain to keep clusters (0: no chain at all), freeing the rest.
 * [m]
 */
static int
msdosfs_file_trim(struct msdosfs_node *np, uint32_t keep)
{
	struct msdosfs_mount *pm = np->de_pm;
	uint32_t cl, next, run = 1;
	int error;

	if (np->de_bmcl != 0 && np->de_bmidx >= keep)
		np->de_bmcl = 0;	/* forget a position being freed */
	if (keep == 0) {
		cl = np->de_start;
		np->de_start = 0;
		return cl != 0 ? msdosfs_freechain(pm, cl, 0) : 0;
	}
	if ((error = msdosfs_bmap(np, keep - 1, &cl, &run)) != 0 ||
	    (error = msdosfs_fat_next(pm, cl, &next)) != 0)
		return error;
	if (next == 0)
		return 0;
	if ((error = msdosfs_fat_set(pm, cl, pm->pm_fatbits == 12 ? FAT12_EOC :
	    pm->pm_fatbits == 16 ? FAT16_EOC : FAT32_EOC)) != 0)
		return error;
	return msdosfs_freechain(pm, next, 0);
}

/*
 * Give np clusters for bytes [0, end): *availp says up to where it has
 * them afterwards (less than end only when the volume is full).
 */
static int
msdosfs_file_extend(struct msdosfs_node *np, uint64_t end, uint64_t *availp)
{
	struct msdosfs_mount *pm = np->de_pm;
	uint32_t have = msdosfs_clusters(pm, np->de_size);
	uint32_t need = msdosfs_clusters(pm, end), last = 0, first = 0;
	uint32_t got = 0, run = 1;
	int error = 0;

	if (need > have) {
		mutex_enter(&pm->pm_lock);
		if (have > 0)
			error = msdosfs_bmap(np, have - 1, &last, &run);
		if (error == 0)
			error = msdosfs_alloc(pm, last, need - have, &first,
			    &got);
		if (error == 0 && have == 0 && got > 0)
			np->de_start = first;
		mutex_exit(&pm->pm_lock);
		if (error != 0)
			return error;
	}
	*availp = (uint64_t)(have + got) << pm->pm_clshift;
	return 0;
}

/* Give back the clusters beyond size (after a failed extension). */
static void
msdosfs_file_shrink(struct msdosfs_node *np, uint64_t size)
{
	struct msdosfs_mount *pm = np->de_pm;

	mutex_enter(&pm->pm_lock);
	(void)msdosfs_file_trim(np, msdosfs_clusters(pm, size));
	mutex_exit(&pm->pm_lock);
}

/* The data part of a write: [off, end) from uio, clusters allocated. */
static int
msdosfs_file_put(struct msdosfs_node *np, struct uio *uio, uint64_t end)
{
	uint64_t off, devoff, len;
	int error = 0;

	while ((uint64_t)uio->uio_offset < end && uio->uio_resid > 0) {
		off = (uint64_t)uio->uio_offset;
		if ((error = msdosfs_file_map(np, off, end - off, &devoff,
		    &len)) != 0 ||
		    (error = msdosfs_uio_dev(np->de_pm, uio, devoff, len)) != 0)
			break;
	}
	return error;
}

/*
 * vop_write of a regular file (the caller checked it may).  Files end at
 * 4 GiB - 1: a write starting there is EFBIG, one crossing it is cut.
 */
int
msdosfs_file_write(struct msdosfs_node *np, struct uio *uio, int ioflag)
{
	struct msdosfs_mount *pm = np->de_pm;
	uint64_t off, end, avail, old = np->de_size, size;
	size_t resid = uio->uio_resid;
	int error;

	if (ioflag & IO_APPEND)
		uio->uio_offset = (off_t)np->de_size;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (resid == 0)
		return 0;
	off = (uint64_t)uio->uio_offset;
	if (off >= FAT_MAXFILESIZE)
		return EFBIG;
	end = off + MIN(resid, FAT_MAXFILESIZE - off);
	if ((error = msdosfs_file_extend(np, end, &avail)) != 0)
		return error;
	if (avail <= off) {
		msdosfs_file_shrink(np, old);
		return ENOSPC;
	}
	end = MIN(end, avail);
	if (off > old && (error = msdosfs_file_zero(np, old, off)) != 0) {
		msdosfs_file_shrink(np, old);
		return error;
	}
	error = msdosfs_file_put(np, uio, end);
	size = MAX(old, (uint64_t)uio->uio_offset);
	if (uio->uio_resid == resid)
		size = old;	/* nothing written: not even the gap counts */
	mutex_enter(&pm->pm_lock);
	(void)msdosfs_file_trim(np, msdosfs_clusters(pm, size));
	if (uio->uio_resid != resid) {
		np->de_size = (uint32_t)size;
		np->de_attr |= ATTR_ARCH;
		msdosfs_node_touch(np, 1);
		(void)msdosfs_node_update(np);
		error = 0;	/* a short write is not an error */
	}
	if (error == 0 && (ioflag & IO_SYNC))
		error = msdosfs_sync_locked(pm);
	mutex_exit(&pm->pm_lock);
	if (error == 0 && (ioflag & IO_SYNC))
		error = blkdev_sync(pm->pm_dev);
	return error;
}

/*
 * Set np's size (the caller checked it is a regular file it may
 * change): freeing the clusters beyond a smaller size, or allocating and
 * zero-filling up to a larger one (ENOSPC leaves the file as it was).
 */
int
msdosfs_file_truncate(struct msdosfs_node *np, uint64_t size)
{
	struct msdosfs_mount *pm = np->de_pm;
	uint64_t old = np->de_size, avail;
	int error;

	if (size > FAT_MAXFILESIZE)
		return EFBIG;
	if (size < old) {
		mutex_enter(&pm->pm_lock);
		error = msdosfs_file_trim(np, msdosfs_clusters(pm, size));
		mutex_exit(&pm->pm_lock);
		if (error != 0)
			return error;
	} else if (size > old) {
		if ((error = msdosfs_file_extend(np, size, &avail)) != 0)
			return error;
		if (avail < size) {
			msdosfs_file_shrink(np, old);
			return ENOSPC;
		}
		if ((error = msdosfs_file_zero(np, old, size)) != 0) {
			msdosfs_file_shrink(np, old);
			return error;
		}
	}
	np->de_size = (uint32_t)size;
	return 0;
}
