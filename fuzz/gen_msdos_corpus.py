#!/usr/bin/env python3
"""gen_msdos_corpus.py DIR: the seed images of fuzz/msdos_image_fuzz.c.

Valid FAT12, FAT16 and FAT32 images made by mkfs.fat and filled by mtools
(other people's FAT code, so the seeds do not share our mistakes), and
corrupted variants of them: truncated images, loops and holes in cluster
chains, clusters out of range, cross-linked files, bad BPB fields, bad
FAT32 fields (root cluster, FSInfo, active FAT), directories that contain
themselves or an ancestor, bad '.'/'..', and broken long-name entries
(checksum, sequence, orphans, invalid UTF-16, too long).

Trailing zero sectors are cut off: the harness zero-extends an input whose
length is a multiple of 512 to the size its boot sector claims.  The
truncated seeds have other lengths, so their device really ends early.

Needs mkfs.fat (dosfstools) and mtools.  Run from anywhere:
    fuzz/gen_msdos_corpus.py fuzz/corpus/msdos_image_fuzz
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1", TZ="UTC", LC_ALL="C.UTF-8")


def run(*args):
    subprocess.run(args, check=True, env=ENV, stdout=subprocess.DEVNULL)


class Fat:
    """A FAT image in memory: BPB fields, FAT entries, directories."""

    def __init__(self, data):
        self.b = bytearray(data)
        b = self.b
        self.bps, self.spc, self.rsvd, self.nfats, self.rootent, tot16 = \
            struct.unpack_from("<HBHBHH", b, 11)
        fatsz16 = struct.unpack_from("<H", b, 22)[0]
        self.tot = tot16 or struct.unpack_from("<I", b, 32)[0]
        self.fat32 = fatsz16 == 0
        self.fatsz = fatsz16 or struct.unpack_from("<I", b, 36)[0]
        rootsecs = (self.rootent * 32 + self.bps - 1) // self.bps
        meta = self.rsvd + self.nfats * self.fatsz + rootsecs
        self.fat_off = self.rsvd * self.bps
        self.root_off = (self.rsvd + self.nfats * self.fatsz) * self.bps
        self.data_off = meta * self.bps
        self.clsize = self.bps * self.spc
        self.ncl = (self.tot - meta) // self.spc
        if self.fat32:
            self.bits = 32
            self.rootcl = struct.unpack_from("<I", b, 44)[0]
        else:
            self.bits = 12 if self.ncl < 4085 else 16
            self.rootcl = 0

    def get(self, c):
        b, off = self.b, self.fat_off
        if self.bits == 32:
            return struct.unpack_from("<I", b, off + 4 * c)[0] & 0x0FFFFFFF
        if self.bits == 16:
            return struct.unpack_from("<H", b, off + 2 * c)[0]
        v = struct.unpack_from("<H", b, off + c * 3 // 2)[0]
        return v >> 4 if c & 1 else v & 0xFFF

    def set(self, c, val):
        for i in range(self.nfats):
            off = self.fat_off + i * self.fatsz * self.bps
            if self.bits == 32:
                old = struct.unpack_from("<I", self.b, off + 4 * c)[0]
                struct.pack_into("<I", self.b, off + 4 * c,
                                 (old & 0xF0000000) | (val & 0x0FFFFFFF))
            elif self.bits == 16:
                struct.pack_into("<H", self.b, off + 2 * c, val & 0xFFFF)
            else:
                p = off + c * 3 // 2
                v = struct.unpack_from("<H", self.b, p)[0]
                if c & 1:
                    v = (v & 0x000F) | ((val & 0xFFF) << 4)
                else:
                    v = (v & 0xF000) | (val & 0xFFF)
                struct.pack_into("<H", self.b, p, v)

    def chain(self, c):
        out = []
        eoc = {12: 0xFF8, 16: 0xFFF8, 32: 0x0FFFFFF8}[self.bits]
        while 2 <= c < eoc and len(out) < 100000:
            out.append(c)
            c = self.get(c)
        return out

    def cl_off(self, c):
        return self.data_off + (c - 2) * self.clsize

    def dir_slots(self, cl):
        """Byte offsets of every 32-byte slot of directory cl (0: root)."""
        if cl == 0 and not self.fat32:
            return [self.root_off + 32 * i for i in range(self.rootent)]
        if cl == 0:
            cl = self.rootcl
        return [self.cl_off(c) + 32 * i for c in self.chain(cl)
                for i in range(self.clsize // 32)]

    def entries(self, cl):
        """(offset, 11-byte name, attr, cluster, size) of used slots."""
        out = []
        for off in self.dir_slots(cl):
            e = self.b[off:off + 32]
            if e[0] == 0:
                break
            if e[0] == 0xE5:
                continue
            clus = struct.unpack_from("<H", e, 26)[0] | \
                (struct.unpack_from("<H", e, 20)[0] << 16 if self.fat32 else 0)
            out.append((off, bytes(e[:11]), e[11], clus,
                        struct.unpack_from("<I", e, 28)[0]))
        return out

    def find(self, path):
        """The short entry of an 8.3 path like 'SUB/CHILD/F' (upper case)."""
        cl = 0
        ent = None
        for part in path.split("/"):
            base, _, ext = part.partition(".")
            name = (base.ljust(8) + ext.ljust(3)).encode()
            ent = next(e for e in self.entries(cl) if e[1] == name)
            cl = ent[3]
        return ent

    def set_clus(self, off, c):
        struct.pack_into("<H", self.b, off + 26, c & 0xFFFF)
        if self.fat32:
            struct.pack_into("<H", self.b, off + 20, c >> 16)


def make_tree(top, clsize):
    """The files every valid seed holds."""
    os.makedirs(f"{top}/SUB/CHILD")
    os.makedirs(f"{top}/deep/er/and deeper")
    with open(f"{top}/HELLO.TXT", "w") as f:
        f.write("hello, world\n")
    with open(f"{top}/BIG.BIN", "wb") as f:
        f.write(bytes(range(256)) * (5 * clsize // 256 + 1))
    with open(f"{top}/SMALL.TXT", "w") as f:
        f.write("small\n")
    open(f"{top}/EMPTY", "w").close()
    with open(f"{top}/A long file name, with spaces.txt", "w") as f:
        f.write("long name\n")
    with open(f"{top}/Ünïcödé Ωmega.txt", "w") as f:
        f.write("unicode\n")
    with open(f"{top}/SUB/CHILD/F.TXT", "w") as f:
        f.write("in child\n")
    with open(f"{top}/SUB/lower.txt", "w") as f:
        f.write("lower\n")
    with open(f"{top}/deep/er/and deeper/leaf file.txt", "w") as f:
        f.write("leaf\n")


def mkimage(tmp, name, bits, kib, spc, extra=(), nfiles=0):
    """mkfs.fat + mtools; the image's bytes."""
    img = f"{tmp}/{name}.img"
    top = f"{tmp}/{name}.tree"
    run("mkfs.fat", "-F", str(bits), "-s", str(spc), "-i", "12345678",
        "-n", "FUZZSEED", *extra, "-C", img, str(kib))
    make_tree(top, 512 * spc)
    if nfiles:
        os.makedirs(f"{top}/MANY")
        for i in range(nfiles):
            with open(f"{top}/MANY/entry number {i:03d}.txt", "w") as f:
                f.write(f"{i}\n")
    run("mcopy", "-s", "-m", "-i", img,
        *sorted(f"{top}/{n}" for n in os.listdir(top)), "::/")
    run("fsck.fat", "-n", img)
    with open(img, "rb") as f:
        return f.read()


