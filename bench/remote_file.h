/*
 * remote_file.h: the file workload of remote_file_bench and
 * remote_busypoll_bench: open, read 4 KiB and close a tmpfs file through
 * librumpclient, three calls each time.
 */
#ifndef BENCH_REMOTE_FILE_H
#define BENCH_REMOTE_FILE_H

#include <fcntl.h>

#include <rump/rumpclient.h>

#include "remote_bench.h"

#define RF_PATH "/remote_file_bench"

static char rf_buf[4096];

/* Create the 4 KiB file.  Exits through bench_fail when it cannot. */
static inline void
rf_setup(const char *name)
{
	int fd;

	memset(rf_buf, 'f', sizeof(rf_buf));
	if ((fd = rump_sys_open(RF_PATH, O_CREAT | O_WRONLY, 0644)) < 0 ||
	    rump_sys_write(fd, rf_buf, sizeof(rf_buf)) != sizeof(rf_buf) ||
	    rump_sys_close(fd) != 0)
		bench_fail(name, "creating the file: %s", strerror(errno));
}

/* bench_fn: iters times open + read 4 KiB + close. */
static inline int
rf_loop(void *arg, long iters)
{
	(void)arg;
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

/* Measure rf_loop against one ping-pong and print the result line. */
static inline void
rf_bench(const char *name)
{
	struct rb_server srv;
	struct rb_peer peer;
	double rm, bm;

	rb_peer_start(&peer, name);
	rb_server_start(&srv, name);
	if (rumpclient_init() != 0)
		bench_fail(name, "rumpclient_init: %s", strerror(errno));
	rf_setup(name);
	rb_medians(name, rf_loop, NULL, rb_pingpong, &peer,
	    (long)(5000 * bench_scale()), 11, &rm, &bm);
	rb_report(name, rm, bm, "ns/op", rm / bm, "<=", 3.0);
	rb_server_stop(&srv);
	rb_peer_stop(&peer);
}

#endif /* BENCH_REMOTE_FILE_H */
