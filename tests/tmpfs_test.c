/*
 * tmpfs_test.c: the memory file system through the system calls: sparse
 * files and SEEK_DATA/SEEK_HOLE, truncation, the size and inode limits,
 * files removed while open, hard links, rename bookkeeping, getdents64
 * with concurrent changes, statfs, mount options and unmount.
 * Expected values are Linux's (checked against /dev/shm on the host).
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE 2
#endif
#ifndef SEEK_DATA
#define SEEK_DATA 3
#define SEEK_HOLE 4
#endif

#define TMPFS_MAGIC	0x01021994
#define MAXFILESIZE	(1LL << 43)	/* doc/tmpfs.md */
#define TIB		(1LL << 40)

struct ldirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

/* Boot the kernel for this test. */
static void
boot(void)
{
	CHECK_EQ(rump_init(), 0);
}

/* Make directory path and mount a tmpfs with options opts on it. */
static void
mount_tmpfs(const char *path, const char *opts)
{
	CHECK_OK(rump_sys_mkdir(path, 0755));
	CHECK_OK(rump_sys_mount("tmpfs", path, "tmpfs", 0, opts));
}

/* Create (truncate) path for reading and writing. */
static int
mkfile(const char *path)
{
	return (int)CHECK_OK(rump_sys_open(path, O_CREAT | O_TRUNC | O_RDWR,
	    0644));
}

/* Create path with n bytes of byte c. */
static void
fill(const char *path, char c, size_t n)
{
	char *buf = malloc(n);
	int fd = mkfile(path);

	memset(buf, c, n);
	CHECK_EQ(rump_sys_write(fd, buf, n), (long long)n);
	CHECK_OK(rump_sys_close(fd));
	free(buf);
}

static struct stat
st_of(const char *path)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	CHECK_OK(rump_sys_lstat(path, &st));
	return st;
}

static struct statfs
sf_of(const char *path)
{
	struct statfs sf;

	memset(&sf, 0, sizeof(sf));
	CHECK_OK(rump_sys_statfs(path, &sf));
	return sf;
}

/* Are the n bytes at p all equal to c? */
static int
all(const char *p, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/* Set both atime and mtime of path to sec seconds. */
static void
settimes(const char *path, time_t sec)
{
	struct timespec ts[2] = { { sec, 0 }, { sec, 0 } };

	CHECK_OK(rump_sys_utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW));
}

TEST(sparse_big_file)
{
	char buf[4096];
	struct stat st;

	boot();
	int fd = mkfile("/big");
	CHECK_EQ(rump_sys_pwrite(fd, "hello", 5, TIB), 5);
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_size, TIB + 5);
	CHECK_EQ(st.st_blocks, 8);		/* one 4 KiB page */
	CHECK_EQ(st.st_blksize, 4096);
	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(rump_sys_pread(fd, buf, sizeof(buf), 12345678), 4096);
	CHECK(all(buf, 0, sizeof(buf)));
	CHECK_EQ(rump_sys_pread(fd, buf, sizeof(buf), TIB - 2), 7);
	CHECK(buf[0] == 0 && buf[1] == 0 && memcmp(buf + 2, "hello", 5) == 0);
	CHECK_EQ(rump_sys_pread(fd, buf, sizeof(buf), TIB + 5), 0);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_DATA), TIB);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_HOLE), 0);
	CHECK_EQ(rump_sys_lseek(fd, TIB + 2, SEEK_DATA), TIB + 2);
	CHECK_EQ(rump_sys_lseek(fd, TIB, SEEK_HOLE), TIB + 5);
	CHECK_ERR(rump_sys_lseek(fd, TIB + 5, SEEK_DATA), ENXIO);
	CHECK_ERR(rump_sys_lseek(fd, TIB + 5, SEEK_HOLE), ENXIO);
	CHECK_ERR(rump_sys_lseek(fd, -1, SEEK_DATA), ENXIO);
	CHECK_OK(rump_sys_close(fd));
	CHECK_OK(rump_sys_unlink("/big"));
}

