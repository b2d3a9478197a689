/*
 * sysctl.c: rump.sysctl, show and set kernel variables.
 *
 *	rump.sysctl [-n] NAME...          "kern.hostname = rump"
 *	rump.sysctl [-n] -a               every variable
 *	rump.sysctl [-n] [-w] NAME=VALUE  "kern.hostname: rump -> x"
 *
 * A NAME that is a node lists its subtree.  INT and QUAD values print in
 * decimal, STRINGs as they are, kern.boottime as a date, other STRUCTs as
 * hex bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

#define SYSCTL_HEXMAX	64	/* bytes of an unknown STRUCT shown */

/* STRUCT nodes we know to be a struct ktimespec wall-clock time. */
static const char *const sysctl_dates[] = { "kern.boottime" };

/* Read name's value into a new buffer (NUL-terminated); 0 or errno. */
static int
sysctl_read(const char *name, char **bufp, size_t *lenp)
{
	size_t len = 0;
	char *buf = NULL;
	int tries;

	for (tries = 0; tries < 8; tries++) {
		if (rump_sys_sysctlbyname(name, NULL, &len, NULL, 0) != 0)
			break;
		buf = ctl_realloc(buf, len + 1);
		if (rump_sys_sysctlbyname(name, buf, &len, NULL, 0) == 0) {
			buf[len] = '\0';
			*bufp = buf;
			*lenp = len;
			return 0;
		}
		if (errno != ENOMEM)	/* ENOMEM: it grew; again */
			break;
	}
	free(buf);
	return errno != 0 ? errno : EIO;
}

/* A STRUCT value: a date for known time nodes, otherwise hex bytes. */
static void
sysctl_format_struct(const char *name, const char *buf, size_t len,
    char *out, size_t outlen)
{
	struct ktimespec ts;
	size_t i, o = 0;
	struct tm tm;
	time_t t;

	for (i = 0; i < sizeof(sysctl_dates) / sizeof(sysctl_dates[0]); i++) {
		if (strcmp(name, sysctl_dates[i]) != 0 || len != sizeof(ts))
			continue;
		memcpy(&ts, buf, sizeof(ts));
		t = (time_t)ts.tv_sec;
		if (localtime_r(&t, &tm) != NULL &&
		    strftime(out, outlen, "%a %b %e %H:%M:%S %Y", &tm) > 0)
			return;
	}
	out[0] = '\0';
	for (i = 0; i < len && i < SYSCTL_HEXMAX && o + 4 < outlen; i++)
		o += (size_t)snprintf(out + o, outlen - o, "%s%02x",
		    i ? " " : "", (unsigned char)buf[i]);
	if (i < len && o + 4 < outlen)
		snprintf(out + o, outlen - o, " ...");
}

/* Format a value of the given type as text into a new string. */
static char *
sysctl_format(const char *name, uint32_t type, const char *buf, size_t len)
{
	char *out = ctl_malloc(len + 4 * SYSCTL_HEXMAX + 64);
	int32_t i32;
	int64_t i64;

	if (type == KSYSCTL_TYPE_INT && len == sizeof(i32)) {
		memcpy(&i32, buf, sizeof(i32));
		sprintf(out, "%" PRId32, i32);
	} else if (type == KSYSCTL_TYPE_QUAD && len == sizeof(i64)) {
		memcpy(&i64, buf, sizeof(i64));
		sprintf(out, "%" PRId64, i64);
	} else if (type == KSYSCTL_TYPE_STRING) {
		memcpy(out, buf, len);
		out[len] = '\0';
	} else
		sysctl_format_struct(name, buf, len, out,
		    len + 4 * SYSCTL_HEXMAX + 64);
	return out;
}

/* Read and format one leaf; NULL after a message. */
static char *
sysctl_value(const char *name, uint32_t type)
{
	size_t len = 0;
	char *buf = NULL, *s;
	int error;

	if ((error = sysctl_read(name, &buf, &len)) != 0) {
		ctl_warnc(error, "%s", name);
		return NULL;
	}
	s = sysctl_format(name, type, buf, len);
	free(buf);
	return s;
}

/* Print one leaf as "name = value" (or the value with -n). */
static int
sysctl_show_leaf(const char *name, uint32_t type, int nflag)
{
	char *v = sysctl_value(name, type);

	if (v == NULL)
		return CTL_ERR;
	if (nflag)
		printf("%s\n", v);
	else
		printf("%s = %s\n", name, v);
	free(v);
	return CTL_OK;
}

