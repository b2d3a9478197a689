/*
 * wire_req.c: the client's half of a system call on the wire: encode the
 * request from the caller's arguments, and copy a reply's outputs back.
 * The reply comes from the server, which the client does not trust with
 * its memory: no output is copied beyond the buffer the caller gave.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
/* Structures are sent from the caller's memory as they are, which is wire
 * order only on a little-endian host. */
#error "wire_req.c: big-endian hosts need structures copied and swapped"
#endif

/* Capacities as sent: the caller's lengths capped at WIRE_MAX_IO. */
struct wire_caps {
	uint64_t len[6];	/* bytes or element counts per argument */
};

static int
is_ptr_kind(int kind)
{
	return kind != SD_SCALAR;
}

/* Length or count of argument i, as the caller's arguments say. */
static uint64_t
arg_length(const struct sysdesc *sd, const int64_t *args, int i)
{
	const struct sysdesc_arg *a = &sd->sd_args[i];

	if (a->sa_lenarg >= 0)
		return (uint64_t)args[a->sa_lenarg];
	if (a->sa_lenarg <= -2) {
		const uint64_t *lp = (const uint64_t *)(intptr_t)
		    args[-2 - a->sa_lenarg];

		return lp != NULL ? *lp : 0;
	}
	if (a->sa_kind == SD_INBUF || a->sa_kind == SD_OUTBUF ||
	    a->sa_kind == SD_INOUTBUF)
		return a->sa_size;		/* fixed-size buffer */
	return 1;
}

/* Compute what the request carries for each argument. */
static void
wire_caps_compute(const struct sysdesc *sd, const int64_t *args,
    struct wire_caps *c)
{
	for (int i = 0; i < sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &sd->sd_args[i];
		uint64_t n = arg_length(sd, args, i);

		if (a->sa_kind == SD_INBUF || a->sa_kind == SD_OUTBUF ||
		    a->sa_kind == SD_INOUTBUF)
			n = n > WIRE_MAX_IO ? WIRE_MAX_IO : n;
		c->len[i] = n;
	}
}

/* Close the current run of small fields in buf as an iovec. */
static int
rq_flush(struct wire_req *rq)
{
	if (rq->wr.len > rq->seg_start) {
		if (rq->niov == rq->iovcap)
			return E2BIG;
		rq->iov[rq->niov].iov_base = rq->buf + rq->seg_start;
		rq->iov[rq->niov].iov_len = rq->wr.len - rq->seg_start;
		rq->niov++;
		rq->seg_start = rq->wr.len;
	}
	return 0;
}

/* Send n bytes at p: copied when small, referenced when large. */
static int
rq_data(struct wire_req *rq, const void *p, size_t n)
{
	int error;

	if (n <= 128 && rq->wr.cap - rq->wr.len >= n + 256) {
		wire_wrbytes(&rq->wr, p, n);
		return 0;
	}
	if ((error = rq_flush(rq)) != 0)
		return error;
	if (n == 0)
		return 0;
	if (rq->niov == rq->iovcap)
		return E2BIG;
	rq->iov[rq->niov].iov_base = (void *)(uintptr_t)p;
	rq->iov[rq->niov].iov_len = n;
	rq->niov++;
	return 0;
}

/* Encode one iovec argument (data in or capacities out). */
static int
rq_iov(struct wire_req *rq, const struct iovec *iov, int64_t cnt, int in)
{
	uint64_t total = 0;
	int error;

	if (cnt < 0 || cnt > (int64_t)WIRE_MAX_IOV)
		return EINVAL;
	wire_wr32(&rq->wr, (uint32_t)cnt);
	for (int64_t j = 0; j < cnt; j++) {
		uint64_t n = iov[j].iov_len;

		if (n > WIRE_MAX_IO - total)	/* short transfer, as allowed */
			n = WIRE_MAX_IO - total;
		total += n;
		wire_wr64(&rq->wr, n);
		if (in && (error = rq_data(rq, iov[j].iov_base, n)) != 0)
			return error;
		if (rq->wr.overflow)
			return E2BIG;
	}
	return 0;
}

