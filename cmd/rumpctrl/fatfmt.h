/*
 * fatfmt.h: the layout of a new FAT file system, and its on-disk
 * structures, computed without any I/O (rump.newfs_msdos writes them).
 *
 * The rules are Microsoft's FAT specification (fatgen103): the FAT type
 * is decided by the count of clusters alone (FAT12 below 4085, FAT16
 * below 65525, FAT32 above), and the default cluster sizes are the
 * specification's tables.  Numbers on disk are little-endian.
 */
#ifndef RUMPCTRL_FATFMT_H
#define RUMPCTRL_FATFMT_H

#include <stddef.h>
#include <stdint.h>

/* Cluster counts that decide the FAT type (fatgen103, "FAT Type"). */
#define FATFMT_FAT12_MAXCLUS	4084u
#define FATFMT_FAT16_MINCLUS	4085u
#define FATFMT_FAT16_MAXCLUS	65524u
#define FATFMT_FAT32_MINCLUS	65525u
#define FATFMT_FAT32_MAXCLUS	0x0ffffff5u	/* cluster numbers < 0x0ffffff7 */

#define FATFMT_MAXCLUSBYTES	65536u	/* the largest cluster we make */
#define FATFMT_SPECCLUSBYTES	32768u	/* the largest the spec endorses */
#define FATFMT_MAXFATS		4u
#define FATFMT_DEFROOTENT	512u	/* FAT12/16 root directory entries */
#define FATFMT_FAT32_RSVD	32u	/* default reserved sectors, FAT32 */
#define FATFMT_FAT32_MINRSVD	8u	/* boot, FSInfo, ..., backups at 6, 7 */
#define FATFMT_FSINFO_SEC	1u
#define FATFMT_BACKUP_SEC	6u
#define FATFMT_MEDIA		0xf8u	/* fixed disk */
#define FATFMT_DIRENT		32u	/* bytes in a directory entry */

/* What the caller asks for; 0 in a field means "choose". */
struct fatfmt_opts {
	uint64_t fo_sectors;	/* sectors to use (the device's, or -s) */
	unsigned fo_bps;	/* bytes per sector: 512, 1024, 2048, 4096 */
	unsigned fo_type;	/* 12, 16, 32; 0: by size */
	unsigned fo_spc;	/* sectors per cluster: a power of 2 <= 128 */
	unsigned fo_nfats;	/* 1 .. FATFMT_MAXFATS; 0: 2 */
	unsigned fo_rsvd;	/* reserved sectors; 0: 1 (FAT12/16), 32 */
	unsigned fo_rootent;	/* FAT12/16 root entries; 0: 512 */
};

/* The result: every number the boot sector and the writer need. */
struct fatfmt_layout {
	unsigned fl_type;	/* 12, 16 or 32 */
	unsigned fl_bps;
	unsigned fl_spc;
	unsigned fl_nfats;
	unsigned fl_rsvd;	/* sectors before the first FAT */
	unsigned fl_rootent;	/* fixed root directory entries (0: FAT32) */
	uint32_t fl_totsec;	/* sectors in the file system */
	uint32_t fl_fatsz;	/* sectors in one FAT */
	uint32_t fl_rootsec;	/* sectors of the fixed root directory */
	uint32_t fl_datasec;	/* first sector of cluster 2 */
	uint32_t fl_clusters;	/* data clusters (numbered 2 ..) */
};

/* What identifies the volume: written to the boot sector (and root). */
struct fatfmt_vol {
	uint32_t fv_volid;
	char fv_label[11];	/* padded with spaces; "NO NAME    " if none */
	int fv_haslabel;	/* also a volume label entry in the root */
	uint16_t fv_date;	/* DOS date and time of the label entry */
	uint16_t fv_time;
};

/*
 * Compute the layout for o.  0, or EINVAL with a reason in why (e.g.
 * "too large for FAT12 (at most 4084 clusters of 65536 bytes)"), or
 * EFBIG when there are more sectors than a FAT file system can count.
 */
int fatfmt_compute(const struct fatfmt_opts *o, struct fatfmt_layout *l,
    char *why, size_t whylen);

/* Check a volume label (at most 11 characters valid in a short name) and
 * store it upper-cased and space-padded; 0 or EINVAL with a reason. */
int fatfmt_label(const char *s, char out[11], char *why, size_t whylen);

/* The first sector of the data area of the root directory (FAT32: the
 * root cluster, 2; FAT12/16: the fixed root directory). */
uint32_t fatfmt_rootsec(const struct fatfmt_layout *l);
/* Sectors from 0 the writer zeroes: system area and root directory. */
uint32_t fatfmt_syssecs(const struct fatfmt_layout *l);

/* Sector builders: each fills buf (fl_bps bytes) completely. */
void fatfmt_bootsect(const struct fatfmt_layout *l,
    const struct fatfmt_vol *v, uint8_t *buf);
void fatfmt_fsinfo(const struct fatfmt_layout *l, uint8_t *buf);
void fatfmt_fathead(const struct fatfmt_layout *l, uint8_t *buf);
/* The root directory's first sector: the label entry if there is one. */
void fatfmt_rootdir(const struct fatfmt_layout *l,
    const struct fatfmt_vol *v, uint8_t *buf);

/* DOS date and time of a broken-down local time (year from 1980). */
void fatfmt_dostime(int year, int mon, int mday, int hour, int min, int sec,
    uint16_t *date, uint16_t *time);

#endif /* RUMPCTRL_FATFMT_H */
