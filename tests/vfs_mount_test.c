/*
 * vfs_mount_test.c: mount(2) and umount2(2) of tmpfs: crossing mount
 * points both ways, distinct st_dev, EXDEV across mounts, EBUSY for
 * mounts in use, read-only mounts (EROFS) and remounting, noexec,
 * stacked and detached mounts, statfs.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

#define TMPFS_MAGIC 0x01021994

static void
boot(void)
{
	CHECK_EQ(rump_init(), 0);
}

static void
mount_tmpfs(const char *path, unsigned long flags, const char *opts)
{
	rump_sys_mkdir(path, 0755);
	CHECK_OK(rump_sys_mount("tmpfs", path, "tmpfs", flags, opts));
}

static void
putfile(const char *path, const char *str)
{
	int fd = (int)CHECK_OK(rump_sys_open(path, O_CREAT | O_TRUNC | O_WRONLY,
	    0644));

	CHECK_EQ(rump_sys_write(fd, str, strlen(str)), (long)strlen(str));
	CHECK_OK(rump_sys_close(fd));
}

static struct stat
stat_of(const char *path)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	CHECK_OK(rump_sys_stat(path, &st));
	return st;
}

TEST(mount_and_cross)
{
	struct stat root, mnt, up, f;
	struct statfs sf;
	char buf[64];

	boot();
	CHECK_OK(rump_sys_mkdir("/mnt", 0755));
	putfile("/mnt/hidden", "under");
	mount_tmpfs("/mnt", 0, "mode=0700,size=1m");
	root = stat_of("/");
	mnt = stat_of("/mnt");
	CHECK(mnt.st_dev != root.st_dev);
	CHECK_EQ(mnt.st_mode, S_IFDIR | 0700);
	CHECK_EQ(mnt.st_nlink, 2);
	CHECK_ERR(rump_sys_stat("/mnt/hidden", &f), ENOENT);
	putfile("/mnt/f", "over");
	f = stat_of("/mnt/f");
	CHECK_EQ(f.st_dev, mnt.st_dev);
	/* ".." from the mount's root is the parent of the mount point. */
	up = stat_of("/mnt/..");
	CHECK_EQ(up.st_ino, root.st_ino);
	CHECK_EQ(up.st_dev, root.st_dev);
	CHECK_OK(rump_sys_mkdir("/mnt/sub", 0755));
	CHECK_OK(rump_sys_chdir("/mnt/sub"));
	CHECK(rump_sys_getcwd(buf, sizeof(buf)) != NULL);
	CHECK_STR(buf, "/mnt/sub");
	CHECK_EQ(stat_of("../..").st_ino, root.st_ino);
	CHECK_OK(rump_sys_statfs("/mnt/f", &sf));
	CHECK_EQ(sf.f_type, TMPFS_MAGIC);
	CHECK_EQ(sf.f_blocks, 256);		/* 1 MiB of 4 KiB pages */
	CHECK_EQ(sf.f_namelen, 255);
	CHECK_OK(rump_sys_chdir("/"));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	CHECK_OK(rump_sys_stat("/mnt/hidden", &f));
	CHECK_EQ(stat_of("/mnt").st_dev, root.st_dev);
}

TEST(mount_errors)
{
	boot();
	CHECK_OK(rump_sys_mkdir("/mnt", 0755));
	putfile("/file", "x");
	CHECK_ERR(rump_sys_mount("tmpfs", "/nothere", "tmpfs", 0, NULL),
	    ENOENT);
	CHECK_ERR(rump_sys_mount("tmpfs", "/file", "tmpfs", 0, NULL), ENOTDIR);
	CHECK_ERR(rump_sys_mount("x", "/mnt", "nosuchfs", 0, NULL), ENODEV);
	CHECK_ERR(rump_sys_mount("x", "/mnt", NULL, 0, NULL), EINVAL);
	CHECK_ERR(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, "bogus=1"),
	    EINVAL);
	CHECK_ERR(rump_sys_mount("tmpfs", "/mnt", "tmpfs", MS_BIND, NULL),
	    EINVAL);
	CHECK_ERR(rump_sys_mount("tmpfs", NULL, "tmpfs", 0, NULL), EFAULT);
	/* Not a mount point. */
	CHECK_ERR(rump_sys_mount(NULL, "/mnt", NULL, MS_REMOUNT, NULL), EINVAL);
	CHECK_ERR(rump_sys_umount2("/mnt", 0), EINVAL);
	CHECK_ERR(rump_sys_umount2("/nothere", 0), ENOENT);
	CHECK_ERR(rump_sys_umount2("/", 0), EBUSY);
	CHECK_ERR(rump_sys_umount2("/mnt", 0x100), EINVAL);
	CHECK_ERR(rump_sys_umount2("/mnt", MNT_EXPIRE | MNT_FORCE), EINVAL);
	/* The old MS_MGC_VAL magic in the high bits is ignored. */
	CHECK_OK(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0xc0ed0000UL, NULL));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
}

