/*
 * dd.c: rump.dd, copy blocks between kernel files and host stdio.
 *
 *	rump.dd [if=FILE] [of=FILE] [bs=N|ibs=N obs=N] [count=N] [skip=N]
 *	    [seek=N] [conv=notrunc,fsync,fdatasync] [status=LEVEL]
 *
 * FILEs are kernel paths; without if/of the host's standard input and
 * output are used, so "cat hostfile | rump.dd of=/x" copies into the
 * kernel.  With bs= every input block is written as read; with ibs/obs
 * the output is reblocked.  The summary on stderr is GNU dd's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"
#include "dd.h"

/* One end of the copy: a kernel descriptor or a host one. */
struct dd_end {
	const char *de_name;
	int de_host;
	int de_fd;
};

struct dd_stats {
	uint64_t ds_in_full, ds_in_part, ds_out_full, ds_out_part;
	uint64_t ds_bytes;
	struct timespec ds_start, ds_last;
	int ds_progress;		/* a progress line is on screen */
};

/* Read up to n bytes from one end (host reads retried on EINTR). */
static ssize_t
dd_read(struct dd_end *e, void *buf, size_t n)
{
	ssize_t r;

	if (!e->de_host)
		return rump_sys_read(e->de_fd, buf, n);
	while ((r = read(e->de_fd, buf, n)) < 0 && errno == EINTR)
		;
	return r;
}

/* Write all of buf; 0 or an errno value. */
static int
dd_write(struct dd_end *e, const char *buf, size_t n)
{
	ssize_t w;

	if (e->de_host)
		return ctl_host_write(e->de_fd, buf, n);
	for (; n > 0; buf += w, n -= (size_t)w)
		if ((w = rump_sys_write(e->de_fd, buf, n)) < 0)
			return errno;
	return 0;
}

/* lseek on one end. */
static off_t
dd_lseek(struct dd_end *e, off_t off, int whence)
{
	return e->de_host ? lseek(e->de_fd, off, whence) :
	    rump_sys_lseek(e->de_fd, off, whence);
}

/* Seconds since a CLOCK_MONOTONIC time. */
static double
dd_elapsed(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) +
	    (double)(now.tv_nsec - since->tv_nsec) / 1e9;
}

/* "1.0 MB" (si) or "1.0 MiB": one decimal below 10, as GNU dd. */
static void
dd_human(double v, int si, char *buf, size_t len)
{
	static const char *const units[] = { "", "k", "M", "G", "T", "P",
	    "E" };
	double base = si ? 1000 : 1024;
	size_t u = 0;

	while (v >= base && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= base;
		u++;
	}
	if (!si && u > 0)
		snprintf(buf, len, v < 10 ? "%.1f %siB" : "%.0f %siB", v,
		    u == 1 ? "K" : units[u]);
	else
		snprintf(buf, len, v < 10 ? "%.1f %sB" : "%.0f %sB", v,
		    units[u]);
}

/* The rate, as GNU dd: SI units from kB, three significant digits. */
static void
dd_rate(double r, char *buf, size_t len)
{
	static const char *const units[] = { "k", "M", "G", "T", "P", "E" };
	size_t u = 0;

	r /= 1000;
	while (r >= 1000 && u + 1 < sizeof(units) / sizeof(units[0])) {
		r /= 1000;
		u++;
	}
	snprintf(buf, len, r < 100 ? "%.1f %sB" : "%.0f %sB", r, units[u]);
}

