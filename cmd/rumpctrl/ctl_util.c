/*
 * ctl_util.c: what every applet needs: messages, option parsing, host
 * output, numbers, paths, memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rumpctrl.h"

/* The ctl_warn* body: "rump.x: message", then ": reason" if withreason. */
static void
ctl_vwarn(int withreason, int err, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", ctl_prog);
	vfprintf(stderr, fmt, ap);
	if (withreason)
		fprintf(stderr, ": %s\n", strerror(err));
	else
		fputc('\n', stderr);
}

/* "rump.x: message" on stderr. */
void
ctl_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_vwarn(0, 0, fmt, ap);
	va_end(ap);
}

/* "rump.x: message: reason" on stderr. */
void
ctl_warnc(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_vwarn(1, err, fmt, ap);
	va_end(ap);
}

/* ctl_warnc with the current errno. */
void
ctl_warn(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	ctl_vwarn(1, err, fmt, ap);
	va_end(ap);
}

/* The usage line, on stderr; returns the usage exit status. */
int
ctl_usage(void)
{
	fprintf(stderr, "usage: %s %s\n", ctl_prog,
	    ctl_cur != NULL ? ctl_cur->ra_usage : "");
	return CTL_USAGE;
}

/* --help: the usage line and the description, on stdout. */
void
ctl_help(const struct ctl_applet *a)
{
	printf("usage: %s %s\n%s\n", ctl_prog, a->ra_usage, a->ra_help);
}

/*
 * getopt(3) in POSIX mode (options end at the first operand), with our
 * own message for an unknown option or a missing argument.
 */
int
ctl_getopt(int argc, char **argv, const char *opts)
{
	char spec[64];
	int ch;

	snprintf(spec, sizeof(spec), "+:%s", opts);
	opterr = 0;
	ch = getopt(argc, argv, spec);
	if (ch == '?') {
		ctl_warnx("unknown option -%c", optopt);
		return '?';
	}
	if (ch == ':') {
		ctl_warnx("option -%c needs an argument", optopt);
		return '?';
	}
	return ch;
}

/* Write all of buf to host descriptor fd; 0 or an errno value. */
int
ctl_host_write(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Decimal number up to max; 0 or EINVAL (also for "", signs, junk). */
int
ctl_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s == NULL || *s == '\0')
		return EINVAL;
	for (; *s != '\0'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (d > 9 || d > max || v > (max - d) / 10)
			return EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* New string dir/name (without doubling a trailing slash of dir). */
char *
ctl_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	int slash = dl > 0 && dir[dl - 1] != '/';
	char *p = ctl_malloc(dl + slash + nl + 1);

	memcpy(p, dir, dl);
	if (slash)
		p[dl] = '/';
	memcpy(p + dl + slash, name, nl + 1);
	return p;
}

/* The last component of path, trailing slashes removed, into buf. */
const char *
ctl_basename(const char *path, char *buf, size_t len)
{
	size_t end = strlen(path), start;

	while (end > 1 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (end == 0 || (end == 1 && path[0] == '/'))
		start = 0;
	if (end - start >= len)
		end = start + len - 1;
	memcpy(buf, path + start, end - start);
	buf[end - start] = '\0';
	return buf;
}

/* Allocation that cannot fail: a control tool may just give up. */
void *
ctl_malloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL) {
		ctl_warnx("out of memory");
		exit(CTL_ERR);
	}
	return p;
}

/* realloc that exits on failure. */
void *
ctl_realloc(void *p, size_t n)
{
	p = realloc(p, n == 0 ? 1 : n);
	if (p == NULL) {
		ctl_warnx("out of memory");
		exit(CTL_ERR);
	}
	return p;
}

/* strdup that exits on failure. */
char *
ctl_strdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(ctl_malloc(n), s, n);
}

/* ls -l's mode column: type letter and rwx triplets with s/t. */
void
ctl_mode_string(mode_t mode, char buf[11])
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	switch (mode & S_IFMT) {
	case S_IFDIR:  buf[0] = 'd'; break;
	case S_IFLNK:  buf[0] = 'l'; break;
	case S_IFCHR:  buf[0] = 'c'; break;
	case S_IFBLK:  buf[0] = 'b'; break;
	case S_IFIFO:  buf[0] = 'p'; break;
	case S_IFSOCK: buf[0] = 's'; break;
	case S_IFREG:  buf[0] = '-'; break;
	default:       buf[0] = '?'; break;
	}
	for (i = 0; i < 9; i++)
		buf[1 + i] = (mode & (0400 >> i)) ? rwx[i] : '-';
	if (mode & S_ISUID)
		buf[3] = (mode & S_IXUSR) ? 's' : 'S';
	if (mode & S_ISGID)
		buf[6] = (mode & S_IXGRP) ? 's' : 'S';
	if (mode & S_ISVTX)
		buf[9] = (mode & S_IXOTH) ? 't' : 'T';
	buf[10] = '\0';
}
