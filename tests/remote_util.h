/*
 * remote_util.h: helpers for the remote system call tests
 * (tests/remote_*_test.c): start and stop real rump_server processes on
 * real sockets, run client host processes, look at the kernel's process
 * table, and a "child mode" for programs started by rumpclient_exec().
 *
 * The server binary is found next to the test binary:
 * dirname(/proc/self/exe)/../bin/rump_server, so build/san/tests/x_test
 * uses build/san/bin/rump_server.
 */
#ifndef TESTS_REMOTE_UTIL_H
#define TESTS_REMOTE_UTIL_H

#include <stddef.h>
#include <sys/types.h>

#include <rump/rumpclient.h>

#include "testlib.h"

enum ru_transport { RU_UNIX, RU_TCP };

struct ru_server {
	pid_t	rs_pid;			/* running server (-s), or -1 */
	enum ru_transport rs_transport;
	char	rs_dir[64];		/* temporary directory (both kinds) */
	char	rs_path[128];		/* unix: the socket's path */
	int	rs_port;		/* tcp: the port on 127.0.0.1 */
	char	rs_url[192];
};

/* The rump_server binary for this build. */
const char *ru_server_bin(void);
/* This test program itself (for rumpclient_exec). */
const char *ru_self_bin(void);

/* Choose a URL (a fresh directory, a free port) without starting. */
int  ru_server_init(struct ru_server *s, enum ru_transport t);
/* Start "rump_server -s URL" and wait until it accepts connections; also
 * sets $RUMP_SERVER to its URL.  0 or -1 (with a test failure). */
int  ru_server_start(struct ru_server *s);
/* ru_server_init() + ru_server_start(). */
int  ru_server_new(struct ru_server *s, enum ru_transport t);
/* SIGTERM and wait: the server's exit status (128+sig if killed). */
int  ru_server_stop(struct ru_server *s);
/* Stop if running and remove the temporary directory. */
void ru_server_destroy(struct ru_server *s);
/* Whether something accepts connections on the server's address. */
int  ru_server_reachable(const struct ru_server *s);

/*
 * Run rump_server with argv (argv[0] is ignored) to completion, with
 * stdout and stderr captured into out (NUL-terminated).  Returns the exit
 * status (128+sig if killed).  The server may detach: only the first
 * process's status counts, and output is read until it exits.
 */
int  ru_run_server(char *const argv[], char *out, size_t outlen);

/* Host-fork a child that runs fn(arg) and exits with 0 if no check
 * failed (1 otherwise).  The child has no rumpclient connection of its
 * own unless fn makes one. */
pid_t ru_spawn(void (*fn)(void *), void *arg);
/* Wait for a host child: exit status, or 128+signal. */
int  ru_wait(pid_t pid);
/* Exit a forked child with the result of its checks. */
void ru_child_exit(void) __attribute__((noreturn));

/* Kernel process table (rump_sys_getprocs): fill pi for pid; 0 or -1. */
int  ru_proc_find(pid_t pid, struct kprocinfo *pi);
/* Number of kernel processes whose parent is ppid. */
int  ru_proc_nchildren(pid_t ppid);
/* Wait (bounded, 30 s) until kernel process pid is gone; 0 or -1. */
int  ru_proc_wait_gone(pid_t pid);
/* Wait (bounded, 10 s) until pid has at least n lwps, i.e. until the
 * server has started a worker for a call that blocked; 0 or -1. */
int  ru_proc_wait_nlwps(pid_t pid, int n);

/* Host pipe helpers: read or write exactly n bytes; 0 or -1. */
int  ru_readn(int fd, void *buf, size_t n);
int  ru_writen(int fd, const void *buf, size_t n);

/* Sleep for ms milliseconds (only to let something else run first). */
void ru_msleep(long ms);

/*
 * Child mode: a program started with the environment variable RU_CHILD
 * set to NAME runs the function declared with RU_CHILD_MAIN(NAME) instead
 * of the tests, and exits with its return value.  Used for the program a
 * test starts through rumpclient_exec().
 */
typedef int (*ru_child_fn)(int argc, char **argv);
void ru_child_register(const char *name, ru_child_fn fn);
#define RU_CHILD_MAIN(name) \
	static int ru_child_##name(int, char **); \
	__attribute__((constructor(200))) static void ru_creg_##name(void) \
	{ ru_child_register(#name, ru_child_##name); } \
	static int ru_child_##name(int argc, char **argv)

#endif /* TESTS_REMOTE_UTIL_H */
