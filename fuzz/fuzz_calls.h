/*
 * fuzz_calls.h: system call arguments for the wire fuzzers and their seed
 * generator, built from the syscall table (wire/sysdesc.h).
 *
 * fcall_init() makes the arguments a well-behaved client would pass for
 * call nr: every buffer malloc'd at exactly the size the call says (so
 * AddressSanitizer sees any byte written past one), lengths agreeing.
 * fuzz_kernel_touch() plays the kernel on the server side: it reads every
 * input and writes every output of a decoded request to its full extent.
 */
#ifndef FUZZ_FUZZ_CALLS_H
#define FUZZ_FUZZ_CALLS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "wire.h"

#define FUZZ_MAXN	8		/* largest element / vector count */
#define FUZZ_TOUCH_ALL	(64u << 10)	/* outputs up to this are filled */

struct fcall {
	int nr;
	const struct sysdesc *sd;
	int64_t args[6];
	void *mem[6];			/* buffer, string or iovec array */
	size_t memlen[6];		/* its size in bytes */
	void *vec[6][FUZZ_MAXN];	/* iovec data, one block each */
};

/* Is this kind written by the kernel (so carried in the reply)? */
static inline int
fuzz_is_output(int kind)
{
	return kind == SD_OUTBUF || kind == SD_INOUTBUF || kind == SD_OUT1 ||
	    kind == SD_INOUT1 || kind == SD_OUTARR || kind == SD_INOUTARR ||
	    kind == SD_IOVOUT;
}

/* Does call nr have any output at all? */
static inline int
fuzz_has_output(const struct sysdesc *sd)
{
	for (int i = 0; i < sd->sd_nargs; i++)
		if (fuzz_is_output(sd->sd_args[i].sa_kind))
			return 1;
	return 0;
}

/* Length of vector j of an iovec argument with n vectors. */
static inline size_t
fuzz_veclen(int j)
{
	return (size_t)(j * 5 + 3) % 11;
}

/* Bytes or elements argument a gets for count n. */
static inline size_t
fcall_count(const struct sysdesc_arg *a, size_t n)
{
	switch (a->sa_kind) {
	case SD_INBUF:
	case SD_OUTBUF:
	case SD_INOUTBUF:
		return a->sa_lenarg == -1 ? a->sa_size : n;
	case SD_INARR:
	case SD_OUTARR:
	case SD_INOUTARR:
		return a->sa_lenarg == -1 ? 1 : n;
	default:
		return n;
	}
}

/* Allocate pointer argument i of tc with count n. */
static inline void
fcall_alloc(struct fcall *tc, int i, size_t n)
{
	const struct sysdesc_arg *a = &tc->sd->sd_args[i];
	size_t len;
	uint8_t *p;

	switch (a->sa_kind) {
	case SD_STR:
		len = 16;
		p = malloc(len);
		snprintf((char *)p, len, "/fz/%d.%d", tc->nr % 1000, i);
		break;
	case SD_IOVIN:
	case SD_IOVOUT: {
		struct iovec *iov = calloc(n ? n : 1, sizeof(*iov));

		for (size_t j = 0; j < n; j++) {
			iov[j].iov_len = fuzz_veclen((int)j);
			iov[j].iov_base = tc->vec[i][j] =
			    malloc(iov[j].iov_len);
			memset(iov[j].iov_base, 'v', iov[j].iov_len);
		}
		tc->mem[i] = iov;
		tc->memlen[i] = n * sizeof(*iov);
		tc->args[i] = (int64_t)(intptr_t)iov;
		return;
	}
	case SD_IN1:
	case SD_OUT1:
	case SD_INOUT1:
		len = a->sa_size;
		p = malloc(len);
		break;
	default:
		len = fcall_count(a, n);
		if (a->sa_kind == SD_INARR || a->sa_kind == SD_OUTARR ||
		    a->sa_kind == SD_INOUTARR)
			len *= a->sa_size;
		p = malloc(len);
		break;
	}
	if (a->sa_kind != SD_STR)
		for (size_t k = 0; k < len; k++)
			p[k] = (uint8_t)(i * 17 + k);
	tc->mem[i] = p;
	tc->memlen[i] = len;
	tc->args[i] = (int64_t)(intptr_t)p;
}

