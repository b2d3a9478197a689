/*
 * msdosfs_test.c: the FAT file system, in-process: mounting images made
 * by mkfs.fat (FAT12, FAT16, FAT32) and filled by mtools, and reading
 * them: names (long, Unicode, short aliases, case), contents (empty
 * files, one cluster, fragmented files, big files), deep trees, big
 * directories, readdir positions, stat and statfs, mount options,
 * read-only mounts and devices.  Writing is in msdosfs_write_test.c,
 * corrupt images in msdosfs_hostile_test.c.
 */
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "msdosfs_util.h"

/* mcopy host file host to image path dst (UTF-8 names allowed). */
static int
mt_mcopy(const char *host, const char *dst)
{
	return mt_sh("LANG=C.UTF-8 mcopy -i '%s' '%s' '::%s'", mt_img, host,
	    dst);
}

/* A host file in the scratch dir with pattern seed; its path in buf. */
static const char *
mt_tmpfile(char *buf, size_t len, const char *name, uint64_t size,
    unsigned seed)
{
	snprintf(buf, len, "%s/%s", mt_dir, name);
	if (mt_hostfile(buf, size, seed) != 0)
		TFAIL("host file %s", buf);
	return buf;
}

/* "U/T clusters" from fsck.fat -n: total and used clusters. */
static int
mt_fsck_clusters(long *total, long *used)
{
	char cmd[512], line[512];
	FILE *p;
	int ok = 0;

	snprintf(cmd, sizeof(cmd), "fsck.fat -n '%s' 2>/dev/null", mt_img);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), p) != NULL) {
		char *s = strstr(line, " clusters");
		char *c = strrchr(line, ',');

		if (s != NULL && c != NULL && sscanf(c + 1, "%ld/%ld", used,
		    total) == 2)
			ok = 1;
	}
	pclose(p);
	return ok ? 0 : -1;
}

/* Read one directory: the names, count and whether "." and ".." came. */
static int
mt_readdir(const char *path, char names[][256], int max)
{
	char buf[4096];
	ssize_t n, i;
	int fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY), count = 0;

	if (fd == -1)
		return -1;
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n;) {
			struct mt_dirent *d = (void *)(buf + i);

			if (count < max)
				snprintf(names[count], 256, "%s", d->d_name);
			count++;
			i += d->d_reclen;
		}
	}
	rump_sys_close(fd);
	return n < 0 ? -1 : count;
}

