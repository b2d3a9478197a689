/*
 * klib.c: the kernel's small string library (see klib.h).
 */
#include "kern.h"

size_t
kstrlen(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

size_t
kstrnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

int
kstrcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int
kstrncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (*a == '\0')
			break;
	}
	return 0;
}

char *
kstrchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)(uintptr_t)s;
		if (*s == '\0')
			return NULL;
	}
}

size_t
kstrlcpy(char *dst, const char *src, size_t size)
{
	size_t len = kstrlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

size_t
kstrlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = kstrnlen(dst, size);

	if (dlen == size)
		return size + kstrlen(src);
	return dlen + kstrlcpy(dst + dlen, src, size - dlen);
}

char *
kstrdup(const char *s)
{
	size_t n = kstrlen(s) + 1;
	char *p = kmem_alloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

int
kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	return hyp_vsnprintf(buf, n, fmt, ap);
}

int
ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int rv;

	va_start(ap, fmt);
	rv = hyp_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return rv;
}

/* Decimal with optional sign; rejects empty strings and trailing junk. */
int
kstrtoll(const char *s, long long *out)
{
	unsigned long long v = 0, limit;
	int neg = 0;

	if (*s == '-' || *s == '+')
		neg = (*s++ == '-');
	if (*s == '\0')
		return EINVAL;
	limit = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return EINVAL;
		if (v > (limit - (unsigned)(*s - '0')) / 10)
			return ERANGE;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*out = neg ? (long long)(0 - v) : (long long)v;
	return 0;
}

unsigned
khash(const void *p, size_t n)
{
	const unsigned char *b = p;
	unsigned h = 2166136261u;

	while (n-- > 0) {
		h ^= *b++;
		h *= 16777619u;
	}
	return h;
}
