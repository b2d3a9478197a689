/*
 * vfs.h: the virtual file system: vnodes, mounts, and the operation tables
 * that each file system (tmpfs, msdosfs) provides.
 *
 * Vnodes: v_refcnt counts references (open files, cwds, lookups in
 * progress, a mount's root, a covered directory).  vref()/vrele(); when the
 * count drops to zero the file system's vop_inactive is called, which may
 * free the vnode (e.g. tmpfs frees a node with no links left).
 *
 * Vnode locks: v_lock is a reader/writer lock.  The VFS takes it around
 * every vnode operation: shared for lookup/read/getattr/readlink/readdir,
 * exclusive for anything that modifies the vnode (for directory operations
 * that means the directory).  File systems never take v_lock themselves.
 * Rename takes the mount's mnt_renamelock first, then the two directories
 * (an ancestor before its descendant, otherwise in address order).
 * Order: mnt_renamelock -> parent dir v_lock -> child v_lock; never hold
 * two unrelated vnode locks otherwise.  rmdir also locks the directory
 * being removed, and rename a directory being replaced (exclusively,
 * after the parents).  doc/vfs.md has the details.
 *
 * Names passed to vops are single components (no '/'), never "" and, for
 * operations that create or remove, never "." or "..".
 */
#ifndef KERN_VFS_VFS_H
#define KERN_VFS_VFS_H

#include "kern.h"
#include "uio.h"

struct cred;
struct mount;
struct vnode;
struct pipe;

enum vtype { VNON, VREG, VDIR, VLNK, VFIFO, VCHR, VBLK, VSOCK };

/* File attributes.  va_mode holds permission bits only (no S_IFMT). */
struct vattr {
	enum vtype	va_type;
	mode_t		va_mode;
	nlink_t		va_nlink;
	uid_t		va_uid;
	gid_t		va_gid;
	ino_t		va_ino;
	dev_t		va_rdev;
	uint64_t	va_size;
	uint64_t	va_bytes;	/* space used, bytes */
	uint32_t	va_blksize;
	struct ktimespec va_atime, va_mtime, va_ctime, va_btime;
};

/* Which fields vop_setattr should change. */
#define VA_MODE	 0x01
#define VA_UID	 0x02
#define VA_GID	 0x04
#define VA_SIZE	 0x08
#define VA_ATIME 0x10
#define VA_MTIME 0x20
#define VA_CTIME 0x40	/* set ctime to va_ctime (otherwise fs sets now) */

/* ioflags for vop_write */
#define IO_APPEND 0x1	/* write at end of file, atomically */
#define IO_SYNC	  0x2

/*
 * Vnode operations.  All return 0 or an errno.  Locks are held by the VFS
 * as described above.  Operations that return a vnode return it referenced.
 */
