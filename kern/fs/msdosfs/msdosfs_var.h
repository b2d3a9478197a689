/*
 * msdosfs_var.h: msdosfs internals: the mount, nodes, the metadata cache
 * and the functions the msdosfs_*.c files share.
 *
 * A node is a vnode (struct vnode first, v_data points back).  It exists
 * while it is referenced: vop_inactive frees it (and, for a file or
 * directory removed while in use, its clusters).  Every node but the root
 * holds a reference to the directory vnode its entry is in (de_parent), so
 * ".." is a pointer and the root's reference count says whether anything
 * in the mount is in use.  Nodes are found by the device offset of their
 * short directory entry (de_entoff) in a per-mount hash.
 *
 * Metadata (FAT sectors, directory sectors, FSInfo) goes through a cache
 * of sectors (msdosfs_bcache.c); file data never does: it moves between
 * the device and the caller's buffer directly.
 *
 * Locking (doc/msdosfs.md):
 *   [c]  constant after creation
 *   [v]  the vnode's v_lock, held by the VFS (shared to read, exclusive
 *        to change)
 *   [m]  pm_lock, the mount mutex: the FAT and allocation, the sector
 *        cache and every byte of cached metadata, the node hash, parent
 *        pointers, entry positions, the inactive bookkeeping
 *   [vm] changed only with both held (read with either)
 * Order: v_lock (VFS) -> pm_lock -> blkdev's locks.  pm_lock is never
 * held while calling vrele() (vop_inactive takes it) or waiting for a
 * vnode lock.
 */
#ifndef KERN_FS_MSDOSFS_MSDOSFS_VAR_H
#define KERN_FS_MSDOSFS_MSDOSFS_VAR_H

#include "kern.h"
#include "uio.h"
#include "vfs/vfs.h"
#include "dev/blkdev.h"
#include "fs/msdosfs/msdosfs.h"
#include "fs/msdosfs/msdosfs_fs.h"

/* Cache of metadata sectors. */
#define MSDOSFS_CACHE_BYTES	(4u << 20)	/* bound on cached sectors */
#define MSDOSFS_CACHE_MIN	64		/* at least this many */
#define MSDOSFS_RA_BYTES	(32u << 10)	/* largest read-ahead */
#define MSDOSFS_NODEHASH	1024		/* node hash buckets */

struct msdosfs_buf {
	struct klist	b_hash;		/* [m] hash chain */
	struct klist	b_lru;		/* [m] least recently used first */
	uint64_t	b_blkno;	/* [m] device sector number */
	uint32_t	b_refs;		/* [m] holders: not evicted while > 0 */
	uint32_t	b_flags;	/* [m] */
	uint8_t		*b_data;	/* [m] pm_secsize bytes */
};
#define B_DIRTY		0x1	/* to be written back */
#define B_FAT		0x2	/* a FAT sector: written to every copy */

struct msdosfs_bcache {
	struct klist	*bc_hash;	/* [m] */
	uint32_t	bc_hashmask;	/* [c] */
	struct klist	bc_lru;		/* [m] */
	uint32_t	bc_count;	/* [m] buffers allocated */
	uint32_t	bc_max;		/* [c] bound (exceeded only if all held) */
	uint8_t		*bc_rabuf;	/* [m] read-ahead staging area */
};

/* shortname= (Linux's names; see doc/msdosfs.md). */
#define MSDOSFS_SN_LOWER	1
#define MSDOSFS_SN_WIN95	2
#define MSDOSFS_SN_WINNT	3
#define MSDOSFS_SN_MIXED	4

/* Mount options. */
struct msdosfs_args {
	uid_t		ma_uid;
	gid_t		ma_gid;
	mode_t		ma_fmask;	/* permission bits files do not have */
	mode_t		ma_dmask;	/* ... and directories */
	int		ma_shortname;	/* MSDOSFS_SN_* */
	int32_t		ma_tzoff;	/* seconds east of UTC of disk times */
};

struct msdosfs_node;

