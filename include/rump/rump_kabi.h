/*
 * rump_kabi.h: the kernel's ABI structures (public).
 *
 * The kernel speaks Linux's (x86-64/generic) ABI: these structures have
 * Linux's layout, written with fixed-width types only, so that this header
 * can be included both inside kern/ and at the edges (the local API, the
 * wire) that convert to and from host types.  Only K-prefixed constants live here, so
 * including it beside host headers never clashes.
 */
#ifndef RUMP_RUMP_KABI_H
#define RUMP_RUMP_KABI_H

#include <stdint.h>

struct ktimespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* struct stat, 144 bytes. */
struct kstat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	int32_t  st_pad0;
	uint64_t st_rdev;
	int64_t  st_size;
	int64_t  st_blksize;
	int64_t  st_blocks;		/* 512-byte units */
	struct ktimespec st_atim;
	struct ktimespec st_mtim;
	struct ktimespec st_ctim;
	int64_t  st_unused[3];
};

/* struct statfs, 120 bytes. */
struct kstatfs {
	int64_t  f_type;
	int64_t  f_bsize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_bavail;
	uint64_t f_files;
	uint64_t f_ffree;
	int32_t  f_fsid[2];
	int64_t  f_namelen;
	int64_t  f_frsize;
	int64_t  f_flags;
	int64_t  f_spare[4];
};

struct kstatx_timestamp {
	int64_t  tv_sec;
	uint32_t tv_nsec;
	int32_t  reserved;
};

/* struct statx, 256 bytes. */
struct kstatx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t stx_spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct kstatx_timestamp stx_atime;
	struct kstatx_timestamp stx_btime;
	struct kstatx_timestamp stx_ctime;
	struct kstatx_timestamp stx_mtime;
	uint32_t stx_rdev_major;
	uint32_t stx_rdev_minor;
	uint32_t stx_dev_major;
	uint32_t stx_dev_minor;
	uint64_t stx_spare2[14];
};

/* struct linux_dirent64 header; d_name follows, NUL-terminated, 8-aligned. */
struct kdirent64 {
	uint64_t d_ino;
	int64_t  d_off;
	uint16_t d_reclen;
	uint8_t  d_type;
	char     d_name[];
};

struct kpollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};

/* struct iovec: base is an address in the kernel's own address space. */
struct kiovec {
	void    *iov_base;
	uint64_t iov_len;
};

#define KUTS_LEN 65
struct kutsname {
	char sysname[KUTS_LEN];
	char nodename[KUTS_LEN];
	char release[KUTS_LEN];
	char version[KUTS_LEN];
	char machine[KUTS_LEN];
	char domainname[KUTS_LEN];
};

struct krlimit {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};

/* Signal set as the Linux kernel sees it: bit (sig - 1) for signal sig. */
typedef uint64_t ksigset_t;

/* What sysctl_info() reports about one node of the sysctl tree. */
struct ksysctl_info {
	uint32_t si_type;		/* KSYSCTL_TYPE_* */
	uint32_t si_flags;		/* KSYSCTL_FLAG_* */
	uint64_t si_size;		/* current value size in bytes */
	char     si_descr[96];		/* one-line description */
};
#define KSYSCTL_TYPE_NODE   1
#define KSYSCTL_TYPE_INT    2
#define KSYSCTL_TYPE_QUAD   3
#define KSYSCTL_TYPE_STRING 4
#define KSYSCTL_TYPE_STRUCT 5
#define KSYSCTL_FLAG_WRITABLE 0x1
#define KSYSCTL_NAMEMAX 128	/* longest dotted name, with the NUL */

/* One process, as getprocs() reports it. */
struct kprocinfo {
	int32_t  pi_pid;
	int32_t  pi_ppid;
	uint32_t pi_uid, pi_euid;
	uint32_t pi_gid, pi_egid;
	int32_t  pi_nlwps;
	int32_t  pi_nfds;		/* open descriptors */
	char     pi_comm[32];
};

/* One mounted file system, as getmounts() reports it. */
struct kmntinfo {
	char     mi_fstype[16];
	char     mi_from[256];
	char     mi_on[1024];
	int64_t  mi_flags;		/* MS_* */
};

#endif /* RUMP_RUMP_KABI_H */
