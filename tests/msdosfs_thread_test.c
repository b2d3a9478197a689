/*
 * msdosfs_thread_test.c: one FAT volume used by several threads at once
 * (creating, writing, reading, renaming, removing in their own
 * directories, listing and reading shared ones).  Runs under
 * ThreadSanitizer too; the image must be clean for fsck.fat afterwards.
 */
#include <pthread.h>
#include <sys/mount.h>

#include "msdosfs_util.h"

#define NWORKERS	4
#define NFILES		25

static volatile int mt_stop;

/* A worker: its own directory, files made, checked, renamed, removed. */
static void *
mt_worker(void *arg)
{
	int id = (int)(intptr_t)arg, bad = 0;
	char dir[64], path[128], path2[128];

	snprintf(dir, sizeof(dir), "/mnt/worker directory %d", id);
	if (rump_sys_mkdir(dir, 0755) == -1)
		return (void *)1;
	for (int i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/a file with a long name %d",
		    dir, i);
		if (mt_putfile(path, (uint64_t)(i * 517), (unsigned)(id + i)))
			bad++;
	}
	for (int i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/a file with a long name %d",
		    dir, i);
		if (mt_checkfile(path, (uint64_t)(i * 517),
		    (unsigned)(id + i)) != 0)
			bad++;
		snprintf(path2, sizeof(path2), "/mnt/shared/w%d renamed %d",
		    id, i);
		if (i % 2 == 0 && rump_sys_rename(path, path2) == -1)
			bad++;
		if (i % 3 == 0 && rump_sys_unlink(i % 2 ? path : path2) == -1)
			bad++;
	}
	return (void *)(intptr_t)bad;
}

/* A reader: lists and stats the shared directory, reads the big file. */
static void *
mt_reader(void *arg)
{
	char *buf = malloc(65536), dbuf[4096];
	intptr_t bad = 0;
	ssize_t n;

	if (buf == NULL)
		return (void *)1;
	while (!__atomic_load_n(&mt_stop, __ATOMIC_ACQUIRE)) {
		int fd = rump_sys_open("/mnt/shared", O_RDONLY | O_DIRECTORY);

		if (fd == -1) {
			bad++;
			break;
		}
		while ((n = rump_sys_getdents64(fd, dbuf, sizeof(dbuf))) > 0)
			;
		if (n < 0) {
			fprintf(stderr, "getdents: %s\n", strerror(errno));
			bad++;
		}
		rump_sys_close(fd);
		if ((fd = rump_sys_open("/mnt/big", O_RDONLY)) == -1) {
			bad++;
			break;
		}
		for (off_t off = 0; off < 300000; off += 65536)
			if (rump_sys_pread(fd, buf, 65536, off) < 0) {
				fprintf(stderr, "pread: %s\n", strerror(errno));
				bad++;
			}
		rump_sys_close(fd);
	}
	free(buf);
	return (void *)bad;
}

TEST(concurrent_use)
{
	pthread_t w[NWORKERS], r[2];
	void *ret;

	mt_init();
	CHECK_EQ(mt_mkfs(16384, "-F 16 -s 2"), 0);
	CHECK_OK(mt_mount(0, ""));
	CHECK_OK(rump_sys_mkdir("/mnt/shared", 0755));
	CHECK_OK(mt_putfile("/mnt/big", 300000, 99));
	for (int i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&r[i], NULL, mt_reader, NULL), 0);
	for (int i = 0; i < NWORKERS; i++)
		CHECK_EQ(pthread_create(&w[i], NULL, mt_worker,
		    (void *)(intptr_t)i), 0);
	for (int i = 0; i < NWORKERS; i++) {
		CHECK_EQ(pthread_join(w[i], &ret), 0);
		CHECK_EQ((intptr_t)ret, 0);
	}
	__atomic_store_n(&mt_stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(pthread_join(r[i], &ret), 0);
		CHECK_EQ((intptr_t)ret, 0);
	}
	CHECK_EQ(mt_checkfile("/mnt/big", 300000, 99), 0);
	CHECK_EQ(mt_checkfile("/mnt/shared/w2 renamed 4", 4 * 517, 6), 0);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	CHECK_EQ(mt_sh("fsck.fat -n '%s' >/dev/null 2>&1", mt_img), 0);
	CHECK_EQ(mt_sh("mdir -b -i '%s' ::/shared | wc -l | grep -qx %d",
	    mt_img, NWORKERS * 13 - NWORKERS * 5), 0);
	mt_fini();
}
