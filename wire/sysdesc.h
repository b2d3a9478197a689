/*
 * sysdesc.h: what the wire needs to know about each system call's
 * arguments, generated from kern/syscalls.tbl (build/gen/sysdesc.c).
 */
#ifndef WIRE_SYSDESC_H
#define WIRE_SYSDESC_H

#include <stddef.h>
#include <stdint.h>

#include <rump/rump_kabi.h>

enum sysdesc_kind {
	SD_SCALAR,	/* a number, sent as 64 bits */
	SD_STR,		/* NUL-terminated string, sent */
	SD_INBUF,	/* bytes sent; length from another argument */
	SD_OUTBUF,	/* bytes returned */
	SD_INOUTBUF,
	SD_IN1,		/* one fixed-size structure sent */
	SD_OUT1,	/* one fixed-size structure returned */
	SD_INOUT1,
	SD_INARR,	/* array of fixed-size elements sent */
	SD_OUTARR,
	SD_INOUTARR,
	SD_IOVIN,	/* iovec array whose data is sent */
	SD_IOVOUT,	/* iovec array whose data is returned */
};

struct sysdesc_arg {
	uint8_t  sa_kind;	/* enum sysdesc_kind */
	/* Index of the argument that gives the length or count; -1 when
	 * fixed; -2 - i when it is the value argument i points to. */
	int8_t   sa_lenarg;
	uint32_t sa_size;	/* element or fixed size in bytes */
	uint8_t  sa_opt;	/* pointer may be NULL */
	uint8_t  sa_retlen;	/* output length is the return value */
	const char *sa_type;	/* kernel type name, for struct layouts */
};

struct sysdesc {
	const char *sd_name;	/* NULL for unused numbers */
	int sd_nargs;
	const struct sysdesc_arg *sd_args;
};

extern const int sysdesc_max;
extern const struct sysdesc sysdesc[];

#endif /* WIRE_SYSDESC_H */
