/*
 * msdosfs_opts.c: the mount(2) data string of msdosfs.
 *
 * Comma-separated, Linux vfat's names: uid=N, gid=N, umask=OCTAL (both
 * masks), dmask=OCTAL, fmask=OCTAL, shortname=lower|win95|winnt|mixed,
 * tz=UTC, time_offset=MINUTES (-1440..1440), and, accepted because they
 * describe what we do anyway, utf8, iocharset=utf8, codepage=437.  Empty
 * items are ignored; anything else is EINVAL.  The caller fills in the
 * defaults first (the mounter's ids and umask, shortname=winnt, UTC).
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

/* Parse an unsigned number of len characters in base 8 or 10. */
static int
msdosfs_opts_number(const char *s, size_t len, unsigned base, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 20)
		return EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d >= base || v > (UINT64_MAX - d) / base)
			return EINVAL;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* Does the value (len bytes) equal the string word? */
static int
msdosfs_opts_is(const char *val, size_t len, const char *word)
{
	return kstrlen(word) == len && kstrncmp(val, word, len) == 0;
}

/* shortname=: how short names are shown and when they are enough. */
static int
msdosfs_opts_shortname(const char *val, size_t len, struct msdosfs_args *ma)
{
	if (msdosfs_opts_is(val, len, "lower"))
		ma->ma_shortname = MSDOSFS_SN_LOWER;
	else if (msdosfs_opts_is(val, len, "win95"))
		ma->ma_shortname = MSDOSFS_SN_WIN95;
	else if (msdosfs_opts_is(val, len, "winnt"))
		ma->ma_shortname = MSDOSFS_SN_WINNT;
	else if (msdosfs_opts_is(val, len, "mixed"))
		ma->ma_shortname = MSDOSFS_SN_MIXED;
	else
		return EINVAL;
	return 0;
}

/* time_offset=: minutes east of UTC, optionally negative. */
static int
msdosfs_opts_tzoff(const char *val, size_t len, struct msdosfs_args *ma)
{
	uint64_t v;
	int neg = len > 0 && val[0] == '-', error;

	if ((error = msdosfs_opts_number(val + neg, len - (size_t)neg, 10,
	    &v)) != 0)
		return error;
	if (v > 24 * 60)
		return EINVAL;
	ma->ma_tzoff = (int32_t)v * 60 * (neg ? -1 : 1);
	return 0;
}

/* One "key=value" (or "key" alone: val NULL) option. */
static int
msdosfs_opts_one(const char *key, size_t klen, const char *val, size_t vlen,
    struct msdosfs_args *ma)
{
	uint64_t v;
	int error;

	if (val == NULL)
		return msdosfs_opts_is(key, klen, "utf8") ? 0 : EINVAL;
	if (msdosfs_opts_is(key, klen, "uid") ||
	    msdosfs_opts_is(key, klen, "gid")) {
		if ((error = msdosfs_opts_number(val, vlen, 10, &v)) != 0)
			return error;
		if (v >= UINT32_MAX)
			return EINVAL;
		if (key[0] == 'u')
			ma->ma_uid = (uid_t)v;
		else
			ma->ma_gid = (gid_t)v;
		return 0;
	}
	if (msdosfs_opts_is(key, klen, "umask") ||
	    msdosfs_opts_is(key, klen, "dmask") ||
	    msdosfs_opts_is(key, klen, "fmask")) {
		if ((error = msdosfs_opts_number(val, vlen, 8, &v)) != 0)
			return error;
		if (v > 0777)
			return EINVAL;
		if (key[0] != 'f')
			ma->ma_dmask = (mode_t)v;
		if (key[0] != 'd')
			ma->ma_fmask = (mode_t)v;
		return 0;
	}
	if (msdosfs_opts_is(key, klen, "shortname"))
		return msdosfs_opts_shortname(val, vlen, ma);
	if (msdosfs_opts_is(key, klen, "time_offset"))
		return msdosfs_opts_tzoff(val, vlen, ma);
	if (msdosfs_opts_is(key, klen, "tz"))
		return msdosfs_opts_is(val, vlen, "UTC") ? (ma->ma_tzoff = 0, 0) :
		    EINVAL;
	if (msdosfs_opts_is(key, klen, "iocharset"))
		return msdosfs_opts_is(val, vlen, "utf8") ? 0 : EINVAL;
	if (msdosfs_opts_is(key, klen, "codepage"))
		return msdosfs_opts_is(val, vlen, "437") ? 0 : EINVAL;
	if (msdosfs_opts_is(key, klen, "utf8"))
		return msdosfs_opts_is(val, vlen, "1") ? 0 : EINVAL;
	return EINVAL;
}

/* Parse data (may be NULL) into ma, which holds the defaults. */
int
msdosfs_opts_parse(const char *data, struct msdosfs_args *ma)
{
	const char *p, *end, *eq;
	size_t len;
	int error;

	if (data == NULL)
		return 0;
	len = kstrnlen(data, 4096);
	if (len >= 4096)
		return EINVAL;
	for (p = data; p < data + len; p = end + 1) {
		for (end = p; end < data + len && *end != ','; end++)
			;
		if (end == p)
			continue;
		for (eq = p; eq < end && *eq != '='; eq++)
			;
		if (eq == end)
			error = msdosfs_opts_one(p, (size_t)(end - p), NULL, 0,
			    ma);
		else
			error = msdosfs_opts_one(p, (size_t)(eq - p), eq + 1,
			    (size_t)(end - eq - 1), ma);
		if (error != 0)
			return error;
	}
	return 0;
}
