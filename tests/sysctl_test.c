/*
 * sysctl_test.c: the sysctl tree through sysctlbyname, sysctlnext and
 * sysctlinfo: names, types, values, writes, permissions, the ENOMEM
 * sizing protocol and a full walk.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>

#include "testlib.h"

/* Read a string node into buf; returns the call's result. */
static int
get_str(const char *name, char *buf, size_t size)
{
	size_t len = size;

	memset(buf, 0, size);
	return rump_sys_sysctlbyname(name, buf, &len, NULL, 0);
}

/* Read an INT node; -1 on failure. */
static int
get_int(const char *name, int32_t *v)
{
	size_t len = sizeof(*v);
	int r = rump_sys_sysctlbyname(name, v, &len, NULL, 0);

	if (r == 0 && len != sizeof(*v))
		return -2;
	return r;
}

/* Type, flags and size of name must be as given. */
static void
check_info(const char *name, uint32_t type, uint32_t flags, uint64_t size)
{
	struct ksysctl_info si;

	memset(&si, 0xa5, sizeof(si));
	if (rump_sys_sysctlinfo(name, &si) != 0) {
		TFAIL("sysctlinfo(%s): %s", name, strerror(errno));
		return;
	}
	if (si.si_type != type || si.si_flags != flags ||
	    (size != 0 && si.si_size != size))
		TFAIL("%s: type %u flags %u size %llu, expected %u %u %llu",
		    name, si.si_type, si.si_flags,
		    (unsigned long long)si.si_size, type, flags,
		    (unsigned long long)size);
	if (strnlen(si.si_descr, sizeof(si.si_descr)) == sizeof(si.si_descr))
		TFAIL("%s: description not terminated", name);
}

TEST(standard_nodes_types)
{
	CHECK_EQ(rump_init(), 0);
	check_info("kern", KSYSCTL_TYPE_NODE, 0, 0);
	check_info("kern.hostname", KSYSCTL_TYPE_STRING,
	    KSYSCTL_FLAG_WRITABLE, 5);
	check_info("kern.domainname", KSYSCTL_TYPE_STRING,
	    KSYSCTL_FLAG_WRITABLE, 7);
	check_info("kern.ostype", KSYSCTL_TYPE_STRING, 0, 6);
	check_info("kern.osrelease", KSYSCTL_TYPE_STRING, 0, 0);
	check_info("kern.version", KSYSCTL_TYPE_STRING, 0, 0);
	check_info("kern.boottime", KSYSCTL_TYPE_STRUCT, 0,
	    sizeof(struct ktimespec));
	check_info("kern.maxfiles", KSYSCTL_TYPE_INT, KSYSCTL_FLAG_WRITABLE,
	    4);
	check_info("hw", KSYSCTL_TYPE_NODE, 0, 0);
	check_info("hw.machine", KSYSCTL_TYPE_STRING, 0, 7);
	check_info("hw.ncpu", KSYSCTL_TYPE_INT, 0, 4);
	check_info("hw.pagesize", KSYSCTL_TYPE_INT, 0, 4);
	check_info("hw.physmem", KSYSCTL_TYPE_QUAD, 0, 8);
	check_info("vfs.generic", KSYSCTL_TYPE_NODE, 0, 0);
	check_info("vfs.generic.fstypes", KSYSCTL_TYPE_STRING, 0, 0);
}

