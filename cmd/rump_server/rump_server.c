/*
 * rump_server: boot a rump kernel and serve it on a URL (rump_sp(7)).
 *
 *	rump_server [-s] [-v] [-c ncpu] [-r memlimit] [-d blkspec]... URL
 *
 * -d key=PATH,hostpath=FILE,size=BYTES|host[,offset=BYTES][,type=blk|reg]
 * registers a host file as a block device at PATH in the kernel (NetBSD's
 * etfs; kern/dev/blkdev.h), after boot and before serving.
 * Without -s the server detaches; the parent exits only once the server
 * listens (status 0) or has failed (status 1, with the reason).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "hyp.h"
#include "kern_init.h"
#include "sp_server.h"

static struct sp_server server;
/* The -d arguments, for the whole run; freed at exit. */
static struct blkspec *blkspecs;
static int nblkspecs;

/* One -d argument, parsed. */
struct blkspec {
	const char	*bs_arg;	/* as given, for messages */
	char		*bs_copy;	/* the fields point into it */
	char		*bs_key;
	char		*bs_hostpath;
	uint64_t	bs_size;	/* KERN_ETFS_SIZE_ENDOFF: size=host */
	uint64_t	bs_offset;
	int		bs_type;	/* KERN_ETFS_* */
	unsigned	bs_seen;	/* fields given (blkspec_names) */
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: rump_server [-s] [-v] [-c ncpu] [-r memlimit] "
	    "[-d blkspec]... URL\n"
	    "Boot a rump kernel and serve it to rumpclient programs on URL:\n"
	    "  unix://relative/path, unix:///absolute/path,\n"
	    "  tcp://1.2.3.4:port, tcp://[::1]:port\n"
	    "  -s           stay in the foreground\n"
	    "  -v           report connections on stderr\n"
	    "  -c ncpu      number of CPUs the kernel reports\n"
	    "  -r memlimit  limit kernel memory (bytes, or with k/m/g)\n"
	    "  -d key=PATH,hostpath=FILE,size=BYTES|host"
	    "[,offset=BYTES][,type=blk|reg]\n"
	    "               make host file FILE (or size bytes of it from\n"
	    "               offset) the block device PATH in the kernel;\n"
	    "               size=host: up to the file's end; sizes in bytes\n"
	    "               or with k/m/g/t; repeatable\n"
	    "  --help       this text\n");
}

/* "64m" -> bytes; 0 on a malformed value. */
static uint64_t
parse_size(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return 0;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	return *end == '\0' ? v : 0;
}

/*
 * A -d byte count: decimal digits with an optional k/m/g/t suffix (powers
 * of 1024).  0, or -1 when malformed or too large.
 */
static int
parse_bytes(const char *s, uint64_t *out)
{
	static const char suffixes[] = "kmgt";
	unsigned long long v;
	const char *sfx;
	char *end;
	int shift;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end != '\0') {
		if (end[1] != '\0' ||
		    (sfx = strchr(suffixes, end[0] | 0x20)) == NULL)
			return -1;
		shift = 10 * (int)(sfx - suffixes + 1);
		if (v > (UINT64_MAX >> shift))
			return -1;
		v <<= shift;
	}
	*out = v;
	return 0;
}

/* The fields of a -d argument, in the order of bs_seen's bits. */
static const char *const blkspec_names[] = {
	"key", "hostpath", "size", "offset", "type"
};

/* One name=value field of a -d argument into bs; NULL or the problem. */
static const char *
blkspec_field(struct blkspec *bs, const char *name, char *val)
{
	int i;

	for (i = 0; i < 5 && strcmp(name, blkspec_names[i]) != 0; i++)
		;
	if (i == 5)
		return "unknown field";
	if (bs->bs_seen & (1 << i))
		return "field given twice";
	bs->bs_seen |= 1 << i;
	if (*val == '\0')
		return "empty value";
	switch (i) {
	case 0:
		bs->bs_key = val;
		return val[0] == '/' ? NULL : "key must be an absolute path";
	case 1:
		bs->bs_hostpath = val;
		return NULL;
	case 2:
		if (strcmp(val, "host") == 0) {
			bs->bs_size = KERN_ETFS_SIZE_ENDOFF;
			return NULL;
		}
		return parse_bytes(val, &bs->bs_size) != 0 ||
		    bs->bs_size == 0 ? "size must be a positive byte count "
		    "or \"host\"" : NULL;
	case 3:
		return parse_bytes(val, &bs->bs_offset) != 0 ?
		    "offset must be a byte count" : NULL;
	default:
		bs->bs_type = strcmp(val, "blk") == 0 ? KERN_ETFS_BLK :
		    strcmp(val, "reg") == 0 ? KERN_ETFS_REG : -1;
		return bs->bs_type < 0 ? "type must be blk or reg" : NULL;
	}
}

/*
 * Parse a -d argument strictly (we don't trust it): every field known and
 * well-formed, key, hostpath and size present.  0, or -1 after printing
 * the problem.
 */
static int
blkspec_parse(const char *arg, struct blkspec *bs)
{
	char *copy = strdup(arg), *field, *save = NULL, *eq;
	const char *problem = NULL;

	memset(bs, 0, sizeof(*bs));
	bs->bs_arg = arg;
	bs->bs_copy = copy;
	bs->bs_type = KERN_ETFS_BLK;
	if (copy == NULL) {
		perror("rump_server");
		return -1;
	}
	for (field = strtok_r(copy, ",", &save); field != NULL &&
	    problem == NULL; field = strtok_r(NULL, ",", &save)) {
		if ((eq = strchr(field, '=')) == NULL) {
			fprintf(stderr, "rump_server: -d %s: \"%s\": expected "
			    "name=value\n", arg, field);
			return -1;
		}
		*eq = '\0';
		if ((problem = blkspec_field(bs, field, eq + 1)) != NULL) {
			fprintf(stderr, "rump_server: -d %s: %s: %s\n", arg,
			    field, problem);
			return -1;
		}
	}
	problem = bs->bs_key == NULL ? "missing key=" :
	    bs->bs_hostpath == NULL ? "missing hostpath=" :
	    !(bs->bs_seen & 4) ? "missing size=" : NULL;
	if (problem != NULL) {
		fprintf(stderr, "rump_server: -d %s: %s\n", arg, problem);
		return -1;
	}
	return 0;
}

