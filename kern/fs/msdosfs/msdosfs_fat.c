/*
 * msdosfs_fat.c: FAT entries and cluster chains.
 *
 * FAT entries are 12, 16 or 32 (28 used) bits, little-endian; a FAT12
 * entry may straddle two sectors.  They are read from the active FAT
 * through the sector cache and written there (the cache writes every
 * copy).  The value of an entry comes from the image, so a chain is
 * followed only through valid cluster numbers: free, reserved, bad or
 * out-of-range entries inside a chain are EIO, and so is a chain longer
 * than the number of clusters (a loop).  Everything here runs under
 * pm_lock.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

/* FAT sectors read ahead on a miss. */
#define MSDOSFS_FAT_RA	16

/* Is cl a data cluster of this volume? */
int
msdosfs_clvalid(const struct msdosfs_mount *pm, uint32_t cl)
{
	return cl >= FAT_FIRST_CLUSTER && cl <= pm->pm_maxcl;
}

/* Device byte offset of data cluster cl (which the caller checked). */
uint64_t
msdosfs_cl2off(const struct msdosfs_mount *pm, uint32_t cl)
{
	return pm->pm_dataoff +
	    ((uint64_t)(cl - FAT_FIRST_CLUSTER) << pm->pm_clshift);
}

/* Byte offset of entry cl within one FAT copy. */
static uint64_t
msdosfs_fat_entoff(const struct msdosfs_mount *pm, uint32_t cl)
{
	switch (pm->pm_fatbits) {
	case 12:
		return (uint64_t)cl + cl / 2;
	case 16:
		return (uint64_t)cl * 2;
	default:
		return (uint64_t)cl * 4;
	}
}

/* The FAT sector holding byte off of the FAT, held. */
static int
msdosfs_fat_sector(struct msdosfs_mount *pm, uint64_t off,
    struct msdosfs_buf **bpp)
{
	uint64_t blk = (pm->pm_fatoff + off) >> pm->pm_secshift;
	uint64_t last = (pm->pm_fatoff + pm->pm_fatsize - 1) >> pm->pm_secshift;

	if (off >= pm->pm_fatsize)
		return EIO;
	return msdosfs_bc_read(pm, blk,
	    (uint32_t)MIN(last - blk + 1, MSDOSFS_FAT_RA), bpp);
}

/*
 * Get (set == NULL) or replace the n bytes (1..4) at FAT offset off,
 * which may cross a sector boundary (FAT12 only).
 */
static int
msdosfs_fat_bytes(struct msdosfs_mount *pm, uint64_t off, uint8_t *bytes,
    int n, int set)
{
	struct msdosfs_buf *bp;
	uint32_t in;
	int error, i = 0;

	while (i < n) {
		if ((error = msdosfs_fat_sector(pm, off + i, &bp)) != 0)
			return error;
		in = (uint32_t)((pm->pm_fatoff + off + i) &
		    (pm->pm_secsize - 1));
		for (; i < n && in < pm->pm_secsize; i++, in++) {
			if (set)
				bp->b_data[in] = bytes[i];
			else
				bytes[i] = bp->b_data[in];
		}
		if (set)
			msdosfs_bc_dirty(pm, bp);
		msdosfs_bc_release(pm, bp);
	}
	return 0;
}

/* The raw value of FAT entry cl (28 bits for FAT32). */
int
msdosfs_fat_get(struct msdosfs_mount *pm, uint32_t cl, uint32_t *valp)
{
	uint8_t b[4];
	int n = pm->pm_fatbits == 32 ? 4 : 2, error;
	uint32_t v;

	if (cl > pm->pm_maxcl)
		return EIO;
	if ((error = msdosfs_fat_bytes(pm, msdosfs_fat_entoff(pm, cl), b, n,
	    0)) != 0)
		return error;
	if (pm->pm_fatbits == 12) {
		v = le16_get(b);
		v = (cl & 1) ? v >> 4 : v & 0xfff;
	} else if (pm->pm_fatbits == 16)
		v = le16_get(b);
	else
		v = le32_get(b) & FAT32_MASK;
	*valp = v;
	return 0;
}

/*
 * Set FAT entry cl to val.  FAT12 keeps the neighbour's nibble, FAT32
 * the reserved top 4 bits, as the spec asks.
 */
