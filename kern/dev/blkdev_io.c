/*
 * blkdev_io.c: reading and writing a block device: bounds checks, then
 * straight to the host file (no cache at this level).
 *
 * Any host failure is EIO to the caller, as a disk error is on Linux; a
 * host read that ends early (someone truncated the host file) is EIO
 * too, except on a growable device (registered with a size beyond the
 * host file's end), where the part never written reads as zeros.
 */
#include "kern.h"
#include "dev/blkdev.h"

/* Is [off, off + len) inside the device? */
static int
blkdev_inrange(const struct blkdev *bd, uint64_t off, size_t len)
{
	return off <= bd->bd_size && (uint64_t)len <= bd->bd_size - off;
}

/* Read len bytes at off: see blkdev.h. */
int
blkdev_read(struct blkdev *bd, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;

	if (!blkdev_inrange(bd, off, len))
		return EIO;
	if (len == 0)
		return 0;
	KASSERT(buf != NULL);
	if (hyp_file_pread(bd->bd_handle, buf, len, bd->bd_offset + off,
	    &done) != 0)
		return EIO;
	if (done < len) {
		if (!bd->bd_growable)
			return EIO;
		memset((char *)buf + done, 0, len - done);
	}
	return 0;
}

/* Write len bytes at off: see blkdev.h. */
int
blkdev_write(struct blkdev *bd, uint64_t off, const void *buf, size_t len)
{
	size_t done = 0;

	if (bd->bd_rdonly)
		return EROFS;
	if (!blkdev_inrange(bd, off, len))
		return EIO;
	if (len == 0)
		return 0;
	KASSERT(buf != NULL);
	if (hyp_file_pwrite(bd->bd_handle, buf, len, bd->bd_offset + off,
	    &done) != 0 || done != len)
		return EIO;
	return 0;
}

/* Host fsync of the device's file. */
int
blkdev_sync(struct blkdev *bd)
{
	return hyp_file_fsync(bd->bd_handle) == 0 ? 0 : EIO;
}
