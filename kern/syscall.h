/*
 * syscall.h: the kernel's system call entry.
 *
 * ksyscall() is the one door into the kernel for every front end: the
 * local rump_sys_* functions and the remote server both marshal arguments
 * into an array of register_t and call it.  Pointer arguments are addresses
 * in the kernel's own address space (the server has already received the
 * client's buffers).
 */
#ifndef KERN_SYSCALL_H
#define KERN_SYSCALL_H

#include "kern.h"

struct lwp;

struct sysent {
	const char *sy_name;		/* NULL for unused numbers */
	int sy_nargs;
	int (*sy_call)(struct lwp *l, const register_t *args, register_t *rv);
};

extern const int sysent_max;
extern const struct sysent sysent[];

/* Run system call nr for the calling thread's lwp; 0 or errno. */
int ksyscall(int nr, const register_t *args, register_t *rv);

#endif /* KERN_SYSCALL_H */
