/*
 * msdosfs_write_test.c: writing FAT volumes through the kernel: names
 * and short aliases, file data (appends, holes, truncation), removal,
 * rename, attributes and times, full volumes.  After each test the image
 * is unmounted and checked with fsck.fat -n and read back with mtools.
 */
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/time.h>

#include "msdosfs_util.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE	2
#endif

/* Unmount and let fsck.fat judge the image. */
static void
mt_umount_fsck(void)
{
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	if (mt_sh("fsck.fat -n '%s' >/dev/null 2>&1", mt_img) != 0) {
		TFAIL("fsck.fat found errors:");
		mt_sh("fsck.fat -n '%s' >&2", mt_img);
	}
}

/* Does mdir of image directory dir (-a: with short names) show line? */
static int
mt_mdir_has(const char *dir, const char *pattern)
{
	return mt_sh("LANG=C.UTF-8 mdir -a -i '%s' '::%s' | grep -q -- '%s'",
	    mt_img, dir, pattern) == 0;
}

/* Does mtools read image file path back as pattern seed of size bytes? */
static int
mt_mtools_same(const char *path, uint64_t size, unsigned seed)
{
	char host[256];

	snprintf(host, sizeof(host), "%s/expect", mt_dir);
	if (mt_hostfile(host, size, seed) != 0)
		return 0;
	return mt_sh("LANG=C.UTF-8 mtype -i '%s' '::%s' | cmp -s - '%s'",
	    mt_img, path, host) == 0;
}

/* Create an empty file (O_EXCL); 0 or -1. */
static int
mt_touch(const char *path)
{
	int fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	return fd == -1 ? -1 : rump_sys_close(fd);
}

/* Free clusters of the mounted volume. */
static long
mt_bfree(void)
{
	struct statfs sf;

	if (rump_sys_statfs("/mnt", &sf) == -1)
		return -1;
	return (long)sf.f_bfree;
}

TEST(names_created)
{
	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	CHECK_OK(mt_mount(0, ""));
	CHECK_OK(mt_putfile("/mnt/lower.txt", 100, 1));
	CHECK_OK(mt_putfile("/mnt/UPPER.TXT", 200, 2));
	CHECK_OK(mt_putfile("/mnt/Mixed.Txt", 300, 3));
	CHECK_OK(mt_putfile("/mnt/a long file name.text", 400, 4));
	CHECK_OK(mt_putfile("/mnt/ünïcödé ☃ 日本", 500, 5));
	CHECK_OK(mt_putfile("/mnt/x+y=z,1;2[3].txt", 600, 6));
	CHECK_OK(mt_putfile("/mnt/.hidden", 700, 7));
	CHECK_OK(mt_putfile("/mnt/many.dots.in.name.tar.gz", 800, 8));
	CHECK_OK(mt_putfile("/mnt/trailing dot.", 900, 9));
	CHECK_OK(rump_sys_mkdir("/mnt/lowdir", 0755));
	CHECK_OK(mt_putfile("/mnt/lowdir/in dir", 1000, 10));
	CHECK_EQ(mt_listed("/mnt", "trailing dot"), 1);
	CHECK_EQ(mt_listed("/mnt", "ünïcödé ☃ 日本"), 1);
	mt_umount_fsck();
	/* The short names as fatgen103 and Linux (shortname=winnt) make them. */
	CHECK(mt_mdir_has("/", "^lower    txt *100 "));	/* NT flags */
	CHECK(mt_mdir_has("/", "^UPPER    TXT *200 "));
	CHECK(mt_mdir_has("/", "^MIXED    TXT *300 .* Mixed.Txt$"));
	CHECK(mt_mdir_has("/", "^ALONGF~1 TEX *400 .* a long file name.text$"));
	CHECK(mt_mdir_has("/", "^_N_C_D~1 *500 .* ünïcödé ☃ 日本$"));
	CHECK(mt_mdir_has("/", "^X_Y_Z_~1 TXT *600 .* x+y=z,1;2\\[3\\].txt$"));
	CHECK(mt_mdir_has("/", "^HIDDEN~1 *700 .* .hidden$"));
	CHECK(mt_mdir_has("/", "^MANYDO~1 GZ *800 .* many.dots.in.name.tar.gz$"));
	CHECK(mt_mdir_has("/", "^TRAILI~1 *900 .* trailing dot$"));
	CHECK(mt_mdir_has("/", "^lowdir *<DIR>"));
	CHECK(mt_mtools_same("/lower.txt", 100, 1));
	CHECK(mt_mtools_same("/Mixed.Txt", 300, 3));
	CHECK(mt_mtools_same("/ünïcödé ☃ 日本", 500, 5));
	CHECK(mt_mtools_same("/lowdir/in dir", 1000, 10));
	mt_fini();
}

