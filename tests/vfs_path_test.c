/*
 * vfs_path_test.c: name lookup: absolute and relative paths, dirfd, ".",
 * "..", repeated and trailing slashes, symbolic links (ELOOP, O_NOFOLLOW),
 * length limits, AT_EMPTY_PATH, and the current directory (chdir,
 * fchdir, getcwd).  Expected errors are what Linux returns.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

/* A call returning a pointer must fail with NULL and errno err. */
#define CHECK_NULL_ERR(e, err) do { errno = 0; void *_p = (e); \
	int _e = errno; \
	if (_p != NULL) TFAIL("%s succeeded, expected NULL/%s", #e, #err); \
	else if (_e != (err)) TFAIL("%s: errno %s, expected %s", #e, \
	    strerror(_e), #err); } while (0)

static void
boot(void)
{
	CHECK_EQ(rump_init(), 0);
}

static void
mkfile(const char *path)
{
	int fd = (int)CHECK_OK(rump_sys_open(path, O_CREAT | O_WRONLY, 0644));

	CHECK_OK(rump_sys_close(fd));
}

/* Open path with flags and close it again; -1 with errno on failure. */
static int
open_close(const char *path, int flags)
{
	int fd = rump_sys_open(path, flags, 0644);

	if (fd < 0)
		return -1;
	return rump_sys_close(fd);
}

static ino_t
ino_of(const char *path)
{
	struct stat st;

	if (rump_sys_stat(path, &st) != 0)
		return 0;
	return st.st_ino;
}

TEST(absolute_and_relative)
{
	struct stat st;

	boot();
	CHECK_OK(rump_sys_mkdir("/a", 0755));
	CHECK_OK(rump_sys_mkdir("/a/b", 0755));
	mkfile("/a/b/f");
	CHECK_OK(rump_sys_stat("/a/b/f", &st));
	CHECK(S_ISREG(st.st_mode));
	CHECK_OK(rump_sys_chdir("/a"));
	CHECK_OK(rump_sys_stat("b/f", &st));
	CHECK_EQ(st.st_ino, ino_of("/a/b/f"));
	CHECK_OK(rump_sys_stat("./b/./f", &st));
	CHECK_OK(rump_sys_stat("b/../b/f", &st));
	CHECK_OK(rump_sys_stat("//a///b//f", &st));
	CHECK_EQ(st.st_ino, ino_of("/a/b/f"));
	CHECK_ERR(rump_sys_stat("b/nothere", &st), ENOENT);
	CHECK_ERR(rump_sys_stat("nothere/f", &st), ENOENT);
}

TEST(dotdot_at_root_stays)
{
	boot();
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	CHECK_EQ(ino_of("/.."), ino_of("/"));
	CHECK_EQ(ino_of("/../../.."), ino_of("/"));
	CHECK_EQ(ino_of("/d/../../d"), ino_of("/d"));
	CHECK_OK(rump_sys_chdir("/"));
	CHECK_EQ(ino_of(".."), ino_of("/"));
}

TEST(empty_path_is_enoent)
{
	struct stat st;

	boot();
	CHECK_ERR(rump_sys_stat("", &st), ENOENT);
	CHECK_ERR(rump_sys_open("", O_RDONLY), ENOENT);
	CHECK_ERR(rump_sys_mkdir("", 0755), ENOENT);
	CHECK_ERR(rump_sys_unlink(""), ENOENT);
	CHECK_ERR(rump_sys_stat(NULL, &st), EFAULT);
}

TEST(enotdir_in_the_middle)
{
	struct stat st;

	boot();
	mkfile("/f");
	CHECK_ERR(rump_sys_stat("/f/x", &st), ENOTDIR);
	CHECK_ERR(rump_sys_stat("/f/.", &st), ENOTDIR);
	CHECK_ERR(rump_sys_stat("/f/..", &st), ENOTDIR);
	CHECK_ERR(rump_sys_mkdir("/f/x", 0755), ENOTDIR);
	CHECK_ERR(rump_sys_open("/f/x", O_CREAT | O_RDWR, 0644), ENOTDIR);
}

TEST(trailing_slashes)
{
	struct stat st;

	boot();
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	mkfile("/f");
	CHECK_OK(rump_sys_stat("/d/", &st));
	CHECK_OK(rump_sys_stat("/d//", &st));
	CHECK_ERR(rump_sys_stat("/f/", &st), ENOTDIR);
	CHECK_ERR(rump_sys_open("/f/", O_RDONLY), ENOTDIR);
	CHECK_ERR(rump_sys_access("/f/", F_OK), ENOTDIR);
	/* mkdir and rmdir take trailing slashes. */
	CHECK_OK(rump_sys_mkdir("/n//", 0755));
	CHECK_OK(rump_sys_rmdir("/n//"));
	/* O_CREAT with a trailing slash: EISDIR whether it exists or not. */
	CHECK_ERR(rump_sys_open("/nf/", O_CREAT | O_RDWR, 0644), EISDIR);
	CHECK_ERR(rump_sys_open("/f/", O_CREAT | O_RDWR, 0644), EISDIR);
	CHECK_ERR(rump_sys_unlink("/f/"), ENOTDIR);
	CHECK_ERR(rump_sys_unlink("/nothere/"), ENOENT);
}

TEST(name_too_long)
{
	char name[300], *path;
	struct stat st;

	boot();
	memset(name, 'x', 256);
	name[0] = '/';
	name[256] = '\0';		/* a 255-byte component is fine */
	mkfile(name);
	CHECK_OK(rump_sys_stat(name, &st));
	name[256] = 'x';
	name[257] = '\0';		/* 256 bytes: too long */
	CHECK_ERR(rump_sys_stat(name, &st), ENAMETOOLONG);
	CHECK_ERR(rump_sys_mkdir(name, 0755), ENAMETOOLONG);
	CHECK_ERR(rump_sys_open(name, O_CREAT | O_RDWR, 0644), ENAMETOOLONG);
	/* A whole path of PATH_MAX bytes (no room for the NUL). */
	path = malloc(5000);
	for (int i = 0; i < 4096; i += 2) {
		path[i] = '/';
		path[i + 1] = '.';
	}
	path[4096] = '\0';
	CHECK_ERR(rump_sys_stat(path, &st), ENAMETOOLONG);
	path[4094] = '\0';		/* 4094 bytes: allowed */
	CHECK_OK(rump_sys_stat(path, &st));
	free(path);
}

TEST(symlinks_followed)
{
	struct stat st;
	char buf[64];

	boot();
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	mkfile("/d/f");
	CHECK_OK(rump_sys_symlink("/d", "/abs"));
	CHECK_OK(rump_sys_symlink("d/f", "/rel"));
	CHECK_OK(rump_sys_symlink("../d", "/d/up"));
	CHECK_OK(rump_sys_stat("/abs/f", &st));
	CHECK_EQ(st.st_ino, ino_of("/d/f"));
	CHECK_OK(rump_sys_stat("/rel", &st));
	CHECK_EQ(st.st_ino, ino_of("/d/f"));
	CHECK_OK(rump_sys_stat("/d/up/up/up/f", &st));
	CHECK_EQ(st.st_ino, ino_of("/d/f"));
	CHECK_OK(rump_sys_lstat("/rel", &st));
	CHECK(S_ISLNK(st.st_mode));
	CHECK_EQ(st.st_size, 3);
	/* A trailing slash follows the link even for lstat. */
	CHECK_OK(rump_sys_lstat("/abs/", &st));
	CHECK(S_ISDIR(st.st_mode));
	CHECK_ERR(rump_sys_lstat("/rel/", &st), ENOTDIR);
	CHECK_EQ(rump_sys_readlink("/d/up", buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "../d", 4) == 0);
	/* A dangling link. */
	CHECK_OK(rump_sys_symlink("/nothere", "/dangle"));
	CHECK_ERR(rump_sys_stat("/dangle", &st), ENOENT);
	CHECK_OK(rump_sys_lstat("/dangle", &st));
}

TEST(symlink_loops)
{
	char name[32], target[32];
	struct stat st;
	int i;

	boot();
	CHECK_OK(rump_sys_symlink("l2", "/l1"));
	CHECK_OK(rump_sys_symlink("l1", "/l2"));
	CHECK_ERR(rump_sys_stat("/l1", &st), ELOOP);
	CHECK_ERR(rump_sys_open("/l1", O_RDONLY), ELOOP);
	CHECK_ERR(rump_sys_open("/l1", O_CREAT | O_RDWR, 0644), ELOOP);
	CHECK_ERR(rump_sys_mkdir("/l1/x", 0755), ELOOP);
	CHECK_ERR(rump_sys_access("/l1/", F_OK), ELOOP);
	CHECK_OK(rump_sys_lstat("/l1", &st));
	/* A chain of 40 links resolves; 41 is ELOOP. */
	mkfile("/target");
	for (i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), "/c%d", i);
		if (i == 1)
			snprintf(target, sizeof(target), "/target");
		else
			snprintf(target, sizeof(target), "/c%d", i - 1);
		CHECK_OK(rump_sys_symlink(target, name));
	}
	CHECK_OK(rump_sys_stat("/c40", &st));
	CHECK_EQ(st.st_ino, ino_of("/target"));
	CHECK_ERR(rump_sys_stat("/c41", &st), ELOOP);
}

