/*
 * vfs_perm_test.c: permissions as an unprivileged process (rfork, then
 * setgid/setuid to 1000): search and read/write/execute bits, owner,
 * group and supplementary groups, sticky and setgid directories, chmod
 * and chown rules, utimensat rules, and root's privileges.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

static struct lwp *rootlwp;

static void
boot(void)
{
	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	rootlwp = rump_pub_lwproc_curlwp();
	CHECK_EQ(rump_sys_umask(0), 022);
}

/* Back to the root process. */
static void
as_root(void)
{
	rump_pub_lwproc_switch(rootlwp);
}

/* A new child of the root process running as uid/gid (plus one group). */
static void
as_user(uid_t uid, gid_t gid, gid_t extra)
{
	as_root();
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	if (extra != 0)
		CHECK_OK(rump_sys_setgroups(1, &extra));
	else
		CHECK_OK(rump_sys_setgroups(0, NULL));
	CHECK_OK(rump_sys_setgid(gid));
	CHECK_OK(rump_sys_setuid(uid));
	CHECK_EQ(rump_sys_geteuid(), uid);
}

static void
mkfile(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	int fd = (int)CHECK_OK(rump_sys_open(path, O_CREAT | O_TRUNC | O_RDWR,
	    mode));

	CHECK_EQ(rump_sys_write(fd, "data", 4), 4);
	CHECK_OK(rump_sys_fchown(fd, uid, gid));
	CHECK_OK(rump_sys_fchmod(fd, mode));
	CHECK_OK(rump_sys_close(fd));
}

static void
mkdir_owned(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	CHECK_OK(rump_sys_mkdir(path, mode));
	CHECK_OK(rump_sys_chown(path, uid, gid));
	CHECK_OK(rump_sys_chmod(path, mode));
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	return rump_sys_lstat(path, &st) == 0 ? st.st_mode : 0;
}

/* Open path with flags and close it again: 0 or -1 with errno. */
static int
try_open(const char *path, int flags)
{
	int fd = rump_sys_open(path, flags, 0644);

	return fd < 0 ? -1 : rump_sys_close(fd);
}

TEST(search_permission)
{
	struct stat st;
	char buf[64];

	boot();
	mkdir_owned("/d", 0700, 0, 0);
	mkfile("/d/f", 0644, 0, 0);
	mkdir_owned("/x", 0711, 0, 0);
	mkfile("/x/f", 0644, 0, 0);
	as_user(1000, 1000, 0);
	CHECK_ERR(rump_sys_stat("/d/f", &st), EACCES);
	CHECK_ERR(rump_sys_open("/d/f", O_RDONLY), EACCES);
	CHECK_ERR(rump_sys_chdir("/d"), EACCES);
	CHECK_ERR(rump_sys_access("/d/f", F_OK), EACCES);
	CHECK_ERR(rump_sys_stat("/d/nothere", &st), EACCES);
	CHECK_ERR(rump_sys_readlink("/d/f", buf, sizeof(buf)), EACCES);
	CHECK_OK(rump_sys_stat("/d", &st));	/* the dir itself is fine */
	/* Search without read: names work, listing does not. */
	CHECK_OK(rump_sys_stat("/x/f", &st));
	CHECK_OK(try_open("/x/f", O_RDONLY));
	CHECK_ERR(try_open("/x", O_RDONLY), EACCES);
	CHECK_OK(try_open("/x", O_PATH));
	CHECK_OK(rump_sys_chdir("/x"));
	CHECK_OK(rump_sys_stat("f", &st));
	CHECK_ERR(rump_sys_stat("/x/../d/f", &st), EACCES);
}