TEST(seek_data_hole_pages)
{
	char page[4096];

	boot();
	memset(page, 'd', sizeof(page));
	int fd = mkfile("/sp");
	/* Data in pages 0, 3-4 and 10; holes in 1-2 and 5-9; then EOF. */
	CHECK_EQ(rump_sys_pwrite(fd, page, 4096, 0), 4096);
	CHECK_EQ(rump_sys_pwrite(fd, page, 4096, 3 * 4096), 4096);
	CHECK_EQ(rump_sys_pwrite(fd, page, 100, 4 * 4096), 100);
	CHECK_EQ(rump_sys_pwrite(fd, page, 10, 10 * 4096 + 7), 10);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_DATA), 0);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_HOLE), 4096);
	CHECK_EQ(rump_sys_lseek(fd, 4096, SEEK_DATA), 3 * 4096);
	CHECK_EQ(rump_sys_lseek(fd, 3 * 4096 + 5, SEEK_HOLE), 5 * 4096);
	CHECK_EQ(rump_sys_lseek(fd, 5 * 4096, SEEK_DATA), 10 * 4096);
	CHECK_EQ(rump_sys_lseek(fd, 10 * 4096, SEEK_HOLE), 10 * 4096 + 17);
	/* Growing the file adds a hole at the end, not data. */
	CHECK_OK(rump_sys_ftruncate(fd, 100 * 4096));
	CHECK_EQ(rump_sys_lseek(fd, 10 * 4096 + 17, SEEK_HOLE), 11 * 4096);
	CHECK_ERR(rump_sys_lseek(fd, 11 * 4096, SEEK_DATA), ENXIO);
	CHECK_OK(rump_sys_close(fd));
}

TEST(truncate_content)
{
	char buf[20000];
	struct stat st;

	boot();
	fill("/t", 'x', 10000);
	int fd = (int)CHECK_OK(rump_sys_open("/t", O_RDWR));
	CHECK_OK(rump_sys_ftruncate(fd, 5000));
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_size, 5000);
	CHECK_EQ(st.st_blocks, 16);		/* pages 0 and 1 */
	CHECK_OK(rump_sys_ftruncate(fd, 20000));
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_size, 20000);
	CHECK_EQ(st.st_blocks, 16);		/* growing allocates nothing */
	memset(buf, 'z', sizeof(buf));
	CHECK_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 20000);
	CHECK(all(buf, 'x', 5000));
	CHECK(all(buf + 5000, 0, 15000));	/* the cut tail stays zero */
	/* A cut at a page boundary frees that page entirely. */
	CHECK_OK(rump_sys_ftruncate(fd, 4096));
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_blocks, 8);
	CHECK_OK(rump_sys_ftruncate(fd, 0));
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_blocks, 0);
	CHECK_OK(rump_sys_truncate("/t", 3));
	CHECK_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 3);
	CHECK(all(buf, 0, 3));
	CHECK_ERR(rump_sys_truncate("/", 0), EISDIR);
	CHECK_OK(rump_sys_close(fd));
}

TEST(max_file_size)
{
	boot();
	int fd = mkfile("/m");
	CHECK_ERR(rump_sys_pwrite(fd, "abc", 3, MAXFILESIZE), EFBIG);
	CHECK_EQ(rump_sys_pwrite(fd, "abcde", 5, MAXFILESIZE - 2), 2);
	CHECK_ERR(rump_sys_ftruncate(fd, MAXFILESIZE + 1), EFBIG);
	CHECK_OK(rump_sys_ftruncate(fd, MAXFILESIZE));
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_DATA), MAXFILESIZE - 4096);
	CHECK_OK(rump_sys_close(fd));
}

TEST(enospc_size_limit)
{
	static char buf[100000];
	struct statfs sf;

	boot();
	mount_tmpfs("/s", "size=64k");
	sf = sf_of("/s");
	CHECK_EQ(sf.f_blocks, 16);
	CHECK_EQ(sf.f_bfree, 16);
	memset(buf, 'q', sizeof(buf));
	int fd = mkfile("/s/f");
	/* The write that hits the limit writes what fits. */
	CHECK_EQ(rump_sys_write(fd, buf, sizeof(buf)), 65536);
	CHECK_ERR(rump_sys_write(fd, buf, 1), ENOSPC);
	CHECK_EQ(sf_of("/s").f_bfree, 0);
	/* Rewriting allocated pages needs no space; an empty file neither. */
	CHECK_EQ(rump_sys_pwrite(fd, "abc", 3, 100), 3);
	int fd2 = mkfile("/s/empty");
	CHECK_ERR(rump_sys_write(fd2, "x", 1), ENOSPC);
	CHECK_OK(rump_sys_close(fd2));
	/* Space comes back when the data goes: unlinked and closed. */
	CHECK_OK(rump_sys_unlink("/s/f"));
	CHECK_EQ(sf_of("/s").f_bfree, 0);
	CHECK_OK(rump_sys_close(fd));
	CHECK_EQ(sf_of("/s").f_bfree, 16);
	fd = mkfile("/s/g");
	CHECK_EQ(rump_sys_write(fd, buf, 4096), 4096);
	CHECK_OK(rump_sys_close(fd));
	CHECK_EQ(sf_of("/s").f_bfree, 15);
}

