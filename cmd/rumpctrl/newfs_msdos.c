/*
 * newfs_msdos.c: rump.newfs_msdos, make a FAT file system on a kernel
 * block device.
 *
 *	rump.newfs_msdos [-Nv] [-F 12|16|32] [-c sectors-per-cluster]
 *	    [-e root-entries] [-I volume-id] [-L label] [-n FATs]
 *	    [-r reserved] [-S sector-size] [-s total-sectors] DEVICE
 *
 * The layout comes from fatfmt.c; this file checks the arguments, opens
 * the device in the kernel, prints what it will make and writes it:
 * first zeros over everything up to the end of the root directory (in
 * large chunks), then the FAT heads, root directory and FSInfo, and the
 * boot sector last, so that an interrupted run leaves no valid-looking
 * file system behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump_kabi.h>
#include <rump/rump_syscalls.h>

#include "rumpctrl.h"
#include "fatfmt.h"

#define NF_CHUNK	(4u << 20)	/* bytes per zeroing write */
#define NF_PROGRESS_MIN	(16u << 20)	/* -v shows progress from here */

/* The parsed command line. */
struct nf_args {
	struct fatfmt_opts na_opts;	/* fo_sectors: -s, or 0 */
	struct fatfmt_vol na_vol;
	int na_hasvolid;
	int na_verbose;
	int na_dryrun;			/* -N: compute and print only */
	const char *na_dev;
};

/* A volume id: decimal, 0x-prefixed hex, or XXXX-XXXX as shown. */
static int
nf_parse_volid(const char *s, uint32_t *out)
{
	unsigned long long v = 0;
	uint64_t d;

	if (strlen(s) == 9 && s[4] == '-') {
		char hex[9];

		memcpy(hex, s, 4);
		memcpy(hex + 4, s + 5, 4);
		hex[8] = '\0';
		if (strspn(hex, "0123456789abcdefABCDEF") != 8)
			return EINVAL;
		v = strtoull(hex, NULL, 16);
	} else if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (s[2] == '\0' || strspn(s + 2, "0123456789abcdefABCDEF")
		    != strlen(s + 2) || strlen(s + 2) > 8)
			return EINVAL;
		v = strtoull(s + 2, NULL, 16);
	} else {
		if (ctl_parse_uint(s, 0xffffffffu, &d) != 0)
			return EINVAL;
		v = d;
	}
	*out = (uint32_t)v;
	return 0;
}

/* A number for option ch in [min, max]; a usage message if not.  (The
 * explicit max test: ctl_parse_uint lets a single digit above max by.) */
static int
nf_number(int ch, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	if (ctl_parse_uint(s, max, out) != 0 || *out < min || *out > max) {
		ctl_warnx("-%c %s: not a number from %llu to %llu", ch, s,
		    (unsigned long long)min, (unsigned long long)max);
		return EINVAL;
	}
	return 0;
}

/* A numeric option: checked for its range (and -c for being a power
 * of 2) and stored; 0 or EINVAL after a message. */
static int
nf_numopt(struct fatfmt_opts *o, int ch, const char *arg)
{
	uint64_t v;

	switch (ch) {
	case 'c':
		if (nf_number(ch, arg, 1, 128, &v) != 0)
			return EINVAL;
		if ((v & (v - 1)) != 0) {
			ctl_warnx("-c %s: sectors per cluster must be a power "
			    "of 2 (1, 2, 4, ..., 128)", arg);
			return EINVAL;
		}
		o->fo_spc = (unsigned)v;
		return 0;
	case 'e':
		if (nf_number(ch, arg, 1, 65535, &v) != 0)
			return EINVAL;
		o->fo_rootent = (unsigned)v;
		return 0;
	case 'n':
		if (nf_number(ch, arg, 1, FATFMT_MAXFATS, &v) != 0)
			return EINVAL;
		o->fo_nfats = (unsigned)v;
		return 0;
	case 'r':
		if (nf_number(ch, arg, 1, 65535, &v) != 0)
			return EINVAL;
		o->fo_rsvd = (unsigned)v;
		return 0;
	case 's':
		if (nf_number(ch, arg, 1, 0xffffffffu, &v) != 0)
			return EINVAL;
		o->fo_sectors = v;
		return 0;
	}
	return EINVAL;
}

