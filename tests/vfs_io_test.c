/*
 * vfs_io_test.c: open(2) flags, read/write and their positional and vector
 * forms, lseek, truncate, stat/statx, getdents64, utimensat, mknod,
 * O_TMPFILE, fsync.  Expected values and errors are Linux's.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

struct ldirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static void
boot(void)
{
	CHECK_EQ(rump_init(), 0);
}

static int
mkfile(const char *path)
{
	return (int)CHECK_OK(rump_sys_open(path, O_CREAT | O_TRUNC | O_RDWR,
	    0644));
}

/* Write str to a new file path. */
static void
putfile(const char *path, const char *str)
{
	int fd = mkfile(path);

	CHECK_EQ(rump_sys_write(fd, str, strlen(str)), (long)strlen(str));
	CHECK_OK(rump_sys_close(fd));
}

static long long
size_of(const char *path)
{
	struct stat st;

	if (rump_sys_stat(path, &st) != 0)
		return -1;
	return st.st_size;
}

TEST(open_create_and_excl)
{
	struct stat st;
	int fd;

	boot();
	CHECK_EQ(rump_sys_umask(022), 022);
	fd = (int)CHECK_OK(rump_sys_open("/f", O_CREAT | O_EXCL | O_WRONLY,
	    0777));
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0755);
	CHECK_EQ(st.st_uid, 0);
	CHECK_EQ(st.st_nlink, 1);
	CHECK_EQ(st.st_size, 0);
	CHECK_OK(rump_sys_close(fd));
	CHECK_ERR(rump_sys_open("/f", O_CREAT | O_EXCL | O_WRONLY, 0644),
	    EEXIST);
	/* Created with no permissions, it is still opened read-write. */
	CHECK_EQ(rump_sys_umask(0), 022);
	fd = (int)CHECK_OK(rump_sys_open("/g", O_CREAT | O_RDWR, 0));
	CHECK_EQ(rump_sys_write(fd, "x", 1), 1);
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_mode, S_IFREG);
	CHECK_OK(rump_sys_close(fd));
	CHECK_ERR(rump_sys_open("/nothere", O_RDONLY), ENOENT);
	CHECK_ERR(rump_sys_open("/nodir/f", O_CREAT | O_RDWR, 0644), ENOENT);
	/* creat() truncates. */
	putfile("/h", "hello");
	fd = (int)CHECK_OK(rump_sys_creat("/h", 0644));
	CHECK_EQ(size_of("/h"), 0);
	CHECK_ERR(rump_sys_read(fd, &st, 1), EBADF);
	CHECK_OK(rump_sys_close(fd));
}

