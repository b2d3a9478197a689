/*
 * remote_badinput_test.c: a real rump_server on a real unix socket, fed
 * hostile input by raw sockets this test writes itself (not through
 * librumpclient): malformed headers, truncated and oversized frames,
 * frames before the handshake, bad handshakes, system call payloads that
 * lie about their lengths, unknown calls, random bytes, slow clients.
 *
 * The frames are built here from doc/protocol.md, independently of wire/.
 * After each attack the server must still be running and serving: a
 * librumpclient connection of this test keeps its kernel process and its
 * calls keep working, and a fresh raw connection completes a handshake.
 * At the end the server must exit cleanly on SIGTERM (under ASan: no
 * memory error and no leak).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "remote_util.h"
#include "testlib.h"

/* The protocol's numbers (doc/protocol.md). */
#define P_HDRLEN	24
#define P_MAX_FRAME	((16u << 20) + 4096u)
#define P_MAX_STR	65536u
#define P_MAX_IOV	1024u
#define P_HELLO		1
#define P_HELLO_REPLY	2
#define P_SYSCALL	3
#define P_SYSCALL_REPLY	4
#define P_PREFORK	5
#define P_PREFORK_REPLY	6
#define P_FORK_CANCEL	7
#define P_FORK_CANCEL_REPLY 8
#define P_SIGNAL	9
#define P_SHUTDOWN	10
#define P_CHANNEL_REPLY	12
#define P_REFUSED	0x1

#define BI_RECV_TIMEOUT	30	/* seconds: only to report a hang */

struct bi_hdr {
	uint32_t len;
	uint16_t type, flags;
	uint64_t tag;
	uint32_t num, error;
};

/* A growing byte buffer for building frames. */
struct bb {
	uint8_t *b;
	size_t len, cap;
};

/* One test's server, and this process's librumpclient connection. */
struct bi_ctx {
	struct ru_server srv;
	pid_t kpid;		/* our kernel pid through librumpclient */
	int ok;
};

/* Before any test runs: a longer time limit per test. */
static void __attribute__((constructor))
bi_timeout(void)
{
	test_timeout = 180;	/* the server may run under a sanitizer */
}

/* Room for n more bytes in b. */
static void
bb_need(struct bb *b, size_t n)
{
	if (b->cap - b->len < n) {
		b->cap = (b->len + n) * 2;
		b->b = realloc(b->b, b->cap);
	}
}

/* Append n bytes. */
static void
bb_bytes(struct bb *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	bb_need(b, n);
	memcpy(b->b + b->len, p, n);
	b->len += n;
}

/* Append v as n little-endian bytes (and the fixed-width forms). */
static void
bb_le(struct bb *b, uint64_t v, int n)
{
	bb_need(b, (size_t)n);
	for (int i = 0; i < n; i++)
		b->b[b->len++] = (uint8_t)(v >> (8 * i));
}

static void bb_u8(struct bb *b, uint8_t v) { bb_le(b, v, 1); }
static void bb_u32(struct bb *b, uint32_t v) { bb_le(b, v, 4); }
static void bb_u64(struct bb *b, uint64_t v) { bb_le(b, v, 8); }

/* Load n little-endian bytes. */
static uint64_t
get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* Append a frame header with the given fields. */
static void
bb_hdr(struct bb *b, uint32_t len, uint16_t type, uint16_t flags,
    uint64_t tag, uint32_t num)
{
	bb_u32(b, len);
	bb_le(b, type, 2);
	bb_le(b, flags, 2);
	bb_u64(b, tag);
	bb_u32(b, num);
	bb_u32(b, 0);
}

/* Append a whole frame: header and payload p. */
static void
bb_frame(struct bb *b, uint16_t type, uint64_t tag, uint32_t num,
    const struct bb *p)
{
	bb_hdr(b, (uint32_t)(P_HDRLEN + (p ? p->len : 0)), type, 0, tag, num);
	if (p != NULL)
		bb_bytes(b, p->b, p->len);
}

/* A HELLO payload. */
static void
bb_hello(struct bb *b, const char *magic, uint32_t version, uint32_t kind,
    const char *name)
{
	bb_bytes(b, magic, 8);
	bb_u32(b, version);
	bb_u32(b, kind);
	for (int i = 0; i < 16; i++)
		bb_u8(b, 0);				/* cookie */
	bb_u32(b, (uint32_t)getpid());
	bb_u32(b, (uint32_t)strlen(name));
	bb_bytes(b, name, strlen(name));
}

/* Release b and make it empty again. */
static void
bb_free(struct bb *b)
{
	free(b->b);
	memset(b, 0, sizeof(*b));
}

