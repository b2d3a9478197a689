/*
 * pipe_test.c: pipes and FIFOs without threads: pipe/pipe2 flags, data
 * order and ring-buffer wrap, EOF, EPIPE, EAGAIN and partial nonblocking
 * writes, fcntl O_NONBLOCK, fstat, lseek, and the FIFO open rules that
 * do not block.  Blocking behaviour is in pipe_thread_test.c, poll in
 * poll_test.c.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* Boot and become a fresh process with an empty descriptor table. */
static void
fresh_proc(void)
{
	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
}

/* Byte i of the test pattern. */
static unsigned char
pat(size_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

/* Fill buf with the pattern from offset off. */
static void
pat_fill(unsigned char *buf, size_t n, size_t off)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = pat(off + i);
}

/* Does buf hold the pattern from offset off? */
static int
pat_check(const unsigned char *buf, size_t n, size_t off)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i] != pat(off + i))
			return 0;
	return 1;
}

TEST(pipe_basic)
{
	int p[2];
	char buf[16];

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	CHECK_EQ(p[0], 0);
	CHECK_EQ(p[1], 1);
	CHECK_EQ(rump_sys_fcntl(p[0], F_GETFL), O_RDONLY);
	CHECK_EQ(rump_sys_fcntl(p[1], F_GETFL), O_WRONLY);
	CHECK_EQ(rump_sys_fcntl(p[0], F_GETFD), 0);
	CHECK_EQ(rump_sys_write(p[1], "hello", 5), 5);
	CHECK_EQ(rump_sys_write(p[1], ", world", 7), 7);
	/* A read returns what is there, up to the request. */
	CHECK_EQ(rump_sys_read(p[0], buf, 3), 3);
	CHECK(memcmp(buf, "hel", 3) == 0);
	CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 9);
	CHECK(memcmp(buf, "lo, world", 9) == 0);
	/* Zero-length reads and writes return 0 at once. */
	CHECK_EQ(rump_sys_read(p[0], buf, 0), 0);
	CHECK_EQ(rump_sys_write(p[1], buf, 0), 0);
	CHECK_OK(rump_sys_close(p[0]));
	CHECK_OK(rump_sys_close(p[1]));
}

TEST(pipe_wrong_end)
{
	int p[2];
	char c = 'x';

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	CHECK_ERR(rump_sys_read(p[1], &c, 1), EBADF);
	CHECK_ERR(rump_sys_write(p[0], &c, 1), EBADF);
}

TEST(pipe2_flags)
{
	int p[2] = { -1, -1 };

	fresh_proc();
	CHECK_OK(rump_sys_pipe2(p, O_NONBLOCK | O_CLOEXEC));
	CHECK_EQ(rump_sys_fcntl(p[0], F_GETFL), O_RDONLY | O_NONBLOCK);
	CHECK_EQ(rump_sys_fcntl(p[1], F_GETFL), O_WRONLY | O_NONBLOCK);
	CHECK_EQ(rump_sys_fcntl(p[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(rump_sys_fcntl(p[1], F_GETFD), FD_CLOEXEC);
	CHECK_OK(rump_sys_pipe2(p, O_CLOEXEC));
	CHECK_EQ(rump_sys_fcntl(p[0], F_GETFL), O_RDONLY);
	CHECK_EQ(rump_sys_fcntl(p[1], F_GETFD), FD_CLOEXEC);
	CHECK_OK(rump_sys_pipe2(p, 0));
	CHECK_EQ(rump_sys_fcntl(p[1], F_GETFD), 0);
	/* Any other flag is EINVAL, and nothing is installed. */
	p[0] = p[1] = -1;
	CHECK_ERR(rump_sys_pipe2(p, O_RDWR), EINVAL);
	CHECK_ERR(rump_sys_pipe2(p, O_APPEND), EINVAL);
	CHECK_ERR(rump_sys_pipe2(p, O_NOATIME), EINVAL);
	CHECK_ERR(rump_sys_pipe2(p, O_CREAT), EINVAL);
	CHECK_ERR(rump_sys_pipe2(p, -1), EINVAL);
	CHECK_EQ(p[0], -1);
	CHECK_EQ(p[1], -1);
	CHECK_ERR(rump_sys_fcntl(6, F_GETFD), EBADF);
	/* Flags are checked before the pointer, as on Linux. */
	CHECK_ERR(rump_sys_pipe2(NULL, O_APPEND), EINVAL);
	CHECK_ERR(rump_sys_pipe2(NULL, 0), EFAULT);
	CHECK_ERR(rump_sys_pipe(NULL), EFAULT);
	CHECK_ERR(rump_sys_fcntl(6, F_GETFD), EBADF);
}

TEST(pipe_eof)
{
	int p[2];
	char buf[8];

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	CHECK_EQ(rump_sys_write(p[1], "abc", 3), 3);
	CHECK_OK(rump_sys_close(p[1]));
	/* Queued data is still read after the last writer closed, then EOF. */
	CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "abc", 3) == 0);
	CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 0);
	CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 0);
}

