/*
 * ln.c: rump.ln, make hard or symbolic links in the kernel.
 *
 *	rump.ln [-s] [-f] TARGET [LINK]     rump.ln [-s] [-f] TARGET... DIR
 *
 * Without LINK the link is made in "." under TARGET's last component.
 */
#include <errno.h>
#include <stdlib.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

/* Make link name pointing at target; -f removes what is there first. */
static int
ln_one(const char *target, const char *name, int sym, int force)
{
	struct stat st;
	int r;

	if (force && rump_sys_lstat(name, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			ctl_warnc(EISDIR, "%s", name);
			return CTL_ERR;
		}
		if (rump_sys_unlink(name) != 0 && errno != ENOENT) {
			ctl_warn("%s", name);
			return CTL_ERR;
		}
	}
	r = sym ? rump_sys_symlink(target, name) :
	    rump_sys_link(target, name);
	if (r != 0) {
		/* Name whichever side the error is about. */
		if (!sym && errno == ENOENT && rump_sys_lstat(target, &st) != 0)
			ctl_warn("%s", target);
		else
			ctl_warn("%s", name);
		return CTL_ERR;
	}
	return CTL_OK;
}

/* rump.ln: one link, or one per TARGET into a directory. */
int
ctl_ln_main(int argc, char **argv)
{
	int ch, sym = 0, force = 0, rv = CTL_OK;
	char base[4096];
	struct stat st;
	const char *last;

	while ((ch = ctl_getopt(argc, argv, "sf")) != -1) {
		switch (ch) {
		case 's': sym = 1; break;
		case 'f': force = 1; break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return ctl_usage();
	ctl_connect();
	last = argv[argc - 1];
	if (argc == 1)
		return ln_one(argv[0],
		    ctl_basename(argv[0], base, sizeof(base)), sym, force);
	if (argc == 2 && !(rump_sys_stat(last, &st) == 0 &&
	    S_ISDIR(st.st_mode)))
		return ln_one(argv[0], last, sym, force);
	if (rump_sys_stat(last, &st) != 0 || !S_ISDIR(st.st_mode)) {
		ctl_warnc(ENOTDIR, "%s", last);
		return CTL_ERR;
	}
	for (int i = 0; i < argc - 1; i++) {
		char *name = ctl_join(last,
		    ctl_basename(argv[i], base, sizeof(base)));

		rv |= ln_one(argv[i], name, sym, force);
		free(name);
	}
	return rv;
}
