/*
 * mbr.h: finding a partition in an MBR-partitioned disk image.
 */
#ifndef FUSE_MBR_H
#define FUSE_MBR_H

#include <stddef.h>
#include <stdint.h>

/*
 * Read the MBR of the image open on fd (imagesize bytes) and return
 * partition n (1-4) as a byte offset and size.  0, or an errno value with
 * a message in err: the image is not trusted, so every field is checked.
 */
int mbr_partition(int fd, uint64_t imagesize, int n, uint64_t *offset,
    uint64_t *size, char *err, size_t errlen);

#endif
