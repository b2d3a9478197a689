/*
 * dd_args.c: rump.dd's operands (KEY=VALUE) and sizes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rumpctrl.h"
#include "dd.h"

/* Size suffixes, as GNU dd: longest match first. */
static const struct {
	const char *suffix;
	uint64_t mult;
} dd_suffixes[] = {
	{ "KiB", 1ULL << 10 }, { "MiB", 1ULL << 20 }, { "GiB", 1ULL << 30 },
	{ "TiB", 1ULL << 40 }, { "kB", 1000 }, { "KB", 1000 },
	{ "MB", 1000000 }, { "GB", 1000000000 }, { "TB", 1000000000000ULL },
	{ "c", 1 }, { "w", 2 }, { "b", 512 }, { "k", 1ULL << 10 },
	{ "K", 1ULL << 10 }, { "M", 1ULL << 20 }, { "G", 1ULL << 30 },
	{ "T", 1ULL << 40 }, { "", 1 },
};

/* One factor: digits and an optional suffix, len characters. */
static int
dd_factor(const char *s, size_t len, uint64_t *out)
{
	size_t digits = 0, i;
	uint64_t v = 0;

	while (digits < len && s[digits] >= '0' && s[digits] <= '9') {
		unsigned d = (unsigned)(s[digits] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return EINVAL;
		v = v * 10 + d;
		digits++;
	}
	if (digits == 0)
		return EINVAL;
	for (i = 0; i < sizeof(dd_suffixes) / sizeof(dd_suffixes[0]); i++) {
		const char *suf = dd_suffixes[i].suffix;

		if (strlen(suf) != len - digits ||
		    strncmp(s + digits, suf, len - digits) != 0)
			continue;
		if (v != 0 && dd_suffixes[i].mult > UINT64_MAX / v)
			return EINVAL;
		*out = v * dd_suffixes[i].mult;
		return 0;
	}
	return EINVAL;
}

/* A size: factors joined by 'x' ("2x512", "4k"); 0 or EINVAL. */
int
dd_number(const char *s, uint64_t *out)
{
	uint64_t total = 1, f;
	const char *x;

	for (;;) {
		x = strchr(s, 'x');
		if (dd_factor(s, x != NULL ? (size_t)(x - s) : strlen(s),
		    &f) != 0)
			return EINVAL;
		if (f != 0 && total > UINT64_MAX / f)
			return EINVAL;
		total *= f;
		if (x == NULL)
			break;
		s = x + 1;
	}
	*out = total;
	return 0;
}

/* conv=LIST: notrunc, fsync, fdatasync. */
static int
dd_conv(const char *list, struct dd_args *a)
{
	char *copy = ctl_strdup(list), *tok, *save = NULL;
	int rv = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "notrunc") == 0)
			a->da_notrunc = 1;
		else if (strcmp(tok, "fsync") == 0)
			a->da_fsync = 1;
		else if (strcmp(tok, "fdatasync") == 0)
			a->da_fdatasync = 1;
		else {
			ctl_warnx("invalid conversion: '%s'", tok);
			rv = EINVAL;
			break;
		}
	}
	free(copy);
	return rv;
}

/* A numeric operand; 0, or EINVAL after a message. */
static int
dd_num_operand(const char *key, const char *val, uint64_t *out)
{
	if (dd_number(val, out) != 0) {
		ctl_warnx("invalid number: '%s' (%s=)", val, key);
		return EINVAL;
	}
	return 0;
}

/* A block size operand: a number above zero. */
static int
dd_size_operand(const char *key, const char *val, uint64_t *out)
{
	if (dd_num_operand(key, val, out) != 0)
		return EINVAL;
	if (*out == 0) {
		ctl_warnx("invalid number: '%s' (%s= must be above 0)", val,
		    key);
		return EINVAL;
	}
	return 0;
}

/* One KEY=VALUE operand; 0 or EINVAL after a message. */
static int
dd_operand(char *arg, struct dd_args *a)
{
	char *val = strchr(arg, '=');
	const char *key = arg;

	if (val == NULL) {
		ctl_warnx("unrecognized operand '%s'", arg);
		return EINVAL;
	}
	*val++ = '\0';
	if (strcmp(key, "if") == 0)
		a->da_if = val;
	else if (strcmp(key, "of") == 0)
		a->da_of = val;
	else if (strcmp(key, "bs") == 0)
		return dd_size_operand(key, val, &a->da_bs);
	else if (strcmp(key, "ibs") == 0)
		return dd_size_operand(key, val, &a->da_ibs);
	else if (strcmp(key, "obs") == 0)
		return dd_size_operand(key, val, &a->da_obs);
	else if (strcmp(key, "count") == 0) {
		a->da_hascount = 1;
		return dd_num_operand(key, val, &a->da_count);
	} else if (strcmp(key, "skip") == 0)
		return dd_num_operand(key, val, &a->da_skip);
	else if (strcmp(key, "seek") == 0)
		return dd_num_operand(key, val, &a->da_seek);
	else if (strcmp(key, "conv") == 0)
		return dd_conv(val, a);
	else if (strcmp(key, "status") == 0) {
		if (strcmp(val, "none") == 0)
			a->da_status = DD_STATUS_NONE;
		else if (strcmp(val, "noxfer") == 0)
			a->da_status = DD_STATUS_NOXFER;
		else if (strcmp(val, "progress") == 0)
			a->da_status = DD_STATUS_PROGRESS;
		else {
			ctl_warnx("invalid status level: '%s'", val);
			return EINVAL;
		}
	} else {
		val[-1] = '=';
		ctl_warnx("unrecognized operand '%s'", arg);
		return EINVAL;
	}
	return 0;
}

/* All operands; block sizes checked (we don't trust them: bounded). */
int
dd_parse(int argc, char **argv, struct dd_args *a)
{
	memset(a, 0, sizeof(*a));
	a->da_status = DD_STATUS_DEFAULT;
	for (int i = 0; i < argc; i++)
		if (dd_operand(argv[i], a) != 0)
			return EINVAL;
	if (a->da_bs != 0) {
		a->da_ibs = a->da_obs = a->da_bs;
	} else {
		if (a->da_ibs == 0)
			a->da_ibs = DD_DEFBS;
		if (a->da_obs == 0)
			a->da_obs = DD_DEFBS;
	}
	if (a->da_ibs == 0 || a->da_obs == 0 || a->da_ibs > DD_MAXBS ||
	    a->da_obs > DD_MAXBS) {
		ctl_warnx("block size must be 1..%d bytes", DD_MAXBS);
		return EINVAL;
	}
	if (a->da_skip > INT64_MAX / a->da_ibs ||
	    a->da_seek > INT64_MAX / a->da_obs) {
		ctl_warnx("offset too large");
		return EINVAL;
	}
	return 0;
}
