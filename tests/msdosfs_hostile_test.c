/*
 * msdosfs_hostile_test.c: corrupt and malicious FAT images.  Every
 * operation must end in an error (EINVAL for an impossible boot sector,
 * EIO for broken chains and directories) or sane data, never a crash, a
 * hang or an access outside the device (ASan runs this too).  The images
 * are made with mkfs.fat/mtools and then patched here.
 */
#include <sys/mount.h>
#include <sys/statfs.h>

#include "msdosfs_util.h"

/* The geometry of the image, from its boot sector (made by mkfs.fat). */
struct mt_geo {
	uint32_t	secsize, spc, rsvd, nfats, rootent, fatsz, rootcl;
	int		fatbits;
	uint64_t	fatoff, rootoff, dataoff, clsize;
};

static int mt_fd = -1;

static void
mt_open(void)
{
	if ((mt_fd = open(mt_img, O_RDWR)) == -1)
		TFAIL("open %s: %s", mt_img, strerror(errno));
}

static void
mt_close(void)
{
	if (mt_fd != -1)
		close(mt_fd);
	mt_fd = -1;
}

static void
mt_poke(uint64_t off, const void *p, size_t n)
{
	if (pwrite(mt_fd, p, n, (off_t)off) != (ssize_t)n)
		TFAIL("pwrite at %llu", (unsigned long long)off);
}

static void
mt_peek(uint64_t off, void *p, size_t n)
{
	if (pread(mt_fd, p, n, (off_t)off) != (ssize_t)n)
		TFAIL("pread at %llu", (unsigned long long)off);
}

static void
mt_poke16(uint64_t off, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	mt_poke(off, b, 2);
}

static void
mt_poke32(uint64_t off, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	mt_poke(off, b, 4);
}

