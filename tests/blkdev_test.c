/*
 * blkdev_test.c: host files as block devices, in-process
 * (rump_pub_etfs_*, kern/dev/blkdev*.c): registration and its errors, the
 * key node, reading and writing through the device file and comparing
 * with the host file, windows (offset/size), end-of-device rules,
 * read-only host files, removal while busy, stale nodes.
 */
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

#define HOSTSIZE	65536

static char tdir[64];

/* The byte at offset off of every host file we make. */
static unsigned char
pattern(uint64_t off)
{
	return (unsigned char)((off * 7 + 3) % 251);
}

/* A fresh host directory (0755, so a test may drop privileges). */
static void
tmp_init(void)
{
	snprintf(tdir, sizeof(tdir), "/tmp/blkdev-test.XXXXXX");
	if (mkdtemp(tdir) == NULL) {
		TFAIL("mkdtemp: %s", strerror(errno));
		return;
	}
	chmod(tdir, 0755);
}

/* Remove the host directory and its files. */
static void
tmp_fini(void)
{
	char path[sizeof(tdir) + 300];
	struct dirent *de;
	DIR *d = opendir(tdir);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", tdir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(tdir);
}

/* Make host file tdir/name of size bytes of pattern(); path out. */
static void
host_make(const char *name, size_t size, char *path, size_t len)
{
	unsigned char *buf = malloc(size + 1);
	int fd;

	snprintf(path, len, "%s/%s", tdir, name);
	for (size_t i = 0; i < size; i++)
		buf[i] = pattern(i);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, buf, size), (long long)size);
	close(fd);
	free(buf);
}

/* n bytes of host file path at off into buf; the count read. */
static ssize_t
host_pread(const char *path, void *buf, size_t n, off_t off)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = pread(fd, buf, n, off);
	close(fd);
	return r;
}

/* Boot and register a fresh host file of HOSTSIZE bytes at key. */
static void
setup(const char *key, char *path, size_t len)
{
	tmp_init();
	host_make("disk.img", HOSTSIZE, path, len);
	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_pub_etfs_register(key, path, RUMP_ETFS_BLK), 0);
}

TEST(register_makes_block_node)
{
	char path[128];
	struct stat st, st2;

	setup("/dev/img0", path, sizeof(path));
	CHECK_OK(rump_sys_stat("/dev/img0", &st));
	CHECK(S_ISBLK(st.st_mode));
	CHECK_EQ(st.st_mode & 07777, 0600);
	CHECK_EQ(st.st_uid, 0);
	CHECK_EQ(st.st_gid, 0);
	CHECK_EQ(st.st_size, 0);		/* as Linux shows devices */
	CHECK_EQ(major(st.st_rdev), 240);
	CHECK_OK(rump_sys_stat("/dev", &st2));
	CHECK(S_ISDIR(st2.st_mode));
	CHECK_EQ(st2.st_mode & 07777, 0755);
	/* Deeper keys get all their parents; each device its own rdev. */
	CHECK_EQ(rump_pub_etfs_register("/a/b/c/disk", path, RUMP_ETFS_BLK),
	    0);
	CHECK_OK(rump_sys_stat("/a/b", &st2));
	CHECK_EQ(st2.st_mode & 07777, 0755);
	CHECK_OK(rump_sys_stat("/a/b/c/disk", &st2));
	CHECK(S_ISBLK(st2.st_mode));
	CHECK(st2.st_rdev != st.st_rdev);
	tmp_fini();
}

