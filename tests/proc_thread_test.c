/*
 * proc_thread_test.c: descriptor tables and credentials under concurrency:
 * many threads in several processes doing open/dup/dup2/close/fcntl at
 * once, racing closes of the same descriptors, dup2 replacing a slot that
 * others use, forks copying a table that is being changed, and credential
 * swaps seen by concurrent readers.  Also runs under ThreadSanitizer.
 *
 * Threads count failures in atomic counters; the main thread checks them.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

#define NPROC	4
#define NTHR	4
#define ITER	1000
#define SHARED_SLOT 200

static int errors;		/* atomic: failures seen by threads */

#define TCHECK(c) do { if (!(c)) { \
	fprintf(stderr, "  %s:%d: thread check failed: %s\n", __FILE__, \
	    __LINE__, #c); \
	__atomic_add_fetch(&errors, 1, __ATOMIC_RELAXED); } } while (0)

/* Boot and make a new process, child of init, switched to. */
static struct lwp *
new_proc(int flags)
{
	rump_pub_lwproc_switch(NULL);
	CHECK_EQ(rump_pub_lwproc_rfork(flags), 0);
	return rump_pub_lwproc_curlwp();
}

static void
start_threads(pthread_t *t, int n, void *(*fn)(void *), void *args,
    size_t argsize)
{
	for (int i = 0; i < n; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, fn,
		    (char *)args + (size_t)i * argsize), 0);
}

