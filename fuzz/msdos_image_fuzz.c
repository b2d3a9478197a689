/*
 * msdos_image_fuzz.c: libFuzzer harness for the kernel's FAT file system
 * (kern/fs/msdosfs), the code that meets hostile images in rump_msdos.
 *
 * The input is a disk image of at most FZ_IMAGE_MAX bytes.  Each run
 * writes it to a memfd, registers that as a block device (etfs), mounts
 * it read-write, walks the whole tree (getdents64, lstat, open, read
 * every file from the start and at its end, readlink), writes (creates,
 * appends, truncates, mkdir, rename, unlink, rmdir, also on files and
 * directories found in the image), syncs, unmounts and unregisters.  The
 * kernel is booted once; every run leaves it as it found it.
 *
 * An input whose length is a multiple of 512 is zero-extended to the
 * size its boot sector claims (at most FZ_DEV_MAX), so that seeds can
 * drop the long runs of zeros a FAT image ends with
 * (fuzz/gen_msdos_corpus.py trims them).  Any other length is the device
 * as it is: a truncated image, shorter than its file system says, as is
 * one that claims more than FZ_DEV_MAX.
 *
 * Findings: AddressSanitizer and UBSan reports, leaks, hangs (libFuzzer's
 * -timeout), and the abort()s below when the kernel is left in a state
 * the next run would inherit (a mount that cannot be unmounted, a device
 * that stays busy): every file this harness opens is closed again, so
 * those are the file system's leaks.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>

#define FZ_IMAGE_MAX	(2u << 20)	/* the largest input we take */
#define FZ_DEV_MAX	(64u << 20)	/* the largest device we make */
#define FZ_KEY		"/dev/fuzz0"
#define FZ_MNT		"/fat"
#define FZ_DEPTH	24		/* directory levels walked */
#define FZ_ENTRIES	4096		/* entries looked at per run */
#define FZ_READ_MAX	(256u << 10)	/* bytes read from a file's start */
#define FZ_PATH		1024

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fz_memfd = -1;
static char fz_hostpath[64];

/* What one run has seen, for the writes that follow the walk. */
struct fz_run {
	int	entries;		/* budget used */
	char	file[FZ_PATH];		/* first regular file found */
	char	dir[FZ_PATH];		/* first subdirectory found */
	char	buf[65536];
};

/* Boot the kernel once and make the mount point and the memfd. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (rump_init() != 0 || rump_sys_mkdir(FZ_MNT, 0755) != 0)
		abort();
	fz_memfd = memfd_create("msdos_image_fuzz", MFD_CLOEXEC);
	if (fz_memfd < 0)
		abort();
	snprintf(fz_hostpath, sizeof(fz_hostpath), "/proc/self/fd/%d",
	    fz_memfd);
	return 0;
}

/* Little-endian fields of the boot sector (bounds checked by callers). */
static uint32_t
fz_le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
fz_le32(const uint8_t *p)
{
	return fz_le16(p) | fz_le16(p + 2) << 16;
}

/* The device size: the input, or zero-extended to what its BPB claims. */
static uint64_t
fz_devsize(const uint8_t *data, size_t size)
{
	uint64_t claim, bps, secs;

	if (size < 36 || size % 512 != 0)
		return size;
	bps = fz_le16(data + 11);
	secs = fz_le16(data + 19);
	if (secs == 0)
		secs = fz_le32(data + 32);
	claim = bps * secs;
	if (claim > FZ_DEV_MAX)
		claim = FZ_DEV_MAX;
	return claim > size ? claim : size;
}

/* Read a file: its start (bounded) and its last bytes. */
static void
fz_read_file(struct fz_run *r, const char *path, off_t fsize)
{
	size_t total = 0;
	ssize_t n;
	int fd;

	if ((fd = rump_sys_open(path, O_RDONLY)) < 0)
		return;
	while (total < FZ_READ_MAX &&
	    (n = rump_sys_read(fd, r->buf, sizeof(r->buf))) > 0)
		total += (size_t)n;
	if (fsize > 0)
		(void)rump_sys_pread(fd, r->buf, 4096,
		    fsize > 4096 ? fsize - 4096 : 0);
	(void)rump_sys_lseek(fd, 0, SEEK_END);
	rump_sys_close(fd);
}

static void fz_walk(struct fz_run *r, const char *path, int depth);

/* One directory entry: look at it, and go down into directories. */
static void
fz_entry(struct fz_run *r, const char *dir, const char *name, int depth)
{
	char path[FZ_PATH];
	struct stat st;
	char link[256];

	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return;
	if (rump_sys_lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		if (r->dir[0] == '\0')
			snprintf(r->dir, sizeof(r->dir), "%s", path);
		fz_walk(r, path, depth + 1);
	} else if (S_ISREG(st.st_mode)) {
		if (r->file[0] == '\0')
			snprintf(r->file, sizeof(r->file), "%s", path);
		fz_read_file(r, path, st.st_size);
	} else if (S_ISLNK(st.st_mode))
		(void)rump_sys_readlink(path, link, sizeof(link));
}

