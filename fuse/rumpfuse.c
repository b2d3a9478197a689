/*
 * rumpfuse.c: FUSE operations as rump kernel system calls.
 *
 * FUSE hands us paths relative to the mount point; each becomes the same
 * path under the kernel directory we serve, and each operation one or two
 * rump_sys_* calls.  Open files keep their kernel descriptor in fi->fh.
 * Errors are the kernel's errno values, negated as FUSE wants.  FUSE runs
 * the operations on several threads; the kernel is thread-safe.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>

#include <rump/rump.h>

#include "rumpfuse.h"

static char rf_root[256];

/* The kernel path for a FUSE path; ENAMETOOLONG when it does not fit. */
static int
kpath(const char *path, char *out, size_t len)
{
	int n = snprintf(out, len, "%s%s", rf_root, path);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

#define KPATH(var, path) \
	char var[4096]; \
	do { int _e = kpath((path), var, sizeof(var)); if (_e) return _e; } \
	while (0)

/* A rump_sys_* result as FUSE wants it. */
static int
res(long rv)
{
	return rv < 0 ? -errno : (int)rv;
}

static int
rf_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	if (fi != NULL)
		return res(rump_sys_fstat((int)fi->fh, st));
	KPATH(p, path);
	return res(rump_sys_lstat(p, st));
}

static int
rf_mkdir(const char *path, mode_t mode)
{
	KPATH(p, path);
	return res(rump_sys_mkdir(p, mode));
}

static int
rf_unlink(const char *path)
{
	KPATH(p, path);
	return res(rump_sys_unlink(p));
}

static int
rf_rmdir(const char *path)
{
	KPATH(p, path);
	return res(rump_sys_rmdir(p));
}

static int
rf_rename(const char *from, const char *to, unsigned int flags)
{
	KPATH(a, from);
	KPATH(b, to);
	return res(rump_sys_renameat2(AT_FDCWD, a, AT_FDCWD, b, flags));
}

static int
rf_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	if (fi != NULL)
		return res(rump_sys_fchmod((int)fi->fh, mode));
	KPATH(p, path);
	return res(rump_sys_chmod(p, mode));
}

static int
rf_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	if (fi != NULL)
		return res(rump_sys_fchown((int)fi->fh, uid, gid));
	KPATH(p, path);
	return res(rump_sys_lchown(p, uid, gid));
}

static int
rf_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	if (fi != NULL)
		return res(rump_sys_ftruncate((int)fi->fh, size));
	KPATH(p, path);
	return res(rump_sys_truncate(p, size));
}

static int
rf_open(const char *path, struct fuse_file_info *fi)
{
	int fd;

	KPATH(p, path);
	fd = rump_sys_open(p, fi->flags & ~(O_CREAT | O_EXCL | O_NOCTTY));
	if (fd < 0)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int
rf_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int fd;

	KPATH(p, path);
	fd = rump_sys_open(p, fi->flags | O_CREAT, mode);
	if (fd < 0)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int
rf_read(const char *path, char *buf, size_t n, off_t off,
    struct fuse_file_info *fi)
{
	(void)path;
	return res(rump_sys_pread((int)fi->fh, buf, n, off));
}

static int
rf_write(const char *path, const char *buf, size_t n, off_t off,
    struct fuse_file_info *fi)
{
	(void)path;
	return res(rump_sys_pwrite((int)fi->fh, buf, n, off));
}

static int
rf_statfs(const char *path, struct statvfs *sv)
{
	struct statfs sf;

	KPATH(p, path);
	if (rump_sys_statfs(p, &sf) < 0)
		return -errno;
	memset(sv, 0, sizeof(*sv));
	sv->f_bsize = (unsigned long)sf.f_bsize;
	sv->f_frsize = (unsigned long)(sf.f_frsize ? sf.f_frsize : sf.f_bsize);
	sv->f_blocks = sf.f_blocks;
	sv->f_bfree = sf.f_bfree;
	sv->f_bavail = sf.f_bavail;
	sv->f_files = sf.f_files;
	sv->f_ffree = sf.f_ffree;
	sv->f_favail = sf.f_ffree;
	sv->f_namemax = (unsigned long)sf.f_namelen;
	return 0;
}

static int
rf_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	return res(rump_sys_close((int)fi->fh));
}

