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

#endif
