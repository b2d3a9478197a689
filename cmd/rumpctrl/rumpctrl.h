/*
 * rumpctrl.h: the multi-call control utility for a remote rump kernel.
 *
 * rumpctrl APPLET ARGS, or a link named rump.APPLET (or just APPLET, as
 * rumpctrl.sh sets up), runs one applet against the kernel that
 * $RUMP_SERVER names.  Paths given to applets are kernel paths; file
 * descriptors 0-2 stay the host's, so shell redirections move data between
 * host and kernel.
 *
 * Every applet parses its arguments first and calls ctl_connect() before its
 * first rump_sys_* call.  Exit status: CTL_OK, CTL_ERR (something failed, with
 * a message naming what), CTL_USAGE (bad arguments).
 */
#ifndef RUMPCTRL_RUMPCTRL_H
#define RUMPCTRL_RUMPCTRL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#define CTL_OK		0
#define CTL_ERR		1
#define CTL_USAGE	2

/* One applet: its name, entry point and help text. */
struct ctl_applet {
	const char *ra_name;
	int (*ra_main)(int argc, char **argv);
	const char *ra_usage;		/* "[-l] [FILE...]" */
	const char *ra_help;		/* what it does and its options */
};

extern const struct ctl_applet ctl_applets[];
extern const size_t ctl_napplets;

/* Name used in messages: "rump.cat". */
extern const char *ctl_prog;
/* The applet being run. */
extern const struct ctl_applet *ctl_cur;

/* Connect to $RUMP_SERVER; on failure print why and exit(CTL_ERR). */
void ctl_connect(void);

/* Messages on stderr, prefixed with ctl_prog. */
void ctl_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As ctl_warnx, followed by ": " and strerror(err). */
void ctl_warnc(int err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* As ctl_warnc with errno. */
void ctl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the usage line to stderr and return CTL_USAGE. */
int ctl_usage(void);
/* Print "--help" text to stdout. */
void ctl_help(const struct ctl_applet *a);

/* getopt with POSIX ordering; returns -1 at the end of options. */
int ctl_getopt(int argc, char **argv, const char *opts);

/* Write all of buf to the host descriptor fd; 0 or an errno value. */
int ctl_host_write(int fd, const void *buf, size_t len);

/* Parse a decimal unsigned number that must fit in max; 0 or EINVAL. */
int ctl_parse_uint(const char *s, uint64_t max, uint64_t *out);

/* "dir" + "/" + "name" into a new string (exits on allocation failure). */
char *ctl_join(const char *dir, const char *name);
/* The last component of path (no allocation; "/" for "/"). */
const char *ctl_basename(const char *path, char *buf, size_t len);
/* strdup that exits on allocation failure. */
char *ctl_strdup(const char *s);
/* malloc/realloc that exit on allocation failure. */
void *ctl_malloc(size_t n);
void *ctl_realloc(void *p, size_t n);

/* "drwxr-xr-x" (10 characters and a NUL) for mode. */
void ctl_mode_string(mode_t mode, char buf[11]);
/* Parse a chmod mode (octal, or symbolic like u+x,go-w) applied to old. */
int ctl_mode_parse(const char *spec, mode_t old, mode_t umask, int isdir,
    mode_t *out);

/*
 * The names in a kernel directory, sorted (strcmp), without "." and "..".
 * 0 or an errno value; free with ctl_names_free.
 */
struct ctl_names {
	char **rn_names;
	size_t rn_count;
};
int ctl_readdir(const char *path, int all, struct ctl_names *out);
void ctl_names_free(struct ctl_names *n);

/* Remove path and, if it is a directory, everything below it. */
int ctl_remove_tree(const char *path, int force);
/* Copy src to dst: trees with recurse; mode, owner, times with preserve. */
int ctl_copy_path(const char *src, const char *dst, int recurse, int preserve);

/* The kernel's mount table (getmounts(2)); 0 or an errno value. */
struct kmntinfo;
int ctl_getmounts(struct kmntinfo **out, int *countp);

/* Applets. */
int ctl_sysctl_main(int argc, char **argv);
int ctl_halt_main(int argc, char **argv);
int ctl_ps_main(int argc, char **argv);
int ctl_ls_main(int argc, char **argv);
int ctl_cat_main(int argc, char **argv);
int ctl_dd_main(int argc, char **argv);
int ctl_cp_main(int argc, char **argv);
int ctl_mv_main(int argc, char **argv);
int ctl_rm_main(int argc, char **argv);
int ctl_rmdir_main(int argc, char **argv);
int ctl_mkdir_main(int argc, char **argv);
int ctl_ln_main(int argc, char **argv);
int ctl_chmod_main(int argc, char **argv);
int ctl_chown_main(int argc, char **argv);
int ctl_touch_main(int argc, char **argv);
int ctl_stat_main(int argc, char **argv);
int ctl_df_main(int argc, char **argv);
int ctl_mount_main(int argc, char **argv);
int ctl_umount_main(int argc, char **argv);
int ctl_newfs_msdos_main(int argc, char **argv);

#endif /* RUMPCTRL_RUMPCTRL_H */
