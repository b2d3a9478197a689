/*
 * sys_poll.c: poll(2) and ppoll(2), and the polltab that fo_poll
 * implementations register the polling lwp with (kern/poll.h).
 *
 * A poll pass asks every file's fo_poll for its ready events, passing the
 * polltab while nothing is ready yet, so each object puts a waiter for the
 * polling lwp on its waitq under its own lock.  If nothing is ready the
 * lwp sleeps; any wakeup that came after a registration is kept in
 * l_woken, so none is lost.  After the sleep every registration is
 * removed and the pass is repeated.  The files stay referenced from the
 * pass until their registrations are gone, which keeps the waitqs alive.
 */
#include "kern.h"
#include "file.h"
#include "poll.h"
#include "proc.h"
#include "sleep.h"
#include "sysproto.h"

/* Re-check interval when a registration failed for lack of memory. */
#define POLL_RETRY_NS	10000000LL
/* Events of files without fo_poll (Linux's DEFAULT_POLLMASK). */
#define POLL_DEFAULT	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)
/* Files held by one pass without allocating. */
#define POLL_NSTACK	32
/* Signals a mask can never block. */
#define POLL_UNBLOCKABLE ((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)))

/* Start an empty table for the polling lwp l. */
void
polltab_init(struct polltab *pt, struct lwp *l)
{
	pt->pt_lwp = l;
	pt->pt_ninline = 0;
	pt->pt_overflow = 0;
	pt->pt_chunks = NULL;
}

/* A free entry, or NULL when out of memory. */
static struct pollent *
polltab_newent(struct polltab *pt)
{
	struct polltab_chunk *pc = pt->pt_chunks;

	if (pt->pt_ninline < POLLTAB_NINLINE)
		return &pt->pt_inline[pt->pt_ninline++];
	/* Chunks are filled newest first; reuse ones emptied by a clear. */
	if (pc == NULL || pc->pc_n == POLLTAB_CHUNK) {
		pc = kmem_alloc(sizeof(*pc));
		if (pc == NULL)
			return NULL;
		pc->pc_n = 0;
		pc->pc_next = pt->pt_chunks;
		pt->pt_chunks = pc;
	}
	return &pc->pc_ent[pc->pc_n++];
}

/* Register the polling lwp on wq; wq->wq_lock is held by the caller. */
void
polltab_register(struct polltab *pt, struct waitq *wq)
{
	struct pollent *pe = polltab_newent(pt);

	if (pe == NULL) {
		pt->pt_overflow = 1;
		return;
	}
	pe->pe_wq = wq;
	waiter_init(&pe->pe_waiter, pt->pt_lwp);
	waitq_add(wq, &pe->pe_waiter);
}

/* Take one registration off its waitq, under that waitq's lock. */
static void
pollent_remove(struct pollent *pe)
{
	mutex_enter(pe->pe_wq->wq_lock);
	waitq_remove(&pe->pe_waiter);
	mutex_exit(pe->pe_wq->wq_lock);
}

/* Remove every registration; chunks are kept for the next pass. */
void
polltab_clear(struct polltab *pt)
{
	struct polltab_chunk *pc;

	for (int i = 0; i < pt->pt_ninline; i++)
		pollent_remove(&pt->pt_inline[i]);
	pt->pt_ninline = 0;
	for (pc = pt->pt_chunks; pc != NULL; pc = pc->pc_next) {
		for (int i = 0; i < pc->pc_n; i++)
			pollent_remove(&pc->pc_ent[i]);
		pc->pc_n = 0;
	}
	pt->pt_overflow = 0;
}

/* Remove every registration and free the chunks. */
void
polltab_fini(struct polltab *pt)
{
	struct polltab_chunk *pc, *next;

	polltab_clear(pt);
	for (pc = pt->pt_chunks; pc != NULL; pc = next) {
		next = pc->pc_next;
		kmem_free(pc);
	}
	pt->pt_chunks = NULL;
}

/*
 * One pass over fds: set every revents and return how many are nonzero.
 * Files are referenced into files[] (released by poll_release) so that
 * their waitqs outlive the registrations.  pt is NULL when not waiting.
 */
static int
poll_scan(struct kpollfd *fds, nfds_t nfds, struct file **files,
    struct polltab *pt)
{
	int nready = 0, events, revents;
	struct file *fp;

	for (nfds_t i = 0; i < nfds; i++) {
		revents = 0;
		if (fds[i].fd >= 0) {
			/* Linux always reports errors and hangups. */
			events = (uint16_t)fds[i].events | POLLERR | POLLHUP;
			if (fd_getfile(fds[i].fd, &fp) != 0)
				revents = POLLNVAL;
			else {
				files[i] = fp;
				revents = fp->f_ops->fo_poll == NULL ?
				    POLL_DEFAULT : fp->f_ops->fo_poll(fp,
				    events, nready == 0 ? pt : NULL);
				revents &= events;
			}
		}
		fds[i].revents = (int16_t)revents;
		if (revents != 0)
			nready++;
	}
	return nready;
}

/* Drop the references a pass took (after the registrations are gone). */
static void
poll_release(struct file **files, nfds_t nfds)
{
	for (nfds_t i = 0; i < nfds; i++) {
		if (files[i] != NULL) {
			file_release(files[i]);
			files[i] = NULL;
		}
	}
}

