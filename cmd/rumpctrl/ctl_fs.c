/*
 * ctl_fs.c: file tree helpers on kernel paths: sorted directory listings,
 * recursive removal (rm -r, mv across file systems) and copying (cp, mv).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

#define CTL_DIRBUF	32768
#define CTL_COPYBUF	65536

/* qsort order of names: bytewise, as ls(1) in the C locale. */
static int
ctl_names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the names of one getdents64 buffer to out. */
static void
ctl_readdir_add(const char *buf, size_t len, int all, struct ctl_names *out,
    size_t *cap)
{
	size_t off = 0;

	while (off + sizeof(struct kdirent64) <= len) {
		const struct kdirent64 *d = (const void *)(buf + off);
		const char *name = d->d_name;

		/* The kernel's records are trusted to be well formed, but
		 * never followed past the bytes it returned. */
		if (d->d_reclen < sizeof(*d) || off + d->d_reclen > len)
			break;
		off += d->d_reclen;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (!all && name[0] == '.')
			continue;
		if (out->rn_count == *cap) {
			*cap = *cap ? *cap * 2 : 32;
			out->rn_names = ctl_realloc(out->rn_names,
			    *cap * sizeof(char *));
		}
		out->rn_names[out->rn_count++] = ctl_strdup(name);
	}
}

/* Sorted names in directory path (hidden ones only with all). */
int
ctl_readdir(const char *path, int all, struct ctl_names *out)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int fd, error = 0;

	out->rn_names = NULL;
	out->rn_count = 0;
	if ((fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY)) < 0)
		return errno;
	buf = ctl_malloc(CTL_DIRBUF);
	while ((n = rump_sys_getdents64(fd, buf, CTL_DIRBUF)) > 0)
		ctl_readdir_add(buf, (size_t)n, all, out, &cap);
	if (n < 0)
		error = errno;
	rump_sys_close(fd);
	free(buf);
	if (error != 0) {
		ctl_names_free(out);
		return error;
	}
	if (out->rn_count > 1)
		qsort(out->rn_names, out->rn_count, sizeof(char *),
		    ctl_names_cmp);
	return 0;
}

/* Release what ctl_readdir returned. */
void
ctl_names_free(struct ctl_names *n)
{
	size_t i;

	for (i = 0; i < n->rn_count; i++)
		free(n->rn_names[i]);
	free(n->rn_names);
	n->rn_names = NULL;
	n->rn_count = 0;
}

/* Remove path and everything below it; 0, or 1 after a message. */
int
ctl_remove_tree(const char *path, int force)
{
	struct ctl_names names;
	struct stat st;
	size_t i;
	int rv = 0, error;

	if (rump_sys_lstat(path, &st) != 0) {
		if (force && errno == ENOENT)
			return 0;
		ctl_warn("%s", path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (rump_sys_unlink(path) != 0) {
			ctl_warn("%s", path);
			return 1;
		}
		return 0;
	}
	if ((error = ctl_readdir(path, 1, &names)) != 0) {
		ctl_warnc(error, "%s", path);
		return 1;
	}
	for (i = 0; i < names.rn_count; i++) {
		char *sub = ctl_join(path, names.rn_names[i]);

		rv |= ctl_remove_tree(sub, force);
		free(sub);
	}
	ctl_names_free(&names);
	if (rump_sys_rmdir(path) != 0) {
		ctl_warn("%s", path);
		rv = 1;
	}
	return rv;
}

/* Copy the data of open kernel file in to out; 0 or an errno value. */
static int
ctl_copy_data(int in, int out)
{
	char *buf = ctl_malloc(CTL_COPYBUF);
	ssize_t n, w;
	int error = 0;

	while ((n = rump_sys_read(in, buf, CTL_COPYBUF)) != 0) {
		if (n < 0) {
			error = errno;
			break;
		}
		for (ssize_t off = 0; off < n; off += w) {
			if ((w = rump_sys_write(out, buf + off,
			    (size_t)(n - off))) < 0) {
				error = errno;
				goto out;
			}
		}
	}
out:
	free(buf);
	return error;
}

/* Give dst (by fd, or by path when fd < 0) the owner and times of st. */
static void
ctl_copy_attrs(int fd, const char *dst, const struct stat *st, int keepmode)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };

	if (fd >= 0) {
		(void)rump_sys_fchown(fd, st->st_uid, st->st_gid);
		if (keepmode)
			(void)rump_sys_fchmod(fd, st->st_mode & 07777);
		(void)rump_sys_utimensat(fd, NULL, ts, 0);
		return;
	}
	(void)rump_sys_lchown(dst, st->st_uid, st->st_gid);
	if (keepmode)
		(void)rump_sys_chmod(dst, st->st_mode & 07777);
	(void)rump_sys_utimensat(AT_FDCWD, dst, ts, AT_SYMLINK_NOFOLLOW);
}

