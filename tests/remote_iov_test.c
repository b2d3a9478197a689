/*
 * remote_iov_test.c: vectored I/O over the wire: readv/writev and
 * preadv/pwritev with up to 1024 vectors (Linux's IOV_MAX), mixed sizes,
 * and the Linux limits (EINVAL beyond 1024).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include "remote_util.h"

/* Byte i of the pattern written by the tests. */
static unsigned char
pattern(size_t i)
{
	return (unsigned char)(i * 131 + 7);
}

/* Write nvec vectors of varying sizes, then read them back vectored. */
static void
roundtrip(int nvec)
{
	struct iovec *wv = calloc((size_t)nvec, sizeof(*wv));
	struct iovec *rv = calloc((size_t)nvec, sizeof(*rv));
	size_t total = 0, off = 0;
	unsigned char *src, *dst;
	int fd;

	for (int i = 0; i < nvec; i++)
		total += (size_t)(i % 7) * 61 + 1;	/* 1..367 bytes each */
	src = malloc(total);
	dst = calloc(1, total);
	for (size_t i = 0; i < total; i++)
		src[i] = pattern(i);
	for (int i = 0; i < nvec; i++) {
		size_t n = (size_t)(i % 7) * 61 + 1;

		wv[i] = (struct iovec){ src + off, n };
		rv[i] = (struct iovec){ dst + off, n };
		off += n;
	}
	fd = CHECK_OK(rump_sys_open("/vec", O_CREAT | O_TRUNC | O_RDWR, 0600));
	CHECK_EQ(rump_sys_writev(fd, wv, nvec), total);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(rump_sys_readv(fd, rv, nvec), total);
	CHECK(memcmp(src, dst, total) == 0);
	memset(dst, 0, total);
	CHECK_EQ(rump_sys_pwritev(fd, wv, nvec, 4096), total);
	CHECK_EQ(rump_sys_preadv(fd, rv, nvec, 4096), total);
	CHECK(memcmp(src, dst, total) == 0);
	rump_sys_close(fd);
	free(src);
	free(dst);
	free(wv);
	free(rv);
}

TEST(many_vectors_unix)
{
	struct ru_server s;

	if (ru_server_new(&s, RU_UNIX) != 0)
		return;
	CHECK_OK(rumpclient_init());
	roundtrip(1);
	roundtrip(17);
	roundtrip(200);
	roundtrip(IOV_MAX);
	ru_server_destroy(&s);
}

TEST(many_vectors_tcp)
{
	struct ru_server s;

	if (ru_server_new(&s, RU_TCP) != 0)
		return;
	CHECK_OK(rumpclient_init());
	roundtrip(IOV_MAX);
	ru_server_destroy(&s);
}

TEST(vector_limits)
{
	struct iovec v[IOV_MAX + 1];
	char b = 'x';
	struct ru_server s;
	int fd;

	if (ru_server_new(&s, RU_UNIX) != 0)
		return;
	CHECK_OK(rumpclient_init());
	for (int i = 0; i <= IOV_MAX; i++)
		v[i] = (struct iovec){ &b, 1 };
	fd = CHECK_OK(rump_sys_open("/lim", O_CREAT | O_RDWR, 0600));
	CHECK_ERR(rump_sys_writev(fd, v, IOV_MAX + 1), EINVAL);
	CHECK_ERR(rump_sys_writev(fd, v, -1), EINVAL);
	CHECK_EQ(rump_sys_writev(fd, v, 0), 0);
	CHECK_EQ(rump_sys_writev(fd, v, IOV_MAX), IOV_MAX);
	rump_sys_close(fd);
	ru_server_destroy(&s);
}