static uint32_t
mt_le(const uint8_t *p, int n)
{
	uint32_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void
mt_getgeo(struct mt_geo *g)
{
	uint8_t bs[512];
	uint64_t nclus;

	mt_peek(0, bs, sizeof(bs));
	g->secsize = mt_le(bs + 11, 2);
	g->spc = bs[13];
	g->rsvd = mt_le(bs + 14, 2);
	g->nfats = bs[16];
	g->rootent = mt_le(bs + 17, 2);
	g->fatsz = mt_le(bs + 22, 2);
	g->rootcl = 0;
	if (g->fatsz == 0) {
		g->fatsz = mt_le(bs + 36, 4);
		g->rootcl = mt_le(bs + 44, 4);
	}
	g->clsize = (uint64_t)g->secsize * g->spc;
	g->fatoff = (uint64_t)g->rsvd * g->secsize;
	g->rootoff = g->fatoff + (uint64_t)g->nfats * g->fatsz * g->secsize;
	g->dataoff = g->rootoff + (uint64_t)g->rootent * 32;
	nclus = ((uint64_t)(mt_le(bs + 19, 2) ? mt_le(bs + 19, 2) :
	    mt_le(bs + 32, 4)) * g->secsize - g->dataoff) / g->clsize;
	g->fatbits = g->rootcl ? 32 : nclus < 4085 ? 12 : 16;
}

/* Set FAT entry cl in every copy (FAT16 and FAT32 only). */
static void
mt_setfat(const struct mt_geo *g, uint32_t cl, uint32_t v)
{
	for (uint32_t i = 0; i < g->nfats; i++) {
		uint64_t off = g->fatoff + (uint64_t)i * g->fatsz * g->secsize;

		if (g->fatbits == 16)
			mt_poke16(off + cl * 2, (uint16_t)v);
		else
			mt_poke32(off + cl * 4, v);
	}
}

static uint64_t
mt_cloff(const struct mt_geo *g, uint32_t cl)
{
	return g->dataoff + (uint64_t)(cl - 2) * g->clsize;
}

/*
 * Device offset of the short entry named name11 (11 bytes, "NAME    EXT")
 * in the directory starting at cluster cl (0: the FAT12/16 root), looking
 * at its first cluster only.  0 if not found.
 */
static uint64_t
mt_findent(const struct mt_geo *g, uint32_t cl, const char *name11)
{
	uint64_t base = cl ? mt_cloff(g, cl) : g->rootoff;
	uint64_t size = cl ? g->clsize : (uint64_t)g->rootent * 32;
	uint8_t e[32];

	for (uint64_t o = 0; o < size; o += 32) {
		mt_peek(base + o, e, 32);
		if (memcmp(e, name11, 11) == 0)
			return base + o;
	}
	return 0;
}

/* First cluster of the entry at devoff. */
static uint32_t
mt_entstart(uint64_t devoff)
{
	uint8_t e[32];

	mt_peek(devoff, e, 32);
	return mt_le(e + 26, 2) | (mt_le(e + 20, 2) << 16);
}

/* A fresh FAT16 image with a few files and directories. */
static void
mt_base16(void)
{
	char h[256];

	CHECK_EQ(mt_mkfs(8192, "-F 16 -s 1"), 0);
	snprintf(h, sizeof(h), "%s/x", mt_dir);
	mt_hostfile(h, 5000, 1);
	CHECK_EQ(mt_sh("mcopy -i '%s' '%s' ::/FILE.BIN", mt_img, h), 0);
	CHECK_EQ(mt_sh("mmd -i '%s' ::/DIR ::/DIR/SUB", mt_img), 0);
	CHECK_EQ(mt_sh("mcopy -i '%s' '%s' ::/DIR/INNER.BIN", mt_img, h), 0);
	CHECK_EQ(mt_sh("mcopy -i '%s' '%s' ::/DIR/SUB/DEEP.BIN", mt_img, h), 0);
}

/* Try a boot sector patch; the mount must fail with EINVAL. */
static void
mt_bpb_case(const char *what, uint64_t off, uint32_t v, int width)
{
	uint8_t save[4];

	mt_peek(off, save, 4);
	if (width == 1)
		mt_poke(off, &(uint8_t){ (uint8_t)v }, 1);
	else if (width == 2)
		mt_poke16(off, (uint16_t)v);
	else
		mt_poke32(off, v);
	errno = 0;
	if (rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, "") != -1) {
		TFAIL("%s: mounted", what);
		rump_sys_umount2("/mnt", 0);
	} else if (errno != EINVAL)
		TFAIL("%s: errno %s, expected EINVAL", what, strerror(errno));
	mt_poke(off, save, 4);
}

TEST(bpb_impossible_fat16)
{
	mt_init();
	mt_base16();
	mt_open();
	CHECK_OK(mt_mount(0, ""));	/* the unpatched image is fine */
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_bpb_case("bytes/sector 0", 11, 0, 2);
	mt_bpb_case("bytes/sector 256", 11, 256, 2);
	mt_bpb_case("bytes/sector 1000", 11, 1000, 2);
	mt_bpb_case("bytes/sector 8192", 11, 8192, 2);
	mt_bpb_case("sectors/cluster 0", 13, 0, 1);
	mt_bpb_case("sectors/cluster 3", 13, 3, 1);
	mt_bpb_case("reserved 0", 14, 0, 2);
	mt_bpb_case("reserved huge", 14, 60000, 2);
	mt_bpb_case("no FATs", 16, 0, 1);
	mt_bpb_case("root entries 0", 17, 0, 2);
	mt_bpb_case("root entries 17", 17, 17, 2);
	mt_bpb_case("total sectors 0", 19, 0, 2);
	mt_bpb_case("total sectors beyond device", 19, 16385, 2);
	mt_bpb_case("media 0", 21, 0, 1);
	mt_bpb_case("FAT size 1", 22, 1, 2);
	mt_bpb_case("FAT size huge", 22, 65535, 2);
	CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, ""));
	CHECK_EQ(mt_checkfile("/mnt/file.bin", 5000, 1), 0);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_close();
	mt_fini();
}