/* Encode argument i. */
static int
rq_arg(struct wire_req *rq, const struct sysdesc_arg *a, const int64_t *args,
    int i, const struct wire_caps *c)
{
	const void *p = (const void *)(intptr_t)args[i];
	uint64_t n = c->len[i];
	size_t slen;

	switch (a->sa_kind) {
	case SD_SCALAR:
		wire_wr64(&rq->wr, (uint64_t)args[i]);
		return 0;
	case SD_STR:
		slen = strnlen(p, WIRE_MAX_STR + 1);
		if (slen > WIRE_MAX_STR)
			return ENAMETOOLONG;
		wire_wr32(&rq->wr, (uint32_t)slen);
		return rq_data(rq, p, slen);
	case SD_INBUF:
	case SD_INOUTBUF:
		wire_wr64(&rq->wr, n);
		return rq_data(rq, p, n);
	case SD_OUTBUF:
		wire_wr64(&rq->wr, n);
		return 0;
	case SD_IN1:
	case SD_INOUT1:
		return rq_data(rq, p, a->sa_size);
	case SD_OUT1:
		return 0;
	case SD_INARR:
	case SD_INOUTARR:
	case SD_OUTARR:
		if (n > WIRE_MAX_IO / (a->sa_size ? a->sa_size : 1))
			return EINVAL;
		wire_wr32(&rq->wr, (uint32_t)n);
		if (a->sa_kind == SD_OUTARR)
			return 0;
		return rq_data(rq, p, n * a->sa_size);
	case SD_IOVIN:
	case SD_IOVOUT:
		return rq_iov(rq, p, args[a->sa_lenarg],
		    a->sa_kind == SD_IOVIN);
	}
	return EINVAL;
}

/*
 * Room for the request: the inline storage, or, for iovec arguments with
 * many vectors, allocations sized for the worst case (per vector: its
 * length, a copied small piece, two iovecs).
 */
static int
rq_size(struct wire_req *rq, const struct sysdesc *sd, const int64_t *args)
{
	uint64_t vecs = 0;

	rq->buf = rq->inline_buf;
	rq->bufcap = sizeof(rq->inline_buf);
	rq->iov = rq->inline_iov;
	rq->iovcap = WIRE_REQ_IOV;
	for (int i = 0; i < sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &sd->sd_args[i];

		if (a->sa_kind == SD_IOVIN || a->sa_kind == SD_IOVOUT) {
			int64_t cnt = args[a->sa_lenarg];

			if (cnt < 0 || cnt > (int64_t)WIRE_MAX_IOV)
				return EINVAL;
			vecs += (uint64_t)cnt;
		}
	}
	if (vecs <= 8)
		return 0;
	rq->bufcap = sizeof(rq->inline_buf) + vecs * (8 + 128 + 16);
	rq->iovcap = WIRE_REQ_IOV + 2 * (int)vecs;
	rq->buf = malloc(rq->bufcap);
	rq->iov = malloc((size_t)rq->iovcap * sizeof(*rq->iov));
	if (rq->buf == NULL || rq->iov == NULL) {
		wire_req_free(rq);
		return ENOMEM;
	}
	return 0;
}

void
wire_req_free(struct wire_req *rq)
{
	if (rq->buf != rq->inline_buf)
		free(rq->buf);
	if (rq->iov != rq->inline_iov)
		free(rq->iov);
	rq->buf = rq->inline_buf;
	rq->iov = rq->inline_iov;
}

