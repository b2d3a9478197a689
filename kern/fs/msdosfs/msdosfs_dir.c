/*
 * msdosfs_dir.c: reading directories: 32-byte slots, VFAT long-name
 * sequences, name lookup, emptiness and subdirectory counts.
 *
 * A directory is the FAT12/16 fixed root region, or a cluster chain whose
 * length was checked when its node was made (at most 2 MiB, no loop).  A
 * slot whose first byte is 0 ends the directory (what follows it on disk
 * is ignored); 0xe5 marks a free slot.  Long-name slots come before their
 * short entry, highest ordinal (flagged 0x40) first, each carrying the
 * short name's checksum.  A sequence with a bad ordinal, a broken order,
 * a wrong checksum or an impossible length is ignored and the short name
 * is used.  Volume labels are skipped.  Everything here runs under
 * pm_lock.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

/* Bytes a directory spans: its clusters, or the fixed root region. */
uint32_t
msdosfs_dir_size(const struct msdosfs_node *dn)
{
	if (DE_FIXEDROOT(dn))
		return dn->de_pm->pm_rootsize;
	return dn->de_ncl << dn->de_pm->pm_clshift;
}

/* Device offset of byte off of directory dn (EIO beyond its end). */
int
msdosfs_dir_devoff(struct msdosfs_node *dn, uint32_t off, uint64_t *devoffp)
{
	struct msdosfs_mount *pm = dn->de_pm;
	uint32_t cl, run = 1;
	int error;

	if (off >= msdosfs_dir_size(dn))
		return EIO;
	if (DE_FIXEDROOT(dn)) {
		*devoffp = pm->pm_rootoff + off;
		return 0;
	}
	if ((error = msdosfs_bmap(dn, off >> pm->pm_clshift, &cl, &run)) != 0)
		return error;
	*devoffp = msdosfs_cl2off(pm, cl) + (off & (pm->pm_clsize - 1));
	return 0;
}

/* The 32-byte entry at device offset devoff, in a held buffer. */
int
msdosfs_ent_get(struct msdosfs_mount *pm, uint64_t devoff,
    struct msdosfs_buf **bpp, uint8_t **entp)
{
	int error;

	if ((error = msdosfs_bc_read(pm, devoff >> pm->pm_secshift, 1,
	    bpp)) != 0)
		return error;
	*entp = (*bpp)->b_data + (devoff & (pm->pm_secsize - 1));
	return 0;
}

/* The 32-byte slot at byte off of directory dn, in a held buffer. */
int
msdosfs_dir_slotget(struct msdosfs_node *dn, uint32_t off,
    struct msdosfs_buf **bpp, uint8_t **entp)
{
	uint64_t devoff;
	int error;

	if ((error = msdosfs_dir_devoff(dn, off, &devoff)) != 0)
		return error;
	return msdosfs_ent_get(dn->de_pm, devoff, bpp, entp);
}

/* Long-name state while scanning. */
struct msdosfs_lfnstate {
	int		ls_n;		/* slots in the sequence, 0: none */
	int		ls_next;	/* ordinal expected next */
	uint8_t		ls_cksum;
	uint32_t	ls_first;	/* dir offset of its first slot */
};

/* Copy the 13 name characters of long-name slot p to u. */
static void
msdosfs_lfn_chars(const uint8_t *p, uint16_t *u)
{
	int i;

	for (i = 0; i < 5; i++)
		u[i] = le16_get(p + LFN_NAME1 + 2 * i);
	for (i = 0; i < 6; i++)
		u[5 + i] = le16_get(p + LFN_NAME2 + 2 * i);
	for (i = 0; i < 2; i++)
		u[11 + i] = le16_get(p + LFN_NAME3 + 2 * i);
}

/* Feed long-name slot p (at dir offset off) to the state machine. */
static void
msdosfs_lfn_slot(struct msdosfs_lfnstate *ls, struct msdosfs_dirent *de,
    const uint8_t *p, uint32_t off)
{
	int ord = p[LFN_ORD] & LFN_ORDMASK;

	if (p[LFN_TYPE] != 0 || ord < 1 || ord > LFN_MAXSLOTS) {
		ls->ls_n = 0;
		return;
	}
	if (p[LFN_ORD] & LFN_LAST) {
		ls->ls_n = ord;
		ls->ls_cksum = p[LFN_CKSUM];
		ls->ls_first = off;
	} else if (ls->ls_n == 0 || ord != ls->ls_next ||
	    p[LFN_CKSUM] != ls->ls_cksum) {
		ls->ls_n = 0;		/* out of order: forget it */
		return;
	}
	ls->ls_next = ord - 1;
	msdosfs_lfn_chars(p, de->d_lfn + (ord - 1) * LFN_CHARS);
}