TEST(open_type_errors)
{
	boot();
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	putfile("/f", "x");
	CHECK_ERR(rump_sys_open("/d", O_WRONLY), EISDIR);
	CHECK_ERR(rump_sys_open("/d", O_RDWR), EISDIR);
	CHECK_ERR(rump_sys_open("/d", O_RDONLY | O_TRUNC), EISDIR);
	CHECK_ERR(rump_sys_open("/d", O_CREAT | O_RDONLY, 0644), EISDIR);
	CHECK_ERR(rump_sys_creat("/d", 0644), EISDIR);
	CHECK_ERR(rump_sys_open("/f", O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERR(rump_sys_open("/d", O_CREAT | O_DIRECTORY, 0644), EINVAL);
	CHECK_ERR(rump_sys_open("/new", O_CREAT | O_DIRECTORY, 0644), EINVAL);
	CHECK_ERR(rump_sys_open(NULL, O_RDONLY), EFAULT);
	int fd = (int)CHECK_OK(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	CHECK_OK(rump_sys_close(fd));
}

TEST(open_flags_reported)
{
	int fd, pfd;

	boot();
	putfile("/f", "x");
	fd = (int)CHECK_OK(rump_sys_open("/f", O_RDWR | O_APPEND | O_CLOEXEC));
	/*
	 * Linux reports O_LARGEFILE (the kernel's 0100000; glibc defines
	 * it as 0 on 64-bit hosts); creation flags are gone.
	 */
	CHECK_EQ(rump_sys_fcntl(fd, F_GETFL), O_RDWR | O_APPEND | 0100000);
	CHECK_EQ(rump_sys_fcntl(fd, F_GETFD), FD_CLOEXEC);
	pfd = (int)CHECK_OK(rump_sys_open("/f", O_PATH | O_NOFOLLOW | O_RDWR));
	CHECK_EQ(rump_sys_fcntl(pfd, F_GETFL), O_PATH | O_NOFOLLOW);
	CHECK_EQ(rump_sys_fcntl(pfd, F_GETFD), 0);
}

TEST(read_write_offsets)
{
	char buf[32];
	int fd;

	boot();
	fd = mkfile("/f");
	CHECK_EQ(rump_sys_write(fd, "hello world", 11), 11);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 11);
	CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 0);
	CHECK_EQ(rump_sys_lseek(fd, 6, SEEK_SET), 6);
	CHECK_EQ(rump_sys_read(fd, buf, 3), 3);
	CHECK(memcmp(buf, "wor", 3) == 0);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 9);
	/* pread/pwrite leave the offset alone. */
	CHECK_EQ(rump_sys_pread(fd, buf, 5, 0), 5);
	CHECK(memcmp(buf, "hello", 5) == 0);
	CHECK_EQ(rump_sys_pwrite(fd, "J", 1, 0), 1);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 9);
	CHECK_EQ(rump_sys_pread(fd, buf, 32, 0), 11);
	CHECK(memcmp(buf, "Jello world", 11) == 0);
	CHECK_EQ(rump_sys_pread(fd, buf, 32, 100), 0);
	CHECK_ERR(rump_sys_pread(fd, buf, 1, -1), EINVAL);
	CHECK_ERR(rump_sys_pwrite(fd, buf, 1, -1), EINVAL);
	/* Writing past the end leaves a hole of zeros. */
	CHECK_EQ(rump_sys_pwrite(fd, "Z", 1, 20), 1);
	CHECK_EQ(rump_sys_pread(fd, buf, 32, 0), 21);
	CHECK(buf[11] == 0 && buf[19] == 0 && buf[20] == 'Z');
	CHECK_ERR(rump_sys_read(fd, NULL, 1), EFAULT);
	CHECK_ERR(rump_sys_write(fd, NULL, 1), EFAULT);
	CHECK_EQ(rump_sys_write(fd, NULL, 0), 0);
	CHECK_ERR(rump_sys_read(-1, buf, 1), EBADF);
	CHECK_ERR(rump_sys_write(99, buf, 1), EBADF);
}

TEST(access_mode_enforced)
{
	char buf[4];
	int rfd, wfd, dfd, pfd;

	boot();
	putfile("/f", "abc");
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	rfd = (int)CHECK_OK(rump_sys_open("/f", O_RDONLY));
	wfd = (int)CHECK_OK(rump_sys_open("/f", O_WRONLY));
	dfd = (int)CHECK_OK(rump_sys_open("/d", O_RDONLY));
	pfd = (int)CHECK_OK(rump_sys_open("/f", O_PATH));
	CHECK_ERR(rump_sys_write(rfd, "x", 1), EBADF);
	CHECK_ERR(rump_sys_write(rfd, "x", 0), EBADF);
	CHECK_ERR(rump_sys_read(wfd, buf, 1), EBADF);
	CHECK_ERR(rump_sys_pread(wfd, buf, 1, 0), EBADF);
	CHECK_ERR(rump_sys_read(dfd, buf, 1), EISDIR);
	CHECK_ERR(rump_sys_read(dfd, buf, 0), EISDIR);
	CHECK_ERR(rump_sys_write(dfd, buf, 1), EBADF);
	CHECK_ERR(rump_sys_read(pfd, buf, 1), EBADF);
	CHECK_ERR(rump_sys_lseek(pfd, 0, SEEK_SET), EBADF);
	struct stat st;
	CHECK_OK(rump_sys_fstat(pfd, &st));
	CHECK_EQ(st.st_size, 3);
}

