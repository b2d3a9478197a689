/*
 * fatfmt_test: the FAT layout computation and on-disk structures of
 * rump.newfs_msdos (cmd/rumpctrl/fatfmt.c), as pure functions: no kernel.
 * The expected layouts for given parameters are what mkfs.fat 4.2 makes
 * (mkfs.fat -a -F T -s SPC -R RSVD -r 512 -f 2; checked with fsck.fat -v);
 * tests/newfs_msdos_test.sh compares against mkfs.fat itself.
 */
#include <stdint.h>
#include <string.h>

#include "testlib.h"
#include "../cmd/rumpctrl/fatfmt.c"

/* Layout for sectors of 512 bytes with the type (0: choose) asked. */
static int
layout(uint64_t sectors, unsigned type, struct fatfmt_layout *l, char *why)
{
	struct fatfmt_opts o = { .fo_sectors = sectors, .fo_bps = 512,
	    .fo_type = type };

	why[0] = '\0';
	return fatfmt_compute(&o, l, why, 256);
}

static uint32_t
get16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
get32(const uint8_t *p)
{
	return get16(p) | get16(p + 2) << 16;
}

TEST(type_by_size)
{
	static const struct {
		uint64_t sec;
		unsigned type, spc, fatsz, clusters, datasec;
	} c[] = {
		{ 2048, 12, 1, 6, 2003, 45 },		/* 1 MiB */
		{ 8192, 12, 2, 12, 4067, 57 },		/* 4 MiB */
		{ 8400, 12, 4, 7, 2088, 47 },		/* spec: FAT16 above */
		{ 8401, 16, 2, 17, 4167, 67 },
		{ 131072, 16, 4, 128, 32695, 289 },	/* 64 MiB */
		{ 524288, 16, 8, 256, 65467, 545 },	/* 256 MiB */
		{ 1048575, 16, 16, 256, 65501, 545 },
		{ 1048576, 32, 8, 1022, 130812, 2076 },	/* 512 MiB */
		{ 4194304, 32, 8, 4088, 523262, 8208 },	/* 2 GiB */
		{ 16777217, 32, 16, 8185, 1047550, 16402 },
	};
	struct fatfmt_layout l;
	char why[256];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		CHECK_EQ(layout(c[i].sec, 0, &l, why), 0);
		CHECK_EQ(l.fl_type, c[i].type);
		CHECK_EQ(l.fl_spc, c[i].spc);
		CHECK_EQ(l.fl_fatsz, c[i].fatsz);
		CHECK_EQ(l.fl_clusters, c[i].clusters);
		CHECK_EQ(l.fl_datasec, c[i].datasec);
		CHECK_EQ(l.fl_totsec, c[i].sec);
		CHECK_EQ(l.fl_nfats, 2);
		CHECK_EQ(l.fl_rsvd, c[i].type == 32 ? 32 : 1);
		CHECK_EQ(l.fl_rootent, c[i].type == 32 ? 0 : 512);
	}
}

TEST(forced_type_adjusts_cluster_size)
{
	struct fatfmt_layout l;
	char why[256];

	/* FAT16 on 4 MiB: the table's 1K clusters give too few; 512. */
	CHECK_EQ(layout(8192, 16, &l, why), 0);
	CHECK_EQ(l.fl_spc, 1);
	CHECK_EQ(l.fl_clusters, 8095);
	/* FAT12 on 128 MiB: only 64 KiB clusters keep it under 4085. */
	CHECK_EQ(layout(262144, 12, &l, why), 0);
	CHECK_EQ(l.fl_spc, 128);
	CHECK_EQ(l.fl_clusters, 2047);
	/* FAT16 on 2 GiB: the table's 32K clusters give 65527: 64K. */
	CHECK_EQ(layout(4194304, 16, &l, why), 0);
	CHECK_EQ(l.fl_spc, 128);
	CHECK_EQ(l.fl_clusters, 32765);
	/* FAT32 on 64 MiB: 512-byte clusters. */
	CHECK_EQ(layout(131072, 32, &l, why), 0);
	CHECK_EQ(l.fl_spc, 1);
	CHECK_EQ(l.fl_fatsz, 1009);
	CHECK_EQ(l.fl_clusters, 129022);
}

