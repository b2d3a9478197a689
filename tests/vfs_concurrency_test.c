/*
 * vfs_concurrency_test.c: many threads, each its own kernel process
 * (rfork), create, write, read, rename and unlink files at once, rename
 * directories across each other and race to make the same names; the
 * final tree is then checked.  Also runs under ThreadSanitizer.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

#define NTHREADS	8
#define NFILES		150

struct worker {
	pthread_t	w_thread;
	int		w_id;
	int		w_errors;	/* unexpected results */
	char		w_msg[160];
};

static void
werr(struct worker *w, const char *what, const char *path)
{
	if (w->w_errors++ == 0)
		snprintf(w->w_msg, sizeof(w->w_msg), "thread %d: %s %s: %s",
		    w->w_id, what, path, strerror(errno));
}

/* Become a new process of our own for this thread. */
static void
worker_begin(struct worker *w)
{
	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
		werr(w, "rfork", "");
}

static void
worker_end(void)
{
	rump_pub_lwproc_releaselwp();
}

/* Create path with the text of its own name; check it reads back. */
static void
make_named(struct worker *w, const char *path)
{
	char buf[64];
	size_t len = strlen(path);
	int fd = rump_sys_open(path, O_CREAT | O_EXCL | O_RDWR, 0644);

	if (fd < 0) {
		werr(w, "create", path);
		return;
	}
	if (rump_sys_write(fd, path, len) != (ssize_t)len)
		werr(w, "write", path);
	if (rump_sys_pread(fd, buf, sizeof(buf), 0) != (ssize_t)len ||
	    memcmp(buf, path, len) != 0)
		werr(w, "readback", path);
	if (rump_sys_close(fd) != 0)
		werr(w, "close", path);
}

/*
 * Files: create /jobs/tN/fI, move the odd ones to /other/tN_fI (a
 * two-directory rename), unlink every third, rename the rest within the
 * directory.
 */
static void *
file_worker(void *arg)
{
	struct worker *w = arg;
	char a[64], b[64], dir[32];

	worker_begin(w);
	snprintf(dir, sizeof(dir), "/jobs/t%d", w->w_id);
	if (rump_sys_mkdir(dir, 0755) != 0)
		werr(w, "mkdir", dir);
	for (int i = 0; i < NFILES; i++) {
		snprintf(a, sizeof(a), "%s/f%d", dir, i);
		make_named(w, a);
		if (i % 2) {
			snprintf(b, sizeof(b), "/other/t%d_f%d", w->w_id, i);
			if (rump_sys_rename(a, b) != 0)
				werr(w, "rename across", a);
		} else if (i % 3 == 0) {
			if (rump_sys_unlink(a) != 0)
				werr(w, "unlink", a);
		} else {
			snprintf(b, sizeof(b), "%s/g%d", dir, i);
			if (rump_sys_rename(a, b) != 0)
				werr(w, "rename", a);
		}
	}
	worker_end();
	return NULL;
}

/* Directories: move /ping/dN to /pong/dN and back, looking inside. */
static void *
dir_worker(void *arg)
{
	struct worker *w = arg;
	char a[64], b[64], f[80];
	struct stat st;

	worker_begin(w);
	snprintf(a, sizeof(a), "/ping/d%d", w->w_id);
	snprintf(b, sizeof(b), "/pong/d%d", w->w_id);
	if (rump_sys_mkdir(a, 0755) != 0)
		werr(w, "mkdir", a);
	snprintf(f, sizeof(f), "%s/inside", a);
	make_named(w, f);
	for (int i = 0; i < NFILES; i++) {
		const char *from = i % 2 ? b : a, *to = i % 2 ? a : b;

		if (rump_sys_rename(from, to) != 0)
			werr(w, "rename dir", from);
		snprintf(f, sizeof(f), "%s/inside", to);
		if (rump_sys_stat(f, &st) != 0)
			werr(w, "stat", f);
		snprintf(f, sizeof(f), "%s/../../ping", to);
		if (rump_sys_stat(f, &st) != 0 || !S_ISDIR(st.st_mode))
			werr(w, "stat", f);
	}
	worker_end();
	return NULL;
}