/* Send all of b; 0, or -1 if the peer is gone. */
static int
bi_send(int fd, const void *p, size_t n)
{
	const uint8_t *c = p;

	while (n > 0) {
		ssize_t k = send(fd, c, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

/* A raw connection to the server. */
static int
bi_connect(const struct bi_ctx *c)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { BI_RECV_TIMEOUT, 0 };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	CHECK(fd >= 0);
	memcpy(sun.sun_path, c->srv.rs_path, sizeof(sun.sun_path) - 1);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		TFAIL("connect %s: %s", sun.sun_path, strerror(errno));
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Read exactly n bytes: 1, 0 at EOF (or reset), -1 on a timeout. */
static int
bi_recvn(int fd, void *p, size_t n)
{
	uint8_t *c = p;

	while (n > 0) {
		ssize_t k = recv(fd, c, n, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k == 0 || (k < 0 && errno == ECONNRESET))
			return 0;
		if (k < 0) {
			TFAIL("recv: %s (the server hangs?)", strerror(errno));
			return -1;
		}
		c += k;
		n -= (size_t)k;
	}
	return 1;
}

/*
 * Read one frame: 1 with the header in *h and up to cap payload bytes in
 * payload (the rest dropped), 0 when the server closed the connection.
 */
static int
bi_read(int fd, struct bi_hdr *h, void *payload, size_t cap)
{
	uint8_t b[P_HDRLEN], junk[4096];
	size_t left;
	int rv;

	if ((rv = bi_recvn(fd, b, P_HDRLEN)) != 1)
		return rv < 0 ? -1 : 0;
	h->len = (uint32_t)get_le(b, 4);
	h->type = (uint16_t)get_le(b + 4, 2);
	h->flags = (uint16_t)get_le(b + 6, 2);
	h->tag = get_le(b + 8, 8);
	h->num = (uint32_t)get_le(b + 16, 4);
	h->error = (uint32_t)get_le(b + 20, 4);
	if (h->len < P_HDRLEN || h->len > P_MAX_FRAME) {
		TFAIL("the server sent a frame of length %u", h->len);
		return -1;
	}
	left = h->len - P_HDRLEN;
	if (left > 0 && (rv = bi_recvn(fd, payload, left < cap ? left :
	    cap)) != 1)
		return -1;
	for (left = left > cap ? left - cap : 0; left > 0;) {
		size_t k = left < sizeof(junk) ? left : sizeof(junk);

		if (bi_recvn(fd, junk, k) != 1)
			return -1;
		left -= k;
	}
	return 1;
}

/* The server must close the connection without sending anything more. */
static void
bi_expect_closed(int fd, const char *what)
{
	struct bi_hdr h;
	uint8_t p[64];
	int rv = bi_read(fd, &h, p, sizeof(p));

	if (rv == 1)
		TFAIL("%s: got a frame of type %u (error %u), expected the "
		    "connection to close", what, h.type, h.error);
	else if (rv < 0)
		TFAIL("%s: the connection stayed open", what);
}

/* Handshake on fd: the kernel pid, or -1. */
static int32_t
bi_hello_on(int fd)
{
	struct bb b = { 0 }, p = { 0 };
	struct bi_hdr h;
	uint8_t r[8];
	int32_t pid = -1;

	bb_hello(&p, "RUMPSP\0\0", 1, 0, "badinput");
	bb_frame(&b, P_HELLO, 0, 0, &p);
	if (bi_send(fd, b.b, b.len) == 0 && bi_read(fd, &h, r, 8) == 1 &&
	    h.type == P_HELLO_REPLY && h.error == 0 && h.len == P_HDRLEN + 8) {
		CHECK_EQ(get_le(r, 4), 1);		/* server version */
		pid = (int32_t)get_le(r + 4, 4);
	}
	bb_free(&b);
	bb_free(&p);
	CHECK(pid > 1);
	return pid;
}

/* A raw connection that completed its handshake; *pidp its kernel pid. */
static int
bi_session(const struct bi_ctx *c, int32_t *pidp)
{
	int fd = bi_connect(c);
	int32_t pid = fd >= 0 ? bi_hello_on(fd) : -1;

	if (pidp != NULL)
		*pidp = pid;
	return fd;
}

/* Send a SYSCALL frame with payload p (may be NULL). */
static int
bi_call_send(int fd, uint64_t tag, uint32_t num, const struct bb *p)
{
	struct bb b = { 0 };
	int rv;

	bb_frame(&b, P_SYSCALL, tag, num, p);
	rv = bi_send(fd, b.b, b.len);
	bb_free(&b);
	return rv;
}

/* Send a SYSCALL and read its reply: 1 with *h and *rv, 0 if closed. */
static int
bi_call(int fd, uint64_t tag, uint32_t num, const struct bb *p,
    struct bi_hdr *h, int64_t *rv, void *out, size_t outcap)
{
	uint8_t buf[8 + 256];
	int r;

	if (bi_call_send(fd, tag, num, p) != 0)
		return 0;
	if ((r = bi_read(fd, h, buf, sizeof(buf))) != 1)
		return r;
	if (h->len < P_HDRLEN + 8) {
		TFAIL("reply without a return value (len %u)", h->len);
		return -1;
	}
	*rv = (int64_t)get_le(buf, 8);
	if (out != NULL) {
		size_t n = h->len - P_HDRLEN - 8;

		memcpy(out, buf + 8, n < outcap ? n : outcap);
	}
	return 1;
}

/*
 * The call must be refused: a SYSCALL_REPLY with the REFUSED flag, the
 * given error, the request's tag and number, and only the return value
 * -1 as payload.  The connection stays up.
 */
static void
bi_expect_refused(int fd, uint32_t num, const struct bb *p, uint32_t err,
    const char *what)
{
	static uint64_t tag = 0x5100;
	struct bi_hdr h;
	int64_t rv;

	tag++;
	if (bi_call(fd, tag, num, p, &h, &rv, NULL, 0) != 1) {
		TFAIL("%s: no reply", what);
		return;
	}
	if (h.type != P_SYSCALL_REPLY || h.flags != P_REFUSED ||
	    h.error != err || h.tag != tag || h.num != num ||
	    h.len != P_HDRLEN + 8 || rv != -1)
		TFAIL("%s: reply type %u flags %#x error %u tag %#llx num %u "
		    "len %u rv %lld; expected a refusal with error %u", what,
		    h.type, h.flags, h.error, (unsigned long long)h.tag, h.num,
		    h.len, (long long)rv, err);
}

/* getpid on a raw session: the pid, or -1. */
static int64_t
bi_getpid(int fd)
{
	struct bi_hdr h;
	int64_t rv = -1;

	if (bi_call(fd, 77, 39, NULL, &h, &rv, NULL, 0) != 1 ||
	    h.type != P_SYSCALL_REPLY || h.flags != 0 || h.error != 0 ||
	    h.tag != 77)
		return -1;
	return rv;
}

/* The server process's resident memory in KiB. */
static long
bi_rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* Start a server and connect this process to it with librumpclient. */
static int
bi_setup(struct bi_ctx *c)
{
	memset(c, 0, sizeof(*c));
	if (ru_server_new(&c->srv, RU_UNIX) != 0)
		return -1;
	if (rumpclient_init() != 0) {
		TFAIL("rumpclient_init: %s", strerror(errno));
		return -1;
	}
	rumpclient_setconnretry(0);	/* a broken connection must show */
	c->kpid = rump_sys_getpid();
	CHECK(c->kpid > 1);
	c->ok = 1;
	return 0;
}

/*
 * Everyone else is unaffected: the server runs, our librumpclient
 * connection still is the same kernel process and its calls work, and a
 * new raw connection is served.
 */
static void
bi_others_ok(struct bi_ctx *c, const char *after)
{
	char buf[16] = { 0 };
	int status, fd;
	int32_t pid;

	if (waitpid(c->srv.rs_pid, &status, WNOHANG) != 0) {
		TFAIL("after %s: the server died (status %#x)", after, status);
		c->srv.rs_pid = -1;
		return;
	}
	if (rump_sys_getpid() != c->kpid)
		TFAIL("after %s: our librumpclient process changed", after);
	fd = rump_sys_open("/bi_alive", O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd < 0 || rump_sys_write(fd, "alive", 5) != 5 ||
	    rump_sys_pread(fd, buf, sizeof(buf), 0) != 5 ||
	    memcmp(buf, "alive", 5) != 0 || rump_sys_close(fd) != 0)
		TFAIL("after %s: file calls fail: %s", after, strerror(errno));
	fd = bi_session(c, &pid);
	if (fd < 0 || pid <= 1 || bi_getpid(fd) != pid)
		TFAIL("after %s: a new connection is not served", after);
	if (fd >= 0)
		close(fd);
}

/* Stop the server: it must exit cleanly. */
static void
bi_teardown(struct bi_ctx *c)
{
	if (c->srv.rs_pid > 0)
		CHECK_EQ(ru_server_stop(&c->srv), 0);
	ru_server_destroy(&c->srv);
}

/* Send raw bytes on a fresh connection (after a handshake if hello),
 * then expect the server to close it. */
static void
bi_send_expect_close(struct bi_ctx *c, int hello, const struct bb *b,
    const char *what)
{
	int fd = hello ? bi_session(c, NULL) : bi_connect(c);

	if (fd < 0)
		return;
	bi_send(fd, b->b, b->len);
	bi_expect_closed(fd, what);
	close(fd);
}

/* Headers the protocol does not allow: length under 24, over the
 * maximum, unknown types, flags in a request.  Closed, before and after
 * the handshake. */
TEST(bad_headers)
{
	static const struct {
		uint32_t len;
		uint16_t type, flags;
		const char *what;
	} bad[] = {
		{ 0, P_HELLO, 0, "len 0" },
		{ 23, P_SYSCALL, 0, "len 23" },
		{ P_MAX_FRAME + 1, P_SYSCALL, 0, "len max+1" },
		{ 0xffffffff, P_SYSCALL, 0, "len 2^32-1" },
		{ 24, 0, 0, "type 0" },
		{ 24, 13, 0, "type 13" },
		{ 24, 0xffff, 0, "type 0xffff" },
		{ 24, P_SYSCALL, P_REFUSED, "REFUSED in a request" },
		{ 24, P_SYSCALL, 0x8000, "flag 0x8000" },
		{ 24, P_HELLO, 0x2, "flag 0x2 on HELLO" },
	};
	struct bi_ctx c;

	if (bi_setup(&c) != 0)
		goto out;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int hello = 0; hello < 2; hello++) {
			struct bb b = { 0 };

			bb_hdr(&b, bad[i].len, bad[i].type, bad[i].flags, 1, 39);
			bi_send_expect_close(&c, hello, &b, bad[i].what);
			bb_free(&b);
		}
	}
	bi_others_ok(&c, "bad headers");
out:
	bi_teardown(&c);
}

/* Messages only a server sends, from a client: closed. */
TEST(server_types_from_client)
{
	uint16_t types[] = { P_HELLO_REPLY, P_SYSCALL_REPLY, P_PREFORK_REPLY,
	    P_FORK_CANCEL_REPLY, P_SIGNAL, P_SHUTDOWN, P_CHANNEL_REPLY };
	struct bi_ctx c;

	if (bi_setup(&c) != 0)
		goto out;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct bb b = { 0 };

		bb_hdr(&b, P_HDRLEN, types[i], 0, 1, 0);
		bi_send_expect_close(&c, 1, &b, "a server's message type");
		bb_free(&b);
	}
	bi_others_ok(&c, "server message types");
out:
	bi_teardown(&c);
}