/* One option (we don't trust the command line: every value is checked
 * here, before connecting); 0 or EINVAL after a message. */
static int
nf_option(struct nf_args *a, int ch, const char *arg)
{
	char why[256];

	switch (ch) {
	case 'F':
		if (strcmp(arg, "12") != 0 && strcmp(arg, "16") != 0 &&
		    strcmp(arg, "32") != 0) {
			ctl_warnx("-F %s: FAT type must be 12, 16 or 32", arg);
			return EINVAL;
		}
		a->na_opts.fo_type = (unsigned)atoi(arg);
		return 0;
	case 'S':
		if (strcmp(arg, "512") != 0 && strcmp(arg, "1024") != 0 &&
		    strcmp(arg, "2048") != 0 && strcmp(arg, "4096") != 0) {
			ctl_warnx("-S %s: sector size must be 512, 1024, 2048 "
			    "or 4096", arg);
			return EINVAL;
		}
		a->na_opts.fo_bps = (unsigned)atoi(arg);
		return 0;
	case 'I':
		if (nf_parse_volid(arg, &a->na_vol.fv_volid) != 0) {
			ctl_warnx("-I %s: volume id must be a 32-bit number "
			    "(decimal, 0x hex, or XXXX-XXXX)", arg);
			return EINVAL;
		}
		a->na_hasvolid = 1;
		return 0;
	case 'L':
		if (fatfmt_label(arg, a->na_vol.fv_label, why,
		    sizeof(why)) != 0) {
			ctl_warnx("-L: %s", why);
			return EINVAL;
		}
		a->na_vol.fv_haslabel = 1;
		return 0;
	case 'N':
		a->na_dryrun = 1;
		return 0;
	case 'v':
		a->na_verbose = 1;
		return 0;
	}
	return nf_numopt(&a->na_opts, ch, arg);
}

/* The command line into a; 0 or CTL_USAGE (after a message). */
static int
nf_parse(int argc, char **argv, struct nf_args *a)
{
	int ch;

	memset(a, 0, sizeof(*a));
	a->na_opts.fo_bps = 512;
	memcpy(a->na_vol.fv_label, "NO NAME    ", 11);
	while ((ch = ctl_getopt(argc, argv, "F:c:e:I:L:n:Nr:S:s:v")) != -1)
		if (ch == '?' || nf_option(a, ch, optarg) != 0)
			return ctl_usage();
	if (argc - optind != 1) {
		ctl_warnx(argc == optind ? "no device given" :
		    "only one device, please");
		return ctl_usage();
	}
	a->na_dev = argv[optind];
	return 0;
}

/* The volume id (time-based unless -I) and the label's timestamps. */
static void
nf_stamp(struct nf_args *a)
{
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	fatfmt_dostime(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, &a->na_vol.fv_date,
	    &a->na_vol.fv_time);
	if (!a->na_hasvolid)
		a->na_vol.fv_volid = (uint32_t)tv.tv_sec ^
		    ((uint32_t)tv.tv_usec << 12) ^ ((uint32_t)getpid() << 20);
}

/* Refuse a device some mount in the kernel uses. */
static int
nf_check_unmounted(const char *dev)
{
	struct kmntinfo *mi;
	int n, i, error = 0;

	if (ctl_getmounts(&mi, &n) != 0)
		return 0;	/* cannot tell: the open decides */
	for (i = 0; i < n && error == 0; i++)
		if (strcmp(mi[i].mi_from, dev) == 0) {
			ctl_warnx("%s: is mounted on %s", dev, mi[i].mi_on);
			error = EBUSY;
		}
	free(mi);
	return error;
}

