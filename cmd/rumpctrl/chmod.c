/*
 * chmod.c: rump.chmod and rump.chown, change modes and owners.
 *
 *	rump.chmod [-R] MODE FILE...          MODE: 755 or u+x,go-w
 *	rump.chown [-R] [-h] UID[:GID] FILE...   numeric ids; ":GID" too
 *
 * With -R, directories are walked; symbolic links below the operands are
 * not followed (chmod skips them, chown changes the link itself).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

/* What to do to each file of a walk. */
struct chmod_job {
	const char *cj_mode;		/* chmod: the spec */
	mode_t cj_umask;
	uid_t cj_uid;			/* chown: (uid_t)-1 to keep */
	gid_t cj_gid;
	int cj_chown, cj_nofollow, cj_recurse;
};

/* Apply the job to one path (st: its status; nofollow: links themselves). */
static int
chmod_apply(const char *path, const struct stat *st, int nofollow,
    const struct chmod_job *j)
{
	mode_t m;
	int r;

	if (j->cj_chown) {
		r = nofollow ? rump_sys_lchown(path, j->cj_uid, j->cj_gid)
		    : rump_sys_chown(path, j->cj_uid, j->cj_gid);
	} else {
		if (S_ISLNK(st->st_mode))
			return CTL_OK;	/* links have no mode of their own */
		if (ctl_mode_parse(j->cj_mode, st->st_mode, j->cj_umask,
		    S_ISDIR(st->st_mode), &m) != 0) {
			ctl_warnx("invalid mode '%s'", j->cj_mode);
			return CTL_ERR;
		}
		r = rump_sys_chmod(path, m);
	}
	if (r != 0) {
		ctl_warn("%s", path);
		return CTL_ERR;
	}
	return CTL_OK;
}

/* Apply the job to path and, with -R, everything below it. */
static int
chmod_walk(const char *path, int top, const struct chmod_job *j)
{
	struct ctl_names names;
	struct stat st;
	int rv, error, r;

	r = top && !j->cj_nofollow ? rump_sys_stat(path, &st) :
	    rump_sys_lstat(path, &st);
	if (r != 0) {
		ctl_warn("%s", path);
		return CTL_ERR;
	}
	rv = chmod_apply(path, &st, !top || j->cj_nofollow, j);
	if (!j->cj_recurse || !S_ISDIR(st.st_mode))
		return rv;
	if ((error = ctl_readdir(path, 1, &names)) != 0) {
		ctl_warnc(error, "%s", path);
		return CTL_ERR;
	}
	for (size_t i = 0; i < names.rn_count; i++) {
		char *sub = ctl_join(path, names.rn_names[i]);

		rv |= chmod_walk(sub, 0, j);
		free(sub);
	}
	ctl_names_free(&names);
	return rv;
}

/* rump.chmod: check the mode's syntax, connect, walk each operand. */
int
ctl_chmod_main(int argc, char **argv)
{
	struct chmod_job j = { 0 };
	int ch, rv = CTL_OK;
	mode_t m;

	while ((ch = ctl_getopt(argc, argv, "R")) != -1) {
		switch (ch) {
		case 'R': j.cj_recurse = 1; break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		return ctl_usage();
	j.cj_mode = argv[0];
	if (ctl_mode_parse(j.cj_mode, 0, 0, 0, &m) != 0) {
		ctl_warnx("invalid mode '%s'", j.cj_mode);
		return CTL_USAGE;
	}
	ctl_connect();
	j.cj_umask = rump_sys_umask(0);
	rump_sys_umask(j.cj_umask);
	for (int i = 1; i < argc; i++)
		rv |= chmod_walk(argv[i], 1, &j);
	return rv;
}

/* An id: digits only, below (id_t)-1, which means "unchanged". */
static int
chown_id(const char *s, size_t len, unsigned *out)
{
	char buf[16];
	uint64_t v;

	if (len == 0 || len >= sizeof(buf))
		return EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (ctl_parse_uint(buf, 0xfffffffeu, &v) != 0)
		return EINVAL;
	*out = (unsigned)v;
	return 0;
}

/* "UID", "UID:GID", ":GID" (or with '.'); 0 or EINVAL after a message. */
static int
chown_spec(const char *spec, struct chmod_job *j)
{
	const char *sep = strpbrk(spec, ":.");
	size_t ulen = sep != NULL ? (size_t)(sep - spec) : strlen(spec);
	unsigned id;

	j->cj_uid = (uid_t)-1;
	j->cj_gid = (gid_t)-1;
	if (ulen > 0) {
		if (chown_id(spec, ulen, &id) != 0) {
			ctl_warnx("invalid user: '%.*s' (ids are numeric)",
			    (int)ulen, spec);
			return EINVAL;
		}
		j->cj_uid = id;
	}
	if (sep != NULL) {
		if (chown_id(sep + 1, strlen(sep + 1), &id) != 0) {
			ctl_warnx("invalid group: '%s' (ids are numeric)",
			    sep + 1);
			return EINVAL;
		}
		j->cj_gid = id;
	} else if (ulen == 0) {
		ctl_warnx("invalid user: '%s'", spec);
		return EINVAL;
	}
	return 0;
}

/* rump.chown: parse the ids, connect, walk each operand. */
int
ctl_chown_main(int argc, char **argv)
{
	struct chmod_job j = { .cj_chown = 1 };
	int ch, rv = CTL_OK;

	while ((ch = ctl_getopt(argc, argv, "Rh")) != -1) {
		switch (ch) {
		case 'R': j.cj_recurse = 1; break;
		case 'h': j.cj_nofollow = 1; break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		return ctl_usage();
	if (chown_spec(argv[0], &j) != 0)
		return CTL_USAGE;
	ctl_connect();
	for (int i = 1; i < argc; i++)
		rv |= chmod_walk(argv[i], 1, &j);
	return rv;
}
