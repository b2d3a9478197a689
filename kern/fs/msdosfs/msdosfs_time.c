/*
 * msdosfs_time.c: FAT timestamps <-> Unix time.
 *
 * FAT stores local date and time: date = (year - 1980) << 9 | month << 5
 * | day, time = hour << 11 | minute << 5 | second / 2, plus centiseconds
 * (0..199) for the creation time.  Which local time is the mount's
 * business: ma_tzoff seconds east of UTC, 0 (UTC) unless the tz= or
 * time_offset= option says otherwise (Linux uses the kernel's timezone,
 * normally UTC too).  Times before 1980 are stored as 1980-01-01 00:00:00
 * and after 2107 as 2107-12-31 23:59:58.  Fields read from the image are
 * clamped into range, never trusted as table indexes.
 */
#include "kern.h"
#include "fs/msdosfs/msdosfs_var.h"

#define SECS_PER_DAY	86400
#define DAYS_1970_1980	3652		/* 1970-01-01 .. 1980-01-01 */
#define FAT_MAXYEAR	127		/* 2107 */

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian). */
static int64_t
msdosfs_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The civil date of day z since 1970-01-01. */
static void
msdosfs_civil_from_days(int64_t z, int64_t *yp, unsigned *mp, unsigned *dp)
{
	int64_t era, y;
	unsigned doe, yoe, doy, mp5, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp5 = (5 * doy + 2) / 153;
	*dp = doy - (153 * mp5 + 2) / 5 + 1;
	m = mp5 < 10 ? mp5 + 3 : mp5 - 9;
	*mp = m;
	*yp = y + (m <= 2);
}

/* Unix time ts to FAT date, time (2 s) and centiseconds (any may be NULL). */
void
msdosfs_time_unix2fat(const struct msdosfs_mount *pm,
    const struct ktimespec *ts, uint16_t *datep, uint16_t *timep,
    uint8_t *csp)
{
	int64_t t = ts->tv_sec + pm->pm_args.ma_tzoff, days, y;
	int64_t secs, nsec = ts->tv_nsec;
	unsigned m, d;

	if (nsec < 0 || nsec >= 1000000000)
		nsec = 0;
	days = t >= 0 ? t / SECS_PER_DAY : (t - SECS_PER_DAY + 1) / SECS_PER_DAY;
	secs = t - days * SECS_PER_DAY;
	msdosfs_civil_from_days(days, &y, &m, &d);
	if (y < 1980) {
		y = 1980, m = 1, d = 1, secs = 0, nsec = 0;
	} else if (y > 1980 + FAT_MAXYEAR) {
		y = 1980 + FAT_MAXYEAR, m = 12, d = 31;
		secs = SECS_PER_DAY - 1, nsec = 999999999;
	}
	if (datep != NULL)
		*datep = (uint16_t)(((y - 1980) << 9) | (m << 5) | d);
	if (timep != NULL)
		*timep = (uint16_t)(((secs / 3600) << 11) |
		    (((secs / 60) % 60) << 5) | ((secs % 60) / 2));
	if (csp != NULL)
		*csp = (uint8_t)((secs % 2) * 100 + nsec / 10000000);
}

/* FAT date, time and centiseconds to Unix time. */
void
msdosfs_time_fat2unix(const struct msdosfs_mount *pm, uint16_t date,
    uint16_t time, uint8_t cs, struct ktimespec *ts)
{
	unsigned y = date >> 9, m = (date >> 5) & 0xf, d = date & 0x1f;
	unsigned hh = time >> 11, mm = (time >> 5) & 0x3f, ss = (time & 0x1f) * 2;
	int64_t t;

	/* Clamp what the image says into a real calendar. */
	m = MIN(MAX(m, 1), 12);
	d = MAX(d, 1);
	hh = MIN(hh, 23);
	mm = MIN(mm, 59);
	ss = MIN(ss, 58);
	cs = MIN(cs, 199);
	t = msdosfs_days_from_civil(1980 + (int64_t)y, m, 1) + (d - 1);
	t = t * SECS_PER_DAY + hh * 3600 + mm * 60 + ss + cs / 100;
	ts->tv_sec = t - pm->pm_args.ma_tzoff;
	ts->tv_nsec = (int64_t)(cs % 100) * 10000000;
}

/*
 * Round ts down to what FAT can store of it (MSDOSFS_TR_*), so the times
 * a stat shows are the ones that will be read back after a remount.
 */
void
msdosfs_time_round(const struct msdosfs_mount *pm, struct ktimespec *ts,
    int which)
{
	uint16_t date, time;
	uint8_t cs;

	msdosfs_time_unix2fat(pm, ts, &date, &time, &cs);
	switch (which) {
	case MSDOSFS_TR_2SEC:
		cs = 0;
		break;
	case MSDOSFS_TR_DAY:
		time = 0;
		cs = 0;
		break;
	default:
		break;
	}
	msdosfs_time_fat2unix(pm, date, time, cs, ts);
}
