/*
 * mkdir.c: rump.mkdir, make kernel directories.
 *
 *	rump.mkdir [-p] [-m MODE] DIR...
 *
 * Without -m the kernel's umask applies to 0777; with it the directory
 * gets exactly MODE (symbolic modes start from a=rwx).  -p makes missing
 * parents (u+wx so that we can go on) and accepts existing directories.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

/* Is path an existing directory? */
static int
mkdir_isdir(const char *path)
{
	struct stat st;

	return rump_sys_stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Make each missing parent of path; 0 or CTL_ERR after a message. */
static int
mkdir_parents(const char *path, mode_t umask)
{
	char *p = ctl_strdup(path), *s = p;
	int rv = CTL_OK;

	while (*s == '/')
		s++;
	while ((s = strchr(s, '/')) != NULL) {
		*s = '\0';
		if (rump_sys_mkdir(p, (0777 & ~umask) | 0300) != 0 &&
		    !(errno == EEXIST && mkdir_isdir(p))) {
			ctl_warn("%s", p);
			rv = CTL_ERR;
			break;
		}
		*s = '/';
		while (*s == '/')
			s++;
	}
	free(p);
	return rv;
}

/* Make one directory; mode < 0: no -m. */
static int
mkdir_one(const char *path, int parents, long mode, mode_t umask)
{
	if (parents && mkdir_parents(path, umask) != CTL_OK)
		return CTL_ERR;
	if (rump_sys_mkdir(path, mode >= 0 ? (mode_t)mode : 0777) != 0) {
		if (parents && errno == EEXIST && mkdir_isdir(path))
			return CTL_OK;
		ctl_warn("%s", path);
		return CTL_ERR;
	}
	/* The umask took bits away from -m MODE: give them back. */
	if (mode >= 0 && rump_sys_chmod(path, (mode_t)mode) != 0) {
		ctl_warn("%s", path);
		return CTL_ERR;
	}
	return CTL_OK;
}

/* rump.mkdir: options, connect, make each operand. */
int
ctl_mkdir_main(int argc, char **argv)
{
	const char *mspec = NULL;
	int ch, parents = 0, rv = CTL_OK;
	mode_t umask, m;
	long mode = -1;

	while ((ch = ctl_getopt(argc, argv, "pm:")) != -1) {
		switch (ch) {
		case 'p': parents = 1; break;
		case 'm': mspec = optarg; break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return ctl_usage();
	/* Check the mode's syntax before we connect. */
	if (mspec != NULL && ctl_mode_parse(mspec, 0777, 0, 1, &m) != 0) {
		ctl_warnx("invalid mode '%s'", mspec);
		return CTL_USAGE;
	}
	ctl_connect();
	umask = rump_sys_umask(0);
	rump_sys_umask(umask);
	if (mspec != NULL) {
		ctl_mode_parse(mspec, 0777, umask, 1, &m);
		mode = (long)m;
	}
	for (int i = 0; i < argc; i++)
		rv |= mkdir_one(argv[i], parents, mode, umask);
	return rv;
}
