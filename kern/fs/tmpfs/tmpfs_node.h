/*
 * tmpfs_node.h: tmpfs internals: the mount, nodes, directory entries and
 * the page tree of regular files.
 *
 * A tmpfs node is a vnode: struct vnode is embedded first, v_data points
 * back at the node.  A node lives while it has links (tn_links > 0) or
 * while anyone still holds its vnode; vop_inactive frees it when both are
 * gone.  Directory entries hold no vnode reference.
 *
 * Locking (see doc/tmpfs.md):
 *   [c]       constant after creation
 *   [v]       the vnode's v_lock, taken by the VFS (shared to read,
 *             exclusive to change)
 *   [n]       tn_mtx, the node mutex: link count, timestamps, the
 *             inactive bookkeeping; taken for short moments only
 *   [m]       tm_lock, the mount mutex: space and inode accounting, the
 *             inode counter, the node list, directory parent pointers
 * Order: v_lock (VFS) -> tm_lock -> tn_mtx.  tn_mtx of two nodes is never
 * held at once.
 */
#ifndef KERN_FS_TMPFS_TMPFS_NODE_H
#define KERN_FS_TMPFS_TMPFS_NODE_H

#include "kern.h"
#include "vfs/vfs.h"
#include "fs/tmpfs/tmpfs.h"

#define TMPFS_PAGE_SHIFT 12
#define TMPFS_PAGE_SIZE	(1u << TMPFS_PAGE_SHIFT)	/* 4 KiB */
#define TMPFS_PAGE_MASK	((uint64_t)TMPFS_PAGE_SIZE - 1)

/* Largest file: 2^43 bytes (8 TiB), 2^31 pages; beyond it EFBIG. */
#define TMPFS_MAXFILESIZE (1ULL << 43)

/* Link counts stop here (EMLINK). */
#define TMPFS_LINK_MAX	0x7fffffffULL

/* Linux's bogus directory entry size: st_size of a directory. */
#define TMPFS_DIRENT_SIZE 20

/* Radix tree of pages: 512 slots per interior node (one 4 KiB block). */
#define TMPFS_RADIX_SHIFT 9
#define TMPFS_RADIX_SLOTS (1u << TMPFS_RADIX_SHIFT)
#define TMPFS_RADIX_MAXHEIGHT 4		/* 36 bits of page index */

struct tmpfs_node;

/* One directory entry: a name in a directory pointing at a node. */
struct tmpfs_dirent {
	struct tmpfs_dirent	*td_hnext;	/* hash chain */
	struct tmpfs_node	*td_node;	/* target, no vnode reference */
	uint64_t		td_cookie;	/* readdir position, stable */
	size_t			td_slot;	/* index in the order array */
	uint32_t		td_hash;
	uint16_t		td_namelen;
	char			td_name[];	/* NUL-terminated */
};

/* An element of a directory's readdir order: sorted by cookie. */
struct tmpfs_slot {
	uint64_t		ts_cookie;
	struct tmpfs_dirent	*ts_de;		/* NULL: removed (tombstone) */
};

/* Directory state [v] except td_parent [m]. */
struct tmpfs_dir {
	struct tmpfs_dirent	**td_buckets;	/* hash table, power of 2 */
	size_t			td_nbuckets;
	size_t			td_count;	/* live entries */
	struct tmpfs_slot	*td_order;	/* readdir order */
	size_t			td_olen;	/* slots used, with tombstones */
	size_t			td_ocap;
	size_t			td_ntomb;
	uint64_t		td_nextcookie;
	/*
	 * [m] "..": no reference while the directory is linked; once it is
	 * removed (td_removed) it holds a vnode reference to its last
	 * parent, so ".." still works from inside, as on Linux, and that
	 * reference goes when the directory is freed.  NULL after unmount.
	 */
	struct tmpfs_node	*td_parent;
	int			td_removed;	/* [m] */
};

/* Regular file state [v]. */
struct tmpfs_reg {
	void			*tr_root;	/* page or radix node */
	int			tr_height;	/* 0: empty, 1: 512 pages... */
	uint64_t		tr_npages;	/* pages allocated */
};

/* Symbolic link [c]. */
struct tmpfs_lnk {
	char			*tl_target;
	size_t			tl_len;
};

struct tmpfs_node {
	struct vnode		tn_vnode;	/* first: the vnode */
	struct tmpfs_mount	*tn_tmp;	/* [c] */
	struct klist		tn_entry;	/* [m] in tm_nodes */
	kmutex_t		tn_mtx;
	uint32_t		tn_owed;	/* [n] inactive calls to come */
	int			tn_dying;	/* [n] being freed */
	nlink_t			tn_links;	/* [n] */
	struct ktimespec	tn_atime;	/* [n] */
	struct ktimespec	tn_mtime;	/* [n] */
	struct ktimespec	tn_ctime;	/* [n] */
	struct ktimespec	tn_btime;	/* [c] */
	ino_t			tn_ino;		/* [c] */
	dev_t			tn_rdev;	/* [c] */
	mode_t			tn_mode;	/* [v] permission bits */
	uid_t			tn_uid;		/* [v] */
	gid_t			tn_gid;		/* [v] */
	uint64_t		tn_size;	/* [v] */
	union {
		struct tmpfs_dir dir;
		struct tmpfs_reg reg;
		struct tmpfs_lnk lnk;
	} tn_u;
};

