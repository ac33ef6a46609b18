// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "btfmin.h"

/* The kinds a root may be, and which kinds match: an enum of either width is one. */
enum root_class { NOT_ROOT, ROOT_STRUCT, ROOT_UNION, ROOT_ENUM, ROOT_TYPEDEF };

struct root {
	enum root_class class;
	const char *name;
	size_t len; /* up to a flavour's "___" */
};

struct copy {
	const struct btf *k;
	struct btf *out;
	__u32 *id;     /* kernel id -> id in out, 0 while not yet wanted */
	__u32 *queue;  /* kernel ids in the order their copies are added */
	__u32 n, done; /* queued; added */
};

/* The first id after the shared void *, which is id 1. */
#define FIRST_ID 2

static enum root_class class_of(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
		return ROOT_STRUCT;
	case BTF_KIND_UNION:
		return ROOT_UNION;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return ROOT_ENUM;
	case BTF_KIND_TYPEDEF:
		return ROOT_TYPEDEF;
	default:
		return NOT_ROOT;
	}
}

static int root_cmp(const void *a, const void *b)
{
	const struct root *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return (int)x->class - (int)y->class;
}

/* The object's named types that can root a relocation, sorted; *n of them. */
static struct root *local_roots(const struct btf *local, size_t *n)
{
	__u32 cnt = btf__type_cnt(local);
	struct root *r = calloc(cnt, sizeof(*r));

	*n = 0;
	if (!r)
		return NULL;
	for (__u32 i = 1; i < cnt; i++) {
		const struct btf_type *t = btf__type_by_id(local, i);
		const char *name = btf__name_by_offset(local, t->name_off);
		const char *flavour;

		if (class_of(t) == NOT_ROOT || !name || !*name)
			continue;
		flavour = strstr(name, "___");
		r[*n] = (struct root){ class_of(t), name,
				       flavour ? (size_t)(flavour - name) : strlen(name) };
		(*n)++;
	}
	qsort(r, *n, sizeof(*r), root_cmp);
	return r;
}

/* The id in out of kernel type kid, queued to be copied if it is new. */
static __u32 want(struct copy *c, __u32 kid)
{
	const struct btf_type *t;

	if (!kid)
		return 0;
	t = btf__type_by_id(c->k, kid);
	if (btf_is_ptr(t))
		return 1; /* void *: a relocation only checks that a pointer is one */
	if (!c->id[kid]) {
		c->queue[c->n++] = kid;
		c->id[kid] = c->n - 1 + FIRST_ID;
	}
	return c->id[kid];
}

/* Adds the copy of kernel type kid to out; its id is the one want gave. */
static int add(struct copy *c, __u32 kid)
{
	const struct btf_type *t = btf__type_by_id(c->k, kid);
	const char *name = btf__name_by_offset(c->k, t->name_off);
	int id, err = 0;

	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		if (btf_int_offset(t) || btf_int_bits(t) != t->size * 8)
			return -EOPNOTSUPP;
		id = btf__add_int(c->out, name, t->size, btf_int_encoding(t));
		break;
	case BTF_KIND_FLOAT:
		id = btf__add_float(c->out, name, t->size);
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);
		__u32 index = want(c, a->index_type), elem = want(c, a->type);

		id = btf__add_array(c->out, index, elem, a->nelems);
		break;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = btf_members(t);
		__u16 vlen = btf_vlen(t);

		id = btf_is_struct(t) ? btf__add_struct(c->out, name, t->size)
				      : btf__add_union(c->out, name, t->size);
		for (__u16 i = 0; id > 0 && !err && i < vlen; i++)
			err = btf__add_field(c->out, btf__name_by_offset(c->k, m[i].name_off),
					     want(c, m[i].type), btf_member_bit_offset(t, i),
					     btf_member_bitfield_size(t, i));
		break;
	}
	case BTF_KIND_ENUM: {
		const struct btf_enum *e = btf_enum(t);
		__u16 vlen = btf_vlen(t);

		id = btf__add_enum(c->out, name, t->size);
		for (__u16 i = 0; id > 0 && !err && i < vlen; i++)
			err = btf__add_enum_value(c->out, btf__name_by_offset(c->k, e[i].name_off),
						  btf_kflag(t) ? (__s64)e[i].val
							       : (__s64)(__u32)e[i].val);
		break;
	}
	case BTF_KIND_ENUM64: {
		const struct btf_enum64 *e = btf_enum64(t);
		__u16 vlen = btf_vlen(t);

		id = btf__add_enum64(c->out, name, t->size, btf_kflag(t));
		for (__u16 i = 0; id > 0 && !err && i < vlen; i++)
			err = btf__add_enum64_value(c->out,
						    btf__name_by_offset(c->k, e[i].name_off),
						    btf_enum64_value(&e[i]));
		break;
	}
	case BTF_KIND_FWD:
		id = btf__add_fwd(c->out, name, btf_kflag(t) ? BTF_FWD_UNION : BTF_FWD_STRUCT);
		break;
	case BTF_KIND_TYPEDEF:
		id = btf__add_typedef(c->out, name, want(c, t->type));
		break;
	case BTF_KIND_VOLATILE:
		id = btf__add_volatile(c->out, want(c, t->type));
		break;
	case BTF_KIND_CONST:
		id = btf__add_const(c->out, want(c, t->type));
		break;
	case BTF_KIND_RESTRICT:
		id = btf__add_restrict(c->out, want(c, t->type));
		break;
	case BTF_KIND_TYPE_TAG:
		id = btf__add_type_tag(c->out, name, want(c, t->type));
		break;
	default:
		/* functions, variables, sections: not reachable from a type's layout */
		return -EOPNOTSUPP;
	}
	if (id < 0)
		return id;
	if (err)
		return err;
	return (__u32)id == c->id[kid] ? 0 : -EINVAL;
}

struct btf *btfmin_new(const struct btf *local, const struct btf *kernel)
{
	__u32 cnt = btf__type_cnt(kernel);
	struct copy c = { .k = kernel };
	struct root *roots;
	size_t nroots;
	int err = -ENOMEM;

	roots = local_roots(local, &nroots);
	c.out = btf__new_empty();
	c.id = calloc(cnt, sizeof(*c.id));
	c.queue = calloc(cnt, sizeof(*c.queue));
	if (!roots || !c.out || !c.id || !c.queue)
		goto out;
	err = btf__add_ptr(c.out, 0);
	if (err != 1) {
		err = err < 0 ? err : -EINVAL;
		goto out;
	}
	for (__u32 i = 1; i < cnt; i++) {
		const struct btf_type *t = btf__type_by_id(kernel, i);
		const char *name = btf__name_by_offset(kernel, t->name_off);
		struct root key = { class_of(t), name, name ? strlen(name) : 0 };

		if (key.class != NOT_ROOT && key.len &&
		    bsearch(&key, roots, nroots, sizeof(*roots), root_cmp))
			want(&c, i);
	}
	for (err = 0; !err && c.done < c.n; c.done++)
		err = add(&c, c.queue[c.done]);
out:
	free(roots);
	free(c.id);
	free(c.queue);
	if (err) {
		btf__free(c.out);
		errno = -err;
		return NULL;
	}
	return c.out;
}
