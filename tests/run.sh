#!/bin/sh
# run.sh DIR...: run every test program (*_test) in the DIRs, print each
# one's results and one closing "N passed, N failed" line for all of them;
# exit 1 on any failure.  A program that crashes or prints no result line
# counts as one failure.
[ $# -ge 1 ] || { echo "usage: run.sh TESTDIR..." >&2; exit 2; }
total_pass=0
total_fail=0
for dir in "$@"; do
	for t in "$dir"/*_test; do
		[ -x "$t" ] || continue
		name="$(basename "$dir")/$(basename "$t")"
		echo "== $name ($dir)"
		out=$("$t" 2>&1)
		status=$?
		printf '%s\n' "$out" | grep -v '^[0-9]* passed, [0-9]* failed$'
		line=$(printf '%s\n' "$out" | grep '^[0-9]* passed, [0-9]* failed$' | tail -n 1)
		if [ -z "$line" ]; then
			echo "FAIL $name (exit status $status, no result line)"
			total_fail=$((total_fail + 1))
			continue
		fi
		p=${line%% passed*}
		f=${line#*passed, }
		f=${f%% failed*}
		total_pass=$((total_pass + p))
		total_fail=$((total_fail + f))
		if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "FAIL $name (exit status $status)"
			total_fail=$((total_fail + 1))
		fi
	done
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
