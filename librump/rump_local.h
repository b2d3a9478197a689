/*
 * rump_local.h: the local edge's entry into the kernel.
 */
#ifndef LIBRUMP_RUMP_LOCAL_H
#define LIBRUMP_RUMP_LOCAL_H

#include <stdint.h>

/* Boot if needed, then run system call nr; returns 0 or an errno value. */
int rump_local_syscall(int nr, const int64_t *args, int64_t *rv);

#endif