TEST(impossible_types_refused)
{
	struct fatfmt_layout l;
	char why[256];

	CHECK_EQ(layout(524288, 12, &l, why), EINVAL);
	CHECK_STR(why, "524288 sectors are too many for FAT12 (at most 4084 "
	    "clusters, even of 65536 bytes)");
	CHECK_EQ(layout(65536, 32, &l, why), EINVAL);
	CHECK_STR(why, "65536 sectors are too few for FAT32 (at least 65525 "
	    "clusters, even of 512 bytes)");
	CHECK_EQ(layout(2048, 16, &l, why), EINVAL);
	CHECK(strstr(why, "too few for FAT16") != NULL);
	CHECK_EQ(layout(10000000, 16, &l, why), EINVAL);
	CHECK(strstr(why, "too many for FAT16") != NULL);
}

TEST(too_small)
{
	struct fatfmt_layout l;
	char why[256];

	/* 1 reserved + 2 FATs + 32 root sectors + a cluster = 36. */
	CHECK_EQ(layout(35, 0, &l, why), EINVAL);
	CHECK_STR(why, "35 sectors are too few for a FAT file system (at "
	    "least 36 needed)");
	CHECK_EQ(layout(1, 0, &l, why), EINVAL);
	CHECK_EQ(layout(36, 0, &l, why), 0);
	CHECK_EQ(l.fl_type, 12);
	CHECK_EQ(l.fl_clusters, 1);
	CHECK_EQ(layout(36, 12, &l, why), 0);
}

TEST(fixed_cluster_size)
{
	struct fatfmt_opts o = { .fo_sectors = 131072, .fo_bps = 512,
	    .fo_type = 16, .fo_spc = 1 };
	struct fatfmt_layout l;
	char why[256];

	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), EINVAL);
	CHECK_STR(why, "FAT16 with 512-byte clusters would have 130023 "
	    "clusters (at most 65524); use larger clusters (-c)");
	o.fo_spc = 64;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), EINVAL);
	CHECK_STR(why, "FAT16 with 32768-byte clusters would have 2047 "
	    "clusters (at least 4085); use smaller clusters (-c)");
	/* Without -F the count decides: 2047 clusters make FAT12. */
	o.fo_type = 0;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), 0);
	CHECK_EQ(l.fl_type, 12);
	CHECK_EQ(l.fl_spc, 64);
	o.fo_spc = 1;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), 0);
	CHECK_EQ(l.fl_type, 32);
}

TEST(bad_options)
{
	struct fatfmt_opts o = { .fo_sectors = 131072, .fo_bps = 512 };
	struct fatfmt_layout l;
	char why[256];

	o.fo_bps = 300;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), EINVAL);
	o.fo_bps = 4096;
	o.fo_spc = 32;		/* 128 KiB */
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), EINVAL);
	o.fo_spc = 3;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), EINVAL);
	o.fo_spc = 0;
	o.fo_type = 13;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), EINVAL);
	o.fo_type = 0;
	o.fo_nfats = 5;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), EINVAL);
	o.fo_nfats = 0;
	o.fo_bps = 512;
	o.fo_sectors = 0x100000000ull;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), EFBIG);
	CHECK(strstr(why, "use larger sectors (-S)") != NULL);
	o.fo_sectors = 0xffffffffull;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), 0);
	CHECK_EQ(l.fl_type, 32);
	CHECK_EQ(l.fl_spc, 64);
}

