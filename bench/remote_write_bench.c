/*
 * remote_write_bench.c: bulk data through the wire.  1 MiB writes to a
 * tmpfs file through librumpclient (the data travels in the request and
 * is copied into the file), against a bare stream of 1 MiB chunks over a
 * unix socketpair to another process.  Ratio: rump throughput / bare
 * throughput.
 */
#include <fcntl.h>

#include <rump/rumpclient.h>

#include "remote_bench.h"

#define RW_FILE_MIB 16		/* the file is rewritten in place */

static char *rw_buf;
static int rw_fd;

/* iters writes of 1 MiB, cycling over the file's first 16 MiB. */
static int
rump_write_loop(void *arg, long iters)
{
	for (long i = 0; i < iters; i++)
		if (rump_sys_pwrite(rw_fd, rw_buf, RB_CHUNK,
		    (off_t)(i % RW_FILE_MIB) * RB_CHUNK) != RB_CHUNK)
			return errno ? errno : EIO;
	return 0;
}

int
main(void)
{
	struct rb_server srv;
	struct rb_peer peer;
	double rm, bm;

	rb_peer_start(&peer, "remote_write");
	rb_server_start(&srv, "remote_write");
	if (rumpclient_init() != 0)
		bench_fail("remote_write", "rumpclient_init: %s",
		    strerror(errno));
	if ((rw_buf = malloc(RB_CHUNK)) == NULL)
		bench_fail("remote_write", "out of memory");
	memset(rw_buf, 'w', RB_CHUNK);
	if ((rw_fd = rump_sys_open("/remote_write_bench", O_CREAT | O_RDWR,
	    0644)) < 0)
		bench_fail("remote_write", "open: %s", strerror(errno));
	rb_medians("remote_write", rump_write_loop, NULL, rb_stream, &peer,
	    (long)(128 * bench_scale()), 11, &rm, &bm);
	/* ns per MiB -> MiB/s */
	rb_report("remote_write", 1e9 / rm, 1e9 / bm, "MiB/s", bm / rm, ">=",
	    0.5);
	rump_sys_close(rw_fd);
	rb_server_stop(&srv);
	rb_peer_stop(&peer);
	return 0;
}