/* Open the kernel device: a block device node; its size in bytes. */
static int
nf_open(const struct nf_args *a, int *fdp, uint64_t *sizep)
{
	struct stat st;
	off_t end;
	int fd;

	if ((fd = rump_sys_open(a->na_dev, a->na_dryrun ? O_RDONLY :
	    O_RDWR)) < 0) {
		ctl_warn("%s", a->na_dev);
		return EIO;
	}
	if (rump_sys_fstat(fd, &st) != 0) {
		ctl_warn("%s", a->na_dev);
		rump_sys_close(fd);
		return EIO;
	}
	if (!S_ISBLK(st.st_mode)) {
		/* A tmpfs file could hold the bytes, but not be mounted. */
		ctl_warnc(ENOTBLK, "%s", a->na_dev);
		rump_sys_close(fd);
		return ENOTBLK;
	}
	if ((end = rump_sys_lseek(fd, 0, SEEK_END)) < 0) {
		ctl_warn("%s: size", a->na_dev);
		rump_sys_close(fd);
		return EIO;
	}
	*fdp = fd;
	*sizep = (uint64_t)end;
	return 0;
}

/* Write all of buf at off on the device; 0 or an errno value. */
static int
nf_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = rump_sys_pwrite(fd, p, len, (off_t)off)) < 0)
			return errno;
		if (n == 0)
			return EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* Zero the first len bytes of the device in large writes; with -v and
 * a large area, a progress report at every tenth. */
static int
nf_zero(int fd, uint64_t len, const struct nf_args *a)
{
	int progress = a->na_verbose && len >= NF_PROGRESS_MIN;
	int tty = isatty(STDERR_FILENO), shown = 0, error = 0;
	char *zero = calloc(1, NF_CHUNK);
	uint64_t off;

	if (zero == NULL)
		return ENOMEM;
	for (off = 0; off < len && error == 0; ) {
		size_t n = len - off < NF_CHUNK ? (size_t)(len - off) :
		    NF_CHUNK;

		error = nf_pwrite(fd, zero, n, off);
		off += n;
		while (progress && error == 0 && (shown + 1) * len <=
		    off * 10) {
			shown++;
			fprintf(stderr, "%s%s: zeroing FATs: %d%%%s", tty ?
			    "\r" : "", a->na_dev, shown * 10, tty &&
			    shown < 10 ? "" : "\n");
		}
	}
	free(zero);
	return error;
}

/* Write the structures after the zeros, and the boot sector last. */
static int
nf_write_meta(int fd, const struct fatfmt_layout *l,
    const struct fatfmt_vol *v, uint8_t *sec)
{
	const uint64_t bps = l->fl_bps;
	unsigned i;
	int error;

	fatfmt_fathead(l, sec);
	for (i = 0; i < l->fl_nfats; i++)
		if ((error = nf_pwrite(fd, sec, bps, (l->fl_rsvd +
		    (uint64_t)i * l->fl_fatsz) * bps)) != 0)
			return error;
	fatfmt_rootdir(l, v, sec);
	if ((error = nf_pwrite(fd, sec, bps, fatfmt_rootsec(l) * bps)) != 0)
		return error;
	if (l->fl_type == 32) {
		fatfmt_fsinfo(l, sec);
		if ((error = nf_pwrite(fd, sec, bps, FATFMT_FSINFO_SEC *
		    bps)) != 0 || (error = nf_pwrite(fd, sec, bps,
		    (FATFMT_BACKUP_SEC + FATFMT_FSINFO_SEC) * bps)) != 0)
			return error;
		fatfmt_bootsect(l, v, sec);
		if ((error = nf_pwrite(fd, sec, bps, FATFMT_BACKUP_SEC *
		    bps)) != 0)
			return error;
	}
	fatfmt_bootsect(l, v, sec);
	return nf_pwrite(fd, sec, bps, 0);
}