TEST(fat32_reserved_and_root_entries)
{
	struct fatfmt_opts o = { .fo_sectors = 2097152, .fo_bps = 512,
	    .fo_type = 32, .fo_rsvd = 7 };
	struct fatfmt_layout l;
	char why[256];

	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), EINVAL);
	CHECK(strstr(why, "at least 8 reserved sectors") != NULL);
	o.fo_rsvd = 8;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), 0);
	CHECK_EQ(l.fl_rsvd, 8);
	o.fo_rootent = 256;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), EINVAL);
	CHECK(strstr(why, "no fixed root directory") != NULL);
	/* Without -F, a root directory size rules FAT32 out: FAT16. */
	o.fo_type = 0;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), 0);
	CHECK_EQ(l.fl_type, 16);
	CHECK_EQ(l.fl_rootent, 256);
	CHECK_EQ(l.fl_rootsec, 16);
	/* Entries are rounded up to whole sectors. */
	o.fo_rootent = 17;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), 0);
	CHECK_EQ(l.fl_rootent, 32);
	o.fo_bps = 4096;
	o.fo_sectors = 262144;
	o.fo_rootent = 65535;
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), 0);
	CHECK_EQ(l.fl_rootent, 65536 - 128);
}

/* Every layout obeys the rules, over many sizes and options. */
TEST(invariants)
{
	static const unsigned bpss[] = { 512, 1024, 4096 };
	static const unsigned spcs[] = { 0, 1, 2, 16, 128 };
	static const unsigned types[] = { 0, 12, 16, 32 };
	struct fatfmt_layout l;
	char why[256];
	unsigned nok = 0;

	for (uint64_t sec = 20; sec <= 0xffffffffull; sec = sec * 9 / 7 + 3)
	for (size_t b = 0; b < 3; b++)
	for (size_t s = 0; s < 5; s++)
	for (size_t t = 0; t < 4; t++) {
		struct fatfmt_opts o = { .fo_sectors = sec, .fo_bps = bpss[b],
		    .fo_spc = spcs[s], .fo_type = types[t],
		    .fo_nfats = 1 + (unsigned)(sec % 2) };
		uint64_t cap, used, minus1;

		if (fatfmt_compute(&o, &l, why, sizeof(why)) != 0) {
			CHECK(why[0] != '\0');
			continue;
		}
		nok++;
		CHECK(types[t] == 0 || l.fl_type == types[t]);
		CHECK(l.fl_type == 12 ? l.fl_clusters >= 1 &&
		    l.fl_clusters <= 4084 : l.fl_type == 16 ?
		    l.fl_clusters >= 4085 && l.fl_clusters <= 65524 :
		    l.fl_clusters >= 65525 && l.fl_clusters <= 0x0ffffff5);
		CHECK((uint64_t)l.fl_spc * l.fl_bps <= 65536);
		cap = (uint64_t)l.fl_fatsz * l.fl_bps * 8 / l.fl_type;
		CHECK(cap >= (uint64_t)l.fl_clusters + 2);
		/* One FAT sector less would not hold the clusters it frees. */
		minus1 = (uint64_t)(l.fl_fatsz - 1) * l.fl_bps * 8 / l.fl_type;
		CHECK(minus1 < (l.fl_totsec - l.fl_datasec + l.fl_nfats *
		    (uint64_t)1) / l.fl_spc + 2);
		used = l.fl_datasec + (uint64_t)l.fl_clusters * l.fl_spc;
		CHECK(used <= l.fl_totsec && l.fl_totsec - used < l.fl_spc);
		CHECK_EQ(l.fl_datasec, l.fl_rsvd + (uint64_t)l.fl_nfats *
		    l.fl_fatsz + l.fl_rootsec);
		CHECK_EQ(l.fl_rootsec * l.fl_bps, l.fl_rootent * 32u);
		if (test_failures > 0) {
			fprintf(stderr, "  at %llu sectors of %u, spc %u, "
			    "type %u\n", (unsigned long long)sec, bpss[b],
			    spcs[s], types[t]);
			return;
		}
	}
	CHECK(nok > 1000);
}

