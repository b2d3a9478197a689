/*
 * rump_server: boot a rump kernel and serve it on a URL (rump_sp(7)).
 *
 *	rump_server [-s] [-v] [-c ncpu] [-r memlimit] URL
 *
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

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: rump_server [-s] [-v] [-c ncpu] [-r memlimit] URL\n"
	    "Boot a rump kernel and serve it to rumpclient programs on URL:\n"
	    "  unix://relative/path, unix:///absolute/path,\n"
	    "  tcp://1.2.3.4:port, tcp://[::1]:port\n"
	    "  -s           stay in the foreground\n"
	    "  -v           report connections on stderr\n"
	    "  -c ncpu      number of CPUs the kernel reports\n"
	    "  -r memlimit  limit kernel memory (bytes, or with k/m/g)\n"
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

/* Boot, listen, report readiness, serve until stopped. */
static int
serve(const char *url, int verbose, int reportfd)
{
	char err[512];
	int error;

	if ((error = kern_boot()) != 0) {
		snprintf(err, sizeof(err), "kernel boot failed: %s",
		    strerror(error));
		report(reportfd, err);
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
	while ((ch = getopt(argc, argv, "svc:r:")) != -1) {
		switch (ch) {
		case 's': foreground = 1; break;
		case 'v': verbose = 1; break;
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
		return serve(argv[optind], verbose, -1);
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
	return serve(argv[optind], verbose, pfd[1]);
}
