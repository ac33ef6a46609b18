// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of btfmin.c: the part of a kernel BTF an object's relocations
 * read, on small BTFs built here. (tests/e2e/btf-cache.bats compares the
 * relocations against the running kernel's whole BTF and against the part.)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>
#include "btfmin.h"

/*
 * The kernel: struct task { int pid; struct mm *mm; struct inner in; union
 * { long a; char c[4]; }; const int flags:3; }, struct mm { long total; },
 * struct unused { int x; }, enum state (64 bits), typedef struct inner inner_t.
 */
static struct btf *kernel(void)
{
	struct btf *k = btf__new_empty();
	int i32, i64, chr, mm, ptr_mm, inner, uni, arr, task, cnst, unused, st;

	assert_non_null(k);
	i32 = btf__add_int(k, "int", 4, BTF_INT_SIGNED);
	i64 = btf__add_int(k, "long", 8, BTF_INT_SIGNED);
	chr = btf__add_int(k, "char", 1, BTF_INT_CHAR);
	mm = btf__add_struct(k, "mm", 8);
	assert_int_equal(btf__add_field(k, "total", i64, 0, 0), 0);
	ptr_mm = btf__add_ptr(k, mm);
	inner = btf__add_struct(k, "inner", 4);
	assert_int_equal(btf__add_field(k, "depth", i32, 0, 0), 0);
	arr = btf__add_array(k, i32, chr, 4);
	uni = btf__add_union(k, NULL, 8);
	assert_int_equal(btf__add_field(k, "a", i64, 0, 0), 0);
	assert_int_equal(btf__add_field(k, "c", arr, 0, 0), 0);
	cnst = btf__add_const(k, i32);
	task = btf__add_struct(k, "task", 40);
	assert_int_equal(btf__add_field(k, "pid", i32, 0, 0), 0);
	assert_int_equal(btf__add_field(k, "mm", ptr_mm, 64, 0), 0);
	assert_int_equal(btf__add_field(k, "in", inner, 128, 0), 0);
	assert_int_equal(btf__add_field(k, NULL, uni, 192, 0), 0);
	assert_int_equal(btf__add_field(k, "flags", cnst, 256, 3), 0);
	unused = btf__add_struct(k, "unused", 4);
	assert_int_equal(btf__add_field(k, "x", i32, 0, 0), 0);
	st = btf__add_enum64(k, "state", 8, false);
	assert_int_equal(btf__add_enum64_value(k, "RUNNING", 0), 0);
	assert_int_equal(btf__add_enum64_value(k, "HUGE", 1ULL << 40), 0);
	assert_true(btf__add_typedef(k, "inner_t", inner) > 0);
	assert_true(task > 0 && unused > 0 && st > 0);
	return k;
}

/* What an object says it reads: a flavour of task, and enum state (32 bits here). */
static struct btf *local(void)
{
	struct btf *l = btf__new_empty();
	int i32 = btf__add_int(l, "int", 4, BTF_INT_SIGNED);
	int t = btf__add_struct(l, "task___old", 4);

	assert_int_equal(btf__add_field(l, "pid", i32, 0, 0), 0);
	assert_true(t > 0);
	assert_true(btf__add_enum(l, "state", 4) > 0);
	assert_int_equal(btf__add_enum_value(l, "RUNNING", 0), 0);
	return l;
}

static const struct btf_type *named(const struct btf *b, const char *name, int kind)
{
	__s32 id = btf__find_by_name_kind(b, name, kind);

	return id > 0 ? btf__type_by_id(b, id) : NULL;
}

static void test_keeps_what_roots_embed(void **state)
{
	struct btf *k = kernel(), *l = local(), *part;
	const struct btf_type *t, *m, *u;
	const struct btf_member *mem;

	(void)state;
	part = btfmin_new(l, k);
	assert_non_null(part);

	/* the root, whole: every member, at its offset, bitfield and all */
	t = named(part, "task", BTF_KIND_STRUCT);
	assert_non_null(t);
	assert_int_equal(t->size, 40);
	assert_int_equal(btf_vlen(t), 5);
	mem = btf_members(t);
	assert_string_equal(btf__name_by_offset(part, mem[2].name_off), "in");
	assert_int_equal(btf_member_bit_offset(t, 2), 128);
	assert_int_equal(btf_member_bit_offset(t, 4), 256);
	assert_int_equal(btf_member_bitfield_size(t, 4), 3);
	m = btf__type_by_id(part, mem[4].type);
	assert_true(btf_is_const(m));

	/* a pointer is void *: the struct behind it is not the object's */
	m = btf__type_by_id(part, mem[1].type);
	assert_true(btf_is_ptr(m));
	assert_int_equal(m->type, 0);
	assert_null(named(part, "mm", BTF_KIND_STRUCT));

	/* what it embeds comes with it: a struct, and an anonymous union with its array */
	assert_non_null(named(part, "inner", BTF_KIND_STRUCT));
	u = btf__type_by_id(part, mem[3].type);
	assert_true(btf_is_union(u));
	m = btf__type_by_id(part, btf_members(u)[1].type);
	assert_true(btf_is_array(m));
	assert_int_equal(btf_array(m)->nelems, 4);

	/* an enum root of another width, whole with its 64-bit value */
	t = named(part, "state", BTF_KIND_ENUM64);
	assert_non_null(t);
	assert_int_equal(btf_vlen(t), 2);
	assert_true(btf_enum64_value(&btf_enum64(t)[1]) == 1ULL << 40);

	/* and nothing the object does not name */
	assert_null(named(part, "unused", BTF_KIND_STRUCT));
	assert_null(named(part, "inner_t", BTF_KIND_TYPEDEF));
	assert_true(btf__type_cnt(part) < btf__type_cnt(k));

	btf__free(part);
	btf__free(l);
	btf__free(k);
}

static void test_no_roots(void **state)
{
	struct btf *k = kernel(), *l = btf__new_empty(), *part;

	(void)state;
	part = btfmin_new(l, k);
	assert_non_null(part);
	/* only the shared void * */
	assert_int_equal(btf__type_cnt(part), 2);
	btf__free(part);
	btf__free(l);
	btf__free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keeps_what_roots_embed),
		cmocka_unit_test(test_no_roots),
	};

	return cmocka_run_group_tests_name("btfmin", tests, NULL, NULL);
}
