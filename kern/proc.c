/*
 * proc.c: the process table, process creation and exit, credentials and
 * signals.  Locking is described in proc.h.
 */
#include "kern.h"
#include "file.h"
#include "proc.h"
#include "sleep.h"
#include "vfs/vfs.h"

#define PID_MAX		4194304		/* Linux's 64-bit pid_max */
#define PIDHASH_SIZE	1024

static kmutex_t proctab_lock;
static struct klist pidhash[PIDHASH_SIZE];
static pid_t pid_next = 2;
struct proc *initproc;
void (*proc_signal_hook)(struct proc *, int);

static struct klist *
pidhash_bucket(pid_t pid)
{
	return &pidhash[(unsigned)pid % PIDHASH_SIZE];
}

void
proctab_enter(void)
{
	mutex_enter(&proctab_lock);
}

void
proctab_exit(void)
{
	mutex_exit(&proctab_lock);
}

/* Look pid up; proctab_lock held by the caller. */
static struct proc *
proc_lookup(pid_t pid)
{
	struct klist *b = pidhash_bucket(pid), *it;

	klist_foreach(it, b) {
		struct proc *p = klist_entry(it, struct proc, p_hashlink);

		if (p->p_pid == pid)
			return p;
	}
	return NULL;
}

struct proc *
proc_find_locked(pid_t pid)
{
	struct proc *p;

	mutex_enter(&proctab_lock);
	p = proc_lookup(pid);
	if (p == NULL)
		mutex_exit(&proctab_lock);
	return p;
}

/* The smallest pid above 'after' that is in use, for listings. */
int
proc_next_pid(pid_t after, pid_t *next)
{
	pid_t best = -1;

	mutex_enter(&proctab_lock);
	for (int i = 0; i < PIDHASH_SIZE; i++) {
		struct klist *it;

		klist_foreach(it, &pidhash[i]) {
			pid_t pid = klist_entry(it, struct proc,
			    p_hashlink)->p_pid;

			if (pid > after && (best < 0 || pid < best))
				best = pid;
		}
	}
	mutex_exit(&proctab_lock);
	if (best < 0)
		return ESRCH;
	*next = best;
	return 0;
}

/* Pick an unused pid; proctab_lock held.  EAGAIN when all are taken. */
static int
pid_alloc(pid_t *pidp)
{
	for (int tries = 0; tries < PID_MAX; tries++) {
		pid_t pid = pid_next;

		pid_next = pid_next >= PID_MAX - 1 ? 2 : pid_next + 1;
		if (proc_lookup(pid) == NULL) {
			*pidp = pid;
			return 0;
		}
	}
	return EAGAIN;
}

/* Credentials. */

struct cred *
cred_hold(struct cred *cr)
{
	atomic_inc_32(&cr->cr_refcnt);
	return cr;
}

void
cred_release(struct cred *cr)
{
	if (atomic_dec_32(&cr->cr_refcnt) == 0) {
		kmem_free(cr->cr_groups);
		kmem_free(cr);
	}
}

struct cred *
proc_cred(struct proc *p)
{
	struct cred *cr;

	mutex_enter(&p->p_lock);
	cr = cred_hold(p->p_cred);
	mutex_exit(&p->p_lock);
	return cr;
}