struct vnodeops {
	/* Find name in directory dvp (shared lock); "." and ".." included. */
	int (*vop_lookup)(struct vnode *dvp, const char *name, size_t len,
	    struct vnode **vpp);
	/*
	 * Create a non-directory, non-symlink node (VREG, VFIFO, VSOCK,
	 * VCHR, VBLK) in dvp (exclusive).  va_type, va_mode, va_uid, va_gid
	 * and va_rdev are set by the VFS.  EEXIST if name exists.
	 */
	int (*vop_create)(struct vnode *dvp, const char *name, size_t len,
	    const struct vattr *va, struct vnode **vpp);
	int (*vop_mkdir)(struct vnode *dvp, const char *name, size_t len,
	    const struct vattr *va, struct vnode **vpp);
	int (*vop_symlink)(struct vnode *dvp, const char *name, size_t len,
	    const struct vattr *va, const char *target, struct vnode **vpp);
	/* Remove the non-directory entry name (the VFS has checked it). */
	int (*vop_remove)(struct vnode *dvp, const char *name, size_t len,
	    struct vnode *vp);
	/* Remove the empty directory vp named name in dvp (ENOTEMPTY). */
	int (*vop_rmdir)(struct vnode *dvp, const char *name, size_t len,
	    struct vnode *vp);
	/* New hard link name in dvp to vp (same mount). */
	int (*vop_link)(struct vnode *dvp, const char *name, size_t len,
	    struct vnode *vp);
	/*
	 * Rename fdvp/fname (vnode fvp) to tdvp/tname, replacing tvp when not
	 * NULL.  flags: RENAME_EXCHANGE swaps the two (tvp not NULL).  The
	 * VFS has done all permission, type and loop checks; the fs does the
	 * directory bookkeeping (".." of a moved directory, link counts).
	 */
	int (*vop_rename)(struct vnode *fdvp, const char *fname, size_t flen,
	    struct vnode *fvp, struct vnode *tdvp, const char *tname,
	    size_t tlen, struct vnode *tvp, unsigned flags);
	int (*vop_getattr)(struct vnode *vp, struct vattr *va);
	/* Change the fields in mask; VA_SIZE truncates or extends. */
	int (*vop_setattr)(struct vnode *vp, const struct vattr *va,
	    unsigned mask);
	int (*vop_read)(struct vnode *vp, struct uio *uio);
	int (*vop_write)(struct vnode *vp, struct uio *uio, int ioflag);
	/* Copy the target into buf (no NUL), *lenp = bytes copied. */
	int (*vop_readlink)(struct vnode *vp, char *buf, size_t len,
	    size_t *lenp);
	/*
	 * Emit linux_dirent64 records into uio starting at directory cookie
	 * *cookiep (0 = start) with dirent_emit(); stop when it says full.
	 * *cookiep is left at the first entry not emitted.
	 */
	int (*vop_readdir)(struct vnode *vp, struct uio *uio, off_t *cookiep);
	int (*vop_fsync)(struct vnode *vp, int datasync);
	/* SEEK_DATA/SEEK_HOLE; NULL means the whole file is data. */
	int (*vop_seekdata)(struct vnode *vp, off_t off, int whence,
	    off_t *res);
	/* Last reference gone (no lock held; vnode may be freed here). */
	void (*vop_inactive)(struct vnode *vp);
};

struct vnode {
	uint32_t		v_refcnt;	/* atomic */
	enum vtype		v_type;		/* [c] */
	struct mount		*v_mount;	/* [c] */
	const struct vnodeops	*v_op;		/* [c] */
	void			*v_data;	/* [c] fs private */
	krwlock_t		v_lock;
	kmutex_t		v_interlock;	/* v_mountedhere, v_fifo */
	struct mount		*v_mountedhere;	/* [v_interlock] */
	struct pipe		*v_fifo;	/* [v_interlock] VFIFO buffer */
};

/* Initialise the generic part of a vnode for a file system (refcnt 1). */
void vnode_init(struct vnode *vp, enum vtype type, struct mount *mp,
    const struct vnodeops *ops, void *data);
/* Tear down the generic part before the fs frees it. */
void vnode_fini(struct vnode *vp);
void vref(struct vnode *vp);
void vrele(struct vnode *vp);
void vn_lock_shared(struct vnode *vp);
void vn_lock_excl(struct vnode *vp);
void vn_unlock(struct vnode *vp);

/* Helper for vop_readdir: append one record; returns 0, or 1 when uio is
 * too small to take it (nothing written). */
int dirent_emit(struct uio *uio, ino_t ino, off_t nextcookie,
    uint8_t dtype, const char *name, size_t namelen);
uint8_t vtype_to_dt(enum vtype t);
mode_t  vtype_to_ifmt(enum vtype t);

/*
 * Argument checks for file systems' vnode operations (vfs_vopcheck.c):
 * a name is one component (EFAULT, ENOENT, ENAMETOOLONG, EINVAL);
 * checkdirop adds ENOTDIR for dvp and dotserr for "." and ".." (0:
 * allowed); checkrw wants a regular file (EFAULT, EISDIR, EINVAL).
 */
int  vfs_checkname(const char *name, size_t len);
int  vfs_isdots(const char *name, size_t len);
int  vfs_checkdirop(struct vnode *dvp, const char *name, size_t len,
    int dotserr);
int  vfs_checkrw(struct vnode *vp, struct uio *uio);

