/*
 * pipe.c: the pipe object (a ring buffer between readers and writers) and
 * the file operations of anonymous pipes.  FIFOs reuse the read, write,
 * poll and ioctl operations (kern/fifo.c).  Semantics: doc/pipes.md.
 */
#include "kern.h"
#include "file.h"
#include "pipe.h"
#include "poll.h"
#include "proc.h"
#include "sleep.h"
#include "uio.h"

/* Linux's FIONREAD (TIOCINQ): bytes ready to read, as an int. */
#define PIPE_FIONREAD	0x541B
/* st_dev of anonymous pipes, like Linux's pipefs (an anonymous device). */
#define PIPEFS_DEV	0xfULL

static uint64_t pipe_ino_next;		/* atomic */

static int pipe_fo_stat(struct file *fp, struct kstat *st);
static void pipe_fo_close(struct file *fp);

static const struct fileops pipe_fileops = {
	.fo_name = "pipe",
	.fo_read = pipe_fo_read,
	.fo_write = pipe_fo_write,
	.fo_poll = pipe_fo_poll,
	.fo_stat = pipe_fo_stat,
	.fo_seek = NULL,		/* ESPIPE */
	.fo_ioctl = pipe_fo_ioctl,
	.fo_close = pipe_fo_close,
};

/* A new pipe with no files and no buffer; vp is the FIFO's or NULL. */
struct pipe *
pipe_alloc(struct vnode *vp)
{
	struct pipe *pp;

	pp = kmem_zalloc(sizeof(*pp));
	if (pp == NULL)
		return NULL;
	mutex_init(&pp->pipe_lock);
	waitq_init(&pp->pipe_rwait, &pp->pipe_lock);
	waitq_init(&pp->pipe_wwait, &pp->pipe_lock);
	pp->pipe_vnode = vp;
	pp->pipe_ino = __atomic_add_fetch(&pipe_ino_next, 1, __ATOMIC_RELAXED);
	ktime_now(&pp->pipe_atime);
	pp->pipe_mtime = pp->pipe_atime;
	return pp;
}

/* Free a pipe that no file uses any more. */
void
pipe_free(struct pipe *pp)
{
	if (pp == NULL)
		return;
	KASSERT(pp->pipe_readers == 0 && pp->pipe_writers == 0);
	waitq_destroy(&pp->pipe_rwait);
	waitq_destroy(&pp->pipe_wwait);
	mutex_destroy(&pp->pipe_lock);
	kmem_free(pp->pipe_buf);
	kmem_free(pp);
}

/* Count a new file of mode (PF_READ|PF_WRITE); the buffer comes with the
 * first file.  The caller wakes partners as the open rules require. */
int
pipe_attach_locked(struct pipe *pp, int mode)
{
	if (pp->pipe_buf == NULL) {
		pp->pipe_buf = kmem_alloc(PIPE_SIZE);
		if (pp->pipe_buf == NULL)
			return ENOMEM;
		pp->pipe_head = pp->pipe_cnt = 0;
	}
	if (mode & PF_READ)
		pp->pipe_readers++;
	if (mode & PF_WRITE)
		pp->pipe_writers++;
	return 0;
}

/*
 * Uncount a file of mode.  The last writer wakes readers (EOF, POLLHUP),
 * the last reader wakes writers (EPIPE, POLLERR).  When no file is left
 * the data is discarded; returns 1 then.
 */
int
pipe_detach_locked(struct pipe *pp, int mode)
{
	if (mode & PF_READ) {
		KASSERT(pp->pipe_readers > 0);
		if (--pp->pipe_readers == 0)
			waitq_wakeup(&pp->pipe_wwait);
	}
	if (mode & PF_WRITE) {
		KASSERT(pp->pipe_writers > 0);
		if (--pp->pipe_writers == 0)
			waitq_wakeup(&pp->pipe_rwait);
	}
	if (pp->pipe_readers > 0 || pp->pipe_writers > 0)
		return 0;
	kmem_free(pp->pipe_buf);
	pp->pipe_buf = NULL;
	pp->pipe_head = pp->pipe_cnt = 0;
	return 1;
}

/* Sleep on wq until woken; [p] held on entry and return.  0 or EINTR. */
int
pipe_sleep(struct pipe *pp, struct waitq *wq)
{
	struct lwp *l = curlwp();
	struct waiter w;
	int error;

	waiter_init(&w, l);
	waitq_add(wq, &w);
	mutex_exit(&pp->pipe_lock);
	error = lwp_sleep(l, 0);
	mutex_enter(&pp->pipe_lock);
	waitq_remove(&w);
	return error;
}

/* Move n queued bytes (n <= pipe_cnt, n <= resid) into the uio. */
static int
pipe_copyout(struct pipe *pp, struct uio *uio, size_t n)
{
	size_t seg, before = uio->uio_resid, moved;
	int error;

	seg = MIN(n, PIPE_SIZE - pp->pipe_head);
	error = uiomove(pp->pipe_buf + pp->pipe_head, seg, uio);
	if (error == 0 && n > seg)
		error = uiomove(pp->pipe_buf, n - seg, uio);
	moved = before - uio->uio_resid;
	pp->pipe_head = (pp->pipe_head + moved) % PIPE_SIZE;
	pp->pipe_cnt -= moved;
	if (pp->pipe_cnt == 0)
		pp->pipe_head = 0;
	return error;
}