struct msdosfs_mount {
	struct mount	*pm_mp;		/* [c] */
	struct blkdev	*pm_dev;	/* [c] referenced */
	int		pm_rdonly;	/* [c] device cannot be written */
	kmutex_t	pm_lock;
	/* Geometry, from the checked boot sector [c]. */
	int		pm_fatbits;	/* 12, 16 or 32 */
	uint32_t	pm_secsize;	/* bytes per sector */
	uint32_t	pm_secshift;
	uint32_t	pm_clsize;	/* bytes per cluster */
	uint32_t	pm_clshift;
	uint32_t	pm_nfats;
	uint64_t	pm_fat0off;	/* byte offset of the first FAT */
	uint64_t	pm_fatoff;	/* ... of the FAT we read (active) */
	uint64_t	pm_fatsize;	/* bytes per FAT copy */
	int		pm_fatmirror;	/* FAT writes go to every copy */
	uint64_t	pm_rootoff;	/* FAT12/16 fixed root directory */
	uint32_t	pm_rootsize;	/* its bytes */
	uint32_t	pm_rootcl;	/* FAT32 root cluster */
	uint64_t	pm_dataoff;	/* byte offset of cluster 2 */
	uint32_t	pm_nclusters;	/* data clusters */
	uint32_t	pm_maxcl;	/* highest cluster number: nclusters+1 */
	uint32_t	pm_eocmin;	/* FAT values from here on end a chain */
	uint32_t	pm_badcl;	/* the bad-cluster mark */
	uint32_t	pm_fsinfosec;	/* FAT32 FSInfo sector, 0: none/bad */
	struct msdosfs_args pm_args;	/* [c] */
	/* Allocation [m]. */
	uint32_t	pm_freecount;	/* free clusters, when pm_freevalid */
	int		pm_freevalid;
	uint32_t	pm_nxtfree;	/* last cluster allocated: the search
					 * for a free one starts after it */
	int		pm_fsinfodirty;	/* FSInfo to be rewritten */
	struct msdosfs_bcache pm_bc;	/* [m] */
	struct klist	pm_nodehash[MSDOSFS_NODEHASH]; /* [m] */
	struct msdosfs_node *pm_root;	/* [c] referenced */
};

#define MSDOSFS_ROOTINO	1	/* st_ino of the root, as Linux */

struct msdosfs_node {
	struct vnode	de_vnode;	/* first */
	struct msdosfs_mount *de_pm;	/* [c] */
	struct klist	de_hash;	/* [m] in pm_nodehash when linked */
	uint64_t	de_entoff;	/* [m] device offset of the short entry,
					 * 0: none (root, removed) */
	uint32_t	de_diroff;	/* [m] its offset in the parent dir */
	ino_t		de_ino;		/* [m] from the entry position */
	struct msdosfs_node *de_parent;	/* [m] referenced; NULL for the root */
	uint32_t	de_owed;	/* [m] vop_inactive calls to come */
	uint32_t	de_flags;	/* [m] */
	uint8_t		de_attr;	/* [v] ATTR_* */
	uint8_t		de_lcase;	/* [v] LCASE_* of the short name */
	uint32_t	de_start;	/* [vm] first cluster, 0: none;
					 * constant for directories */
	uint32_t	de_size;	/* [v] file size in bytes */
	uint32_t	de_ncl;		/* [vm] directories: clusters in chain */
	struct ktimespec de_mtime;	/* [v] */
	struct ktimespec de_ctime;	/* [v] stored as the creation time */
	struct ktimespec de_atime;	/* [m] a date; readers update it */
	uint32_t	de_nsubdirs;	/* [m] when DE_NSUBVALID */
	uint32_t	de_bmidx;	/* [m] last mapped cluster index ... */
	uint32_t	de_bmcl;	/* [m] ... and its cluster, 0: none */
};
#define DE_UNLINKED	0x1	/* entry removed: free clusters at the end */
#define DE_NSUBVALID	0x2	/* de_nsubdirs is known */
#define DE_DYING	0x4	/* being freed */

#define VTODE(vp)	((struct msdosfs_node *)(vp)->v_data)
#define DETOV(np)	(&(np)->de_vnode)
#define DE_ISDIR(np)	((np)->de_vnode.v_type == VDIR)
/* The FAT12/16 fixed root directory (no clusters). */
#define DE_FIXEDROOT(np) ((np) == (np)->de_pm->pm_root && \
			  (np)->de_pm->pm_fatbits != 32)

/*
 * A directory entry found by a scan: the short entry, where it is, and
 * its long name when the slots before it form a valid VFAT sequence.
 */
struct msdosfs_dirent {
	uint32_t	d_first;	/* dir offset of its first slot */
	uint32_t	d_off;		/* dir offset of the short entry */
	uint64_t	d_devoff;	/* device offset of the short entry */
	uint8_t		d_ent[DE_SIZE];	/* copy of the short entry */
	uint32_t	d_lfnlen;	/* UTF-16 units of d_lfn, 0: none */
	uint16_t	d_lfn[LFN_MAXSLOTS * LFN_CHARS];
};