/* Is name among the count names? */
static int
mt_has(char names[][256], int count, const char *name)
{
	for (int i = 0; i < count; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* Mount an image of the given type, read files back, check statfs. */
static void
mt_types_one(unsigned kb, const char *args, long clsize)
{
	char h1[256], h2[256], h3[256];
	struct statfs sf;
	long total, used;

	mt_init();
	CHECK_EQ(mt_mkfs(kb, args), 0);
	CHECK_EQ(mt_mcopy(mt_tmpfile(h1, sizeof(h1), "a", 300000, 1),
	    "/data.bin"), 0);
	CHECK_EQ(mt_mcopy(mt_tmpfile(h2, sizeof(h2), "b", 0, 2),
	    "/empty"), 0);
	CHECK_EQ(mt_mcopy(mt_tmpfile(h3, sizeof(h3), "c", (uint64_t)clsize, 3),
	    "/onecluster"), 0);
	CHECK_EQ(mt_fsck_clusters(&total, &used), 0);
	CHECK_OK(mt_mount(0, ""));
	CHECK_EQ(mt_checkfile("/mnt/data.bin", 300000, 1), 0);
	CHECK_EQ(mt_checkfile("/mnt/empty", 0, 2), 0);
	CHECK_EQ(mt_checkfile("/mnt/onecluster", (uint64_t)clsize, 3), 0);
	CHECK_OK(rump_sys_statfs("/mnt", &sf));
	CHECK_EQ(sf.f_type, 0x4d44);
	CHECK_EQ(sf.f_bsize, clsize);
	CHECK_EQ(sf.f_blocks, total);
	CHECK_EQ(sf.f_bfree, total - used);
	CHECK_EQ(sf.f_bavail, total - used);
	CHECK_EQ(sf.f_namelen, 255);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	/* Nothing was written: the image is as mtools left it. */
	CHECK_EQ(mt_sh("fsck.fat -n '%s' >/dev/null 2>&1", mt_img), 0);
	mt_fini();
}

TEST(types_fat12)
{
	mt_types_one(1024, "-F 12 -s 4", 2048);
}

TEST(types_fat16)
{
	mt_types_one(8192, "-F 16 -s 1", 512);
}

TEST(types_fat16_bigclusters)
{
	mt_types_one(200000, "-F 16 -s 64", 32768);
}

TEST(types_fat32)
{
	mt_types_one(40000, "-F 32 -s 1", 512);
}

TEST(types_fat32_4k_sectors)
{
	mt_types_one(300000, "-F 32 -S 4096 -s 1", 4096);
}

TEST(names_long_unicode_case)
{
	char h[256], names[16][256];
	struct stat st, st2;
	int n;

	mt_init();
	/* The volume label is an entry too, but not a file. */
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1 -n MYVOLUME"), 0);
	mt_tmpfile(h, sizeof(h), "x", 1000, 4);
	CHECK_EQ(mt_mcopy(h, "/A Long Name.dat"), 0);
	CHECK_EQ(mt_mcopy(h, "/héllo wörld ☃.txt"), 0);
	CHECK_EQ(mt_mcopy(h, "/日本語のファイル名"), 0);
	CHECK_EQ(mt_mcopy(h, "/short.txt"), 0);
	CHECK_EQ(mt_mcopy(h, "/UPPER.TXT"), 0);
	CHECK_EQ(mt_mcopy(h, "/Mixed.Txt"), 0);
	CHECK_OK(mt_mount(0, ""));
	n = mt_readdir("/mnt", names, 16);
	CHECK_EQ(n, 8);
	CHECK(mt_has(names, n, "."));
	CHECK(mt_has(names, n, ".."));
	CHECK(mt_has(names, n, "A Long Name.dat"));
	CHECK(mt_has(names, n, "héllo wörld ☃.txt"));
	CHECK(mt_has(names, n, "日本語のファイル名"));
	CHECK(mt_has(names, n, "short.txt"));	/* NT lower-case flags */
	CHECK(mt_has(names, n, "UPPER.TXT"));
	CHECK(mt_has(names, n, "Mixed.Txt"));
	CHECK_EQ(mt_checkfile("/mnt/日本語のファイル名", 1000, 4), 0);
	CHECK_EQ(mt_checkfile("/mnt/héllo wörld ☃.txt", 1000, 4), 0);
	/* ASCII case does not matter, nor trailing dots. */
	CHECK_OK(rump_sys_stat("/mnt/A Long Name.dat", &st));
	CHECK_OK(rump_sys_stat("/mnt/a LONG name.DAT", &st2));
	CHECK_EQ(st.st_ino, st2.st_ino);
	CHECK_OK(rump_sys_stat("/mnt/a long name.dat...", &st2));
	CHECK_EQ(st.st_ino, st2.st_ino);
	CHECK_OK(rump_sys_stat("/mnt/SHORT.TXT", &st2));
	CHECK_OK(rump_sys_stat("/mnt/upper.txt", &st2));
	/* The short alias mtools made names the same file. */
	CHECK_OK(rump_sys_stat("/mnt/ALONGN~1.DAT", &st2));
	CHECK_EQ(st.st_ino, st2.st_ino);
	CHECK_OK(rump_sys_stat("/mnt/alongn~1.dat", &st2));
	/* Non-ASCII letters are not folded (as Linux with utf8). */
	CHECK_ERR(rump_sys_stat("/mnt/HÉLLO WÖRLD ☃.TXT", &st2), ENOENT);
	CHECK_ERR(rump_sys_stat("/mnt/nothere", &st2), ENOENT);
	CHECK_ERR(rump_sys_stat("/mnt/short.txt/x", &st2), ENOTDIR);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_fini();
}

TEST(names_shortname_option)
{
	char h[256], names[8][256];
	int n;

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	mt_tmpfile(h, sizeof(h), "x", 10, 4);
	CHECK_EQ(mt_mcopy(h, "/short.txt"), 0);
	CHECK_EQ(mt_mcopy(h, "/UPPER.TXT"), 0);
	CHECK_OK(mt_mount(MS_RDONLY, "shortname=win95"));
	n = mt_readdir("/mnt", names, 8);
	CHECK(mt_has(names, n, "SHORT.TXT"));
	CHECK(mt_has(names, n, "UPPER.TXT"));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", MS_RDONLY,
	    "shortname=lower"));
	n = mt_readdir("/mnt", names, 8);
	CHECK(mt_has(names, n, "short.txt"));
	CHECK(mt_has(names, n, "upper.txt"));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", MS_RDONLY,
	    "shortname=mixed"));
	n = mt_readdir("/mnt", names, 8);
	CHECK(mt_has(names, n, "short.txt"));
	CHECK(mt_has(names, n, "UPPER.TXT"));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	CHECK_ERR(rump_sys_mount("/dev/img0", "/mnt", "msdos", MS_RDONLY,
	    "shortname=other"), EINVAL);
	mt_fini();
}

