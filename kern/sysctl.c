/*
 * sysctl.c: the sysctl tree: nodes, names, values and their locking.
 *
 * Every node has a name component; a NODE keeps its children sorted by
 * name, so depth-first order is the order of the dotted names compared
 * component by component, and sysctlnext can resume after any name.
 * The standard nodes are created in sysctl_init() at the end of this file.
 */
#include "kern.h"
#include "proc.h"
#include "sysctl.h"
#include "vfs/vfs.h"

struct sysctlnode {
	struct sysctlnode *sn_parent;
	struct klist	sn_children;	/* NODE: sorted by sn_name */
	struct klist	sn_sibling;	/* in the parent's sn_children */
	int		sn_type;	/* SYSCTL_TYPE_* */
	int		sn_flags;	/* SYSCTL_READWRITE or 0 */
	size_t		sn_size;	/* STRING/STRUCT/func: buffer size */
	void		*sn_data;	/* the value, unless computed */
	int		sn_stored;	/* sn_data allocated here (not sn_val) */
	union { int32_t i; int64_t q; } sn_val;	/* stored INT/QUAD */
	int64_t		sn_min, sn_max;	/* INT/QUAD: values writes may set */
	sysctl_readfn_t	sn_readfn;	/* computed value, or NULL */
	sysctl_writefn_t sn_writefn;
	void		*sn_arg;
	char		sn_descr[SYSCTL_DESCRMAX];
	char		sn_name[];	/* this component, NUL-terminated */
};

/* A dotted name split into components (pointers into sp_buf). */
struct sysctl_path {
	char	sp_buf[SYSCTL_NAMEMAX];
	char	*sp_comp[SYSCTL_NAMEMAX / 2];
	int	sp_n;
};

/* A value ready to copy out; v_alloc is freed by sysctl_val_done. */
struct sysctl_val {
	const void	*v_ptr;
	size_t		v_len;
	void		*v_alloc;
	union { int32_t i; int64_t q; } v_num;
};

static krwlock_t sysctl_lock;
static struct sysctlnode *sysctl_root;
static int sysctl_ready;

int32_t kern_maxfiles = 65536;

/*
 * Split name into components.  We don't trust the name: it is bounded
 * (ENAMETOOLONG) and every component must be non-empty (EINVAL).  "" is
 * the root (no components): rooterr, unless that is 0.  For new nodes
 * (creating) components are limited to letters, digits, '_' and '-'.
 */
