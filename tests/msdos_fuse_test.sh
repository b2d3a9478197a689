#!/bin/sh
# msdos_fuse_test: rump_msdos end to end over real FUSE mounts.
#
# For FAT12, FAT16 and FAT32 images made by mkfs.fat with several cluster
# sizes and filled by mtools (long, Unicode and 255-character names, a
# 24-level tree, 300 entries in one directory, files fragmented by mtools,
# empty files, files of exactly one cluster and one byte either side):
# mount with rump_msdos and compare with host tools (diff -r, find, ls,
# tar, cp -a, statfs against fsck.fat's counts); write through the mount
# (create, append, truncate, rename across directories, mkdir, rmdir,
# unlink, cp -a and cp -r in) doing the same to a host copy; unmount with
# fusermount3 -u and by SIGTERM; then fsck.fat -n must be clean and mtools
# must read back the same names and contents.  Also: read-only mounts
# (EROFS, image untouched), detached mode, MBR partitions (IMAGE%MBR:2%),
# and the error messages for bad arguments and images.
#
# Needs root and /dev/fuse (skips otherwise).  Run from the build's tests
# directory: rump_msdos is ../bin/rump_msdos of the same build.
src=$(cd "$(dirname "$0")" && pwd)
while [ "$src" != / ] && [ ! -f "$src/kern/syscalls.tbl" ]; do
	src=$(dirname "$src")
done
. "$src/tests/msdos_lib.sh"
need_fuse

T=$(mktemp -d "${TMPDIR:-/tmp}/msdos_fuse_test.XXXXXX")
trap 'force_cleanup; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
M=$T/mnt
mkdir "$M" "$T/data"

# --- Source trees ------------------------------------------------------

# make_tree DIR CLUSTER: what every image starts with.
make_tree() {
	d=$1
	c=$2
	mkdir -p "$d/sub" "$d/many" "$d/empty_dir" "$d/nonbmp" "$d/frag"
	printf 'hello, world\n' >"$d/HELLO.TXT"
	printf 'mixed case\n' >"$d/MixedCase.Txt"
	printf 'lower case 8.3\n' >"$d/lower.txt"
	printf 'lower base, upper extension\n' >"$d/base.TXT"
	printf 'long\n' >"$d/A very long file name with spaces and.dots.tar.gz"
	printf 'two hundred fifty-five\n' >"$d/$(printf 'n%.0s' $(seq 251)).txt"
	printf 'unicode 1\n' >"$d/Ünïcödé Ωmega.txt"
	printf 'unicode 2\n' >"$d/日本語のファイル名.txt"
	printf 'unicode 3\n' >"$d/café au lait.txt"
	printf 'unicode 4\n' >"$d/Ελληνικά και русский.doc"
	: >"$d/empty.dat"
	: >"$d/EMPTY2"
	head -c "$c" /dev/urandom >"$d/one_cluster.bin"
	head -c $((c - 1)) /dev/urandom >"$d/cluster_minus_1.bin"
	head -c $((c + 1)) /dev/urandom >"$d/cluster_plus_1.bin"
	head -c $((2 * c)) /dev/urandom >"$d/two_clusters.bin"
	head -c 150000 /dev/urandom >"$d/sub/big.bin"
	p=$d
	for i in $(seq -w 1 24); do
		p=$p/level$i
		[ "$i" = 12 ] && mkdir -p "$p" && printf 'middle\n' >"$p/mid.txt"
	done
	mkdir -p "$p"
	printf 'leaf\n' >"$p/leaf.txt"
	for i in $(seq -w 0 199); do
		printf '%s\n' "$i" >"$d/many/entry number $i with a long name.txt"
	done
	for i in $(seq -w 0 99); do
		printf '%s\n' "$i" >"$d/many/F$i.DAT"
	done
	# Even seconds (FAT's resolution), and the ends of FAT's range.
	find "$d" -exec touch -h -d @1700000000 {} +
	touch -d @315532800 "$d/HELLO.TXT"		# 1980-01-01 00:00:00
	touch -d @946684798 "$d/lower.txt"		# 1999-12-31 23:59:58
	touch -d @4354819198 "$d/EMPTY2"		# 2107-12-31 23:59:58
	touch -d @1234567890 "$d/sub/big.bin"
}

