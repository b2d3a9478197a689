/*
 * ps.c: rump.ps, list the kernel's processes (getprocs(2)).
 */
#include <errno.h>
#include <stdio.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

#define PS_BATCH	64

/* One line per process, in pid order, fetched PS_BATCH at a time. */
int
ctl_ps_main(int argc, char **argv)
{
	struct kprocinfo pi[PS_BATCH];
	pid_t after = 0;
	int ch, n, i;

	while ((ch = ctl_getopt(argc, argv, "")) != -1)
		return ctl_usage();
	if (optind != argc)
		return ctl_usage();
	ctl_connect();
	printf("%5s %5s %5s %4s %4s %s\n", "PID", "PPID", "UID", "NLWP",
	    "NFD", "COMMAND");
	do {
		if ((n = rump_sys_getprocs(after, pi, PS_BATCH)) < 0) {
			ctl_warn("getprocs");
			return CTL_ERR;
		}
		/* Trust the count only as far as our buffer goes. */
		if (n > PS_BATCH)
			n = PS_BATCH;
		for (i = 0; i < n; i++) {
			/* Pids must rise, or we would never finish. */
			if (pi[i].pi_pid <= after) {
				ctl_warnx("getprocs: pids out of order");
				return CTL_ERR;
			}
			pi[i].pi_comm[sizeof(pi[i].pi_comm) - 1] = '\0';
			printf("%5d %5d %5u %4d %4d %s\n", (int)pi[i].pi_pid,
			    (int)pi[i].pi_ppid, (unsigned)pi[i].pi_uid,
			    (int)pi[i].pi_nlwps, (int)pi[i].pi_nfds,
			    pi[i].pi_comm);
			after = pi[i].pi_pid;
		}
	} while (n == PS_BATCH);
	return CTL_OK;
}
