/*
 * ls.c: rump.ls, list directory contents, sorted by name (byte order).
 *
 *	rump.ls [-1adlR] [FILE...]
 *
 * -l: "drwxr-xr-x 2 0 0 60 Jan  2 10:00 name", uid and gid numeric (the
 * kernel has no user database), "name -> target" for links, a "total"
 * line in 1K blocks per directory.  Output to a terminal is in columns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

struct ls_opts {
	int lo_long, lo_all, lo_dir, lo_recurse, lo_one;
	time_t lo_now;
};

/* One name to list, with its status. */
struct ls_ent {
	char *le_name;			/* as shown */
	char *le_path;			/* kernel path */
	struct stat le_st;
	int le_have;			/* le_st is valid */
};

/* qsort order of entries: by name, bytewise. */
static int
ls_ent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ls_ent *)a)->le_name,
	    ((const struct ls_ent *)b)->le_name);
}

/* Free n entries and the array. */
static void
ls_ents_free(struct ls_ent *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].le_name);
		free(e[i].le_path);
	}
	free(e);
}

/* Decimal digits of v. */
static int
ls_width(unsigned long long v)
{
	int w = 1;

	while (v >= 10) {
		v /= 10;
		w++;
	}
	return w;
}

/* "Jan  2 10:00" for recent times, "Jan  2  2020" for others. */
static void
ls_date(time_t t, time_t now, char *buf, size_t len)
{
	struct tm tm;
	const time_t halfyear = 365 * 24 * 3600 / 2;

	if (localtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "%12lld", (long long)t);
		return;
	}
	if (t <= now && now - t < halfyear)
		strftime(buf, len, "%b %e %H:%M", &tm);
	else
		strftime(buf, len, "%b %e  %Y", &tm);
}

/* The size column: bytes, or "major, minor" for devices. */
static void
ls_size(const struct stat *st, char *buf, size_t len)
{
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		snprintf(buf, len, "%u, %u", major(st->st_rdev),
		    minor(st->st_rdev));
	else
		snprintf(buf, len, "%lld", (long long)st->st_size);
}

/* One -l line; widths w[0..3]: links, uid, gid, size. */
static void
ls_long_line(const struct ls_ent *e, const int w[4], time_t now)
{
	char mode[11], date[32], size[48], target[4096];
	ssize_t n;

	ctl_mode_string(e->le_st.st_mode, mode);
	ls_date(e->le_st.st_mtim.tv_sec, now, date, sizeof(date));
	ls_size(&e->le_st, size, sizeof(size));
	printf("%s %*lu %*u %*u %*s %s %s", mode, w[0],
	    (unsigned long)e->le_st.st_nlink, w[1], (unsigned)e->le_st.st_uid,
	    w[2], (unsigned)e->le_st.st_gid, w[3], size, date, e->le_name);
	if (S_ISLNK(e->le_st.st_mode)) {
		n = rump_sys_readlink(e->le_path, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n] = '\0';
			printf(" -> %s", target);
		}
	}
	putchar('\n');
}

/* The -l listing of n entries (with "total" when istotal). */
static void
ls_print_long(const struct ls_ent *e, size_t n, int istotal, time_t now)
{
	unsigned long long blocks = 0;
	int w[4] = { 1, 1, 1, 1 };
	char size[48];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct stat *st = &e[i].le_st;
		int sw;

		blocks += ((unsigned long long)st->st_blocks + 1) / 2;
		if (ls_width(st->st_nlink) > w[0])
			w[0] = ls_width(st->st_nlink);
		if (ls_width(st->st_uid) > w[1])
			w[1] = ls_width(st->st_uid);
		if (ls_width(st->st_gid) > w[2])
			w[2] = ls_width(st->st_gid);
		ls_size(st, size, sizeof(size));
		if ((sw = (int)strlen(size)) > w[3])
			w[3] = sw;
	}
	if (istotal)
		printf("total %llu\n", blocks);
	for (i = 0; i < n; i++)
		ls_long_line(&e[i], w, now);
}

/* Names in columns, top to bottom then left to right, as ls(1). */
static void
ls_print_columns(const struct ls_ent *e, size_t n)
{
	struct winsize ws;
	size_t width = 80, maxw = 1, cols, rows, r, c;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		width = ws.ws_col;
	for (size_t i = 0; i < n; i++)
		if (strlen(e[i].le_name) > maxw)
			maxw = strlen(e[i].le_name);
	cols = width / (maxw + 2);
	if (cols == 0)
		cols = 1;
	rows = (n + cols - 1) / cols;
	for (r = 0; r < rows; r++) {
		for (c = 0; c < cols && c * rows + r < n; c++) {
			const char *s = e[c * rows + r].le_name;
			int last = c + 1 == cols || (c + 1) * rows + r >= n;

			int pad = last ? 0 : (int)(maxw + 2 - strlen(s));

			printf("%s%*s", s, pad, "");
		}
		putchar('\n');
	}
}