TEST(names_tails_unique)
{
	char path[128];

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	CHECK_OK(mt_mount(0, ""));
	for (int i = 0; i < 120; i++) {
		snprintf(path, sizeof(path), "/mnt/Long Document Name %d.txt", i);
		CHECK_OK(mt_putfile(path, (uint64_t)i, (unsigned)i));
	}
	/* Remove some and add again: numbers are reused, never shared. */
	for (int i = 10; i < 20; i++) {
		snprintf(path, sizeof(path), "/mnt/Long Document Name %d.txt", i);
		CHECK_OK(rump_sys_unlink(path));
	}
	for (int i = 120; i < 130; i++) {
		snprintf(path, sizeof(path), "/mnt/Long Document Name %d.txt", i);
		CHECK_OK(mt_putfile(path, (uint64_t)i, (unsigned)i));
	}
	mt_umount_fsck();
	CHECK(mt_mdir_has("/", "^LONGDO~1 TXT "));
	CHECK(mt_mdir_has("/", "^LONGDO~9 TXT "));
	CHECK(mt_mdir_has("/", "^LONGD~10 TXT "));
	CHECK(mt_mdir_has("/", "^LONGD~99 TXT "));
	CHECK(mt_mdir_has("/", "^LONG~100 TXT "));
	CHECK(mt_mdir_has("/", "^LONG~120 TXT "));
	CHECK(!mt_mdir_has("/", "^LONG~121 TXT "));
	/* No two short names alike. */
	CHECK_EQ(mt_sh("mdir -a -i '%s' ::/ | grep '^LONG' | cut -c1-12 | "
	    "sort | uniq -d | grep -q .", mt_img), 1);
	CHECK(mt_mtools_same("/Long Document Name 125.txt", 125, 125));
	CHECK(mt_mtools_same("/Long Document Name 7.txt", 7, 7));
	mt_fini();
}

TEST(names_errors)
{
	char name[300];
	struct stat st;
	int fd;

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	CHECK_OK(mt_mount(0, ""));
	CHECK_ERR(mt_touch("/mnt/a*b"), EINVAL);
	CHECK_ERR(mt_touch("/mnt/a?b"), EINVAL);
	CHECK_ERR(mt_touch("/mnt/a:b"), EINVAL);
	CHECK_ERR(mt_touch("/mnt/a\\b"), EINVAL);
	CHECK_ERR(mt_touch("/mnt/a<b>"), EINVAL);
	CHECK_ERR(mt_touch("/mnt/a|b"), EINVAL);
	CHECK_ERR(mt_touch("/mnt/a\"b"), EINVAL);
	CHECK_ERR(mt_touch("/mnt/tab\there"), EINVAL);
	CHECK_ERR(mt_touch("/mnt/space "), EINVAL);
	CHECK_ERR(mt_touch("/mnt/bad\xff utf8"), EINVAL);
	CHECK_ERR(rump_sys_mkdir("/mnt/d*r", 0755), EINVAL);
	CHECK_ERR(mt_touch("/mnt/..."), ENOENT);
	memset(name, 'n', sizeof(name));
	memcpy(name, "/mnt/", 5);
	name[5 + 255] = '\0';
	CHECK_OK(mt_touch(name));
	CHECK_OK(rump_sys_stat(name, &st));
	name[5 + 256] = '\0';
	name[5 + 255] = 'n';
	CHECK_ERR(mt_touch(name), ENAMETOOLONG);
	/* Names that differ only in case are the same name. */
	CHECK_OK(mt_touch("/mnt/File.txt"));
	CHECK_ERR(mt_touch("/mnt/FILE.TXT"), EEXIST);
	CHECK_ERR(mt_touch("/mnt/file.txt."), EEXIST);
	CHECK_ERR(rump_sys_mkdir("/mnt/file.TXT", 0755), EEXIST);
	fd = (int)CHECK_OK(rump_sys_open("/mnt/FILE.TXT", O_WRONLY | O_CREAT,
	    0644));
	rump_sys_close(fd);
	/* No fifos, devices, symlinks or hard links on FAT. */
	CHECK_ERR(rump_sys_mknod("/mnt/fifo", S_IFIFO | 0644, 0), EPERM);
	CHECK_ERR(rump_sys_mknod("/mnt/chr", S_IFCHR | 0644, 0x101), EPERM);
	CHECK_ERR(rump_sys_symlink("File.txt", "/mnt/link"), EPERM);
	CHECK_ERR(rump_sys_link("/mnt/File.txt", "/mnt/hard"), EPERM);
	CHECK_ERR(rump_sys_stat("/mnt/fifo", &st), ENOENT);
	mt_umount_fsck();
	CHECK(mt_mdir_has("/", "^FILE     TXT .* File.txt$"));
	mt_fini();
}

