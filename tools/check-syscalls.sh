#!/bin/sh
# check-syscalls.sh LIB: fail if any system call of kern/syscalls.tbl is still
# served by the generated weak ENOSYS fallback instead of a real handler.
lib=${1:?usage: check-syscalls.sh librump.a}
missing=$(nm -A "$lib" 2>/dev/null | awk '$2 == "W" && $3 ~ /^sys_/ { print $3 }' | sort -u)
defined=$(nm "$lib" 2>/dev/null | awk '$2 == "T" && $3 ~ /^sys_/ { print $3 }' | sort -u)
fail=0
for s in $missing; do
	if ! printf '%s\n' "$defined" | grep -qx "$s"; then
		echo "FAIL $s has no implementation (ENOSYS fallback)"
		fail=$((fail + 1))
	fi
done
total=$(printf '%s\n' $missing | grep -c . )
echo "syscall table: $((total - fail)) of $total calls implemented"
[ "$fail" -eq 0 ]