/* Half a header, half a payload, then the client goes away. */
TEST(truncated_then_close)
{
	struct bi_ctx c;
	struct bb w = { 0 }, b = { 0 }, hp = { 0 };

	if (bi_setup(&c) != 0)
		goto out;
	bb_u64(&w, 1);				/* write(1, "abc...", 1000) */
	bb_u64(&w, 1000);
	for (int i = 0; i < 1000; i++)
		bb_u8(&w, 'a');
	bb_u64(&w, 1000);
	bb_frame(&b, P_SYSCALL, 9, 1, &w);
	bb_hello(&hp, "RUMPSP\0\0", 1, 0, "trunc");
	for (size_t cut = 1; cut < b.len; cut += cut < 30 ? 1 : 97) {
		for (int hello = 0; hello < 2; hello++) {
			int fd = hello ? bi_session(&c, NULL) : bi_connect(&c);
			struct bb f = { 0 };

			if (fd < 0)
				continue;
			if (hello)
				bi_send(fd, b.b, cut);
			else {
				bb_frame(&f, P_HELLO, 0, 0, &hp);
				bi_send(fd, f.b, cut < f.len ? cut : f.len - 1);
				bb_free(&f);
			}
			shutdown(fd, SHUT_WR);
			bi_expect_closed(fd, "a truncated frame");
			close(fd);
		}
	}
	bi_others_ok(&c, "truncated frames");
out:
	bb_free(&w);
	bb_free(&b);
	bb_free(&hp);
	bi_teardown(&c);
}

