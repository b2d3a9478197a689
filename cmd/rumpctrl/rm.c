/*
 * rm.c: rump.rm and rump.rmdir, remove kernel files and directories.
 *
 *	rump.rm [-r] [-f] FILE...      rump.rmdir [-p] DIR...
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

/* rm refuses ".", ".." and "/" as operands, as POSIX and GNU rm do. */
static int
rm_refused(const char *path)
{
	char base[256];

	ctl_basename(path, base, sizeof(base));
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		ctl_warnx("refusing to remove '.' or '..' directory: skipping "
		    "'%s'", path);
		return 1;
	}
	if (strcmp(base, "/") == 0) {
		ctl_warnx("refusing to remove '/'");
		return 1;
	}
	return 0;
}

/* Remove one operand without -r: anything but a directory. */
static int
rm_one(const char *path, int force)
{
	struct stat st;

	if (rump_sys_lstat(path, &st) != 0) {
		if (force && errno == ENOENT)
			return CTL_OK;
		ctl_warn("%s", path);
		return CTL_ERR;
	}
	if (S_ISDIR(st.st_mode)) {
		ctl_warnc(EISDIR, "%s", path);
		return CTL_ERR;
	}
	if (rump_sys_unlink(path) != 0) {
		ctl_warn("%s", path);
		return CTL_ERR;
	}
	return CTL_OK;
}

/* rump.rm: options, connect, remove each operand. */
int
ctl_rm_main(int argc, char **argv)
{
	int ch, recurse = 0, force = 0, rv = CTL_OK;

	while ((ch = ctl_getopt(argc, argv, "rRf")) != -1) {
		switch (ch) {
		case 'r': case 'R': recurse = 1; break;
		case 'f': force = 1; break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return force ? CTL_OK : ctl_usage();
	ctl_connect();
	for (int i = 0; i < argc; i++) {
		if (rm_refused(argv[i]))
			rv = CTL_ERR;
		else if (recurse)
			rv |= ctl_remove_tree(argv[i], force) ? CTL_ERR :
			    CTL_OK;
		else
			rv |= rm_one(argv[i], force);
	}
	return rv;
}

/* rmdir -p: remove path, then each parent named in it. */
static int
rmdir_one(const char *path, int parents)
{
	char *p = ctl_strdup(path), *slash;
	int rv = CTL_OK;

	for (;;) {
		if (rump_sys_rmdir(p) != 0) {
			ctl_warn("%s", p);
			rv = CTL_ERR;
			break;
		}
		if (!parents)
			break;
		/* Drop the last component (and the slashes before it). */
		while ((slash = strrchr(p, '/')) != NULL && slash[1] == '\0' &&
		    slash != p)
			*slash = '\0';
		if ((slash = strrchr(p, '/')) == NULL || slash == p)
			break;
		while (slash > p && slash[-1] == '/')
			slash--;
		*slash = '\0';
	}
	free(p);
	return rv;
}

/* rump.rmdir: options, connect, remove each operand. */
int
ctl_rmdir_main(int argc, char **argv)
{
	int ch, parents = 0, rv = CTL_OK;

	while ((ch = ctl_getopt(argc, argv, "p")) != -1) {
		switch (ch) {
		case 'p': parents = 1; break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return ctl_usage();
	ctl_connect();
	for (int i = 0; i < argc; i++)
		rv |= rmdir_one(argv[i], parents);
	return rv;
}
