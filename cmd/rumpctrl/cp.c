/*
 * cp.c: rump.cp and rump.mv, copy and move kernel files.
 *
 *	rump.cp [-R] [-p] SOURCE TARGET      rump.cp [-R] [-p] SOURCE... DIR
 *	rump.mv SOURCE TARGET                rump.mv SOURCE... DIR
 *
 * mv renames; across file systems (EXDEV) it copies with -R -p semantics
 * and then removes the source.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

#define CP_MAXDEPTH	4096	/* ".." steps we follow looking for a loop */

/* The directory part of path ("." if none), as a new string. */
static char *
cp_dirname(const char *path)
{
	size_t end = strlen(path);

	while (end > 1 && path[end - 1] == '/')
		end--;
	while (end > 0 && path[end - 1] != '/')
		end--;
	while (end > 1 && path[end - 1] == '/')
		end--;
	if (end == 0)
		return ctl_strdup(".");
	char *d = ctl_malloc(end + 1);

	memcpy(d, path, end);
	d[end] = '\0';
	return d;
}

/* Is directory dirst path's parent or one of its ancestors? */
static int
cp_inside(const struct stat *dirst, const char *path)
{
	char *p = cp_dirname(path), *next;
	struct stat st, up;
	int i, found = 0;

	for (i = 0; i < CP_MAXDEPTH; i++) {
		if (rump_sys_stat(p, &st) != 0)
			break;
		if (st.st_dev == dirst->st_dev && st.st_ino == dirst->st_ino) {
			found = 1;
			break;
		}
		next = ctl_join(p, "..");
		free(p);
		p = next;
		if (rump_sys_stat(p, &up) == 0 && up.st_dev == st.st_dev &&
		    up.st_ino == st.st_ino)
			break;		/* the root: its ".." is itself */
	}
	free(p);
	return found;
}

/* Checks before copying or moving src to dst; 0 if fine. */
static int
cp_check(const char *src, const char *dst, int follow)
{
	struct stat s, d;
	int r = follow ? rump_sys_stat(src, &s) : rump_sys_lstat(src, &s);

	if (r != 0) {
		ctl_warn("%s", src);
		return CTL_ERR;
	}
	if (rump_sys_stat(dst, &d) == 0 && d.st_dev == s.st_dev &&
	    d.st_ino == s.st_ino) {
		ctl_warnx("%s and %s are the same file", src, dst);
		return CTL_ERR;
	}
	if (S_ISDIR(s.st_mode) && cp_inside(&s, dst)) {
		ctl_warnx("cannot copy a directory, %s, into itself, %s", src,
		    dst);
		return CTL_ERR;
	}
	return CTL_OK;
}

/* Move one file, copying across file systems. */
static int
mv_one(const char *src, const char *dst)
{
	if (rump_sys_rename(src, dst) == 0)
		return CTL_OK;
	if (errno != EXDEV) {
		ctl_warn("%s -> %s", src, dst);
		return CTL_ERR;
	}
	if (cp_check(src, dst, 0) != 0 || ctl_copy_path(src, dst, 1, 1) != 0)
		return CTL_ERR;
	return ctl_remove_tree(src, 0) ? CTL_ERR : CTL_OK;
}

/* SOURCE... TARGET for cp and mv: one pair, or each into a directory. */
static int
cp_operands(int argc, char **argv, int ismv, int recurse, int preserve)
{
	const char *target = argv[argc - 1];
	char base[4096];
	struct stat st;
	int rv = CTL_OK, i, isdir;

	isdir = rump_sys_stat(target, &st) == 0 && S_ISDIR(st.st_mode);
	if (argc == 2 && !isdir) {
		if (ismv)
			return mv_one(argv[0], target);
		if (cp_check(argv[0], target, !recurse) != 0)
			return CTL_ERR;
		return ctl_copy_path(argv[0], target, recurse, preserve);
	}
	if (!isdir) {
		ctl_warnc(ENOTDIR, "%s", target);
		return CTL_ERR;
	}
	for (i = 0; i < argc - 1; i++) {
		char *dst = ctl_join(target,
		    ctl_basename(argv[i], base, sizeof(base)));

		if (ismv)
			rv |= mv_one(argv[i], dst);
		else if (cp_check(argv[i], dst, !recurse) != 0)
			rv = CTL_ERR;
		else
			rv |= ctl_copy_path(argv[i], dst, recurse, preserve);
		free(dst);
	}
	return rv;
}

/* rump.cp: options, then the operands. */
int
ctl_cp_main(int argc, char **argv)
{
	int ch, recurse = 0, preserve = 0;

	while ((ch = ctl_getopt(argc, argv, "Rrp")) != -1) {
		switch (ch) {
		case 'R': case 'r': recurse = 1; break;
		case 'p': preserve = 1; break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		return ctl_usage();
	ctl_connect();
	return cp_operands(argc, argv, 0, recurse, preserve);
}

/* rump.mv: no options; the operands as for cp. */
int
ctl_mv_main(int argc, char **argv)
{
	int ch;

	while ((ch = ctl_getopt(argc, argv, "")) != -1)
		return ctl_usage();
	argc -= optind;
	argv += optind;
	if (argc < 2)
		return ctl_usage();
	ctl_connect();
	return cp_operands(argc, argv, 1, 1, 1);
}
