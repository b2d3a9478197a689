/*
 * rumpctrl.c: the multi-call entry point.
 *
 *	rumpctrl APPLET [ARGS]     rump.APPLET [ARGS]     APPLET [ARGS]
 *	rumpctrl --list            rumpctrl --help
 *
 * The applet is chosen from the name the program was started as, or from
 * its first argument.  ctl_connect() attaches to $RUMP_SERVER.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rumpclient.h>

#include "rumpctrl.h"

const struct ctl_applet ctl_applets[] = {
	{ "cat", ctl_cat_main, "[FILE...]",
	  "Copy kernel FILEs (\"-\" or none: host standard input) to host "
	  "standard output." },
	{ "chmod", ctl_chmod_main, "[-R] MODE FILE...",
	  "Change modes: octal (755) or symbolic ([ugoa][+-=][rwxXst],...).\n"
	  "  -R  recurse into directories" },
	{ "chown", ctl_chown_main, "[-R] [-h] UID[:GID] FILE...",
	  "Change owner and/or group (numeric ids; \":GID\" changes only the "
	  "group).\n"
	  "  -R  recurse into directories\n"
	  "  -h  change a symbolic link itself, not what it points to" },
	{ "cp", ctl_cp_main, "[-R] [-p] SOURCE... TARGET",
	  "Copy files; into TARGET if it is a directory.\n"
	  "  -R, -r  copy directories recursively (symbolic links as links)\n"
	  "  -p      keep mode, owner and times" },
	{ "dd", ctl_dd_main,
	  "[if=FILE] [of=FILE] [bs=N] [count=N] [skip=N] [seek=N] "
	  "[conv=notrunc] [status=progress|none|noxfer]",
	  "Copy blocks.  if/of are kernel paths; without them host standard\n"
	  "input/output.  N may end in c w b k K kB M MB G GB (x multiplies).\n"
	  "A summary goes to standard error, as GNU dd's." },
	{ "df", ctl_df_main, "[-h] [-k] [PATH...]",
	  "Show space on mounted file systems (1K blocks).\n"
	  "  -h  human-readable sizes (powers of 1024)" },
	{ "halt", ctl_halt_main, "[-p]",
	  "Halt the kernel: sync the file systems and stop the server.\n"
	  "  -p  power off rather than halt (the same for a rump kernel)" },
	{ "ln", ctl_ln_main, "[-s] [-f] TARGET [LINK]  |  ln [-s] [-f] "
	  "TARGET... DIR",
	  "Make hard links, or symbolic links with -s.\n"
	  "  -s  symbolic link\n"
	  "  -f  remove an existing LINK first" },
	{ "ls", ctl_ls_main, "[-1adlR] [FILE...]",
	  "List directory contents, sorted by name.\n"
	  "  -l  long format: mode, links, uid, gid, size, mtime, name\n"
	  "  -a  include names starting with \".\"\n"
	  "  -d  list directories themselves, not their contents\n"
	  "  -R  recurse into subdirectories\n"
	  "  -1  one name per line" },
	{ "mkdir", ctl_mkdir_main, "[-p] [-m MODE] DIR...",
	  "Make directories.\n"
	  "  -p       make parents as needed; no error if DIR exists\n"
	  "  -m MODE  mode of the new directories (octal or symbolic)" },
	{ "mount", ctl_mount_main,
	  "[-r] [-t TYPE] [-o OPTIONS] SOURCE TARGET  |  mount",
	  "Mount a file system; with no arguments, list the mounts.\n"
	  "  -t TYPE     file system type (tmpfs, ...; default tmpfs)\n"
	  "  -o OPTIONS  ro, rw, nosuid, nodev, noexec, sync, noatime,\n"
	  "              nodiratime, remount; others go to the file system\n"
	  "              (tmpfs: size=, nr_inodes=, mode=, uid=, gid=)\n"
	  "  -r          read-only (-o ro)" },
	{ "mv", ctl_mv_main, "SOURCE... TARGET",
	  "Rename files; into TARGET if it is a directory (across file\n"
	  "systems by copying)." },
	{ "newfs_msdos", ctl_newfs_msdos_main,
	  "[-Nv] [-F 12|16|32] [-c SPC] [-e ENTRIES] [-I ID] [-L LABEL] "
	  "[-n FATS] [-r RESERVED] [-S SECSIZE] [-s SECTORS] DEVICE",
	  "Make a FAT file system on a kernel block device (rump_server -d).\n"
	  "  -F 12|16|32  FAT type (default: by size: FAT32 from 512 MiB)\n"
	  "  -c SPC       sectors per cluster, a power of 2 up to 128\n"
	  "               (default: the FAT specification's table)\n"
	  "  -e ENTRIES   root directory entries, FAT12/16 (default 512)\n"
	  "  -I ID        volume id: decimal, 0xHEX or XXXX-XXXX\n"
	  "  -L LABEL     volume label (11 characters at most)\n"
	  "  -n FATS      number of FATs, 1 to 4 (default 2)\n"
	  "  -r RESERVED  reserved sectors (default 1; FAT32 32)\n"
	  "  -S SECSIZE   bytes per sector: 512 (default), 1024, 2048, 4096\n"
	  "  -s SECTORS   use only this many sectors of the device\n"
	  "  -N           print the layout, write nothing\n"
	  "  -v           print the whole layout, and progress" },
	{ "ps", ctl_ps_main, "",
	  "List the kernel's processes: PID PPID UID NLWP NFD COMMAND." },
	{ "rm", ctl_rm_main, "[-r] [-f] FILE...",
	  "Remove files.\n"
	  "  -r, -R  remove directories and their contents\n"
	  "  -f      ignore missing files, never fail for them" },
	{ "rmdir", ctl_rmdir_main, "[-p] DIR...",
	  "Remove empty directories.\n"
	  "  -p  remove the parents named in DIR as well" },
	{ "stat", ctl_stat_main, "[-L] FILE...",
	  "Show a file's status in stat(1)'s default format.\n"
	  "  -L  follow symbolic links" },
	{ "sysctl", ctl_sysctl_main,
	  "[-n] [-a] [NAME...]  |  sysctl [-n] -w NAME=VALUE...",
	  "Show or set kernel variables (\"kern.hostname = rump\").\n"
	  "  -a  list every variable; a NAME that is a node lists its subtree\n"
	  "  -n  print values only\n"
	  "  -w  set NAME to VALUE, printing \"NAME: old -> new\"" },
	{ "touch", ctl_touch_main, "[-c] [-d DATE] FILE...",
	  "Set access and modification times to now (or DATE), creating "
	  "files.\n"
	  "  -c       do not create missing files\n"
	  "  -d DATE  \"YYYY-MM-DD[ HH:MM[:SS]]\" (local time) or @SECONDS" },
	{ "umount", ctl_umount_main, "[-f] [-l] TARGET...",
	  "Unmount file systems.\n"
	  "  -f  force\n"
	  "  -l  lazy: detach now, clean up when no longer busy" },
};
const size_t ctl_napplets = sizeof(ctl_applets) / sizeof(ctl_applets[0]);

const char *ctl_prog = "rumpctrl";
const struct ctl_applet *ctl_cur;

/* Attach to $RUMP_SERVER, or explain why not and exit. */
void
ctl_connect(void)
{
	const char *url = getenv("RUMP_SERVER");
	int error;

	if (url == NULL || *url == '\0') {
		fprintf(stderr, "rumpctrl: cannot connect to $RUMP_SERVER "
		    "(unset): RUMP_SERVER is not set\n");
		exit(CTL_ERR);
	}
	errno = 0;
	error = rumpclient_init() == 0 ? 0 : (errno != 0 ? errno : EIO);
	if (error != 0) {
		fprintf(stderr, "rumpctrl: cannot connect to $RUMP_SERVER "
		    "(%s): %s\n", url, strerror(error));
		exit(CTL_ERR);
	}
}