TEST(nr_inodes_limit)
{
	boot();
	mount_tmpfs("/n", "nr_inodes=3");
	CHECK_EQ(sf_of("/n").f_files, 3);
	CHECK_EQ(sf_of("/n").f_ffree, 2);	/* the root is one */
	CHECK_OK(rump_sys_close(mkfile("/n/a")));
	CHECK_OK(rump_sys_mkdir("/n/d", 0755));
	CHECK_EQ(sf_of("/n").f_ffree, 0);
	CHECK_ERR(rump_sys_open("/n/b", O_CREAT | O_RDWR, 0644), ENOSPC);
	CHECK_ERR(rump_sys_mkdir("/n/e", 0755), ENOSPC);
	CHECK_ERR(rump_sys_symlink("a", "/n/l"), ENOSPC);
	/* A hard link is no new inode. */
	CHECK_OK(rump_sys_link("/n/a", "/n/a2"));
	CHECK_OK(rump_sys_rmdir("/n/d"));
	CHECK_OK(rump_sys_mkdir("/n/e", 0755));
}

TEST(unlinked_open_file)
{
	char buf[16];
	struct stat st;

	boot();
	int fd = mkfile("/u");
	CHECK_EQ(rump_sys_write(fd, "still here", 10), 10);
	int fd2 = (int)CHECK_OK(rump_sys_open("/u", O_RDONLY));
	CHECK_OK(rump_sys_unlink("/u"));
	CHECK_ERR(rump_sys_stat("/u", &st), ENOENT);
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_nlink, 0);
	CHECK_EQ(st.st_size, 10);
	CHECK_OK(rump_sys_close(fd));
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(rump_sys_pread(fd2, buf, sizeof(buf), 0), 10);
	CHECK_STR(buf, "still here");
	/* A new file of that name is another file. */
	int fd3 = mkfile("/u");
	CHECK_EQ(rump_sys_pread(fd3, buf, sizeof(buf), 0), 0);
	CHECK_EQ(rump_sys_pread(fd2, buf, sizeof(buf), 0), 10);
	CHECK_OK(rump_sys_close(fd2));
	CHECK_OK(rump_sys_close(fd3));
}

TEST(hard_links)
{
	char buf[8];
	struct stat a, b;

	boot();
	fill("/h1", 'h', 5);
	CHECK_OK(rump_sys_link("/h1", "/h2"));
	a = st_of("/h1");
	b = st_of("/h2");
	CHECK_EQ(a.st_nlink, 2);
	CHECK_EQ(b.st_nlink, 2);
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_ERR(rump_sys_link("/h1", "/h2"), EEXIST);
	CHECK_ERR(rump_sys_link("/nope", "/h3"), ENOENT);
	CHECK_OK(rump_sys_mkdir("/hd", 0755));
	CHECK_ERR(rump_sys_link("/hd", "/hd2"), EPERM);
	CHECK_OK(rump_sys_link("/h1", "/hd/h3"));
	CHECK_EQ(st_of("/h2").st_nlink, 3);
	CHECK_OK(rump_sys_unlink("/h1"));
	CHECK_EQ(st_of("/h2").st_nlink, 2);
	CHECK_OK(rump_sys_unlink("/hd/h3"));
	CHECK_EQ(st_of("/h2").st_nlink, 1);
	int fd = (int)CHECK_OK(rump_sys_open("/h2", O_RDONLY));
	CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 5);
	CHECK(all(buf, 'h', 5));
	CHECK_OK(rump_sys_close(fd));
	mount_tmpfs("/hm", NULL);
	CHECK_ERR(rump_sys_link("/h2", "/hm/x"), EXDEV);
}

TEST(rename_dir_updates_dotdot)
{
	char buf[4096];

	boot();
	CHECK_OK(rump_sys_mkdir("/a", 0755));
	CHECK_OK(rump_sys_mkdir("/b", 0755));
	CHECK_OK(rump_sys_mkdir("/a/sub", 0755));
	CHECK_EQ(st_of("/a").st_nlink, 3);
	CHECK_EQ(st_of("/b").st_nlink, 2);
	long long rootlinks = st_of("/").st_nlink;
	CHECK_OK(rump_sys_rename("/a/sub", "/b/sub"));
	CHECK_EQ(st_of("/a").st_nlink, 2);
	CHECK_EQ(st_of("/b").st_nlink, 3);
	CHECK_EQ(st_of("/").st_nlink, rootlinks);
	CHECK_EQ(st_of("/b/sub/..").st_ino, st_of("/b").st_ino);
	CHECK_ERR(rump_sys_rmdir("/b"), ENOTEMPTY);
	/* getdents64 shows the new parent as "..". */
	int fd = (int)CHECK_OK(rump_sys_open("/b/sub", O_RDONLY | O_DIRECTORY));
	long n = (long)CHECK_OK(rump_sys_getdents64(fd, buf, sizeof(buf)));
	int found = 0;
	for (long off = 0; off < n;) {
		struct ldirent64 *d = (struct ldirent64 *)(buf + off);
		if (strcmp(d->d_name, "..") == 0) {
			CHECK_EQ(d->d_ino, st_of("/b").st_ino);
			CHECK_EQ(d->d_type, DT_DIR);
			found = 1;
		}
		off += d->d_reclen;
	}
	CHECK(found);
	CHECK_OK(rump_sys_close(fd));
	/* Renaming a directory within its parent changes no link count. */
	CHECK_OK(rump_sys_rename("/b/sub", "/b/sub2"));
	CHECK_EQ(st_of("/b").st_nlink, 3);
	CHECK_ERR(rump_sys_rename("/b", "/b/sub2/x"), EINVAL);
}

