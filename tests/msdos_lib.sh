# msdos_lib.sh: shared helpers of the rump_msdos tests (msdos_*_test.sh),
# sourced, not run (from the source tree: the tests find it by walking up
# from the build's tests directory).  The caller sets $T (a private temporary directory)
# before using them; rump_msdos is $MSDOS (default: ../bin of the test,
# i.e. the same build).  Needs root and /dev/fuse for the FUSE mounts.

here=$(cd "$(dirname "$0")" && pwd)
MSDOS=${MSDOS:-$here/../bin/rump_msdos}
export TZ=UTC LC_ALL=C.UTF-8 MTOOLS_SKIP_CHECK=1
pass=0
fail=0
mpid=

# check NAME 'shell condition': one result line; the condition's truth.
check() {
	if eval "$2"; then
		echo "ok $1"
		pass=$((pass + 1))
	else
		echo "FAIL $1: $2"
		[ -s "$T/msdos.err" ] && sed 's/^/  rump_msdos: /' "$T/msdos.err" |
		    tail -n 5
		fail=$((fail + 1))
		return 1
	fi
}

# Print the closing count and exit with the right status.
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}

# Without root, /dev/fuse or the oracles there is nothing to test: say so
# and count nothing (a machine without FUSE is not a failure of ours).
need_fuse() {
	for tool in mkfs.fat fsck.fat mcopy mdir mshowfat fusermount3; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "skip $(basename "$0"): $tool not installed"
			echo "0 passed, 0 failed"
			exit 0
		fi
	done
	if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/fuse ] ||
	    ! [ -r /dev/fuse -a -w /dev/fuse ]; then
		echo "skip $(basename "$0"): needs root and /dev/fuse"
		echo "0 passed, 0 failed"
		exit 0
	fi
	if [ ! -x "$MSDOS" ]; then
		echo "FAIL $(basename "$0"): no $MSDOS"
		echo "0 passed, 1 failed"
		exit 1
	fi
}

# Is $1 a mount point (exact path, as /proc/self/mountinfo shows it)?
is_mounted() {
	awk -v m="$1" '$5 == m { f = 1 } END { exit !f }' /proc/self/mountinfo
}

# mount_fg IMAGE MNT [OPTION...]: start rump_msdos -f in the background
# (pid in $mpid, stderr in $T/msdos.err) and wait until MNT is mounted or
# the program has exited.  The bound of 600 polls is only a safety net
# against a hang, never a timing assertion.
mount_fg() {
	_img=$1
	_mnt=$2
	shift 2
	"$MSDOS" -f "$@" "$_img" "$_mnt" 2>"$T/msdos.err" &
	mpid=$!
	_i=0
	while ! is_mounted "$_mnt"; do
		if ! kill -0 "$mpid" 2>/dev/null || [ $_i -ge 600 ]; then
			return 1
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	return 0
}

# Wait for the rump_msdos started by mount_fg; its exit status.
wait_msdos() {
	_st=0
	wait "$mpid" || _st=$?
	mpid=
	return $_st
}

# umount_fuse MNT: fusermount3 -u, then the program's exit status.
umount_fuse() {
	fusermount3 -u "$1" || return 1
	wait_msdos
}

# umount_term MNT: SIGTERM to rump_msdos, then its exit status; the mount
# must be gone afterwards.
umount_term() {
	kill -TERM "$mpid" || return 1
	wait_msdos || return $?
	! is_mounted "$1"
}

# Force everything of ours away (cleanup after failures).
force_cleanup() {
	if [ -n "$mpid" ]; then
		kill -KILL "$mpid" 2>/dev/null
		wait "$mpid" 2>/dev/null
		mpid=
	fi
	for _m in $(awk -v t="$T/" 'index($5, t) == 1 { print $5 }' \
	    /proc/self/mountinfo); do
		fusermount3 -u -z "$_m" 2>/dev/null
	done
}

# fsck_clean IMAGE: fsck.fat -n finds nothing at all: exit status 0 and no
# line besides its banner and the closing summary.
fsck_clean() {
	fsck.fat -n "$1" >"$T/fsck.out" 2>&1
	_st=$?
	_extra=$(grep -v -e '^fsck\.fat [0-9]' -e ': [0-9]* files, [0-9]*/[0-9]* clusters$' \
	    "$T/fsck.out")
	if [ $_st -ne 0 ] || [ -n "$_extra" ]; then
		sed 's/^/  fsck: /' "$T/fsck.out" | head -n 30
		return 1
	fi
	return 0
}

# fsck_clusters IMAGE: "used total" data clusters from fsck.fat's summary.
fsck_clusters() {
	fsck.fat -n "$1" 2>/dev/null |
	    sed -n 's|.*: [0-9]* files, \([0-9]*\)/\([0-9]*\) clusters$|\1 \2|p'
}

# mtools_extract IMAGE DIR: copy the whole tree out of IMAGE with mtools.
mtools_extract() {
	rm -rf "$2"
	mkdir -p "$2"
	mcopy -s -m -n -i "$1" '::*' "$2/" 2>"$T/mcopy.err"
}

# same_tree A B [diff options]: diff -r finds no difference.
same_tree() {
	_a=$1
	_b=$2
	shift 2
	diff -r "$@" "$_a" "$_b" >"$T/diff.out" 2>&1 && return 0
	sed 's/^/  diff: /' "$T/diff.out" | head -n 20
	return 1
}

# listing DIR: every entry with type, size (files) and mtime in whole
# seconds, sorted: what find and ls -l show.
listing() {
	(cd "$1" && find . -mindepth 1 \( -type f -printf 'f %s %T@ %p\n' \) \
	    -o \( -type d -printf 'd %p\n' \) | sed 's/\.[0-9]* \./ ./' |
	    LC_ALL=C sort)
}

# same_text FILE1 FILE2: identical, else show the difference.
same_text() {
	cmp -s "$1" "$2" && return 0
	diff "$1" "$2" | head -n 20 | sed 's/^/  /'
	return 1
}

# Octal escapes for printf of a 32-bit little-endian number.
le32() {
	printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $((($1 >> 8) & 255)) \
	    $((($1 >> 16) & 255)) $((($1 >> 24) & 255))
}

# mbr_entry OFFSET TYPE START COUNT IMAGE: write primary partition entry
# at byte OFFSET of the MBR (446, 462, 478, 494).
mbr_entry() {
	printf "\\000\\376\\377\\377\\$(printf %03o "$2")\\376\\377\\377$(le32 "$3")$(le32 "$4")" |
	    dd of="$5" bs=1 seek="$1" conv=notrunc status=none
}

# mbr_sign IMAGE: the 0x55 0xaa signature.
mbr_sign() {
	printf '\125\252' | dd of="$1" bs=1 seek=510 conv=notrunc status=none
}
