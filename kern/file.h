/*
 * file.h: open files and per-process file descriptor tables.
 *
 * A struct file is an open file description: shared by dup() and fork,
 * reference counted, with an offset and status flags.  Its fileops say
 * what kind it is (vnode, pipe, socket).  A filedesc maps small integers
 * to files; it may be shared between processes (rfork without RF_FDCOPY).
 *
 * Locking: fd_lock protects a table; f_lock protects f_offset and f_flag;
 * f_refcnt is atomic.  Order: fd_lock -> f_lock.  Never call a fileop with
 * fd_lock held.
 */
#ifndef KERN_FILE_H
#define KERN_FILE_H

#include "kern.h"
#include "uio.h"

struct file;
struct lwp;
struct proc;
struct polltab;

/* Flags for fo_read/fo_write. */
#define FOF_UPDATE_OFFSET 0x1	/* use and advance f_offset (read/write) */

struct fileops {
	const char *fo_name;
	int (*fo_read)(struct file *fp, struct uio *uio, int flags);
	int (*fo_write)(struct file *fp, struct uio *uio, int flags);
	/* Return ready events among events; register on pt when not NULL. */
	int (*fo_poll)(struct file *fp, int events, struct polltab *pt);
	int (*fo_stat)(struct file *fp, struct kstat *st);
	/* NULL for unseekable files (ESPIPE). */
	int (*fo_seek)(struct file *fp, off_t off, int whence, off_t *newoff);
	int (*fo_ioctl)(struct file *fp, unsigned long cmd, void *data);
	/* Called once, when the last reference goes away. */
	void (*fo_close)(struct file *fp);
};

enum ftype { FTYPE_VNODE = 1, FTYPE_PIPE, FTYPE_SOCKET };

struct file {
	uint32_t		f_refcnt;	/* atomic */
	enum ftype		f_type;
	int			f_flag;		/* [f_lock] O_ACCMODE|status */
	off_t			f_offset;	/* [f_lock] */
	kmutex_t		f_lock;
	const struct fileops	*f_ops;
	void			*f_data;	/* vnode, pipe end, socket */
	struct cred		*f_cred;	/* opener's, held */
};

/* Access mode tests on f_flag. */
#define FREADABLE(fp)  (((fp)->f_flag & O_ACCMODE) != O_WRONLY && \
			!((fp)->f_flag & O_PATH))
#define FWRITABLE(fp)  (((fp)->f_flag & O_ACCMODE) != O_RDONLY && \
			!((fp)->f_flag & O_PATH))

/* Status flags F_SETFL may change. */
#define FSETFL_MASK (O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

struct fdentry {
	struct file	*fe_file;	/* NULL when free */
	int		fe_cloexec;
};

struct filedesc {
	uint32_t	fd_refcnt;	/* atomic: processes sharing it */
	kmutex_t	fd_lock;
	int		fd_nfiles;	/* allocated size of fd_ofiles */
	int		fd_freehint;	/* no free slot below this */
	uint64_t	fd_limit;	/* RLIMIT_NOFILE soft limit */
	uint64_t	fd_limit_max;	/* RLIMIT_NOFILE hard limit */
	struct fdentry	*fd_ofiles;
};

#define FD_DEFAULT_LIMIT 1024
#define FD_HARD_LIMIT	 65536

/* Files. */
/* New file with one reference; holds cr.  NULL on ENOMEM. */
struct file *file_alloc(enum ftype type, const struct fileops *ops,
    void *data, int flags, struct cred *cr);
void file_hold(struct file *fp);
void file_release(struct file *fp);	/* fo_close + free at zero */
/* The file's f_flag, read under f_lock. */
int  file_flags(struct file *fp);

/* Descriptor tables. */
struct filedesc *fdesc_create(void);
struct filedesc *fdesc_copy(struct filedesc *fdp);	/* NULL on ENOMEM */
void fdesc_hold(struct filedesc *fdp);
void fdesc_release(struct filedesc *fdp);	/* closes all at zero */
/* Close every descriptor marked close-on-exec (rumpclient_exec). */
void fdesc_close_on_exec(struct filedesc *fdp);

/*
 * Install fp at the lowest free descriptor >= minfd of p's table, taking
 * a new reference.  EMFILE when the limit is reached.
 */
int  fd_install(struct proc *p, struct file *fp, int minfd, int cloexec,
    int *fdp);
/* Referenced file for fd of the current process; EBADF if none. */
int  fd_getfile(int fd, struct file **fpp);
/* Close fd of process p; EBADF if not open. */
int  fd_close(struct proc *p, int fd);
/* dup2/dup3 semantics: make newfd refer to oldfd's file. */
int  fd_dup2(struct proc *p, int oldfd, int newfd, int cloexec);
int  fd_getcloexec(struct proc *p, int fd, int *cloexec);
int  fd_setcloexec(struct proc *p, int fd, int cloexec);

#endif /* KERN_FILE_H */
