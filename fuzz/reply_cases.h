/*
 * reply_cases.h: the fixed set of requests whose replies wire_reply_fuzz
 * feeds to the client (shared with the seed generator): every call of the
 * table with an output, with counts 0, 1 and 7, and once more with its
 * optional pointers NULL.  A selector byte picks one, modulo the count.
 */
#ifndef FUZZ_REPLY_CASES_H
#define FUZZ_REPLY_CASES_H

#include "fuzz_calls.h"

struct reply_case {
	int	rc_nr;
	size_t	rc_n;
	int	rc_nullopt;
};

static const size_t reply_case_counts[] = { 0, 1, 7 };
#define REPLY_NCOUNTS \
	(sizeof(reply_case_counts) / sizeof(reply_case_counts[0]))

/* Does call sd have an optional pointer? */
static inline int
reply_has_opt(const struct sysdesc *sd)
{
	for (int i = 0; i < sd->sd_nargs; i++)
		if (sd->sd_args[i].sa_opt)
			return 1;
	return 0;
}

/* Case number k (0 <= k), or -1 past the last: fills *rc. */
static inline int
reply_case_nth(int k, struct reply_case *rc)
{
	for (int nr = 0; nr < sysdesc_max; nr++) {
		const struct sysdesc *sd = &sysdesc[nr];
		int here;

		if (sd->sd_name == NULL || !fuzz_has_output(sd))
			continue;
		here = (int)REPLY_NCOUNTS + reply_has_opt(sd);
		if (k < here) {
			rc->rc_nr = nr;
			rc->rc_nullopt = k == (int)REPLY_NCOUNTS;
			rc->rc_n = rc->rc_nullopt ? 1 : reply_case_counts[k];
			return 0;
		}
		k -= here;
	}
	return -1;
}

/* How many cases there are. */
static inline int
reply_case_count(void)
{
	struct reply_case rc;
	int n = 0;

	while (reply_case_nth(n, &rc) == 0)
		n++;
	return n;
}

/* The case selector byte sel picks; 0 if there are none. */
static inline int
reply_case_get(unsigned sel, struct reply_case *rc)
{
	static int count = -1;

	if (count < 0)
		count = reply_case_count();
	if (count == 0)
		return 0;
	return reply_case_nth((int)(sel % (unsigned)count), rc) == 0;
}

#endif /* FUZZ_REPLY_CASES_H */
