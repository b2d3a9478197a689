/*
 * wire.c: frame headers and the bounded reader and writer (wire.h).
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

void
wire_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void
wire_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void
wire_put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint16_t
wire_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

uint32_t
wire_get32(const uint8_t *p)
{
	uint32_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

uint64_t
wire_get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

void
wire_hdr_encode(uint8_t out[WIRE_HDRLEN], const struct wire_hdr *h)
{
	wire_put32(out, h->len);
	wire_put16(out + 4, h->type);
	wire_put16(out + 6, h->flags);
	wire_put64(out + 8, h->tag);
	wire_put32(out + 16, h->num);
	wire_put32(out + 20, h->error);
}

/* Trust boundary: a header from the other end, checked before any use. */
int
wire_hdr_decode(const uint8_t in[WIRE_HDRLEN], struct wire_hdr *h)
{
	h->len = wire_get32(in);
	h->type = wire_get16(in + 4);
	h->flags = wire_get16(in + 6);
	h->tag = wire_get64(in + 8);
	h->num = wire_get32(in + 16);
	h->error = wire_get32(in + 20);
	if (h->len < WIRE_HDRLEN || h->len > WIRE_MAX_FRAME)
		return EPROTO;
	if (h->type < WIRE_HELLO || h->type > WIRE_TYPE_MAX)
		return EPROTO;
	if ((h->flags & ~WIRE_FLAGS_KNOWN) != 0 ||
	    (h->flags != 0 && h->type != WIRE_SYSCALL_REPLY))
		return EPROTO;
	return 0;
}

void
wire_rd_init(struct wire_rd *r, const void *p, size_t n)
{
	r->p = p;
	r->left = n;
	r->bad = 0;
}

const uint8_t *
wire_rdbytes(struct wire_rd *r, size_t n)
{
	const uint8_t *p;

	if (r->bad || n > r->left) {
		r->bad = 1;
		return NULL;
	}
	p = r->p;
	r->p += n;
	r->left -= n;
	return p;
}

uint8_t
wire_rd8(struct wire_rd *r)
{
	const uint8_t *p = wire_rdbytes(r, 1);

	return p ? p[0] : 0;
}

uint32_t
wire_rd32(struct wire_rd *r)
{
	const uint8_t *p = wire_rdbytes(r, 4);

	return p ? wire_get32(p) : 0;
}

uint64_t
wire_rd64(struct wire_rd *r)
{
	const uint8_t *p = wire_rdbytes(r, 8);

	return p ? wire_get64(p) : 0;
}

void
wire_wr_init(struct wire_wr *w, void *buf, size_t cap)
{
	w->p = buf;
	w->len = 0;
	w->cap = cap;
	w->overflow = 0;
}

void
wire_wrbytes(struct wire_wr *w, const void *p, size_t n)
{
	if (w->overflow || n > w->cap - w->len) {
		w->overflow = 1;
		return;
	}
	memcpy(w->p + w->len, p, n);
	w->len += n;
}

void
wire_wr8(struct wire_wr *w, uint8_t v)
{
	wire_wrbytes(w, &v, 1);
}

void
wire_wr32(struct wire_wr *w, uint32_t v)
{
	uint8_t b[4];

	wire_put32(b, v);
	wire_wrbytes(w, b, 4);
}

void
wire_wr64(struct wire_wr *w, uint64_t v)
{
	uint8_t b[8];

	wire_put64(b, v);
	wire_wrbytes(w, b, 8);
}
