#!/bin/sh
# newfs_msdos_test: rump.newfs_msdos against a real rump_server with host
# image files as block devices (-d), checked by other people's FAT code:
# for sizes from 1 MiB to 2 GiB (sparse files) and each FAT type that
# fits, format through the kernel, stop the server, then fsck.fat -n must
# be silent, minfo (mtools) must show the layout, mcopy/mdir must write
# and read files, and fsck.fat must stay silent; the layout must equal
# mkfs.fat's for the same type and parameters.  Then the error cases, and
# (once the kernel has msdosfs) a mount of what we made.
#
# Run from the build's tests directory: the binaries come from ../bin.
src=$(cd "$(dirname "$0")" && pwd)
while [ "$src" != / ] && [ ! -f "$src/kern/syscalls.tbl" ]; do
	src=$(dirname "$src")
done
# here, bin, T, pass, fail, check and run.
. "$src/tests/ctl_lib.sh"
RUMP_SERVER="unix://$T/sock"
export RUMP_SERVER
# mtools: no ~/.mtoolsrc surprises, and no complaint about geometry.
MTOOLSRC=/dev/null
MTOOLS_SKIP_CHECK=1
export MTOOLSRC MTOOLS_SKIP_CHECK

for tool in fsck.fat mkfs.fat minfo mcopy mdir mmd; do
	if ! command -v "$tool" >/dev/null 2>&1 &&
	    ! [ -x "/usr/sbin/$tool" ] && ! [ -x "/sbin/$tool" ]; then
		echo "FAIL needs $tool (dosfstools, mtools: make deps)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done
PATH=$PATH:/usr/sbin:/sbin

# Is the first line of $err the message, and the last the usage line?
usage_err() {
	[ $st -eq 2 ] && [ "$(printf '%s\n' "$err" | head -n 1)" = "$1" ] &&
	    printf '%s\n' "$err" | tail -n 1 | grep -q "^usage: rump.newfs_msdos "
}

