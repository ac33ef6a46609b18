/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* JSON Lines: one object per event, lossless for any bytes (see docs/json.md). */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>
#include <linux/types.h>
#include "escape.h"
#include "record.h"
#include "summary.h"
#include "who.h"

#define JSON_VERSION 1

/* Room for the longest exec object: every byte as \u00XX, names and numbers. */
#define JSON_MAX_LEN                                                                               \
	(6 * (FNAME_MAX + 64 + ARGS_MAX + 2 * CWD_MAX) + 8 * TASK_COMM_LEN + 1024 + WHO_SHOWN_MAX)

#define JSON_END_MAX_LEN 1024 /* room for the object of an end */

/* The record fields a JSON object shows (enum print_field), as does a journal entry. */
#define JSON_FIELDS                                                                                \
	(FIELD_COMM_BEFORE | FIELD_CWD | FIELD_EXE | FIELD_IDS | FIELD_CGROUP | FIELD_LOGIN |      \
	 FIELD_PRIV | FIELD_ANCESTRY | FIELD_INTERP)

struct json_ctx {
	__s64 wall_offset_ns;  /* CLOCK_REALTIME - CLOCK_BOOTTIME, kept current by the caller */
	unsigned int max_args; /* 0: no limit */
	/* the user name of a uid, or NULL */
	const char *(*user_name)(__u32 uid);
	/* the path of a cgroup v2 id, or NULL */
	const char *(*cgroup_path)(__u64 id);
	const struct env_select *env; /* --env: the variables shown; NULL: no env field */
	bool hash;		      /* --hash: the sha256 fields */
	/* ,"boot_id":...,"host":... as written in every exec and exit object */
	char fleet[128 + 6 * 64];
	size_t fleet_len;
	/* the last second formatted, to skip gmtime for objects within it */
	__s64 secs;
	char date[24];
	size_t date_len;
};

/*
 * Writes bytes as a JSON value: a string when they are valid UTF-8, else
 * {"hex":"..."} with two lowercase hex digits a byte. Returns its length.
 */
size_t json_bytes(char *dst, const char *s, size_t n);

/* Sets the boot id and host name every object carries (NULL: null). */
void json_fleet(struct json_ctx *c, const char *boot_id, const char *host);

/* Writes CLOCK_BOOTTIME ts as a JSON string: RFC 3339 in UTC, with nanoseconds. */
size_t json_time(char *d, struct json_ctx *c, __u64 ts);

/* Room the object of an exec of r needs. */
size_t json_need(const struct record *r);

/* Writes one exec object and a newline; buf holds json_need(r) bytes. Returns its length. */
size_t json_exec(char *buf, struct json_ctx *c, const struct record *r, const struct words *w);

/* Writes one exit object (an EV_EXIT record) and a newline. Returns its length. */
size_t json_exit(char *buf, struct json_ctx *c, const struct record *r);

/* Writes the summary object and a newline; buf holds SUMMARY_MAX_LEN bytes. */
size_t json_summary(char *buf, struct json_ctx *c, const struct summary *s,
		    const struct summary_view *v);

#endif /* JSON_H */
