/*
 * tmpfs_dir.c: directories: names in a resizing hash table for O(1)
 * lookups, and the same entries in an array sorted by cookie for readdir.
 *
 * Every entry gets a cookie from a per-directory counter when it is added
 * (".", ".." are 0 and 1; entries start at 2) and keeps it: a getdents64
 * that resumes at cookie c continues with the first entry whose cookie is
 * >= c, found by binary search, so entries present throughout a listing
 * are never skipped or repeated, however many come and go in between.
 * Removal leaves a tombstone in the array; tombstones are squeezed out
 * when they make up half of it.
 *
 * All of a directory's state is protected by its vnode lock (the VFS holds
 * it shared for lookup/readdir, exclusive for changes), except td_parent
 * and td_removed, which are under the mount's tm_lock (rename changes them
 * while holding the locks of the parents, not of the directory itself).
 */
#include "kern.h"
#include "fs/tmpfs/tmpfs_node.h"

#define TMPFS_HASH_MIN	8		/* smallest table, power of 2 */
#define TMPFS_ORDER_MIN	8		/* smallest order array */
#define TMPFS_TOMB_MIN	32		/* compact only beyond this */

/* Set up dn as an empty directory whose ".." is parent. */
void
tmpfs_dir_init(struct tmpfs_node *dn, struct tmpfs_node *parent)
{
	struct tmpfs_dir *d = &dn->tn_u.dir;

	memset(d, 0, sizeof(*d));
	d->td_nextcookie = 2;
	d->td_parent = parent;
	dn->tn_size = 2 * TMPFS_DIRENT_SIZE;
}

/*
 * Free a directory's tables and any entries left (unmount), leaving it
 * empty; td_parent and td_removed stay as they are.
 */
void
tmpfs_dir_fini(struct tmpfs_node *dn)
{
	struct tmpfs_dir *d = &dn->tn_u.dir;
	size_t i;

	for (i = 0; i < d->td_olen; i++)
		if (d->td_order[i].ts_de != NULL)
			tmpfs_dirent_free(d->td_order[i].ts_de);
	kmem_free(d->td_order);
	kmem_free(d->td_buckets);
	d->td_order = NULL;
	d->td_buckets = NULL;
	d->td_olen = d->td_ocap = d->td_ntomb = 0;
	d->td_nbuckets = d->td_count = 0;
}

/* Find name in dn; NULL when absent. */
struct tmpfs_dirent *
tmpfs_dir_lookup(struct tmpfs_node *dn, const char *name, size_t len)
{
	struct tmpfs_dir *d = &dn->tn_u.dir;
	struct tmpfs_dirent *de;
	uint32_t h;

	if (d->td_buckets == NULL)
		return NULL;
	h = khash(name, len);
	for (de = d->td_buckets[h & (d->td_nbuckets - 1)]; de != NULL;
	    de = de->td_hnext)
		if (de->td_hash == h && de->td_namelen == len &&
		    memcmp(de->td_name, name, len) == 0)
			return de;
	return NULL;
}

/* Allocate an entry for name (len <= NAME_MAX), not yet in a directory. */
int
tmpfs_dirent_alloc(const char *name, size_t len, struct tmpfs_dirent **dep)
{
	struct tmpfs_dirent *de;

	KASSERT(len > 0 && len <= NAME_MAX);
	if ((de = kmem_alloc(sizeof(*de) + len + 1)) == NULL)
		return ENOMEM;
	memset(de, 0, sizeof(*de));
	memcpy(de->td_name, name, len);
	de->td_name[len] = '\0';
	de->td_namelen = (uint16_t)len;
	de->td_hash = khash(name, len);
	*dep = de;
	return 0;
}

void
tmpfs_dirent_free(struct tmpfs_dirent *de)
{
	kmem_free(de);
}

/* Rebuild the hash table with n buckets; keeps the old one on ENOMEM. */
static int
tmpfs_dir_rehash(struct tmpfs_dir *d, size_t n)
{
	struct tmpfs_dirent **nb, *de, *next;
	size_t i;

	if ((nb = kmem_zalloc(n * sizeof(*nb))) == NULL)
		return ENOMEM;
	for (i = 0; i < d->td_nbuckets; i++) {
		for (de = d->td_buckets[i]; de != NULL; de = next) {
			next = de->td_hnext;
			de->td_hnext = nb[de->td_hash & (n - 1)];
			nb[de->td_hash & (n - 1)] = de;
		}
	}
	kmem_free(d->td_buckets);
	d->td_buckets = nb;
	d->td_nbuckets = n;
	return 0;
}

