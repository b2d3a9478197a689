/*
 * remote_busypoll_bench.c: the remote_file workload with
 * RUMPCLIENT_BUSYPOLL=50: the client waits for each reply awake for up to
 * 50 microseconds before it sleeps.  Against the same bare ping-pong,
 * whose ends sleep; the figure shows what a client that trades CPU time
 * for latency gets.
 */
#include "remote_file.h"

int
main(void)
{
	setenv("RUMPCLIENT_BUSYPOLL", "50", 1);
	rf_bench("remote_file_busypoll");
	return 0;
}
