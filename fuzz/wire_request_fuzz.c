/*
 * wire_request_fuzz.c: libFuzzer harness for the server's side of the
 * wire.  The input is what a client sends on a connection: a stream of
 * frames.  Each goes through wire_hdr_decode() as the server's reader
 * does (a bad header ends the stream, as it closes the connection; a frame
 * longer than the rest of the input is a client that stopped sending);
 * SYSCALL frames, for any number, are decoded by wire_decode_request(),
 * then every input is read and every output written to the length the
 * decoder vouched for, as the kernel would, and the reply is encoded by
 * wire_encode_reply() and checked to fit in a frame.
 *
 * Crashes are memory errors (AddressSanitizer), undefined behaviour
 * (UBSan), leaks, or the abort()s below on a broken invariant.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_calls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One SYSCALL frame: decode, run, reply, as sp_frames.c does. */
static void
fuzz_syscall(const struct wire_hdr *h, const uint8_t *payload, size_t len)
{
	struct wire_call wc;
	struct wire_reply rp;
	size_t total = 0;
	int error;

	error = wire_decode_request(&wc, (int)h->num, payload, len);
	if (error != 0) {
		if (error != EINVAL && error != ENOSYS && error != ENOMEM)
			abort();	/* not an answer the protocol has */
		if (error == ENOSYS && wc.sd != NULL)
			abort();
		wire_call_free(&wc);
		return;
	}
	if (wc.sd == NULL || wc.nr != (int)h->num)
		abort();
	(void)fuzz_kernel_touch(&wc);
	/* The client picks the tag; reuse it as the call's result. */
	wire_encode_reply(&wc, (int)(h->error % 200), (int64_t)h->tag, &rp);
	if (rp.niov > WIRE_REQ_IOV || rp.wr.overflow)
		abort();
	for (int i = 0; i < rp.niov; i++) {
		if (rp.iov[i].iov_base == NULL && rp.iov[i].iov_len != 0)
			abort();
		total += rp.iov[i].iov_len;
	}
	if (total != rp.total || total < 8 ||
	    total > WIRE_MAX_FRAME - WIRE_HDRLEN)
		abort();	/* a reply the client could not accept */
	wire_call_free(&wc);
}

/* One input: the bytes a client sent on one connection. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly the input's size: reads past it are caught. */
	uint8_t *buf = malloc(size ? size : 1);
	size_t off = 0;

	memcpy(buf, data, size);
	while (size - off >= WIRE_HDRLEN) {
		struct wire_hdr h;
		uint8_t *frame = buf + off;

		if (wire_hdr_decode(frame, &h) != 0)
			break;			/* the server closes */
		if (h.len < WIRE_HDRLEN || h.len > WIRE_MAX_FRAME)
			abort();		/* decode let it through */
		if (h.len > size - off)
			break;			/* the rest never came */
		if (h.type == WIRE_SYSCALL) {
			/* A frame-sized copy, so its end is the end. */
			size_t plen = h.len - WIRE_HDRLEN;
			uint8_t *p = malloc(plen ? plen : 1);

			memcpy(p, frame + WIRE_HDRLEN, plen);
			fuzz_syscall(&h, p, plen);
			free(p);
		}
		off += h.len;
	}
	free(buf);
	return 0;
}