static void
join_threads(pthread_t *t, int n)
{
	for (int i = 0; i < n; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
}

struct fdwork {
	pid_t	pid;		/* process to work in */
	char	path[32];	/* its file */
	int	base;		/* a descriptor open throughout */
};

/* open/dup/dup2/fcntl/close in a loop, in process w->pid. */
static void *
fd_worker(void *arg)
{
	struct fdwork *w = arg;

	TCHECK(rump_pub_lwproc_newlwp(w->pid) == 0);
	for (int i = 0; i < ITER; i++) {
		int fd = rump_sys_open(w->path, O_RDONLY);
		TCHECK(fd >= 0);
		int d = rump_sys_dup(fd);
		TCHECK(d >= 0 && d != fd);
		TCHECK(rump_sys_dup2(d, SHARED_SLOT) == SHARED_SLOT);
		TCHECK(rump_sys_fcntl(SHARED_SLOT, F_GETFD) == 0);
		int e = rump_sys_fcntl(w->base, F_DUPFD_CLOEXEC, 300);
		TCHECK(e >= 300);
		TCHECK(rump_sys_fcntl(e, F_GETFD) == FD_CLOEXEC);
		TCHECK((rump_sys_fcntl(d, F_GETFL) & O_ACCMODE) == O_RDONLY);
		TCHECK(rump_sys_close(e) == 0);
		TCHECK(rump_sys_close(d) == 0);
		TCHECK(rump_sys_close(fd) == 0);
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/*
 * NPROC processes (the last two sharing one table), NTHR threads each.
 * Afterwards each table holds exactly what the main thread put there.
 */
TEST(concurrent_fd_ops)
{
	struct fdwork w[NPROC * NTHR];
	struct lwp *pl[NPROC];
	pid_t pids[NPROC];
	pthread_t t[NPROC * NTHR];

	CHECK_EQ(rump_init(), 0);
	for (int p = 0; p < NPROC; p++) {
		if (p == NPROC - 1) {
			/* Shares the previous process's table. */
			rump_pub_lwproc_switch(pl[p - 1]);
			CHECK_EQ(rump_pub_lwproc_rfork(0), 0);
			pl[p] = rump_pub_lwproc_curlwp();
		} else
			pl[p] = new_proc(RUMP_RFCFDG);
		pids[p] = rump_sys_getpid();
		char path[32];
		snprintf(path, sizeof(path), "/t%d", p);
		int base = (int)CHECK_OK(rump_sys_open(path, O_CREAT | O_RDWR,
		    0644));
		for (int j = 0; j < NTHR; j++) {
			struct fdwork *x = &w[p * NTHR + j];
			x->pid = pids[p];
			memcpy(x->path, path, sizeof(path));
			x->base = base;
		}
	}
	rump_pub_lwproc_switch(NULL);
	start_threads(t, NPROC * NTHR, fd_worker, w, sizeof(w[0]));
	join_threads(t, NPROC * NTHR);
	CHECK_EQ(__atomic_load_n(&errors, __ATOMIC_RELAXED), 0);

	/* Only base descriptors and the shared slot are left. */
	for (int p = 0; p < NPROC - 2; p++) {
		rump_pub_lwproc_switch(pl[p]);
		int open = 0;
		for (int fd = 0; fd < 400; fd++)
			open += rump_sys_fcntl(fd, F_GETFD) != -1;
		CHECK_EQ(open, 2);
		CHECK(rump_sys_fcntl(w[p * NTHR].base, F_GETFD) == 0);
		CHECK(rump_sys_fcntl(SHARED_SLOT, F_GETFD) == 0);
	}
	rump_pub_lwproc_switch(pl[NPROC - 1]);
	int open = 0;
	for (int fd = 0; fd < 400; fd++)
		open += rump_sys_fcntl(fd, F_GETFD) != -1;
	CHECK_EQ(open, 3);	/* two bases and the shared slot */
	for (int p = 0; p < NPROC; p++) {
		rump_pub_lwproc_switch(pl[p]);
		rump_pub_lwproc_releaselwp();
	}
}

#define NCLOSE 300
#define NROUND 20

struct closework {
	pid_t	pid;
	int	round_ok[NROUND];	/* successful closes per round */
	pthread_barrier_t *bar;
};

/* Close every descriptor 0..NCLOSE-1 each round, racing the others. */
static void *
close_worker(void *arg)
{
	struct closework *c = arg;

	TCHECK(rump_pub_lwproc_newlwp(c->pid) == 0);
	for (int r = 0; r < NROUND; r++) {
		pthread_barrier_wait(c->bar);	/* table refilled */
		for (int fd = 0; fd < NCLOSE; fd++) {
			int rv = rump_sys_close(fd);
			if (rv == 0)
				c->round_ok[r]++;
			else
				TCHECK(errno == EBADF);
		}
		pthread_barrier_wait(c->bar);	/* round over */
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* Each descriptor is closed exactly once however many threads race. */
TEST(concurrent_close_same_fds)
{
	struct closework c[NTHR];
	pthread_t t[NTHR];
	pthread_barrier_t bar;

	CHECK_EQ(rump_init(), 0);
	struct lwp *l = new_proc(RUMP_RFCFDG);
	pid_t pid = rump_sys_getpid();
	int base = (int)CHECK_OK(rump_sys_open("/c", O_CREAT | O_RDWR, 0644));
	CHECK_EQ(rump_sys_dup2(base, 1000), 1000);
	CHECK_OK(rump_sys_close(base));
	pthread_barrier_init(&bar, NULL, NTHR + 1);
	memset(c, 0, sizeof(c));
	for (int i = 0; i < NTHR; i++) {
		c[i].pid = pid;
		c[i].bar = &bar;
	}
	start_threads(t, NTHR, close_worker, c, sizeof(c[0]));
	for (int r = 0; r < NROUND; r++) {
		for (int fd = 0; fd < NCLOSE; fd++)
			CHECK_EQ(rump_sys_dup(1000), fd);
		pthread_barrier_wait(&bar);
		pthread_barrier_wait(&bar);
		int total = 0;
		for (int i = 0; i < NTHR; i++)
			total += c[i].round_ok[r];
		CHECK_EQ(total, NCLOSE);
		CHECK_ERR(rump_sys_fcntl(NCLOSE - 1, F_GETFD), EBADF);
	}
	join_threads(t, NTHR);
	pthread_barrier_destroy(&bar);
	CHECK_EQ(__atomic_load_n(&errors, __ATOMIC_RELAXED), 0);
	rump_pub_lwproc_switch(l);
	CHECK_EQ(rump_sys_fcntl(1000, F_GETFD), 0);
}

struct dup2work {
	pid_t	pid;
	int	rfd, wfd;
	int	*stop;		/* atomic */
};

/* Flip slot 50 between the read-only and the write-only file. */
static void *
dup2_flipper(void *arg)
{
	struct dup2work *d = arg;

	TCHECK(rump_pub_lwproc_newlwp(d->pid) == 0);
	for (int i = 0; !__atomic_load_n(d->stop, __ATOMIC_ACQUIRE); i++)
		TCHECK(rump_sys_dup2(i % 2 ? d->rfd : d->wfd, 50) == 50);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* Slot 50 must always be open, to one of the two files. */
static void *
dup2_reader(void *arg)
{
	struct dup2work *d = arg;

	TCHECK(rump_pub_lwproc_newlwp(d->pid) == 0);
	for (int i = 0; i < 20 * ITER; i++) {
		int fl = rump_sys_fcntl(50, F_GETFL);
		TCHECK(fl != -1);
		TCHECK((fl & O_ACCMODE) == O_RDONLY ||
		    (fl & O_ACCMODE) == O_WRONLY);
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* dup2 replaces newfd atomically: it is never seen closed. */
TEST(dup2_replaces_atomically)
{
	struct dup2work d[NTHR];
	pthread_t flip, t[NTHR];
	int stop = 0;

	CHECK_EQ(rump_init(), 0);
	new_proc(RUMP_RFCFDG);
	CHECK_OK(rump_sys_open("/d", O_CREAT | O_RDWR, 0644));
	int r = (int)CHECK_OK(rump_sys_open("/d", O_RDONLY));
	int w = (int)CHECK_OK(rump_sys_open("/d", O_WRONLY));
	CHECK_EQ(rump_sys_dup2(r, 50), 50);
	for (int i = 0; i < NTHR; i++)
		d[i] = (struct dup2work){ rump_sys_getpid(), r, w, &stop };
	CHECK_EQ(pthread_create(&flip, NULL, dup2_flipper, &d[0]), 0);
	start_threads(t, NTHR, dup2_reader, d, sizeof(d[0]));
	join_threads(t, NTHR);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	CHECK_EQ(pthread_join(flip, NULL), 0);
	CHECK_EQ(__atomic_load_n(&errors, __ATOMIC_RELAXED), 0);
}

struct forkwork {
	pid_t	pid;
	int	base;
	int	forker;
};

/*
 * Forkers copy the table (RFFDG) and check the copy; the others change
 * the table meanwhile.  The children exit at once, releasing their copies.
 */
static void *
fork_worker(void *arg)
{
	struct forkwork *f = arg;
	struct lwp *l;

	TCHECK(rump_pub_lwproc_newlwp(f->pid) == 0);
	l = rump_pub_lwproc_curlwp();
	for (int i = 0; i < ITER / 4; i++) {
		if (!f->forker) {
			int d = rump_sys_dup(f->base);
			TCHECK(d >= 0);
			TCHECK(rump_sys_dup2(f->base, 500 + i % 7) >= 0);
			TCHECK(rump_sys_close(d) == 0);
			continue;
		}
		TCHECK(rump_pub_lwproc_rfork(RUMP_RFFDG) == 0);
		TCHECK(rump_sys_getppid() == f->pid);
		TCHECK(rump_sys_fcntl(f->base, F_GETFD) == 0);
		int d = rump_sys_dup(f->base);
		TCHECK(d >= 0);
		rump_pub_lwproc_releaselwp();
		rump_pub_lwproc_switch(l);
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

TEST(fork_while_table_changes)
{
	struct forkwork f[NTHR];
	pthread_t t[NTHR];

	CHECK_EQ(rump_init(), 0);
	struct lwp *l = new_proc(RUMP_RFCFDG);
	int base = (int)CHECK_OK(rump_sys_open("/f", O_CREAT | O_RDWR,
	    0644));
	for (int i = 0; i < NTHR; i++)
		f[i] = (struct forkwork){ rump_sys_getpid(), base, i % 2 };
	start_threads(t, NTHR, fork_worker, f, sizeof(f[0]));
	join_threads(t, NTHR);
	CHECK_EQ(__atomic_load_n(&errors, __ATOMIC_RELAXED), 0);
	rump_pub_lwproc_switch(l);
	int open = 0;
	for (int fd = 0; fd < 600; fd++)
		open += rump_sys_fcntl(fd, F_GETFD) != -1;
	CHECK_EQ(open, 8);	/* base and 500..506 */
}

struct credwork {
	pid_t	pid;
	int	writer;
};

static const gid_t set_a[] = { 1, 2, 3 };
static const gid_t set_b[] = { 40, 50 };

/* Writers swap the group list; readers must see one list or the other. */
static void *
cred_worker(void *arg)
{
	struct credwork *c = arg;
	gid_t g[8];

	TCHECK(rump_pub_lwproc_newlwp(c->pid) == 0);
	for (int i = 0; i < ITER; i++) {
		if (c->writer) {
			TCHECK(i % 2 ? rump_sys_setgroups(3, set_a) == 0 :
			    rump_sys_setgroups(2, set_b) == 0);
			TCHECK(rump_sys_setgid((gid_t)i) == 0);
			continue;
		}
		int n = rump_sys_getgroups(8, g);
		TCHECK(n == 2 || n == 3);
		if (n == 3)
			TCHECK(memcmp(g, set_a, sizeof(set_a)) == 0);
		else if (n == 2)
			TCHECK(memcmp(g, set_b, sizeof(set_b)) == 0);
		TCHECK(rump_sys_geteuid() == 0);
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

TEST(concurrent_credential_changes)
{
	struct credwork c[NTHR];
	pthread_t t[NTHR];

	CHECK_EQ(rump_init(), 0);
	new_proc(RUMP_RFCFDG);
	CHECK_OK(rump_sys_setgroups(3, set_a));
	for (int i = 0; i < NTHR; i++)
		c[i] = (struct credwork){ rump_sys_getpid(), i == 0 };
	start_threads(t, NTHR, cred_worker, c, sizeof(c[0]));
	join_threads(t, NTHR);
	CHECK_EQ(__atomic_load_n(&errors, __ATOMIC_RELAXED), 0);
	CHECK_EQ(rump_sys_getgid(), ITER - 1);
}
