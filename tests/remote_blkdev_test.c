/*
 * remote_blkdev_test.c: rump_server -d: block devices registered on the
 * command line, read and written by a librumpclient program; the strict
 * parsing of -d and its error messages and exit statuses.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "remote_util.h"

#define HOSTSIZE	(256 * 1024)
#define START_WAIT_MS	30000

static unsigned char
pattern(uint64_t off)
{
	return (unsigned char)((off * 13 + 1) % 253);
}

/* Host file dir/name of size bytes of pattern(); its path into path. */
static void
host_make(const char *dir, const char *name, size_t size, char *path,
    size_t len)
{
	unsigned char *buf = malloc(size);
	int fd;

	snprintf(path, len, "%s/%s", dir, name);
	for (size_t i = 0; i < size; i++)
		buf[i] = pattern(i);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, buf, size), (long long)size);
	close(fd);
	free(buf);
}

/*
 * Start "rump_server -s -d spec [-d spec2] URL" and wait until it serves
 * (as ru_server_start does, with our options); sets $RUMP_SERVER.
 */
static int
start_with(struct ru_server *s, const char *spec, const char *spec2)
{
	pid_t parent = getpid(), pid;

	fflush(NULL);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(127);
		if (spec2 != NULL)
			execl(ru_server_bin(), "rump_server", "-s", "-d", spec,
			    "-d", spec2, s->rs_url, (char *)NULL);
		else
			execl(ru_server_bin(), "rump_server", "-s", "-d", spec,
			    s->rs_url, (char *)NULL);
		_exit(127);
	}
	s->rs_pid = pid;
	for (int waited = 0; waited < START_WAIT_MS; waited += 10) {
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			s->rs_pid = -1;
			TFAIL("rump_server -d %s exited during startup", spec);
			return -1;
		}
		if (ru_server_reachable(s)) {
			setenv("RUMP_SERVER", s->rs_url, 1);
			return 0;
		}
		ru_msleep(10);
	}
	TFAIL("rump_server never accepted connections");
	return -1;
}

TEST(served_device_reads_and_writes)
{
	static unsigned char buf[HOSTSIZE];
	char path[256], spec[400];
	struct ru_server s;
	struct stat st;
	ssize_t n, got = 0;
	int fd, hfd;

	if (ru_server_init(&s, RU_UNIX) != 0)
		return;
	host_make(s.rs_dir, "disk.img", HOSTSIZE, path, sizeof(path));
	snprintf(spec, sizeof(spec), "key=/dev/img0,hostpath=%s,size=host",
	    path);
	if (start_with(&s, spec, NULL) != 0 || rumpclient_init() != 0) {
		TFAIL("no server");
		goto out;
	}
	CHECK_OK(rump_sys_stat("/dev/img0", &st));
	CHECK(S_ISBLK(st.st_mode));
	CHECK_EQ(st.st_mode & 07777, 0600);
	CHECK_EQ(major(st.st_rdev), 240);
	fd = (int)CHECK_OK(rump_sys_open("/dev/img0", O_RDWR));
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_END), HOSTSIZE);
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	while ((n = rump_sys_read(fd, buf + got, 40000)) > 0)
		got += n;
	CHECK_EQ(n, 0);
	CHECK_EQ(got, HOSTSIZE);
	for (size_t i = 0; i < HOSTSIZE; i++)
		if (buf[i] != pattern(i)) {
			TFAIL("byte %zu differs", i);
			break;
		}
	CHECK_EQ(rump_sys_pwrite(fd, "remote", 6, 1000), 6);
	CHECK_OK(rump_sys_fsync(fd));
	hfd = open(path, O_RDONLY);
	CHECK_EQ(pread(hfd, buf, 6, 1000), 6);
	CHECK(memcmp(buf, "remote", 6) == 0);
	close(hfd);
	CHECK_ERR(rump_sys_pwrite(fd, "x", 1, HOSTSIZE), ENOSPC);
	CHECK_OK(rump_sys_close(fd));
	CHECK_EQ(ru_server_stop(&s), 0);
out:
	ru_server_destroy(&s);
}

TEST(two_devices_with_window)
{
	unsigned char buf[8];
	char path[256], spec[400], spec2[400];
	struct ru_server s;
	int fd;

	if (ru_server_init(&s, RU_TCP) != 0)
		return;
	host_make(s.rs_dir, "disk.img", HOSTSIZE, path, sizeof(path));
	snprintf(spec, sizeof(spec), "key=/dev/whole,hostpath=%s,size=host",
	    path);
	snprintf(spec2, sizeof(spec2), "type=blk,size=4k,offset=8k,"
	    "hostpath=%s,key=/dev/part/p1", path);
	if (start_with(&s, spec, spec2) != 0 || rumpclient_init() != 0) {
		TFAIL("no server");
		goto out;
	}
	fd = (int)CHECK_OK(rump_sys_open("/dev/part/p1", O_RDONLY));
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_END), 4096);
	CHECK_EQ(rump_sys_pread(fd, buf, 8, 0), 8);
	CHECK_EQ(buf[0], pattern(8192));
	CHECK_EQ(rump_sys_pread(fd, buf, 8, 4092), 4);
	CHECK_EQ(buf[3], pattern(8192 + 4095));
	CHECK_OK(rump_sys_close(fd));
	fd = (int)CHECK_OK(rump_sys_open("/dev/whole", O_RDONLY));
	CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_END), HOSTSIZE);
	CHECK_OK(rump_sys_close(fd));
	CHECK_EQ(ru_server_stop(&s), 0);
out:
	ru_server_destroy(&s);
}

