/*
 * vfs_access.c: permission checks, Linux's rules.
 *
 * The file-system ids (cr_fsuid, cr_fsgid) are checked against the owner,
 * group and other bits.  The superuser (fsuid 0) may read and write
 * anything, search any directory, and execute a file that has at least one
 * execute bit (CAP_DAC_OVERRIDE).
 */
#include "kern.h"
#include "vfs/vfs_private.h"

/* Is gid the caller's file-system group or one of its groups? */
int
vfs_groupmember(const struct cred *cr, gid_t gid)
{
	return cr->cr_fsgid == gid || cred_groupmember(cr, gid);
}

/* Check access acc (R_OK|W_OK|X_OK) to a file with attributes va. */
int
vaccess(const struct vattr *va, int acc, const struct cred *cr)
{
	mode_t bits, need = 0;

	acc &= R_OK | W_OK | X_OK;
	if (cr->cr_fsuid == 0) {
		if (!(acc & X_OK) || va->va_type == VDIR ||
		    (va->va_mode & (S_IXUSR | (S_IXUSR >> 3) | (S_IXUSR >> 6))))
			return 0;
		return EACCES;
	}
	if (acc & R_OK)
		need |= 4;
	if (acc & W_OK)
		need |= 2;
	if (acc & X_OK)
		need |= 1;
	if (cr->cr_fsuid == va->va_uid)
		bits = (va->va_mode >> 6) & 7;
	else if (vfs_groupmember(cr, va->va_gid))
		bits = (va->va_mode >> 3) & 7;
	else
		bits = va->va_mode & 7;
	return (bits & need) == need ? 0 : EACCES;
}

/*
 * Check access to vp (locked by the caller): EROFS for writing a file,
 * directory or symlink on a read-only mount, EACCES for executing a
 * regular file on a noexec mount, then the permission bits.
 */
int
vn_access(struct vnode *vp, int acc, struct cred *cr)
{
	struct vattr va;
	int error;

	if ((acc & W_OK) && vn_rdonly(vp) && (vp->v_type == VREG ||
	    vp->v_type == VDIR || vp->v_type == VLNK))
		return EROFS;
	if ((acc & X_OK) && vp->v_type == VREG &&
	    (vfs_mntflags(vp->v_mount) & MS_NOEXEC))
		return EACCES;
	if ((error = vn_getattr_locked(vp, &va)) != 0)
		return error;
	return vaccess(&va, acc, cr);
}

/* Owner of the file, or the superuser (chmod, utimes, ...). */
int
vfs_owner_or_root(const struct vattr *va, const struct cred *cr)
{
	return cr->cr_fsuid == 0 || cr->cr_fsuid == va->va_uid;
}

/*
 * In a sticky directory (S_ISVTX) only the owner of the entry, the owner
 * of the directory or the superuser may remove or rename an entry.
 */
int
vfs_sticky_check(const struct vattr *dva, const struct vattr *va,
    const struct cred *cr)
{
	if (!(dva->va_mode & S_ISVTX))
		return 0;
	if (cr->cr_fsuid == 0 || cr->cr_fsuid == va->va_uid ||
	    cr->cr_fsuid == dva->va_uid)
		return 0;
	return EPERM;
}

/* Checks before adding or removing entries of dvp (locked): EROFS, EACCES. */
int
vfs_dir_writable(struct vnode *dvp, struct cred *cr)
{
	if (vn_rdonly(dvp))
		return EROFS;
	return vn_access(dvp, W_OK | X_OK, cr);
}

/*
 * Writing or truncating a file by someone without CAP_FSETID clears its
 * setuid bit, and its setgid bit when group-execute is set (Linux's
 * file_remove_privs).  vp is locked exclusively by the caller.
 */
int
vfs_kill_suid(struct vnode *vp, struct cred *cr)
{
	struct vattr va, nva;
	mode_t kill = 0;
	int error;

	if (cr == NULL || cr->cr_fsuid == 0 || vp->v_type != VREG)
		return 0;
	if ((error = vn_getattr_locked(vp, &va)) != 0)
		return error;
	if (va.va_mode & S_ISUID)
		kill |= S_ISUID;
	if ((va.va_mode & (S_ISGID | (S_IXUSR >> 3))) ==
	    (S_ISGID | (S_IXUSR >> 3)))
		kill |= S_ISGID;
	if (kill == 0)
		return 0;
	memset(&nva, 0, sizeof(nva));
	nva.va_mode = va.va_mode & ~kill;
	return vp->v_op->vop_setattr(vp, &nva, VA_MODE);
}

/*
 * Attributes for a node of the given type created in directory dvp
 * (locked) by cr: owner fsuid, group fsgid or the directory's group when
 * it is setgid (a new directory then inherits setgid too).  In a setgid
 * directory a group-executable setgid file whose group the creator is not
 * in loses setgid, as Linux's mode_strip_sgid does.  mode has
 * the umask applied already.
 */
int
vfs_newnode_attr(struct vnode *dvp, struct cred *cr, enum vtype type,
    mode_t mode, struct vattr *va)
{
	struct vattr dva;
	int error;

	if ((error = vn_getattr_locked(dvp, &dva)) != 0)
		return error;
	memset(va, 0, sizeof(*va));
	va->va_type = type;
	va->va_mode = mode & ALLPERMS;
	va->va_uid = cr->cr_fsuid;
	va->va_gid = cr->cr_fsgid;
	if (dva.va_mode & S_ISGID) {
		va->va_gid = dva.va_gid;
		if (type == VDIR)
			va->va_mode |= S_ISGID;
		else if ((va->va_mode & (S_ISGID | (S_IXUSR >> 3))) ==
		    (S_ISGID | (S_IXUSR >> 3)) && cr->cr_fsuid != 0 &&
		    !vfs_groupmember(cr, va->va_gid))
			va->va_mode &= ~S_ISGID;
	}
	return 0;
}