TEST(append_mode)
{
	char buf[16];
	int fd;

	boot();
	putfile("/f", "abc");
	fd = (int)CHECK_OK(rump_sys_open("/f", O_RDWR | O_APPEND));
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 0);
	CHECK_EQ(rump_sys_write(fd, "de", 2), 2);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 5);
	/* pwrite on an O_APPEND file appends too (Linux) and keeps offset. */
	CHECK_EQ(rump_sys_lseek(fd, 1, SEEK_SET), 1);
	CHECK_EQ(rump_sys_pwrite(fd, "f", 1, 0), 1);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 1);
	CHECK_EQ(rump_sys_write(fd, "g", 1), 1);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 7);
	CHECK_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 7);
	CHECK(memcmp(buf, "abcdefg", 7) == 0);
	/* Clearing O_APPEND with F_SETFL takes effect. */
	CHECK_OK(rump_sys_fcntl(fd, F_SETFL, 0));
	CHECK_EQ(rump_sys_pwrite(fd, "A", 1, 0), 1);
	CHECK_EQ(rump_sys_pread(fd, buf, 1, 0), 1);
	CHECK_EQ(buf[0], 'A');
	CHECK_EQ(size_of("/f"), 7);
}

TEST(vectors)
{
	char a[4], b[8], c[3];
	struct iovec iov[3] = {
		{ a, sizeof(a) }, { b, sizeof(b) }, { c, sizeof(c) },
	};
	struct iovec wiov[2] = { { "0123", 4 }, { "456789abcdef", 12 } };
	static struct iovec many[1025];
	int fd;

	boot();
	fd = mkfile("/f");
	CHECK_EQ(rump_sys_writev(fd, wiov, 2), 16);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(rump_sys_readv(fd, iov, 3), 15);
	CHECK(memcmp(a, "0123", 4) == 0);
	CHECK(memcmp(b, "456789ab", 8) == 0);
	CHECK(memcmp(c, "cde", 3) == 0);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 15);
	CHECK_EQ(rump_sys_preadv(fd, iov, 2, 10), 6);
	CHECK(memcmp(a, "abcd", 4) == 0);
	CHECK(memcmp(b, "ef", 2) == 0);
	CHECK_EQ(rump_sys_pwritev(fd, wiov, 1, 16), 4);
	CHECK_EQ(size_of("/f"), 20);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 15);
	CHECK_ERR(rump_sys_preadv(fd, iov, 3, -1), EINVAL);
	CHECK_EQ(rump_sys_readv(fd, iov, 0), 0);
	CHECK_ERR(rump_sys_readv(fd, iov, -1), EINVAL);
	for (int i = 0; i < 1025; i++) {
		many[i].iov_base = a;
		many[i].iov_len = 1;
	}
	CHECK_ERR(rump_sys_readv(fd, many, 1025), EINVAL);
	CHECK_EQ(rump_sys_preadv(fd, many, 1024, 0), 20);
	CHECK_ERR(rump_sys_writev(fd, NULL, 1), EFAULT);
	struct iovec bad[2] = { { a, 1 }, { NULL, 5 } };
	CHECK_ERR(rump_sys_writev(fd, bad, 2), EFAULT);
	struct iovec huge[2] = { { a, SIZE_MAX / 2 + 1 }, { b, 1 } };
	CHECK_ERR(rump_sys_readv(fd, huge, 2), EINVAL);
}

