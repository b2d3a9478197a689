/*
 * vfs_private.h: what the files of kern/vfs/ share among themselves:
 * name lookup (namei), the mount table lock, and the small helpers the
 * system calls are built from.  Nothing outside kern/vfs/ includes it.
 *
 * The lock order and the lookup algorithm are described in doc/vfs.md.
 */
#ifndef KERN_VFS_VFS_PRIVATE_H
#define KERN_VFS_VFS_PRIVATE_H

#include "kern.h"
#include "file.h"
#include "proc.h"
#include "vfs/vfs.h"

/*
 * Name lookup.  Fill nd_dirfd, nd_path, nd_flags and nd_cred (not held
 * by namei), call namei(), then namei_done() whatever it returned.
 *
 * Without NI_PARENT or NI_CREATE the result is nd_vp, referenced.
 * NI_PARENT stops before the last component: nd_dvp is its directory
 * (referenced), nd_name/nd_namelen the component, nd_lastkind says
 * whether it is ".", ".." or the path was only slashes ("/"), and
 * nd_trailslash whether slashes followed it.  NI_CREATE looks the last
 * component up too: if it exists nd_vp is set (and nd_dvp as with
 * NI_PARENT), if it does not nd_vp is NULL and nd_dvp/nd_name say where
 * to create it.  Symbolic links in the last component are followed only
 * with NI_FOLLOW (or when a slash follows them).
 */
#define NI_FOLLOW	0x01	/* follow a symlink in the last component */
#define NI_PARENT	0x02	/* return the parent and the last name */
#define NI_CREATE	0x04	/* like NI_PARENT, but also look it up */
#define NI_EMPTYPATH	0x08	/* "" means dirfd itself (AT_EMPTY_PATH) */
#define NI_NOCROSS	0x10	/* don't enter a mount on the last vnode */

#define NI_LAST_NORM	0	/* an ordinary name */
#define NI_LAST_DOT	1	/* "." */
#define NI_LAST_DOTDOT	2	/* ".." */
#define NI_LAST_ROOT	3	/* no component at all: "/" */

struct nameidata {
	/* In. */
	int		nd_dirfd;
	const char	*nd_path;
	unsigned	nd_flags;
	struct cred	*nd_cred;
	/* Out. */
	struct vnode	*nd_vp;
	struct vnode	*nd_dvp;
	const char	*nd_name;
	size_t		nd_namelen;
	int		nd_lastkind;
	int		nd_trailslash;
	/* Private. */
	char		*nd_buf;	/* PATH_MAX path + PATH_MAX link text */
	int		nd_nlinks;
	struct vnode	*nd_root;	/* the process's root, referenced */
	char		nd_namebuf[NAME_MAX + 1];
};

void namei_init(struct nameidata *nd, int dirfd, const char *path,
    unsigned flags, struct cred *cr);
int  namei(struct nameidata *nd);
/* Release what namei left in nd (references, buffers). */
void namei_done(struct nameidata *nd);
/* Look name up in directory dvp (not locked by the caller). */
int  vfs_lookup_one(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp);
/* Look name up with dvp already locked by the caller. */
int  vfs_lookup_locked(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp);

/* The vnode of a vnode file fd, referenced; ENOTDIR for other files. */
int  vfs_fd_dirvnode(int fd, struct vnode **vpp);

/* The process's cwd and root, referenced (vrele when done). */
struct vnode *vfs_cwd_get(struct proc *p);
struct vnode *vfs_root_get(struct proc *p);

/* Credentials and umask of the calling process. */
struct cred *vfs_curcred(void);
mode_t vfs_curumask(void);

/* Access helpers (vfs_access.c); vp locked by the caller. */
int  vfs_owner_or_root(const struct vattr *va, const struct cred *cr);
int  vfs_groupmember(const struct cred *cr, gid_t gid);
/* Sticky-directory rule for removing/renaming vp out of dvp: EPERM. */
int  vfs_sticky_check(const struct vattr *dva, const struct vattr *va,
    const struct cred *cr);
/* Checks before changing a directory: EROFS, then W|X permission. */
int  vfs_dir_writable(struct vnode *dvp, struct cred *cr);
/* A write or truncate by a non-root caller clears setuid/setgid. */
int  vfs_kill_suid(struct vnode *vp, struct cred *cr);

/* Attributes of a new node in directory dvp (locked), mode & ~umask. */
int  vfs_newnode_attr(struct vnode *dvp, struct cred *cr, enum vtype type,
    mode_t mode, struct vattr *va);

/* Getattr with the vnode locked by the caller / unlocked. */
int  vn_getattr_locked(struct vnode *vp, struct vattr *va);
int  vn_getattr(struct vnode *vp, struct vattr *va);

/* File descriptors that name vnodes.  allowpath: O_PATH files too. */
int  vfs_getvnfile(int fd, int allowpath, struct file **fpp,
    struct vnode **vpp);

/* Install a new file as the lowest free descriptor; drops our ref. */
int  vfs_install(struct file *fp, int cloexec, register_t *retval);

/* Reject NULL pointers and over-long paths from the caller. */
int  vfs_checkpath(const char *path);

/* Mount table (vfs_mount.c). */
extern kmutex_t vfs_mount_lock;		/* mount(2)/umount2(2)/table */
extern struct klist vfs_mountlist;	/* [vfs_mount_lock] */
int  vfs_domount(struct vnode *covered, const char *fstype,
    const char *source, int flags, const char *data, struct cred *cr);
int  vfs_remount(struct mount *mp, int flags);
int  vfs_dounmount(struct vnode *rootvp, int flags);
/* Writers on a mount: vfs_mnt_addwriter is EROFS on a read-only one. */
int  vfs_mnt_addwriter(struct mount *mp);
void vfs_mnt_delwriter(struct mount *mp);
/* The vnode a directory's mount is attached to, crossing when needed. */
struct vnode *vfs_cross_mount(struct vnode *vp);

/* Canonical absolute path of directory vp as seen from root (getcwd). */
int  vn_fullpath(struct vnode *vp, struct vnode *root, char *buf,
    size_t size, size_t *lenp);

/* Open the vnode vp (from a lookup, referenced) as vn_openat does. */
int  vn_open_vnode(struct vnode *vp, int flags, struct cred *cr,
    int created, struct file **fpp);

/* Common bodies of the *at calls (vfs_syscalls_*.c). */
int  vfs_do_mknod(int dirfd, const char *path, mode_t mode, dev_t dev);
int  vfs_do_mkdir(int dirfd, const char *path, mode_t mode);
int  vfs_do_unlink(int dirfd, const char *path, int rmdir);
int  vfs_do_rename(int fdirfd, const char *from, int tdirfd,
    const char *to, unsigned flags);
int  vfs_do_link(int fdirfd, const char *from, int tdirfd, const char *to,
    int flags);
int  vfs_do_symlink(const char *target, int dirfd, const char *path);
int  vfs_do_readlink(int dirfd, const char *path, char *buf, size_t size,
    register_t *retval);
int  vfs_do_chmod(int dirfd, const char *path, mode_t mode, int flags);
int  vfs_do_chown(int dirfd, const char *path, uid_t uid, gid_t gid,
    int flags);
int  vfs_do_stat(int dirfd, const char *path, int flags, struct kstat *st);
int  vfs_do_access(int dirfd, const char *path, int mode, int flags);

/* Internal statfs f_flags bit Linux always reports. */
#define VFS_ST_VALID	0x0020

#endif /* KERN_VFS_VFS_PRIVATE_H */
