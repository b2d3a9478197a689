#!/bin/sh
# demo.sh BUILDDIR: start a rump kernel server and drive it with the
# rumpctrl utilities, the way a user would (make demo).
set -e
build=${1:-build}
bin=$(cd "$build/bin" && pwd)
dir=$(mktemp -d)
sock="$dir/kernel.sock"
cleanup() {
	[ -S "$sock" ] && RUMP_SERVER="unix://$sock" "$bin/rumpctrl" halt 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

if [ -t 1 ]; then
	say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
else
	say() { printf '\n$ %s\n' "$*"; }
fi
run() { say "$*"; "$@"; }

echo "Starting a rump kernel server on unix://$sock"
"$bin/rump_server" "unix://$sock"
export RUMP_SERVER="unix://$sock"

# rumpctrl.sh puts the applets first on PATH under their plain names.
set --
. "$bin/rumpctrl.sh"
run sysctl kern.hostname kern.ostype hw.machine vfs.generic.fstypes
run sysctl -w kern.hostname=demo
run mkdir -p /home/demo/docs
say "printf 'hello from the host\\n' | dd of=/home/demo/docs/hello.txt"
printf 'hello from the host\n' | dd of=/home/demo/docs/hello.txt status=none
run cp /home/demo/docs/hello.txt /home/demo/copy.txt
run ln -s docs/hello.txt /home/demo/link
run ls -lR /home/demo
run cat /home/demo/link
run mkdir /scratch
run mount -t tmpfs -o size=1m scratch /scratch
run df
run ps
run stat /home/demo/copy.txt
rumpctrl_unload
say "rump.halt"
"$bin/rump.halt"
echo
echo "demo: the server halted; every step worked."