static int
rf_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	return res(datasync ? rump_sys_fdatasync((int)fi->fh) :
	    rump_sys_fsync((int)fi->fh));
}

static int
rf_opendir(const char *path, struct fuse_file_info *fi)
{
	int fd;

	KPATH(p, path);
	fd = rump_sys_open(p, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

/* Hand every entry to FUSE with its offset cookie, resuming at off. */
static int
rf_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
    struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	char dbuf[32768];
	int fd = (int)fi->fh;
	ssize_t n;

	(void)path;
	(void)flags;
	if (rump_sys_lseek(fd, off, SEEK_SET) < 0)
		return -errno;
	while ((n = rump_sys_getdents64(fd, dbuf, sizeof(dbuf))) > 0) {
		for (ssize_t pos = 0; pos < n;) {
			struct dirent64 *d = (struct dirent64 *)(dbuf + pos);
			struct stat st = { .st_ino = d->d_ino,
			    .st_mode = (mode_t)DTTOIF(d->d_type) };

			pos += d->d_reclen;
			if (fill(buf, d->d_name, &st, d->d_off, 0) != 0)
				return 0;
		}
	}
	return n < 0 ? -errno : 0;
}

/* fsync of a directory (sync DIR): without this, FUSE would skip it. */
static int
rf_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi)
{
	return rf_fsync(path, datasync, fi);
}

static int
rf_releasedir(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	return res(rump_sys_close((int)fi->fh));
}

static int
rf_utimens(const char *path, const struct timespec tv[2],
    struct fuse_file_info *fi)
{
	if (fi != NULL)
		return res(rump_sys_futimens((int)fi->fh, tv));
	KPATH(p, path);
	return res(rump_sys_utimensat(AT_FDCWD, p, tv, AT_SYMLINK_NOFOLLOW));
}

/* The FUSE instance, for the signal handler; set once serving starts. */
static struct fuse *volatile rf_fuse;
static volatile sig_atomic_t rf_stop_sig;

/* Large requests: fewer round trips through the host kernel. */
static void *
rf_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	cfg->use_ino = 1;
	cfg->attr_timeout = 1.0;
	cfg->entry_timeout = 1.0;
	rf_fuse = fuse_get_context()->fuse;
	if (rf_stop_sig != 0)		/* signalled before we got here */
		fuse_exit(rf_fuse);
	return NULL;
}

/*
 * SIGTERM, SIGINT, SIGHUP: leave the FUSE loop, as libfuse's own handler
 * does (fuse_main then unmounts), but remember that a signal asked for it.
 */
static void
rf_stop(int sig)
{
	rf_stop_sig = sig;
	if (rf_fuse != NULL)
		fuse_exit(rf_fuse);
}

void
rumpfuse_catch_signals(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = rf_stop;	/* no SA_RESTART: interrupt the reads */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int
rumpfuse_stop_signal(void)
{
	return rf_stop_sig;
}

/*
 * After the FUSE loop: close the kernel files FUSE left open (a signal
 * ends the loop before the host kernel's RELEASE requests arrive), so
 * that unmounting the kernel's file system does not find it busy.
 */
void
rumpfuse_close_all(void)
{
	struct rlimit rl;

	if (rump_sys_getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	for (rlim_t fd = 0; fd < rl.rlim_cur && fd < (1 << 20); fd++)
		(void)rump_sys_close((int)fd);
}

static const struct fuse_operations rf_ops = {
	.init = rf_init,
	.getattr = rf_getattr,
	.mkdir = rf_mkdir,
	.unlink = rf_unlink,
	.rmdir = rf_rmdir,
	.rename = rf_rename,
	.chmod = rf_chmod,
	.chown = rf_chown,
	.truncate = rf_truncate,
	.open = rf_open,
	.create = rf_create,
	.read = rf_read,
	.write = rf_write,
	.statfs = rf_statfs,
	.release = rf_release,
	.fsync = rf_fsync,
	.opendir = rf_opendir,
	.readdir = rf_readdir,
	.releasedir = rf_releasedir,
	.fsyncdir = rf_fsyncdir,
	.utimens = rf_utimens,
};

const struct fuse_operations *
rumpfuse_ops(const char *root)
{
	snprintf(rf_root, sizeof(rf_root), "%s", root);
	return &rf_ops;
}
