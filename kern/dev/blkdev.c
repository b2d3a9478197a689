/*
 * blkdev.c: the table of block devices backed by host files:
 * registration, removal, lookup by device number, references.
 *
 * A registration first reserves its key in the table (state PENDING, so
 * nobody else can take the key and nobody can use the device), then
 * opens the host file and makes the key's node without holding
 * blkdev_lock, then goes LIVE.  Device numbers are never reused, so a
 * stale node (a hard link to an old key) can never reach a newer device.
 */
#include "kern.h"
#include "dev/blkdev.h"
#include "dev/blkdev_private.h"
#include "vfs/vfs.h"

#define BLKDEV_MAXMINOR	(1u << 20)	/* Linux's minor numbers: 20 bits */

static kmutex_t blkdev_lock;
static struct klist blkdev_table;	/* [blkdev_lock] by bd_dev */
static uint32_t blkdev_nextminor;	/* [blkdev_lock] */

/* Boot: an empty table. */
void
blkdev_init(void)
{
	mutex_init(&blkdev_lock);
	klist_init(&blkdev_table);
	blkdev_nextminor = 0;
}

/*
 * Normalise a key (we don't trust it): an absolute path, repeated slashes
 * collapsed; no "." or ".." component and no trailing slash (EINVAL);
 * shorter than BLKDEV_KEYLEN (ENAMETOOLONG).
 */
int
blkdev_key_normalise(const char *key, char *out)
{
	size_t n = 0, comp = 0;

	if (key == NULL)
		return EFAULT;
	if (key[0] != '/')
		return EINVAL;
	for (const char *s = key; *s != '\0'; s++) {
		if (*s == '/' && n > 0 && out[n - 1] == '/')
			continue;
		if (n + 1 >= BLKDEV_KEYLEN)
			return ENAMETOOLONG;
		out[n++] = *s;
		if (*s == '/')
			comp = n;
		out[n] = '\0';
		if ((s[1] == '/' || s[1] == '\0') &&
		    (kstrcmp(out + comp, ".") == 0 ||
		    kstrcmp(out + comp, "..") == 0))
			return EINVAL;
	}
	if (n <= 1 || out[n - 1] == '/')
		return EINVAL;
	return 0;
}

/* The registration of key (normalised), any state; NULL if none. */
static struct blkdev *
blkdev_find_key_locked(const char *key)
{
	struct klist *it;

	klist_foreach(it, &blkdev_table) {
		struct blkdev *bd = klist_entry(it, struct blkdev, bd_list);

		if (kstrcmp(bd->bd_key, key) == 0)
			return bd;
	}
	return NULL;
}

/* Reserve key with a new device number: EEXIST if it is taken. */
static int
blkdev_reserve(const char *key, struct blkdev **bdp)
{
	struct blkdev *bd = kmem_zalloc(sizeof(*bd));
	int error = 0;

	if (bd == NULL)
		return ENOMEM;
	kstrlcpy(bd->bd_key, key, sizeof(bd->bd_key));
	bd->bd_handle = -1;
	bd->bd_state = BLKDEV_PENDING;
	klist_init(&bd->bd_list);
	mutex_enter(&blkdev_lock);
	if (blkdev_find_key_locked(key) != NULL)
		error = EEXIST;
	else if (blkdev_nextminor >= BLKDEV_MAXMINOR)
		error = ENOSPC;
	else {
		uint32_t minor = blkdev_nextminor++;

		bd->bd_dev = BLKDEV_MAKEDEV(BLKDEV_MAJOR, minor);
		klist_append(&blkdev_table, &bd->bd_list);
	}
	mutex_exit(&blkdev_lock);
	if (error != 0)
		kmem_free(bd);
	else
		*bdp = bd;
	return error;
}

/* Undo blkdev_reserve (the host file is closed by the caller). */
static void
blkdev_unreserve(struct blkdev *bd)
{
	mutex_enter(&blkdev_lock);
	klist_remove(&bd->bd_list);
	mutex_exit(&blkdev_lock);
	kmem_free(bd);
}

/*
 * The device's window in a host file of fsize bytes (see blkdev.h):
 * EINVAL for an empty window, one that overflows, or one that passes the
 * end of a file we may not write.
 */
static int
blkdev_geometry(struct blkdev *bd, uint64_t fsize, uint64_t offset,
    uint64_t size)
{
	uint64_t end;

	if (size == 0) {
		if (offset >= fsize)
			return EINVAL;
		size = fsize - offset;
	}
	if (__builtin_add_overflow(offset, size, &end) ||
	    end > (uint64_t)INT64_MAX)
		return EINVAL;
	if (end > fsize) {
		if (bd->bd_rdonly)
			return EINVAL;
		bd->bd_growable = 1;
	}
	bd->bd_offset = offset;
	bd->bd_size = size;
	return 0;
}

/* Open the host file for bd and fix its window. */
static int
blkdev_open_host(struct blkdev *bd, const char *hostpath, uint64_t offset,
    uint64_t size, int rdonly)
{
	uint64_t fsize = 0;
	int error, ro = 0;

	error = hyp_file_open(hostpath, !rdonly, &bd->bd_handle, &fsize, &ro);
	if (error != 0) {
		bd->bd_handle = -1;
		return error;
	}
	bd->bd_rdonly = ro || rdonly;
	if ((error = blkdev_geometry(bd, fsize, offset, size)) != 0) {
		hyp_file_close(bd->bd_handle);
		bd->bd_handle = -1;
	}
	return error;
}

