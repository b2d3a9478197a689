/*
 * getpid_bench.c: the cost of a local system call.  rump_sys_getpid is a
 * function call into the kernel in this process; the host's getpid is a
 * real system call (syscall(SYS_getpid), so no libc caching).
 */
#include <sys/syscall.h>
#include <unistd.h>

#include <rump/rump.h>

#include "benchlib.h"

static volatile pid_t sink;

/* iters local calls. */
static int
rump_getpid_loop(void *arg, long iters)
{
	for (long i = 0; i < iters; i++)
		sink = rump_sys_getpid();
	return sink > 0 ? 0 : EINVAL;
}

/* iters host system calls. */
static int
host_getpid_loop(void *arg, long iters)
{
	for (long i = 0; i < iters; i++)
		sink = (pid_t)syscall(SYS_getpid);
	return sink > 0 ? 0 : EINVAL;
}

int
main(void)
{
	int error = rump_init();

	if (error != 0)
		bench_fail("getpid", "rump_init: %s", strerror(error));
	bench_compare("getpid", rump_getpid_loop, host_getpid_loop, NULL,
	    (long)(1000000 * bench_scale()), 11, 0.2);
	return 0;
}
