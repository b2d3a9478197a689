/*
 * msdosfs_bpb.c: the boot sector (BIOS parameter block) and the FAT32
 * FSInfo sector.
 *
 * The boot sector comes from an image we do not trust, so every field is
 * checked against the spec (fatgen103) and against the others and the
 * device size before any of it is used; an impossible one is EINVAL.
 * The FAT type follows the spec's rule, the count of data clusters:
 * below 4085 FAT12, below 65525 FAT16.  A boot sector laid out for FAT32
 * (no 16-bit FAT size, no fixed root directory) is FAT32 whatever the
 * count, as Linux and dosfstools treat it (mkfs.fat makes such volumes).
 *
 * FSInfo's free count and next-free cluster are hints written for other
 * systems: we read only the next-free hint (range checked), count free
 * clusters ourselves, and write both back when the FAT changed.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

/* log2 of v if v is a power of two in [lo, hi], else -1. */
static int
msdosfs_log2(uint32_t v, uint32_t lo, uint32_t hi)
{
	int s = 0;

	if (v < lo || v > hi || (v & (v - 1)) != 0)
		return -1;
	while ((1u << s) != v)
		s++;
	return s;
}

/* The raw BPB fields we use, before they are trusted. */
struct msdosfs_bpb {
	uint32_t	b_secsize, b_spc, b_rsvd, b_nfats, b_rootent;
	uint64_t	b_totsec, b_fatsz;
	uint32_t	b_rootcl, b_extflags, b_fsver, b_fsinfo;
	int		b_fat32layout;
	uint8_t		b_media;
};

/* Pick the fields out of the boot sector bs; EINVAL for bad encodings. */
static int
msdosfs_bpb_fields(const uint8_t *bs, struct msdosfs_bpb *b)
{
	uint32_t tot16 = le16_get(bs + BPB_TOTSEC16);
	uint32_t fatsz16 = le16_get(bs + BPB_FATSZ16);

	b->b_secsize = le16_get(bs + BPB_BYTSPERSEC);
	b->b_spc = bs[BPB_SECPERCLUS];
	b->b_rsvd = le16_get(bs + BPB_RSVDSECCNT);
	b->b_nfats = bs[BPB_NUMFATS];
	b->b_rootent = le16_get(bs + BPB_ROOTENTCNT);
	b->b_media = bs[BPB_MEDIA];
	b->b_totsec = tot16 != 0 ? tot16 : le32_get(bs + BPB_TOTSEC32);
	b->b_fat32layout = fatsz16 == 0;
	if (b->b_fat32layout) {
		b->b_fatsz = le32_get(bs + BPB_FATSZ32);
		b->b_extflags = le16_get(bs + BPB_EXTFLAGS);
		b->b_fsver = le16_get(bs + BPB_FSVER);
		b->b_rootcl = le32_get(bs + BPB_ROOTCLUS);
		b->b_fsinfo = le16_get(bs + BPB_FSINFO);
	} else {
		b->b_fatsz = fatsz16;
		b->b_extflags = b->b_fsver = b->b_rootcl = b->b_fsinfo = 0;
	}
	/* The media byte: 0xf0 or 0xf8..0xff, as Linux insists. */
	if (b->b_media != 0xf0 && b->b_media < 0xf8)
		return EINVAL;
	if (b->b_rsvd < 1 || b->b_nfats < 1 || b->b_totsec == 0 ||
	    b->b_fatsz == 0)
		return EINVAL;
	/* FAT32 has no fixed root; FAT12/16 must have one. */
	if (b->b_fat32layout != (b->b_rootent == 0))
		return EINVAL;
	return 0;
}

/* Set the FAT type and its entry values from the cluster count. */
static int
msdosfs_bpb_type(struct msdosfs_mount *pm, const struct msdosfs_bpb *b)
{
	uint64_t entries;

	if (b->b_fat32layout) {
		if (pm->pm_nclusters > FAT32_MAXCLUSTERS)
			return EINVAL;
		pm->pm_fatbits = 32;
		pm->pm_eocmin = 0x0ffffff8u;
		pm->pm_badcl = FAT32_BAD;
	} else if (pm->pm_nclusters <= FAT12_MAXCLUSTERS) {
		pm->pm_fatbits = 12;
		pm->pm_eocmin = 0x0ff8u;
		pm->pm_badcl = FAT12_BAD;
	} else if (pm->pm_nclusters <= FAT16_MAXCLUSTERS) {
		pm->pm_fatbits = 16;
		pm->pm_eocmin = 0xfff8u;
		pm->pm_badcl = FAT16_BAD;
	} else
		return EINVAL;	/* too many clusters for a 16-bit FAT */
	/* The FAT must have an entry for every cluster (and the two first). */
	entries = b->b_fatsz * b->b_secsize * 8 / (uint64_t)pm->pm_fatbits;
	if (entries < (uint64_t)pm->pm_nclusters + 2)
		return EINVAL;
	return 0;
}

/* FAT32 extras: version, root cluster, mirroring, FSInfo position. */
static int
msdosfs_bpb_fat32(struct msdosfs_mount *pm, const struct msdosfs_bpb *b)
{
	uint32_t active;

	pm->pm_fatoff = pm->pm_fat0off;
	pm->pm_fatmirror = 1;
	pm->pm_rootcl = 0;
	pm->pm_fsinfosec = 0;
	if (pm->pm_fatbits != 32)
		return 0;
	if (b->b_fsver != 0)
		return EINVAL;		/* a version we do not know */
	if (!msdosfs_clvalid(pm, b->b_rootcl))
		return EINVAL;
	pm->pm_rootcl = b->b_rootcl;
	if (b->b_extflags & BPB_EXTFLAGS_NOMIRROR) {
		active = b->b_extflags & BPB_EXTFLAGS_ACTIVE;
		if (active >= b->b_nfats)
			return EINVAL;
		pm->pm_fatoff = pm->pm_fat0off + active * pm->pm_fatsize;
		pm->pm_fatmirror = 0;
	}
	/* FSInfo must be in the reserved area, after the boot sector. */
	if (b->b_fsinfo >= 1 && b->b_fsinfo < b->b_rsvd)
		pm->pm_fsinfosec = b->b_fsinfo;
	return 0;
}