/* Squeeze the tombstones out of the order array. */
static void
tmpfs_dir_compact(struct tmpfs_dir *d)
{
	size_t i, j = 0;

	for (i = 0; i < d->td_olen; i++) {
		if (d->td_order[i].ts_de == NULL)
			continue;
		d->td_order[j] = d->td_order[i];
		d->td_order[j].ts_de->td_slot = j;
		j++;
	}
	d->td_olen = j;
	d->td_ntomb = 0;
}

/*
 * Make sure one more entry can be attached to dn without allocating, so
 * that the caller can fail before it changes anything.  ENOMEM.
 */
int
tmpfs_dir_reserve(struct tmpfs_node *dn)
{
	struct tmpfs_dir *d = &dn->tn_u.dir;
	struct tmpfs_slot *no;
	size_t ncap;

	if (d->td_buckets == NULL &&
	    tmpfs_dir_rehash(d, TMPFS_HASH_MIN) != 0)
		return ENOMEM;
	if (d->td_olen < d->td_ocap)
		return 0;
	if (d->td_ntomb > 0 && d->td_ntomb * 2 >= d->td_olen) {
		tmpfs_dir_compact(d);
		return 0;
	}
	ncap = d->td_ocap ? d->td_ocap * 2 : TMPFS_ORDER_MIN;
	if ((no = kmem_realloc(d->td_order, ncap * sizeof(*no))) == NULL)
		return ENOMEM;
	d->td_order = no;
	d->td_ocap = ncap;
	return 0;
}

/*
 * Enter de, pointing at tn, into dn (after tmpfs_dir_reserve; cannot
 * fail).  The caller has checked that the name is not there and manages
 * tn's link count.
 */
void
tmpfs_dir_attach(struct tmpfs_node *dn, struct tmpfs_dirent *de,
    struct tmpfs_node *tn)
{
	struct tmpfs_dir *d = &dn->tn_u.dir;
	size_t b;

	KASSERT(d->td_olen < d->td_ocap && d->td_buckets != NULL);
	de->td_node = tn;
	de->td_cookie = d->td_nextcookie++;
	de->td_slot = d->td_olen;
	d->td_order[d->td_olen].ts_cookie = de->td_cookie;
	d->td_order[d->td_olen].ts_de = de;
	d->td_olen++;
	b = de->td_hash & (d->td_nbuckets - 1);
	de->td_hnext = d->td_buckets[b];
	d->td_buckets[b] = de;
	d->td_count++;
	dn->tn_size += TMPFS_DIRENT_SIZE;
	/* Keep the load factor at most 1; a failed resize only slows us. */
	if (d->td_count > d->td_nbuckets)
		(void)tmpfs_dir_rehash(d, d->td_nbuckets * 2);
}

/* Take de out of dn (the caller frees or reuses it). */
void
tmpfs_dir_detach(struct tmpfs_node *dn, struct tmpfs_dirent *de)
{
	struct tmpfs_dir *d = &dn->tn_u.dir;
	struct tmpfs_dirent **pp;

	for (pp = &d->td_buckets[de->td_hash & (d->td_nbuckets - 1)];
	    *pp != de; pp = &(*pp)->td_hnext)
		KASSERT(*pp != NULL);
	*pp = de->td_hnext;
	de->td_hnext = NULL;
	KASSERT(d->td_order[de->td_slot].ts_de == de);
	d->td_order[de->td_slot].ts_de = NULL;
	d->td_ntomb++;
	/* Drop trailing tombstones at once; compact when half are dead. */
	while (d->td_olen > 0 && d->td_order[d->td_olen - 1].ts_de == NULL) {
		d->td_olen--;
		d->td_ntomb--;
	}
	if (d->td_ntomb > TMPFS_TOMB_MIN && d->td_ntomb * 2 > d->td_olen)
		tmpfs_dir_compact(d);
	d->td_count--;
	dn->tn_size -= TMPFS_DIRENT_SIZE;
	if (d->td_nbuckets > TMPFS_HASH_MIN &&
	    d->td_count < d->td_nbuckets / 8)
		(void)tmpfs_dir_rehash(d, d->td_nbuckets / 4);
}