TEST(read_matches_host)
{
	static unsigned char buf[HOSTSIZE + 100], host[HOSTSIZE];
	char path[128];
	ssize_t n, got = 0;
	int fd;

	setup("/dev/img0", path, sizeof(path));
	fd = (int)CHECK_OK(rump_sys_open("/dev/img0", O_RDONLY));
	/* read(2) in odd-sized pieces up to the end, then 0 bytes. */
	while ((n = rump_sys_read(fd, buf + got, 1000)) > 0)
		got += n;
	CHECK_EQ(n, 0);
	CHECK_EQ(got, HOSTSIZE);
	CHECK_EQ(host_pread(path, host, HOSTSIZE, 0), HOSTSIZE);
	CHECK(memcmp(buf, host, HOSTSIZE) == 0);
	/* A read crossing the end is shortened, one at the end is 0. */
	CHECK_EQ(rump_sys_pread(fd, buf, 100, HOSTSIZE - 10), 10);
	CHECK_EQ(buf[0], pattern(HOSTSIZE - 10));
	CHECK_EQ(rump_sys_pread(fd, buf, 100, HOSTSIZE), 0);
	CHECK_EQ(rump_sys_pread(fd, buf, 100, HOSTSIZE + 4096), 0);
	CHECK_ERR(rump_sys_pread(fd, buf, 100, -1), EINVAL);
	CHECK_ERR(rump_sys_write(fd, buf, 1), EBADF);
	CHECK_OK(rump_sys_close(fd));
	tmp_fini();
}

TEST(write_reaches_host)
{
	unsigned char buf[8192], back[8192];
	char path[128];
	int fd;

	setup("/dev/img0", path, sizeof(path));
	fd = (int)CHECK_OK(rump_sys_open("/dev/img0", O_RDWR));
	memset(buf, 0xa5, sizeof(buf));
	CHECK_EQ(rump_sys_pwrite(fd, buf, 5000, 3000), 5000);
	CHECK_EQ(host_pread(path, back, sizeof(back), 2999), sizeof(back));
	CHECK_EQ(back[0], pattern(2999));
	CHECK(memcmp(back + 1, buf, 5000) == 0);
	CHECK_EQ(back[5001], pattern(8000));
	/* write(2) uses and advances the offset. */
	CHECK_EQ(rump_sys_lseek(fd, 100, SEEK_SET), 100);
	CHECK_EQ(rump_sys_write(fd, "hello", 5), 5);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 105);
	CHECK_EQ(host_pread(path, back, 5, 100), 5);
	CHECK(memcmp(back, "hello", 5) == 0);
	/* And reads through the device see it. */
	CHECK_EQ(rump_sys_pread(fd, back, 5, 100), 5);
	CHECK(memcmp(back, "hello", 5) == 0);
	CHECK_OK(rump_sys_fsync(fd));
	CHECK_OK(rump_sys_fdatasync(fd));
	CHECK_OK(rump_sys_close(fd));
	tmp_fini();
}

TEST(vectors)
{
	unsigned char a[100], b[3000], c[1], host[4101];
	struct iovec iov[3] = { { a, sizeof(a) }, { b, sizeof(b) },
	    { c, sizeof(c) } };
	char path[128];
	int fd;

	setup("/dev/img0", path, sizeof(path));
	fd = (int)CHECK_OK(rump_sys_open("/dev/img0", O_RDWR));
	CHECK_EQ(rump_sys_preadv(fd, iov, 3, 1000), 3101);
	CHECK_EQ(a[0], pattern(1000));
	CHECK_EQ(b[0], pattern(1100));
	CHECK_EQ(c[0], pattern(4100));
	/* Crossing the end: the vector is cut at the device's end. */
	CHECK_EQ(rump_sys_preadv(fd, iov, 3, HOSTSIZE - 150), 150);
	CHECK_EQ(b[49], pattern(HOSTSIZE - 1));
	memset(a, 1, sizeof(a));
	memset(b, 2, sizeof(b));
	c[0] = 3;
	CHECK_EQ(rump_sys_pwritev(fd, iov, 3, 1000), 3101);
	CHECK_EQ(host_pread(path, host, 3101, 1000), 3101);
	CHECK_EQ(host[0], 1);
	CHECK_EQ(host[99], 1);
	CHECK_EQ(host[100], 2);
	CHECK_EQ(host[3099], 2);
	CHECK_EQ(host[3100], 3);
	CHECK_OK(rump_sys_close(fd));
	tmp_fini();
}