TEST(deep_tree)
{
	char path[4096], mpath[4096], h[256];
	size_t len = 0, mlen = 0;
	struct stat st;

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	len = (size_t)snprintf(path, sizeof(path), "/mnt");
	for (int i = 0; i < 40; i++) {
		mlen += (size_t)snprintf(mpath + mlen, sizeof(mpath) - mlen,
		    "/Level %02d dir", i);
		len += (size_t)snprintf(path + len, sizeof(path) - len,
		    "/level %02d DIR", i);
		CHECK_EQ(mt_sh("mmd -i '%s' '::%s'", mt_img, mpath), 0);
	}
	mt_tmpfile(h, sizeof(h), "deep", 12345, 5);
	snprintf(mpath + mlen, sizeof(mpath) - mlen, "/leaf file");
	CHECK_EQ(mt_mcopy(h, mpath), 0);
	CHECK_OK(mt_mount(0, ""));
	snprintf(path + len, sizeof(path) - len, "/LEAF FILE");
	CHECK_EQ(mt_checkfile(path, 12345, 5), 0);
	/* ".." walks back up; a directory's link count is 2 + subdirs. */
	CHECK_OK(rump_sys_chdir("/mnt/Level 00 dir/Level 01 dir/Level 02 dir"));
	CHECK_OK(rump_sys_stat("../../..", &st));
	CHECK_EQ(st.st_ino, 1);
	CHECK_OK(rump_sys_stat("..", &st));
	CHECK_EQ(st.st_nlink, 3);
	CHECK_OK(rump_sys_getcwd(path, sizeof(path)));
	CHECK_STR(path, "/mnt/Level 00 dir/Level 01 dir/Level 02 dir");
	CHECK_OK(rump_sys_chdir("/"));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_fini();
}

TEST(big_directory)
{
	static char names[700][256];
	char h[256], src[512];
	struct stat st;
	int n;

	mt_init();
	CHECK_EQ(mt_mkfs(16384, "-F 16 -s 2"), 0);
	snprintf(src, sizeof(src), "%s/src", mt_dir);
	mkdir(src, 0755);
	for (int i = 0; i < 600; i++) {
		char name[64];

		snprintf(name, sizeof(name), "src/A file with a long name "
		    "%03d.txt", i);
		mt_tmpfile(h, sizeof(h), name, (uint64_t)i, (unsigned)i);
	}
	CHECK_EQ(mt_sh("mmd -i '%s' ::/big", mt_img), 0);
	CHECK_EQ(mt_sh("cd '%s' && mcopy -i '%s' * ::/big/", src, mt_img), 0);
	CHECK_OK(mt_mount(0, ""));
	n = mt_readdir("/mnt/big", names, 700);
	CHECK_EQ(n, 602);
	for (int i = 0; i < 600; i += 37) {
		snprintf(h, sizeof(h), "A file with a long name %03d.txt", i);
		CHECK(mt_has(names, n, h));
		snprintf(src, sizeof(src), "/mnt/big/%s", h);
		CHECK_OK(rump_sys_stat(src, &st));
		CHECK_EQ(st.st_size, i);
		CHECK_EQ(mt_checkfile(src, (uint64_t)i, (unsigned)i), 0);
	}
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_fini();
}

