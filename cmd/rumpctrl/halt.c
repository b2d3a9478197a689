/*
 * halt.c: rump.halt, halt the kernel: sync its file systems and stop the
 * server (reboot(2) with the Linux command RB_HALT_SYSTEM).
 */
#include <errno.h>
#include <sys/reboot.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

/*
 * The server may go away before its reply reaches us; a connection lost
 * during the call means the halt happened.
 */
static int
halt_gone(int err)
{
	return err == ENOTCONN || err == ECONNRESET || err == EPIPE ||
	    err == ESHUTDOWN;
}

/* rump.halt: reboot(2) with the halt (or -p power-off) command. */
int
ctl_halt_main(int argc, char **argv)
{
	int ch, cmd = RB_HALT_SYSTEM;

	while ((ch = ctl_getopt(argc, argv, "p")) != -1) {
		switch (ch) {
		case 'p': cmd = RB_POWER_OFF; break;
		default: return ctl_usage();
		}
	}
	if (optind != argc)
		return ctl_usage();
	ctl_connect();
	if (rump_sys_reboot(cmd) != 0 && !halt_gone(errno)) {
		ctl_warn("reboot");
		return CTL_ERR;
	}
	return CTL_OK;
}
