/*
 * msdosfs_conv.c: names: UTF-8 (the kernel's) <-> UTF-16 (VFAT long
 * names), short 8.3 names as displayed, case-insensitive comparison and
 * the long-name checksum.
 *
 * Short names are in the OEM code page; we read it as code page 437 (the
 * Linux and mtools default) and write only ASCII into new short names.
 * Case folding is ASCII only, as Linux does with iocharset=utf8.  UTF-16
 * from the image may hold unpaired surrogates: they come out as their
 * 3-byte encodings (so such a name can still be looked up), but new names
 * must be valid UTF-8.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

/* Code page 437, bytes 0x80..0xff. */
static const uint16_t msdosfs_cp437[128] = {
	0x00c7, 0x00fc, 0x00e9, 0x00e2, 0x00e4, 0x00e0, 0x00e5, 0x00e7,
	0x00ea, 0x00eb, 0x00e8, 0x00ef, 0x00ee, 0x00ec, 0x00c4, 0x00c5,
	0x00c9, 0x00e6, 0x00c6, 0x00f4, 0x00f6, 0x00f2, 0x00fb, 0x00f9,
	0x00ff, 0x00d6, 0x00dc, 0x00a2, 0x00a3, 0x00a5, 0x20a7, 0x0192,
	0x00e1, 0x00ed, 0x00f3, 0x00fa, 0x00f1, 0x00d1, 0x00aa, 0x00ba,
	0x00bf, 0x2310, 0x00ac, 0x00bd, 0x00bc, 0x00a1, 0x00ab, 0x00bb,
	0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
	0x2555, 0x2563, 0x2551, 0x2557, 0x255d, 0x255c, 0x255b, 0x2510,
	0x2514, 0x2534, 0x252c, 0x251c, 0x2500, 0x253c, 0x255e, 0x255f,
	0x255a, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256c, 0x2567,
	0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256b,
	0x256a, 0x2518, 0x250c, 0x2588, 0x2584, 0x258c, 0x2590, 0x2580,
	0x03b1, 0x00df, 0x0393, 0x03c0, 0x03a3, 0x03c3, 0x00b5, 0x03c4,
	0x03a6, 0x0398, 0x03a9, 0x03b4, 0x221e, 0x03c6, 0x03b5, 0x2229,
	0x2261, 0x00b1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00f7, 0x2248,
	0x00b0, 0x2219, 0x00b7, 0x221a, 0x207f, 0x00b2, 0x25a0, 0x00a0,
};

/* Decode one UTF-8 sequence at s (n bytes left); 0 bytes if invalid. */
static size_t
msdosfs_utf8_decode(const uint8_t *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0)
		len = 2, c &= 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		len = 3, c &= 0x0f, min = 0x800;
	else if ((c & 0xf8) == 0xf0)
		len = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff)
		return 0;	/* overlong or beyond Unicode */
	*cp = c;
	return len;
}

/*
 * UTF-8 name s (len bytes) to UTF-16 in u (LFN_MAXLEN units).  EINVAL
 * for invalid UTF-8 (with strict, encoded surrogates too: a new name must
 * be real UTF-8, a name looked up may be one we produced from a lone
 * surrogate), ENAMETOOLONG beyond 255 units.
 */
int
msdosfs_utf8_to_u16(const char *s, size_t len, uint16_t *u, size_t *ulenp,
    int strict)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, n = 0, k;
	uint32_t cp;

	while (i < len) {
		if ((k = msdosfs_utf8_decode(p + i, len - i, &cp)) == 0 ||
		    (strict && cp >= 0xd800 && cp <= 0xdfff))
			return EINVAL;
		i += k;
		if (n + (cp >= 0x10000 ? 2 : 1) > LFN_MAXLEN)
			return ENAMETOOLONG;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			u[n++] = (uint16_t)(0xd800 | (cp >> 10));
			u[n++] = (uint16_t)(0xdc00 | (cp & 0x3ff));
		} else
			u[n++] = (uint16_t)cp;
	}
	*ulenp = n;
	return 0;
}

/* Append code point cp as UTF-8 to s (size bytes, *lenp used). */
static int
msdosfs_utf8_put(uint32_t cp, char *s, size_t size, size_t *lenp)
{
	uint8_t b[4];
	size_t n;

	if (cp < 0x80)
		b[0] = (uint8_t)cp, n = 1;
	else if (cp < 0x800) {
		b[0] = (uint8_t)(0xc0 | (cp >> 6));
		b[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xe0 | (cp >> 12));
		b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | (cp >> 18));
		b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (*lenp + n > size)
		return ENAMETOOLONG;
	memcpy(s + *lenp, b, n);
	*lenp += n;
	return 0;
}