TEST(data_write_patterns)
{
	static unsigned char buf[200000], exp[300000];
	struct stat st;
	int fd;

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 2"), 0);
	CHECK_OK(mt_mount(0, ""));
	fd = (int)CHECK_OK(rump_sys_open("/mnt/data", O_RDWR | O_CREAT, 0644));
	memset(exp, 0, sizeof(exp));
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = mt_pat(3, i);
	/* Write in the middle of nothing: the gap reads as zeros. */
	CHECK_EQ(rump_sys_pwrite(fd, buf, 5000, 100000), 5000);
	memcpy(exp + 100000, buf, 5000);
	/* Overwrite across cluster boundaries. */
	CHECK_EQ(rump_sys_pwrite(fd, buf + 7, 3000, 1023), 3000);
	memcpy(exp + 1023, buf + 7, 3000);
	/* Extend. */
	CHECK_EQ(rump_sys_pwrite(fd, buf, 150000, 104000), 150000);
	memcpy(exp + 104000, buf, 150000);
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_size, 254000);
	CHECK_EQ(st.st_blocks, 254976 / 512);
	/* Truncate down and up again: the cut part reads as zeros. */
	CHECK_OK(rump_sys_ftruncate(fd, 120001));
	CHECK_OK(rump_sys_ftruncate(fd, 130000));
	memset(exp + 120001, 0, sizeof(exp) - 120001);
	CHECK_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 130000);
	CHECK_EQ(memcmp(buf, exp, 130000), 0);
	/* Append. */
	CHECK_EQ(rump_sys_close(fd), 0);
	fd = (int)CHECK_OK(rump_sys_open("/mnt/data", O_WRONLY | O_APPEND));
	CHECK_EQ(rump_sys_write(fd, "tail", 4), 4);
	memcpy(exp + 130000, "tail", 4);
	CHECK_EQ(rump_sys_close(fd), 0);
	/* Zero-length files and truncating to zero. */
	CHECK_OK(mt_putfile("/mnt/zero", 0, 0));
	CHECK_OK(mt_putfile("/mnt/cut", 99999, 1));
	CHECK_OK(rump_sys_truncate("/mnt/cut", 0));
	CHECK_OK(rump_sys_stat("/mnt/cut", &st));
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(st.st_blocks, 0);
	CHECK_ERR(rump_sys_truncate("/mnt/cut", 1LL << 32), EFBIG);
	mt_umount_fsck();
	snprintf((char *)buf, sizeof(buf), "%s/expect", mt_dir);
	{
		FILE *f = fopen((char *)buf, "w");

		fwrite(exp, 1, 130004, f);
		fclose(f);
	}
	CHECK_EQ(mt_sh("mtype -i '%s' ::/data | cmp -s - '%s/expect'", mt_img,
	    mt_dir), 0);
	CHECK(mt_mdir_has("/", "^zero *0 "));
	CHECK(mt_mdir_has("/", "^cut *0 "));
	mt_fini();
}

