/*
 * sp_fork.c: children prepared by PREFORK and claimed by a fork HELLO.
 * A cookie is 16 random bytes; an unclaimed child is released after
 * SP_FORK_TTL seconds so a client that dies between prefork and fork
 * leaves nothing behind.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "kern_sp.h"
#include "sp_server.h"

#define SP_FORK_TTL 60

static int64_t
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void
random_cookie(uint8_t cookie[WIRE_COOKIELEN])
{
	size_t got = 0;

	while (got < WIRE_COOKIELEN) {
		ssize_t n = getrandom(cookie + got, WIRE_COOKIELEN - got, 0);

		if (n > 0)
			got += (size_t)n;
	}
}

int
sp_fork_prepare(struct sp_server *ss, struct lwp *parent, const char *comm,
    uint8_t cookie[WIRE_COOKIELEN])
{
	struct sp_fork *sf;
	int error;

	sp_fork_expire(ss, 0);
	if ((sf = calloc(1, sizeof(*sf))) == NULL)
		return ENOMEM;
	error = kern_sp_newproc(parent, KERN_SP_FDCOPY, comm, NULL, &sf->sf_lwp);
	if (error != 0) {
		free(sf);
		return error;
	}
	random_cookie(sf->sf_cookie);
	sf->sf_expires = now_sec() + SP_FORK_TTL;
	memcpy(cookie, sf->sf_cookie, WIRE_COOKIELEN);
	pthread_mutex_lock(&ss->ss_lock);
	sf->sf_next = ss->ss_forks;
	ss->ss_forks = sf;
	pthread_mutex_unlock(&ss->ss_lock);
	return 0;
}

/* Unlink the entry with this cookie; NULL if none. */
static struct sp_fork *
fork_take(struct sp_server *ss, const uint8_t cookie[WIRE_COOKIELEN])
{
	struct sp_fork **pp, *sf = NULL;

	pthread_mutex_lock(&ss->ss_lock);
	for (pp = &ss->ss_forks; *pp != NULL; pp = &(*pp)->sf_next) {
		if (memcmp((*pp)->sf_cookie, cookie, WIRE_COOKIELEN) == 0) {
			sf = *pp;
			*pp = sf->sf_next;
			break;
		}
	}
	pthread_mutex_unlock(&ss->ss_lock);
	return sf;
}

struct lwp *
sp_fork_claim(struct sp_server *ss, const uint8_t cookie[WIRE_COOKIELEN])
{
	struct sp_fork *sf = fork_take(ss, cookie);
	struct lwp *l;

	if (sf == NULL)
		return NULL;
	l = sf->sf_lwp;
	free(sf);
	return l;
}

int
sp_fork_cancel(struct sp_server *ss, const uint8_t cookie[WIRE_COOKIELEN])
{
	struct lwp *l = sp_fork_claim(ss, cookie);

	if (l == NULL)
		return ESRCH;
	kern_sp_release(l);
	return 0;
}

void
sp_fork_expire(struct sp_server *ss, int all)
{
	struct sp_fork **pp, *sf, *dead = NULL;
	int64_t now = now_sec();

	pthread_mutex_lock(&ss->ss_lock);
	for (pp = &ss->ss_forks; *pp != NULL;) {
		sf = *pp;
		if (all || sf->sf_expires <= now) {
			*pp = sf->sf_next;
			sf->sf_next = dead;
			dead = sf;
		} else
			pp = &sf->sf_next;
	}
	pthread_mutex_unlock(&ss->ss_lock);
	while ((sf = dead) != NULL) {
		dead = sf->sf_next;
		kern_sp_release(sf->sf_lwp);
		free(sf);
	}
}