TEST(lseek_rules)
{
	int fd, dfd, p[2];

	boot();
	fd = mkfile("/f");
	CHECK_EQ(rump_sys_write(fd, "0123456789", 10), 10);
	CHECK_EQ(rump_sys_lseek(fd, -3, SEEK_END), 7);
	CHECK_EQ(rump_sys_lseek(fd, 2, SEEK_CUR), 9);
	CHECK_EQ(rump_sys_lseek(fd, 100, SEEK_SET), 100);
	CHECK_ERR(rump_sys_lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERR(rump_sys_lseek(fd, -200, SEEK_CUR), EINVAL);
	CHECK_ERR(rump_sys_lseek(fd, INT64_MAX, SEEK_END), EINVAL);
	CHECK_ERR(rump_sys_lseek(fd, 0, 7), EINVAL);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 100);
	/* SEEK_DATA/SEEK_HOLE: the whole file is data, the hole is at EOF. */
	CHECK_EQ(rump_sys_lseek(fd, 3, SEEK_DATA), 3);
	CHECK_EQ(rump_sys_lseek(fd, 3, SEEK_HOLE), 10);
	CHECK_ERR(rump_sys_lseek(fd, 10, SEEK_DATA), ENXIO);
	CHECK_ERR(rump_sys_lseek(fd, 10, SEEK_HOLE), ENXIO);
	CHECK_ERR(rump_sys_lseek(fd, -1, SEEK_DATA), ENXIO);
	/* Directories: SEEK_SET/SEEK_CUR only. */
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	dfd = (int)CHECK_OK(rump_sys_open("/d", O_RDONLY));
	CHECK_EQ(rump_sys_lseek(dfd, 0, SEEK_SET), 0);
	CHECK_ERR(rump_sys_lseek(dfd, 0, SEEK_END), EINVAL);
	CHECK_ERR(rump_sys_lseek(dfd, 0, SEEK_DATA), EINVAL);
	CHECK_OK(rump_sys_pipe(p));
	CHECK_ERR(rump_sys_lseek(p[0], 0, SEEK_SET), ESPIPE);
	char c;
	CHECK_ERR(rump_sys_pread(p[0], &c, 1, 0), ESPIPE);
	CHECK_ERR(rump_sys_pwrite(p[1], &c, 1, 0), ESPIPE);
}

TEST(sparse_seek_data)
{
	int fd;

	boot();
	fd = mkfile("/sparse");
	CHECK_EQ(rump_sys_pwrite(fd, "x", 1, 1 << 20), 1);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_HOLE), 0);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_DATA), 1 << 20);
	struct stat st;
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_size, (1 << 20) + 1);
	CHECK(st.st_blocks > 0 && st.st_blocks <= 16);
	CHECK_EQ(st.st_blksize, 4096);
}

TEST(truncate_rules)
{
	char buf[8];
	int fd, rfd, dfd;

	boot();
	putfile("/f", "abcdef");
	CHECK_OK(rump_sys_truncate("/f", 3));
	CHECK_EQ(size_of("/f"), 3);
	CHECK_OK(rump_sys_truncate("/f", 5));
	fd = (int)CHECK_OK(rump_sys_open("/f", O_RDWR));
	CHECK_EQ(rump_sys_read(fd, buf, 8), 5);
	CHECK(memcmp(buf, "abc\0\0", 5) == 0);
	CHECK_OK(rump_sys_ftruncate(fd, 1));
	CHECK_EQ(size_of("/f"), 1);
	CHECK_ERR(rump_sys_truncate("/f", -1), EINVAL);
	CHECK_ERR(rump_sys_ftruncate(fd, -1), EINVAL);
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	CHECK_ERR(rump_sys_truncate("/d", 0), EISDIR);
	CHECK_ERR(rump_sys_truncate("/nothere", 0), ENOENT);
	rfd = (int)CHECK_OK(rump_sys_open("/f", O_RDONLY));
	dfd = (int)CHECK_OK(rump_sys_open("/d", O_RDONLY));
	CHECK_ERR(rump_sys_ftruncate(rfd, 0), EBADF);
	CHECK_ERR(rump_sys_ftruncate(dfd, 0), EINVAL);
	CHECK_ERR(rump_sys_ftruncate(-1, 0), EBADF);
	CHECK_OK(rump_sys_mknod("/fifo", S_IFIFO | 0644, 0));
	CHECK_ERR(rump_sys_truncate("/fifo", 0), EINVAL);
	/* O_TRUNC needs and does a truncation. */
	putfile("/t", "12345");
	CHECK_OK(rump_sys_close((int)rump_sys_open("/t", O_WRONLY | O_TRUNC)));
	CHECK_EQ(size_of("/t"), 0);
}