TEST(cross_mount_exdev)
{
	boot();
	mount_tmpfs("/m1", 0, NULL);
	mount_tmpfs("/m2", 0, NULL);
	putfile("/m1/f", "x");
	CHECK_OK(rump_sys_mkdir("/m1/d", 0755));
	CHECK_ERR(rump_sys_rename("/m1/f", "/m2/f"), EXDEV);
	CHECK_ERR(rump_sys_rename("/m1/d", "/m2/d"), EXDEV);
	CHECK_ERR(rump_sys_rename("/m1/f", "/f"), EXDEV);
	CHECK_ERR(rump_sys_link("/m1/f", "/m2/f"), EXDEV);
	CHECK_ERR(rump_sys_renameat2(AT_FDCWD, "/m1/f", AT_FDCWD, "/m2/f",
	    RENAME_EXCHANGE), EXDEV);
	/* The mount points themselves cannot be moved or removed. */
	CHECK_ERR(rump_sys_rename("/m1", "/m3"), EBUSY);
	CHECK_ERR(rump_sys_rmdir("/m1"), EBUSY);
	CHECK(stat_of("/m1").st_dev != stat_of("/m2").st_dev);
	CHECK(stat_of("/m1").st_dev != stat_of("/").st_dev);
}

TEST(umount_busy)
{
	int fd;

	boot();
	mount_tmpfs("/mnt", 0, NULL);
	putfile("/mnt/f", "x");
	/* An open file. */
	fd = (int)CHECK_OK(rump_sys_open("/mnt/f", O_RDONLY));
	CHECK_ERR(rump_sys_umount2("/mnt", 0), EBUSY);
	CHECK_ERR(rump_sys_umount2("/mnt", MNT_FORCE), EBUSY);
	CHECK_OK(rump_sys_close(fd));
	/* An open directory: the mount's root itself. */
	fd = (int)CHECK_OK(rump_sys_open("/mnt", O_RDONLY));
	CHECK_ERR(rump_sys_umount2("/mnt", 0), EBUSY);
	CHECK_OK(rump_sys_close(fd));
	/* A process's cwd. */
	CHECK_OK(rump_sys_chdir("/mnt"));
	CHECK_ERR(rump_sys_umount2("/mnt", 0), EBUSY);
	CHECK_OK(rump_sys_chdir("/"));
	/* A mount inside it. */
	mount_tmpfs("/mnt/inner", 0, NULL);
	CHECK_ERR(rump_sys_umount2("/mnt", 0), EBUSY);
	CHECK_OK(rump_sys_umount2("/mnt/inner", 0));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	CHECK_ERR(rump_sys_umount2("/mnt", 0), EINVAL);
}

TEST(read_only_mount)
{
	struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };
	struct statfs sf;
	char buf[8];
	int fd;

	boot();
	mount_tmpfs("/ro", 0, NULL);
	putfile("/ro/f", "data");
	CHECK_OK(rump_sys_mkdir("/ro/d", 0755));
	CHECK_OK(rump_sys_mount(NULL, "/ro", NULL, MS_REMOUNT | MS_RDONLY,
	    NULL));
	CHECK_OK(rump_sys_statfs("/ro", &sf));
	CHECK(sf.f_flags & ST_RDONLY);
	CHECK_ERR(rump_sys_open("/ro/new", O_CREAT | O_RDWR, 0644), EROFS);
	CHECK_ERR(rump_sys_open("/ro/f", O_WRONLY), EROFS);
	CHECK_ERR(rump_sys_open("/ro/f", O_RDONLY | O_TRUNC), EROFS);
	CHECK_ERR(rump_sys_mkdir("/ro/new", 0755), EROFS);
	CHECK_ERR(rump_sys_mkdir("/ro/d", 0755), EEXIST);
	CHECK_ERR(rump_sys_unlink("/ro/f"), EROFS);
	CHECK_ERR(rump_sys_unlink("/ro/nothere"), EROFS);
	CHECK_ERR(rump_sys_rmdir("/ro/d"), EROFS);
	CHECK_ERR(rump_sys_rename("/ro/f", "/ro/g"), EROFS);
	CHECK_ERR(rump_sys_link("/ro/f", "/ro/g"), EROFS);
	CHECK_ERR(rump_sys_symlink("x", "/ro/g"), EROFS);
	CHECK_ERR(rump_sys_mknod("/ro/g", S_IFIFO | 0644, 0), EROFS);
	CHECK_ERR(rump_sys_chmod("/ro/f", 0600), EROFS);
	CHECK_ERR(rump_sys_chown("/ro/f", 1, 1), EROFS);
	CHECK_ERR(rump_sys_truncate("/ro/f", 0), EROFS);
	CHECK_ERR(rump_sys_utimensat(AT_FDCWD, "/ro/f", ts, 0), EROFS);
	CHECK_ERR(rump_sys_access("/ro/f", W_OK), EROFS);
	CHECK_OK(rump_sys_access("/ro/f", R_OK));
	fd = (int)CHECK_OK(rump_sys_open("/ro/f", O_RDONLY));
	CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 4);
	CHECK_OK(rump_sys_close(fd));
	/* Back to read-write. */
	CHECK_OK(rump_sys_mount(NULL, "/ro", NULL, MS_REMOUNT, NULL));
	putfile("/ro/new", "ok");
	CHECK_OK(rump_sys_statfs("/ro", &sf));
	CHECK(!(sf.f_flags & ST_RDONLY));
	/* Mounted read-only from the start. */
	mount_tmpfs("/ro2", MS_RDONLY, NULL);
	CHECK_ERR(rump_sys_mkdir("/ro2/x", 0755), EROFS);
}