TEST(standard_values)
{
	char buf[512];
	int32_t v;
	int64_t q;
	size_t len;
	struct ktimespec bt;
	struct timespec now;

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(get_str("kern.hostname", buf, sizeof(buf)));
	CHECK_STR(buf, "rump");
	CHECK_OK(get_str("kern.domainname", buf, sizeof(buf)));
	CHECK_STR(buf, "(none)");
	CHECK_OK(get_str("kern.ostype", buf, sizeof(buf)));
	CHECK_STR(buf, "Linux");
	CHECK_OK(get_str("kern.osrelease", buf, sizeof(buf)));
	CHECK_STR(buf, "6.1.0-rump");
	CHECK_OK(get_str("hw.machine", buf, sizeof(buf)));
	CHECK_STR(buf, "x86_64");
	CHECK_OK(get_str("vfs.generic.fstypes", buf, sizeof(buf)));
	CHECK(strstr(buf, "tmpfs") != NULL);

	CHECK_EQ(get_int("hw.ncpu", &v), 0);
	CHECK_EQ(v, sysconf(_SC_NPROCESSORS_ONLN));
	CHECK_EQ(get_int("hw.pagesize", &v), 0);
	CHECK_EQ(v, getpagesize());
	CHECK_EQ(get_int("kern.maxfiles", &v), 0);
	CHECK(v > 0);
	len = sizeof(q);
	CHECK_OK(rump_sys_sysctlbyname("hw.physmem", &q, &len, NULL, 0));
	CHECK_EQ(len, 8);
	CHECK_EQ(q, (int64_t)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE));

	/* The kernel booted in this process, before now. */
	len = sizeof(bt);
	CHECK_OK(rump_sys_sysctlbyname("kern.boottime", &bt, &len, NULL, 0));
	CHECK_EQ(len, sizeof(bt));
	clock_gettime(CLOCK_REALTIME, &now);
	CHECK(bt.tv_sec > 0);
	CHECK(bt.tv_nsec >= 0 && bt.tv_nsec < 1000000000);
	CHECK(bt.tv_sec < now.tv_sec ||
	    (bt.tv_sec == now.tv_sec && bt.tv_nsec <= now.tv_nsec));
}

TEST(write_hostname_visible_in_uname)
{
	char old[64], buf[128];
	size_t oldlen = sizeof(old);
	struct utsname u;

	CHECK_EQ(rump_init(), 0);
	/* The old value comes back in the same call that sets the new. */
	CHECK_OK(rump_sys_sysctlbyname("kern.hostname", old, &oldlen,
	    "myhost", 7));
	CHECK_EQ(oldlen, 5);
	CHECK_STR(old, "rump");
	CHECK_OK(get_str("kern.hostname", buf, sizeof(buf)));
	CHECK_STR(buf, "myhost");
	CHECK_OK(rump_sys_uname(&u));
	CHECK_STR(u.nodename, "myhost");

	/* Without the NUL in newlen, and the domain name likewise. */
	CHECK_OK(rump_sys_sysctlbyname("kern.domainname", NULL, NULL,
	    "example.org", 11));
	CHECK_OK(rump_sys_uname(&u));
	CHECK_STR(u.domainname, "example.org");

	/* 64 characters fit (HOST_NAME_MAX), 65 do not. */
	memset(buf, 'h', sizeof(buf));
	CHECK_OK(rump_sys_sysctlbyname("kern.hostname", NULL, NULL, buf, 64));
	CHECK_ERR(rump_sys_sysctlbyname("kern.hostname", NULL, NULL, buf, 65),
	    EINVAL);
	CHECK_OK(rump_sys_uname(&u));
	CHECK_EQ(strlen(u.nodename), 64);

	/* An empty name is a valid value. */
	CHECK_OK(rump_sys_sysctlbyname("kern.hostname", NULL, NULL, "", 1));
	CHECK_OK(get_str("kern.hostname", buf, sizeof(buf)));
	CHECK_STR(buf, "");
}

