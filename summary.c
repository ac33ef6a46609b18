// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "procset.h"
#include "summary.h"

/* An interval's count for an item of the total. */
struct ref {
	__u64 hash;
	__u32 item;
	unsigned long long execs, failed;
};

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

/* FNV-1a */
static __u64 hash_bytes(const char *s, size_t n)
{
	__u64 h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

static void *item_at(const struct summary_table *t, size_t i)
{
	return (char *)t->items + i * t->item_size;
}

static void index_put(struct summary_table *t, __u64 h, __u32 v)
{
	size_t i;

	for (i = (h >> 17) & (t->index_cap - 1); t->index[i]; i = (i + 1) & (t->index_cap - 1))
		;
	t->index[i] = v;
}

/* The number of the item matching key, or -1. */
static long table_find(const struct summary_table *t, __u64 h, match_fn eq, const void *key)
{
	if (!t->index_cap)
		return -1;
	for (size_t i = (h >> 17) & (t->index_cap - 1);; i = (i + 1) & (t->index_cap - 1)) {
		__u32 v = t->index[i];

		if (!v)
			return -1;
		if (*(__u64 *)item_at(t, v - 1) == h && eq(item_at(t, v - 1), key))
			return v - 1;
	}
}

/* Adds a zeroed item with hash h; its number, or -1 when the table is full or memory ran out. */
static long table_add(struct summary_table *t, __u64 h)
{
	void *item;

	if (t->len >= SUMMARY_KEYS_MAX)
		return -1;
	if (t->len == t->items_cap) {
		size_t cap = t->items_cap ? 2 * t->items_cap : 64;
		void *more = realloc(t->items, cap * t->item_size);

		if (!more)
			return -1;
		t->items = more;
		t->items_cap = cap;
	}
	if ((t->len + 1) * 2 > t->index_cap) {
		size_t cap = t->index_cap ? 2 * t->index_cap : 128;
		__u32 *index = calloc(cap, sizeof(*index));

		if (!index)
			return -1;
		free(t->index);
		t->index = index;
		t->index_cap = cap;
		for (size_t i = 0; i < t->len; i++)
			index_put(t, *(__u64 *)item_at(t, i), i + 1);
	}
	item = item_at(t, t->len);
	memset(item, 0, t->item_size);
	*(__u64 *)item = h;
	index_put(t, h, t->len + 1);
	return t->len++;
}

static void table_free(struct summary_table *t)
{
	free(t->items);
	free(t->index);
	t->items = NULL;
	t->index = NULL;
	t->len = t->items_cap = t->index_cap = 0;
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

	if (!w->has_path)
		return !c->path;
	return c->path && c->len == w->path_len && !memcmp(c->path, w->path, c->len);
}

static bool ref_is(const void *item, const void *key)
{
	return ((const struct ref *)item)->item == *(const __u32 *)key;
}

static void tally_init(struct summary_tally *t, bool refs, __u64 now_ns)
{
	memset(t, 0, sizeof(*t));
	t->spawners.item_size = refs ? sizeof(struct ref) : sizeof(struct summary_spawner);
	t->commands.item_size = refs ? sizeof(struct ref) : sizeof(struct summary_command);
	t->since_ns = now_ns;
}

static void tally_free(struct summary_tally *t, bool refs)
{
	if (!refs) {
		for (size_t i = 0; i < t->commands.len; i++)
			free(((struct summary_command *)item_at(&t->commands, i))->path);
	}
	table_free(&t->spawners);
	table_free(&t->commands);
}

int summary_init(struct summary *s, __u64 now_ns, summary_describe_fn describe)
{
	memset(s, 0, sizeof(*s));
	tally_init(&s->total, false, now_ns);
	tally_init(&s->interval, true, now_ns);
	s->describe = describe;
	s->recent = calloc(SUMMARY_RECENT, sizeof(*s->recent));
	return s->recent ? 0 : -ENOMEM;
}

void summary_free(struct summary *s)
{
	tally_free(&s->total, false);
	tally_free(&s->interval, true);
	free(s->recent);
	s->recent = NULL;
}

void summary_next(struct summary *s, __u64 now_ns)
{
	tally_free(&s->interval, true);
	tally_init(&s->interval, true, now_ns);
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

/* Counts one exec on item of a total table and its interval's ref; else on the others. */
static void count(struct summary_tally *total, struct summary_tally *iv, bool spawners, long item,
		  bool failed)
{
	struct summary_table *rt = spawners ? &iv->spawners : &iv->commands;
	unsigned long long *other = spawners ? total->other_spawners : total->other_commands;
	unsigned long long *iv_other = spawners ? iv->other_spawners : iv->other_commands;
	__u32 key = item;
	struct ref *ref;
	long r = -1;

	if (item < 0) {
		other[0]++;
		other[1] += failed;
		iv_other[0]++;
		iv_other[1] += failed;
		return;
	}
	if (spawners) {
		struct summary_spawner *sp = item_at(&total->spawners, item);

		sp->execs++;
		sp->failed += failed;
	} else {
		struct summary_command *c = item_at(&total->commands, item);

		c->execs++;
		c->failed += failed;
	}
	r = table_find(rt, procset_hash(key, 0), ref_is, &key);
	if (r < 0) {
		r = table_add(rt, procset_hash(key, 0));
		if (r < 0) {
			iv_other[0]++;
			iv_other[1] += failed;
			return;
		}
		((struct ref *)item_at(rt, r))->item = key;
	}
	ref = item_at(rt, r);
	ref->execs++;
	ref->failed += failed;
}

void summary_add(struct summary *s, const struct record *r, const struct words *w)
{
	struct id id = { .pid = r->h.ppid, .start_ns = r->h.parent_start_ns };
	__u64 h = procset_hash(id.pid, id.start_ns);
	bool failed = r->h.ret != 0;
	long sp, cmd;

	if (!failed)
		remember(s, r, w);

	sp = table_find(&s->total.spawners, h, spawner_is, &id);
	if (sp < 0) {
		sp = table_add(&s->total.spawners, h);
		if (sp >= 0) {
			struct summary_spawner *p = item_at(&s->total.spawners, sp);

			p->pid = id.pid;
			p->start_ns = id.start_ns;
			name(s, p, r->h.anc_pid, r->h.anc_start_ns);
		}
	}

	h = w->has_path ? hash_bytes(w->path, w->path_len) : 0;
	cmd = table_find(&s->total.commands, h, command_is, w);
	if (cmd < 0) {
		char *path = NULL;

		if (w->has_path) {
			path = malloc(w->path_len ? w->path_len : 1);
			if (path)
				memcpy(path, w->path, w->path_len);
		}
		if (!w->has_path || path)
			cmd = table_add(&s->total.commands, h);
		if (cmd >= 0) {
			struct summary_command *c = item_at(&s->total.commands, cmd);

			c->path = path;
			c->len = w->path_len;
		} else {
			free(path);
		}
	}

	s->total.execs++;
	s->total.failed += failed;
	s->interval.execs++;
	s->interval.failed += failed;
	count(&s->total, &s->interval, true, sp, failed);
	count(&s->total, &s->interval, false, cmd, failed);
}

/* Before b in a table: more execs, then more failed, then seen first. */
static bool before(const struct summary_row *a, const struct summary_row *b)
{
	if (a->execs != b->execs)
		return a->execs > b->execs;
	if (a->failed != b->failed)
		return a->failed > b->failed;
	return a->item < b->item;
}

size_t summary_top(const struct summary *s, const struct summary_view *v, bool spawners,
		   struct summary_row *rows, size_t *others)
{
	bool final = v->final;
	const struct summary_table *t =
		final ? (spawners ? &s->total.spawners : &s->total.commands)
		      : (spawners ? &s->interval.spawners : &s->interval.commands);
	size_t n = 0;

	for (size_t i = 0; i < t->len; i++) {
		struct summary_row r;
		size_t k;

		if (final && spawners) {
			const struct summary_spawner *sp = item_at(t, i);

			r = (struct summary_row){ i, sp->execs, sp->failed };
		} else if (final) {
			const struct summary_command *c = item_at(t, i);

			r = (struct summary_row){ i, c->execs, c->failed };
		} else {
			const struct ref *ref = item_at(t, i);

			r = (struct summary_row){ ref->item, ref->execs, ref->failed };
		}
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

const struct summary_spawner *summary_spawner(const struct summary *s, long item)
{
	return item_at(&s->total.spawners, item);
}

const struct summary_command *summary_command(const struct summary *s, long item)
{
	return item_at(&s->total.commands, item);
}