TEST(boot_sector_fat16)
{
	struct fatfmt_vol v = { .fv_volid = 0x1234abcd, .fv_haslabel = 1 };
	struct fatfmt_layout l;
	uint8_t b[512];
	char why[256];

	memcpy(v.fv_label, "DATA       ", 11);
	CHECK_EQ(layout(131072, 0, &l, why), 0);
	fatfmt_bootsect(&l, &v, b);
	CHECK(b[0] == 0xeb && b[1] == 0x3c && b[2] == 0x90);
	CHECK_EQ(get16(b + 11), 512);
	CHECK_EQ(b[13], 4);
	CHECK_EQ(get16(b + 14), 1);
	CHECK_EQ(b[16], 2);
	CHECK_EQ(get16(b + 17), 512);
	CHECK_EQ(get16(b + 19), 0);		/* > 65535: TotSec32 */
	CHECK_EQ(b[21], 0xf8);
	CHECK_EQ(get16(b + 22), 128);
	CHECK_EQ(get32(b + 32), 131072);
	CHECK_EQ(b[36], 0x80);
	CHECK_EQ(b[38], 0x29);
	CHECK_EQ(get32(b + 39), 0x1234abcd);
	CHECK(memcmp(b + 43, "DATA       ", 11) == 0);
	CHECK(memcmp(b + 54, "FAT16   ", 8) == 0);
	CHECK(b[510] == 0x55 && b[511] == 0xaa);
	/* A small one keeps its count in TotSec16. */
	CHECK_EQ(layout(2048, 0, &l, why), 0);
	fatfmt_bootsect(&l, &v, b);
	CHECK_EQ(get16(b + 19), 2048);
	CHECK_EQ(get32(b + 32), 0);
	CHECK(memcmp(b + 54, "FAT12   ", 8) == 0);
}

TEST(boot_sector_fat32_and_fsinfo)
{
	struct fatfmt_vol v = { .fv_volid = 7 };
	struct fatfmt_opts o = { .fo_sectors = 4194304 / 8, .fo_bps = 4096 };
	struct fatfmt_layout l;
	uint8_t b[4096];
	char why[256];

	memcpy(v.fv_label, "NO NAME    ", 11);
	CHECK_EQ(fatfmt_compute(&o, &l, why, sizeof(why)), 0);
	CHECK_EQ(l.fl_type, 32);
	CHECK_EQ(l.fl_spc, 1);
	memset(b, 0xee, sizeof(b));
	fatfmt_bootsect(&l, &v, b);
	CHECK(b[0] == 0xeb && b[1] == 0x58 && b[2] == 0x90);
	CHECK_EQ(get16(b + 11), 4096);
	CHECK_EQ(get16(b + 17), 0);
	CHECK_EQ(get16(b + 19), 0);
	CHECK_EQ(get16(b + 22), 0);
	CHECK_EQ(get32(b + 32), 524288);
	CHECK_EQ(get32(b + 36), l.fl_fatsz);
	CHECK_EQ(get32(b + 44), 2);
	CHECK_EQ(get16(b + 48), 1);
	CHECK_EQ(get16(b + 50), 6);
	CHECK_EQ(b[66], 0x29);
	CHECK_EQ(get32(b + 67), 7);
	CHECK(memcmp(b + 82, "FAT32   ", 8) == 0);
	CHECK(b[510] == 0x55 && b[511] == 0xaa);
	CHECK_EQ(b[4095], 0);			/* the whole sector is set */
	fatfmt_fsinfo(&l, b);
	CHECK_EQ(get32(b), 0x41615252);
	CHECK_EQ(get32(b + 484), 0x61417272);
	CHECK_EQ(get32(b + 488), l.fl_clusters - 1);
	CHECK_EQ(get32(b + 492), 2);
	CHECK_EQ(get32(b + 508), 0xaa550000);
	CHECK_EQ(fatfmt_rootsec(&l), l.fl_datasec);
	CHECK_EQ(fatfmt_syssecs(&l), l.fl_datasec + 1);
}