TEST(o_nofollow)
{
	struct stat st;
	int fd;

	boot();
	mkfile("/f");
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	CHECK_OK(rump_sys_symlink("/f", "/lf"));
	CHECK_OK(rump_sys_symlink("/d", "/ld"));
	CHECK_ERR(rump_sys_open("/lf", O_RDONLY | O_NOFOLLOW), ELOOP);
	CHECK_ERR(rump_sys_open("/ld", O_RDONLY | O_NOFOLLOW | O_DIRECTORY),
	    ENOTDIR);
	/* Only the last component is not followed. */
	CHECK_OK(open_close("/ld/", O_RDONLY | O_NOFOLLOW));
	/* O_PATH|O_NOFOLLOW opens the link itself. */
	fd = (int)CHECK_OK(rump_sys_open("/lf", O_PATH | O_NOFOLLOW));
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK(S_ISLNK(st.st_mode));
	CHECK_OK(rump_sys_fstatat(fd, "", &st, AT_EMPTY_PATH));
	CHECK(S_ISLNK(st.st_mode));
	char buf[16];
	CHECK_EQ(rump_sys_readlinkat(fd, "", buf, sizeof(buf)), 2);
	CHECK_OK(rump_sys_close(fd));
	/* O_CREAT|O_EXCL does not follow a dangling link: EEXIST. */
	CHECK_OK(rump_sys_symlink("/newfile", "/dangle"));
	CHECK_ERR(rump_sys_open("/dangle", O_CREAT | O_EXCL | O_RDWR, 0644),
	    EEXIST);
	/* Without O_EXCL the link is followed and its target created. */
	CHECK_OK(open_close("/dangle", O_CREAT | O_RDWR));
	CHECK_OK(rump_sys_stat("/newfile", &st));
	CHECK(S_ISREG(st.st_mode));
}

