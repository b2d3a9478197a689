/*
 * blkdev.h: block devices backed by host files (NetBSD's etfs idea).
 *
 * A host file registered under a kernel path (the "key", e.g. /dev/img0)
 * becomes a block device: the key is a VBLK node in the file system whose
 * rdev names the device, and reads and writes reach the host file through
 * hyp_file_*.  File systems (msdosfs) mount it by path; programs may also
 * open it and read or write it directly (dd).  doc/blkdev.md has the
 * details.
 *
 * All offsets and lengths are checked against the device size here, so a
 * file system that computes a wild offset from a corrupt image gets EIO,
 * never a read outside the device.  There is no cache at this level: every
 * call is one host pread/pwrite (the file system caches what it wants).
 *
 * Locking: blkdev_lock (blkdev.c) protects the device table and the
 * bd_state/bd_list fields; it is never held across a VFS or host call.
 * bd_refcnt is atomic and only incremented under blkdev_lock, so
 * blkdev_unregister can see it is zero and remove the device atomically.
 */
#ifndef KERN_DEV_BLKDEV_H
#define KERN_DEV_BLKDEV_H

#include "kern.h"

struct cred;
struct file;
struct vnode;

#define BLKDEV_SECSIZE	512
#define BLKDEV_KEYLEN	128		/* bd_key size, with the NUL */
#define BLKDEV_MAJOR	240		/* Linux's "local/experimental use" */

/* Linux's user-visible dev_t encoding (makedev(3)). */
#define BLKDEV_MAKEDEV(ma, mi) \
	((((uint64_t)(ma) & 0xfffff000ULL) << 32) | \
	 (((uint64_t)(ma) & 0xfffULL) << 8) | \
	 (((uint64_t)(mi) & 0xffffff00ULL) << 12) | ((uint64_t)(mi) & 0xffULL))

enum blkdev_state {
	BLKDEV_PENDING = 1,		/* being registered: not usable yet */
	BLKDEV_LIVE			/* in service */
};

struct blkdev {
	dev_t		bd_dev;		/* [c] device number (rdev of the key) */
	char		bd_key[BLKDEV_KEYLEN]; /* [c] kernel path, normalised */
	int		bd_handle;	/* [c] hyp_file handle */
	uint64_t	bd_offset;	/* [c] start within the host file */
	uint64_t	bd_size;	/* [c] bytes */
	int		bd_rdonly;	/* [c] host file or registration */
	int		bd_growable;	/* [c] writable, beyond the host EOF */
	uint32_t	bd_refcnt;	/* atomic: mounts and open files */
	enum blkdev_state bd_state;	/* [blkdev_lock] */
	struct klist	bd_list;	/* [blkdev_lock] the device table */
};

/* Boot: set up the device table.  Shutdown: fsync every device. */
void blkdev_init(void);
void blkdev_syncall(void);

/*
 * Register hostpath as a block device under key (an absolute kernel
 * path).  size 0 = from offset to the end of the host file.  A size
 * beyond the host file's end is allowed only when the device is writable:
 * then it is a limit and the file grows as the device is written (reads of
 * the part not yet written return zeros).  The host file is opened
 * read-only when rdonly is set or the host does not allow writing.  The
 * key's missing parent directories are made (mode 0755) and the key is a
 * VBLK node, mode 0600, owner root.  Errors: EFAULT (NULL), EINVAL (bad
 * key or sizes), ENAMETOOLONG, EEXIST (key in use), the host's errno for
 * the file (ENOENT, EACCES, ...), or what making the node said.
 */
int  blkdev_register(const char *key, const char *hostpath, uint64_t offset,
    uint64_t size, int rdonly);
/*
 * Remove the registration and the key's node (if it still is our node).
 * ENOENT if key is not registered, EBUSY while mounted or open.
 */
int  blkdev_unregister(const char *key);
/* The device behind a VBLK vnode, referenced; ENOTBLK for another type,
 * ENXIO if no device has its rdev. */
int  blkdev_from_vnode(struct vnode *vp, struct blkdev **bdp);
/*
 * Look up a kernel path (relative to the calling process's cwd, symlinks
 * followed) and return its device, referenced: for mounting.  ENOTBLK if
 * it is not a block device node, EACCES on a nodev mount or when writable
 * is asked of a read-only device (Linux's mount(2) says so, and mount(8)
 * then tries read-only), ENXIO if no device is registered for it.  cr is
 * not used yet (the lookup is the calling process's).
 */
int  blkdev_open_path(const char *path, struct cred *cr, int writable,
    struct blkdev **bdp);
/* Drop a reference from blkdev_from_vnode/blkdev_open_path. */
void blkdev_release(struct blkdev *bd);

/* I/O at a byte offset; EIO for any part outside the device (nothing is
 * transferred then) or a host failure, EROFS for writing a read-only one. */
int  blkdev_read(struct blkdev *bd, uint64_t off, void *buf, size_t len);
int  blkdev_write(struct blkdev *bd, uint64_t off, const void *buf,
    size_t len);
/* Flush the host file to stable storage (host fsync); EIO on failure. */
int  blkdev_sync(struct blkdev *bd);

/*
 * open(2) of a VBLK vnode (called by vn_open_vnode after the permission
 * checks; vp stays the caller's, the file takes its own reference): a
 * file that reads and writes the device at its offset.  ENXIO if the
 * device is not registered, EROFS for write access to a read-only one.
 */
int  blkdev_vnode_open(struct vnode *vp, int flags, struct cred *cr,
    struct file **fpp);
/* fsync(2)/fdatasync(2) of an open block device file (VBLK vnode). */
int  blkdev_vnode_fsync(struct vnode *vp);

#endif /* KERN_DEV_BLKDEV_H */