/* Races on shared names: only EEXIST/ENOENT may get in the way. */
static void *
race_worker(void *arg)
{
	struct worker *w = arg;
	char name[32];

	worker_begin(w);
	for (int i = 0; i < NFILES; i++) {
		snprintf(name, sizeof(name), "/race/n%d", i % 5);
		if (rump_sys_mkdir(name, 0755) != 0 && errno != EEXIST)
			werr(w, "mkdir", name);
		if (rump_sys_rmdir(name) != 0 && errno != ENOENT)
			werr(w, "rmdir", name);
		int fd = rump_sys_open("/race/file", O_CREAT | O_RDWR, 0644);
		if (fd >= 0) {
			if (rump_sys_write(fd, "r", 1) != 1)
				werr(w, "write", "/race/file");
			rump_sys_close(fd);
		} else if (errno != ENOENT)
			werr(w, "open", "/race/file");
		if (rump_sys_unlink("/race/file") != 0 && errno != ENOENT)
			werr(w, "unlink", "/race/file");
	}
	worker_end();
	return NULL;
}

/*
 * Two threads try to move /loop/a into /loop/b and /loop/b into /loop/a
 * at the same time: one may win, the other must fail (EINVAL, or ENOENT
 * once its source has moved); a cycle must never form.
 */
static void *
loop_worker(void *arg)
{
	struct worker *w = arg;
	const char *from = w->w_id % 2 ? "/loop/a" : "/loop/b";
	const char *to = w->w_id % 2 ? "/loop/b/a" : "/loop/a/b";
	const char *back = w->w_id % 2 ? "/loop/b/a" : "/loop/a/b";

	worker_begin(w);
	for (int i = 0; i < NFILES; i++) {
		if (rump_sys_rename(from, to) == 0) {
			if (rump_sys_rename(back, from) != 0)
				werr(w, "move back", back);
		} else if (errno != EINVAL && errno != ENOENT)
			werr(w, "rename", from);
	}
	worker_end();
	return NULL;
}

static int shared_fd;		/* one open file, many lwps of one process */
static pid_t shared_pid;
#define NBYTES		(NTHREADS * 200)
static unsigned char got[NTHREADS][200];

