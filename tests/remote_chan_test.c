/*
 * remote_chan_test.c: the shared-memory call channel of unix-socket
 * connections (doc/protocol.md, "The call channel"), against a real
 * rump_server: what the server hands out, calls made by hand through the
 * shared pages as the protocol page describes them, a client that
 * scribbles on its channel, and librumpclient's use of it (big replies on
 * the socket, threads, blocking calls, a server that dies mid-call) and
 * its busy-polling (RUMPCLIENT_BUSYPOLL).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

#include "remote_util.h"
#include "testlib.h"

/* The protocol's numbers, restated from doc/protocol.md. */
#define P_HDRLEN	24
#define P_HELLO		1
#define P_SYSCALL	3
#define P_SYSCALL_REPLY	4
#define P_CHANNEL	11
#define P_CHANNEL_REPLY	12
#define CH_SIZE		(136u << 10)
#define CH_MAGIC	0x31484352u
#define CH_REQ		4096u
#define CH_REP		(CH_REQ + (64u << 10))
#define CH_SERVER	0x1u
#define CH_SLEEP	0x2u
#define CH_SOCKET	0x4u
#define NR_GETPID	39

/* Little-endian helpers. */
static void
put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t
get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* A frame header. */
static void
hdr(uint8_t *b, uint32_t len, uint16_t type, uint64_t tag, uint32_t num)
{
	memset(b, 0, P_HDRLEN);
	put_le(b, len, 4);
	put_le(b + 4, type, 2);
	put_le(b + 8, tag, 8);
	put_le(b + 16, num, 4);
}