TEST(rename_over_targets)
{
	char buf[8];

	boot();
	fill("/f1", '1', 3);
	fill("/f2", '2', 3);
	int fd = (int)CHECK_OK(rump_sys_open("/f2", O_RDONLY));
	CHECK_OK(rump_sys_rename("/f1", "/f2"));
	CHECK_ERR(rump_sys_access("/f1", F_OK), ENOENT);
	int fd2 = (int)CHECK_OK(rump_sys_open("/f2", O_RDONLY));
	CHECK_EQ(rump_sys_read(fd2, buf, sizeof(buf)), 3);
	CHECK(all(buf, '1', 3));
	/* The replaced file lives on for whoever has it open. */
	CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 3);
	CHECK(all(buf, '2', 3));
	struct stat st;
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_nlink, 0);
	CHECK_OK(rump_sys_close(fd));
	CHECK_OK(rump_sys_close(fd2));

	CHECK_OK(rump_sys_mkdir("/p", 0755));
	CHECK_OK(rump_sys_mkdir("/p/d1", 0755));
	CHECK_OK(rump_sys_mkdir("/p/d2", 0755));
	CHECK_OK(rump_sys_mkdir("/p/full", 0755));
	fill("/p/full/x", 'x', 1);
	CHECK_EQ(st_of("/p").st_nlink, 5);
	CHECK_ERR(rump_sys_rename("/p/d1", "/p/full"), ENOTEMPTY);
	CHECK_ERR(rump_sys_rename("/p/d1", "/f2"), ENOTDIR);
	CHECK_ERR(rump_sys_rename("/f2", "/p/d1"), EISDIR);
	CHECK_OK(rump_sys_rename("/p/d1", "/p/d2"));
	CHECK_EQ(st_of("/p").st_nlink, 4);
	CHECK_ERR(rump_sys_access("/p/d1", F_OK), ENOENT);
	CHECK_ERR(rump_sys_renameat2(AT_FDCWD, "/f2", AT_FDCWD, "/p/full/x",
	    RENAME_NOREPLACE), EEXIST);
	/* Two names of one file: rename does nothing. */
	CHECK_OK(rump_sys_link("/f2", "/f3"));
	CHECK_OK(rump_sys_rename("/f2", "/f3"));
	CHECK_EQ(st_of("/f2").st_nlink, 2);
}

TEST(rename_exchange)
{
	boot();
	CHECK_OK(rump_sys_mkdir("/x", 0755));
	CHECK_OK(rump_sys_mkdir("/y", 0755));
	CHECK_OK(rump_sys_mkdir("/x/d", 0755));
	fill("/x/d/inner", 'i', 1);
	fill("/y/f", 'f', 2);
	long long dino = st_of("/x/d").st_ino, fino = st_of("/y/f").st_ino;
	CHECK_OK(rump_sys_renameat2(AT_FDCWD, "/x/d", AT_FDCWD, "/y/f",
	    RENAME_EXCHANGE));
	CHECK_EQ(st_of("/x/d").st_ino, fino);
	CHECK(S_ISREG(st_of("/x/d").st_mode));
	CHECK_EQ(st_of("/y/f").st_ino, dino);
	CHECK(S_ISDIR(st_of("/y/f").st_mode));
	CHECK_EQ(st_of("/y/f/inner").st_size, 1);
	CHECK_EQ(st_of("/y/f/..").st_ino, st_of("/y").st_ino);
	CHECK_EQ(st_of("/x").st_nlink, 2);
	CHECK_EQ(st_of("/y").st_nlink, 3);
	CHECK_ERR(rump_sys_renameat2(AT_FDCWD, "/x/d", AT_FDCWD, "/y/none",
	    RENAME_EXCHANGE), ENOENT);
	/* Two directories swap their "..". */
	CHECK_OK(rump_sys_mkdir("/x/e", 0755));
	CHECK_OK(rump_sys_renameat2(AT_FDCWD, "/x/e", AT_FDCWD, "/y/f",
	    RENAME_EXCHANGE));
	CHECK_EQ(st_of("/x/e/..").st_ino, st_of("/x").st_ino);
	CHECK_EQ(st_of("/x/e").st_ino, dino);
	CHECK_EQ(st_of("/y/f/..").st_ino, st_of("/y").st_ino);
	CHECK_EQ(st_of("/x").st_nlink, 3);
	CHECK_EQ(st_of("/y").st_nlink, 3);
}