/*
 * The long name of the short entry just found, if the sequence before it
 * is complete and belongs to it: its length in UTF-16 units, else 0.
 */
static uint32_t
msdosfs_lfn_finish(struct msdosfs_lfnstate *ls, struct msdosfs_dirent *de)
{
	uint32_t len, max;

	if (ls->ls_n == 0 || ls->ls_next != 0 ||
	    msdosfs_cksum(de->d_ent + DE_NAME) != ls->ls_cksum)
		return 0;
	max = (uint32_t)ls->ls_n * LFN_CHARS;
	for (len = 0; len < max && de->d_lfn[len] != 0; len++)
		if (de->d_lfn[len] == '/')
			return 0;
	if (len == 0 || len > LFN_MAXLEN || len <= max - LFN_CHARS)
		return 0;
	if ((len == 1 && de->d_lfn[0] == '.') ||
	    (len == 2 && de->d_lfn[0] == '.' && de->d_lfn[1] == '.'))
		return 0;
	return len;
}

/* msdosfs_dir_slot: the end mark was reached. */
#define MSDOSFS_SCAN_END	(-2)

/*
 * One slot p at dir offset off: MSDOSFS_SCAN_END at the end of the
 * directory, 0 to go on; a short entry goes to fn, whose result is
 * returned.
 */
static int
msdosfs_dir_slot(struct msdosfs_node *dn, struct msdosfs_lfnstate *ls,
    struct msdosfs_dirent *de, const uint8_t *p, uint32_t off,
    uint64_t devoff, msdosfs_scanfn fn, void *arg)
{
	uint8_t attr = p[DE_ATTR];

	if (p[0] == DE_END)
		return MSDOSFS_SCAN_END;
	if (p[0] == DE_DELETED) {
		ls->ls_n = 0;
		return 0;
	}
	if ((attr & ATTR_LFN_MASK) == ATTR_LFN) {
		msdosfs_lfn_slot(ls, de, p, off);
		return 0;
	}
	if (attr & ATTR_VOLUME) {
		ls->ls_n = 0;
		return 0;
	}
	memcpy(de->d_ent, p, DE_SIZE);
	de->d_off = off;
	de->d_devoff = devoff;
	de->d_lfnlen = msdosfs_lfn_finish(ls, de);
	de->d_first = de->d_lfnlen != 0 ? ls->ls_first : off;
	ls->ls_n = 0;
	return fn(de, arg);
}

/*
 * Call fn for each short entry of dn from dir offset start on (with its
 * long name when it has a valid one), until fn says stop or fails or the
 * directory ends.  *endp (if not NULL) gets the offset where the scan
 * ended: the end mark, the end of the directory, or the slot after the
 * entry fn stopped at.
 */
int
msdosfs_dir_scan(struct msdosfs_node *dn, uint32_t start, msdosfs_scanfn fn,
    void *arg, uint32_t *endp)
{
	struct msdosfs_mount *pm = dn->de_pm;
	struct msdosfs_lfnstate ls = { 0 };
	struct msdosfs_dirent *de;
	struct msdosfs_buf *bp;
	uint32_t size = msdosfs_dir_size(dn), off, in, ra;
	uint64_t devoff;
	int error = 0, r = 0;

	if ((de = kmem_alloc(sizeof(*de))) == NULL)
		return ENOMEM;
	off = start & ~(uint32_t)(DE_SIZE - 1);
	while (off < size && r == 0) {
		if ((error = msdosfs_dir_devoff(dn, off, &devoff)) != 0)
			break;
		/* Read ahead the rest of the cluster (or the root). */
		ra = DE_FIXEDROOT(dn) ? size - off :
		    pm->pm_clsize - (off & (pm->pm_clsize - 1));
		if ((error = msdosfs_bc_read(pm, devoff >> pm->pm_secshift,
		    ra >> pm->pm_secshift, &bp)) != 0)
			break;
		in = (uint32_t)(devoff & (pm->pm_secsize - 1));
		for (; in < pm->pm_secsize && off < size; in += DE_SIZE,
		    off += DE_SIZE, devoff += DE_SIZE) {
			r = msdosfs_dir_slot(dn, &ls, de, bp->b_data + in, off,
			    devoff, fn, arg);
			if (r != 0)
				break;
		}
		msdosfs_bc_release(pm, bp);
	}
	if (r == MSDOSFS_SCAN_STOP)
		off += DE_SIZE;
	else if (r > 0)
		error = r;	/* an errno from fn */
	if (endp != NULL)
		*endp = MIN(off, size);
	kmem_free(de);
	return error;
}