TEST(fragmented_file)
{
	char h[256], name[64];
	long total, used;
	uint64_t restsize;

	mt_init();
	CHECK_EQ(mt_mkfs(2048, "-F 12 -s 1"), 0);
	/* Fill the volume with small files and one big one, delete every
	 * other small file: a new file can only go into the holes. */
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "/f%02d", i);
		CHECK_EQ(mt_mcopy(mt_tmpfile(h, sizeof(h), "small", 3000,
		    (unsigned)i), name), 0);
	}
	CHECK_EQ(mt_fsck_clusters(&total, &used), 0);
	restsize = (uint64_t)(total - used) * 512;
	mt_tmpfile(h, sizeof(h), "rest", restsize, 9);
	CHECK_EQ(mt_mcopy(h, "/rest"), 0);
	for (int i = 0; i < 40; i += 2)
		CHECK_EQ(mt_sh("mdel -i '%s' ::/f%02d", mt_img, i), 0);
	CHECK_EQ(mt_fsck_clusters(&total, &used), 0);
	CHECK_EQ(total - used, 120);
	CHECK_EQ(mt_mcopy(mt_tmpfile(h, sizeof(h), "frag", 51200, 7),
	    "/frag"), 0);
	CHECK_OK(mt_mount(0, ""));
	CHECK_EQ(mt_checkfile("/mnt/frag", 51200, 7), 0);
	CHECK_EQ(mt_checkfile("/mnt/rest", restsize, 9), 0);
	for (int i = 1; i < 40; i += 2) {
		snprintf(name, sizeof(name), "/mnt/F%02d", i);
		CHECK_EQ(mt_checkfile(name, 3000, (unsigned)i), 0);
	}
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_fini();
}

TEST(readdir_positions)
{
	char h[256], buf[200], first[64][256];
	struct mt_dirent *d;
	ssize_t n;
	off_t pos = -1;
	int fd, count = 0, again = 0;

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	mt_tmpfile(h, sizeof(h), "x", 10, 1);
	CHECK_EQ(mt_sh("mmd -i '%s' ::/d", mt_img), 0);
	for (int i = 0; i < 30; i++) {
		char dst[64];

		snprintf(dst, sizeof(dst), "/d/entry number %02d", i);
		CHECK_EQ(mt_mcopy(h, dst), 0);
	}
	CHECK_OK(mt_mount(0, ""));
	fd = (int)CHECK_OK(rump_sys_open("/mnt/d", O_RDONLY | O_DIRECTORY));
	/* A small buffer: several calls, each resuming where it stopped. */
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i += d->d_reclen) {
			d = (void *)(buf + i);
			if (count < 64)
				snprintf(first[count], 256, "%s", d->d_name);
			if (count == 10)
				pos = d->d_off;	/* position after entry 10 */
			count++;
		}
	}
	CHECK_EQ(n, 0);
	CHECK_EQ(count, 32);
	/* Seeking to a d_off resumes after that entry. */
	CHECK(pos > 0);
	CHECK_EQ(rump_sys_lseek(fd, pos, SEEK_SET), pos);
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i += d->d_reclen) {
			d = (void *)(buf + i);
			CHECK_STR(d->d_name, first[11 + again]);
			again++;
		}
	}
	CHECK_EQ(again, 21);
	/* A buffer too small for one entry. */
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_ERR(rump_sys_getdents64(fd, buf, 10), EINVAL);
	rump_sys_close(fd);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_fini();
}