/* Make the file system: zeros, structures, then sync. */
static int
nf_write(int fd, const struct fatfmt_layout *l, const struct nf_args *a)
{
	uint8_t *sec = ctl_malloc(l->fl_bps);
	int error;

	if ((error = nf_zero(fd, (uint64_t)fatfmt_syssecs(l) * l->fl_bps,
	    a)) == 0 && (error = nf_write_meta(fd, l, &a->na_vol, sec)) == 0 &&
	    rump_sys_fsync(fd) != 0)
		error = errno;
	free(sec);
	if (error != 0)
		ctl_warnc(error, "%s: write", a->na_dev);
	return error;
}

/* -v: every number of the layout, before writing. */
static void
nf_verbose(const struct fatfmt_layout *l, const struct nf_args *a)
{
	printf("%s: bytes/sector %u, sectors/cluster %u, reserved sectors "
	    "%u, media 0x%02x\n", a->na_dev, l->fl_bps, l->fl_spc,
	    l->fl_rsvd, FATFMT_MEDIA);
	printf("%s: %u FATs of %u sectors from sector %u", a->na_dev,
	    l->fl_nfats, (unsigned)l->fl_fatsz, l->fl_rsvd);
	if (l->fl_type != 32)
		printf(", root directory %u entries (%u sectors)",
		    l->fl_rootent, (unsigned)l->fl_rootsec);
	else
		printf(", root directory in cluster 2, FSInfo sector %u, "
		    "backup boot sector %u", FATFMT_FSINFO_SEC,
		    FATFMT_BACKUP_SEC);
	printf(", data from sector %u\n", (unsigned)l->fl_datasec);
	printf("%s: volume id %04X-%04X, label \"%.11s\"\n", a->na_dev,
	    (unsigned)(a->na_vol.fv_volid >> 16),
	    (unsigned)(a->na_vol.fv_volid & 0xffff), a->na_vol.fv_label);
}

/* The sectors to use: the device's, or -s if it fits. */
static int
nf_sectors(struct nf_args *a, uint64_t size)
{
	uint64_t have = size / a->na_opts.fo_bps;

	if (a->na_opts.fo_sectors > have) {
		ctl_warnx("%s: -s %llu: the device has only %llu sectors of "
		    "%u bytes", a->na_dev,
		    (unsigned long long)a->na_opts.fo_sectors,
		    (unsigned long long)have, a->na_opts.fo_bps);
		return EINVAL;
	}
	if (a->na_opts.fo_sectors == 0)
		a->na_opts.fo_sectors = have;
	return 0;
}

/* rump.newfs_msdos: arguments, device, layout, summary, write. */
int
ctl_newfs_msdos_main(int argc, char **argv)
{
	struct fatfmt_layout l;
	struct nf_args a;
	uint64_t size = 0;
	char why[256];
	int fd = -1, rv = CTL_ERR;

	if (nf_parse(argc, argv, &a) != 0)
		return CTL_USAGE;
	ctl_connect();
	if (nf_check_unmounted(a.na_dev) != 0 || nf_open(&a, &fd, &size) != 0)
		return CTL_ERR;
	if (nf_sectors(&a, size) != 0)
		goto out;
	if (fatfmt_compute(&a.na_opts, &l, why, sizeof(why)) != 0) {
		ctl_warnx("%s: %s", a.na_dev, why);
		goto out;
	}
	nf_stamp(&a);
	if (l.fl_spc * l.fl_bps > FATFMT_SPECCLUSBYTES)
		ctl_warnx("%s: warning: %u-byte clusters are beyond the FAT "
		    "specification; some systems cannot use them", a.na_dev,
		    l.fl_spc * l.fl_bps);
	if (a.na_verbose)
		nf_verbose(&l, &a);
	if (!a.na_dryrun && nf_write(fd, &l, &a) != 0)
		goto out;
	printf("%s: %u sectors, FAT%u, %u bytes/cluster, %u clusters\n",
	    a.na_dev, (unsigned)l.fl_totsec, l.fl_type, l.fl_spc * l.fl_bps,
	    (unsigned)l.fl_clusters);
	rv = CTL_OK;
out:
	if (rump_sys_close(fd) != 0 && rv == CTL_OK) {
		ctl_warn("%s", a.na_dev);
		rv = CTL_ERR;
	}
	return rv;
}