/* A mounted file system. */
struct vfsops {
	const char *vfs_name;
	/* Attach to mp: source is the device path (or NULL), data options. */
	int (*vfs_mount)(struct mount *mp, const char *source,
	    const char *data, struct cred *cr);
	/* EBUSY while any vnode other than the root is referenced, unless
	 * MNT_FORCE is in flags. */
	int (*vfs_unmount)(struct mount *mp, int flags);
	int (*vfs_root)(struct mount *mp, struct vnode **vpp);
	/* f_flags comes from the mount's flags: the VFS sets it. */
	int (*vfs_statfs)(struct mount *mp, struct kstatfs *sf);
	int (*vfs_sync)(struct mount *mp);
};

struct mount {
	struct klist		mnt_list;	/* [vfs_mount_lock] */
	const struct vfsops	*mnt_op;	/* [c] */
	struct vnode		*mnt_vnodecovered; /* [c] referenced */
	struct vnode		*mnt_root;	/* [c] referenced */
	void			*mnt_data;	/* [c] fs private */
	int			mnt_flag;	/* MS_*; [vfs_mount_lock] + atomic */
	dev_t			mnt_dev;	/* [c] st_dev of its files */
	kmutex_t		mnt_renamelock;
	char			mnt_fstype[16];
	char			mnt_from[PATH_MAX];
	char			mnt_on[PATH_MAX];
	uint32_t		mnt_writers;	/* [atomic] files open for write */
	uint32_t		mnt_rootrefs;	/* [c] mnt_root's count when idle */
	int			mnt_detached;	/* [atomic] MNT_DETACH'd, busy */
};

/* The mount's MS_* flags; they change only by remount (atomic). */
#define vfs_mntflags(mp)	__atomic_load_n(&(mp)->mnt_flag, __ATOMIC_ACQUIRE)
/* Nonzero when vp lives on a read-only mount. */
#define vn_rdonly(vp)		(vfs_mntflags((vp)->v_mount) & MS_RDONLY)

/* File system types, for mount(2) and vfs.generic.fstypes. */
int  vfs_register(const struct vfsops *ops);
const struct vfsops *vfs_findtype(const char *name);
/* Space-separated names of registered types into buf. */
void vfs_fstypes(char *buf, size_t len);

/* Boot: register file systems and mount tmpfs as root. */
int  vfs_init(void);
extern struct vnode *rootvnode;		/* referenced */
/* Sync every mounted file system (sync(2), shutdown). */
void vfs_syncall(void);

/*
 * Permission check of acc (R_OK|W_OK|X_OK) against vp's attributes, with
 * the file-system ids of cr.  vn_access also says EROFS for W_OK on a
 * read-only mount and EACCES for X_OK on a noexec one.  The caller holds
 * vp's v_lock (shared or exclusive).
 */
int  vn_access(struct vnode *vp, int acc, struct cred *cr);
int  vaccess(const struct vattr *va, int acc, const struct cred *cr);

/* fstat of a vnode: takes v_lock shared itself; st_dev is the mount's. */
int  vn_stat(struct vnode *vp, struct kstat *st);
/* Fill a struct kstat from attributes of a vnode on mount mp. */
void vn_vattr_to_kstat(const struct vattr *va, struct mount *mp,
    struct kstat *st);

struct file;
/*
 * The file operations of regular files and directories.  Every
 * FTYPE_VNODE file, whatever its fileops (a device's too), has f_data
 * pointing to its vnode, which it holds referenced: the *at calls,
 * fchdir, fstatfs and fsync rely on that.
 */
extern const struct fileops vn_fileops;
/*
 * open(2) for the calling process, without installing a descriptor:
 * resolves path relative to dirfd (AT_FDCWD: the cwd), applies flags and
 * mode (with the umask) as openat(2) does, and returns a new file with
 * one reference in *fpp (a vnode file, or a FIFO file from fifo_open).
 */
int  vn_openat(int dirfd, const char *path, int flags, mode_t mode,
    struct file **fpp);

#endif /* KERN_VFS_VFS_H */
