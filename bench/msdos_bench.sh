#!/bin/sh
# msdos_bench: rump_msdos against fusefat (another FUSE FAT driver) and
# mtools on the same kind of image, a FAT32 file of 600 MiB with 4 KiB
# clusters on the host's disk:
#
#   msdos_write    a 256 MiB file written through the mount, until the
#                  unmounted server has exited (everything in the image);
#                  rump_msdos vs fusefat, target at least 2x faster
#   msdos_read     the file read through a fresh read-only mount;
#                  rump_msdos vs fusefat, target at least 2x faster
#   msdos_mcopy    the same read vs `mcopy -i IMAGE ::/big.bin -`,
#                  target at least half mcopy's speed
#   msdos_files    10,000 small files created (100 directories of 100),
#                  until the unmounted server has exited; vs fusefat
#
# The host's page cache is dropped (echo 3 > /proc/sys/vm/drop_caches)
# before every timed phase when we may, so each starts from the disk;
# the *_warm lines repeat the reads with the image already cached, which
# measures the file systems rather than the disk.  Lines are those of
# bench/run.sh, per MiB (files: per file), and "host" is the other
# program (fusefat or mcopy):
#   NAME: rump X ns/op, host Y ns/op, ratio R (target <= T) met|missed
# Medians of MSDOS_BENCH_REPS runs (default 3; the fusefat side of
# msdos_files runs once: it takes minutes).  MSDOS_BENCH_MB changes the
# file size, MSDOS_BENCH_FILES the file count (multiple of 100);
# MSDOS_BENCH_VERBOSE=1 shows every phase as it ends.
#
# Needs root, /dev/fuse, fusefat, mtools and mkfs.fat; runs from the
# bench directory of a build (rump_msdos is ../bin/rump_msdos).
here=$(cd "$(dirname "$0")" && pwd)
MSDOS=${MSDOS:-$here/../bin/rump_msdos}
MB=${MSDOS_BENCH_MB:-256}
NFILES=${MSDOS_BENCH_FILES:-10000}
REPS=${MSDOS_BENCH_REPS:-3}
export MTOOLS_SKIP_CHECK=1 LC_ALL=C

fail() {
	echo "$1: FAILED: $2"
	exit 1
}

for tool in fusefat fusermount3 mkfs.fat mcopy fsck.fat; do
	command -v $tool >/dev/null 2>&1 || fail msdos "$tool not installed"
done
[ "$(id -u)" -eq 0 ] && [ -c /dev/fuse ] || fail msdos "needs root and /dev/fuse"
[ -x "$MSDOS" ] || fail msdos "no $MSDOS"

# Images on the disk (not tmpfs); the source data in memory.
T=$(mktemp -d "${MSDOS_BENCH_DIR:-/var/tmp}/msdos_bench.XXXXXX") ||
    fail msdos "no temporary directory"
SRC=$(mktemp /dev/shm/msdos_bench.XXXXXX) || SRC=$T/src
M=$T/mnt
mkdir "$M"
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	fusermount3 -u -z "$M" 2>/dev/null
	rm -rf "$T" "$SRC"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
head -c $((MB * 1048576)) /dev/urandom >"$SRC"

now() {
	date +%s%N
}

# MSDOS_BENCH_VERBOSE=1: each phase's time on stderr as it ends.
note() {
	[ -n "$MSDOS_BENCH_VERBOSE" ] &&
	    echo "  $(date +%T) $1: $((ns / 1000000)) ms" >&2
	return 0
}

# Drop the host's page cache, if we may (the write-back is not timed).
DROPPED=no
drop() {
	sync
	echo 3 2>/dev/null >/proc/sys/vm/drop_caches && DROPPED=yes
}

is_mounted() {
	awk -v m="$1" '$5 == m { f = 1 } END { exit !f }' /proc/self/mountinfo
}

# mount_fs rump|fusefat IMAGE [ro]: serve IMAGE on $M in the background
# (pid in $pid); a bound on the wait guards against a hang only.
mount_fs() {
	if [ "$1" = rump ]; then
		"$MSDOS" -f ${3:+-o ro} "$2" "$M" 2>>"$T/log" &
	else
		# (fusefat logs every operation on stdout: as detached)
		fusefat -f -o "${3:-rw+}" "$2" "$M" >/dev/null 2>>"$T/log" &
	fi
	pid=$!
	_w=0
	while ! is_mounted "$M"; do
		kill -0 "$pid" 2>/dev/null && [ $_w -lt 300 ] ||
		    fail "msdos_$1" "cannot mount $2: $(tail -n 3 "$T/log")"
		sleep 0.05
		_w=$((_w + 1))
	done
}

# Unmount and wait until the server has written everything and exited.
umount_fs() {
	fusermount3 -u "$M" || fail msdos "fusermount3 -u failed"
	wait "$pid"
	pid=
}

newimage() {
	rm -f "$1"
	mkfs.fat -F 32 -s 8 -C "$1" 614400 >/dev/null || fail msdos "mkfs.fat"
}

# Each t_* sets $ns to the time it measured.
# write FS IMAGE: ns to write the file into a new image.
t_write() {
	newimage "$2"
	drop
	mount_fs "$1" "$2"
	t0=$(now)
	dd if="$SRC" of="$M/big.bin" bs=1M status=none ||
	    fail "msdos_write" "$1: dd failed"
	umount_fs
	ns=$(($(now) - t0))
	note "write $1"
}

