/*
 * ctl_mode.c: chmod(1)-style mode specifications, for chmod and mkdir -m.
 *
 *	755             octal, at most 07777
 *	u+x,go-w        [ugoa]*([+-=]([rwxXst]*|[ugo]))+ separated by ','
 *
 * Without a who letter the change applies to all and the umask removes
 * bits from what is added, as POSIX chmod says.
 */
#include <errno.h>
#include <string.h>

#include "rumpctrl.h"

#define CTL_WHO_U	(S_ISUID | S_IRWXU)
#define CTL_WHO_G	(S_ISGID | S_IRWXG)
#define CTL_WHO_O	(S_ISVTX | S_IRWXO)
#define CTL_WHO_A	(CTL_WHO_U | CTL_WHO_G | CTL_WHO_O)

/* Octal mode: digits 0-7 only, value at most 07777. */
static int
ctl_mode_octal(const char *s, mode_t *out)
{
	mode_t v = 0;

	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '7')
			return EINVAL;
		v = (mode_t)(v * 8 + (mode_t)(*s - '0'));
		if (v > 07777)
			return EINVAL;
	}
	*out = v;
	return 0;
}

/* The permission letters after an operator, as bits for all classes. */
static mode_t
ctl_mode_perms(const char **sp, mode_t cur, int isdir)
{
	const char *s = *sp;
	mode_t perm = 0, bits;

	if (*s == 'u' || *s == 'g' || *s == 'o') {
		/* Copy one class's current rwx bits to the others. */
		bits = *s == 'u' ? (cur >> 6) & 7 :
		    *s == 'g' ? (cur >> 3) & 7 : cur & 7;
		*sp = s + 1;
		return bits * 0111;
	}
	for (;; s++) {
		switch (*s) {
		case 'r': perm |= 0444; continue;
		case 'w': perm |= 0222; continue;
		case 'x': perm |= 0111; continue;
		case 'X':
			if (isdir || (cur & 0111))
				perm |= 0111;
			continue;
		case 's': perm |= S_ISUID | S_ISGID; continue;
		case 't': perm |= S_ISVTX; continue;
		}
		break;
	}
	*sp = s;
	return perm;
}

/* Apply one clause ("go-w", "a=rx+t") to *mode; 0 or EINVAL. */
static int
ctl_mode_clause(const char **sp, mode_t umask, int isdir, mode_t *mode)
{
	const char *s = *sp;
	mode_t who = 0, eff, perm;

	for (;; s++) {
		if (*s == 'u') who |= CTL_WHO_U;
		else if (*s == 'g') who |= CTL_WHO_G;
		else if (*s == 'o') who |= CTL_WHO_O;
		else if (*s == 'a') who |= CTL_WHO_A;
		else break;
	}
	if (*s != '+' && *s != '-' && *s != '=')
		return EINVAL;
	eff = who != 0 ? who : CTL_WHO_A;
	while (*s == '+' || *s == '-' || *s == '=') {
		char op = *s++;

		perm = ctl_mode_perms(&s, *mode, isdir) & eff;
		if (who == 0)
			perm &= ~umask;
		if (op == '+')
			*mode |= perm;
		else if (op == '-')
			*mode &= ~perm;
		else
			*mode = (*mode & ~eff) | perm;
	}
	*sp = s;
	return 0;
}

/* Parse spec against the current mode old; 0 or EINVAL. */
int
ctl_mode_parse(const char *spec, mode_t old, mode_t umask, int isdir,
    mode_t *out)
{
	const char *s = spec;
	mode_t mode = old & 07777;
	int error;

	if (spec == NULL || *spec == '\0')
		return EINVAL;
	if (*spec >= '0' && *spec <= '7')
		return ctl_mode_octal(spec, out);
	for (;;) {
		if ((error = ctl_mode_clause(&s, umask, isdir, &mode)) != 0)
			return error;
		if (*s == '\0')
			break;
		if (*s++ != ',')
			return EINVAL;
	}
	*out = mode;
	return 0;
}
