/*
 * hostabi.c: host C library types <-> kernel ABI structures.
 *
 * The kernel's structures have Linux's layout with fixed-width fields.
 * struct stat and struct statfs are converted field by field because the
 * C library's may differ from the kernel's on other hosts; the structures
 * that are passed through unconverted are checked here at compile time.
 */
#include <poll.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>

#include "hostabi.h"

_Static_assert(sizeof(struct timespec) == sizeof(struct ktimespec) &&
    offsetof(struct timespec, tv_nsec) == offsetof(struct ktimespec, tv_nsec),
    "struct timespec layout");
_Static_assert(sizeof(struct pollfd) == sizeof(struct kpollfd) &&
    offsetof(struct pollfd, revents) == offsetof(struct kpollfd, revents),
    "struct pollfd layout");
_Static_assert(sizeof(struct iovec) == sizeof(struct kiovec) &&
    offsetof(struct iovec, iov_len) == offsetof(struct kiovec, iov_len),
    "struct iovec layout");
_Static_assert(sizeof(struct utsname) == sizeof(struct kutsname),
    "struct utsname layout");
_Static_assert(sizeof(struct rlimit) == sizeof(struct krlimit),
    "struct rlimit layout");
_Static_assert(sizeof(struct kstat) == 144, "struct kstat size");
_Static_assert(sizeof(struct kstatfs) == 120, "struct kstatfs size");
_Static_assert(sizeof(struct kstatx) == 256, "struct kstatx size");

void
hostabi_stat_from_kernel(struct stat *st, const struct kstat *k)
{
	*st = (struct stat){ 0 };
	st->st_dev = k->st_dev;
	st->st_ino = k->st_ino;
	st->st_nlink = k->st_nlink;
	st->st_mode = k->st_mode;
	st->st_uid = k->st_uid;
	st->st_gid = k->st_gid;
	st->st_rdev = k->st_rdev;
	st->st_size = k->st_size;
	st->st_blksize = k->st_blksize;
	st->st_blocks = k->st_blocks;
	st->st_atim.tv_sec = k->st_atim.tv_sec;
	st->st_atim.tv_nsec = k->st_atim.tv_nsec;
	st->st_mtim.tv_sec = k->st_mtim.tv_sec;
	st->st_mtim.tv_nsec = k->st_mtim.tv_nsec;
	st->st_ctim.tv_sec = k->st_ctim.tv_sec;
	st->st_ctim.tv_nsec = k->st_ctim.tv_nsec;
}

void
hostabi_statfs_from_kernel(struct statfs *sf, const struct kstatfs *k)
{
	*sf = (struct statfs){ 0 };
	sf->f_type = k->f_type;
	sf->f_bsize = k->f_bsize;
	sf->f_blocks = k->f_blocks;
	sf->f_bfree = k->f_bfree;
	sf->f_bavail = k->f_bavail;
	sf->f_files = k->f_files;
	sf->f_ffree = k->f_ffree;
	sf->f_fsid.__val[0] = k->f_fsid[0];
	sf->f_fsid.__val[1] = k->f_fsid[1];
	sf->f_namelen = k->f_namelen;
	sf->f_frsize = k->f_frsize;
	sf->f_flags = k->f_flags;
}