static int
encode_request(struct wire_req *rq, int nr, const int64_t *args,
    uint64_t tag)
{
	const struct sysdesc *sd;
	struct wire_caps caps;
	struct wire_hdr h;
	int64_t a[6];
	int error;

	if (nr < 0 || nr >= sysdesc_max || sysdesc[nr].sd_name == NULL)
		return ENOSYS;
	sd = &sysdesc[nr];
	memcpy(a, args, sizeof(a));
	wire_caps_compute(sd, a, &caps);
	/* Capped buffer lengths travel in their length arguments too. */
	for (int i = 0; i < sd->sd_nargs; i++)
		if (sd->sd_args[i].sa_lenarg >= 0 &&
		    sd->sd_args[i].sa_kind <= SD_INOUTBUF)
			a[sd->sd_args[i].sa_lenarg] = (int64_t)caps.len[i];
	if ((error = rq_size(rq, sd, a)) != 0)
		return error;
	wire_wr_init(&rq->wr, rq->buf, rq->bufcap);
	rq->niov = 0;
	rq->seg_start = 0;
	wire_wrbytes(&rq->wr, rq->buf, WIRE_HDRLEN);	/* header, filled below */
	for (int i = 0; i < sd->sd_nargs; i++) {
		const struct sysdesc_arg *sa = &sd->sd_args[i];

		if (is_ptr_kind(sa->sa_kind)) {
			int present = a[i] != 0;

			if (sa->sa_opt)
				wire_wr8(&rq->wr, (uint8_t)present);
			if (!present) {
				if (sa->sa_opt)
					continue;
				return EFAULT;
			}
		}
		if ((error = rq_arg(rq, sa, a, i, &caps)) != 0)
			return error;
		if (rq->wr.overflow)
			return E2BIG;
	}
	if ((error = rq_flush(rq)) != 0)
		return error;
	rq->total = 0;
	for (int i = 0; i < rq->niov; i++)
		rq->total += rq->iov[i].iov_len;
	if (rq->total > WIRE_MAX_FRAME)
		return E2BIG;
	h = (struct wire_hdr){ .len = (uint32_t)rq->total, .type = WIRE_SYSCALL,
	    .tag = tag, .num = (uint32_t)nr };
	wire_hdr_encode(rq->buf, &h);
	return 0;
}

int
wire_encode_request(struct wire_req *rq, int nr, const int64_t *args,
    uint64_t tag)
{
	int error;

	rq->buf = rq->inline_buf;
	rq->iov = rq->inline_iov;
	if ((error = encode_request(rq, nr, args, tag)) != 0)
		wire_req_free(rq);
	return error;
}

/* Copy one output of the reply into the caller's buffer. */
static int
rp_arg(struct wire_rd *r, const struct sysdesc_arg *a, const int64_t *args,
    int i, const struct wire_caps *c)
{
	void *p = (void *)(intptr_t)args[i];
	const uint8_t *src;
	uint64_t n;

	switch (a->sa_kind) {
	case SD_OUTBUF:
	case SD_INOUTBUF:
		n = wire_rd64(r);
		if (n > c->len[i] || (src = wire_rdbytes(r, n)) == NULL)
			return EPROTO;
		memcpy(p, src, n);
		return 0;
	case SD_OUT1:
	case SD_INOUT1:
		if ((src = wire_rdbytes(r, a->sa_size)) == NULL)
			return EPROTO;
		memcpy(p, src, a->sa_size);
		wire_struct_swap(a->sa_type, p, a->sa_size, 1);
		return 0;
	case SD_OUTARR:
	case SD_INOUTARR:
		n = wire_rd32(r);
		if (n > c->len[i] ||
		    (src = wire_rdbytes(r, n * a->sa_size)) == NULL)
			return EPROTO;
		memcpy(p, src, n * a->sa_size);
		wire_struct_swap(a->sa_type, p, a->sa_size, n);
		return 0;
	case SD_IOVOUT: {
		const struct iovec *iov = p;
		int64_t cnt = args[a->sa_lenarg];
		uint64_t total = wire_rd64(r), cap = 0;

		for (int64_t j = 0; j < cnt; j++)
			cap += iov[j].iov_len;
		if (total > cap || total > WIRE_MAX_IO ||
		    (src = wire_rdbytes(r, total)) == NULL)
			return EPROTO;
		for (int64_t j = 0; j < cnt && total > 0; j++) {
			size_t k = iov[j].iov_len < total ? iov[j].iov_len :
			    (size_t)total;

			memcpy(iov[j].iov_base, src, k);
			src += k;
			total -= k;
		}
		return 0;
	}
	default:
		return 0;	/* inputs have nothing in the reply */
	}
}

int
wire_decode_reply(int nr, const int64_t *args, const void *payload,
    size_t len, int64_t *rv)
{
	const struct sysdesc *sd = &sysdesc[nr];
	struct wire_caps caps;
	struct wire_rd r;
	int error;

	wire_caps_compute(sd, args, &caps);
	wire_rd_init(&r, payload, len);
	*rv = (int64_t)wire_rd64(&r);
	for (int i = 0; i < sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &sd->sd_args[i];

		if (is_ptr_kind(a->sa_kind) && args[i] == 0)
			continue;
		if ((error = rp_arg(&r, a, args, i, &caps)) != 0)
			return error;
	}
	if (r.bad || r.left != 0)
		return EPROTO;
	return 0;
}
