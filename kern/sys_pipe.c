/*
 * sys_pipe.c: the pipe(2) and pipe2(2) system calls.
 */
#include "kern.h"
#include "file.h"
#include "pipe.h"
#include "proc.h"
#include "sysproto.h"

/* Flags pipe2 accepts.  (Linux's O_DIRECT packet mode is not supported.) */
#define PIPE2_FLAGS (O_CLOEXEC | O_NONBLOCK)

/*
 * pipe2(2): make a pipe and put its read end in fds[0], its write end in
 * fds[1].  Either both descriptors are installed or neither is.
 */
int
sys_pipe2(struct lwp *l, int *fds, int flags, register_t *retval)
{
	struct proc *p = l->l_proc;
	struct file *rfp, *wfp;
	struct cred *cr;
	int error, cloexec, rfd, wfd;

	/* We don't trust user input: flags first (as Linux), then fds. */
	if (flags & ~PIPE2_FLAGS)
		return EINVAL;
	if (fds == NULL)
		return EFAULT;
	cloexec = (flags & O_CLOEXEC) != 0;
	cr = proc_cred(p);
	error = pipe_create(flags, cr, &rfp, &wfp);
	cred_release(cr);
	if (error != 0)
		return error;
	error = fd_install(p, rfp, 0, cloexec, &rfd);
	if (error != 0)
		goto out;
	error = fd_install(p, wfp, 0, cloexec, &wfd);
	if (error != 0) {
		/* EMFILE: take the first back.  Linux reserves both slots
		 * first; fd_install cannot, so a thread sharing the table
		 * that reuses rfd in between would lose that descriptor. */
		fd_close(p, rfd);
		goto out;
	}
	fds[0] = rfd;
	fds[1] = wfd;
	*retval = 0;
out:
	/* The descriptors hold their own references now. */
	file_release(rfp);
	file_release(wfp);
	return error;
}

/* pipe(2): pipe2 without flags. */
int
sys_pipe(struct lwp *l, int *fds, register_t *retval)
{
	return sys_pipe2(l, fds, 0, retval);
}
