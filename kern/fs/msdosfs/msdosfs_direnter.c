/*
 * msdosfs_direnter.c: changing directories: adding an entry (with its
 * long-name slots), removing one, growing a directory by a cluster and
 * setting up a new directory's "." and "..".
 *
 * A new entry takes the first run of free slots long enough for it; a
 * run may go on past the end mark (everything after it is free), and
 * then the slot after the new entry becomes the end mark.  A directory
 * grows by zeroed clusters up to 2 MiB; the FAT12/16 root cannot grow
 * (ENOSPC).  Everything here runs under pm_lock, with the directory
 * locked exclusively by the VFS.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

/* Write the 32 bytes ent at dir offset off of dn. */
static int
msdosfs_dir_putslot(struct msdosfs_node *dn, uint32_t off,
    const uint8_t *ent)
{
	struct msdosfs_mount *pm = dn->de_pm;
	struct msdosfs_buf *bp;
	uint8_t *p;
	int error;

	if ((error = msdosfs_dir_slotget(dn, off, &bp, &p)) != 0)
		return error;
	memcpy(p, ent, DE_SIZE);
	msdosfs_bc_dirty(pm, bp);
	msdosfs_bc_release(pm, bp);
	return 0;
}

/* Set the first byte of the slot at dir offset off (free or end mark). */
static int
msdosfs_dir_markslot(struct msdosfs_node *dn, uint32_t off, uint8_t mark)
{
	struct msdosfs_mount *pm = dn->de_pm;
	struct msdosfs_buf *bp;
	uint8_t *p;
	int error;

	if ((error = msdosfs_dir_slotget(dn, off, &bp, &p)) != 0)
		return error;
	if (p[0] != mark) {
		p[0] = mark;
		msdosfs_bc_dirty(pm, bp);
	}
	msdosfs_bc_release(pm, bp);
	return 0;
}

/* The first byte of the slot at dir offset off. */
static int
msdosfs_dir_slotbyte(struct msdosfs_node *dn, uint32_t off, uint8_t *bytep)
{
	struct msdosfs_mount *pm = dn->de_pm;
	struct msdosfs_buf *bp;
	uint8_t *p;
	int error;

	if ((error = msdosfs_dir_slotget(dn, off, &bp, &p)) != 0)
		return error;
	*bytep = p[0];
	msdosfs_bc_release(pm, bp);
	return 0;
}

/*
 * Add a zeroed cluster to directory dn.  ENOSPC when the volume is full
 * or the directory already has its 2 MiB.
 */
static int
msdosfs_dir_grow(struct msdosfs_node *dn)
{
	struct msdosfs_mount *pm = dn->de_pm;
	struct msdosfs_buf *bp;
	uint32_t last, run = 1, cl, got, nsec = pm->pm_clsize >> pm->pm_secshift;
	uint64_t blk;
	int error;

	if (DE_FIXEDROOT(dn) ||
	    ((uint64_t)dn->de_ncl + 1) << pm->pm_clshift > DIR_MAXSIZE)
		return ENOSPC;
	if ((error = msdosfs_bmap(dn, dn->de_ncl - 1, &last, &run)) != 0 ||
	    (error = msdosfs_alloc(pm, last, 1, &cl, &got)) != 0)
		return error;
	if (got == 0)
		return ENOSPC;
	if ((error = msdosfs_fat_next(pm, last, &cl)) != 0)
		return error;
	blk = msdosfs_cl2off(pm, cl) >> pm->pm_secshift;
	for (uint32_t i = 0; i < nsec; i++) {
		if ((error = msdosfs_bc_zero(pm, blk + i, &bp)) != 0)
			return error;
		msdosfs_bc_release(pm, bp);
	}
	dn->de_ncl++;
	return 0;
}

/*
 * Find n consecutive free slots in dn, growing it if needed: the offset
 * of the first in *offp; *pastendp says whether the run reaches past the
 * end mark.
 */
static int
msdosfs_dir_findfree(struct msdosfs_node *dn, uint32_t n, uint32_t *offp,
    int *pastendp)
{
	uint32_t size, off, run = 0, start = 0;
	uint8_t b;
	int ended = 0, error;

	for (off = 0;; off += DE_SIZE) {
		size = msdosfs_dir_size(dn);
		if (off >= size && (error = msdosfs_dir_grow(dn)) != 0)
			return error;
		if (!ended) {
			if ((error = msdosfs_dir_slotbyte(dn, off, &b)) != 0)
				return error;
			ended = b == DE_END;
			if (b != DE_END && b != DE_DELETED) {
				run = 0;
				continue;
			}
		}
		if (run++ == 0)
			start = off;
		if (run == n)
			break;
	}
	*offp = start;
	*pastendp = ended;
	return 0;
}

/* Fill long-name slot number ord (1-based) of nslots for nn. */
static void
msdosfs_lfn_build(const struct msdosfs_newname *nn, int ord, int nslots,
    uint8_t cksum, uint8_t *p)
{
	static const uint8_t pos[LFN_CHARS] = { 1, 3, 5, 7, 9, 14, 16, 18,
	    20, 22, 24, 28, 30 };
	size_t idx;
	uint16_t c;

	memset(p, 0, DE_SIZE);
	p[LFN_ORD] = (uint8_t)(ord | (ord == nslots ? LFN_LAST : 0));
	p[LFN_ATTR] = ATTR_LFN;
	p[LFN_CKSUM] = cksum;
	for (int i = 0; i < LFN_CHARS; i++) {
		idx = (size_t)(ord - 1) * LFN_CHARS + (size_t)i;
		if (idx < nn->nn_ulen)
			c = nn->nn_u[idx];
		else
			c = idx == nn->nn_ulen ? 0x0000 : 0xffff;
		le16_put(p + pos[i], c);
	}
}

