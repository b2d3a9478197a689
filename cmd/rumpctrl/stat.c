/*
 * stat.c: rump.stat, show a kernel file's status.
 *
 *	rump.stat [-L] [-c FORMAT] FILE...
 *
 * The default output is stat(1)'s, except that uid and gid are shown as
 * numbers only (the kernel has no user database) and there is no birth
 * time.  FORMAT knows %n %N %s %b %o %a %A %F %u %g %h %i %d %x %y %z
 * %X %Y %Z %%, and \n \t escapes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

/* stat(1)'s %F. */
static const char *
stat_type(const struct stat *st)
{
	switch (st->st_mode & S_IFMT) {
	case S_IFREG:
		return st->st_size == 0 ? "regular empty file" :
		    "regular file";
	case S_IFDIR:  return "directory";
	case S_IFLNK:  return "symbolic link";
	case S_IFIFO:  return "fifo";
	case S_IFSOCK: return "socket";
	case S_IFCHR:  return "character special file";
	case S_IFBLK:  return "block special file";
	default:       return "weird file";
	}
}

/* "2024-01-02 10:00:00.000000000 +0000" in host local time. */
static void
stat_time(const struct timespec *ts, char *buf, size_t len)
{
	char date[64], zone[16];
	struct tm tm;
	time_t t = ts->tv_sec;

	if (localtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "%lld", (long long)t);
		return;
	}
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	snprintf(buf, len, "%s.%09ld %s", date, (long)ts->tv_nsec, zone);
}

/* The name, with " -> target" for a link (%N). */
static void
stat_name(const char *path, const struct stat *st)
{
	char target[4096];
	ssize_t n;

	fputs(path, stdout);
	if (S_ISLNK(st->st_mode) &&
	    (n = rump_sys_readlink(path, target, sizeof(target) - 1)) >= 0) {
		target[n] = '\0';
		printf(" -> %s", target);
	}
}

/* One directive of -c FORMAT. */
static void
stat_directive(char c, const char *path, const struct stat *st)
{
	char buf[128];

	switch (c) {
	case 'n': fputs(path, stdout); break;
	case 'N': stat_name(path, st); break;
	case 's': printf("%lld", (long long)st->st_size); break;
	case 'b': printf("%lld", (long long)st->st_blocks); break;
	case 'o': printf("%ld", (long)st->st_blksize); break;
	case 'a': printf("%o", (unsigned)(st->st_mode & 07777)); break;
	case 'A': ctl_mode_string(st->st_mode, buf); fputs(buf, stdout); break;
	case 'F': fputs(stat_type(st), stdout); break;
	case 'u': printf("%u", (unsigned)st->st_uid); break;
	case 'g': printf("%u", (unsigned)st->st_gid); break;
	case 'h': printf("%lu", (unsigned long)st->st_nlink); break;
	case 'i': printf("%lu", (unsigned long)st->st_ino); break;
	case 'd': printf("%lu", (unsigned long)st->st_dev); break;
	case 'x': stat_time(&st->st_atim, buf, sizeof(buf)); break;
	case 'y': stat_time(&st->st_mtim, buf, sizeof(buf)); break;
	case 'z': stat_time(&st->st_ctim, buf, sizeof(buf)); break;
	case 'X': printf("%lld", (long long)st->st_atim.tv_sec); break;
	case 'Y': printf("%lld", (long long)st->st_mtim.tv_sec); break;
	case 'Z': printf("%lld", (long long)st->st_ctim.tv_sec); break;
	case '%': putchar('%'); break;
	default: printf("?%c", c); break;
	}
	if (c == 'x' || c == 'y' || c == 'z')
		fputs(buf, stdout);
}

/* -c FORMAT, followed by a newline. */
static void
stat_format(const char *fmt, const char *path, const struct stat *st)
{
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p == '%' && p[1] != '\0')
			stat_directive(*++p, path, st);
		else if (*p == '\\' && p[1] == 'n' && ++p)
			putchar('\n');
		else if (*p == '\\' && p[1] == 't' && ++p)
			putchar('\t');
		else
			putchar(*p);
	}
	putchar('\n');
}

/* stat(1)'s default output. */
static void
stat_default(const char *path, const struct stat *st)
{
	char mode[11], t[3][96];

	ctl_mode_string(st->st_mode, mode);
	stat_time(&st->st_atim, t[0], sizeof(t[0]));
	stat_time(&st->st_mtim, t[1], sizeof(t[1]));
	stat_time(&st->st_ctim, t[2], sizeof(t[2]));
	fputs("  File: ", stdout);
	stat_name(path, st);
	printf("\n  Size: %-10lld\tBlocks: %-10lld IO Block: %-6ld %s\n",
	    (long long)st->st_size, (long long)st->st_blocks,
	    (long)st->st_blksize, stat_type(st));
	printf("Device: %u,%u\tInode: %-11lu Links: %lu",
	    major(st->st_dev), minor(st->st_dev), (unsigned long)st->st_ino,
	    (unsigned long)st->st_nlink);
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		printf("     Device type: %u,%u", major(st->st_rdev),
		    minor(st->st_rdev));
	printf("\nAccess: (%04o/%s)  Uid: (%5u)   Gid: (%5u)\n",
	    (unsigned)(st->st_mode & 07777), mode, (unsigned)st->st_uid,
	    (unsigned)st->st_gid);
	printf("Access: %s\nModify: %s\nChange: %s\n Birth: -\n", t[0], t[1],
	    t[2]);
}

/* rump.stat: options, connect, show each operand. */
int
ctl_stat_main(int argc, char **argv)
{
	const char *fmt = NULL;
	int ch, follow = 0, rv = CTL_OK;
	struct stat st;

	while ((ch = ctl_getopt(argc, argv, "Lc:")) != -1) {
		switch (ch) {
		case 'L': follow = 1; break;
		case 'c': fmt = optarg; break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return ctl_usage();
	ctl_connect();
	for (int i = 0; i < argc; i++) {
		if ((follow ? rump_sys_stat(argv[i], &st) :
		    rump_sys_lstat(argv[i], &st)) != 0) {
			ctl_warn("%s", argv[i]);
			rv = CTL_ERR;
			continue;
		}
		if (fmt != NULL)
			stat_format(fmt, argv[i], &st);
		else
			stat_default(argv[i], &st);
	}
	return rv;
}
