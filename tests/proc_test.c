/*
 * proc_test.c: process identity and credentials: getpid/getppid, the
 * uid/gid calls, supplementary groups, umask and kill.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

#define NGROUPS_LIMIT 65536	/* Linux's NGROUPS_MAX */

/* Boot and become a fresh child of init. */
static struct lwp *
fresh_proc(void)
{
	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	return rump_pub_lwproc_curlwp();
}

/* Fork a child of the current process; the caller is switched to it. */
static struct lwp *
fork_child(void)
{
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	return rump_pub_lwproc_curlwp();
}

TEST(getpid_getppid)
{
	CHECK_EQ(rump_init(), 0);
	/* A thread without a process acts for init. */
	CHECK_EQ(rump_sys_getpid(), 1);
	CHECK_EQ(rump_sys_getppid(), 0);
	struct lwp *p1 = fresh_proc();
	pid_t pid1 = rump_sys_getpid();
	CHECK(pid1 > 1);
	CHECK_EQ(rump_sys_getppid(), 1);
	struct lwp *p2 = fork_child();
	pid_t pid2 = rump_sys_getpid();
	CHECK(pid2 > 1 && pid2 != pid1);
	CHECK_EQ(rump_sys_getppid(), pid1);
	/* Another lwp of the same process has the same ids. */
	CHECK_EQ(rump_pub_lwproc_newlwp(pid2), 0);
	struct lwp *p2b = rump_pub_lwproc_curlwp();
	CHECK(p2b != p2);
	CHECK_EQ(rump_sys_getpid(), pid2);
	CHECK_EQ(rump_sys_getppid(), pid1);
	rump_pub_lwproc_releaselwp();
	/* When the parent exits, init adopts the child. */
	rump_pub_lwproc_switch(p1);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(p2);
	CHECK_EQ(rump_sys_getpid(), pid2);
	CHECK_EQ(rump_sys_getppid(), 1);
	CHECK_ERR(rump_sys_kill(pid1, 0), ESRCH);
	CHECK_EQ(rump_pub_lwproc_newlwp(pid1), ESRCH);
}

TEST(ids_start_as_root)
{
	fresh_proc();
	CHECK_EQ(rump_sys_getuid(), 0);
	CHECK_EQ(rump_sys_geteuid(), 0);
	CHECK_EQ(rump_sys_getgid(), 0);
	CHECK_EQ(rump_sys_getegid(), 0);
}

TEST(setuid_root_and_back)
{
	fresh_proc();
	CHECK_ERR(rump_sys_setuid((uid_t)-1), EINVAL);
	CHECK_OK(rump_sys_setuid(0));
	/* Root sets real, effective and saved uids: no way back. */
	CHECK_OK(rump_sys_setuid(1000));
	CHECK_EQ(rump_sys_getuid(), 1000);
	CHECK_EQ(rump_sys_geteuid(), 1000);
	CHECK_ERR(rump_sys_setuid(0), EPERM);
	CHECK_ERR(rump_sys_setuid(1001), EPERM);
	CHECK_ERR(rump_sys_setuid((uid_t)-1), EINVAL);
	/* Setting one's own uid is allowed. */
	CHECK_OK(rump_sys_setuid(1000));
	CHECK_EQ(rump_sys_getuid(), 1000);
	/* The gids are untouched. */
	CHECK_EQ(rump_sys_getgid(), 0);
	CHECK_EQ(rump_sys_getegid(), 0);
	/* As non-root, setgid only to the real or saved gid. */
	CHECK_ERR(rump_sys_setgid(5), EPERM);
	CHECK_OK(rump_sys_setgid(0));
	CHECK_EQ(rump_sys_getegid(), 0);
}

TEST(setgid)
{
	fresh_proc();
	CHECK_ERR(rump_sys_setgid((gid_t)-1), EINVAL);
	CHECK_OK(rump_sys_setgid(100));
	CHECK_EQ(rump_sys_getgid(), 100);
	CHECK_EQ(rump_sys_getegid(), 100);
	/* Still root (uid 0): may set any gid. */
	CHECK_OK(rump_sys_setgid(200));
	CHECK_EQ(rump_sys_getgid(), 200);
	CHECK_OK(rump_sys_setuid(1000));
	CHECK_ERR(rump_sys_setgid(100), EPERM);
	CHECK_ERR(rump_sys_setgid(0), EPERM);
	CHECK_ERR(rump_sys_setgid((gid_t)-1), EINVAL);
	CHECK_OK(rump_sys_setgid(200));
	CHECK_EQ(rump_sys_getgid(), 200);
	CHECK_EQ(rump_sys_getegid(), 200);
}