TEST(write_int)
{
	int32_t v = 1234, old = 0;
	int64_t q = 99;
	size_t len = sizeof(old);

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_sysctlbyname("kern.maxfiles", &old, &len, &v,
	    sizeof(v)));
	CHECK(old > 0);
	CHECK_EQ(get_int("kern.maxfiles", &v), 0);
	CHECK_EQ(v, 1234);
	/* Wrong sizes and values out of range change nothing. */
	CHECK_ERR(rump_sys_sysctlbyname("kern.maxfiles", NULL, NULL, &q,
	    sizeof(q)), EINVAL);
	CHECK_ERR(rump_sys_sysctlbyname("kern.maxfiles", NULL, NULL, &v, 2),
	    EINVAL);
	v = 0;
	CHECK_ERR(rump_sys_sysctlbyname("kern.maxfiles", NULL, NULL, &v,
	    sizeof(v)), EINVAL);
	v = -5;
	CHECK_ERR(rump_sys_sysctlbyname("kern.maxfiles", NULL, NULL, &v,
	    sizeof(v)), EINVAL);
	CHECK_EQ(get_int("kern.maxfiles", &v), 0);
	CHECK_EQ(v, 1234);
	/* A too small old buffer fails the whole call: no write either. */
	v = 777;
	len = 2;
	CHECK_ERR(rump_sys_sysctlbyname("kern.maxfiles", &old, &len, &v,
	    sizeof(v)), ENOMEM);
	CHECK_EQ(get_int("kern.maxfiles", &v), 0);
	CHECK_EQ(v, 1234);
}

TEST(read_only_nodes_eperm)
{
	int32_t v = 3;
	struct ktimespec ts = { 1, 2 };
	char buf[16];

	CHECK_EQ(rump_init(), 0);
	CHECK_ERR(rump_sys_sysctlbyname("kern.ostype", NULL, NULL, "BSD", 4),
	    EPERM);
	CHECK_ERR(rump_sys_sysctlbyname("hw.ncpu", NULL, NULL, &v, sizeof(v)),
	    EPERM);
	CHECK_ERR(rump_sys_sysctlbyname("kern.boottime", NULL, NULL, &ts,
	    sizeof(ts)), EPERM);
	CHECK_ERR(rump_sys_sysctlbyname("vfs.generic.fstypes", NULL, NULL,
	    "x", 2), EPERM);
	CHECK_OK(get_str("kern.ostype", buf, sizeof(buf)));
	CHECK_STR(buf, "Linux");
}

TEST(non_root_write_eperm)
{
	char buf[64];
	int32_t v = 100;

	CHECK_EQ(rump_init(), 0);
	CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	CHECK_OK(rump_sys_setuid(1000));
	CHECK_ERR(rump_sys_sysctlbyname("kern.hostname", NULL, NULL, "evil", 5),
	    EPERM);
	CHECK_ERR(rump_sys_sysctlbyname("kern.maxfiles", NULL, NULL, &v,
	    sizeof(v)), EPERM);
	/* Reading stays open to everyone. */
	CHECK_OK(get_str("kern.hostname", buf, sizeof(buf)));
	CHECK_STR(buf, "rump");
	CHECK_EQ(get_int("kern.maxfiles", &v), 0);
	CHECK(v != 100);
}

TEST(bad_names)
{
	char buf[300];
	char big[300];
	struct ksysctl_info si;

	CHECK_EQ(rump_init(), 0);
	CHECK_ERR(get_str("kern.nosuch", buf, 64), ENOENT);
	CHECK_ERR(get_str("nosuch", buf, 64), ENOENT);
	CHECK_ERR(get_str("Kern.hostname", buf, 64), ENOENT);
	CHECK_ERR(get_str("", buf, 64), ENOENT);
	CHECK_ERR(rump_sys_sysctlinfo("kern.nosuch", &si), ENOENT);
	CHECK_ERR(rump_sys_sysctlbyname("kern.nosuch", NULL, NULL, "x", 2),
	    ENOENT);
	/* Through a leaf, on a NODE, malformed, too long, NULL. */
	CHECK_ERR(get_str("kern.hostname.x", buf, 64), ENOTDIR);
	CHECK_ERR(get_str("kern", buf, 64), EISDIR);
	CHECK_ERR(rump_sys_sysctlbyname("kern", NULL, NULL, "x", 2), EISDIR);
	CHECK_ERR(get_str("kern..hostname", buf, 64), EINVAL);
	CHECK_ERR(get_str("kern.", buf, 64), EINVAL);
	CHECK_ERR(get_str(".kern", buf, 64), EINVAL);
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	CHECK_ERR(get_str(big, buf, 64), ENAMETOOLONG);
	CHECK_ERR(rump_sys_sysctlinfo(big, &si), ENAMETOOLONG);
	CHECK_ERR(rump_sys_sysctlbyname(NULL, NULL, NULL, NULL, 0), EFAULT);
	CHECK_ERR(rump_sys_sysctlinfo("kern.hostname", NULL), EFAULT);
	CHECK_ERR(rump_sys_sysctlinfo(NULL, &si), EFAULT);
}

