/*
 * blkdev_node.c: making and removing a device's key node in the file
 * system.
 *
 * Registration may be asked for by any thread: the server's main thread
 * (no process at all), or a program switched to a process that is not
 * root, has a umask or is chrooted.  The node must nevertheless be
 * root's, mode 0600, at the key's place seen from the real root.  So the
 * work runs in a short-lived private kernel process (a child of init with
 * root credentials, the real root as root and cwd, umask 0) through the
 * ordinary system call bodies, which keeps every VFS rule and lock in
 * one place.
 */
#include "kern.h"
#include "proc.h"
#include "sysproto.h"
#include "vfs/vfs.h"
#include "dev/blkdev_private.h"

struct blkdev_ctx {
	struct lwp	*bc_lwp;	/* the private process's lwp */
	struct lwp	*bc_saved;	/* the thread's lwp before, or NULL */
};

/* Make the private process root, at the real root, with umask 0. */
static int
blkdev_ctx_setup(struct proc *p)
{
	struct cred *cr = kmem_zalloc(sizeof(*cr)), *ocr;
	struct vnode *ocwd, *oroot;

	if (cr == NULL)
		return ENOMEM;
	cr->cr_refcnt = 1;		/* all ids 0, no supplementary groups */
	vref(rootvnode);
	vref(rootvnode);
	mutex_enter(&p->p_lock);
	ocr = p->p_cred;
	p->p_cred = cr;
	ocwd = p->p_cwd;
	p->p_cwd = rootvnode;
	oroot = p->p_rootdir;
	p->p_rootdir = rootvnode;
	p->p_umask = 0;
	kstrlcpy(p->p_comm, "blkdev", sizeof(p->p_comm));
	mutex_exit(&p->p_lock);
	cred_release(ocr);
	vrele(ocwd);
	vrele(oroot);
	return 0;
}

/* Switch the calling thread to a new private root process. */
static int
blkdev_ctx_enter(struct blkdev_ctx *ctx)
{
	struct proc *p;
	int error;

	if ((error = proc_create(initproc, RF_FDCLEAN, &p)) != 0)
		return error;
	if ((error = blkdev_ctx_setup(p)) != 0 ||
	    (error = lwp_create(p, &ctx->bc_lwp)) != 0) {
		proc_exit(p);
		return error;
	}
	/* Not lwp_switch(): that would free an implicit lwp we return to. */
	ctx->bc_saved = hyp_curlwp();
	hyp_set_curlwp(ctx->bc_lwp);
	return 0;
}

/* Back to the thread's own lwp; the private process exits. */
static void
blkdev_ctx_leave(struct blkdev_ctx *ctx)
{
	hyp_set_curlwp(ctx->bc_saved);
	lwp_release(ctx->bc_lwp);
}

/* mkdir -p of key's parent directories (an existing one is fine). */
static int
blkdev_mkparents(struct lwp *l, const char *key)
{
	char path[BLKDEV_KEYLEN];
	register_t rv;
	size_t len;
	int error;

	for (const char *s = kstrchr(key + 1, '/'); s != NULL;
	    s = kstrchr(s + 1, '/')) {
		len = (size_t)(s - key);
		memcpy(path, key, len);
		path[len] = '\0';
		error = sys_mkdirat(l, AT_FDCWD, path, 0755, &rv);
		if (error != 0 && error != EEXIST)
			return error;
	}
	return 0;
}

/* Make key's parents and its VBLK node: see blkdev_private.h. */
int
blkdev_node_create(const char *key, dev_t dev)
{
	struct blkdev_ctx ctx;
	register_t rv;
	int error;

	if ((error = blkdev_ctx_enter(&ctx)) != 0)
		return error;
	error = blkdev_mkparents(ctx.bc_lwp, key);
	if (error == 0)
		error = sys_mknodat(ctx.bc_lwp, AT_FDCWD, key, S_IFBLK | 0600,
		    dev, &rv);
	blkdev_ctx_leave(&ctx);
	return error;
}

/*
 * Unlink key if it still is our node.  Someone may have removed or
 * replaced it meanwhile; then there is nothing of ours to remove.
 */
void
blkdev_node_remove(const char *key, dev_t dev)
{
	struct blkdev_ctx ctx;
	struct kstat st;
	register_t rv;

	if (blkdev_ctx_enter(&ctx) != 0)
		return;
	if (sys_fstatat(ctx.bc_lwp, AT_FDCWD, key, &st, AT_SYMLINK_NOFOLLOW,
	    &rv) == 0 && (st.st_mode & S_IFMT) == S_IFBLK &&
	    st.st_rdev == dev)
		(void)sys_unlinkat(ctx.bc_lwp, AT_FDCWD, key, 0, &rv);
	blkdev_ctx_leave(&ctx);
}