TEST(rmdir_and_removed_cwd)
{
	char buf[4096];
	struct stat st;

	boot();
	CHECK_OK(rump_sys_mkdir("/r", 0755));
	CHECK_EQ(st_of("/r").st_nlink, 2);
	CHECK_EQ(st_of("/r").st_size, 40);	/* Linux's bogus dirent sizes */
	fill("/r/f", 'f', 1);
	CHECK_EQ(st_of("/r").st_size, 60);
	CHECK_ERR(rump_sys_rmdir("/r"), ENOTEMPTY);
	CHECK_OK(rump_sys_unlink("/r/f"));
	CHECK_OK(rump_sys_chdir("/r"));
	CHECK_OK(rump_sys_rmdir("/r"));
	CHECK_ERR(rump_sys_stat("/r", &st), ENOENT);
	CHECK_OK(rump_sys_stat(".", &st));
	CHECK_EQ(st.st_nlink, 0);
	/* Nothing can be created in a removed directory ... */
	CHECK_ERR(rump_sys_open("x", O_CREAT | O_RDWR, 0644), ENOENT);
	CHECK_ERR(rump_sys_mkdir("y", 0755), ENOENT);
	/* ... but ".." still leads to where it was, as on Linux. */
	CHECK_OK(rump_sys_stat("..", &st));
	CHECK_EQ(st.st_ino, st_of("/").st_ino);
	int fd = (int)CHECK_OK(rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	long n = (long)CHECK_OK(rump_sys_getdents64(fd, buf, sizeof(buf)));
	int count = 0;
	for (long off = 0; off < n; count++)
		off += ((struct ldirent64 *)(buf + off))->d_reclen;
	CHECK_EQ(count, 2);			/* "." and ".." */
	CHECK_OK(rump_sys_close(fd));
	CHECK_OK(rump_sys_chdir("/"));
}

/*
 * Read a directory with a small buffer while entries are removed ahead of
 * and behind the reader and new ones appear: every entry that exists
 * throughout must be returned exactly once.
 */
TEST(getdents_10000_with_changes)
{
	enum { N = 10000 };
	static unsigned char seen[N], deleted[N];
	char buf[1024], name[32];
	int ahead = N - 1, behind = 0, dots = 0, calls = 0;

	boot();
	CHECK_OK(rump_sys_mkdir("/g", 0755));
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "/g/e%05d", i);
		CHECK_OK(rump_sys_close(mkfile(name)));
	}
	int fd = (int)CHECK_OK(rump_sys_open("/g", O_RDONLY | O_DIRECTORY));
	for (;;) {
		long n = (long)CHECK_OK(rump_sys_getdents64(fd, buf,
		    sizeof(buf)));
		if (n <= 0)
			break;
		for (long off = 0; off < n;) {
			struct ldirent64 *d = (struct ldirent64 *)(buf + off);
			if (calls == 0 && off == 0)
				CHECK_STR(d->d_name, ".");
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				dots++;
			else if (d->d_name[0] == 'e') {
				int i = atoi(d->d_name + 1);
				CHECK(i >= 0 && i < N);
				CHECK_EQ(d->d_type, DT_REG);
				if (i >= 0 && i < N)
					seen[i]++;
				if (i >= 0 && i < N && seen[i] == 1)
					behind = i;
			}
			off += d->d_reclen;
		}
		calls++;
		/* Two removals ahead, one behind, a new name. */
		for (int k = 0; k < 2 && ahead > behind + 1; k++, ahead--) {
			snprintf(name, sizeof(name), "/g/e%05d", ahead);
			CHECK_OK(rump_sys_unlink(name));
			deleted[ahead] = 1;
		}
		if (behind > 0 && !deleted[behind - 1]) {
			snprintf(name, sizeof(name), "/g/e%05d", behind - 1);
			CHECK_OK(rump_sys_unlink(name));
			deleted[behind - 1] = 1;
		}
		if (calls <= 100) {	/* (the reader must catch up) */
			snprintf(name, sizeof(name), "/g/new%d", calls);
			CHECK_OK(rump_sys_close(mkfile(name)));
		}
	}
	CHECK_EQ(dots, 2);
	CHECK(calls > 100);		/* the buffer really was small */
	int missing = 0, dup = 0;
	for (int i = 0; i < N; i++) {
		if (seen[i] > 1)
			dup++;
		if (!deleted[i] && seen[i] != 1)
			missing++;
	}
	CHECK_EQ(dup, 0);
	CHECK_EQ(missing, 0);
	CHECK_OK(rump_sys_close(fd));
}