int
msdosfs_fat_set(struct msdosfs_mount *pm, uint32_t cl, uint32_t val)
{
	uint8_t b[4];
	uint64_t off = msdosfs_fat_entoff(pm, cl);
	int n = pm->pm_fatbits == 32 ? 4 : 2, error;
	uint32_t old;

	if (cl < FAT_FIRST_CLUSTER || cl > pm->pm_maxcl)
		return EIO;
	if ((error = msdosfs_fat_bytes(pm, off, b, n, 0)) != 0)
		return error;
	if (pm->pm_fatbits == 12) {
		old = le16_get(b);
		if (cl & 1)
			old = (old & 0x000f) | ((val & 0xfff) << 4);
		else
			old = (old & 0xf000) | (val & 0xfff);
		le16_put(b, (uint16_t)old);
	} else if (pm->pm_fatbits == 16)
		le16_put(b, (uint16_t)val);
	else
		le32_put(b, (le32_get(b) & ~FAT32_MASK) | (val & FAT32_MASK));
	if ((error = msdosfs_fat_bytes(pm, off, b, n, 1)) != 0)
		return error;
	pm->pm_fsinfodirty = 1;
	return 0;
}

/*
 * The cluster after cl in its chain: *nextp is the next cluster, or 0 at
 * the end of the chain.  EIO when the entry cannot be part of a chain
 * (free, reserved, bad, out of range).
 */
int
msdosfs_fat_next(struct msdosfs_mount *pm, uint32_t cl, uint32_t *nextp)
{
	uint32_t v;
	int error;

	if (!msdosfs_clvalid(pm, cl))
		return EIO;
	if ((error = msdosfs_fat_get(pm, cl, &v)) != 0)
		return error;
	if (v >= pm->pm_eocmin)
		*nextp = 0;
	else if (msdosfs_clvalid(pm, v))
		*nextp = v;
	else
		return EIO;
	return 0;
}

/*
 * Follow the chain from start to its end: *countp clusters, the last one
 * in *lastp.  EIO for a broken chain, or one longer than limit clusters
 * or than the volume has (a loop).
 */
int
msdosfs_chain_count(struct msdosfs_mount *pm, uint32_t start,
    uint32_t limit, uint32_t *countp, uint32_t *lastp)
{
	uint32_t cl = start, next, n = 1;
	int error;

	limit = MIN(limit, pm->pm_nclusters);
	if (!msdosfs_clvalid(pm, start))
		return EIO;
	for (;;) {
		if ((error = msdosfs_fat_next(pm, cl, &next)) != 0)
			return error;
		if (next == 0)
			break;
		if (++n > limit)
			return EIO;
		cl = next;
	}
	*countp = n;
	if (lastp != NULL)
		*lastp = cl;
	return 0;
}

/*
 * Map cluster index idx of node np's chain to a cluster number; *runp
 * (in: how many are wanted, at least 1) says how many consecutive
 * clusters from there belong to the chain in order.  The last position
 * is remembered, so sequential access walks the chain only once.  EIO if
 * the chain is broken or shorter than idx + 1.
 */
int
msdosfs_bmap(struct msdosfs_node *np, uint32_t idx, uint32_t *clp,
    uint32_t *runp)
{
	struct msdosfs_mount *pm = np->de_pm;
	uint32_t cl, i, next, n = 1, want = *runp;
	int error;

	if (!msdosfs_clvalid(pm, np->de_start) || idx >= pm->pm_nclusters)
		return EIO;
	if (np->de_bmcl != 0 && np->de_bmidx <= idx) {
		cl = np->de_bmcl;
		i = np->de_bmidx;
	} else {
		cl = np->de_start;
		i = 0;
	}
	for (; i < idx; i++) {
		if ((error = msdosfs_fat_next(pm, cl, &next)) != 0)
			return error;
		if (next == 0)
			return EIO;	/* chain shorter than the size says */
		cl = next;
	}
	*clp = cl;
	while (n < want && msdosfs_fat_next(pm, cl, &next) == 0 &&
	    next == cl + 1) {
		cl = next;
		n++;
	}
	np->de_bmidx = idx + n - 1;
	np->de_bmcl = cl;
	*runp = n;
	return 0;
}
