# ctl_lib.sh: the shared start of the tests that drive a rump_server with
# the rumpctrl applets of the same build (rumpctrl_test.sh,
# newfs_msdos_test.sh); sourced, not run (from the source tree: the tests
# find it by walking up from the build's tests directory, as they do
# msdos_lib.sh).  It sets here (the test's directory), bin (../bin of it,
# put first on PATH), T (a private temporary directory, removed at exit
# after the server whose pid is in $spid is stopped), pass and fail, and
# exports TZ=UTC LC_ALL=C.

here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$here/../bin" && pwd)
pass=0
fail=0
T=$(mktemp -d "${TMPDIR:-/tmp}/$(basename "$0").XXXXXX")
spid=
cleanup() {
	if [ -n "$spid" ]; then kill -TERM "$spid" 2>/dev/null; wait "$spid"; fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export TZ=UTC LC_ALL=C
PATH=$bin:$PATH
export PATH

# check NAME 'shell condition': one test result; on failure show the last
# command's output.
check() {
	if eval "$2"; then
		echo "ok $1"
		pass=$((pass + 1))
	else
		echo "FAIL $1: $2"
		echo "  status: $st"
		printf '  stdout: %s\n' "$out" | head -n 20
		printf '  stderr: %s\n' "$err" | head -n 20
		fail=$((fail + 1))
	fi
}
# run CMD...: run with stdin from /dev/null; sets out, err, st.
run() {
	out=$("$@" </dev/null 2>"$T/err")
	st=$?
	err=$(cat "$T/err")
}