/* The name to look for, and where to put what matches it. */
struct msdosfs_findarg {
	struct msdosfs_mount	*fa_pm;
	uint16_t		fa_u[LFN_MAXLEN];
	size_t			fa_ulen;
	struct msdosfs_dirent	*fa_out;
};

/* Scan callback: does this entry's long or short name match? */
static int
msdosfs_find_fn(struct msdosfs_dirent *de, void *arg)
{
	struct msdosfs_findarg *fa = arg;
	uint16_t su[DE_NAMELEN + 1];
	size_t slen;

	if (msdosfs_isdotname(de->d_ent + DE_NAME))
		return 0;
	if (de->d_lfnlen != 0 &&
	    msdosfs_u16_eq(de->d_lfn, de->d_lfnlen, fa->fa_u, fa->fa_ulen))
		goto found;
	slen = msdosfs_short_to_u16(fa->fa_pm, de->d_ent + DE_NAME,
	    de->d_ent[DE_LCASE], su);
	if (msdosfs_short_ok(su, slen) &&
	    msdosfs_u16_eq(su, slen, fa->fa_u, fa->fa_ulen))
		goto found;
	return 0;
found:
	memcpy(fa->fa_out, de, sizeof(*de));
	return MSDOSFS_SCAN_STOP;
}

/*
 * Find name (len bytes, one component) in dn, ignoring ASCII case and
 * trailing dots, matching long or short names: ENOENT if absent.
 */
int
msdosfs_dir_find(struct msdosfs_node *dn, const char *name, size_t len,
    struct msdosfs_dirent *de)
{
	struct msdosfs_findarg *fa;
	int error;

	while (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0)
		return ENOENT;
	if ((fa = kmem_alloc(sizeof(*fa))) == NULL)
		return ENOMEM;
	fa->fa_pm = dn->de_pm;
	fa->fa_out = de;
	error = msdosfs_utf8_to_u16(name, len, fa->fa_u, &fa->fa_ulen, 0);
	if (error != 0) {
		error = error == ENAMETOOLONG ? ENAMETOOLONG : ENOENT;
		goto out;
	}
	de->d_off = UINT32_MAX;
	if ((error = msdosfs_dir_scan(dn, 0, msdosfs_find_fn, fa, NULL)) == 0 &&
	    de->d_off == UINT32_MAX)
		error = ENOENT;
out:
	kmem_free(fa);
	return error;
}

/* Scan callback: any entry but "." and ".." makes a directory non-empty. */
static int
msdosfs_empty_fn(struct msdosfs_dirent *de, void *arg)
{
	if (msdosfs_isdotname(de->d_ent + DE_NAME))
		return 0;
	*(int *)arg = 0;
	return MSDOSFS_SCAN_STOP;
}

/* Is directory dn empty (only "." and ".." in it)? */
int
msdosfs_dir_isempty(struct msdosfs_node *dn, int *emptyp)
{
	*emptyp = 1;
	return msdosfs_dir_scan(dn, 0, msdosfs_empty_fn, emptyp, NULL);
}

/* Scan callback: count subdirectories. */
static int
msdosfs_subdirs_fn(struct msdosfs_dirent *de, void *arg)
{
	if ((de->d_ent[DE_ATTR] & ATTR_DIR) &&
	    !msdosfs_isdotname(de->d_ent + DE_NAME))
		(*(uint32_t *)arg)++;
	return 0;
}

/* The number of subdirectories of dn (for its link count). */
int
msdosfs_dir_countsubdirs(struct msdosfs_node *dn, uint32_t *np)
{
	*np = 0;
	return msdosfs_dir_scan(dn, 0, msdosfs_subdirs_fn, np, NULL);
}