TEST(fat_heads)
{
	struct fatfmt_layout l = { .fl_bps = 512 };
	uint8_t b[512];

	l.fl_type = 12;
	fatfmt_fathead(&l, b);
	CHECK(b[0] == 0xf8 && b[1] == 0xff && b[2] == 0xff && b[3] == 0);
	l.fl_type = 16;
	fatfmt_fathead(&l, b);
	CHECK(get16(b) == 0xfff8 && get16(b + 2) == 0xffff && b[4] == 0);
	l.fl_type = 32;
	fatfmt_fathead(&l, b);
	CHECK_EQ(get32(b), 0x0ffffff8);
	CHECK_EQ(get32(b + 4), 0x0fffffff);
	CHECK_EQ(get32(b + 8), 0x0fffffff);
	CHECK_EQ(get32(b + 12), 0);
}

TEST(root_directory_label)
{
	struct fatfmt_vol v = { .fv_haslabel = 1, .fv_date = 0x5865,
	    .fv_time = 0x6daf };
	struct fatfmt_layout l = { .fl_bps = 512, .fl_type = 16 };
	uint8_t b[512];

	memcpy(v.fv_label, "MY DISK    ", 11);
	fatfmt_rootdir(&l, &v, b);
	CHECK(memcmp(b, "MY DISK    ", 11) == 0);
	CHECK_EQ(b[11], 0x08);
	CHECK_EQ(get16(b + 22), 0x6daf);
	CHECK_EQ(get16(b + 24), 0x5865);
	CHECK_EQ(get16(b + 26), 0);
	CHECK_EQ(get32(b + 28), 0);
	CHECK_EQ(b[32], 0);
	v.fv_haslabel = 0;
	fatfmt_rootdir(&l, &v, b);
	CHECK_EQ(b[0], 0);
}

TEST(labels)
{
	char out[11], why[256];

	CHECK_EQ(fatfmt_label("Hello w1", out, why, sizeof(why)), 0);
	CHECK(memcmp(out, "HELLO W1   ", 11) == 0);
	CHECK_EQ(fatfmt_label("ABCDEFGHIJK", out, why, sizeof(why)), 0);
	CHECK(memcmp(out, "ABCDEFGHIJK", 11) == 0);
	CHECK_EQ(fatfmt_label("ABCDEFGHIJKL", out, why, sizeof(why)), EINVAL);
	CHECK_STR(why, "label 'ABCDEFGHIJKL': must be 1 to 11 characters");
	CHECK_EQ(fatfmt_label("", out, why, sizeof(why)), EINVAL);
	CHECK_EQ(fatfmt_label(" X", out, why, sizeof(why)), EINVAL);
	CHECK_EQ(fatfmt_label("A.B", out, why, sizeof(why)), EINVAL);
	CHECK(strstr(why, "character '.'") != NULL);
	CHECK_EQ(fatfmt_label("A*", out, why, sizeof(why)), EINVAL);
	CHECK_EQ(fatfmt_label("\xc3\xa9t\xc3\xa9", out, why, sizeof(why)),
	    EINVAL);
	CHECK_EQ(fatfmt_label("a\tb", out, why, sizeof(why)), EINVAL);
}

TEST(dos_time)
{
	uint16_t d, t;

	fatfmt_dostime(2024, 2, 29, 13, 45, 31, &d, &t);
	CHECK_EQ(d, (44 << 9) | (2 << 5) | 29);
	CHECK_EQ(t, (13 << 11) | (45 << 5) | 15);
	fatfmt_dostime(1970, 1, 1, 0, 0, 0, &d, &t);
	CHECK_EQ(d, (1 << 5) | 1);
	CHECK_EQ(t, 0);
	fatfmt_dostime(2200, 1, 1, 0, 0, 0, &d, &t);
	CHECK_EQ(d, (127 << 9) | (12 << 5) | 31);
}