/* Walk a directory tree, bounded in depth and in entries. */
static void
fz_walk(struct fz_run *r, const char *path, int depth)
{
	char dbuf[4096];
	ssize_t n;
	int fd;

	if (depth > FZ_DEPTH || (fd = rump_sys_open(path,
	    O_RDONLY | O_DIRECTORY)) < 0)
		return;
	while (r->entries < FZ_ENTRIES &&
	    (n = rump_sys_getdents64(fd, dbuf, sizeof(dbuf))) > 0) {
		for (ssize_t pos = 0; pos < n && r->entries < FZ_ENTRIES;) {
			struct dirent64 *d = (struct dirent64 *)(dbuf + pos);

			if (d->d_reclen == 0 || pos + d->d_reclen > n)
				abort();	/* getdents64 broke its format */
			pos += d->d_reclen;
			r->entries++;
			fz_entry(r, path, d->d_name, depth);
		}
	}
	rump_sys_close(fd);
}

/* Create or open path, write len bytes at off, optionally truncate. */
static void
fz_write(struct fz_run *r, const char *path, int flags, off_t off,
    size_t len, off_t trunc)
{
	int fd;

	if ((fd = rump_sys_open(path, O_RDWR | flags, 0644)) < 0)
		return;
	memset(r->buf, 'w', len < sizeof(r->buf) ? len : sizeof(r->buf));
	(void)rump_sys_pwrite(fd, r->buf, len < sizeof(r->buf) ? len :
	    sizeof(r->buf), off);
	if (trunc >= 0)
		(void)rump_sys_ftruncate(fd, trunc);
	(void)rump_sys_fsync(fd);
	rump_sys_close(fd);
}

/* Change the file system: new names, and what the image already had. */
static void
fz_writes(struct fz_run *r)
{
	char path[FZ_PATH + 64];
	struct statfs sf;

	fz_write(r, FZ_MNT "/new.txt", O_CREAT, 0, 3000, -1);
	fz_write(r, FZ_MNT "/new.txt", O_APPEND, 0, 5000, 100);
	(void)rump_sys_mkdir(FZ_MNT "/A New Directory", 0755);
	(void)rump_sys_rename(FZ_MNT "/new.txt",
	    FZ_MNT "/A New Directory/a long renamed name.txt");
	if (r->file[0] != '\0') {
		/* Extend and shrink a chain the image made. */
		fz_write(r, r->file, 0, 70000, 1000, -1);
		fz_write(r, r->file, 0, 10, 10, 4096);
	}
	if (r->dir[0] != '\0') {
		snprintf(path, sizeof(path), "%s/created here", r->dir);
		fz_write(r, path, O_CREAT | O_EXCL, 0, 600, -1);
		(void)rump_sys_unlink(path);
		(void)rump_sys_rename(r->dir, FZ_MNT "/A New Directory/moved");
	}
	if (r->file[0] != '\0')
		(void)rump_sys_unlink(r->file);
	(void)rump_sys_unlink(FZ_MNT "/A New Directory/a long renamed name.txt");
	(void)rump_sys_rmdir(FZ_MNT "/A New Directory");
	(void)rump_sys_statfs(FZ_MNT, &sf);
	rump_sys_sync();
}

/* The mount options for this input: vary the short-name rules. */
static const char *
fz_options(size_t size)
{
	static const char *opts[] = { "", "shortname=lower",
	    "shortname=win95,utf8", "shortname=mixed,uid=1,gid=2,umask=027" };

	return opts[size % 4];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_run run;
	uint64_t devsize;
	int error;

	if (size == 0 || size > FZ_IMAGE_MAX)
		return -1;		/* not added to the corpus */
	if (ftruncate(fz_memfd, 0) != 0 ||
	    pwrite(fz_memfd, data, size, 0) != (ssize_t)size)
		abort();
	devsize = fz_devsize(data, size);
	error = rump_pub_etfs_register_withsize(FZ_KEY, fz_hostpath,
	    RUMP_ETFS_BLK, 0, devsize);
	if (error != 0)
		abort();		/* the harness's fault, not the image's */
	if (rump_sys_mount(FZ_KEY, FZ_MNT, "msdos", 0, fz_options(size)) == 0) {
		memset(&run, 0, sizeof(run) - sizeof(run.buf));
		fz_walk(&run, FZ_MNT, 0);
		fz_writes(&run);
		if (rump_sys_umount2(FZ_MNT, 0) != 0)
			abort();	/* something still holds the mount */
	}
	if (rump_pub_etfs_remove(FZ_KEY) != 0)
		abort();		/* something still holds the device */
	return 0;
}
