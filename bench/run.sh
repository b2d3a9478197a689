#!/bin/sh
# run.sh DIR: run every benchmark program DIR/*_bench and print a table of
# their results.  Each program prints lines
#   NAME: rump X UNIT, host|baseline Y UNIT, ratio R (target OP T) met|missed
# (UNIT e.g. ns/op, MiB/s; OP <=, < or >=) or "NAME: FAILED: reason".
# Missing a target never fails the run; a benchmark that cannot run does
# (exit status 1 at the end).
dir=${1:?usage: run.sh BENCHDIR}
out=$(mktemp)
trap 'rm -f "$out" "$out.one"' EXIT
status=0
for b in "$dir"/*_bench; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	"$b" > "$out.one" 2>&1
	st=$?
	if [ "$st" -ne 0 ]; then
		status=1
		grep -q ': FAILED' "$out.one" ||
			echo "$(basename "$b" _bench): FAILED: exit status $st" \
			    >> "$out.one"
	fi
	cat "$out.one"
	cat "$out.one" >> "$out"
done
echo
awk '
BEGIN {
	fmt = "%-20s %12s %12s %-11s %8s %8s  %s\n"
	printf fmt, "benchmark", "rump", "baseline", "unit", "ratio", "target",
	    "met"
}
/: rump [^ ]+ [^ ]+, (host|baseline) [^ ]+ [^ ]+, ratio [^ ]+ \(target / {
	name = $1; sub(/:$/, "", name)
	unit = $4; sub(/,$/, "", unit)
	printf fmt, name, $3, $6, unit, $9, $11 " " ($12 + 0),
	    ($13 == "met") ? "yes" : "no"
	next
}
/: FAILED/ {
	name = $1; sub(/:$/, "", name)
	printf fmt, name, "-", "-", "-", "-", "-", "FAILED"
}' "$out"
exit $status
