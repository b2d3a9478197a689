/*
 * sp_server.h: the sysproxy server: serves the kernel on a socket, one
 * kernel process per connection (doc/protocol.md, rump_sp(7)).
 */
#ifndef SERVER_SP_SERVER_H
#define SERVER_SP_SERVER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"
#include "wire_url.h"

struct lwp;
struct sp_conn;

struct sp_server {
	int			ss_listenfd;
	int			ss_unlink;	/* we created the unix socket */
	struct wire_addr	ss_addr;
	int			ss_wakepipe[2];	/* shutdown requests */
	int			ss_verbose;
	pthread_mutex_t		ss_lock;	/* connections, forks */
	pthread_cond_t		ss_cv;		/* a connection ended */
	struct sp_conn		*ss_conns;	/* all live connections */
	int			ss_nconns;
	int			ss_stopping;
	struct sp_fork		*ss_forks;	/* prepared fork children */
};

/* Bind and listen on url; 0 or errno with a message in err. */
int  sp_server_open(struct sp_server *ss, const char *url, int verbose,
    char *err, size_t errlen);
/* Accept and serve until sp_server_stop(); then end every connection. */
int  sp_server_run(struct sp_server *ss);
/* Ask the server to stop (async-signal-safe). */
void sp_server_stop(struct sp_server *ss);
/* Close the listening socket and remove a unix socket's file. */
void sp_server_close(struct sp_server *ss);

/* Connections (sp_conn.c). */
int  sp_conn_start(struct sp_server *ss, int fd);
/* Tell every connection the server is stopping and close them. */
void sp_conn_shutdown_all(struct sp_server *ss);
void sp_conn_hooks_install(void);

/* Prepared fork children (sp_fork.c). */
struct sp_fork {
	struct sp_fork	*sf_next;
	uint8_t		sf_cookie[WIRE_COOKIELEN];
	struct lwp	*sf_lwp;	/* the child's first lwp */
	int64_t		sf_expires;	/* monotonic seconds */
};
int  sp_fork_prepare(struct sp_server *ss, struct lwp *parent,
    const char *comm, uint8_t cookie[WIRE_COOKIELEN]);
/* Claim a prepared child: its lwp, or NULL for an unknown cookie. */
struct lwp *sp_fork_claim(struct sp_server *ss,
    const uint8_t cookie[WIRE_COOKIELEN]);
int  sp_fork_cancel(struct sp_server *ss, const uint8_t cookie[WIRE_COOKIELEN]);
/* Release expired (or, with all set, every) prepared child. */
void sp_fork_expire(struct sp_server *ss, int all);

#endif /* SERVER_SP_SERVER_H */
