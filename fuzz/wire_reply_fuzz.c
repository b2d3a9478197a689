/*
 * wire_reply_fuzz.c: libFuzzer harness for the client's side of the wire.
 * A server's reply is untrusted: whatever it says, wire_decode_reply()
 * must write only inside the buffers the caller passed, and never touch
 * the caller's inputs.
 *
 * The fixed set of requests: every call of the table that has an output,
 * with 0, 1 and 7 elements (bytes, array elements, iovecs), and with its
 * optional pointers NULL.  Input byte 0 picks the request; the rest is the
 * reply frame the "server" sends (header and payload).  Every buffer is
 * malloc'd at exactly its size, so AddressSanitizer sees a byte written
 * past one.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_calls.h"
#include "reply_cases.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A checksum of the caller's inputs, which a reply must leave alone. */
static uint64_t
inputs_sum(const struct fcall *tc)
{
	uint64_t sum = 0;

	for (int i = 0; i < tc->sd->sd_nargs; i++) {
		const struct sysdesc_arg *a = &tc->sd->sd_args[i];
		const uint8_t *p = tc->mem[i];

		if (p == NULL || fuzz_is_output(a->sa_kind))
			continue;
		if (a->sa_kind == SD_IOVIN) {
			const struct iovec *iov = tc->mem[i];

			for (size_t j = 0; j < tc->memlen[i] / sizeof(*iov);
			    j++) {
				p = iov[j].iov_base;
				for (size_t k = 0; k < iov[j].iov_len; k++)
					sum = sum * 31 + p[k];
			}
			continue;
		}
		for (size_t k = 0; k < tc->memlen[i]; k++)
			sum = sum * 31 + p[k];
	}
	for (int i = 0; i < 6; i++)
		sum = sum * 131 + (uint64_t)tc->args[i];
	return sum;
}

/* One input: a case selector byte and a reply frame. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reply_case rc;
	struct fcall tc;
	struct wire_hdr h;
	uint8_t *frame;
	uint64_t before;
	int64_t rv;
	int error;

	if (size < 1 + WIRE_HDRLEN || !reply_case_get(data[0], &rc))
		return 0;
	/* As the client's reader: a bad header breaks the connection, a
	 * short frame is still being received, a refused call has no
	 * outputs. */
	if (wire_hdr_decode(data + 1, &h) != 0 || h.len > size - 1 ||
	    h.type != WIRE_SYSCALL_REPLY || (h.flags & WIRE_FLAG_REFUSED))
		return 0;
	frame = malloc(h.len);		/* exactly the frame */
	memcpy(frame, data + 1, h.len);
	fcall_init(&tc, rc.rc_nr, rc.rc_n, rc.rc_nullopt);
	before = inputs_sum(&tc);
	error = wire_decode_reply(tc.nr, tc.args, frame + WIRE_HDRLEN,
	    h.len - WIRE_HDRLEN, &rv);
	if (error != 0 && error != EPROTO)
		abort();
	if (inputs_sum(&tc) != before)
		abort();		/* the reply wrote into an input */
	fcall_free(&tc);
	free(frame);
	return 0;
}