static int
sysctl_parse(const char *name, struct sysctl_path *sp, int creating,
    int rooterr)
{
	size_t len;
	char *p;

	if (name == NULL)
		return EFAULT;
	len = kstrnlen(name, SYSCTL_NAMEMAX);
	if (len >= SYSCTL_NAMEMAX)
		return ENAMETOOLONG;
	memcpy(sp->sp_buf, name, len + 1);
	sp->sp_n = 0;
	if (len == 0)
		return rooterr;
	sp->sp_comp[sp->sp_n++] = sp->sp_buf;
	for (p = sp->sp_buf; *p != '\0'; p++) {
		if (*p == '.') {
			*p = '\0';
			sp->sp_comp[sp->sp_n++] = p + 1;
		} else if (creating && !((*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || *p == '-'))
			return EINVAL;
	}
	for (int i = 0; i < sp->sp_n; i++)
		if (sp->sp_comp[i][0] == '\0')
			return EINVAL;
	return 0;
}

/* The child of parent called comp, or NULL.  Lock held. */
static struct sysctlnode *
sysctl_child(struct sysctlnode *parent, const char *comp)
{
	struct klist *it;

	klist_foreach(it, &parent->sn_children) {
		struct sysctlnode *c = klist_entry(it, struct sysctlnode,
		    sn_sibling);
		int cmp = kstrcmp(c->sn_name, comp);

		if (cmp == 0)
			return c;
		if (cmp > 0)
			break;
	}
	return NULL;
}

/* Insert c among parent's children, keeping them sorted.  Lock held. */
static void
sysctl_link(struct sysctlnode *parent, struct sysctlnode *c)
{
	struct klist *it;

	c->sn_parent = parent;
	klist_foreach(it, &parent->sn_children) {
		struct sysctlnode *s = klist_entry(it, struct sysctlnode,
		    sn_sibling);

		if (kstrcmp(s->sn_name, c->sn_name) > 0)
			break;
	}
	/* it is the first greater sibling or the head: insert before it. */
	klist_insert_after(it->prev, &c->sn_sibling);
}

/* Find the node of a parsed name: 0, ENOENT or ENOTDIR.  Lock held. */
static int
sysctl_find(const struct sysctl_path *sp, struct sysctlnode **np)
{
	struct sysctlnode *n = sysctl_root;

	for (int i = 0; i < sp->sp_n; i++) {
		if (n->sn_type != SYSCTL_TYPE_NODE)
			return ENOTDIR;
		n = sysctl_child(n, sp->sp_comp[i]);
		if (n == NULL)
			return ENOENT;
	}
	*np = n;
	return 0;
}

/* A new unlinked node named comp; NULL when out of memory. */
static struct sysctlnode *
sysctl_node_alloc(const char *comp, int type, int flags, const char *descr)
{
	size_t len = kstrlen(comp);
	struct sysctlnode *n = kmem_zalloc(sizeof(*n) + len + 1);

	if (n == NULL)
		return NULL;
	memcpy(n->sn_name, comp, len + 1);
	klist_init(&n->sn_children);
	klist_init(&n->sn_sibling);
	n->sn_type = type;
	n->sn_flags = flags & SYSCTL_READWRITE;
	n->sn_min = INT64_MIN;
	n->sn_max = INT64_MAX;
	if (type == SYSCTL_TYPE_INT) {
		n->sn_min = INT32_MIN;
		n->sn_max = INT32_MAX;
	}
	if (descr != NULL)
		kstrlcpy(n->sn_descr, descr, sizeof(n->sn_descr));
	return n;
}

/* Free an unlinked node and its stored value. */
static void
sysctl_node_free(struct sysctlnode *n)
{
	if (n->sn_stored)
		kmem_free(n->sn_data);
	kmem_free(n);
}

/*
 * Link the new leaf or NODE n under the parent named by sp's first
 * sp_n - 1 components, creating missing NODEs.  Takes the lock.
 * On error n is freed.
 */
static int
sysctl_insert(const struct sysctl_path *sp, struct sysctlnode *n)
{
	struct sysctlnode *parent, *c;
	int error = 0;

	KASSERT(atomic_load(&sysctl_ready));
	rw_enter_write(&sysctl_lock);
	parent = sysctl_root;
	for (int i = 0; i < sp->sp_n - 1; i++) {
		c = sysctl_child(parent, sp->sp_comp[i]);
		if (c == NULL) {
			c = sysctl_node_alloc(sp->sp_comp[i],
			    SYSCTL_TYPE_NODE, 0, NULL);
			if (c == NULL) {
				error = ENOMEM;
				goto out;
			}
			sysctl_link(parent, c);
		} else if (c->sn_type != SYSCTL_TYPE_NODE) {
			error = ENOTDIR;
			goto out;
		}
		parent = c;
	}
	c = sysctl_child(parent, n->sn_name);
	if (c != NULL) {
		error = EEXIST;
		/* Describing an existing NODE (maybe made on demand) is fine. */
		if (c->sn_type == SYSCTL_TYPE_NODE &&
		    n->sn_type == SYSCTL_TYPE_NODE) {
			if (c->sn_descr[0] == '\0')
				memcpy(c->sn_descr, n->sn_descr,
				    sizeof(c->sn_descr));
			error = 0;
			sysctl_node_free(n);
			n = NULL;
		}
		goto out;
	}
	sysctl_link(parent, n);
out:
	rw_exit(&sysctl_lock);
	if (error != 0)
		sysctl_node_free(n);
	return error;
}

/* Parse name and allocate its leaf; the caller fills in the value. */
static int
sysctl_prepare(const char *name, int type, int flags, const char *descr,
    struct sysctl_path *sp, struct sysctlnode **np)
{
	int error;

	error = sysctl_parse(name, sp, 1, EINVAL);
	if (error != 0)
		return error;
	*np = sysctl_node_alloc(sp->sp_comp[sp->sp_n - 1], type, flags,
	    descr);
	return *np == NULL ? ENOMEM : 0;
}

/* Create a NODE (and its missing ancestors); describes an existing one. */
int
sysctl_add_node(const char *name, const char *descr)
{
	struct sysctl_path sp;
	struct sysctlnode *n;
	int error;

	error = sysctl_prepare(name, SYSCTL_TYPE_NODE, 0, descr, &sp, &n);
	if (error != 0)
		return error;
	return sysctl_insert(&sp, n);
}

/*
 * Create a leaf whose value is var (size bytes), or stored in the node
 * when var is NULL.  Shared by the typed sysctl_add_* functions; we don't
 * trust the size of a STRING or STRUCT: 1 to SYSCTL_VALMAX (EINVAL).
 */
static int
sysctl_add_var(const char *name, int type, void *var, size_t size,
    int flags, const char *descr)
{
	struct sysctl_path sp;
	struct sysctlnode *n;
	int error;

	if ((type == SYSCTL_TYPE_STRING || type == SYSCTL_TYPE_STRUCT) &&
	    (size < 1 || size > SYSCTL_VALMAX))
		return EINVAL;
	error = sysctl_prepare(name, type, flags, descr, &sp, &n);
	if (error != 0)
		return error;
	n->sn_size = size;
	n->sn_data = var;
	if (var == NULL && (type == SYSCTL_TYPE_INT ||
	    type == SYSCTL_TYPE_QUAD)) {
		n->sn_data = &n->sn_val;
	} else if (var == NULL) {
		n->sn_data = kmem_zalloc(size);
		n->sn_stored = 1;
		if (n->sn_data == NULL) {
			sysctl_node_free(n);
			return ENOMEM;
		}
	}
	return sysctl_insert(&sp, n);
}

/* Create an int32 leaf backed by var (NULL: stored in the node). */
int
sysctl_add_int(const char *name, int32_t *var, int flags, const char *descr)
{
	return sysctl_add_var(name, SYSCTL_TYPE_INT, var, sizeof(int32_t),
	    flags, descr);
}

/* Create an int64 leaf backed by var (NULL: stored in the node). */
int
sysctl_add_quad(const char *name, int64_t *var, int flags, const char *descr)
{
	return sysctl_add_var(name, SYSCTL_TYPE_QUAD, var, sizeof(int64_t),
	    flags, descr);
}

/* Create a string leaf of at most size - 1 characters. */
int
sysctl_add_string(const char *name, char *var, size_t size, int flags,
    const char *descr)
{
	return sysctl_add_var(name, SYSCTL_TYPE_STRING, var, size, flags,
	    descr);
}

/* Create a leaf of size raw bytes (a structure). */
int
sysctl_add_struct(const char *name, void *var, size_t size, int flags,
    const char *descr)
{
	return sysctl_add_var(name, SYSCTL_TYPE_STRUCT, var, size, flags,
	    descr);
}

/* Create a computed leaf; size is the handler's buffer size. */
int
sysctl_add_func(const char *name, int type, size_t size,
    sysctl_readfn_t readfn, sysctl_writefn_t writefn, void *arg,
    const char *descr)
{
	struct sysctl_path sp;
	struct sysctlnode *n;
	int error;

	if (type == SYSCTL_TYPE_INT)
		size = sizeof(int32_t);
	else if (type == SYSCTL_TYPE_QUAD)
		size = sizeof(int64_t);
	else if (type != SYSCTL_TYPE_STRING && type != SYSCTL_TYPE_STRUCT)
		return EINVAL;
	if (readfn == NULL || size < 1 || size > SYSCTL_VALMAX)
		return EINVAL;
	error = sysctl_prepare(name, type,
	    writefn != NULL ? SYSCTL_READWRITE : SYSCTL_READONLY, descr,
	    &sp, &n);
	if (error != 0)
		return error;
	n->sn_size = size;
	n->sn_readfn = readfn;
	n->sn_writefn = writefn;
	n->sn_arg = arg;
	return sysctl_insert(&sp, n);
}

/* Bound the values writes may give an INT or QUAD node. */
int
sysctl_set_range(const char *name, int64_t min, int64_t max)
{
	struct sysctl_path sp;
	struct sysctlnode *n;
	int error;

	error = sysctl_parse(name, &sp, 0, 0);
	if (error != 0)
		return error;
	rw_enter_write(&sysctl_lock);
	error = sysctl_find(&sp, &n);
	if (error == 0 && (min > max || (n->sn_type != SYSCTL_TYPE_INT &&
	    n->sn_type != SYSCTL_TYPE_QUAD)))
		error = EINVAL;
	if (error == 0 && n->sn_type == SYSCTL_TYPE_INT &&
	    (min < INT32_MIN || max > INT32_MAX))
		error = EINVAL;
	if (error == 0) {
		n->sn_min = min;
		n->sn_max = max;
	}
	rw_exit(&sysctl_lock);
	return error;
}

/* Remove a leaf or an empty NODE. */
int
sysctl_remove(const char *name)
{
	struct sysctl_path sp;
	struct sysctlnode *n = NULL;
	int error;

	error = sysctl_parse(name, &sp, 0, EINVAL);
	if (error != 0)
		return error;
	rw_enter_write(&sysctl_lock);
	error = sysctl_find(&sp, &n);
	if (error == 0 && !klist_empty(&n->sn_children))
		error = ENOTEMPTY;
	if (error == 0)
		klist_remove(&n->sn_sibling);
	rw_exit(&sysctl_lock);
	if (error == 0)
		sysctl_node_free(n);
	return error;
}

/*
 * Get leaf n's current value into v.  Lock held (at least shared).
 * Variables are read atomically: their owners may change them unlocked.
 */
static int
sysctl_val_get(struct sysctlnode *n, struct sysctl_val *v)
{
	int error;

	v->v_alloc = NULL;
	if (n->sn_readfn != NULL) {
		v->v_alloc = kmem_zalloc(n->sn_size);
		if (v->v_alloc == NULL)
			return ENOMEM;
		v->v_len = n->sn_size;
		error = n->sn_readfn(n->sn_arg, v->v_alloc, n->sn_size,
		    &v->v_len);
		if (error != 0)
			return error;
		v->v_ptr = v->v_alloc;
		if (n->sn_type == SYSCTL_TYPE_STRING) {
			((char *)v->v_alloc)[n->sn_size - 1] = '\0';
			v->v_len = kstrlen(v->v_alloc) + 1;
		} else if (v->v_len > n->sn_size) {
			v->v_len = n->sn_size;
		}
		return 0;
	}
	switch (n->sn_type) {
	case SYSCTL_TYPE_INT:
		v->v_num.i = __atomic_load_n((int32_t *)n->sn_data,
		    __ATOMIC_RELAXED);
		v->v_ptr = &v->v_num.i;
		v->v_len = sizeof(int32_t);
		break;
	case SYSCTL_TYPE_QUAD:
		v->v_num.q = __atomic_load_n((int64_t *)n->sn_data,
		    __ATOMIC_RELAXED);
		v->v_ptr = &v->v_num.q;
		v->v_len = sizeof(int64_t);
		break;
	case SYSCTL_TYPE_STRING:
		v->v_ptr = n->sn_data;
		v->v_len = kstrnlen(n->sn_data, n->sn_size - 1) + 1;
		break;
	default:
		v->v_ptr = n->sn_data;
		v->v_len = n->sn_size;
		break;
	}
	return 0;
}

/* Release what sysctl_val_get allocated. */
static void
sysctl_val_done(struct sysctl_val *v)
{
	kmem_free(v->v_alloc);
	v->v_alloc = NULL;
}

/*
 * Copy v out by the BSD protocol: no oldp: report the size; oldp too
 * small: copy what fits and fail with ENOMEM; *oldlenp always becomes the
 * full size.  A STRING copied whole includes its NUL.
 */
static int
sysctl_copyout(const struct sysctl_val *v, void *oldp, size_t *oldlenp)
{
	size_t n;

	if (oldlenp == NULL)
		return 0;
	if (oldp == NULL) {
		*oldlenp = v->v_len;
		return 0;
	}
	n = MIN(*oldlenp, v->v_len);
	memcpy(oldp, v->v_ptr, n);
	*oldlenp = v->v_len;
	return n < v->v_len ? ENOMEM : 0;
}

/*
 * Check a new value for leaf n before anything changes.  We don't trust
 * it: the size must match the type, a STRING must fit with its NUL (it
 * ends at newlen or at its first NUL), numbers must be in range.
 */
static int
sysctl_checknew(const struct sysctlnode *n, const void *newp, size_t newlen)
{
	int64_t x;
	int32_t i;

	if (newp == NULL || newlen > SYSCTL_VALMAX)
		return EINVAL;
	switch (n->sn_type) {
	case SYSCTL_TYPE_INT:
		if (newlen != sizeof(int32_t))
			return EINVAL;
		memcpy(&i, newp, sizeof(i));	/* newp may be unaligned */
		x = i;
		break;
	case SYSCTL_TYPE_QUAD:
		if (newlen != sizeof(int64_t))
			return EINVAL;
		memcpy(&x, newp, sizeof(x));
		break;
	case SYSCTL_TYPE_STRING:
		return kstrnlen(newp, newlen) < n->sn_size ? 0 : EINVAL;
	default:
		return newlen == n->sn_size ? 0 : EINVAL;
	}
	return x < n->sn_min || x > n->sn_max ? EINVAL : 0;
}

/* Store a checked new value into leaf n.  Lock held exclusive. */
static int
sysctl_store(struct sysctlnode *n, const void *newp, size_t newlen)
{
	size_t len = 0;
	char *s;
	int error;

	if (n->sn_type == SYSCTL_TYPE_STRING)
		len = kstrnlen(newp, newlen);
	if (n->sn_writefn != NULL && n->sn_type == SYSCTL_TYPE_STRING) {
		/* Handlers get a NUL-terminated copy. */
		s = kmem_alloc(len + 1);
		if (s == NULL)
			return ENOMEM;
		memcpy(s, newp, len);
		s[len] = '\0';
		error = n->sn_writefn(n->sn_arg, s, len + 1);
		kmem_free(s);
		return error;
	}
	if (n->sn_writefn != NULL)
		return n->sn_writefn(n->sn_arg, newp, newlen);
	if (n->sn_readfn != NULL)
		return EPERM;
	switch (n->sn_type) {
	case SYSCTL_TYPE_INT: {
		int32_t i;

		memcpy(&i, newp, sizeof(i));
		__atomic_store_n((int32_t *)n->sn_data, i, __ATOMIC_RELAXED);
		break;
	}
	case SYSCTL_TYPE_QUAD: {
		int64_t q;

		memcpy(&q, newp, sizeof(q));
		__atomic_store_n((int64_t *)n->sn_data, q, __ATOMIC_RELAXED);
		break;
	}
	case SYSCTL_TYPE_STRING:
		memcpy(n->sn_data, newp, len);
		((char *)n->sn_data)[len] = '\0';
		break;
	default:
		memcpy(n->sn_data, newp, newlen);
		break;
	}
	return 0;
}

/*
 * Read and maybe write one leaf; cr NULL is the kernel itself (no
 * permission checks, read-only nodes writable).  Lock held: exclusive
 * when newp != NULL.
 */
static int
sysctl_rw_locked(struct sysctlnode *n, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen, const struct cred *cr)
{
	struct sysctl_val v = { .v_alloc = NULL };
	int error;

	if (n->sn_type == SYSCTL_TYPE_NODE)
		return EISDIR;
	if (newp != NULL && cr != NULL &&
	    (!(n->sn_flags & SYSCTL_READWRITE) || !cred_is_root(cr)))
		return EPERM;
	if (newp != NULL) {
		error = sysctl_checknew(n, newp, newlen);
		if (error != 0)
			return error;
	}
	if (oldlenp != NULL) {
		error = sysctl_val_get(n, &v);
		if (error == 0)
			error = sysctl_copyout(&v, oldp, oldlenp);
		sysctl_val_done(&v);
		if (error != 0)
			return error;
	}
	if (newp != NULL)
		return sysctl_store(n, newp, newlen);
	return 0;
}

/* sysctlbyname(2)'s work: look name up, read, maybe write. */
int
sysctl_lookup(const char *name, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen, const struct cred *cr)
{
	struct sysctl_path sp;
	struct sysctlnode *n;
	int error;

	error = sysctl_parse(name, &sp, 0, ENOENT);
	if (error != 0)
		return error;
	if (newp != NULL)
		rw_enter_write(&sysctl_lock);
	else
		rw_enter_read(&sysctl_lock);
	error = sysctl_find(&sp, &n);
	if (error == 0)
		error = sysctl_rw_locked(n, oldp, oldlenp, newp, newlen, cr);
	rw_exit(&sysctl_lock);
	return error;
}

/* Read a value from kernel code (no permission checks). */
int
sysctl_kread(const char *name, void *buf, size_t *lenp)
{
	if (lenp == NULL)
		return EINVAL;
	return sysctl_lookup(name, buf, lenp, NULL, 0, NULL);
}

/* Set a value from kernel code, read-only nodes included. */
int
sysctl_kwrite(const char *name, const void *newp, size_t newlen)
{
	if (newp == NULL)
		return EINVAL;
	return sysctl_lookup(name, NULL, NULL, newp, newlen, NULL);
}

/* The first leaf in n's subtree (n itself if a leaf); NULL if none. */
static struct sysctlnode *
sysctl_first_leaf(struct sysctlnode *n)
{
	struct klist *it;

	if (n->sn_type != SYSCTL_TYPE_NODE)
		return n;
	klist_foreach(it, &n->sn_children) {
		struct sysctlnode *f = sysctl_first_leaf(klist_entry(it,
		    struct sysctlnode, sn_sibling));

		if (f != NULL)
			return f;
	}
	return NULL;
}

/*
 * The first leaf under NODE n whose path is after components i.. of sp,
 * comparing component by component (a name's descendants come after
 * it).  The name need not exist.  Lock held.
 */
static struct sysctlnode *
sysctl_next_leaf(struct sysctlnode *n, const struct sysctl_path *sp, int i)
{
	struct klist *it;

	if (i == sp->sp_n)
		return sysctl_first_leaf(n);	/* n is a NODE: not itself */
	klist_foreach(it, &n->sn_children) {
		struct sysctlnode *c = klist_entry(it, struct sysctlnode,
		    sn_sibling), *f;
		int cmp = kstrcmp(c->sn_name, sp->sp_comp[i]);

		if (cmp < 0)
			continue;
		if (cmp == 0)
			f = c->sn_type == SYSCTL_TYPE_NODE ?
			    sysctl_next_leaf(c, sp, i + 1) : NULL;
		else
			f = sysctl_first_leaf(c);
		if (f != NULL)
			return f;
	}
	return NULL;
}

/* Write n's dotted name into buf; ENOMEM if len is too small. */
static int
sysctl_fullname(const struct sysctlnode *n, char *buf, size_t len)
{
	const struct sysctlnode *p;
	size_t need = 0, pos;

	for (p = n; p != sysctl_root; p = p->sn_parent)
		need += kstrlen(p->sn_name) + 1;	/* '.' or the NUL */
	if (need > len)
		return ENOMEM;
	pos = need - 1;
	buf[pos] = '\0';
	for (p = n; p != sysctl_root; p = p->sn_parent) {
		size_t l = kstrlen(p->sn_name);

		pos -= l;
		memcpy(buf + pos, p->sn_name, l);
		if (pos > 0)
			buf[--pos] = '.';
	}
	return 0;
}

/* sysctlnext(2)'s work: the name of the leaf after name ("" = first). */
int
sysctl_next(const char *name, char *next, size_t len)
{
	struct sysctl_path sp;
	struct sysctlnode *n;
	int error;

	error = sysctl_parse(name, &sp, 0, 0);
	if (error != 0)
		return error;
	rw_enter_read(&sysctl_lock);
	n = sysctl_next_leaf(sysctl_root, &sp, 0);
	error = n == NULL ? ENOENT : sysctl_fullname(n, next, len);
	rw_exit(&sysctl_lock);
	return error;
}

/* sysctlinfo(2)'s work: type, flags, current size and description. */
int
sysctl_info(const char *name, struct ksysctl_info *info)
{
	struct sysctl_path sp;
	struct sysctl_val v = { .v_alloc = NULL };
	struct sysctlnode *n;
	int error;

	error = sysctl_parse(name, &sp, 0, ENOENT);
	if (error != 0)
		return error;
	rw_enter_read(&sysctl_lock);
	error = sysctl_find(&sp, &n);
	if (error != 0)
		goto out;
	memset(info, 0, sizeof(*info));
	info->si_type = (uint32_t)n->sn_type;
	info->si_flags = (uint32_t)n->sn_flags;
	kstrlcpy(info->si_descr, n->sn_descr, sizeof(info->si_descr));
	if (n->sn_type != SYSCTL_TYPE_NODE) {
		error = sysctl_val_get(n, &v);
		info->si_size = v.v_len;
		sysctl_val_done(&v);
	}
out:
	rw_exit(&sysctl_lock);
	return error;
}

/* vfs.generic.fstypes: the registered file system types. */
static int
sysctl_fstypes_read(void *arg, void *buf, size_t size, size_t *lenp)
{
	vfs_fstypes(buf, size);
	*lenp = kstrnlen(buf, size - 1) + 1;
	return 0;
}

/* A stored STRING the kernel starts with, and its value. */
struct sysctl_initstr {
	const char	*is_name;
	size_t		is_size;
	int		is_flags;
	const char	*is_value;
	const char	*is_descr;
};

/* The system's identity, as uname(2) reports it (doc/sysctl.md). */
static const struct sysctl_initstr sysctl_uname[] = {
	{ "kern.ostype", 32, SYSCTL_READONLY, "Linux",
	    "Operating system type (uname sysname)" },
	{ "kern.osrelease", KUTS_LEN, SYSCTL_READONLY, "6.1.0-rump",
	    "Operating system release (uname release)" },
	{ "kern.version", KUTS_LEN, SYSCTL_READONLY, "#1 rump kernel",
	    "Kernel version (uname version)" },
	{ "kern.hostname", KUTS_LEN, SYSCTL_READWRITE, "rump",
	    "Host name (uname nodename)" },
	{ "kern.domainname", KUTS_LEN, SYSCTL_READWRITE, "(none)",
	    "NIS domain name (uname domainname)" },
	{ "hw.machine", 32, SYSCTL_READONLY, "x86_64",
	    "Machine class (uname machine)" },
};

/* Add the stored STRINGs of sysctl_uname and give them their values. */
static int
sysctl_init_strings(void)
{
	const struct sysctl_initstr *is;
	int error = 0;

	for (size_t i = 0; error == 0 && i < ARRAY_SIZE(sysctl_uname); i++) {
		is = &sysctl_uname[i];
		error = sysctl_add_string(is->is_name, NULL, is->is_size,
		    is->is_flags, is->is_descr);
		if (error == 0)
			error = sysctl_kwrite(is->is_name, is->is_value,
			    kstrlen(is->is_value) + 1);
	}
	return error;
}

/* Add a stored number (INT or QUAD) and give it its value. */
static int
sysctl_init_num(const char *name, int type, int64_t value, const char *descr)
{
	int32_t i = (int32_t)value;
	int error;

	if (type == SYSCTL_TYPE_INT) {
		error = sysctl_add_int(name, NULL, SYSCTL_READONLY, descr);
		if (error == 0)
			error = sysctl_kwrite(name, &i, sizeof(i));
	} else {
		error = sysctl_add_quad(name, NULL, SYSCTL_READONLY, descr);
		if (error == 0)
			error = sysctl_kwrite(name, &value, sizeof(value));
	}
	return error;
}

/* The kernel's own variables. */
static int
sysctl_init_kern(void)
{
	int error;

	error = sysctl_add_struct("kern.boottime", &kern_boottime,
	    sizeof(kern_boottime), SYSCTL_READONLY,
	    "Time the kernel booted (struct timespec)");
	if (error == 0)
		error = sysctl_add_int("kern.maxfiles", &kern_maxfiles,
		    SYSCTL_READWRITE, "Maximum number of open files");
	if (error == 0)
		error = sysctl_set_range("kern.maxfiles", 1, INT32_MAX);
	return error;
}

/* The machine: what the host says. */
static int
sysctl_init_hw(void)
{
	int error;

	error = sysctl_init_num("hw.ncpu", SYSCTL_TYPE_INT, hyp_ncpu(),
	    "Number of CPUs");
	if (error == 0)
		error = sysctl_init_num("hw.pagesize", SYSCTL_TYPE_INT,
		    hyp_pagesize(), "Page size in bytes");
	if (error == 0)
		error = sysctl_init_num("hw.physmem", SYSCTL_TYPE_QUAD,
		    (int64_t)hyp_physmem(), "Physical memory in bytes");
	return error;
}

/* Boot: make the tree and its standard nodes. */
int
sysctl_init(void)
{
	int error;

	if (atomic_load(&sysctl_ready))
		return 0;
	rw_init(&sysctl_lock);
	sysctl_root = sysctl_node_alloc("", SYSCTL_TYPE_NODE, 0, NULL);
	if (sysctl_root == NULL)
		return ENOMEM;
	atomic_store(&sysctl_ready, 1);
	error = sysctl_add_node("kern", "General kernel parameters");
	if (error == 0)
		error = sysctl_add_node("hw", "Hardware");
	if (error == 0)
		error = sysctl_init_strings();
	if (error == 0)
		error = sysctl_init_kern();
	if (error == 0)
		error = sysctl_init_hw();
	if (error == 0)
		error = sysctl_add_node("vfs", "File systems");
	if (error == 0)
		error = sysctl_add_node("vfs.generic",
		    "Parameters of all file systems");
	if (error == 0)
		error = sysctl_add_func("vfs.generic.fstypes",
		    SYSCTL_TYPE_STRING, 512, sysctl_fstypes_read, NULL, NULL,
		    "Registered file system types, space-separated");
	return error;
}
