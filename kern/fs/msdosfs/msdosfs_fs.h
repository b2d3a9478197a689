/*
 * msdosfs_fs.h: the on-disk format of FAT12/16/32 (Microsoft's "FAT:
 * General Overview of On-Disk Format", fatgen103): boot sector (BPB),
 * FSInfo, FAT entries, directory entries and VFAT long-name entries.
 *
 * Everything on disk is little-endian and may sit at any alignment, so it
 * is read and written byte by byte through the le16/le32 helpers, never
 * through a struct overlay.  Nothing here is trusted: the callers check
 * every value before they use it.
 */
#ifndef KERN_FS_MSDOSFS_MSDOSFS_FS_H
#define KERN_FS_MSDOSFS_MSDOSFS_FS_H

#include "kern.h"

/* Boot sector / BIOS parameter block: byte offsets. */
#define BPB_BYTSPERSEC	11	/* u16: 512, 1024, 2048 or 4096 */
#define BPB_SECPERCLUS	13	/* u8: power of 2, 1..128 */
#define BPB_RSVDSECCNT	14	/* u16: >= 1 */
#define BPB_NUMFATS	16	/* u8: >= 1 */
#define BPB_ROOTENTCNT	17	/* u16: FAT12/16 root entries; 0 on FAT32 */
#define BPB_TOTSEC16	19	/* u16: 0 means see TOTSEC32 */
#define BPB_MEDIA	21	/* u8: 0xf0, 0xf8..0xff */
#define BPB_FATSZ16	22	/* u16: 0 on FAT32 */
#define BPB_TOTSEC32	32	/* u32 */
#define BPB_FATSZ32	36	/* u32: FAT32 only */
#define BPB_EXTFLAGS	40	/* u16: FAT32 mirroring, active FAT */
#define BPB_FSVER	42	/* u16: FAT32 version, 0 */
#define BPB_ROOTCLUS	44	/* u32: FAT32 first cluster of the root */
#define BPB_FSINFO	48	/* u16: FAT32 FSInfo sector number */
#define BPB_MINSIZE	512	/* we read at least this much */

#define BPB_EXTFLAGS_NOMIRROR	0x0080	/* only the active FAT is used */
#define BPB_EXTFLAGS_ACTIVE	0x000f	/* number of the active FAT */

/* FSInfo sector (FAT32). */
#define FSI_LEADSIG_OFF		0
#define FSI_LEADSIG		0x41615252u
#define FSI_STRUCSIG_OFF	484
#define FSI_STRUCSIG		0x61417272u
#define FSI_FREECOUNT_OFF	488
#define FSI_NXTFREE_OFF		492
#define FSI_TRAILSIG_OFF	508
#define FSI_TRAILSIG		0xaa550000u
#define FSI_UNKNOWN		0xffffffffu

/* Cluster counts that decide the FAT type (fatgen103). */
#define FAT12_MAXCLUSTERS	4084	/* fewer than 4085: FAT12 */
#define FAT16_MAXCLUSTERS	65524	/* fewer than 65525: FAT16 */
#define FAT32_MAXCLUSTERS	0x0ffffff5u	/* 28 bits minus reserved */

/* FAT entry values, per type: free, bad, end of chain (>=). */
#define FAT_FREE		0
#define FAT32_MASK		0x0fffffffu
#define FAT12_BAD		0x0ff7u
#define FAT16_BAD		0xfff7u
#define FAT32_BAD		0x0ffffff7u
#define FAT12_EOC		0x0fffu		/* what we write */
#define FAT16_EOC		0xffffu
#define FAT32_EOC		0x0fffffffu
#define FAT_FIRST_CLUSTER	2

/* Directory entries: 32 bytes. */
#define DE_SIZE		32
#define DE_SHIFT	5
#define DE_NAME		0	/* 11 bytes: 8 base + 3 extension */
#define DE_ATTR		11
#define DE_LCASE	12	/* NT reserved byte: lower-case flags */
#define DE_CTIME_CS	13	/* creation time, 10 ms units, 0..199 */
#define DE_CTIME	14
#define DE_CDATE	16
#define DE_ADATE	18
#define DE_STARTHI	20	/* FAT32: high 16 bits of the first cluster */
#define DE_MTIME	22
#define DE_MDATE	24
#define DE_STARTLO	26
#define DE_SIZEOFF	28

#define DE_NAMELEN	11
#define DE_DELETED	0xe5	/* name[0]: free entry */
#define DE_END		0x00	/* name[0]: free, and nothing follows */
#define DE_E5		0x05	/* name[0]: really 0xe5 (KANJI lead byte) */

#define ATTR_RO		0x01
#define ATTR_HIDDEN	0x02
#define ATTR_SYSTEM	0x04
#define ATTR_VOLUME	0x08
#define ATTR_DIR	0x10
#define ATTR_ARCH	0x20
#define ATTR_LFN	0x0f	/* RO|HIDDEN|SYSTEM|VOLUME: a long-name slot */
#define ATTR_LFN_MASK	0x3f

#define LCASE_BASE	0x08	/* base name is lower case */
#define LCASE_EXT	0x10	/* extension is lower case */

/* VFAT long-name slots. */
#define LFN_ORD		0
#define LFN_NAME1	1	/* 5 UTF-16 units */
#define LFN_ATTR	11
#define LFN_TYPE	12
#define LFN_CKSUM	13
#define LFN_NAME2	14	/* 6 units */
#define LFN_STARTLO	26	/* must be 0 */
#define LFN_NAME3	28	/* 2 units */
#define LFN_LAST	0x40	/* ordinal flag: last (first on disk) slot */
#define LFN_ORDMASK	0x3f
#define LFN_CHARS	13	/* UTF-16 units per slot */
#define LFN_MAXSLOTS	20	/* 255 units */
#define LFN_MAXLEN	255

/* Directories hold at most 65536 entries (2 MiB), as fatgen103 says. */
#define DIR_MAXSIZE	(65536u * DE_SIZE)

/* Largest file: the size field is 32 bits. */
#define FAT_MAXFILESIZE	0xffffffffULL

/* Little-endian access at any alignment. */
static inline uint16_t
le16_get(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t
le32_get(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	    ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline void
le16_put(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
le32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#endif /* KERN_FS_MSDOSFS_MSDOSFS_FS_H */
