# rumpctrl.sh: a shell environment for controlling a remote rump kernel.
# Source it (bash, dash or any POSIX sh; interactive or not):
#
#	. rumpctrl.sh [URL | -u SOCKETPATH]
#
# URL (unix://PATH, tcp://ADDR:PORT) or -u PATH (a unix socket; a relative
# path is made absolute) sets RUMP_SERVER; without either the existing
# RUMP_SERVER is kept.  Then the rumpctrl applets come first on PATH under
# their plain names (ls, cat, sysctl, mount, ...: kernel paths from now on),
# PS1 shows "rump:$RUMP_SERVER", and these functions exist:
#
#	rumpctrl_listcmds          list the applets
#	rumpctrl_hostcmd CMD ARGS  run the host's CMD despite the PATH change
#	rumpctrl_unload            restore PATH and PS1, remove the functions
#
# Shells such as dash give a sourced file no arguments of its own; there
# use "set -- URL; . rumpctrl.sh" or set RUMP_SERVER first.  Sourcing again
# replaces the previous environment.
#
# The applet links come from libexec/rumpctrl beside rumpctrl's bin/
# directory (installed by make install), else from a temporary directory
# that rumpctrl_unload removes.  $RUMPCTRL names the rumpctrl binary to
# use; otherwise the one this file was installed with, or the one on PATH.

if command -v rumpctrl_unload >/dev/null 2>&1; then
	rumpctrl_unload
fi

rumpctrl_sh_err=0
case "${1-}" in
-u)
	case "${2-}" in
	"")	echo "rumpctrl.sh: -u needs a socket path" >&2
		rumpctrl_sh_err=2 ;;
	/*)	RUMP_SERVER="unix://$2"; export RUMP_SERVER ;;
	*)	RUMP_SERVER="unix://$PWD/$2"; export RUMP_SERVER ;;
	esac ;;
unix://?*|tcp://?*)
	RUMP_SERVER=$1; export RUMP_SERVER ;;
"")	;;
*)	echo "rumpctrl.sh: '$1': not a URL (unix://PATH, tcp://ADDR:PORT)" \
	    "or -u PATH" >&2
	rumpctrl_sh_err=2 ;;
esac

# Find rumpctrl: $RUMPCTRL, else the one installed with this file, else
# the one on PATH.
if [ "$rumpctrl_sh_err" -eq 0 ]; then
	RUMPCTRL_BIN=${RUMPCTRL-}
	if [ -z "$RUMPCTRL_BIN" ]; then
		RUMPCTRL_BIN='@RUMPCTRL@'
		case "$RUMPCTRL_BIN" in
		/*)	[ -x "$RUMPCTRL_BIN" ] || RUMPCTRL_BIN= ;;
		*)	RUMPCTRL_BIN= ;;
		esac
		[ -n "$RUMPCTRL_BIN" ] ||
		    RUMPCTRL_BIN=$(command -v rumpctrl 2>/dev/null)
	fi
	case "$RUMPCTRL_BIN" in
	/*)	;;
	?*)	RUMPCTRL_BIN=$PWD/$RUMPCTRL_BIN ;;
	esac
	if [ -z "$RUMPCTRL_BIN" ] || [ ! -x "$RUMPCTRL_BIN" ]; then
		echo "rumpctrl.sh: cannot find rumpctrl (set RUMPCTRL to its" \
		    "path)" >&2
		rumpctrl_sh_err=1
	fi
fi

# The directory of plain-named applet links.
if [ "$rumpctrl_sh_err" -eq 0 ]; then
	RUMPCTRL_TMPDIR=
	RUMPCTRL_APPLETDIR=${RUMPCTRL_BIN%/*}/../libexec/rumpctrl
	if [ -x "$RUMPCTRL_APPLETDIR/sysctl" ]; then
		RUMPCTRL_APPLETDIR=$(cd "$RUMPCTRL_APPLETDIR" && pwd)
	elif RUMPCTRL_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/rumpctrl.XXXXXX")
	then
		for rumpctrl_sh_n in $("$RUMPCTRL_BIN" --list); do
			ln -s "$RUMPCTRL_BIN" "$RUMPCTRL_TMPDIR/$rumpctrl_sh_n"
		done
		RUMPCTRL_APPLETDIR=$RUMPCTRL_TMPDIR
	else
		echo "rumpctrl.sh: cannot make a directory for the applets" >&2
		rumpctrl_sh_err=1
	fi
fi

if [ "$rumpctrl_sh_err" -eq 0 ]; then
	RUMPCTRL_OLDPATH=$PATH
	if [ -n "${PS1+set}" ]; then
		RUMPCTRL_OLDPS1=$PS1
		RUMPCTRL_PS1SET=1
	else
		RUMPCTRL_OLDPS1=
		RUMPCTRL_PS1SET=
	fi
	PATH=$RUMPCTRL_APPLETDIR:$PATH
	export PATH
	if [ -z "${RUMP_SERVER-}" ]; then
		echo "rumpctrl.sh: RUMP_SERVER is not set; export" \
		    "RUMP_SERVER=URL before using the applets" >&2
	fi
	# Expanded at each prompt, so a new RUMP_SERVER shows at once.
	PS1='rump:${RUMP_SERVER-(unset)}$ '

	# List the applets.
	rumpctrl_listcmds() {
		"$RUMPCTRL_BIN" --list
	}

	# Run a host command with the PATH from before rumpctrl.sh.
	rumpctrl_hostcmd() {
		if [ $# -eq 0 ]; then
			echo "usage: rumpctrl_hostcmd COMMAND [ARGS...]" >&2
			return 2
		fi
		(PATH=$RUMPCTRL_OLDPATH; export PATH; exec "$@")
	}

	# Undo what sourcing rumpctrl.sh did (RUMP_SERVER stays).
	rumpctrl_unload() {
		PATH=$RUMPCTRL_OLDPATH
		export PATH
		if [ -n "$RUMPCTRL_PS1SET" ]; then
			PS1=$RUMPCTRL_OLDPS1
		else
			unset PS1
		fi
		if [ -n "$RUMPCTRL_TMPDIR" ]; then
			rm -rf "$RUMPCTRL_TMPDIR"
		fi
		unset RUMPCTRL_OLDPATH RUMPCTRL_OLDPS1 RUMPCTRL_PS1SET \
		    RUMPCTRL_TMPDIR RUMPCTRL_APPLETDIR RUMPCTRL_BIN
		unset -f rumpctrl_listcmds rumpctrl_hostcmd rumpctrl_unload
	}
fi

# The status of sourcing: 0, 1 (rumpctrl not usable), 2 (bad arguments).
unset rumpctrl_sh_n
[ "$rumpctrl_sh_err" -eq 0 ] ||
    unset RUMPCTRL_BIN RUMPCTRL_TMPDIR RUMPCTRL_APPLETDIR
case $rumpctrl_sh_err in
0)	unset rumpctrl_sh_err ;;
1)	unset rumpctrl_sh_err; return 1 ;;
*)	unset rumpctrl_sh_err; return 2 ;;
esac