/* Lookups in a directory of 100,000 entries must not scan it. */
TEST(huge_directory)
{
	enum { N = 100000 };
	char name[32];
	struct stat st;

	boot();
	CHECK_OK(rump_sys_mkdir("/big", 0755));
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "/big/%d", i);
		if (rump_sys_mknod(name, S_IFREG | 0644, 0) != 0) {
			TFAIL("mknod %s: %s", name, strerror(errno));
			break;
		}
	}
	CHECK_EQ(st_of("/big").st_size, 40 + 20LL * N);
	for (int r = 0; r < 5; r++)
		for (int i = 0; i < N; i += 7) {
			snprintf(name, sizeof(name), "/big/%d", i);
			CHECK_OK(rump_sys_stat(name, &st));
		}
	CHECK_ERR(rump_sys_stat("/big/100000", &st), ENOENT);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "/big/%d", i);
		CHECK_OK(rump_sys_unlink(name));
	}
	CHECK_OK(rump_sys_rmdir("/big"));
}

TEST(statfs_numbers)
{
	char page[4096];
	struct statfs sf;

	boot();
	mount_tmpfs("/st", "size=1m,nr_inodes=100");
	sf = sf_of("/st");
	CHECK_EQ(sf.f_type, TMPFS_MAGIC);
	CHECK_EQ(sf.f_bsize, 4096);
	CHECK_EQ(sf.f_frsize, 4096);
	CHECK_EQ(sf.f_blocks, 256);
	CHECK_EQ(sf.f_bfree, 256);
	CHECK_EQ(sf.f_bavail, 256);
	CHECK_EQ(sf.f_files, 100);
	CHECK_EQ(sf.f_ffree, 99);
	CHECK_EQ(sf.f_namelen, 255);
	CHECK_EQ(sf.f_flags & ST_RDONLY, 0);
	memset(page, 'p', sizeof(page));
	int fd = mkfile("/st/f");
	CHECK_EQ(rump_sys_write(fd, page, 4096), 4096);
	CHECK_EQ(rump_sys_pwrite(fd, page, 1, 10 * 4096), 1);
	CHECK_EQ(rump_sys_pwrite(fd, page, 2, 4096 + 5), 2);
	CHECK_OK(rump_sys_fstatfs(fd, &sf));
	CHECK_EQ(sf.f_bfree, 253);
	CHECK_EQ(sf.f_ffree, 98);
	CHECK_OK(rump_sys_close(fd));
	/* Default: half of physical memory, like Linux. */
	mount_tmpfs("/def", NULL);
	sf = sf_of("/def");
	long long half = (long long)sysconf(_SC_PHYS_PAGES) *
	    sysconf(_SC_PAGESIZE) / 2 / 4096;
	CHECK((long long)sf.f_blocks > half * 9 / 10 &&
	    (long long)sf.f_blocks < half * 11 / 10);
	/* size=0 and nr_inodes=0: no limits, reported as 0. */
	mount_tmpfs("/unl", "size=0,nr_inodes=0");
	sf = sf_of("/unl");
	CHECK_EQ(sf.f_blocks, 0);
	CHECK_EQ(sf.f_files, 0);
	fill("/unl/x", 'x', 10000);
	CHECK_EQ(st_of("/unl/x").st_size, 10000);
}

TEST(mount_options)
{
	struct stat st;

	boot();
	mount_tmpfs("/o", "mode=0700,uid=5,gid=6,size=2m");
	st = st_of("/o");
	CHECK_EQ(st.st_mode, S_IFDIR | 0700);
	CHECK_EQ(st.st_uid, 5);
	CHECK_EQ(st.st_gid, 6);
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(sf_of("/o").f_blocks, 512);
	/* The default root mode is 1777. */
	mount_tmpfs("/o2", "size=10k");
	CHECK_EQ(st_of("/o2").st_mode, S_IFDIR | 01777);
	CHECK_EQ(sf_of("/o2").f_blocks, 3);	/* rounded up to pages */
	mount_tmpfs("/o3", "nr_inodes=1k,size=1g");
	CHECK_EQ(sf_of("/o3").f_files, 1024);
	CHECK_EQ(sf_of("/o3").f_blocks, 262144);
	/* Every file system gets its own inode numbers and device. */
	CHECK(st_of("/o").st_dev != st_of("/o2").st_dev);
}

