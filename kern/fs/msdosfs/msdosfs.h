/*
 * msdosfs.h: the FAT file system (FAT12/16/32 with VFAT long names), as
 * the rest of the kernel sees it.
 *
 * mount -t msdos /dev/img0 /mnt, where /dev/img0 is a block device
 * (kern/dev/blkdev.h).  The image is never trusted: everything read from
 * it is checked before use.  doc/msdosfs.md describes options, semantics
 * and locking; the internals are in msdosfs_var.h.
 */
#ifndef KERN_FS_MSDOSFS_MSDOSFS_H
#define KERN_FS_MSDOSFS_MSDOSFS_H

#include "vfs/vfs.h"

#define MSDOS_SUPER_MAGIC	0x4d44	/* statfs f_type, as Linux */

extern const struct vfsops msdosfs_vfsops;

#endif /* KERN_FS_MSDOSFS_MSDOSFS_H */
