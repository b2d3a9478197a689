/*
 * pipe.h: pipes (pipe(2), pipe2(2)) and FIFOs (named pipes).
 *
 * A struct pipe is a 64 KiB ring buffer with one lock, a waitq for
 * readers and one for writers, and the number of open files that read
 * and write it.  An anonymous pipe is freed when its last file closes.  A
 * FIFO's pipe hangs off its vnode (v_fifo), is created on the first open
 * and freed by fifo_vnode_fini() when the vnode is torn down; its data is
 * discarded when the last opener closes, as on Linux.
 *
 * Every pipe or FIFO file has f_type FTYPE_PIPE and f_data pointing to a
 * struct pipefile.  Semantics are Linux's: see doc/pipes.md.
 *
 * Locking: pipe_lock protects every field marked [p].  Lock order:
 * v_interlock (only to find or create v_fifo) is dropped before
 * pipe_lock is taken; pipe_lock -> l_lock (waking).  No other lock is
 * taken under pipe_lock, except kmem and the waitq's lwp locks.
 */
#ifndef KERN_PIPE_H
#define KERN_PIPE_H

#include "kern.h"
#include "sleep.h"
#include "uio.h"

struct cred;
struct file;
struct polltab;
struct vnode;

#define PIPE_BUF	4096	/* writes up to this size are atomic */
#define PIPE_SIZE	65536	/* buffer size (Linux's default) */

struct pipe {
	kmutex_t	pipe_lock;
	struct waitq	pipe_rwait;	/* readers: data, EOF, writer opened */
	struct waitq	pipe_wwait;	/* writers: space, EPIPE, reader opened */
	char		*pipe_buf;	/* [p] PIPE_SIZE bytes; NULL when idle */
	size_t		pipe_head;	/* [p] offset of the oldest byte */
	size_t		pipe_cnt;	/* [p] bytes queued */
	int		pipe_readers;	/* [p] open files that may read */
	int		pipe_writers;	/* [p] open files that may write */
	uint64_t	pipe_rcounter;	/* [p] reader opens so far (FIFO rules) */
	uint64_t	pipe_wcounter;	/* [p] writer opens so far */
	struct vnode	*pipe_vnode;	/* [c] the FIFO's vnode, or NULL */
	/* fstat of an anonymous pipe. */
	ino_t		pipe_ino;	/* [c] */
	uid_t		pipe_uid;	/* [c] */
	gid_t		pipe_gid;	/* [c] */
	struct ktimespec pipe_atime;	/* [p] */
	struct ktimespec pipe_mtime;	/* [p] also ctime */
};

/* What an open pipe/FIFO file points to (f_data). */
struct pipefile {
	struct pipe	*pf_pipe;	/* [c] */
	struct vnode	*pf_vnode;	/* [c] FIFO: referenced; else NULL */
	int		pf_mode;	/* [c] PF_READ | PF_WRITE */
	uint64_t	pf_wseen;	/* [c] pipe_wcounter when opened */
};
#define PF_READ		0x1
#define PF_WRITE	0x2

/*
 * pipe(2): a new anonymous pipe and its two files, each with one
 * reference; flags may hold O_NONBLOCK.  cr is the creator's (held by the
 * files).  0 or ENOMEM.
 */
int  pipe_create(int flags, struct cred *cr, struct file **rfpp,
    struct file **wfpp);

/*
 * Open the FIFO vnode vp (VFIFO, referenced by the caller, who keeps its
 * own reference: the file takes another one).  flags are the open(2)
 * flags; the caller has done lookup and permission checks and rejects
 * O_PATH itself.  Linux's rules: O_RDONLY waits for a writer unless
 * O_NONBLOCK; O_WRONLY waits for a reader, or fails with ENXIO under
 * O_NONBLOCK when there is none; O_RDWR never waits.  A wait ends with
 * EINTR when the process is killed or signalled.  On success *fpp is a
 * new file with one reference, for the caller to install.
 */
int  fifo_open(struct vnode *vp, int flags, struct cred *cr,
    struct file **fpp);
/* The vnode is being torn down (no open files left): free v_fifo. */
void fifo_vnode_fini(struct vnode *vp);

/* Shared by pipe.c and fifo.c. */
struct pipe *pipe_alloc(struct vnode *vp);	/* NULL on ENOMEM */
void pipe_free(struct pipe *pp);
/* Account a new file with mode PF_*: [p] held; ENOMEM for the buffer. */
int  pipe_attach_locked(struct pipe *pp, int mode);
/* A file of mode PF_* goes away; 1 when no file is left.  [p] held. */
int  pipe_detach_locked(struct pipe *pp, int mode);
/* Sleep on wq (one of pp's) until woken; [p] held.  0 or EINTR. */
int  pipe_sleep(struct pipe *pp, struct waitq *wq);
int  pipe_fo_read(struct file *fp, struct uio *uio, int flags);
int  pipe_fo_write(struct file *fp, struct uio *uio, int flags);
int  pipe_fo_poll(struct file *fp, int events, struct polltab *pt);
int  pipe_fo_ioctl(struct file *fp, unsigned long cmd, void *data);

#endif /* KERN_PIPE_H */
