/*
 * wire_call.c: the server's half of a system call on the wire: decode a
 * request into kernel-side buffers and arguments, and encode the reply.
 *
 * Trust boundary: the request comes from a client that may be broken or
 * hostile.  Every count and length is checked against the bytes actually
 * received, against WIRE_MAX_*, and against the scalar argument that names
 * it, before the kernel sees any pointer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static void *
zalloc(size_t n)
{
	return calloc(1, n ? n : 1);
}

/* Decode an iovec argument: data in (pointing into the frame) or empty
 * buffers out (one zeroed block, sliced). */
static int
rd_iov(struct wire_rd *r, struct wire_argstate *st, int in)
{
	uint32_t cnt = wire_rd32(r);
	uint64_t total = 0;
	char *block = NULL;

	if (r->bad || cnt > WIRE_MAX_IOV)
		return EINVAL;
	if ((st->iov = zalloc(cnt * sizeof(*st->iov))) == NULL)
		return ENOMEM;
	st->iovcnt = cnt;
	for (uint32_t j = 0; j < cnt; j++) {
		uint64_t n = wire_rd64(r);

		if (r->bad || n > WIRE_MAX_IO - total)
			return EINVAL;
		total += n;
		st->iov[j].iov_len = n;
		if (in && (st->iov[j].iov_base = (void *)(uintptr_t)
		    wire_rdbytes(r, n)) == NULL)
			return EINVAL;
	}
	st->len = total;
	if (!in) {
		if ((block = zalloc(total)) == NULL)
			return ENOMEM;
		st->ptr = block;
		for (uint32_t j = 0; j < cnt; j++) {
			st->iov[j].iov_base = block;
			block += st->iov[j].iov_len;
		}
	}
	return 0;
}

/* Decode argument i into st and the argument slot. */
static int
rd_arg(struct wire_rd *r, const struct sysdesc_arg *a, struct wire_argstate *st)
{
	const uint8_t *src;
	uint64_t n;

	switch (a->sa_kind) {
	case SD_STR:
		n = wire_rd32(r);
		if (n > WIRE_MAX_STR || (src = wire_rdbytes(r, n)) == NULL ||
		    memchr(src, '\0', n) != NULL)
			return EINVAL;
		if ((st->ptr = zalloc(n + 1)) == NULL)
			return ENOMEM;
		memcpy(st->ptr, src, n);
		st->len = n;
		return 0;
	case SD_INBUF:
		/* Input data stays in the received frame; the kernel only
		 * reads it. */
		n = wire_rd64(r);
		if (r->bad || n > WIRE_MAX_IO ||
		    (src = wire_rdbytes(r, n)) == NULL)
			return EINVAL;
		st->len = n;
		st->ref = (void *)(uintptr_t)src;
		return 0;
	case SD_INOUTBUF:
	case SD_OUTBUF:
		n = wire_rd64(r);
		if (r->bad || n > WIRE_MAX_IO)
			return EINVAL;
		st->len = n;
		if ((st->ptr = zalloc(n)) == NULL)
			return ENOMEM;
		if (a->sa_kind == SD_OUTBUF)
			return 0;
		if ((src = wire_rdbytes(r, n)) == NULL)
			return EINVAL;
		memcpy(st->ptr, src, n);
		return 0;
	case SD_IN1:
	case SD_INOUT1:
	case SD_OUT1:
		st->len = 1;
		if ((st->ptr = zalloc(a->sa_size)) == NULL)
			return ENOMEM;
		if (a->sa_kind == SD_OUT1)
			return 0;
		if ((src = wire_rdbytes(r, a->sa_size)) == NULL)
			return EINVAL;
		memcpy(st->ptr, src, a->sa_size);
		wire_struct_swap(a->sa_type, st->ptr, a->sa_size, 1);
		return 0;
	case SD_INARR:
	case SD_INOUTARR:
	case SD_OUTARR:
		n = wire_rd32(r);
		if (r->bad || n > WIRE_MAX_IO / a->sa_size)
			return EINVAL;
		st->len = n;
		if ((st->ptr = zalloc(n * a->sa_size)) == NULL)
			return ENOMEM;
		if (a->sa_kind == SD_OUTARR)
			return 0;
		if ((src = wire_rdbytes(r, n * a->sa_size)) == NULL)
			return EINVAL;
		memcpy(st->ptr, src, n * a->sa_size);
		wire_struct_swap(a->sa_type, st->ptr, a->sa_size, n);
		return 0;
	case SD_IOVIN:
	case SD_IOVOUT:
		return rd_iov(r, st, a->sa_kind == SD_IOVIN);
	}
	return EINVAL;
}

/* Every length must agree with the argument that names it. */
static int
check_lengths(struct wire_call *wc)
{
	const struct sysdesc *sd = wc->sd;

	for (int i = 0; i < sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &sd->sd_args[i];
		const struct wire_argstate *st = &wc->st[i];
		uint64_t want;

		if (a->sa_kind == SD_SCALAR || wc->args[i] == 0)
			continue;
		if (a->sa_lenarg >= 0)
			want = (uint64_t)wc->args[a->sa_lenarg];
		else if (a->sa_lenarg <= -2) {
			const struct wire_argstate *ls =
			    &wc->st[-2 - a->sa_lenarg];

			if (ls->ptr == NULL)
				continue;	/* the kernel says EFAULT */
			want = *(const uint64_t *)ls->ptr;
			/* The client caps such a buffer at WIRE_MAX_IO but
			 * sends the caller's length: the kernel must see the
			 * capacity it really has. */
			if (want > WIRE_MAX_IO && st->len == WIRE_MAX_IO) {
				*(uint64_t *)ls->ptr = WIRE_MAX_IO;
				want = WIRE_MAX_IO;
			}
		} else if (a->sa_kind == SD_INBUF || a->sa_kind == SD_OUTBUF ||
		    a->sa_kind == SD_INOUTBUF)
			want = a->sa_size;	/* fixed-size buffer */
		else if (a->sa_kind == SD_INARR || a->sa_kind == SD_OUTARR ||
		    a->sa_kind == SD_INOUTARR)
			want = 1;		/* fixed array: one block */
		else
			continue;
		if ((a->sa_kind == SD_IOVIN || a->sa_kind == SD_IOVOUT) ?
		    want != st->iovcnt : want != st->len)
			return EINVAL;
	}
	return 0;
}