/* Register hostpath under key: see blkdev.h. */
int
blkdev_register(const char *key, const char *hostpath, uint64_t offset,
    uint64_t size, int rdonly)
{
	char nkey[BLKDEV_KEYLEN];
	struct blkdev *bd;
	int error;

	/* We don't trust the caller: check both strings before anything. */
	if ((error = blkdev_key_normalise(key, nkey)) != 0)
		return error;
	if (hostpath == NULL)
		return EFAULT;
	if (hostpath[0] == '\0')
		return ENOENT;
	if (kstrnlen(hostpath, PATH_MAX) >= PATH_MAX)
		return ENAMETOOLONG;
	if ((error = blkdev_reserve(nkey, &bd)) != 0)
		return error;
	if ((error = blkdev_open_host(bd, hostpath, offset, size,
	    rdonly)) != 0)
		goto fail;
	if ((error = blkdev_node_create(bd->bd_key, bd->bd_dev)) != 0) {
		hyp_file_close(bd->bd_handle);
		goto fail;
	}
	mutex_enter(&blkdev_lock);
	bd->bd_state = BLKDEV_LIVE;
	mutex_exit(&blkdev_lock);
	return 0;
fail:
	blkdev_unreserve(bd);
	return error;
}

/* Remove key's registration: see blkdev.h. */
int
blkdev_unregister(const char *key)
{
	char nkey[BLKDEV_KEYLEN];
	struct blkdev *bd;
	int error = 0;

	if ((error = blkdev_key_normalise(key, nkey)) != 0)
		return error == EINVAL ? ENOENT : error;
	mutex_enter(&blkdev_lock);
	if ((bd = blkdev_find_key_locked(nkey)) == NULL)
		error = ENOENT;
	else if (bd->bd_state != BLKDEV_LIVE ||
	    atomic_load(&bd->bd_refcnt) != 0)
		error = EBUSY;
	else
		klist_remove(&bd->bd_list);
	mutex_exit(&blkdev_lock);
	if (error != 0)
		return error;
	/* Nobody can find bd any more: take its node away and free it. */
	blkdev_node_remove(bd->bd_key, bd->bd_dev);
	hyp_file_close(bd->bd_handle);
	kmem_free(bd);
	return 0;
}

/* The live device numbered dev, referenced; ENXIO if none. */
int
blkdev_lookup_dev(dev_t dev, struct blkdev **bdp)
{
	struct klist *it;
	int error = ENXIO;

	mutex_enter(&blkdev_lock);
	klist_foreach(it, &blkdev_table) {
		struct blkdev *bd = klist_entry(it, struct blkdev, bd_list);

		if (bd->bd_dev == dev && bd->bd_state == BLKDEV_LIVE) {
			atomic_inc_32(&bd->bd_refcnt);
			*bdp = bd;
			error = 0;
			break;
		}
	}
	mutex_exit(&blkdev_lock);
	return error;
}

/* The device behind a VBLK vnode: see blkdev.h. */
int
blkdev_from_vnode(struct vnode *vp, struct blkdev **bdp)
{
	struct kstat st;
	int error;

	if (vp == NULL || bdp == NULL)
		return EINVAL;
	if (vp->v_type != VBLK)
		return ENOTBLK;
	if ((error = vn_stat(vp, &st)) != 0)
		return error;
	return blkdev_lookup_dev(st.st_rdev, bdp);
}

/* Drop a reference. */
void
blkdev_release(struct blkdev *bd)
{
	uint32_t n = atomic_dec_32(&bd->bd_refcnt);

	KASSERT(n != UINT32_MAX);
	(void)n;
}

/*
 * The live device with the smallest number above after (0: any),
 * referenced; ENXIO if none.  For walking the table without holding
 * blkdev_lock across host calls.
 */
static int
blkdev_next(dev_t after, int first, struct blkdev **bdp)
{
	struct blkdev *best = NULL;
	struct klist *it;

	mutex_enter(&blkdev_lock);
	klist_foreach(it, &blkdev_table) {
		struct blkdev *bd = klist_entry(it, struct blkdev, bd_list);

		if (bd->bd_state == BLKDEV_LIVE &&
		    (first || bd->bd_dev > after) &&
		    (best == NULL || bd->bd_dev < best->bd_dev))
			best = bd;
	}
	if (best != NULL)
		atomic_inc_32(&best->bd_refcnt);
	mutex_exit(&blkdev_lock);
	*bdp = best;
	return best != NULL ? 0 : ENXIO;
}

/* Shutdown and sync(2): every device's host file to stable storage. */
void
blkdev_syncall(void)
{
	struct blkdev *bd;
	dev_t last = 0;
	int first = 1;

	while (blkdev_next(last, first, &bd) == 0) {
		(void)blkdev_sync(bd);
		last = bd->bd_dev;
		first = 0;
		blkdev_release(bd);
	}
}
