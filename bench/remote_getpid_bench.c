/*
 * remote_getpid_bench.c: the round trip of a remote system call.
 * rump_sys_getpid through librumpclient to a rump_server on a unix socket
 * (one request frame, one reply frame), against the least two processes
 * can do: a bare 32-byte ping-pong over a unix socketpair.
 */
#include <rump/rumpclient.h>

#include "remote_bench.h"

static volatile pid_t sink;

/* iters remote getpid calls. */
static int
rump_getpid_loop(void *arg, long iters)
{
	for (long i = 0; i < iters; i++)
		sink = rump_sys_getpid();
	return sink > 0 ? 0 : errno;
}

int
main(void)
{
	struct rb_server srv;
	struct rb_peer peer;
	double rm, bm;

	rb_peer_start(&peer, "remote_getpid");
	rb_server_start(&srv, "remote_getpid");
	if (rumpclient_init() != 0)
		bench_fail("remote_getpid", "rumpclient_init: %s",
		    strerror(errno));
	rb_medians("remote_getpid", rump_getpid_loop, NULL, rb_pingpong,
	    &peer, (long)(20000 * bench_scale()), 11, &rm, &bm);
	rb_report("remote_getpid", rm, bm, "ns/op", rm / bm, "<=", 1.0);
	rb_server_stop(&srv);
	rb_peer_stop(&peer);
	return 0;
}