TEST(credentials_inherited_not_shared)
{
	struct lwp *parent = fresh_proc();

	CHECK_OK(rump_sys_setgid(7));
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	CHECK_EQ(rump_sys_getgid(), 7);
	/* The child's change does not reach the parent. */
	CHECK_OK(rump_sys_setuid(500));
	CHECK_EQ(rump_sys_getuid(), 500);
	rump_pub_lwproc_switch(parent);
	CHECK_EQ(rump_sys_getuid(), 0);
	CHECK_EQ(rump_sys_geteuid(), 0);
	/* Even with a shared descriptor table (rfork 0). */
	CHECK_EQ(rump_pub_lwproc_rfork(0), 0);
	CHECK_OK(rump_sys_setuid(600));
	rump_pub_lwproc_switch(parent);
	CHECK_EQ(rump_sys_getuid(), 0);
	/* A change by one lwp is seen by the process's other lwps. */
	pid_t pid = rump_sys_getpid();
	CHECK_EQ(rump_pub_lwproc_newlwp(pid), 0);
	CHECK_OK(rump_sys_setuid(700));
	rump_pub_lwproc_switch(parent);
	CHECK_EQ(rump_sys_getuid(), 700);
	CHECK_EQ(rump_sys_geteuid(), 700);
}

TEST(getgroups_setgroups)
{
	gid_t g[8], set[] = { 30, 10, 20, 10 };
	int n;

	fresh_proc();
	n = (int)CHECK_OK(rump_sys_getgroups(0, NULL));
	CHECK(n >= 0);
	CHECK_ERR(rump_sys_getgroups(-1, g), EINVAL);
	CHECK_OK(rump_sys_setgroups(4, set));
	CHECK_EQ(rump_sys_getgroups(0, NULL), 4);
	CHECK_EQ(rump_sys_getgroups(0, g), 4);
	CHECK_ERR(rump_sys_getgroups(3, g), EINVAL);
	CHECK_ERR(rump_sys_getgroups(-1, g), EINVAL);
	memset(g, 0xff, sizeof(g));
	CHECK_EQ(rump_sys_getgroups(8, g), 4);
	/* Sorted, duplicates kept; the rest of the buffer untouched. */
	CHECK_EQ(g[0], 10);
	CHECK_EQ(g[1], 10);
	CHECK_EQ(g[2], 20);
	CHECK_EQ(g[3], 30);
	CHECK_EQ(g[4], (gid_t)-1);
	CHECK_ERR(rump_sys_getgroups(8, NULL), EFAULT);
	/* Invalid entries and sizes. */
	gid_t bad[] = { 1, (gid_t)-1 };
	CHECK_ERR(rump_sys_setgroups(2, bad), EINVAL);
	CHECK_EQ(rump_sys_getgroups(0, NULL), 4);
	CHECK_ERR(rump_sys_setgroups(NGROUPS_LIMIT + 1, set), EINVAL);
	CHECK_ERR(rump_sys_setgroups((size_t)-1, set), EINVAL);
	CHECK_ERR(rump_sys_setgroups(2, NULL), EFAULT);
	/* Size 0 clears the list; then getgroups needs no buffer. */
	CHECK_OK(rump_sys_setgroups(0, NULL));
	CHECK_EQ(rump_sys_getgroups(0, NULL), 0);
	CHECK_EQ(rump_sys_getgroups(5, NULL), 0);
	/* Inherited by a child. */
	CHECK_OK(rump_sys_setgroups(2, set));
	fork_child();
	CHECK_EQ(rump_sys_getgroups(8, g), 2);
	CHECK_EQ(g[0], 10);
	CHECK_EQ(g[1], 30);
	/* Non-root: EPERM, and nothing changes. */
	CHECK_OK(rump_sys_setuid(1000));
	CHECK_ERR(rump_sys_setgroups(1, set), EPERM);
	CHECK_ERR(rump_sys_setgroups(0, NULL), EPERM);
	CHECK_ERR(rump_sys_setgroups(NGROUPS_LIMIT + 1, set), EPERM);
	CHECK_EQ(rump_sys_getgroups(8, g), 2);
}

TEST(setgroups_max)
{
	gid_t *g = malloc(NGROUPS_LIMIT * sizeof(gid_t));
	gid_t *out = malloc(NGROUPS_LIMIT * sizeof(gid_t));

	fresh_proc();
	/* Descending input: the kernel sorts it. */
	for (int i = 0; i < NGROUPS_LIMIT; i++)
		g[i] = (gid_t)(NGROUPS_LIMIT - i) * 3;
	CHECK_OK(rump_sys_setgroups(NGROUPS_LIMIT, g));
	CHECK_EQ(rump_sys_getgroups(NGROUPS_LIMIT, out), NGROUPS_LIMIT);
	int sorted = 1;
	for (int i = 0; i < NGROUPS_LIMIT; i++)
		if (out[i] != (gid_t)(i + 1) * 3)
			sorted = 0;
	CHECK(sorted);
	free(g);
	free(out);
}

