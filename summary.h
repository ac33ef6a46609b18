/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * -s/--summary: who is spawning. Every exec counted is put on its spawner
 * (the parent process, by identity: pid and start time) and on its command
 * (the path executed), for the current interval and in total; the formats
 * render the top of each (text_summary, json_summary). A spawner is named by
 * its own exec when that was counted recently, else by a function the caller
 * gives (reading /proc); a spawner that is gone by then has no name.
 */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "escape.h"
#include "execsnoop.h"
#include "record.h"

#define SUMMARY_TOP	    10	  /* rows of each table */
#define SUMMARY_KEYS_MAX    32768 /* spawners, and commands, counted apart; the rest as others */
#define SUMMARY_CMDLINE_MAX 256	  /* bytes of a spawner's command line kept */
#define SUMMARY_RECENT	    4096  /* execs remembered, to name the spawners among them */
#define SUMMARY_SHOWN_CMD   96	  /* bytes of a spawner's command line in a table */
#define SUMMARY_SHOWN_PATH  160	  /* bytes of a command's path in a table */

/* Room for a rendering, table or object: every byte of the names escaped at worst. */
#define SUMMARY_MAX_LEN                                                                            \
	(SUMMARY_TOP * (6 * (SUMMARY_CMDLINE_MAX + FNAME_MAX + 2 * TASK_COMM_LEN) + 1024) + 4096)

/*
 * Fills comm and cmdline (NUL-separated words, *len bytes, less than size)
 * of process pid@start_ns; non-zero when it is not there.
 */
typedef int (*summary_describe_fn)(__u32 pid, __u64 start_ns, char *comm, size_t comm_size,
				   char *cmdline, size_t size, size_t *len);

/* A process that had children exec, by identity; named when comm and cmdline are known. */
struct summary_spawner {
	__u64 hash; /* every item of a table starts with its hash */
	__u64 start_ns;
	__u32 pid;
	bool named;
	bool cut; /* cmdline was cut */
	__u16 cmdline_len;
	unsigned long long execs, failed;
	char comm[TASK_COMM_LEN];
	char cmdline[SUMMARY_CMDLINE_MAX]; /* NUL-separated words */
};

/* A path executed. */
struct summary_command {
	__u64 hash;
	char *path; /* NULL: not known */
	size_t len;
	unsigned long long execs, failed;
};

/* One row of the top: an item of the total, with the counts of the time shown. */
struct summary_row {
	long item;
	unsigned long long execs, failed;
};

/* A table of entries kept in insertion order, found by hash. */
struct summary_table {
	void *items;
	size_t item_size;
	size_t len;
	size_t items_cap;
	__u32 *index; /* item number + 1, 0: free */
	size_t index_cap;
};

struct summary_tally {
	struct summary_table spawners; /* in total: struct spawner; in an interval: struct ref */
	struct summary_table commands; /* likewise, struct command or struct ref */
	unsigned long long execs, failed;
	unsigned long long other_spawners[2], other_commands[2]; /* execs, failed of the rest */
	__u64 since_ns;
};

struct summary {
	struct summary_tally total, interval;
	struct summary_recent *recent; /* SUMMARY_RECENT entries, by identity */
	summary_describe_fn describe;
};

/* What a rendering is for. */
struct summary_view {
	bool final;		 /* the whole run; else the interval */
	__u64 now_ns;		 /* CLOCK_BOOTTIME */
	__s64 wall_offset_ns;	 /* CLOCK_REALTIME - CLOCK_BOOTTIME */
	unsigned long long lost; /* execs lost in the kernel over that time */
};

/* Starts counting at now_ns; -ENOMEM. */
int summary_init(struct summary *s, __u64 now_ns, summary_describe_fn describe);

/* Counts one exec (not an end). */
void summary_add(struct summary *s, const struct record *r, const struct words *w);

/* The counts of the time a view is for: the whole run or the interval. */
const struct summary_tally *summary_tally(const struct summary *s, const struct summary_view *v);

/* Nanoseconds from the start of the view's time to its end. */
__u64 summary_span(const struct summary *s, const struct summary_view *v);

/*
 * The top SUMMARY_TOP spawners (or commands) of the view's time, most execs
 * first, then most failed, then seen first; returns how many, and puts the
 * count of the others in *others.
 */
size_t summary_top(const struct summary *s, const struct summary_view *v, bool spawners,
		   struct summary_row *rows, size_t *others);

const struct summary_spawner *summary_spawner(const struct summary *s, long item);
const struct summary_command *summary_command(const struct summary *s, long item);

/* n per second over span_ns; 0 over no time. */
static inline double summary_rate(unsigned long long n, __u64 span_ns)
{
	return span_ns ? n * 1e9 / span_ns : 0;
}

/* Starts a new interval at now_ns. */
void summary_next(struct summary *s, __u64 now_ns);

void summary_free(struct summary *s);

#endif /* SUMMARY_H */