/* Print a group of entries in the chosen format. */
static void
ls_print(struct ls_ent *e, size_t n, int istotal, const struct ls_opts *o)
{
	if (o->lo_long)
		ls_print_long(e, n, istotal, o->lo_now);
	else if (o->lo_one || !isatty(STDOUT_FILENO))
		for (size_t i = 0; i < n; i++)
			printf("%s\n", e[i].le_name);
	else if (n > 0)
		ls_print_columns(e, n);
}

/* The entries of directory path, with status; NULL after a message. */
static struct ls_ent *
ls_read_dir(const char *path, const struct ls_opts *o, size_t *np)
{
	struct ctl_names names;
	struct ls_ent *e;
	size_t i, n = 0, extra = o->lo_all ? 2 : 0;
	int error;

	if ((error = ctl_readdir(path, o->lo_all, &names)) != 0) {
		ctl_warnc(error, "%s", path);
		return NULL;
	}
	e = ctl_malloc((names.rn_count + extra) * sizeof(*e));
	if (o->lo_all) {
		e[n++].le_name = ctl_strdup(".");
		e[n++].le_name = ctl_strdup("..");
	}
	for (i = 0; i < names.rn_count; i++)
		e[n++].le_name = names.rn_names[i];
	free(names.rn_names);
	for (i = 0; i < n; i++) {
		e[i].le_path = ctl_join(path, e[i].le_name);
		e[i].le_have = 0;
		if (o->lo_long || o->lo_recurse)
			e[i].le_have = rump_sys_lstat(e[i].le_path,
			    &e[i].le_st) == 0;
		if (o->lo_long && !e[i].le_have)
			memset(&e[i].le_st, 0, sizeof(e[i].le_st));
	}
	qsort(e, n, sizeof(*e), ls_ent_cmp);
	*np = n;
	return e;
}

/* List directory path (after a "path:" header if header). */
static int
ls_dir(const char *path, int header, const struct ls_opts *o)
{
	struct ls_ent *e;
	size_t n, i;
	int rv = CTL_OK;

	if (header)
		printf("%s:\n", path);
	if ((e = ls_read_dir(path, o, &n)) == NULL)
		return CTL_ERR;
	ls_print(e, n, 1, o);
	for (i = 0; o->lo_recurse && i < n; i++) {
		if (!e[i].le_have || !S_ISDIR(e[i].le_st.st_mode) ||
		    strcmp(e[i].le_name, ".") == 0 ||
		    strcmp(e[i].le_name, "..") == 0)
			continue;
		putchar('\n');
		rv |= ls_dir(e[i].le_path, 1, o);
	}
	ls_ents_free(e, n);
	return rv;
}

/* Status of an operand: links followed unless -l or -d. */
static int
ls_stat_operand(const char *path, const struct ls_opts *o, struct stat *st)
{
	if (!o->lo_long && !o->lo_dir && rump_sys_stat(path, st) == 0)
		return 0;
	return rump_sys_lstat(path, st);
}

/* The operands: files first, then each directory's contents. */
static int
ls_operands(char **argv, int argc, const struct ls_opts *o)
{
	struct ls_ent *files = ctl_malloc(argc * sizeof(*files));
	struct ls_ent *dirs = ctl_malloc(argc * sizeof(*dirs));
	size_t nf = 0, nd = 0, i;
	int rv = CTL_OK;

	for (int k = 0; k < argc; k++) {
		struct ls_ent e = { .le_have = 1 };

		if (ls_stat_operand(argv[k], o, &e.le_st) != 0) {
			ctl_warn("%s", argv[k]);
			rv = CTL_ERR;
			continue;
		}
		e.le_name = ctl_strdup(argv[k]);
		e.le_path = ctl_strdup(argv[k]);
		if (S_ISDIR(e.le_st.st_mode) && !o->lo_dir)
			dirs[nd++] = e;
		else
			files[nf++] = e;
	}
	qsort(files, nf, sizeof(*files), ls_ent_cmp);
	qsort(dirs, nd, sizeof(*dirs), ls_ent_cmp);
	ls_print(files, nf, 0, o);
	for (i = 0; i < nd; i++) {
		if (i > 0 || nf > 0)
			putchar('\n');
		rv |= ls_dir(dirs[i].le_path, argc > 1 || o->lo_recurse, o);
	}
	ls_ents_free(files, nf);
	ls_ents_free(dirs, nd);
	return rv;
}

/* rump.ls: options, connect, list the operands (default "."). */
int
ctl_ls_main(int argc, char **argv)
{
	struct ls_opts o = { 0 };
	static char *dot[] = { ".", NULL };
	int ch;

	while ((ch = ctl_getopt(argc, argv, "1adlR")) != -1) {
		switch (ch) {
		case '1': o.lo_one = 1; break;
		case 'a': o.lo_all = 1; break;
		case 'd': o.lo_dir = 1; break;
		case 'l': o.lo_long = 1; break;
		case 'R': o.lo_recurse = 1; break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	o.lo_now = time(NULL);
	if (o.lo_dir)
		o.lo_recurse = 0;
	ctl_connect();
	if (argc == 0)
		return ls_operands(dot, 1, &o);
	return ls_operands(argv, argc, &o);
}
