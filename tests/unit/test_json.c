// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* JSON Lines: lossless bytes, the exec and exit objects. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "envsel.h"
#include "json.h"
#include "records.h"

static struct event ev;
static struct record rec;
static struct words w;
static char out[JSON_MAX_LEN];

static const char *bytes(const char *s, size_t n)
{
	out[json_bytes(out, s, n)] = '\0';
	return out;
}

static void test_bytes_utf8_is_a_string(void **state)
{
	(void)state;
	assert_string_equal(bytes("plain", 5), "\"plain\"");
	assert_string_equal(bytes("", 0), "\"\"");
	assert_string_equal(bytes("h\xc3\xa9llo \xe2\x82\xac", 10),
			    "\"h\xc3\xa9llo \xe2\x82\xac\"");
	assert_string_equal(bytes("q\"b\\s", 5), "\"q\\\"b\\\\s\"");
}

static void test_bytes_controls_are_escaped(void **state)
{
	(void)state;
	assert_string_equal(bytes("a\nb\tc\rd", 7), "\"a\\nb\\tc\\rd\"");
	assert_string_equal(bytes("\x1b[31m\x7f", 6), "\"\\u001b[31m\\u007f\"");
	/* U+009B, a C1 control: valid UTF-8, escaped for terminals */
	assert_string_equal(bytes("\xc2\x9b", 2), "\"\\u009b\"");
	/* NUL inside is a control like any other */
	assert_string_equal(bytes("a\0b", 3), "\"a\\u0000b\"");
}

static void test_bytes_invalid_utf8_is_hex(void **state)
{
	(void)state;
	assert_string_equal(bytes("\xff\x01", 2), "{\"hex\":\"ff01\"}");
	/* overlong, surrogate, cut sequence */
	assert_string_equal(bytes("\xc0\xaf", 2), "{\"hex\":\"c0af\"}");
	assert_string_equal(bytes("\xed\xa0\x80", 3), "{\"hex\":\"eda080\"}");
	assert_string_equal(bytes("ok\xe2\x82", 4), "{\"hex\":\"6f6be282\"}");
}

static const char *user_of(__u32 uid)
{
	return uid == 0 ? "root" : NULL;
}

static const struct record *make(const char *path, const char *args, size_t alen, __u32 flags)
{
	struct event_hdr h = { .ts = 5000000123ULL,
			       .pid = 42,
			       .tid = 43,
			       .ppid = 1,
			       .start_ns = 7,
			       .parent_start_ns = 3,
			       .uid = 1000,
			       .flags = flags,
			       .comm = "prog" };

	assert_non_null(build_record(&rec, &ev, &h, path, args, alen));
	record_words(&rec, &w);
	return &rec;
}

static void test_exec_object(void **state)
{
	struct json_ctx c = { .wall_offset_ns = 1700000000LL * 1000000000LL, .user_name = user_of };

	(void)state;
	out[json_exec(out, &c, make("/bin/ls", "-l\0\xff\0", 5, 0), &w)] = '\0';
	assert_non_null(strstr(
		out,
		"{\"type\":\"exec\",\"version\":1,\"time\":\"2023-11-14T22:13:25.000000123Z\","));
	assert_non_null(strstr(
		out, "\"pid\":42,\"tid\":43,\"ppid\":1,\"id\":\"42@7\",\"parent_id\":\"1@3\""));
	/* an exec from the main thread: tid is pid */
	ev.h.tid = ev.h.pid;
	assert_int_equal(record_decode(&rec, &ev, EVENT_HDR_LEN + 8 + 5), 0);
	out[json_exec(out, &c, &rec, &w)] = '\0';
	assert_non_null(strstr(out, "\"pid\":42,\"tid\":42,\"ppid\":1,\"id\":\"42@7\""));
	assert_non_null(strstr(out, "\"uid\":1000,\"user\":null,\"comm\":\"prog\""));
	assert_non_null(strstr(out, "\"path\":\"/bin/ls\""));
	assert_non_null(strstr(out, "\"args\":[\"-l\",{\"hex\":\"ff\"}]"));
	assert_non_null(strstr(out, "\"ret\":0,\"killed\":false,\"errno\":null"));
	/* without the WHO and ANCESTORS sections (lost to a full ring): null, at the end */
	assert_non_null(strstr(
		out,
		"\"cut\":null,\"login_uid\":null,\"login_user\":null,\"session_id\":null,\"tty\":null,\"euid\":null,\"egid\":null,\"privilege\":null,\"ancestors\":null,\"ancestors_cut\":null}\n"));
}

