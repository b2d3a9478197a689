/*
 * cat.c: rump.cat, copy kernel files to the host's standard output.
 *
 *	rump.cat [FILE...]     "-" (or no FILE) is the host's standard input
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "rumpctrl.h"

#define CAT_BUF	65536

/*
 * Copy one source to host stdout.  hostfd >= 0: a host descriptor,
 * otherwise the kernel descriptor kfd.  Sets *outerr on a write error.
 */
static int
cat_copy(const char *name, int hostfd, int kfd, char *buf, int *outerr)
{
	ssize_t n;
	int error;

	for (;;) {
		n = hostfd >= 0 ? read(hostfd, buf, CAT_BUF) :
		    rump_sys_read(kfd, buf, CAT_BUF);
		if (n == 0)
			return CTL_OK;
		if (n < 0) {
			if (hostfd >= 0 && errno == EINTR)
				continue;
			ctl_warn("%s", name);
			return CTL_ERR;
		}
		if ((error = ctl_host_write(STDOUT_FILENO, buf, (size_t)n))
		    != 0) {
			ctl_warnc(error, "write error");
			*outerr = 1;
			return CTL_ERR;
		}
	}
}

/* rump.cat: parse, connect, copy each operand in turn. */
int
ctl_cat_main(int argc, char **argv)
{
	static char *stdin_only[] = { "-", NULL };
	char *buf;
	int ch, i, fd, rv = CTL_OK, outerr = 0;

	while ((ch = ctl_getopt(argc, argv, "u")) != -1) {
		if (ch != 'u')		/* -u: we never buffer anyway */
			return ctl_usage();
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		argc = 1;
		argv = stdin_only;
	}
	ctl_connect();
	buf = ctl_malloc(CAT_BUF);
	for (i = 0; i < argc && !outerr; i++) {
		if (strcmp(argv[i], "-") == 0) {
			rv |= cat_copy("stdin", STDIN_FILENO, -1, buf, &outerr);
			continue;
		}
		if ((fd = rump_sys_open(argv[i], O_RDONLY)) < 0) {
			ctl_warn("%s", argv[i]);
			rv = CTL_ERR;
			continue;
		}
		rv |= cat_copy(argv[i], -1, fd, buf, &outerr);
		rump_sys_close(fd);
	}
	free(buf);
	return rv;
}
