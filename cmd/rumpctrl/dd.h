/*
 * dd.h: rump.dd's pieces: operands (dd_args.c) and the copy (dd.c).
 */
#ifndef RUMPCTRL_DD_H
#define RUMPCTRL_DD_H

#include <stdint.h>

#define DD_DEFBS	512
#define DD_MAXBS	(64 << 20)	/* largest block we allocate */

enum dd_status {
	DD_STATUS_DEFAULT, DD_STATUS_NOXFER, DD_STATUS_NONE,
	DD_STATUS_PROGRESS
};

struct dd_args {
	const char *da_if, *da_of;	/* kernel paths; NULL: host stdio */
	uint64_t da_bs, da_ibs, da_obs;
	uint64_t da_count, da_skip, da_seek;
	int da_hascount;
	int da_notrunc, da_fsync, da_fdatasync;
	enum dd_status da_status;
};

/* Parse a size with suffixes ("4k", "2x512"); 0 or EINVAL. */
int dd_number(const char *s, uint64_t *out);
/* Parse the operands into a; 0, or EINVAL after a message. */
int dd_parse(int argc, char **argv, struct dd_args *a);

#endif
