/*
 * msdosfs_readdir.c: getdents for msdosfs directories.
 *
 * Cookies are positions: 0 is ".", 1 is "..", and 2 + n is the n-th
 * 32-byte slot of the directory, where an entry (its first long-name
 * slot, or its short entry) starts.  They stay valid while entries come
 * and go, since entries never move.  The real "." and ".." entries of a
 * subdirectory are skipped (the first two cookies stand for them, the
 * root has none on disk).  A name is the long name when the entry has a
 * valid one that fits NAME_MAX bytes as UTF-8, else the short name; an
 * entry with neither usable is skipped.  d_ino is what stat says.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

#define MSDOSFS_COOKIE_SLOT0	2	/* cookie of the first slot */

struct msdosfs_rdarg {
	struct msdosfs_mount	*ra_pm;
	struct uio		*ra_uio;
	off_t			ra_cookie;	/* where to resume */
	int			ra_emitted;
	int			ra_full;	/* stopped: buffer full */
	char			ra_name[NAME_MAX + 1];
};

/* The name of entry de for getdents in ra_name: its length, 0 if none. */
static size_t
msdosfs_rd_name(struct msdosfs_rdarg *ra, const struct msdosfs_dirent *de)
{
	uint16_t su[DE_NAMELEN + 1];
	size_t len, slen;

	if (de->d_lfnlen != 0 && msdosfs_u16_to_utf8(de->d_lfn, de->d_lfnlen,
	    ra->ra_name, NAME_MAX, &len) == 0)
		return len;
	slen = msdosfs_short_to_u16(ra->ra_pm, de->d_ent + DE_NAME,
	    de->d_ent[DE_LCASE], su);
	if (!msdosfs_short_ok(su, slen) ||
	    msdosfs_u16_to_utf8(su, slen, ra->ra_name, NAME_MAX, &len) != 0)
		return 0;
	return len;
}

/* Scan callback: emit one entry; stop when the buffer is full. */
static int
msdosfs_rd_fn(struct msdosfs_dirent *de, void *arg)
{
	struct msdosfs_rdarg *ra = arg;
	off_t next = MSDOSFS_COOKIE_SLOT0 + de->d_off / DE_SIZE + 1;
	size_t len;
	uint8_t dt;

	if (msdosfs_isdotname(de->d_ent + DE_NAME) ||
	    (len = msdosfs_rd_name(ra, de)) == 0) {
		ra->ra_cookie = next;
		return 0;
	}
	dt = (de->d_ent[DE_ATTR] & ATTR_DIR) ? DT_DIR : DT_REG;
	if (dirent_emit(ra->ra_uio, de->d_devoff >> DE_SHIFT, next, dt,
	    ra->ra_name, len) != 0) {
		ra->ra_cookie = MSDOSFS_COOKIE_SLOT0 + de->d_first / DE_SIZE;
		ra->ra_full = 1;
		return MSDOSFS_SCAN_STOP;
	}
	ra->ra_emitted = 1;
	ra->ra_cookie = next;
	return 0;
}

/* Emit "." (cookie 0) and ".." (cookie 1) as needed; 1 when full. */
static int
msdosfs_rd_dots(struct msdosfs_node *dn, struct msdosfs_rdarg *ra)
{
	struct msdosfs_node *parent;
	ino_t pino;

	if (ra->ra_cookie == 0) {
		if (dirent_emit(ra->ra_uio, dn->de_ino, 1, DT_DIR, ".", 1))
			return 1;
		ra->ra_cookie = 1;
	}
	if (ra->ra_cookie == 1) {
		parent = dn->de_parent != NULL ? dn->de_parent : dn;
		pino = parent->de_ino;
		if (dirent_emit(ra->ra_uio, pino, 2, DT_DIR, "..", 2))
			return 1;
		ra->ra_cookie = 2;
	}
	return 0;
}

/* vop_readdir of a directory node (under pm_lock). */
int
msdosfs_readdir_locked(struct msdosfs_node *dn, struct uio *uio,
    off_t *cookiep)
{
	struct msdosfs_rdarg *ra;
	uint32_t start, end;
	int error = 0, full;

	if (*cookiep < 0)
		return EINVAL;
	if (dn->de_flags & DE_UNLINKED)
		return ENOENT;		/* as Linux for a removed directory */
	if ((ra = kmem_alloc(sizeof(*ra))) == NULL)
		return ENOMEM;
	ra->ra_pm = dn->de_pm;
	ra->ra_uio = uio;
	ra->ra_cookie = *cookiep;
	ra->ra_emitted = 0;
	ra->ra_full = 0;
	full = msdosfs_rd_dots(dn, ra);
	if (!full && (uint64_t)(ra->ra_cookie - MSDOSFS_COOKIE_SLOT0) *
	    DE_SIZE < msdosfs_dir_size(dn)) {
		start = (uint32_t)(ra->ra_cookie - MSDOSFS_COOKIE_SLOT0) *
		    DE_SIZE;
		error = msdosfs_dir_scan(dn, start, msdosfs_rd_fn, ra, &end);
		/* At the end mark: stay there, new entries will come here. */
		if (error == 0 && !ra->ra_full &&
		    ra->ra_cookie < MSDOSFS_COOKIE_SLOT0 +
		    (off_t)(end / DE_SIZE))
			ra->ra_cookie = MSDOSFS_COOKIE_SLOT0 + end / DE_SIZE;
	}
	*cookiep = ra->ra_cookie;
	kmem_free(ra);
	return error;
}