/* What makes an id unique across hosts and boots: after parent_id, or null when unknown. */
static void test_boot_id_and_host(void **state)
{
	struct json_ctx c = {};

	(void)state;
	json_fleet(&c, "00112233445566778899aabbccddeeff", "h\"x");
	out[json_exec(out, &c, make("/bin/ls", "", 0, 0), &w)] = '\0';
	assert_non_null(
		strstr(out, "\"parent_id\":\"1@3\",\"boot_id\":"
			    "\"00112233445566778899aabbccddeeff\",\"host\":\"h\\\"x\",\"uid\":"));
	json_fleet(&c, NULL, NULL);
	out[json_exit(out, &c, make("/bin/ls", "", 0, EV_EXIT))] = '\0';
	assert_non_null(
		strstr(out, "\"parent_id\":\"1@3\",\"boot_id\":null,\"host\":null,\"uid\":"));
}

static void test_exec_failed_and_cut(void **state)
{
	struct json_ctx c = { .max_args = 1 };

	(void)state;
	make("/nope", "a\0b\0", 4, EV_FNAME_USER | EV_FAULT);
	rec.h.ret = -2;
	out[json_exec(out, &c, &rec, &w)] = '\0';
	assert_non_null(strstr(out, "\"ret\":-2,\"killed\":false,\"errno\":\"ENOENT\""));
	assert_non_null(strstr(out, "\"comm_before\":\"prog\""));
	assert_non_null(strstr(out, "\"args\":[\"a\"]"));
	assert_non_null(strstr(out, "\"cut\":[\"unreadable\",\"max-args\"]"));
}

/* Numbers at every digit-count boundary, written without printf, read back as printf writes them. */
static void test_exec_numbers(void **state)
{
	struct json_ctx c = {};
	char want[64];
	__u64 v = 1;

	(void)state;
	make("/bin/true", "", 0, 0);
	for (int digits = 1; digits <= 20; digits++, v *= 10) {
		/* and the largest number of that many digits, while it is one */
		const __u64 vals[] = { v - 1, v, v + 1,
				       v <= UINT64_MAX / 10 ? v * 9 + (v - 1) : UINT64_MAX };

		for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
			rec.h.cgroup_id = vals[i];
			out[json_exec(out, &c, &rec, &w)] = '\0';
			snprintf(want, sizeof(want), "\"cgroup_id\":%llu,",
				 (unsigned long long)vals[i]);
			assert_non_null(strstr(out, want));
		}
		if (v > UINT64_MAX / 10)
			break;
	}
	rec.h.cgroup_id = UINT64_MAX;
	out[json_exec(out, &c, &rec, &w)] = '\0';
	assert_non_null(strstr(out, "\"cgroup_id\":18446744073709551615,"));
	rec.h.ret = INT32_MIN;
	out[json_exec(out, &c, &rec, &w)] = '\0';
	assert_non_null(strstr(out, "\"ret\":-2147483648,"));
}

/* The nanoseconds of the time: nine digits, leading zeros kept. */
static void test_time_fraction(void **state)
{
	struct json_ctx c = {};
	char d[64];

	(void)state;
	d[json_time(d, &c, 0)] = '\0';
	assert_string_equal(d, "\"1970-01-01T00:00:00.000000000Z\"");
	d[json_time(d, &c, 61000000007ULL)] = '\0';
	assert_string_equal(d, "\"1970-01-01T00:01:01.000000007Z\"");
	d[json_time(d, &c, 61999999999ULL)] = '\0';
	assert_string_equal(d, "\"1970-01-01T00:01:01.999999999Z\"");
	d[json_time(d, &c, 62100000000ULL)] = '\0';
	assert_string_equal(d, "\"1970-01-01T00:01:02.100000000Z\"");
}