/* Reference dn's parent (".."); ENOENT when it has none (unmounted). */
int
tmpfs_dir_vgetparent(struct tmpfs_node *dn, struct tmpfs_node **pp)
{
	struct tmpfs_mount *tm = dn->tn_tmp;
	struct tmpfs_node *p;

	mutex_enter(&tm->tm_lock);
	p = dn->tn_u.dir.td_parent;
	if (p != NULL)
		tmpfs_node_vget(p);
	mutex_exit(&tm->tm_lock);
	if (p == NULL)
		return ENOENT;
	*pp = p;
	return 0;
}

/* Change the ".." of the linked directory dn (rename). */
void
tmpfs_dir_setparent(struct tmpfs_node *dn, struct tmpfs_node *parent)
{
	struct tmpfs_mount *tm = dn->tn_tmp;

	mutex_enter(&tm->tm_lock);
	KASSERT(!dn->tn_u.dir.td_removed);
	dn->tn_u.dir.td_parent = parent;
	mutex_exit(&tm->tm_lock);
}

/*
 * dn has just been removed from parent (rmdir, or replaced by rename):
 * from now on its ".." holds a reference to parent.
 */
void
tmpfs_dir_orphan(struct tmpfs_node *dn, struct tmpfs_node *parent)
{
	struct tmpfs_mount *tm = dn->tn_tmp;

	mutex_enter(&tm->tm_lock);
	KASSERT(!dn->tn_u.dir.td_removed &&
	    dn->tn_u.dir.td_parent == parent);
	tmpfs_node_vget(parent);
	dn->tn_u.dir.td_removed = 1;
	mutex_exit(&tm->tm_lock);
}

/* The inode number ".." shows (dn's own when it has no parent). */
static ino_t
tmpfs_dir_parentino(struct tmpfs_node *dn)
{
	struct tmpfs_mount *tm = dn->tn_tmp;
	ino_t ino;

	mutex_enter(&tm->tm_lock);
	ino = dn->tn_u.dir.td_parent ? dn->tn_u.dir.td_parent->tn_ino :
	    dn->tn_ino;
	mutex_exit(&tm->tm_lock);
	return ino;
}

/* Index of the first order slot with a cookie >= c. */
static size_t
tmpfs_dir_seek(const struct tmpfs_dir *d, uint64_t c)
{
	size_t lo = 0, hi = d->td_olen;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->td_order[mid].ts_cookie < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Emit entries from cookie *cookiep into uio until it is full; leave
 * *cookiep at the first entry not emitted (or past the last one).
 */
int
tmpfs_dir_readdir(struct tmpfs_node *dn, struct uio *uio, off_t *cookiep)
{
	struct tmpfs_dir *d = &dn->tn_u.dir;
	struct tmpfs_dirent *de;
	off_t c = *cookiep;
	size_t i;

	/* We don't trust the offset: lseek can put anything there. */
	if (c < 0)
		return EINVAL;
	if (c == 0) {
		if (dirent_emit(uio, dn->tn_ino, 1, DT_DIR, ".", 1) != 0)
			goto out;
		c = 1;
	}
	if (c == 1) {
		if (dirent_emit(uio, tmpfs_dir_parentino(dn), 2, DT_DIR,
		    "..", 2) != 0)
			goto out;
		c = 2;
	}
	for (i = tmpfs_dir_seek(d, (uint64_t)c); i < d->td_olen; i++) {
		if ((de = d->td_order[i].ts_de) == NULL)
			continue;
		if (dirent_emit(uio, de->td_node->tn_ino,
		    (off_t)de->td_cookie + 1,
		    vtype_to_dt(de->td_node->tn_vnode.v_type),
		    de->td_name, de->td_namelen) != 0) {
			c = (off_t)de->td_cookie;
			goto out;
		}
	}
	c = MAX(c, (off_t)d->td_nextcookie);
out:
	*cookiep = c;
	return 0;
}
