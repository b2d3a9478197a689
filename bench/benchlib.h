/*
 * benchlib.h: a small benchmark harness comparing rump with the host.
 *
 * A benchmark supplies two functions that do the same work, one through
 * the rump kernel and one through the host, each running `iters`
 * operations.  bench_compare() runs them alternately (rump, host, host,
 * rump, ...) so that both see the same machine noise, takes the median
 * ns/op of each over `reps` runs, and prints one line:
 *
 *   NAME: rump X ns/op, host Y ns/op, ratio R (target <= T) met|missed
 *
 * bench/run.sh turns these lines into a table.  Timing never makes a
 * benchmark fail; only a failing operation does (bench_fail).
 */
#ifndef BENCH_BENCHLIB_H
#define BENCH_BENCHLIB_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_MAXREPS 64

/* One side of a comparison: do iters operations; 0 or an errno value. */
typedef int (*bench_fn)(void *arg, long iters);

/* The monotonic clock in nanoseconds. */
static inline int64_t
bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Report that a benchmark could not run, and exit with status 1. */
static inline void __attribute__((noreturn, format(printf, 2, 3)))
bench_fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%s: FAILED: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

/* qsort comparison of doubles. */
static inline int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of n values (sorts them). */
static inline double
bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Time one run of fn; ns per operation.  Exits if fn fails. */
static inline double
bench_run(const char *name, const char *side, bench_fn fn, void *arg,
    long iters)
{
	int64_t t0, t1;
	int error;

	t0 = bench_now_ns();
	error = fn(arg, iters);
	t1 = bench_now_ns();
	if (error != 0)
		bench_fail(name, "%s side: %s", side, strerror(error));
	return (double)(t1 - t0) / (double)iters;
}

/*
 * Compare rump and host: one untimed warm-up run each, then reps timed
 * runs of each, interleaved, and print the result line.  Returns the
 * ratio of the medians (rump / host).
 */
static inline double
bench_compare(const char *name, bench_fn rump, bench_fn host, void *arg,
    long iters, int reps, double target)
{
	double r[BENCH_MAXREPS], h[BENCH_MAXREPS], rm, hm, ratio;

	if (reps < 1 || reps > BENCH_MAXREPS)
		bench_fail(name, "bad repetition count %d", reps);
	(void)bench_run(name, "rump", rump, arg, iters);
	(void)bench_run(name, "host", host, arg, iters);
	for (int i = 0; i < reps; i++) {
		/* Alternate which side goes first, so neither always
		 * runs on a cache the other warmed. */
		if (i % 2 == 0) {
			r[i] = bench_run(name, "rump", rump, arg, iters);
			h[i] = bench_run(name, "host", host, arg, iters);
		} else {
			h[i] = bench_run(name, "host", host, arg, iters);
			r[i] = bench_run(name, "rump", rump, arg, iters);
		}
	}
	rm = bench_median(r, reps);
	hm = bench_median(h, reps);
	ratio = hm > 0 ? rm / hm : 0;
	printf("%s: rump %.1f ns/op, host %.1f ns/op, ratio %.3f "
	    "(target <= %g) %s\n", name, rm, hm, ratio, target,
	    ratio <= target ? "met" : "missed");
	fflush(stdout);
	return ratio;
}

/* Parse an optional scale factor from BENCH_SCALE (default 1). */
static inline double
bench_scale(void)
{
	const char *s = getenv("BENCH_SCALE");
	double f = s != NULL ? atof(s) : 1.0;

	return f > 0 ? f : 1.0;
}

#endif /* BENCH_BENCHLIB_H */
