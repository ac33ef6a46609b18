// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hold.h"

/* A record kept, copied out of its ring, with the digest it waits for. */
struct kept {
	struct record r;  /* decoded from raw */
	struct digest *g; /* NULL: it waits for none, only behind another */
	__u64 due;	  /* CLOCK_MONOTONIC ns: it goes out without its digest then */
	size_t size;
	char raw[];
};

struct hold {
	struct digests *d;
	struct kept **q; /* a ring of cap entries, n of them from head */
	size_t head, n, cap;
	size_t bytes;
	struct record out; /* what hold_next gives */
};

struct hold *hold_open(struct digests *d)
{
	struct hold *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->d = d;
	return h;
}

void hold_close(struct hold *h)
{
	if (!h)
		return;
	while (h->n)
		hold_pop(h);
	free(h->q);
	free(h);
}

/* Bytes of the raw record r was decoded from. */
static size_t raw_size(const struct record *r)
{
	const struct event_hdr *e = &r->h;

	return EVENT_HDR_LEN + e->fname_len + e->args_len + e->cwd_len + e->exe_len + e->who_len +
	       e->anc_len + e->file_len + e->interp_len + e->env_len;
}

/* An exec that ran a file, whose identity the kernel sent. */
static bool ran(const struct record *r)
{
	return !(r->h.flags & EV_EXIT) && !r->h.ret;
}

/* Sets out's digest from the answer g in state st (DIGEST_PENDING: it came too late). */
static void set_hash(struct record *out, const struct digest *g, enum digest_state st)
{
	struct file_hash *fh = &out->hash;

	memset(fh, 0, sizeof(*fh));
	if (!ran(out))
		return;
	fh->asked = true;
	if (!(out->h.flags & EV_FILE))
		fh->missing = "ring-full"; /* sent without its sections */
	else if (!g)
		fh->missing = "unreadable"; /* no memory to ask */
	else if (st == DIGEST_PENDING)
		fh->missing = "late";
	else if (st != DIGEST_OK)
		fh->missing = digest_reason(st);
	else
		memcpy(fh->sha256, digest_sha256(g), sizeof(fh->sha256));
}

/* Makes room for one more entry in the ring of kept records; -ENOMEM. */
static int grow(struct hold *h)
{
	size_t cap = h->cap ? 2 * h->cap : 64;
	struct kept **q;

	if (h->n < h->cap)
		return 0;
	q = malloc(cap * sizeof(*q));
	if (!q)
		return -ENOMEM;
	for (size_t i = 0; i < h->n; i++)
		q[i] = h->q[(h->head + i) % h->cap];
	free(h->q);
	h->q = q;
	h->head = 0;
	h->cap = cap;
	return 0;
}

enum hold_take hold_take(struct hold *h, const struct record *r, const char *path,
			 struct record *out, __u64 now)
{
	size_t size = raw_size(r);
	struct digest *g = NULL;
	struct kept *k;

	/* asked at once, kept or not: the file is opened while it is still the one that ran */
	if (ran(r) && r->h.flags & EV_FILE)
		g = digest_get(h->d, r->h.pid, &r->file, path);
	if (!h->n && (!g || digest_state(g) != DIGEST_PENDING)) {
		*out = *r;
		set_hash(out, g, g ? digest_state(g) : DIGEST_UNREADABLE);
		digest_put(h->d, g);
		return HOLD_PRINT;
	}
	if (h->bytes + size > HOLD_BYTES_MAX || grow(h))
		goto full;
	k = malloc(sizeof(*k) + size);
	if (!k)
		goto full;
	memcpy(k->raw, &r->h, EVENT_HDR_LEN);
	memcpy(k->raw + EVENT_HDR_LEN, r->data, size - EVENT_HDR_LEN);
	if (record_decode(&k->r, k->raw, size)) {
		free(k);
		goto full;
	}
	k->g = g;
	k->due = now + HOLD_MS * 1000000ULL;
	k->size = size;
	h->q[(h->head + h->n) % h->cap] = k;
	h->n++;
	h->bytes += size;
	return HOLD_KEPT;
full:
	digest_put(h->d, g);
	return HOLD_FULL;
}

const struct record *hold_next(struct hold *h, __u64 now)
{
	struct kept *k;
	enum digest_state st;

	if (!h->n)
		return NULL;
	k = h->q[h->head];
	st = k->g ? digest_state(k->g) : DIGEST_OK;
	if (st == DIGEST_PENDING && now < k->due)
		return NULL;
	h->out = k->r;
	set_hash(&h->out, k->g, k->g ? st : DIGEST_UNREADABLE);
	return &h->out;
}

void hold_pop(struct hold *h)
{
	struct kept *k;

	if (!h->n)
		return;
	k = h->q[h->head];
	h->head = (h->head + 1) % h->cap;
	h->n--;
	h->bytes -= k->size;
	digest_put(h->d, k->g);
	free(k);
}

bool hold_empty(const struct hold *h)
{
	return !h || !h->n;
}

int hold_wait_ms(const struct hold *h, __u64 now)
{
	__u64 due;

	if (!h || !h->n)
		return -1;
	due = h->q[h->head]->due;
	return due > now ? (int)((due - now) / 1000000 + 1) : 0;
}

int hold_fd(const struct hold *h)
{
	return digests_fd(h->d);
}

void hold_clear(struct hold *h)
{
	__u64 n;

	/* an eventfd: one read takes every count */
	if (read(digests_fd(h->d), &n, sizeof(n)) < 0)
		return;
}