/* Run rump_server with -d spec (and -s when fg) and its URL; status and
 * output. */
static int
run_d(struct ru_server *s, const char *spec, int fg, char *out, size_t len)
{
	char *argv[] = { "rump_server", "-d", (char *)spec, s->rs_url, NULL,
	    NULL };

	if (fg) {
		argv[1] = "-s";
		argv[2] = "-d";
		argv[3] = (char *)spec;
		argv[4] = s->rs_url;
	}
	return ru_run_server(argv, out, len);
}

TEST(missing_host_file)
{
	char path[256], spec[400], out[2048], want[400];
	struct ru_server s;

	if (ru_server_init(&s, RU_UNIX) != 0)
		return;
	snprintf(path, sizeof(path), "%s/nosuch.img", s.rs_dir);
	snprintf(spec, sizeof(spec), "key=/dev/img0,hostpath=%s,size=host",
	    path);
	snprintf(want, sizeof(want), "rump_server: -d: %s: No such file or "
	    "directory\n", path);
	/* In the foreground and detached alike: status 1, one message. */
	CHECK_EQ(run_d(&s, spec, 1, out, sizeof(out)), 1);
	CHECK_STR(out, want);
	CHECK_EQ(run_d(&s, spec, 0, out, sizeof(out)), 1);
	CHECK_STR(out, want);
	CHECK(!ru_server_reachable(&s));
	ru_server_destroy(&s);
}

TEST(registration_errors)
{
	char path[256], spec[600], out[2048], want[400];
	struct ru_server s;
	char *argv[8];

	if (ru_server_init(&s, RU_UNIX) != 0)
		return;
	host_make(s.rs_dir, "disk.img", 4096, path, sizeof(path));
	/* The same key twice. */
	snprintf(spec, sizeof(spec), "key=/dev/img0,hostpath=%s,size=host",
	    path);
	argv[0] = "rump_server";
	argv[1] = "-s";
	argv[2] = "-d";
	argv[3] = spec;
	argv[4] = "-d";
	argv[5] = spec;
	argv[6] = s.rs_url;
	argv[7] = NULL;
	CHECK_EQ(ru_run_server(argv, out, sizeof(out)), 1);
	CHECK_STR(out, "rump_server: -d: /dev/img0: File exists\n");
	/* type=reg is not supported. */
	snprintf(spec, sizeof(spec), "key=/r,hostpath=%s,size=host,type=reg",
	    path);
	CHECK_EQ(run_d(&s, spec, 1, out, sizeof(out)), 1);
	snprintf(want, sizeof(want), "rump_server: -d: %s: Operation not "
	    "supported (type=reg)\n", path);
	CHECK_STR(out, want);
	/* size=host from an offset at the end: nothing left. */
	snprintf(spec, sizeof(spec), "key=/d,hostpath=%s,size=host,"
	    "offset=4096", path);
	CHECK_EQ(run_d(&s, spec, 1, out, sizeof(out)), 1);
	CHECK(strstr(out, "Invalid argument") != NULL);
	ru_server_destroy(&s);
}

/* Each malformed -d: exit 2, a message naming the problem, the usage. */
TEST(strict_parsing)
{
	static const struct {
		const char *spec, *problem;
	} bad[] = {
		{ "hostpath=/x,size=host", "missing key=" },
		{ "key=/dev/a,size=host", "missing hostpath=" },
		{ "key=/dev/a,hostpath=/x", "missing size=" },
		{ "key=/dev/a,hostpath=/x,size=host,colour=red",
		    "colour: unknown field" },
		{ "key=/dev/a,hostpath=/x,size=host,key=/dev/b",
		    "key: field given twice" },
		{ "key=dev/a,hostpath=/x,size=host",
		    "key: key must be an absolute path" },
		{ "key=/dev/a,hostpath=/x,size=12q", "size: size must be" },
		{ "key=/dev/a,hostpath=/x,size=0", "size: size must be" },
		{ "key=/dev/a,hostpath=/x,size=-1", "size: size must be" },
		{ "key=/dev/a,hostpath=/x,size=99999999999999999999",
		    "size: size must be" },
		{ "key=/dev/a,hostpath=/x,size=host,offset=z",
		    "offset: offset must be a byte count" },
		{ "key=/dev/a,hostpath=/x,size=host,type=chr",
		    "type: type must be blk or reg" },
		{ "key=/dev/a,hostpath=,size=host", "hostpath: empty value" },
		{ "key=/dev/a,hostpath=/x,size", "\"size\": expected "
		    "name=value" },
		{ "", "missing key=" },
	};
	char out[4096], want[512];
	struct ru_server s;

	if (ru_server_init(&s, RU_UNIX) != 0)
		return;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(run_d(&s, bad[i].spec, 1, out, sizeof(out)), 2);
		snprintf(want, sizeof(want), "rump_server: -d %s: %s",
		    bad[i].spec, bad[i].problem);
		if (strncmp(out, want, strlen(want)) != 0)
			TFAIL("-d %s: got \"%.200s\"", bad[i].spec, out);
		CHECK(strstr(out, "usage: rump_server") != NULL);
	}
	CHECK(!ru_server_reachable(&s));
	ru_server_destroy(&s);
}

TEST(usage_mentions_d)
{
	char *argv[] = { "rump_server", "--help", NULL };
	char out[4096];

	CHECK_EQ(ru_run_server(argv, out, sizeof(out)), 0);
	CHECK(strstr(out, "[-d blkspec]") != NULL);
	CHECK(strstr(out, "-d key=PATH,hostpath=FILE,size=BYTES|host") != NULL);
}
