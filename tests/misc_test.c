/*
 * misc_test.c: uname, reboot and clock_gettime.
 */
#include <stdint.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <time.h>

#include <rump/rump.h>

#include "testlib.h"

TEST(uname_fields)
{
	struct utsname u;

	CHECK_EQ(rump_init(), 0);
	memset(&u, 0x5a, sizeof(u));
	CHECK_OK(rump_sys_uname(&u));
	CHECK_STR(u.sysname, "Linux");
	CHECK_STR(u.nodename, "rump");
	CHECK_STR(u.release, "6.1.0-rump");
	CHECK_STR(u.version, "#1 rump kernel");
	CHECK_STR(u.machine, "x86_64");
	CHECK_STR(u.domainname, "(none)");
	CHECK_ERR(rump_sys_uname(NULL), EFAULT);
}

TEST(uname_follows_sysctl)
{
	struct utsname u;

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_sysctlbyname("kern.hostname", NULL, NULL, "node7",
	    6));
	CHECK_OK(rump_sys_sysctlbyname("kern.domainname", NULL, NULL,
	    "lan", 4));
	CHECK_OK(rump_sys_uname(&u));
	CHECK_STR(u.nodename, "node7");
	CHECK_STR(u.domainname, "lan");
	CHECK_STR(u.sysname, "Linux");
}

TEST(reboot_needs_root)
{
	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	CHECK_OK(rump_sys_setuid(1000));
	/* Linux checks the privilege before the command. */
	CHECK_ERR(rump_sys_reboot(RB_HALT_SYSTEM), EPERM);
	CHECK_ERR(rump_sys_reboot(RB_AUTOBOOT), EPERM);
	CHECK_ERR(rump_sys_reboot(12345), EPERM);
	CHECK_ERR(rump_sys_reboot(RB_DISABLE_CAD), EPERM);
}

TEST(reboot_bad_command)
{
	CHECK_EQ(rump_init(), 0);
	CHECK_ERR(rump_sys_reboot(12345), EINVAL);
	CHECK_ERR(rump_sys_reboot(-1), EINVAL);
	/* Ctrl-Alt-Del switches: accepted, no effect. */
	CHECK_OK(rump_sys_reboot(RB_ENABLE_CAD));
	CHECK_OK(rump_sys_reboot(RB_DISABLE_CAD));
}

TEST(reboot_halts)
{
	struct utsname u;

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_uname(&u));
	CHECK_EQ(rump_sys_reboot(RB_HALT_SYSTEM), 0);
}

/* Nanoseconds of a timespec. */
static int64_t
ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

TEST(clock_monotonic_increases)
{
	static const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_BOOTTIME };

	CHECK_EQ(rump_init(), 0);
	for (size_t c = 0; c < sizeof(clocks) / sizeof(clocks[0]); c++) {
		struct timespec a, b;
		long i;

		CHECK_OK(rump_sys_clock_gettime(clocks[c], &a));
		CHECK(a.tv_sec >= 0);
		CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
		/* Never backwards, and it does move on. */
		for (i = 0; i < 100000000; i++) {
			CHECK_OK(rump_sys_clock_gettime(clocks[c], &b));
			CHECK(b.tv_nsec >= 0 && b.tv_nsec < 1000000000);
			if (ts_ns(&b) < ts_ns(&a)) {
				TFAIL("clock %d went backwards", clocks[c]);
				break;
			}
			if (ts_ns(&b) > ts_ns(&a))
				break;
		}
		CHECK(ts_ns(&b) > ts_ns(&a));
	}
}

TEST(clock_realtime_is_host_time)
{
	struct timespec before, rt, after;
	struct ktimespec bt;
	size_t len = sizeof(bt);

	CHECK_EQ(rump_init(), 0);
	clock_gettime(CLOCK_REALTIME, &before);
	CHECK_OK(rump_sys_clock_gettime(CLOCK_REALTIME, &rt));
	clock_gettime(CLOCK_REALTIME, &after);
	CHECK(ts_ns(&before) <= ts_ns(&rt));
	CHECK(ts_ns(&rt) <= ts_ns(&after));
	/* Booted before now. */
	CHECK_OK(rump_sys_sysctlbyname("kern.boottime", &bt, &len, NULL, 0));
	CHECK(bt.tv_sec * 1000000000 + bt.tv_nsec <= ts_ns(&rt));
}

TEST(clock_bad_clock)
{
	struct timespec ts;

	CHECK_EQ(rump_init(), 0);
	CHECK_ERR(rump_sys_clock_gettime(100, &ts), EINVAL);
	CHECK_ERR(rump_sys_clock_gettime(-1, &ts), EINVAL);
	CHECK_ERR(rump_sys_clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts),
	    EINVAL);
	CHECK_ERR(rump_sys_clock_gettime(CLOCK_MONOTONIC, NULL), EFAULT);
	CHECK_ERR(rump_sys_clock_gettime(CLOCK_REALTIME, NULL), EFAULT);
}
