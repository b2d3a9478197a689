/*
 * msdosfs_shortname.c: checking a new name and choosing its 8.3 short
 * name (fatgen103's "basis-name generation" and "numeric-tail"
 * algorithms, with Linux vfat's rules for what a name may be).
 *
 * A new name: trailing dots are dropped (Linux does), the rest must not
 * be empty (ENOENT), end in a space or hold control characters or any of
 * * ? < > | " : \ / (EINVAL), must be UTF-8 (EINVAL) and fit 255 UTF-16
 * units (ENAMETOOLONG).
 *
 * A name that is already a valid 8.3 name is stored as a short entry
 * alone when its case allows: all upper case, or (shortname=winnt, the
 * default) base and extension each in one case, the lower-case parts
 * marked with the NT flags 0x08/0x10.  Any other name gets long-name
 * slots and a short alias: upper-cased, spaces and leading dots dropped,
 * characters not allowed in short names replaced by '_', base cut to 8
 * and extension to 3; a "~N" tail is added unless the name was a valid
 * 8.3 name differing only in case, and N is the smallest number that no
 * short name in the directory has.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

/* Characters Linux refuses in any name on vfat. */
static int
msdosfs_badchar(uint16_t c)
{
	return c < 0x20 || c == '*' || c == '?' || c == '<' || c == '>' ||
	    c == '|' || c == '"' || c == ':' || c == '/' || c == '\\';
}

/* May upper-cased character c appear in a short name we write? */
static int
msdosfs_shortchar(uint16_t c)
{
	static const char extra[] = "$%'-_@~`!(){}^#&";

	if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	for (const char *p = extra; *p != '\0'; p++)
		if (c == (uint16_t)*p)
			return 1;
	return 0;
}

static uint16_t
msdosfs_upper(uint16_t c)
{
	return (c >= 'a' && c <= 'z') ? (uint16_t)(c - ('a' - 'A')) : c;
}

/*
 * Case of part u[0..n): bit 1 some upper-case letter, bit 2 some lower;
 * -1 if a character cannot be in a short name at all.
 */
static int
msdosfs_partcase(const uint16_t *u, size_t n)
{
	int cases = 0;

	for (size_t i = 0; i < n; i++) {
		if (u[i] >= 'a' && u[i] <= 'z')
			cases |= 2;
		else if (u[i] >= 'A' && u[i] <= 'Z')
			cases |= 1;
		if (!msdosfs_shortchar(msdosfs_upper(u[i])))
			return -1;
	}
	return cases;
}

/* Copy part u[0..n) upper-cased into the short name at dst. */
static void
msdosfs_putpart(uint8_t *dst, const uint16_t *u, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (uint8_t)msdosfs_upper(u[i]);
}

/*
 * Is the name a valid 8.3 name?  Then its short form goes to nn_short
 * and the case of base and extension to *bcase and *ecase.
 */
static int
msdosfs_is83(struct msdosfs_newname *nn, int *bcase, int *ecase)
{
	const uint16_t *u = nn->nn_u;
	size_t n = nn->nn_ulen, dot = n, blen, elen;

	for (size_t i = 0; i < n; i++) {
		if (u[i] == '.') {
			if (dot != n)
				return 0;	/* two dots */
			dot = i;
		}
	}
	blen = dot;
	elen = dot < n ? n - dot - 1 : 0;
	if (blen < 1 || blen > 8 || elen > 3 || (dot < n && elen == 0))
		return 0;
	if ((*bcase = msdosfs_partcase(u, blen)) < 0 ||
	    (*ecase = msdosfs_partcase(u + dot + 1, elen)) < 0)
		return 0;
	memset(nn->nn_short, ' ', DE_NAMELEN);
	msdosfs_putpart(nn->nn_short, u, blen);
	msdosfs_putpart(nn->nn_short + 8, u + dot + 1, elen);
	return 1;
}

/* The basis of a short alias for a name that is not a plain 8.3 name. */
static void
msdosfs_basis(struct msdosfs_newname *nn)
{
	const uint16_t *u = nn->nn_u;
	size_t n = nn->nn_ulen, i, start = 0, lastdot = n, k;
	uint16_t c;

	while (start < n && (u[start] == '.' || u[start] == ' '))
		start++;
	for (i = start; i < n; i++)
		if (u[i] == '.')
			lastdot = i;
	memset(nn->nn_short, ' ', DE_NAMELEN);
	for (i = start, k = 0; i < lastdot && k < 8; i++) {
		if (u[i] == '.' || u[i] == ' ')
			continue;
		c = msdosfs_upper(u[i]);
		nn->nn_short[k++] = msdosfs_shortchar(c) ? (uint8_t)c : '_';
	}
	if (k == 0)
		nn->nn_short[k++] = '_';
	for (i = lastdot + 1, k = 8; i < n && k < DE_NAMELEN; i++) {
		if (u[i] == ' ')
			continue;
		c = msdosfs_upper(u[i]);
		nn->nn_short[k++] = msdosfs_shortchar(c) ? (uint8_t)c : '_';
	}
}

