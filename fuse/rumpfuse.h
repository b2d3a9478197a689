/*
 * rumpfuse.h: a FUSE file system whose every operation is a system call
 * into an in-process rump kernel, on the tree below a kernel directory.
 */
#ifndef FUSE_RUMPFUSE_H
#define FUSE_RUMPFUSE_H

#define FUSE_USE_VERSION 31
#include <fuse.h>

/* Operations serving the kernel directory root (e.g. "/fat"). */
const struct fuse_operations *rumpfuse_ops(const char *root);

/*
 * Catch SIGTERM, SIGINT and SIGHUP before fuse_main (libfuse then keeps
 * our handlers): each ends the FUSE loop like libfuse's own handler, and
 * rumpfuse_stop_signal() says afterwards which signal did (0: none), so a
 * signalled unmount can count as the clean one it is.
 */
void rumpfuse_catch_signals(void);
int rumpfuse_stop_signal(void);
/* After fuse_main: close every kernel file FUSE left open. */
void rumpfuse_close_all(void);

#endif
