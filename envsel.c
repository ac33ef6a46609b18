// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "envsel.h"

#define STR_(x) #x
#define STR(x)	STR_(x)

_Static_assert(ENV_MAX < 65536, "env_slot holds offsets and lengths in 16 bits");
_Static_assert(ENV_SLOTS >= 2 * ((ENV_MAX + 1) / 2),
	       "a table of twice the strings an area of ENV_MAX bytes can hold");

/* One item of a list, with blanks around it dropped; NULL when it is fine. */
static const char *check_item(const char *p, size_t n)
{
	if (!n)
		return "an empty name";
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '=')
			return "a name cannot hold '='";
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return "a name cannot hold a control character";
	}
	return NULL;
}

static bool known(const struct env_select *s, const char *p, size_t n)
{
	for (unsigned int i = 0; i < s->n; i++) {
		if (!strncmp(s->pat[i], p, n) && !s->pat[i][n])
			return true;
	}
	return false;
}

int env_select_add(struct env_select *s, const char *list, const char **why)
{
	unsigned int n0 = s->n;
	bool all0 = s->all;
	const char *p = list, *end;
	size_t n;

	for (;;) {
		end = strchrnul(p, ',');
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		n = end - p;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		*why = check_item(p, n);
		if (*why)
			goto fail;
		if (!known(s, p, n)) {
			if (s->n == ENV_PATTERNS_MAX) {
				*why = "more than " STR(ENV_PATTERNS_MAX) " patterns";
				goto fail;
			}
			s->pat[s->n] = strndup(p, n);
			if (!s->pat[s->n]) {
				*why = NULL;
				goto fail;
			}
			if (n == 1 && *p == '*')
				s->all = true;
			s->n++;
		}
		if (!*end)
			return 0;
		p = end + 1;
	}
fail:
	while (s->n > n0)
		free(s->pat[--s->n]);
	s->all = all0;
	return *why ? -EINVAL : -ENOMEM;
}

void env_select_free(struct env_select *s)
{
	for (unsigned int i = 0; i < s->n; i++)
		free(s->pat[i]);
	s->n = 0;
	s->all = false;
}

/* name is NUL-terminated */
static bool match(const struct env_select *s, const char *name)
{
	if (s->all)
		return true;
	for (unsigned int i = 0; i < s->n; i++) {
		if (!fnmatch(s->pat[i], name, 0))
			return true;
	}
	return false;
}

bool env_selected(const struct env_select *s, const char *name, size_t len)
{
	char buf[ENV_MAX + 1];

	if (s->all)
		return true;
	if (len > ENV_MAX)
		return false;
	memcpy(buf, name, len);
	buf[len] = '\0';
	return match(s, buf);
}

/* FNV-1a keyed by the seed, then the splitmix64 finalizer so that every bit counts */
static __u64 hash(__u64 seed, const char *p, size_t n)
{
	__u64 h = 0xcbf29ce484222325ULL ^ seed;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	h ^= seed >> 17 | seed << 47;
	h = (h ^ h >> 30) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ h >> 27) * 0x94d049bb133111ebULL;
	return h ^ h >> 31;
}

void env_walk_start(struct env_walk *w, const struct env_select *s, const char *area, size_t len,
		    bool cut)
{
	size_t strings = 1, slots = 8;
	const char *p, *end;

	if (len > ENV_MAX) {
		len = ENV_MAX;
		cut = true;
	}
	w->sel = s;
	w->area = area;
	w->len = len;
	w->pos = 0;
	w->cut = cut;
	/* at most one name a string: twice that many slots keeps the probes short */
	for (p = area, end = area + len; p < end && (p = memchr(p, '\0', end - p)); p++)
		strings++;
	while (slots < 2 * strings && slots < ENV_SLOTS)
		slots *= 2;
	w->mask = slots - 1;
	memset(w->slot, 0, slots * sizeof(w->slot[0]));
}

/* Whether the key (a name, with its '=' if any) is new to this walk; notes it if so. */
static bool first_seen(struct env_walk *w, const char *key, size_t len)
{
	__u64 h = hash(w->sel->seed, key, len);
	__u32 i = (__u32)(h >> 32) & w->mask, tag = (__u32)h;
	struct env_slot *e;

	for (;; i = (i + 1) & w->mask) {
		e = &w->slot[i];
		if (!e->at)
			break;
		if (e->tag == tag && e->len == len && !memcmp(w->area + e->at - 1, key, len))
			return false;
	}
	e->tag = tag;
	e->at = key - w->area + 1;
	e->len = len;
	return true;
}

bool env_walk_next(struct env_walk *w, struct env_var *v)
{
	const char *s, *nul, *eq;
	size_t n, rest;

	while (w->pos < w->len) {
		s = w->area + w->pos;
		rest = w->len - w->pos;
		nul = memchr(s, '\0', rest);
		n = nul ? (size_t)(nul - s) : rest;
		w->pos += nul ? n + 1 : n;
		eq = memchr(s, '=', n);
		v->name = s;
		v->name_len = eq ? (size_t)(eq - s) : n;
		if (!v->name_len)
			continue; /* empty, or no name */
		/* cut before its '=': the name itself may be a prefix, so it names nothing */
		if (w->cut && !nul && !eq)
			break;
		if (!w->sel->all) {
			memcpy(w->name, s, v->name_len);
			w->name[v->name_len] = '\0';
			if (!match(w->sel, w->name))
				continue;
		}
		if (!first_seen(w, s, v->name_len + !!eq))
			continue;
		v->value = eq ? eq + 1 : NULL;
		v->value_len = eq ? n - v->name_len - 1 : 0;
		v->cut = w->cut && !nul;
		return true;
	}
	return false;
}