TEST(end_of_device)
{
	unsigned char buf[200], host[200];
	char path[128];
	int fd;

	setup("/dev/img0", path, sizeof(path));
	fd = (int)CHECK_OK(rump_sys_open("/dev/img0", O_RDWR));
	memset(buf, 0x5a, sizeof(buf));
	/* At the end: ENOSPC; crossing it: shortened (Linux's rules). */
	CHECK_ERR(rump_sys_pwrite(fd, buf, 1, HOSTSIZE), ENOSPC);
	CHECK_ERR(rump_sys_pwrite(fd, buf, 1, HOSTSIZE + 512), ENOSPC);
	CHECK_EQ(rump_sys_pwrite(fd, buf, 200, HOSTSIZE - 100), 100);
	CHECK_EQ(host_pread(path, host, 200, HOSTSIZE - 100), 100);
	CHECK_EQ(host[99], 0x5a);
	/* The host file did not grow. */
	CHECK_EQ(host_pread(path, host, 1, HOSTSIZE), 0);
	/* lseek: SEEK_END is the size, never past the end. */
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_END), HOSTSIZE);
	CHECK_EQ(rump_sys_lseek(fd, -10, SEEK_END), HOSTSIZE - 10);
	CHECK_ERR(rump_sys_lseek(fd, 1, SEEK_END), EINVAL);
	CHECK_ERR(rump_sys_lseek(fd, HOSTSIZE + 1, SEEK_SET), EINVAL);
	CHECK_ERR(rump_sys_lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_EQ(rump_sys_lseek(fd, HOSTSIZE, SEEK_SET), HOSTSIZE);
	CHECK_ERR(rump_sys_write(fd, buf, 1), ENOSPC);
	CHECK_EQ(rump_sys_read(fd, buf, 1), 0);
	CHECK_EQ(rump_sys_lseek(fd, 5, SEEK_DATA), 5);
	CHECK_EQ(rump_sys_lseek(fd, 5, SEEK_HOLE), HOSTSIZE);
	CHECK_ERR(rump_sys_lseek(fd, HOSTSIZE, SEEK_DATA), ENXIO);
	CHECK_ERR(rump_sys_lseek(fd, 0, 99), EINVAL);
	/* O_APPEND writes go to the end, where there is no room. */
	CHECK_OK(rump_sys_fcntl(fd, F_SETFL, O_APPEND));
	CHECK_ERR(rump_sys_pwrite(fd, buf, 1, 0), ENOSPC);
	CHECK_OK(rump_sys_close(fd));
	tmp_fini();
}

TEST(fstat_and_fd_calls)
{
	struct stat st, fst;
	char path[128];
	int fd;

	setup("/dev/img0", path, sizeof(path));
	CHECK_OK(rump_sys_stat("/dev/img0", &st));
	fd = (int)CHECK_OK(rump_sys_open("/dev/img0", O_RDWR));
	CHECK_OK(rump_sys_fstat(fd, &fst));
	CHECK(S_ISBLK(fst.st_mode));
	CHECK_EQ(fst.st_rdev, st.st_rdev);
	CHECK_EQ(fst.st_ino, st.st_ino);
	CHECK_EQ(fst.st_size, 0);
	/* The fd names the node: fchmod works, ftruncate does not. */
	CHECK_OK(rump_sys_fchmod(fd, 0640));
	CHECK_OK(rump_sys_stat("/dev/img0", &st));
	CHECK_EQ(st.st_mode & 07777, 0640);
	CHECK_ERR(rump_sys_ftruncate(fd, 0), EINVAL);
	CHECK_OK(rump_sys_close(fd));
	tmp_fini();
}