TEST(mount_bad_options)
{
	static const char *bad[] = {
		"foo=1", "size", "size=", "size=abc", "size=10q", "size=-1",
		"mode=0999", "mode=10000", "mode=", "nr_inodes=1x",
		"uid=-1", "gid=abc", "uid=4294967296", "size=1m,bogus",
		"size=99999999999999999999",
	};
	struct stat root, st;

	boot();
	CHECK_OK(rump_sys_mkdir("/bad", 0755));
	root = st_of("/");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		if (rump_sys_mount("tmpfs", "/bad", "tmpfs", 0, bad[i]) != -1 ||
		    errno != EINVAL)
			TFAIL("mount -o %s: errno %d, expected EINVAL", bad[i],
			    errno);
		st = st_of("/bad");
		CHECK_EQ(st.st_dev, root.st_dev);	/* nothing mounted */
	}
	/* Empty options between commas are fine. */
	CHECK_OK(rump_sys_mount("tmpfs", "/bad", "tmpfs", 0, ",size=1m,,"));
	CHECK_OK(rump_sys_umount2("/bad", 0));
}

TEST(unmount_busy)
{
	struct stat st;

	boot();
	mount_tmpfs("/mb", NULL);
	CHECK_OK(rump_sys_mkdir("/mb/d", 0755));
	int fd = mkfile("/mb/d/f");
	CHECK_ERR(rump_sys_umount2("/mb", 0), EBUSY);
	CHECK_OK(rump_sys_stat("/mb/d/f", &st));	/* still mounted */
	CHECK_OK(rump_sys_close(fd));
	CHECK_OK(rump_sys_chdir("/mb/d"));
	CHECK_ERR(rump_sys_umount2("/mb", 0), EBUSY);
	CHECK_OK(rump_sys_chdir("/"));
	CHECK_OK(rump_sys_umount2("/mb", 0));
	CHECK_ERR(rump_sys_stat("/mb/d", &st), ENOENT);
	/* The root file system is never free. */
	CHECK_ERR(rump_sys_umount2("/", 0), EBUSY);
	/* A fresh mount on the same place starts empty. */
	CHECK_OK(rump_sys_mount("tmpfs", "/mb", "tmpfs", 0, NULL));
	CHECK_ERR(rump_sys_stat("/mb/d", &st), ENOENT);
	CHECK_OK(rump_sys_umount2("/mb", 0));
}

TEST(timestamps)
{
	char buf[4];
	struct stat st;

	boot();
	CHECK_OK(rump_sys_mkdir("/ts", 0755));
	fill("/ts/f", 'a', 3);
	int fd = (int)CHECK_OK(rump_sys_open("/ts/f", O_RDWR));
	settimes("/ts/f", 1000);
	CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 3);
	st = st_of("/ts/f");
	CHECK(st.st_atime > 1000);		/* read sets atime */
	CHECK_EQ(st.st_mtime, 1000);
	settimes("/ts/f", 1000);
	CHECK_EQ(rump_sys_write(fd, "b", 1), 1);
	st = st_of("/ts/f");
	CHECK_EQ(st.st_atime, 1000);
	CHECK(st.st_mtime > 1000);		/* write sets mtime and ctime */
	CHECK(st.st_ctime >= st.st_mtime);
	settimes("/ts/f", 1000);
	CHECK_OK(rump_sys_chmod("/ts/f", 0600));
	st = st_of("/ts/f");
	CHECK_EQ(st.st_mtime, 1000);		/* chmod: ctime only */
	CHECK(st.st_ctime > 1000);
	CHECK_OK(rump_sys_ftruncate(fd, 1));
	CHECK(st_of("/ts/f").st_mtime > 1000);
	CHECK_OK(rump_sys_close(fd));
	/* Entry changes set the directory's mtime. */
	settimes("/ts", 1000);
	fill("/ts/g", 'g', 1);
	CHECK(st_of("/ts").st_mtime > 1000);
	settimes("/ts", 1000);
	CHECK_OK(rump_sys_unlink("/ts/g"));
	CHECK(st_of("/ts").st_mtime > 1000);
	CHECK_OK(rump_sys_mkdir("/ts2", 0755));
	settimes("/ts", 1000);
	settimes("/ts2", 1000);
	CHECK_OK(rump_sys_rename("/ts/f", "/ts2/f"));
	CHECK(st_of("/ts").st_mtime > 1000);
	CHECK(st_of("/ts2").st_mtime > 1000);
	/* Explicit times with nanoseconds are kept as given. */
	struct timespec ts[2] = { { 5, 123 }, { 7, 456 } };
	CHECK_OK(rump_sys_utimensat(AT_FDCWD, "/ts2/f", ts, 0));
	st = st_of("/ts2/f");
	CHECK_EQ(st.st_atim.tv_sec, 5);
	CHECK_EQ(st.st_atim.tv_nsec, 123);
	CHECK_EQ(st.st_mtim.tv_sec, 7);
	CHECK_EQ(st.st_mtim.tv_nsec, 456);
}

