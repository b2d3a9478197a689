/*
 * uio.h: describes a read or write: a list of kernel buffers, an offset
 * and a residual count.  uiomove copies between a buffer and the uio and
 * advances it.
 */
#ifndef KERN_UIO_H
#define KERN_UIO_H

#include "kern.h"

enum uio_rw { UIO_READ, UIO_WRITE };

struct uio {
	struct kiovec	*uio_iov;	/* advanced as data moves */
	int		uio_iovcnt;
	off_t		uio_offset;
	size_t		uio_resid;	/* bytes left to move */
	enum uio_rw	uio_rw;		/* READ: kernel -> buffers */
};

/* Build a one-segment uio over buf. */
void uio_setup(struct uio *uio, struct kiovec *iov, void *buf, size_t len,
    off_t off, enum uio_rw rw);
/*
 * Move up to n bytes between kbuf and the uio in the uio's direction
 * (UIO_READ copies from kbuf into the uio's buffers).
 */
int  uiomove(void *kbuf, size_t n, struct uio *uio);
/* Zero-fill n bytes of a UIO_READ uio (holes). */
int  uiozero(size_t n, struct uio *uio);

#endif /* KERN_UIO_H */
