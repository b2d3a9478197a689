/*
 * tmpfs.h: the memory file system, as the rest of the kernel sees it.
 *
 * tmpfs keeps every file in kernel memory.  It is the root file system
 * and can be mounted again anywhere (mount -t tmpfs).  Options, limits and
 * locking are described in doc/tmpfs.md; the internals are in
 * tmpfs_node.h.
 */
#ifndef KERN_FS_TMPFS_TMPFS_H
#define KERN_FS_TMPFS_TMPFS_H

#include "vfs/vfs.h"

#define TMPFS_MAGIC	0x01021994	/* statfs f_type, as Linux */

extern const struct vfsops tmpfs_vfsops;

#endif /* KERN_FS_TMPFS_TMPFS_H */