TEST(pipe_eof_after_last_dup)
{
	int p[2], w2;
	char c;

	fresh_proc();
	CHECK_OK(rump_sys_pipe2(p, O_NONBLOCK));
	w2 = (int)CHECK_OK(rump_sys_dup(p[1]));
	CHECK_OK(rump_sys_close(p[1]));
	/* A writer remains: empty means EAGAIN, not EOF. */
	CHECK_ERR(rump_sys_read(p[0], &c, 1), EAGAIN);
	CHECK_OK(rump_sys_close(w2));
	CHECK_EQ(rump_sys_read(p[0], &c, 1), 0);
}

TEST(pipe_epipe)
{
	int p[2];

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	CHECK_OK(rump_sys_close(p[0]));
	/* EPIPE (not EINTR, though SIGPIPE is posted), every time. */
	CHECK_ERR(rump_sys_write(p[1], "x", 1), EPIPE);
	CHECK_ERR(rump_sys_write(p[1], "x", 1), EPIPE);
	/* A write bigger than the buffer too. */
	size_t n = 200000;
	char *big = calloc(1, n);
	CHECK_ERR(rump_sys_write(p[1], big, n), EPIPE);
	free(big);
}

TEST(pipe_epipe_nonblock)
{
	int p[2];

	fresh_proc();
	CHECK_OK(rump_sys_pipe2(p, O_NONBLOCK));
	CHECK_OK(rump_sys_close(p[0]));
	CHECK_ERR(rump_sys_write(p[1], "x", 1), EPIPE);
}

TEST(pipe_nonblock_empty)
{
	int p[2];
	char c;

	fresh_proc();
	CHECK_OK(rump_sys_pipe2(p, O_NONBLOCK));
	CHECK_ERR(rump_sys_read(p[0], &c, 1), EAGAIN);
}

/* Nonblocking writes fill exactly 64 KiB, then EAGAIN. */
TEST(pipe_nonblock_full)
{
	static unsigned char buf[4096];
	int p[2];
	long total = 0, r;

	fresh_proc();
	CHECK_OK(rump_sys_pipe2(p, O_NONBLOCK));
	for (int i = 0; i < 100; i++) {
		r = rump_sys_write(p[1], buf, sizeof(buf));
		if (r < 0)
			break;
		CHECK_EQ(r, 4096);
		total += r;
	}
	CHECK_EQ(total, 65536);
	CHECK_ERR(rump_sys_write(p[1], buf, sizeof(buf)), EAGAIN);
	CHECK_ERR(rump_sys_write(p[1], buf, 1), EAGAIN);
	/* Room for one PIPE_BUF write again after a read of that much. */
	CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 4096);
	CHECK_EQ(rump_sys_write(p[1], buf, sizeof(buf)), 4096);
	CHECK_ERR(rump_sys_write(p[1], buf, sizeof(buf)), EAGAIN);
}

