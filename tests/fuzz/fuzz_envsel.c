// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target: --env lists through env_select_add, and environment
 * areas through env_walk, against a model.
 *
 * Input: a mode byte, then the bytes of a list or of an area.
 *	bit 3 set: the rest is a --env list (up to its first NUL), added twice;
 *	           what is kept must be well formed, and a bad list adds nothing.
 *	bit 3 clear: the rest is an area, walked with the pattern set of bits
 *	           0-1, cut when bit 2 is set. Every variable must lie in the
 *	           area, in its order, be selected, a key (name, and '=' when
 *	           it has one) not returned before, and cut only when it is the
 *	           unterminated end of a cut area; with up to MODEL_MAX strings
 *	           the walk must be exactly what a quadratic model says. "*"
 *	           (the fast path) and "?*" must walk alike.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "envsel.h"

#define MODEL_MAX 512 /* strings the quadratic model checks */

static const char *const lists[] = {
	"*",
	"LD_*,PATH,KUBECONFIG,*_PROXY",
	"?,A?,[a-c]*,\\*,[!A-Z]",
	"?*",
};

static struct env_select sel[4];
static struct env_walk w;
static struct env_var got[ENV_MAX], model[ENV_MAX];
static char list[ENV_MAX + 1];

static void fail(const char *what, size_t a, size_t b)
{
	fprintf(stderr, "fuzz_envsel: %s (%zu, %zu)\n", what, a, b);
	abort();
}

static size_t key_len(const struct env_var *v)
{
	return v->name_len + (v->value != NULL);
}

static bool same(const struct env_var *a, const struct env_var *b)
{
	return a->name == b->name && a->name_len == b->name_len && a->value == b->value &&
	       a->value_len == b->value_len;
}

static int by_key(const void *a, const void *b)
{
	const struct env_var *x = a, *y = b;
	size_t n = key_len(x) < key_len(y) ? key_len(x) : key_len(y);
	int c = memcmp(x->name, y->name, n);

	return c ? c : (key_len(x) > key_len(y)) - (key_len(x) < key_len(y));
}

static void check_list(const uint8_t *data, size_t size)
{
	struct env_select s = {};
	const char *why;
	unsigned int n;
	int err;

	memcpy(list, data, size < ENV_MAX ? size : ENV_MAX);
	list[size < ENV_MAX ? size : ENV_MAX] = '\0';
	for (int round = 0; round < 2; round++) {
		n = s.n;
		why = NULL;
		err = env_select_add(&s, list, &why);
		if (err && (err != -EINVAL || !why || s.n != n))
			fail("a failed add changed the patterns, or gave no reason", s.n, n);
		if (round && !err && s.n != n)
			fail("a list added again added patterns", s.n, n);
	}
	if (s.n > ENV_PATTERNS_MAX)
		fail("more patterns than the limit", s.n, ENV_PATTERNS_MAX);
	for (unsigned int i = 0; i < s.n; i++) {
		const char *p = s.pat[i];
		size_t len = strlen(p);

		if (!len || strchr(p, '=') || p[0] == ' ' || p[len - 1] == ' ')
			fail("a pattern is empty, holds '=' or a blank at an end", i, len);
		for (size_t k = 0; k < len; k++)
			if ((unsigned char)p[k] < 0x20 || p[k] == 0x7f)
				fail("a pattern holds a control character", i, k);
		for (unsigned int j = 0; j < i; j++)
			if (!strcmp(p, s.pat[j]))
				fail("a pattern is kept twice", j, i);
		if (!strcmp(p, "*") && !s.all)
			fail("\"*\" is there but not all", i, s.n);
	}
	env_select_free(&s);
}

