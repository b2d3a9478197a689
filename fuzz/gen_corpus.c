/*
 * gen_corpus.c: write the seed corpora of the wire fuzzers.
 *
 *	gen_corpus REQUEST_DIR REPLY_DIR
 *
 * Requests: a valid SYSCALL frame for every call of the table (with and
 * without its optional pointers), and a few streams of several frames.
 * Replies: for every case of reply_cases.h, the reply a correct server
 * sends (full and partial outputs, and an error), encoded by the server's
 * own wire_encode_reply().  Run by `make fuzz-corpus`; the output is
 * committed under fuzz/corpus/.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_calls.h"
#include "reply_cases.h"

/* Write n bytes to dir/name. */
static int
put(const char *dir, const char *name, const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(p, 1, n, f) != n ||
	    fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	return 0;
}

/* The request frame for tc, malloc'd. */
static uint8_t *
request_frame(const struct fcall *tc, uint64_t tag, size_t *lenp)
{
	struct wire_req rq;
	int error;

	if ((error = wire_encode_request(&rq, tc->nr, tc->args, tag)) != 0) {
		fprintf(stderr, "gen_corpus: %s: %s\n", tc->sd->sd_name,
		    strerror(error));
		exit(1);
	}
	return fuzz_flatten(rq.iov, rq.niov, lenp);
}

/* A frame of the given type with a small payload, appended to b. */
static size_t
small_frame(uint8_t *b, int type, uint64_t tag, uint32_t num,
    const void *payload, size_t plen)
{
	struct wire_hdr h = { .len = (uint32_t)(WIRE_HDRLEN + plen),
	    .type = (uint16_t)type, .tag = tag, .num = num };

	wire_hdr_encode(b, &h);
	memcpy(b + WIRE_HDRLEN, payload, plen);
	return WIRE_HDRLEN + plen;
}

/* The request seeds: every call, several counts, a few streams. */
static void
gen_requests(const char *dir)
{
	uint8_t b[512], hello[72];
	size_t n = 0, hl = 0;
	char name[128];

	for (int nr = 0; nr < sysdesc_max; nr++) {
		const struct sysdesc *sd = &sysdesc[nr];

		if (sd->sd_name == NULL)
			continue;
		/* Counts 0, 1, 3, 5 and 8; once with NULL options. */
		for (int k = 0; k < 6; k++) {
			static const size_t counts[] = { 0, 1, 3, 5, 8, 1 };
			int nullopt = k == 5;
			struct fcall tc;
			uint8_t *f;
			size_t flen;

			if (nullopt && !reply_has_opt(sd))
				continue;
			fcall_init(&tc, nr, counts[k], nullopt);
			f = request_frame(&tc, (uint64_t)nr + 1, &flen);
			snprintf(name, sizeof(name), "req-%s-n%zu%s",
			    sd->sd_name, counts[k], nullopt ? "-null" : "");
			put(dir, name, f, flen);
			free(f);
			fcall_free(&tc);
		}
	}
	/* A connection's worth: HELLO, getpid, prefork, fork_cancel, and
	 * then an unknown call. */
	memcpy(hello, WIRE_MAGIC, 8);
	wire_put32(hello + 8, WIRE_VERSION);
	memset(hello + 12, 0, 4 + WIRE_COOKIELEN);
	wire_put32(hello + 32, 1234);
	wire_put32(hello + 36, 4);
	memcpy(hello + 40, "fuzz", 4);
	hl = 44;
	n += small_frame(b + n, WIRE_HELLO, 0, 0, hello, hl);
	n += small_frame(b + n, WIRE_SYSCALL, 1, 39, "", 0);
	n += small_frame(b + n, WIRE_PREFORK, 2, 0, "", 0);
	n += small_frame(b + n, WIRE_FORK_CANCEL, 3, 0, hello + 12,
	    WIRE_COOKIELEN);
	n += small_frame(b + n, WIRE_SYSCALL, 4, 9999, "", 0);
	put(dir, "stream-session", b, n);
	/* A frame cut short, then a header whose length is too small. */
	n = small_frame(b, WIRE_SYSCALL, 5, 39, "", 0);
	put(dir, "stream-truncated", b, n + WIRE_HDRLEN - 3);
	wire_put32(b, WIRE_HDRLEN - 1);
	put(dir, "stream-badlen", b, WIRE_HDRLEN);
}

/* The reply a correct server gives to case rc: a frame after selector
 * byte sel, in a malloc'd buffer. */
static uint8_t *
reply_file(int sel, const struct reply_case *rc, int error, size_t *lenp)
{
	struct fcall tc;
	struct wire_call wc;
	struct wire_reply rp;
	struct wire_hdr h;
	uint8_t *req, *payload, *out;
	size_t rlen, plen;
	int64_t rv = error ? -1 : (int64_t)(rc->rc_n / 2);

	fcall_init(&tc, rc->rc_nr, rc->rc_n, rc->rc_nullopt);
	req = request_frame(&tc, 7, &rlen);
	if (wire_decode_request(&wc, rc->rc_nr, req + WIRE_HDRLEN,
	    rlen - WIRE_HDRLEN) != 0) {
		fprintf(stderr, "gen_corpus: %s refused\n", tc.sd->sd_name);
		exit(1);
	}
	(void)fuzz_kernel_touch(&wc);
	for (int i = 0; i < tc.sd->sd_nargs; i++) {
		int j = -2 - tc.sd->sd_args[i].sa_lenarg;

		if (j >= 0 && wc.st[j].ptr != NULL)
			*(uint64_t *)wc.st[j].ptr = rc->rc_n / 2;
	}
	wire_encode_reply(&wc, error, rv, &rp);
	payload = fuzz_flatten(rp.iov, rp.niov, &plen);
	h = (struct wire_hdr){ .len = (uint32_t)(WIRE_HDRLEN + plen),
	    .type = WIRE_SYSCALL_REPLY, .tag = 7, .num = (uint32_t)rc->rc_nr,
	    .error = (uint32_t)error };
	out = malloc(1 + WIRE_HDRLEN + plen);
	out[0] = (uint8_t)sel;
	wire_hdr_encode(out + 1, &h);
	memcpy(out + 1 + WIRE_HDRLEN, payload, plen);
	*lenp = 1 + WIRE_HDRLEN + plen;
	free(payload);
	wire_call_free(&wc);
	free(req);
	fcall_free(&tc);
	return out;
}

/* The reply seeds: a full and an error reply for every case. */
static void
gen_replies(const char *dir)
{
	struct reply_case rc;
	char name[128];

	if (reply_case_count() > 256) {
		fprintf(stderr, "gen_corpus: more reply cases than a byte "
		    "selects\n");
		exit(1);
	}
	for (int k = 0; reply_case_nth(k, &rc) == 0; k++) {
		for (int err = 0; err < 2; err++) {
			size_t n;
			uint8_t *f = reply_file(k, &rc, err ? EBADF : 0, &n);

			snprintf(name, sizeof(name), "reply-%s-n%zu%s%s",
			    sysdesc[rc.rc_nr].sd_name, rc.rc_n,
			    rc.rc_nullopt ? "-null" : "", err ? "-err" : "");
			put(dir, name, f, n);
			free(f);
		}
	}
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen_corpus REQUEST_DIR REPLY_DIR\n");
		return 2;
	}
	gen_requests(argv[1]);
	gen_replies(argv[2]);
	return 0;
}