TEST(bpb_impossible_fat32)
{
	mt_init();
	CHECK_EQ(mt_mkfs(40000, "-F 32 -s 1"), 0);
	mt_open();
	CHECK_OK(mt_mount(0, ""));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_bpb_case("root cluster 0", 44, 0, 4);
	mt_bpb_case("root cluster 1", 44, 1, 4);
	mt_bpb_case("root cluster beyond", 44, 0x0ffffff0, 4);
	mt_bpb_case("FAT32 with root entries", 17, 512, 2);
	mt_bpb_case("FAT32 version 1", 42, 1, 2);
	mt_bpb_case("active FAT 5 of 2", 40, 0x85, 2);
	mt_bpb_case("FAT32 size 0", 36, 0, 4);
	mt_bpb_case("FAT32 size small", 36, 10, 4);
	mt_close();
	mt_fini();
}

TEST(truncated_images)
{
	mt_init();
	mt_base16();
	CHECK_EQ(truncate(mt_img, 1 << 20), 0);
	CHECK_ERR(mt_mount(0, ""), EINVAL);
	CHECK_OK(rump_pub_etfs_remove("/dev/img0"));
	CHECK_EQ(truncate(mt_img, 100), 0);
	CHECK_OK(rump_pub_etfs_register("/dev/img0", mt_img, RUMP_ETFS_BLK));
	CHECK_ERR(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, ""), EINVAL);
	CHECK_OK(rump_pub_etfs_remove("/dev/img0"));
	CHECK_EQ(truncate(mt_img, 0), 0);
	CHECK_EQ(rump_pub_etfs_register("/dev/img0", mt_img, RUMP_ETFS_BLK) ==
	    0 ? rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, "") : -1, -1);
	mt_fini();
}

TEST(chains_broken)
{
	struct mt_geo g;
	uint64_t ent;
	uint32_t start;
	char buf[8192];
	int fd;

	mt_init();
	mt_base16();
	mt_open();
	mt_getgeo(&g);
	ent = mt_findent(&g, 0, "FILE    BIN");
	CHECK(ent != 0);
	start = mt_entstart(ent);
	/* 5000 bytes: 10 clusters; break it after the third. */
	mt_setfat(&g, start + 2, 0xfff0);	/* reserved value */
	CHECK_OK(mt_mount(0, ""));
	fd = (int)CHECK_OK(rump_sys_open("/mnt/file.bin", O_RDONLY));
	CHECK_EQ(rump_sys_pread(fd, buf, 1536, 0), 1536);
	CHECK_ERR(rump_sys_pread(fd, buf, 512, 2048), EIO);
	/* A read that meets the break returns what came before it. */
	CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 1536);
	CHECK_ERR(rump_sys_read(fd, buf, sizeof(buf)), EIO);
	rump_sys_close(fd);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	/* Other impossible links: free, 1, bad cluster, beyond the volume. */
	const uint32_t bad[] = { 0, 1, 0xfff7, 0xfff5, 0x7fff };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mt_setfat(&g, start + 2, bad[i]);
		CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, ""));
		fd = (int)CHECK_OK(rump_sys_open("/mnt/file.bin", O_RDWR));
		CHECK_ERR(rump_sys_pread(fd, buf, 512, 4096), EIO);
		CHECK_ERR(rump_sys_pwrite(fd, buf, 512, 8000), EIO);
		CHECK_ERR(rump_sys_ftruncate(fd, 1000), EIO);
		rump_sys_close(fd);
		CHECK_OK(rump_sys_unlink("/mnt/file.bin"));
		CHECK_OK(rump_sys_umount2("/mnt", 0));
		mt_poke(ent, "FILE    BIN", 11);	/* undelete for the next */
		mt_setfat(&g, start + 2, start + 3);
		for (uint32_t c = start; c < start + 9; c++)
			mt_setfat(&g, c, c + 1);
		mt_setfat(&g, start + 9, 0xffff);
		mt_setfat(&g, start + 2, bad[i] == 0 ? 0x7fff : 0);
	}
	mt_close();
	mt_fini();
}

