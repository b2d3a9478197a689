/*
 * rump_init.c: the public in-process API: booting and process contexts.
 * This is the edge where kernel errno values become -1/errno (for the
 * rump_sys_* calls) or plain error returns (rump_init, lwproc), as
 * rump(3) specifies.
 */
#include <errno.h>

#include <rump/rump.h>

#include "kern_init.h"
#include "rump_edge.h"

int
rump_init(void)
{
	return kern_boot();
}

/* Every local rump_sys_* call comes through here. */
int
rump_edge_syscall(int nr, const int64_t *args, int64_t *rv)
{
	int error = kern_boot();

	if (error != 0)
		return error;
	return ksyscall(nr, args, rv);
}

int
rump_pub_lwproc_rfork(int flags)
{
	int error = kern_boot();

	return error ? error : kern_lwproc_rfork(flags);
}

int
rump_pub_lwproc_newlwp(pid_t pid)
{
	int error = kern_boot();

	return error ? error : kern_lwproc_newlwp(pid);
}

void
rump_pub_lwproc_switch(struct lwp *l)
{
	kern_lwproc_switch(l);
}

void
rump_pub_lwproc_releaselwp(void)
{
	kern_lwproc_releaselwp();
}

struct lwp *
rump_pub_lwproc_curlwp(void)
{
	if (kern_boot() != 0)
		return NULL;
	return kern_lwproc_curlwp();
}

/* etfs: the kernel's KERN_ETFS_* have NetBSD's values, as ours do. */
_Static_assert(RUMP_ETFS_REG == KERN_ETFS_REG &&
    RUMP_ETFS_BLK == KERN_ETFS_BLK && RUMP_ETFS_CHR == KERN_ETFS_CHR &&
    RUMP_ETFS_DIR == KERN_ETFS_DIR &&
    RUMP_ETFS_DIR_SUBDIRS == KERN_ETFS_DIR_SUBDIRS &&
    RUMP_ETFS_SIZE_ENDOFF == KERN_ETFS_SIZE_ENDOFF, "etfs constants");

int
rump_pub_etfs_register(const char *key, const char *hostpath, int ftype)
{
	return rump_pub_etfs_register_withsize(key, hostpath, ftype, 0,
	    RUMP_ETFS_SIZE_ENDOFF);
}

int
rump_pub_etfs_register_withsize(const char *key, const char *hostpath,
    int ftype, uint64_t begin, uint64_t size)
{
	int error = kern_boot();

	return error ? error : kern_etfs_register(key, hostpath, ftype, begin,
	    size);
}

int
rump_pub_etfs_remove(const char *key)
{
	int error = kern_boot();

	return error ? error : kern_etfs_remove(key);
}