TEST(remove_and_rmdir)
{
	char buf[16], dbuf[1024];
	long before;
	int fd;

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	CHECK_OK(mt_mount(0, ""));
	before = mt_bfree();
	CHECK_OK(rump_sys_mkdir("/mnt/dir", 0755));
	CHECK_OK(mt_putfile("/mnt/dir/file", 10000, 1));
	CHECK_ERR(rump_sys_rmdir("/mnt/dir"), ENOTEMPTY);
	CHECK_ERR(rump_sys_rmdir("/mnt/dir/file"), ENOTDIR);
	CHECK_ERR(rump_sys_unlink("/mnt/dir"), EISDIR);
	/* An open file outlives its name; its clusters go at the close. */
	fd = (int)CHECK_OK(rump_sys_open("/mnt/dir/file", O_RDWR));
	CHECK_OK(rump_sys_unlink("/mnt/dir/FILE"));
	CHECK_ERR(rump_sys_open("/mnt/dir/file", O_RDONLY), ENOENT);
	CHECK_EQ(rump_sys_pread(fd, buf, 4, 9996), 4);
	CHECK_EQ((unsigned char)buf[0], mt_pat(1, 9996));
	CHECK_EQ(rump_sys_pwrite(fd, "more", 4, 20000), 4);
	CHECK(mt_bfree() < before - 20);
	CHECK_OK(rump_sys_close(fd));
	CHECK_OK(rump_sys_rmdir("/mnt/dir"));
	CHECK_EQ(mt_bfree(), before);
	/* A removed directory that is still someone's cwd. */
	CHECK_OK(rump_sys_mkdir("/mnt/gone", 0755));
	CHECK_OK(rump_sys_chdir("/mnt/gone"));
	CHECK_OK(rump_sys_rmdir("/mnt/gone"));
	CHECK_ERR(mt_touch("new"), ENOENT);
	CHECK_ERR(rump_sys_mkdir("sub", 0755), ENOENT);
	fd = (int)CHECK_OK(rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	CHECK_ERR(rump_sys_getdents64(fd, dbuf, sizeof(dbuf)), ENOENT);
	rump_sys_close(fd);
	CHECK_OK(rump_sys_chdir("/"));
	CHECK_EQ(mt_bfree(), before);
	mt_umount_fsck();
	CHECK(!mt_mdir_has("/", "dir"));
	mt_fini();
}

TEST(rename_cases)
{
	struct stat st, st2;

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	CHECK_OK(mt_mount(0, ""));
	CHECK_OK(mt_putfile("/mnt/a", 1000, 1));
	CHECK_OK(mt_putfile("/mnt/b", 2000, 2));
	CHECK_OK(rump_sys_mkdir("/mnt/d1", 0755));
	CHECK_OK(rump_sys_mkdir("/mnt/d2", 0755));
	CHECK_OK(rump_sys_mkdir("/mnt/d1/moved dir", 0755));
	CHECK_OK(mt_putfile("/mnt/d1/moved dir/inner", 3000, 3));
	/* Within a directory, to a long name. */
	CHECK_OK(rump_sys_rename("/mnt/a", "/mnt/A renamed file"));
	CHECK_ERR(rump_sys_stat("/mnt/a", &st), ENOENT);
	CHECK_EQ(mt_checkfile("/mnt/a renamed FILE", 1000, 1), 0);
	/* Over an existing file: it goes, its name (and case) stays. */
	CHECK_OK(rump_sys_rename("/mnt/A renamed file", "/mnt/B"));
	CHECK_EQ(mt_checkfile("/mnt/b", 1000, 1), 0);
	CHECK_EQ(mt_listed("/mnt", "b"), 1);
	/* A directory across directories: ".." follows. */
	CHECK_OK(rump_sys_rename("/mnt/d1/moved dir", "/mnt/d2/here"));
	CHECK_OK(rump_sys_stat("/mnt/d2/here/..", &st));
	CHECK_OK(rump_sys_stat("/mnt/d2", &st2));
	CHECK_EQ(st.st_ino, st2.st_ino);
	CHECK_OK(rump_sys_stat("/mnt/d1", &st));
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(st2.st_nlink, 3);
	CHECK_EQ(mt_checkfile("/mnt/d2/here/inner", 3000, 3), 0);
	/* A directory into the root: its ".." is cluster 0. */
	CHECK_OK(rump_sys_rename("/mnt/d2/here", "/mnt/top"));
	CHECK_OK(rump_sys_stat("/mnt/top/..", &st));
	CHECK_EQ(st.st_ino, 1);
	/* Over an empty directory, not over a full one. */
	CHECK_OK(rump_sys_mkdir("/mnt/empty", 0755));
	CHECK_ERR(rump_sys_rename("/mnt/d1", "/mnt/top"), ENOTEMPTY);
	CHECK_OK(rump_sys_rename("/mnt/top", "/mnt/empty"));
	CHECK_EQ(mt_checkfile("/mnt/empty/inner", 3000, 3), 0);
	CHECK_ERR(rump_sys_rename("/mnt/b", "/mnt/empty"), EISDIR);
	CHECK_ERR(rump_sys_rename("/mnt/empty", "/mnt/b"), ENOTDIR);
	CHECK_ERR(rump_sys_rename("/mnt/empty", "/mnt/empty/x"), EINVAL);
	CHECK_ERR(rump_sys_renameat2(AT_FDCWD, "/mnt/b", AT_FDCWD, "/mnt/d1",
	    RENAME_EXCHANGE), EINVAL);
	CHECK_ERR(rump_sys_rename("/mnt/b", "/mnt/bad*name"), EINVAL);
	/* An open file keeps working after its entry moved. */
	{
		int fd = (int)CHECK_OK(rump_sys_open("/mnt/b", O_RDWR));

		CHECK_OK(rump_sys_rename("/mnt/b", "/mnt/d1/b moved"));
		CHECK_EQ(rump_sys_pwrite(fd, "xyz", 3, 5000), 3);
		rump_sys_close(fd);
		CHECK_OK(rump_sys_stat("/mnt/d1/B MOVED", &st));
		CHECK_EQ(st.st_size, 5003);
	}
	mt_umount_fsck();
	CHECK(mt_mdir_has("/empty", "^inner *3000 "));
	CHECK(mt_mdir_has("/d1", "^BMOVED~1 *5003 .* b moved$"));
	CHECK(!mt_mdir_has("/", "^b "));
	mt_fini();
}

TEST(attributes_and_times)
{
	struct timespec tv[2];
	struct stat st;

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	rump_init();
	rump_sys_umask(022);
	CHECK_OK(mt_mount(0, ""));
	CHECK_OK(mt_putfile("/mnt/f", 10, 1));
	CHECK_OK(rump_sys_mkdir("/mnt/d", 0700));
	CHECK_OK(rump_sys_stat("/mnt/d", &st));
	CHECK_EQ(st.st_mode, S_IFDIR | 0755);	/* FAT keeps no mode */
	/* chmod: only all write bits on or off means something. */
	CHECK_OK(rump_sys_chmod("/mnt/f", 0555));
	CHECK_OK(rump_sys_stat("/mnt/f", &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0555);
	CHECK_OK(rump_sys_chmod("/mnt/f", 0644));	/* ignored */
	CHECK_OK(rump_sys_stat("/mnt/f", &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0555);
	CHECK_OK(rump_sys_chmod("/mnt/f", 0755));
	CHECK_OK(rump_sys_stat("/mnt/f", &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0755);
	CHECK_ERR(rump_sys_chmod("/mnt/f", 04755), EPERM);
	CHECK_OK(rump_sys_chmod("/mnt/d", 0555));	/* ignored on dirs */
	CHECK_OK(rump_sys_stat("/mnt/d", &st));
	CHECK_EQ(st.st_mode, S_IFDIR | 0755);
	/* chown: only to what it already is. */
	CHECK_OK(rump_sys_chown("/mnt/f", 0, 0));
	CHECK_ERR(rump_sys_chown("/mnt/f", 1000, -1), EPERM);
	CHECK_ERR(rump_sys_chown("/mnt/f", -1, 100), EPERM);
	/* Times as FAT keeps them: mtime to 2 s, atime to the day. */
	tv[0].tv_sec = 1000000000 + 86400 + 3661;
	tv[0].tv_nsec = 0;
	tv[1].tv_sec = 1234567891;
	tv[1].tv_nsec = 500000000;
	CHECK_OK(rump_sys_utimensat(AT_FDCWD, "/mnt/f", tv, 0));
	CHECK_OK(rump_sys_stat("/mnt/f", &st));
	CHECK_EQ(st.st_mtime, 1234567890);
	CHECK_EQ(st.st_mtim.tv_nsec, 0);
	CHECK_EQ(st.st_atime, 1000000000 + 86400 - 1000000000 % 86400);
	CHECK_OK(rump_sys_chmod("/mnt/f", 0555));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	/* All of it is on disk. */
	CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, ""));
	CHECK_OK(rump_sys_stat("/mnt/f", &st));
	CHECK_EQ(st.st_mtime, 1234567890);
	CHECK_EQ(st.st_atime, 1000000000 + 86400 - 1000000000 % 86400);
	CHECK_EQ(st.st_mode, S_IFREG | 0555);
	mt_umount_fsck();
	CHECK_EQ(mt_sh("mattrib -i '%s' ::/f | grep -q '^  *R'", mt_img) == 0 ||
	    mt_sh("mattrib -i '%s' ::/f | grep -q 'R'", mt_img) == 0, 1);
	mt_fini();
}

TEST(many_entries_grow_dir)
{
	char path[128];
	struct stat st;

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	CHECK_OK(mt_mount(0, ""));
	CHECK_OK(rump_sys_mkdir("/mnt/many", 0755));
	for (int i = 0; i < 400; i++) {
		snprintf(path, sizeof(path),
		    "/mnt/many/entry with a rather long name %04d", i);
		CHECK_OK(mt_putfile(path, (uint64_t)(i % 7), (unsigned)i));
	}
	CHECK_OK(rump_sys_stat("/mnt/many", &st));
	CHECK(st.st_size > 400 * 32);
	CHECK_EQ(mt_checkfile("/mnt/many/entry with a rather long name 0399",
	    399 % 7, 399), 0);
	mt_umount_fsck();
	CHECK_EQ(mt_sh("mdir -b -i '%s' ::/many | wc -l | grep -qx 400",
	    mt_img), 0);
	CHECK(mt_mtools_same("/many/entry with a rather long name 0123",
	    123 % 7, 123));
	mt_fini();
}

TEST(full_volume)
{
	static unsigned char buf[65536];
	const long cl = 1024;	/* cluster size */
	struct stat st;
	ssize_t n, total = 0;
	long before;
	int fd;

	mt_init();
	/* FAT12 with ~1400 clusters: entries straddle FAT sectors. */
	CHECK_EQ(mt_mkfs(1500, "-F 12 -s 2 -r 32"), 0);
	CHECK_OK(mt_mount(0, ""));
	before = mt_bfree();
	CHECK(before > 1300);
	/* Fill up: short writes, then ENOSPC. */
	fd = (int)CHECK_OK(rump_sys_open("/mnt/big", O_WRONLY | O_CREAT, 0644));
	memset(buf, 'x', sizeof(buf));
	while ((n = rump_sys_write(fd, buf, 10000)) > 0)
		total += n;
	CHECK_EQ(n, -1);
	CHECK_EQ(errno, ENOSPC);
	CHECK_EQ(total, before * cl);
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_size, total);
	CHECK_EQ(mt_bfree(), 0);
	/* A write far beyond the end fails without changing the file. */
	CHECK_ERR(rump_sys_pwrite(fd, buf, 10, 10 << 20), ENOSPC);
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_size, total);
	CHECK_ERR(rump_sys_ftruncate(fd, total + 5000), ENOSPC);
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_size, total);
	CHECK_OK(rump_sys_close(fd));
	CHECK_ERR(rump_sys_mkdir("/mnt/nodir", 0755), ENOSPC);
	CHECK_OK(mt_touch("/mnt/empty file is fine"));
	mt_umount_fsck();
	CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, ""));
	/* Free some, then a sparse write that only partly fits. */
	CHECK_OK(rump_sys_truncate("/mnt/big", total - 8 * cl));
	CHECK_EQ(mt_bfree(), 8);
	fd = (int)CHECK_OK(rump_sys_open("/mnt/second", O_WRONLY | O_CREAT,
	    0644));
	CHECK_EQ(rump_sys_pwrite(fd, buf, 20000, 1000), 8 * cl - 1000);
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_size, 8 * cl);
	rump_sys_close(fd);
	CHECK_EQ(mt_bfree(), 0);
	CHECK_OK(rump_sys_unlink("/mnt/big"));
	CHECK_EQ(mt_bfree(), before - 8);
	mt_umount_fsck();
	/* 1000 zero bytes (the hole), then the data that fitted. */
	CHECK_EQ(mt_sh("mtype -i '%s' ::/second | head -c 1000 | tr -d '\\0' |"
	    " wc -c | grep -qx 0", mt_img), 0);
	CHECK_EQ(mt_sh("mtype -i '%s' ::/second | tail -c +1001 | tr -d x |"
	    " wc -c | grep -qx 0", mt_img), 0);
	CHECK_EQ(mt_sh("mtype -i '%s' ::/second | wc -c | grep -qx %ld",
	    mt_img, 8 * cl), 0);
	mt_fini();
}

