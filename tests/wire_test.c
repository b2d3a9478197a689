/*
 * wire_test.c: unit tests of the wire format (wire/, doc/protocol.md),
 * both ends in one process, no server: frame headers, the bounded reader
 * and writer, request and reply round trips for every system call of the
 * table (so every argument kind it uses), and the rejection of malformed
 * requests (server side) and replies (client side).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "testlib.h"
#include "wire.h"

#define T_NBYTES	37	/* byte buffers in the generic calls */
#define T_NELEMS	3	/* array elements */
#define T_NIOV		3	/* iovecs: lengths below */
#define T_OUTFILL	0xee	/* client output buffers before a reply */
static const size_t t_iovlen[T_NIOV] = { 5, 0, 11 };

/* A system call's arguments as a client passes them, with the memory. */
struct tcall {
	int nr;
	const struct sysdesc *sd;
	int64_t args[6];
	void *mem[6];		/* buffer (or iovec array) of argument i */
	size_t memlen[6];	/* its size in bytes */
	void *iovdata[6];	/* data of an iovec argument */
};

/* The bytes of iovecs in one malloc'd block. */
static uint8_t *
flatten(const struct iovec *iov, int niov, size_t *lenp)
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

/* Byte k of the input pattern of argument i. */
static uint8_t
pat(int i, size_t k)
{
	return (uint8_t)(i * 31 + k * 7 + 1);
}

/* Byte k of what the "kernel" writes into output argument i. */
static uint8_t
kpat(int i, size_t k)
{
	return (uint8_t)(0x80 + i * 13 + k * 5);
}

/* Kinds by shape: byte buffers, arrays, iovecs, and the written ones. */
static int
is_bytes(int kind)
{
	return kind == SD_INBUF || kind == SD_OUTBUF || kind == SD_INOUTBUF;
}

static int
is_array(int kind)
{
	return kind == SD_INARR || kind == SD_OUTARR || kind == SD_INOUTARR;
}

static int
is_iov(int kind)
{
	return kind == SD_IOVIN || kind == SD_IOVOUT;
}

static int
is_output(int kind)
{
	return kind == SD_OUTBUF || kind == SD_INOUTBUF || kind == SD_OUT1 ||
	    kind == SD_INOUT1 || kind == SD_OUTARR || kind == SD_INOUTARR ||
	    kind == SD_IOVOUT;
}

/* Bytes (or elements) argument a of the generic call has. */
static size_t
tcall_count(const struct sysdesc_arg *a)
{
	if (is_bytes(a->sa_kind))
		return a->sa_lenarg == -1 ? a->sa_size : T_NBYTES;
	if (is_array(a->sa_kind))
		return a->sa_lenarg == -1 ? 1 : T_NELEMS;
	if (is_iov(a->sa_kind))
		return T_NIOV;
	return 1;
}

/* Allocate and fill the client-side memory of pointer argument i. */
static void
tcall_alloc(struct tcall *tc, int i)
{
	const struct sysdesc_arg *a = &tc->sd->sd_args[i];
	size_t n = tcall_count(a), fill;
	uint8_t *p;

	if (a->sa_kind == SD_STR) {
		char *s = malloc(32);

		snprintf(s, 32, "/path/%d/arg%d", tc->nr, i);
		tc->mem[i] = s;
		tc->memlen[i] = strlen(s) + 1;
		tc->args[i] = (int64_t)(intptr_t)s;
		return;
	}
	if (is_iov(a->sa_kind)) {
		struct iovec *iov = calloc(T_NIOV, sizeof(*iov));
		size_t off = 0;

		p = malloc(64);
		for (size_t k = 0; k < 64; k++)
			p[k] = a->sa_kind == SD_IOVIN ? pat(i, k) : T_OUTFILL;
		for (int j = 0; j < T_NIOV; j++) {
			iov[j].iov_base = p + off;
			iov[j].iov_len = t_iovlen[j];
			off += t_iovlen[j];
		}
		tc->iovdata[i] = p;
		tc->mem[i] = iov;
		tc->memlen[i] = off;
		tc->args[i] = (int64_t)(intptr_t)iov;
		return;
	}
	fill = is_bytes(a->sa_kind) ? n : n * a->sa_size;
	p = malloc(fill ? fill : 1);
	for (size_t k = 0; k < fill; k++)
		p[k] = is_output(a->sa_kind) && a->sa_kind != SD_INOUTBUF &&
		    a->sa_kind != SD_INOUT1 && a->sa_kind != SD_INOUTARR ?
		    T_OUTFILL : pat(i, k);
	tc->mem[i] = p;
	tc->memlen[i] = fill;
	tc->args[i] = (int64_t)(intptr_t)p;
}

/*
 * Arguments for call nr as a well-behaved client would pass them: every
 * pointer present (optional ones NULL with nullopt), lengths agreeing.
 */