int
wire_decode_request(struct wire_call *wc, int nr, const void *payload,
    size_t len)
{
	struct wire_rd r;
	int error = 0;

	memset(wc, 0, sizeof(*wc));
	wc->nr = nr;
	if (nr < 0 || nr >= sysdesc_max || sysdesc[nr].sd_name == NULL)
		return ENOSYS;
	wc->sd = &sysdesc[nr];
	wire_rd_init(&r, payload, len);
	for (int i = 0; i < wc->sd->sd_nargs && error == 0; i++) {
		const struct sysdesc_arg *a = &wc->sd->sd_args[i];
		struct wire_argstate *st = &wc->st[i];

		if (a->sa_kind == SD_SCALAR) {
			wc->args[i] = (int64_t)wire_rd64(&r);
			continue;
		}
		if (a->sa_opt) {
			uint8_t present = wire_rd8(&r);

			if (present > 1)
				error = EINVAL;
			if (present != 1)
				continue;
		}
		error = rd_arg(&r, a, st);
		wc->args[i] = (int64_t)(intptr_t)(st->iov != NULL ?
		    (void *)st->iov : st->ref != NULL ? st->ref : st->ptr);
	}
	if (error == 0 && (r.bad || r.left != 0))
		error = EINVAL;
	if (error == 0)
		error = check_lengths(wc);
	return error;
}

void
wire_call_free(struct wire_call *wc)
{
	for (int i = 0; i < 6; i++) {
		free(wc->st[i].ptr);
		free(wc->st[i].iov);
		wc->st[i].ptr = NULL;
		wc->st[i].iov = NULL;
	}
}

static void
rp_flush(struct wire_reply *rp)
{
	if (rp->wr.len > rp->seg_start) {
		rp->iov[rp->niov].iov_base = rp->buf + rp->seg_start;
		rp->iov[rp->niov].iov_len = rp->wr.len - rp->seg_start;
		rp->niov++;
		rp->seg_start = rp->wr.len;
	}
}

static void
rp_data(struct wire_reply *rp, const void *p, size_t n)
{
	if (n <= 256 && rp->wr.cap - rp->wr.len >= n + 64) {
		wire_wrbytes(&rp->wr, p, n);
		return;
	}
	rp_flush(rp);
	if (n > 0) {
		rp->iov[rp->niov].iov_base = (void *)(uintptr_t)p;
		rp->iov[rp->niov].iov_len = n;
		rp->niov++;
	}
}

/* How many bytes (or elements) of output argument i are valid. */
static uint64_t
out_length(const struct wire_call *wc, int i, int error, int64_t rv)
{
	const struct sysdesc_arg *a = &wc->sd->sd_args[i];
	uint64_t cap = wc->st[i].len;

	if (a->sa_retlen || a->sa_kind == SD_IOVOUT)
		return error || rv < 0 ? 0 : ((uint64_t)rv < cap ?
		    (uint64_t)rv : cap);
	if (a->sa_lenarg <= -2) {
		const struct wire_argstate *ls = &wc->st[-2 - a->sa_lenarg];
		uint64_t n = ls->ptr ? *(const uint64_t *)ls->ptr : 0;

		return n < cap ? n : cap;
	}
	return cap;
}

void
wire_encode_reply(const struct wire_call *wc, int error, int64_t rv,
    struct wire_reply *rp)
{
	const struct sysdesc *sd = wc->sd;

	wire_wr_init(&rp->wr, rp->buf, sizeof(rp->buf));
	rp->niov = 0;
	rp->seg_start = 0;
	wire_wr64(&rp->wr, (uint64_t)rv);
	for (int i = 0; sd != NULL && i < sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &sd->sd_args[i];
		const struct wire_argstate *st = &wc->st[i];
		uint64_t n;

		if (a->sa_kind == SD_SCALAR || wc->args[i] == 0)
			continue;
		switch (a->sa_kind) {
		case SD_OUTBUF:
		case SD_INOUTBUF:
		case SD_IOVOUT:
			n = out_length(wc, i, error, rv);
			wire_wr64(&rp->wr, n);
			rp_data(rp, st->ptr, n);
			break;
		case SD_OUT1:
		case SD_INOUT1:
			wire_struct_swap(a->sa_type, st->ptr, a->sa_size, 1);
			rp_data(rp, st->ptr, a->sa_size);
			break;
		case SD_OUTARR:
		case SD_INOUTARR:
			n = out_length(wc, i, error, rv);
			wire_wr32(&rp->wr, (uint32_t)n);
			wire_struct_swap(a->sa_type, st->ptr, a->sa_size, n);
			rp_data(rp, st->ptr, n * a->sa_size);
			break;
		default:
			break;
		}
	}
	rp_flush(rp);
	rp->total = 0;
	for (int i = 0; i < rp->niov; i++)
		rp->total += rp->iov[i].iov_len;
}
