/*
 * blkdev_etfs.c: NetBSD's etfs interface (rump_pub_etfs_register and
 * friends, rump_server -d) on top of the block device table.
 *
 * Only RUMP_ETFS_BLK is supported.  NetBSD's REG makes the key a regular
 * file whose contents are the host file; that would need a file system of
 * its own (tmpfs nodes keep their data in memory), so it and the CHR/DIR
 * kinds say EOPNOTSUPP.  doc/blkdev.md.
 */
#include "kern.h"
#include "kern_init.h"
#include "dev/blkdev.h"

/* Register hostpath as a block device at key: see kern_init.h. */
int
kern_etfs_register(const char *key, const char *hostpath, int ftype,
    uint64_t begin, uint64_t size)
{
	/* We don't trust the caller: pointers, kind and size first. */
	if (key == NULL || hostpath == NULL)
		return EFAULT;
	switch (ftype) {
	case KERN_ETFS_BLK:
		break;
	case KERN_ETFS_REG:
	case KERN_ETFS_CHR:
	case KERN_ETFS_DIR:
	case KERN_ETFS_DIR_SUBDIRS:
		return EOPNOTSUPP;
	default:
		return EINVAL;
	}
	if (size == 0)
		return EINVAL;
	if (size == KERN_ETFS_SIZE_ENDOFF)
		size = 0;		/* blkdev's "to the end of the file" */
	return blkdev_register(key, hostpath, begin, size, 0);
}

/* Remove the registration at key (EBUSY while mounted or open). */
int
kern_etfs_remove(const char *key)
{
	return blkdev_unregister(key);
}