# read FS IMAGE [warm]: ns to read the file through a fresh mount.
t_read() {
	if [ -n "$3" ]; then cat "$2" >/dev/null; else drop; fi
	mount_fs "$1" "$2" ro
	t0=$(now)
	cat "$M/big.bin" >/dev/null || fail "msdos_read" "$1: read failed"
	t1=$(now)
	umount_fs
	ns=$((t1 - t0))
	note "read $1 ${3:-cold}"
}

t_mcopy() {
	if [ -n "$2" ]; then cat "$1" >/dev/null; else drop; fi
	t0=$(now)
	mcopy -i "$1" ::/big.bin - >/dev/null || fail msdos_mcopy "mcopy failed"
	ns=$(($(now) - t0))
	note "mcopy ${2:-cold}"
}

# files FS IMAGE: ns to create NFILES files in a new image.
t_files() {
	newimage "$2"
	drop
	mount_fs "$1" "$2"
	t0=$(now)
	d=0
	while [ $d -lt $((NFILES / 100)) ]; do
		mkdir "$M/directory $d" || fail msdos_files "$1: mkdir failed"
		f=0
		while [ $f -lt 100 ]; do
			printf 'file %d\n' $f >"$M/directory $d/small file $f.txt" ||
			    fail msdos_files "$1: create failed"
			f=$((f + 1))
		done
		d=$((d + 1))
	done
	umount_fs
	ns=$(($(now) - t0))
	note "files $1"
}

median() {
	tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 }
	    END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# report NAME RUMP_NS HOST_NS OPS TARGET: the bench/run.sh line.
report() {
	awk -v n="$1" -v r="$2" -v h="$3" -v ops="$4" -v t="$5" 'BEGIN {
		rr = r / ops; hh = h / ops; ratio = rr / hh
		printf "%s: rump %.1f ns/op, host %.1f ns/op, ratio %.3f (target <= %g) %s\n",
		    n, rr, hh, ratio, t, ratio <= t ? "met" : "missed"
	}'
}

# rate NAME RUMP_NS HOST_NS UNITS WHAT OTHER: the same as a speed.
rate() {
	awk -v n="$1" -v r="$2" -v h="$3" -v u="$4" -v w="$5" -v o="$6" 'BEGIN {
		printf "%s: rump_msdos %.1f %s, %s %.1f %s\n", n, u / (r / 1e9), w,
		    o, u / (h / 1e9), w
	}'
}

IR=$T/rump.img
IF=$T/fusefat.img
wr=
wf=
rep=0
while [ $rep -lt "$REPS" ]; do
	# Alternate who goes first.
	if [ $((rep % 2)) -eq 0 ]; then
		t_write rump "$IR"; wr="$wr $ns"
		t_write fusefat "$IF"; wf="$wf $ns"
	else
		t_write fusefat "$IF"; wf="$wf $ns"
		t_write rump "$IR"; wr="$wr $ns"
	fi
	rep=$((rep + 1))
done
# Both images hold the file, as mtools reads it, and are clean.
mcopy -i "$IR" ::/big.bin - | cmp -s - "$SRC" ||
    fail msdos_write "rump_msdos wrote something else"
mcopy -i "$IF" ::/big.bin - | cmp -s - "$SRC" ||
    fail msdos_write "fusefat wrote something else"
fsck.fat -n "$IR" >/dev/null || fail msdos_write "fsck.fat: rump_msdos image"

rr=
rf=
rm_=
rw=
fw=
mw=
rep=0
while [ $rep -lt "$REPS" ]; do
	t_read rump "$IR"; rr="$rr $ns"
	t_read fusefat "$IF"; rf="$rf $ns"
	t_mcopy "$IR"; rm_="$rm_ $ns"
	t_read rump "$IR" warm; rw="$rw $ns"
	t_read fusefat "$IF" warm; fw="$fw $ns"
	t_mcopy "$IR" warm; mw="$mw $ns"
	rep=$((rep + 1))
done

wr=$(echo $wr | median)
wf=$(echo $wf | median)
rr=$(echo $rr | median)
rf=$(echo $rf | median)
rm_=$(echo $rm_ | median)
rw=$(echo $rw | median)
fw=$(echo $fw | median)
mw=$(echo $mw | median)
echo "msdos: $MB MiB file, FAT32 4 KiB clusters, $REPS runs each;" \
    "page cache dropped: $DROPPED; host = fusefat or mcopy; op = 1 MiB"
rate msdos_write "$wr" "$wf" "$MB" MiB/s fusefat
rate msdos_read "$rr" "$rf" "$MB" MiB/s fusefat
rate msdos_mcopy "$rr" "$rm_" "$MB" MiB/s mcopy
rate msdos_read_warm "$rw" "$fw" "$MB" MiB/s fusefat
rate msdos_mcopy_warm "$rw" "$mw" "$MB" MiB/s mcopy
report msdos_write "$wr" "$wf" "$MB" 0.5
report msdos_read "$rr" "$rf" "$MB" 0.5
report msdos_mcopy "$rr" "$rm_" "$MB" 2
report msdos_read_warm "$rw" "$fw" "$MB" 0.5
report msdos_mcopy_warm "$rw" "$mw" "$MB" 2

t_files rump "$IR"
fr=$ns
fsck.fat -n "$IR" >"$T/fsck" 2>&1 &&
    grep -q ": $((NFILES + NFILES / 100)) files," "$T/fsck" ||
    fail msdos_files "fsck.fat: $(tail -n 2 "$T/fsck")"
t_files fusefat "$IF"
ff=$ns
echo "msdos_files: $NFILES files of 7-8 bytes in $((NFILES / 100)) directories; op = 1 file"
rate msdos_files "$fr" "$ff" "$NFILES" files/s fusefat
report msdos_files "$fr" "$ff" "$NFILES" 0.5
