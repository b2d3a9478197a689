/*
 * vfs_vnode.c: the generic part of a vnode: its reference count, its
 * lock, attribute helpers and the directory-record helper for readdir.
 *
 * References: vref() may only be used by someone who already holds a
 * reference (or knows another holder keeps one, like a mount's root).
 * File systems bring a vnode back from a count of 0 themselves, under
 * their own lock (tmpfs_node_vget).  Every drop to 0 is followed by
 * exactly one vop_inactive() call, made with no lock held.
 */
#include "kern.h"
#include "pipe.h"
#include "vfs/vfs_private.h"

/* Initialise the generic part of a vnode for a file system (refcnt 1). */
void
vnode_init(struct vnode *vp, enum vtype type, struct mount *mp,
    const struct vnodeops *ops, void *data)
{
	vp->v_refcnt = 1;
	vp->v_type = type;
	vp->v_mount = mp;
	vp->v_op = ops;
	vp->v_data = data;
	rw_init(&vp->v_lock);
	mutex_init(&vp->v_interlock);
	vp->v_mountedhere = NULL;
	vp->v_fifo = NULL;
}

/* Tear down the generic part before the file system frees the vnode. */
void
vnode_fini(struct vnode *vp)
{
	if (vp->v_fifo != NULL)
		fifo_vnode_fini(vp);
	KASSERT(vp->v_mountedhere == NULL);
	mutex_destroy(&vp->v_interlock);
	rw_destroy(&vp->v_lock);
}

/* Take another reference to a vnode the caller already holds. */
void
vref(struct vnode *vp)
{
	uint32_t n = atomic_inc_32(&vp->v_refcnt);

	KASSERT(n > 1);
	(void)n;
}

/* Drop a reference; the file system hears when the last one goes. */
void
vrele(struct vnode *vp)
{
	if (atomic_dec_32(&vp->v_refcnt) == 0)
		vp->v_op->vop_inactive(vp);
}

void
vn_lock_shared(struct vnode *vp)
{
	rw_enter_read(&vp->v_lock);
}

void
vn_lock_excl(struct vnode *vp)
{
	rw_enter_write(&vp->v_lock);
}

void
vn_unlock(struct vnode *vp)
{
	rw_exit(&vp->v_lock);
}

/* vop_getattr with vp locked (either way) by the caller. */
int
vn_getattr_locked(struct vnode *vp, struct vattr *va)
{
	memset(va, 0, sizeof(*va));
	return vp->v_op->vop_getattr(vp, va);
}

/* vop_getattr under a shared lock taken here. */
int
vn_getattr(struct vnode *vp, struct vattr *va)
{
	int error;

	vn_lock_shared(vp);
	error = vn_getattr_locked(vp, va);
	vn_unlock(vp);
	return error;
}

/* Fill a struct kstat from attributes of a vnode on mount mp. */
void
vn_vattr_to_kstat(const struct vattr *va, struct mount *mp,
    struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = mp != NULL ? mp->mnt_dev : 0;
	st->st_ino = va->va_ino;
	st->st_nlink = va->va_nlink;
	st->st_mode = vtype_to_ifmt(va->va_type) | (va->va_mode & ALLPERMS);
	st->st_uid = va->va_uid;
	st->st_gid = va->va_gid;
	st->st_rdev = va->va_rdev;
	st->st_size = (int64_t)va->va_size;
	st->st_blksize = va->va_blksize != 0 ? va->va_blksize : 4096;
	st->st_blocks = (int64_t)((va->va_bytes + 511) / 512);
	st->st_atim = va->va_atime;
	st->st_mtim = va->va_mtime;
	st->st_ctim = va->va_ctime;
}

/* fstat of a vnode (used by the vnode and FIFO file operations). */
int
vn_stat(struct vnode *vp, struct kstat *st)
{
	struct vattr va;
	int error;

	if ((error = vn_getattr(vp, &va)) != 0)
		return error;
	vn_vattr_to_kstat(&va, vp->v_mount, st);
	return 0;
}

/* The getdents64 d_type of a vnode type. */
uint8_t
vtype_to_dt(enum vtype t)
{
	switch (t) {
	case VREG:	return DT_REG;
	case VDIR:	return DT_DIR;
	case VLNK:	return DT_LNK;
	case VFIFO:	return DT_FIFO;
	case VCHR:	return DT_CHR;
	case VBLK:	return DT_BLK;
	case VSOCK:	return DT_SOCK;
	default:	return DT_UNKNOWN;
	}
}

/* The S_IFMT bits of a vnode type. */
mode_t
vtype_to_ifmt(enum vtype t)
{
	switch (t) {
	case VREG:	return S_IFREG;
	case VDIR:	return S_IFDIR;
	case VLNK:	return S_IFLNK;
	case VFIFO:	return S_IFIFO;
	case VCHR:	return S_IFCHR;
	case VBLK:	return S_IFBLK;
	case VSOCK:	return S_IFSOCK;
	default:	return 0;
	}
}

/*
 * Append one struct linux_dirent64 to a readdir uio: returns 0, or 1 when
 * the uio has no room for the whole record (nothing is written then).
 */
int
dirent_emit(struct uio *uio, ino_t ino, off_t nextcookie, uint8_t dtype,
    const char *name, size_t namelen)
{
	char rec[ROUNDUP(offsetof(struct kdirent64, d_name) + NAME_MAX + 1, 8)];
	struct kdirent64 *d = (struct kdirent64 *)(void *)rec;
	size_t reclen;

	KASSERT(namelen > 0 && namelen <= NAME_MAX);
	reclen = ROUNDUP(offsetof(struct kdirent64, d_name) + namelen + 1, 8);
	if (uio->uio_resid < reclen)
		return 1;
	memset(rec, 0, reclen);
	d->d_ino = ino;
	d->d_off = nextcookie;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = dtype;
	memcpy(d->d_name, name, namelen);
	uiomove(rec, reclen, uio);
	return 0;
}
