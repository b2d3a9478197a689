/*
 * syscall.c: the kernel's system call entry (see syscall.h).
 */
#include "kern.h"
#include "proc.h"
#include "syscall.h"

int
ksyscall(int nr, const register_t *args, register_t *rv)
{
	struct lwp *l = hyp_curlwp();
	int error;

	if (l == NULL && (error = lwp_implicit(&l)) != 0)
		return error;
	/* The number comes from the caller: check it against the table. */
	if (nr < 0 || nr >= sysent_max || sysent[nr].sy_call == NULL)
		return ENOSYS;
	*rv = 0;
	error = sysent[nr].sy_call(l, args, rv);
	if (error == EINTR)
		proc_sigconsume(l->l_proc);
	return error;
}