/* The applet called name, or NULL. */
static const struct ctl_applet *
ctl_find(const char *name)
{
	size_t i;

	for (i = 0; i < ctl_napplets; i++)
		if (strcmp(ctl_applets[i].ra_name, name) == 0)
			return &ctl_applets[i];
	return NULL;
}

/* rumpctrl's own usage: how to call it and the applets it has. */
static void
ctl_main_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: rumpctrl APPLET [ARGS...]   (or rump.APPLET "
	    "[ARGS...])\n"
	    "       rumpctrl --list | --help\n"
	    "Control the rump kernel named by $RUMP_SERVER (unix://PATH or "
	    "tcp://ADDR:PORT).\n"
	    "Applets (APPLET --help for each):\n");
	for (i = 0; i < ctl_napplets; i++)
		fprintf(f, "  %-7s %s\n", ctl_applets[i].ra_name,
		    ctl_applets[i].ra_usage);
}

/* Is "--help" among the options (before "--")? */
static int
ctl_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

/* Flush standard output; a failure there is the applet's failure too. */
static int
ctl_finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		ctl_warn("write error");
		if (status == CTL_OK)
			status = CTL_ERR;
	}
	return status;
}

/* Pick the applet from argv[0] or argv[1] and run it. */
int
main(int argc, char **argv)
{
	static char progbuf[64];
	const struct ctl_applet *a;
	const char *name = strrchr(argv[0], '/');

	name = name != NULL ? name + 1 : argv[0];
	if (strncmp(name, "rump.", 5) == 0)
		a = ctl_find(name + 5);
	else
		a = ctl_find(name);
	if (a == NULL && strncmp(name, "rump.", 5) == 0) {
		fprintf(stderr, "rumpctrl: unknown applet '%s'\n", name + 5);
		return CTL_USAGE;
	}
	if (a == NULL) {
		/* Called as rumpctrl: the applet is the first argument. */
		if (argc < 2) {
			ctl_main_usage(stderr);
			return CTL_USAGE;
		}
		if (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "help") == 0) {
			ctl_main_usage(stdout);
			return ctl_finish(CTL_OK);
		}
		if (strcmp(argv[1], "--list") == 0) {
			for (size_t i = 0; i < ctl_napplets; i++)
				printf("%s\n", ctl_applets[i].ra_name);
			return ctl_finish(CTL_OK);
		}
		if ((a = ctl_find(argv[1])) == NULL) {
			fprintf(stderr, "rumpctrl: unknown applet '%s' "
			    "(rumpctrl --list lists them)\n", argv[1]);
			return CTL_USAGE;
		}
		argc--;
		argv++;
	}
	snprintf(progbuf, sizeof(progbuf), "rump.%s", a->ra_name);
	ctl_prog = progbuf;
	ctl_cur = a;
	if (ctl_wants_help(argc, argv)) {
		ctl_help(a);
		return ctl_finish(CTL_OK);
	}
	return ctl_finish(a->ra_main(argc, argv));
}
