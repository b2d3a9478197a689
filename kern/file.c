/*
 * file.c: open file descriptions and per-process descriptor tables.
 *
 * A struct file is reference counted: each descriptor slot that names it,
 * and each call in progress that got it from fd_getfile(), holds one
 * reference.  The last file_release() calls fo_close.
 *
 * A filedesc is an array of slots grown by doubling.  Every access to the
 * array takes fd_lock; nothing else is done under it: fileops and
 * file_release (which may call fo_close, which may block or take vnode
 * and socket locks) run only after fd_lock is dropped.  fd_freehint keeps
 * the search for the lowest free slot short: no slot below it is free.
 */
#include "kern.h"
#include "file.h"
#include "proc.h"

#define FD_INITIAL_SLOTS 16
/* Linux's default RLIMIT_NOFILE hard limit (INR_OPEN_MAX). */
#define FD_DEFAULT_LIMIT_MAX 4096

/* Flags that only matter while opening; F_GETFL does not report them. */
#define FILE_OPEN_ONLY_FLAGS (O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | \
	O_CLOEXEC)

/*
 * Allocate an open file description with one reference, holding the
 * opener's credentials cr (may be NULL for kernel-internal files).
 */
struct file *
file_alloc(enum ftype type, const struct fileops *ops, void *data, int flags,
    struct cred *cr)
{
	struct file *fp;

	fp = kmem_zalloc(sizeof(*fp));
	if (fp == NULL)
		return NULL;
	fp->f_refcnt = 1;
	fp->f_type = type;
	fp->f_flag = flags & ~FILE_OPEN_ONLY_FLAGS;
	fp->f_offset = 0;
	mutex_init(&fp->f_lock);
	fp->f_ops = ops;
	fp->f_data = data;
	fp->f_cred = cr != NULL ? cred_hold(cr) : NULL;
	return fp;
}

/* Take another reference to fp. */
void
file_hold(struct file *fp)
{
	uint32_t n = atomic_inc_32(&fp->f_refcnt);

	KASSERT(n > 1);
	(void)n;
}

/* Drop a reference; the last one closes the file and frees it. */
void
file_release(struct file *fp)
{
	if (fp == NULL)
		return;
	if (atomic_dec_32(&fp->f_refcnt) != 0)
		return;
	if (fp->f_ops != NULL && fp->f_ops->fo_close != NULL)
		fp->f_ops->fo_close(fp);
	if (fp->f_cred != NULL)
		cred_release(fp->f_cred);
	mutex_destroy(&fp->f_lock);
	kmem_free(fp);
}

/* fp's f_flag now: fcntl(F_SETFL) changes it under f_lock any time. */
int
file_flags(struct file *fp)
{
	int flags;

	mutex_enter(&fp->f_lock);
	flags = fp->f_flag;
	mutex_exit(&fp->f_lock);
	return flags;
}

/* A new, empty descriptor table with the default limits. */
struct filedesc *
fdesc_create(void)
{
	struct filedesc *fdp;

	fdp = kmem_zalloc(sizeof(*fdp));
	if (fdp == NULL)
		return NULL;
	fdp->fd_ofiles = kmem_zalloc(FD_INITIAL_SLOTS *
	    sizeof(struct fdentry));
	if (fdp->fd_ofiles == NULL) {
		kmem_free(fdp);
		return NULL;
	}
	fdp->fd_refcnt = 1;
	mutex_init(&fdp->fd_lock);
	fdp->fd_nfiles = FD_INITIAL_SLOTS;
	fdp->fd_freehint = 0;
	fdp->fd_limit = FD_DEFAULT_LIMIT;
	fdp->fd_limit_max = FD_DEFAULT_LIMIT_MAX;
	return fdp;
}

/*
 * A copy of fdp for a forked child: the same files (one more reference
 * each), close-on-exec flags and limits.  NULL on ENOMEM.
 */
