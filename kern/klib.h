/*
 * klib.h: the string and memory routines the kernel uses.
 *
 * memcpy, memmove, memset and memcmp are the four functions a C compiler
 * requires even of a freestanding environment, so we declare them here
 * rather than include a host header.  The rest are the kernel's own
 * (kern/lib/klib.c).
 */
#ifndef KERN_KLIB_H
#define KERN_KLIB_H

#include <stdarg.h>
#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int   memcmp(const void *a, const void *b, size_t n);
/* kern/ is built -ffreestanding; ask for the compiler's inline versions. */
#define memcpy(d, s, n)  __builtin_memcpy((d), (s), (n))
#define memmove(d, s, n) __builtin_memmove((d), (s), (n))
#define memset(d, c, n)  __builtin_memset((d), (c), (n))
#define memcmp(a, b, n)  __builtin_memcmp((a), (b), (n))

size_t kstrlen(const char *s);
size_t kstrnlen(const char *s, size_t max);
int    kstrcmp(const char *a, const char *b);
int    kstrncmp(const char *a, const char *b, size_t n);
char  *kstrchr(const char *s, int c);
/* Copy with truncation; returns strlen(src) like BSD strlcpy. */
size_t kstrlcpy(char *dst, const char *src, size_t size);
size_t kstrlcat(char *dst, const char *src, size_t size);
char  *kstrdup(const char *s);			/* kmem_alloc'd; NULL on ENOMEM */
int    ksnprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int    kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
/* Parse a decimal integer (optional sign); 0 or EINVAL/ERANGE. */
int    kstrtoll(const char *s, long long *out);
/* FNV-1a hash of n bytes, for hash tables. */
unsigned khash(const void *p, size_t n);

#endif /* KERN_KLIB_H */