TEST(owner_group_other_bits)
{
	gid_t g;

	boot();
	mkfile("/root_only", 0600, 0, 0);
	mkfile("/mine_ro", 0466, 1000, 0);	/* owner bits win */
	mkfile("/group_rw", 0460, 0, 1000);
	mkfile("/supp_rw", 0460, 0, 2000);
	mkfile("/other_r", 0604, 0, 0);
	as_user(1000, 1000, 2000);
	CHECK_EQ(rump_sys_getgroups(1, &g), 1);
	CHECK_ERR(try_open("/root_only", O_RDONLY), EACCES);
	CHECK_ERR(try_open("/root_only", O_WRONLY), EACCES);
	CHECK_OK(try_open("/mine_ro", O_RDONLY));
	CHECK_ERR(try_open("/mine_ro", O_WRONLY), EACCES);
	CHECK_ERR(try_open("/mine_ro", O_RDONLY | O_TRUNC), EACCES);
	CHECK_OK(try_open("/group_rw", O_RDWR));
	CHECK_OK(try_open("/supp_rw", O_RDWR));
	CHECK_OK(try_open("/other_r", O_RDONLY));
	CHECK_ERR(try_open("/other_r", O_RDWR), EACCES);
	/* O_NOATIME: only for the owner. */
	CHECK_ERR(try_open("/other_r", O_RDONLY | O_NOATIME), EPERM);
	CHECK_OK(try_open("/mine_ro", O_RDONLY | O_NOATIME));
	CHECK_ERR(rump_sys_truncate("/other_r", 0), EACCES);
	CHECK_OK(rump_sys_access("/group_rw", R_OK | W_OK));
	CHECK_ERR(rump_sys_access("/group_rw", X_OK), EACCES);
	CHECK_ERR(rump_sys_access("/other_r", W_OK), EACCES);
	CHECK_OK(rump_sys_faccessat(AT_FDCWD, "/other_r", R_OK, AT_EACCESS));
	CHECK_ERR(rump_sys_access("/other_r", 8), EINVAL);
	CHECK_ERR(rump_sys_faccessat(AT_FDCWD, "/other_r", R_OK, 0x8000),
	    EINVAL);
}

TEST(root_privileges)
{
	boot();
	mkfile("/nobody", 0000, 1000, 1000);
	mkfile("/exec", 0100, 1000, 1000);
	CHECK_OK(try_open("/nobody", O_RDWR));
	CHECK_OK(rump_sys_access("/nobody", R_OK | W_OK));
	/* Root may execute only what has an execute bit. */
	CHECK_ERR(rump_sys_access("/nobody", X_OK), EACCES);
	CHECK_OK(rump_sys_access("/exec", X_OK));
	mkdir_owned("/d", 0000, 1000, 1000);
	CHECK_OK(rump_sys_access("/d", R_OK | W_OK | X_OK));
	mkfile("/d/f", 0644, 0, 0);
}

TEST(directory_write_permission)
{
	struct stat st;

	boot();
	mkdir_owned("/ro", 0555, 0, 0);
	mkfile("/ro/f", 0666, 1000, 1000);
	mkdir_owned("/ro/sub", 0777, 1000, 1000);
	mkdir_owned("/rw", 0777, 0, 0);
	as_user(1000, 1000, 0);
	CHECK_ERR(rump_sys_open("/ro/new", O_CREAT | O_RDWR, 0644), EACCES);
	CHECK_ERR(rump_sys_mkdir("/ro/new", 0755), EACCES);
	CHECK_ERR(rump_sys_mknod("/ro/new", S_IFIFO | 0644, 0), EACCES);
	CHECK_ERR(rump_sys_symlink("x", "/ro/new"), EACCES);
	CHECK_ERR(rump_sys_link("/ro/f", "/ro/new"), EACCES);
	CHECK_ERR(rump_sys_unlink("/ro/f"), EACCES);
	CHECK_ERR(rump_sys_rmdir("/ro/sub"), EACCES);
	CHECK_ERR(rump_sys_rename("/ro/f", "/rw/f"), EACCES);
	CHECK_ERR(rump_sys_rename("/ro/f", "/ro/g"), EACCES);
	/* Existing names still report EEXIST first. */
	CHECK_ERR(rump_sys_mkdir("/ro/f", 0755), EEXIST);
	/* The file itself is writable. */
	CHECK_OK(try_open("/ro/f", O_RDWR));
	/* Moving a directory to another parent needs write on it. */
	as_root();
	mkdir_owned("/rw/locked", 0555, 1000, 1000);
	mkdir_owned("/rw/other", 0777, 0, 0);
	as_user(1000, 1000, 0);
	CHECK_ERR(rump_sys_rename("/rw/locked", "/rw/other/locked"), EACCES);
	CHECK_OK(rump_sys_rename("/rw/locked", "/rw/locked2"));
	CHECK_OK(rump_sys_open("/rw/mine", O_CREAT | O_RDWR, 0640) >= 0 ? 0 : -1);
	CHECK_OK(rump_sys_stat("/rw/mine", &st));
	CHECK_EQ(st.st_uid, 1000);
	CHECK_EQ(st.st_gid, 1000);
	CHECK_EQ(st.st_mode, S_IFREG | 0640);
}