/* Print every leaf below prefix ("" for the whole tree). */
static int
sysctl_walk(const char *prefix, int nflag)
{
	char cur[KSYSCTL_NAMEMAX], next[KSYSCTL_NAMEMAX];
	size_t plen = strlen(prefix);
	struct ksysctl_info si;
	int rv = CTL_OK;

	snprintf(cur, sizeof(cur), "%s", prefix);
	for (;;) {
		if (rump_sys_sysctlnext(cur, next, sizeof(next)) != 0) {
			if (errno == ENOENT)
				break;
			ctl_warn("%s", cur);
			return CTL_ERR;
		}
		if (plen > 0 && (strncmp(next, prefix, plen) != 0 ||
		    next[plen] != '.'))
			break;
		/* A leaf may vanish between the two calls: skip it. */
		if (rump_sys_sysctlinfo(next, &si) == 0)
			rv |= sysctl_show_leaf(next, si.si_type, nflag);
		memcpy(cur, next, sizeof(cur));
	}
	return rv;
}

/* NAME: a leaf's value, or a node's subtree. */
static int
sysctl_show(const char *name, int nflag)
{
	struct ksysctl_info si;

	if (rump_sys_sysctlinfo(name, &si) != 0) {
		ctl_warn("%s", name);
		return CTL_ERR;
	}
	if (si.si_type == KSYSCTL_TYPE_NODE)
		return sysctl_walk(name, nflag);
	return sysctl_show_leaf(name, si.si_type, nflag);
}

/* Encode text as a value of the node's type into buf; 0 or EINVAL. */
static int
sysctl_encode(uint32_t type, const char *text, void *buf, size_t *lenp)
{
	long long v;
	char *end;

	switch (type) {
	case KSYSCTL_TYPE_STRING:
		*lenp = strlen(text);
		memcpy(buf, text, *lenp);
		return 0;
	case KSYSCTL_TYPE_INT:
	case KSYSCTL_TYPE_QUAD:
		errno = 0;
		v = strtoll(text, &end, 0);
		if (errno != 0 || end == text || *end != '\0')
			return EINVAL;
		if (type == KSYSCTL_TYPE_QUAD) {
			int64_t q = v;

			memcpy(buf, &q, sizeof(q));
			*lenp = sizeof(q);
		} else {
			int32_t i;

			if (v < INT32_MIN || v > INT32_MAX)
				return EINVAL;
			i = (int32_t)v;
			memcpy(buf, &i, sizeof(i));
			*lenp = sizeof(i);
		}
		return 0;
	default:
		return EINVAL;		/* nodes and structs: not from text */
	}
}

/* NAME=VALUE: set it and print "NAME: old -> new". */
static int
sysctl_set(char *arg, int nflag)
{
	char *eq = strchr(arg, '='), *old = NULL, *new = NULL, *val;
	char *buf = NULL;
	struct ksysctl_info si;
	size_t len;
	int rv = CTL_ERR;

	*eq = '\0';
	val = eq + 1;
	if (rump_sys_sysctlinfo(arg, &si) != 0) {
		ctl_warn("%s", arg);
		return CTL_ERR;
	}
	/* The value is the user's: it must fit and be of the node's type. */
	if (strlen(val) > 65536) {
		ctl_warnx("%s: value too long", arg);
		return CTL_ERR;
	}
	buf = ctl_malloc(strlen(val) + 16);
	if (si.si_type == KSYSCTL_TYPE_NODE) {
		ctl_warnc(EISDIR, "%s", arg);
		goto out;
	}
	if (sysctl_encode(si.si_type, val, buf, &len) != 0) {
		ctl_warnx("%s: invalid value '%s' for a%s", arg, val,
		    si.si_type == KSYSCTL_TYPE_STRUCT ? " structure" :
		    "n integer");
		goto out;
	}
	if ((old = sysctl_value(arg, si.si_type)) == NULL)
		goto out;
	if (rump_sys_sysctlbyname(arg, NULL, NULL, buf, len) != 0) {
		ctl_warn("%s", arg);
		goto out;
	}
	if ((new = sysctl_value(arg, si.si_type)) == NULL)
		goto out;
	if (nflag)
		printf("%s\n", new);
	else
		printf("%s: %s -> %s\n", arg, old, new);
	rv = CTL_OK;
out:
	free(buf);
	free(old);
	free(new);
	return rv;
}

/* rump.sysctl: options, connect, then -a, reads and writes. */
int
ctl_sysctl_main(int argc, char **argv)
{
	int ch, aflag = 0, nflag = 0, wflag = 0, rv = CTL_OK;

	while ((ch = ctl_getopt(argc, argv, "anw")) != -1) {
		switch (ch) {
		case 'a': aflag = 1; break;
		case 'n': nflag = 1; break;
		case 'w': wflag = 1; break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (aflag ? argc != 0 || wflag : argc == 0)
		return ctl_usage();
	for (int i = 0; i < argc; i++) {
		if (wflag && strchr(argv[i], '=') == NULL) {
			ctl_warnx("%s: -w needs NAME=VALUE", argv[i]);
			return CTL_USAGE;
		}
	}
	ctl_connect();
	if (aflag)
		return sysctl_walk("", nflag);
	for (int i = 0; i < argc; i++) {
		if (strchr(argv[i], '=') != NULL)
			rv |= sysctl_set(argv[i], nflag);
		else
			rv |= sysctl_show(argv[i], nflag);
	}
	return rv;
}
