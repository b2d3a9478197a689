/*
 * fatfmt.c: compute the layout of a new FAT file system and build its
 * boot sector, FSInfo sector, FAT heads and root directory.  No I/O: the
 * same input always gives the same bytes, which is what the unit test
 * (tests/fatfmt_test.c) relies on.
 *
 * Layout, from sector 0: reserved sectors (boot sector; on FAT32 also
 * FSInfo at 1 and their backups at 6 and 7), nfats FATs of fatsz
 * sectors, the fixed root directory (FAT12/16 only), then clusters 2 ..
 * clusters+1.  FAT32's root directory is cluster 2.
 *
 * The FAT size is the smallest that has an entry for every cluster plus
 * the two reserved entries, found by bisection (the specification's
 * closed formula may overshoot by a sector).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fatfmt.h"

/* How a layout for one FAT type came out. */
enum ff_result { FF_OK, FF_SMALL, FF_LARGE, FF_BAD };

#define FF_MAXSECTORS	0xffffffffu	/* BPB_TotSec32 */

/* The reason a layout is refused, into why. */
static void __attribute__((format(printf, 3, 4)))
ff_why(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* Little-endian stores into on-disk structures. */
static void
ff_put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
ff_put32(uint8_t *p, uint32_t v)
{
	ff_put16(p, v & 0xffff);
	ff_put16(p + 2, v >> 16);
}

/* The fewest and most clusters a FAT type may have. */
static uint32_t
ff_minclus(unsigned type)
{
	return type == 12 ? 1 : type == 16 ? FATFMT_FAT16_MINCLUS :
	    FATFMT_FAT32_MINCLUS;
}

static uint32_t
ff_maxclus(unsigned type)
{
	return type == 12 ? FATFMT_FAT12_MAXCLUS : type == 16 ?
	    FATFMT_FAT16_MAXCLUS : FATFMT_FAT32_MAXCLUS;
}

/* Clusters left for data when each FAT has f sectors; d sectors follow
 * the reserved sectors and the root directory. */
static uint64_t
ff_clusters(uint64_t d, unsigned nfats, unsigned spc, uint64_t f)
{
	return d > nfats * f ? (d - nfats * f) / spc : 0;
}

/* The smallest FAT (in sectors) with entries for all its clusters. */
static uint64_t
ff_fatsize(unsigned type, unsigned bps, unsigned nfats, unsigned spc,
    uint64_t d)
{
	uint64_t lo = 1, hi = d / nfats + 1, mid;

	/* At hi no cluster is left, and one sector holds two entries. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (mid * bps * 8 / type >=
		    ff_clusters(d, nfats, spc, mid) + 2)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Lay out l (type, sizes and root already set) with spc sectors per
 * cluster, and say whether the cluster count suits the type. */
static enum ff_result
ff_fit(struct fatfmt_layout *l, unsigned spc)
{
	uint64_t d, f, n;

	l->fl_spc = spc;
	l->fl_fatsz = 0;
	l->fl_clusters = 0;
	if ((uint64_t)l->fl_rsvd + l->fl_rootsec + l->fl_nfats >=
	    l->fl_totsec)
		return FF_SMALL;
	d = (uint64_t)l->fl_totsec - l->fl_rsvd - l->fl_rootsec;
	f = ff_fatsize(l->fl_type, l->fl_bps, l->fl_nfats, spc, d);
	n = ff_clusters(d, l->fl_nfats, spc, f);
	l->fl_fatsz = (uint32_t)f;
	l->fl_clusters = (uint32_t)n;
	l->fl_datasec = (uint32_t)(l->fl_rsvd + l->fl_nfats * f +
	    l->fl_rootsec);
	if (n < ff_minclus(l->fl_type))
		return FF_SMALL;
	if (n > ff_maxclus(l->fl_type))
		return FF_LARGE;
	return FF_OK;
}

/* Grow or shrink the cluster from start until the count suits the
 * type: bigger clusters when there are too many, smaller when too few. */
static enum ff_result
ff_choose_spc(struct fatfmt_layout *l, unsigned start)
{
	enum ff_result r, prev = FF_OK;
	unsigned spc = start;

	for (;;) {
		r = ff_fit(l, spc);
		if (r == FF_LARGE && prev != FF_SMALL &&
		    spc * 2 * l->fl_bps <= FATFMT_MAXCLUSBYTES)
			spc *= 2;
		else if (r == FF_SMALL && prev != FF_LARGE && spc > 1)
			spc /= 2;
		else
			return r;
		prev = r;
	}
}

/* The specification's default sectors per cluster (its tables are in
 * 512-byte sectors; n512 is the size in those), for bps-byte sectors. */
static unsigned
ff_defspc(unsigned type, uint64_t n512, unsigned bps)
{
	unsigned spc512;

	if (type == 12)
		spc512 = 1;		/* no table: the smallest that fits */
	else if (type == 16)
		spc512 = n512 <= 32680 ? 2 : n512 <= 262144 ? 4 :
		    n512 <= 524288 ? 8 : n512 <= 1048576 ? 16 :
		    n512 <= 2097152 ? 32 : 64;
	else
		spc512 = n512 <= 532480 ? 1 : n512 <= 16777216 ? 8 :
		    n512 <= 33554432 ? 16 : n512 <= 67108864 ? 32 : 64;
	return spc512 * 512 / bps > 0 ? spc512 * 512 / bps : 1;
}

/* Root directory entries rounded up to whole sectors (the spec asks
 * for that), staying below 65536. */
static unsigned
ff_rootent(unsigned want, unsigned bps)
{
	unsigned per = bps / FATFMT_DIRENT, n;

	n = (want + per - 1) / per * per;
	return n > 0xffff ? n - per : n;
}

/* Say why the layout in l (result r) does not suit its type. */
static void
ff_explain(const struct fatfmt_layout *l, int fixedspc, enum ff_result r,
    char *why, size_t len)
{
	unsigned bpc = l->fl_spc * l->fl_bps;

	if (r == FF_SMALL && l->fl_type == 12 && !fixedspc)
		ff_why(why, len, "%u sectors are too few for a FAT file "
		    "system (at least %u needed)", (unsigned)l->fl_totsec,
		    l->fl_rsvd + l->fl_nfats + l->fl_rootsec + 1);
	else if (fixedspc)
		ff_why(why, len, "FAT%u with %u-byte clusters would have "
		    "%u clusters (%s %u); use %s clusters (-c)", l->fl_type,
		    bpc, (unsigned)l->fl_clusters,
		    r == FF_SMALL ? "at least" : "at most",
		    (unsigned)(r == FF_SMALL ? ff_minclus(l->fl_type) :
		    ff_maxclus(l->fl_type)),
		    r == FF_SMALL ? "smaller" : "larger");
	else
		ff_why(why, len, "%u sectors are too %s for FAT%u (%s %u "
		    "clusters, even of %u bytes)", (unsigned)l->fl_totsec,
		    r == FF_SMALL ? "few" : "many", l->fl_type,
		    r == FF_SMALL ? "at least" : "at most",
		    (unsigned)(r == FF_SMALL ? ff_minclus(l->fl_type) :
		    ff_maxclus(l->fl_type)), bpc);
}

/* Lay out a file system of one FAT type. */
static enum ff_result
ff_type(const struct fatfmt_opts *o, unsigned type, struct fatfmt_layout *l,
    char *why, size_t len)
{
	enum ff_result r;

	memset(l, 0, sizeof(*l));
	l->fl_type = type;
	l->fl_bps = o->fo_bps;
	l->fl_nfats = o->fo_nfats != 0 ? o->fo_nfats : 2;
	l->fl_totsec = (uint32_t)o->fo_sectors;
	l->fl_rsvd = o->fo_rsvd != 0 ? o->fo_rsvd :
	    type == 32 ? FATFMT_FAT32_RSVD : 1;
	if (type == 32 && l->fl_rsvd < FATFMT_FAT32_MINRSVD) {
		ff_why(why, len, "FAT32 needs at least %u reserved sectors "
		    "(for the backup boot sector at %u)",
		    FATFMT_FAT32_MINRSVD, FATFMT_BACKUP_SEC);
		return FF_BAD;
	}
	if (type == 32 && o->fo_rootent != 0) {
		ff_why(why, len, "FAT32 has no fixed root directory (-e is "
		    "for FAT12 and FAT16)");
		return FF_BAD;
	}
	if (type != 32) {
		l->fl_rootent = ff_rootent(o->fo_rootent != 0 ?
		    o->fo_rootent : FATFMT_DEFROOTENT, o->fo_bps);
		l->fl_rootsec = l->fl_rootent * FATFMT_DIRENT / o->fo_bps;
	}
	if (o->fo_spc != 0)
		r = ff_fit(l, o->fo_spc);
	else
		r = ff_choose_spc(l, ff_defspc(type,
		    o->fo_sectors * o->fo_bps / 512, o->fo_bps));
	if (r != FF_OK)
		ff_explain(l, o->fo_spc != 0, r, why, len);
	return r;
}

/* Check what the caller asked for; 0, EINVAL or EFBIG with a reason. */
static int
ff_check_opts(const struct fatfmt_opts *o, char *why, size_t len)
{
	unsigned b = o->fo_bps, c = o->fo_spc;

	if (b != 512 && b != 1024 && b != 2048 && b != 4096) {
		ff_why(why, len, "sector size %u: not 512, 1024, 2048 or "
		    "4096", b);
		return EINVAL;
	}
	if (c > 128 || (c & (c - 1)) != 0 || c * b > FATFMT_MAXCLUSBYTES) {
		ff_why(why, len, "%u sectors per cluster: not a power of 2 "
		    "giving at most %u bytes", c, FATFMT_MAXCLUSBYTES);
		return EINVAL;
	}
	if (o->fo_type != 0 && o->fo_type != 12 && o->fo_type != 16 &&
	    o->fo_type != 32) {
		ff_why(why, len, "FAT type %u: not 12, 16 or 32", o->fo_type);
		return EINVAL;
	}
	if (o->fo_nfats > FATFMT_MAXFATS || o->fo_rsvd > 0xffff ||
	    o->fo_rootent > 0xffff) {
		ff_why(why, len, "number of FATs, reserved sectors or root "
		    "entries out of range");
		return EINVAL;
	}
	if (o->fo_sectors > FF_MAXSECTORS) {
		ff_why(why, len, "%llu sectors: a FAT file system counts at "
		    "most %u; use larger sectors (-S) or fewer (-s)",
		    (unsigned long long)o->fo_sectors, FF_MAXSECTORS);
		return EFBIG;
	}
	return 0;
}

/* The type the size suggests: FAT32 from 512 MiB (as the spec's
 * tables), FAT12 up to 8400 512-byte sectors (where its FAT16 table
 * starts), FAT16 between. */
static unsigned
ff_preferred(const struct fatfmt_opts *o)
{
	uint64_t n512 = o->fo_sectors * o->fo_bps / 512;

	return n512 >= 1048576 ? 32 : n512 > 8400 ? 16 : 12;
}

/* The layout for o: the requested type, or the one the size suggests
 * and, if that cannot be, the first other type that fits. */
int
fatfmt_compute(const struct fatfmt_opts *o, struct fatfmt_layout *l,
    char *why, size_t whylen)
{
	static const unsigned order[3][3] = {
		{ 12, 16, 32 }, { 16, 12, 32 }, { 32, 16, 12 } };
	struct fatfmt_layout t;
	char first[256] = "", small[256] = "", cur[256];
	unsigned pref;
	int error, i;

	if ((error = ff_check_opts(o, why, whylen)) != 0)
		return error;
	if (o->fo_type != 0)
		return ff_type(o, o->fo_type, l, why, whylen) == FF_OK ? 0 :
		    EINVAL;
	pref = ff_preferred(o);
	for (i = 0; i < 3; i++) {
		const unsigned type = order[pref / 16][i];
		enum ff_result r = ff_type(o, type, &t, cur, sizeof(cur));

		if (r == FF_OK) {
			*l = t;
			return 0;
		}
		if (i == 0)
			memcpy(first, cur, sizeof(first));
		if (type == 12 && r == FF_SMALL)
			memcpy(small, cur, sizeof(small));
	}
	/* Too small even for FAT12 says the most; else the first reason. */
	ff_why(why, whylen, "%s", small[0] != '\0' ? small : first);
	return EINVAL;
}

/* Check and store a volume label: 1 to 11 ASCII characters allowed in
 * a short name, not starting with a space; upper-cased, space-padded. */
int
fatfmt_label(const char *s, char out[11], char *why, size_t whylen)
{
	static const char bad[] = "\"*+,./:;<=>?[\\]|";
	size_t n = strlen(s), i;

	if (n == 0 || n > 11) {
		ff_why(why, whylen, "label '%s': must be 1 to 11 characters",
		    s);
		return EINVAL;
	}
	if (s[0] == ' ') {
		ff_why(why, whylen, "label '%s': must not start with a space",
		    s);
		return EINVAL;
	}
	memset(out, ' ', 11);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c > 0x7e || strchr(bad, c) != NULL) {
			ff_why(why, whylen, "label '%s': character '%c' is "
			    "not allowed (only ASCII letters, digits, spaces "
			    "and !#$%%&'()-@^_`{}~)", s, c >= 0x20 && c < 0x7f ?
			    c : '?');
			return EINVAL;
		}
		out[i] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
	}
	return 0;
}