TEST(inconsistent_arguments)
{
	char buf[64];

	CHECK_EQ(rump_init(), 0);
	/* oldp without oldlenp, newlen without newp. */
	CHECK_ERR(rump_sys_sysctlbyname("kern.hostname", buf, NULL, NULL, 0),
	    EINVAL);
	CHECK_ERR(rump_sys_sysctlbyname("kern.hostname", NULL, NULL, NULL, 5),
	    EINVAL);
	/* Neither old nor new: just says the name exists. */
	CHECK_OK(rump_sys_sysctlbyname("kern.hostname", NULL, NULL, NULL, 0));
}

TEST(enomem_sizing_protocol)
{
	char buf[64];
	size_t len = 0;
	int32_t v;

	CHECK_EQ(rump_init(), 0);
	/* No buffer: the size needed, NUL included. */
	CHECK_OK(rump_sys_sysctlbyname("kern.ostype", NULL, &len, NULL, 0));
	CHECK_EQ(len, 6);
	/* Too small: what fits is copied, ENOMEM, the size needed. */
	memset(buf, 'x', sizeof(buf));
	len = 3;
	CHECK_ERR(rump_sys_sysctlbyname("kern.ostype", buf, &len, NULL, 0),
	    ENOMEM);
	CHECK_EQ(len, 6);
	CHECK(memcmp(buf, "Lin", 3) == 0);
	CHECK_EQ(buf[3], 'x');
	/* One byte short: still ENOMEM (the NUL is part of the value). */
	len = 5;
	CHECK_ERR(rump_sys_sysctlbyname("kern.ostype", buf, &len, NULL, 0),
	    ENOMEM);
	CHECK_EQ(len, 6);
	/* Exactly enough, and more than enough. */
	len = 6;
	CHECK_OK(rump_sys_sysctlbyname("kern.ostype", buf, &len, NULL, 0));
	CHECK_STR(buf, "Linux");
	len = sizeof(buf);
	CHECK_OK(rump_sys_sysctlbyname("kern.ostype", buf, &len, NULL, 0));
	CHECK_EQ(len, 6);
	/* Numbers too. */
	len = 0;
	CHECK_OK(rump_sys_sysctlbyname("hw.ncpu", NULL, &len, NULL, 0));
	CHECK_EQ(len, 4);
	len = 3;
	CHECK_ERR(rump_sys_sysctlbyname("hw.ncpu", &v, &len, NULL, 0),
	    ENOMEM);
	CHECK_EQ(len, 4);
	/* The size follows the current value. */
	CHECK_OK(rump_sys_sysctlbyname("kern.hostname", NULL, NULL,
	    "a-longer-host-name", 19));
	len = 0;
	CHECK_OK(rump_sys_sysctlbyname("kern.hostname", NULL, &len, NULL, 0));
	CHECK_EQ(len, 19);
}

static const char *required[] = {
	"kern.boottime", "kern.domainname", "kern.hostname", "kern.maxfiles",
	"kern.osrelease", "kern.ostype", "kern.version", "hw.machine",
	"hw.ncpu", "hw.pagesize", "hw.physmem", "vfs.generic.fstypes",
};
#define NREQUIRED (sizeof(required) / sizeof(required[0]))

