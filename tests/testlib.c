/*
 * testlib.c: runs the registered tests, each in a forked child.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

struct test {
	const char *name;
	test_fn fn;
};

static struct test tests[512];
static int ntests;
int test_failures;
unsigned test_timeout = 60;

void
test_register(const char *name, test_fn fn, const char *file)
{
	(void)file;
	if (ntests == (int)(sizeof(tests) / sizeof(tests[0]))) {
		fprintf(stderr, "too many tests\n");
		exit(2);
	}
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	ntests++;
}

/* Run one test in a child; 1 if it passed. */
static int
run_one(const struct test *t)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 0;
	}
	if (pid == 0) {
		alarm(test_timeout);
		t->fn();
		fflush(NULL);
		_exit(test_failures ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 1;
	if (WIFSIGNALED(status))
		fprintf(stderr, "  killed by signal %d%s\n", WTERMSIG(status),
		    WTERMSIG(status) == SIGALRM ? " (time limit)" : "");
	return 0;
}

int
main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < ntests; i++) {
		if (argc > 1) {
			int want = 0;

			for (int j = 1; j < argc; j++)
				if (strcmp(argv[j], tests[i].name) == 0)
					want = 1;
			if (!want)
				continue;
		}
		if (run_one(&tests[i])) {
			printf("ok %s\n", tests[i].name);
			passed++;
		} else {
			printf("FAIL %s\n", tests[i].name);
			failed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