/* First sector of the root directory. */
uint32_t
fatfmt_rootsec(const struct fatfmt_layout *l)
{
	return l->fl_type == 32 ? l->fl_datasec :
	    l->fl_datasec - l->fl_rootsec;
}

/* Sectors the writer zeroes: everything up to the end of the root
 * directory (FAT32: its first cluster). */
uint32_t
fatfmt_syssecs(const struct fatfmt_layout *l)
{
	return l->fl_datasec + (l->fl_type == 32 ? l->fl_spc : 0);
}

/* The boot sector: jump, OEM name, BPB, extended BPB, a boot stub that
 * hands back to the BIOS (int 18h) and the 0x55 0xAA signature. */
void
fatfmt_bootsect(const struct fatfmt_layout *l, const struct fatfmt_vol *v,
    uint8_t *buf)
{
	static const uint8_t stub[] = { 0xcd, 0x18, 0xfa, 0xf4, 0xeb, 0xfd };
	const int f32 = l->fl_type == 32, small = !f32 &&
	    l->fl_totsec <= 0xffff;
	uint8_t *ext = buf + (f32 ? 64 : 36);
	const unsigned code = f32 ? 90 : 62;

	memset(buf, 0, l->fl_bps);
	buf[0] = 0xeb;
	buf[1] = (uint8_t)(code - 2);
	buf[2] = 0x90;
	memcpy(buf + 3, "RUMPKERN", 8);
	ff_put16(buf + 11, l->fl_bps);
	buf[13] = (uint8_t)l->fl_spc;
	ff_put16(buf + 14, l->fl_rsvd);
	buf[16] = (uint8_t)l->fl_nfats;
	ff_put16(buf + 17, l->fl_rootent);
	ff_put16(buf + 19, small ? l->fl_totsec : 0);
	buf[21] = FATFMT_MEDIA;
	ff_put16(buf + 22, f32 ? 0 : l->fl_fatsz);
	ff_put16(buf + 24, 32);		/* sectors per track, heads: */
	ff_put16(buf + 26, 64);		/* only for the BIOS */
	ff_put32(buf + 32, small ? 0 : l->fl_totsec);
	if (f32) {
		ff_put32(buf + 36, l->fl_fatsz);
		/* flags 0: FATs mirrored; version 0.0 */
		ff_put32(buf + 44, 2);	/* root directory cluster */
		ff_put16(buf + 48, FATFMT_FSINFO_SEC);
		ff_put16(buf + 50, FATFMT_BACKUP_SEC);
	}
	ext[0] = 0x80;			/* drive number: hard disk */
	ext[2] = 0x29;			/* the next three fields are there */
	ff_put32(ext + 3, v->fv_volid);
	memcpy(ext + 7, v->fv_label, 11);
	memcpy(ext + 18, l->fl_type == 12 ? "FAT12   " : l->fl_type == 16 ?
	    "FAT16   " : "FAT32   ", 8);
	memcpy(buf + code, stub, sizeof(stub));
	buf[510] = 0x55;
	buf[511] = 0xaa;
}