# start_server IMAGE...: a server with /dev/img0, /dev/img1, ... for the
# images; waits (bounded) until it answers.
start_server() {
	set -- "$@"
	args=
	n=0
	for img in "$@"; do
		args="$args -d key=/dev/img$n,hostpath=$img,size=host"
		n=$((n + 1))
	done
	# shellcheck disable=SC2086
	"$bin/rump_server" -s $args "$RUMP_SERVER" 2>"$T/server.err" &
	spid=$!
	i=0
	until rump.sysctl -n kern.ostype >/dev/null 2>&1 || [ $i -ge 400 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}
# stop_server: halt it and wait for it to exit; sets sst.
stop_server() {
	rump.halt >/dev/null 2>&1
	wait "$spid"
	sst=$?
	spid=
}
# image NAME SIZE: a new sparse host file.
image() {
	rm -f "$T/$1"
	truncate -s "$2" "$T/$1"
}
# fsck_clean IMG FILES: fsck.fat -n says nothing but its summary line,
# with FILES files; sets fsck_used and fsck_clusters.
fsck_clean() {
	fout=$(fsck.fat -n "$1" 2>&1)
	fst=$?
	line=$(printf '%s\n' "$fout" | sed -n 2p)
	fsck_used=$(printf '%s\n' "$line" | sed -n 's|.* files, \([0-9]*\)/[0-9]* clusters$|\1|p')
	fsck_clusters=$(printf '%s\n' "$line" | sed -n 's|.*/\([0-9]*\) clusters$|\1|p')
	[ $fst -eq 0 ] && [ "$(printf '%s\n' "$fout" | wc -l)" -eq 2 ] &&
	    printf '%s\n' "$line" | grep -q "^$1: $2 files, [0-9]*/[0-9]* clusters$" ||
	    { printf '  fsck.fat -n (status %s):\n%s\n' "$fst" "$fout" | head -n 20; false; }
}
# layout IMG: fsck.fat's description of the layout (what mkfs.fat and we
# must agree on), without names, geometry and volume data.
layout() {
	fsck.fat -n -v "$1" 2>&1 | grep -E 'bytes per logical sector|bytes per cluster|reserved sector|FAT starts|FATs, |bytes per FAT|Root directory|root directory entries|Data area|data clusters|sectors total'
}
# minfo_has IMG 'LINE': minfo prints LINE.
minfo_has() {
	minfo -i "$1" :: 2>/dev/null | grep -Fqx -- "$2"
}

# --- Without a server: the command line ----------------------------------
run rump.newfs_msdos --help
check help '[ $st -eq 0 ] && printf %s "$out" | grep -q "^usage: rump.newfs_msdos " && printf %s "$out" | grep -q -- "-F 12|16|32"'
run rumpctrl --list
check listed '[ $st -eq 0 ] && printf "%s\n" "$out" | grep -qx newfs_msdos'
check link '[ -L "$bin/rump.newfs_msdos" ] && [ -L "$bin/../libexec/rumpctrl/newfs_msdos" ]'
# Usage errors come before connecting (no server is needed).
U="env -u RUMP_SERVER rump.newfs_msdos"
run $U
check no_device '[ $st -eq 2 ] && usage_err "rump.newfs_msdos: no device given"'
run $U /dev/a /dev/b
check two_devices 'usage_err "rump.newfs_msdos: only one device, please"'
run $U -F 13 /dev/x
check bad_F 'usage_err "rump.newfs_msdos: -F 13: FAT type must be 12, 16 or 32"'
run $U -F "" /dev/x
check empty_F 'usage_err "rump.newfs_msdos: -F : FAT type must be 12, 16 or 32"'
run $U -c 3 /dev/x
check c_not_power_of_2 'usage_err "rump.newfs_msdos: -c 3: sectors per cluster must be a power of 2 (1, 2, 4, ..., 128)"'
run $U -c 256 /dev/x
check c_too_big 'usage_err "rump.newfs_msdos: -c 256: not a number from 1 to 128"'
run $U -c 0 /dev/x
check c_zero 'usage_err "rump.newfs_msdos: -c 0: not a number from 1 to 128"'
run $U -c -4 /dev/x
check c_negative 'usage_err "rump.newfs_msdos: -c -4: not a number from 1 to 128"'
run $U -S 300 /dev/x
check bad_S 'usage_err "rump.newfs_msdos: -S 300: sector size must be 512, 1024, 2048 or 4096"'
run $U -n 0 /dev/x
check n_zero 'usage_err "rump.newfs_msdos: -n 0: not a number from 1 to 4"'
run $U -n 5 /dev/x
check n_five 'usage_err "rump.newfs_msdos: -n 5: not a number from 1 to 4"'
run $U -r 0 /dev/x
check r_zero 'usage_err "rump.newfs_msdos: -r 0: not a number from 1 to 65535"'
run $U -r 65536 /dev/x
check r_too_big 'usage_err "rump.newfs_msdos: -r 65536: not a number from 1 to 65535"'
run $U -s 0 /dev/x
check s_zero 'usage_err "rump.newfs_msdos: -s 0: not a number from 1 to 4294967295"'
run $U -s 12k /dev/x
check s_junk 'usage_err "rump.newfs_msdos: -s 12k: not a number from 1 to 4294967295"'
run $U -e 0 /dev/x
check e_zero 'usage_err "rump.newfs_msdos: -e 0: not a number from 1 to 65535"'
run $U -L ABCDEFGHIJKL /dev/x
check label_too_long 'usage_err "rump.newfs_msdos: -L: label '"'ABCDEFGHIJKL'"': must be 1 to 11 characters"'
run $U -L "A.B" /dev/x
check label_bad_char '[ $st -eq 2 ] && printf %s "$err" | grep -q "^rump.newfs_msdos: -L: label '"'A.B'"': character '"'.'"' is not allowed"'
run $U -L " A" /dev/x
check label_leading_space 'usage_err "rump.newfs_msdos: -L: label '"' A'"': must not start with a space"'
run $U -I xyz /dev/x
check bad_volid 'usage_err "rump.newfs_msdos: -I xyz: volume id must be a 32-bit number (decimal, 0x hex, or XXXX-XXXX)"'
run $U -I 0x123456789 /dev/x
check volid_too_big '[ $st -eq 2 ]'
run $U -I 4294967296 /dev/x
check volid_decimal_too_big '[ $st -eq 2 ]'
run $U -Z /dev/x
check unknown_option 'usage_err "rump.newfs_msdos: unknown option -Z"'
run $U -F
check missing_argument 'usage_err "rump.newfs_msdos: option -F needs an argument"'
run $U /dev/x
check no_server '[ $st -eq 1 ] && [ "$err" = "rumpctrl: cannot connect to \$RUMP_SERVER (unset): RUMP_SERVER is not set" ]'

# --- Formatting: sizes, types, checks -----------------------------------
# fmt NAME SIZE TYPE SUMMARY [OPTIONS...]: format a new image of SIZE with
# OPTIONS (-v is added), expecting FAT TYPE and, unless SUMMARY is "-",
# exactly that summary line; then check it with fsck.fat, minfo and mtools
# and compare its layout with mkfs.fat's for the same parameters.
fmt() {
	name=$1 size=$2 type=$3 summary=$4
	shift 4
	image "$name.img" "$size"
	start_server "$T/$name.img"
	run rump.newfs_msdos -v "$@" /dev/img0
	stop_server
	last=$(printf '%s\n' "$out" | tail -n 1)
	spc=$(printf '%s\n' "$out" | sed -n 's|.*sectors/cluster \([0-9]*\),.*|\1|p')
	bps=$(printf '%s\n' "$out" | sed -n 's|.*bytes/sector \([0-9]*\),.*|\1|p')
	rsvd=$(printf '%s\n' "$out" | sed -n 's|.*reserved sectors \([0-9]*\),.*|\1|p')
	nfats=$(printf '%s\n' "$out" | sed -n 's|.*: \([0-9]*\) FATs of.*|\1|p')
	rootent=$(printf '%s\n' "$out" | sed -n 's|.*root directory \([0-9]*\) entries.*|\1|p')
	clusters=$(printf '%s\n' "$last" | sed -n 's|.* \([0-9]*\) clusters$|\1|p')
	check "${name}_format" '[ $st -eq 0 ] && [ $sst -eq 0 ] && printf "%s\n" "$last" | grep -Eq "^/dev/img0: [0-9]+ sectors, FAT$type, [0-9]+ bytes/cluster, [0-9]+ clusters$" && { [ "$summary" = - ] || [ "$last" = "/dev/img0: $summary" ]; }'
	[ $st -eq 0 ] || return
	check "${name}_fsck_clean" 'fsck_clean "$T/$name.img" 0 && [ "$fsck_clusters" = "$clusters" ] && [ "$fsck_used" -eq $([ $type = 32 ] && echo 1 || echo 0) ]'
	check "${name}_minfo" 'minfo_has "$T/$name.img" "disk type=\"FAT$type   \"" && minfo_has "$T/$name.img" "sector size: $bps bytes" && minfo_has "$T/$name.img" "cluster size: $spc sectors" && minfo_has "$T/$name.img" "fats: $nfats" && minfo_has "$T/$name.img" "reserved (boot) sectors: $rsvd"'
	# The same layout from mkfs.fat (no alignment, same parameters).
	image ref.img "${refsize:-$size}"
	ropt=
	[ "$type" = 32 ] || ropt="-r $rootent"
	mkfs.fat -a -F "$type" -S "$bps" -s "$spc" -R "$rsvd" -f "$nfats" \
	    $ropt "$T/ref.img" >/dev/null 2>&1
	check "${name}_layout_as_mkfs_fat" '[ -n "$(layout "$T/ref.img")" ] && [ "$(layout "$T/$name.img")" = "$(layout "$T/ref.img")" ] || { echo "  ours:"; layout "$T/$name.img"; echo "  mkfs.fat:"; layout "$T/ref.img"; false; }'
	rm -f "$T/ref.img"
	# mtools writes and reads files on it; fsck.fat stays silent.
	mmd -i "$T/$name.img" ::/dir &&
	    mcopy -i "$T/$name.img" "$T/data" ::/DATA.BIN &&
	    mcopy -i "$T/$name.img" "$T/small" "::/dir/a long name.txt"
	mst=$?
	mout=$(mdir -b -i "$T/$name.img" ::/ ::/dir 2>&1)
	check "${name}_mtools_write" '[ $mst -eq 0 ] && [ "$mout" = "::/dir/
::/DATA.BIN
::/dir/a long name.txt" ]'
	check "${name}_mtools_read" 'mcopy -i "$T/$name.img" ::/DATA.BIN "$T/back" && cmp -s "$T/data" "$T/back" && [ "$(mtype -i "$T/$name.img" "::/dir/a long name.txt")" = "$(cat "$T/small")" ]'
	check "${name}_fsck_after_mtools" 'fsck_clean "$T/$name.img" 3'
	rm -f "$T/$name.img" "$T/back"
}
head -c 300000 /dev/urandom >"$T/data"
echo "a small file" >"$T/small"

fmt 1m_auto 1M 12 "2048 sectors, FAT12, 512 bytes/cluster, 2003 clusters"
fmt 1m_fat12 1M 12 - -F 12
fmt 4m_auto 4M 12 "8192 sectors, FAT12, 1024 bytes/cluster, 4067 clusters"
fmt 4m_fat16 4M 16 "8192 sectors, FAT16, 512 bytes/cluster, 8095 clusters" -F 16
fmt 16m_auto 16M 16 "32768 sectors, FAT16, 2048 bytes/cluster, 8167 clusters"
fmt 16m_fat12 16M 12 - -F 12
fmt 64m_auto 64M 16 "131072 sectors, FAT16, 2048 bytes/cluster, 32695 clusters"
fmt 64m_fat12 64M 12 "131072 sectors, FAT12, 32768 bytes/cluster, 2047 clusters" -F 12
fmt 64m_fat32 64M 32 "131072 sectors, FAT32, 512 bytes/cluster, 129022 clusters" -F 32
fmt 64m_4k_sectors 64M 16 - -S 4096
fmt 128m_fat12 128M 12 "262144 sectors, FAT12, 65536 bytes/cluster, 2047 clusters" -F 12
check 128m_fat12_warns '[ "$err" = "rump.newfs_msdos: /dev/img0: warning: 65536-byte clusters are beyond the FAT specification; some systems cannot use them" ]'
fmt 128m_fat32 128M 32 - -F 32
fmt 256m_auto 256M 16 "524288 sectors, FAT16, 4096 bytes/cluster, 65467 clusters"
fmt 512m_auto 512M 32 "1048576 sectors, FAT32, 4096 bytes/cluster, 130812 clusters"
fmt 512m_fat16 512M 16 "1048576 sectors, FAT16, 8192 bytes/cluster, 65501 clusters" -F 16
fmt 1g_auto 1G 32 "2097152 sectors, FAT32, 4096 bytes/cluster, 261629 clusters"
fmt 1g_fat16 1G 16 - -F 16
fmt 2g_auto 2G 32 "4194304 sectors, FAT32, 4096 bytes/cluster, 523262 clusters"
fmt 2g_fat16 2G 16 "4194304 sectors, FAT16, 65536 bytes/cluster, 32765 clusters" -F 16
# Options: explicit cluster size, one FAT, reserved sectors, root entries,
# a smaller file system than the device, 2048-byte sectors.
fmt opt_c 64M 16 "131072 sectors, FAT16, 8192 bytes/cluster, 8185 clusters" -c 16
fmt opt_n1 64M 16 - -n 1
fmt opt_r 64M 16 - -r 8 -e 64
fmt opt_fat32_r 64M 32 - -F 32 -r 8 -c 1
refsize=$((100000 * 512))
fmt opt_s 64M 16 "100000 sectors, FAT16, 2048 bytes/cluster, 24942 clusters" -s 100000
refsize=
fmt opt_2k 64M 16 - -S 2048
fmt opt_c_decides 64M 12 "131072 sectors, FAT12, 65536 bytes/cluster, 1023 clusters" -c 128

# mkfs.fat, left to itself, picks the same FAT type at these sizes.
for size in 1M 16M 64M 256M 512M 1G 2G; do
	image ref.img "$size"
	mkfs.fat "$T/ref.img" >/dev/null 2>&1
	mt=$(minfo -i "$T/ref.img" :: 2>/dev/null | sed -n 's/^disk type="FAT\([0-9]*\) *"$/\1/p')
	image ours.img "$size"
	start_server "$T/ours.img"
	run rump.newfs_msdos -N /dev/img0
	stop_server
	check "auto_type_as_mkfs_fat_$size" '[ -n "$mt" ] && printf %s "$out" | grep -q ", FAT$mt, "'
done
rm -f "$T/ref.img" "$T/ours.img"

# --- The boot sectors in detail ---------------------------------------------
image lab.img 64M
image l32.img 1G
start_server "$T/lab.img" "$T/l32.img"
run rump.newfs_msdos -L "my Disk" -I 0x1234ABCD /dev/img0
check label_format '[ $st -eq 0 ]'
run rump.newfs_msdos -L DATA32 -I 2A3B-4C5D /dev/img1
check label_format_fat32 '[ $st -eq 0 ]'
stop_server
check label_fsck 'fsck_clean "$T/lab.img" 1 && fsck_clean "$T/l32.img" 1'
check label_minfo 'minfo_has "$T/lab.img" "disk label=\"MY DISK    \"" && minfo_has "$T/lab.img" "serial number: 1234ABCD" && minfo_has "$T/l32.img" "disk label=\"DATA32     \"" && minfo_has "$T/l32.img" "serial number: 2A3B4C5D"'
out=$(mdir -i "$T/lab.img" ::/ 2>&1)
check label_root_entry 'printf "%s\n" "$out" | grep -q "Volume in drive : is MY DISK" && printf "%s\n" "$out" | grep -q "Volume Serial Number is 1234-ABCD"'
out=$(mdir -i "$T/l32.img" ::/ 2>&1)
check label_root_entry_fat32 'printf "%s\n" "$out" | grep -q "Volume in drive : is DATA32"'
# byte N: the decimal value of byte N of image $1 (offset $2).
byte() {
	od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' '
}
sig_ok() {
	[ "$(byte "$1" $(($2 + 510)))" = 85 ] && [ "$(byte "$1" $(($2 + 511)))" = 170 ]
}
check boot_signature 'sig_ok "$T/lab.img" 0 && sig_ok "$T/l32.img" 0'
check fat16_type_string '[ "$(dd if="$T/lab.img" bs=1 skip=54 count=8 2>/dev/null)" = "FAT16   " ]'
check fat32_type_string '[ "$(dd if="$T/l32.img" bs=1 skip=82 count=8 2>/dev/null)" = "FAT32   " ]'
check fat32_backup_boot '[ "$(dd if="$T/l32.img" bs=512 count=2 2>/dev/null | od -An -tx1)" = "$(dd if="$T/l32.img" bs=512 skip=6 count=2 2>/dev/null | od -An -tx1)" ]'
fsinfo=$(dd if="$T/l32.img" bs=512 skip=1 count=1 2>/dev/null | od -An -tx1 -v | tr -d ' \n')
check fat32_fsinfo '[ "$(printf %s "$fsinfo" | cut -c1-8)" = 52526141 ] && [ "$(printf %s "$fsinfo" | cut -c969-976)" = 72724161 ] && [ "$(printf %s "$fsinfo" | cut -c985-992)" = 02000000 ] && [ "$(printf %s "$fsinfo" | cut -c1017-1024)" = 000055aa ]'
check fat32_fsinfo_free 'minfo_has "$T/l32.img" "free clusters=261628" && minfo_has "$T/l32.img" "last allocated cluster=2"'
rm -f "$T/lab.img" "$T/l32.img"

# --- Reformatting: old contents are gone, the result is clean ------------
image re.img 64M
start_server "$T/re.img"
run rump.newfs_msdos /dev/img0
stop_server
mcopy -i "$T/re.img" "$T/data" ::/OLD.BIN && mmd -i "$T/re.img" ::/olddir
start_server "$T/re.img"
run rump.newfs_msdos -F 32 /dev/img0
check reformat '[ $st -eq 0 ]'
stop_server
check reformat_clean 'fsck_clean "$T/re.img" 0 && [ -z "$(mdir -b -i "$T/re.img" ::/ 2>/dev/null)" ]'
start_server "$T/re.img"
run rump.newfs_msdos -F 12 /dev/img0
stop_server
check reformat_smaller_type 'fsck_clean "$T/re.img" 0 && minfo_has "$T/re.img" "disk type=\"FAT12   \""'
rm -f "$T/re.img"

# --- Errors with a server -----------------------------------------------
image big.img 512M
image mid.img 16M
image one.img 1M
image tiny.img 16K
image prog.img 2G
image k16.img 64M
start_server "$T/big.img" "$T/mid.img" "$T/one.img" "$T/tiny.img" \
    "$T/prog.img" "$T/k16.img"
# zeros IMG: the first MiB of IMG (or all of it) is zeros.
zeros() {
	[ -z "$(head -c 1048576 "$1" | tr -d '\000' | head -c 1)" ]
}
run rump.newfs_msdos /dev/nosuch
check missing_device '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: /dev/nosuch: No such file or directory" ] && [ -z "$out" ]'
rump.touch /plainfile
run rump.newfs_msdos /plainfile
check regular_file '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: /plainfile: Block device required" ]'
run rump.newfs_msdos /
check directory '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: /: Is a directory" ]'
run rump.newfs_msdos -F 12 /dev/img0
check fat12_too_big '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: /dev/img0: 1048576 sectors are too many for FAT12 (at most 4084 clusters, even of 65536 bytes)" ] && [ -z "$out" ] && zeros "$T/big.img"'
run rump.newfs_msdos -F 32 /dev/img1
check fat32_too_small '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: /dev/img1: 32768 sectors are too few for FAT32 (at least 65525 clusters, even of 512 bytes)" ] && zeros "$T/mid.img"'
run rump.newfs_msdos -F 16 /dev/img2
check fat16_too_small '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: /dev/img2: 2048 sectors are too few for FAT16 (at least 4085 clusters, even of 512 bytes)" ]'
run rump.newfs_msdos /dev/img3
check device_too_small '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: /dev/img3: 32 sectors are too few for a FAT file system (at least 36 needed)" ] && zeros "$T/tiny.img"'
run rump.newfs_msdos -F 16 -c 1 /dev/img0
check cluster_count_out_of_range '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: /dev/img0: FAT16 with 512-byte clusters would have 1040413 clusters (at most 65524); use larger clusters (-c)" ]'
run rump.newfs_msdos -F 16 -c 128 /dev/img1
check cluster_count_too_small '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: /dev/img1: FAT16 with 65536-byte clusters would have 255 clusters (at least 4085); use smaller clusters (-c)" ]'
run rump.newfs_msdos -S 4096 -c 32 /dev/img0
check cluster_too_big_for_sector '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: /dev/img0: 32 sectors per cluster: not a power of 2 giving at most 65536 bytes" ]'
run rump.newfs_msdos -s 1048577 /dev/img0
check s_beyond_device '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: /dev/img0: -s 1048577: the device has only 1048576 sectors of 512 bytes" ]'
run rump.newfs_msdos -F 32 -r 4 /dev/img0
check fat32_reserved '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: /dev/img0: FAT32 needs at least 8 reserved sectors (for the backup boot sector at 6)" ]'
run rump.newfs_msdos -F 32 -e 128 /dev/img0
check fat32_root_entries '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: /dev/img0: FAT32 has no fixed root directory (-e is for FAT12 and FAT16)" ] && zeros "$T/big.img"'
# -N: the summary, nothing written.
run rump.newfs_msdos -N /dev/img0
check dry_run '[ $st -eq 0 ] && [ "$out" = "/dev/img0: 1048576 sectors, FAT32, 4096 bytes/cluster, 130812 clusters" ] && [ -z "$err" ] && zeros "$T/big.img"'
# -v: progress when there is much to write (FAT32, 512-byte clusters on
# 2 GiB: two FATs of 16 MiB).
run rump.newfs_msdos -v -c 1 /dev/img4
check progress '[ $st -eq 0 ] && [ "$(printf "%s\n" "$err" | grep -c "^/dev/img4: zeroing FATs: [0-9]*%$")" -eq 10 ] && printf "%s\n" "$err" | tail -n 1 | grep -q ": 100%$"'
check progress_summary '[ "$(printf "%s\n" "$out" | tail -n 1)" = "/dev/img4: 4194304 sectors, FAT32, 512 bytes/cluster, 4129744 clusters" ]'
# The plain run prints just the summary.
run rump.newfs_msdos /dev/img1
check quiet_summary '[ $st -eq 0 ] && [ "$out" = "/dev/img1: 32768 sectors, FAT16, 2048 bytes/cluster, 8167 clusters" ] && [ -z "$err" ]'

# --- msdosfs in the kernel: mount what we made --------------------------
# kmount DEV TYPE: format DEV with FAT TYPE, mount it in the kernel,
# write a file and a directory through the kernel, unmount.
kmount() {
	kdev=$1 ktype=$2
	run rump.newfs_msdos -F "$ktype" "$kdev"
	check "kernel_format_fat$ktype" '[ $st -eq 0 ]'
	rump.mkdir -p "/mnt$ktype"
	run rump.mount -t msdos "$kdev" "/mnt$ktype"
	check "kernel_mount_fat$ktype" '[ $st -eq 0 ]'
	run rump.newfs_msdos "$kdev"
	check "kernel_refuse_mounted_fat$ktype" '[ $st -eq 1 ] && [ "$err" = "rump.newfs_msdos: $kdev: is mounted on /mnt$ktype" ]'
	rump.dd of="/mnt$ktype/FROMK.BIN" <"$T/data" 2>/dev/null
	rump.mkdir "/mnt$ktype/kdir"
	echo "kernel file" | rump.dd of="/mnt$ktype/kdir/note.txt" 2>/dev/null
	check "kernel_read_back_fat$ktype" 'rump.cat "/mnt$ktype/FROMK.BIN" >"$T/kback" && cmp -s "$T/data" "$T/kback"'
	run rump.umount "/mnt$ktype"
	check "kernel_umount_fat$ktype" '[ $st -eq 0 ]'
}
# kcheck IMG TYPE: after the server stopped, what the kernel wrote is
# clean for fsck.fat and readable by mtools.
kcheck() {
	kimg=$1 ktype=$2
	check "kernel_fsck_fat$ktype" 'fsck_clean "$kimg" 3'
	check "kernel_files_by_mtools_fat$ktype" 'mcopy -i "$kimg" ::/FROMK.BIN "$T/back" && cmp -s "$T/data" "$T/back" && [ "$(mtype -i "$kimg" ::/kdir/note.txt)" = "kernel file" ]'
}
fstypes=$(rump.sysctl -n vfs.generic.fstypes 2>/dev/null)
if printf '%s\n' "$fstypes" | grep -qw msdos; then
	kmount /dev/img0 32
	kmount /dev/img5 16
	kmount /dev/img2 12
	stop_server
	kcheck "$T/big.img" 32
	kcheck "$T/k16.img" 16
	kcheck "$T/one.img" 12
else
	stop_server
	echo "skip kernel_mount: the kernel has no msdos file system yet ($fstypes)"
fi
check server_exit '[ $sst -eq 0 ] || { echo "  server exit status $sst"; cat "$T/server.err"; false; }'
check progress_image_clean 'fsck_clean "$T/prog.img" 0'
check quiet_image_clean 'fsck_clean "$T/mid.img" 0'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
