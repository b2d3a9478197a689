#!/bin/sh
# install-deps.sh: install the Debian packages that building and testing
# need.  Packages already present are skipped, so it is quick to re-run.
set -e
# build: compiler, generator, pkg-config; tests: clang and compiler-rt
# (libFuzzer), dosfstools and mtools (FAT oracles), FUSE 3 and fusefat,
# valgrind (memcheck runs of some tests).
PKGS="make gcc libc6-dev python3 pkg-config binutils clang libclang-rt-14-dev
      dosfstools mtools fuse3 libfuse3-dev fusefat valgrind"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: need root to install:$missing" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