/* FAT32's FSInfo sector: every cluster but the root's is free, and
 * the root's (2) was the last one allocated. */
void
fatfmt_fsinfo(const struct fatfmt_layout *l, uint8_t *buf)
{
	memset(buf, 0, l->fl_bps);
	ff_put32(buf, 0x41615252);
	ff_put32(buf + 484, 0x61417272);
	ff_put32(buf + 488, l->fl_clusters - 1);
	ff_put32(buf + 492, 2);
	ff_put32(buf + 508, 0xaa550000);
}

/* The first sector of each FAT: entry 0 holds the media byte, entry 1
 * end-of-chain (with FAT16/32's "clean" bits set), and on FAT32 the
 * root directory's cluster 2 is a chain of one. */
void
fatfmt_fathead(const struct fatfmt_layout *l, uint8_t *buf)
{
	memset(buf, 0, l->fl_bps);
	if (l->fl_type == 12) {
		buf[0] = FATFMT_MEDIA;		/* 0xff8, 0xfff packed */
		buf[1] = 0xff;
		buf[2] = 0xff;
	} else if (l->fl_type == 16) {
		ff_put16(buf, 0xff00 | FATFMT_MEDIA);
		ff_put16(buf + 2, 0xffff);
	} else {
		ff_put32(buf, 0x0fffff00 | FATFMT_MEDIA);
		ff_put32(buf + 4, 0x0fffffff);
		ff_put32(buf + 8, 0x0fffffff);
	}
}

