/*
 * list.h: intrusive doubly linked lists with a sentinel head.
 */
#ifndef KERN_LIST_H
#define KERN_LIST_H

#include <stddef.h>

struct klist {
	struct klist *next, *prev;
};

#define KLIST_INIT(h) { &(h), &(h) }

static inline void
klist_init(struct klist *h)
{
	h->next = h->prev = h;
}

static inline int
klist_empty(const struct klist *h)
{
	return h->next == h;
}

static inline void
klist_insert_after(struct klist *pos, struct klist *e)
{
	e->next = pos->next;
	e->prev = pos;
	pos->next->prev = e;
	pos->next = e;
}

/* Append e at the tail of list h. */
static inline void
klist_append(struct klist *h, struct klist *e)
{
	klist_insert_after(h->prev, e);
}

static inline void
klist_prepend(struct klist *h, struct klist *e)
{
	klist_insert_after(h, e);
}

static inline void
klist_remove(struct klist *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e->prev = e;
}

#define klist_entry(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

/* Iterate; the _safe form allows removing the current element. */
#define klist_foreach(it, h) \
	for ((it) = (h)->next; (it) != (h); (it) = (it)->next)
#define klist_foreach_safe(it, tmp, h) \
	for ((it) = (h)->next, (tmp) = (it)->next; (it) != (h); \
	    (it) = (tmp), (tmp) = (it)->next)

#endif /* KERN_LIST_H */
