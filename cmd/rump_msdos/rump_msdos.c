/*
 * rump_msdos: mount a FAT image on the host through FUSE, with all FAT
 * code in this process's rump kernel (rump_msdos(8)).
 *
 *	rump_msdos [-f] [-o opt,...] IMAGE[%MBR:N%] MOUNTPOINT
 *
 * A corrupt or hostile image meets the kernel's msdosfs, which answers
 * with errors; the host kernel never parses it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>

#include "mbr.h"
#include "rumpfuse.h"

#define DEVKEY	"/dev/fat0"
#define KROOT	"/fat"

struct options {
	int foreground;
	int rdonly;
	int part;			/* 0: whole image */
	char kopts[512];		/* for the kernel's msdos mount */
	char fopts[1024];		/* for FUSE */
	int have_uid, have_gid;
	const char *image_arg;
	const char *mountpoint;
	char image[PATH_MAX];
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: rump_msdos [-f] [-o opt,...] IMAGE[%%MBR:N%%] MOUNTPOINT\n"
	    "Mount the FAT (msdos) file system in IMAGE on MOUNTPOINT through\n"
	    "FUSE; the FAT code runs in this process, not in the host kernel.\n"
	    "  -f            stay in the foreground\n"
	    "  -o ro|rw      read-only or read-write (default rw)\n"
	    "  -o part=N     use MBR partition N (1-4); same as IMAGE%%MBR:N%%\n"
	    "  -o uid=,gid=,mask=,dmask=,fmask=  owner and permissions shown\n"
	    "  -o other      passed to FUSE (e.g. allow_other)\n"
	    "Unmount with fusermount3 -u MOUNTPOINT or by sending SIGTERM.\n");
}

static void
append(char *buf, size_t len, const char *opt)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s", n ? "," : "", opt);
}

/* Sort one -o option to the kernel mount, FUSE, or ourselves. */
static int
take_option(struct options *o, const char *opt)
{
	static const char *kernel_opts[] = { "uid=", "gid=", "mask=",
	    "dmask=", "fmask=", "shortname=", "tz=", NULL };

	if (strcmp(opt, "ro") == 0)
		o->rdonly = 1;
	else if (strcmp(opt, "rw") == 0)
		o->rdonly = 0;
	else if (strncmp(opt, "part=", 5) == 0) {
		o->part = atoi(opt + 5);
		if (o->part < 1 || o->part > 4) {
			fprintf(stderr, "rump_msdos: -o %s: partition must be "
			    "1-4\n", opt);
			return -1;
		}
	} else {
		for (int i = 0; kernel_opts[i] != NULL; i++) {
			if (strncmp(opt, kernel_opts[i],
			    strlen(kernel_opts[i])) == 0) {
				append(o->kopts, sizeof(o->kopts), opt);
				o->have_uid |= strncmp(opt, "uid=", 4) == 0;
				o->have_gid |= strncmp(opt, "gid=", 4) == 0;
				return 0;
			}
		}
		append(o->fopts, sizeof(o->fopts), opt);
	}
	return 0;
}

static int
parse_args(int argc, char **argv, struct options *o)
{
	int ch;

	while ((ch = getopt(argc, argv, "fo:h")) != -1) {
		switch (ch) {
		case 'f':
			o->foreground = 1;
			break;
		case 'o': {
			char *copy = strdup(optarg), *save = NULL;

			for (char *t = strtok_r(copy, ",", &save); t != NULL;
			    t = strtok_r(NULL, ",", &save))
				if (take_option(o, t) != 0) {
					free(copy);
					return -1;
				}
			free(copy);
			break;
		}
		default:
			return -1;
		}
	}
	if (argc - optind != 2)
		return -1;
	o->image_arg = argv[optind];
	o->mountpoint = argv[optind + 1];
	return 0;
}

/* Split IMAGE%MBR:N% into the path and the partition number. */
static int
parse_image(struct options *o)
{
	const char *pct = strstr(o->image_arg, "%MBR:");
	size_t n = pct ? (size_t)(pct - o->image_arg) : strlen(o->image_arg);

	if (n >= sizeof(o->image)) {
		fprintf(stderr, "rump_msdos: %s: path too long\n", o->image_arg);
		return -1;
	}
	memcpy(o->image, o->image_arg, n);
	o->image[n] = '\0';
	if (pct != NULL) {
		char *end;
		long p = strtol(pct + 5, &end, 10);

		if (end[0] != '%' || end[1] != '\0' || p < 1 || p > 4) {
			fprintf(stderr, "rump_msdos: %s: expected "
			    "IMAGE%%MBR:N%% with N from 1 to 4\n", o->image_arg);
			return -1;
		}
		o->part = (int)p;
	}
	return 0;
}