TEST(stat_fields)
{
	struct stat st, st2, lst;
	struct statx stx;
	int fd;

	boot();
	fd = mkfile("/f");
	CHECK_EQ(rump_sys_write(fd, "hello", 5), 5);
	CHECK_OK(rump_sys_link("/f", "/f2"));
	CHECK_OK(rump_sys_symlink("/f", "/l"));
	CHECK_OK(rump_sys_stat("/f", &st));
	CHECK_OK(rump_sys_fstat(fd, &st2));
	CHECK_EQ(st.st_ino, st2.st_ino);
	CHECK_EQ(st.st_dev, st2.st_dev);
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(st.st_size, 5);
	CHECK_EQ(st.st_mode, S_IFREG | 0644);
	CHECK_EQ(st.st_blksize, 4096);
	CHECK_EQ(st.st_blocks, 8);	/* one 4 KiB page */
	CHECK_OK(rump_sys_lstat("/l", &lst));
	CHECK(S_ISLNK(lst.st_mode));
	CHECK(lst.st_ino != st.st_ino);
	CHECK_OK(rump_sys_statx(AT_FDCWD, "/f", 0, STATX_BASIC_STATS, &stx));
	CHECK((stx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
	CHECK(stx.stx_mask & STATX_BTIME);
	CHECK_EQ(stx.stx_ino, st.st_ino);
	CHECK_EQ(stx.stx_size, 5);
	CHECK_EQ(stx.stx_nlink, 2);
	CHECK_EQ(stx.stx_mode, S_IFREG | 0644);
	CHECK_EQ(stx.stx_mtime.tv_sec, st.st_mtim.tv_sec);
	CHECK_EQ(stx.stx_mtime.tv_nsec, st.st_mtim.tv_nsec);
	CHECK_EQ(makedev(stx.stx_dev_major, stx.stx_dev_minor), st.st_dev);
	CHECK_OK(rump_sys_statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &stx));
	CHECK_EQ(stx.stx_size, 5);
	CHECK_OK(rump_sys_statx(AT_FDCWD, "/l", AT_SYMLINK_NOFOLLOW,
	    STATX_MODE, &stx));
	CHECK(S_ISLNK(stx.stx_mode));
	CHECK_ERR(rump_sys_statx(AT_FDCWD, "/f", 0x8000, 0, &stx), EINVAL);
	CHECK_ERR(rump_sys_statx(AT_FDCWD, "/f", AT_STATX_FORCE_SYNC |
	    AT_STATX_DONT_SYNC, 0, &stx), EINVAL);
	CHECK_ERR(rump_sys_statx(AT_FDCWD, "/f", 0, 0x80000000u, &stx), EINVAL);
	CHECK_ERR(rump_sys_fstat(-1, &st), EBADF);
	CHECK_ERR(rump_sys_stat("/f", NULL), EFAULT);
}

/* Collect the names of directory fd with a buffer of bufsize bytes. */
static int
list_dir(int fd, size_t bufsize, char names[][32], int max)
{
	char *buf = malloc(bufsize);
	int n = 0;
	long r;

	while ((r = rump_sys_getdents64(fd, buf, bufsize)) > 0) {
		for (long off = 0; off < r;) {
			struct ldirent64 *d = (struct ldirent64 *)(buf + off);
			if (n < max)
				snprintf(names[n], 32, "%s:%d", d->d_name,
				    d->d_type);
			n++;
			off += d->d_reclen;
		}
	}
	CHECK_EQ(r, 0);
	free(buf);
	return n;
}

static int
has_name(char names[][32], int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return 1;
	return 0;
}

TEST(getdents)
{
	char names[16][32], buf[64];
	int fd, ffd, n;

	boot();
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	CHECK_OK(rump_sys_mkdir("/d/sub", 0755));
	putfile("/d/file", "x");
	CHECK_OK(rump_sys_symlink("file", "/d/link"));
	CHECK_OK(rump_sys_mknod("/d/fifo", S_IFIFO | 0644, 0));
	fd = (int)CHECK_OK(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	n = list_dir(fd, 4096, names, 16);
	CHECK_EQ(n, 6);
	CHECK_STR(names[0], ".:4");
	CHECK_STR(names[1], "..:4");
	CHECK(has_name(names, n, "sub:4"));
	CHECK(has_name(names, n, "file:8"));
	CHECK(has_name(names, n, "link:10"));
	CHECK(has_name(names, n, "fifo:1"));
	/* At the end: 0.  Rewind and read one entry at a time. */
	CHECK_EQ(rump_sys_getdents64(fd, buf, sizeof(buf)), 0);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(list_dir(fd, 24, names, 16), 6);
	/* Too small for any entry, or for the next one: EINVAL. */
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_ERR(rump_sys_getdents64(fd, buf, 10), EINVAL);
	CHECK_ERR(rump_sys_getdents64(fd, NULL, 64), EFAULT);
	CHECK_EQ(rump_sys_getdents64(fd, buf, 24), 24);	/* "." */
	CHECK_EQ(rump_sys_getdents64(fd, buf, 24), 24);	/* ".." */
	CHECK_OK(rump_sys_mkdir("/d/a_rather_long_name", 0755));
	CHECK_OK(rump_sys_unlink("/d/file"));
	CHECK_OK(rump_sys_unlink("/d/link"));
	CHECK_OK(rump_sys_unlink("/d/fifo"));
	CHECK_OK(rump_sys_rmdir("/d/sub"));
	CHECK_ERR(rump_sys_getdents64(fd, buf, 24), EINVAL);
	CHECK_EQ(rump_sys_getdents64(fd, buf, 40), 40);
	ffd = (int)CHECK_OK(rump_sys_open("/d/a_rather_long_name/..", O_RDONLY));
	CHECK_OK(rump_sys_close(ffd));
	putfile("/plain", "x");
	ffd = (int)CHECK_OK(rump_sys_open("/plain", O_RDONLY));
	CHECK_ERR(rump_sys_getdents64(ffd, buf, sizeof(buf)), ENOTDIR);
	CHECK_ERR(rump_sys_getdents64(-1, buf, sizeof(buf)), EBADF);
	int p[2];
	CHECK_OK(rump_sys_pipe(p));
	CHECK_ERR(rump_sys_getdents64(p[0], buf, sizeof(buf)), ENOTDIR);
}

TEST(utimensat_times)
{
	struct timespec ts[2];
	struct stat st, lst;
	int fd;

	boot();
	putfile("/f", "x");
	CHECK_OK(rump_sys_symlink("/f", "/l"));
	ts[0].tv_sec = 1000;
	ts[0].tv_nsec = 5;
	ts[1].tv_sec = 2000;
	ts[1].tv_nsec = 6;
	CHECK_OK(rump_sys_utimensat(AT_FDCWD, "/f", ts, 0));
	CHECK_OK(rump_sys_stat("/f", &st));
	CHECK_EQ(st.st_atim.tv_sec, 1000);
	CHECK_EQ(st.st_atim.tv_nsec, 5);
	CHECK_EQ(st.st_mtim.tv_sec, 2000);
	CHECK_EQ(st.st_mtim.tv_nsec, 6);
	/* UTIME_OMIT keeps one; UTIME_NOW sets the current time. */
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	CHECK_OK(rump_sys_utimensat(AT_FDCWD, "/f", ts, 0));
	CHECK_OK(rump_sys_stat("/f", &st));
	CHECK_EQ(st.st_atim.tv_sec, 1000);
	CHECK(st.st_mtim.tv_sec > 2000);
	/* NULL path: the file open as dirfd (futimens). */
	fd = (int)CHECK_OK(rump_sys_open("/f", O_RDONLY));
	ts[0].tv_sec = 3000;
	ts[0].tv_nsec = 0;
	ts[1].tv_nsec = UTIME_OMIT;
	CHECK_OK(rump_sys_utimensat(fd, NULL, ts, 0));
	CHECK_OK(rump_sys_stat("/f", &st));
	CHECK_EQ(st.st_atim.tv_sec, 3000);
	CHECK_ERR(rump_sys_utimensat(AT_FDCWD, NULL, ts, 0), EFAULT);
	CHECK_ERR(rump_sys_utimensat(fd, NULL, ts, AT_SYMLINK_NOFOLLOW),
	    EINVAL);
	/* AT_SYMLINK_NOFOLLOW changes the link, not the target. */
	ts[0].tv_sec = 42;
	ts[1].tv_sec = 43;
	ts[1].tv_nsec = 0;
	CHECK_OK(rump_sys_utimensat(AT_FDCWD, "/l", ts, AT_SYMLINK_NOFOLLOW));
	CHECK_OK(rump_sys_lstat("/l", &lst));
	CHECK_EQ(lst.st_mtim.tv_sec, 43);
	CHECK_OK(rump_sys_stat("/f", &st));
	CHECK(st.st_mtim.tv_sec != 43);
	/* Bad nanoseconds; both omitted is a no-op even for a bad path. */
	ts[0].tv_nsec = 1000000000;
	CHECK_ERR(rump_sys_utimensat(AT_FDCWD, "/f", ts, 0), EINVAL);
	ts[0].tv_nsec = -1;
	CHECK_ERR(rump_sys_utimensat(AT_FDCWD, "/f", ts, 0), EINVAL);
	ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
	CHECK_OK(rump_sys_utimensat(AT_FDCWD, "/nothere", ts, 0));
	CHECK_ERR(rump_sys_utimensat(AT_FDCWD, "/f", NULL, 0x8000), EINVAL);
	CHECK_OK(rump_sys_utimensat(AT_FDCWD, "/f", NULL, 0));
}

TEST(mknod_types)
{
	struct stat st;
	int fd;

	boot();
	CHECK_OK(rump_sys_mknod("/reg", 0644, 0));
	CHECK_OK(rump_sys_stat("/reg", &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0644);
	CHECK_OK(rump_sys_mknod("/reg2", S_IFREG | 0600, 0));
	CHECK_OK(rump_sys_mknod("/fifo", S_IFIFO | 0666, 0));
	CHECK_OK(rump_sys_stat("/fifo", &st));
	CHECK_EQ(st.st_mode, S_IFIFO | 0644);	/* umask 022 */
	CHECK_OK(rump_sys_mknodat(AT_FDCWD, "/sock", S_IFSOCK | 0600, 0));
	CHECK_OK(rump_sys_stat("/sock", &st));
	CHECK(S_ISSOCK(st.st_mode));
	CHECK_OK(rump_sys_mknod("/chr", S_IFCHR | 0600, makedev(1, 3)));
	CHECK_OK(rump_sys_stat("/chr", &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(st.st_rdev, makedev(1, 3));
	CHECK_ERR(rump_sys_mknod("/dir", S_IFDIR | 0755, 0), EPERM);
	CHECK_ERR(rump_sys_mknod("/lnk", S_IFLNK | 0755, 0), EINVAL);
	CHECK_ERR(rump_sys_mknod("/bad", 0170000 | 0755, 0), EINVAL);
	CHECK_ERR(rump_sys_mknod("/reg", 0644, 0), EEXIST);
	CHECK_ERR(rump_sys_mknod("/nodir/x", S_IFIFO | 0644, 0), ENOENT);
	/* No drivers: device nodes and sockets do not open. */
	CHECK_ERR(rump_sys_open("/chr", O_RDONLY), ENXIO);
	CHECK_ERR(rump_sys_open("/sock", O_RDONLY), ENXIO);
	/* A FIFO opens through the pipe code. */
	CHECK_ERR(rump_sys_open("/fifo", O_WRONLY | O_NONBLOCK), ENXIO);
	fd = (int)CHECK_OK(rump_sys_open("/fifo", O_RDWR));
	CHECK_EQ(rump_sys_write(fd, "ab", 2), 2);
	char buf[4];
	CHECK_EQ(rump_sys_read(fd, buf, 4), 2);
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_OK(rump_sys_fchmod(fd, 0600));
	CHECK_OK(rump_sys_stat("/fifo", &st));
	CHECK_EQ(st.st_mode, S_IFIFO | 0600);
	CHECK_ERR(rump_sys_fsync(fd), EINVAL);
}

TEST(o_tmpfile)
{
	char names[8][32], buf[8];
	struct stat st;
	int fd, dfd;

	boot();
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	putfile("/f", "x");
	fd = (int)CHECK_OK(rump_sys_open("/d", O_TMPFILE | O_RDWR, 0600));
	CHECK_EQ(rump_sys_write(fd, "secret", 6), 6);
	CHECK_EQ(rump_sys_pread(fd, buf, 6, 0), 6);
	CHECK(memcmp(buf, "secret", 6) == 0);
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_nlink, 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
	dfd = (int)CHECK_OK(rump_sys_open("/d", O_RDONLY));
	CHECK_EQ(list_dir(dfd, 4096, names, 8), 2);	/* "." and ".." */
	CHECK_ERR(rump_sys_open("/d", O_TMPFILE | O_RDONLY, 0600), EINVAL);
	CHECK_ERR(rump_sys_open("/f", O_TMPFILE | O_RDWR, 0600), ENOTDIR);
	CHECK_ERR(rump_sys_open("/nothere", O_TMPFILE | O_RDWR, 0600), ENOENT);
}

TEST(sync_calls)
{
	int fd, p[2];

	boot();
	fd = mkfile("/f");
	CHECK_OK(rump_sys_fsync(fd));
	CHECK_OK(rump_sys_fdatasync(fd));
	rump_sys_sync();
	CHECK_ERR(rump_sys_fsync(-1), EBADF);
	CHECK_ERR(rump_sys_fdatasync(77), EBADF);
	CHECK_OK(rump_sys_pipe(p));
	CHECK_ERR(rump_sys_fsync(p[0]), EINVAL);
	int pfd = (int)CHECK_OK(rump_sys_open("/f", O_PATH));
	CHECK_ERR(rump_sys_fsync(pfd), EBADF);
}

TEST(unlinked_but_open)
{
	char buf[8];
	int fd;

	boot();
	putfile("/f", "keep");
	fd = (int)CHECK_OK(rump_sys_open("/f", O_RDWR));
	CHECK_OK(rump_sys_unlink("/f"));
	CHECK_ERR(rump_sys_open("/f", O_RDONLY), ENOENT);
	CHECK_EQ(rump_sys_pread(fd, buf, 8, 0), 4);
	CHECK(memcmp(buf, "keep", 4) == 0);
	CHECK_EQ(rump_sys_write(fd, "more", 4), 4);
	struct stat st;
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_nlink, 0);
	CHECK_EQ(st.st_size, 4);
	CHECK_OK(rump_sys_close(fd));
}