/* Copy a regular file; 0, or 1 after a message. */
static int
ctl_copy_file(const char *src, const char *dst, const struct stat *st,
    int preserve)
{
	int in, out, error, rv = 0;

	if ((in = rump_sys_open(src, O_RDONLY)) < 0) {
		ctl_warn("%s", src);
		return 1;
	}
	out = rump_sys_open(dst, O_WRONLY | O_CREAT | O_TRUNC,
	    st->st_mode & 0777);
	if (out < 0) {
		ctl_warn("%s", dst);
		rump_sys_close(in);
		return 1;
	}
	if ((error = ctl_copy_data(in, out)) != 0) {
		ctl_warnc(error, "%s -> %s", src, dst);
		rv = 1;
	}
	if (preserve)
		ctl_copy_attrs(out, dst, st, 1);
	rump_sys_close(in);
	if (rump_sys_close(out) != 0 && rv == 0) {
		ctl_warn("%s", dst);
		rv = 1;
	}
	return rv;
}

/* Copy a directory and its contents; 0, or 1 after messages. */
static int
ctl_copy_dir(const char *src, const char *dst, const struct stat *st,
    int preserve)
{
	struct ctl_names names;
	struct stat dstst;
	size_t i;
	int rv = 0, error, created = 0;

	if (rump_sys_mkdir(dst, (st->st_mode & 0777) | S_IRWXU) == 0)
		created = 1;
	else if (errno != EEXIST || rump_sys_stat(dst, &dstst) != 0 ||
	    !S_ISDIR(dstst.st_mode)) {
		ctl_warn("%s", dst);
		return 1;
	}
	if ((error = ctl_readdir(src, 1, &names)) != 0) {
		ctl_warnc(error, "%s", src);
		return 1;
	}
	for (i = 0; i < names.rn_count; i++) {
		char *s = ctl_join(src, names.rn_names[i]);
		char *d = ctl_join(dst, names.rn_names[i]);

		rv |= ctl_copy_path(s, d, 1, preserve);
		free(s);
		free(d);
	}
	ctl_names_free(&names);
	if (preserve)
		ctl_copy_attrs(-1, dst, st, 1);
	else if (created && (st->st_mode & S_IRWXU) != S_IRWXU)
		(void)rump_sys_chmod(dst, st->st_mode & 0777);
	return rv;
}

/* Copy a symbolic link as a link. */
static int
ctl_copy_link(const char *src, const char *dst, const struct stat *st,
    int preserve)
{
	char target[4096];
	ssize_t n;

	if ((n = rump_sys_readlink(src, target, sizeof(target) - 1)) < 0) {
		ctl_warn("%s", src);
		return 1;
	}
	target[n] = '\0';
	if (rump_sys_symlink(target, dst) != 0) {
		ctl_warn("%s", dst);
		return 1;
	}
	if (preserve)
		ctl_copy_attrs(-1, dst, st, 0);
	return 0;
}

/*
 * Copy src to dst.  Without recurse symbolic links are followed and a
 * directory is an error; with it the tree is copied as it is.
 */
int
ctl_copy_path(const char *src, const char *dst, int recurse, int preserve)
{
	struct stat st;
	int r;

	r = recurse ? rump_sys_lstat(src, &st) : rump_sys_stat(src, &st);
	if (r != 0) {
		ctl_warn("%s", src);
		return 1;
	}
	switch (st.st_mode & S_IFMT) {
	case S_IFREG:
		return ctl_copy_file(src, dst, &st, preserve);
	case S_IFDIR:
		if (!recurse) {
			ctl_warnx("%s: is a directory (not copied)", src);
			return 1;
		}
		return ctl_copy_dir(src, dst, &st, preserve);
	case S_IFLNK:
		return ctl_copy_link(src, dst, &st, preserve);
	default:
		if (rump_sys_mknod(dst, st.st_mode, st.st_rdev) != 0) {
			ctl_warn("%s", dst);
			return 1;
		}
		if (preserve)
			ctl_copy_attrs(-1, dst, &st, 1);
		return 0;
	}
}
