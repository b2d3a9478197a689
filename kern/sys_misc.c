/*
 * sys_misc.c: small system calls about the system as a whole: uname,
 * reboot and clock_gettime.
 */
#include "kern.h"
#include "kern_init.h"
#include "proc.h"
#include "sysctl.h"
#include "sysproto.h"

/* Linux clock ids (clock_gettime(2)). */
#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7

/* Copy the string node name into a uname field (KUTS_LEN bytes). */
static int
uname_field(const char *name, char *field)
{
	size_t len = KUTS_LEN;
	int error;

	error = sysctl_kread(name, field, &len);
	field[KUTS_LEN - 1] = '\0';
	/* A longer value is cut (the kern.* strings are made to fit). */
	return error == ENOMEM ? 0 : error;
}

/* Fill buf from the kern.* and hw.* nodes (doc/sysctl.md). */
int
sys_uname(struct lwp *l, struct kutsname *buf, register_t *retval)
{
	int error;

	if (buf == NULL)
		return EFAULT;
	memset(buf, 0, sizeof(*buf));
	error = uname_field("kern.ostype", buf->sysname);
	if (error == 0)
		error = uname_field("kern.hostname", buf->nodename);
	if (error == 0)
		error = uname_field("kern.osrelease", buf->release);
	if (error == 0)
		error = uname_field("kern.version", buf->version);
	if (error == 0)
		error = uname_field("hw.machine", buf->machine);
	if (error == 0)
		error = uname_field("kern.domainname", buf->domainname);
	*retval = 0;
	return error;
}

/*
 * Halt or "reboot" the kernel: kern_halt() syncs the file systems, marks
 * the kernel halted and tells the host side (kern_halt_hook: the server
 * stops serving).  Only root may; the Ctrl-Alt-Del switches are accepted
 * and do nothing.
 */
int
sys_reboot(struct lwp *l, int cmd, register_t *retval)
{
	struct cred *cr;
	int root;

	cr = proc_cred(l->l_proc);
	root = cred_is_root(cr);
	cred_release(cr);
	/* Linux checks the privilege before the command. */
	if (!root)
		return EPERM;
	*retval = 0;
	switch (cmd) {
	case RB_AUTOBOOT:
	case RB_HALT_SYSTEM:
	case RB_POWER_OFF:
		kern_halt(cmd);
		return 0;
	case RB_ENABLE_CAD:
	case RB_DISABLE_CAD:
		return 0;
	default:
		return EINVAL;
	}
}

/* Read clock clk into tp; the monotonic clocks count from boot. */
int
sys_clock_gettime(struct lwp *l, clockid_t clk, struct ktimespec *tp,
    register_t *retval)
{
	int64_t ns;

	/* We don't trust clk: unknown clocks are EINVAL, as on Linux. */
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		if (tp == NULL)
			return EFAULT;
		ktime_now(tp);
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		if (tp == NULL)
			return EFAULT;
		ns = ktime_uptime_ns();
		tp->tv_sec = ns / 1000000000;
		tp->tv_nsec = ns % 1000000000;
		break;
	default:
		return EINVAL;
	}
	*retval = 0;
	return 0;
}