/* The first sector of the root directory: empty, or the label entry. */
void
fatfmt_rootdir(const struct fatfmt_layout *l, const struct fatfmt_vol *v,
    uint8_t *buf)
{
	memset(buf, 0, l->fl_bps);
	if (!v->fv_haslabel)
		return;
	memcpy(buf, v->fv_label, 11);
	buf[11] = 0x08;				/* ATTR_VOLUME_ID */
	ff_put16(buf + 14, v->fv_time);		/* created */
	ff_put16(buf + 16, v->fv_date);
	ff_put16(buf + 18, v->fv_date);		/* accessed */
	ff_put16(buf + 22, v->fv_time);		/* written */
	ff_put16(buf + 24, v->fv_date);
}

/* DOS date (years from 1980, month, day) and time (two-second units);
 * years outside 1980..2107 are clamped. */
void
fatfmt_dostime(int year, int mon, int mday, int hour, int min, int sec,
    uint16_t *date, uint16_t *time)
{
	if (year < 1980) {
		year = 1980;
		mon = mday = 1;
		hour = min = sec = 0;
	} else if (year > 2107) {
		year = 2107;
		mon = 12;
		mday = 31;
		hour = 23;
		min = 59;
		sec = 58;
	}
	*date = (uint16_t)(((year - 1980) << 9) | (mon << 5) | mday);
	*time = (uint16_t)((hour << 11) | (min << 5) | (sec / 2));
}