TEST(window)
{
	unsigned char buf[16], host[16];
	char path[128];
	struct stat st;
	int fd;

	tmp_init();
	host_make("disk.img", HOSTSIZE, path, sizeof(path));
	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_pub_etfs_register_withsize("/dev/w", path, RUMP_ETFS_BLK,
	    4096, 8192), 0);
	fd = (int)CHECK_OK(rump_sys_open("/dev/w", O_RDWR));
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_END), 8192);
	CHECK_EQ(rump_sys_pread(fd, buf, 1, 0), 1);
	CHECK_EQ(buf[0], pattern(4096));
	CHECK_EQ(rump_sys_pread(fd, buf, 16, 8192 - 8), 8);
	CHECK_EQ(buf[7], pattern(4096 + 8191));
	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(rump_sys_pwrite(fd, buf, 16, 8192 - 8), 8);
	CHECK_EQ(host_pread(path, host, 16, 4096 + 8192 - 8), 16);
	CHECK_EQ(host[7], 0xee);
	CHECK_EQ(host[8], pattern(4096 + 8192));	/* outside untouched */
	CHECK_EQ(rump_sys_pwrite(fd, buf, 1, 0), 1);
	CHECK_EQ(host_pread(path, host, 2, 4095), 2);
	CHECK_EQ(host[0], pattern(4095));
	CHECK_EQ(host[1], 0xee);
	CHECK_OK(rump_sys_close(fd));
	/* Up to the end from an offset. */
	CHECK_EQ(rump_pub_etfs_register_withsize("/dev/tail", path,
	    RUMP_ETFS_BLK, HOSTSIZE - 1000, RUMP_ETFS_SIZE_ENDOFF), 0);
	fd = (int)CHECK_OK(rump_sys_open("/dev/tail", O_RDONLY));
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_END), 1000);
	CHECK_OK(rump_sys_close(fd));
	CHECK_OK(rump_sys_stat("/dev/tail", &st));
	tmp_fini();
}

TEST(window_errors)
{
	char path[128];

	tmp_init();
	host_make("disk.img", HOSTSIZE, path, sizeof(path));
	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_pub_etfs_register_withsize("/dev/x", path, RUMP_ETFS_BLK,
	    0, 0), EINVAL);
	CHECK_EQ(rump_pub_etfs_register_withsize("/dev/x", path, RUMP_ETFS_BLK,
	    HOSTSIZE, RUMP_ETFS_SIZE_ENDOFF), EINVAL);
	CHECK_EQ(rump_pub_etfs_register_withsize("/dev/x", path, RUMP_ETFS_BLK,
	    UINT64_MAX - 10, 100), EINVAL);
	CHECK_EQ(rump_pub_etfs_register_withsize("/dev/x", path, RUMP_ETFS_BLK,
	    1ULL << 62, 1ULL << 62), EINVAL);
	/* A failed registration leaves no node and no reservation. */
	CHECK_ERR(rump_sys_access("/dev/x", F_OK), ENOENT);
	CHECK_EQ(rump_pub_etfs_register("/dev/x", path, RUMP_ETFS_BLK), 0);
	tmp_fini();
}

/* A writable host file may be shorter than the device: it grows. */
TEST(growable)
{
	unsigned char buf[100];
	char path[128];
	struct stat hst;
	int fd;

	tmp_init();
	host_make("small.img", 4096, path, sizeof(path));
	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_pub_etfs_register_withsize("/dev/g", path, RUMP_ETFS_BLK,
	    0, 1 << 20), 0);
	fd = (int)CHECK_OK(rump_sys_open("/dev/g", O_RDWR));
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_END), 1 << 20);
	memset(buf, 0x77, sizeof(buf));
	CHECK_EQ(rump_sys_pread(fd, buf, 100, 4090), 100);
	CHECK_EQ(buf[5], pattern(4095));
	CHECK_EQ(buf[6], 0);			/* never written: zeros */
	CHECK_EQ(buf[99], 0);
	CHECK_EQ(rump_sys_pwrite(fd, "end", 3, (1 << 20) - 3), 3);
	CHECK_OK(stat(path, &hst));
	CHECK_EQ(hst.st_size, 1 << 20);
	CHECK_ERR(rump_sys_pwrite(fd, "x", 1, 1 << 20), ENOSPC);
	CHECK_OK(rump_sys_close(fd));
	tmp_fini();
}