TEST(walk_finds_every_node)
{
	char cur[KSYSCTL_NAMEMAX] = "", next[KSYSCTL_NAMEMAX];
	int found[NREQUIRED] = { 0 };
	struct ksysctl_info si;
	int n = 0;

	CHECK_EQ(rump_init(), 0);
	for (;;) {
		if (rump_sys_sysctlnext(cur, next, sizeof(next)) != 0) {
			CHECK_EQ(errno, ENOENT);
			break;
		}
		/* Leaves only, each once, in increasing order. */
		CHECK_OK(rump_sys_sysctlinfo(next, &si));
		CHECK(si.si_type != KSYSCTL_TYPE_NODE);
		CHECK(cur[0] == '\0' || strcmp(cur, next) != 0);
		for (size_t i = 0; i < NREQUIRED; i++)
			if (strcmp(next, required[i]) == 0)
				found[i]++;
		strcpy(cur, next);
		if (++n > 10000) {
			TFAIL("walk does not end");
			break;
		}
	}
	for (size_t i = 0; i < NREQUIRED; i++)
		if (found[i] != 1)
			TFAIL("%s found %d times", required[i], found[i]);
	/* After the last leaf: ENOENT again. */
	CHECK_ERR(rump_sys_sysctlnext(cur, next, sizeof(next)), ENOENT);
}

/*
 * The kernel's own API (kern/sysctl.h), called in-process: the test links
 * the kernel.  Declared here because kernel headers cannot meet host ones;
 * errno values are Linux's on both sides.
 */
typedef int (*sysctl_readfn_t)(void *, void *, size_t, size_t *);
typedef int (*sysctl_writefn_t)(void *, const void *, size_t);
int sysctl_add_node(const char *, const char *);
int sysctl_add_int(const char *, int32_t *, int, const char *);
int sysctl_add_quad(const char *, int64_t *, int, const char *);
int sysctl_add_string(const char *, char *, size_t, int, const char *);
int sysctl_add_struct(const char *, void *, size_t, int, const char *);
int sysctl_add_func(const char *, int, size_t, sysctl_readfn_t,
    sysctl_writefn_t, void *, const char *);
int sysctl_set_range(const char *, int64_t, int64_t);
int sysctl_remove(const char *);
int sysctl_kread(const char *, void *, size_t *);
int sysctl_kwrite(const char *, const void *, size_t);
#define RW KSYSCTL_FLAG_WRITABLE

TEST(next_order_and_sizes)
{
	char next[KSYSCTL_NAMEMAX];
	int32_t a = 1, b = 2, c = 3, d = 4;

	CHECK_EQ(rump_init(), 0);
	/* Added out of order; ztest.c stays an empty NODE. */
	CHECK_EQ(sysctl_add_int("ztest.b.y", &b, 0, NULL), 0);
	CHECK_EQ(sysctl_add_int("ztest.a.z", &c, 0, NULL), 0);
	CHECK_EQ(sysctl_add_int("ztest.a.x", &a, 0, NULL), 0);
	CHECK_EQ(sysctl_add_node("ztest.c", "empty"), 0);
	CHECK_EQ(sysctl_add_int("ztest.d", &d, 0, NULL), 0);

	/* Depth-first, siblings in name order, empty NODEs skipped. */
	CHECK_OK(rump_sys_sysctlnext("ztest", next, sizeof(next)));
	CHECK_STR(next, "ztest.a.x");
	CHECK_OK(rump_sys_sysctlnext("ztest.a.x", next, sizeof(next)));
	CHECK_STR(next, "ztest.a.z");
	CHECK_OK(rump_sys_sysctlnext("ztest.a.z", next, sizeof(next)));
	CHECK_STR(next, "ztest.b.y");
	CHECK_OK(rump_sys_sysctlnext("ztest.b.y", next, sizeof(next)));
	CHECK_STR(next, "ztest.d");
	/* A name that does not exist resumes at the next one that does. */
	CHECK_OK(rump_sys_sysctlnext("ztest.a.y", next, sizeof(next)));
	CHECK_STR(next, "ztest.a.z");
	CHECK_OK(rump_sys_sysctlnext("ztest.bb", next, sizeof(next)));
	CHECK_STR(next, "ztest.d");
	CHECK_OK(rump_sys_sysctlnext("ztest.a.x.deeper", next, sizeof(next)));
	CHECK_STR(next, "ztest.a.z");
	/* The buffer must hold the name and its NUL. */
	CHECK_ERR(rump_sys_sysctlnext("ztest", next, 9), ENOMEM);
	CHECK_OK(rump_sys_sysctlnext("ztest", next, 10));
	CHECK_STR(next, "ztest.a.x");
	CHECK_ERR(rump_sys_sysctlnext("ztest", next, 0), ENOMEM);
	CHECK_ERR(rump_sys_sysctlnext("ztest..x", next, sizeof(next)), EINVAL);
	CHECK_ERR(rump_sys_sysctlnext(NULL, next, sizeof(next)), EFAULT);
	CHECK_ERR(rump_sys_sysctlnext("ztest", NULL, 10), EFAULT);
	/* A NODE leads into its subtree. */
	CHECK_OK(rump_sys_sysctlnext("kern", next, sizeof(next)));
	CHECK(strncmp(next, "kern.", 5) == 0);
}