/* Register the -d devices in the booted kernel; "" or the problem. */
static void
blkspec_register(const struct blkspec *bs, int n, char *err, size_t len)
{
	const char *what;
	int error;

	err[0] = '\0';
	for (int i = 0; i < n; i++) {
		error = kern_etfs_register(bs[i].bs_key, bs[i].bs_hostpath,
		    bs[i].bs_type, bs[i].bs_offset, bs[i].bs_size);
		if (error == 0)
			continue;
		/* Name what the error is about: the key or the host file. */
		what = error == EEXIST || error == ENOTDIR ||
		    error == ENAMETOOLONG ? bs[i].bs_key : bs[i].bs_hostpath;
		snprintf(err, len, "-d: %s: %s%s", what, strerror(error),
		    error == EINVAL ? " (offset and size must lie within the "
		    "file unless it is writable)" : error == EOPNOTSUPP ?
		    " (type=reg)" : "");
		return;
	}
}

/* atexit: free the -d arguments. */
static void
blkspecs_free(void)
{
	for (int i = 0; i < nblkspecs; i++)
		free(blkspecs[i].bs_copy);
	free(blkspecs);
	blkspecs = NULL;
}

static void
on_signal(int sig)
{
	(void)sig;
	sp_server_stop(&server);
}

/* Tell the waiting parent how it went: "" for success, else the reason. */
static void
report(int fd, const char *msg)
{
	ssize_t n;

	if (fd < 0) {
		if (*msg != '\0')
			fprintf(stderr, "rump_server: %s\n", msg);
		return;
	}
	n = write(fd, msg, strlen(msg) + 1);
	(void)n;
	close(fd);
}

/* Parent side of detaching: wait for the child's report. */
static int
wait_for_child(int fd)
{
	char msg[512];
	ssize_t n = read(fd, msg, sizeof(msg) - 1);

	if (n <= 0) {
		fprintf(stderr, "rump_server: the server exited during "
		    "startup\n");
		return 1;
	}
	msg[n] = '\0';
	if (msg[0] != '\0') {
		fprintf(stderr, "rump_server: %s\n", msg);
		return 1;
	}
	return 0;
}

/* Boot, register devices, listen, report readiness, serve until stopped. */
static int
serve(const char *url, int verbose, int reportfd,
    const struct blkspec *bs, int nbs)
{
	char err[512];
	int error;

	if ((error = kern_boot()) != 0) {
		snprintf(err, sizeof(err), "kernel boot failed: %s",
		    strerror(error));
		report(reportfd, err);
		return 1;
	}
	blkspec_register(bs, nbs, err, sizeof(err));
	if (err[0] != '\0') {
		report(reportfd, err);
		kern_shutdown();
		return 1;
	}
	if (sp_server_open(&server, url, verbose, err, sizeof(err)) != 0) {
		report(reportfd, err);
		sp_server_close(&server);
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	report(reportfd, "");
	if (reportfd >= 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			if (!verbose)
				dup2(null, 2);
			close(null);
		}
	}
	sp_server_run(&server);
	kern_shutdown();
	sp_server_close(&server);
	return 0;
}

int
main(int argc, char **argv)
{
	int foreground = 0, verbose = 0, ncpu = 0, ch, pfd[2];
	uint64_t memlimit = 0;
	struct rlimit rl;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if ((blkspecs = calloc((size_t)argc, sizeof(*blkspecs))) == NULL) {
		perror("rump_server");
		return 1;
	}
	atexit(blkspecs_free);
	while ((ch = getopt(argc, argv, "svc:r:d:")) != -1) {
		switch (ch) {
		case 's': foreground = 1; break;
		case 'v': verbose = 1; break;
		case 'd':
			if (blkspec_parse(optarg,
			    &blkspecs[nblkspecs++]) != 0) {
				usage(stderr);
				return 2;
			}
			break;
		case 'c':
			ncpu = atoi(optarg);
			if (ncpu < 1 || ncpu > 4096) {
				fprintf(stderr, "rump_server: -c %s: ncpu "
				    "must be 1..4096\n", optarg);
				return 2;
			}
			break;
		case 'r':
			if ((memlimit = parse_size(optarg)) < (1u << 20)) {
				fprintf(stderr, "rump_server: -r %s: need a "
				    "size of at least 1m\n", optarg);
				return 2;
			}
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	hyp_configure(ncpu, memlimit);
	signal(SIGPIPE, SIG_IGN);
	/* Every connection holds a descriptor: allow as many as we may. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (foreground)
		return serve(argv[optind], verbose, -1, blkspecs, nblkspecs);
	if (pipe(pfd) != 0) {
		perror("rump_server: pipe");
		return 1;
	}
	if ((pid = fork()) < 0) {
		perror("rump_server: fork");
		return 1;
	}
	if (pid > 0) {
		close(pfd[1]);
		return wait_for_child(pfd[0]);
	}
	close(pfd[0]);
	setsid();
	return serve(argv[optind], verbose, pfd[1], blkspecs,
	    nblkspecs);
}
