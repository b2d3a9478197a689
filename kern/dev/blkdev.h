/*
 * blkdev.h: block devices backed by host files (NetBSD's etfs idea).
 *
 * A host file registered under a kernel path (the "key", e.g. /dev/img0)
 * becomes a block device: the key is a VBLK node in the file system whose
 * rdev names the device, and reads and writes reach the host file through
 * hyp_file_*.  File systems (msdosfs) mount it by path; programs may also
 * open it and read or write it directly (dd).
 *
 * All offsets and lengths are checked against the device size here, so a
 * file system that computes a wild offset from a corrupt image gets EIO,
 * never a read outside the device.
 */
#ifndef KERN_DEV_BLKDEV_H
#define KERN_DEV_BLKDEV_H

#include "kern.h"

struct cred;
struct file;
struct vnode;

#define BLKDEV_SECSIZE 512

struct blkdev {
	dev_t		bd_dev;		/* [c] device number (rdev of the key) */
	char		bd_key[128];	/* [c] kernel path */
	int		bd_handle;	/* [c] hyp_file handle */
	uint64_t	bd_offset;	/* [c] start within the host file */
	uint64_t	bd_size;	/* [c] bytes */
	int		bd_rdonly;	/* [c] host file or registration */
	uint32_t	bd_refcnt;	/* atomic: mounts and open files */
};

/* Register hostpath as a block device under key; size 0 = the file's. */
int  blkdev_register(const char *key, const char *hostpath, uint64_t offset,
    uint64_t size, int rdonly);
/* Remove the registration (EBUSY while mounted or open). */
int  blkdev_unregister(const char *key);
/* The device behind a VBLK vnode, referenced; ENXIO if none. */
int  blkdev_from_vnode(struct vnode *vp, struct blkdev **bdp);
/* Look up a kernel path and return its device, referenced. */
int  blkdev_open_path(const char *path, struct cred *cr, int writable,
    struct blkdev **bdp);
void blkdev_release(struct blkdev *bd);

/* I/O at a byte offset; EIO for any part outside the device. */
int  blkdev_read(struct blkdev *bd, uint64_t off, void *buf, size_t len);
int  blkdev_write(struct blkdev *bd, uint64_t off, const void *buf,
    size_t len);
int  blkdev_sync(struct blkdev *bd);

/* Open a VBLK vnode as a file (read/write/seek/stat/fsync). */
int  blkdev_vnode_open(struct vnode *vp, int flags, struct cred *cr,
    struct file **fpp);

#endif /* KERN_DEV_BLKDEV_H */