static int32_t fn_value = 41;
static int fn_writes;

/* A computed INT: the handler's value is fn_value + 1. */
static int
fn_read(void *arg, void *buf, size_t size, size_t *lenp)
{
	int32_t v = *(int32_t *)arg + 1;

	if (size < sizeof(v))
		return EINVAL;
	memcpy(buf, &v, sizeof(v));
	*lenp = sizeof(v);
	return 0;
}

/* Writes set fn_value to the new value minus one; 13 is refused. */
static int
fn_write(void *arg, const void *newp, size_t newlen)
{
	int32_t v;

	if (newlen != sizeof(v))
		return EPROTO;	/* the core should have checked */
	memcpy(&v, newp, sizeof(v));
	if (v == 13)
		return EDOM;
	*(int32_t *)arg = v - 1;
	fn_writes++;
	return 0;
}

TEST(kernel_api)
{
	int32_t var = 5, v;
	int64_t q = 0, qv;
	char sbuf[8] = "abc", str[32];
	size_t len;

	CHECK_EQ(rump_init(), 0);
	/* A variable node follows its variable both ways. */
	CHECK_EQ(sysctl_add_int("ztest.var", &var, RW, "a variable"), 0);
	var = 6;
	CHECK_EQ(get_int("ztest.var", &v), 0);
	CHECK_EQ(v, 6);
	v = 9;
	CHECK_OK(rump_sys_sysctlbyname("ztest.var", NULL, NULL, &v, 4));
	CHECK_EQ(var, 9);
	CHECK_EQ(sysctl_set_range("ztest.var", 0, 10), 0);
	v = 11;
	CHECK_ERR(rump_sys_sysctlbyname("ztest.var", NULL, NULL, &v, 4),
	    EINVAL);
	CHECK_EQ(var, 9);
	CHECK_EQ(sysctl_set_range("ztest.var", 5, 1), EINVAL);
	CHECK_EQ(sysctl_set_range("ztest.var", 0, (int64_t)1 << 40), EINVAL);

	/* Names: taken, through a leaf, bad characters, empty parts. */
	CHECK_EQ(sysctl_add_int("ztest.var", &var, 0, NULL), EEXIST);
	CHECK_EQ(sysctl_add_int("ztest.var.sub", &var, 0, NULL), ENOTDIR);
	CHECK_EQ(sysctl_add_int("ztest.a b", &var, 0, NULL), EINVAL);
	CHECK_EQ(sysctl_add_int("ztest..x", &var, 0, NULL), EINVAL);
	CHECK_EQ(sysctl_add_int("", &var, 0, NULL), EINVAL);
	CHECK_EQ(sysctl_add_node("ztest", "described later"), 0);
	CHECK_EQ(sysctl_add_string("ztest.s0", NULL, 0, 0, NULL), EINVAL);

	/* Stored QUAD and STRUCT; kwrite sets read-only nodes. */
	CHECK_EQ(sysctl_add_quad("ztest.q", NULL, RW, NULL), 0);
	q = (int64_t)1 << 40;
	CHECK_OK(rump_sys_sysctlbyname("ztest.q", NULL, NULL, &q, 8));
	len = sizeof(qv);
	CHECK_EQ(sysctl_kread("ztest.q", &qv, &len), 0);
	CHECK_EQ(qv, q);
	CHECK_EQ(sysctl_add_struct("ztest.st", NULL, 3, 0, NULL), 0);
	CHECK_EQ(sysctl_kwrite("ztest.st", "xyz", 3), 0);
	CHECK_EQ(sysctl_kwrite("ztest.st", "xy", 2), EINVAL);
	len = sizeof(str);
	CHECK_OK(rump_sys_sysctlbyname("ztest.st", str, &len, NULL, 0));
	CHECK_EQ(len, 3);
	CHECK(memcmp(str, "xyz", 3) == 0);

	/* A string variable of 8 bytes takes at most 7 characters. */
	CHECK_EQ(sysctl_add_string("ztest.str", sbuf, sizeof(sbuf), RW, NULL),
	    0);
	CHECK_OK(rump_sys_sysctlbyname("ztest.str", NULL, NULL, "1234567", 7));
	CHECK_STR(sbuf, "1234567");
	CHECK_ERR(rump_sys_sysctlbyname("ztest.str", NULL, NULL, "12345678",
	    8), EINVAL);
	/* Bytes after a NUL in the new value are ignored. */
	CHECK_OK(rump_sys_sysctlbyname("ztest.str", NULL, NULL, "ab\0cdefghij",
	    11));
	CHECK_STR(sbuf, "ab");

	/* Handlers: computed reads, checked writes, their errors. */
	CHECK_EQ(sysctl_add_func("ztest.fn", KSYSCTL_TYPE_INT, 0, fn_read,
	    fn_write, &fn_value, "computed"), 0);
	CHECK_EQ(get_int("ztest.fn", &v), 0);
	CHECK_EQ(v, 42);
	v = 100;
	CHECK_OK(rump_sys_sysctlbyname("ztest.fn", NULL, NULL, &v, 4));
	CHECK_EQ(fn_value, 99);
	CHECK_ERR(rump_sys_sysctlbyname("ztest.fn", NULL, NULL, &v, 3),
	    EINVAL);
	v = 13;
	CHECK_ERR(rump_sys_sysctlbyname("ztest.fn", NULL, NULL, &v, 4), EDOM);
	CHECK_EQ(fn_writes, 1);
	CHECK_EQ(sysctl_add_func("ztest.fn2", KSYSCTL_TYPE_NODE, 4, fn_read,
	    NULL, NULL, NULL), EINVAL);
	CHECK_EQ(sysctl_add_func("ztest.fn3", KSYSCTL_TYPE_INT, 4, NULL,
	    NULL, NULL, NULL), EINVAL);

	/* Removal: not while it has children; then gone. */
	CHECK_EQ(sysctl_remove("ztest"), ENOTEMPTY);
	CHECK_EQ(sysctl_remove("ztest.var"), 0);
	CHECK_ERR(get_int("ztest.var", &v), ENOENT);
	CHECK_EQ(sysctl_remove("ztest.var"), ENOENT);
}

/* Readers see either the old or the new host name, never a mix. */
static void *
hostname_reader(void *arg)
{
	char buf[KUTS_LEN];
	int *bad = arg;

	for (int i = 0; i < 20000; i++) {
		if (get_str("kern.hostname", buf, sizeof(buf)) != 0 ||
		    (strcmp(buf, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") != 0 &&
		    strcmp(buf, "bb") != 0))
			(*bad)++;
	}
	return NULL;
}

TEST(concurrent_readers_and_writer)
{
	pthread_t t[3];
	int bad[3] = { 0 };
	const char *names[2] = { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bb" };

	CHECK_EQ(rump_init(), 0);
	CHECK_OK(rump_sys_sysctlbyname("kern.hostname", NULL, NULL, names[0],
	    strlen(names[0]) + 1));
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, hostname_reader, &bad[i]),
		    0);
	for (int i = 0; i < 20000; i++)
		CHECK_OK(rump_sys_sysctlbyname("kern.hostname", NULL, NULL,
		    names[i % 2 ? 0 : 1], strlen(names[i % 2 ? 0 : 1]) + 1));
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		CHECK_EQ(bad[i], 0);
	}
}