static void
tcall_init(struct tcall *tc, int nr, int nullopt)
{
	memset(tc, 0, sizeof(*tc));
	tc->nr = nr;
	tc->sd = &sysdesc[nr];
	for (int i = 0; i < tc->sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &tc->sd->sd_args[i];

		if (a->sa_kind == SD_SCALAR)
			tc->args[i] = (int64_t)0x1122334455667700 - i * 3 - 1;
		else if (!(nullopt && a->sa_opt))
			tcall_alloc(tc, i);
	}
	/* Length arguments name the lengths chosen above. */
	for (int i = 0; i < tc->sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &tc->sd->sd_args[i];
		int j = a->sa_lenarg;

		if (a->sa_kind == SD_SCALAR || a->sa_kind == SD_STR || j == -1)
			continue;
		if (j >= 0)
			tc->args[j] = (int64_t)tcall_count(a);
		else if (tc->mem[-2 - j] != NULL)
			*(uint64_t *)tc->mem[-2 - j] = tcall_count(a);
	}
}

/* Release what tcall_init() allocated. */
static void
tcall_free(struct tcall *tc)
{
	for (int i = 0; i < 6; i++) {
		free(tc->mem[i]);
		free(tc->iovdata[i]);
	}
}

/* Encode tc as a SYSCALL frame; the whole frame, malloc'd. */
static uint8_t *
tcall_encode(const struct tcall *tc, uint64_t tag, size_t *lenp)
{
	struct wire_req rq;
	uint8_t *f;
	int error;

	error = wire_encode_request(&rq, tc->nr, tc->args, tag);
	CHECK_EQ(error, 0);
	if (error != 0)
		return NULL;
	f = flatten(rq.iov, rq.niov, lenp);
	CHECK_EQ(*lenp, rq.total);
	return f;
}

/* Check what the server decoded against what the client passed. */
static void
check_decoded(const struct tcall *tc, const struct wire_call *wc)
{
	for (int i = 0; i < tc->sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &tc->sd->sd_args[i];
		const struct wire_argstate *st = &wc->st[i];
		const void *kp = (const void *)(intptr_t)wc->args[i];

		if (a->sa_kind == SD_SCALAR) {
			CHECK_EQ(wc->args[i], tc->args[i]);
			continue;
		}
		if (tc->mem[i] == NULL) {
			CHECK_EQ(wc->args[i], 0);	/* NULL travels */
			continue;
		}
		CHECK(kp != NULL);
		if (kp == NULL)
			continue;
		switch (a->sa_kind) {
		case SD_STR:
			CHECK_STR((const char *)kp, (const char *)tc->mem[i]);
			break;
		case SD_INBUF:
		case SD_INOUTBUF:
		case SD_IN1:
		case SD_INOUT1:
			CHECK(memcmp(kp, tc->mem[i], tc->memlen[i]) == 0);
			break;
		case SD_INARR:
		case SD_INOUTARR:
			CHECK_EQ(st->len, tcall_count(a));
			CHECK(memcmp(kp, tc->mem[i], tc->memlen[i]) == 0);
			break;
		case SD_OUTBUF:
		case SD_OUTARR:
			CHECK_EQ(st->len, tcall_count(a));
			break;
		case SD_IOVIN:
		case SD_IOVOUT: {
			const struct kiovec *kv = kp;
			size_t off = 0;

			CHECK_EQ(st->iovcnt, T_NIOV);
			for (int j = 0; j < T_NIOV && st->iovcnt == T_NIOV;
			    j++) {
				CHECK_EQ(kv[j].iov_len, t_iovlen[j]);
				if (a->sa_kind == SD_IOVIN)
					CHECK(memcmp(kv[j].iov_base,
					    (uint8_t *)tc->iovdata[i] + off,
					    t_iovlen[j]) == 0);
				off += t_iovlen[j];
			}
			break;
		}
		}
	}
}

/* What a kernel does: fill every output completely. */
static void
kernel_fill(const struct wire_call *wc)
{
	const struct sysdesc *sd = wc->sd;

	for (int i = 0; i < sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &sd->sd_args[i];
		const struct wire_argstate *st = &wc->st[i];
		uint8_t *p = (uint8_t *)(intptr_t)wc->args[i];
		size_t n = 0;

		if (!is_output(a->sa_kind) || p == NULL)
			continue;
		if (is_iov(a->sa_kind)) {
			const struct kiovec *kv = (const void *)p;
			size_t off = 0;

			for (uint32_t j = 0; j < st->iovcnt; j++)
				for (uint64_t k = 0; k < kv[j].iov_len; k++)
					((uint8_t *)kv[j].iov_base)[k] =
					    kpat(i, off++);
			continue;
		}
		if (is_bytes(a->sa_kind))
			n = st->len;
		else if (is_array(a->sa_kind))
			n = st->len * a->sa_size;
		else
			n = a->sa_size;
		for (size_t k = 0; k < n; k++)
			p[k] = kpat(i, k);
	}
}

/* The valid output length (bytes or elements) of argument i. */
static size_t
expect_valid(const struct tcall *tc, int i, int error, int64_t rv,
    uint64_t newlen)
{
	const struct sysdesc_arg *a = &tc->sd->sd_args[i];
	size_t cap = is_iov(a->sa_kind) ? tc->memlen[i] : tcall_count(a);

	if (a->sa_retlen || a->sa_kind == SD_IOVOUT)
		return error ? 0 : (size_t)rv < cap ? (size_t)rv : cap;
	if (a->sa_lenarg <= -2)
		return newlen < cap ? newlen : cap;
	return cap;
}