TEST(sticky_directory)
{
	boot();
	mkdir_owned("/tmp", 01777, 0, 0);
	mkfile("/tmp/roots", 0666, 0, 0);
	as_user(1000, 1000, 0);
	mkfile("/tmp/u1000", 0666, 1000, 1000);
	CHECK_OK(rump_sys_mkdir("/tmp/d1000", 0777));
	CHECK_ERR(rump_sys_unlink("/tmp/roots"), EPERM);
	CHECK_ERR(rump_sys_rename("/tmp/roots", "/tmp/x"), EPERM);
	CHECK_OK(try_open("/tmp/roots", O_RDWR));
	as_user(1001, 1001, 0);
	CHECK_ERR(rump_sys_unlink("/tmp/u1000"), EPERM);
	CHECK_ERR(rump_sys_rmdir("/tmp/d1000"), EPERM);
	/* Replacing someone else's file by rename is a removal too. */
	mkfile("/tmp/u1001", 0666, 1001, 1001);
	CHECK_ERR(rump_sys_rename("/tmp/u1001", "/tmp/u1000"), EPERM);
	as_user(1000, 1000, 0);
	CHECK_OK(rump_sys_unlink("/tmp/u1000"));
	CHECK_OK(rump_sys_rmdir("/tmp/d1000"));
	as_root();
	CHECK_OK(rump_sys_unlink("/tmp/u1001"));
}

TEST(setgid_directory)
{
	struct stat st;

	boot();
	mkdir_owned("/sg", 02777, 0, 500);
	as_user(1000, 1000, 0);
	CHECK_OK(try_open("/sg/f", O_CREAT | O_RDWR));
	CHECK_OK(rump_sys_stat("/sg/f", &st));
	CHECK_EQ(st.st_gid, 500);
	CHECK_OK(rump_sys_mkdir("/sg/d", 0777));
	CHECK_OK(rump_sys_stat("/sg/d", &st));
	CHECK_EQ(st.st_gid, 500);
	CHECK_EQ(st.st_mode, S_IFDIR | 02777);
	/* A group-executable setgid file for a foreign group loses setgid. */
	int fd = (int)CHECK_OK(rump_sys_open("/sg/x", O_CREAT | O_RDWR, 02777));
	CHECK_OK(rump_sys_close(fd));
	CHECK_EQ(mode_of("/sg/x"), S_IFREG | 0777);
}

TEST(chmod_rules)
{
	boot();
	mkfile("/mine", 0644, 1000, 1000);
	mkfile("/foreign_group", 0644, 1000, 500);
	mkfile("/roots", 0666, 0, 0);
	CHECK_OK(rump_sys_symlink("/mine", "/lnk"));
	as_user(1000, 1000, 0);
	CHECK_OK(rump_sys_chmod("/mine", 04751));
	CHECK_EQ(mode_of("/mine"), S_IFREG | 04751);
	CHECK_ERR(rump_sys_chmod("/roots", 0600), EPERM);
	int fd = (int)CHECK_OK(rump_sys_open("/roots", O_RDWR));
	CHECK_ERR(rump_sys_fchmod(fd, 0600), EPERM);
	/* setgid for a group we are not in is dropped silently. */
	CHECK_OK(rump_sys_chmod("/foreign_group", 02755));
	CHECK_EQ(mode_of("/foreign_group"), S_IFREG | 0755);
	CHECK_OK(rump_sys_fchmodat(AT_FDCWD, "/mine", 0600, 0));
	CHECK_ERR(rump_sys_fchmodat(AT_FDCWD, "/lnk", 0600, AT_SYMLINK_NOFOLLOW),
	    EOPNOTSUPP);
	CHECK_ERR(rump_sys_fchmodat(AT_FDCWD, "/mine", 0600, 0x8000), EINVAL);
	int pfd = (int)CHECK_OK(rump_sys_open("/mine", O_PATH));
	CHECK_ERR(rump_sys_fchmod(pfd, 0600), EBADF);
	CHECK_ERR(rump_sys_chmod("/nothere", 0600), ENOENT);
}

TEST(chown_rules)
{
	struct stat st;

	boot();
	mkfile("/mine", 04755, 1000, 1000);
	mkfile("/roots", 0666, 0, 0);
	as_user(1000, 1000, 2000);
	CHECK_ERR(rump_sys_chown("/mine", 1001, -1), EPERM);
	CHECK_OK(rump_sys_chown("/mine", 1000, -1));	/* no change: ok */
	CHECK_OK(rump_sys_chown("/mine", -1, 2000));	/* a group of ours */
	CHECK_OK(rump_sys_stat("/mine", &st));
	CHECK_EQ(st.st_gid, 2000);
	CHECK_EQ(st.st_mode & 07777, 0755);	/* setuid cleared */
	CHECK_ERR(rump_sys_chown("/mine", -1, 3000), EPERM);
	CHECK_ERR(rump_sys_chown("/roots", -1, 1000), EPERM);
	CHECK_ERR(rump_sys_chown("/roots", 0, -1), EPERM);
	CHECK_OK(rump_sys_chown("/roots", -1, -1));
	CHECK_ERR(rump_sys_fchownat(AT_FDCWD, "/mine", -1, -1, 0x8000), EINVAL);
	as_root();
	/* Root may give files away; setuid goes even then. */
	CHECK_OK(rump_sys_chmod("/mine", 06755));
	CHECK_OK(rump_sys_chown("/mine", 1234, 5678));
	CHECK_OK(rump_sys_stat("/mine", &st));
	CHECK_EQ(st.st_uid, 1234);
	CHECK_EQ(st.st_gid, 5678);
	CHECK_EQ(st.st_mode & 07777, 0755);
	/* lchown changes the link itself. */
	CHECK_OK(rump_sys_symlink("/mine", "/lnk"));
	CHECK_OK(rump_sys_lchown("/lnk", 42, 43));
	CHECK_OK(rump_sys_lstat("/lnk", &st));
	CHECK_EQ(st.st_uid, 42);
	CHECK_OK(rump_sys_stat("/lnk", &st));
	CHECK_EQ(st.st_uid, 1234);
}

