/*
 * fd_test.c: descriptor tables: close, dup, dup2, dup3, fcntl, the
 * RLIMIT_NOFILE limit, inheritance across rfork, and that a process's
 * exit closes its files.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

/* Boot and become a fresh process with an empty descriptor table. */
static struct lwp *
fresh_proc(void)
{
	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	return rump_pub_lwproc_curlwp();
}

/* Create (or truncate) a file on the kernel's root and open it. */
static int
mkfile(const char *path, int flags)
{
	return (int)CHECK_OK(rump_sys_open(path, O_CREAT | O_TRUNC | flags,
	    0644));
}

/* Inode number of the file open at fd (-1 if fstat fails). */
static long long
fd_ino(int fd)
{
	struct stat st;

	if (rump_sys_fstat(fd, &st) != 0)
		return -1;
	return (long long)st.st_ino;
}

/* Is fd open?  (F_GETFD never fails on an open descriptor.) */
static int
fd_isopen(int fd)
{
	return rump_sys_fcntl(fd, F_GETFD) != -1;
}

TEST(close_errors)
{
	fresh_proc();
	CHECK_ERR(rump_sys_close(-1), EBADF);
	CHECK_ERR(rump_sys_close(0), EBADF);
	CHECK_ERR(rump_sys_close(1000), EBADF);
	CHECK_ERR(rump_sys_close(1 << 20), EBADF);
	CHECK_ERR(rump_sys_close(INT32_MIN), EBADF);
	int fd = mkfile("/c", O_RDWR);
	CHECK_EQ(fd, 0);
	CHECK_OK(rump_sys_close(fd));
	CHECK_ERR(rump_sys_close(fd), EBADF);
}

TEST(lowest_free_descriptor)
{
	fresh_proc();
	CHECK_EQ(mkfile("/a", O_RDWR), 0);
	CHECK_EQ(mkfile("/b", O_RDWR), 1);
	CHECK_EQ(mkfile("/c", O_RDWR), 2);
	CHECK_OK(rump_sys_close(1));
	CHECK_EQ(rump_sys_open("/a", O_RDONLY), 1);
	CHECK_OK(rump_sys_close(0));
	CHECK_OK(rump_sys_close(2));
	CHECK_EQ(rump_sys_open("/a", O_RDONLY), 0);
	CHECK_EQ(rump_sys_open("/a", O_RDONLY), 2);
	CHECK_EQ(rump_sys_open("/a", O_RDONLY), 3);
}

TEST(dup_shares_file)
{
	fresh_proc();
	int fd = mkfile("/f", O_RDWR);
	int d = (int)CHECK_OK(rump_sys_dup(fd));

	CHECK_EQ(d, fd + 1);
	CHECK_EQ(fd_ino(d), fd_ino(fd));
	/* One open file description: the offset is shared. */
	CHECK_EQ(rump_sys_write(fd, "hello", 5), 5);
	CHECK_EQ(rump_sys_lseek(d, 0, SEEK_CUR), 5);
	CHECK_EQ(rump_sys_lseek(d, 1, SEEK_SET), 1);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 1);
	/* Closing one leaves the other usable. */
	CHECK_OK(rump_sys_close(fd));
	char buf[8] = { 0 };
	CHECK_EQ(rump_sys_read(d, buf, sizeof(buf)), 4);
	CHECK_STR(buf, "ello");
	/* dup takes the lowest free slot. */
	CHECK_EQ(rump_sys_dup(d), fd);
	CHECK_ERR(rump_sys_dup(-1), EBADF);
	CHECK_ERR(rump_sys_dup(77), EBADF);
	CHECK_ERR(rump_sys_dup(1 << 30), EBADF);
}