/* A scan callback: 0 goes on, MSDOSFS_SCAN_STOP ends it, errno fails. */
#define MSDOSFS_SCAN_STOP	(-1)
typedef int (*msdosfs_scanfn)(struct msdosfs_dirent *de, void *arg);

/* A name to be created: checked, with its short form. */
struct msdosfs_newname {
	uint16_t	nn_u[LFN_MAXLEN];	/* the long name, UTF-16 */
	size_t		nn_ulen;
	uint8_t		nn_short[DE_NAMELEN];	/* basis, then the final */
	uint8_t		nn_lcase;
	int		nn_needlfn;	/* store long-name slots */
	int		nn_exact;	/* basis may be used without a tail */
};

/* msdosfs_bpb.c: boot sector and FSInfo. */
int  msdosfs_bpb_parse(struct msdosfs_mount *pm, const uint8_t *bs,
    size_t len, uint64_t devsize);
void msdosfs_fsinfo_read(struct msdosfs_mount *pm);
int  msdosfs_fsinfo_write(struct msdosfs_mount *pm);

/* msdosfs_opts.c */
int  msdosfs_opts_parse(const char *data, struct msdosfs_args *ma);

/* msdosfs_bcache.c: the metadata sector cache ([m] throughout). */
int  msdosfs_bc_init(struct msdosfs_mount *pm);
void msdosfs_bc_fini(struct msdosfs_mount *pm);
int  msdosfs_bc_read(struct msdosfs_mount *pm, uint64_t blkno,
    uint32_t ra, struct msdosfs_buf **bpp);
int  msdosfs_bc_zero(struct msdosfs_mount *pm, uint64_t blkno,
    struct msdosfs_buf **bpp);
void msdosfs_bc_release(struct msdosfs_mount *pm, struct msdosfs_buf *bp);
void msdosfs_bc_dirty(struct msdosfs_mount *pm, struct msdosfs_buf *bp);
int  msdosfs_bc_flush(struct msdosfs_mount *pm);
void msdosfs_bc_invalidate(struct msdosfs_mount *pm, uint64_t blkno,
    uint64_t count);

/* msdosfs_fat.c: FAT entries and chains ([m] throughout). */
int  msdosfs_fat_get(struct msdosfs_mount *pm, uint32_t cl, uint32_t *valp);
int  msdosfs_fat_set(struct msdosfs_mount *pm, uint32_t cl, uint32_t val);
int  msdosfs_fat_next(struct msdosfs_mount *pm, uint32_t cl,
    uint32_t *nextp);
int  msdosfs_chain_count(struct msdosfs_mount *pm, uint32_t start,
    uint32_t limit, uint32_t *countp, uint32_t *lastp);
int  msdosfs_bmap(struct msdosfs_node *np, uint32_t idx, uint32_t *clp,
    uint32_t *runp);
uint64_t msdosfs_cl2off(const struct msdosfs_mount *pm, uint32_t cl);
int  msdosfs_clvalid(const struct msdosfs_mount *pm, uint32_t cl);

/* msdosfs_alloc.c: allocation ([m] throughout). */
int  msdosfs_alloc(struct msdosfs_mount *pm, uint32_t prev, uint32_t n,
    uint32_t *firstp, uint32_t *gotp);
int  msdosfs_freechain(struct msdosfs_mount *pm, uint32_t start, int isdir);
int  msdosfs_freecount(struct msdosfs_mount *pm, uint32_t *freep);

/* msdosfs_time.c */
void msdosfs_time_unix2fat(const struct msdosfs_mount *pm,
    const struct ktimespec *ts, uint16_t *datep, uint16_t *timep,
    uint8_t *csp);
void msdosfs_time_fat2unix(const struct msdosfs_mount *pm, uint16_t date,
    uint16_t time, uint8_t cs, struct ktimespec *ts);
void msdosfs_time_round(const struct msdosfs_mount *pm,
    struct ktimespec *ts, int which);
#define MSDOSFS_TR_2SEC	0	/* write time: 2 seconds */
#define MSDOSFS_TR_CS	1	/* creation time: 10 ms */
#define MSDOSFS_TR_DAY	2	/* access date */

/* msdosfs_conv.c: names. */
int  msdosfs_utf8_to_u16(const char *s, size_t len, uint16_t *u,
    size_t *ulenp, int strict);
int  msdosfs_u16_to_utf8(const uint16_t *u, size_t ulen, char *s,
    size_t size, size_t *lenp);
size_t msdosfs_short_to_u16(const struct msdosfs_mount *pm,
    const uint8_t *name, uint8_t lcase, uint16_t *u);