/*
 * Arguments for call nr with counts n (n <= FUZZ_MAXN): optional pointers
 * NULL when nullopt, every length argument agreeing.
 */
static inline void
fcall_init(struct fcall *tc, int nr, size_t n, int nullopt)
{
	memset(tc, 0, sizeof(*tc));
	tc->nr = nr;
	tc->sd = &sysdesc[nr];
	for (int i = 0; i < tc->sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &tc->sd->sd_args[i];

		if (a->sa_kind == SD_SCALAR)
			tc->args[i] = 3 + i;
		else if (!(nullopt && a->sa_opt))
			fcall_alloc(tc, i, n);
	}
	for (int i = 0; i < tc->sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &tc->sd->sd_args[i];
		int j = a->sa_lenarg;

		if (a->sa_kind == SD_SCALAR || a->sa_kind == SD_STR || j == -1)
			continue;
		if (j >= 0)
			tc->args[j] = (int64_t)fcall_count(a, n);
		else if (tc->mem[-2 - j] != NULL)
			*(uint64_t *)tc->mem[-2 - j] = fcall_count(a, n);
	}
}

/* Release what fcall_init() allocated. */
static inline void
fcall_free(struct fcall *tc)
{
	for (int i = 0; i < 6; i++) {
		free(tc->mem[i]);
		for (int j = 0; j < FUZZ_MAXN; j++)
			free(tc->vec[i][j]);
	}
}

/* Bytes of iovecs in one malloc'd block. */
static inline uint8_t *
fuzz_flatten(const struct iovec *iov, int niov, size_t *lenp)
{
	size_t n = 0, off = 0;
	uint8_t *b;

	for (int i = 0; i < niov; i++)
		n += iov[i].iov_len;
	b = malloc(n ? n : 1);
	for (int i = 0; i < niov; i++) {
		memcpy(b + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	*lenp = n;
	return b;
}

/* Read n bytes at p and write them when w; small ranges completely,
 * large ones at both ends (their extent is what matters). */
static inline unsigned
fuzz_touch(void *p, size_t n, int w)
{
	volatile uint8_t *b = p;
	unsigned sum = 0;

	if (n == 0)
		return 0;
	if (n <= FUZZ_TOUCH_ALL) {
		for (size_t k = 0; k < n; k++) {
			sum += b[k];
			if (w)
				b[k] = (uint8_t)(k * 3 + 1);
		}
		return sum;
	}
	sum = b[0] + b[n / 2] + b[n - 1];
	if (w)
		b[0] = b[n / 2] = b[n - 1] = 0x5a;
	return sum;
}

/* What the kernel may do with a decoded request: read every input and
 * write every output as far as its length says. */
static inline unsigned
fuzz_kernel_touch(const struct wire_call *wc)
{
	unsigned sum = 0;

	for (int i = 0; i < wc->sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &wc->sd->sd_args[i];
		const struct wire_argstate *st = &wc->st[i];
		void *p = (void *)(intptr_t)wc->args[i];
		int w = fuzz_is_output(a->sa_kind);

		if (a->sa_kind == SD_SCALAR || p == NULL)
			continue;
		switch (a->sa_kind) {
		case SD_STR:
			sum += fuzz_touch(p, st->len + 1, 0);	/* with NUL */
			break;
		case SD_INBUF:
		case SD_OUTBUF:
		case SD_INOUTBUF:
			sum += fuzz_touch(p, st->len, w);
			break;
		case SD_IN1:
		case SD_OUT1:
		case SD_INOUT1:
			sum += fuzz_touch(p, a->sa_size, w);
			break;
		case SD_INARR:
		case SD_OUTARR:
		case SD_INOUTARR:
			sum += fuzz_touch(p, st->len * a->sa_size, w);
			break;
		case SD_IOVIN:
		case SD_IOVOUT: {
			struct kiovec *kv = p;

			for (uint32_t j = 0; j < st->iovcnt; j++)
				sum += fuzz_touch(kv[j].iov_base,
				    kv[j].iov_len, w);
			break;
		}
		}
	}
	return sum;
}

#endif /* FUZZ_FUZZ_CALLS_H */