struct filedesc *
fdesc_copy(struct filedesc *fdp)
{
	struct filedesc *nfdp;
	struct fdentry *tab = NULL;
	int n;

	nfdp = fdesc_create();
	if (nfdp == NULL)
		return NULL;
	mutex_enter(&fdp->fd_lock);
	/* Allocate outside the lock; retry if the table grew meanwhile. */
	while (nfdp->fd_nfiles < fdp->fd_nfiles) {
		n = fdp->fd_nfiles;
		mutex_exit(&fdp->fd_lock);
		kmem_free(tab);
		tab = kmem_zalloc((size_t)n * sizeof(*tab));
		if (tab == NULL) {
			fdesc_release(nfdp);
			return NULL;
		}
		mutex_enter(&fdp->fd_lock);
		if (n >= fdp->fd_nfiles) {
			kmem_free(nfdp->fd_ofiles);
			nfdp->fd_ofiles = tab;
			nfdp->fd_nfiles = n;
			tab = NULL;
		}
	}
	for (int i = 0; i < fdp->fd_nfiles; i++) {
		nfdp->fd_ofiles[i] = fdp->fd_ofiles[i];
		if (fdp->fd_ofiles[i].fe_file != NULL)
			file_hold(fdp->fd_ofiles[i].fe_file);
	}
	nfdp->fd_freehint = fdp->fd_freehint;
	nfdp->fd_limit = fdp->fd_limit;
	nfdp->fd_limit_max = fdp->fd_limit_max;
	mutex_exit(&fdp->fd_lock);
	kmem_free(tab);
	return nfdp;
}

/* Another process shares fdp (rfork without RF_FDCOPY). */
void
fdesc_hold(struct filedesc *fdp)
{
	atomic_inc_32(&fdp->fd_refcnt);
}

/* Drop a process's use of fdp; the last one closes every file. */
void
fdesc_release(struct filedesc *fdp)
{
	if (fdp == NULL)
		return;
	if (atomic_dec_32(&fdp->fd_refcnt) != 0)
		return;
	/* Nobody else can see the table any more: no lock needed. */
	for (int i = 0; i < fdp->fd_nfiles; i++) {
		struct file *fp = fdp->fd_ofiles[i].fe_file;

		fdp->fd_ofiles[i].fe_file = NULL;
		file_release(fp);
	}
	mutex_destroy(&fdp->fd_lock);
	kmem_free(fdp->fd_ofiles);
	kmem_free(fdp);
}

/* The slot of descriptor fd if fd is open, else NULL.  fd_lock held. */
static struct fdentry *
fd_lookup_locked(struct filedesc *fdp, int fd)
{
	if (fd < 0 || fd >= fdp->fd_nfiles ||
	    fdp->fd_ofiles[fd].fe_file == NULL)
		return NULL;
	return &fdp->fd_ofiles[fd];
}

/*
 * Take the file out of slot fd (fd_lock held) and return it; the caller
 * releases it after dropping the lock.
 */
static struct file *
fd_unslot_locked(struct filedesc *fdp, int fd)
{
	struct file *fp = fdp->fd_ofiles[fd].fe_file;

	fdp->fd_ofiles[fd].fe_file = NULL;
	fdp->fd_ofiles[fd].fe_cloexec = 0;
	if (fd < fdp->fd_freehint)
		fdp->fd_freehint = fd;
	return fp;
}

/* Close every descriptor marked close-on-exec (exec keeps the rest). */
void
fdesc_close_on_exec(struct filedesc *fdp)
{
	struct file *fp;
	int i = 0;

	for (;;) {
		fp = NULL;
		mutex_enter(&fdp->fd_lock);
		for (; i < fdp->fd_nfiles; i++) {
			if (fdp->fd_ofiles[i].fe_file != NULL &&
			    fdp->fd_ofiles[i].fe_cloexec) {
				fp = fd_unslot_locked(fdp, i);
				break;
			}
		}
		mutex_exit(&fdp->fd_lock);
		if (fp == NULL)
			break;
		file_release(fp);
	}
}

/*
 * Make the table at least want slots long by doubling (fd_lock held).
 * The caller has checked want against the limit.  0 or ENOMEM.
 */
static int
fd_grow_locked(struct filedesc *fdp, int want)
{
	struct fdentry *tab;
	int n = fdp->fd_nfiles;

	if (want <= n)
		return 0;
	while (n < want)
		n *= 2;
	tab = kmem_realloc(fdp->fd_ofiles, (size_t)n * sizeof(*tab));
	if (tab == NULL)
		return ENOMEM;
	memset(tab + fdp->fd_nfiles, 0,
	    (size_t)(n - fdp->fd_nfiles) * sizeof(*tab));
	fdp->fd_ofiles = tab;
	fdp->fd_nfiles = n;
	return 0;
}

/*
 * Put fp in slot fd (below the limit), growing the table, with a new
 * reference for the slot; *oldp is what the slot held (NULL if free), for
 * the caller to release after dropping fd_lock.  0 or ENOMEM.
 */
static int
fd_fill_locked(struct filedesc *fdp, int fd, struct file *fp, int cloexec,
    struct file **oldp)
{
	int error;

	if ((error = fd_grow_locked(fdp, fd + 1)) != 0)
		return error;
	file_hold(fp);
	*oldp = fdp->fd_ofiles[fd].fe_file;
	fdp->fd_ofiles[fd].fe_file = fp;
	fdp->fd_ofiles[fd].fe_cloexec = cloexec != 0;
	return 0;
}