TEST(root_dir_full)
{
	char path[64];
	int i, error = 0;

	mt_init();
	/* FAT12 with a 16-entry root directory. */
	CHECK_EQ(mt_mkfs(400, "-F 12 -r 16"), 0);
	CHECK_OK(mt_mount(0, ""));
	for (i = 0; i < 20 && error == 0; i++) {
		snprintf(path, sizeof(path), "/mnt/F%d", i);
		if (mt_touch(path) != 0)
			error = errno;
	}
	CHECK_EQ(error, ENOSPC);
	CHECK_EQ(i, 17);	/* the 17th did not fit */
	CHECK_ERR(mt_touch("/mnt/a long name needs slots"), ENOSPC);
	CHECK_OK(rump_sys_unlink("/mnt/F3"));
	CHECK_OK(mt_touch("/mnt/f3b"));
	mt_umount_fsck();
	mt_fini();
}

TEST(fat32_big_file)
{
	struct statfs sf;
	long before;

	mt_init();
	CHECK_EQ(mt_mkfs(40000, "-F 32 -s 1"), 0);
	CHECK_OK(mt_mount(0, ""));
	before = mt_bfree();
	CHECK_OK(rump_sys_mkdir("/mnt/dir", 0755));
	CHECK_OK(mt_putfile("/mnt/dir/big.bin", 6 << 20, 11));
	CHECK_EQ(mt_checkfile("/mnt/dir/big.bin", 6 << 20, 11), 0);
	CHECK_OK(rump_sys_statfs("/mnt", &sf));
	CHECK_EQ((long)sf.f_bfree, before - 1 - (6 << 20) / 512);
	/* fsck checks FSInfo's free count too. */
	mt_umount_fsck();
	CHECK(mt_mtools_same("/dir/big.bin", 6 << 20, 11));
	/* mtools can keep writing on what we wrote. */
	CHECK_EQ(mt_sh("mmd -i '%s' ::/dir/more && mdel -i '%s' ::/dir/big.bin",
	    mt_img, mt_img), 0);
	CHECK_EQ(mt_sh("fsck.fat -n '%s' >/dev/null 2>&1", mt_img), 0);
	mt_fini();
}