TEST(chain_loop)
{
	static char buf[1 << 20];
	struct mt_geo g;
	uint64_t ent;
	uint32_t start;
	ssize_t n;
	long total = 0;
	int fd;

	mt_init();
	mt_base16();
	mt_open();
	mt_getgeo(&g);
	ent = mt_findent(&g, 0, "FILE    BIN");
	start = mt_entstart(ent);
	/* The chain loops back on itself, the size says 4 GiB. */
	mt_setfat(&g, start + 9, start + 3);
	mt_poke32(ent + 28, 0xfffffff0u);
	CHECK_OK(mt_mount(0, ""));
	fd = (int)CHECK_OK(rump_sys_open("/mnt/file.bin", O_RDWR));
	/* Reads give the looped data until more clusters would be needed
	 * than the volume has: then EIO, never a hang. */
	while ((n = rump_sys_read(fd, buf, sizeof(buf))) > 0)
		total += n;
	CHECK_EQ(n, -1);
	CHECK_EQ(errno, EIO);
	CHECK(total <= 8192L * 1024);
	CHECK_ERR(rump_sys_pread(fd, buf, 10, 0xffffff00LL), EIO);
	CHECK_ERR(rump_sys_pwrite(fd, buf, 10, 0xffffff00LL), EIO);
	/* Freeing a looped chain stops at the loop. */
	CHECK_ERR(rump_sys_ftruncate(fd, 0), EIO);
	rump_sys_close(fd);
	CHECK_OK(rump_sys_unlink("/mnt/file.bin"));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_close();
	mt_fini();
}

TEST(bad_start_clusters)
{
	struct mt_geo g;
	uint64_t fent, dent;
	struct stat st;
	char buf[64];
	int fd;

	mt_init();
	mt_base16();
	mt_open();
	mt_getgeo(&g);
	fent = mt_findent(&g, 0, "FILE    BIN");
	dent = mt_findent(&g, 0, "DIR        ");
	mt_poke16(fent + 26, 0xfff0);		/* beyond the volume */
	mt_poke16(dent + 26, 1);		/* reserved */
	CHECK_OK(mt_mount(0, ""));
	CHECK_OK(rump_sys_stat("/mnt/file.bin", &st));
	fd = (int)CHECK_OK(rump_sys_open("/mnt/file.bin", O_RDONLY));
	CHECK_ERR(rump_sys_read(fd, buf, sizeof(buf)), EIO);
	rump_sys_close(fd);
	CHECK_ERR(rump_sys_stat("/mnt/dir", &st), EIO);
	CHECK_ERR(rump_sys_mkdir("/mnt/dir/x", 0755), EIO);
	CHECK_EQ(mt_listed("/mnt", "DIR"), 1);	/* listed, not usable */
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	/* A file without clusters whose size says it has data. */
	mt_poke16(fent + 26, 0);
	mt_poke16(dent + 26, 0);		/* a directory at cluster 0 */
	CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, ""));
	fd = (int)CHECK_OK(rump_sys_open("/mnt/file.bin", O_RDONLY));
	CHECK_ERR(rump_sys_read(fd, buf, sizeof(buf)), EIO);
	rump_sys_close(fd);
	CHECK_ERR(rump_sys_stat("/mnt/dir", &st), EIO);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_close();
	mt_fini();
}