/* "N bytes (X MB, Y MiB) copied, T s, R MB/s" into buf. */
static void
dd_xfer_line(const struct dd_stats *s, char *buf, size_t len)
{
	char si[32], iec[32], rate[32];
	double t = dd_elapsed(&s->ds_start), r;
	size_t o;

	o = (size_t)snprintf(buf, len, "%llu byte%s",
	    (unsigned long long)s->ds_bytes, s->ds_bytes == 1 ? "" : "s");
	dd_human((double)s->ds_bytes, 1, si, sizeof(si));
	dd_human((double)s->ds_bytes, 0, iec, sizeof(iec));
	if (s->ds_bytes >= 1024)
		o += (size_t)snprintf(buf + o, len - o, " (%s, %s)", si, iec);
	else if (s->ds_bytes >= 1000)
		o += (size_t)snprintf(buf + o, len - o, " (%s)", si);
	r = t > 0 ? (double)s->ds_bytes / t : 0;
	dd_rate(r, rate, sizeof(rate));
	snprintf(buf + o, len - o, " copied, %g s, %s/s", t, rate);
}

/* status=progress: at most one line a second, overwritten with \r. */
static void
dd_progress(struct dd_stats *s, const struct dd_args *a)
{
	char line[256];

	if (a->da_status != DD_STATUS_PROGRESS || dd_elapsed(&s->ds_last) < 1)
		return;
	clock_gettime(CLOCK_MONOTONIC, &s->ds_last);
	dd_xfer_line(s, line, sizeof(line));
	fprintf(stderr, "\r%s", line);
	s->ds_progress = 1;
}

/* The closing summary on stderr. */
static void
dd_summary(const struct dd_stats *s, const struct dd_args *a)
{
	char line[256];

	if (a->da_status == DD_STATUS_NONE)
		return;
	if (s->ds_progress)
		fputc('\n', stderr);
	fprintf(stderr, "%llu+%llu records in\n%llu+%llu records out\n",
	    (unsigned long long)s->ds_in_full,
	    (unsigned long long)s->ds_in_part,
	    (unsigned long long)s->ds_out_full,
	    (unsigned long long)s->ds_out_part);
	if (a->da_status == DD_STATUS_NOXFER)
		return;
	dd_xfer_line(s, line, sizeof(line));
	fprintf(stderr, "%s\n", line);
}

/* Skip n input blocks: seek if we can, otherwise read and discard. */
static int
dd_skip(struct dd_end *in, const struct dd_args *a, char *buf)
{
	uint64_t i;
	ssize_t n;

	if (a->da_skip == 0)
		return 0;
	if (dd_lseek(in, (off_t)(a->da_skip * a->da_ibs), SEEK_CUR) >= 0)
		return 0;
	for (i = 0; i < a->da_skip; i++) {
		if ((n = dd_read(in, buf, a->da_ibs)) < 0) {
			ctl_warn("%s", in->de_name);
			return EIO;
		}
		if (n == 0) {
			ctl_warnx("%s: cannot skip to specified offset",
			    in->de_name);
			return 0;
		}
	}
	return 0;
}

/* Open of=, positioned at seek= and truncated there unless notrunc. */
static int
dd_open_out(struct dd_end *out, const struct dd_args *a)
{
	off_t off = (off_t)(a->da_seek * a->da_obs);
	int flags = O_WRONLY | O_CREAT;
	struct stat st;

	if (a->da_of == NULL) {
		*out = (struct dd_end){ "standard output", 1, STDOUT_FILENO };
	} else {
		if (!a->da_notrunc && a->da_seek == 0)
			flags |= O_TRUNC;
		*out = (struct dd_end){ a->da_of, 0, -1 };
		if ((out->de_fd = rump_sys_open(a->da_of, flags, 0666)) < 0) {
			ctl_warn("%s", a->da_of);
			return errno;
		}
		if (!a->da_notrunc && a->da_seek != 0 &&
		    rump_sys_fstat(out->de_fd, &st) == 0 &&
		    S_ISREG(st.st_mode) && rump_sys_ftruncate(out->de_fd, off)
		    != 0) {
			ctl_warn("%s: truncating", a->da_of);
			return errno;
		}
	}
	if (off != 0 && dd_lseek(out, off, SEEK_CUR) < 0) {
		ctl_warn("%s: cannot seek", out->de_name);
		return errno;
	}
	return 0;
}

