/*
 * msdosfs_bcache.c: the cache of metadata sectors: FAT sectors, directory
 * sectors, FSInfo.  File data never comes here.
 *
 * Buffers are one sector each, found by sector number in a hash table and
 * kept in least-recently-used order.  Memory is bounded (bc_max buffers):
 * a miss reuses the least recently used buffer nobody holds, writing it
 * back first if it is dirty.  A caller holds a buffer (b_refs) only while
 * it works on it under pm_lock.  A miss reads ahead up to the number of
 * sectors the caller says are useful (the rest of a cluster, more of the
 * FAT) in one device read.
 *
 * Dirty FAT sectors are written to every FAT copy (only the active one
 * when FAT32 mirroring is off).  Everything here runs under pm_lock.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

/* Set up an empty cache sized for pm's sector size. */
int
msdosfs_bc_init(struct msdosfs_mount *pm)
{
	struct msdosfs_bcache *bc = &pm->pm_bc;
	uint32_t nhash = 1;

	bc->bc_max = MAX(MSDOSFS_CACHE_BYTES / pm->pm_secsize,
	    MSDOSFS_CACHE_MIN);
	while (nhash < bc->bc_max)
		nhash <<= 1;
	bc->bc_hash = kmem_alloc(nhash * sizeof(struct klist));
	bc->bc_rabuf = kmem_alloc(MAX(MSDOSFS_RA_BYTES, pm->pm_secsize));
	if (bc->bc_hash == NULL || bc->bc_rabuf == NULL) {
		kmem_free(bc->bc_hash);
		kmem_free(bc->bc_rabuf);
		bc->bc_hash = NULL;
		bc->bc_rabuf = NULL;
		return ENOMEM;
	}
	for (uint32_t i = 0; i < nhash; i++)
		klist_init(&bc->bc_hash[i]);
	bc->bc_hashmask = nhash - 1;
	klist_init(&bc->bc_lru);
	bc->bc_count = 0;
	return 0;
}

/* Free every buffer, dirty or not (after a flush, or on a failed mount). */
void
msdosfs_bc_fini(struct msdosfs_mount *pm)
{
	struct msdosfs_bcache *bc = &pm->pm_bc;
	struct klist *it, *tmp;

	if (bc->bc_hash == NULL)
		return;
	klist_foreach_safe(it, tmp, &bc->bc_lru) {
		klist_remove(it);
		kmem_free(klist_entry(it, struct msdosfs_buf, b_lru));
	}
	kmem_free(bc->bc_hash);
	kmem_free(bc->bc_rabuf);
	bc->bc_hash = NULL;
	bc->bc_rabuf = NULL;
	bc->bc_count = 0;
}

/* The cached buffer of sector blkno, or NULL. */
static struct msdosfs_buf *
msdosfs_bc_lookup(struct msdosfs_mount *pm, uint64_t blkno)
{
	struct msdosfs_bcache *bc = &pm->pm_bc;
	struct klist *head = &bc->bc_hash[blkno & bc->bc_hashmask], *it;
	struct msdosfs_buf *bp;

	klist_foreach(it, head) {
		bp = klist_entry(it, struct msdosfs_buf, b_hash);
		if (bp->b_blkno == blkno)
			return bp;
	}
	return NULL;
}

/* Is sector blkno part of the FAT we read? */
static int
msdosfs_bc_isfat(struct msdosfs_mount *pm, uint64_t blkno)
{
	uint64_t off = blkno << pm->pm_secshift;

	return off >= pm->pm_fatoff && off - pm->pm_fatoff < pm->pm_fatsize;
}

/* Write a dirty buffer back: to every FAT copy for a FAT sector. */
static int
msdosfs_bc_writeout(struct msdosfs_mount *pm, struct msdosfs_buf *bp)
{
	uint64_t off = bp->b_blkno << pm->pm_secshift, rel;
	int error = 0;

	if (!(bp->b_flags & B_FAT) || !pm->pm_fatmirror) {
		error = blkdev_write(pm->pm_dev, off, bp->b_data,
		    pm->pm_secsize);
	} else {
		rel = off - pm->pm_fatoff;
		for (uint32_t i = 0; i < pm->pm_nfats && error == 0; i++)
			error = blkdev_write(pm->pm_dev, pm->pm_fat0off +
			    i * pm->pm_fatsize + rel, bp->b_data,
			    pm->pm_secsize);
	}
	if (error == 0)
		bp->b_flags &= ~B_DIRTY;
	return error;
}

/*
 * A buffer for sector blkno, entered in the hash, not held, contents
 * undefined: a new one while under the bound, else the least recently
 * used one nobody holds (written back first when dirty).
 */
static int
msdosfs_bc_getbuf(struct msdosfs_mount *pm, uint64_t blkno,
    struct msdosfs_buf **bpp)
{
	struct msdosfs_bcache *bc = &pm->pm_bc;
	struct msdosfs_buf *bp = NULL;
	struct klist *it;
	int error;

	if (bc->bc_count >= bc->bc_max) {
		klist_foreach(it, &bc->bc_lru) {
			bp = klist_entry(it, struct msdosfs_buf, b_lru);
			if (bp->b_refs == 0)
				break;
			bp = NULL;
		}
	}
	if (bp != NULL) {
		if ((bp->b_flags & B_DIRTY) &&
		    (error = msdosfs_bc_writeout(pm, bp)) != 0)
			return error;
		klist_remove(&bp->b_hash);
		klist_remove(&bp->b_lru);
	} else {
		bp = kmem_alloc(sizeof(*bp) + pm->pm_secsize);
		if (bp == NULL)
			return ENOMEM;
		bp->b_data = (uint8_t *)(bp + 1);
		bc->bc_count++;
	}
	bp->b_blkno = blkno;
	bp->b_refs = 0;
	bp->b_flags = msdosfs_bc_isfat(pm, blkno) ? B_FAT : 0;
	klist_append(&bc->bc_hash[blkno & bc->bc_hashmask], &bp->b_hash);
	klist_append(&bc->bc_lru, &bp->b_lru);
	*bpp = bp;
	return 0;
}