/* Is argument i the length another argument's @out(*N) points to? */
static int
is_pointed_length(const struct sysdesc *sd, int i)
{
	for (int j = 0; j < sd->sd_nargs; j++)
		if (sd->sd_args[j].sa_lenarg == -2 - i)
			return 1;
	return 0;
}

/* Check the client's buffers after the reply was decoded. */
static void
check_outputs(const struct tcall *tc, int error, int64_t rv, uint64_t newlen)
{
	for (int i = 0; i < tc->sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &tc->sd->sd_args[i];
		const uint8_t *p = tc->mem[i];
		size_t valid, unit = 1, total = tc->memlen[i];

		if (!is_output(a->sa_kind) || p == NULL)
			continue;
		if (is_iov(a->sa_kind))
			p = tc->iovdata[i];
		valid = expect_valid(tc, i, error, rv, newlen);
		if (is_array(a->sa_kind))
			unit = a->sa_size;
		else if (a->sa_kind == SD_OUT1 || a->sa_kind == SD_INOUT1)
			unit = a->sa_size, valid = 1;
		if (is_pointed_length(tc->sd, i)) {
			/* a length the kernel set (roundtrip) */
			CHECK_EQ(*(const uint64_t *)p, newlen);
			continue;
		}
		for (size_t k = 0; k < total; k++) {
			uint8_t want = k < valid * unit ? kpat(i, k) :
			    a->sa_kind == SD_INOUTARR ? pat(i, k) : T_OUTFILL;

			if (p[k] != want) {
				TFAIL("%s arg %d byte %zu: %#x, expected %#x",
				    tc->sd->sd_name, i, k, p[k], want);
				break;
			}
		}
	}
}

/*
 * One call across the wire and back: encode, decode on the "server",
 * check, let the "kernel" fill the outputs (with *N lengths set to
 * newlen), reply with error and rv, decode on the "client", check.
 */
static void
roundtrip(int nr, int nullopt, int error, int64_t rv, uint64_t newlen)
{
	struct tcall tc;
	struct wire_call wc;
	struct wire_reply rp;
	struct wire_hdr h;
	uint8_t *f, *r;
	size_t flen, rlen;
	int64_t crv = 0;

	tcall_init(&tc, nr, nullopt);
	if ((f = tcall_encode(&tc, 0x1234567890abcdefULL, &flen)) == NULL)
		goto out;
	CHECK_EQ(wire_hdr_decode(f, &h), 0);
	CHECK_EQ(h.len, flen);
	CHECK_EQ(h.type, WIRE_SYSCALL);
	CHECK_EQ(h.num, nr);
	CHECK(h.tag == 0x1234567890abcdefULL);
	if (wire_decode_request(&wc, nr, f + WIRE_HDRLEN, flen - WIRE_HDRLEN)) {
		TFAIL("%s: a valid request was refused", tc.sd->sd_name);
		goto out2;
	}
	check_decoded(&tc, &wc);
	kernel_fill(&wc);
	for (int i = 0; i < tc.sd->sd_nargs; i++)
		if (tc.sd->sd_args[i].sa_lenarg <= -2 && wc.st[i].ptr != NULL &&
		    wc.st[-2 - tc.sd->sd_args[i].sa_lenarg].ptr != NULL)
			*(uint64_t *)wc.st[-2 - tc.sd->sd_args[i].sa_lenarg].ptr =
			    newlen;
	wire_encode_reply(&wc, error, rv, &rp);
	r = flatten(rp.iov, rp.niov, &rlen);
	CHECK_EQ(rlen, rp.total);
	CHECK_EQ(wire_decode_reply(nr, tc.args, r, rlen, &crv), 0);
	CHECK_EQ(crv, rv);
	check_outputs(&tc, error, rv, newlen);
	free(r);
out2:
	wire_call_free(&wc);
	free(f);
out:
	tcall_free(&tc);
}

/* Does call nr have an output whose length is the return value? */
static int
has_retlen(const struct sysdesc *sd)
{
	for (int i = 0; i < sd->sd_nargs; i++)
		if (sd->sd_args[i].sa_retlen ||
		    sd->sd_args[i].sa_kind == SD_IOVOUT)
			return 1;
	return 0;
}

/* Every call of the table, full and partial outputs, NULL options. */
TEST(roundtrip_every_syscall)
{
	int n = 0;

	for (int nr = 0; nr < sysdesc_max; nr++) {
		if (sysdesc[nr].sd_name == NULL)
			continue;
		n++;
		roundtrip(nr, 0, 0, has_retlen(&sysdesc[nr]) ? 2 : 7, 20);
		roundtrip(nr, 1, 0, has_retlen(&sysdesc[nr]) ? 9 : 0, 1);
		roundtrip(nr, 0, EBADF, -1, 0);
	}
	CHECK(n >= 70);
}

/* The kinds the table uses all went through roundtrip_every_syscall. */
TEST(table_covers_kinds)
{
	int seen[SD_IOVOUT + 1] = { 0 };

	for (int nr = 0; nr < sysdesc_max; nr++)
		for (int i = 0; sysdesc[nr].sd_name != NULL &&
		    i < sysdesc[nr].sd_nargs; i++)
			seen[sysdesc[nr].sd_args[i].sa_kind]++;
	for (int k = SD_SCALAR; k <= SD_IOVOUT; k++)
		if (k != SD_INOUTBUF)	/* no @inout(N) call yet */
			CHECK(seen[k] > 0);
}