TEST(dirfd_relative)
{
	struct stat st;
	int dfd, ffd;

	boot();
	CHECK_OK(rump_sys_mkdir("/d", 0755));
	mkfile("/d/f");
	dfd = (int)CHECK_OK(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ffd = (int)CHECK_OK(rump_sys_open("/d/f", O_RDONLY));
	CHECK_OK(rump_sys_fstatat(dfd, "f", &st, 0));
	CHECK_EQ(st.st_ino, ino_of("/d/f"));
	CHECK_OK(rump_sys_fstatat(dfd, "..", &st, 0));
	CHECK_EQ(st.st_ino, ino_of("/"));
	/* An absolute path ignores dirfd, even a bad one. */
	CHECK_OK(rump_sys_fstatat(-5, "/d", &st, 0));
	CHECK_ERR(rump_sys_fstatat(-5, "f", &st, 0), EBADF);
	CHECK_ERR(rump_sys_fstatat(99, "f", &st, 0), EBADF);
	CHECK_ERR(rump_sys_fstatat(ffd, "x", &st, 0), ENOTDIR);
	CHECK_OK(rump_sys_mkdirat(dfd, "sub", 0755));
	CHECK_OK(rump_sys_stat("/d/sub", &st));
	CHECK_ERR(rump_sys_fstatat(AT_FDCWD, "/d", &st, 0x8000), EINVAL);
	/* An O_PATH directory works as dirfd. */
	int pfd = (int)CHECK_OK(rump_sys_open("/d", O_PATH));
	CHECK_OK(rump_sys_fstatat(pfd, "f", &st, 0));
	CHECK_ERR(rump_sys_mkdirat(ffd, "x", 0755), ENOTDIR);
}

TEST(at_empty_path)
{
	struct stat st, st2;
	int fd, p[2];

	boot();
	mkfile("/f");
	fd = (int)CHECK_OK(rump_sys_open("/f", O_RDONLY));
	CHECK_ERR(rump_sys_fstatat(fd, "", &st, 0), ENOENT);
	CHECK_OK(rump_sys_fstatat(fd, "", &st, AT_EMPTY_PATH));
	CHECK_EQ(st.st_ino, ino_of("/f"));
	CHECK_OK(rump_sys_fstatat(AT_FDCWD, "", &st2, AT_EMPTY_PATH));
	CHECK_EQ(st2.st_ino, ino_of("/"));
	/* Works on a pipe too: it is fstat. */
	CHECK_OK(rump_sys_pipe(p));
	CHECK_OK(rump_sys_fstatat(p[0], "", &st, AT_EMPTY_PATH));
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_ERR(rump_sys_fstatat(p[0], "x", &st, 0), ENOTDIR);
	CHECK_OK(rump_sys_faccessat(fd, "", R_OK, AT_EMPTY_PATH));
	CHECK_ERR(rump_sys_faccessat(fd, "", R_OK, 0), ENOENT);
}

TEST(chdir_fchdir_getcwd)
{
	char buf[256];
	int dfd, ffd;

	boot();
	CHECK(rump_sys_getcwd(buf, sizeof(buf)) == buf);
	CHECK_STR(buf, "/");
	CHECK_OK(rump_sys_mkdir("/one", 0755));
	CHECK_OK(rump_sys_mkdir("/one/two", 0755));
	CHECK_OK(rump_sys_mkdir("/one/two/three", 0755));
	mkfile("/one/f");
	CHECK_OK(rump_sys_chdir("/one/two/three"));
	CHECK(rump_sys_getcwd(buf, sizeof(buf)) != NULL);
	CHECK_STR(buf, "/one/two/three");
	CHECK_OK(rump_sys_chdir("../.."));
	CHECK(rump_sys_getcwd(buf, sizeof(buf)) != NULL);
	CHECK_STR(buf, "/one");
	CHECK_ERR(rump_sys_chdir("f"), ENOTDIR);
	CHECK_ERR(rump_sys_chdir("nothere"), ENOENT);
	dfd = (int)CHECK_OK(rump_sys_open("/one/two", O_RDONLY));
	ffd = (int)CHECK_OK(rump_sys_open("/one/f", O_RDONLY));
	CHECK_OK(rump_sys_fchdir(dfd));
	CHECK(rump_sys_getcwd(buf, sizeof(buf)) != NULL);
	CHECK_STR(buf, "/one/two");
	CHECK_ERR(rump_sys_fchdir(ffd), ENOTDIR);
	CHECK_ERR(rump_sys_fchdir(-1), EBADF);
	int p[2];
	CHECK_OK(rump_sys_pipe(p));
	CHECK_ERR(rump_sys_fchdir(p[0]), ENOTDIR);
	/* Buffer sizes: exactly enough, one short, zero. */
	CHECK(rump_sys_getcwd(buf, 9) != NULL);	/* "/one/two" + NUL */
	CHECK_NULL_ERR(rump_sys_getcwd(buf, 8), ERANGE);
	CHECK_NULL_ERR(rump_sys_getcwd(buf, 0), ERANGE);
	CHECK_NULL_ERR(rump_sys_getcwd(NULL, 64), EFAULT);
}

TEST(getcwd_of_removed_dir)
{
	char buf[64];
	struct stat st;

	boot();
	CHECK_OK(rump_sys_mkdir("/gone", 0755));
	CHECK_OK(rump_sys_chdir("/gone"));
	CHECK_OK(rump_sys_rmdir("/gone"));
	CHECK_NULL_ERR(rump_sys_getcwd(buf, sizeof(buf)), ENOENT);
	CHECK_OK(rump_sys_stat(".", &st));
	CHECK_EQ(st.st_nlink, 0);
	CHECK_ERR(rump_sys_open("new", O_CREAT | O_RDWR, 0644), ENOENT);
	CHECK_ERR(rump_sys_mkdir("sub", 0755), ENOENT);
}

/* Each process has its own cwd; a child inherits its parent's. */
TEST(cwd_is_per_process)
{
	char buf[64];

	boot();
	CHECK_OK(rump_sys_mkdir("/p", 0755));
	CHECK_OK(rump_sys_mkdir("/c", 0755));
	CHECK_OK(rump_sys_chdir("/p"));
	struct lwp *parent = rump_pub_lwproc_curlwp();
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	CHECK(rump_sys_getcwd(buf, sizeof(buf)) != NULL);
	CHECK_STR(buf, "/p");
	CHECK_OK(rump_sys_chdir("/c"));
	rump_pub_lwproc_switch(parent);
	CHECK(rump_sys_getcwd(buf, sizeof(buf)) != NULL);
	CHECK_STR(buf, "/p");
}