TEST(dup2_semantics)
{
	fresh_proc();
	int a = mkfile("/a", O_RDWR);
	int b = mkfile("/b", O_RDWR);
	long long ia = fd_ino(a), ib = fd_ino(b);

	CHECK(ia != ib);
	/* Onto a free slot far above the table's initial size. */
	CHECK_EQ(rump_sys_dup2(a, 100), 100);
	CHECK_EQ(fd_ino(100), ia);
	/* Onto an open descriptor: atomically replaces it. */
	CHECK_EQ(rump_sys_dup2(a, b), b);
	CHECK_EQ(fd_ino(b), ia);
	/* The lowest free slot is still 2 (not 101). */
	CHECK_EQ(rump_sys_dup(a), 2);
	/* oldfd == newfd: nothing happens if it is open... */
	CHECK_EQ(rump_sys_dup2(a, a), a);
	CHECK_EQ(fd_ino(a), ia);
	/* ...and EBADF if it is not. */
	CHECK_ERR(rump_sys_dup2(50, 50), EBADF);
	CHECK_ERR(rump_sys_dup2(-1, -1), EBADF);
	CHECK_ERR(rump_sys_dup2(50, 3), EBADF);
	CHECK(!fd_isopen(3));
	CHECK_ERR(rump_sys_dup2(a, -1), EBADF);
	CHECK_ERR(rump_sys_dup2(a, 1024), EBADF);	/* = RLIMIT_NOFILE */
	CHECK_ERR(rump_sys_dup2(a, INT32_MAX), EBADF);
	CHECK_EQ(rump_sys_dup2(a, 1023), 1023);
	/* A failed dup2 leaves newfd alone. */
	CHECK_ERR(rump_sys_dup2(60, 100), EBADF);
	CHECK_EQ(fd_ino(100), ia);
}

TEST(dup2_replaces_last_reference)
{
	fresh_proc();
	/* /victim is unlinked: dup2 over its only descriptor frees it. */
	int v = mkfile("/victim", O_RDWR);
	int a = mkfile("/a", O_RDWR);

	CHECK_EQ(rump_sys_write(v, "x", 1), 1);
	CHECK_OK(rump_sys_unlink("/victim"));
	CHECK_EQ(rump_sys_dup2(a, v), v);
	CHECK_EQ(fd_ino(v), fd_ino(a));
	CHECK_OK(rump_sys_close(v));
	CHECK_OK(rump_sys_close(a));
	CHECK_ERR(rump_sys_close(v), EBADF);
}