/* read: the reply carries exactly the bytes the return value says. */
TEST(read_partial)
{
	char buf[16];
	int64_t args[6] = { 3, (int64_t)(intptr_t)buf, sizeof(buf) };
	uint8_t reply[8 + 8 + 5];
	int64_t rv;

	memset(buf, 'x', sizeof(buf));
	wire_put64(reply, 5);
	wire_put64(reply + 8, 5);
	memcpy(reply + 16, "hello", 5);
	CHECK_EQ(wire_decode_reply(0, args, reply, sizeof(reply), &rv), 0);
	CHECK_EQ(rv, 5);
	CHECK(memcmp(buf, "helloxxxxxxxxxxx", 16) == 0);
}

/* Header fields survive a round trip, little-endian on the wire. */
TEST(hdr_roundtrip)
{
	struct wire_hdr h = { .len = 4096, .type = WIRE_SYSCALL, .flags = 0,
	    .tag = 0x8877665544332211ULL, .num = 0xdeadbeef,
	    .error = 0x0a0b0c0d }, g;
	uint8_t b[WIRE_HDRLEN];

	wire_hdr_encode(b, &h);
	CHECK_EQ(b[0], 0x00);
	CHECK_EQ(b[1], 0x10);
	CHECK_EQ(b[4], WIRE_SYSCALL);
	CHECK_EQ(b[8], 0x11);
	CHECK_EQ(b[15], 0x88);
	CHECK_EQ(b[16], 0xef);
	CHECK_EQ(b[23], 0x0a);
	CHECK_EQ(wire_hdr_decode(b, &g), 0);
	CHECK_EQ(g.len, 4096);
	CHECK_EQ(g.type, WIRE_SYSCALL);
	CHECK_EQ(g.flags, 0);
	CHECK(g.tag == h.tag);
	CHECK_EQ(g.num, 0xdeadbeef);
	CHECK_EQ(g.error, 0x0a0b0c0d);
}

/* Decode a header built from the given fields. */
static int
hdr_try(uint32_t len, uint16_t type, uint16_t flags)
{
	struct wire_hdr h = { .len = len, .type = type, .flags = flags }, g;
	uint8_t b[WIRE_HDRLEN];

	wire_hdr_encode(b, &h);
	return wire_hdr_decode(b, &g);
}

/* Lengths, types and flags outside the protocol are refused. */
TEST(hdr_rejects)
{
	CHECK_EQ(hdr_try(0, WIRE_HELLO, 0), EPROTO);
	CHECK_EQ(hdr_try(WIRE_HDRLEN - 1, WIRE_HELLO, 0), EPROTO);
	CHECK_EQ(hdr_try(WIRE_HDRLEN, WIRE_HELLO, 0), 0);
	CHECK_EQ(hdr_try(WIRE_MAX_FRAME, WIRE_SYSCALL, 0), 0);
	CHECK_EQ(hdr_try(WIRE_MAX_FRAME + 1, WIRE_SYSCALL, 0), EPROTO);
	CHECK_EQ(hdr_try(0xffffffff, WIRE_SYSCALL, 0), EPROTO);
	CHECK_EQ(hdr_try(WIRE_HDRLEN, 0, 0), EPROTO);
	CHECK_EQ(hdr_try(WIRE_HDRLEN, WIRE_TYPE_MAX, 0), 0);
	CHECK_EQ(hdr_try(WIRE_HDRLEN, WIRE_TYPE_MAX + 1, 0), EPROTO);
	CHECK_EQ(hdr_try(WIRE_HDRLEN, 0xffff, 0), EPROTO);
	CHECK_EQ(hdr_try(WIRE_HDRLEN, WIRE_SYSCALL_REPLY, WIRE_FLAG_REFUSED),
	    0);
	CHECK_EQ(hdr_try(WIRE_HDRLEN, WIRE_SYSCALL, WIRE_FLAG_REFUSED), EPROTO);
	CHECK_EQ(hdr_try(WIRE_HDRLEN, WIRE_HELLO, 0x8000), EPROTO);
	CHECK_EQ(hdr_try(WIRE_HDRLEN, WIRE_SYSCALL_REPLY, 0x0002), EPROTO);
}