int  msdosfs_short_ok(const uint16_t *u, size_t n);
int  msdosfs_u16_eq(const uint16_t *a, size_t alen, const uint16_t *b,
    size_t blen);
uint8_t msdosfs_cksum(const uint8_t *name);
int  msdosfs_isdotname(const uint8_t *name);

/* msdosfs_shortname.c: names for new entries. */
int  msdosfs_newname_init(const struct msdosfs_mount *pm, const char *name,
    size_t len, struct msdosfs_newname *nn);
int  msdosfs_newname_pick(struct msdosfs_node *dn,
    struct msdosfs_newname *nn);

/* msdosfs_dir.c: reading directories ([m] throughout). */
int  msdosfs_dir_devoff(struct msdosfs_node *dn, uint32_t off,
    uint64_t *devoffp);
uint32_t msdosfs_dir_size(const struct msdosfs_node *dn);
int  msdosfs_dir_scan(struct msdosfs_node *dn, uint32_t start,
    msdosfs_scanfn fn, void *arg, uint32_t *endp);
int  msdosfs_dir_find(struct msdosfs_node *dn, const char *name,
    size_t len, struct msdosfs_dirent *de);
int  msdosfs_dir_isempty(struct msdosfs_node *dn, int *emptyp);
int  msdosfs_dir_countsubdirs(struct msdosfs_node *dn, uint32_t *np);
int  msdosfs_ent_get(struct msdosfs_mount *pm, uint64_t devoff,
    struct msdosfs_buf **bpp, uint8_t **entp);
/* msdosfs_ent_get of the slot at byte off of directory dn. */
int  msdosfs_dir_slotget(struct msdosfs_node *dn, uint32_t off,
    struct msdosfs_buf **bpp, uint8_t **entp);

/* msdosfs_direnter.c: changing directories ([m] throughout). */
int  msdosfs_dir_add(struct msdosfs_node *dn, struct msdosfs_newname *nn,
    const uint8_t *tmpl, struct msdosfs_dirent *de);
int  msdosfs_dir_remove(struct msdosfs_node *dn, uint32_t first,
    uint32_t off);
int  msdosfs_dir_initnew(struct msdosfs_mount *pm, uint32_t cl,
    uint32_t parentcl, const uint8_t *tmpl);
void msdosfs_ent_template(const struct msdosfs_mount *pm, uint8_t *ent,
    uint8_t attr, uint32_t start, const struct ktimespec *now);

/* msdosfs_node.c: nodes. */
int  msdosfs_node_get(struct msdosfs_node *dn, const struct msdosfs_dirent *de,
    struct msdosfs_node **npp);
int  msdosfs_node_mkroot(struct msdosfs_mount *pm);
void msdosfs_node_freeroot(struct msdosfs_mount *pm);
int  msdosfs_node_update(struct msdosfs_node *np);
void msdosfs_node_move(struct msdosfs_node *np, uint64_t entoff,
    uint32_t diroff);
void msdosfs_node_unlink(struct msdosfs_node *np);
int  msdosfs_node_busy(struct msdosfs_mount *pm);
void msdosfs_node_touch(struct msdosfs_node *np, int ctime_too);
mode_t msdosfs_node_mode(const struct msdosfs_node *np);
void msdosfs_inactive(struct vnode *vp);

/* msdosfs_file.c: file data. */
int  msdosfs_file_read(struct msdosfs_node *np, struct uio *uio);
int  msdosfs_file_write(struct msdosfs_node *np, struct uio *uio,
    int ioflag);
int  msdosfs_file_truncate(struct msdosfs_node *np, uint64_t size);

/* msdosfs_readdir.c */
int  msdosfs_readdir_locked(struct msdosfs_node *dn, struct uio *uio,
    off_t *cookiep);

/* msdosfs_attr.c */
int  msdosfs_getattr(struct vnode *vp, struct vattr *va);
int  msdosfs_setattr(struct vnode *vp, const struct vattr *va,
    unsigned mask);

/* msdosfs_rename.c */
int  msdosfs_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    struct vnode *tvp, unsigned flags);

/* msdosfs_vfsops.c */
int  msdosfs_sync_locked(struct msdosfs_mount *pm);
/* msdosfs_sync_locked under pm_lock, then blkdev_sync of the device. */
int  msdosfs_sync_all(struct msdosfs_mount *pm);
int  msdosfs_writable(struct vnode *vp);

extern const struct vnodeops msdosfs_vnodeops;

#endif /* KERN_FS_MSDOSFS_MSDOSFS_VAR_H */
