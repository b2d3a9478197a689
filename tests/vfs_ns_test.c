/*
 * vfs_ns_test.c: changing the name space: mkdir, rmdir, unlink(at),
 * link(at), symlink(at), readlink(at) and the rename family, with the
 * error rules of their Linux man pages.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	1
#define RENAME_EXCHANGE		2
#define RENAME_WHITEOUT		4
#endif

static void
boot(void)
{
	CHECK_EQ(rump_init(), 0);
}

static void
putfile(const char *path, const char *str)
{
	int fd = (int)CHECK_OK(rump_sys_open(path, O_CREAT | O_TRUNC | O_WRONLY,
	    0644));

	CHECK_EQ(rump_sys_write(fd, str, strlen(str)), (long)strlen(str));
	CHECK_OK(rump_sys_close(fd));
}

/* The contents of a small file, or "" when it cannot be read. */
static const char *
getfile(const char *path)
{
	static char buf[64];
	int fd = rump_sys_open(path, O_RDONLY);
	long n = fd < 0 ? -1 : rump_sys_read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		rump_sys_close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static ino_t
ino_of(const char *path)
{
	struct stat st;

	return rump_sys_lstat(path, &st) == 0 ? st.st_ino : 0;
}

static long long
nlink_of(const char *path)
{
	struct stat st;

	return rump_sys_lstat(path, &st) == 0 ? (long long)st.st_nlink : -1;
}

TEST(mkdir_rules)
{
	struct stat st;

	boot();
	CHECK_OK(rump_sys_mkdir("/d", 0777));
	CHECK_OK(rump_sys_stat("/d", &st));
	CHECK_EQ(st.st_mode, S_IFDIR | 0755);	/* umask 022 */
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(nlink_of("/"), 3);
	CHECK_OK(rump_sys_mkdir("/d/s", 01777));
	CHECK_OK(rump_sys_stat("/d/s", &st));
	CHECK_EQ(st.st_mode, S_IFDIR | 01755);	/* sticky kept */
	CHECK_EQ(nlink_of("/d"), 3);
	CHECK_ERR(rump_sys_mkdir("/d", 0755), EEXIST);
	CHECK_ERR(rump_sys_mkdir("/", 0755), EEXIST);
	CHECK_ERR(rump_sys_mkdir("/d/.", 0755), EEXIST);
	CHECK_ERR(rump_sys_mkdir("/d/..", 0755), EEXIST);
	CHECK_OK(rump_sys_symlink("/nothere", "/dangle"));
	CHECK_ERR(rump_sys_mkdir("/dangle", 0755), EEXIST);
	CHECK_ERR(rump_sys_mkdir("/no/sub", 0755), ENOENT);
	int dfd = (int)CHECK_OK(rump_sys_open("/d", O_RDONLY));
	CHECK_OK(rump_sys_mkdirat(dfd, "at", 0700));
	CHECK_OK(rump_sys_stat("/d/at", &st));
	CHECK_EQ(st.st_mode, S_IFDIR | 0700);
}

TEST(rmdir_rules)
{
	boot();
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	CHECK_OK(rump_sys_mkdir("/d/s", 0755));
	putfile("/f", "x");
	CHECK_ERR(rump_sys_rmdir("/d"), ENOTEMPTY);
	CHECK_ERR(rump_sys_rmdir("/d/s/."), EINVAL);
	CHECK_ERR(rump_sys_rmdir("/d/s/.."), ENOTEMPTY);
	CHECK_ERR(rump_sys_rmdir("/"), EBUSY);
	CHECK_ERR(rump_sys_rmdir("/f"), ENOTDIR);
	CHECK_ERR(rump_sys_rmdir("/nothere"), ENOENT);
	CHECK_OK(rump_sys_symlink("/d/s", "/l"));
	CHECK_ERR(rump_sys_rmdir("/l"), ENOTDIR);
	CHECK_ERR(rump_sys_rmdir("/l/"), ENOTDIR);
	CHECK_OK(rump_sys_rmdir("/d/s/"));
	CHECK_EQ(nlink_of("/d"), 2);
	CHECK_OK(rump_sys_unlinkat(AT_FDCWD, "/d", AT_REMOVEDIR));
	CHECK_EQ(nlink_of("/"), 2);
	CHECK_ERR(rump_sys_unlinkat(AT_FDCWD, "/f", AT_REMOVEDIR), ENOTDIR);
	CHECK_ERR(rump_sys_unlinkat(AT_FDCWD, "/f", 0x8000), EINVAL);
}

TEST(unlink_rules)
{
	boot();
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	putfile("/f", "x");
	CHECK_OK(rump_sys_symlink("/d", "/ld"));
	CHECK_OK(rump_sys_symlink("/f", "/lf"));
	CHECK_ERR(rump_sys_unlink("/d"), EISDIR);
	CHECK_ERR(rump_sys_unlink("/"), EISDIR);
	CHECK_ERR(rump_sys_unlink("/d/."), EISDIR);
	CHECK_ERR(rump_sys_unlink("/d/.."), EISDIR);
	CHECK_ERR(rump_sys_unlink("/f/"), ENOTDIR);
	CHECK_ERR(rump_sys_unlink("/ld/"), ENOTDIR);	/* the link itself */
	CHECK_ERR(rump_sys_unlink("/nothere"), ENOENT);
	/* Unlinking a link removes the link, not the target. */
	CHECK_OK(rump_sys_unlink("/lf"));
	CHECK(ino_of("/f") != 0);
	CHECK_OK(rump_sys_unlinkat(AT_FDCWD, "/f", 0));
	CHECK_EQ(ino_of("/f"), 0);
	CHECK_ERR(rump_sys_unlinkat(AT_FDCWD, "/d", 0), EISDIR);
}

TEST(link_rules)
{
	boot();
	putfile("/f", "data");
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	CHECK_OK(rump_sys_link("/f", "/d/g"));
	CHECK_EQ(ino_of("/d/g"), ino_of("/f"));
	CHECK_EQ(nlink_of("/f"), 2);
	CHECK_STR(getfile("/d/g"), "data");
	CHECK_ERR(rump_sys_link("/f", "/d/g"), EEXIST);
	CHECK_ERR(rump_sys_link("/f", "/d/"), EEXIST);
	CHECK_ERR(rump_sys_link("/f", "/new/"), ENOENT);
	CHECK_ERR(rump_sys_link("/d", "/dd"), EPERM);
	CHECK_ERR(rump_sys_link("/nothere", "/x"), ENOENT);
	CHECK_ERR(rump_sys_link("/f", "/nodir/x"), ENOENT);
	/* link() does not follow a symlink; AT_SYMLINK_FOLLOW does. */
	CHECK_OK(rump_sys_symlink("/f", "/lf"));
	CHECK_OK(rump_sys_link("/lf", "/lf2"));
	CHECK_EQ(ino_of("/lf2"), ino_of("/lf"));
	CHECK_OK(rump_sys_linkat(AT_FDCWD, "/lf", AT_FDCWD, "/ff",
	    AT_SYMLINK_FOLLOW));
	CHECK_EQ(ino_of("/ff"), ino_of("/f"));
	CHECK_EQ(nlink_of("/f"), 3);
	CHECK_ERR(rump_sys_linkat(AT_FDCWD, "/f", AT_FDCWD, "/x", 0x8000),
	    EINVAL);
	/* AT_EMPTY_PATH links the open file (root only). */
	int fd = (int)CHECK_OK(rump_sys_open("/f", O_RDONLY));
	CHECK_OK(rump_sys_linkat(fd, "", AT_FDCWD, "/byfd", AT_EMPTY_PATH));
	CHECK_EQ(ino_of("/byfd"), ino_of("/f"));
	CHECK_ERR(rump_sys_linkat(fd, "", AT_FDCWD, "/byfd2", 0), ENOENT);
	CHECK_OK(rump_sys_unlink("/f"));
	CHECK_EQ(nlink_of("/d/g"), 3);
	CHECK_STR(getfile("/d/g"), "data");
}

TEST(symlink_readlink)
{
	char buf[64];

	boot();
	CHECK_OK(rump_sys_symlink("some/where", "/l"));
	CHECK_EQ(rump_sys_readlink("/l", buf, sizeof(buf)), 10);
	CHECK(memcmp(buf, "some/where", 10) == 0);
	/* Truncated without a NUL. */
	memset(buf, '#', sizeof(buf));
	CHECK_EQ(rump_sys_readlink("/l", buf, 4), 4);
	CHECK(memcmp(buf, "some#", 5) == 0);
	CHECK_ERR(rump_sys_readlink("/l", buf, 0), EINVAL);
	CHECK_ERR(rump_sys_readlink("/", buf, sizeof(buf)), EINVAL);
	CHECK_ERR(rump_sys_readlink("/nothere", buf, sizeof(buf)), ENOENT);
	CHECK_ERR(rump_sys_readlink("/l", NULL, 10), EFAULT);
	CHECK_ERR(rump_sys_symlink("x", "/l"), EEXIST);
	CHECK_ERR(rump_sys_symlink("", "/empty"), ENOENT);
	CHECK_ERR(rump_sys_symlink("x", "/new/"), ENOENT);
	CHECK_ERR(rump_sys_symlink("x", "/nodir/l"), ENOENT);
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	int dfd = (int)CHECK_OK(rump_sys_open("/d", O_RDONLY));
	CHECK_OK(rump_sys_symlinkat("../l", dfd, "up"));
	CHECK_EQ(rump_sys_readlinkat(dfd, "up", buf, sizeof(buf)), 4);
	CHECK_EQ(rump_sys_readlinkat(AT_FDCWD, "/d/up", buf, sizeof(buf)), 4);
	CHECK_ERR(rump_sys_readlinkat(dfd, "", buf, sizeof(buf)), ENOENT);
	/* A symlink's mode is 0777 and its size the target's length. */
	struct stat st;
	CHECK_OK(rump_sys_lstat("/d/up", &st));
	CHECK_EQ(st.st_mode, S_IFLNK | 0777);
	CHECK_EQ(st.st_size, 4);
}

TEST(rename_files)
{
	boot();
	putfile("/a", "A");
	putfile("/b", "B");
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	ino_t ia = ino_of("/a");
	CHECK_OK(rump_sys_rename("/a", "/d/a2"));
	CHECK_EQ(ino_of("/a"), 0);
	CHECK_EQ(ino_of("/d/a2"), ia);
	/* Replacing an existing file. */
	CHECK_OK(rump_sys_rename("/d/a2", "/b"));
	CHECK_STR(getfile("/b"), "A");
	CHECK_EQ(ino_of("/d/a2"), 0);
	/* Same file under two names: nothing happens. */
	CHECK_OK(rump_sys_link("/b", "/b2"));
	CHECK_OK(rump_sys_rename("/b", "/b2"));
	CHECK(ino_of("/b") != 0 && ino_of("/b2") != 0);
	CHECK_OK(rump_sys_rename("/b", "/b"));
	CHECK_ERR(rump_sys_rename("/nothere", "/x"), ENOENT);
	CHECK_ERR(rump_sys_rename("/b", "/nodir/x"), ENOENT);
	CHECK_ERR(rump_sys_rename("/b", "/d"), EISDIR);
	CHECK_ERR(rump_sys_rename("/b/", "/c"), ENOTDIR);
	CHECK_ERR(rump_sys_rename("/b", "/c/"), ENOTDIR);
	/* A symlink is renamed itself, not its target. */
	CHECK_OK(rump_sys_symlink("/b", "/l"));
	CHECK_OK(rump_sys_rename("/l", "/d/l"));
	char buf[8];
	CHECK_EQ(rump_sys_readlink("/d/l", buf, sizeof(buf)), 2);
	int fd = (int)CHECK_OK(rump_sys_open("/d", O_RDONLY));
	CHECK_OK(rump_sys_renameat(fd, "l", AT_FDCWD, "/l"));
	CHECK(ino_of("/l") != 0);
}

TEST(rename_dirs)
{
	struct stat st;

	boot();
	CHECK_OK(rump_sys_mkdir("/a", 0755));
	CHECK_OK(rump_sys_mkdir("/a/sub", 0755));
	CHECK_OK(rump_sys_mkdir("/b", 0755));
	CHECK_OK(rump_sys_mkdir("/e", 0755));
	putfile("/f", "x");
	putfile("/a/sub/file", "deep");
	/* Into its own subtree: EINVAL. */
	CHECK_ERR(rump_sys_rename("/a", "/a/sub/x"), EINVAL);
	CHECK_ERR(rump_sys_rename("/a", "/a/x"), EINVAL);
	/* Onto an ancestor (not empty). */
	CHECK_ERR(rump_sys_rename("/a/sub", "/a"), ENOTEMPTY);
	CHECK_ERR(rump_sys_rename("/a", "/f"), ENOTDIR);
	CHECK_ERR(rump_sys_rename("/e", "/a"), ENOTEMPTY);
	CHECK_ERR(rump_sys_rename("/a/.", "/x"), EBUSY);
	CHECK_ERR(rump_sys_rename("/x", "/a/."), EBUSY);
	CHECK_ERR(rump_sys_rename("/f", "/a/.."), EBUSY);
	CHECK_ERR(rump_sys_rename("/", "/x"), EBUSY);
	/* Onto an empty directory: replaces it. */
	CHECK_OK(rump_sys_rename("/a", "/e"));
	CHECK_EQ(ino_of("/a"), 0);
	CHECK_STR(getfile("/e/sub/file"), "deep");
	/* Moving a directory updates ".." and link counts. */
	CHECK_OK(rump_sys_rename("/e/sub", "/b/sub"));
	CHECK_EQ(nlink_of("/e"), 2);
	CHECK_EQ(nlink_of("/b"), 3);
	CHECK_OK(rump_sys_stat("/b/sub/..", &st));
	CHECK_EQ(st.st_ino, ino_of("/b"));
	/* Trailing slashes are fine for directories. */
	CHECK_OK(rump_sys_rename("/b/sub/", "/b/sub2/"));
	CHECK_OK(rump_sys_chdir("/b/sub2"));
	CHECK_OK(rump_sys_rename("/b/sub2", "/sub3"));
	char buf[32];
	CHECK(rump_sys_getcwd(buf, sizeof(buf)) != NULL);
	CHECK_STR(buf, "/sub3");
}

TEST(renameat2_flags)
{
	boot();
	putfile("/a", "A");
	putfile("/b", "B");
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	CHECK_OK(rump_sys_mkdir("/d/x", 0755));
	CHECK_ERR(rump_sys_renameat2(AT_FDCWD, "/a", AT_FDCWD, "/b",
	    RENAME_NOREPLACE), EEXIST);
	CHECK_ERR(rump_sys_renameat2(AT_FDCWD, "/a", AT_FDCWD, "/a",
	    RENAME_NOREPLACE), EEXIST);
	CHECK_OK(rump_sys_renameat2(AT_FDCWD, "/a", AT_FDCWD, "/c",
	    RENAME_NOREPLACE));
	CHECK_STR(getfile("/c"), "A");
	/* Exchange two files; a file and a directory. */
	CHECK_OK(rump_sys_renameat2(AT_FDCWD, "/b", AT_FDCWD, "/c",
	    RENAME_EXCHANGE));
	CHECK_STR(getfile("/b"), "A");
	CHECK_STR(getfile("/c"), "B");
	ino_t id = ino_of("/d"), ib = ino_of("/b");
	CHECK_OK(rump_sys_renameat2(AT_FDCWD, "/b", AT_FDCWD, "/d",
	    RENAME_EXCHANGE));
	CHECK_EQ(ino_of("/b"), id);
	CHECK_EQ(ino_of("/d"), ib);
	CHECK(ino_of("/b/x") != 0);
	CHECK_ERR(rump_sys_renameat2(AT_FDCWD, "/c", AT_FDCWD, "/nothere",
	    RENAME_EXCHANGE), ENOENT);
	CHECK_ERR(rump_sys_renameat2(AT_FDCWD, "/b", AT_FDCWD, "/b/x",
	    RENAME_EXCHANGE), EINVAL);
	CHECK_ERR(rump_sys_renameat2(AT_FDCWD, "/b/x", AT_FDCWD, "/b",
	    RENAME_EXCHANGE), EINVAL);
	CHECK_ERR(rump_sys_renameat2(AT_FDCWD, "/c", AT_FDCWD, "/b",
	    RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL);
	CHECK_ERR(rump_sys_renameat2(AT_FDCWD, "/c", AT_FDCWD, "/d", 8),
	    EINVAL);
	CHECK_ERR(rump_sys_renameat2(AT_FDCWD, "/c", AT_FDCWD, "/d",
	    RENAME_WHITEOUT), EINVAL);
	CHECK_ERR(rump_sys_renameat2(AT_FDCWD, "/c", AT_FDCWD, "/b/.",
	    RENAME_NOREPLACE), EEXIST);
}

/* Renames that cross directories lock both; do them both ways at once. */
TEST(rename_back_and_forth)
{
	char a[32], b[32];

	boot();
	CHECK_OK(rump_sys_mkdir("/x", 0755));
	CHECK_OK(rump_sys_mkdir("/x/y", 0755));
	for (int i = 0; i < 50; i++) {
		snprintf(a, sizeof(a), "/x/f%d", i);
		snprintf(b, sizeof(b), "/x/y/f%d", i);
		putfile(a, "z");
		CHECK_OK(rump_sys_rename(a, b));
		CHECK_OK(rump_sys_rename(b, a));
	}
	CHECK_EQ(nlink_of("/x"), 3);
}