/*
 * Install fp at the lowest free descriptor >= minfd of p's table, taking
 * a new reference for the slot.  EMFILE when that would reach the limit.
 */
int
fd_install(struct proc *p, struct file *fp, int minfd, int cloexec, int *fdp)
{
	struct filedesc *fdt = p->p_fd;
	struct file *old;
	int error = 0, i;

	KASSERT(fp != NULL);
	if (minfd < 0)
		return EINVAL;
	mutex_enter(&fdt->fd_lock);
	i = MAX(minfd, fdt->fd_freehint);
	while (i < fdt->fd_nfiles && fdt->fd_ofiles[i].fe_file != NULL)
		i++;
	if ((uint64_t)i >= fdt->fd_limit) {
		error = EMFILE;
		goto out;
	}
	if ((error = fd_fill_locked(fdt, i, fp, cloexec, &old)) != 0)
		goto out;
	KASSERT(old == NULL);
	if (minfd <= fdt->fd_freehint)
		fdt->fd_freehint = i + 1;
	*fdp = i;
out:
	mutex_exit(&fdt->fd_lock);
	return error;
}

/*
 * The file open at fd in the current process, with a reference the caller
 * drops with file_release().  EBADF if fd is not open.  This is on every
 * I/O call: one uncontended lock and an atomic increment.
 */
int
fd_getfile(int fd, struct file **fpp)
{
	struct filedesc *fdp = curproc()->p_fd;
	struct fdentry *fe;
	struct file *fp = NULL;

	mutex_enter(&fdp->fd_lock);
	if ((fe = fd_lookup_locked(fdp, fd)) != NULL) {
		fp = fe->fe_file;
		file_hold(fp);
	}
	mutex_exit(&fdp->fd_lock);
	if (fp == NULL)
		return EBADF;
	*fpp = fp;
	return 0;
}

/* Close descriptor fd of p; EBADF if it is not open. */
int
fd_close(struct proc *p, int fd)
{
	struct filedesc *fdp = p->p_fd;
	struct file *fp = NULL;

	mutex_enter(&fdp->fd_lock);
	if (fd_lookup_locked(fdp, fd) != NULL)
		fp = fd_unslot_locked(fdp, fd);
	mutex_exit(&fdp->fd_lock);
	if (fp == NULL)
		return EBADF;
	file_release(fp);
	return 0;
}

/*
 * dup2/dup3: make newfd refer to oldfd's file, atomically closing what
 * newfd had.  EBADF for a bad oldfd or a newfd out of range.  With
 * oldfd == newfd this only checks oldfd (dup2); dup3 rejects that case
 * before calling.
 */
int
fd_dup2(struct proc *p, int oldfd, int newfd, int cloexec)
{
	struct filedesc *fdp = p->p_fd;
	struct fdentry *fe;
	struct file *fp, *oldfp = NULL;
	int error = 0;

	if (oldfd < 0 || newfd < 0)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	if ((fe = fd_lookup_locked(fdp, oldfd)) == NULL) {
		error = EBADF;
		goto out;
	}
	fp = fe->fe_file;
	if (oldfd == newfd)
		goto out;
	if ((uint64_t)newfd >= fdp->fd_limit) {
		error = EBADF;
		goto out;
	}
	error = fd_fill_locked(fdp, newfd, fp, cloexec, &oldfp);
out:
	mutex_exit(&fdp->fd_lock);
	file_release(oldfp);
	return error;
}

/* Read fd's close-on-exec flag; EBADF if fd is not open. */
int
fd_getcloexec(struct proc *p, int fd, int *cloexec)
{
	struct filedesc *fdp = p->p_fd;
	struct fdentry *fe;

	mutex_enter(&fdp->fd_lock);
	if ((fe = fd_lookup_locked(fdp, fd)) != NULL)
		*cloexec = fe->fe_cloexec;
	mutex_exit(&fdp->fd_lock);
	return fe != NULL ? 0 : EBADF;
}

/* Set or clear fd's close-on-exec flag; EBADF if fd is not open. */
int
fd_setcloexec(struct proc *p, int fd, int cloexec)
{
	struct filedesc *fdp = p->p_fd;
	struct fdentry *fe;

	mutex_enter(&fdp->fd_lock);
	if ((fe = fd_lookup_locked(fdp, fd)) != NULL)
		fe->fe_cloexec = cloexec != 0;
	mutex_exit(&fdp->fd_lock);
	return fe != NULL ? 0 : EBADF;
}
