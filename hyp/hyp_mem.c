/*
 * hyp_mem.c: memory, clocks, randomness, machine facts and the console.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "hyp.h"

void *
hyp_malloc(size_t n)
{
	return malloc(n ? n : 1);
}

void *
hyp_calloc(size_t nmemb, size_t size)
{
	return calloc(nmemb ? nmemb : 1, size ? size : 1);
}

void *
hyp_realloc(void *p, size_t n)
{
	return realloc(p, n ? n : 1);
}

void
hyp_free(void *p)
{
	free(p);
}

static int64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
hyp_clock_realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

int64_t
hyp_clock_monotonic_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* Fill buf from the host's random source; retries short reads. */
void
hyp_getrandom(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);

		if (got < 0)
			continue;
		p += got;
		n -= (size_t)got;
	}
}

int
hyp_ncpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

uint64_t
hyp_physmem(void)
{
	long pages = sysconf(_SC_PHYS_PAGES);
	long psize = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || psize <= 0)
		return 0;
	return (uint64_t)pages * (uint64_t)psize;
}

int
hyp_pagesize(void)
{
	return (int)sysconf(_SC_PAGESIZE);
}

void
hyp_console_write(const char *s, size_t n)
{
	fwrite(s, 1, n, stderr);
}

int
hyp_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	return vsnprintf(buf, n, fmt, ap);
}

_Noreturn void
hyp_panic(const char *msg)
{
	fprintf(stderr, "rump kernel panic: %s\n", msg);
	abort();
}
