/*
 * uio.c: moving data between kernel buffers and a uio (see uio.h).
 */
#include "kern.h"
#include "uio.h"

void
uio_setup(struct uio *uio, struct kiovec *iov, void *buf, size_t len,
    off_t off, enum uio_rw rw)
{
	iov->iov_base = buf;
	iov->iov_len = len;
	uio->uio_iov = iov;
	uio->uio_iovcnt = 1;
	uio->uio_offset = off;
	uio->uio_resid = len;
	uio->uio_rw = rw;
}

/* Copy (or zero, when kbuf is NULL on a read) up to n bytes. */
static int
uio_transfer(void *kbuf, size_t n, struct uio *uio)
{
	char *cp = kbuf;

	n = MIN(n, uio->uio_resid);
	while (n > 0 && uio->uio_iovcnt > 0) {
		struct kiovec *iov = uio->uio_iov;
		size_t cnt = MIN(n, iov->iov_len);

		if (cnt == 0) {
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		if (uio->uio_rw == UIO_READ) {
			if (cp != NULL)
				memcpy(iov->iov_base, cp, cnt);
			else
				memset(iov->iov_base, 0, cnt);
		} else
			memcpy(cp, iov->iov_base, cnt);
		iov->iov_base = (char *)iov->iov_base + cnt;
		iov->iov_len -= cnt;
		uio->uio_resid -= cnt;
		uio->uio_offset += (off_t)cnt;
		if (cp != NULL)
			cp += cnt;
		n -= cnt;
	}
	return 0;
}

int
uiomove(void *kbuf, size_t n, struct uio *uio)
{
	KASSERT(kbuf != NULL);
	return uio_transfer(kbuf, n, uio);
}

int
uiozero(size_t n, struct uio *uio)
{
	KASSERT(uio->uio_rw == UIO_READ);
	return uio_transfer(NULL, n, uio);
}
