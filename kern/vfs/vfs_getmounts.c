/*
 * vfs_getmounts.c: getmounts(2), the mount table listing behind rump.df
 * and rump.mount.
 */
#include "kern.h"
#include "sysproto.h"
#include "vfs/vfs.h"
#include "vfs/vfs_private.h"

/*
 * Fill up to n entries of buf (NULL with n 0 asks only for the count) and
 * return the number of mounted file systems.
 */
int
sys_getmounts(struct lwp *l, struct kmntinfo *buf, int n, register_t *retval)
{
	struct klist *it;
	int count = 0;

	if (n < 0)
		return EINVAL;
	if (buf == NULL && n > 0)
		return EFAULT;
	mutex_enter(&vfs_mount_lock);
	klist_foreach(it, &vfs_mountlist) {
		struct mount *mp = klist_entry(it, struct mount, mnt_list);

		if (count < n) {
			struct kmntinfo *mi = &buf[count];

			memset(mi, 0, sizeof(*mi));
			kstrlcpy(mi->mi_fstype, mp->mnt_fstype,
			    sizeof(mi->mi_fstype));
			kstrlcpy(mi->mi_from, mp->mnt_from, sizeof(mi->mi_from));
			kstrlcpy(mi->mi_on, mp->mnt_on, sizeof(mi->mi_on));
			mi->mi_flags = mp->mnt_flag;
		}
		count++;
	}
	mutex_exit(&vfs_mount_lock);
	*retval = count;
	return 0;
}
