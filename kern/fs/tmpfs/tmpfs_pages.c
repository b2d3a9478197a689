/*
 * tmpfs_pages.c: the data of regular files: 4 KiB pages in a radix tree
 * indexed by page number, so holes cost nothing and read as zeros.
 *
 * A tree of height h has 512-way interior nodes on h levels; the nodes of
 * the lowest level point at pages.  It grows at the top as the file does
 * (height 1 covers 2 MiB, 4 covers more than TMPFS_MAXFILESIZE) and
 * shrinks again on truncation.  Invariant: bytes of a page beyond the end
 * of the file are zero, so extending a file never reveals old data.
 *
 * The caller holds the vnode lock: shared for read and seekdata,
 * exclusive for write and truncate.  Pages are charged to the mount
 * (tm_lock) as they are allocated.
 */
#include "kern.h"
#include "fs/tmpfs/tmpfs_node.h"

struct tmpfs_rnode {
	void *tr_slots[TMPFS_RADIX_SLOTS];
};

#define RADIX_SLOT(idx, level) \
	(((idx) >> (TMPFS_RADIX_SHIFT * ((level) - 1))) & \
	    (TMPFS_RADIX_SLOTS - 1))
/* Pages covered by one child of a node on level (1 at the bottom). */
#define RADIX_SPAN(level) (1ULL << (TMPFS_RADIX_SHIFT * ((level) - 1)))
/* Pages covered by a tree of height h. */
#define RADIX_CAP(h)	(1ULL << (TMPFS_RADIX_SHIFT * (h)))

/* The page holding page index idx, or NULL for a hole. */
static inline char *
tmpfs_page_find(const struct tmpfs_reg *r, uint64_t idx)
{
	void *p = r->tr_root;
	int h = r->tr_height;

	if (h == 0 || idx >= RADIX_CAP(h))
		return NULL;
	for (; h > 0 && p != NULL; h--)
		p = ((struct tmpfs_rnode *)p)->tr_slots[RADIX_SLOT(idx, h)];
	return p;
}

/* Add levels at the top until page index idx fits in the tree. */
static int
tmpfs_radix_grow(struct tmpfs_reg *r, uint64_t idx)
{
	struct tmpfs_rnode *rn;

	while (r->tr_height == 0 || idx >= RADIX_CAP(r->tr_height)) {
		KASSERT(r->tr_height < TMPFS_RADIX_MAXHEIGHT);
		if ((rn = kmem_zalloc(sizeof(*rn))) == NULL)
			return ENOMEM;
		rn->tr_slots[0] = r->tr_root;
		r->tr_root = rn;
		r->tr_height++;
	}
	return 0;
}

/*
 * The page at index idx, allocated (zeroed) and charged to the mount if
 * it was a hole.  ENOSPC at the mount's size limit, ENOMEM.
 */
static int
tmpfs_page_get(struct tmpfs_node *tn, uint64_t idx, char **pagep)
{
	struct tmpfs_reg *r = &tn->tn_u.reg;
	void **slot;
	int level, error;

	if ((*pagep = tmpfs_page_find(r, idx)) != NULL)
		return 0;
	if ((error = tmpfs_radix_grow(r, idx)) != 0)
		return error;
	slot = &r->tr_root;
	for (level = r->tr_height; level > 0; level--) {
		if (*slot == NULL && level < r->tr_height) {
			if ((*slot = kmem_zalloc(sizeof(struct tmpfs_rnode)))
			    == NULL)
				return ENOMEM;
		}
		slot = &((struct tmpfs_rnode *)*slot)->tr_slots[
		    RADIX_SLOT(idx, level)];
	}
	if ((error = tmpfs_pages_charge(tn->tn_tmp, 1)) != 0)
		return error;
	if ((*slot = kmem_zalloc(TMPFS_PAGE_SIZE)) == NULL) {
		tmpfs_pages_uncharge(tn->tn_tmp, 1);
		return ENOMEM;
	}
	r->tr_npages++;
	*pagep = *slot;
	return 0;
}

/*
 * Free every page with index >= from below the node *slotp on level
 * (covering indices from base); frees the node too when that leaves it
 * empty and returns 1 then.  *nfreed counts the pages freed.
 */