/*
 * A declared length over the maximum is refused before anything is
 * allocated or read: the 32 MiB the client then pushes are not buffered,
 * and the server's resident memory stays small.
 */
TEST(oversized_length)
{
	static const uint32_t lens[] = { P_MAX_FRAME + 1, 0x80000000u,
	    0xffffffffu };
	struct bi_ctx c;
	char *junk = calloc(1, 1 << 16);
	long rss0, rss1;

	if (bi_setup(&c) != 0)
		goto out;
	rss0 = bi_rss_kib(c.srv.rs_pid);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct bb b = { 0 };
		int fd = bi_session(&c, NULL);

		if (fd < 0)
			continue;
		bb_hdr(&b, lens[i], P_SYSCALL, 0, 1, 1);
		bi_send(fd, b.b, b.len);
		for (int k = 0; k < 512; k++)		/* up to 32 MiB */
			if (bi_send(fd, junk, 1 << 16) != 0)
				break;
		bi_expect_closed(fd, "an oversized frame");
		close(fd);
		bb_free(&b);
	}
	rss1 = bi_rss_kib(c.srv.rs_pid);
	CHECK(rss0 > 0 && rss1 > 0);
	if (rss1 - rss0 > 8192)
		TFAIL("server RSS grew from %ld to %ld KiB", rss0, rss1);
	bi_others_ok(&c, "oversized lengths");
out:
	free(junk);
	bi_teardown(&c);
}

/*
 * Frames that declare the largest allowed length and then stall: the
 * server waits for them without committing the declared memory.  32 of
 * them at 16 MiB would be 512 MiB; the server's RSS must grow by less
 * than a quarter of that (under ASan it grows by about 8 MiB).
 */