/*
 * Add an entry for nn to dn: choose its short name, find room, write the
 * long-name slots and the short entry (a copy of tmpl with the name and
 * case flags filled in).  de says where it went and what it holds (no
 * long name is copied there).
 */
int
msdosfs_dir_add(struct msdosfs_node *dn, struct msdosfs_newname *nn,
    const uint8_t *tmpl, struct msdosfs_dirent *de)
{
	uint8_t slot[DE_SIZE], cksum;
	uint32_t nlfn = 0, first = 0, off, i;
	int pastend = 0, error;

	if ((error = msdosfs_newname_pick(dn, nn)) != 0)
		return error;
	if (nn->nn_needlfn)
		nlfn = (uint32_t)((nn->nn_ulen + LFN_CHARS - 1) / LFN_CHARS);
	if ((error = msdosfs_dir_findfree(dn, nlfn + 1, &first,
	    &pastend)) != 0)
		return error;
	cksum = msdosfs_cksum(nn->nn_short);
	for (i = 0, off = first; i < nlfn; i++, off += DE_SIZE) {
		msdosfs_lfn_build(nn, (int)(nlfn - i), (int)nlfn, cksum, slot);
		if ((error = msdosfs_dir_putslot(dn, off, slot)) != 0)
			goto fail;
	}
	memcpy(slot, tmpl, DE_SIZE);
	memcpy(slot + DE_NAME, nn->nn_short, DE_NAMELEN);
	slot[DE_LCASE] = nn->nn_lcase;
	if ((error = msdosfs_dir_putslot(dn, off, slot)) != 0 ||
	    (error = msdosfs_dir_devoff(dn, off, &de->d_devoff)) != 0)
		goto fail;
	/* What followed the old end mark is garbage: end the directory. */
	if (pastend && off + DE_SIZE < msdosfs_dir_size(dn) &&
	    (error = msdosfs_dir_markslot(dn, off + DE_SIZE, DE_END)) != 0)
		goto fail;
	de->d_first = first;
	de->d_off = off;
	memcpy(de->d_ent, slot, DE_SIZE);
	de->d_lfnlen = 0;
	return 0;
fail:
	/* Free what was written (off is the slot that failed, or the last). */
	if (off > first)
		(void)msdosfs_dir_remove(dn, first, off - DE_SIZE);
	if (i == nlfn)
		(void)msdosfs_dir_markslot(dn, off, DE_DELETED);
	return error;
}

/* Free the slots of an entry: from its first slot to its short entry. */
int
msdosfs_dir_remove(struct msdosfs_node *dn, uint32_t first, uint32_t off)
{
	int error = 0, e;

	if (first > off || off - first > LFN_MAXSLOTS * DE_SIZE)
		return EIO;
	for (uint32_t o = first; o <= off; o += DE_SIZE)
		if ((e = msdosfs_dir_markslot(dn, o, DE_DELETED)) != 0 &&
		    error == 0)
			error = e;
	return error;
}

/*
 * A short entry template: blank name, attributes attr, first cluster
 * start, all times now.
 */
void
msdosfs_ent_template(const struct msdosfs_mount *pm, uint8_t *ent,
    uint8_t attr, uint32_t start, const struct ktimespec *now)
{
	uint16_t date, time;
	uint8_t cs;

	memset(ent, 0, DE_SIZE);
	memset(ent + DE_NAME, ' ', DE_NAMELEN);
	ent[DE_ATTR] = attr;
	msdosfs_time_unix2fat(pm, now, &date, &time, &cs);
	ent[DE_CTIME_CS] = cs;
	le16_put(ent + DE_CTIME, time);
	le16_put(ent + DE_CDATE, date);
	le16_put(ent + DE_ADATE, date);
	le16_put(ent + DE_MTIME, time);
	le16_put(ent + DE_MDATE, date);
	le16_put(ent + DE_STARTHI, (uint16_t)(start >> 16));
	le16_put(ent + DE_STARTLO, (uint16_t)start);
}

/*
 * Make cluster cl the first (and only) cluster of a new directory: all
 * zero but "." (cl) and ".." (parentcl, 0 for the root), with the times
 * and attributes of tmpl.
 */
int
msdosfs_dir_initnew(struct msdosfs_mount *pm, uint32_t cl, uint32_t parentcl,
    const uint8_t *tmpl)
{
	struct msdosfs_buf *bp;
	uint64_t blk = msdosfs_cl2off(pm, cl) >> pm->pm_secshift;
	uint32_t nsec = pm->pm_clsize >> pm->pm_secshift;
	uint8_t *p;
	int error;

	for (uint32_t i = nsec; i-- > 0;) {	/* sector 0 last: kept held */
		if ((error = msdosfs_bc_zero(pm, blk + i, &bp)) != 0)
			return error;
		if (i != 0)
			msdosfs_bc_release(pm, bp);
	}
	p = bp->b_data;
	memcpy(p, tmpl, DE_SIZE);
	memcpy(p + DE_NAME, ".          ", DE_NAMELEN);
	le16_put(p + DE_STARTHI, (uint16_t)(cl >> 16));
	le16_put(p + DE_STARTLO, (uint16_t)cl);
	memcpy(p + DE_SIZE, tmpl, DE_SIZE);
	memcpy(p + DE_SIZE + DE_NAME, "..         ", DE_NAMELEN);
	le16_put(p + DE_SIZE + DE_STARTHI, (uint16_t)(parentcl >> 16));
	le16_put(p + DE_SIZE + DE_STARTLO, (uint16_t)parentcl);
	msdosfs_bc_release(pm, bp);
	return 0;
}
