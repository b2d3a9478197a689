#!/bin/sh
# install_test: "make install" into a staging directory puts the libraries,
# headers, pkg-config files and programs in place, and a program built
# with pkg-config against the installed kernel runs.
# Run from the build's tests directory; the source tree is found from it.
src=$(cd "$(dirname "$0")" && pwd)
while [ "$src" != / ] && [ ! -f "$src/kern/syscalls.tbl" ]; do
	src=$(dirname "$src")
done
pass=0
fail=0
check() {
	if eval "$2"; then echo "ok $1"; pass=$((pass + 1));
	else echo "FAIL $1"; fail=$((fail + 1)); fi
}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# The normal (non-sanitizer) build is what gets installed.
make -s -C "$src" install DESTDIR="$stage" PREFIX=/usr >"$stage/log" 2>&1
check make_install '[ $? -eq 0 ] || { cat "$stage/log"; false; }'
for f in usr/lib/librump.a usr/lib/librump.so usr/lib/librumpclient.a \
    usr/lib/pkgconfig/rump.pc usr/lib/pkgconfig/rumpclient.pc \
    usr/include/rump/rump.h usr/include/rump/rump_syscalls.h \
    usr/include/rump/rumpclient.h usr/bin/rump_server \
    usr/bin/rumpctrl usr/bin/rump.ls usr/bin/rumpctrl.sh \
    usr/libexec/rumpctrl/ls usr/share/man/man1/rumpctrl.1; do
	check "installed_$(basename "$f")" "[ -e '$stage/$f' ]"
done
cat >"$stage/prog.c" <<'PROG'
#include <fcntl.h>
#include <stdio.h>
#include <rump/rump.h>
int main(void) {
	char buf[8] = { 0 };
	int fd;
	if (rump_init() != 0) return 1;
	fd = rump_sys_open("/hello", O_CREAT | O_RDWR, 0644);
	if (fd < 0 || rump_sys_write(fd, "hi", 2) != 2) return 1;
	if (rump_sys_pread(fd, buf, sizeof(buf), 0) != 2) return 1;
	printf("%s\n", buf);
	return rump_sys_close(fd);
}
PROG
export PKG_CONFIG_SYSROOT_DIR="$stage" PKG_CONFIG_LIBDIR="$stage/usr/lib/pkgconfig"
flags=$(pkg-config --cflags --libs rump)
check pkg_config_flags '[ -n "$flags" ]'
# Static linking keeps the test independent of the library search path.
cc "$stage/prog.c" -o "$stage/prog" $(pkg-config --cflags rump) \
    "$stage/usr/lib/librump.a" -pthread 2>"$stage/cc.log"
check build_with_pkg_config '[ $? -eq 0 ] || { cat "$stage/cc.log"; false; }'
out=$("$stage/prog" 2>&1)
check program_runs '[ "$out" = hi ]'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