TEST(directory_contains_itself)
{
	struct mt_geo g;
	uint64_t dent, sent;
	uint32_t dcl;
	struct stat st;

	mt_init();
	mt_base16();
	mt_open();
	mt_getgeo(&g);
	dent = mt_findent(&g, 0, "DIR        ");
	dcl = mt_entstart(dent);
	sent = mt_findent(&g, dcl, "SUB        ");
	CHECK(sent != 0);
	/* DIR/SUB is DIR again. */
	mt_poke16(sent + 26, (uint16_t)dcl);
	CHECK_OK(mt_mount(0, ""));
	CHECK_OK(rump_sys_stat("/mnt/dir", &st));
	CHECK_ERR(rump_sys_stat("/mnt/dir/sub", &st), EIO);
	CHECK_ERR(rump_sys_rmdir("/mnt/dir/sub"), EIO);
	CHECK_ERR(rump_sys_rename("/mnt/dir/sub", "/mnt/x"), EIO);
	CHECK_EQ(mt_checkfile("/mnt/dir/inner.bin", 5000, 1), 0);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	/* A directory whose chain loops. */
	mt_poke16(sent + 26, (uint16_t)(dcl + 100));
	mt_setfat(&g, dcl, dcl);
	CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, ""));
	CHECK_ERR(rump_sys_stat("/mnt/dir/inner.bin", &st), EIO);
	CHECK_ERR(rump_sys_stat("/mnt/dir", &st), EIO);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_close();
	mt_fini();
}

/* A long-name slot for name unit offset k of name (ASCII). */
static void
mt_lfnslot(uint8_t *e, int ord, int last, uint8_t ck, const char *name)
{
	static const int pos[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24,
	    28, 30 };
	size_t len = strlen(name);

	memset(e, 0, 32);
	e[0] = (uint8_t)(ord | (last ? 0x40 : 0));
	e[11] = 0x0f;
	e[13] = ck;
	for (int i = 0; i < 13; i++) {
		size_t k = (size_t)(ord - 1) * 13 + (size_t)i;
		uint16_t c = k < len ? (uint8_t)name[k] : k == len ? 0 : 0xffff;

		e[pos[i]] = (uint8_t)c;
		e[pos[i] + 1] = (uint8_t)(c >> 8);
	}
}

static uint8_t
mt_cksum(const char *n11)
{
	uint8_t s = 0;

	for (int i = 0; i < 11; i++)
		s = (uint8_t)(((s & 1) ? 0x80 : 0) + (s >> 1) + (uint8_t)n11[i]);
	return s;
}

/*
 * Write at root slot 'slot' a 2-slot long name "a name of twenty chars"
 * for short name n11 (with file contents of FILE.BIN), then patch it.
 */
static void
mt_lfn_entry(const struct mt_geo *g, int slot, const char *n11,
    uint64_t fileent, int how)
{
	const char *lname = "a name of twenty-two c";
	uint8_t e[3][32], ck = mt_cksum(n11);

	mt_lfnslot(e[0], 2, 1, ck, lname);
	mt_lfnslot(e[1], 1, 0, ck, lname);
	mt_peek(fileent, e[2], 32);
	memcpy(e[2], n11, 11);
	switch (how) {
	case 1:		/* wrong checksum */
		e[0][13] ^= 1;
		e[1][13] ^= 1;
		break;
	case 2:		/* slots in the wrong order */
		memcpy(e[0], e[1], 32);
		mt_lfnslot(e[1], 2, 1, ck, lname);
		break;
	case 3:		/* ordinal out of range */
		e[0][0] = 0x40 | 25;
		break;
	case 4:		/* a '/' inside the name */
		e[1][3] = '/';
		break;
	case 5:		/* the "last" slot missing */
		e[0][0] = 0xe5;
		break;
	}
	mt_poke(g->rootoff + (uint64_t)slot * 32, e, sizeof(e));
}