static void test_exit_object(void **state)
{
	struct json_ctx c = {};

	(void)state;
	make("", "", 0, EV_EXIT);
	rec.h.ret = 3 << 8;
	rec.h.exec_ts = rec.h.ts - 1500;
	rec.h.cpu_ns = 99;
	out[json_exit(out, &c, &rec)] = '\0';
	assert_non_null(strstr(out, "{\"type\":\"exit\""));
	assert_non_null(strstr(
		out,
		"\"code\":3,\"signal\":null,\"core\":false,\"lifetime_ns\":1500,\"cpu_ns\":99}\n"));
	rec.h.ret = 11 | 0x80;
	out[json_exit(out, &c, &rec)] = '\0';
	assert_non_null(strstr(out, "\"code\":null,\"signal\":\"SIGSEGV\",\"core\":true"));
}

/* The login identity, the privilege and the ancestors, right before the object's end; checks of their lengths. */
static void test_who_and_ancestors(void **state)
{
	struct json_ctx c = { .user_name = user_of };
	struct who who = { .caps = 1ULL << 13 | 1ULL << 12,
			   .loginuid = 0,
			   .sessionid = NO_UID,
			   .euid = 1000,
			   .egid = 42,
			   .flags = WHO_LOGIN | WHO_PRIV | WHO_SETGID | WHO_GUESSED };
	struct ancestry anc = { .n = 1 };
	size_t off, size;

	(void)state;
	strcpy(who.tty, "ttyS0");
	anc.a[0] = (struct ancestor){ .start_ns = 9, .pid = 1, .comm = "in\xfft" };
	make("/bin/ls", "", 0, 0);
	ev.h.flags = EV_WHO | EV_ANCESTORS;
	off = ev.h.fname_len + ev.h.args_len;
	memcpy(ev.data + off, &who, sizeof(who));
	memcpy(ev.data + off + sizeof(who), &anc, ANCESTRY_LEN(1));
	ev.h.who_len = sizeof(who);
	ev.h.anc_len = ANCESTRY_LEN(1);
	size = EVENT_HDR_LEN + off + ev.h.who_len + ev.h.anc_len;
	assert_int_equal(record_decode(&rec, &ev, size), 0);
	record_words(&rec, &w);
	out[json_exec(out, &c, &rec, &w)] = '\0';
	assert_non_null(strstr(
		out,
		"\"cut\":null,\"login_uid\":0,\"login_user\":\"root\",\"session_id\":null,\"tty\":\"ttyS0\",\"euid\":1000,\"egid\":42,\"privilege\":{\"setuid\":false,\"setgid\":true,\"caps\":[\"cap_net_admin\",\"cap_net_raw\"],\"exact\":false},\"ancestors\":[{\"pid\":1,\"id\":\"1@9\",\"comm\":{\"hex\":\"696eff74\"}}],\"ancestors_cut\":false}\n"));
	/* a record shorter than its sections, sections of the wrong length, too many ancestors */
	assert_int_equal(record_decode(&rec, &ev, size - 1), -EINVAL);
	ev.h.who_len--;
	assert_int_equal(record_decode(&rec, &ev, size), -EINVAL);
	ev.h.who_len++;
	ev.h.flags &= ~EV_WHO;
	assert_int_equal(record_decode(&rec, &ev, size), -EINVAL);
	ev.h.flags |= EV_WHO;
	anc.n = 2;
	memcpy(ev.data + off + sizeof(who), &anc, 8);
	assert_int_equal(record_decode(&rec, &ev, size), -EINVAL);
	anc.n = ANCESTRY_MAX + 1;
	memcpy(ev.data + off + sizeof(who), &anc, 8);
	ev.h.anc_len = ANCESTRY_LEN(ANCESTRY_MAX + 1);
	assert_int_equal(record_decode(&rec, &ev, size + 32), -EINVAL);
}