/* The reader never runs past its end and stays bad once it tried. */
TEST(reader_bounds)
{
	uint8_t b[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	struct wire_rd r;

	wire_rd_init(&r, b, sizeof(b));
	CHECK(wire_rd64(&r) == 0x0807060504030201ULL);
	CHECK_EQ(r.left, 4);
	CHECK_EQ(wire_rd64(&r), 0);
	CHECK(r.bad);
	CHECK_EQ(wire_rd8(&r), 0);		/* still bad */
	CHECK(wire_rdbytes(&r, 0) == NULL);
	wire_rd_init(&r, b, sizeof(b));
	CHECK(wire_rdbytes(&r, SIZE_MAX) == NULL);
	CHECK(r.bad);
	wire_rd_init(&r, b, sizeof(b));
	CHECK(wire_rdbytes(&r, 12) == b);
	CHECK(wire_rdbytes(&r, 0) != NULL);
	CHECK(!r.bad);
}

/* The writer never runs past its capacity. */
TEST(writer_bounds)
{
	uint8_t b[16];
	struct wire_wr w;

	memset(b, 0x55, sizeof(b));
	wire_wr_init(&w, b, 10);
	wire_wr64(&w, 1);
	CHECK(!w.overflow);
	wire_wr32(&w, 2);
	CHECK(w.overflow);
	CHECK_EQ(w.len, 8);
	CHECK_EQ(b[8], 0x55);
	wire_wr8(&w, 3);			/* stays overflowed */
	CHECK_EQ(w.len, 8);
	wire_wr_init(&w, b, 10);
	wire_wrbytes(&w, b, SIZE_MAX);
	CHECK(w.overflow);
}

/* Decode a request for call nr from the given payload. */
static int
decode(int nr, const void *p, size_t n)
{
	struct wire_call wc;
	int error = wire_decode_request(&wc, nr, p, n);

	wire_call_free(&wc);
	return error;
}

/* A valid request cut short anywhere, or with a byte more, is refused. */
TEST(truncated_and_trailing)
{
	for (int nr = 0; nr < sysdesc_max; nr++) {
		struct tcall tc;
		uint8_t *f, *g;
		size_t flen, plen;

		if (sysdesc[nr].sd_name == NULL)
			continue;
		for (int nullopt = 0; nullopt < 2; nullopt++) {
			tcall_init(&tc, nr, nullopt);
			f = tcall_encode(&tc, 1, &flen);
			plen = flen - WIRE_HDRLEN;
			for (size_t k = 0; f != NULL && k < plen; k++) {
				/* An exact-size copy: ASan sees overreads. */
				g = malloc(k ? k : 1);
				memcpy(g, f + WIRE_HDRLEN, k);
				if (decode(nr, g, k) != EINVAL)
					TFAIL("%s: %zu of %zu bytes accepted",
					    sysdesc[nr].sd_name, k, plen);
				free(g);
			}
			if (f != NULL) {
				g = malloc(plen + 1);
				memcpy(g, f + WIRE_HDRLEN, plen);
				g[plen] = 0;
				CHECK_EQ(decode(nr, g, plen + 1), EINVAL);
				free(g);
			}
			free(f);
			tcall_free(&tc);
		}
	}
}

/* Numbers outside the table: ENOSYS. */
TEST(unknown_numbers)
{
	CHECK_EQ(decode(-1, "", 0), ENOSYS);
	CHECK_EQ(decode(23, "", 0), ENOSYS);		/* a gap */
	CHECK_EQ(decode(sysdesc_max, "", 0), ENOSYS);
	CHECK_EQ(decode(0x7fffffff, "", 0), ENOSYS);
	CHECK_EQ(decode((int)0x80000000u, "", 0), ENOSYS);
	CHECK_EQ(decode(39, "", 0), 0);			/* getpid */
}

/* A little request builder for hand-made payloads. */
struct pb {
	uint8_t b[256];
	struct wire_wr w;
};

/* A new, empty payload. */
static struct pb *
pb_new(void)
{
	struct pb *p = calloc(1, sizeof(*p));

	wire_wr_init(&p->w, p->b, sizeof(p->b));
	return p;
}

/* Decode payload p as a request for nr, and free it. */
static int
pb_decode(struct pb *p, int nr)
{
	int error;

	CHECK(!p->w.overflow);
	error = decode(nr, p->b, p->w.len);
	free(p);
	return error;
}

/* write(fd, buf, count): the data length must equal count. */
static int
try_write(uint64_t count, uint64_t n, size_t have)
{
	struct pb *p = pb_new();

	wire_wr64(&p->w, 1);
	wire_wr64(&p->w, n);
	for (size_t i = 0; i < have; i++)
		wire_wr8(&p->w, 'a');
	wire_wr64(&p->w, count);
	return pb_decode(p, 1);
}

TEST(lengths_disagree)
{
	CHECK_EQ(try_write(5, 5, 5), 0);
	CHECK_EQ(try_write(4, 5, 5), EINVAL);
	CHECK_EQ(try_write(6, 5, 5), EINVAL);
	CHECK_EQ(try_write(5, 5, 4), EINVAL);		/* and reads on */
	CHECK_EQ(try_write(0, 0, 0), 0);
	CHECK_EQ(try_write(1ULL << 40, 1ULL << 40, 0), EINVAL);
	CHECK_EQ(try_write(UINT64_MAX, UINT64_MAX, 0), EINVAL);
}

/* open(path, flags, mode) with the path's bytes as given. */
static int
try_open(const void *s, uint32_t n, uint32_t claimed)
{
	struct pb *p = pb_new();
	int error;

	if (n > 200) {
		/* Long paths: build in a heap buffer of our own. */
		uint8_t *b = malloc(4 + n + 16);
		struct wire_wr w;

		free(p);
		wire_wr_init(&w, b, 4 + n + 16);
		wire_wr32(&w, claimed);
		wire_wrbytes(&w, s, n);
		wire_wr64(&w, 0);
		wire_wr64(&w, 0);
		error = decode(2, b, w.len);
		free(b);
		return error;
	}
	wire_wr32(&p->w, claimed);
	wire_wrbytes(&p->w, s, n);
	wire_wr64(&p->w, 0);
	wire_wr64(&p->w, 0);
	return pb_decode(p, 2);
}

TEST(strings)
{
	char *big = malloc(WIRE_MAX_STR + 1);

	memset(big, 'a', WIRE_MAX_STR + 1);
	CHECK_EQ(try_open("/etc", 4, 4), 0);
	CHECK_EQ(try_open("", 0, 0), 0);
	CHECK_EQ(try_open("/a\0b", 4, 4), EINVAL);	/* NUL inside */
	CHECK_EQ(try_open("/ab\0", 4, 4), EINVAL);	/* NUL at the end */
	CHECK_EQ(try_open("\0", 1, 1), EINVAL);
	CHECK_EQ(try_open("/etc", 4, 5), EINVAL);	/* runs on */
	CHECK_EQ(try_open("/etc", 4, 0xffffffff), EINVAL);
	CHECK_EQ(try_open(big, WIRE_MAX_STR, WIRE_MAX_STR), 0);
	CHECK_EQ(try_open(big, WIRE_MAX_STR + 1, WIRE_MAX_STR + 1), EINVAL);
	free(big);
}

/* The presence byte of an optional pointer is 0 or 1. */
TEST(opt_byte)
{
	for (int v = 0; v < 256; v++) {
		struct pb *p = pb_new();

		/* utimensat(dirfd, path @opt, times @in[2] @opt, flags) */
		wire_wr64(&p->w, 3);
		wire_wr8(&p->w, (uint8_t)v);
		if (v == 1) {
			wire_wr32(&p->w, 1);
			wire_wr8(&p->w, 'f');
		}
		wire_wr8(&p->w, 0);
		wire_wr64(&p->w, 0);
		CHECK_EQ(pb_decode(p, 280), v <= 1 ? 0 : EINVAL);
	}
}

/* writev / readv with count vectors, each of len bytes (data for in). */
static int
try_iov(int nr, uint32_t cnt, uint64_t arg, uint64_t len, int in)
{
	size_t cap = 64 + (size_t)(cnt < 2000 ? cnt : 2000) * 9;
	uint8_t *b = malloc(cap);
	struct wire_wr w;
	int error;

	wire_wr_init(&w, b, cap);
	wire_wr64(&w, 1);
	wire_wr32(&w, cnt);
	for (uint32_t i = 0; i < cnt && i < 2000; i++) {
		wire_wr64(&w, len);
		if (in && len == 1)
			wire_wr8(&w, 'z');
	}
	wire_wr64(&w, arg);
	CHECK(!w.overflow);
	error = decode(nr, b, w.len);
	free(b);
	return error;
}

TEST(iov_limits)
{
	CHECK_EQ(try_iov(20, 3, 3, 1, 1), 0);
	CHECK_EQ(try_iov(20, 3, 2, 1, 1), EINVAL);	/* count disagrees */
	CHECK_EQ(try_iov(20, 0, 0, 1, 1), 0);
	CHECK_EQ(try_iov(20, WIRE_MAX_IOV, WIRE_MAX_IOV, 1, 1), 0);
	CHECK_EQ(try_iov(20, WIRE_MAX_IOV + 1, WIRE_MAX_IOV + 1, 1, 1),
	    EINVAL);
	CHECK_EQ(try_iov(20, 0xffffffff, 0xffffffff, 1, 1), EINVAL);
	CHECK_EQ(try_iov(19, 3, 3, 100, 0), 0);
	CHECK_EQ(try_iov(19, WIRE_MAX_IOV, WIRE_MAX_IOV, WIRE_MAX_IO /
	    WIRE_MAX_IOV, 0), 0);
	CHECK_EQ(try_iov(19, 2, 2, WIRE_MAX_IO / 2 + 1, 0), EINVAL);
	CHECK_EQ(try_iov(19, 1, 1, UINT64_MAX, 0), EINVAL);
	CHECK_EQ(try_iov(19, 2, 2, 1ULL << 63, 0), EINVAL);
}

/* read(fd, buf, count): capacity limits and agreement. */
static int
try_read(uint64_t cap, uint64_t count)
{
	struct pb *p = pb_new();

	wire_wr64(&p->w, 0);
	wire_wr64(&p->w, cap);
	wire_wr64(&p->w, count);
	return pb_decode(p, 0);
}

/* poll(fds @inout[nfds], nfds, timeout) with cnt elements sent. */
static int
try_poll(uint32_t cnt, uint64_t nfds, size_t have)
{
	size_t cap = 32 + have * sizeof(struct kpollfd);
	uint8_t *b = calloc(1, cap);
	struct wire_wr w;
	int error;

	wire_wr_init(&w, b, cap);
	wire_wr32(&w, cnt);
	w.len += have * sizeof(struct kpollfd);
	wire_wr64(&w, nfds);
	wire_wr64(&w, 0);
	error = decode(7, b, w.len);
	free(b);
	return error;
}

TEST(counts_over_limits)
{
	CHECK_EQ(try_read(WIRE_MAX_IO, WIRE_MAX_IO), 0);
	CHECK_EQ(try_read(WIRE_MAX_IO + 1, WIRE_MAX_IO + 1), EINVAL);
	CHECK_EQ(try_read(UINT64_MAX, UINT64_MAX), EINVAL);
	CHECK_EQ(try_read(10, 11), EINVAL);
	CHECK_EQ(try_poll(2, 2, 2), 0);
	CHECK_EQ(try_poll(2, 3, 2), EINVAL);
	CHECK_EQ(try_poll(3, 3, 2), EINVAL);
	CHECK_EQ(try_poll(WIRE_MAX_IO / sizeof(struct kpollfd) + 1, 0, 0),
	    EINVAL);
	CHECK_EQ(try_poll(0xffffffff, 0xffffffff, 0), EINVAL);
}

/* Fixed-size arrays and sysctl's length-pointed buffers must agree too. */
TEST(fixed_and_pointed_lengths)
{
	struct pb *p;

	for (uint32_t cnt = 0; cnt < 4; cnt++) {
		p = pb_new();				/* pipe(fds @out[2]) */
		wire_wr32(&p->w, cnt);
		CHECK_EQ(pb_decode(p, 22), cnt == 1 ? 0 : EINVAL);
	}
	for (uint64_t len = 40; len < 43; len++) {
		p = pb_new();	/* sysctlbyname("kern", oldp, &len, NULL, 0) */
		wire_wr32(&p->w, 4);
		wire_wrbytes(&p->w, "kern", 4);
		wire_wr8(&p->w, 1);
		wire_wr64(&p->w, 41);			/* oldp capacity */
		wire_wr8(&p->w, 1);
		wire_wr64(&p->w, len);			/* *oldlenp */
		wire_wr8(&p->w, 0);
		wire_wr64(&p->w, 0);
		CHECK_EQ(pb_decode(p, 500), len == 41 ? 0 : EINVAL);
	}
}

/* Deterministic bit flips of valid requests: refused or run, no crash
 * (under ASan: no read or write outside the buffers). */
TEST(mutations)
{
	uint64_t x = 88172645463325252ULL;

	for (int nr = 0; nr < sysdesc_max; nr++) {
		struct tcall tc;
		size_t flen;
		uint8_t *f;

		if (sysdesc[nr].sd_name == NULL)
			continue;
		tcall_init(&tc, nr, 0);
		f = tcall_encode(&tc, 1, &flen);
		for (int m = 0; f != NULL && m < 300; m++) {
			size_t plen = flen - WIRE_HDRLEN;
			uint8_t *g = malloc(plen ? plen : 1);
			struct wire_call wc;
			struct wire_reply rp;
			int error;

			memcpy(g, f + WIRE_HDRLEN, plen);
			for (int k = 0; k < 1 + m % 3 && plen > 0; k++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				g[x % plen] ^= (uint8_t)(1u << (x >> 32) % 8);
			}
			error = wire_decode_request(&wc, nr, g, plen);
			CHECK(error == 0 || error == EINVAL || error == ENOMEM);
			if (error == 0) {
				size_t big = 0;

				for (int i = 0; i < 6; i++)
					big += wc.st[i].len;
				if (big < (1u << 20))
					kernel_fill(&wc);
				wire_encode_reply(&wc, 0, (int64_t)x >> 40, &rp);
				CHECK(rp.niov <= WIRE_REQ_IOV);
			}
			wire_call_free(&wc);
			free(g);
		}
		free(f);
		tcall_free(&tc);
	}
}

/* Client side: arguments that cannot be sent. */
TEST(encode_rejects)
{
	struct wire_req rq;
	int64_t args[6] = { 0 };
	char *big = malloc(WIRE_MAX_STR + 2);
	struct iovec iov[2] = { { "ab", 2 }, { "c", 1 } };

	CHECK_EQ(wire_encode_request(&rq, 23, args, 1), ENOSYS);
	CHECK_EQ(wire_encode_request(&rq, -5, args, 1), ENOSYS);
	CHECK_EQ(wire_encode_request(&rq, 100000, args, 1), ENOSYS);
	/* open(NULL, ...): a pointer that is not optional */
	CHECK_EQ(wire_encode_request(&rq, 2, args, 1), EFAULT);
	/* read(0, NULL, 5) */
	args[2] = 5;
	CHECK_EQ(wire_encode_request(&rq, 0, args, 1), EFAULT);
	/* getgroups(0, NULL): optional */
	memset(args, 0, sizeof(args));
	CHECK_EQ(wire_encode_request(&rq, 115, args, 1), 0);
	memset(big, 'p', WIRE_MAX_STR + 1);
	big[WIRE_MAX_STR + 1] = '\0';
	args[0] = (int64_t)(intptr_t)big;
	CHECK_EQ(wire_encode_request(&rq, 2, args, 1), ENAMETOOLONG);
	big[WIRE_MAX_STR] = '\0';
	CHECK_EQ(wire_encode_request(&rq, 2, args, 1), 0);
	/* writev with a negative or too large count */
	args[0] = 1;
	args[1] = (int64_t)(intptr_t)iov;
	args[2] = -1;
	CHECK_EQ(wire_encode_request(&rq, 20, args, 1), EINVAL);
	args[2] = WIRE_MAX_IOV + 1;
	CHECK_EQ(wire_encode_request(&rq, 20, args, 1), EINVAL);
	args[2] = 2;
	CHECK_EQ(wire_encode_request(&rq, 20, args, 1), 0);
	free(big);
}

/* Client side: a buffer larger than WIRE_MAX_IO is sent capped, and the
 * length argument says so (a short write, as write(2) allows). */
TEST(encode_caps_large_buffers)
{
	size_t n = WIRE_MAX_IO + 100;
	char *buf = malloc(n);
	int64_t args[6] = { 4, (int64_t)(intptr_t)buf, (int64_t)n };
	struct wire_req rq;
	struct wire_call wc;
	uint8_t *f;
	size_t flen;

	memset(buf, 'w', n);
	CHECK_EQ(wire_encode_request(&rq, 1, args, 9), 0);
	CHECK_EQ(rq.total, WIRE_HDRLEN + 8 + 8 + WIRE_MAX_IO + 8);
	CHECK(rq.total <= WIRE_MAX_FRAME);
	f = flatten(rq.iov, rq.niov, &flen);
	CHECK_EQ(wire_decode_request(&wc, 1, f + WIRE_HDRLEN, flen -
	    WIRE_HDRLEN), 0);
	CHECK_EQ(wc.args[2], WIRE_MAX_IO);
	CHECK_EQ(wc.st[1].len, WIRE_MAX_IO);
	wire_call_free(&wc);
	free(f);
	free(buf);
}

/* Decode a reply for call nr with args; the error it gives. */
static int
reply_try(int nr, const int64_t *args, const struct pb *p)
{
	int64_t rv;
	uint8_t *b = malloc(p->w.len ? p->w.len : 1);	/* exact size */
	int error;

	memcpy(b, p->b, p->w.len);
	error = wire_decode_reply(nr, args, b, p->w.len, &rv);
	free(b);
	return error;
}

/* Client side: replies that claim more than the caller's buffers hold,
 * or that are cut short or run on, are refused and write nothing past
 * the buffers. */
TEST(reply_rejects)
{
	uint8_t buf[32];
	int64_t args[6] = { 0, (int64_t)(intptr_t)buf, 16 };
	struct pb p;

	memset(buf, 0x77, sizeof(buf));
	for (int n = 14; n <= 18; n++) {
		wire_wr_init(&p.w, p.b, sizeof(p.b));
		wire_wr64(&p.w, (uint64_t)n);
		wire_wr64(&p.w, (uint64_t)n);
		for (int i = 0; i < n; i++)
			wire_wr8(&p.w, 'r');
		CHECK_EQ(reply_try(0, args, &p), n <= 16 ? 0 : EPROTO);
		CHECK_EQ(buf[16], 0x77);
	}
	/* cut short: 16 claimed, 15 there */
	wire_wr_init(&p.w, p.b, sizeof(p.b));
	wire_wr64(&p.w, 16);
	wire_wr64(&p.w, 16);
	p.w.len += 15;
	CHECK_EQ(reply_try(0, args, &p), EPROTO);
	/* runs on: a byte after the last output */
	p.w.len += 2;
	CHECK_EQ(reply_try(0, args, &p), EPROTO);
	/* no return value at all */
	wire_wr_init(&p.w, p.b, sizeof(p.b));
	wire_wr32(&p.w, 0);
	CHECK_EQ(reply_try(39, args, &p), EPROTO);
	wire_wr32(&p.w, 0);
	CHECK_EQ(reply_try(39, args, &p), 0);
	CHECK_EQ(buf[16], 0x77);
}

/* Client side: arrays, structures and iovecs in replies. */
TEST(reply_rejects_arrays)
{
	struct kprocinfo pi[2];
	struct kstat st;
	char a[4], b[3];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	int64_t gp[6] = { 0, (int64_t)(intptr_t)pi, 2 };
	int64_t sa[6] = { 3, (int64_t)(intptr_t)&st };
	int64_t rv[6] = { 3, (int64_t)(intptr_t)iov, 2 };
	struct pb p;

	/* getprocs: 3 entries for a buffer of 2 */
	wire_wr_init(&p.w, p.b, sizeof(p.b));
	wire_wr64(&p.w, 3);
	wire_wr32(&p.w, 3);
	CHECK_EQ(reply_try(503, gp, &p), EPROTO);
	/* fstat: the structure cut short */
	wire_wr_init(&p.w, p.b, sizeof(p.b));
	wire_wr64(&p.w, 0);
	p.w.len += sizeof(st) - 1 > 200 ? 200 : sizeof(st) - 1;
	CHECK_EQ(reply_try(5, sa, &p), EPROTO);
	/* readv: 8 bytes for 7 of room; then 7, which fills both */
	wire_wr_init(&p.w, p.b, sizeof(p.b));
	wire_wr64(&p.w, 8);
	wire_wr64(&p.w, 8);
	wire_wrbytes(&p.w, "ABCDEFGH", 8);
	CHECK_EQ(reply_try(19, rv, &p), EPROTO);
	wire_wr_init(&p.w, p.b, sizeof(p.b));
	wire_wr64(&p.w, 7);
	wire_wr64(&p.w, 7);
	wire_wrbytes(&p.w, "ABCDEFG", 7);
	CHECK_EQ(reply_try(19, rv, &p), 0);
	CHECK(memcmp(a, "ABCD", 4) == 0);
	CHECK(memcmp(b, "EFG", 3) == 0);
}