/* A raw connection to s that completed the handshake, or -1. */
static int
raw_session(const struct ru_server *s)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { 30, 0 };
	const char *name = "chantest";
	uint8_t b[P_HDRLEN + 48], r[P_HDRLEN + 8];
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memcpy(sun.sun_path, s->rs_path, sizeof(sun.sun_path) - 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		TFAIL("connect: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	hdr(b, sizeof(b), P_HELLO, 0, 0);
	memcpy(b + P_HDRLEN, "RUMPSP\0\0", 8);
	put_le(b + P_HDRLEN + 8, 1, 4);			/* version */
	put_le(b + P_HDRLEN + 12, 0, 4);		/* new process */
	memset(b + P_HDRLEN + 16, 0, 16);		/* cookie */
	put_le(b + P_HDRLEN + 32, (uint64_t)getpid(), 4);
	put_le(b + P_HDRLEN + 36, 8, 4);
	memcpy(b + P_HDRLEN + 40, name, 8);
	if (ru_writen(fd, b, sizeof(b)) != 0 || ru_readn(fd, r, sizeof(r)) ||
	    get_le(r + 4, 2) != 2 || get_le(r + 20, 4) != 0) {
		TFAIL("handshake failed");
		close(fd);
		return -1;
	}
	return fd;
}

/* Ask for a channel with payload plen bytes: the reply's error; *cfdp the
 * descriptor passed (or -1). */
static int
ask_channel(int fd, size_t plen, int *cfdp)
{
	uint8_t b[P_HDRLEN + 8] = { 0 }, r[P_HDRLEN + 4];
	union {
		struct cmsghdr	h;
		char		buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { r, P_HDRLEN };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *cm;
	uint32_t len;

	*cfdp = -1;
	hdr(b, (uint32_t)(P_HDRLEN + plen), P_CHANNEL, 7, 0);
	if (ru_writen(fd, b, P_HDRLEN + plen) != 0 ||
	    recvmsg(fd, &mh, MSG_WAITALL | MSG_CMSG_CLOEXEC) != P_HDRLEN) {
		TFAIL("no CHANNEL_REPLY");
		return -1;
	}
	if ((cm = CMSG_FIRSTHDR(&mh)) != NULL && cm->cmsg_type == SCM_RIGHTS)
		memcpy(cfdp, CMSG_DATA(cm), sizeof(int));
	CHECK_EQ(get_le(r + 4, 2), P_CHANNEL_REPLY);
	CHECK_EQ(get_le(r + 8, 8), 7);			/* the tag echoed */
	len = (uint32_t)get_le(r, 4);
	if (len == P_HDRLEN + 4) {
		CHECK_EQ(ru_readn(fd, r + P_HDRLEN, 4), 0);
		CHECK_EQ(get_le(r + P_HDRLEN, 4), CH_SIZE);
	} else
		CHECK_EQ(len, P_HDRLEN);
	return (int)get_le(r + 20, 4);
}

static void
futex_wait(uint32_t *w, uint32_t v)
{
	struct timespec ts = { 5, 0 };

	syscall(SYS_futex, w, FUTEX_WAIT, v, &ts, NULL, 0);
}

/*
 * One getpid through the mapped channel ch, by the book: the frame into
 * the request area, the state word to the server's turn (waking it if it
 * sleeps), then sleep until the turn comes back.  The return value, or -1.
 */
static int64_t
chan_getpid(uint8_t *ch, uint64_t tag)
{
	uint32_t *st = (uint32_t *)ch, s;
	uint8_t *rep = ch + CH_REP;

	hdr(ch + CH_REQ, P_HDRLEN, P_SYSCALL, tag, NR_GETPID);
	s = __atomic_exchange_n(st, CH_SERVER, __ATOMIC_ACQ_REL);
	if (s & CH_SLEEP)
		syscall(SYS_futex, st, FUTEX_WAKE, 1, NULL, NULL, 0);
	for (int i = 0; i < 100; i++) {
		s = __atomic_load_n(st, __ATOMIC_ACQUIRE);
		if (!(s & CH_SERVER))
			break;
		if (!(s & CH_SLEEP) && !__atomic_compare_exchange_n(st, &s,
		    s | CH_SLEEP, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			continue;
		futex_wait(st, s | CH_SLEEP);
	}
	if ((s & (CH_SERVER | CH_SOCKET)) != 0 ||
	    get_le(rep + 4, 2) != P_SYSCALL_REPLY || get_le(rep + 8, 8) != tag ||
	    get_le(rep, 4) != P_HDRLEN + 8 || get_le(rep + 20, 4) != 0)
		return -1;
	return (int64_t)get_le(rep + P_HDRLEN, 8);
}

/* Map a channel descriptor (and close it). */
static uint8_t *
map_channel(int cfd)
{
	void *p = mmap(NULL, CH_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
	    cfd, 0);

	close(cfd);
	if (p == MAP_FAILED) {
		TFAIL("mmap: %s", strerror(errno));
		return NULL;
	}
	return p;
}

/* What the server hands out: a sealed memfd of the documented size. */
TEST(channel_handed_out)
{
	struct ru_server s, t;
	struct stat st;
	uint8_t *ch;
	int fd, cfd;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	fd = raw_session(&s);
	CHECK_EQ(ask_channel(fd, 4, &cfd), EINVAL);	/* no payload */
	CHECK_EQ(cfd, -1);
	CHECK_EQ(ask_channel(fd, 0, &cfd), 0);
	CHECK(cfd >= 0);
	CHECK_OK(fstat(cfd, &st));
	CHECK_EQ(st.st_size, CH_SIZE);
	CHECK_EQ(fcntl(cfd, F_GET_SEALS) & (F_SEAL_SHRINK | F_SEAL_GROW |
	    F_SEAL_SEAL), F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	CHECK_ERR(ftruncate(cfd, 4096), EPERM);	/* cannot pull pages away */
	ch = map_channel(cfd);
	CHECK(ch != NULL);
	if (ch != NULL) {
		CHECK_EQ(get_le(ch + 4, 4), CH_MAGIC);
		CHECK(chan_getpid(ch, 1) > 1);
		CHECK(chan_getpid(ch, 2) > 1);
		/* A second channel replaces the first. */
		CHECK_EQ(ask_channel(fd, 0, &cfd), 0);
		munmap(ch, CH_SIZE);
		ch = map_channel(cfd);
		CHECK(ch != NULL && chan_getpid(ch, 3) > 1);
		if (ch != NULL)
			munmap(ch, CH_SIZE);
	}
	close(fd);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);

	/* tcp cannot pass a descriptor: refused, the session goes on. */
	CHECK_EQ(ru_server_new(&t, RU_TCP), 0);
	setenv("RUMP_SERVER", t.rs_url, 1);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK(rump_sys_getpid() > 1);
	CHECK_EQ(ru_server_stop(&t), 0);
	ru_server_destroy(&t);
}

/* A scribbling process: random words into the channel until killed (a
 * process, not a thread: the race is the point, not a bug of the test). */
static void __attribute__((noreturn))
scribbler(uint8_t *ch)
{
	uint64_t x = 88172645463325252ull;

	for (;;) {
		size_t off;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Mostly the state word and the request header. */
		off = (x & 3) ? (x >> 8) % (CH_REQ + 32) & ~3u :
		    (x >> 8) % (CH_SIZE - 4) & ~3u;
		__atomic_store_n((uint32_t *)(ch + off), (uint32_t)(x >> 32),
		    __ATOMIC_RELAXED);
		if ((x & 0xff) == 0)
			syscall(SYS_futex, ch, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
}

/* Hostile channels: bad frames close that connection, scribbling does
 * nothing to anyone else, and the process goes away with the socket. */
TEST(hostile_channel)
{
	static const struct {
		uint32_t len;
		uint16_t type;
		const char *what;
	} bad[] = {
		{ 0xffffffffu, P_SYSCALL, "length 2^32-1" },
		{ (64u << 10) + 1, P_SYSCALL, "longer than the request area" },
		{ 10, P_SYSCALL, "shorter than a header" },
		{ P_HDRLEN + 44, P_HELLO, "a HELLO in the channel" },
		{ P_HDRLEN, P_CHANNEL, "a CHANNEL in the channel" },
	};
	struct ru_server s;
	int32_t nprocs;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	setenv("RUMP_SERVER", s.rs_url, 1);
	CHECK_EQ(rumpclient_init(), 0);
	nprocs = ru_proc_nchildren(1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int fd = raw_session(&s), cfd;
		uint8_t *ch, c;

		CHECK_EQ(ask_channel(fd, 0, &cfd), 0);
		if ((ch = map_channel(cfd)) == NULL)
			break;
		hdr(ch + CH_REQ, bad[i].len, bad[i].type, 9, NR_GETPID);
		__atomic_store_n((uint32_t *)ch, CH_SERVER, __ATOMIC_RELEASE);
		syscall(SYS_futex, ch, FUTEX_WAKE, 1, NULL, NULL, 0);
		if (read(fd, &c, 1) != 0)
			TFAIL("%s: the connection stayed open", bad[i].what);
		munmap(ch, CH_SIZE);
		close(fd);
		CHECK(rump_sys_getpid() > 1);
	}
	/* Scribbling on the shared pages while using the channel. */
	for (int round = 0; round < 3; round++) {
		int fd = raw_session(&s), cfd;
		uint8_t *ch;
		pid_t sp;

		CHECK_EQ(ask_channel(fd, 0, &cfd), 0);
		if ((ch = map_channel(cfd)) == NULL)
			break;
		if ((sp = fork()) == 0)
			scribbler(ch);
		CHECK(sp > 0);
		for (int i = 0; i < 200; i++)
			(void)chan_getpid(ch, (uint64_t)i);
		ru_msleep(200);
		kill(sp, SIGKILL);
		CHECK_EQ(ru_wait(sp), 128 + SIGKILL);
		munmap(ch, CH_SIZE);
		close(fd);
		CHECK(rump_sys_getpid() > 1);
	}
	/* Every one of those processes is gone once its socket is. */
	for (int i = 0; i < 100 && ru_proc_nchildren(1) > nprocs; i++)
		ru_msleep(100);
	CHECK_EQ(ru_proc_nchildren(1), nprocs);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

/* A thread of the library test: calls, some blocking, some big. */
struct worker {
	int	id, fd;
	int	bad;
};

static void *
lib_worker(void *arg)
{
	struct worker *w = arg;
	static char big[4][256 << 10];
	char *b = big[w->id % 4];

	for (int i = 0; i < 200; i++) {
		if (rump_sys_getpid() <= 1)
			w->bad++;
		if (i % 50 == 0 && rump_sys_pread(w->fd, b, sizeof(big[0]), 0) !=
		    (ssize_t)sizeof(big[0]))
			w->bad++;
		if (i % 50 == 0 && (b[0] != 'z' || b[sizeof(big[0]) - 1] != 'z'))
			w->bad++;
	}
	return NULL;
}

/* librumpclient over the channel: big replies come on the socket, many
 * threads share one channel, a blocked call holds it while the others
 * go on the socket. */
TEST(library_through_channel)
{
	static char data[256 << 10];
	struct ru_server s;
	struct worker w[6];
	pthread_t t[6];
	char c;
	int fd, p[2];

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	setenv("RUMP_SERVER", s.rs_url, 1);
	CHECK_EQ(rumpclient_init(), 0);
	memset(data, 'z', sizeof(data));
	fd = CHECK_OK(rump_sys_open("/big", O_RDWR | O_CREAT, 0644));
	CHECK_EQ(rump_sys_write(fd, data, sizeof(data)), sizeof(data));
	/* This process has its channel's lwp besides its own. */
	CHECK_EQ(ru_proc_wait_nlwps(rump_sys_getpid(), 2), 0);
	CHECK_OK(rump_sys_pipe(p));
	for (int i = 0; i < 6; i++) {
		w[i] = (struct worker){ .id = i, .fd = fd };
		CHECK_OK(pthread_create(&t[i], NULL, lib_worker, &w[i]));
	}
	/* Meanwhile this thread blocks in a read (likely in the channel). */
	CHECK_EQ(rump_sys_write(p[1], "q", 1), 1);
	CHECK_EQ(rump_sys_read(p[0], &c, 1), 1);
	for (int i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		CHECK_EQ(w[i].bad, 0);
	}
	CHECK_OK(rump_sys_close(fd));
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

static void
blocked_reader(void *arg)
{
	int *go = arg, p[2];
	char c;

	CHECK_EQ(rumpclient_init(), 0);
	CHECK_OK(rump_sys_pipe(p));
	CHECK_EQ(ru_writen(go[1], "r", 1), 0);
	/* No writer ever comes; the server dies under this call. */
	CHECK_ERR(rump_sys_read(p[0], &c, 1), ENOTCONN);
}

/* The server killed while a call waits in the channel: the call fails
 * with ENOTCONN (the default retry policy gives up at once). */
TEST(server_dies_under_a_channel_call)
{
	struct ru_server s;
	int go[2];
	char c;
	pid_t child;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	setenv("RUMP_SERVER", s.rs_url, 1);
	CHECK_OK(pipe(go));
	child = ru_spawn(blocked_reader, go);
	CHECK_EQ(ru_readn(go[0], &c, 1), 0);
	ru_msleep(200);
	CHECK_OK(kill(s.rs_pid, SIGKILL));
	CHECK_EQ(ru_wait(child), 0);
	ru_server_stop(&s);
	ru_server_destroy(&s);
}

static void
lone_reader(void *arg)
{
	int *go = arg, p[2];
	int32_t kpid;
	char c;

	CHECK_EQ(rumpclient_init(), 0);
	CHECK_OK(rump_sys_pipe(p));
	kpid = rump_sys_getpid();
	CHECK_EQ(ru_writen(go[1], &kpid, sizeof(kpid)), 0);
	(void)rump_sys_read(p[0], &c, 1);	/* killed in here */
}

/* A client killed while its call waits in the channel: the server ends
 * the call and the process. */
TEST(client_killed_in_a_channel_call)
{
	struct ru_server s;
	int32_t kpid;
	int go[2];
	pid_t child;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	setenv("RUMP_SERVER", s.rs_url, 1);
	CHECK_OK(pipe(go));
	child = ru_spawn(lone_reader, go);
	CHECK_EQ(ru_readn(go[0], &kpid, sizeof(kpid)), 0);
	CHECK_EQ(rumpclient_init(), 0);
	ru_msleep(200);
	CHECK_OK(kill(child, SIGKILL));
	CHECK_EQ(ru_wait(child), 128 + SIGKILL);
	CHECK_EQ(ru_proc_wait_gone(kpid), 0);
	CHECK(rump_sys_getpid() > 1);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

/* Write one byte into a pipe after a pause longer than the busy-poll. */
static void *
late_writer(void *arg)
{
	int *p = arg;

	ru_msleep(300);
	CHECK_EQ(rump_sys_write(p[1], "L", 1), 1);
	return NULL;
}

/* RUMPCLIENT_BUSYPOLL: calls answered while the client polls, a big
 * reply that comes on the socket, and a call that outlasts the poll and
 * is finished asleep. */
TEST(busypoll_calls)
{
	static char data[256 << 10], back[sizeof(data)];
	struct ru_server s;
	pthread_t t;
	int fd, p[2];
	char c = 0;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	setenv("RUMP_SERVER", s.rs_url, 1);
	setenv("RUMPCLIENT_BUSYPOLL", "2000", 1);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK_EQ(ru_proc_wait_nlwps(rump_sys_getpid(), 2), 0);
	for (int i = 0; i < 2000; i++)
		CHECK(rump_sys_getpid() > 1);
	memset(data, 'b', sizeof(data));
	fd = CHECK_OK(rump_sys_open("/polled", O_RDWR | O_CREAT, 0644));
	CHECK_EQ(rump_sys_write(fd, data, sizeof(data)), sizeof(data));
	CHECK_EQ(rump_sys_pread(fd, back, sizeof(back), 0), sizeof(back));
	CHECK_EQ(memcmp(back, data, sizeof(data)), 0);
	CHECK_OK(rump_sys_close(fd));
	CHECK_OK(rump_sys_pipe(p));
	CHECK_OK(pthread_create(&t, NULL, late_writer, p));
	CHECK_EQ(rump_sys_read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'L');
	pthread_join(t, NULL);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

/* A RUMPCLIENT_BUSYPOLL value that is no number of microseconds is
 * named on standard error; the client goes on without polling. */
TEST(busypoll_bad_value)
{
	static const char *bad[] = { "fast", "-1", "1000001", "12x" };
	struct ru_server s;
	char msg[512];
	int err[2], saved;
	ssize_t n;

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	setenv("RUMP_SERVER", s.rs_url, 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pid_t child;

		CHECK_OK(pipe(err));
		fflush(NULL);
		child = CHECK_OK(fork());
		if (child == 0) {
			dup2(err[1], 2);
			setenv("RUMPCLIENT_BUSYPOLL", bad[i], 1);
			_exit(rumpclient_init() == 0 &&
			    rump_sys_getpid() > 1 ? 0 : 1);
		}
		close(err[1]);
		CHECK_EQ(ru_wait(child), 0);
		n = read(err[0], msg, sizeof(msg) - 1);
		close(err[0]);
		CHECK(n > 0);
		msg[n > 0 ? n : 0] = '\0';
		saved = strstr(msg, "RUMPCLIENT_BUSYPOLL=") != NULL &&
		    strstr(msg, bad[i]) != NULL;
		CHECK(saved);
	}
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}

/* CPU time this thread has used, in milliseconds. */
static long
thread_cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

/* In a child with the given RUMPCLIENT_BUSYPOLL: the CPU time a read
 * costs that waits 300 ms for a writer, sent on fd out. */
static void
polled_read(const char *usec, int out)
{
	pthread_t t;
	int p[2];
	long ms;
	char c;

	setenv("RUMPCLIENT_BUSYPOLL", usec, 1);
	CHECK_EQ(rumpclient_init(), 0);
	CHECK_OK(rump_sys_pipe(p));
	CHECK_OK(pthread_create(&t, NULL, late_writer, p));
	ms = thread_cpu_ms();
	CHECK_EQ(rump_sys_read(p[0], &c, 1), 1);
	ms = thread_cpu_ms() - ms;
	pthread_join(t, NULL);
	CHECK_EQ(ru_writen(out, &ms, sizeof(ms)), 0);
}

static void
poll_a_second(void *arg)
{
	polled_read("1000000", *(int *)arg);
}

static void
poll_two_ms(void *arg)
{
	polled_read("2000", *(int *)arg);
}

/* A caller polls awake up to its budget and then sleeps: waiting 300 ms
 * for a pipe costs a caller with a second's budget CPU time, and one with
 * 2 ms almost none.  (Generous bounds: CPU time, not speed, is checked.) */
TEST(busypoll_spins_then_sleeps)
{
	struct ru_server s;
	long spun, slept;
	int out[2];

	CHECK_EQ(ru_server_new(&s, RU_UNIX), 0);
	setenv("RUMP_SERVER", s.rs_url, 1);
	CHECK_OK(pipe(out));
	CHECK_EQ(ru_wait(ru_spawn(poll_a_second, &out[1])), 0);
	CHECK_EQ(ru_readn(out[0], &spun, sizeof(spun)), 0);
	CHECK_EQ(ru_wait(ru_spawn(poll_two_ms, &out[1])), 0);
	CHECK_EQ(ru_readn(out[0], &slept, sizeof(slept)), 0);
	CHECK(spun >= 60);
	CHECK(slept <= 60);
	CHECK_EQ(ru_server_stop(&s), 0);
	ru_server_destroy(&s);
}