/* The interpreter, the chosen environment and the digest; checks of the sections' lengths. */
static void test_interp_env_and_hash(void **state)
{
	struct env_select sel = {};
	struct json_ctx c = { .user_name = user_of, .env = &sel, .hash = true };
	static const char interp[] = "/bin/sh";
	static const char env[] = "A=1\0SKIP=x\0LD_X=\xff\0\xff=bad\0NOVAL\0LD_Y=cut";
	struct file_id id = { .flags = FILE_READ };
	const char *why;
	size_t off, size;

	(void)state;
	assert_int_equal(env_select_add(&sel, "A,LD_*,NOVAL,?", &why), 0);
	make("/tmp/s.sh", "", 0, 0);
	ev.h.flags = EV_INTERP | EV_FILE | EV_INTERP_PATH | EV_ENV | EV_ENV_CUT;
	off = ev.h.fname_len + ev.h.args_len;
	memcpy(ev.data + off, &id, sizeof(id));
	memcpy(ev.data + off + sizeof(id), interp, sizeof(interp));
	memcpy(ev.data + off + sizeof(id) + sizeof(interp), env, sizeof(env) - 1);
	ev.h.file_len = sizeof(id);
	ev.h.interp_len = sizeof(interp);
	ev.h.env_len = sizeof(env) - 1;
	size = EVENT_HDR_LEN + off + sizeof(id) + sizeof(interp) + sizeof(env) - 1;
	assert_int_equal(record_decode(&rec, &ev, size), 0);
	record_words(&rec, &w);
	rec.hash = (struct file_hash){ .asked = true, .sha256 = { 0xba, 0x78 } };
	out[json_exec(out, &c, &rec, &w)] = '\0';
	assert_non_null(strstr(
		out, "\"path\":\"/tmp/s.sh\",\"path_resolved\":null,\"interpreter\":\"/bin/sh\""));
	/* a name that is not UTF-8 cannot be a key: left out, and told */
	assert_non_null(strstr(out, "\"cut\":[\"env-limit\",\"env-name\"]"));
	assert_non_null(strstr(
		out,
		"\"env\":{\"A\":\"1\",\"LD_X\":{\"hex\":\"ff\"},\"NOVAL\":null,\"LD_Y\":\"cut\"},\"sha256\":\"ba78000000000000000000000000000000000000000000000000000000000000\",\"sha256_error\":null}\n"));
	rec.hash.missing = "changed";
	out[json_exec(out, &c, &rec, &w)] = '\0';
	assert_non_null(strstr(out, "\"sha256\":null,\"sha256_error\":\"changed\"}\n"));
	/* a failed exec: nothing ran, nothing read */
	rec.hash.asked = false;
	rec.env = NULL;
	out[json_exec(out, &c, &rec, &w)] = '\0';
	assert_non_null(strstr(out, "\"env\":null,\"sha256\":null,\"sha256_error\":null}\n"));
	/* sections of the wrong length, or flagged without their bytes */
	ev.h.file_len--;
	assert_int_equal(record_decode(&rec, &ev, size), -EINVAL);
	ev.h.file_len++;
	ev.h.interp_len = INTERP_MAX + 1;
	assert_int_equal(record_decode(&rec, &ev, size), -EINVAL);
	ev.h.interp_len = sizeof(interp);
	ev.h.flags &= ~EV_ENV;
	assert_int_equal(record_decode(&rec, &ev, size), -EINVAL);
	ev.h.flags |= EV_ENV;
	ev.h.env_len = ENV_MAX + 1;
	assert_int_equal(record_decode(&rec, &ev, size + ENV_MAX), -EINVAL);
	ev.h.env_len = sizeof(env) - 1;
	assert_int_equal(record_decode(&rec, &ev, size - 1), -EINVAL);
	env_select_free(&sel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_utf8_is_a_string),
		cmocka_unit_test(test_bytes_controls_are_escaped),
		cmocka_unit_test(test_bytes_invalid_utf8_is_hex),
		cmocka_unit_test(test_exec_object),
		cmocka_unit_test(test_boot_id_and_host),
		cmocka_unit_test(test_exec_failed_and_cut),
		cmocka_unit_test(test_exec_numbers),
		cmocka_unit_test(test_time_fraction),
		cmocka_unit_test(test_exit_object),
		cmocka_unit_test(test_who_and_ancestors),
		cmocka_unit_test(test_interp_env_and_hash),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