/* A host file truncated behind the device's back: reads say EIO. */
TEST(short_host_read_is_eio)
{
	unsigned char buf[100];
	char path[128];
	int fd;

	setup("/dev/img0", path, sizeof(path));
	CHECK_OK(truncate(path, 1000));
	fd = (int)CHECK_OK(rump_sys_open("/dev/img0", O_RDONLY));
	CHECK_EQ(rump_sys_pread(fd, buf, 100, 0), 100);
	CHECK_ERR(rump_sys_pread(fd, buf, 100, 4096), EIO);
	CHECK_ERR(rump_sys_pread(fd, buf, 100, 950), EIO);
	CHECK_OK(rump_sys_close(fd));
	tmp_fini();
}

/* In a child without the privilege to write the file (root is
 * DAC-exempt, so drop to nobody), check the read-only device. */
static void
readonly_child(const char *path)
{
	unsigned char buf[10];
	int fd;

	if (geteuid() == 0 && (setgroups(0, NULL) != 0 ||
	    setresgid(65534, 65534, 65534) != 0 ||
	    setresuid(65534, 65534, 65534) != 0))
		TFAIL("dropping privileges: %s", strerror(errno));
	CHECK(open(path, O_RDWR) < 0);		/* the premise */
	CHECK_EQ(rump_init(), 0);
	/* Past the end of a read-only file: no room to grow. */
	CHECK_EQ(rump_pub_etfs_register_withsize("/dev/ro", path,
	    RUMP_ETFS_BLK, 0, HOSTSIZE + 1), EINVAL);
	CHECK_EQ(rump_pub_etfs_register("/dev/ro", path, RUMP_ETFS_BLK), 0);
	CHECK_ERR(rump_sys_open("/dev/ro", O_RDWR), EROFS);
	CHECK_ERR(rump_sys_open("/dev/ro", O_WRONLY), EROFS);
	fd = (int)CHECK_OK(rump_sys_open("/dev/ro", O_RDONLY));
	CHECK_EQ(rump_sys_pread(fd, buf, 10, 20), 10);
	CHECK_EQ(buf[0], pattern(20));
	CHECK_OK(rump_sys_close(fd));
	/* A read-only device may be removed and registered again. */
	CHECK_EQ(rump_pub_etfs_remove("/dev/ro"), 0);
	_exit(test_failures ? 1 : 0);
}

TEST(readonly_host_file)
{
	char path[128];
	pid_t pid;
	int status = -1;

	tmp_init();
	host_make("ro.img", HOSTSIZE, path, sizeof(path));
	CHECK_OK(chmod(path, 0444));
	fflush(NULL);
	if ((pid = fork()) == 0)
		readonly_child(path);
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	tmp_fini();
}

TEST(remove_busy_and_again)
{
	char path[128];
	struct stat st1, st2;
	int fd;

	setup("/dev/img0", path, sizeof(path));
	CHECK_OK(rump_sys_stat("/dev/img0", &st1));
	fd = (int)CHECK_OK(rump_sys_open("/dev/img0", O_RDONLY));
	CHECK_EQ(rump_pub_etfs_remove("/dev/img0"), EBUSY);
	/* A dup keeps the same open file busy. */
	int fd2 = (int)CHECK_OK(rump_sys_dup(fd));
	CHECK_OK(rump_sys_close(fd));
	CHECK_EQ(rump_pub_etfs_remove("/dev/img0"), EBUSY);
	CHECK_OK(rump_sys_close(fd2));
	CHECK_EQ(rump_pub_etfs_remove("/dev//img0"), 0);	/* same key */
	CHECK_ERR(rump_sys_stat("/dev/img0", &st2), ENOENT);
	CHECK_EQ(rump_pub_etfs_remove("/dev/img0"), ENOENT);
	/* The key is free again; the new device has a new number. */
	CHECK_EQ(rump_pub_etfs_register("/dev/img0", path, RUMP_ETFS_BLK), 0);
	CHECK_OK(rump_sys_stat("/dev/img0", &st2));
	CHECK(st2.st_rdev != st1.st_rdev);
	tmp_fini();
}