/* Read one byte at a time through the shared offset. */
static void *
reader_worker(void *arg)
{
	struct worker *w = arg;
	int n = 0;

	if (rump_pub_lwproc_newlwp(shared_pid) != 0)
		werr(w, "newlwp", "");
	while (n < 200 && rump_sys_read(shared_fd, &got[w->w_id][n], 1) == 1)
		n++;
	if (n != 200)
		werr(w, "short read", "");
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* Append-free writes through the shared offset: no overwrites. */
static void *
writer_worker(void *arg)
{
	struct worker *w = arg;
	unsigned char c;

	if (rump_pub_lwproc_newlwp(shared_pid) != 0)
		werr(w, "newlwp", "");
	for (int i = 0; i < 200; i++) {
		c = (unsigned char)((w->w_id * 200 + i) % 251);
		if (rump_sys_write(shared_fd, &c, 1) != 1)
			werr(w, "write", "shared");
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

static struct stat root_st;

/* Walk into a mount point again and again while it comes and goes. */
static void *
lookup_worker(void *arg)
{
	struct worker *w = arg;
	struct stat st;

	worker_begin(w);
	for (int i = 0; i < NFILES * 4; i++) {
		if (rump_sys_stat("/mp/.", &st) != 0)
			werr(w, "stat", "/mp/.");
		/* Mounted or not, "/mp/.." is the root directory. */
		if (rump_sys_stat("/mp/..", &st) != 0 ||
		    st.st_ino != root_st.st_ino || st.st_dev != root_st.st_dev)
			werr(w, "stat", "/mp/..");
		int fd = rump_sys_open("/mp", O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			werr(w, "open", "/mp");
		else
			rump_sys_close(fd);
	}
	worker_end();
	return NULL;
}

static void
run_workers(void *(*fn)(void *), struct worker *ws, int n)
{
	for (int i = 0; i < n; i++) {
		memset(&ws[i], 0, sizeof(ws[i]));
		ws[i].w_id = i;
		CHECK_EQ(pthread_create(&ws[i].w_thread, NULL, fn, &ws[i]), 0);
	}
}

static void
join_workers(struct worker *ws, int n)
{
	for (int i = 0; i < n; i++) {
		pthread_join(ws[i].w_thread, NULL);
		if (ws[i].w_errors != 0)
			TFAIL("%d errors; first: %s", ws[i].w_errors,
			    ws[i].w_msg);
	}
}

/* Does path hold exactly its own name? */
static int
holds_name(const char *path, const char *name)
{
	char buf[64];
	int fd = rump_sys_open(path, O_RDONLY);
	long n;

	if (fd < 0)
		return 0;
	n = rump_sys_read(fd, buf, sizeof(buf));
	rump_sys_close(fd);
	return n == (long)strlen(name) && memcmp(buf, name, (size_t)n) == 0;
}

/* Count the entries of a directory other than "." and "..". */
static int
count_entries(const char *path)
{
	char buf[4096];
	int fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY), n = 0;
	long r;

	if (fd < 0)
		return -1;
	while ((r = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0)
		for (long off = 0; off < r;) {
			unsigned short reclen;
			const char *name = buf + off + 19;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
				n++;
			off += reclen;
		}
	rump_sys_close(fd);
	return n;
}

static void
check_final_files(void)
{
	char a[64], orig[64];
	int expect_work, expect_other = 0;
	struct stat st;

	for (int t = 0; t < NTHREADS; t++) {
		expect_work = 0;
		for (int i = 0; i < NFILES; i++) {
			snprintf(orig, sizeof(orig), "/jobs/t%d/f%d", t, i);
			if (i % 2) {
				snprintf(a, sizeof(a), "/other/t%d_f%d", t, i);
				expect_other++;
			} else if (i % 3 == 0) {
				snprintf(a, sizeof(a), "%s", orig);
				CHECK_ERR(rump_sys_stat(a, &st), ENOENT);
				continue;
			} else {
				snprintf(a, sizeof(a), "/jobs/t%d/g%d", t, i);
				expect_work++;
			}
			if (!holds_name(a, orig))
				TFAIL("%s does not hold \"%s\"", a, orig);
		}
		snprintf(a, sizeof(a), "/jobs/t%d", t);
		CHECK_EQ(count_entries(a), expect_work);
	}
	CHECK_EQ(count_entries("/other"), expect_other);
	CHECK_EQ(count_entries("/jobs"), NTHREADS);
	CHECK_OK(rump_sys_stat("/jobs", &st));
	CHECK_EQ(st.st_nlink, 2 + NTHREADS);
}

TEST(files_in_many_processes)
{
	struct worker ws[NTHREADS];

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_mkdir("/jobs", 0755));
	CHECK_OK(rump_sys_mkdir("/other", 0755));
	run_workers(file_worker, ws, NTHREADS);
	join_workers(ws, NTHREADS);
	check_final_files();
}

TEST(directories_cross_renamed)
{
	struct worker ws[NTHREADS];
	struct stat st;
	char f[64];

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_mkdir("/ping", 0755));
	CHECK_OK(rump_sys_mkdir("/pong", 0755));
	run_workers(dir_worker, ws, NTHREADS);
	join_workers(ws, NTHREADS);
	/* An even number of moves: every directory is back in /ping. */
	for (int t = 0; t < NTHREADS; t++) {
		snprintf(f, sizeof(f), "/ping/d%d/inside", t);
		CHECK_OK(rump_sys_stat(f, &st));
	}
	CHECK_EQ(count_entries("/ping"), NTHREADS);
	CHECK_EQ(count_entries("/pong"), 0);
	CHECK_OK(rump_sys_stat("/ping", &st));
	CHECK_EQ(st.st_nlink, 2 + NTHREADS);
	CHECK_OK(rump_sys_stat("/pong", &st));
	CHECK_EQ(st.st_nlink, 2);
}

TEST(racing_names)
{
	struct worker ws[NTHREADS];
	struct stat st;

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_mkdir("/race", 0755));
	run_workers(race_worker, ws, NTHREADS);
	join_workers(ws, NTHREADS);
	/* Leftovers are possible (a last mkdir won); nothing else. */
	int n = count_entries("/race");
	CHECK(n >= 0 && n <= 6);
	CHECK_OK(rump_sys_stat("/race", &st));
	CHECK_EQ(st.st_nlink, 2 + (n - (rump_sys_stat("/race/file", &st) == 0)));
}

TEST(no_rename_cycles)
{
	struct worker ws[2];
	struct stat st;

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_mkdir("/loop", 0755));
	CHECK_OK(rump_sys_mkdir("/loop/a", 0755));
	CHECK_OK(rump_sys_mkdir("/loop/b", 0755));
	run_workers(loop_worker, ws, 2);
	join_workers(ws, 2);
	CHECK_OK(rump_sys_stat("/loop/a", &st));
	CHECK_OK(rump_sys_stat("/loop/b", &st));
	CHECK_EQ(count_entries("/loop"), 2);
	CHECK_EQ(count_entries("/loop/a"), 0);
	CHECK_EQ(count_entries("/loop/b"), 0);
}

