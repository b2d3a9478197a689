/*
 * files_bench.c: many small files in one directory.  One operation is a
 * file's share of: create, write 4 KiB and close 10,000 files in one
 * directory, then unlink them all (so lookups run in a large directory).
 * rump's tmpfs against the host's /dev/shm.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>

#include "benchlib.h"

#define NFILES	10000
#define BLOCK	4096

/* The calls one side makes: rump_sys_* and libc have the same types. */
struct files_ops {
	int	(*open)(const char *, int, ...);
	ssize_t	(*write)(int, const void *, size_t);
	int	(*close)(int);
	int	(*unlink)(const char *);
	const char *dir;
};

struct files_ctx {
	struct files_ops rump, host;
	char	rump_dir[64];
	char	host_dir[64];
	long	host_made;	/* host files that may exist, for cleanup */
	char	buf[BLOCK];
};

static struct files_ctx ctx;

/* Create, fill and close nfiles files in o->dir, then unlink them. */
static int
files_loop(const struct files_ops *o, const char *buf, long nfiles)
{
	char path[128];
	int fd;

	for (long i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", o->dir, i);
		fd = o->open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return errno;
		if (o->write(fd, buf, BLOCK) != BLOCK)
			return errno ? errno : EIO;
		if (o->close(fd) != 0)
			return errno;
	}
	for (long i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", o->dir, i);
		if (o->unlink(path) != 0)
			return errno;
	}
	return 0;
}

static int
rump_files_loop(void *arg, long nfiles)
{
	struct files_ctx *c = arg;

	return files_loop(&c->rump, c->buf, nfiles);
}

static int
host_files_loop(void *arg, long nfiles)
{
	struct files_ctx *c = arg;

	c->host_made = nfiles;
	return files_loop(&c->host, c->buf, nfiles);
}

/* Remove what the host side left in /dev/shm, even after a failure. */
static void
host_cleanup(void)
{
	char path[128];

	if (ctx.host_dir[0] == '\0')
		return;
	for (long i = 0; i < ctx.host_made; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", ctx.host_dir, i);
		unlink(path);
	}
	rmdir(ctx.host_dir);
}

int
main(void)
{
	long n = (long)(NFILES * bench_scale());
	int error;

	if ((error = rump_init()) != 0)
		bench_fail("files", "rump_init: %s", strerror(error));
	snprintf(ctx.rump_dir, sizeof(ctx.rump_dir), "/files_bench");
	if (rump_sys_mkdir(ctx.rump_dir, 0755) != 0)
		bench_fail("files", "rump mkdir: %s", strerror(errno));
	snprintf(ctx.host_dir, sizeof(ctx.host_dir),
	    "/dev/shm/rump_files_bench.XXXXXX");
	if (mkdtemp(ctx.host_dir) == NULL) {
		ctx.host_dir[0] = '\0';
		bench_fail("files", "host mkdtemp: %s", strerror(errno));
	}
	atexit(host_cleanup);
	ctx.rump = (struct files_ops){ rump_sys_open, rump_sys_write,
	    rump_sys_close, rump_sys_unlink, ctx.rump_dir };
	ctx.host = (struct files_ops){ open, write, close, unlink,
	    ctx.host_dir };
	memset(ctx.buf, 'x', sizeof(ctx.buf));
	bench_compare("files_10000", rump_files_loop,
	    host_files_loop, &ctx, n, 5, 1.0);
	rump_sys_rmdir(ctx.rump_dir);
	return 0;
}