/* Set (mask != NULL) or clear the extra signal mask of l's wait. */
static void
poll_setmask(struct lwp *l, const ksigset_t *mask)
{
	mutex_enter(&l->l_lock);
	l->l_sigmask_wait = mask != NULL ? (*mask & ~POLL_UNBLOCKABLE) : 0;
	mutex_exit(&l->l_lock);
}

/* How long one sleep of a poll may last (lwp_sleep's deadline, 0: none). */
static int64_t
poll_sleep_deadline(const struct polltab *pt, int64_t deadline_ns,
    int64_t now)
{
	int64_t d = deadline_ns == POLL_NO_DEADLINE ? 0 : deadline_ns;

	if (pt->pt_overflow && (d == 0 || d > now + POLL_RETRY_NS))
		d = now + POLL_RETRY_NS;
	return d;
}

/* The passes and sleeps of one poll; files[] has nfds NULL entries. */
static int
poll_loop(struct lwp *l, struct kpollfd *fds, nfds_t nfds,
    struct file **files, int64_t deadline_ns, int *nreadyp)
{
	struct polltab pt;
	int64_t now;
	int error = 0, n;

	polltab_init(&pt, l);
	for (;;) {
		n = poll_scan(fds, nfds, files, &pt);
		now = hyp_clock_monotonic_ns();
		if (n > 0 || now >= deadline_ns)
			break;
		error = lwp_sleep(l, poll_sleep_deadline(&pt, deadline_ns,
		    now));
		polltab_clear(&pt);
		poll_release(files, nfds);
		if (error == EINTR)
			break;
		error = 0;		/* woken or timed out: look again */
	}
	polltab_fini(&pt);
	poll_release(files, nfds);
	*nreadyp = n;
	return error;
}

/* The body of poll and ppoll (contract in poll.h). */
int
kern_poll(struct lwp *l, struct kpollfd *fds, nfds_t nfds,
    int64_t deadline_ns, const ksigset_t *sigmask, int *nreadyp)
{
	struct file *stackfiles[POLL_NSTACK] = { NULL }, **files = stackfiles;
	int error;

	if (nfds > POLL_NSTACK) {
		files = kmem_zalloc(nfds * sizeof(*files));
		if (files == NULL)
			return ENOMEM;
	}
	if (sigmask != NULL)
		poll_setmask(l, sigmask);
	error = poll_loop(l, fds, nfds, files, deadline_ns, nreadyp);
	if (sigmask != NULL)
		poll_setmask(l, NULL);
	if (files != stackfiles)
		kmem_free(files);
	return error;
}

/* Check fds and nfds against the caller's limit (we don't trust them). */
static int
poll_checkargs(struct lwp *l, struct kpollfd *fds, nfds_t nfds)
{
	struct filedesc *fdp = l->l_proc->p_fd;
	uint64_t limit;

	mutex_enter(&fdp->fd_lock);
	limit = fdp->fd_limit;
	mutex_exit(&fdp->fd_lock);
	/* The soft limit never exceeds FD_HARD_LIMIT; the second test just
	 * keeps the array size below overflow whatever happens. */
	if (nfds > limit || nfds > FD_HARD_LIMIT)
		return EINVAL;
	if (fds == NULL && nfds > 0)
		return EFAULT;
	return 0;
}

/* Run kern_poll and return its count. */
static int
poll_common(struct lwp *l, struct kpollfd *fds, nfds_t nfds,
    int64_t deadline_ns, const ksigset_t *sigmask, register_t *retval)
{
	int error, n = 0;

	error = poll_checkargs(l, fds, nfds);
	if (error != 0)
		return error;
	error = kern_poll(l, fds, nfds, deadline_ns, sigmask, &n);
	if (error == 0)
		*retval = n;
	return error;
}

/* poll(2): timeout in milliseconds; negative waits forever, 0 not at all. */
int
sys_poll(struct lwp *l, struct kpollfd *fds, nfds_t nfds, int timeout,
    register_t *retval)
{
	int64_t deadline = POLL_NO_DEADLINE;

	if (timeout >= 0)
		deadline = hyp_clock_monotonic_ns() +
		    (int64_t)timeout * 1000000;
	return poll_common(l, fds, nfds, deadline, NULL, retval);
}

/* The deadline of a relative timespec; EINVAL unless it is valid. */
static int
poll_ts_deadline(const struct ktimespec *ts, int64_t *deadlinep)
{
	int64_t now = hyp_clock_monotonic_ns();

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
		return EINVAL;
	/* A timeout too long to represent is as good as none. */
	if (ts->tv_sec >= (POLL_NO_DEADLINE - now) / 1000000000 - 1)
		*deadlinep = POLL_NO_DEADLINE;
	else
		*deadlinep = now + ts->tv_sec * 1000000000 + ts->tv_nsec;
	return 0;
}

/*
 * ppoll(2): tmo NULL waits forever; sigmask (8 bytes, optional) is blocked
 * in addition to the process mask while waiting.
 */
int
sys_ppoll(struct lwp *l, struct kpollfd *fds, nfds_t nfds,
    const struct ktimespec *tmo, const ksigset_t *sigmask,
    register_t *retval)
{
	int64_t deadline = POLL_NO_DEADLINE;
	int error;

	if (tmo != NULL) {
		error = poll_ts_deadline(tmo, &deadline);
		if (error != 0)
			return error;
	}
	return poll_common(l, fds, nfds, deadline, sigmask, retval);
}