/* Where the file system lies in the image: whole, or one partition. */
static int
locate(struct options *o, uint64_t *offset, uint64_t *size)
{
	struct stat st;
	char err[256];
	int fd, error = 0;

	if ((fd = open(o->image, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) != 0) {
		fprintf(stderr, "rump_msdos: %s: %s\n", o->image,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		fprintf(stderr, "rump_msdos: %s: not a file or block device\n",
		    o->image);
		close(fd);
		return -1;
	}
	*offset = 0;
	*size = RUMP_ETFS_SIZE_ENDOFF;	/* the whole file */
	if (o->part != 0)
		error = mbr_partition(fd, (uint64_t)st.st_size, o->part, offset,
		    size, err, sizeof(err));
	if (access(o->image, W_OK) != 0)
		o->rdonly = 1;		/* a read-only image mounts read-only */
	close(fd);
	if (error != 0) {
		fprintf(stderr, "rump_msdos: %s: %s\n", o->image, err);
		return -1;
	}
	return 0;
}

/* Boot the kernel and mount the image's FAT file system on KROOT. */
static int
kernel_mount(struct options *o, uint64_t offset, uint64_t size)
{
	char idopt[64];
	int error;

	if ((error = rump_init()) != 0) {
		fprintf(stderr, "rump_msdos: kernel: %s\n", strerror(error));
		return -1;
	}
	error = rump_pub_etfs_register_withsize(DEVKEY, o->image,
	    RUMP_ETFS_BLK, offset, size);
	if (error != 0) {
		fprintf(stderr, "rump_msdos: %s: %s\n", o->image,
		    strerror(error));
		return -1;
	}
	/* Files show as the mounting user's, as with a vfat mount. */
	if (!o->have_uid) {
		snprintf(idopt, sizeof(idopt), "uid=%u", (unsigned)getuid());
		append(o->kopts, sizeof(o->kopts), idopt);
	}
	if (!o->have_gid) {
		snprintf(idopt, sizeof(idopt), "gid=%u", (unsigned)getgid());
		append(o->kopts, sizeof(o->kopts), idopt);
	}
	if (rump_sys_mkdir(KROOT, 0755) != 0 ||
	    rump_sys_mount(DEVKEY, KROOT, "msdos", o->rdonly ? MS_RDONLY : 0,
	    o->kopts) != 0) {
		fprintf(stderr, "rump_msdos: %s: cannot mount: %s%s\n",
		    o->image, strerror(errno), errno == EINVAL ?
		    " (not a FAT file system, or a damaged one)" : "");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o = { 0 };
	uint64_t offset, size;
	char fsname[PATH_MAX + sizeof(o.fopts) + 64];
	char *fargv[8];
	int fargc = 0, rv;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (parse_args(argc, argv, &o) != 0) {
		usage(stderr);
		return 2;
	}
	if (parse_image(&o) != 0 || locate(&o, &offset, &size) != 0 ||
	    kernel_mount(&o, offset, size) != 0)
		return 1;

	snprintf(fsname, sizeof(fsname), "fsname=%s,subtype=msdos%s%s%s",
	    o.image, o.rdonly ? ",ro" : "", o.fopts[0] ? "," : "", o.fopts);
	fargv[fargc++] = argv[0];
	if (o.foreground)
		fargv[fargc++] = "-f";
	fargv[fargc++] = "-o";
	fargv[fargc++] = fsname;
	fargv[fargc++] = (char *)o.mountpoint;
	fargv[fargc] = NULL;
	rumpfuse_catch_signals();
	rv = fuse_main(fargc, fargv, rumpfuse_ops(KROOT), NULL);
	if (rv != 0 && rumpfuse_stop_signal() != 0)
		rv = 0;			/* SIGTERM etc.: a normal unmount */

	/* Unmounted or signalled: write everything back to the image. */
	rumpfuse_close_all();
	if (rump_sys_umount2(KROOT, 0) != 0) {
		fprintf(stderr, "rump_msdos: unmount: %s; syncing\n",
		    strerror(errno));
		rump_sys_sync();
		return 1;
	}
	return rv == 0 ? 0 : 1;
}