TEST(remount_ro_busy)
{
	int fd;

	boot();
	mount_tmpfs("/m", 0, NULL);
	putfile("/m/f", "x");
	fd = (int)CHECK_OK(rump_sys_open("/m/f", O_WRONLY));
	CHECK_ERR(rump_sys_mount(NULL, "/m", NULL, MS_REMOUNT | MS_RDONLY,
	    NULL), EBUSY);
	CHECK_EQ(rump_sys_write(fd, "y", 1), 1);
	CHECK_OK(rump_sys_close(fd));
	/* Readers do not stop it. */
	fd = (int)CHECK_OK(rump_sys_open("/m/f", O_RDONLY));
	CHECK_OK(rump_sys_mount(NULL, "/m", NULL, MS_REMOUNT | MS_RDONLY,
	    NULL));
	CHECK_OK(rump_sys_close(fd));
}

TEST(noexec_mount)
{
	boot();
	mount_tmpfs("/nx", MS_NOEXEC, NULL);
	putfile("/nx/prog", "#!");
	CHECK_OK(rump_sys_chmod("/nx/prog", 0755));
	CHECK_ERR(rump_sys_access("/nx/prog", X_OK), EACCES);
	CHECK_OK(rump_sys_access("/nx", X_OK));	/* directories still search */
	struct statfs sf;
	CHECK_OK(rump_sys_statfs("/nx", &sf));
	CHECK(sf.f_flags & ST_NOEXEC);
}

TEST(stacked_mounts)
{
	boot();
	mount_tmpfs("/s", 0, NULL);
	putfile("/s/first", "1");
	CHECK_OK(rump_sys_mount("tmpfs", "/s", "tmpfs", 0, NULL));
	struct stat st;
	CHECK_ERR(rump_sys_stat("/s/first", &st), ENOENT);
	putfile("/s/second", "2");
	CHECK_OK(rump_sys_umount2("/s", 0));
	CHECK_OK(rump_sys_stat("/s/first", &st));
	CHECK_ERR(rump_sys_stat("/s/second", &st), ENOENT);
	CHECK_OK(rump_sys_umount2("/s", 0));
}

TEST(detach_busy_mount)
{
	char buf[8];
	struct stat st;
	int fd;

	boot();
	mount_tmpfs("/lazy", 0, NULL);
	putfile("/lazy/f", "kept");
	fd = (int)CHECK_OK(rump_sys_open("/lazy/f", O_RDONLY));
	CHECK_OK(rump_sys_chdir("/lazy"));
	CHECK_OK(rump_sys_umount2("/lazy", MNT_DETACH));
	CHECK_ERR(rump_sys_stat("/lazy/f", &st), ENOENT);
	/* Still usable from inside; ".." stays in it; no second unmount. */
	CHECK_OK(rump_sys_stat("f", &st));
	CHECK_OK(rump_sys_stat("../f", &st));
	CHECK_ERR(rump_sys_umount2(".", 0), EINVAL);
	CHECK_OK(rump_sys_chdir("/"));
	CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "kept", 4) == 0);
	CHECK_OK(rump_sys_close(fd));
	/* An idle mount detaches and goes at once. */
	mount_tmpfs("/idle", 0, NULL);
	CHECK_OK(rump_sys_umount2("/idle", MNT_DETACH));
	CHECK_EQ(stat_of("/idle").st_dev, stat_of("/").st_dev);
}

TEST(fstatfs_kinds)
{
	struct statfs sf;
	int fd, p[2];

	boot();
	mount_tmpfs("/m", 0, "size=64k,nr_inodes=10");
	putfile("/m/f", "x");
	fd = (int)CHECK_OK(rump_sys_open("/m/f", O_PATH));
	CHECK_OK(rump_sys_fstatfs(fd, &sf));
	CHECK_EQ(sf.f_type, TMPFS_MAGIC);
	CHECK_EQ(sf.f_blocks, 16);
	CHECK_EQ(sf.f_files, 10);
	CHECK_OK(rump_sys_pipe(p));
	CHECK_OK(rump_sys_fstatfs(p[0], &sf));
	CHECK_EQ(sf.f_type, 0x50495045);	/* PIPEFS_MAGIC */
	CHECK_ERR(rump_sys_fstatfs(-1, &sf), EBADF);
	CHECK_ERR(rump_sys_statfs("/nothere", &sf), ENOENT);
	CHECK_ERR(rump_sys_statfs("/m", NULL), EFAULT);
}