/* Write one output block and count it. */
static int
dd_put(struct dd_end *out, const char *buf, size_t n,
    const struct dd_args *a, struct dd_stats *s)
{
	int error;

	if ((error = dd_write(out, buf, n)) != 0) {
		ctl_warnc(error, "%s", out->de_name);
		return error;
	}
	if (n == a->da_obs)
		s->ds_out_full++;
	else
		s->ds_out_part++;
	s->ds_bytes += n;
	return 0;
}

/* The copy loop; 0 or an errno value (after a message). */
static int
dd_copy(struct dd_end *in, struct dd_end *out, const struct dd_args *a,
    struct dd_stats *s, char *ibuf, char *obuf)
{
	int reblock = a->da_bs == 0 && a->da_ibs != a->da_obs, error;
	size_t ofill = 0, take;
	ssize_t n;

	while (!a->da_hascount || s->ds_in_full + s->ds_in_part < a->da_count) {
		if ((n = dd_read(in, ibuf, a->da_ibs)) < 0) {
			ctl_warn("%s", in->de_name);
			return errno;
		}
		if (n == 0)
			break;
		if ((size_t)n == a->da_ibs)
			s->ds_in_full++;
		else
			s->ds_in_part++;
		if (!reblock) {
			if ((error = dd_put(out, ibuf, (size_t)n, a, s)) != 0)
				return error;
		}
		for (ssize_t off = 0; reblock && off < n; off += take) {
			take = a->da_obs - ofill;
			if (take > (size_t)(n - off))
				take = (size_t)(n - off);
			memcpy(obuf + ofill, ibuf + off, take);
			ofill += take;
			if (ofill < a->da_obs)
				continue;
			if ((error = dd_put(out, obuf, ofill, a, s)) != 0)
				return error;
			ofill = 0;
		}
		dd_progress(s, a);
	}
	if (ofill > 0)
		return dd_put(out, obuf, ofill, a, s);
	return 0;
}

/* fsync/fdatasync and close a kernel output; 0 or an errno value. */
static int
dd_finish_out(struct dd_end *out, const struct dd_args *a)
{
	int error = 0;

	if (out->de_host)
		return 0;
	if ((a->da_fsync && rump_sys_fsync(out->de_fd) != 0) ||
	    (a->da_fdatasync && rump_sys_fdatasync(out->de_fd) != 0)) {
		error = errno;
		ctl_warn("%s: sync", out->de_name);
	}
	if (rump_sys_close(out->de_fd) != 0 && error == 0) {
		error = errno;
		ctl_warn("%s", out->de_name);
	}
	return error;
}

/* rump.dd: operands, connect, open, skip, copy, summary. */
int
ctl_dd_main(int argc, char **argv)
{
	struct dd_end in = { "standard input", 1, STDIN_FILENO }, out;
	struct dd_stats s = { 0 };
	struct dd_args a;
	char *ibuf = NULL, *obuf = NULL;
	int rv = CTL_ERR;

	if (dd_parse(argc - 1, argv + 1, &a) != 0)
		return ctl_usage();
	ctl_connect();
	out.de_host = 1;
	if (a.da_if != NULL) {
		in = (struct dd_end){ a.da_if, 0, -1 };
		if ((in.de_fd = rump_sys_open(a.da_if, O_RDONLY)) < 0) {
			ctl_warn("%s", a.da_if);
			return CTL_ERR;
		}
	}
	ibuf = ctl_malloc(a.da_ibs);
	obuf = ctl_malloc(a.da_obs);
	clock_gettime(CLOCK_MONOTONIC, &s.ds_start);
	s.ds_last = s.ds_start;
	if (dd_skip(&in, &a, ibuf) != 0 || dd_open_out(&out, &a) != 0)
		goto out;
	if (dd_copy(&in, &out, &a, &s, ibuf, obuf) == 0)
		rv = CTL_OK;
	if (dd_finish_out(&out, &a) != 0)
		rv = CTL_ERR;
	dd_summary(&s, &a);
out:
	if (!in.de_host)
		rump_sys_close(in.de_fd);
	free(ibuf);
	free(obuf);
	return rv;
}