#define VP_TO_TMPFS(vp)	((struct tmpfs_node *)(vp)->v_data)
#define TMPFS_TO_VP(tn)	(&(tn)->tn_vnode)

/* One mounted tmpfs (mnt_data). */
struct tmpfs_mount {
	kmutex_t		tm_lock;
	uint64_t		tm_pages_max;	/* [c] UINT64_MAX: no limit */
	uint64_t		tm_pages_used;	/* [m] */
	uint64_t		tm_nodes_max;	/* [c] UINT64_MAX: no limit */
	uint64_t		tm_nodes_used;	/* [m] */
	ino_t			tm_nextino;	/* [m] */
	struct klist		tm_nodes;	/* [m] every live node */
	struct tmpfs_node	*tm_root;	/* [c] we hold one reference */
	int			tm_unmounted;	/* [m] last node frees tm */
};

/* Mount options, parsed from the mount(2) data string. */
struct tmpfs_args {
	uint64_t		ta_pages;	/* 0: no limit */
	uint64_t		ta_nodes;	/* 0: no limit */
	mode_t			ta_mode;
	uid_t			ta_uid;
	gid_t			ta_gid;
};

/* Which timestamps tmpfs_node_touch sets to now. */
#define TMPFS_ATIME	0x1
#define TMPFS_MTIME	0x2
#define TMPFS_CTIME	0x4

/* tmpfs_opts.c */
int  tmpfs_opts_parse(const char *data, struct tmpfs_args *ta);

/* tmpfs_node.c */
int  tmpfs_node_alloc(struct tmpfs_mount *tm, struct mount *mp,
    const struct vattr *va, nlink_t links, struct tmpfs_node **tnp);
void tmpfs_node_vget(struct tmpfs_node *tn);
void tmpfs_node_touch(struct tmpfs_node *tn, int which);
int  tmpfs_node_addlink(struct tmpfs_node *tn);
nlink_t tmpfs_node_links(struct tmpfs_node *tn);
void tmpfs_node_droplink(struct tmpfs_node *tn, int all);
void tmpfs_node_inactive(struct vnode *vp);
struct tmpfs_node *tmpfs_node_destroy(struct tmpfs_mount *tm,
    struct tmpfs_node *tn);
void tmpfs_node_rele(struct tmpfs_node *tn);
int  tmpfs_pages_charge(struct tmpfs_mount *tm, uint64_t n);
void tmpfs_pages_uncharge(struct tmpfs_mount *tm, uint64_t n);
void tmpfs_mount_free(struct tmpfs_mount *tm);

/* tmpfs_dir.c */
void tmpfs_dir_init(struct tmpfs_node *dn, struct tmpfs_node *parent);
void tmpfs_dir_fini(struct tmpfs_node *dn);
struct tmpfs_dirent *tmpfs_dir_lookup(struct tmpfs_node *dn,
    const char *name, size_t len);
int  tmpfs_dirent_alloc(const char *name, size_t len,
    struct tmpfs_dirent **dep);
void tmpfs_dirent_free(struct tmpfs_dirent *de);
int  tmpfs_dir_reserve(struct tmpfs_node *dn);
void tmpfs_dir_attach(struct tmpfs_node *dn, struct tmpfs_dirent *de,
    struct tmpfs_node *tn);
void tmpfs_dir_detach(struct tmpfs_node *dn, struct tmpfs_dirent *de);
int  tmpfs_dir_vgetparent(struct tmpfs_node *dn, struct tmpfs_node **pp);
void tmpfs_dir_setparent(struct tmpfs_node *dn, struct tmpfs_node *parent);
void tmpfs_dir_orphan(struct tmpfs_node *dn, struct tmpfs_node *parent);
int  tmpfs_dir_readdir(struct tmpfs_node *dn, struct uio *uio,
    off_t *cookiep);

/* tmpfs_pages.c */
int  tmpfs_reg_read(struct tmpfs_node *tn, struct uio *uio);
int  tmpfs_reg_write(struct tmpfs_node *tn, struct uio *uio, int ioflag);
int  tmpfs_reg_truncate(struct tmpfs_node *tn, uint64_t size);
int  tmpfs_reg_seekdata(struct tmpfs_node *tn, off_t off, int whence,
    off_t *res);
void tmpfs_reg_free(struct tmpfs_node *tn);

/* tmpfs_vnops.c, tmpfs_rename.c */
extern const struct vnodeops tmpfs_vnodeops;
int  tmpfs_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    struct vnode *tvp, unsigned flags);

#endif /* KERN_FS_TMPFS_TMPFS_NODE_H */
