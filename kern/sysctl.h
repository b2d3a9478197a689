/*
 * sysctl.h: the sysctl tree, named kernel variables.
 *
 * The tree holds typed nodes addressed by dotted names ("kern.hostname").
 * NODE entries have children; the leaves are INT (int32), QUAD (int64),
 * STRING (NUL-terminated, bounded) and STRUCT (raw bytes of fixed size).
 * A leaf's value is stored in the node, lives in a kernel variable the
 * node points to, or is computed by handler functions.
 *
 * Other kernel code adds nodes by name; intermediate NODEs are created on
 * demand.  The system calls sysctlbyname/sysctlnext/sysctlinfo
 * (kern/sys_sysctl.c) and uname (kern/sys_misc.c) read and write it.
 * Semantics and the list of nodes: doc/sysctl.md.
 *
 * Locking: one rwlock (sysctl_lock in sysctl.c) protects the shape of the
 * tree and every stored value.  Readers hold it shared, writers and tree
 * changes exclusive.  Handlers run with it held (shared for reads,
 * exclusive during a write), so they must not call any sysctl_* function
 * and must protect their own data against other users.  INT and
 * QUAD variables a node points to are read and written atomically, so their
 * owners may use them with atomic_load/atomic_store without the lock.
 */
#ifndef KERN_SYSCTL_H
#define KERN_SYSCTL_H

#include "kern.h"

struct cred;

/* Node types and flags: the public ABI's values. */
#define SYSCTL_TYPE_NODE	KSYSCTL_TYPE_NODE
#define SYSCTL_TYPE_INT		KSYSCTL_TYPE_INT
#define SYSCTL_TYPE_QUAD	KSYSCTL_TYPE_QUAD
#define SYSCTL_TYPE_STRING	KSYSCTL_TYPE_STRING
#define SYSCTL_TYPE_STRUCT	KSYSCTL_TYPE_STRUCT

#define SYSCTL_READONLY		0
#define SYSCTL_READWRITE	KSYSCTL_FLAG_WRITABLE

#define SYSCTL_NAMEMAX		KSYSCTL_NAMEMAX	/* dotted name, with NUL */
#define SYSCTL_DESCRMAX		96		/* description, with NUL */
#define SYSCTL_VALMAX		65536		/* largest STRING/STRUCT */

/*
 * Handlers of computed nodes.  readfn fills buf (size bytes, the size given
 * to sysctl_add_func) and sets *lenp to the value's length; for STRING
 * nodes the value is NUL-terminated within size.  writefn gets a value the
 * core has already checked against the node's type (INT: 4 bytes, QUAD: 8,
 * STRUCT: exactly size, STRING: NUL-terminated, shorter than size) and
 * applies it or returns an errno.  Both run with the tree lock held.
 */
typedef int (*sysctl_readfn_t)(void *arg, void *buf, size_t size,
    size_t *lenp);
typedef int (*sysctl_writefn_t)(void *arg, const void *newp, size_t newlen);

/* Boot: create the tree and the standard nodes (kern.*, hw.*, vfs.*). */
int sysctl_init(void);

/*
 * Adding nodes.  All return 0, EEXIST (name taken), ENOTDIR (a prefix is
 * a leaf), EINVAL (malformed name, bad size) or ENOMEM.  flags is
 * SYSCTL_READONLY or SYSCTL_READWRITE.  descr may be NULL.
 * A NULL var means the value is stored in the node, initially zero (or
 * ""); set it with sysctl_kwrite().  A non-NULL var must outlive the node.
 */
int sysctl_add_node(const char *name, const char *descr);
int sysctl_add_int(const char *name, int32_t *var, int flags,
    const char *descr);
int sysctl_add_quad(const char *name, int64_t *var, int flags,
    const char *descr);
/* size: the buffer size of var (or of the stored value), NUL included. */
int sysctl_add_string(const char *name, char *var, size_t size, int flags,
    const char *descr);
int sysctl_add_struct(const char *name, void *var, size_t size, int flags,
    const char *descr);
/* A computed leaf of the given type; writable iff writefn != NULL. */
int sysctl_add_func(const char *name, int type, size_t size,
    sysctl_readfn_t readfn, sysctl_writefn_t writefn, void *arg,
    const char *descr);
/* Limit the values writes may set on an INT or QUAD node (inclusive). */
int sysctl_set_range(const char *name, int64_t min, int64_t max);
/* Remove a leaf or an empty NODE; 0, ENOENT or ENOTEMPTY. */
int sysctl_remove(const char *name);

/*
 * Kernel-side access, without permission checks.  sysctl_kread copies at
 * most *lenp bytes of the value into buf and sets *lenp to the full size
 * (ENOMEM when it did not fit).  sysctl_kwrite also writes read-only nodes
 * (that is how the kernel sets their values); checks as for system calls.
 */
int sysctl_kread(const char *name, void *buf, size_t *lenp);
int sysctl_kwrite(const char *name, const void *newp, size_t newlen);

/*
 * The system-call operations (kern/sys_sysctl.c adds argument checks).
 * sysctl_lookup reads the value into oldp/oldlenp and, when newp is not
 * NULL, writes it as cr may (BSD semantics, see doc/sysctl.md).
 */
int sysctl_lookup(const char *name, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen, const struct cred *cr);
/* Full dotted name of the first leaf after name in depth-first order. */
int sysctl_next(const char *name, char *next, size_t len);
int sysctl_info(const char *name, struct ksysctl_info *info);

/* The system-wide limit on open files (kern.maxfiles), advisory. */
extern int32_t kern_maxfiles;

#endif /* KERN_SYSCTL_H */