/*
 * UTF-16 u (ulen units) to UTF-8 in s (size bytes, no NUL added).
 * ENAMETOOLONG if it does not fit.
 */
int
msdosfs_u16_to_utf8(const uint16_t *u, size_t ulen, char *s, size_t size,
    size_t *lenp)
{
	size_t i, len = 0;
	uint32_t cp;
	int error;

	for (i = 0; i < ulen; i++) {
		cp = u[i];
		if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < ulen &&
		    u[i + 1] >= 0xdc00 && u[i + 1] <= 0xdfff) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (u[i + 1] - 0xdc00);
			i++;
		}
		if ((error = msdosfs_utf8_put(cp, s, size, &len)) != 0)
			return error;
	}
	*lenp = len;
	return 0;
}

/* One short-name byte as UTF-16, lower-cased when asked. */
static uint16_t
msdosfs_oem_to_u16(uint8_t c, int lower)
{
	if (c >= 0x80)
		return msdosfs_cp437[c - 0x80];
	if (lower && c >= 'A' && c <= 'Z')
		return (uint16_t)(c + ('a' - 'A'));
	return c;
}

/*
 * The 11-byte short name as displayed ("BASE.EXT", lower-cased as the
 * NT flags in lcase and the shortname= option say) into u (12 units).
 * Returns the length, 0 for an empty name.
 */
size_t
msdosfs_short_to_u16(const struct msdosfs_mount *pm, const uint8_t *name,
    uint8_t lcase, uint16_t *u)
{
	int mode = pm->pm_args.ma_shortname, lb, le;
	size_t blen = 8, elen = 3, n = 0, i;
	uint8_t c;

	lb = mode == MSDOSFS_SN_LOWER || ((mode == MSDOSFS_SN_WINNT ||
	    mode == MSDOSFS_SN_MIXED) && (lcase & LCASE_BASE));
	le = mode == MSDOSFS_SN_LOWER || ((mode == MSDOSFS_SN_WINNT ||
	    mode == MSDOSFS_SN_MIXED) && (lcase & LCASE_EXT));
	while (blen > 0 && name[blen - 1] == ' ')
		blen--;
	while (elen > 0 && name[8 + elen - 1] == ' ')
		elen--;
	for (i = 0; i < blen; i++) {
		c = (i == 0 && name[0] == DE_E5) ? DE_DELETED : name[i];
		u[n++] = msdosfs_oem_to_u16(c, lb);
	}
	if (elen > 0 && blen > 0) {
		u[n++] = '.';
		for (i = 0; i < elen; i++)
			u[n++] = msdosfs_oem_to_u16(name[8 + i], le);
	}
	return n;
}

/*
 * Can a displayed short name be used as a name: not empty, no '/' and no
 * NUL (a corrupt entry can hold any byte)?
 */
int
msdosfs_short_ok(const uint16_t *u, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (u[i] == '/' || u[i] == 0)
			return 0;
	return 1;
}

/* ASCII lower case of a UTF-16 unit. */
static uint16_t
msdosfs_fold(uint16_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint16_t)(c + ('a' - 'A')) : c;
}

/* Are the two UTF-16 names equal, ignoring ASCII case? */
int
msdosfs_u16_eq(const uint16_t *a, size_t alen, const uint16_t *b,
    size_t blen)
{
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (msdosfs_fold(a[i]) != msdosfs_fold(b[i]))
			return 0;
	return 1;
}

/* The checksum of a short name that its long-name slots carry. */
uint8_t
msdosfs_cksum(const uint8_t *name)
{
	uint8_t sum = 0;

	for (int i = 0; i < DE_NAMELEN; i++)
		sum = (uint8_t)(((sum & 1) ? 0x80 : 0) + (sum >> 1) + name[i]);
	return sum;
}

/* Is the short name "." or ".." (padded with spaces)? */
int
msdosfs_isdotname(const uint8_t *name)
{
	return memcmp(name, ".          ", DE_NAMELEN) == 0 ||
	    memcmp(name, "..         ", DE_NAMELEN) == 0;
}