TEST(max_length_declared_not_sent)
{
	enum { N = 32 };
	struct bi_ctx c;
	int fds[N];
	char page[4096];
	long rss0, rss1;

	memset(page, 'q', sizeof(page));
	if (bi_setup(&c) != 0)
		goto out;
	rss0 = bi_rss_kib(c.srv.rs_pid);
	for (int i = 0; i < N; i++) {
		struct bb b = { 0 };

		if ((fds[i] = bi_session(&c, NULL)) < 0)
			continue;
		bb_hdr(&b, P_MAX_FRAME, P_SYSCALL, 0, 1, 1);
		bb_u64(&b, 1);
		bb_u64(&b, P_MAX_FRAME - P_HDRLEN - 24);
		bi_send(fds[i], b.b, b.len);
		bi_send(fds[i], page, sizeof(page));
		bb_free(&b);
	}
	bi_others_ok(&c, "stalled maximal frames");
	rss1 = bi_rss_kib(c.srv.rs_pid);
	CHECK(rss0 > 0 && rss1 > 0);
	if (rss1 - rss0 > 4096 * N)	/* a quarter: sanitizers add some */
		TFAIL("server RSS grew from %ld to %ld KiB for %d stalled "
		    "frames", rss0, rss1, N);
	for (int i = 0; i < N; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	bi_others_ok(&c, "closing stalled maximal frames");
out:
	bi_teardown(&c);
}

/* Anything but HELLO first closes the connection, with no reply. */
TEST(frames_before_hello)
{
	struct bi_ctx c;
	struct bb p = { 0 };

	if (bi_setup(&c) != 0)
		goto out;
	for (int i = 0; i < 16; i++)
		bb_u8(&p, 0);
	for (int t = 0; t < 3; t++) {
		struct bb b = { 0 };

		if (t == 0)
			bb_frame(&b, P_SYSCALL, 1, 39, NULL);	/* getpid */
		else if (t == 1)
			bb_frame(&b, P_PREFORK, 1, 0, NULL);
		else
			bb_frame(&b, P_FORK_CANCEL, 1, 0, &p);
		bi_send_expect_close(&c, 0, &b, "a frame before HELLO");
		bb_free(&b);
	}
	bi_others_ok(&c, "frames before HELLO");
out:
	bb_free(&p);
	bi_teardown(&c);
}

/* Send a HELLO payload on a new connection: the reply's error, which
 * must be followed by the connection closing when nonzero. */
static uint32_t
bi_hello_error(struct bi_ctx *c, const struct bb *p, const char *what)
{
	struct bb b = { 0 };
	struct bi_hdr h;
	uint8_t r[8];
	uint32_t err = 0xffffffff;
	int fd = bi_connect(c);

	if (fd < 0)
		return err;
	bb_frame(&b, P_HELLO, 0, 0, p);
	bi_send(fd, b.b, b.len);
	if (bi_read(fd, &h, r, sizeof(r)) != 1 || h.type != P_HELLO_REPLY)
		TFAIL("%s: no HELLO_REPLY", what);
	else {
		err = h.error;
		CHECK_EQ(h.len, P_HDRLEN + 8);
		CHECK_EQ(get_le(r, 4), 1);	/* the server's version */
		if (err != 0)
			bi_expect_closed(fd, what);
	}
	close(fd);
	bb_free(&b);
	return err;
}

/* Bad banners, versions, kinds and payloads in the handshake. */
TEST(bad_hello)
{
	struct bi_ctx c;
	struct bb p = { 0 };

	if (bi_setup(&c) != 0)
		goto out;
	bb_hello(&p, "RUMPXX\0\0", 1, 0, "x");
	CHECK_EQ(bi_hello_error(&c, &p, "bad magic"), EPROTO);
	bb_free(&p);
	bb_hello(&p, "rumpsp\0\0", 1, 0, "x");
	CHECK_EQ(bi_hello_error(&c, &p, "lower-case magic"), EPROTO);
	for (uint32_t v = 0; v < 4; v++) {
		if (v == 1)
			continue;
		bb_free(&p);
		bb_hello(&p, "RUMPSP\0\0", v, 0, "x");
		CHECK_EQ(bi_hello_error(&c, &p, "version"), EPROTONOSUPPORT);
	}
	bb_free(&p);
	bb_hello(&p, "RUMPSP\0\0", 0xffffffff, 0, "x");
	CHECK_EQ(bi_hello_error(&c, &p, "version"), EPROTONOSUPPORT);
	bb_free(&p);
	bb_hello(&p, "RUMPSP\0\0", 1, 3, "x");
	CHECK_EQ(bi_hello_error(&c, &p, "kind 3"), EPROTO);
	bb_free(&p);
	bb_hello(&p, "RUMPSP\0\0", 1, 2, "x");
	CHECK_EQ(bi_hello_error(&c, &p, "exec as the first HELLO"), EPROTO);
	bb_free(&p);
	bb_hello(&p, "RUMPSP\0\0", 1, 1, "x");	/* fork, unknown cookie */
	CHECK_EQ(bi_hello_error(&c, &p, "unknown fork cookie"), ESRCH);
	bb_free(&p);
	bb_hello(&p, "RUMPSP\0\0", 1, 0, "x");
	p.len -= 3;				/* name runs past the end */
	CHECK_EQ(bi_hello_error(&c, &p, "short name"), EPROTO);
	bb_free(&p);
	bb_hello(&p, "RUMPSP\0\0", 1, 0, "x");
	bb_u8(&p, 0);				/* a byte too many */
	CHECK_EQ(bi_hello_error(&c, &p, "trailing byte"), EPROTO);
	bb_free(&p);
	bb_bytes(&p, "RUMPSP\0\0", 8);		/* only the banner */
	CHECK_EQ(bi_hello_error(&c, &p, "banner only"), EPROTO);
	bb_free(&p);
	bb_hello(&p, "RUMPSP\0\0", 1, 0, "");
	p.b[p.len - 4] = 0xff;			/* name length 0xff000000 */
	p.b[p.len - 1] = 0xff;
	CHECK_EQ(bi_hello_error(&c, &p, "huge name length"), EPROTO);
	bb_free(&p);
	/* Control characters and a long name are accepted (and cleaned). */
	bb_hello(&p, "RUMPSP\0\0", 1, 0,
	    "\x01\x1b[31mname-that-is-longer-than-thirty-one-bytes\n");
	CHECK_EQ(bi_hello_error(&c, &p, "odd name"), 0);
	bi_others_ok(&c, "bad handshakes");
out:
	bb_free(&p);
	bi_teardown(&c);
}

/* A second HELLO (not exec) is refused, the connection closed and its
 * kernel process ends. */
TEST(hello_twice)
{
	struct bi_ctx c;
	struct bb b = { 0 }, p = { 0 };
	struct bi_hdr h;
	uint8_t r[8];
	int32_t pid;
	int fd;

	if (bi_setup(&c) != 0 || (fd = bi_session(&c, &pid)) < 0)
		goto out;
	CHECK_EQ(bi_getpid(fd), pid);
	bb_hello(&p, "RUMPSP\0\0", 1, 0, "again");
	bb_frame(&b, P_HELLO, 0, 0, &p);
	bi_send(fd, b.b, b.len);
	CHECK_EQ(bi_read(fd, &h, r, sizeof(r)), 1);
	CHECK_EQ(h.type, P_HELLO_REPLY);
	CHECK_EQ(h.error, EPROTO);
	bi_expect_closed(fd, "a second HELLO");
	close(fd);
	CHECK_EQ(ru_proc_wait_gone(pid), 0);
	bi_others_ok(&c, "HELLO twice");
out:
	bb_free(&b);
	bb_free(&p);
	bi_teardown(&c);
}

/*
 * Frames sent right behind the HELLO, before its reply, run in the new
 * process: the server must not start them before the handshake is done
 * (they once ran as init, pid 1, on a worker without a process).
 */
TEST(pipelined_hello)
{
	struct bi_ctx c;

	if (bi_setup(&c) != 0)
		goto out;
	for (int i = 0; i < 200; i++) {
		struct bb b = { 0 }, p = { 0 };
		struct bi_hdr h;
		uint8_t r[16];
		int fd = bi_connect(&c);

		if (fd < 0)
			break;
		bb_hello(&p, "RUMPSP\0\0", 1, 0, "pipelined");
		bb_frame(&b, P_HELLO, 0, 0, &p);
		for (int k = 0; k < 4; k++)
			bb_frame(&b, P_SYSCALL, 100 + k, 39, NULL);
		bi_send(fd, b.b, b.len);
		if (bi_read(fd, &h, r, sizeof(r)) != 1 ||
		    h.type != P_HELLO_REPLY || h.error != 0) {
			TFAIL("round %d: no HELLO_REPLY", i);
			close(fd);
			bb_free(&b);
			bb_free(&p);
			continue;
		}
		for (int k = 0; k < 4; k++) {
			uint8_t rv[8];

			if (bi_read(fd, &h, rv, sizeof(rv)) != 1 ||
			    h.type != P_SYSCALL_REPLY || h.error != 0) {
				TFAIL("round %d: call %d got no reply", i, k);
				break;
			}
			if (get_le(rv, 8) != get_le(r + 4, 4))
				TFAIL("round %d: getpid %lld in process %lld",
				    i, (long long)get_le(rv, 8),
				    (long long)get_le(r + 4, 4));
		}
		close(fd);
		bb_free(&b);
		bb_free(&p);
	}
	bi_others_ok(&c, "pipelined HELLO");
out:
	bi_teardown(&c);
}

/* write(fd, data, count) payload with n bytes declared, have sent. */
static void
bb_write(struct bb *p, uint64_t fd, uint64_t n, size_t have, uint64_t count)
{
	bb_u64(p, fd);
	bb_u64(p, n);
	for (size_t i = 0; i < have; i++)
		bb_u8(p, 'd');
	bb_u64(p, count);
}

/* SYSCALL payloads whose lengths disagree with their arguments or with
 * the frame: refused with EINVAL, the connection stays. */
TEST(syscall_lengths_disagree)
{
	struct bi_ctx c;
	int32_t pid;
	int fd;

	if (bi_setup(&c) != 0 || (fd = bi_session(&c, &pid)) < 0)
		goto out;
	for (int t = 0; t < 9; t++) {
		struct bb p = { 0 };

		switch (t) {
		case 0: bb_write(&p, 1, 5, 5, 4); break;   /* count < n */
		case 1: bb_write(&p, 1, 5, 5, 6); break;   /* count > n */
		case 2: bb_write(&p, 1, 9, 5, 9); break;   /* data short */
		case 3: bb_write(&p, 1, 5, 5, 5); bb_u8(&p, 0); break;
		case 4: bb_u32(&p, 0); break;		   /* close: short */
		case 5: bb_u64(&p, 0); bb_u64(&p, 64); bb_u64(&p, 65);
			break;				   /* read cap */
		case 6: bb_u32(&p, 2); break;		   /* pipe[2]: 2 */
		case 7: bb_u32(&p, 4); bb_bytes(&p, "kern", 4); bb_u8(&p, 1);
			bb_u64(&p, 16); bb_u8(&p, 1); bb_u64(&p, 17);
			bb_u8(&p, 0); bb_u64(&p, 0);
			break;		/* sysctlbyname: *oldlenp != cap */
		case 8: bb_u64(&p, 3); bb_u8(&p, 7); break; /* opt byte */
		}
		bi_expect_refused(fd, t < 4 ? 1 : t == 4 ? 3 : t == 5 ? 0 :
		    t == 6 ? 22 : t == 7 ? 500 : 280, &p, EINVAL,
		    "a payload that disagrees");
		bb_free(&p);
	}
	CHECK_EQ(bi_getpid(fd), pid);		/* same connection */
	close(fd);
	bi_others_ok(&c, "payloads that disagree");
out:
	bi_teardown(&c);
}

/* open(path, O_CREAT|O_WRONLY, 0644) payload with the path's bytes. */
static void
bb_open(struct bb *p, const void *path, uint32_t n)
{
	bb_u32(p, n);
	bb_bytes(p, path, n);
	bb_u64(p, 0x41);			/* O_WRONLY | O_CREAT */
	bb_u64(p, 0644);
}

/* Strings with NUL bytes inside or at the end are refused, so that no
 * call runs on a shortened path. */
TEST(embedded_nul)
{
	struct bi_ctx c;
	struct bb p = { 0 };
	int fd;

	if (bi_setup(&c) != 0 || (fd = bi_session(&c, NULL)) < 0)
		goto out;
	bb_open(&p, "/nul\0evil", 9);
	bi_expect_refused(fd, 2, &p, EINVAL, "a NUL inside a path");
	bb_free(&p);
	bb_open(&p, "/nul\0", 5);
	bi_expect_refused(fd, 2, &p, EINVAL, "a NUL ending a path");
	bb_free(&p);
	bb_open(&p, "\0", 1);
	bi_expect_refused(fd, 2, &p, EINVAL, "a path of one NUL");
	bb_free(&p);
	/* rename("/nul", "/x\0y") */
	bb_u32(&p, 4);
	bb_bytes(&p, "/nul", 4);
	bb_u32(&p, 4);
	bb_bytes(&p, "/x\0y", 4);
	bi_expect_refused(fd, 82, &p, EINVAL, "a NUL in rename's target");
	bb_free(&p);
	CHECK_ERR(rump_sys_access("/nul", F_OK), ENOENT);
	CHECK_ERR(rump_sys_access("/x", F_OK), ENOENT);
	close(fd);
	bi_others_ok(&c, "NUL bytes in strings");
out:
	bb_free(&p);
	bi_teardown(&c);
}

/* Counts and lengths over the protocol's limits: refused. */
TEST(counts_over_limits)
{
	struct bi_ctx c;
	struct bb p = { 0 };
	int fd;

	if (bi_setup(&c) != 0 || (fd = bi_session(&c, NULL)) < 0)
		goto out;
	/* writev with 1025 empty vectors */
	bb_u64(&p, 1);
	bb_u32(&p, P_MAX_IOV + 1);
	for (uint32_t i = 0; i < P_MAX_IOV + 1; i++)
		bb_u64(&p, 0);
	bb_u64(&p, P_MAX_IOV + 1);
	bi_expect_refused(fd, 20, &p, EINVAL, "writev with 1025 vectors");
	bb_free(&p);
	/* readv asking for 16 MiB + 1 in two vectors */
	bb_u64(&p, 0);
	bb_u32(&p, 2);
	bb_u64(&p, 8u << 20);
	bb_u64(&p, (8u << 20) + 1);
	bb_u64(&p, 2);
	bi_expect_refused(fd, 19, &p, EINVAL, "readv of 16 MiB + 1");
	bb_free(&p);
	/* read(0, buf, 16 MiB + 1) */
	bb_u64(&p, 0);
	bb_u64(&p, (16u << 20) + 1);
	bb_u64(&p, (16u << 20) + 1);
	bi_expect_refused(fd, 0, &p, EINVAL, "read of 16 MiB + 1");
	bb_free(&p);
	/* a path of 65537 bytes */
	{
		char *s = malloc(P_MAX_STR + 1);

		memset(s, 'p', P_MAX_STR + 1);
		bb_open(&p, s, P_MAX_STR + 1);
		bi_expect_refused(fd, 2, &p, EINVAL, "a 65537-byte path");
		bb_free(&p);
		free(s);
	}
	/* poll with 2^32-1 descriptors, and a count over what is sent */
	bb_u32(&p, 0xffffffff);
	bb_u64(&p, 0xffffffff);
	bb_u64(&p, 0);
	bi_expect_refused(fd, 7, &p, EINVAL, "poll of 2^32-1 fds");
	bb_free(&p);
	bb_u32(&p, 1000);
	for (int i = 0; i < 8; i++)
		bb_u8(&p, 0);
	bb_u64(&p, 1000);
	bb_u64(&p, 0);
	bi_expect_refused(fd, 7, &p, EINVAL, "poll with fds missing");
	bb_free(&p);
	/* write with a 2^63 length */
	bb_write(&p, 1, 1ULL << 63, 0, 1ULL << 63);
	bi_expect_refused(fd, 1, &p, EINVAL, "a 2^63-byte write");
	close(fd);
	bi_others_ok(&c, "counts over the limits");
out:
	bb_free(&p);
	bi_teardown(&c);
}

/* Numbers the table does not have: ENOSYS, refused, connection up. */
TEST(unknown_syscalls)
{
	static const uint32_t nums[] = { 23, 9999, 0x7fffffff, 0x80000000u,
	    0xffffffffu, 1000 };
	struct bi_ctx c;
	struct bb p = { 0 };
	int32_t pid;
	int fd;

	if (bi_setup(&c) != 0 || (fd = bi_session(&c, &pid)) < 0)
		goto out;
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		bi_expect_refused(fd, nums[i], NULL, ENOSYS, "an unknown call");
		bb_u64(&p, 1);
		bi_expect_refused(fd, nums[i], &p, ENOSYS,
		    "an unknown call with arguments");
		bb_free(&p);
	}
	CHECK_EQ(bi_getpid(fd), pid);
	close(fd);
	bi_others_ok(&c, "unknown calls");
out:
	bi_teardown(&c);
}