TEST(umask)
{
	fresh_proc();
	CHECK_EQ(rump_sys_umask(077), 022);
	CHECK_EQ(rump_sys_umask(0), 077);
	/* Only the permission bits are kept. */
	CHECK_EQ(rump_sys_umask(07777), 0);
	CHECK_EQ(rump_sys_umask(0xffffffff), 0777);
	CHECK_EQ(rump_sys_umask(027), 0777);
	/* The mask applies to new files. */
	struct stat st;
	int fd = (int)CHECK_OK(rump_sys_open("/m", O_CREAT | O_RDWR, 0666));
	CHECK_OK(rump_sys_fstat(fd, &st));
	CHECK_EQ(st.st_mode & 0777, 0640);
	/* Inherited by children; their changes stay theirs. */
	struct lwp *parent = rump_pub_lwproc_curlwp();
	fork_child();
	CHECK_EQ(rump_sys_umask(0), 027);
	rump_pub_lwproc_switch(parent);
	CHECK_EQ(rump_sys_umask(027), 027);
}

TEST(kill_errors)
{
	fresh_proc();
	pid_t self = rump_sys_getpid();

	CHECK_OK(rump_sys_kill(self, 0));
	CHECK_OK(rump_sys_kill(0, 0));
	CHECK_OK(rump_sys_kill(-self, 0));
	CHECK_ERR(rump_sys_kill(self, -1), EINVAL);
	CHECK_ERR(rump_sys_kill(self, 65), EINVAL);
	CHECK_ERR(rump_sys_kill(self, 1000), EINVAL);
	/* EINVAL is checked before the target exists. */
	CHECK_ERR(rump_sys_kill(999999, 65), EINVAL);
	CHECK_ERR(rump_sys_kill(999999, 0), ESRCH);
	CHECK_ERR(rump_sys_kill(-999999, 0), ESRCH);
	CHECK_ERR(rump_sys_kill(INT32_MIN, 0), ESRCH);
	CHECK_ERR(rump_sys_kill(INT32_MAX, 0), ESRCH);
	/* Only init and the caller exist: kill(-1) finds nobody. */
	CHECK_ERR(rump_sys_kill(-1, 0), ESRCH);
	CHECK_ERR(rump_sys_kill(-1, SIGTERM), ESRCH);
	/* Init exists and root may signal it (init ignores signals). */
	CHECK_OK(rump_sys_kill(1, 0));
	CHECK_OK(rump_sys_kill(1, SIGTERM));
}

TEST(kill_permissions)
{
	struct lwp *root = fresh_proc();
	pid_t rootpid = rump_sys_getpid();

	/* A: uid 1000.  B: uid 1000.  C: uid 2000.  All children of root. */
	fork_child();
	pid_t a = rump_sys_getpid();
	CHECK_OK(rump_sys_setuid(1000));
	struct lwp *la = rump_pub_lwproc_curlwp();
	rump_pub_lwproc_switch(root);
	fork_child();
	pid_t b = rump_sys_getpid();
	CHECK_OK(rump_sys_setuid(1000));
	rump_pub_lwproc_switch(root);
	fork_child();
	pid_t c = rump_sys_getpid();
	CHECK_OK(rump_sys_setuid(2000));
	struct lwp *lc = rump_pub_lwproc_curlwp();

	/* C may not signal A, B, root or init; existence checks too. */
	CHECK_ERR(rump_sys_kill(a, 0), EPERM);
	CHECK_ERR(rump_sys_kill(b, SIGTERM), EPERM);
	CHECK_ERR(rump_sys_kill(rootpid, 0), EPERM);
	CHECK_ERR(rump_sys_kill(1, 0), EPERM);
	CHECK_ERR(rump_sys_kill(-a, 0), EPERM);
	CHECK_OK(rump_sys_kill(c, 0));
	/* kill(-1): every target refused, yet Linux returns 0. */
	CHECK_OK(rump_sys_kill(-1, 0));
	/* A may signal B (same uid) but not C. */
	rump_pub_lwproc_switch(la);
	CHECK_OK(rump_sys_kill(b, 0));
	CHECK_OK(rump_sys_kill(-b, 0));
	CHECK_ERR(rump_sys_kill(c, 0), EPERM);
	CHECK_OK(rump_sys_kill(-1, 0));
	/* Root may signal anyone. */
	rump_pub_lwproc_switch(root);
	CHECK_OK(rump_sys_kill(a, 0));
	CHECK_OK(rump_sys_kill(c, 0));
	CHECK_OK(rump_sys_kill(-1, 0));
	/* A process that exited is gone. */
	rump_pub_lwproc_switch(lc);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(root);
	CHECK_ERR(rump_sys_kill(c, 0), ESRCH);
}

/* A signal interrupts the target's blocking calls: a read on an empty
 * pipe sent a signal beforehand returns EINTR at once. */
TEST(kill_interrupts_blocking_read)
{
	struct lwp *parent = fresh_proc();
	int p[2];
	char ch;

	CHECK_OK(rump_sys_pipe(p));
	fork_child();
	pid_t child = rump_sys_getpid();
	rump_pub_lwproc_switch(parent);
	CHECK_OK(rump_sys_kill(child, SIGUSR1));
	CHECK_EQ(rump_pub_lwproc_newlwp(child), 0);
	CHECK_ERR(rump_sys_read(p[0], &ch, 1), EINTR);
}
