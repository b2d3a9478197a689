#!/bin/sh
# rumpctrl_test: every rumpctrl applet against a real rump_server on a real
# unix socket: outputs, exit statuses (0 ok, 1 error, 2 usage) and error
# messages; data moving between host and kernel through fds 0-2; and
# rumpctrl.sh sourced by sh (dash) and bash.
#
# Run from the build's tests directory: the binaries come from ../bin of
# this file (build/san/tests -> build/san/bin), so they are the same build.
src=$(cd "$(dirname "$0")" && pwd)
while [ "$src" != / ] && [ ! -f "$src/kern/syscalls.tbl" ]; do
	src=$(dirname "$src")
done
# here, bin, T, pass, fail, check and run.
. "$src/tests/ctl_lib.sh"
# Under the sanitizers a leak or an error report lands on stderr and
# changes the exit status, so the exact checks below catch those too.

# runin FILE CMD...: as run, with stdin from a host file.
runin() {
	f=$1
	shift
	out=$("$@" <"$f" 2>"$T/err")
	st=$?
	err=$(cat "$T/err")
}
# Does $out contain the line $1 (exactly)?
has_line() {
	printf '%s\n' "$out" | grep -Fqx -- "$1"
}

# --- Without a server -------------------------------------------------
run rumpctrl
check rumpctrl_noargs_usage '[ $st -eq 2 ] && printf %s "$err" | grep -q "^usage: rumpctrl APPLET"'
run rumpctrl --list
applets=$out
check list_applets '[ $st -eq 0 ] && [ "$(printf "%s\n" "$out" | wc -l)" -eq 20 ]'
missing=
for a in $applets; do
	[ -L "$bin/rump.$a" ] || missing="$missing rump.$a"
	[ -L "$bin/../libexec/rumpctrl/$a" ] || missing="$missing libexec/$a"
	run "rump.$a" --help
	if [ $st -ne 0 ] || ! printf '%s' "$out" | grep -q "^usage: rump.$a "; then
		missing="$missing help:$a"
	fi
done
check links_and_help_for_every_applet '[ -z "$missing" ] || { echo "  missing:$missing"; false; }'
run rumpctrl nosuch
check unknown_applet '[ $st -eq 2 ] && [ "$err" = "rumpctrl: unknown applet '"'nosuch'"' (rumpctrl --list lists them)" ]'
run rumpctrl ls --help
check rumpctrl_applet_help '[ $st -eq 0 ] && printf %s "$out" | grep -q "^usage: rump.ls "'
run rump.ls -Z /
check bad_option_usage '[ $st -eq 2 ] && printf %s "$err" | grep -q "^rump.ls: unknown option -Z" && printf %s "$err" | grep -q "^usage: rump.ls "'
run env -u RUMP_SERVER rump.ls /
check no_server_unset '[ $st -eq 1 ] && [ "$err" = "rumpctrl: cannot connect to \$RUMP_SERVER (unset): RUMP_SERVER is not set" ]'
run env RUMP_SERVER="unix://$T/nosock" rump.sysctl kern.hostname
check no_server_nosocket '[ $st -eq 1 ] && [ "$err" = "rumpctrl: cannot connect to \$RUMP_SERVER (unix://$T/nosock): No such file or directory" ] && [ -z "$out" ]'
# Usage errors are found before connecting.
run env -u RUMP_SERVER rump.dd bs=0
check usage_before_connect '[ $st -eq 2 ] && printf %s "$err" | grep -q "invalid number"'