/* A nonblocking write larger than PIPE_BUF writes what fits (partial). */
TEST(pipe_nonblock_partial)
{
	size_t n = 100000;
	unsigned char *buf = malloc(n), *in = malloc(n);
	int p[2];

	fresh_proc();
	pat_fill(buf, n, 0);
	CHECK_OK(rump_sys_pipe2(p, O_NONBLOCK));
	CHECK_EQ(rump_sys_write(p[1], buf, n), 65536);
	CHECK_ERR(rump_sys_write(p[1], buf + 65536, n - 65536), EAGAIN);
	CHECK_EQ(rump_sys_read(p[0], in, n), 65536);
	CHECK(pat_check(in, 65536, 0));
	/* Atomic-size writes are all or nothing: 4096 into 4000 free. */
	CHECK_EQ(rump_sys_write(p[1], buf, 61536), 61536);
	CHECK_ERR(rump_sys_write(p[1], buf, 4096), EAGAIN);
	CHECK_EQ(rump_sys_write(p[1], buf, 4000), 4000);
	free(buf);
	free(in);
}

/* Data keeps its order across many wraps of the ring buffer. */
TEST(pipe_ring_wrap)
{
	size_t n = 1 << 20, woff = 0, roff = 0;
	unsigned char *out = malloc(n), *in = malloc(n);
	int p[2];
	long r;

	fresh_proc();
	pat_fill(out, n, 0);
	CHECK_OK(rump_sys_pipe2(p, O_NONBLOCK));
	/* Odd chunk sizes so the buffer wraps at every position. */
	for (int i = 0; roff < n && i < 100000; i++) {
		size_t wn = MIN(n - woff, (size_t)(1 + (i * 7919) % 30000));
		size_t rn = MIN(n - roff, (size_t)(1 + (i * 104729) % 25000));

		if (wn > 0) {
			r = rump_sys_write(p[1], out + woff, wn);
			if (r > 0)
				woff += (size_t)r;
			else
				CHECK(errno == EAGAIN);
		}
		r = rump_sys_read(p[0], in + roff, rn);
		if (r > 0)
			roff += (size_t)r;
		else
			CHECK(errno == EAGAIN);
	}
	CHECK_EQ(roff, n);
	CHECK(memcmp(in, out, n) == 0);
	free(out);
	free(in);
}

TEST(pipe_readv_writev)
{
	int p[2];
	char a[3], b[5];
	struct iovec wv[3] = {
		{ "abc", 3 }, { "", 0 }, { "defgh", 5 },
	};
	struct iovec rv[2] = { { a, sizeof(a) }, { b, sizeof(b) } };

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	CHECK_EQ(rump_sys_writev(p[1], wv, 3), 8);
	CHECK_EQ(rump_sys_readv(p[0], rv, 2), 8);
	CHECK(memcmp(a, "abc", 3) == 0);
	CHECK(memcmp(b, "defgh", 5) == 0);
}

TEST(pipe_fcntl_nonblock)
{
	int p[2];
	char c;

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	CHECK_OK(rump_sys_fcntl(p[0], F_SETFL, O_NONBLOCK));
	CHECK_EQ(rump_sys_fcntl(p[0], F_GETFL), O_RDONLY | O_NONBLOCK);
	CHECK_ERR(rump_sys_read(p[0], &c, 1), EAGAIN);
	/* Cleared again: with data, the read just succeeds. */
	CHECK_OK(rump_sys_fcntl(p[0], F_SETFL, 0));
	CHECK_EQ(rump_sys_fcntl(p[0], F_GETFL), O_RDONLY);
	CHECK_EQ(rump_sys_write(p[1], "z", 1), 1);
	CHECK_EQ(rump_sys_read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'z');
	/* The flag belongs to the open file: a dup sees it too. */
	int d = (int)CHECK_OK(rump_sys_dup(p[0]));
	CHECK_OK(rump_sys_fcntl(d, F_SETFL, O_NONBLOCK));
	CHECK_ERR(rump_sys_read(p[0], &c, 1), EAGAIN);
}

