/*
 * rump.h: the in-process rump kernel.
 *
 * rump_init() boots a kernel inside the calling program; afterwards every
 * rump_sys_* call (declared in rump_syscalls.h) acts on it, with the same
 * signature as the libc function it mirrors, returning -1 with errno set on
 * failure.  The rump_pub_lwproc_* calls let one program act as several
 * kernel processes.
 */
#ifndef RUMP_RUMP_H
#define RUMP_RUMP_H

#include <stdint.h>
#include <sys/types.h>

#include <rump/rump_syscalls.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RUMP_VERSION 1

struct lwp;

/* Boot the kernel; 0 on success, an errno value on failure. */
int rump_init(void);

/* Flags for rump_pub_lwproc_rfork. */
#define RUMP_RFFDG	0x01	/* copy the parent's file descriptors */
#define RUMP_RFCFDG	0x02	/* start with no file descriptors */
				/* 0: share the parent's descriptor table */

/*
 * Create a child of the current process with one lwp and switch the calling
 * thread to it.  0 or an errno value.
 */
int rump_pub_lwproc_rfork(int flags);
/* Create a new lwp in process pid and switch to it.  0 or errno. */
int rump_pub_lwproc_newlwp(pid_t pid);
/* Switch the calling thread to l (NULL: the implicit context). */
void rump_pub_lwproc_switch(struct lwp *l);
/* Release the current lwp; the last lwp's release ends its process. */
void rump_pub_lwproc_releaselwp(void);
/* The calling thread's current lwp. */
struct lwp *rump_pub_lwproc_curlwp(void);

/*
 * Host files as block devices (NetBSD's etfs).  Register hostpath so that
 * the kernel path key (e.g. "/dev/img0", parent directories made as
 * needed) is a block device node whose contents are the host file, or
 * size bytes of it from begin (RUMP_ETFS_SIZE_ENDOFF: up to its end).
 * The device is read-only when the host file is.  Only RUMP_ETFS_BLK is
 * supported: the other kinds return EOPNOTSUPP.  rump_pub_etfs_remove
 * removes the registration and the node (EBUSY while open or mounted).
 * All return 0 or an errno value: ENOENT (no host file), EEXIST (key in
 * use), EINVAL (bad key or sizes), ...  doc/blkdev.md.
 */
enum rump_etfs_type {
	RUMP_ETFS_REG,		/* NetBSD: a regular file (not supported) */
	RUMP_ETFS_BLK,		/* a block device */
	RUMP_ETFS_CHR,		/* NetBSD: a raw device (not supported) */
	RUMP_ETFS_DIR,		/* NetBSD: a host directory (not supported) */
	RUMP_ETFS_DIR_SUBDIRS	/* ... and its subdirectories (ditto) */
};
#define RUMP_ETFS_SIZE_ENDOFF	((uint64_t)-1)

int rump_pub_etfs_register(const char *key, const char *hostpath, int ftype);
int rump_pub_etfs_register_withsize(const char *key, const char *hostpath,
    int ftype, uint64_t begin, uint64_t size);
int rump_pub_etfs_remove(const char *key);

#ifdef __cplusplus
}
#endif

#endif /* RUMP_RUMP_H */
