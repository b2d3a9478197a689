/*
 * pread_bench.c: 4 KiB reads from a file in memory: rump_sys_pread from a
 * tmpfs file against the host's pread from a file in /dev/shm (the host's
 * tmpfs).  Both files hold the same 256 KiB; reads walk through them.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>

#include "benchlib.h"

#define FILESIZE (256 * 1024)
#define BLOCK	 4096

struct pread_ctx {
	int	rump_fd;
	int	host_fd;
	char	buf[BLOCK];
};

/* iters reads of one block from fd, walking through the file. */
static int
pread_loop(ssize_t (*readfn)(int, void *, size_t, off_t), int fd, char *buf,
    long iters)
{
	for (long i = 0; i < iters; i++) {
		off_t off = (off_t)((i * BLOCK) % FILESIZE);

		if (readfn(fd, buf, BLOCK, off) != BLOCK)
			return errno ? errno : EIO;
	}
	return 0;
}

static int
rump_pread_loop(void *arg, long iters)
{
	struct pread_ctx *c = arg;

	return pread_loop(rump_sys_pread, c->rump_fd, c->buf, iters);
}

static int
host_pread_loop(void *arg, long iters)
{
	struct pread_ctx *c = arg;

	return pread_loop(pread, c->host_fd, c->buf, iters);
}

/* Fill both files with the same bytes. */
static void
fill(struct pread_ctx *c)
{
	for (int i = 0; i < FILESIZE / BLOCK; i++) {
		memset(c->buf, 'a' + i % 26, BLOCK);
		if (rump_sys_write(c->rump_fd, c->buf, BLOCK) != BLOCK)
			bench_fail("pread", "rump write: %s", strerror(errno));
		if (write(c->host_fd, c->buf, BLOCK) != BLOCK)
			bench_fail("pread", "host write: %s", strerror(errno));
	}
}

int
main(void)
{
	static struct pread_ctx c;
	char hostpath[] = "/dev/shm/rump_pread_bench.XXXXXX";
	int error;

	if ((error = rump_init()) != 0)
		bench_fail("pread", "rump_init: %s", strerror(error));
	c.rump_fd = rump_sys_open("/pread_bench", O_RDWR | O_CREAT | O_TRUNC,
	    0644);
	if (c.rump_fd < 0)
		bench_fail("pread", "rump open: %s", strerror(errno));
	c.host_fd = mkstemp(hostpath);
	if (c.host_fd < 0)
		bench_fail("pread", "host mkstemp: %s", strerror(errno));
	unlink(hostpath);
	fill(&c);
	bench_compare("pread_4KiB", rump_pread_loop, host_pread_loop, &c,
	    (long)(200000 * bench_scale()), 11, 1.0);
	close(c.host_fd);
	rump_sys_close(c.rump_fd);
	rump_sys_unlink("/pread_bench");
	return 0;
}