TEST(shared_offset_reads_and_writes)
{
	struct worker ws[NTHREADS];
	unsigned char buf[NBYTES];
	int count[251];

	CHECK_EQ(rump_init(), 0);
	shared_pid = rump_sys_getpid();
	shared_fd = (int)CHECK_OK(rump_sys_open("/shared", O_CREAT | O_RDWR,
	    0644));
	run_workers(writer_worker, ws, NTHREADS);
	join_workers(ws, NTHREADS);
	/* Every byte written exactly once: size and multiset match. */
	struct stat st;
	CHECK_OK(rump_sys_fstat(shared_fd, &st));
	CHECK_EQ(st.st_size, NBYTES);
	CHECK_EQ(rump_sys_pread(shared_fd, buf, NBYTES, 0), NBYTES);
	memset(count, 0, sizeof(count));
	for (int i = 0; i < NBYTES; i++)
		count[buf[i]]++;
	int bad = 0;
	for (int t = 0; t < NTHREADS; t++)
		for (int i = 0; i < 200; i++)
			if (count[(t * 200 + i) % 251]-- <= 0)
				bad++;
	CHECK_EQ(bad, 0);
	/* Readers share the offset: together they read each byte once. */
	CHECK_EQ(rump_sys_lseek(shared_fd, 0, SEEK_SET), 0);
	run_workers(reader_worker, ws, NTHREADS);
	join_workers(ws, NTHREADS);
	memset(count, 0, sizeof(count));
	for (int t = 0; t < NTHREADS; t++)
		for (int i = 0; i < 200; i++)
			count[got[t][i]]++;
	for (int i = 0; i < NBYTES; i++)
		count[buf[i]]--;
	for (int i = 0; i < 251; i++)
		if (count[i] != 0)
			TFAIL("byte value %d read %d times too often", i, count[i]);
	CHECK_EQ(rump_sys_lseek(shared_fd, 0, SEEK_CUR), NBYTES);
}

TEST(lookups_during_mounts)
{
	struct worker ws[4];
	int mounted = 0, busy = 0;

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_mkdir("/mp", 0755));
	CHECK_OK(rump_sys_stat("/", &root_st));
	run_workers(lookup_worker, ws, 4);
	for (int i = 0; i < 200; i++) {
		if (rump_sys_mount("tmpfs", "/mp", "tmpfs", 0, NULL) == 0)
			mounted++;
		if (rump_sys_umount2("/mp", 0) == 0)
			mounted--;
		else if (errno == EBUSY)
			busy++;
		else
			TFAIL("umount2: %s", strerror(errno));
	}
	join_workers(ws, 4);
	/* Unmount whatever stayed (it was busy at the time). */
	while (mounted > 0 && rump_sys_umount2("/mp", 0) == 0)
		mounted--;
	CHECK_EQ(mounted, 0);
	CHECK_ERR(rump_sys_umount2("/mp", 0), EINVAL);
}