/* Many requests in flight on one connection: each reply has its tag. */
TEST(tags_echoed)
{
	enum { N = 48 };
	struct bi_ctx c;
	struct bb b = { 0 };
	int seen[N] = { 0 };
	int32_t pid;
	int fd;

	if (bi_setup(&c) != 0 || (fd = bi_session(&c, &pid)) < 0)
		goto out;
	for (int i = 0; i < N; i++)
		bb_frame(&b, P_SYSCALL, 0xabc00000ULL + i, i % 2 ? 39 : 23,
		    NULL);
	bi_send(fd, b.b, b.len);
	for (int i = 0; i < N; i++) {
		struct bi_hdr h;
		uint8_t r[8];
		uint64_t k;

		if (bi_read(fd, &h, r, sizeof(r)) != 1) {
			TFAIL("reply %d missing", i);
			break;
		}
		k = h.tag - 0xabc00000ULL;
		if (h.type != P_SYSCALL_REPLY || k >= N || seen[k]++) {
			TFAIL("reply %d: type %u tag %#llx", i, h.type,
			    (unsigned long long)h.tag);
			continue;
		}
		if (k % 2) {
			CHECK_EQ(h.num, 39);
			CHECK_EQ(h.error, 0);
			CHECK_EQ(get_le(r, 8), pid);
		} else {
			CHECK_EQ(h.num, 23);
			CHECK_EQ(h.error, ENOSYS);
			CHECK_EQ(h.flags, P_REFUSED);
		}
	}
	close(fd);
	bi_others_ok(&c, "many tags");
out:
	bb_free(&b);
	bi_teardown(&c);
}

