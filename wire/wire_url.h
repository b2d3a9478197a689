/*
 * wire_url.h: server addresses as URLs (rump_sp(7)):
 *	unix://relative/path   unix:///absolute/path
 *	tcp://1.2.3.4:port     tcp://[::1]:port
 */
#ifndef WIRE_WIRE_URL_H
#define WIRE_WIRE_URL_H

#include <stddef.h>
#include <sys/socket.h>

struct wire_addr {
	int family;			/* AF_UNIX, AF_INET, AF_INET6 */
	struct sockaddr_storage sa;
	socklen_t salen;
	char path[108];			/* AF_UNIX: the socket's path */
};

/* Parse url; on failure return an errno value and describe it in err. */
int wire_parse_url(const char *url, struct wire_addr *addr, char *err,
    size_t errlen);

#endif
