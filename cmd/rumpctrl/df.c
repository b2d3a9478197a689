/*
 * df.c: rump.df, space on the kernel's mounted file systems.
 *
 *	rump.df [-h] [-k] [PATH...]
 *
 * Columns as df -k (or df -h): Filesystem, 1K-blocks, Used, Available,
 * Use%, Mounted on.  A PATH selects the mount it lives on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

/* One row, with the numbers in bytes. */
struct df_row {
	const char *dr_from, *dr_on;
	unsigned long long dr_size, dr_used, dr_avail;
	int dr_pct;			/* -1: no size */
};

/* df -h's sizes: powers of 1024, rounded up, one decimal below 10. */
static void
df_human(unsigned long long v, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double d = (double)v;
	int u = -1;

	if (v < 1024) {
		snprintf(buf, len, "%llu", v);
		return;
	}
	while (d >= 1024 && u < 5) {
		d /= 1024;
		u++;
	}
	if (d < 10) {
		d = (double)(unsigned long long)(d * 10 + 0.999999) / 10;
		if (d < 10) {
			snprintf(buf, len, "%.1f%c", d, units[u]);
			return;
		}
	}
	snprintf(buf, len, "%.0f%c", (double)(unsigned long long)(d + 0.999999),
	    units[u]);
}

/* Fill a row from statfs of the mount point; 0 or an errno value. */
static int
df_fill(const struct kmntinfo *mi, struct df_row *r)
{
	struct statfs sf;
	unsigned long long fr, used;

	if (rump_sys_statfs(mi->mi_on, &sf) != 0)
		return errno;
	fr = sf.f_frsize != 0 ? (unsigned long long)sf.f_frsize :
	    (unsigned long long)sf.f_bsize;
	r->dr_from = mi->mi_from[0] ? mi->mi_from : mi->mi_fstype;
	r->dr_on = mi->mi_on;
	used = sf.f_blocks >= sf.f_bfree ? sf.f_blocks - sf.f_bfree : 0;
	r->dr_size = sf.f_blocks * fr;
	r->dr_used = used * fr;
	r->dr_avail = sf.f_bavail * fr;
	r->dr_pct = -1;
	if (used + sf.f_bavail > 0)	/* rounded up, as df */
		r->dr_pct = (int)((used * 100 + used + sf.f_bavail - 1) /
		    (used + sf.f_bavail));
	return 0;
}

/* A row's size, used and available columns, in 1K blocks or human. */
static void
df_cells(const struct df_row *r, int human, char c[3][32])
{
	const unsigned long long v[3] = { r->dr_size, r->dr_used,
	    r->dr_avail };

	for (int k = 0; k < 3; k++) {
		if (human)
			df_human(v[k], c[k], sizeof(c[k]));
		else
			snprintf(c[k], sizeof(c[k]), "%llu",
			    (v[k] + 1023) / 1024);
	}
}

/* Print the rows with the columns as wide as their widest entry. */
static void
df_print(const struct df_row *r, int n, int human)
{
	char c[3][32];
	int w[4] = { 14, human ? 5 : 9, 5, human ? 5 : 9 };
	int i, k;

	for (i = 0; i < n; i++) {
		if ((int)strlen(r[i].dr_from) > w[0])
			w[0] = (int)strlen(r[i].dr_from);
		df_cells(&r[i], human, c);
		for (k = 0; k < 3; k++)
			if ((int)strlen(c[k]) > w[k + 1])
				w[k + 1] = (int)strlen(c[k]);
	}
	printf("%-*s %*s %*s %*s Use%% Mounted on\n", w[0], "Filesystem",
	    w[1], human ? "Size" : "1K-blocks", w[2], "Used", w[3],
	    human ? "Avail" : "Available");
	for (i = 0; i < n; i++) {
		df_cells(&r[i], human, c);
		printf("%-*s %*s %*s %*s ", w[0], r[i].dr_from, w[1], c[0],
		    w[2], c[1], w[3], c[2]);
		if (r[i].dr_pct < 0)
			printf("   - %s\n", r[i].dr_on);
		else
			printf("%3d%% %s\n", r[i].dr_pct, r[i].dr_on);
	}
}

/* The mount that path lives on: the last one with its device. */
static int
df_find(const char *path, const struct kmntinfo *mi, int n)
{
	struct stat st, mst;
	int found = -1;

	if (rump_sys_stat(path, &st) != 0) {
		ctl_warn("%s", path);
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (rump_sys_stat(mi[i].mi_on, &mst) == 0 &&
		    mst.st_dev == st.st_dev)
			found = i;
	if (found < 0)
		ctl_warnx("%s: no mount found", path);
	return found;
}

/* rump.df: the mount table, one row per mount or per PATH. */
int
ctl_df_main(int argc, char **argv)
{
	struct kmntinfo *mi;
	struct df_row *rows;
	int ch, human = 0, n, nrows = 0, rv = CTL_OK, error, i;

	while ((ch = ctl_getopt(argc, argv, "hk")) != -1) {
		switch (ch) {
		case 'h': human = 1; break;
		case 'k': human = 0; break;
		default: return ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	ctl_connect();
	if ((error = ctl_getmounts(&mi, &n)) != 0) {
		ctl_warnc(error, "getmounts");
		return CTL_ERR;
	}
	rows = ctl_malloc((size_t)(argc > 0 ? argc : n) * sizeof(*rows));
	for (i = 0; i < (argc > 0 ? argc : n); i++) {
		int m = argc > 0 ? df_find(argv[i], mi, n) : i;

		if (m < 0) {
			rv = CTL_ERR;
			continue;
		}
		if ((error = df_fill(&mi[m], &rows[nrows])) != 0) {
			ctl_warnc(error, "%s", mi[m].mi_on);
			rv = CTL_ERR;
			continue;
		}
		nrows++;
	}
	if (nrows > 0 || rv == CTL_OK)
		df_print(rows, nrows, human);
	free(rows);
	free(mi);
	return rv;
}