/* Take a hold on bp and make it the most recently used. */
static void
msdosfs_bc_hold(struct msdosfs_mount *pm, struct msdosfs_buf *bp)
{
	bp->b_refs++;
	klist_remove(&bp->b_lru);
	klist_append(&pm->pm_bc.bc_lru, &bp->b_lru);
}

/* Forget a buffer that holds no valid data (a failed read). */
static void
msdosfs_bc_discard(struct msdosfs_mount *pm, struct msdosfs_buf *bp)
{
	klist_remove(&bp->b_hash);
	klist_remove(&bp->b_lru);
	pm->pm_bc.bc_count--;
	kmem_free(bp);
}

/*
 * Read sectors [blkno, blkno + n) into the staging buffer and enter those
 * not yet cached; the first one comes back held in *bpp.
 */
static int
msdosfs_bc_fill(struct msdosfs_mount *pm, uint64_t blkno, uint32_t n,
    struct msdosfs_buf **bpp)
{
	struct msdosfs_buf *bp, *first;
	uint8_t *src = pm->pm_bc.bc_rabuf;
	int error;

	error = blkdev_read(pm->pm_dev, blkno << pm->pm_secshift, src,
	    (size_t)n << pm->pm_secshift);
	if (error != 0 && n > 1) {	/* maybe only the read-ahead failed */
		n = 1;
		error = blkdev_read(pm->pm_dev, blkno << pm->pm_secshift, src,
		    pm->pm_secsize);
	}
	if (error != 0)
		return error;
	if ((error = msdosfs_bc_getbuf(pm, blkno, &first)) != 0)
		return error;
	memcpy(first->b_data, src, pm->pm_secsize);
	first->b_refs = 1;
	for (uint32_t i = 1; i < n; i++) {
		if (msdosfs_bc_lookup(pm, blkno + i) != NULL)
			continue;
		if (msdosfs_bc_getbuf(pm, blkno + i, &bp) != 0)
			break;		/* read-ahead is only an optimisation */
		memcpy(bp->b_data, src + ((size_t)i << pm->pm_secshift),
		    pm->pm_secsize);
	}
	*bpp = first;
	return 0;
}

/*
 * Sector blkno, held: from the cache, or read from the device with up to
 * ra sectors (including this one) of read-ahead.  Release with
 * msdosfs_bc_release.
 */
int
msdosfs_bc_read(struct msdosfs_mount *pm, uint64_t blkno, uint32_t ra,
    struct msdosfs_buf **bpp)
{
	struct msdosfs_buf *bp;
	uint32_t max = MSDOSFS_RA_BYTES >> pm->pm_secshift;

	if ((bp = msdosfs_bc_lookup(pm, blkno)) != NULL) {
		msdosfs_bc_hold(pm, bp);
		*bpp = bp;
		return 0;
	}
	ra = MIN(MAX(ra, 1), MAX(max, 1));
	return msdosfs_bc_fill(pm, blkno, ra, bpp);
}

/* Sector blkno, held, dirty and all zeros, without reading it. */
int
msdosfs_bc_zero(struct msdosfs_mount *pm, uint64_t blkno,
    struct msdosfs_buf **bpp)
{
	struct msdosfs_buf *bp;
	int error;

	if ((bp = msdosfs_bc_lookup(pm, blkno)) == NULL &&
	    (error = msdosfs_bc_getbuf(pm, blkno, &bp)) != 0)
		return error;
	msdosfs_bc_hold(pm, bp);
	memset(bp->b_data, 0, pm->pm_secsize);
	bp->b_flags |= B_DIRTY;
	*bpp = bp;
	return 0;
}

void
msdosfs_bc_release(struct msdosfs_mount *pm, struct msdosfs_buf *bp)
{
	KASSERT(bp->b_refs > 0);
	bp->b_refs--;
}

/* The holder changed bp: write it back some time. */
void
msdosfs_bc_dirty(struct msdosfs_mount *pm, struct msdosfs_buf *bp)
{
	bp->b_flags |= B_DIRTY;
}

/* Write back every dirty buffer; the first error is returned. */
int
msdosfs_bc_flush(struct msdosfs_mount *pm)
{
	struct klist *it;
	struct msdosfs_buf *bp;
	int error = 0, e;

	klist_foreach(it, &pm->pm_bc.bc_lru) {
		bp = klist_entry(it, struct msdosfs_buf, b_lru);
		if ((bp->b_flags & B_DIRTY) &&
		    (e = msdosfs_bc_writeout(pm, bp)) != 0 && error == 0)
			error = e;
	}
	return error;
}

/*
 * Sectors [blkno, blkno + count) no longer hold metadata (the clusters of
 * a removed directory were freed): drop them, dirty or not, so that a
 * later write-back cannot overwrite what the clusters hold next.
 */
void
msdosfs_bc_invalidate(struct msdosfs_mount *pm, uint64_t blkno,
    uint64_t count)
{
	struct msdosfs_buf *bp;

	for (uint64_t i = 0; i < count; i++) {
		if ((bp = msdosfs_bc_lookup(pm, blkno + i)) == NULL)
			continue;
		if (bp->b_refs == 0)
			msdosfs_bc_discard(pm, bp);
		else
			bp->b_flags &= ~B_DIRTY;
	}
}
