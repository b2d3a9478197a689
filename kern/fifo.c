/*
 * fifo.c: named pipes.  Opening a VFIFO vnode attaches the opener to the
 * pipe that hangs off the vnode (v_fifo), following Linux's open rules;
 * reading, writing and polling are the pipe's own (kern/pipe.c), fstat
 * reports the vnode.  Semantics: doc/pipes.md.
 */
#include "kern.h"
#include "file.h"
#include "pipe.h"
#include "proc.h"
#include "sleep.h"
#include "vfs/vfs.h"

static int fifo_fo_stat(struct file *fp, struct kstat *st);
static void fifo_fo_close(struct file *fp);

static const struct fileops fifo_fileops = {
	.fo_name = "fifo",
	.fo_read = pipe_fo_read,
	.fo_write = pipe_fo_write,
	.fo_poll = pipe_fo_poll,
	.fo_stat = fifo_fo_stat,
	.fo_seek = NULL,		/* ESPIPE */
	.fo_ioctl = pipe_fo_ioctl,
	.fo_close = fifo_fo_close,
};

/* The vnode's pipe, created on first use. */
static int
fifo_getpipe(struct vnode *vp, struct pipe **ppp)
{
	struct pipe *pp;

	mutex_enter(&vp->v_interlock);
	if (vp->v_fifo == NULL)
		vp->v_fifo = pipe_alloc(vp);
	pp = vp->v_fifo;
	mutex_exit(&vp->v_interlock);
	if (pp == NULL)
		return ENOMEM;
	*ppp = pp;
	return 0;
}

/*
 * Wait until *counter moves past seen (a partner opened, even if it has
 * closed again since), sleeping on wq.  [p] held.  0 or EINTR.
 */
static int
fifo_wait_partner(struct pipe *pp, struct waitq *wq, uint64_t *counter)
{
	uint64_t seen = *counter;
	int error = 0;

	while (*counter == seen && error == 0)
		error = pipe_sleep(pp, wq);
	return error;
}

/*
 * Open for reading: wait for a writer unless one is there or O_NONBLOCK.
 * A nonblocking reader that finds no writer gets no POLLHUP until a writer
 * has come (pf_wseen; Linux does the same).
 */
static int
fifo_open_read(struct pipe *pp, struct pipefile *pf, int nonblock)
{
	pp->pipe_rcounter++;
	if (pp->pipe_readers == 1)
		waitq_wakeup(&pp->pipe_wwait);
	if (pp->pipe_writers > 0)
		return 0;
	if (nonblock) {
		pf->pf_wseen = pp->pipe_wcounter;
		return 0;
	}
	return fifo_wait_partner(pp, &pp->pipe_rwait, &pp->pipe_wcounter);
}

/* Open for writing: wait for a reader unless one is there. */
static int
fifo_open_write(struct pipe *pp)
{
	pp->pipe_wcounter++;
	if (pp->pipe_writers == 1)
		waitq_wakeup(&pp->pipe_rwait);
	if (pp->pipe_readers > 0)
		return 0;
	return fifo_wait_partner(pp, &pp->pipe_wwait, &pp->pipe_rcounter);
}

/* Attach pf to pp by its mode, waiting for a partner as needed. */
static int
fifo_attach(struct pipe *pp, struct pipefile *pf, int nonblock)
{
	int error;

	mutex_enter(&pp->pipe_lock);
	/* O_NONBLOCK writer with no reader: ENXIO before anything changes. */
	if (pf->pf_mode == PF_WRITE && nonblock && pp->pipe_readers == 0) {
		error = ENXIO;
		goto out;
	}
	error = pipe_attach_locked(pp, pf->pf_mode);
	if (error != 0)
		goto out;
	if (pf->pf_mode == PF_READ)
		error = fifo_open_read(pp, pf, nonblock);
	else if (pf->pf_mode == PF_WRITE)
		error = fifo_open_write(pp);
	else {
		/* O_RDWR is its own partner: never waits. */
		pp->pipe_rcounter++;
		pp->pipe_wcounter++;
		waitq_wakeup(&pp->pipe_rwait);
		waitq_wakeup(&pp->pipe_wwait);
	}
	if (error != 0)
		pipe_detach_locked(pp, pf->pf_mode);
out:
	mutex_exit(&pp->pipe_lock);
	return error;
}

/* Map O_ACCMODE to PF_* (we don't trust the caller's flags); 0 if bad. */
static int
fifo_mode(int flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return PF_READ;
	case O_WRONLY:
		return PF_WRITE;
	case O_RDWR:
		return PF_READ | PF_WRITE;
	default:
		return 0;
	}
}

/* Undo a successful fifo_attach and free pf. */
static void
fifo_detach(struct pipefile *pf)
{
	struct pipe *pp = pf->pf_pipe;

	mutex_enter(&pp->pipe_lock);
	pipe_detach_locked(pp, pf->pf_mode);
	mutex_exit(&pp->pipe_lock);
	vrele(pf->pf_vnode);
	kmem_free(pf);
}

/* open(2) of a FIFO: see pipe.h for the contract. */
int
fifo_open(struct vnode *vp, int flags, struct cred *cr, struct file **fpp)
{
	struct pipefile *pf = NULL;
	struct file *fp;
	struct pipe *pp;
	int error, mode = fifo_mode(flags);

	if (vp == NULL || vp->v_type != VFIFO || mode == 0)
		return EINVAL;
	error = fifo_getpipe(vp, &pp);
	if (error != 0)
		return error;
	pf = kmem_zalloc(sizeof(*pf));
	if (pf == NULL)
		return ENOMEM;
	pf->pf_pipe = pp;
	pf->pf_vnode = vp;
	pf->pf_mode = mode;
	error = fifo_attach(pp, pf, flags & O_NONBLOCK);
	if (error != 0)
		goto fail;
	vref(vp);
	fp = file_alloc(FTYPE_PIPE, &fifo_fileops, pf, flags, cr);
	if (fp == NULL) {
		fifo_detach(pf);
		return ENOMEM;
	}
	*fpp = fp;
	return 0;
fail:
	kmem_free(pf);
	return error;
}

/* The vnode goes away: no file uses its pipe any more. */
void
fifo_vnode_fini(struct vnode *vp)
{
	struct pipe *pp;

	mutex_enter(&vp->v_interlock);
	pp = vp->v_fifo;
	vp->v_fifo = NULL;
	mutex_exit(&vp->v_interlock);
	pipe_free(pp);
}

/* fstat of a FIFO: the vnode's attributes, as stat(2) shows them. */
static int
fifo_fo_stat(struct file *fp, struct kstat *st)
{
	struct pipefile *pf = fp->f_data;

	return vn_stat(pf->pf_vnode, st);
}

/* Last reference to a FIFO file: detach from the pipe, drop the vnode. */
static void
fifo_fo_close(struct file *fp)
{
	fifo_detach(fp->f_data);
}
