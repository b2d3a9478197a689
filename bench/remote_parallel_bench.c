/*
 * remote_parallel_bench.c: does the server use more than one CPU?  Remote
 * getpid calls per second with 16 client processes calling at once (each
 * its own connection, so its own kernel process and server thread),
 * against one client alone.  Ratio: throughput with 16 / with 1; on two
 * CPUs at least 1.6 is expected.
 */
#include <rump/rumpclient.h>

#include "remote_bench.h"

#define RP_CLIENTS 16

/* A client process: told how many calls to make on its pipe, answers one
 * byte on the other when they are done. */
struct rp_client {
	pid_t	pid;
	int	cmd, done;
};

static struct rp_client rp_clients[RP_CLIENTS];

/* The client's side: connect, then serve commands until EOF. */
static void __attribute__((noreturn))
rp_client_main(int cmd, int done)
{
	long n;
	char ok = 1;

	if (rumpclient_init() != 0)
		_exit(1);
	while (rb_io(cmd, &n, sizeof(n), 0) == 0) {
		for (long i = 0; i < n; i++)
			if (rump_sys_getpid() <= 0)
				ok = 0;
		if (rb_io(done, &ok, 1, 1) != 0)
			_exit(1);
	}
	_exit(0);
}

/* Fork the client processes (before this process connects). */
static void
rp_clients_start(void)
{
	for (int i = 0; i < RP_CLIENTS; i++) {
		int c[2], d[2];

		if (pipe(c) != 0 || pipe(d) != 0)
			bench_fail("remote_parallel", "pipe: %s",
			    strerror(errno));
		fflush(NULL);
		if ((rp_clients[i].pid = fork()) < 0)
			bench_fail("remote_parallel", "fork: %s",
			    strerror(errno));
		if (rp_clients[i].pid == 0) {
			/* Only the parent may hold the other clients'
			 * pipes, or they would never see EOF. */
			for (int j = 0; j < i; j++) {
				close(rp_clients[j].cmd);
				close(rp_clients[j].done);
			}
			close(c[1]);
			close(d[0]);
			rp_client_main(c[0], d[1]);
		}
		close(c[0]);
		close(d[1]);
		rp_clients[i].cmd = c[1];
		rp_clients[i].done = d[0];
	}
}

/* Run iters calls spread over the first n clients, all at once. */
static int
rp_run(int n, long iters)
{
	long each = iters / n;
	int error = 0;
	char ok;

	for (int i = 0; i < n && error == 0; i++)
		error = rb_io(rp_clients[i].cmd, &each, sizeof(each), 1);
	for (int i = 0; i < n && error == 0; i++)
		if ((error = rb_io(rp_clients[i].done, &ok, 1, 0)) == 0 &&
		    !ok)
			error = EIO;
	return error;
}

/* bench_fn: iters calls by 16 clients at once. */
static int
rp_many(void *arg, long iters)
{
	return rp_run(RP_CLIENTS, iters);
}

/* bench_fn: iters calls by a single client. */
static int
rp_one(void *arg, long iters)
{
	return rp_run(1, iters);
}

int
main(void)
{
	struct rb_server srv;
	double rm, bm;

	rb_server_start(&srv, "remote_parallel");
	rp_clients_start();
	rb_medians("remote_parallel", rp_many, NULL, rp_one, NULL,
	    (long)(RP_CLIENTS * 2000 * bench_scale()), 9, &rm, &bm);
	/* ns per call -> calls per second */
	rb_report("remote_parallel", 1e9 / rm, 1e9 / bm, "calls/s", bm / rm,
	    ">=", 1.6);
	for (int i = 0; i < RP_CLIENTS; i++) {
		close(rp_clients[i].cmd);
		waitpid(rp_clients[i].pid, NULL, 0);
	}
	rb_server_stop(&srv);
	return 0;
}