TEST(pipe_fstat)
{
	int p[2], q[2];
	struct stat r, w, o;

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	CHECK_OK(rump_sys_pipe(q));
	CHECK_EQ(rump_sys_write(p[1], "data", 4), 4);
	CHECK_OK(rump_sys_fstat(p[0], &r));
	CHECK_OK(rump_sys_fstat(p[1], &w));
	CHECK_OK(rump_sys_fstat(q[0], &o));
	CHECK(S_ISFIFO(r.st_mode));
	CHECK_EQ(r.st_mode, S_IFIFO | 0600);
	CHECK_EQ(r.st_size, 0);		/* Linux: 0, whatever is queued */
	CHECK_EQ(r.st_nlink, 1);
	CHECK_EQ(r.st_uid, 0);
	CHECK_EQ(r.st_blksize, 4096);
	CHECK_EQ(r.st_ino, w.st_ino);	/* both ends: one inode */
	CHECK_EQ(r.st_dev, w.st_dev);
	CHECK(r.st_ino != o.st_ino);
}

TEST(pipe_unseekable)
{
	int p[2];
	char c;

	fresh_proc();
	CHECK_OK(rump_sys_pipe(p));
	CHECK_EQ(rump_sys_write(p[1], "ab", 2), 2);
	CHECK_ERR(rump_sys_lseek(p[0], 0, SEEK_CUR), ESPIPE);
	CHECK_ERR(rump_sys_lseek(p[1], 0, SEEK_SET), ESPIPE);
	CHECK_ERR(rump_sys_pread(p[0], &c, 1, 0), ESPIPE);
	CHECK_ERR(rump_sys_pwrite(p[1], &c, 1, 0), ESPIPE);
	CHECK_EQ(rump_sys_read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'a');
}

/* Both descriptors or none: with one slot left pipe fails and leaks none. */
TEST(pipe_emfile)
{
	struct rlimit rl = { 3, 3 };
	int p[2], fd;

	fresh_proc();
	CHECK_OK(rump_sys_setrlimit(RLIMIT_NOFILE, &rl));
	CHECK_OK(rump_sys_pipe(p));		/* 0, 1 */
	CHECK_ERR(rump_sys_pipe(p), EMFILE);	/* only 2 free */
	fd = (int)CHECK_OK(rump_sys_dup(0));
	CHECK_EQ(fd, 2);
}

/* Many pipes made and closed: each close frees its pipe (ASan sees). */
TEST(pipe_many)
{
	int p[2];

	fresh_proc();
	for (int i = 0; i < 2000; i++) {
		CHECK_OK(rump_sys_pipe(p));
		CHECK_EQ(rump_sys_write(p[1], "q", 1), 1);
		CHECK_OK(rump_sys_close(p[i % 2]));
		CHECK_OK(rump_sys_close(p[1 - i % 2]));
	}
	CHECK_OK(rump_sys_pipe(p));
	CHECK_EQ(p[0], 0);
}

/* FIFOs: open rules that never block, data through the FIFO. */
TEST(fifo_open_nonblock)
{
	int r, w, rw;
	char buf[8];

	fresh_proc();
	CHECK_OK(rump_sys_mknod("/f", S_IFIFO | 0644, 0));
	/* No reader: a nonblocking writer fails with ENXIO. */
	CHECK_ERR(rump_sys_open("/f", O_WRONLY | O_NONBLOCK), ENXIO);
	/* A nonblocking reader does not wait for a writer. */
	r = (int)CHECK_OK(rump_sys_open("/f", O_RDONLY | O_NONBLOCK));
	/* No writer yet: EOF, not EAGAIN (as Linux). */
	CHECK_EQ(rump_sys_read(r, buf, sizeof(buf)), 0);
	w = (int)CHECK_OK(rump_sys_open("/f", O_WRONLY | O_NONBLOCK));
	CHECK_EQ(rump_sys_fcntl(w, F_GETFL), O_WRONLY | O_NONBLOCK);
	CHECK_ERR(rump_sys_read(r, buf, sizeof(buf)), EAGAIN);
	CHECK_EQ(rump_sys_write(w, "fifo", 4), 4);
	CHECK_EQ(rump_sys_read(r, buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "fifo", 4) == 0);
	CHECK_ERR(rump_sys_lseek(r, 0, SEEK_SET), ESPIPE);
	CHECK_OK(rump_sys_close(w));
	CHECK_EQ(rump_sys_read(r, buf, sizeof(buf)), 0);
	CHECK_OK(rump_sys_close(r));
	/* O_RDWR never waits, even without O_NONBLOCK. */
	rw = (int)CHECK_OK(rump_sys_open("/f", O_RDWR));
	CHECK_EQ(rump_sys_write(rw, "xy", 2), 2);
	CHECK_EQ(rump_sys_read(rw, buf, sizeof(buf)), 2);
	CHECK_OK(rump_sys_close(rw));
}

