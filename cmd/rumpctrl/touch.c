/*
 * touch.c: rump.touch, set file times, creating files.
 *
 *	rump.touch [-acm] [-d DATE] FILE...
 *
 * DATE: "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" (or with a T), host local
 * time; or "@SECONDS" since the epoch.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

/* Parse -d DATE into t; 0 or EINVAL. */
static int
touch_date(const char *s, struct timespec *t)
{
	static const char *const fmts[] = {
		"%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
		"%Y-%m-%dT%H:%M", "%Y-%m-%d",
	};
	struct tm tm;
	uint64_t secs;
	size_t i;
	char *end;

	if (s[0] == '@') {
		if (ctl_parse_uint(s + 1, INT64_MAX, &secs) != 0)
			return EINVAL;
		t->tv_sec = (time_t)secs;
		t->tv_nsec = 0;
		return 0;
	}
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, fmts[i], &tm);
		if (end == NULL || *end != '\0')
			continue;
		tm.tm_isdst = -1;
		t->tv_sec = mktime(&tm);
		t->tv_nsec = 0;
		return 0;
	}
	return EINVAL;
}

/* Touch one file: set its times, or create it. */
static int
touch_one(const char *path, const struct timespec *ts, int nocreate)
{
	int fd;

	if (rump_sys_utimensat(AT_FDCWD, path, ts, 0) == 0)
		return CTL_OK;
	if (errno != ENOENT || nocreate) {
		if (errno == ENOENT)
			return CTL_OK;
		ctl_warn("%s", path);
		return CTL_ERR;
	}
	if ((fd = rump_sys_open(path, O_WRONLY | O_CREAT, 0666)) < 0) {
		ctl_warn("%s", path);
		return CTL_ERR;
	}
	if (rump_sys_utimensat(fd, NULL, ts, 0) != 0) {
		ctl_warn("%s", path);
		rump_sys_close(fd);
		return CTL_ERR;
	}
	rump_sys_close(fd);
	return CTL_OK;
}

/* rump.touch: options, connect, touch each operand. */
int
ctl_touch_main(int argc, char **argv)
{
	struct timespec ts[2], when = { 0, UTIME_NOW };
	int ch, nocreate = 0, aonly = 0, monly = 0, rv = CTL_OK;

	while ((ch = ctl_getopt(argc, argv, "acmd:")) != -1) {
		switch (ch) {
		case 'a': aonly = 1; break;
		case 'c': nocreate = 1; break;
		case 'm': monly = 1; break;
		case 'd':
			if (touch_date(optarg, &when) != 0) {
				ctl_warnx("invalid date '%s'", optarg);
				return CTL_USAGE;
			}
			break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return ctl_usage();
	ts[0] = ts[1] = when;
	if (aonly && !monly)
		ts[1].tv_nsec = UTIME_OMIT;
	if (monly && !aonly)
		ts[0].tv_nsec = UTIME_OMIT;
	ctl_connect();
	for (int i = 0; i < argc; i++)
		rv |= touch_one(argv[i], ts, nocreate);
	return rv;
}