TEST(bad_long_names)
{
	struct mt_geo g;
	uint64_t fent;
	struct stat st;
	int slot = 100;

	mt_init();
	mt_base16();
	mt_open();
	mt_getgeo(&g);
	fent = mt_findent(&g, 0, "FILE    BIN");
	mt_lfn_entry(&g, slot, "GOOD    BIN", fent, 0);
	mt_lfn_entry(&g, slot + 3, "CKSUM   BIN", fent, 1);
	mt_lfn_entry(&g, slot + 6, "ORDER   BIN", fent, 2);
	mt_lfn_entry(&g, slot + 9, "RANGE   BIN", fent, 3);
	mt_lfn_entry(&g, slot + 12, "SLASH   BIN", fent, 4);
	mt_lfn_entry(&g, slot + 15, "MISSING BIN", fent, 5);
	/* Unused slots before them are free (0xe5: the end comes later). */
	for (int i = 0; i < slot; i++) {
		uint8_t b;

		mt_peek(g.rootoff + (uint64_t)i * 32, &b, 1);
		if (b == 0)
			mt_poke(g.rootoff + (uint64_t)i * 32, "\xe5", 1);
	}
	/* An entry whose short name holds '/' and a NUL. */
	{
		uint8_t e[32];

		mt_peek(fent, e, 32);
		memcpy(e, "A/B\0    BIN", 11);
		mt_poke(g.rootoff + (uint64_t)(slot + 18) * 32, e, 32);
	}
	CHECK_OK(mt_mount(0, ""));
	CHECK_EQ(mt_listed("/mnt", "a name of twenty-two c"), 1);
	CHECK_EQ(mt_checkfile("/mnt/a name of twenty-two c", 5000, 1), 0);
	/* Broken sequences are ignored: the short names remain. */
	CHECK_EQ(mt_listed("/mnt", "CKSUM.BIN"), 1);
	CHECK_EQ(mt_listed("/mnt", "ORDER.BIN"), 1);
	CHECK_EQ(mt_listed("/mnt", "RANGE.BIN"), 1);
	CHECK_EQ(mt_listed("/mnt", "SLASH.BIN"), 1);
	CHECK_EQ(mt_listed("/mnt", "MISSING.BIN"), 1);
	CHECK_EQ(mt_checkfile("/mnt/missing.bin", 5000, 1), 0);
	CHECK_OK(rump_sys_stat("/mnt/cksum.bin", &st));
	/* The bad short name is not listed, and nothing else is broken. */
	CHECK_EQ(mt_listed("/mnt", "A/B"), 0);
	CHECK_EQ(mt_listed("/mnt", "FILE.BIN"), 1);
	/* Writing next to the junk still works. */
	CHECK_OK(mt_putfile("/mnt/written after junk", 3000, 4));
	CHECK_EQ(mt_checkfile("/mnt/written after junk", 3000, 4), 0);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_close();
	mt_fini();
}

TEST(fsinfo_hints)
{
	struct mt_geo g;
	struct statfs sf;
	uint8_t sec[512];

	mt_init();
	CHECK_EQ(mt_mkfs(40000, "-F 32 -s 1"), 0);
	mt_open();
	mt_getgeo(&g);
	/* A free count and a next-free hint that are lies. */
	mt_poke32(512 + 488, 5);
	mt_poke32(512 + 492, 0x0ffffff0);
	CHECK_OK(mt_mount(0, ""));
	CHECK_OK(rump_sys_statfs("/mnt", &sf));
	CHECK_EQ(sf.f_bfree, sf.f_blocks - 1);
	CHECK_OK(mt_putfile("/mnt/file", 10000, 1));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	/* The count was written right; fsck agrees. */
	CHECK_EQ(mt_sh("fsck.fat -n '%s' >/dev/null 2>&1", mt_img), 0);
	/* FSInfo with bad signatures is not FSInfo: we never write it. */
	mt_poke32(512, 0x12345678);
	mt_peek(512, sec, sizeof(sec));
	CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, ""));
	CHECK_OK(mt_putfile("/mnt/file2", 10000, 2));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	{
		uint8_t now[512];

		mt_peek(512, now, sizeof(now));
		CHECK_EQ(memcmp(now, sec, sizeof(sec)), 0);
	}
	mt_close();
	mt_fini();
}