static int
tmpfs_radix_trunc(void **slotp, int level, uint64_t base, uint64_t from,
    uint64_t *nfreed)
{
	struct tmpfs_rnode *rn = *slotp;
	uint64_t span = RADIX_SPAN(level), cbase;
	int empty = 1;
	size_t i;

	for (i = 0; i < TMPFS_RADIX_SLOTS; i++) {
		if (rn->tr_slots[i] == NULL)
			continue;
		cbase = base + i * span;
		if (cbase + span <= from)
			empty = 0;		/* entirely kept */
		else if (level == 1) {
			kmem_free(rn->tr_slots[i]);
			rn->tr_slots[i] = NULL;
			(*nfreed)++;
		} else if (!tmpfs_radix_trunc(&rn->tr_slots[i], level - 1,
		    cbase, from, nfreed))
			empty = 0;
	}
	if (!empty)
		return 0;
	kmem_free(rn);
	*slotp = NULL;
	return 1;
}

/* Free the pages from page index from on and shrink the tree. */
static void
tmpfs_reg_freefrom(struct tmpfs_node *tn, uint64_t from)
{
	struct tmpfs_reg *r = &tn->tn_u.reg;
	struct tmpfs_rnode *rn;
	uint64_t nfreed = 0;
	size_t i;

	if (r->tr_height == 0)
		return;
	if (tmpfs_radix_trunc(&r->tr_root, r->tr_height, 0, from, &nfreed))
		r->tr_height = 0;
	/* Drop top levels that only have a first child. */
	while (r->tr_height > 1) {
		rn = r->tr_root;
		for (i = 1; i < TMPFS_RADIX_SLOTS; i++)
			if (rn->tr_slots[i] != NULL)
				break;
		if (i < TMPFS_RADIX_SLOTS)
			break;
		r->tr_root = rn->tr_slots[0];
		kmem_free(rn);
		r->tr_height--;
		if (r->tr_root == NULL)
			r->tr_height = 0;
	}
	if (nfreed > 0) {
		KASSERT(r->tr_npages >= nfreed);
		r->tr_npages -= nfreed;
		tmpfs_pages_uncharge(tn->tn_tmp, nfreed);
	}
}

/* Free all of a file's pages (the node is going away). */
void
tmpfs_reg_free(struct tmpfs_node *tn)
{
	tmpfs_reg_freefrom(tn, 0);
	KASSERT(tn->tn_u.reg.tr_npages == 0);
}

/* Read from uio_offset up to the end of the file; holes read as zeros. */
int
tmpfs_reg_read(struct tmpfs_node *tn, struct uio *uio)
{
	const struct tmpfs_reg *r = &tn->tn_u.reg;
	uint64_t off, n;
	char *page;
	int error = 0;

	if (uio->uio_offset < 0)
		return EINVAL;
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < tn->tn_size) {
		off = (uint64_t)uio->uio_offset;
		n = MIN(TMPFS_PAGE_SIZE - (off & TMPFS_PAGE_MASK),
		    tn->tn_size - off);
		n = MIN(n, uio->uio_resid);
		page = tmpfs_page_find(r, off >> TMPFS_PAGE_SHIFT);
		if (page != NULL)
			error = uiomove(page + (off & TMPFS_PAGE_MASK), n, uio);
		else
			error = uiozero(n, uio);
		if (error != 0)
			break;
	}
	return error;
}

/*
 * Write uio at uio_offset (at the end with IO_APPEND), allocating pages
 * for holes.  Like Linux, a write that runs into the size limit (or the
 * maximum file size) writes what fits and returns a short count through
 * uio_resid; only when nothing at all fits is it ENOSPC (EFBIG).
 */
