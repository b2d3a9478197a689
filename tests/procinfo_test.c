/*
 * procinfo_test.c: getprocs(2) and getmounts(2), the listings behind
 * rump.ps, rump.df and rump.mount.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

/* Find pid in a getprocs listing. */
static struct kprocinfo *
find_proc(struct kprocinfo *pi, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (pi[i].pi_pid == pid)
			return &pi[i];
	return NULL;
}

TEST(getprocs_lists_processes_in_pid_order)
{
	struct kprocinfo pi[16];
	struct lwp *parent;
	pid_t child;
	int n, fd;

	CHECK_EQ(rump_init(), 0);
	parent = rump_pub_lwproc_curlwp();
	CHECK_OK(rump_pub_lwproc_rfork(RUMP_RFCFDG));
	child = rump_sys_getpid();
	fd = CHECK_OK(rump_sys_open("/", O_RDONLY | O_DIRECTORY));
	CHECK_OK(rump_sys_setgid(7));
	CHECK_OK(rump_sys_setuid(1000));
	rump_pub_lwproc_switch(parent);

	n = CHECK_OK(rump_sys_getprocs(0, pi, 16));
	CHECK(n >= 2);
	for (int i = 1; i < n; i++)
		CHECK(pi[i - 1].pi_pid < pi[i].pi_pid);
	CHECK(find_proc(pi, n, 1) != NULL);
	struct kprocinfo *c = find_proc(pi, n, child);
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK_EQ(c->pi_ppid, 1);
		CHECK_EQ(c->pi_uid, 1000);
		CHECK_EQ(c->pi_gid, 7);
		CHECK_EQ(c->pi_nlwps, 1);
		CHECK_EQ(c->pi_nfds, 1);
		CHECK_STR(c->pi_comm, "init");
	}
	(void)fd;
	/* Paging: after the child nothing is left, and n limits the count. */
	CHECK_EQ(rump_sys_getprocs(child, pi, 16), 0);
	CHECK_EQ(rump_sys_getprocs(0, pi, 1), 1);
	CHECK_EQ(pi[0].pi_pid, 1);
	CHECK_ERR(rump_sys_getprocs(0, pi, -1), EINVAL);
}

TEST(getprocs_forgets_exited_processes)
{
	struct kprocinfo pi[8];
	struct lwp *parent;
	pid_t child;

	CHECK_EQ(rump_init(), 0);
	parent = rump_pub_lwproc_curlwp();
	CHECK_OK(rump_pub_lwproc_rfork(RUMP_RFFDG));
	child = rump_sys_getpid();
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(parent);
	int n = CHECK_OK(rump_sys_getprocs(0, pi, 8));
	CHECK(find_proc(pi, n, child) == NULL);
}

TEST(getmounts_lists_the_mount_table)
{
	struct kmntinfo mi[4];
	int n;

	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_sys_getmounts(NULL, 0), 1);
	CHECK_OK(rump_sys_mkdir("/mnt", 0755));
	CHECK_OK(rump_sys_mount("scratch", "/mnt", "tmpfs", MS_RDONLY,
	    "size=1m"));
	n = CHECK_OK(rump_sys_getmounts(mi, 4));
	CHECK_EQ(n, 2);
	CHECK_STR(mi[0].mi_on, "/");
	CHECK_STR(mi[0].mi_fstype, "tmpfs");
	CHECK_STR(mi[1].mi_on, "/mnt");
	CHECK_STR(mi[1].mi_from, "scratch");
	CHECK(mi[1].mi_flags & MS_RDONLY);
	/* A short buffer gets what fits; the count is still the total. */
	memset(mi, 0, sizeof(mi));
	CHECK_EQ(rump_sys_getmounts(mi, 1), 2);
	CHECK_STR(mi[0].mi_on, "/");
	CHECK_EQ(mi[1].mi_on[0], '\0');
	CHECK_ERR(rump_sys_getmounts(mi, -1), EINVAL);
	CHECK_ERR(rump_sys_getmounts(NULL, 1), EFAULT);
}
