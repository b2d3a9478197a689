/*
 * wire_url.c: parsing server URLs (wire_url.h).  The URL comes from the
 * user ($RUMP_SERVER or the command line), so every part is checked and a
 * failure says what is wrong with it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "wire_url.h"

static int
url_error(char *err, size_t errlen, int error, const char *url,
    const char *why)
{
	snprintf(err, errlen, "bad server URL \"%s\": %s", url, why);
	return error;
}

static int
parse_unix(const char *url, const char *path, struct wire_addr *a, char *err,
    size_t errlen)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&a->sa;
	size_t n = strlen(path);

	if (n == 0)
		return url_error(err, errlen, EINVAL, url, "no socket path");
	if (n >= sizeof(sun->sun_path) || n >= sizeof(a->path))
		return url_error(err, errlen, ENAMETOOLONG, url,
		    "socket path longer than 107 bytes");
	a->family = AF_UNIX;
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, n + 1);
	memcpy(a->path, path, n + 1);
	a->salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	return 0;
}

/* The port after the host: 1..65535, digits only, optional trailing '/'. */
static int
parse_port(const char *s, unsigned *port)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return EINVAL;
	v = strtoul(s, &end, 10);
	if (*end == '/')
		end++;
	if (*end != '\0' || v == 0 || v > 65535)
		return EINVAL;
	*port = (unsigned)v;
	return 0;
}

static int
parse_tcp(const char *url, const char *hp, struct wire_addr *a, char *err,
    size_t errlen)
{
	char host[64];
	const char *colon;
	unsigned port;
	size_t hlen;

	if (hp[0] == '[') {
		const char *close = strchr(hp, ']');

		if (close == NULL || close[1] != ':')
			return url_error(err, errlen, EINVAL, url,
			    "expected tcp://[ipv6]:port");
		hlen = (size_t)(close - hp - 1);
		hp++;
		colon = close + 1;
	} else {
		colon = strrchr(hp, ':');
		if (colon == NULL)
			return url_error(err, errlen, EINVAL, url,
			    "expected tcp://address:port");
		hlen = (size_t)(colon - hp);
	}
	if (hlen == 0 || hlen >= sizeof(host))
		return url_error(err, errlen, EINVAL, url, "bad address");
	memcpy(host, hp, hlen);
	host[hlen] = '\0';
	if (parse_port(colon + 1, &port) != 0)
		return url_error(err, errlen, EINVAL, url,
		    "port must be a number from 1 to 65535");
	memset(&a->sa, 0, sizeof(a->sa));
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)&a->sa)->sin_addr)
	    == 1) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&a->sa;

		a->family = AF_INET;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		a->salen = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, host,
	    &((struct sockaddr_in6 *)&a->sa)->sin6_addr) == 1) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&a->sa;

		a->family = AF_INET6;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		a->salen = sizeof(*sin6);
		return 0;
	}
	return url_error(err, errlen, EINVAL, url,
	    "address must be a numeric IPv4 or [IPv6] address");
}

int
wire_parse_url(const char *url, struct wire_addr *addr, char *err,
    size_t errlen)
{
	memset(addr, 0, sizeof(*addr));
	if (url == NULL || *url == '\0')
		return url_error(err, errlen, EINVAL, "", "empty");
	if (strncmp(url, "unix://", 7) == 0)
		return parse_unix(url, url + 7, addr, err, errlen);
	if (strncmp(url, "tcp://", 6) == 0)
		return parse_tcp(url, url + 6, addr, err, errlen);
	return url_error(err, errlen, EPROTONOSUPPORT, url,
	    "scheme must be unix:// or tcp://");
}
