/*
 * remote_file_bench.c: open, read 4 KiB and close a tmpfs file through
 * librumpclient (three round trips), against one bare 32-byte ping-pong
 * over a unix socketpair.  The client sleeps while it waits for a reply,
 * as the ping-pong's ends do.
 */
#include "remote_file.h"

int
main(void)
{
	unsetenv("RUMPCLIENT_BUSYPOLL");
	rf_bench("remote_file");
	return 0;
}