/* Data queued in a FIFO is discarded when its last opener closes. */
TEST(fifo_discard_on_last_close)
{
	int rw, r;
	char buf[8];

	fresh_proc();
	CHECK_OK(rump_sys_mknod("/f", S_IFIFO | 0600, 0));
	rw = (int)CHECK_OK(rump_sys_open("/f", O_RDWR));
	CHECK_EQ(rump_sys_write(rw, "lost", 4), 4);
	CHECK_OK(rump_sys_close(rw));
	rw = (int)CHECK_OK(rump_sys_open("/f", O_RDWR | O_NONBLOCK));
	CHECK_ERR(rump_sys_read(rw, buf, sizeof(buf)), EAGAIN);
	/* While one file stays open, the data stays. */
	r = (int)CHECK_OK(rump_sys_open("/f", O_RDONLY | O_NONBLOCK));
	CHECK_EQ(rump_sys_write(rw, "kept", 4), 4);
	CHECK_OK(rump_sys_close(rw));
	CHECK_EQ(rump_sys_read(r, buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "kept", 4) == 0);
}

TEST(fifo_epipe)
{
	int r, w;

	fresh_proc();
	CHECK_OK(rump_sys_mknod("/f", S_IFIFO | 0600, 0));
	r = (int)CHECK_OK(rump_sys_open("/f", O_RDONLY | O_NONBLOCK));
	w = (int)CHECK_OK(rump_sys_open("/f", O_WRONLY));
	CHECK_OK(rump_sys_close(r));
	CHECK_ERR(rump_sys_write(w, "x", 1), EPIPE);
}

TEST(fifo_fstat)
{
	struct stat st, fst;
	int fd;

	fresh_proc();
	CHECK_OK(rump_sys_mknod("/f", S_IFIFO | 0640, 0));
	CHECK_OK(rump_sys_stat("/f", &st));
	fd = (int)CHECK_OK(rump_sys_open("/f", O_RDWR));
	CHECK_EQ(rump_sys_write(fd, "abc", 3), 3);
	CHECK_OK(rump_sys_fstat(fd, &fst));
	CHECK_EQ(fst.st_mode, S_IFIFO | 0640);
	CHECK_EQ(fst.st_ino, st.st_ino);
	CHECK_EQ(fst.st_dev, st.st_dev);
	CHECK_EQ(fst.st_nlink, 1);
	CHECK_EQ(fst.st_size, 0);
}

/* The FIFO's pipe outlives the name: an unlinked FIFO still works. */
TEST(fifo_unlinked)
{
	int r, w;
	char buf[4];

	fresh_proc();
	CHECK_OK(rump_sys_mknod("/f", S_IFIFO | 0600, 0));
	r = (int)CHECK_OK(rump_sys_open("/f", O_RDONLY | O_NONBLOCK));
	w = (int)CHECK_OK(rump_sys_open("/f", O_WRONLY));
	CHECK_OK(rump_sys_unlink("/f"));
	CHECK_EQ(rump_sys_write(w, "ok", 2), 2);
	CHECK_EQ(rump_sys_read(r, buf, sizeof(buf)), 2);
	CHECK_OK(rump_sys_close(w));
	CHECK_OK(rump_sys_close(r));
	/* A new FIFO with the same name is a different pipe. */
	CHECK_OK(rump_sys_mknod("/f", S_IFIFO | 0600, 0));
	r = (int)CHECK_OK(rump_sys_open("/f", O_RDONLY | O_NONBLOCK));
	CHECK_EQ(rump_sys_read(r, buf, sizeof(buf)), 0);
}