/* Walks the area; returns how many variables it gave, in got[]. */
static size_t walk(const struct env_select *s, const char *area, size_t len, bool cut)
{
	size_t n = 0, end = len > ENV_MAX ? ENV_MAX : len;
	const char *prev = area;
	struct env_var *v;

	env_walk_start(&w, s, area, len, cut);
	while (env_walk_next(&w, &got[n])) {
		v = &got[n];
		if (v->name < prev || v->name_len == 0 || v->name + v->name_len > area + end)
			fail("a name out of the area or its order, or empty", v->name - area,
			     v->name_len);
		if (memchr(v->name, '=', v->name_len) || memchr(v->name, '\0', v->name_len))
			fail("a name holds '=' or a NUL", v->name - area, v->name_len);
		if (v->value &&
		    (v->value != v->name + v->name_len + 1 ||
		     v->value + v->value_len > area + end || memchr(v->value, '\0', v->value_len)))
			fail("a value not right after its name, past the area or holding a NUL",
			     v->value - area, v->value_len);
		if (!v->value && v->value_len)
			fail("no value, but a length", n, v->value_len);
		if (!v->value && v->cut)
			fail("a string cut before its '=' was returned", v->name - area,
			     v->name_len);
		prev = v->value ? v->value + v->value_len : v->name + v->name_len;
		if (v->cut && (prev != area + end || !(cut || len > ENV_MAX)))
			fail("a cut string that is not the end of a cut area", prev - area, end);
		if (!v->cut && prev < area + end && *prev != '\0')
			fail("a string not cut, yet not whole", prev - area, end);
		if (!v->cut && prev == area + end && (cut || len > ENV_MAX))
			fail("the unterminated end of a cut area, not marked cut", prev - area,
			     end);
		if (!env_selected(s, v->name, v->name_len))
			fail("a name not selected", v->name - area, v->name_len);
		n++;
	}
	return n;
}

/* The walk, the slow way: every string against every one kept before. */
static size_t walk_model(const struct env_select *s, const char *area, size_t len, bool cut)
{
	size_t n = 0, pos = 0, k, i, strings = 0;
	const char *p, *nul, *eq;
	struct env_var v;

	cut = cut || len > ENV_MAX;
	len = len > ENV_MAX ? ENV_MAX : len;
	while (pos < len) {
		p = area + pos;
		nul = memchr(p, '\0', len - pos);
		k = nul ? (size_t)(nul - p) : len - pos;
		pos += k + 1;
		if (++strings > MODEL_MAX)
			return (size_t)-1;
		eq = memchr(p, '=', k);
		v.name = p;
		v.name_len = eq ? (size_t)(eq - p) : k;
		v.value = eq ? eq + 1 : NULL;
		v.value_len = eq ? k - v.name_len - 1 : 0;
		v.cut = cut && !nul;
		/* cut before its '=': its name may be a prefix, and ends the walk */
		if (v.cut && !eq && v.name_len)
			break;
		if (!v.name_len || !env_selected(s, p, v.name_len))
			continue;
		for (i = 0; i < n && by_key(&model[i], &v); i++)
			;
		if (i == n)
			model[n++] = v;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *area = (const char *)data + 1;
	size_t len, n, m, i;
	uint8_t mode;
	bool cut;

	if (!sel[0].n) {
		for (i = 0; i < 4; i++) {
			const char *why = NULL;

			if (env_select_add(&sel[i], lists[i], &why))
				fail("a pattern set does not parse", i, 0);
			sel[i].seed = i * 0x9e3779b97f4a7c15ULL;
		}
	}
	if (size < 1)
		return 0;
	mode = data[0];
	len = size - 1;
	if (mode & 8) {
		check_list(data + 1, len);
		return 0;
	}
	cut = mode & 4;
	n = walk(&sel[mode & 3], area, len, cut);
	if (n > 1) {
		qsort(got, n, sizeof(got[0]), by_key);
		for (i = 1; i < n; i++)
			if (!by_key(&got[i - 1], &got[i]))
				fail("a name returned twice", got[i].name - area, got[i].name_len);
	}
	m = walk_model(&sel[mode & 3], area, len, cut);
	if (m != (size_t)-1) {
		if (m != n)
			fail("not the variables the model finds", n, m);
		n = walk(&sel[mode & 3], area, len, cut);
		for (i = 0; i < n; i++)
			if (!same(&got[i], &model[i]) || got[i].cut != model[i].cut)
				fail("a variable not the one the model finds", i, n);
	}
	/* "*" (no fnmatch) and "?*" (fnmatch) select the same */
	if ((mode & 3) == 0 || (mode & 3) == 3) {
		n = walk(&sel[0], area, len, cut);
		memcpy(model, got, n * sizeof(got[0]));
		if (walk(&sel[3], area, len, cut) != n)
			fail("\"*\" and \"?*\" walk differently", n, 0);
		for (i = 0; i < n; i++)
			if (!same(&got[i], &model[i]) || got[i].cut != model[i].cut)
				fail("\"*\" and \"?*\" give different variables", i, n);
	}
	return 0;
}