TEST(bad_registrations)
{
	char path[128], dir[128], longkey[200];
	int fd;

	setup("/dev/img0", path, sizeof(path));
	CHECK_EQ(rump_pub_etfs_register("/dev/img0", path, RUMP_ETFS_BLK),
	    EEXIST);
	CHECK_EQ(rump_pub_etfs_register("/dev//img0", path, RUMP_ETFS_BLK),
	    EEXIST);
	snprintf(dir, sizeof(dir), "%s/missing.img", tdir);
	CHECK_EQ(rump_pub_etfs_register("/dev/m", dir, RUMP_ETFS_BLK), ENOENT);
	CHECK_EQ(rump_pub_etfs_register("/dev/m", "", RUMP_ETFS_BLK), ENOENT);
	CHECK_EQ(rump_pub_etfs_register("/dev/m", tdir, RUMP_ETFS_BLK),
	    EISDIR);
	CHECK_EQ(rump_pub_etfs_register("dev/m", path, RUMP_ETFS_BLK), EINVAL);
	CHECK_EQ(rump_pub_etfs_register("/", path, RUMP_ETFS_BLK), EINVAL);
	CHECK_EQ(rump_pub_etfs_register("/dev/m/", path, RUMP_ETFS_BLK),
	    EINVAL);
	CHECK_EQ(rump_pub_etfs_register("/dev/../m", path, RUMP_ETFS_BLK),
	    EINVAL);
	CHECK_EQ(rump_pub_etfs_register(NULL, path, RUMP_ETFS_BLK), EFAULT);
	CHECK_EQ(rump_pub_etfs_register("/dev/m", NULL, RUMP_ETFS_BLK), EFAULT);
	CHECK_EQ(rump_pub_etfs_register("/dev/m", path, RUMP_ETFS_REG),
	    EOPNOTSUPP);
	CHECK_EQ(rump_pub_etfs_register("/dev/m", path, RUMP_ETFS_CHR),
	    EOPNOTSUPP);
	CHECK_EQ(rump_pub_etfs_register("/dev/m", path, 99), EINVAL);
	memset(longkey, 'k', sizeof(longkey));
	longkey[0] = '/';
	longkey[150] = '\0';
	CHECK_EQ(rump_pub_etfs_register(longkey, path, RUMP_ETFS_BLK),
	    ENAMETOOLONG);
	/* Keys that the file system refuses. */
	fd = (int)CHECK_OK(rump_sys_open("/file", O_CREAT | O_WRONLY, 0644));
	CHECK_OK(rump_sys_close(fd));
	CHECK_EQ(rump_pub_etfs_register("/file", path, RUMP_ETFS_BLK), EEXIST);
	CHECK_EQ(rump_pub_etfs_register("/file/x", path, RUMP_ETFS_BLK),
	    ENOTDIR);
	CHECK_EQ(rump_pub_etfs_remove("/file"), ENOENT);
	CHECK_EQ(rump_pub_etfs_remove("nokey"), ENOENT);
	CHECK_EQ(rump_pub_etfs_remove(NULL), EFAULT);
	/* None of the failures kept the key: it can be registered now. */
	CHECK_EQ(rump_pub_etfs_register("/dev/m", path, RUMP_ETFS_BLK), 0);
	tmp_fini();
}