/* FORK_CANCEL with a payload that is not a cookie, or an unknown one. */
TEST(bad_fork_cancel)
{
	struct bi_ctx c;
	int32_t pid;
	int fd;

	if (bi_setup(&c) != 0 || (fd = bi_session(&c, &pid)) < 0)
		goto out;
	for (int n = 0; n < 3; n++) {
		struct bb b = { 0 }, p = { 0 };
		struct bi_hdr h;
		uint8_t r[8];
		int len = n == 0 ? 0 : n == 1 ? 15 : 16;

		for (int i = 0; i < len; i++)
			bb_u8(&p, 0xc0);
		bb_frame(&b, P_FORK_CANCEL, 5, 0, &p);
		bi_send(fd, b.b, b.len);
		CHECK_EQ(bi_read(fd, &h, r, sizeof(r)), 1);
		CHECK_EQ(h.type, P_FORK_CANCEL_REPLY);
		CHECK_EQ(h.tag, 5);
		CHECK_EQ(h.error, len == 16 ? ESRCH : EINVAL);
		bb_free(&b);
		bb_free(&p);
	}
	CHECK_EQ(bi_getpid(fd), pid);
	close(fd);
	bi_others_ok(&c, "bad FORK_CANCEL");
out:
	bi_teardown(&c);
}

/* xorshift64: deterministic "random" bytes. */
static uint64_t
bi_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * Random bytes, before and after the handshake, then the client stops
 * sending.  The server may answer or close, but must not die; whatever
 * it sends is a well-formed frame.
 */
