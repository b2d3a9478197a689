/*
 * kern_init.h: booting and stopping the kernel, and the in-process
 * process-context calls that the public librump API and the server use.
 * Declared without kernel types so the edges can include it next to host
 * headers.
 */
#ifndef KERN_KERN_INIT_H
#define KERN_KERN_INIT_H

#include <stdint.h>

struct lwp;

/* Boot the kernel once; later calls return 0.  0 or errno. */
int kern_boot(void);
/* Called by reboot(2) and at shutdown: sync file systems. */
void kern_shutdown(void);
/* Nonzero once reboot(2) has asked the kernel to halt. */
int kern_halted(void);
/* reboot(2): sync, mark halted, call the hook. */
void kern_halt(int cmd);
/* The system call entry (kern/syscall.h), declared host-safe. */
int ksyscall(int nr, const int64_t *args, int64_t *rv);
/* Hook for reboot(2): the server stops serving; NULL in-process. */
extern void (*kern_halt_hook)(int cmd);

/* Public process-context operations (rump_pub_lwproc_*); 0 or errno. */
int kern_lwproc_rfork(int flags);		/* RF_* of proc.h */
int kern_lwproc_newlwp(int32_t pid);
void kern_lwproc_switch(struct lwp *l);		/* NULL: back to implicit */
void kern_lwproc_releaselwp(void);
struct lwp *kern_lwproc_curlwp(void);
int kern_lwproc_setcomm(const char *name);	/* command name of curproc */

/*
 * Host files as block devices (rump_pub_etfs_*, rump_server -d; the
 * kernel side is kern/dev/blkdev_etfs.c).  ftype is one of KERN_ETFS_*,
 * which have NetBSD's RUMP_ETFS_* values; only BLK is supported
 * (EOPNOTSUPP for the others).  size KERN_ETFS_SIZE_ENDOFF: up to the end
 * of the host file.  0 or errno.
 */
#define KERN_ETFS_REG		0
#define KERN_ETFS_BLK		1
#define KERN_ETFS_CHR		2
#define KERN_ETFS_DIR		3
#define KERN_ETFS_DIR_SUBDIRS	4
#define KERN_ETFS_SIZE_ENDOFF	UINT64_MAX
int kern_etfs_register(const char *key, const char *hostpath, int ftype,
    uint64_t begin, uint64_t size);
int kern_etfs_remove(const char *key);

#endif /* KERN_KERN_INIT_H */
