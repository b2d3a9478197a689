/*
 * msdosfs_util.h: helpers shared by the msdosfs tests: a scratch host
 * directory, FAT images made with mkfs.fat and filled with mtools,
 * registering an image as /dev/img0 and mounting it on /mnt, comparing
 * file contents with a pattern.  Header-only (static functions), so each
 * test program stays a single source file for the Makefile.
 */
#ifndef MSDOSFS_UTIL_H
#define MSDOSFS_UTIL_H

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

/* A getdents64 record. */
struct mt_dirent {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

static char mt_dir[64];		/* scratch host directory */
static char mt_img[128];	/* the image in it */

/* Run a shell command built like printf; its exit status (-1: signal). */
static int __attribute__((format(printf, 1, 2), unused))
mt_sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Make the scratch directory and remember the image path. */
static void __attribute__((unused))
mt_init(void)
{
	snprintf(mt_dir, sizeof(mt_dir), "/tmp/msdosfs-test.XXXXXX");
	if (mkdtemp(mt_dir) == NULL) {
		TFAIL("mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(mt_img, sizeof(mt_img), "%s/img", mt_dir);
}

/* Remove the scratch directory. */
static void __attribute__((unused))
mt_fini(void)
{
	if (mt_dir[0] != '\0')
		mt_sh("rm -rf '%s'", mt_dir);
}

/* mkfs.fat an image of kb KiB with extra arguments (e.g. "-F 16 -s 1"). */
static int __attribute__((unused))
mt_mkfs(unsigned kb, const char *args)
{
	unlink(mt_img);
	return mt_sh("mkfs.fat -C %s %s '%s' %u >/dev/null 2>&1", args,
	    "-i 12345678", mt_img, kb);
}

/* The byte at offset off of test file number seed. */
static unsigned char __attribute__((unused))
mt_pat(unsigned seed, uint64_t off)
{
	return (unsigned char)((off * 7 + seed * 13 + (off >> 9)) % 251);
}

/* Write a host file of size bytes with pattern seed. */
static int __attribute__((unused))
mt_hostfile(const char *path, uint64_t size, unsigned seed)
{
	unsigned char buf[65536];
	uint64_t off = 0;
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	while (off < size) {
		size_t n = size - off < sizeof(buf) ? size - off : sizeof(buf);

		for (size_t i = 0; i < n; i++)
			buf[i] = mt_pat(seed, off + i);
		if (fwrite(buf, 1, n, f) != n)
			break;
		off += n;
	}
	return fclose(f) == 0 && off == size ? 0 : -1;
}

/* Boot, register the image as /dev/img0 and mount it on /mnt. */
static int __attribute__((unused))
mt_mount(unsigned long flags, const char *opts)
{
	int error;

	if ((error = rump_init()) != 0) {
		TFAIL("rump_init: %s", strerror(error));
		return -1;
	}
	if ((error = rump_pub_etfs_register("/dev/img0", mt_img,
	    RUMP_ETFS_BLK)) != 0) {
		TFAIL("etfs_register: %s", strerror(error));
		return -1;
	}
	if (rump_sys_mkdir("/mnt", 0755) == -1 && errno != EEXIST) {
		TFAIL("mkdir /mnt: %s", strerror(errno));
		return -1;
	}
	return rump_sys_mount("/dev/img0", "/mnt", "msdos", flags, opts);
}

/* Read the whole rump file path and check it against pattern seed. */
static int __attribute__((unused))
mt_checkfile(const char *path, uint64_t size, unsigned seed)
{
	const size_t bufsize = 1 << 20;
	unsigned char *buf;
	uint64_t off = 0;
	ssize_t n;
	int fd = rump_sys_open(path, O_RDONLY);

	if (fd == -1) {
		TFAIL("open %s: %s", path, strerror(errno));
		return -1;
	}
	if ((buf = malloc(bufsize)) == NULL) {
		rump_sys_close(fd);
		return -1;
	}
	while ((n = rump_sys_read(fd, buf, bufsize)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] != mt_pat(seed, off + (uint64_t)i)) {
				TFAIL("%s: byte %llu differs", path,
				    (unsigned long long)(off + (uint64_t)i));
				rump_sys_close(fd);
				free(buf);
				return -1;
			}
		off += (uint64_t)n;
	}
	rump_sys_close(fd);
	free(buf);
	if (n < 0 || off != size) {
		TFAIL("%s: read %llu bytes, expected %llu (%s)", path,
		    (unsigned long long)off, (unsigned long long)size,
		    n < 0 ? strerror(errno) : "short");
		return -1;
	}
	return 0;
}

/* Write a rump file of size bytes with pattern seed (created/truncated). */
static int __attribute__((unused))
mt_putfile(const char *path, uint64_t size, unsigned seed)
{
	unsigned char buf[1 << 14];
	uint64_t off = 0;
	int fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd == -1)
		return -1;
	while (off < size) {
		size_t n = size - off < sizeof(buf) ? size - off : sizeof(buf);
		ssize_t w;

		for (size_t i = 0; i < n; i++)
			buf[i] = mt_pat(seed, off + i);
		if ((w = rump_sys_write(fd, buf, n)) != (ssize_t)n) {
			rump_sys_close(fd);
			return -1;
		}
		off += n;
	}
	return rump_sys_close(fd);
}

/* Does getdents of rump directory path list name? */
static int __attribute__((unused))
mt_listed(const char *path, const char *name)
{
	char buf[8192];
	ssize_t n, i;
	int fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY), found = 0;

	if (fd == -1)
		return -1;
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n;) {
			struct mt_dirent *d = (void *)(buf + i);

			if (strcmp(d->d_name, name) == 0)
				found = 1;
			i += d->d_reclen;
		}
	}
	rump_sys_close(fd);
	return n < 0 ? -1 : found;
}

#endif /* MSDOSFS_UTIL_H */
