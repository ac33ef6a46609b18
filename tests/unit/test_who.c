// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The names of what the WHO section holds: capabilities, the tty, the PRIV column. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "who.h"

static void test_cap_names(void **state)
{
	char buf[CAP_NAME_MAX];

	(void)state;
	/* the first, one in the middle and the last named in linux/capability.h */
	assert_string_equal(cap_name(0, buf), "cap_chown");
	assert_string_equal(cap_name(13, buf), "cap_net_raw");
	assert_string_equal(cap_name(21, buf), "cap_sys_admin");
	assert_string_equal(cap_name(38, buf), "cap_perfmon");
	assert_string_equal(cap_name(39, buf), "cap_bpf");
	assert_string_equal(cap_name(40, buf), "cap_checkpoint_restore");
	/* one this table does not know yet: its number */
	assert_string_equal(cap_name(41, buf), "cap_41");
	assert_string_equal(cap_name(63, buf), "cap_63");
}

static void test_tty(void **state)
{
	struct who w = {};
	char out[TTY_SHOWN_MAX];

	(void)state;
	assert_int_equal(who_tty(out, &w), 0);
	/* a pty slave as ps and tty(1) name it */
	strcpy(w.tty, "pts3");
	w.tty_index = 3;
	w.flags = WHO_PTS;
	assert_int_equal(who_tty(out, &w), 5);
	assert_string_equal(out, "pts/3");
	w.tty_index = 4294967295U;
	who_tty(out, &w);
	assert_string_equal(out, "pts/4294967295");
	/* anything else by the kernel's name */
	w.flags = 0;
	strcpy(w.tty, "ttyS0");
	assert_int_equal(who_tty(out, &w), 5);
	assert_string_equal(out, "ttyS0");
	/* a name that fills the field, unterminated */
	memset(w.tty, 'a', sizeof(w.tty));
	assert_int_equal(who_tty(out, &w), sizeof(w.tty));
	assert_int_equal(strlen(out), sizeof(w.tty));
}

static const char *names(__u32 uid)
{
	return uid == 0 ? "root"
	       : uid == 7
		       ? "a-very-long-name-of-more-than-64-bytes-..................................."
		       : NULL;
}

static void test_priv_text(void **state)
{
	struct who w = { .euid = 1000, .egid = 1000, .flags = WHO_PRIV };
	char out[PRIV_TEXT_MAX];

	(void)state;
	assert_false(who_raised(&w));
	who_priv_text(out, &w, names);
	assert_string_equal(out, "-");
	w.euid = 0;
	w.flags |= WHO_SETUID;
	assert_true(who_raised(&w));
	assert_int_equal(who_priv_text(out, &w, names), strlen("setuid=root"));
	assert_string_equal(out, "setuid=root");
	/* no name known, or one too long: the uid */
	who_priv_text(out, &w, NULL);
	assert_string_equal(out, "setuid=0");
	w.euid = 7;
	who_priv_text(out, &w, names);
	assert_string_equal(out, "setuid=7");
	w.egid = 42;
	w.flags |= WHO_SETGID;
	who_priv_text(out, &w, NULL);
	assert_string_equal(out, "setuid=7+setgid=42");
	w.flags &= ~WHO_SETUID;
	who_priv_text(out, &w, NULL);
	assert_string_equal(out, "setgid=42");
	w.flags &= ~WHO_SETGID;
	w.caps = 1ULL << 13 | 1ULL << 12;
	assert_true(who_raised(&w));
	who_priv_text(out, &w, NULL);
	assert_string_equal(out, "caps=cap_net_admin,cap_net_raw");
	/* all 64 bits: within PRIV_TEXT_MAX */
	w.caps = ~0ULL;
	w.flags |= WHO_SETUID | WHO_SETGID;
	assert_true(who_priv_text(out, &w, names) < PRIV_TEXT_MAX);
	assert_non_null(strstr(out, "setuid=7+setgid=42+caps=cap_chown,"));
	assert_non_null(strstr(out, ",cap_checkpoint_restore,cap_41,"));
	assert_non_null(strstr(out, ",cap_63"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_names),
		cmocka_unit_test(test_tty),
		cmocka_unit_test(test_priv_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