# fill_image IMAGE DIR CLUSTER BITS: copy DIR in with mtools, then fragment
# DIR/frag: 12 files of 2.5 clusters, every other one deleted, and a file
# of 14 clusters that mtools puts in the holes.  DIR/frag ends as the image.
fill_image() {
	mcopy -s -m -i "$1" "$2"/* ::/ || return 1
	for i in $(seq -w 1 12); do
		head -c $(($3 * 5 / 2)) /dev/urandom >"$2/frag/c$i"
		touch -d @1700000000 "$2/frag/c$i"
		mcopy -m -i "$1" "$2/frag/c$i" "::/frag/c$i" || return 1
	done
	for i in 01 03 05 07 09 11; do
		mdel -i "$1" "::/frag/c$i" && rm "$2/frag/c$i" || return 1
	done
	# FAT32: forget FSInfo's next-free hint, or mtools allocates after
	# the last cluster it used instead of in the holes.
	if [ "$4" = 32 ]; then
		fsinfo=$(od -An -tu2 -j48 -N2 "$1" | tr -d ' ')
		printf '\377\377\377\377' | dd of="$1" bs=1 conv=notrunc \
		    seek=$((fsinfo * 512 + 492)) status=none
	fi
	head -c $(($3 * 14)) /dev/urandom >"$2/frag/fragmented.bin"
	touch -d @1700000000 "$2/frag/fragmented.bin" "$2/frag"
	mcopy -m -i "$1" "$2/frag/fragmented.bin" ::/frag/ || return 1
	# The oracle must really have fragmented it.
	[ "$(mshowfat -i "$1" ::/frag/fragmented.bin | grep -o '<' | wc -l)" -gt 3 ]
}

# --- Write operations: each acts on the tree at $1 (the mount, then the
# host copy that says what the image must hold). -----------------------

op_create() {
	cp "$T/data/new.bin" "$1/sub/created.bin" &&
	    printf 'small\n' >"$1/created in root.txt"
}
op_append() {
	cat "$T/data/more" >>"$1/HELLO.TXT" &&
	    cat "$T/data/more" >>"$1/cluster_minus_1.bin" &&
	    cat "$T/data/more" >>"$1/empty.dat"
}
op_truncate() {
	truncate -s 1000 "$1/sub/big.bin" &&
	    truncate -s $((3 * C + 7)) "$1/one_cluster.bin" &&
	    truncate -s 0 "$1/cluster_plus_1.bin"
}
op_rename() {
	mv "$1/level01/level02/level03/level04/level05" "$1/sub/moved_tree" &&
	    mv "$1/many/entry number 007 with a long name.txt" "$1/sub/seven.txt" &&
	    mv "$1/MixedCase.Txt" "$1/EMPTY2" &&
	    mv "$1/lower.txt" "$1/tmp name" && mv "$1/tmp name" "$1/LOWER.txt" &&
	    mv "$1/sub/moved_tree/level06" "$1/level01/level06 renamed"
}
op_mkdir() {
	mkdir -p "$1/newdir/inner/most" && rmdir "$1/empty_dir"
}
op_unlink() {
	for i in $(seq -w 0 3 199); do
		[ "$i" = 006 ] && continue	# 7 has gone; keep 6 for later
		rm "$1/many/entry number $i with a long name.txt" || return 1
	done
	rm "$1/empty.dat" "$1/many/F50.DAT"
}
op_cp_r() {
	printf 'one\n' >"$T/data/tree/file1" &&
	    cp -r -T "$T/data/tree" "$1/copied" &&
	    printf 'changed\n' >"$T/data/tree/file1" &&
	    cp -r -T "$T/data/tree" "$1/copied"
}
op_cp_a() {
	cp -a "$T/data/atree" "$1/atree"
}
op_nonbmp() {
	printf 'smile\n' >"$1/nonbmp/emoji 😀 name.txt"
}
# Second mount: remove a directory of hundreds, move a subtree up a level.
op_second() {
	rm -r "$1/many" && mv "$1/sub" "$1/newdir/inner/sub moved" &&
	    mkdir "$1/many" && for i in $(seq 1 40); do
		printf '%s\n' "$i" >"$1/many/second round file $i.txt" ||
		    return 1
	    done
}

# The trees op_cp_r and op_cp_a copy in, as they were.
data_reset() {
	rm -rf "$T/data/tree" "$T/data/atree"
	mkdir -p "$T/data/tree/d1/d2" "$T/data/atree/x"
	printf 'one\n' >"$T/data/tree/file1"
	head -c 70000 /dev/urandom >"$T/data/tree/d1/d2/file2"
	printf 'a\n' >"$T/data/atree/x/a"
	head -c 9000 /dev/urandom >"$T/data/atree/b"
	touch -d @1600000000 "$T/data/atree/x/a" "$T/data/atree/b" \
	    "$T/data/atree/x" "$T/data/atree"
}

# both NAME OP: run OP on the host copy, then on the mount (must succeed).
both() {
	$2 "$E" || echo "  $2 failed on the host copy"
	check "$1" "$2 '$M'"
}

# statfs_matches MOUNT USED TOTAL CLUSTER: statfs agrees with fsck.fat.
statfs_matches() {
	_sf=$(stat -f -c '%S %b %f' "$1") || return 1
	set -- $_sf $2 $3 $4		# all numbers, none empty
	[ $# -eq 6 ] || return 1
	[ $(($1 * $2)) -eq $(($5 * $6)) ] &&
	    [ $(($1 * $3)) -eq $((($5 - $4) * $6)) ] && return 0
	echo "  statfs: bsize $1 blocks $2 free $3; fsck: $4/$5 of $6"
	return 1
}

# --- One image type ------------------------------------------------------

# fat_round NAME BITS SIZE_KIB SECTORS_PER_CLUSTER
fat_round() {
	n=$1
	bits=$2
	C=$(($4 * 512))
	I=$T/$n.img
	S=$T/src_$n
	E=$T/exp_$n
	data_reset
	make_tree "$S" "$C"
	mkfs.fat -F "$2" -s "$4" -i 12345678 -C "$I" "$3" >/dev/null
	fill_image "$I" "$S" "$C" "$bits"
	check "${n}_mtools_fill" '[ $? -eq 0 ]'
	check "${n}_oracle_clean" 'fsck_clean "$I" &&
	    fsck.fat -n -v "$I" | grep -q "$bits bit entries"'
	set -- $(fsck_clusters "$I")
	used=$1
	total=$2

	# First mount: compare with host tools.
	mount_fg "$I" "$M"
	check "${n}_mount" '[ $? -eq 0 ]'
	check "${n}_diff" 'same_tree "$S" "$M"'
	listing "$S" >"$T/ls.src"
	listing "$M" >"$T/ls.mnt"
	check "${n}_find_sizes_mtimes" 'same_text "$T/ls.src" "$T/ls.mnt"'
	(cd "$S" && ls -1R) >"$T/ls1.src"
	(cd "$M" && ls -1R) >"$T/ls1.mnt"
	check "${n}_ls_R" 'same_text "$T/ls1.src" "$T/ls1.mnt"'
	check "${n}_ls_many" '[ "$(ls "$M/many" | wc -l)" -eq 300 ]'
	(cd "$S" && tar cf - .) | tar tf - | LC_ALL=C sort >"$T/tar.src"
	(cd "$M" && tar cf - .) | tar tf - | LC_ALL=C sort >"$T/tar.mnt"
	check "${n}_tar_t" 'same_text "$T/tar.src" "$T/tar.mnt"'
	rm -rf "$T/tarout" "$T/cpout"
	mkdir "$T/tarout"
	(cd "$M" && tar cf - .) | (cd "$T/tarout" && tar xf - --warning=no-timestamp)
	check "${n}_tar_x" 'same_tree "$S" "$T/tarout"'
	cp -a "$M" "$T/cpout"
	check "${n}_cp_a_out" '[ $? -eq 0 ] && same_tree "$S" "$T/cpout"'
	listing "$T/cpout" >"$T/ls.cp"
	check "${n}_cp_a_out_mtimes" 'same_text "$T/ls.src" "$T/ls.cp"'
	check "${n}_statfs" 'statfs_matches "$M" $used $total $C'
	check "${n}_case_insensitive" '[ -f "$M/hello.txt" ] &&
	    [ -f "$M/MIXEDCASE.TXT" ] && touch "$M/hello.txt" &&
	    [ "$(ls "$M" | grep -ci "^hello.txt$")" -eq 1 ]'
	touch -d @315532800 "$M/HELLO.TXT"

	# Writes, mirrored in the host copy $E.
	rm -rf "$E"
	cp -a "$S" "$E"
	# cp -a sets modes: give the files the modes the mount shows.
	chmod "$(stat -c %a "$M/HELLO.TXT")" "$T/data/atree/b" "$T/data/atree/x/a"
	chmod "$(stat -c %a "$M/sub")" "$T/data/atree" "$T/data/atree/x"
	head -c $((3 * C + C / 2)) /dev/urandom >"$T/data/new.bin"
	head -c $((C + 100)) /dev/urandom >"$T/data/more"
	both "${n}_create" op_create
	both "${n}_append" op_append
	both "${n}_truncate" op_truncate
	both "${n}_rename" op_rename
	both "${n}_mkdir_rmdir" op_mkdir
	both "${n}_unlink" op_unlink
	data_reset
	chmod "$(stat -c %a "$M/HELLO.TXT")" "$T/data/atree/b" "$T/data/atree/x/a"
	chmod "$(stat -c %a "$M/sub")" "$T/data/atree" "$T/data/atree/x"
	both "${n}_cp_r_twice" op_cp_r
	data_reset
	chmod "$(stat -c %a "$M/HELLO.TXT")" "$T/data/atree/b" "$T/data/atree/x/a"
	chmod "$(stat -c %a "$M/sub")" "$T/data/atree" "$T/data/atree/x"
	both "${n}_cp_a_in" op_cp_a
	both "${n}_nonbmp_name" op_nonbmp
	check "${n}_rmdir_notempty" '! rmdir "$M/many" 2>"$T/err" &&
	    grep -q "Directory not empty" "$T/err"'
	check "${n}_written_tree" 'same_tree "$E" "$M"'
	listing "$T/data/atree" | grep -v '^d' >"$T/ls.a1"
	listing "$M/atree" | grep -v '^d' >"$T/ls.a2"
	check "${n}_cp_a_in_mtimes" 'same_text "$T/ls.a1" "$T/ls.a2"'

	umount_fuse "$M"
	check "${n}_fusermount_u" '[ $? -eq 0 ] && ! is_mounted "$M"'
	check "${n}_fsck_after_writes" 'fsck_clean "$I"'
	mtools_extract "$I" "$T/out"
	# mtools drops characters outside the BMP: that file is checked
	# through our own mount below.
	check "${n}_mtools_after_writes" 'same_tree "$E" "$T/out" -x nonbmp'

	# Second mount: what we wrote reads back; more writes; SIGTERM.
	mount_fg "$I" "$M"
	check "${n}_remount" '[ $? -eq 0 ] && same_tree "$E" "$M"'
	both "${n}_second_writes" op_second
	check "${n}_second_tree" 'same_tree "$E" "$M"'
	umount_term "$M"
	check "${n}_sigterm" '[ $? -eq 0 ]'
	check "${n}_fsck_after_sigterm" 'fsck_clean "$I"'
	mtools_extract "$I" "$T/out"
	check "${n}_mtools_after_sigterm" 'same_tree "$E" "$T/out" -x nonbmp'

	# Read-only: every write fails with EROFS, the image stays as it is.
	cp "$I" "$T/before.img"
	set -- $(fsck_clusters "$I")
	used=$1
	total=$2
	mount_fg "$I" "$M" -o ro
	check "${n}_ro_mount" '[ $? -eq 0 ] && same_tree "$E" "$M"'
	check "${n}_ro_statfs" 'statfs_matches "$M" $used $total $C'
	for w in "touch '$M/new'" "mkdir '$M/newd'" "rm '$M/HELLO.TXT'" \
	    "rmdir '$M/newdir/inner/most'" "mv '$M/HELLO.TXT' '$M/x'" \
	    "sh -c ': >> \"$M/HELLO.TXT\"'" "truncate -s 0 '$M/HELLO.TXT'" \
	    "touch '$M/HELLO.TXT'"; do
		eval "$w" 2>"$T/err"
		if [ $? -eq 0 ] || ! grep -q "Read-only file system" "$T/err"; then
			echo "  not EROFS: $w: $(cat "$T/err")"
			echo x >"$T/ro_failed"
		fi
	done
	check "${n}_ro_erofs" '[ ! -e "$T/ro_failed" ]'
	rm -f "$T/ro_failed"
	umount_fuse "$M"
	check "${n}_ro_unmount" '[ $? -eq 0 ] && cmp -s "$I" "$T/before.img"'
	rm -rf "$S" "$E" "$I" "$T/out" "$T/tarout" "$T/cpout" "$T/before.img"
}

fat_round fat12_512 12 1900 1
fat_round fat12_4k 12 8000 8
fat_round fat16_2k 16 32768 4
fat_round fat16_16k 16 131072 32
fat_round fat32_512 32 40960 1
fat_round fat32_4k 32 307200 8

# --- Full file systems: ENOSPC, and a clean image afterwards. -----------
I=$T/full.img
mkfs.fat -F 12 -s 1 -r 16 -C "$I" 1024 >/dev/null
mount_fg "$I" "$M"
check full_mount '[ $? -eq 0 ]'
head -c 2000000 /dev/urandom >"$T/toobig"
cp "$T/toobig" "$M/toobig" 2>"$T/err"
check full_data_enospc '[ $? -ne 0 ] && grep -q "No space left on device" "$T/err"'
rm -f "$M/toobig"
# What the failed copy held is free again.
head -c 900000 "$T/toobig" >"$T/most"
check full_space_back '[ ! -e "$M/toobig" ] && cp "$T/most" "$M/most" &&
    cmp "$T/most" "$M/most"'
# A fixed root directory of 16 entries: the 17th name does not fit.
rm -f "$M"/*
i=1
while [ $i -le 16 ] && : >"$M/F$i.TXT"; do i=$((i + 1)); done
(: >"$M/F17.TXT") 2>"$T/err"
check full_root_dir_enospc '[ $? -ne 0 ] && [ $i -eq 17 ] &&
    grep -q "No space left on device" "$T/err" && [ "$(ls "$M" | wc -l)" -eq 16 ]'
umount_fuse "$M"
check full_unmount_fsck '[ $? -eq 0 ] && fsck_clean "$I"'

# --- Detached mode: rump_msdos returns once mounted; after fusermount3 -u
# the daemon writes everything back and exits. ---------------------------
I=$T/detach.img
mkfs.fat -F 16 -C "$I" 16384 >/dev/null
"$MSDOS" "$I" "$M" 2>"$T/msdos.err"
check detach_returns '[ $? -eq 0 ] && is_mounted "$M"'
dpid=
for p in /proc/[0-9]*; do
	case "$(cat "$p/cmdline" 2>/dev/null | tr '\0' ' ')" in
	*rump_msdos*" $I $M ") dpid=${p#/proc/} ;;
	esac
done
printf 'detached\n' >"$M/written while detached.txt"
fusermount3 -u "$M"
# wait for the daemon's write-back (a safety bound, not a timing check)
i=0
while [ -n "$dpid" ] && kill -0 "$dpid" 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
check detach_exits '[ -n "$dpid" ] && ! kill -0 "$dpid" 2>/dev/null'
check detach_written 'fsck_clean "$I" &&
    [ "$(mtype -i "$I" "::/written while detached.txt")" = detached ]'

# --- MBR partitions: FAT16 in partition 1, FAT32 in partition 2. --------
I=$T/disk.img
P1=2048
N1=16384
P2=$((P1 + N1 + 2048))
N2=81920
rm -f "$I"
truncate -s $(((P2 + N2 + 1024) * 512)) "$I"
mkfs.fat -F 16 -s 1 -h $P1 -C "$T/p1.img" $((N1 / 2)) >/dev/null
mkfs.fat -F 32 -s 1 -h $P2 -C "$T/p2.img" $((N2 / 2)) >/dev/null
dd if="$T/p1.img" of="$I" bs=512 seek=$P1 conv=notrunc status=none
dd if="$T/p2.img" of="$I" bs=512 seek=$P2 conv=notrunc status=none
mbr_entry 446 14 $P1 $N1 "$I"		# 0x0e FAT16 LBA
mbr_entry 462 12 $P2 $N2 "$I"		# 0x0c FAT32 LBA
mbr_sign "$I"
S=$T/src_mbr
mkdir -p "$S/dir"
printf 'in partition two\n' >"$S/dir/Partition Two.txt"
head -c 100000 /dev/urandom >"$S/data.bin"
printf 'partition one\n' >"$T/one.txt"
mcopy -s -m -i "$I@@$((P2 * 512))" "$S"/* ::/ &&
    mcopy -i "$I@@$((P1 * 512))" "$T/one.txt" ::/ONE.TXT
check mbr_oracle '[ $? -eq 0 ]'
mount_fg "$I%MBR:2%" "$M"
check mbr_p2_mount '[ $? -eq 0 ] && same_tree "$S" "$M"'
printf 'new in p2\n' >"$S/new.txt"
cp "$S/new.txt" "$M/new.txt"
mv "$M/dir" "$M/Dir Renamed"
mv "$S/dir" "$S/Dir Renamed"
head -c $((P2 * 512)) "$I" >"$T/head.before"
umount_term "$M"
check mbr_p2_unmount '[ $? -eq 0 ]'
# Nothing outside partition 2 changed; partition 2 is clean and complete.
check mbr_outside_untouched 'head -c $((P2 * 512)) "$I" | cmp -s - "$T/head.before" &&
    [ "$(tail -c $((1024 * 512)) "$I" | tr -d "\000" | wc -c)" -eq 0 ]'
dd if="$I" of="$T/p2.img" bs=512 skip=$P2 count=$N2 status=none
mtools_extract "$T/p2.img" "$T/out"
check mbr_p2_fsck_mtools 'fsck_clean "$T/p2.img" && same_tree "$S" "$T/out"'
mount_fg "$I" "$M" -o part=1,ro
check mbr_part_option '[ $? -eq 0 ] && cmp -s "$M/ONE.TXT" "$T/one.txt" &&
    [ "$(ls "$M")" = ONE.TXT ]'
umount_fuse "$M"

# --- Errors ----------------------------------------------------------------
run() {
	"$MSDOS" -f "$@" 2>"$T/err" </dev/null
	st=$?
	err=$(cat "$T/err")
}
err_is() {
	[ "$st" -eq "$1" ] && [ "$err" = "$2" ] && ! is_mounted "$M" && return 0
	echo "  status $st, stderr: $err"
	return 1
}
run "$T/nosuch.img" "$M"
check err_missing_image 'err_is 1 "rump_msdos: $T/nosuch.img: No such file or directory"'
head -c 1048576 /dev/urandom >"$T/random.img"
run "$T/random.img" "$M"
check err_not_fat 'err_is 1 "rump_msdos: $T/random.img: cannot mount: Invalid argument (not a FAT file system, or a damaged one)"'
truncate -s 1048576 "$T/zero.img"
run "$T/zero.img" "$M"
check err_zero_image 'err_is 1 "rump_msdos: $T/zero.img: cannot mount: Invalid argument (not a FAT file system, or a damaged one)"'
run "$I%MBR:5%" "$M"
check err_partition_5 'err_is 1 "rump_msdos: $I%MBR:5%: expected IMAGE%MBR:N% with N from 1 to 4"'
run "$I%MBR:0%" "$M"
check err_partition_0 'err_is 1 "rump_msdos: $I%MBR:0%: expected IMAGE%MBR:N% with N from 1 to 4"'
run "$I%MBR:2" "$M"
check err_partition_syntax 'err_is 1 "rump_msdos: $I%MBR:2: expected IMAGE%MBR:N% with N from 1 to 4"'
run "$I%MBR:3%" "$M"
check err_partition_empty 'err_is 1 "rump_msdos: $I: partition 3 is empty"'
run -o part=7 "$I" "$M"
err=$(printf '%s\n' "$err" | head -n 1)
check err_part_option 'err_is 2 "rump_msdos: -o part=7: partition must be 1-4"'
run "$T/zero.img%MBR:1%" "$M"
check err_no_mbr 'err_is 1 "rump_msdos: $T/zero.img: no MBR partition table (signature)"'
# Partition 2 claiming sectors past the end of the image.
mbr_entry 462 12 $P2 $((N2 * 4)) "$I"
run "$I%MBR:2%" "$M"
check err_partition_outside 'err_is 1 "rump_msdos: $I: partition 2 (sectors $P2+$((N2 * 4))) lies outside the image"'
run "$T/p2.img"
check err_usage '[ $st -eq 2 ] && printf "%s\n" "$err" | grep -q "^usage: rump_msdos "'
run "$T/p2.img" "$T/no/such/dir"
check err_bad_mountpoint '[ $st -eq 1 ] && [ -n "$err" ] && fsck_clean "$T/p2.img"'

finish