TEST(random_bytes)
{
	struct bi_ctx c;
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	if (bi_setup(&c) != 0)
		goto out;
	for (int round = 0; round < 60; round++) {
		size_t n = 1 + bi_rand(&x) % 3000;
		uint8_t *b = malloc(n);
		int fd = round % 2 ? bi_session(&c, NULL) : bi_connect(&c);
		struct bi_hdr h;
		uint8_t r[64];
		int frames = 0;

		for (size_t i = 0; i < n; i++)
			b[i] = (uint8_t)bi_rand(&x);
		if (round % 4 == 1 && n >= P_HDRLEN) {
			/* A well-formed header over random arguments of a
			 * random call, except kill and reboot, which would
			 * hit this test or the server. */
			uint32_t num = (uint32_t)(bi_rand(&x) % 512);

			if (num == 62 || num == 169)
				num = 23;
			for (int k = 0; k < 4; k++)
				b[k] = (uint8_t)(n >> (8 * k));
			b[4] = P_SYSCALL, b[5] = b[6] = b[7] = 0;
			for (int k = 0; k < 4; k++)
				b[16 + k] = (uint8_t)(num >> (8 * k));
		}
		if (fd < 0) {
			free(b);
			continue;
		}
		bi_send(fd, b, n);
		shutdown(fd, SHUT_WR);
		while (bi_read(fd, &h, r, sizeof(r)) == 1 && frames < 1000)
			if (h.type != P_SYSCALL_REPLY && h.type !=
			    P_HELLO_REPLY) {
				TFAIL("round %d: frame type %u", round, h.type);
				break;
			} else
				frames++;
		close(fd);
		free(b);
		if (round % 20 == 19)
			bi_others_ok(&c, "random bytes");
	}
out:
	bi_teardown(&c);
}

/*
 * Slow-loris: clients that send half a frame and then nothing hold only
 * their own connection.  Others connect, handshake and call meanwhile;
 * when the slow ones finally finish their frames they are answered.
 */
TEST(slow_loris)
{
	enum { N = 16 };
	struct bi_ctx c;
	struct bb hello = { 0 }, hp = { 0 }, call = { 0 }, w = { 0 };
	int fds[N];
	int32_t pids[N];

	if (bi_setup(&c) != 0)
		goto out;
	bb_hello(&hp, "RUMPSP\0\0", 1, 0, "slow");
	bb_frame(&hello, P_HELLO, 0, 0, &hp);
	bb_write(&w, 1, 2000, 2000, 2000);	/* write(1, ..., 2000) */
	bb_frame(&call, P_SYSCALL, 42, 1, &w);
	/* Even: half a HELLO.  Odd: handshake done, half a call. */
	for (int i = 0; i < N; i++) {
		pids[i] = -1;
		fds[i] = i % 2 ? bi_session(&c, &pids[i]) : bi_connect(&c);
		if (fds[i] < 0)
			continue;
		if (i % 2)
			bi_send(fds[i], call.b, call.len / 2);
		else
			bi_send(fds[i], hello.b, i < 8 ? 10 : hello.len / 2);
	}
	bi_others_ok(&c, "slow clients holding half frames");
	for (int i = 0; i < N; i++) {
		struct bi_hdr h;
		uint8_t r[8];

		if (fds[i] < 0)
			continue;
		if (i % 2) {
			bi_send(fds[i], call.b + call.len / 2,
			    call.len - call.len / 2);
			CHECK_EQ(bi_read(fds[i], &h, r, sizeof(r)), 1);
			CHECK_EQ(h.type, P_SYSCALL_REPLY);
			CHECK_EQ(h.tag, 42);
			CHECK_EQ(h.flags, 0);	/* it ran: fd 1 is EBADF */
			CHECK_EQ(h.error, EBADF);
			CHECK_EQ(bi_getpid(fds[i]), pids[i]);
		} else {
			size_t sent = i < 8 ? 10 : hello.len / 2;

			bi_send(fds[i], hello.b + sent, hello.len - sent);
			CHECK_EQ(bi_read(fds[i], &h, r, sizeof(r)), 1);
			CHECK_EQ(h.type, P_HELLO_REPLY);
			CHECK_EQ(h.error, 0);
			CHECK_EQ(bi_getpid(fds[i]), (int64_t)get_le(r + 4, 4));
		}
		close(fds[i]);
	}
	bi_others_ok(&c, "slow clients");
out:
	bb_free(&hello);
	bb_free(&hp);
	bb_free(&call);
	bb_free(&w);
	bi_teardown(&c);
}

/* Refused calls do not poison the connection: a real call after each
 * runs in the same process, and the process's state is intact. */
TEST(refusals_keep_session)
{
	struct bi_ctx c;
	struct bb p = { 0 };
	struct bi_hdr h;
	int64_t rv;
	int32_t pid;
	int fd;

	if (bi_setup(&c) != 0 || (fd = bi_session(&c, &pid)) < 0)
		goto out;
	/* mkdir("/refused-ok", 0755) works between refusals. */
	for (int i = 0; i < 20; i++) {
		bi_expect_refused(fd, 9999, NULL, ENOSYS, "unknown");
		bb_write(&p, 1, 3, 3, 4);
		bi_expect_refused(fd, 1, &p, EINVAL, "bad write");
		bb_free(&p);
		CHECK_EQ(bi_getpid(fd), pid);
	}
	bb_u32(&p, 11);
	bb_bytes(&p, "/refused-ok", 11);
	bb_u64(&p, 0755);
	CHECK_EQ(bi_call(fd, 3, 83, &p, &h, &rv, NULL, 0), 1);
	CHECK_EQ(h.error, 0);
	CHECK_EQ(rv, 0);
	bb_free(&p);
	CHECK_OK(rump_sys_access("/refused-ok", F_OK));
	close(fd);
	bi_others_ok(&c, "refusals");
out:
	bi_teardown(&c);
}
