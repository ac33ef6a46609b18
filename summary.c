// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "procset.h"
#include "summary.h"

#define BUCKETS (2 * SUMMARY_SLOTS) /* hash chains of a table, a power of two */

/* A process seen exec'ing, that may turn out to be a spawner. */
struct summary_recent {
	__u64 start_ns;
	__u32 pid; /* 0: empty */
	bool cut;
	__u16 len;
	char comm[TASK_COMM_LEN];
	char cmdline[SUMMARY_CMDLINE_MAX];
};

typedef bool (*match_fn)(const void *item, const void *key);

/* FNV-1a, from a seed of the run's */
static __u64 hash_bytes(__u64 seed, const char *s, size_t n)
{
	__u64 h = 0xcbf29ce484222325ULL ^ seed;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

static struct summary_slot *slot_at(const struct summary_table *t, size_t i)
{
	return (struct summary_slot *)((char *)t->items + i * t->item_size);
}

static void *item_at(const struct summary_table *t, size_t i)
{
	return slot_at(t, i);
}

static int table_init(struct summary_table *t, size_t item_size)
{
	memset(t, 0, sizeof(*t));
	t->item_size = item_size;
	t->items = calloc(SUMMARY_SLOTS, item_size);
	t->heap = calloc(SUMMARY_SLOTS, sizeof(*t->heap));
	t->chain = calloc(BUCKETS, sizeof(*t->chain));
	return t->items && t->heap && t->chain ? 0 : -ENOMEM;
}

static void table_reset(struct summary_table *t)
{
	t->len = 0;
	t->replaced = 0;
	memset(t->chain, 0, BUCKETS * sizeof(*t->chain));
}

static void table_free(struct summary_table *t)
{
	free(t->items);
	free(t->heap);
	free(t->chain);
	memset(t, 0, sizeof(*t));
}

/* The number of the slot matching key, or -1. */
static long table_find(const struct summary_table *t, __u64 h, match_fn eq, const void *key)
{
	for (__u32 v = t->chain[h & (BUCKETS - 1)]; v; v = slot_at(t, v - 1)->next) {
		if (slot_at(t, v - 1)->hash == h && eq(item_at(t, v - 1), key))
			return v - 1;
	}
	return -1;
}

static void heap_swap(struct summary_table *t, __u32 a, __u32 b)
{
	__u32 x = t->heap[a];

	t->heap[a] = t->heap[b];
	t->heap[b] = x;
	slot_at(t, t->heap[a])->heap = a;
	slot_at(t, t->heap[b])->heap = b;
}

/* Moves slot i down the heap after its count grew: the least count stays on top. */
static void heap_down(struct summary_table *t, size_t i)
{
	size_t at = slot_at(t, i)->heap, c;

	for (; (c = 2 * at + 1) < t->len; at = c) {
		if (c + 1 < t->len &&
		    slot_at(t, t->heap[c + 1])->execs < slot_at(t, t->heap[c])->execs)
			c++;
		if (slot_at(t, t->heap[c])->execs >= slot_at(t, t->heap[at])->execs)
			break;
		heap_swap(t, at, c);
	}
}

static void unlink_slot(struct summary_table *t, size_t i)
{
	__u32 *v = &t->chain[slot_at(t, i)->hash & (BUCKETS - 1)];

	while (*v != i + 1)
		v = &slot_at(t, *v - 1)->next;
	*v = slot_at(t, i)->next;
}

/*
 * A slot for a new name with hash h: a free one while there is one, else the
 * one with the least count, which the new name takes over with that count as
 * its error (Space-Saving). Its key fields are the caller's to fill.
 */
static size_t table_take(struct summary_table *t, __u64 h)
{
	unsigned long long was = 0;
	struct summary_slot *sl;
	size_t i;

	if (t->len < SUMMARY_SLOTS) {
		i = t->len++;
		sl = slot_at(t, i);
		memset(sl, 0, t->item_size);
		t->heap[i] = i;
		sl->heap = i;
		/* a count of 0 is the least: up to the top */
		while (sl->heap && slot_at(t, t->heap[(sl->heap - 1) / 2])->execs > 0)
			heap_swap(t, sl->heap, (sl->heap - 1) / 2);
	} else {
		i = t->heap[0];
		sl = slot_at(t, i);
		unlink_slot(t, i);
		was = sl->execs;
		memset((char *)sl + sizeof(*sl), 0, t->item_size - sizeof(*sl));
		sl->failed = 0;
		t->replaced++;
	}
	sl->execs = sl->err = was;
	sl->hash = h;
	sl->next = t->chain[h & (BUCKETS - 1)];
	t->chain[h & (BUCKETS - 1)] = i + 1;
	return i;
}

static void table_count(struct summary_table *t, size_t i, bool failed)
{
	slot_at(t, i)->execs++;
	slot_at(t, i)->failed += failed;
	heap_down(t, i);
}

struct id {
	__u32 pid;
	__u64 start_ns;
};

static bool spawner_is(const void *item, const void *key)
{
	const struct summary_spawner *sp = item;
	const struct id *id = key;

	return sp->pid == id->pid && sp->start_ns == id->start_ns;
}

static bool command_is(const void *item, const void *key)
{
	const struct summary_command *c = item;
	const struct words *w = key;
	size_t kept = w->path_len < SUMMARY_PATH_KEEP ? w->path_len : SUMMARY_PATH_KEEP;

	if (!w->has_path)
		return !c->known;
	return c->known && c->len == w->path_len && !memcmp(c->path, w->path, kept);
}

static int tally_init(struct summary_tally *t, __u64 now_ns)
{
	memset(t, 0, sizeof(*t));
	t->since_ns = now_ns;
	if (table_init(&t->spawners, sizeof(struct summary_spawner)) ||
	    table_init(&t->commands, sizeof(struct summary_command)))
		return -ENOMEM;
	return 0;
}

static void tally_free(struct summary_tally *t)
{
	table_free(&t->spawners);
	table_free(&t->commands);
}

int summary_init(struct summary *s, __u64 now_ns, summary_describe_fn describe)
{
	memset(s, 0, sizeof(*s));
	s->describe = describe;
	s->seed = procset_hash(now_ns >> 32, now_ns);
	s->recent = calloc(SUMMARY_RECENT, sizeof(*s->recent));
	if (tally_init(&s->total, now_ns) || tally_init(&s->interval, now_ns) || !s->recent)
		return -ENOMEM;
	return 0;
}

void summary_free(struct summary *s)
{
	tally_free(&s->total);
	tally_free(&s->interval);
	free(s->recent);
	s->recent = NULL;
}

void summary_next(struct summary *s, __u64 now_ns)
{
	struct summary_tally *t = &s->interval;

	table_reset(&t->spawners);
	table_reset(&t->commands);
	t->execs = t->failed = 0;
	t->since_ns = now_ns;
}

/* Copies n bytes of words to dst (room for SUMMARY_CMDLINE_MAX); true when they were cut. */
static bool copy_words(char *dst, __u16 *len, const char *src, size_t n)
{
	/* a last NUL terminates, it does not start an empty word */
	if (n && !src[n - 1])
		n--;
	*len = n > SUMMARY_CMDLINE_MAX ? SUMMARY_CMDLINE_MAX : n;
	memcpy(dst, src, *len);
	return n > SUMMARY_CMDLINE_MAX;
}

/* Keeps what a successful exec ran, in case the process spawns. */
static void remember(struct summary *s, const struct record *r, const struct words *w)
{
	struct summary_recent *rc =
		&s->recent[procset_hash(r->h.pid, r->h.start_ns) % SUMMARY_RECENT];
	size_t n = w->path_len < SUMMARY_CMDLINE_MAX ? w->path_len : SUMMARY_CMDLINE_MAX;
	size_t alen = w->args_len;

	rc->pid = r->h.pid;
	rc->start_ns = r->h.start_ns;
	memcpy(rc->comm, r->h.comm, sizeof(rc->comm));
	memcpy(rc->cmdline, w->path, n);
	rc->cut = w->cut || n < w->path_len;
	if (alen && !w->args[alen - 1])
		alen--;
	if (w->args_len && n < SUMMARY_CMDLINE_MAX) {
		size_t k;

		rc->cmdline[n++] = '\0';
		k = alen < SUMMARY_CMDLINE_MAX - n ? alen : SUMMARY_CMDLINE_MAX - n;
		memcpy(rc->cmdline + n, w->args, k);
		n += k;
		rc->cut |= k < alen;
	} else if (w->args_len) {
		rc->cut = true;
	}
	rc->len = n;
}

/* Names a spawner after the exec of pid@start_ns, if it was seen lately. */
static bool name_from(struct summary *s, struct summary_spawner *sp, __u32 pid, __u64 start_ns)
{
	struct summary_recent *rc = &s->recent[procset_hash(pid, start_ns) % SUMMARY_RECENT];

	if (!pid || rc->pid != pid || rc->start_ns != start_ns)
		return false;
	memcpy(sp->comm, rc->comm, sizeof(sp->comm));
	memcpy(sp->cmdline, rc->cmdline, rc->len);
	sp->cmdline_len = rc->len;
	sp->cut = rc->cut;
	sp->named = true;
	return true;
}

/*
 * Names a new spawner: by its own exec if it was seen lately; else as the
 * caller finds it (in /proc); else, when it is gone, by the exec of its
 * nearest ancestor that exec'd (anc), whose program it runs when it only forked.
 */
static void name(struct summary *s, struct summary_spawner *sp, __u32 anc_pid, __u64 anc_start_ns)
{
	char buf[SUMMARY_CMDLINE_MAX + 2];
	size_t len = 0;

	if (name_from(s, sp, sp->pid, sp->start_ns))
		return;
	if (s->describe && !s->describe(sp->pid, sp->start_ns, sp->comm, sizeof(sp->comm), buf,
					sizeof(buf), &len)) {
		sp->cut = copy_words(sp->cmdline, &sp->cmdline_len, buf, len);
		sp->named = true;
		return;
	}
	name_from(s, sp, anc_pid, anc_start_ns);
}

/* Counts an exec on its spawner in the total, then in the interval (named as in the total). */
static void add_spawner(struct summary *s, const struct record *r, bool failed)
{
	struct id id = { .pid = r->h.ppid, .start_ns = r->h.parent_start_ns };
	__u64 h = procset_hash(id.pid, id.start_ns);
	struct summary_table *tot = &s->total.spawners, *iv = &s->interval.spawners;
	struct summary_spawner *p;
	long i, k;

	i = table_find(tot, h, spawner_is, &id);
	if (i < 0) {
		i = table_take(tot, h);
		p = item_at(tot, i);
		p->pid = id.pid;
		p->start_ns = id.start_ns;
		name(s, p, r->h.anc_pid, r->h.anc_start_ns);
	}
	table_count(tot, i, failed);
	k = table_find(iv, h, spawner_is, &id);
	if (k < 0) {
		k = table_take(iv, h);
		p = item_at(iv, k);
		memcpy((char *)p + sizeof(struct summary_slot),
		       (char *)item_at(tot, i) + sizeof(struct summary_slot),
		       sizeof(*p) - sizeof(struct summary_slot));
	}
	table_count(iv, k, failed);
}

/* Counts an exec on its command in a table. */
static void add_command(struct summary_table *t, __u64 h, const struct words *w, bool failed)
{
	long i = table_find(t, h, command_is, w);

	if (i < 0) {
		struct summary_command *c;

		i = table_take(t, h);
		c = item_at(t, i);
		c->known = w->has_path;
		c->len = w->has_path ? w->path_len : 0;
		memcpy(c->path, w->path, c->len < SUMMARY_PATH_KEEP ? c->len : SUMMARY_PATH_KEEP);
	}
	table_count(t, i, failed);
}

void summary_add(struct summary *s, const struct record *r, const struct words *w)
{
	bool failed = r->h.ret != 0;
	__u64 h = w->has_path ? hash_bytes(s->seed, w->path, w->path_len) : 0;

	if (!failed)
		remember(s, r, w);
	add_spawner(s, r, failed);
	add_command(&s->total.commands, h, w, failed);
	add_command(&s->interval.commands, h, w, failed);
	s->total.execs++;
	s->total.failed += failed;
	s->interval.execs++;
	s->interval.failed += failed;
}

/* Before b in a table: more execs for sure, then more at most, then more failed, then first. */
static bool before(const struct summary_row *a, const struct summary_row *b)
{
	if (a->execs != b->execs)
		return a->execs > b->execs;
	if (a->err != b->err)
		return a->err > b->err;
	if (a->failed != b->failed)
		return a->failed > b->failed;
	return a->item < b->item;
}

static const struct summary_table *table_of(const struct summary *s, const struct summary_view *v,
					    bool spawners)
{
	const struct summary_tally *t = summary_tally(s, v);

	return spawners ? &t->spawners : &t->commands;
}

size_t summary_top(const struct summary *s, const struct summary_view *v, bool spawners,
		   struct summary_row *rows, size_t *others)
{
	const struct summary_table *t = table_of(s, v, spawners);
	size_t n = 0;

	for (size_t i = 0; i < t->len; i++) {
		const struct summary_slot *sl = slot_at(t, i);
		struct summary_row r = { i, sl->execs - sl->err, sl->failed, sl->err };
		size_t k;

		/* insertion into the sorted top */
		for (k = n; k > 0 && before(&r, &rows[k - 1]); k--) {
			if (k < SUMMARY_TOP)
				rows[k] = rows[k - 1];
		}
		if (k < SUMMARY_TOP) {
			rows[k] = r;
			if (n < SUMMARY_TOP)
				n++;
		}
	}
	*others = t->len - n;
	return n;
}

const struct summary_tally *summary_tally(const struct summary *s, const struct summary_view *v)
{
	return v->final ? &s->total : &s->interval;
}

__u64 summary_span(const struct summary *s, const struct summary_view *v)
{
	const struct summary_tally *t = summary_tally(s, v);

	return v->now_ns > t->since_ns ? v->now_ns - t->since_ns : 0;
}

const struct summary_spawner *summary_spawner(const struct summary *s, const struct summary_view *v,
					      long item)
{
	return item_at(table_of(s, v, true), item);
}

const struct summary_command *summary_command(const struct summary *s, const struct summary_view *v,
					      long item)
{
	return item_at(table_of(s, v, false), item);
}

/* The most any count of a table may be over: the least count, once a name was replaced. */
static unsigned long long error_bound(const struct summary_table *t)
{
	return t->replaced && t->len ? slot_at(t, t->heap[0])->execs : 0;
}

unsigned long long summary_bound(const struct summary *s, const struct summary_view *v)
{
	unsigned long long a = error_bound(table_of(s, v, true)),
			   b = error_bound(table_of(s, v, false));

	return a > b ? a : b;
}

bool summary_replaced(const struct summary *s, const struct summary_view *v, bool spawners)
{
	return table_of(s, v, spawners)->replaced;
}

void summary_others(const struct summary *s, const struct summary_view *v,
		    const struct summary_row *rows, size_t n, unsigned long long *execs,
		    unsigned long long *failed)
{
	const struct summary_tally *t = summary_tally(s, v);

	*execs = t->execs;
	*failed = t->failed;
	for (size_t i = 0; i < n; i++) {
		*execs -= rows[i].execs;
		*failed -= rows[i].failed;
	}
}