TEST(cluster_edges)
{
	const uint64_t cl = 2048;
	struct stat st;

	mt_init();
	CHECK_EQ(mt_mkfs(20000, "-F 16 -s 4"), 0);
	CHECK_OK(mt_mount(0, ""));
	CHECK_OK(mt_putfile("/mnt/one less", cl - 1, 1));
	CHECK_OK(mt_putfile("/mnt/exactly one", cl, 2));
	CHECK_OK(mt_putfile("/mnt/one more", cl + 1, 3));
	CHECK_OK(mt_putfile("/mnt/two", 2 * cl, 4));
	CHECK_OK(rump_sys_stat("/mnt/exactly one", &st));
	CHECK_EQ(st.st_blocks, cl / 512);
	CHECK_OK(rump_sys_stat("/mnt/one more", &st));
	CHECK_EQ(st.st_blocks, 2 * cl / 512);
	/* Shrinking to a cluster boundary frees exactly the rest. */
	CHECK_OK(rump_sys_truncate("/mnt/two", cl));
	CHECK_OK(rump_sys_stat("/mnt/two", &st));
	CHECK_EQ(st.st_blocks, cl / 512);
	mt_umount_fsck();
	CHECK(mt_mtools_same("/one less", cl - 1, 1));
	CHECK(mt_mtools_same("/exactly one", cl, 2));
	CHECK(mt_mtools_same("/one more", cl + 1, 3));
	CHECK(mt_mtools_same("/two", cl, 4));
	mt_fini();
}

TEST(remount_persistence)
{
	char path[64];
	struct stat st, st2;

	mt_init();
	CHECK_EQ(mt_mkfs(1024, "-F 12"), 0);
	CHECK_OK(mt_mount(0, ""));
	for (int i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "/mnt/file number %d", i);
		CHECK_OK(mt_putfile(path, (uint64_t)i * 1000, (unsigned)i));
	}
	CHECK_OK(rump_sys_stat("/mnt/file number 7", &st));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, ""));
	/* Inode numbers come from the entry's place: the same again. */
	CHECK_OK(rump_sys_stat("/mnt/file number 7", &st2));
	CHECK_EQ(st.st_ino, st2.st_ino);
	for (int i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "/mnt/FILE NUMBER %d", i);
		CHECK_EQ(mt_checkfile(path, (uint64_t)i * 1000, (unsigned)i), 0);
	}
	mt_umount_fsck();
	mt_fini();
}
