/*
 * mount.c: rump.mount and rump.umount.
 *
 *	rump.mount                      list mounts, as mount(8)
 *	rump.mount [-r] [-t TYPE] [-o OPTIONS] SOURCE TARGET
 *	rump.mount -o remount[,OPTIONS] TARGET
 *	rump.umount [-f] [-l] TARGET...
 *
 * Options that are mount flags (ro, nosuid, ...) become MS_* flags; the
 * rest are passed to the file system as its data string.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

#define MOUNT_DATA_MAX	4096	/* the kernel takes one page of options */

/* Flag names, as mount(8) shows and takes them. */
static const struct {
	const char *name;
	unsigned long flag;
} mount_flags[] = {
	{ "nosuid", MS_NOSUID }, { "nodev", MS_NODEV },
	{ "noexec", MS_NOEXEC }, { "sync", MS_SYNCHRONOUS },
	{ "noatime", MS_NOATIME }, { "nodiratime", MS_NODIRATIME },
};
#define MOUNT_NFLAGS (sizeof(mount_flags) / sizeof(mount_flags[0]))

/* Read the mount table into a new array. */
int
ctl_getmounts(struct kmntinfo **out, int *countp)
{
	struct kmntinfo *mi = NULL;
	int n, cap, tries;

	for (tries = 0; tries < 8; tries++) {
		if ((n = rump_sys_getmounts(NULL, 0)) < 0)
			break;
		cap = n + 8;	/* room for a few new mounts meanwhile */
		mi = ctl_realloc(mi, (size_t)cap * sizeof(*mi));
		if ((n = rump_sys_getmounts(mi, cap)) < 0)
			break;
		if (n <= cap) {
			/* Don't trust the strings to end. */
			for (int i = 0; i < n; i++) {
				struct kmntinfo *m = &mi[i];

				m->mi_fstype[sizeof(m->mi_fstype) - 1] = '\0';
				m->mi_from[sizeof(m->mi_from) - 1] = '\0';
				m->mi_on[sizeof(m->mi_on) - 1] = '\0';
			}
			*out = mi;
			*countp = n;
			return 0;
		}
	}
	free(mi);
	return n < 0 ? errno : EAGAIN;
}

/* "tmpfs on / type tmpfs (rw,nosuid)" for every mount. */
static int
mount_list(void)
{
	struct kmntinfo *mi;
	int n, error;

	if ((error = ctl_getmounts(&mi, &n)) != 0) {
		ctl_warnc(error, "getmounts");
		return CTL_ERR;
	}
	for (int i = 0; i < n; i++) {
		printf("%s on %s type %s (%s", mi[i].mi_from[0] ?
		    mi[i].mi_from : "none", mi[i].mi_on, mi[i].mi_fstype,
		    (mi[i].mi_flags & MS_RDONLY) ? "ro" : "rw");
		for (size_t f = 0; f < MOUNT_NFLAGS; f++)
			if ((unsigned long)mi[i].mi_flags & mount_flags[f].flag)
				printf(",%s", mount_flags[f].name);
		printf(")\n");
	}
	free(mi);
	return CTL_OK;
}

/* Split -o OPTIONS into flags and the file system's data string. */
static int
mount_options(const char *opts, unsigned long *flags, char *data)
{
	char *copy = ctl_strdup(opts), *tok, *save = NULL;
	size_t f;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "ro") == 0)
			*flags |= MS_RDONLY;
		else if (strcmp(tok, "rw") == 0)
			*flags &= ~(unsigned long)MS_RDONLY;
		else if (strcmp(tok, "remount") == 0)
			*flags |= MS_REMOUNT;
		else if (strcmp(tok, "defaults") != 0) {
			for (f = 0; f < MOUNT_NFLAGS; f++)
				if (strcmp(tok, mount_flags[f].name) == 0)
					break;
			if (f < MOUNT_NFLAGS) {
				*flags |= mount_flags[f].flag;
				continue;
			}
			/* The rest goes to the file system, bounded. */
			if (strlen(data) + strlen(tok) + 2 > MOUNT_DATA_MAX) {
				free(copy);
				return EINVAL;
			}
			if (*data != '\0')
				strcat(data, ",");
			strcat(data, tok);
		}
	}
	free(copy);
	return 0;
}

/* rump.mount: list without arguments, else mount one file system. */
int
ctl_mount_main(int argc, char **argv)
{
	const char *type = "tmpfs", *source, *target;
	static char data[MOUNT_DATA_MAX];
	unsigned long flags = 0;
	int ch;

	while ((ch = ctl_getopt(argc, argv, "rt:o:")) != -1) {
		switch (ch) {
		case 'r': flags |= MS_RDONLY; break;
		case 't': type = optarg; break;
		case 'o':
			if (mount_options(optarg, &flags, data) != 0) {
				ctl_warnx("options too long");
				return CTL_USAGE;
			}
			break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 && optind == 1) {
		ctl_connect();
		return mount_list();
	}
	if (argc == 1 && (flags & MS_REMOUNT)) {
		source = NULL;
		target = argv[0];
	} else if (argc == 2) {
		source = argv[0];
		target = argv[1];
	} else
		return ctl_usage();
	ctl_connect();
	if (rump_sys_mount(source, target, type, flags,
	    *data != '\0' ? data : NULL) != 0) {
		ctl_warn("%s%s%s", source != NULL ? source : "",
		    source != NULL ? " on " : "", target);
		return CTL_ERR;
	}
	return CTL_OK;
}

/* rump.umount: unmount each operand. */
int
ctl_umount_main(int argc, char **argv)
{
	int ch, flags = 0, rv = CTL_OK;

	while ((ch = ctl_getopt(argc, argv, "fl")) != -1) {
		switch (ch) {
		case 'f': flags |= MNT_FORCE; break;
		case 'l': flags |= MNT_DETACH; break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return ctl_usage();
	ctl_connect();
	for (int i = 0; i < argc; i++) {
		if (rump_sys_umount2(argv[i], flags) != 0) {
			ctl_warn("%s", argv[i]);
			rv = CTL_ERR;
		}
	}
	return rv;
}