TEST(stat_fields)
{
	char h[256];
	struct stat st, st2, root;
	int n = 0;

	mt_init();
	CHECK_EQ(mt_mkfs(20000, "-F 16 -s 4"), 0);
	CHECK_EQ(mt_mcopy(mt_tmpfile(h, sizeof(h), "x", 5000, 1), "/f1"), 0);
	CHECK_EQ(mt_mcopy(h, "/f2"), 0);
	CHECK_EQ(mt_sh("mmd -i '%s' ::/d1 ::/d2 ::/d1/sub", mt_img), 0);
	CHECK_EQ(mt_sh("mattrib -i '%s' +r ::/f2", mt_img), 0);
	/* mtools stores this as local time; TZ=UTC makes it UTC. */
	CHECK_EQ(mt_sh("touch -d '2001-02-03 04:05:06 UTC' '%s' && "
	    "TZ=UTC mcopy -m -i '%s' '%s' ::/dated", h, mt_img, h), 0);
	rump_init();
	rump_sys_umask(022);
	CHECK_OK(mt_mount(0, ""));
	CHECK_OK(rump_sys_stat("/mnt", &root));
	CHECK_EQ(root.st_ino, 1);
	CHECK_EQ(root.st_nlink, 4);	/* ".", "..", d1, d2 */
	CHECK_EQ(root.st_mode, S_IFDIR | 0755);
	CHECK_OK(rump_sys_stat("/mnt/f1", &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0755);
	CHECK_EQ(st.st_nlink, 1);
	CHECK_EQ(st.st_size, 5000);
	CHECK_EQ(st.st_blksize, 2048);
	CHECK_EQ(st.st_blocks, 6144 / 512);
	CHECK_EQ(st.st_uid, 0);
	CHECK_EQ(st.st_gid, 0);
	CHECK(st.st_ino != 1);
	CHECK_OK(rump_sys_stat("/mnt/F1", &st2));
	CHECK_EQ(st.st_ino, st2.st_ino);
	CHECK_OK(rump_sys_stat("/mnt/f2", &st2));
	CHECK(st.st_ino != st2.st_ino);
	CHECK_EQ(st2.st_mode, S_IFREG | 0555);	/* read-only attribute */
	CHECK_OK(rump_sys_stat("/mnt/d1", &st));
	CHECK_EQ(st.st_nlink, 3);
	CHECK_EQ(st.st_size, 2048);
	CHECK_OK(rump_sys_stat("/mnt/d1/sub/..", &st2));
	CHECK_EQ(st.st_ino, st2.st_ino);
	CHECK_OK(rump_sys_stat("/mnt/dated", &st));
	CHECK_EQ(st.st_mtime, 981173106);	/* 2001-02-03 04:05:06 UTC */
	/* time_offset: disk times are that many minutes east of UTC. */
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0,
	    "time_offset=60,uid=1000,gid=100,fmask=0133,dmask=022"));
	CHECK_OK(rump_sys_stat("/mnt/dated", &st));
	CHECK_EQ(st.st_mtime, 981173106 - 3600);
	CHECK_EQ(st.st_mode, S_IFREG | 0644);
	CHECK_EQ(st.st_uid, 1000);
	CHECK_EQ(st.st_gid, 100);
	CHECK_OK(rump_sys_stat("/mnt/d2", &st));
	CHECK_EQ(st.st_mode, S_IFDIR | 0755);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, "umask=077"));
	CHECK_OK(rump_sys_stat("/mnt/d2", &st));
	CHECK_EQ(st.st_mode, S_IFDIR | 0700);
	CHECK_OK(rump_sys_stat("/mnt/f1", &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0700);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	(void)n;
	mt_fini();
}

TEST(mount_options_errors)
{
	static const char *bad[] = { "bogus", "uid=", "uid=abc", "uid=-1",
	    "umask=8", "umask=01000", "dmask=x", "tz=CET", "time_offset=99999",
	    "iocharset=koi8-r", "codepage=850", "uid=4294967295", "noexist=1",
	    "shortname=", NULL };

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	CHECK_OK(mt_mount(0, ",,uid=5,,gid=6,utf8,iocharset=utf8,tz=UTC,"));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	for (int i = 0; bad[i] != NULL; i++) {
		errno = 0;
		CHECK_EQ(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, bad[i]),
		    -1);
		if (errno != EINVAL)
			TFAIL("option %s: errno %d", bad[i], errno);
	}
	/* Sources that are not FAT block devices. */
	CHECK_ERR(rump_sys_mount("/nonexistent", "/mnt", "msdos", 0, ""),
	    ENOENT);
	CHECK_ERR(rump_sys_mount("/mnt", "/mnt", "msdos", 0, ""), ENOTBLK);
	CHECK_ERR(rump_sys_mount(NULL, "/mnt", "msdos", 0, ""), EINVAL);
	/* Busy while something inside is in use. */
	CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, NULL));
	CHECK_OK(rump_sys_mkdir("/mnt/dir", 0755));
	CHECK_OK(rump_sys_chdir("/mnt/dir"));
	CHECK_ERR(rump_sys_umount2("/mnt", 0), EBUSY);
	CHECK_OK(rump_sys_chdir("/"));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_fini();
}

