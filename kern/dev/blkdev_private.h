/*
 * blkdev_private.h: what the files of kern/dev/ share among themselves.
 * Nothing outside kern/dev/ includes it.
 */
#ifndef KERN_DEV_BLKDEV_PRIVATE_H
#define KERN_DEV_BLKDEV_PRIVATE_H

#include "kern.h"
#include "dev/blkdev.h"

/* Check and normalise a key into out (BLKDEV_KEYLEN bytes): 0, EFAULT,
 * EINVAL or ENAMETOOLONG (blkdev.c). */
int  blkdev_key_normalise(const char *key, char *out);
/* The live device numbered dev, referenced; ENXIO if none (blkdev.c). */
int  blkdev_lookup_dev(dev_t dev, struct blkdev **bdp);

/*
 * The key's node (blkdev_node.c), made and removed as root in the real
 * root directory whatever the calling process is.  create: the missing
 * parent directories (0755) and a VBLK node (0600) numbered dev.  remove:
 * unlink key if it still is a block device node numbered dev.
 */
int  blkdev_node_create(const char *key, dev_t dev);
void blkdev_node_remove(const char *key, dev_t dev);

#endif /* KERN_DEV_BLKDEV_PRIVATE_H */