/*
 * Check a new name (we don't trust it: it comes from the caller) and
 * work out how it is stored.  The short name is only a basis until
 * msdosfs_newname_pick has looked at the directory.
 */
int
msdosfs_newname_init(const struct msdosfs_mount *pm, const char *name,
    size_t len, struct msdosfs_newname *nn)
{
	int bcase, ecase, error, nt = pm->pm_args.ma_shortname ==
	    MSDOSFS_SN_WINNT;

	if (name == NULL)
		return EFAULT;
	while (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0)
		return ENOENT;
	if (name[len - 1] == ' ')
		return EINVAL;
	if ((error = msdosfs_utf8_to_u16(name, len, nn->nn_u, &nn->nn_ulen,
	    1)) != 0)
		return error;
	for (size_t i = 0; i < nn->nn_ulen; i++)
		if (msdosfs_badchar(nn->nn_u[i]))
			return EINVAL;
	nn->nn_lcase = 0;
	nn->nn_needlfn = 1;
	nn->nn_exact = 0;
	if (msdosfs_is83(nn, &bcase, &ecase)) {
		nn->nn_exact = 1;
		if ((bcase & 2) == 0 && (ecase & 2) == 0)
			nn->nn_needlfn = 0;		/* all upper case */
		else if (nt && bcase != 3 && ecase != 3) {
			nn->nn_needlfn = 0;
			nn->nn_lcase = (bcase == 2 ? LCASE_BASE : 0) |
			    (ecase == 2 ? LCASE_EXT : 0);
		}
		return 0;
	}
	msdosfs_basis(nn);
	return 0;
}

/* The short name "basis~n" (base cut to make room for the tail). */
static void
msdosfs_tailname(const uint8_t *basis, uint32_t n, uint8_t *out)
{
	char tail[8];
	int tlen = ksnprintf(tail, sizeof(tail), "~%u", n);
	size_t blen = 8;

	memcpy(out, basis, DE_NAMELEN);
	while (blen > 0 && basis[blen - 1] == ' ')
		blen--;
	blen = MIN(blen, 8 - (size_t)tlen);
	memset(out + blen, ' ', 8 - blen);
	memcpy(out + blen, tail, (size_t)tlen);
}

/* What the collision scan collects. */
struct msdosfs_tailscan {
	const uint8_t	*ts_basis;
	int		ts_basistaken;
	uint8_t		*ts_used;	/* bitmap of tails in use */
	uint32_t	ts_max;		/* tails 1..ts_max are tracked */
};

/* Scan callback: note the basis itself and every "basis~n" in use. */
static int
msdosfs_tailscan_fn(struct msdosfs_dirent *de, void *arg)
{
	struct msdosfs_tailscan *ts = arg;
	const uint8_t *name = de->d_ent + DE_NAME;
	uint8_t cand[DE_NAMELEN];
	uint32_t n = 0;
	size_t i;

	if (memcmp(name, ts->ts_basis, DE_NAMELEN) == 0)
		ts->ts_basistaken = 1;
	if (memcmp(name + 8, ts->ts_basis + 8, 3) != 0)
		return 0;
	for (i = 0; i < 8 && name[i] != '~'; i++)
		;
	for (i++; i < 8 && name[i] >= '0' && name[i] <= '9'; i++)
		n = n * 10 + (uint32_t)(name[i] - '0');
	if (n == 0 || n > ts->ts_max)
		return 0;
	msdosfs_tailname(ts->ts_basis, n, cand);
	if (memcmp(cand, name, DE_NAMELEN) == 0)
		ts->ts_used[n / 8] |= (uint8_t)(1u << (n % 8));
	return 0;
}

/*
 * Choose the final short name for nn in directory dn: the basis itself
 * when allowed and free, else the basis with the smallest free "~n"
 * tail.  A directory has at most 65536 entries, so a free n <= 65537
 * always exists.  [m]
 */
int
msdosfs_newname_pick(struct msdosfs_node *dn, struct msdosfs_newname *nn)
{
	struct msdosfs_tailscan ts;
	uint8_t basis[DE_NAMELEN];
	uint32_t n;
	int error;

	memcpy(basis, nn->nn_short, DE_NAMELEN);
	ts.ts_basis = basis;
	ts.ts_basistaken = 0;
	ts.ts_max = DIR_MAXSIZE / DE_SIZE + 1;
	if ((ts.ts_used = kmem_zalloc(ts.ts_max / 8 + 1)) == NULL)
		return ENOMEM;
	error = msdosfs_dir_scan(dn, 0, msdosfs_tailscan_fn, &ts, NULL);
	if (error != 0)
		goto out;
	if (nn->nn_exact && !ts.ts_basistaken)
		goto out;	/* the basis itself */
	if (!nn->nn_needlfn) {
		error = EEXIST;	/* a plain 8.3 name that exists */
		goto out;
	}
	for (n = 1; n <= ts.ts_max; n++)
		if (!(ts.ts_used[n / 8] & (1u << (n % 8))))
			break;
	if (n > ts.ts_max) {
		error = ENOSPC;
		goto out;
	}
	msdosfs_tailname(basis, n, nn->nn_short);
out:
	kmem_free(ts.ts_used);
	return error;
}
