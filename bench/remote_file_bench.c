/*
 * remote_file_bench.c: open, read 4 KiB and close a tmpfs file through
 * librumpclient (three round trips), against one bare 32-byte ping-pong
 * over a unix socketpair.
 */
#include <fcntl.h>

#include <rump/rumpclient.h>

#include "remote_bench.h"

#define RF_PATH "/remote_file_bench"

static char rf_buf[4096];

/* iters times open + read 4 KiB + close. */
static int
rump_file_loop(void *arg, long iters)
{
	for (long i = 0; i < iters; i++) {
		int fd = rump_sys_open(RF_PATH, O_RDONLY);

		if (fd < 0)
			return errno;
		if (rump_sys_read(fd, rf_buf, sizeof(rf_buf)) !=
		    (ssize_t)sizeof(rf_buf))
			return errno ? errno : EIO;
		if (rump_sys_close(fd) != 0)
			return errno;
	}
	return 0;
}

int
main(void)
{
	struct rb_server srv;
	struct rb_peer peer;
	double rm, bm;
	int fd;

	rb_peer_start(&peer, "remote_file");
	rb_server_start(&srv, "remote_file");
	if (rumpclient_init() != 0)
		bench_fail("remote_file", "rumpclient_init: %s",
		    strerror(errno));
	memset(rf_buf, 'f', sizeof(rf_buf));
	if ((fd = rump_sys_open(RF_PATH, O_CREAT | O_WRONLY, 0644)) < 0 ||
	    rump_sys_write(fd, rf_buf, sizeof(rf_buf)) != sizeof(rf_buf) ||
	    rump_sys_close(fd) != 0)
		bench_fail("remote_file", "creating the file: %s",
		    strerror(errno));
	rb_medians("remote_file", rump_file_loop, NULL, rb_pingpong, &peer,
	    (long)(5000 * bench_scale()), 11, &rm, &bm);
	rb_report("remote_file", rm, bm, "ns/op", rm / bm, "<=", 3.0);
	rb_server_stop(&srv);
	rb_peer_stop(&peer);
	return 0;
}
