/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * -s/--summary: who is spawning. Every exec counted is put on its spawner
 * (the parent process, by identity: pid and start time) and on its command
 * (the path executed), for the current interval and in total; the top of
 * each are written as a table or as a JSON object. A spawner is named by its
 * own exec when that was counted recently, else by a function the caller
 * gives (reading /proc); a spawner that is gone by then has no name.
 */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "escape.h"
#include "execsnoop.h"
#include "json.h"
#include "record.h"

#define SUMMARY_TOP	    10	 /* rows of each table */
#define SUMMARY_SLOTS	    1024 /* spawners, and commands, told apart in each table */
#define SUMMARY_PATH_KEEP   256	 /* bytes of a command's path kept */
#define SUMMARY_CMDLINE_MAX 256	 /* bytes of a spawner's command line kept */
#define SUMMARY_RECENT	    4096 /* execs remembered, to name the spawners among them */
#define SUMMARY_SHOWN_CMD   96	 /* bytes of a spawner's command line in a table */
#define SUMMARY_SHOWN_PATH  160	 /* bytes of a command's path in a table */

/* Room for the table or the object: every byte of the names escaped at worst. */
#define SUMMARY_MAX_LEN                                                                            \
	(SUMMARY_TOP * (6 * (SUMMARY_CMDLINE_MAX + FNAME_MAX + 2 * TASK_COMM_LEN) + 1024) + 4096)

/*
 * Fills comm and cmdline (NUL-separated words, *len bytes, less than size)
 * of process pid@start_ns; non-zero when it is not there.
 */
typedef int (*summary_describe_fn)(__u32 pid, __u64 start_ns, char *comm, size_t comm_size,
				   char *cmdline, size_t size, size_t *len);

/*
 * A fixed number of names and their counts (Space-Saving): a new name past
 * SUMMARY_SLOTS takes over the slot of the least count, counting on from it,
 * so that every count is known within that least count and a name with more
 * execs than total / SUMMARY_SLOTS is never lost.
 */
struct summary_table {
	void *items; /* SUMMARY_SLOTS of item_size bytes, each starting with a struct slot */
	size_t item_size;
	size_t len;
	__u32 *heap;		     /* slot numbers, least count first */
	__u32 *chain;		     /* hash chains: slot number + 1, 0: none */
	unsigned long long replaced; /* names that took a slot over */
};

struct summary_tally {
	struct summary_table spawners;
	struct summary_table commands;
	unsigned long long execs, failed;
	__u64 since_ns;
};

struct summary {
	struct summary_tally total, interval;
	struct summary_recent *recent; /* SUMMARY_RECENT entries, by identity */
	summary_describe_fn describe;
	__u64 seed; /* of the paths' hash */
};

/* What a table is written for. */
struct summary_view {
	bool final;		 /* the whole run; else the interval */
	__u64 now_ns;		 /* CLOCK_BOOTTIME */
	__s64 wall_offset_ns;	 /* CLOCK_REALTIME - CLOCK_BOOTTIME */
	unsigned long long lost; /* execs lost in the kernel over that time */
	struct json_ctx *json;	 /* for the time of a JSON object */
};

/* Starts counting at now_ns; -ENOMEM. */
int summary_init(struct summary *s, __u64 now_ns, summary_describe_fn describe);

/* Counts one exec (not an end). */
void summary_add(struct summary *s, const struct record *r, const struct words *w);

/* Writes the table; buf holds SUMMARY_MAX_LEN bytes. Returns its length. */
size_t summary_text(char *buf, const struct summary *s, const struct summary_view *v);

/* Writes the JSON object and a newline; buf holds SUMMARY_MAX_LEN bytes. */
size_t summary_json(char *buf, const struct summary *s, const struct summary_view *v);

/* Starts a new interval at now_ns. */
void summary_next(struct summary *s, __u64 now_ns);

void summary_free(struct summary *s);

#endif /* SUMMARY_H */