/* Append n bytes (n <= free space, n <= resid) from the uio. */
static int
pipe_copyin(struct pipe *pp, struct uio *uio, size_t n)
{
	size_t tail, seg, before = uio->uio_resid;
	int error;

	tail = (pp->pipe_head + pp->pipe_cnt) % PIPE_SIZE;
	seg = MIN(n, PIPE_SIZE - tail);
	error = uiomove(pp->pipe_buf + tail, seg, uio);
	if (error == 0 && n > seg)
		error = uiomove(pp->pipe_buf, n - seg, uio);
	pp->pipe_cnt += before - uio->uio_resid;
	return error;
}

/*
 * read(2) on a pipe: wait while it is empty and has writers; return what
 * is there (at most the request), 0 at EOF (no writers), EAGAIN when empty
 * under O_NONBLOCK, EINTR when interrupted while waiting.
 */
int
pipe_fo_read(struct file *fp, struct uio *uio, int flags)
{
	struct pipefile *pf = fp->f_data;
	struct pipe *pp = pf->pf_pipe;
	int nonblock = file_flags(fp) & O_NONBLOCK;
	int error = 0;

	if (uio->uio_resid == 0)
		return 0;
	mutex_enter(&pp->pipe_lock);
	while (pp->pipe_cnt == 0) {
		if (pp->pipe_writers == 0)
			goto out;			/* EOF */
		if (nonblock) {
			error = EAGAIN;
			goto out;
		}
		error = pipe_sleep(pp, &pp->pipe_rwait);
		if (error != 0)
			goto out;
	}
	error = pipe_copyout(pp, uio, MIN(pp->pipe_cnt, uio->uio_resid));
	ktime_now(&pp->pipe_atime);
	waitq_wakeup(&pp->pipe_wwait);
out:
	mutex_exit(&pp->pipe_lock);
	return error;
}

/*
 * The write loop: [p] held.  A write of at most PIPE_BUF bytes waits for
 * room for all of it (atomic); a larger one moves what fits and waits for
 * more.  *sigpipe is set when the pipe has no reader.
 */
static int
pipe_write_locked(struct pipe *pp, struct uio *uio, int nonblock,
    int *sigpipe)
{
	size_t need = uio->uio_resid <= PIPE_BUF ? uio->uio_resid : 1;
	size_t space;
	int error = 0;

	while (uio->uio_resid > 0) {
		if (pp->pipe_readers == 0) {
			*sigpipe = 1;
			return EPIPE;
		}
		space = PIPE_SIZE - pp->pipe_cnt;
		if (space >= need) {
			error = pipe_copyin(pp, uio, MIN(space, uio->uio_resid));
			ktime_now(&pp->pipe_mtime);
			waitq_wakeup(&pp->pipe_rwait);
			if (error != 0)
				return error;
			continue;
		}
		if (nonblock)
			return EAGAIN;
		error = pipe_sleep(pp, &pp->pipe_wwait);
		if (error != 0)
			return error;
	}
	return 0;
}

/*
 * write(2) on a pipe.  EPIPE without readers, after which the caller's
 * process gets SIGPIPE: the signal is posted after the error is decided,
 * so the call returns EPIPE, not EINTR.  When some bytes went in before an
 * EPIPE, EAGAIN or EINTR, the call returns that count (uio_resid says it).
 */
int
pipe_fo_write(struct file *fp, struct uio *uio, int flags)
{
	struct pipefile *pf = fp->f_data;
	struct pipe *pp = pf->pf_pipe;
	int nonblock = file_flags(fp) & O_NONBLOCK;
	size_t total = uio->uio_resid;
	int error, sigpipe = 0;

	if (total == 0)
		return 0;
	mutex_enter(&pp->pipe_lock);
	error = pipe_write_locked(pp, uio, nonblock, &sigpipe);
	mutex_exit(&pp->pipe_lock);
	if (sigpipe)
		proc_signal(curproc(), SIGPIPE);
	if (uio->uio_resid < total && (error == EPIPE || error == EAGAIN ||
	    error == EINTR))
		error = 0;
	return error;
}

/*
 * poll on a pipe end.  Reader: POLLIN with data, POLLHUP without writers
 * (a FIFO reader that never saw a writer gets no POLLHUP, as on Linux).
 * Writer: POLLOUT with room for PIPE_BUF bytes, POLLERR without readers.
 */
