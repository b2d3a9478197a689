/*
 * kern_subr.c: console messages, panics and time for the kernel.
 */
#include "kern.h"

struct ktimespec kern_boottime;
static int64_t kern_boot_mono_ns;

/* Print a kernel message on the host console. */
void
kprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	hyp_console_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

/* Stop on a broken kernel invariant. */
_Noreturn void
kpanic(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	hyp_panic(buf);
}

/* Record the boot time; called once by kern_boot(). */
void
ktime_boot(void)
{
	ktime_now(&kern_boottime);
	kern_boot_mono_ns = hyp_clock_monotonic_ns();
}

void
ktime_now(struct ktimespec *ts)
{
	int64_t ns = hyp_clock_realtime_ns();

	ts->tv_sec = ns / 1000000000;
	ts->tv_nsec = ns % 1000000000;
}

int64_t
ktime_uptime_ns(void)
{
	return hyp_clock_monotonic_ns() - kern_boot_mono_ns;
}
