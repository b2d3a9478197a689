/*
 * wire.h: the sysproxy wire format (doc/protocol.md), shared by the server
 * and the client library.  Everything that reads bytes from the other end
 * goes through the bounded reader here: the other end is not trusted.
 */
#ifndef WIRE_WIRE_H
#define WIRE_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <rump/rump_kabi.h>

#include "sysdesc.h"

#define WIRE_VERSION	1
#define WIRE_MAGIC	"RUMPSP\0\0"
#define WIRE_HDRLEN	24
#define WIRE_MAX_IO	(16u << 20)
#define WIRE_MAX_FRAME	(WIRE_MAX_IO + 4096u)
#define WIRE_MAX_STR	65536u
#define WIRE_MAX_IOV	1024u
#define WIRE_COOKIELEN	16

enum wire_type {
	WIRE_HELLO = 1,
	WIRE_HELLO_REPLY,
	WIRE_SYSCALL,
	WIRE_SYSCALL_REPLY,
	WIRE_PREFORK,
	WIRE_PREFORK_REPLY,
	WIRE_FORK_CANCEL,
	WIRE_FORK_CANCEL_REPLY,
	WIRE_SIGNAL,
	WIRE_SHUTDOWN,
	WIRE_CHANNEL,		/* unix sockets: ask for a call channel */
	WIRE_CHANNEL_REPLY,	/* u32 size; the memfd in SCM_RIGHTS */
	WIRE_TYPE_MAX = WIRE_CHANNEL_REPLY
};

/* Header flags. */
#define WIRE_FLAG_REFUSED 0x0001	/* SYSCALL_REPLY: the request was
					 * refused before it ran; the payload
					 * is only the return value */
#define WIRE_FLAGS_KNOWN  WIRE_FLAG_REFUSED

enum wire_hello_kind { WIRE_KIND_NEW = 0, WIRE_KIND_FORK, WIRE_KIND_EXEC };

struct wire_hdr {
	uint32_t len;		/* whole frame */
	uint16_t type;
	uint16_t flags;
	uint64_t tag;
	uint32_t num;
	uint32_t error;
};

/* Little-endian stores and loads. */
void     wire_put16(uint8_t *p, uint16_t v);
void     wire_put32(uint8_t *p, uint32_t v);
void     wire_put64(uint8_t *p, uint64_t v);
uint16_t wire_get16(const uint8_t *p);
uint32_t wire_get32(const uint8_t *p);
uint64_t wire_get64(const uint8_t *p);

void wire_hdr_encode(uint8_t out[WIRE_HDRLEN], const struct wire_hdr *h);
/* Decode and check a header: 0, or EPROTO for a frame that cannot be
 * accepted (bad length, type or flags). */
int  wire_hdr_decode(const uint8_t in[WIRE_HDRLEN], struct wire_hdr *h);

/* A bounded reader over received bytes. */
struct wire_rd {
	const uint8_t *p;
	size_t left;
	int bad;		/* set once any read ran past the end */
};
void wire_rd_init(struct wire_rd *r, const void *p, size_t n);
uint8_t  wire_rd8(struct wire_rd *r);
uint32_t wire_rd32(struct wire_rd *r);
uint64_t wire_rd64(struct wire_rd *r);
/* Pointer to the next n bytes, or NULL (and bad) if fewer remain. */
const uint8_t *wire_rdbytes(struct wire_rd *r, size_t n);

/* A writer into a caller-supplied buffer. */
struct wire_wr {
	uint8_t *p;
	size_t len, cap;
	int overflow;
};
void wire_wr_init(struct wire_wr *w, void *buf, size_t cap);
void wire_wr8(struct wire_wr *w, uint8_t v);
void wire_wr32(struct wire_wr *w, uint32_t v);
void wire_wr64(struct wire_wr *w, uint64_t v);
void wire_wrbytes(struct wire_wr *w, const void *p, size_t n);

/* Kernel ABI structures in wire byte order (no-ops on little-endian). */
void wire_struct_swap(const char *type, void *p, size_t size, size_t count);

/*
 * Client side: encode a SYSCALL request.  Small fields go into rq->buf;
 * large input buffers are referenced, not copied, by rq->iov.
 */
#define WIRE_REQ_IOV 32
struct wire_req {
	uint8_t *buf;		/* small fields: inline_buf or allocated */
	size_t bufcap;
	struct wire_wr wr;
	struct iovec *iov;	/* inline_iov or allocated */
	int iovcap;
	int niov;
	size_t total;		/* frame length */
	size_t seg_start;	/* start of the unflushed part of buf */
	uint8_t inline_buf[1024];
	struct iovec inline_iov[WIRE_REQ_IOV];
};
/* 0, or an errno value for arguments that cannot be sent (EFAULT for a
 * NULL pointer that is not optional, ENAMETOOLONG, EINVAL, E2BIG). */
int wire_encode_request(struct wire_req *rq, int nr, const int64_t *args,
    uint64_t tag);
/* Free what wire_encode_request allocated for a large request. */
void wire_req_free(struct wire_req *rq);
/*
 * Client side: check a SYSCALL_REPLY payload against the request it
 * answers and copy its outputs into the caller's buffers, never more than
 * each holds.  0 or EPROTO for a malformed reply.
 */
int wire_decode_reply(int nr, const int64_t *args, const void *payload,
    size_t len, int64_t *rv);

/* Server side: a decoded SYSCALL request. */
struct wire_argstate {
	void *ptr;		/* kernel-side buffer we own, or NULL */
	void *ref;		/* input in the received frame, or NULL */
	uint64_t len;		/* bytes, or element count for arrays */
	struct kiovec *iov;	/* for iovec kinds */
	uint32_t iovcnt;
};
struct wire_call {
	int nr;
	const struct sysdesc *sd;
	int64_t args[6];
	struct wire_argstate st[6];
	void *arena;		/* one allocation for all of the above */
};
/* Decode a SYSCALL payload into arguments for ksyscall().  0, ENOSYS for
 * an unknown call, EINVAL for a malformed request, ENOMEM. */
int  wire_decode_request(struct wire_call *wc, int nr, const void *payload,
    size_t len);
/* Server side: a SYSCALL_REPLY payload, small fields in buf and large
 * outputs referenced in place. */
struct wire_reply {
	uint8_t buf[512];
	struct wire_wr wr;
	struct iovec iov[WIRE_REQ_IOV];
	int niov;
	size_t total;		/* payload length */
	size_t seg_start;
};
void wire_encode_reply(const struct wire_call *wc, int error, int64_t rv,
    struct wire_reply *rp);
void wire_call_free(struct wire_call *wc);

#endif /* WIRE_WIRE_H */
