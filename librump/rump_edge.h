/*
 * rump_edge.h: where the generated rump_sys_* functions go.
 *
 * build/gen/rump_sys_edge.c packs each call's arguments into six 64-bit
 * slots and calls rump_edge_syscall().  librump implements it with a local
 * call into the kernel; librumpclient with a remote call over the wire.
 */
#ifndef LIBRUMP_RUMP_EDGE_H
#define LIBRUMP_RUMP_EDGE_H

#include <stdint.h>

/* Run system call nr; returns 0 or an errno value, the result in *rv. */
int rump_edge_syscall(int nr, const int64_t *args, int64_t *rv);

#endif