/* Is gid the effective gid or one of the supplementary groups? */
int
cred_groupmember(const struct cred *cr, gid_t gid)
{
	int lo = 0, hi = cr->cr_ngroups - 1;

	if (cr->cr_egid == gid)
		return 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (cr->cr_groups[mid] == gid)
			return 1;
		if (cr->cr_groups[mid] < gid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

/* The superuser's credentials, which init starts with. */
static struct cred *
cred_alloc_root(void)
{
	struct cred *cr = kmem_zalloc(sizeof(*cr));

	if (cr == NULL)
		return NULL;
	cr->cr_refcnt = 1;
	cr->cr_groups = kmem_zalloc(sizeof(gid_t));
	if (cr->cr_groups == NULL) {
		kmem_free(cr);
		return NULL;
	}
	cr->cr_ngroups = 1;		/* group 0, as root has on Linux */
	return cr;
}

/* Allocate a process with default state; not yet in the table. */
static struct proc *
proc_alloc(void)
{
	struct proc *p = kmem_zalloc(sizeof(*p));

	if (p == NULL)
		return NULL;
	mutex_init(&p->p_lock);
	klist_init(&p->p_children);
	klist_init(&p->p_sibling);
	klist_init(&p->p_hashlink);
	klist_init(&p->p_lwps);
	p->p_umask = 022;
	return p;
}

static void
proc_free(struct proc *p)
{
	mutex_destroy(&p->p_lock);
	kmem_free(p);
}

/* Create init (pid 1) at boot; needs rootvnode. */
int
proc_init(void)
{
	struct proc *p;

	mutex_init(&proctab_lock);
	for (int i = 0; i < PIDHASH_SIZE; i++)
		klist_init(&pidhash[i]);
	if ((p = proc_alloc()) == NULL)
		return ENOMEM;
	p->p_pid = 1;
	kstrlcpy(p->p_comm, "init", sizeof(p->p_comm));
	p->p_cred = cred_alloc_root();
	p->p_fd = fdesc_create();
	if (p->p_cred == NULL || p->p_fd == NULL) {
		if (p->p_cred != NULL)
			cred_release(p->p_cred);
		if (p->p_fd != NULL)
			fdesc_release(p->p_fd);
		proc_free(p);
		return ENOMEM;
	}
	vref(rootvnode);
	vref(rootvnode);
	p->p_cwd = rootvnode;
	p->p_rootdir = rootvnode;
	klist_append(pidhash_bucket(1), &p->p_hashlink);
	initproc = p;
	return 0;
}

/* Create a child of parent that inherits its state (see proc.h). */
int
proc_create(struct proc *parent, int fdflags, struct proc **pp)
{
	struct proc *p;
	int error;

	if ((p = proc_alloc()) == NULL)
		return ENOMEM;
	if (fdflags & RF_FDCOPY)
		p->p_fd = fdesc_copy(parent->p_fd);
	else if (fdflags & RF_FDCLEAN)
		p->p_fd = fdesc_create();
	else {
		fdesc_hold(parent->p_fd);
		p->p_fd = parent->p_fd;
	}
	if (p->p_fd == NULL) {
		proc_free(p);
		return ENOMEM;
	}
	mutex_enter(&parent->p_lock);
	p->p_cred = cred_hold(parent->p_cred);
	vref(parent->p_cwd);
	p->p_cwd = parent->p_cwd;
	vref(parent->p_rootdir);
	p->p_rootdir = parent->p_rootdir;
	p->p_umask = parent->p_umask;
	p->p_sigmask = parent->p_sigmask;
	memcpy(p->p_comm, parent->p_comm, sizeof(p->p_comm));
	mutex_exit(&parent->p_lock);

	mutex_enter(&proctab_lock);
	error = pid_alloc(&p->p_pid);
	if (error == 0) {
		p->p_pptr = parent;
		klist_append(&parent->p_children, &p->p_sibling);
		klist_append(pidhash_bucket(p->p_pid), &p->p_hashlink);
	}
	mutex_exit(&proctab_lock);
	if (error != 0) {
		fdesc_release(p->p_fd);
		vrele(p->p_cwd);
		vrele(p->p_rootdir);
		cred_release(p->p_cred);
		proc_free(p);
		return error;
	}
	*pp = p;
	return 0;
}

/*
 * The last lwp of p is gone: release everything it held, give its
 * children to init and remove it from the table.
 */
void
proc_exit(struct proc *p)
{
	struct klist *it, *tmp;

	KASSERT(p != initproc);
	atomic_store(&p->p_exiting, 1);
	mutex_enter(&proctab_lock);
	klist_remove(&p->p_hashlink);
	klist_remove(&p->p_sibling);
	klist_foreach_safe(it, tmp, &p->p_children) {
		struct proc *c = klist_entry(it, struct proc, p_sibling);

		klist_remove(&c->p_sibling);
		c->p_pptr = initproc;
		klist_append(&initproc->p_children, &c->p_sibling);
	}
	mutex_exit(&proctab_lock);

	fdesc_release(p->p_fd);
	vrele(p->p_cwd);
	vrele(p->p_rootdir);
	cred_release(p->p_cred);
	proc_free(p);
}

/* Mark p exiting and wake all its lwps: their sleeps end with EINTR. */
void
proc_kill_all_lwps(struct proc *p)
{
	struct klist *it;

	atomic_store(&p->p_exiting, 1);
	mutex_enter(&p->p_lock);
	klist_foreach(it, &p->p_lwps) {
		struct lwp *l = klist_entry(it, struct lwp, l_sibling);

		mutex_enter(&l->l_lock);
		cv_broadcast(&l->l_cv);
		mutex_exit(&l->l_lock);
	}
	mutex_exit(&p->p_lock);
}

/*
 * Send sig to p.  SIGKILL ends the process's blocking calls for good;
 * other signals are recorded as pending and interrupt blocking calls
 * (EINTR) until consumed.  The hook, when set, forwards the signal.
 */
int
proc_signal(struct proc *p, int sig)
{
	if (sig < 0 || sig > KNSIG)
		return EINVAL;
	if (sig == 0)
		return 0;
	if (p == initproc)
		return 0;		/* init ignores signals, as on Linux */
	/* The hook first: a client must see the signal before the reply
	 * of a call it interrupts (EINTR). */
	if (proc_signal_hook != NULL)
		proc_signal_hook(p, sig);
	if (sig == SIGKILL)
		proc_kill_all_lwps(p);
	else {
		struct klist *it;

		atomic_or(&p->p_sigpending, 1ULL << (sig - 1));
		mutex_enter(&p->p_lock);
		klist_foreach(it, &p->p_lwps)
			lwp_wakeup(klist_entry(it, struct lwp, l_sibling));
		mutex_exit(&p->p_lock);
	}
	return 0;
}

/* After a call ended with EINTR: the pending signals have been seen. */
void
proc_sigconsume(struct proc *p)
{
	uint64_t mask;

	mutex_enter(&p->p_lock);
	mask = p->p_sigmask;
	mutex_exit(&p->p_lock);
	atomic_and(&p->p_sigpending, mask);
}

/* lwps. */

int
lwp_create(struct proc *p, struct lwp **lp)
{
	static int lid_next;
	struct lwp *l = kmem_zalloc(sizeof(*l));

	if (l == NULL)
		return ENOMEM;
	l->l_proc = p;
	l->l_lid = __atomic_add_fetch(&lid_next, 1, __ATOMIC_RELAXED);
	mutex_init(&l->l_lock);
	cv_init(&l->l_cv);
	klist_init(&l->l_sibling);
	mutex_enter(&p->p_lock);
	if (p->p_dead) {
		mutex_exit(&p->p_lock);
		lwp_free_unlinked(l);
		return ESRCH;
	}
	klist_append(&p->p_lwps, &l->l_sibling);
	p->p_nlwps++;
	mutex_exit(&p->p_lock);
	*lp = l;
	return 0;
}

/* Free an lwp that is in no process list. */
void
lwp_free_unlinked(struct lwp *l)
{
	cv_destroy(&l->l_cv);
	mutex_destroy(&l->l_lock);
	kmem_free(l);
}

/* Release l; the process exits with its last lwp (never init). */
void
lwp_release(struct lwp *l)
{
	struct proc *p = l->l_proc;
	int last;

	if (hyp_curlwp() == l)
		hyp_set_curlwp(NULL);
	mutex_enter(&p->p_lock);
	klist_remove(&l->l_sibling);
	last = (--p->p_nlwps == 0 && p != initproc);
	if (last)
		p->p_dead = 1;
	mutex_exit(&p->p_lock);
	lwp_free_unlinked(l);
	if (last)
		proc_exit(p);
}

/* Make l the calling thread's lwp; an implicit lwp switched away from is
 * released, since nothing else can refer to it. */
void
lwp_switch(struct lwp *l)
{
	struct lwp *old = hyp_curlwp();

	if (old == l)
		return;
	hyp_set_curlwp(l);
	if (old != NULL && old->l_implicit)
		lwp_release(old);
}

/* Give a thread without an lwp a fresh implicit one in init. */
int
lwp_implicit(struct lwp **lp)
{
	struct lwp *l;
	int error;

	if ((error = lwp_create(initproc, &l)) != 0)
		return error;
	l->l_implicit = 1;
	hyp_set_curlwp(l);
	*lp = l;
	return 0;
}

/* Host thread exit: its implicit lwp goes with it. */
void
lwp_thread_exit(void *arg)
{
	struct lwp *l = arg;

	if (l->l_implicit)
		lwp_release(l);
}

struct lwp *
curlwp(void)
{
	struct lwp *l = hyp_curlwp();

	if (l == NULL && lwp_implicit(&l) != 0)
		kpanic("out of memory for an implicit lwp");
	return l;
}
