/*
 * hyp_mem.c: memory, clocks, randomness, machine facts and the console.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "hyp.h"

static int hyp_cfg_ncpu;
static uint64_t hyp_memlimit;
static uint64_t hyp_memused;		/* atomic; counted only with a limit */

void
hyp_configure(int ncpu, uint64_t memlimit)
{
	hyp_cfg_ncpu = ncpu;
	hyp_memlimit = memlimit;
}

/* Account for a new block p; undo and fail when over the limit. */
static void *
mem_account(void *p)
{
	uint64_t n;

	if (p == NULL || hyp_memlimit == 0)
		return p;
	n = malloc_usable_size(p);
	if (__atomic_add_fetch(&hyp_memused, n, __ATOMIC_RELAXED) >
	    hyp_memlimit) {
		__atomic_sub_fetch(&hyp_memused, n, __ATOMIC_RELAXED);
		free(p);
		return NULL;
	}
	return p;
}

static void
mem_unaccount(void *p)
{
	if (p != NULL && hyp_memlimit != 0)
		__atomic_sub_fetch(&hyp_memused, malloc_usable_size(p),
		    __ATOMIC_RELAXED);
}

void *
hyp_malloc(size_t n)
{
	return mem_account(malloc(n ? n : 1));
}

void *
hyp_calloc(size_t nmemb, size_t size)
{
	return mem_account(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

void *
hyp_realloc(void *p, size_t n)
{
	void *np;

	if (hyp_memlimit == 0)
		return realloc(p, n ? n : 1);
	/* With a limit: allocate, copy and free, so accounting stays exact. */
	if ((np = hyp_malloc(n)) == NULL)
		return NULL;
	if (p != NULL) {
		size_t old = malloc_usable_size(p);

		memcpy(np, p, old < n ? old : n);
		hyp_free(p);
	}
	return np;
}

void
hyp_free(void *p)
{
	mem_unaccount(p);
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
	long n;

	if (hyp_cfg_ncpu > 0)
		return hyp_cfg_ncpu;
	n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

uint64_t
hyp_physmem(void)
{
	long pages = sysconf(_SC_PHYS_PAGES);
	long psize = sysconf(_SC_PAGESIZE);

	if (hyp_memlimit != 0)
		return hyp_memlimit;
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
