#!/bin/sh
# msdos_safety_test: what fsync promises survives rump_msdos being killed.
#
# Each round: an image made by mkfs.fat and partly filled by mtools;
# rump_msdos -f serving it; files written and fsynced ("synced"), one of
# them then appended to without fsync; writers appending to and deleting
# other files, and a loop creating and removing files and directories;
# a loop fsyncing yet another file (so metadata is being written back
# all the time); then SIGKILL to rump_msdos in the middle of all that and
# `fusermount3 -u -z` of the dead mount.  Afterwards mtools must read the
# synced files (and the mtools-written ones) intact, and fsck.fat -n may
# report nothing but lost clusters (unreferenced chains, or chains longer
# than their file's size) and a wrong free-cluster count: any other line
# fails.  The image must also mount again.
#
# Needs root and /dev/fuse (skips otherwise).  MSDOS_SAFETY_REPEAT=N
# repeats the five rounds N times.
src=$(cd "$(dirname "$0")" && pwd)
while [ "$src" != / ] && [ ! -f "$src/kern/syscalls.tbl" ]; do
	src=$(dirname "$src")
done
. "$src/tests/msdos_lib.sh"
need_fuse

T=$(mktemp -d "${TMPDIR:-/tmp}/msdos_safety_test.XXXXXX")
wpids=
trap 'for p in $wpids; do kill $p 2>/dev/null; done; force_cleanup;
    rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
M=$T/mnt
mkdir "$M" "$T/data"

# fsck_after_crash IMAGE: fsck.fat -n says nothing but lost clusters and
# free-count notes (its exit status is 1 for those, so it is not used).
# Lost clusters come in two forms: chains no entry points to, and the
# tail of a chain longer than its file ("File size is N bytes, cluster
# chain length is > N bytes", truncated to N: the chain was extended and
# written back, the entry's new size not yet).  A chain *shorter* than
# its size, cross-links, bad entries, anything else fails.
fsck_after_crash() {
	fsck.fat -n "$1" >"$T/fsck.out" 2>&1
	_bad=$(grep -v -E \
	    -e '^fsck\.fat [0-9]' \
	    -e ': [0-9]+ files, [0-9]+/[0-9]+ clusters$' \
	    -e '^Reclaimed [0-9]+ unused clusters? \([0-9]+ bytes\)( in [0-9]+ chains?)?\.$' \
	    -e '^Free cluster summary (wrong \([0-9]+ vs\. really [0-9]+\)|uninitialized \(should be [0-9]+\))$' \
	    -e '^  Auto-correcting\.$' \
	    -e '^/' \
	    -e '^  File size is ([0-9]+) bytes, cluster chain length is > \1 bytes\.$' \
	    -e '^  Truncating file to [0-9]+ bytes\.$' \
	    -e '^Leaving filesystem unchanged\.$' \
	    -e '^$' "$T/fsck.out")
	# Every truncation is to the size the entry already had.
	_sizes=$(sed -n 's/^  File size is \([0-9]*\) bytes, .*/\1/p' "$T/fsck.out")
	_truncs=$(sed -n 's/^  Truncating file to \([0-9]*\) bytes\.$/\1/p' "$T/fsck.out")
	[ "$_sizes" = "$_truncs" ] || _bad="$_bad (truncation sizes differ)"
	[ -z "$_bad" ] && return 0
	sed 's/^/  fsck: /' "$T/fsck.out" | head -n 30
	return 1
}

# writer K: append 64 KiB chunks to unsynced/wK, deleting it past 2 MiB;
# one line in $T/progress.K per chunk.  Ends when the mount is gone.
writer() {
	f=$M/unsynced/w$1
	while cat "$T/data/chunk" >>"$f" 2>/dev/null; do
		echo >>"$T/progress.$1"
		if [ "$(stat -c %s "$f" 2>/dev/null || echo 0)" -gt 2097152 ]; then
			rm "$f" 2>/dev/null || break
		fi
	done
}

# churn: create, fill and remove small files and directories.
churn() {
	i=0
	while mkdir "$M/churn/d$i" 2>/dev/null; do
		printf 'file %s\n' "$i" >"$M/churn/d$i/a long file name $i.txt" ||
		    break
		printf 'x\n' >"$M/churn/short$i" || break
		[ $((i % 3)) -eq 0 ] && { rm -r "$M/churn/d$((i / 2))" ||
		    break; }
		i=$((i + 1))
		echo >>"$T/progress.churn"
	done
}

# syncer: rewrite one file and fsync it, again and again: each fsync
# writes back all of the file system's metadata, so the kill may land in
# the middle of such a write-back as well as between them.
syncer() {
	while dd if="$T/data/chunk" of="$M/sync/syncer.bin" bs=16384 conv=fsync \
	    status=none; do
		echo >>"$T/progress.syncer"
	done
}

# progress: chunks written so far by all writers.
progress() {
	cat "$T"/progress.* 2>/dev/null | wc -l
}

