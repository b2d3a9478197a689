/*
 * remote_server_test.c: rump_server as a program (options, errors with
 * their messages and exit status, detaching, SIGTERM, the socket's mode)
 * and as the far end of raw wire frames written by hand from
 * doc/protocol.md (handshake errors, frames before the handshake,
 * oversized frames, a request pipelined behind HELLO).
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "remote_util.h"

/* Output must contain needle. */
#define CHECK_CONTAINS(out, needle) do { \
	if (strstr((out), (needle)) == NULL) \
		TFAIL("output \"%s\" lacks \"%s\"", (out), (needle)); \
	} while (0)

TEST(help)
{
	char out[4096];

	CHECK_EQ(ru_run_server((char *[]){ "rump_server", "--help", NULL },
	    out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "usage: rump_server");
	CHECK_CONTAINS(out, "unix://");
	CHECK_CONTAINS(out, "tcp://");
	CHECK_CONTAINS(out, "-s");
}

TEST(usage_errors)
{
	char out[4096];

	CHECK_EQ(ru_run_server((char *[]){ "rump_server", NULL }, out,
	    sizeof(out)), 2);
	CHECK_CONTAINS(out, "usage: rump_server");
	CHECK_EQ(ru_run_server((char *[]){ "rump_server", "-x",
	    "unix:///tmp/x", NULL }, out, sizeof(out)), 2);
	CHECK_CONTAINS(out, "usage: rump_server");
	CHECK_EQ(ru_run_server((char *[]){ "rump_server", "-c", "0",
	    "unix:///tmp/x", NULL }, out, sizeof(out)), 2);
	CHECK_CONTAINS(out, "-c 0");
	CHECK_EQ(ru_run_server((char *[]){ "rump_server", "-r", "12q",
	    "unix:///tmp/x", NULL }, out, sizeof(out)), 2);
	CHECK_CONTAINS(out, "-r 12q");
}

/* URL must be refused with status 1 and a message naming it, in the
 * foreground and when detaching. */
static void
check_bad_url(const char *url, const char *why)
{
	char out[4096], want[256];

	snprintf(want, sizeof(want), "bad server URL \"%s\": %s", url, why);
	CHECK_EQ(ru_run_server((char *[]){ "rump_server", "-s", (char *)url,
	    NULL }, out, sizeof(out)), 1);
	CHECK_CONTAINS(out, want);
	CHECK_EQ(ru_run_server((char *[]){ "rump_server", (char *)url, NULL },
	    out, sizeof(out)), 1);
	CHECK_CONTAINS(out, want);
}

TEST(bad_url)
{
	check_bad_url("foo://bar", "scheme must be unix:// or tcp://");
	check_bad_url("unix://", "no socket path");
	check_bad_url("tcp://127.0.0.1", "expected tcp://address:port");
	check_bad_url("tcp://127.0.0.1:70000",
	    "port must be a number from 1 to 65535");
	check_bad_url("tcp://example.org:80",
	    "address must be a numeric IPv4 or [IPv6] address");
}

TEST(unix_path_in_use)
{
	struct ru_server s;
	char out[4096], want[256];

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	snprintf(want, sizeof(want), "%s: a server is already listening there",
	    s.rs_path);
	CHECK_EQ(ru_run_server((char *[]){ "rump_server", "-s", s.rs_url,
	    NULL }, out, sizeof(out)), 1);
	CHECK_CONTAINS(out, want);
	CHECK_EQ(ru_run_server((char *[]){ "rump_server", s.rs_url, NULL },
	    out, sizeof(out)), 1);
	CHECK_CONTAINS(out, want);
	/* The first server still has its socket and serves. */
	CHECK_EQ(rumpclient_init(), 0);
	CHECK(rump_sys_getpid() > 1);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

TEST(unix_path_not_a_socket)
{
	struct ru_server s;
	char out[4096], want[256], buf[8] = { 0 };
	int fd;

	CHECK_EQ(ru_server_init(&s, RU_UNIX), 0);
	fd = CHECK_OK(open(s.rs_path, O_WRONLY | O_CREAT | O_EXCL, 0644));
	CHECK_EQ(write(fd, "data", 4), 4);
	close(fd);
	snprintf(want, sizeof(want), "%s exists and is not a socket",
	    s.rs_path);
	CHECK_EQ(ru_run_server((char *[]){ "rump_server", "-s", s.rs_url,
	    NULL }, out, sizeof(out)), 1);
	CHECK_CONTAINS(out, want);
	/* The file is left alone. */
	fd = CHECK_OK(open(s.rs_path, O_RDONLY));
	CHECK_EQ(read(fd, buf, sizeof(buf)), 4);
	CHECK_STR(buf, "data");
	close(fd);
	ru_server_destroy(&s);
}

TEST(unix_stale_socket_is_replaced)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct ru_server s;
	int fd;

	CHECK_EQ(ru_server_init(&s, RU_UNIX), 0);
	memcpy(sun.sun_path, s.rs_path, strlen(s.rs_path) + 1);
	/* A socket file nobody listens on, as a crashed server leaves. */
	fd = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(bind(fd, (struct sockaddr *)&sun, sizeof(sun)));
	close(fd);
	CHECK_EQ(ru_server_start(&s), 0);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK(rump_sys_getpid() > 1);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

TEST(tcp_port_in_use)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	char out[4096], url[64], want[128];
	int fd;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = CHECK_OK(socket(AF_INET, SOCK_STREAM, 0));
	CHECK_OK(bind(fd, (struct sockaddr *)&sin, sizeof(sin)));
	CHECK_OK(listen(fd, 1));
	CHECK_OK(getsockname(fd, (struct sockaddr *)&sin, &len));
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", ntohs(sin.sin_port));
	snprintf(want, sizeof(want), "cannot bind 127.0.0.1:%d: %s",
	    ntohs(sin.sin_port), strerror(EADDRINUSE));
	CHECK_EQ(ru_run_server((char *[]){ "rump_server", "-s", url, NULL },
	    out, sizeof(out)), 1);
	CHECK_CONTAINS(out, want);
	CHECK_EQ(ru_run_server((char *[]){ "rump_server", url, NULL }, out,
	    sizeof(out)), 1);
	CHECK_CONTAINS(out, want);
	close(fd);
}

TEST(sigterm_removes_socket)
{
	struct ru_server s;
	struct stat st;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	CHECK_OK(lstat(s.rs_path, &st));
	CHECK_EQ(ru_server_stop(&s), 0);	/* SIGTERM; exit status 0 */
	CHECK_ERR(lstat(s.rs_path, &st), ENOENT);
	/* SIGINT too. */
	CHECK_EQ(ru_server_start(&s), 0);
	kill(s.rs_pid, SIGINT);
	CHECK_EQ(ru_wait(s.rs_pid), 0);
	s.rs_pid = -1;
	CHECK_ERR(lstat(s.rs_path, &st), ENOENT);
	ru_server_destroy(&s);
}

TEST(socket_mode_0600)
{
	struct ru_server s;
	struct stat st;

	/* Owner-only whatever the umask says. */
	umask(0);
	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	CHECK_OK(lstat(s.rs_path, &st));
	CHECK(S_ISSOCK(st.st_mode));
	CHECK_EQ(st.st_mode & 07777, 0600);
	CHECK_EQ(st.st_uid, getuid());
	CHECK_EQ(ru_server_stop(&s), 0);
	umask(0777);
	CHECK_EQ(ru_server_start(&s), 0);
	CHECK_OK(lstat(s.rs_path, &st));
	CHECK_EQ(st.st_mode & 07777, 0600);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

/* The pid of the process listening on a unix socket. */
static pid_t
peer_pid(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct ucred cred = { .pid = -1 };
	socklen_t len = sizeof(cred);
	int fd;

	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
		cred.pid = -1;
	close(fd);
	return cred.pid;
}

TEST(detaches_when_ready)
{
	struct ru_server s;
	struct stat st;
	char out[4096];
	pid_t pid;
	int gone = 0;

	CHECK_EQ(ru_server_init(&s, RU_UNIX), 0);
	/* The parent exits 0 only once the server listens... */
	CHECK_EQ(ru_run_server((char *[]){ "rump_server", s.rs_url, NULL },
	    out, sizeof(out)), 0);
	CHECK_STR(out, "");
	CHECK_OK(lstat(s.rs_path, &st));
	/* ...so a client connects at once, without retrying. */
	setenv("RUMP_SERVER", s.rs_url, 1);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK(rump_sys_getpid() > 1);
	pid = peer_pid(s.rs_path);
	CHECK(pid > 0 && pid != getpid());
	/* It is in a session of its own, not ours. */
	CHECK(pid > 0 && getsid(pid) == pid);
	if (pid > 0)
		kill(pid, SIGTERM);
	for (int waited = 0; waited < 30000 && !gone; waited += 10) {
		gone = kill(pid, 0) != 0 && errno == ESRCH &&
		    lstat(s.rs_path, &st) != 0;
		ru_msleep(10);
	}
	CHECK(gone);
	CHECK_ERR(rump_sys_getpid(), ENOTCONN);
	ru_server_destroy(&s);
}

/* Raw frames, encoded here from doc/protocol.md. */
enum { HELLO = 1, HELLO_REPLY, SYSCALL, SYSCALL_REPLY, PREFORK,
	PREFORK_REPLY };

static size_t
put_hdr(uint8_t *b, uint32_t len, uint16_t type, uint64_t tag, uint32_t num)
{
	memset(b, 0, 24);
	memcpy(b, &len, 4);		/* x86-64: little-endian already */
	memcpy(b + 4, &type, 2);
	memcpy(b + 8, &tag, 8);
	memcpy(b + 16, &num, 4);
	return 24;
}

/* A HELLO frame into b; its length. */
static size_t
put_hello(uint8_t *b, const char *magic, uint32_t version, uint32_t kind,
    const uint8_t *cookie)
{
	uint32_t pid = (uint32_t)getpid(), namelen = 3;
	size_t n = 24;

	memcpy(b + n, magic, 8);
	n += 8;
	memcpy(b + n, &version, 4);
	n += 4;
	memcpy(b + n, &kind, 4);
	n += 4;
	if (cookie != NULL)
		memcpy(b + n, cookie, 16);
	else
		memset(b + n, 0, 16);
	n += 16;
	memcpy(b + n, &pid, 4);
	n += 4;
	memcpy(b + n, &namelen, 4);
	n += 4;
	memcpy(b + n, "raw", 3);
	n += 3;
	put_hdr(b, (uint32_t)n, HELLO, 1, 0);
	return n;
}

/* A raw connection to the server. */
static int
raw_connect(const struct ru_server *s)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memcpy(sun.sun_path, s->rs_path, strlen(s->rs_path) + 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		TFAIL("raw connect: %s", strerror(errno));
	return fd;
}

struct raw_reply {
	uint32_t len, num, error;
	uint16_t type, flags;
	uint64_t tag;
	uint8_t	payload[64];
};

/* Read one frame (small ones only); 0, or -1 on EOF or error. */
static int
raw_read(int fd, struct raw_reply *r)
{
	uint8_t h[24];

	if (ru_readn(fd, h, 24) != 0)
		return -1;
	memcpy(&r->len, h, 4);
	memcpy(&r->type, h + 4, 2);
	memcpy(&r->flags, h + 6, 2);
	memcpy(&r->tag, h + 8, 8);
	memcpy(&r->num, h + 16, 4);
	memcpy(&r->error, h + 20, 4);
	if (r->len < 24 || r->len - 24 > sizeof(r->payload))
		return -1;
	return ru_readn(fd, r->payload, r->len - 24);
}

/* The server has closed the connection: EOF. */
static int
raw_eof(int fd)
{
	char c;

	return read(fd, &c, 1) == 0;
}

/* A HELLO that must be refused with error. */
static void
raw_hello_refused(const struct ru_server *s, const char *magic,
    uint32_t version, uint32_t kind, int error)
{
	uint8_t b[128];
	struct raw_reply r;
	int fd = raw_connect(s);
	size_t n = put_hello(b, magic, version, kind, NULL);

	CHECK_EQ(ru_writen(fd, b, n), 0);
	CHECK_EQ(raw_read(fd, &r), 0);
	CHECK_EQ(r.type, HELLO_REPLY);
	CHECK_EQ(r.tag, 1);
	CHECK_EQ(r.error, error);
	CHECK(raw_eof(fd));
	close(fd);
}

TEST(raw_handshake_errors)
{
	uint8_t cookie[16] = { 1, 2, 3 }, b[128];
	struct ru_server s;
	struct raw_reply r;
	int32_t pid;
	pid_t me;
	int fd;
	size_t n;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	CHECK_EQ(rumpclient_init(), 0);
	me = rump_sys_getpid();
	raw_hello_refused(&s, "RUMPSQ\0\0", 1, 0, EPROTO);
	raw_hello_refused(&s, "RUMPSP\0\0", 2, 0, EPROTONOSUPPORT);
	raw_hello_refused(&s, "RUMPSP\0\0", 1, 7, EPROTO);
	raw_hello_refused(&s, "RUMPSP\0\0", 1, 2, EPROTO); /* exec first */
	/* A fork HELLO with a cookie nobody issued. */
	fd = raw_connect(&s);
	n = put_hello(b, "RUMPSP\0\0", 1, 1, cookie);
	CHECK_EQ(ru_writen(fd, b, n), 0);
	CHECK_EQ(raw_read(fd, &r), 0);
	CHECK_EQ(r.type, HELLO_REPLY);
	CHECK_EQ(r.error, ESRCH);
	CHECK(raw_eof(fd));
	close(fd);
	/* A request before the handshake: closed without a reply. */
	fd = raw_connect(&s);
	put_hdr(b, 24, SYSCALL, 5, 39);
	CHECK_EQ(ru_writen(fd, b, 24), 0);
	CHECK(raw_eof(fd));
	close(fd);
	/* A frame longer than any allowed: closed before allocating. */
	fd = raw_connect(&s);
	n = put_hello(b, "RUMPSP\0\0", 1, 0, NULL);
	CHECK_EQ(ru_writen(fd, b, n), 0);
	CHECK_EQ(raw_read(fd, &r), 0);
	CHECK_EQ(r.error, 0);
	memcpy(&pid, r.payload + 4, 4);
	CHECK(pid > 1 && pid != me);
	put_hdr(b, 0xffffffffu, SYSCALL, 2, 39);
	CHECK_EQ(ru_writen(fd, b, 24), 0);
	CHECK(raw_eof(fd));
	close(fd);
	/* None of that disturbed the real client, and nothing is left. */
	CHECK_EQ(rump_sys_getpid(), me);
	CHECK_EQ(ru_proc_wait_gone(pid), 0);
	CHECK_EQ(ru_proc_nchildren(1), 1);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

TEST(raw_request_pipelined_behind_hello)
{
	uint8_t b[256];
	struct ru_server s;
	struct raw_reply r;
	int32_t pid;
	int64_t rv;
	size_t n;
	int fd;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	fd = raw_connect(&s);
	/* HELLO, getpid and getppid in one write, before any reply. */
	n = put_hello(b, "RUMPSP\0\0", 1, 0, NULL);
	n += put_hdr(b + n, 24, SYSCALL, 2, 39);
	n += put_hdr(b + n, 24, SYSCALL, 3, 110);
	CHECK_EQ(ru_writen(fd, b, n), 0);
	CHECK_EQ(raw_read(fd, &r), 0);
	CHECK_EQ(r.type, HELLO_REPLY);
	CHECK_EQ(r.error, 0);
	CHECK_EQ(r.len, 24 + 8);
	memcpy(&pid, r.payload + 4, 4);
	CHECK(pid > 1);
	/* Both calls ran in the new process, not as init. */
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(raw_read(fd, &r), 0);
		CHECK_EQ(r.type, SYSCALL_REPLY);
		CHECK_EQ(r.error, 0);
		CHECK_EQ(r.len, 24 + 8);
		memcpy(&rv, r.payload, 8);
		if (r.tag == 2)
			CHECK_EQ(rv, pid);
		else if (r.tag == 3)
			CHECK_EQ(rv, 1);
		else
			TFAIL("reply with tag %llu", (unsigned long long)r.tag);
	}
	/* An unknown call is refused, and the connection stays. */
	put_hdr(b, 24, SYSCALL, 4, 4000);
	CHECK_EQ(ru_writen(fd, b, 24), 0);
	CHECK_EQ(raw_read(fd, &r), 0);
	CHECK_EQ(r.type, SYSCALL_REPLY);
	CHECK_EQ(r.tag, 4);
	CHECK_EQ(r.flags, 1);
	CHECK_EQ(r.error, ENOSYS);
	/* A second HELLO is refused: the connection is closed. */
	n = put_hello(b, "RUMPSP\0\0", 1, 0, NULL);
	CHECK_EQ(ru_writen(fd, b, n), 0);
	CHECK_EQ(raw_read(fd, &r), 0);
	CHECK_EQ(r.type, HELLO_REPLY);
	CHECK_EQ(r.error, EPROTO);
	CHECK(raw_eof(fd));
	close(fd);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK_EQ(ru_proc_wait_gone(pid), 0);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}
