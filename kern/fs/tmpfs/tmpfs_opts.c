/*
 * tmpfs_opts.c: the mount(2) data string of tmpfs.
 *
 * "size=N[k|m|g|t|p|e|%],nr_inodes=N[k|m|g],mode=OCTAL,uid=N,gid=N",
 * comma separated, as Linux.  size=0 and nr_inodes=0 mean no limit.
 * Anything else is EINVAL.
 */
#include "kern.h"
#include "fs/tmpfs/tmpfs_node.h"

/* The longest option string we look at (the VFS bounds it as well). */
#define TMPFS_OPTS_MAX	4096

/* Parse an unsigned number of len characters in base 8 or 10. */
static int
tmpfs_opts_number(const char *s, size_t len, unsigned base, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return EINVAL;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d >= base)
			return EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return EINVAL;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* Multiply v by the binary suffix letter c (k, m, g, ...); EINVAL. */
static int
tmpfs_opts_scale(uint64_t *v, char c, const char *letters)
{
	const char *p;
	unsigned shift = 10;

	for (p = letters; *p != '\0'; p++, shift += 10) {
		if (c == *p || c == *p - 'a' + 'A') {
			if (*v > (UINT64_MAX >> shift))
				return EINVAL;
			*v <<= shift;
			return 0;
		}
	}
	return EINVAL;
}

/* size=: bytes with a suffix, or a percentage of physical memory. */
static int
tmpfs_opts_size(const char *s, size_t len, uint64_t *pages)
{
	uint64_t v;
	char last;
	int error;

	if (len == 0)
		return EINVAL;
	last = s[len - 1];
	if (last == '%') {
		if ((error = tmpfs_opts_number(s, len - 1, 10, &v)) != 0)
			return error;
		if (v > 1000000)	/* keeps the product below 2^64 */
			return EINVAL;
		*pages = (hyp_physmem() / TMPFS_PAGE_SIZE) * v / 100;
		return 0;
	}
	if (last < '0' || last > '9') {
		if ((error = tmpfs_opts_number(s, len - 1, 10, &v)) != 0 ||
		    (error = tmpfs_opts_scale(&v, last, "kmgtpe")) != 0)
			return error;
	} else if ((error = tmpfs_opts_number(s, len, 10, &v)) != 0)
		return error;
	*pages = v / TMPFS_PAGE_SIZE + ((v & TMPFS_PAGE_MASK) != 0);
	return 0;
}

/* nr_inodes=: a count with an optional k/m/g suffix. */
static int
tmpfs_opts_count(const char *s, size_t len, uint64_t *out)
{
	char last;
	int error;

	if (len == 0)
		return EINVAL;
	last = s[len - 1];
	if (last >= '0' && last <= '9')
		return tmpfs_opts_number(s, len, 10, out);
	if ((error = tmpfs_opts_number(s, len - 1, 10, out)) != 0)
		return error;
	return tmpfs_opts_scale(out, last, "kmg");
}

/* An id (uid=, gid=): decimal, fits 32 bits, not (uid_t)-1. */
static int
tmpfs_opts_id(const char *s, size_t len, uint32_t *out)
{
	uint64_t v;
	int error;

	if ((error = tmpfs_opts_number(s, len, 10, &v)) != 0)
		return error;
	if (v >= UINT32_MAX)
		return EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* One "key=value" option of klen+vlen characters. */
static int
tmpfs_opts_one(const char *key, size_t klen, const char *val, size_t vlen,
    struct tmpfs_args *ta)
{
	uint64_t v;
	int error;

#define KEY(k) (klen == sizeof(k) - 1 && memcmp(key, k, klen) == 0)
	if (KEY("size"))
		return tmpfs_opts_size(val, vlen, &ta->ta_pages);
	if (KEY("nr_inodes"))
		return tmpfs_opts_count(val, vlen, &ta->ta_nodes);
	if (KEY("mode")) {
		if ((error = tmpfs_opts_number(val, vlen, 8, &v)) != 0)
			return error;
		if (v > ALLPERMS)
			return EINVAL;
		ta->ta_mode = (mode_t)v;
		return 0;
	}
	if (KEY("uid"))
		return tmpfs_opts_id(val, vlen, &ta->ta_uid);
	if (KEY("gid"))
		return tmpfs_opts_id(val, vlen, &ta->ta_gid);
#undef KEY
	return EINVAL;
}

/*
 * Parse data (NULL: none) into ta, which holds the defaults on entry.
 * We don't trust the string: every value is checked, lengths bounded.
 */
int
tmpfs_opts_parse(const char *data, struct tmpfs_args *ta)
{
	const char *p, *end, *eq;
	size_t len;
	int error;

	if (data == NULL)
		return 0;
	len = kstrnlen(data, TMPFS_OPTS_MAX + 1);
	if (len > TMPFS_OPTS_MAX)
		return EINVAL;
	for (p = data; p < data + len; p = end + 1) {
		for (end = p; end < data + len && *end != ','; end++)
			continue;
		if (end == p)
			continue;		/* empty option: ",," */
		for (eq = p; eq < end && *eq != '='; eq++)
			continue;
		if (eq == end)
			return EINVAL;		/* every option has a value */
		error = tmpfs_opts_one(p, (size_t)(eq - p), eq + 1,
		    (size_t)(end - eq - 1), ta);
		if (error != 0)
			return error;
	}
	return 0;
}