# round NAME BITS SIZE_KIB SECTORS_PER_CLUSTER
round() {
	n=$1
	C=$(($4 * 512))
	I=$T/$n.img
	rm -f "$I" "$T"/progress.*
	mkfs.fat -F "$2" -s "$4" -C "$I" "$3" >/dev/null || return 1
	# Files from mtools that nothing touches: they must stay intact.
	mkdir -p "$T/old/old dir"
	head -c 300000 /dev/urandom >"$T/old/old dir/old file.bin"
	head -c "$C" /dev/urandom >"$T/old/OLD.BIN"
	mcopy -s -i "$I" "$T/old/old dir" "$T/old/OLD.BIN" ::/
	check "${n}_prepare" '[ $? -eq 0 ] && fsck_clean "$I"'

	mount_fg "$I" "$M"
	check "${n}_mount" '[ $? -eq 0 ]' || { force_cleanup; return 1; }
	# Everything that keeps writing does so below these directories, so
	# it stops when the mount is gone (and does not write to $M itself).
	mkdir -p "$M/synced/deeper" "$M/unsynced" "$M/churn" "$M/sync"
	# Synced: written, then fsynced (dd conv=fsync; sync FILE) and
	# closed; the directories too (sync DIR).
	head -c 1000000 /dev/urandom >"$T/data/s1"
	head -c "$C" /dev/urandom >"$T/data/s2"
	head -c 77777 /dev/urandom >"$T/data/s3"
	: >"$T/data/s4"
	head -c 200000 /dev/urandom >"$T/data/s5"
	ok=1
	dd if="$T/data/s1" of="$M/synced/s1" bs=65536 conv=fsync status=none || ok=0
	dd if="$T/data/s2" of="$M/synced/s2" bs=4096 conv=fsync status=none || ok=0
	cp "$T/data/s3" "$M/synced/deeper/Synced Long Name.dat" &&
	    sync "$M/synced/deeper/Synced Long Name.dat" || ok=0
	cp "$T/data/s4" "$M/synced/empty" && sync "$M/synced/empty" || ok=0
	# s5: synced, then appended to without fsync (kept open below).
	cp "$T/data/s5" "$M/synced/s5" && sync "$M/synced/s5" || ok=0
	sync "$M/synced/deeper" "$M/synced" "$M" || ok=0
	check "${n}_synced_writes" '[ $ok -eq 1 ]'

	head -c 65536 /dev/urandom >"$T/data/chunk"
	wpids=
	for k in 1 2 3; do
		writer $k 2>/dev/null &
		wpids="$wpids $!"
	done
	churn 2>/dev/null &
	wpids="$wpids $!"
	syncer 2>/dev/null &
	wpids="$wpids $!"
	# s5 grows while everything runs; never synced again.
	(for i in $(seq 48); do
		cat "$T/data/chunk" >>"$M/synced/s5" 2>/dev/null || break
	done) &
	wpids="$wpids $!"
	# Kill once the writers are well under way (enough chunks written
	# that allocation, freeing and directory changes are all going on);
	# the bound only guards against a hang.
	i=0
	while [ "$(progress)" -lt 150 ] && [ $i -lt 1200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	check "${n}_writers_running" '[ "$(progress)" -ge 150 ] && kill -0 $mpid'
	kill -KILL "$mpid"
	wait "$mpid" 2>/dev/null
	mpid=
	fusermount3 -u -z "$M"
	check "${n}_lazy_unmount" '[ $? -eq 0 ] && ! is_mounted "$M"'
	for p in $wpids; do
		wait "$p"
	done
	wpids=

	check "${n}_fsck_only_lost_clusters" 'fsck_after_crash "$I"'
	# What the crash left, for the log.
	grep -E '^(Reclaimed|Free cluster|  File size)' "$T/fsck.out" |
	    sed 's/^/  note: /'
	rm -rf "$T/out"
	mkdir "$T/out"
	ok=1
	for f in s1 s2 s5; do
		mcopy -n -i "$I" "::/synced/$f" "$T/out/$f" || ok=0
	done
	mcopy -n -i "$I" "::/synced/deeper/Synced Long Name.dat" "$T/out/s3" &&
	    mcopy -n -i "$I" "::/synced/empty" "$T/out/s4" || ok=0
	check "${n}_synced_present" '[ $ok -eq 1 ]'
	check "${n}_synced_intact" 'cmp "$T/data/s1" "$T/out/s1" &&
	    cmp "$T/data/s2" "$T/out/s2" && cmp "$T/data/s3" "$T/out/s3" &&
	    cmp "$T/data/s4" "$T/out/s4"'
	# s5: at least what was synced, unchanged; the rest is whatever the
	# unsynced appends got to.
	check "${n}_synced_then_appended" '[ $(stat -c %s "$T/out/s5") -ge 200000 ] &&
	    head -c 200000 "$T/out/s5" | cmp -s - "$T/data/s5"'
	rm -rf "$T/old_out"
	mkdir "$T/old_out"
	mcopy -s -n -i "$I" "::/old dir" ::/OLD.BIN "$T/old_out/"
	check "${n}_old_files_intact" '[ $? -eq 0 ] && same_tree "$T/old" "$T/old_out"'
	# The damaged-but-consistent image mounts and reads again.
	mount_fg "$I" "$M" -o ro
	check "${n}_remount" '[ $? -eq 0 ] && cmp "$T/data/s1" "$M/synced/s1" &&
	    cmp "$T/data/s3" "$M/synced/deeper/Synced Long Name.dat" &&
	    ls -R "$M" >/dev/null'
	umount_fuse "$M"
	check "${n}_remount_unmount" '[ $? -eq 0 ]'
	rm -rf "$I" "$T/old" "$T/out" "$T/old_out"
}

# MSDOS_SAFETY_REPEAT=N runs the rounds N times (a longer hunt).
r=1
while [ $r -le "${MSDOS_SAFETY_REPEAT:-1}" ]; do
	sfx=
	[ $r -gt 1 ] && sfx=_$r
	round fat12$sfx 12 16000 8
	round fat16$sfx 16 65536 4
	round fat32$sfx 32 65536 1
	round fat32_4k$sfx 32 300000 8
	round fat16_512$sfx 16 30000 1
	r=$((r + 1))
done

finish