/*
 * Check the boot sector bs (len bytes read from the start of a device of
 * devsize bytes) and fill in pm's geometry.  EINVAL for anything
 * impossible.
 */
int
msdosfs_bpb_parse(struct msdosfs_mount *pm, const uint8_t *bs, size_t len,
    uint64_t devsize)
{
	struct msdosfs_bpb b;
	uint64_t rootsecs, meta;
	int secshift, clshift, error;

	if (len < BPB_MINSIZE)
		return EINVAL;
	if ((error = msdosfs_bpb_fields(bs, &b)) != 0)
		return error;
	if ((secshift = msdosfs_log2(b.b_secsize, 512, 4096)) < 0 ||
	    msdosfs_log2(b.b_spc, 1, 128) < 0)
		return EINVAL;
	clshift = secshift + msdosfs_log2(b.b_spc, 1, 128);
	/* The root directory fills whole sectors. */
	if (((uint64_t)b.b_rootent * DE_SIZE) % b.b_secsize != 0)
		return EINVAL;
	rootsecs = (uint64_t)b.b_rootent * DE_SIZE / b.b_secsize;
	meta = b.b_rsvd + b.b_nfats * b.b_fatsz + rootsecs;
	if (b.b_totsec <= meta || b.b_totsec > devsize / b.b_secsize)
		return EINVAL;
	if ((b.b_totsec - meta) / b.b_spc < 1)
		return EINVAL;
	pm->pm_secsize = b.b_secsize;
	pm->pm_secshift = (uint32_t)secshift;
	pm->pm_clsize = 1u << clshift;
	pm->pm_clshift = (uint32_t)clshift;
	pm->pm_nfats = b.b_nfats;
	pm->pm_fat0off = (uint64_t)b.b_rsvd << secshift;
	pm->pm_fatsize = b.b_fatsz << secshift;
	pm->pm_rootoff = pm->pm_fat0off + b.b_nfats * pm->pm_fatsize;
	pm->pm_rootsize = (uint32_t)(rootsecs << secshift);
	pm->pm_dataoff = pm->pm_rootoff + pm->pm_rootsize;
	if ((b.b_totsec - meta) / b.b_spc > FAT32_MAXCLUSTERS + 1ULL)
		return EINVAL;
	pm->pm_nclusters = (uint32_t)((b.b_totsec - meta) / b.b_spc);
	pm->pm_maxcl = pm->pm_nclusters + 1;
	if ((error = msdosfs_bpb_type(pm, &b)) != 0)
		return error;
	return msdosfs_bpb_fat32(pm, &b);
}

/* Are the three FSInfo signatures in sector buffer p right? */
static int
msdosfs_fsinfo_ok(const uint8_t *p)
{
	return le32_get(p + FSI_LEADSIG_OFF) == FSI_LEADSIG &&
	    le32_get(p + FSI_STRUCSIG_OFF) == FSI_STRUCSIG &&
	    le32_get(p + FSI_TRAILSIG_OFF) == FSI_TRAILSIG;
}

/*
 * At mount: read FSInfo and take its next-free hint if it is a valid
 * cluster.  A sector with bad signatures is not FSInfo: we forget it and
 * never write there.  [m]
 */
void
msdosfs_fsinfo_read(struct msdosfs_mount *pm)
{
	struct msdosfs_buf *bp;
	uint32_t nxt;

	pm->pm_nxtfree = 1;	/* search from cluster 2 */
	if (pm->pm_fsinfosec == 0)
		return;
	if (msdosfs_bc_read(pm, pm->pm_fsinfosec, 1, &bp) != 0) {
		pm->pm_fsinfosec = 0;
		return;
	}
	if (!msdosfs_fsinfo_ok(bp->b_data))
		pm->pm_fsinfosec = 0;
	else {
		nxt = le32_get(bp->b_data + FSI_NXTFREE_OFF);
		if (msdosfs_clvalid(pm, nxt))
			pm->pm_nxtfree = nxt;
	}
	msdosfs_bc_release(pm, bp);
}

/*
 * Write the exact free count and the last allocated cluster to FSInfo
 * when the FAT changed since it was last written.  [m]
 */
int
msdosfs_fsinfo_write(struct msdosfs_mount *pm)
{
	struct msdosfs_buf *bp;
	uint32_t nfree;
	int error;

	if (pm->pm_fsinfosec == 0 || !pm->pm_fsinfodirty)
		return 0;
	if ((error = msdosfs_freecount(pm, &nfree)) != 0)
		return error;
	if ((error = msdosfs_bc_read(pm, pm->pm_fsinfosec, 1, &bp)) != 0)
		return error;
	if (msdosfs_fsinfo_ok(bp->b_data)) {
		le32_put(bp->b_data + FSI_FREECOUNT_OFF, nfree);
		le32_put(bp->b_data + FSI_NXTFREE_OFF,
		    msdosfs_clvalid(pm, pm->pm_nxtfree) ? pm->pm_nxtfree :
		    FSI_UNKNOWN);
		msdosfs_bc_dirty(pm, bp);
	}
	msdosfs_bc_release(pm, bp);
	pm->pm_fsinfodirty = 0;
	return 0;
}