TEST(dup3_semantics)
{
	fresh_proc();
	int a = mkfile("/a", O_RDWR);

	CHECK_ERR(rump_sys_dup3(a, 5, O_NONBLOCK), EINVAL);
	CHECK_ERR(rump_sys_dup3(a, 5, -1), EINVAL);
	CHECK_ERR(rump_sys_dup3(a, 5, O_CLOEXEC | O_APPEND), EINVAL);
	CHECK(!fd_isopen(5));
	/* oldfd == newfd is EINVAL, open or not. */
	CHECK_ERR(rump_sys_dup3(a, a, 0), EINVAL);
	CHECK_ERR(rump_sys_dup3(9, 9, 0), EINVAL);
	CHECK_ERR(rump_sys_dup3(9, 5, 0), EBADF);
	CHECK_ERR(rump_sys_dup3(a, -1, 0), EBADF);
	CHECK_ERR(rump_sys_dup3(a, 1024, 0), EBADF);
	CHECK_EQ(rump_sys_dup3(a, 5, O_CLOEXEC), 5);
	CHECK_EQ(rump_sys_fcntl(5, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fd_ino(5), fd_ino(a));
	/* Without the flag the replacement is not close-on-exec. */
	CHECK_EQ(rump_sys_dup3(a, 5, 0), 5);
	CHECK_EQ(rump_sys_fcntl(5, F_GETFD), 0);
}

TEST(cloexec_bookkeeping)
{
	fresh_proc();
	int a = mkfile("/a", O_RDWR);
	int c = (int)CHECK_OK(rump_sys_open("/a", O_RDONLY | O_CLOEXEC));

	CHECK_EQ(rump_sys_fcntl(a, F_GETFD), 0);
	CHECK_EQ(rump_sys_fcntl(c, F_GETFD), FD_CLOEXEC);
	/* dup never copies the flag. */
	int d = (int)CHECK_OK(rump_sys_dup(c));
	CHECK_EQ(rump_sys_fcntl(d, F_GETFD), 0);
	/* dup2 clears it on newfd, even when newfd had it. */
	CHECK_OK(rump_sys_fcntl(d, F_SETFD, FD_CLOEXEC));
	CHECK_EQ(rump_sys_fcntl(d, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(rump_sys_dup2(c, d), d);
	CHECK_EQ(rump_sys_fcntl(d, F_GETFD), 0);
	/* ...except dup2(fd, fd), which changes nothing. */
	CHECK_EQ(rump_sys_dup2(c, c), c);
	CHECK_EQ(rump_sys_fcntl(c, F_GETFD), FD_CLOEXEC);
	/* F_SETFD uses only FD_CLOEXEC. */
	CHECK_OK(rump_sys_fcntl(a, F_SETFD, ~0));
	CHECK_EQ(rump_sys_fcntl(a, F_GETFD), FD_CLOEXEC);
	CHECK_OK(rump_sys_fcntl(a, F_SETFD, ~FD_CLOEXEC));
	CHECK_EQ(rump_sys_fcntl(a, F_GETFD), 0);
	/* The flag belongs to the slot: closing and reusing it clears it. */
	CHECK_OK(rump_sys_close(c));
	CHECK_EQ(rump_sys_open("/a", O_RDONLY), c);
	CHECK_EQ(rump_sys_fcntl(c, F_GETFD), 0);
	CHECK_ERR(rump_sys_fcntl(42, F_SETFD, FD_CLOEXEC), EBADF);
	CHECK_ERR(rump_sys_fcntl(42, F_GETFD), EBADF);
}

TEST(fcntl_dupfd)
{
	fresh_proc();
	int a = mkfile("/a", O_RDWR);

	CHECK_EQ(rump_sys_fcntl(a, F_DUPFD, 10), 10);
	CHECK_EQ(rump_sys_fcntl(a, F_DUPFD, 10), 11);
	CHECK_EQ(rump_sys_fcntl(a, F_DUPFD, 0), 1);
	CHECK_EQ(rump_sys_fcntl(10, F_GETFD), 0);
	CHECK_EQ(rump_sys_fcntl(a, F_DUPFD_CLOEXEC, 10), 12);
	CHECK_EQ(rump_sys_fcntl(12, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fd_ino(12), fd_ino(a));
	CHECK_EQ(rump_sys_fcntl(a, F_DUPFD, 1023), 1023);
	CHECK_ERR(rump_sys_fcntl(a, F_DUPFD, 1023), EMFILE);
	/* Negative or at/over the limit: EINVAL, not EMFILE. */
	CHECK_ERR(rump_sys_fcntl(a, F_DUPFD, -1), EINVAL);
	CHECK_ERR(rump_sys_fcntl(a, F_DUPFD_CLOEXEC, -5), EINVAL);
	CHECK_ERR(rump_sys_fcntl(a, F_DUPFD, 1024), EINVAL);
	CHECK_ERR(rump_sys_fcntl(a, F_DUPFD_CLOEXEC, 1 << 30), EINVAL);
	CHECK_ERR(rump_sys_fcntl(99, F_DUPFD, 0), EBADF);
}

TEST(fcntl_flags)
{
	fresh_proc();
	int a = mkfile("/a", O_RDWR);
	int r = (int)CHECK_OK(rump_sys_open("/a", O_RDONLY | O_CLOEXEC));
	int w = (int)CHECK_OK(rump_sys_open("/a", O_WRONLY | O_APPEND));
	int fl;

	/* Access mode and status flags only: no O_CREAT/O_TRUNC/O_CLOEXEC. */
	fl = (int)CHECK_OK(rump_sys_fcntl(a, F_GETFL));
	CHECK_EQ(fl & O_ACCMODE, O_RDWR);
	CHECK_EQ(fl & (O_CREAT | O_TRUNC | O_EXCL | O_CLOEXEC | O_APPEND), 0);
	fl = (int)CHECK_OK(rump_sys_fcntl(r, F_GETFL));
	CHECK_EQ(fl & O_ACCMODE, O_RDONLY);
	CHECK_EQ(fl & O_CLOEXEC, 0);
	fl = (int)CHECK_OK(rump_sys_fcntl(w, F_GETFL));
	CHECK_EQ(fl & O_ACCMODE, O_WRONLY);
	CHECK_EQ(fl & O_APPEND, O_APPEND);

	/* F_SETFL changes status flags but never the access mode. */
	CHECK_EQ(rump_sys_fcntl(a, F_SETFL, O_WRONLY | O_APPEND | O_NONBLOCK),
	    0);
	fl = (int)CHECK_OK(rump_sys_fcntl(a, F_GETFL));
	CHECK_EQ(fl & O_ACCMODE, O_RDWR);
	CHECK_EQ(fl & (O_APPEND | O_NONBLOCK), O_APPEND | O_NONBLOCK);
	/* Creation flags are ignored. */
	CHECK_OK(rump_sys_fcntl(a, F_SETFL, O_CREAT | O_TRUNC | O_EXCL));
	fl = (int)CHECK_OK(rump_sys_fcntl(a, F_GETFL));
	CHECK_EQ(fl & (O_CREAT | O_TRUNC | O_EXCL | O_APPEND | O_NONBLOCK), 0);
	CHECK_EQ(fl & O_ACCMODE, O_RDWR);
	/* O_APPEND can be cleared (no append-only files here). */
	CHECK_OK(rump_sys_fcntl(w, F_SETFL, 0));
	CHECK_EQ(rump_sys_fcntl(w, F_GETFL) & O_APPEND, 0);

	/* Status flags belong to the open file: dups see the change. */
	int d = (int)CHECK_OK(rump_sys_dup(a));
	CHECK_OK(rump_sys_fcntl(d, F_SETFL, O_NONBLOCK));
	CHECK_EQ(rump_sys_fcntl(a, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	/* ...while FD_CLOEXEC belongs to the descriptor. */
	CHECK_OK(rump_sys_fcntl(d, F_SETFD, FD_CLOEXEC));
	CHECK_EQ(rump_sys_fcntl(a, F_GETFD), 0);

	CHECK_ERR(rump_sys_fcntl(a, 12345), EINVAL);
	CHECK_ERR(rump_sys_fcntl(a, -1), EINVAL);
	/* A bad fd is EBADF even with a bad command. */
	CHECK_ERR(rump_sys_fcntl(77, 12345), EBADF);
	CHECK_ERR(rump_sys_fcntl(-1, F_GETFL), EBADF);
	CHECK_ERR(rump_sys_fcntl(77, F_SETFL, 0), EBADF);
}

TEST(fcntl_setfl_append_takes_effect)
{
	fresh_proc();
	int a = mkfile("/a", O_RDWR);
	struct stat st;

	CHECK_EQ(rump_sys_write(a, "abcd", 4), 4);
	CHECK_EQ(rump_sys_lseek(a, 0, SEEK_SET), 0);
	CHECK_OK(rump_sys_fcntl(a, F_SETFL, O_APPEND));
	CHECK_EQ(rump_sys_write(a, "ef", 2), 2);
	CHECK_OK(rump_sys_fstat(a, &st));
	CHECK_EQ(st.st_size, 6);
}

TEST(rlimit_nofile)
{
	struct rlimit rl;

	fresh_proc();
	CHECK_OK(rump_sys_getrlimit(RLIMIT_NOFILE, &rl));
	CHECK_EQ(rl.rlim_cur, 1024);
	CHECK_EQ(rl.rlim_max, 4096);
	CHECK_ERR(rump_sys_getrlimit(RLIMIT_NOFILE, NULL), EFAULT);
	CHECK_ERR(rump_sys_getrlimit(-1, &rl), EINVAL);
	CHECK_ERR(rump_sys_getrlimit(1000, &rl), EINVAL);

	rl.rlim_cur = 100;
	rl.rlim_max = 50;
	CHECK_ERR(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EINVAL);
	CHECK_ERR(rump_sys_setrlimit(RLIMIT_NOFILE, NULL), EFAULT);
	rl.rlim_cur = 10;
	rl.rlim_max = 20;
	CHECK_ERR(rump_sys_setrlimit(1000, &rl), EINVAL);
	/* Beyond nr_open: EPERM even for root. */
	rl.rlim_cur = 10;
	rl.rlim_max = RLIM_INFINITY;
	CHECK_ERR(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	rl.rlim_max = 65537;
	CHECK_ERR(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	/* Root may raise the hard limit up to it. */
	rl.rlim_cur = 65536;
	rl.rlim_max = 65536;
	CHECK_OK(rump_sys_setrlimit(RLIMIT_NOFILE, &rl));
	int a = mkfile("/a", O_RDWR);
	CHECK_EQ(rump_sys_dup2(a, 65535), 65535);
	CHECK_ERR(rump_sys_dup2(a, 65536), EBADF);
	CHECK_EQ(rump_sys_fcntl(a, F_DUPFD, 40000), 40000);
	CHECK_OK(rump_sys_getrlimit(RLIMIT_NOFILE, &rl));
	CHECK_EQ(rl.rlim_cur, 65536);
	CHECK_EQ(rl.rlim_max, 65536);

	/* A non-root process may lower, but not raise, the hard limit. */
	CHECK_OK(rump_sys_setuid(1000));
	rl.rlim_cur = 100;
	rl.rlim_max = 200;
	CHECK_OK(rump_sys_setrlimit(RLIMIT_NOFILE, &rl));
	rl.rlim_max = 201;
	CHECK_ERR(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	rl.rlim_cur = 200;
	rl.rlim_max = 200;
	CHECK_OK(rump_sys_setrlimit(RLIMIT_NOFILE, &rl));
	CHECK_OK(rump_sys_getrlimit(RLIMIT_NOFILE, &rl));
	CHECK_EQ(rl.rlim_cur, 200);
	CHECK_EQ(rl.rlim_max, 200);
	/* Descriptors above a lowered limit stay open. */
	CHECK(fd_isopen(40000));
	CHECK_OK(rump_sys_close(40000));
}

TEST(emfile)
{
	struct rlimit rl = { 8, 8 };

	fresh_proc();
	CHECK_OK(rump_sys_setrlimit(RLIMIT_NOFILE, &rl));
	for (int i = 0; i < 8; i++)
		CHECK_EQ(mkfile("/a", O_RDWR), i);
	CHECK_ERR(rump_sys_open("/a", O_RDONLY), EMFILE);
	CHECK_ERR(rump_sys_dup(0), EMFILE);
	CHECK_ERR(rump_sys_fcntl(0, F_DUPFD, 0), EMFILE);
	CHECK_ERR(rump_sys_fcntl(0, F_DUPFD, 8), EINVAL);
	CHECK_ERR(rump_sys_dup2(0, 8), EBADF);
	/* dup2 onto an existing slot needs no new one. */
	CHECK_EQ(rump_sys_dup2(0, 7), 7);
	int p[2];
	CHECK_ERR(rump_sys_pipe(p), EMFILE);
	/* One slot free: a pipe still needs two. */
	CHECK_OK(rump_sys_close(3));
	CHECK_ERR(rump_sys_pipe(p), EMFILE);
	CHECK(!fd_isopen(3));
	CHECK_EQ(rump_sys_dup(0), 3);
	/* Lowering the limit below open descriptors: no new ones at all. */
	rl.rlim_cur = 4;
	CHECK_OK(rump_sys_setrlimit(RLIMIT_NOFILE, &rl));
	CHECK_OK(rump_sys_close(2));
	CHECK_EQ(rump_sys_dup(0), 2);
	CHECK_OK(rump_sys_close(5));
	CHECK_ERR(rump_sys_dup(0), EMFILE);
}

TEST(table_growth)
{
	fresh_proc();
	int a = mkfile("/a", O_RDWR);
	int b = mkfile("/b", O_RDWR);
	long long ia = fd_ino(a), ib = fd_ino(b);

	/* Grow one slot at a time past several doublings. */
	for (int i = 2; i < 1000; i++)
		CHECK_EQ(rump_sys_dup(i % 2 ? b : a), i);
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(fd_ino(i), i % 2 ? ib : ia);
	for (int i = 999; i >= 0; i -= 3)
		CHECK_OK(rump_sys_close(i));
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(fd_isopen(i), (999 - i) % 3 != 0);
	/* Freed slots are reused lowest first (a itself was closed). */
	CHECK_EQ(rump_sys_dup(b), 0);
	CHECK_EQ(rump_sys_dup(b), 3);
	CHECK_EQ(fd_ino(0), ib);
}

/* The fork-style flags of rump_pub_lwproc_rfork and the fd table. */
TEST(rfork_copies_table)
{
	struct lwp *parent = fresh_proc();
	int a = mkfile("/a", O_RDWR);
	int c = (int)CHECK_OK(rump_sys_open("/a", O_RDONLY | O_CLOEXEC));

	CHECK_EQ(rump_sys_dup2(a, 50), 50);
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	struct lwp *child = rump_pub_lwproc_curlwp();
	CHECK(child != parent);
	/* Same descriptors, same files, same close-on-exec flags. */
	CHECK_EQ(fd_ino(a), fd_ino(50));
	CHECK_EQ(rump_sys_fcntl(c, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(rump_sys_fcntl(a, F_GETFD), 0);
	CHECK(!fd_isopen(3));
	/* Shared open file description: the offset moves for both. */
	CHECK_EQ(rump_sys_write(a, "abc", 3), 3);
	/* Changes to the child's table stay in the child. */
	CHECK_OK(rump_sys_close(50));
	CHECK_EQ(rump_sys_dup(a), 2);
	CHECK_OK(rump_sys_fcntl(a, F_SETFD, FD_CLOEXEC));
	rump_pub_lwproc_switch(parent);
	CHECK_EQ(rump_sys_lseek(a, 0, SEEK_CUR), 3);
	CHECK(fd_isopen(50));
	CHECK(!fd_isopen(2));
	CHECK_EQ(rump_sys_fcntl(a, F_GETFD), 0);
	/* And the parent's changes stay in the parent. */
	CHECK_OK(rump_sys_close(c));
	rump_pub_lwproc_switch(child);
	CHECK(fd_isopen(c));
	CHECK(fd_isopen(2));
}

TEST(rfork_clean_table)
{
	struct lwp *parent = fresh_proc();
	int a = mkfile("/a", O_RDWR);

	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	CHECK(!fd_isopen(a));
	CHECK_ERR(rump_sys_close(a), EBADF);
	CHECK_EQ(mkfile("/b", O_RDWR), 0);
	rump_pub_lwproc_switch(parent);
	CHECK_EQ(rump_sys_fcntl(a, F_GETFD), 0);
	CHECK(!fd_isopen(1));
}

TEST(rfork_shares_table)
{
	struct lwp *parent = fresh_proc();
	int a = mkfile("/a", O_RDWR);
	struct rlimit rl = { 500, 600 };

	CHECK_EQ(rump_sys_dup(a), 1);
	CHECK_EQ(rump_pub_lwproc_rfork(0), 0);
	struct lwp *child = rump_pub_lwproc_curlwp();
	/* A close in the child is seen by the parent, and an open too. */
	CHECK_OK(rump_sys_close(1));
	int b = mkfile("/b", O_RDWR);
	CHECK_EQ(b, 1);
	CHECK_OK(rump_sys_fcntl(b, F_SETFD, FD_CLOEXEC));
	CHECK_OK(rump_sys_setrlimit(RLIMIT_NOFILE, &rl));
	rump_pub_lwproc_switch(parent);
	CHECK_EQ(fd_ino(1), fd_ino(b));
	CHECK(fd_ino(1) != fd_ino(a));
	CHECK_EQ(rump_sys_fcntl(1, F_GETFD), FD_CLOEXEC);
	CHECK_OK(rump_sys_getrlimit(RLIMIT_NOFILE, &rl));
	CHECK_EQ(rl.rlim_cur, 500);
	/* The child's exit leaves the shared table to the parent. */
	rump_pub_lwproc_switch(child);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(parent);
	CHECK(fd_isopen(0));
	CHECK(fd_isopen(1));
	CHECK_OK(rump_sys_close(1));
	CHECK_OK(rump_sys_close(0));
}

/*
 * A process's exit releases its files: when the only writer end of a
 * pipe belonged to a process that exits, the reader sees EOF.
 */
TEST(exit_releases_pipe_writer)
{
	struct lwp *parent = fresh_proc();
	int p[2];
	char c;

	CHECK_OK(rump_sys_pipe(p));
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	struct lwp *child = rump_pub_lwproc_curlwp();
	CHECK_OK(rump_sys_close(p[0]));
	rump_pub_lwproc_switch(parent);
	CHECK_OK(rump_sys_close(p[1]));
	/* The child still holds the writer: no EOF yet. */
	CHECK_OK(rump_sys_fcntl(p[0], F_SETFL, O_NONBLOCK));
	CHECK_ERR(rump_sys_read(p[0], &c, 1), EAGAIN);
	rump_pub_lwproc_switch(child);
	CHECK_EQ(rump_sys_write(p[1], "z", 1), 1);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(parent);
	CHECK_EQ(rump_sys_read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'z');
	CHECK_EQ(rump_sys_read(p[0], &c, 1), 0);
}

/* A file unlinked while open keeps its space until the last close,
 * which may be the exit of the process holding it. */
TEST(exit_releases_unlinked_file)
{
	struct lwp *parent = fresh_proc();
	static char buf[256 * 1024];
	struct statfs before, during, after;

	CHECK_OK(rump_sys_statfs("/", &before));
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	int fd = mkfile("/big", O_RDWR);
	memset(buf, 'q', sizeof(buf));
	CHECK_EQ(rump_sys_write(fd, buf, sizeof(buf)), sizeof(buf));
	CHECK_OK(rump_sys_unlink("/big"));
	CHECK_OK(rump_sys_statfs("/", &during));
	CHECK(during.f_bfree < before.f_bfree);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(parent);
	CHECK_OK(rump_sys_statfs("/", &after));
	CHECK_EQ(after.f_bfree, before.f_bfree);
}
