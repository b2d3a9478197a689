/*
 * hyp_thread.c: host threads and the per-thread kernel context pointer.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "hyp.h"

struct hyp_thread {
	pthread_t ht_pthread;
	void (*ht_fn)(void *);
	void *ht_arg;
	int ht_detached;
	char ht_name[16];
};

static __thread void *hyp_tls_lwp;
static void (*hyp_exit_hook)(void *);
static pthread_key_t hyp_lwp_key;
static pthread_once_t hyp_key_once = PTHREAD_ONCE_INIT;

/* Runs at host thread exit for threads that still carry an lwp. */
static void
hyp_lwp_key_destructor(void *lwp)
{
	if (lwp != NULL && hyp_exit_hook != NULL)
		hyp_exit_hook(lwp);
}

static void
hyp_key_create(void)
{
	if (pthread_key_create(&hyp_lwp_key, hyp_lwp_key_destructor) != 0)
		hyp_panic("pthread_key_create");
}

void *
hyp_curlwp(void)
{
	return hyp_tls_lwp;
}

void
hyp_set_curlwp(void *lwp)
{
	pthread_once(&hyp_key_once, hyp_key_create);
	hyp_tls_lwp = lwp;
	pthread_setspecific(hyp_lwp_key, lwp);
}

void
hyp_set_thread_exit_hook(void (*hook)(void *))
{
	pthread_once(&hyp_key_once, hyp_key_create);
	hyp_exit_hook = hook;
}

static void *
hyp_thread_start(void *arg)
{
	struct hyp_thread *t = arg;
	void (*fn)(void *) = t->ht_fn;
	void *fnarg = t->ht_arg;

	if (t->ht_name[0] != '\0')
		pthread_setname_np(pthread_self(), t->ht_name);
	if (t->ht_detached)
		free(t);
	fn(fnarg);
	return NULL;
}

/* Start fn(arg) on a new thread; joinable when tp is not NULL. */
int
hyp_thread_create(void (*fn)(void *), void *arg, const char *name,
    struct hyp_thread **tp)
{
	struct hyp_thread *t;
	pthread_attr_t attr;
	int rv;

	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return ENOMEM;
	t->ht_fn = fn;
	t->ht_arg = arg;
	t->ht_detached = (tp == NULL);
	if (name != NULL)
		strncpy(t->ht_name, name, sizeof(t->ht_name) - 1);
	pthread_attr_init(&attr);
	if (t->ht_detached)
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (tp != NULL)
		*tp = t;
	rv = pthread_create(&t->ht_pthread, &attr, hyp_thread_start, t);
	pthread_attr_destroy(&attr);
	if (rv != 0) {
		free(t);
		if (tp != NULL)
			*tp = NULL;
		return rv;
	}
	return 0;
}

int
hyp_thread_join(struct hyp_thread *t)
{
	int rv;

	rv = pthread_join(t->ht_pthread, NULL);
	free(t);
	return rv;
}

void
hyp_thread_yield(void)
{
	sched_yield();
}
