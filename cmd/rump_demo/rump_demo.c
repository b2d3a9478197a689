/*
 * rump_demo: boot an in-process rump kernel and show it working: system
 * information, a file tree on tmpfs, a pipe between two kernel processes
 * and the sysctl tree.  Exits 0 when every step worked.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>

static int failures;

/* Report a failed step with the call that failed and why. */
static void
fail(const char *what)
{
	fprintf(stderr, "rump_demo: %s: %s\n", what, strerror(errno));
	failures++;
}

static void
show_system(void)
{
	struct utsname u;
	char host[64];
	size_t len = sizeof(host);

	if (rump_sys_uname(&u) != 0) {
		fail("uname");
		return;
	}
	printf("kernel: %s %s %s (%s)\n", u.sysname, u.release, u.machine,
	    u.version);
	if (rump_sys_sysctlbyname("kern.hostname", host, &len, NULL, 0) != 0)
		fail("sysctl kern.hostname");
	else
		printf("hostname: %s, pid %d, uid %d\n", host,
		    (int)rump_sys_getpid(), (int)rump_sys_getuid());
}

/* Create /demo with a few files, then list it with sizes. */
static void
make_tree(void)
{
	static const char *names[] = { "/demo/hello.txt", "/demo/sub/a",
	    "/demo/sub/b" };
	char buf[4096];
	ssize_t n;
	int fd;

	if (rump_sys_mkdir("/demo", 0755) != 0 ||
	    rump_sys_mkdir("/demo/sub", 0755) != 0) {
		fail("mkdir /demo");
		return;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		fd = rump_sys_open(names[i], O_CREAT | O_WRONLY | O_TRUNC, 0644);
		if (fd < 0) {
			fail(names[i]);
			continue;
		}
		n = snprintf(buf, sizeof(buf), "file %zu: %s\n", i, names[i]);
		if (rump_sys_write(fd, buf, (size_t)n) != n)
			fail("write");
		rump_sys_close(fd);
	}
	if (rump_sys_symlink("sub/a", "/demo/link") != 0)
		fail("symlink");

	printf("\n$ ls -l /demo\n");
	fd = rump_sys_open("/demo", O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		fail("open /demo");
		return;
	}
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			struct stat st;
			char path[512];

			off += d->d_reclen;
			snprintf(path, sizeof(path), "/demo/%s", d->d_name);
			if (rump_sys_lstat(path, &st) != 0) {
				fail(path);
				continue;
			}
			printf("%06o %3lu %6lld %s\n", (unsigned)st.st_mode,
			    (unsigned long)st.st_nlink, (long long)st.st_size,
			    d->d_name);
		}
	}
	if (n < 0)
		fail("getdents64");
	rump_sys_close(fd);

	printf("\n$ cat /demo/link\n");
	fd = rump_sys_open("/demo/link", O_RDONLY);
	if (fd < 0 || (n = rump_sys_read(fd, buf, sizeof(buf) - 1)) < 0) {
		fail("read /demo/link");
	} else {
		fwrite(buf, 1, (size_t)n, stdout);
	}
	if (fd >= 0)
		rump_sys_close(fd);
}

/* Two kernel processes: the parent writes into a pipe, the child reads. */
static void
pipe_between_processes(void)
{
	struct lwp *parent = rump_pub_lwproc_curlwp();
	const char msg[] = "hello through a kernel pipe";
	char buf[64] = { 0 };
	int fds[2];
	pid_t ppid;

	if (rump_sys_pipe(fds) != 0) {
		fail("pipe");
		return;
	}
	ppid = rump_sys_getpid();
	if (rump_sys_write(fds[1], msg, sizeof(msg)) != (ssize_t)sizeof(msg))
		fail("pipe write");
	if (rump_pub_lwproc_rfork(RUMP_RFFDG) != 0) {
		fail("rfork");
		return;
	}
	printf("\nprocess %d (child of %d) reads: ", (int)rump_sys_getpid(),
	    (int)rump_sys_getppid());
	if (rump_sys_read(fds[0], buf, sizeof(buf)) <= 0)
		fail("pipe read");
	printf("\"%s\" (written by %d)\n", buf, (int)ppid);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(parent);
	rump_sys_close(fds[0]);
	rump_sys_close(fds[1]);
}

/* Print every sysctl node with its value, like sysctl -a. */
static void
show_sysctl(void)
{
	char name[128] = "", next[128], value[512];

	printf("\n$ sysctl -a\n");
	while (rump_sys_sysctlnext(name, next, sizeof(next)) == 0) {
		struct ksysctl_info info;
		size_t len = sizeof(value);

		strcpy(name, next);
		if (rump_sys_sysctlinfo(name, &info) != 0 ||
		    rump_sys_sysctlbyname(name, value, &len, NULL, 0) != 0) {
			fail(name);
			continue;
		}
		if (info.si_type == KSYSCTL_TYPE_INT)
			printf("%s = %d\n", name, *(int *)value);
		else if (info.si_type == KSYSCTL_TYPE_QUAD)
			printf("%s = %lld\n", name, *(long long *)value);
		else if (info.si_type == KSYSCTL_TYPE_STRING)
			printf("%s = %.*s\n", name, (int)len, value);
		else
			printf("%s: %zu bytes\n", name, len);
	}
}

int
main(int argc, char **argv)
{
	int error;

	if (argc > 1) {
		printf("usage: %s\nBoots an in-process rump kernel and runs a "
		    "short demonstration session.\n", argv[0]);
		return strcmp(argv[1], "--help") == 0 ? 0 : 2;
	}
	if ((error = rump_init()) != 0) {
		fprintf(stderr, "rump_demo: rump_init: %s\n", strerror(error));
		return 1;
	}
	show_system();
	make_tree();
	pipe_between_processes();
	show_sysctl();
	if (failures) {
		fprintf(stderr, "rump_demo: %d step(s) failed\n", failures);
		return 1;
	}
	printf("\nrump_demo: all steps worked\n");
	return 0;
}