TEST(write_clears_setuid)
{
	boot();
	mkfile("/prog", 06775, 1000, 1000);
	mkfile("/rootprog", 06777, 0, 0);
	/* Root's writes keep the bits. */
	int fd = (int)CHECK_OK(rump_sys_open("/rootprog", O_WRONLY));
	CHECK_EQ(rump_sys_write(fd, "x", 1), 1);
	CHECK_OK(rump_sys_close(fd));
	CHECK_EQ(mode_of("/rootprog"), S_IFREG | 06777);
	as_user(1000, 1000, 0);
	fd = (int)CHECK_OK(rump_sys_open("/prog", O_WRONLY));
	CHECK_EQ(rump_sys_write(fd, "x", 1), 1);
	CHECK_EQ(mode_of("/prog"), S_IFREG | 0775);
	CHECK_OK(rump_sys_close(fd));
	fd = (int)CHECK_OK(rump_sys_open("/rootprog", O_WRONLY));
	CHECK_OK(rump_sys_ftruncate(fd, 0));
	CHECK_EQ(mode_of("/rootprog"), S_IFREG | 0777);
}

TEST(utimensat_permissions)
{
	struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	struct timespec set[2] = { { 5, 0 }, { 6, 0 } };

	boot();
	mkfile("/writable", 0666, 0, 0);
	mkfile("/readonly", 0644, 0, 0);
	mkfile("/mine", 0400, 1000, 1000);
	as_user(1000, 1000, 0);
	CHECK_OK(rump_sys_utimensat(AT_FDCWD, "/writable", NULL, 0));
	CHECK_OK(rump_sys_utimensat(AT_FDCWD, "/writable", now, 0));
	CHECK_ERR(rump_sys_utimensat(AT_FDCWD, "/writable", set, 0), EPERM);
	CHECK_ERR(rump_sys_utimensat(AT_FDCWD, "/readonly", NULL, 0), EACCES);
	CHECK_ERR(rump_sys_utimensat(AT_FDCWD, "/readonly", set, 0), EPERM);
	CHECK_OK(rump_sys_utimensat(AT_FDCWD, "/mine", set, 0));
	CHECK_OK(rump_sys_utimensat(AT_FDCWD, "/mine", NULL, 0));
}

TEST(privileged_operations)
{
	boot();
	mkdir_owned("/pub", 0777, 0, 0);
	CHECK_OK(rump_sys_mkdir("/mnt", 0755));
	as_user(1000, 1000, 0);
	CHECK_ERR(rump_sys_mknod("/pub/chr", S_IFCHR | 0600, makedev(1, 3)),
	    EPERM);
	CHECK_ERR(rump_sys_mknod("/pub/blk", S_IFBLK | 0600, makedev(8, 0)),
	    EPERM);
	/* A 0/0 character device (a whiteout) is allowed, as on Linux. */
	CHECK_OK(rump_sys_mknod("/pub/wh", S_IFCHR | 0600, 0));
	CHECK_OK(rump_sys_mknod("/pub/fifo", S_IFIFO | 0600, 0));
	CHECK_ERR(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, NULL), EPERM);
	CHECK_ERR(rump_sys_mount("tmpfs", "/nothere", "tmpfs", 0, NULL),
	    ENOENT);
	CHECK_ERR(rump_sys_umount2("/", 0), EPERM);
	/* AT_EMPTY_PATH linking needs privilege: ENOENT without. */
	int fd = (int)CHECK_OK(rump_sys_open("/pub/fifo", O_PATH));
	CHECK_ERR(rump_sys_linkat(fd, "", AT_FDCWD, "/pub/l", AT_EMPTY_PATH),
	    ENOENT);
}
