/*
 * msdosfs_alloc.c: allocating and freeing clusters, and counting the
 * free ones.
 *
 * Allocation searches the FAT for free entries starting after the last
 * cluster allocated (pm_nxtfree, first taken from FSInfo's hint), or
 * right after the end of the chain being extended, so files come out
 * contiguous when the volume allows.  Every search is bounded by the
 * number of clusters.  The free count is computed by reading the whole
 * FAT the first time someone needs it (statfs, FSInfo) and then kept up
 * to date.  Everything here runs under pm_lock.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

/* The end-of-chain value we write. */
static uint32_t
msdosfs_eoc(const struct msdosfs_mount *pm)
{
	switch (pm->pm_fatbits) {
	case 12:
		return FAT12_EOC;
	case 16:
		return FAT16_EOC;
	default:
		return FAT32_EOC;
	}
}

/*
 * The first free cluster from cl on, wrapping around; *budget bounds the
 * entries looked at.  ENOSPC when none is found.
 */
static int
msdosfs_alloc_find(struct msdosfs_mount *pm, uint32_t cl, uint32_t *budget,
    uint32_t *clp)
{
	uint32_t v;
	int error;

	if (!msdosfs_clvalid(pm, cl))
		cl = FAT_FIRST_CLUSTER;
	while (*budget > 0) {
		(*budget)--;
		if ((error = msdosfs_fat_get(pm, cl, &v)) != 0)
			return error;
		if (v == FAT_FREE) {
			*clp = cl;
			return 0;
		}
		cl = cl == pm->pm_maxcl ? FAT_FIRST_CLUSTER : cl + 1;
	}
	return ENOSPC;
}

/*
 * Allocate up to n clusters as a chain after cluster prev (the end of an
 * existing chain, or 0 for a new chain, whose first cluster goes to
 * *firstp).  *gotp says how many were allocated: fewer than n only when
 * the volume is full.  On an I/O error nothing stays allocated and prev
 * ends its chain again.
 */
int
msdosfs_alloc(struct msdosfs_mount *pm, uint32_t prev, uint32_t n,
    uint32_t *firstp, uint32_t *gotp)
{
	uint32_t budget = pm->pm_nclusters, last = prev, first = 0, cl = 0, got;
	int error = 0;

	for (got = 0; got < n; got++) {
		if (pm->pm_freevalid && pm->pm_freecount == 0)
			break;
		error = msdosfs_alloc_find(pm, (last != 0 ? last :
		    pm->pm_nxtfree) + 1, &budget, &cl);
		if (error == ENOSPC) {
			error = 0;
			break;
		}
		if (error != 0 ||
		    (error = msdosfs_fat_set(pm, cl, msdosfs_eoc(pm))) != 0)
			break;
		if (last != 0 && (error = msdosfs_fat_set(pm, last, cl)) != 0) {
			(void)msdosfs_fat_set(pm, cl, FAT_FREE);
			break;
		}
		if (first == 0)
			first = cl;
		last = cl;
		pm->pm_nxtfree = cl;
		if (pm->pm_freevalid)
			pm->pm_freecount--;
	}
	if (error != 0) {
		if (first != 0)
			(void)msdosfs_freechain(pm, first, 0);
		if (prev != 0)
			(void)msdosfs_fat_set(pm, prev, msdosfs_eoc(pm));
		return error;
	}
	if (prev == 0)
		*firstp = first;
	*gotp = got;
	return 0;
}

/*
 * Free the chain that starts at start.  For a directory the cached
 * sectors of its clusters are dropped too.  EIO when the chain turns out
 * to be broken (what was freed up to there stays free), or loops.
 */
int
msdosfs_freechain(struct msdosfs_mount *pm, uint32_t start, int isdir)
{
	uint32_t cl = start, next, n = 0;
	int error;

	while (cl != 0) {
		if (++n > pm->pm_nclusters)
			return EIO;
		if ((error = msdosfs_fat_next(pm, cl, &next)) != 0)
			return error;
		if ((error = msdosfs_fat_set(pm, cl, FAT_FREE)) != 0)
			return error;
		if (pm->pm_freevalid)
			pm->pm_freecount++;
		if (isdir)
			msdosfs_bc_invalidate(pm, msdosfs_cl2off(pm, cl) >>
			    pm->pm_secshift, pm->pm_clsize >> pm->pm_secshift);
		cl = next;
	}
	return 0;
}

/*
 * Count the free entries of a FAT16/32 a sector at a time (a big FAT has
 * millions of entries).
 */
static int
msdosfs_freecount_wide(struct msdosfs_mount *pm, uint32_t *np)
{
	uint32_t esize = pm->pm_fatbits / 8, per = pm->pm_secsize / esize;
	uint32_t cl = 0, n = 0, i, v;
	uint64_t blk = pm->pm_fatoff >> pm->pm_secshift;
	uint64_t end = (pm->pm_fatoff + pm->pm_fatsize) >> pm->pm_secshift;
	struct msdosfs_buf *bp;
	int error;

	for (; cl <= pm->pm_maxcl && blk < end; blk++) {
		/* Read ahead within the FAT only. */
		if ((error = msdosfs_bc_read(pm, blk,
		    (uint32_t)MIN(end - blk, 64), &bp)) != 0)
			return error;
		for (i = 0; i < per && cl <= pm->pm_maxcl; i++, cl++) {
			v = esize == 2 ? le16_get(bp->b_data + i * 2) :
			    le32_get(bp->b_data + i * 4) & FAT32_MASK;
			if (v == FAT_FREE && cl >= FAT_FIRST_CLUSTER)
				n++;
		}
		msdosfs_bc_release(pm, bp);
	}
	*np = n;
	return 0;
}

/*
 * Free clusters on the volume: counted from the FAT the first time, then
 * kept by alloc/free.
 */
int
msdosfs_freecount(struct msdosfs_mount *pm, uint32_t *freep)
{
	uint32_t v, n = 0;
	int error;

	if (!pm->pm_freevalid) {
		if (pm->pm_fatbits != 12) {
			if ((error = msdosfs_freecount_wide(pm, &n)) != 0)
				return error;
		} else {
			for (uint32_t cl = FAT_FIRST_CLUSTER;
			    cl <= pm->pm_maxcl; cl++) {
				if ((error = msdosfs_fat_get(pm, cl, &v)) != 0)
					return error;
				if (v == FAT_FREE)
					n++;
			}
		}
		pm->pm_freecount = n;
		pm->pm_freevalid = 1;
	}
	*freep = pm->pm_freecount;
	return 0;
}
