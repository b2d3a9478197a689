/*
 * remote_idle_bench.c: what an idle client costs the server.  1,000
 * connections complete the handshake (each is a process in the kernel
 * with its worker thread in the server), take a call channel (its thread
 * and shared pages) as librumpclient does and make one call through it,
 * then sit idle; the
 * server's VmRSS before and after, per client, against a budget of
 * 64 KiB.  Three fresh servers, the median.
 *
 * The clients are raw sockets of this process speaking the handshake
 * (doc/protocol.md): the server cannot tell them from librumpclient
 * processes, and 1,000 host processes would measure the host instead.
 */
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "remote_bench.h"

#define RI_CLIENTS	1000
#define RI_BUDGET_KIB	64.0
#define RI_ROUNDS	3

/* Little-endian stores. */
static void
ri_put(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

#define RI_CHAN_SIZE	(136u << 10)	/* doc/protocol.md, the call channel */
#define RI_CHAN_REQ	4096u

/* Ask for the call channel and make one getpid through it, as
 * librumpclient does: 0 or -1. */
static int
ri_channel(int fd, const unsigned char *call)
{
	unsigned char req[24] = { 0 }, rep[28];
	union {
		struct cmsghdr	h;
		char		buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { rep, sizeof(rep) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *cm;
	uint32_t *st;
	void *ch;
	int cfd = -1;

	ri_put(req, sizeof(req), 4);
	ri_put(req + 4, 11, 2);			/* CHANNEL */
	if (rb_io(fd, req, sizeof(req), 1) != 0 ||
	    recvmsg(fd, &mh, MSG_WAITALL) != sizeof(rep) || rep[20] != 0 ||
	    (cm = CMSG_FIRSTHDR(&mh)) == NULL || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&cfd, CMSG_DATA(cm), sizeof(int));
	ch = mmap(NULL, RI_CHAN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, cfd,
	    0);
	close(cfd);
	if (ch == MAP_FAILED)
		return -1;
	memcpy((char *)ch + RI_CHAN_REQ, call, 24);
	st = ch;
	if (__atomic_exchange_n(st, 1, __ATOMIC_ACQ_REL) & 2)	/* SERVER */
		syscall(SYS_futex, st, FUTEX_WAKE, 1, NULL, NULL, 0);
	while (__atomic_load_n(st, __ATOMIC_ACQUIRE) & 1)
		usleep(100);
	munmap(ch, RI_CHAN_SIZE);
	return 0;
}

/* Connect, handshake, one getpid, the channel: the descriptor, or -1. */
static int
ri_client(const struct rb_server *s)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	unsigned char hello[24 + 44], call[24], reply[64];
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memcpy(sun.sun_path, s->path, sizeof(sun.sun_path) - 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		goto fail;
	memset(hello, 0, sizeof(hello));
	ri_put(hello, sizeof(hello), 4);	/* len */
	ri_put(hello + 4, 1, 2);		/* HELLO */
	memcpy(hello + 24, "RUMPSP\0\0", 8);
	ri_put(hello + 32, 1, 4);		/* version */
	ri_put(hello + 56, (uint64_t)getpid(), 4);
	ri_put(hello + 60, 4, 4);		/* name length */
	memcpy(hello + 64, "idle", 4);
	memset(call, 0, sizeof(call));
	ri_put(call, sizeof(call), 4);
	ri_put(call + 4, 3, 2);			/* SYSCALL */
	ri_put(call + 8, 1, 8);			/* tag */
	ri_put(call + 16, 39, 4);		/* getpid */
	if (rb_io(fd, hello, sizeof(hello), 1) != 0 ||
	    rb_io(fd, reply, 24 + 8, 0) != 0 || reply[20] != 0 ||
	    rb_io(fd, call, sizeof(call), 1) != 0 ||
	    rb_io(fd, reply, 24 + 8, 0) != 0 || reply[20] != 0 ||
	    ri_channel(fd, call) != 0)
		goto fail;
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

/* One fresh server: KiB of RSS per idle client. */
static double
ri_round(void)
{
	static int fds[RI_CLIENTS];
	struct rb_server srv;
	long before, after;

	rb_server_start(&srv, "remote_idle_rss");
	/* Warm up: one client and gone, so that one-time costs (first
	 * process, first worker, the allocator) are in "before". */
	close(ri_client(&srv));
	before = rb_rss_kib(srv.pid);
	for (int i = 0; i < RI_CLIENTS; i++)
		if ((fds[i] = ri_client(&srv)) < 0)
			bench_fail("remote_idle_rss", "client %d: %s", i,
			    strerror(errno));
	after = rb_rss_kib(srv.pid);
	for (int i = 0; i < RI_CLIENTS; i++)
		close(fds[i]);
	rb_server_stop(&srv);
	if (before < 0 || after < 0)
		bench_fail("remote_idle_rss", "no VmRSS for the server");
	return (double)(after - before) / RI_CLIENTS;
}

int
main(void)
{
	double per[RI_ROUNDS], m;

	rb_raise_nofile(RI_CLIENTS + 64);
	for (int i = 0; i < RI_ROUNDS; i++)
		per[i] = ri_round();
	m = bench_median(per, RI_ROUNDS);
	rb_report("remote_idle_rss", m, RI_BUDGET_KIB, "KiB/client",
	    m / RI_BUDGET_KIB, "<", 1.0);
	return 0;
}