TEST(node_types)
{
	char buf[64];
	struct stat st;

	boot();
	CHECK_OK(rump_sys_symlink("some/target", "/l"));
	st = st_of("/l");
	CHECK_EQ(st.st_mode, S_IFLNK | 0777);
	CHECK_EQ(st.st_size, 11);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(rump_sys_readlink("/l", buf, sizeof(buf)), 11);
	CHECK_STR(buf, "some/target");
	CHECK_EQ(rump_sys_readlink("/l", buf, 4), 4);
	CHECK(memcmp(buf, "some", 4) == 0);
	CHECK_ERR(rump_sys_symlink("x", "/l"), EEXIST);
	CHECK_OK(rump_sys_mknod("/fifo", S_IFIFO | 0600, 0));
	CHECK(S_ISFIFO(st_of("/fifo").st_mode));
	CHECK_OK(rump_sys_mknod("/null", S_IFCHR | 0666, makedev(1, 3)));
	st = st_of("/null");
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(st.st_rdev, makedev(1, 3));
	CHECK_OK(rump_sys_mknod("/blk", S_IFBLK | 0600, makedev(7, 0)));
	CHECK(S_ISBLK(st_of("/blk").st_mode));
	/* Inode numbers are unique. */
	CHECK(st_of("/l").st_ino != st_of("/fifo").st_ino);
	CHECK(st_of("/fifo").st_ino != st_of("/null").st_ino);
	/* Append writes go to the end. */
	fill("/ap", 'a', 10);
	int fd = (int)CHECK_OK(rump_sys_open("/ap", O_WRONLY | O_APPEND));
	CHECK_EQ(rump_sys_pwrite(fd, "zz", 2, 0), 2);
	CHECK_OK(rump_sys_close(fd));
	CHECK_EQ(st_of("/ap").st_size, 12);
}

/*
 * Lookups racing with unlinks, and hard links removed from two
 * directories at once (link counts are not under one directory lock):
 * afterwards no node may be left over or freed twice.
 */
enum { RACE_ROUNDS = 3000 };

static void *
race_reader(void *arg)
{
	struct stat st;
	char c;

	(void)arg;
	for (int i = 0; i < RACE_ROUNDS; i++) {
		int fd = rump_sys_open("/cm/c1/x", O_RDONLY);
		if (fd >= 0) {
			(void)rump_sys_read(fd, &c, 1);
			(void)rump_sys_fstat(fd, &st);
			rump_sys_close(fd);
		}
		(void)rump_sys_stat("/cm/c2/y", &st);
	}
	return NULL;
}

static void *
race_unlinker(void *arg)
{
	const char *path = arg;

	for (int i = 0; i < RACE_ROUNDS; i++)
		(void)rump_sys_unlink(path);
	return NULL;
}

TEST(concurrent_lookup_unlink)
{
	pthread_t r[2], u[2];
	struct statfs before;

	boot();
	mount_tmpfs("/cm", "size=1m");
	CHECK_OK(rump_sys_mkdir("/cm/c1", 0755));
	CHECK_OK(rump_sys_mkdir("/cm/c2", 0755));
	before = sf_of("/cm");
	for (int k = 0; k < 2; k++)
		CHECK_EQ(pthread_create(&r[k], NULL, race_reader, NULL), 0);
	CHECK_EQ(pthread_create(&u[0], NULL, race_unlinker, "/cm/c1/x"), 0);
	CHECK_EQ(pthread_create(&u[1], NULL, race_unlinker, "/cm/c2/y"), 0);
	for (int i = 0; i < RACE_ROUNDS; i++) {
		int fd = rump_sys_open("/cm/c1/x", O_CREAT | O_WRONLY, 0644);
		if (fd >= 0) {
			(void)rump_sys_write(fd, "z", 1);
			rump_sys_close(fd);
		}
		(void)rump_sys_link("/cm/c1/x", "/cm/c2/y");
	}
	for (int k = 0; k < 2; k++) {
		pthread_join(r[k], NULL);
		pthread_join(u[k], NULL);
	}
	(void)rump_sys_unlink("/cm/c1/x");
	(void)rump_sys_unlink("/cm/c2/y");
	CHECK_EQ(sf_of("/cm").f_ffree, before.f_ffree);
	CHECK_EQ(sf_of("/cm").f_bfree, before.f_bfree);
}
