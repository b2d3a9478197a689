/*
 * testlib.h: a small test harness.
 *
 *	TEST(name) { CHECK(...); }
 *
 * Each TEST runs in its own forked child (a fresh kernel per test when the
 * test calls rump_init()), with a time limit, so a crash or hang fails that
 * test only.  The binary prints "ok NAME" or "FAIL NAME" per test and ends
 * with "N passed, N failed"; tests/run.sh adds the binaries up.
 * Run one test: ./build/tests/foo_test NAME
 */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);
void test_register(const char *name, test_fn fn, const char *file);
extern int test_failures;	/* in the child: checks failed so far */
extern unsigned test_timeout;	/* seconds per test, default 60 */

#define TEST(name) \
	static void test_##name(void); \
	__attribute__((constructor)) static void test_reg_##name(void) \
	{ test_register(#name, test_##name, __FILE__); } \
	static void test_##name(void)

#define TFAIL(...) do { \
	fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); \
	test_failures++; } while (0)

/* Condition must hold. */
#define CHECK(c) do { \
	if (!(c)) { TFAIL("check failed: %s", #c); } \
	} while (0)
/* Integer equality, printing both values. */
#define CHECK_EQ(a, b) do { \
	long long _a = (long long)(a), _b = (long long)(b); \
	if (_a != _b) { \
		TFAIL("%s == %lld, expected %s == %lld", #a, _a, #b, _b); \
	} } while (0)
/* A call that must succeed (not return -1); its value is returned. */
#define CHECK_OK(e) ({ \
	long long _r = (long long)(e); \
	if (_r == -1) { TFAIL("%s failed: %s", #e, strerror(errno)); } \
	_r; })
/* A call that must fail with -1 and errno err. */
#define CHECK_ERR(e, err) do { \
	errno = 0; \
	long long _r = (long long)(e); \
	int _e = errno; \
	if (_r != -1) { \
		TFAIL("%s returned %lld, expected -1/%s", #e, _r, #err); \
	} else if (_e != (err)) { \
		TFAIL("%s: errno %s, expected %s", #e, strerror(_e), #err); \
	} } while (0)
#define CHECK_STR(a, b) do { \
	const char *_a = (a), *_b = (b); \
	if (strcmp(_a, _b) != 0) { \
		TFAIL("%s is \"%s\", expected \"%s\"", #a, _a, _b); \
	} } while (0)

#endif