TEST(fat32_active_fat)
{
	struct mt_geo g;
	char h[256];
	uint64_t fat1;
	uint8_t zero[4096];

	mt_init();
	CHECK_EQ(mt_mkfs(40000, "-F 32 -s 1"), 0);
	snprintf(h, sizeof(h), "%s/x", mt_dir);
	mt_hostfile(h, 50000, 3);
	CHECK_EQ(mt_sh("mcopy -i '%s' '%s' ::/F", mt_img, h), 0);
	mt_open();
	mt_getgeo(&g);
	/* Mirroring off, FAT 1 active, FAT 0 garbage: we must use FAT 1. */
	mt_poke16(40, 0x81);
	memset(zero, 0x5a, sizeof(zero));
	mt_poke(g.fatoff, zero, sizeof(zero));
	CHECK_OK(mt_mount(0, ""));
	CHECK_EQ(mt_checkfile("/mnt/f", 50000, 3), 0);
	CHECK_OK(mt_putfile("/mnt/g", 20000, 4));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	/* FAT 0 was left alone. */
	fat1 = g.fatoff;
	{
		uint8_t now[4096];

		mt_peek(fat1, now, sizeof(now));
		CHECK_EQ(memcmp(now, zero, sizeof(zero)), 0);
	}
	CHECK_OK(rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, ""));
	CHECK_EQ(mt_checkfile("/mnt/g", 20000, 4), 0);
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	mt_close();
	mt_fini();
}

/* xorshift: a repeatable stream of numbers for the fuzzer. */
static uint64_t mt_rng, mt_seed;

static uint64_t
mt_rand(void)
{
	mt_rng ^= mt_rng << 13;
	mt_rng ^= mt_rng >> 7;
	mt_rng ^= mt_rng << 17;
	return mt_rng;
}

/* Walk the tree at path: stat, read and list everything, depth-bounded. */
static void
mt_walk(const char *path, int depth)
{
	static char data[65536];
	char buf[4096], sub[1024];
	struct stat st;
	ssize_t n;
	int fd;

	if (depth > 12)
		return;
	if ((fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY)) == -1)
		return;
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n;) {
			struct mt_dirent *d = (void *)(buf + i);

			i += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, d->d_name);
			if (rump_sys_stat(sub, &st) == -1)
				continue;
			if (S_ISDIR(st.st_mode)) {
				mt_walk(sub, depth + 1);
			} else {
				int f = rump_sys_open(sub, O_RDONLY);

				while (f != -1 &&
				    rump_sys_read(f, data, sizeof(data)) > 0)
					;
				if (f != -1)
					rump_sys_close(f);
			}
		}
	}
	rump_sys_close(fd);
}

/* Changes on a corrupt volume: anything may fail, nothing may crash. */
static void
mt_scribble(void)
{
	char buf[3000];
	int fd;

	memset(buf, 'w', sizeof(buf));
	fd = rump_sys_open("/mnt/new file", O_RDWR | O_CREAT, 0644);
	if (fd != -1) {
		rump_sys_pwrite(fd, buf, sizeof(buf), 5000);
		rump_sys_ftruncate(fd, 100);
		rump_sys_close(fd);
	}
	rump_sys_mkdir("/mnt/dir/newdir", 0755);
	rump_sys_rename("/mnt/dir/inner.bin", "/mnt/moved inner");
	rump_sys_rename("/mnt/dir/sub", "/mnt/moved sub");
	rump_sys_unlink("/mnt/file.bin");
	rump_sys_rmdir("/mnt/dir/newdir");
	fd = rump_sys_open("/mnt/dir/sub/deep.bin", O_RDWR);
	if (fd != -1) {
		rump_sys_write(fd, buf, sizeof(buf));
		rump_sys_close(fd);
	}
}