def shrink_fat32(data, fatsecs):
    """A FAT32 image made by mkfs.fat (65525+ clusters, as mtools wants)
    cut down to fatsecs sectors of FAT and the clusters those cover: FAT32
    by layout, as Linux and our msdosfs take it, with a short FAT."""
    f = Fat(data)
    assert f.fat32 and f.nfats == 2
    used = max(c for c in range(2, f.ncl + 2) if f.get(c) != 0)
    ncl = fatsecs * f.bps // 4 - 2
    assert used < ncl + 2
    out = bytearray(data[:f.fat_off])
    fat = data[f.fat_off:f.fat_off + fatsecs * f.bps]
    out += fat + fat
    out += data[f.data_off:f.data_off + ncl * f.clsize]
    tot = f.rsvd + 2 * fatsecs + ncl * f.spc
    struct.pack_into("<I", out, 32, tot)
    struct.pack_into("<I", out, 36, fatsecs)
    # the backup boot sector (sector 6) says the same
    bk = struct.unpack_from("<H", out, 50)[0] * f.bps
    out[bk:bk + f.bps] = out[:f.bps]
    return bytes(out)


def trim(data):
    """Drop trailing zero sectors (the harness puts them back)."""
    n = len(data.rstrip(b"\0"))
    return data[:(n + 511) // 512 * 512]


# --- Corruptions: each takes a Fat and changes it in place. -------------

def big_chain(f):
    return f.chain(f.find("BIG.BIN")[3])


def c_chain_loop(f):
    ch = big_chain(f)
    f.set(ch[-1], ch[0])


def c_chain_self(f):
    ch = big_chain(f)
    f.set(ch[0], ch[0])


def c_chain_out_of_range(f):
    f.set(big_chain(f)[1], f.ncl + 7)


def c_chain_free_mid(f):
    f.set(big_chain(f)[2], 0)


def c_chain_bad_mark(f):
    f.set(big_chain(f)[1], {12: 0xFF7, 16: 0xFFF7, 32: 0x0FFFFFF7}[f.bits])


def c_start_out_of_range(f):
    f.set_clus(f.find("BIG.BIN")[0], f.ncl + 100)


def c_start_one(f):
    f.set_clus(f.find("SMALL.TXT")[0], 1)


def c_start_zero_nonempty(f):
    f.set_clus(f.find("BIG.BIN")[0], 0)


def c_size_huge(f):
    struct.pack_into("<I", f.b, f.find("BIG.BIN")[0] + 28, 0xFFFFFFFF)


def c_size_short_chain(f):
    struct.pack_into("<I", f.b, f.find("SMALL.TXT")[0] + 28, 40 * f.clsize)


def c_crosslink(f):
    f.set_clus(f.find("SMALL.TXT")[0], f.find("BIG.BIN")[3])


def c_dir_contains_itself(f):
    sub = f.find("SUB")
    child = f.find("SUB/CHILD")
    f.set_clus(child[0], sub[3])


def c_dir_contains_root(f):
    f.set_clus(f.find("SUB/CHILD")[0], f.rootcl)


def c_dir_chain_loop(f):
    c = f.find("SUB")[3]
    f.set(c, c)


def c_dotdot_self(f):
    sub = f.find("SUB")
    dotdot = next(e for e in f.entries(sub[3]) if e[1] == b"..         ")
    f.set_clus(dotdot[0], sub[3])


def c_dot_elsewhere(f):
    sub = f.find("SUB")
    dot = next(e for e in f.entries(sub[3]) if e[1] == b".          ")
    f.set_clus(dot[0], f.find("BIG.BIN")[3])


def c_file_as_dir(f):
    off = f.find("BIG.BIN")[0]
    f.b[off + 11] = 0x10


def c_dir_as_file(f):
    off = f.find("SUB")[0]
    f.b[off + 11] = 0x20
    struct.pack_into("<I", f.b, off + 28, 3 * f.clsize)


def c_dir_start_zero(f):
    f.set_clus(f.find("SUB")[0], 0)


def lfn_slots(f):
    """Offsets of the long-name slots of the first long name in the root."""
    out = []
    for off in f.dir_slots(0):
        if f.b[off] == 0:
            break
        if f.b[off + 11] == 0x0F and f.b[off] != 0xE5:
            out.append(off)
        elif out:
            return out, off
    raise LookupError("no long name")


def c_lfn_checksum(f):
    slots, _ = lfn_slots(f)
    f.b[slots[0] + 13] ^= 0x5A


def c_lfn_sequence(f):
    slots, _ = lfn_slots(f)
    f.b[slots[-1]] = 0x07


def c_lfn_orphan(f):
    _, short = lfn_slots(f)
    f.b[short] = 0xE5


def c_lfn_surrogate(f):
    slots, _ = lfn_slots(f)
    struct.pack_into("<H", f.b, slots[-1] + 1, 0xD800)
    struct.pack_into("<H", f.b, slots[-1] + 3, 0x0041)


def c_lfn_too_long(f):
    slots, _ = lfn_slots(f)
    f.b[slots[0]] = 0x40 | 0x15


def c_lfn_no_terminator(f):
    slots, _ = lfn_slots(f)
    for s in slots:
        f.b[s + 1:s + 11] = b"\xff" * 10
        f.b[s + 14:s + 26] = b"\x41\x00" * 6
        f.b[s + 28:s + 32] = b"\x42\x00" * 2


def c_short_name_junk(f):
    off = f.find("HELLO.TXT")[0]
    f.b[off:off + 11] = b"H/L\x01\x7f*?.TXT"


def c_e5_escape(f):
    f.b[f.find("SMALL.TXT")[0]] = 0x05


def c_end_marker_early(f):
    f.b[f.entries(0)[1][0]] = 0


def c_volume_label_in_sub(f):
    off = f.find("SUB/CHILD")[0]
    f.b[off + 11] = 0x08


# BPB fields (offsets in the boot sector).
def bpb(off, fmt, val):
    def c(f):
        struct.pack_into(fmt, f.b, off, val)
    return c


def c_totsec_0(f):
    struct.pack_into("<H", f.b, 19, 0)
    struct.pack_into("<I", f.b, 32, 0)


def c_no_signature(f):
    f.b[510:512] = b"\0\0"


# FAT32 fields.
def c_fsinfo_garbage(f):
    fsi = struct.unpack_from("<H", f.b, 48)[0] * f.bps
    struct.pack_into("<II", f.b, fsi + 488, 0xFFFFFFF0, 0x7FFFFFFF)


def c_root_chain_loop(f):
    f.set(f.rootcl, f.rootcl)


CORRUPTIONS = [
    ("chain_loop", c_chain_loop), ("chain_self", c_chain_self),
    ("chain_out_of_range", c_chain_out_of_range),
    ("chain_free_mid", c_chain_free_mid), ("chain_bad_mark", c_chain_bad_mark),
    ("start_out_of_range", c_start_out_of_range), ("start_one", c_start_one),
    ("start_zero_nonempty", c_start_zero_nonempty),
    ("size_huge", c_size_huge), ("size_short_chain", c_size_short_chain),
    ("crosslink", c_crosslink), ("dir_contains_itself", c_dir_contains_itself),
    ("dir_chain_loop", c_dir_chain_loop), ("dotdot_self", c_dotdot_self),
    ("dot_elsewhere", c_dot_elsewhere), ("file_as_dir", c_file_as_dir),
    ("dir_as_file", c_dir_as_file), ("dir_start_zero", c_dir_start_zero),
    ("lfn_checksum", c_lfn_checksum), ("lfn_sequence", c_lfn_sequence),
    ("lfn_orphan", c_lfn_orphan), ("lfn_surrogate", c_lfn_surrogate),
    ("lfn_too_long", c_lfn_too_long),
    ("lfn_no_terminator", c_lfn_no_terminator),
    ("short_name_junk", c_short_name_junk), ("e5_escape", c_e5_escape),
    ("end_marker_early", c_end_marker_early),
    ("volume_label_in_sub", c_volume_label_in_sub),
]
BPB_CORRUPTIONS = [
    ("bpb_bps_0", bpb(11, "<H", 0)), ("bpb_bps_100", bpb(11, "<H", 100)),
    ("bpb_bps_4096", bpb(11, "<H", 4096)), ("bpb_spc_0", bpb(13, "<B", 0)),
    ("bpb_spc_3", bpb(13, "<B", 3)), ("bpb_spc_128", bpb(13, "<B", 128)),
    ("bpb_rsvd_0", bpb(14, "<H", 0)), ("bpb_nfats_0", bpb(16, "<B", 0)),
    ("bpb_nfats_9", bpb(16, "<B", 9)), ("bpb_totsec_0", c_totsec_0),
    ("bpb_totsec_huge", bpb(32, "<I", 0xFFFFFFFF)),
    ("bpb_media_0", bpb(21, "<B", 0)), ("no_signature", c_no_signature),
]
FAT16_BPB = [
    ("bpb_rootent_0", bpb(17, "<H", 0)), ("bpb_rootent_1", bpb(17, "<H", 1)),
    ("bpb_fatsz_0", bpb(22, "<H", 0)), ("bpb_fatsz_1", bpb(22, "<H", 1)),
    ("bpb_totsec16_small", bpb(19, "<H", 40)),
]
FAT32_BPB = [
    ("fat32_rootcl_0", bpb(44, "<I", 0)), ("fat32_rootcl_1", bpb(44, "<I", 1)),
    ("fat32_rootcl_huge", bpb(44, "<I", 0x0FFFFFF0)),
    ("fat32_fsinfo_far", bpb(48, "<H", 0xFFFF)),
    ("fat32_fsinfo_garbage", c_fsinfo_garbage),
    ("fat32_active_fat_5", bpb(40, "<H", 0x0085)),
    ("fat32_version", bpb(42, "<H", 0x0101)),
    ("fat32_fatsz_0", bpb(36, "<I", 0)),
    ("fat32_rootent_set", bpb(17, "<H", 512)),
    ("fat32_root_chain_loop", c_root_chain_loop),
]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_msdos_corpus.py DIR")
    outdir = sys.argv[1]
    tmp = tempfile.mkdtemp()
    seeds = {}
    try:
        bases = {
            "fat12": mkimage(tmp, "fat12", 12, 200, 1, ("-r", "64")),
            "fat16": mkimage(tmp, "fat16", 16, 2200, 1, ("-r", "64")),
            "fat32": shrink_fat32(mkimage(tmp, "fat32", 32, 33 * 1024, 1,
                                          ("-f", "2")), 16),
        }
        seeds["valid-fat12-4k"] = mkimage(tmp, "fat12b", 12, 1024, 8)
        seeds["valid-fat16-many"] = mkimage(tmp, "fat16m", 16, 2200, 1,
                                            nfiles=300)
        seeds["valid-fat32-spec"] = mkimage(tmp, "fat32s", 32, 33 * 1024, 1,
                                            ("-f", "1"))
        for name, data in bases.items():
            seeds[f"valid-{name}"] = data
            f = Fat(data)
            short = trim(data)
            seeds[f"{name}-truncated-half"] = short[:len(short) // 2 + 100]
            seeds[f"{name}-truncated-in-fat"] = data[:f.fat_off + 301]
            seeds[f"{name}-truncated-boot"] = data[:300]
            extra = FAT32_BPB if f.fat32 else FAT16_BPB
            for cname, fn in CORRUPTIONS + BPB_CORRUPTIONS + extra:
                if cname == "dir_contains_root" and not f.fat32:
                    continue
                g = Fat(data)
                fn(g)
                seeds[f"{name}-{cname}"] = bytes(g.b)
        g = Fat(bases["fat32"])
        c_dir_contains_root(g)
        seeds["fat32-dir_contains_root"] = bytes(g.b)
    finally:
        shutil.rmtree(tmp)
    os.makedirs(outdir, exist_ok=True)
    for name, data in sorted(seeds.items()):
        if len(data) % 512 == 0:
            data = trim(data)
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    print(f"{len(seeds)} seeds in {outdir}")


if __name__ == "__main__":
    main()