int
pipe_fo_poll(struct file *fp, int events, struct polltab *pt)
{
	struct pipefile *pf = fp->f_data;
	struct pipe *pp = pf->pf_pipe;
	int revents = 0;

	mutex_enter(&pp->pipe_lock);
	if (pf->pf_mode & PF_READ) {
		if (pp->pipe_cnt > 0)
			revents |= POLLIN | POLLRDNORM;
		if (pp->pipe_writers == 0 && pf->pf_wseen != pp->pipe_wcounter)
			revents |= POLLHUP;
	}
	if (pf->pf_mode & PF_WRITE) {
		if (PIPE_SIZE - pp->pipe_cnt >= PIPE_BUF)
			revents |= POLLOUT | POLLWRNORM;
		if (pp->pipe_readers == 0)
			revents |= POLLERR;
	}
	revents &= events | POLLERR | POLLHUP;
	if (revents == 0 && pt != NULL) {
		if (pf->pf_mode & PF_READ)
			polltab_register(pt, &pp->pipe_rwait);
		if (pf->pf_mode & PF_WRITE)
			polltab_register(pt, &pp->pipe_wwait);
	}
	mutex_exit(&pp->pipe_lock);
	return revents;
}

/* ioctl on a pipe: FIONREAD (bytes queued) only; ENOTTY otherwise. */
int
pipe_fo_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	struct pipefile *pf = fp->f_data;
	struct pipe *pp = pf->pf_pipe;

	if (cmd != PIPE_FIONREAD)
		return ENOTTY;
	if (data == NULL)
		return EFAULT;
	mutex_enter(&pp->pipe_lock);
	*(int *)data = (int)pp->pipe_cnt;
	mutex_exit(&pp->pipe_lock);
	return 0;
}

/* fstat of an anonymous pipe, as Linux's pipefs reports it. */
static int
pipe_fo_stat(struct file *fp, struct kstat *st)
{
	struct pipefile *pf = fp->f_data;
	struct pipe *pp = pf->pf_pipe;

	memset(st, 0, sizeof(*st));
	st->st_dev = PIPEFS_DEV;
	st->st_ino = pp->pipe_ino;
	st->st_nlink = 1;
	st->st_mode = S_IFIFO | S_IRUSR | S_IWUSR;
	st->st_uid = pp->pipe_uid;
	st->st_gid = pp->pipe_gid;
	st->st_size = 0;			/* Linux reports 0 */
	st->st_blksize = PIPE_BUF;
	mutex_enter(&pp->pipe_lock);
	st->st_atim = pp->pipe_atime;
	st->st_mtim = pp->pipe_mtime;
	st->st_ctim = pp->pipe_mtime;
	mutex_exit(&pp->pipe_lock);
	return 0;
}

/* Last reference to an anonymous pipe's file: detach, free when last. */
static void
pipe_fo_close(struct file *fp)
{
	struct pipefile *pf = fp->f_data;
	struct pipe *pp = pf->pf_pipe;
	int last;

	mutex_enter(&pp->pipe_lock);
	last = pipe_detach_locked(pp, pf->pf_mode);
	mutex_exit(&pp->pipe_lock);
	if (last)
		pipe_free(pp);
	kmem_free(pf);
}

/* A pipefile and its file for one end of pp, or NULL on ENOMEM. */
static struct file *
pipe_file(struct pipe *pp, int mode, int flags, struct cred *cr)
{
	struct pipefile *pf;
	struct file *fp;

	pf = kmem_zalloc(sizeof(*pf));
	if (pf == NULL)
		return NULL;
	pf->pf_pipe = pp;
	pf->pf_mode = mode;
	pf->pf_wseen = 0;	/* != pipe_wcounter: POLLHUP when writers go */
	fp = file_alloc(FTYPE_PIPE, &pipe_fileops, pf,
	    (mode == PF_READ ? O_RDONLY : O_WRONLY) | (flags & O_NONBLOCK), cr);
	if (fp == NULL)
		kmem_free(pf);
	return fp;
}

/* pipe(2): a new pipe, its read end in *rfpp and write end in *wfpp. */
int
pipe_create(int flags, struct cred *cr, struct file **rfpp,
    struct file **wfpp)
{
	struct file *rfp, *wfp;
	struct pipe *pp;
	int error;

	pp = pipe_alloc(NULL);
	if (pp == NULL)
		return ENOMEM;
	pp->pipe_uid = cr->cr_fsuid;
	pp->pipe_gid = cr->cr_fsgid;
	pp->pipe_rcounter = pp->pipe_wcounter = 1;
	mutex_enter(&pp->pipe_lock);
	error = pipe_attach_locked(pp, PF_READ | PF_WRITE);
	mutex_exit(&pp->pipe_lock);
	if (error != 0) {
		pipe_free(pp);
		return error;
	}
	/* From here each end's file, once made, detaches itself on close. */
	rfp = pipe_file(pp, PF_READ, flags, cr);
	wfp = rfp == NULL ? NULL : pipe_file(pp, PF_WRITE, flags, cr);
	if (wfp == NULL) {
		mutex_enter(&pp->pipe_lock);
		pipe_detach_locked(pp, rfp == NULL ? PF_READ | PF_WRITE :
		    PF_WRITE);
		mutex_exit(&pp->pipe_lock);
		if (rfp != NULL)
			file_release(rfp);	/* frees the pipe */
		else
			pipe_free(pp);
		return ENOMEM;
	}
	*rfpp = rfp;
	*wfpp = wfp;
	return 0;
}
