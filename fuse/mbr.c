/*
 * mbr.c: MBR partition tables (see mbr.h).  Trust boundary: the sector
 * comes from a disk image that may be corrupt or hostile.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "mbr.h"

#define MBR_SIG_OFF	510
#define MBR_PART_OFF	446
#define MBR_PART_SIZE	16
#define SECTOR		512

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

int
mbr_partition(int fd, uint64_t imagesize, int n, uint64_t *offset,
    uint64_t *size, char *err, size_t errlen)
{
	unsigned char sec[SECTOR];
	const unsigned char *pe;
	uint64_t start, count;

	if (n < 1 || n > 4) {
		snprintf(err, errlen, "partition %d: MBR partitions are 1-4", n);
		return EINVAL;
	}
	if (pread(fd, sec, sizeof(sec), 0) != (ssize_t)sizeof(sec)) {
		snprintf(err, errlen, "cannot read the partition table");
		return EIO;
	}
	if (sec[MBR_SIG_OFF] != 0x55 || sec[MBR_SIG_OFF + 1] != 0xaa) {
		snprintf(err, errlen, "no MBR partition table (signature)");
		return EINVAL;
	}
	pe = sec + MBR_PART_OFF + (n - 1) * MBR_PART_SIZE;
	start = le32(pe + 8);
	count = le32(pe + 12);
	if (pe[4] == 0 || count == 0) {
		snprintf(err, errlen, "partition %d is empty", n);
		return ENXIO;
	}
	if (start == 0 || start * SECTOR >= imagesize ||
	    count > (imagesize - start * SECTOR) / SECTOR) {
		snprintf(err, errlen, "partition %d (sectors %llu+%llu) lies "
		    "outside the image", n, (unsigned long long)start,
		    (unsigned long long)count);
		return EINVAL;
	}
	*offset = start * SECTOR;
	*size = count * SECTOR;
	return 0;
}
