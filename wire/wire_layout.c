/*
 * wire_layout.c: the field widths of each kernel ABI structure that
 * travels, so that a big-endian host can put them in wire (little-endian)
 * byte order.  On a little-endian host the bytes already are in wire order
 * and wire_struct_swap() does nothing.
 */
#include <string.h>

#include "wire.h"

/*
 * Each layout is a string of field widths in bytes ('1', '2', '4', '8');
 * a digit followed by 'xN' repeats it N times (e.g. "1x65" for a char
 * array); spaces separate for legibility.  Types not listed are byte
 * arrays.
 */
static const struct {
	const char *type;
	const char *widths;
} wire_layouts[] = {
	{ "struct kstat", "88844448888888888888" },
	{ "struct kstatfs", "8888888448888888" },
	{ "struct kstatx", "44844422888884484484484444448x14" },
	{ "struct kpollfd", "422" },
	{ "struct ktimespec", "88" },
	{ "struct krlimit", "88" },
	{ "struct ksysctl_info", "448 1x96" },
	{ "struct kprocinfo", "44444444 1x32" },
	{ "struct kmntinfo", "1x1296 8" },
	{ "ksigset_t", "8" },
	{ "size_t", "8" },
	{ "int", "4" },
	{ "gid_t", "4" },
};

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
static void
swap_bytes(unsigned char *p, int n)
{
	for (int i = 0; i < n / 2; i++) {
		unsigned char t = p[i];

		p[i] = p[n - 1 - i];
		p[n - 1 - i] = t;
	}
}

/* Swap one structure in place following its width string. */
static size_t
swap_one(const char *w, unsigned char *p, size_t size)
{
	size_t off = 0;

	while (*w != '\0' && off < size) {
		int width;
		long rep = 1;

		if (*w == ' ') {
			w++;
			continue;
		}
		width = *w++ - '0';
		if (*w == 'x')
			rep = strtol(w + 1, (char **)&w, 10);
		for (long i = 0; i < rep && off + (size_t)width <= size; i++) {
			swap_bytes(p + off, width);
			off += (size_t)width;
		}
	}
	return size;
}
#endif

/* Convert count structures of the named type between host and wire order. */
void
wire_struct_swap(const char *type, void *p, size_t size, size_t count)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	for (size_t i = 0; i < sizeof(wire_layouts) / sizeof(wire_layouts[0]);
	    i++) {
		if (strcmp(wire_layouts[i].type, type) == 0) {
			for (size_t j = 0; j < count; j++)
				swap_one(wire_layouts[i].widths,
				    (unsigned char *)p + j * size, size);
			return;
		}
	}
#else
	(void)wire_layouts;
	(void)type;
	(void)p;
	(void)size;
	(void)count;
#endif
}