int
tmpfs_reg_write(struct tmpfs_node *tn, struct uio *uio, int ioflag)
{
	uint64_t off, end, n;
	size_t start = uio->uio_resid;
	char *page;
	int error = 0;

	if (ioflag & IO_APPEND)
		uio->uio_offset = (off_t)tn->tn_size;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;
	if ((uint64_t)uio->uio_offset >= TMPFS_MAXFILESIZE)
		return EFBIG;
	end = MIN((uint64_t)uio->uio_offset + uio->uio_resid,
	    TMPFS_MAXFILESIZE);
	while ((uint64_t)uio->uio_offset < end) {
		off = (uint64_t)uio->uio_offset;
		n = MIN(TMPFS_PAGE_SIZE - (off & TMPFS_PAGE_MASK), end - off);
		error = tmpfs_page_get(tn, off >> TMPFS_PAGE_SHIFT, &page);
		if (error == 0)
			error = uiomove(page + (off & TMPFS_PAGE_MASK), n, uio);
		if ((uint64_t)uio->uio_offset > tn->tn_size)
			tn->tn_size = (uint64_t)uio->uio_offset;
		if (error != 0)
			break;
	}
	if (uio->uio_resid < start)
		error = 0;		/* a short write */
	return error;
}

/*
 * Set the file's size: growing leaves a hole, shrinking frees the pages
 * past the end and zeroes the rest of the last partial page.
 */
int
tmpfs_reg_truncate(struct tmpfs_node *tn, uint64_t size)
{
	char *page;
	uint64_t tail;

	if (size > TMPFS_MAXFILESIZE)
		return EFBIG;
	if (size < tn->tn_size) {
		tmpfs_reg_freefrom(tn, (size + TMPFS_PAGE_MASK) >>
		    TMPFS_PAGE_SHIFT);
		tail = size & TMPFS_PAGE_MASK;
		page = tmpfs_page_find(&tn->tn_u.reg, size >> TMPFS_PAGE_SHIFT);
		if (tail != 0 && page != NULL)
			memset(page + tail, 0, TMPFS_PAGE_SIZE - tail);
	}
	tn->tn_size = size;
	return 0;
}

/*
 * First page index >= from (from >= base) below the node on level that
 * is present (present != 0) or a hole; 1 and *res when there is one.
 */
static int
tmpfs_radix_next(const struct tmpfs_rnode *rn, int level, uint64_t base,
    uint64_t from, int present, uint64_t *res)
{
	uint64_t span = RADIX_SPAN(level), cbase;
	size_t i;

	for (i = (size_t)((from - base) / span); i < TMPFS_RADIX_SLOTS; i++) {
		cbase = base + i * span;
		if (rn->tr_slots[i] == NULL) {
			if (!present) {
				*res = MAX(from, cbase);
				return 1;
			}
		} else if (level == 1) {
			if (present) {
				*res = cbase;
				return 1;
			}
		} else if (tmpfs_radix_next(rn->tr_slots[i], level - 1, cbase,
		    MAX(from, cbase), present, res))
			return 1;
	}
	return 0;
}

/*
 * lseek SEEK_DATA/SEEK_HOLE at page granularity.  The end of the file
 * counts as a hole; ENXIO when off is negative or at/after the end, or
 * when no data follows off.
 */
int
tmpfs_reg_seekdata(struct tmpfs_node *tn, off_t off, int whence, off_t *res)
{
	const struct tmpfs_reg *r = &tn->tn_u.reg;
	uint64_t idx, found;
	int got;

	if (whence != SEEK_DATA && whence != SEEK_HOLE)
		return EINVAL;
	if (off < 0 || (uint64_t)off >= tn->tn_size)
		return ENXIO;
	idx = (uint64_t)off >> TMPFS_PAGE_SHIFT;
	if (r->tr_height == 0 || idx >= RADIX_CAP(r->tr_height))
		got = 0;
	else
		got = tmpfs_radix_next(r->tr_root, r->tr_height, 0, idx,
		    whence == SEEK_DATA, &found);
	if (whence == SEEK_DATA) {
		if (!got || (found << TMPFS_PAGE_SHIFT) >= tn->tn_size)
			return ENXIO;
		*res = MAX(off, (off_t)(found << TMPFS_PAGE_SHIFT));
		return 0;
	}
	if (!got)
		found = (r->tr_height == 0 || idx >= RADIX_CAP(r->tr_height)) ?
		    idx : RADIX_CAP(r->tr_height);
	*res = (off_t)MIN(MAX((uint64_t)off, found << TMPFS_PAGE_SHIFT),
	    tn->tn_size);
	return 0;
}