/* An image with long names, a multi-cluster directory and a deep file. */
static void
mt_fuzzbase(unsigned kb, const char *args)
{
	char h[256];

	CHECK_EQ(mt_mkfs(kb, args), 0);
	snprintf(h, sizeof(h), "%s/x", mt_dir);
	mt_hostfile(h, 5000, 1);
	CHECK_EQ(mt_sh("LANG=C.UTF-8 mmd -i '%s' '::/A Directory' "
	    "'::/A Directory/Sub Dir' ::/DIR ::/DIR/SUB", mt_img), 0);
	CHECK_EQ(mt_sh("cd '%s' && for i in $(seq 1 40); do cp x "
	    "\"long file name $i.txt\"; done && LANG=C.UTF-8 mcopy -i '%s' "
	    "long* '::/A Directory/'", mt_dir, mt_img), 0);
	CHECK_EQ(mt_sh("for d in ::/FILE.BIN '::/Ünïcode fïle' "
	    "'::/A Directory/Sub Dir/deep file' ::/DIR/INNER.BIN "
	    "::/DIR/SUB/DEEP.BIN; do LANG=C.UTF-8 mcopy -i '%s' '%s' \"$d\" "
	    "|| exit 1; done", mt_img, h), 0);
}

/*
 * Flip bytes of the metadata (boot sector and reserved area, the FAT,
 * the root and the first data clusters, where the directories are),
 * mount, read everything, change things, unmount; many times.
 */
static void
mt_fuzz(unsigned kb, const char *args)
{
	static uint8_t orig[1 << 20];
	struct mt_geo g;
	uint64_t meta, off, rsvd, fat;
	int rounds = 400, mounted = 0;

	/* MSDOSFS_FUZZ_ROUNDS=N (and _SEED) run a longer campaign by hand. */
	if (getenv("MSDOSFS_FUZZ_ROUNDS") != NULL) {
		rounds = atoi(getenv("MSDOSFS_FUZZ_ROUNDS"));
		alarm(3600);
	}
	if (getenv("MSDOSFS_FUZZ_SEED") != NULL)
		mt_seed = strtoull(getenv("MSDOSFS_FUZZ_SEED"), NULL, 0);
	mt_init();
	mt_fuzzbase(kb, args);
	mt_open();
	mt_getgeo(&g);
	meta = g.dataoff + 16 * g.clsize;
	rsvd = (uint64_t)g.rsvd * g.secsize;
	fat = (uint64_t)g.fatsz * g.secsize;
	CHECK(meta <= sizeof(orig));
	mt_peek(0, orig, meta);
	CHECK_OK(mt_mount(0, ""));
	CHECK_OK(rump_sys_umount2("/mnt", 0));
	for (int r = 0; r < rounds; r++) {
		mt_rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(r + 1 + mt_seed);
		mt_poke(0, orig, meta);
		for (int k = 0; k < 1 + r % 40; k++) {
			uint8_t b = (uint8_t)mt_rand();

			switch (mt_rand() % 4) {
			case 0:		/* the boot sector only sometimes */
				off = r % 3 == 0 ? mt_rand() % rsvd :
				    rsvd > 512 ? 512 + mt_rand() % (rsvd - 512) :
				    g.fatoff + mt_rand() % fat;
				break;
			case 1:
				off = g.fatoff + mt_rand() % fat;
				break;
			default:
				off = g.rootoff + mt_rand() % (meta - g.rootoff);
				break;
			}
			mt_poke(off, &b, 1);
		}
		if (rump_sys_mount("/dev/img0", "/mnt", "msdos", 0, "") == -1)
			continue;
		mounted++;
		mt_walk("/mnt", 0);
		mt_scribble();
		mt_walk("/mnt", 0);
		if (rump_sys_umount2("/mnt", 0) == -1)
			TFAIL("round %d: umount: %s", r, strerror(errno));
	}
	CHECK(mounted > rounds / 2);	/* most rounds got past the BPB */
	mt_close();
	mt_fini();
}

TEST(fuzz_fat12)
{
	mt_fuzz(1024, "-F 12 -s 2");
}

TEST(fuzz_fat16)
{
	mt_fuzz(8192, "-F 16 -s 1");
}

TEST(fuzz_fat32)
{
	mt_fuzz(40000, "-F 32 -s 1");
}