# --- A server -----------------------------------------------------------
start=$(date +%s)
"$bin/rump_server" -s "unix://$T/sock" &
spid=$!
RUMP_SERVER="unix://$T/sock"
export RUMP_SERVER
# Wait (bounded) until it answers.
i=0
until rump.sysctl -n kern.hostname >/dev/null 2>&1 || [ $i -ge 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
run rump.sysctl kern.hostname
check server_up '[ $st -eq 0 ]'

# --- sysctl ---------------------------------------------------------------
check sysctl_name '[ "$out" = "kern.hostname = rump" ]'
run rump.sysctl -n kern.hostname kern.ostype
check sysctl_n '[ $st -eq 0 ] && [ "$out" = "rump
Linux" ]'
run rump.sysctl -w kern.hostname=rumpy
check sysctl_w '[ $st -eq 0 ] && [ "$out" = "kern.hostname: rump -> rumpy" ]'
run rump.sysctl kern.hostname=back
check sysctl_set_without_w '[ $st -eq 0 ] && [ "$out" = "kern.hostname: rumpy -> back" ]'
run rump.sysctl -w kern.maxfiles=1000
check sysctl_w_int '[ $st -eq 0 ] && [ "$out" = "kern.maxfiles: 65536 -> 1000" ]'
run rump.sysctl -w kern.maxfiles=lots
check sysctl_w_bad_int '[ $st -eq 1 ] && [ "$err" = "rump.sysctl: kern.maxfiles: invalid value '"'lots'"' for an integer" ]'
run rump.sysctl -w kern.maxfiles=0
check sysctl_w_out_of_range '[ $st -eq 1 ] && [ "$err" = "rump.sysctl: kern.maxfiles: Invalid argument" ]'
run rump.sysctl -w kern.ostype=BSD
check sysctl_w_readonly '[ $st -eq 1 ] && [ "$err" = "rump.sysctl: kern.ostype: Operation not permitted" ]'
run rump.sysctl -w kern.hostname
check sysctl_w_needs_value '[ $st -eq 2 ]'
run rump.sysctl kern.nosuch kern.ostype
check sysctl_missing '[ $st -eq 1 ] && [ "$err" = "rump.sysctl: kern.nosuch: No such file or directory" ] && [ "$out" = "kern.ostype = Linux" ]'
run rump.sysctl kern.hostname.x
check sysctl_notdir '[ $st -eq 1 ] && [ "$err" = "rump.sysctl: kern.hostname.x: Not a directory" ]'
run rump.sysctl -a
all=$out
check sysctl_a '[ $st -eq 0 ] && has_line "kern.ostype = Linux" && has_line "hw.machine = x86_64" && has_line "vfs.generic.fstypes = tmpfs msdos" && has_line "kern.maxfiles = 1000"'
check sysctl_a_sorted '[ "$(printf "%s\n" "$all" | cut -d" " -f1 | sort -c 2>&1)" = "" ]'
run rump.sysctl kern
check sysctl_node_subtree '[ $st -eq 0 ] && has_line "kern.ostype = Linux" && ! printf "%s\n" "$out" | grep -qv "^kern\."'
check sysctl_node_is_a_part_of_a '[ "$out" = "$(printf "%s\n" "$all" | grep "^kern\.")" ]'
run rump.sysctl -n hw.physmem
check sysctl_quad '[ $st -eq 0 ] && [ "$out" -gt 1048576 ]'
run rump.sysctl kern.boottime
bt=${out#kern.boottime = }
btsec=$(date -d "$bt" +%s 2>/dev/null)
check sysctl_boottime_date '[ $st -eq 0 ] && printf %s "$bt" | grep -Eq "^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}$" && [ -n "$btsec" ] && [ "$btsec" -ge "$start" ] && [ "$btsec" -le "$(date +%s)" ]'
run rump.sysctl
check sysctl_no_args_usage '[ $st -eq 2 ]'
run rump.sysctl -a kern
check sysctl_a_and_name_usage '[ $st -eq 2 ]'

# --- ps -------------------------------------------------------------------
run rump.ps
check ps_header '[ $st -eq 0 ] && [ "$(printf "%s\n" "$out" | head -n 1)" = "  PID  PPID   UID NLWP  NFD COMMAND" ]'
check ps_init '[ "$(printf "%s\n" "$out" | awk "\$1 == 1 { print \$2, \$3, \$6 }")" = "0 0 init" ]'
# Two lwps: the connection's own and the one serving its call channel.
check ps_itself '[ "$(printf "%s\n" "$out" | awk "\$6 == \"rump.ps\" { print \$2, \$3, \$4 }")" = "1 0 2" ]'
run env RUMPCLIENT_NOCHANNEL=1 rump.ps
check ps_itself_nochannel '[ "$(printf "%s\n" "$out" | awk "\$6 == \"rump.ps\" { print \$2, \$3, \$4 }")" = "1 0 1" ]'
run rump.ps -x
check ps_usage '[ $st -eq 2 ]'

# --- mkdir, ls ----------------------------------------------------------
run rump.mkdir -p /a/b/c
check mkdir_p '[ $st -eq 0 ] && [ -z "$out$err" ]'
run rump.mkdir -p /a/b
check mkdir_p_existing '[ $st -eq 0 ]'
run rump.mkdir /a
check mkdir_exists '[ $st -eq 1 ] && [ "$err" = "rump.mkdir: /a: File exists" ]'
run rump.mkdir /nodir/x /m1
check mkdir_enoent_goes_on '[ $st -eq 1 ] && [ "$err" = "rump.mkdir: /nodir/x: No such file or directory" ]'
run rump.mkdir -m 700 /m2
run rump.stat -c %a /m1 /m2
check mkdir_modes '[ "$out" = "755
700" ]'
run rump.mkdir -m u=rwx,go=x /m3
run rump.stat -c %A /m3
check mkdir_symbolic_mode '[ "$out" = "drwx--x--x" ]'
run rump.mkdir -m 999 /m4
check mkdir_bad_mode '[ $st -eq 2 ] && [ "$err" = "rump.mkdir: invalid mode '"'999'"'" ]'
run rump.rmdir /m1 /m2 /m3
run rump.ls /
check ls_root '[ $st -eq 0 ] && [ "$out" = "a" ]'
run rump.ls -a /a
check ls_a '[ "$out" = ".
..
b" ]'
run rump.ls -R /a
check ls_R '[ "$out" = "/a:
b

/a/b:
c

/a/b/c:" ]'
run rump.ls -d /a /a/b
check ls_d '[ "$out" = "/a
/a/b" ]'
run rump.ls -l /a
check ls_l_dir '[ $st -eq 0 ] && printf "%s\n" "$out" | head -n 1 | grep -q "^total [0-9]*$" && printf "%s\n" "$out" | tail -n 1 | grep -Eq "^drwxr-xr-x +[0-9]+ 0 0 +[0-9]+ [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2} b$"'
run rump.ls /nonexist /a/b
check ls_missing '[ $st -eq 1 ] && [ "$err" = "rump.ls: /nonexist: No such file or directory" ] && [ "$out" = "/a/b:
c" ]'

# --- dd and cat: data between host and kernel -----------------------------
printf 'hello\nworld\n' >"$T/hello"
runin "$T/hello" rump.dd of=/hello
check dd_from_host_stdin '[ $st -eq 0 ] && [ "$err" = "0+1 records in
0+1 records out
12 bytes copied, ${err##*bytes copied, }" ]'
run rump.cat /hello
check cat_file '[ $st -eq 0 ] && [ "$out" = "hello
world" ]'
head -c 100000 /dev/urandom >"$T/big"
# A pipe, not a file: short reads, as from any host program.
cat "$T/big" | rump.dd of=/big bs=4096 2>"$T/err"
st=$?
check dd_from_host_pipe '[ $st -eq 0 ]'
rump.cat /big >"$T/big.out" 2>"$T/err"
st=$?
check cat_to_host_file '[ $st -eq 0 ] && cmp -s "$T/big" "$T/big.out"'
rump.dd if=/big bs=1000 count=10 skip=2 >"$T/part" 2>"$T/err"
st=$?
err=$(cat "$T/err")
dd if="$T/big" bs=1000 count=10 skip=2 >"$T/part.host" 2>/dev/null
check dd_skip_count_to_host '[ $st -eq 0 ] && cmp -s "$T/part" "$T/part.host" && [ "$(printf "%s\n" "$err" | head -n 2)" = "10+0 records in
10+0 records out" ] && printf "%s\n" "$err" | tail -n 1 | grep -Eq "^10000 bytes \(10 kB, 9\.8 KiB\) copied, [0-9.e-]+ s, [0-9.]+ [kMGT]B/s$"'
runin "$T/big" rump.dd of=/big2 bs=3000 status=noxfer
check dd_full_and_partial_records '[ $st -eq 0 ] && [ "$err" = "33+1 records in
33+1 records out" ]'
rump.cat /big2 | cmp -s - "$T/big"
check dd_copy_intact '[ $? -eq 0 ]'
run rump.dd if=/big of=/big3 bs=512 count=3 status=none
check dd_status_none '[ $st -eq 0 ] && [ -z "$out$err" ]'
run rump.stat -c %s /big3
check dd_count_size '[ "$out" = 1536 ]'
run rump.dd if=/hello of=/one bs=1 count=1
check dd_one_byte '[ $st -eq 0 ] && printf "%s\n" "$err" | tail -n 1 | grep -q "^1 byte copied, "'
printf '0123456789' >"$T/ten"
runin "$T/ten" rump.dd of=/ten status=none
printf 'AB' >"$T/ab"
runin "$T/ab" rump.dd of=/ten bs=2 seek=2 conv=notrunc status=none
run rump.cat /ten
check dd_seek_notrunc '[ $st -eq 0 ] && [ "$out" = "0123AB6789" ]'
runin "$T/ab" rump.dd of=/ten bs=2 seek=1 status=none
run rump.cat /ten
check dd_seek_truncates '[ "$out" = "01AB" ]'
runin "$T/ab" rump.dd of=/ten status=none
run rump.cat /ten
check dd_truncates '[ "$out" = "AB" ]'
printf '0123456789abcdef' >"$T/16"
runin "$T/16" rump.dd of=/16 ibs=3 obs=5
check dd_reblock '[ $st -eq 0 ] && [ "$(printf "%s\n" "$err" | head -n 2)" = "5+1 records in
3+1 records out" ]'
run rump.cat /16
check dd_reblock_data '[ "$out" = "0123456789abcdef" ]'
run rump.dd if=/big of=/k bs=1k count=2x2 status=none
run rump.stat -c %s /k
check dd_size_suffixes '[ "$out" = 4096 ]'
out=$(echo hi | rump.dd bs=1 skip=5 2>"$T/err")
st=$?
err=$(cat "$T/err")
check dd_skip_past_end_of_pipe '[ $st -eq 0 ] && [ -z "$out" ] && [ "$(printf "%s\n" "$err" | head -n 3)" = "rump.dd: standard input: cannot skip to specified offset
0+0 records in
0+0 records out" ]'
runin "$T/16" rump.dd of=/16p bs=4 status=progress
check dd_status_progress '[ $st -eq 0 ] && [ "$(printf "%s\n" "$err" | tr "\r" "\n" | grep -c "^4+0 records")" -eq 2 ] && printf "%s\n" "$err" | tail -n 1 | grep -q "^16 bytes copied, "'
run rump.dd if=/nonexist
check dd_missing_input '[ $st -eq 1 ] && [ "$err" = "rump.dd: /nonexist: No such file or directory" ]'
run rump.dd if=/a
check dd_read_error '[ $st -eq 1 ] && printf "%s\n" "$err" | head -n 1 | grep -qx "rump.dd: /a: Is a directory"'
run rump.dd foo=1
check dd_bad_operand '[ $st -eq 2 ] && printf "%s\n" "$err" | head -n 1 | grep -qx "rump.dd: unrecognized operand '"'foo=1'"'"'
run rump.dd bs=1q
check dd_bad_number '[ $st -eq 2 ] && printf "%s\n" "$err" | head -n 1 | grep -q "^rump.dd: invalid number: '"'1q'"'"'
run rump.dd conv=sparse
check dd_bad_conv '[ $st -eq 2 ] && printf "%s\n" "$err" | head -n 1 | grep -qx "rump.dd: invalid conversion: '"'sparse'"'"'
out=$(echo piped | rump.cat - /hello 2>"$T/err")
check cat_stdin_dash '[ "$out" = "piped
hello
world" ]'
run rump.cat /nonexist /hello
check cat_missing '[ $st -eq 1 ] && [ "$err" = "rump.cat: /nonexist: No such file or directory" ] && [ "$out" = "hello
world" ]'
run rump.cat /a
check cat_dir '[ $st -eq 1 ] && [ "$err" = "rump.cat: /a: Is a directory" ]'

# --- stat, touch ----------------------------------------------------------
run rump.stat /hello
check stat_default '[ $st -eq 0 ] && [ "$(printf "%s\n" "$out" | head -n 1)" = "  File: /hello" ] && printf "%s\n" "$out" | grep -Eq "^  Size: 12 +	Blocks: [0-9]+ +IO Block: [0-9]+ +regular file$" && has_line "Access: (0644/-rw-r--r--)  Uid: (    0)   Gid: (    0)" && printf "%s\n" "$out" | grep -Eq "^Modify: [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\.[0-9]{9} \+0000$" && has_line " Birth: -"'
run rump.stat /nonexist
check stat_missing '[ $st -eq 1 ] && [ "$err" = "rump.stat: /nonexist: No such file or directory" ]'
run rump.touch /t
run rump.stat -c "%s %F" /t
check touch_creates '[ "$out" = "0 regular empty file" ]'
run rump.touch -c /t2
check touch_c '[ $st -eq 0 ] && [ -z "$err" ]'
run rump.stat /t2
check touch_c_did_not_create '[ $st -eq 1 ]'
run rump.touch -d "2001-02-03 04:05:06" /t /t3
run rump.stat -c "%Y %X" /t /t3
check touch_d '[ "$out" = "981173106 981173106
981173106 981173106" ]'
run rump.touch -d @1000000000 -m /t
run rump.stat -c "%Y %X" /t
check touch_d_epoch_m_only '[ "$out" = "1000000000 981173106" ]'
run rump.touch /nodir/x
check touch_enoent '[ $st -eq 1 ] && [ "$err" = "rump.touch: /nodir/x: No such file or directory" ]'
run rump.touch -d yesterday /t
check touch_bad_date '[ $st -eq 2 ] && [ "$err" = "rump.touch: invalid date '"'yesterday'"'" ]'
run rump.ls -l /t
check ls_l_old_date '[ "$out" = "-rw-r--r-- 1 0 0 0 Sep  9  2001 /t" ]'

# --- chmod, chown ---------------------------------------------------------
run rump.chmod 600 /t
run rump.stat -c %a /t
check chmod_octal '[ "$out" = 600 ]'
run rump.chmod u+x,g+r /t
run rump.stat -c %a /t
check chmod_symbolic '[ "$out" = 740 ]'
run rump.chmod a=r,u+w /t
run rump.stat -c %A /t
check chmod_assign '[ "$out" = "-rw-r--r--" ]'
run rump.chmod go= /t
run rump.stat -c %A /t
check chmod_clear '[ "$out" = "-rw-------" ]'
run rump.chmod +x /t
run rump.stat -c %A /t
check chmod_no_who_umask '[ "$out" = "-rwx--x--x" ]'
run rump.chmod 4755 /t
run rump.stat -c %A /t
check chmod_setuid '[ "$out" = "-rwsr-xr-x" ]'
run rump.chmod -R 700 /a
run rump.stat -c %a /a /a/b /a/b/c
check chmod_R '[ "$out" = "700
700
700" ]'
run rump.chmod 755 /a /a/b /a/b/c
run rump.chmod u+q /t
check chmod_bad_mode '[ $st -eq 2 ] && [ "$err" = "rump.chmod: invalid mode '"'u+q'"'" ]'
run rump.chmod 644 /nonexist
check chmod_missing '[ $st -eq 1 ] && [ "$err" = "rump.chmod: /nonexist: No such file or directory" ]'
run rump.chown 12:34 /t
run rump.stat -c "%u %g" /t
check chown_both '[ "$out" = "12 34" ]'
run rump.chown :56 /t
run rump.stat -c "%u %g" /t
check chown_group '[ "$out" = "12 56" ]'
run rump.chown 7 /t
run rump.stat -c "%u %g" /t
check chown_user '[ "$out" = "7 56" ]'
run rump.chown root /t
check chown_names_refused '[ $st -eq 2 ] && [ "$err" = "rump.chown: invalid user: '"'root'"' (ids are numeric)" ]'
run rump.chown 1:1 /nonexist
check chown_missing '[ $st -eq 1 ] && [ "$err" = "rump.chown: /nonexist: No such file or directory" ]'

# --- ln ---------------------------------------------------------------------
run rump.ln -s /hello /sl
check ln_s '[ $st -eq 0 ]'
run rump.ls -l /sl
check ls_l_symlink 'printf %s "$out" | grep -Eq "^lrwxrwxrwx 1 0 0 6 .* /sl -> /hello$"'
run rump.stat /sl
check stat_symlink '[ "$(printf "%s\n" "$out" | head -n 1)" = "  File: /sl -> /hello" ] && printf %s "$out" | grep -q "symbolic link"'
run rump.cat /sl
check symlink_followed '[ "$out" = "hello
world" ]'
run rump.chown -h 9:9 /sl
run rump.stat -c "%u" /sl /hello
check chown_h '[ "$out" = "9
0" ]'
run rump.ln /hello /hard
run rump.stat -c %h /hello
check ln_hard '[ "$out" = 2 ]'
run rump.ln /hello /hard
check ln_exists '[ $st -eq 1 ] && [ "$err" = "rump.ln: /hard: File exists" ]'
run rump.ln -f /t /hard
run rump.stat -c %h /hello /t
check ln_f '[ $st -eq 0 ] && [ "$out" = "1
2" ]'
run rump.ln -sf /t /sl
run rump.stat -c %N /sl
check ln_sf '[ "$out" = "/sl -> /t" ]'
run rump.ln /nonexist /x
check ln_missing '[ $st -eq 1 ] && [ "$err" = "rump.ln: /nonexist: No such file or directory" ]'
run rump.ln -s /hello /t /a
run rump.ls /a
check ln_into_dir '[ "$out" = "b
hello
t" ]'

# --- cp, mv, rm, rmdir ------------------------------------------------------
run rump.cp /hello /copy
run rump.cat /copy
check cp_file '[ "$out" = "hello
world" ]'
run rump.cp /big /a/b
rump.cat /a/b/big | cmp -s - "$T/big"
check cp_into_dir '[ $? -eq 0 ]'
run rump.cp /a /z
check cp_dir_without_R '[ $st -eq 1 ] && [ "$err" = "rump.cp: /a: is a directory (not copied)" ]'
run rump.cp -R /a /z
run rump.ls -R /z
z=$out
run rump.ls -R /a
check cp_R '[ -n "$z" ] && [ "$(printf "%s\n" "$z" | sed "s|^/z|/a|")" = "$out" ]'
run rump.stat -c %N /z/hello
check cp_R_keeps_links '[ "$out" = "/z/hello -> /hello" ]'
run rump.cp -R /a /a/b/c
check cp_into_itself '[ $st -eq 1 ] && [ "$err" = "rump.cp: cannot copy a directory, /a, into itself, /a/b/c/a" ]'
run rump.cp /hello /hello
check cp_same_file '[ $st -eq 1 ] && [ "$err" = "rump.cp: /hello and /hello are the same file" ]'
run rump.cp /nonexist /x
check cp_missing '[ $st -eq 1 ] && [ "$err" = "rump.cp: /nonexist: No such file or directory" ]'
run rump.chmod 640 /copy
run rump.touch -d "2010-01-01 00:00:00" /copy
run rump.cp -p /copy /copy-p
run rump.cp /copy /copy-np
run rump.stat -c "%a %Y" /copy-p /copy-np
check cp_p '[ "$(printf "%s\n" "$out" | head -n 1)" = "640 1262304000" ] && [ "$(printf "%s\n" "$out" | tail -n 1 | cut -d" " -f1)" = 640 ] && [ "$(printf "%s\n" "$out" | tail -n 1 | cut -d" " -f2)" != 1262304000 ]'
run rump.cp /hello
check cp_usage '[ $st -eq 2 ]'
run rump.mv /copy /moved
run rump.ls /copy /moved
check mv_rename '[ "$err" = "rump.ls: /copy: No such file or directory" ] && [ "$out" = "/moved" ]'
run rump.mv /moved /copy-p /z
run rump.ls /z
check mv_into_dir '[ $st -eq 0 ] && has_line moved && has_line copy-p'
run rump.mv /nonexist /x
check mv_missing '[ $st -eq 1 ] && [ "$err" = "rump.mv: /nonexist -> /x: No such file or directory" ]'
run rump.rm /a
check rm_dir_without_r '[ $st -eq 1 ] && [ "$err" = "rump.rm: /a: Is a directory" ]'
run rump.rm /nonexist /copy-np
check rm_missing '[ $st -eq 1 ] && [ "$err" = "rump.rm: /nonexist: No such file or directory" ]'
run rump.ls /copy-np
check rm_removed_the_rest '[ $st -eq 1 ]'
run rump.rm -f /nonexist
check rm_f '[ $st -eq 0 ] && [ -z "$out$err" ]'
run rump.rm -r /a/b/..
check rm_dotdot_refused '[ $st -eq 1 ] && printf %s "$err" | grep -q "^rump.rm: refusing to remove"'
run rump.rmdir /z
check rmdir_not_empty '[ $st -eq 1 ] && [ "$err" = "rump.rmdir: /z: Directory not empty" ]'
run rump.rm -r /z
run rump.ls /z
check rm_r '[ $st -eq 1 ]'
run rump.mkdir -p /p1/p2/p3
run rump.rmdir -p /p1/p2/p3
run rump.ls /p1
check rmdir_p '[ $st -eq 1 ] && [ "$err" = "rump.ls: /p1: No such file or directory" ]'

# --- mount, umount, df -------------------------------------------------------
run rump.mkdir /mnt /ro
run rump.mount -t tmpfs -o size=1m,nosuid tmpfs /mnt
check mount_tmpfs '[ $st -eq 0 ] && [ -z "$out$err" ]'
run rump.mount -r tmpfs /ro
run rump.mount
check mount_list '[ $st -eq 0 ] && has_line "tmpfs on /mnt type tmpfs (rw,nosuid)" && has_line "tmpfs on /ro type tmpfs (ro)" && [ "$(printf "%s\n" "$out" | head -n 1 | cut -d" " -f2-4)" = "on / type" ]'
run rump.touch /ro/x
check mount_ro '[ $st -eq 1 ] && [ "$err" = "rump.touch: /ro/x: Read-only file system" ]'
run rump.mount -o remount,rw /ro
run rump.touch /ro/x
check mount_remount '[ $st -eq 0 ]'
run rump.df
check df_header '[ $st -eq 0 ] && [ "$(printf "%s\n" "$out" | head -n 1)" = "Filesystem     1K-blocks  Used Available Use% Mounted on" ]'
check df_mnt 'printf "%s\n" "$out" | grep -Eq "^tmpfs +1024 +0 +1024 +0% /mnt$"'
check df_all_mounts '[ "$(printf "%s\n" "$out" | wc -l)" -eq 4 ]'
runin "$T/big" rump.dd of=/mnt/big status=none
run rump.df /mnt/big
check df_path '[ $st -eq 0 ] && [ "$(printf "%s\n" "$out" | wc -l)" -eq 2 ] && printf "%s\n" "$out" | tail -n 1 | grep -Eq "^tmpfs +1024 +100 +924 +10% /mnt$"'
run rump.df -h /mnt
check df_h '[ $st -eq 0 ] && [ "$(printf "%s\n" "$out" | head -n 1)" = "Filesystem      Size  Used Avail Use% Mounted on" ] && printf "%s\n" "$out" | tail -n 1 | grep -Eq "^tmpfs +1\.0M +100K +924K +10% /mnt$"'
run rump.df /nonexist
check df_missing '[ $st -eq 1 ] && [ "$err" = "rump.df: /nonexist: No such file or directory" ]'
# Across file systems mv copies and removes.
run rump.mv /big /hello /mnt
check mv_exdev '[ $st -eq 0 ]'
rump.cat /mnt/big | cmp -s - "$T/big"
check mv_exdev_data '[ $? -eq 0 ]'
run rump.ls /big /hello
check mv_exdev_removed '[ $st -eq 1 ] && [ -z "$out" ]'
run rump.mkdir -p /tree/sub
run rump.mv /tree /mnt
run rump.ls -R /mnt/tree
check mv_exdev_dir '[ $st -eq 0 ] && [ "$out" = "/mnt/tree:
sub

/mnt/tree/sub:" ]'
run rump.mount -t tmpfs tmpfs /nomnt
check mount_enoent '[ $st -eq 1 ] && [ "$err" = "rump.mount: tmpfs on /nomnt: No such file or directory" ]'
run rump.mount -t nosuchfs none /mnt
check mount_enodev '[ $st -eq 1 ] && [ "$err" = "rump.mount: none on /mnt: No such device" ]'
run rump.mount /mnt
check mount_one_arg_usage '[ $st -eq 2 ]'
run rump.umount /mnt /ro
check umount '[ $st -eq 0 ]'
run rump.mount
check umount_gone '[ "$(printf "%s\n" "$out" | wc -l)" -eq 1 ]'
run rump.umount /mnt
check umount_not_mounted '[ $st -eq 1 ] && [ "$err" = "rump.umount: /mnt: Invalid argument" ]'
run rump.umount -f /nonexist
check umount_missing '[ $st -eq 1 ] && [ "$err" = "rump.umount: /nonexist: No such file or directory" ]'

# --- rumpctrl.sh ------------------------------------------------------------
# The sourced environment, in dash (sh) and bash: PATH, PS1, functions.
cat >"$T/session" <<'EOF'
OLDPS1=${PS1-unset}
. "$BIN/rumpctrl.sh" "$@" || exit 9
echo "server=$RUMP_SERVER"
echo "ls=$(command -v ls)"
eval "echo \"prompt=$PS1\""
mkdir /from_sh
echo data | dd of=/from_sh/f 2>/dev/null
ls /from_sh
cat /from_sh/f
echo "n=$(rumpctrl_listcmds | wc -l)"
rumpctrl_hostcmd ls "$HOSTDIR"
rumpctrl_unload
echo "after=$(command -v ls)"
command -v rumpctrl_hostcmd >/dev/null || echo "functions gone"
[ "${PS1-unset}" = "$OLDPS1" ] && echo "PS1 restored"
EOF
expect_session() {
	printf '%s\n' "server=$1" "ls=$2/ls" "prompt=rump:$1\$ " f data \
	    n=20 marker "after=$(command -v ls)" "functions gone" \
	    "PS1 restored"
}
url="unix://$T/sock"
mkdir "$T/hostonly"
: >"$T/hostonly/marker"
appdir=$(cd "$bin/../libexec/rumpctrl" && pwd)
out=$(env -u RUMP_SERVER BIN="$bin" HOSTDIR="$T/hostonly" \
    sh -c 'f=$1; shift; . "$f"' sh "$T/session" "$url" 2>&1)
check rumpctrl_sh_dash '[ "$out" = "$(expect_session "$url" "$appdir")" ]'
run rump.rm -r /from_sh
out=$(cd "$T" && env -u RUMP_SERVER BIN="$bin" HOSTDIR="$T/hostonly" \
    bash -c 'PS1="\$ "; . "$BIN/rumpctrl.sh" -u sock && echo "$RUMP_SERVER" && rumpctrl_unload && echo "$PS1"' 2>&1)
check rumpctrl_sh_bash_u_relative '[ "$out" = "$url
\$ " ]'
out=$(env RUMP_SERVER="$url" BIN="$bin" HOSTDIR="$T/hostonly" \
    bash -c 'f=$1; shift; . "$f"' bash "$T/session" 2>&1)
check rumpctrl_sh_bash_keeps_server '[ "$out" = "$(expect_session "$url" "$appdir")" ]'
run rump.rm -r /from_sh
# Twice in a row: the second replaces the first, PATH does not grow.
out=$(env RUMP_SERVER="$url" BIN="$bin" sh -c '
	p=$PATH; . "$BIN/rumpctrl.sh"; . "$BIN/rumpctrl.sh"; rumpctrl_unload
	[ "$PATH" = "$p" ] && echo same' 2>&1)
check rumpctrl_sh_twice '[ "$out" = same ]'
out=$(env BIN="$bin" bash -c '. "$BIN/rumpctrl.sh" bogus; echo "status=$?"; command -v rumpctrl_unload || echo none' 2>&1)
check rumpctrl_sh_bad_arg '[ "$out" = "rumpctrl.sh: '"'bogus'"': not a URL (unix://PATH, tcp://ADDR:PORT) or -u PATH
status=2
none" ]'
out=$(env -u RUMP_SERVER BIN="$bin" sh -c '. "$BIN/rumpctrl.sh"; echo "st=$?"; eval "echo \"$PS1\""; rumpctrl_hostcmd; echo "st=$?"; rumpctrl_unload' 2>&1)
check rumpctrl_sh_unset_server '[ "$out" = "rumpctrl.sh: RUMP_SERVER is not set; export RUMP_SERVER=URL before using the applets
st=0
rump:(unset)\$ 
usage: rumpctrl_hostcmd COMMAND [ARGS...]
st=2" ]'
# Without libexec/rumpctrl beside the binary: a temporary directory of
# links, removed again by rumpctrl_unload.
mkdir "$T/lonely"
cp "$bin/rumpctrl" "$T/lonely/rumpctrl"
out=$(env RUMP_SERVER="$url" RUMPCTRL="$T/lonely/rumpctrl" BIN="$bin" sh -c '
	. "$BIN/rumpctrl.sh" || exit 1
	d=$(dirname "$(command -v sysctl)")
	sysctl kern.ostype; rumpctrl_unload
	[ -d "$d" ] && echo "left $d" || echo removed' 2>&1)
check rumpctrl_sh_tempdir '[ "$out" = "kern.ostype = Linux
removed" ]'

# --- halt -----------------------------------------------------------------
run rump.halt -x
check halt_usage '[ $st -eq 2 ]'
run rump.halt
check halt '[ $st -eq 0 ] && [ -z "$out$err" ]'
wait "$spid"
sst=$?
spid=
check halt_server_exits '[ $sst -eq 0 ] || { echo "  server exit status $sst"; false; }'
run rump.ls /
check after_halt_no_server '[ $st -eq 1 ] && printf %s "$err" | grep -q "^rumpctrl: cannot connect to \\\$RUMP_SERVER (unix://$T/sock): "'

# A detached server (no -s) is ready when rump_server returns.
"$bin/rump_server" "unix://$T/sock2" >"$T/err" 2>&1
st=$?
err=$(cat "$T/err")
check detached_server_starts '[ $st -eq 0 ]'
run env RUMP_SERVER="unix://$T/sock2" rump.sysctl -n kern.ostype
check detached_server_answers '[ $st -eq 0 ] && [ "$out" = Linux ]'
run env RUMP_SERVER="unix://$T/sock2" rump.halt
check detached_server_halts '[ $st -eq 0 ]'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