/* The rdev names the device: other nodes with it reach it too, until
 * the device goes away; then they say ENXIO. */
TEST(other_nodes_and_stale_nodes)
{
	unsigned char buf[4];
	char path[128];
	struct stat st;
	int fd;

	setup("/dev/img0", path, sizeof(path));
	CHECK_OK(rump_sys_stat("/dev/img0", &st));
	CHECK_OK(rump_sys_mknod("/alias", S_IFBLK | 0600, st.st_rdev));
	CHECK_OK(rump_sys_link("/dev/img0", "/hardlink"));
	fd = (int)CHECK_OK(rump_sys_open("/alias", O_RDONLY));
	CHECK_EQ(rump_sys_pread(fd, buf, 4, 8), 4);
	CHECK_EQ(buf[0], pattern(8));
	CHECK_OK(rump_sys_close(fd));
	CHECK_EQ(rump_pub_etfs_remove("/dev/img0"), 0);
	CHECK_ERR(rump_sys_open("/alias", O_RDONLY), ENXIO);
	CHECK_ERR(rump_sys_open("/hardlink", O_RDONLY), ENXIO);
	/* A node with a number no device ever had. */
	CHECK_OK(rump_sys_mknod("/never", S_IFBLK | 0600, makedev(240, 999)));
	CHECK_ERR(rump_sys_open("/never", O_RDONLY), ENXIO);
	/* Character devices stay unsupported. */
	CHECK_OK(rump_sys_mknod("/chr", S_IFCHR | 0600, st.st_rdev));
	CHECK_ERR(rump_sys_open("/chr", O_RDONLY), ENXIO);
	/* A nodev mount refuses device nodes. */
	CHECK_OK(rump_sys_mkdir("/mnt", 0755));
	CHECK_OK(rump_sys_mount("tmpfs", "/mnt", "tmpfs", MS_NODEV, NULL));
	CHECK_EQ(rump_pub_etfs_register("/mnt/dev0", path, RUMP_ETFS_BLK), 0);
	CHECK_ERR(rump_sys_open("/mnt/dev0", O_RDONLY), EACCES);
	tmp_fini();
}

/* Registration does not depend on the calling process: the node is
 * root's, 0600, whatever the caller's credentials and umask. */
TEST(register_from_unprivileged_process)
{
	char path[128];
	struct stat st;

	tmp_init();
	host_make("disk.img", HOSTSIZE, path, sizeof(path));
	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	rump_sys_umask(0777);
	CHECK_OK(rump_sys_setuid(1000));
	CHECK_EQ(rump_pub_etfs_register("/dev/sub/img", path, RUMP_ETFS_BLK),
	    0);
	CHECK_EQ(rump_sys_getuid(), 1000);	/* still the caller's */
	CHECK_OK(rump_sys_stat("/dev/sub/img", &st));
	CHECK_EQ(st.st_mode & 07777, 0600);
	CHECK_EQ(st.st_uid, 0);
	CHECK_OK(rump_sys_stat("/dev/sub", &st));
	CHECK_EQ(st.st_mode & 07777, 0755);
	/* ... but opening the node is subject to its permissions. */
	CHECK_ERR(rump_sys_open("/dev/sub/img", O_RDONLY), EACCES);
	tmp_fini();
}

/* A thread with no kernel context at all may register (rump_server). */
TEST(register_before_any_call)
{
	char path[128];
	struct stat st;

	tmp_init();
	host_make("disk.img", HOSTSIZE, path, sizeof(path));
	CHECK_EQ(rump_pub_etfs_register("/dev/img0", path, RUMP_ETFS_BLK), 0);
	CHECK_OK(rump_sys_stat("/dev/img0", &st));
	CHECK(S_ISBLK(st.st_mode));
	CHECK_EQ(rump_sys_getpid(), 1);
	tmp_fini();
}
