/*
 * vfs_syscalls_mount.c: mount(2), umount2(2), statfs(2), fstatfs(2).
 *
 * As on Linux, the target is looked up before the privilege check, so an
 * unprivileged caller sees ENOENT for a missing target and EPERM
 * otherwise.
 */
#include "kern.h"
#include "pipe.h"
#include "sysproto.h"
#include "vfs/vfs_private.h"

#define MS_MGC_MSK	0xffff0000UL	/* old magic in the high bits */
#define MS_MGC_VAL	0xc0ed0000UL
#define MS_MOVE		0x2000
#define MS_PROPAGATION	(0x8000 | 0x20000 | 0x40000 | 0x80000 | 0x100000)
#define MOUNT_DATA_MAX	4096		/* one page of options, as Linux */
#define PIPEFS_MAGIC	0x50495045
#define ST_NODIRATIME	0x0800		/* abi.h does not name it */

/* The MS_* flags a new mount or a remount may carry. */
#define MS_KNOWN	(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | \
			 MS_SYNCHRONOUS | MS_NOATIME | MS_NODIRATIME)

/* A new mount of fstype on the directory vp (referenced). */
static int
vfs_mount_new(struct vnode *vp, const char *source, const char *fstype,
    unsigned long flags, const char *data, struct cred *cr)
{
	int error;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (fstype == NULL)
		return EINVAL;
	if (kstrnlen(fstype, 16) >= 16)
		return ENODEV;
	mutex_enter(&vfs_mount_lock);
	/* Someone may have mounted here meanwhile: stack on top. */
	vref(vp);
	vp = vfs_cross_mount(vp);
	error = vfs_domount(vp, fstype, source, (int)(flags & MS_KNOWN), data,
	    cr);
	vrele(vp);
	mutex_exit(&vfs_mount_lock);
	return error;
}

/* mount(2): new mounts and MS_REMOUNT; bind and move mounts are EINVAL. */
int
sys_mount(struct lwp *l, const char *source, const char *target,
    const char *fstype, unsigned long flags, const void *data,
    register_t *retval)
{
	struct nameidata nd;
	struct cred *cr;
	struct vnode *vp;
	int error;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (data != NULL && kstrnlen(data, MOUNT_DATA_MAX) >= MOUNT_DATA_MAX)
		return EINVAL;
	if (source != NULL && kstrnlen(source, PATH_MAX) >= PATH_MAX)
		return ENAMETOOLONG;
	cr = vfs_curcred();
	namei_init(&nd, AT_FDCWD, target, NI_FOLLOW, cr);
	if ((error = namei(&nd)) != 0)
		goto out;
	vp = nd.nd_vp;
	if (cr->cr_euid != 0)
		error = EPERM;
	else if (flags & MS_REMOUNT) {
		if (vp != vp->v_mount->mnt_root)
			error = EINVAL;
		else {
			mutex_enter(&vfs_mount_lock);
			error = vfs_remount(vp->v_mount, (int)flags);
			mutex_exit(&vfs_mount_lock);
		}
	} else if (flags & (MS_BIND | MS_MOVE | MS_PROPAGATION))
		error = EINVAL;
	else
		error = vfs_mount_new(vp, source, fstype, flags, data, cr);
out:
	namei_done(&nd);
	cred_release(cr);
	return error;
}

/* umount2(2): EINVAL unless target is the root of a mount. */
int
sys_umount2(struct lwp *l, const char *target, int flags,
    register_t *retval)
{
	struct nameidata nd;
	struct cred *cr;
	struct vnode *vp;
	int error;

	if ((flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) ||
	    ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH))))
		return EINVAL;
	cr = vfs_curcred();
	namei_init(&nd, AT_FDCWD, target,
	    (flags & UMOUNT_NOFOLLOW) ? 0 : NI_FOLLOW, cr);
	if ((error = namei(&nd)) != 0)
		goto out;
	vp = nd.nd_vp;
	if (cr->cr_euid != 0)
		error = EPERM;
	else if (vp != vp->v_mount->mnt_root)
		error = EINVAL;
	else if (flags & MNT_EXPIRE)
		error = EAGAIN;		/* never idle long enough to expire */
	if (error != 0)
		goto out;
	nd.nd_vp = NULL;
	namei_done(&nd);
	mutex_enter(&vfs_mount_lock);
	error = vfs_dounmount(vp, flags);
	mutex_exit(&vfs_mount_lock);
out:
	namei_done(&nd);
	cred_release(cr);
	return error;
}

/* statfs of a mount, with f_flags from its mount flags. */
static int
vfs_statfs_mount(struct mount *mp, struct kstatfs *sf)
{
	int flags, error;

	memset(sf, 0, sizeof(*sf));
	if ((error = mp->mnt_op->vfs_statfs(mp, sf)) != 0)
		return error;
	flags = vfs_mntflags(mp);
	sf->f_flags = VFS_ST_VALID;
	if (flags & MS_RDONLY)
		sf->f_flags |= ST_RDONLY;
	if (flags & MS_NOSUID)
		sf->f_flags |= ST_NOSUID;
	if (flags & MS_NODEV)
		sf->f_flags |= ST_NODEV;
	if (flags & MS_NOEXEC)
		sf->f_flags |= ST_NOEXEC;
	if (flags & MS_SYNCHRONOUS)
		sf->f_flags |= ST_SYNCHRONOUS;
	if (flags & MS_NOATIME)
		sf->f_flags |= ST_NOATIME;
	if (flags & MS_NODIRATIME)
		sf->f_flags |= ST_NODIRATIME;
	if (sf->f_frsize == 0)
		sf->f_frsize = sf->f_bsize;
	if (sf->f_fsid[0] == 0 && sf->f_fsid[1] == 0)
		sf->f_fsid[0] = (int32_t)mp->mnt_dev;
	return 0;
}

int
sys_statfs(struct lwp *l, const char *path, struct kstatfs *buf,
    register_t *retval)
{
	struct nameidata nd;
	struct cred *cr;
	int error;

	if (buf == NULL)
		return EFAULT;
	cr = vfs_curcred();
	namei_init(&nd, AT_FDCWD, path, NI_FOLLOW, cr);
	if ((error = namei(&nd)) == 0)
		error = vfs_statfs_mount(nd.nd_vp->v_mount, buf);
	namei_done(&nd);
	cred_release(cr);
	return error;
}

/* fstatfs(2): O_PATH files too; an anonymous pipe reports pipefs. */
int
sys_fstatfs(struct lwp *l, int fd, struct kstatfs *buf, register_t *retval)
{
	struct pipefile *pf;
	struct file *fp;
	int error;

	if (buf == NULL)
		return EFAULT;
	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (fp->f_type == FTYPE_VNODE)
		error = vfs_statfs_mount(((struct vnode *)fp->f_data)->v_mount,
		    buf);
	else if (fp->f_type == FTYPE_PIPE && (pf = fp->f_data) != NULL &&
	    pf->pf_vnode != NULL)
		error = vfs_statfs_mount(pf->pf_vnode->v_mount, buf);
	else {
		memset(buf, 0, sizeof(*buf));
		buf->f_type = PIPEFS_MAGIC;
		buf->f_bsize = buf->f_frsize = 4096;
		buf->f_namelen = NAME_MAX;
		buf->f_flags = VFS_ST_VALID;
	}
	file_release(fp);
	return error;
}