/* Writes on a read-only mount are EROFS; reading works. */
static void
mt_check_rofs(void)
{
	struct statfs sf;
	int fd;

	CHECK_EQ(mt_checkfile("/mnt/f", 4000, 1), 0);
	CHECK_ERR(rump_sys_open("/mnt/new", O_WRONLY | O_CREAT, 0644), EROFS);
	CHECK_ERR(rump_sys_open("/mnt/f", O_WRONLY), EROFS);
	CHECK_ERR(rump_sys_mkdir("/mnt/newdir", 0755), EROFS);
	CHECK_ERR(rump_sys_unlink("/mnt/f"), EROFS);
	CHECK_ERR(rump_sys_rename("/mnt/f", "/mnt/g"), EROFS);
	CHECK_ERR(rump_sys_chmod("/mnt/f", 0444), EROFS);
	CHECK_ERR(rump_sys_truncate("/mnt/f", 0), EROFS);
	fd = (int)CHECK_OK(rump_sys_open("/mnt/f", O_RDONLY));
	CHECK_ERR(rump_sys_ftruncate(fd, 0), EBADF);
	rump_sys_close(fd);
	CHECK_OK(rump_sys_statfs("/mnt", &sf));
	CHECK(sf.f_flags & ST_RDONLY);
}

TEST(readonly_mount)
{
	char h[256], sum1[128] = "", sum2[128] = "";
	FILE *p;

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	CHECK_EQ(mt_mcopy(mt_tmpfile(h, sizeof(h), "x", 4000, 1), "/f"), 0);
	snprintf(h, sizeof(h), "md5sum < '%s'", mt_img);
	if ((p = popen(h, "r")) != NULL) {
		fgets(sum1, sizeof(sum1), p);
		pclose(p);
	}
	CHECK_OK(mt_mount(MS_RDONLY, ""));
	mt_check_rofs();
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	if ((p = popen(h, "r")) != NULL) {
		fgets(sum2, sizeof(sum2), p);
		pclose(p);
	}
	CHECK_STR(sum1, sum2);	/* not a byte changed, not even atimes */
	mt_fini();
}

TEST(readonly_device)
{
	char h[256];
	pid_t pid;
	int st;

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	CHECK_EQ(mt_mcopy(mt_tmpfile(h, sizeof(h), "x", 4000, 1), "/f"), 0);
	chmod(mt_dir, 0755);
	chmod(mt_img, 0444);
	/* A child that is not root, so the host file really is read-only. */
	if ((pid = fork()) == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(2);
		CHECK_OK(mt_mount(0, ""));	/* falls back to read-only */
		mt_check_rofs();
		CHECK_OK(rump_sys_umount2("/mnt", 0));
		_exit(test_failures != 0);
	}
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	mt_fini();
}

TEST(atime_and_sync)
{
	char h[256];
	struct stat st;
	int fd;
	char c;

	mt_init();
	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	/* An old access date, so reading must change it. */
	CHECK_EQ(mt_sh("touch -d '2001-02-03 04:05:06 UTC' '%s/x' && "
	    "TZ=UTC mcopy -m -i '%s' '%s/x' ::/f", mt_dir, mt_img, mt_dir), 0);
	CHECK_OK(mt_mount(0, ""));
	CHECK_OK(rump_sys_stat("/mnt/f", &st));
	CHECK_EQ(st.st_atime, 981158400);	/* 2001-02-03 */
	fd = (int)CHECK_OK(rump_sys_open("/mnt/f", O_RDONLY));
	CHECK_EQ(rump_sys_read(fd, &c, 1), 0);
	rump_sys_close(fd);
	CHECK_OK(rump_sys_stat("/mnt/f", &st));
	CHECK(st.st_atime > 981173106);
	CHECK_EQ(st.st_atime % 86400, 0);	/* a date only */
	rump_sys_sync();
	/* After sync the image is consistent even while mounted. */
	CHECK_EQ(mt_sh("fsck.fat -n '%s' >/dev/null 2>&1", mt_img), 0);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	(void)h;
	mt_fini();
}
