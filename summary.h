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

#define SUMMARY_TOP	    10	 /* rows of each table */
#define SUMMARY_SLOTS	    1024 /* spawners, and commands, told apart in each table */
#define SUMMARY_PATH_KEEP   256	 /* bytes of a command's path kept */
#define SUMMARY_CMDLINE_MAX 256	 /* bytes of a spawner's command line kept */
#define SUMMARY_RECENT	    4096 /* execs remembered, to name the spawners among them */
#define SUMMARY_SHOWN_CMD   96	 /* bytes of a spawner's command line in a table */
#define SUMMARY_SHOWN_PATH  160	 /* bytes of a command's path in a table */

/* Room for a rendering, table or object: every byte of the names escaped at worst. */
#define SUMMARY_MAX_LEN                                                                            \
	(SUMMARY_TOP * (6 * (SUMMARY_CMDLINE_MAX + FNAME_MAX + 2 * TASK_COMM_LEN) + 1024) + 4096)

/*
 * Fills comm and cmdline (NUL-separated words, *len bytes, less than size)
 * of process pid@start_ns; non-zero when it is not there.
 */
typedef int (*summary_describe_fn)(__u32 pid, __u64 start_ns, char *comm, size_t comm_size,
				   char *cmdline, size_t size, size_t *len);

/*
 * The head of every counted name. execs counts the name's execs plus err,
 * the count of the name whose slot it took over (Space-Saving): its true
 * count is within [execs - err, execs], and failed likewise within
 * [failed, failed + err].
 */
struct summary_slot {
	__u64 hash;
	unsigned long long execs, failed, err;
	__u32 heap; /* its place in the table's heap */
	__u32 next; /* the next slot of its hash chain, + 1; 0: none */
};

/* A process that had children exec, by identity; named when comm and cmdline are known. */
struct summary_spawner {
	struct summary_slot s;
	__u64 start_ns;
	__u32 pid;
	bool named; /* comm and cmdline are known */
	bool cut;   /* cmdline was cut */
	__u16 cmdline_len;
	char comm[TASK_COMM_LEN];
	char cmdline[SUMMARY_CMDLINE_MAX]; /* NUL-separated words */
};

/* A path executed. */
struct summary_command {
	struct summary_slot s;
	bool known; /* the path is known */
	__u32 len;  /* of the whole path; the first SUMMARY_PATH_KEEP bytes are kept */
	char path[SUMMARY_PATH_KEEP];
};

/* One row of the top: a slot of the time shown, with the bounds of its count. */
struct summary_row {
	long item;
	unsigned long long execs, failed, err; /* execs and failed: at least; err: the most over */
};

/*
 * A fixed number of names and their counts (Space-Saving): a new name past
 * SUMMARY_SLOTS takes over the slot of the least count, counting on from it,
 * so that every count is known within that least count and a name with more
 * execs than total / SUMMARY_SLOTS is never lost.
 */
struct summary_table {
	void *items; /* SUMMARY_SLOTS of item_size bytes, each starting with a struct summary_slot */
	size_t item_size;
	size_t len;
	__u32 *heap;		     /* slot numbers, least count first */
	__u32 *chain;		     /* hash chains: slot number + 1, 0: none */
	unsigned long long replaced; /* names that took a slot over */
};

struct summary_tally {
	struct summary_table spawners; /* struct summary_spawner */
	struct summary_table commands; /* struct summary_command */
	unsigned long long execs, failed;
	__u64 since_ns;
};

struct summary {
	struct summary_tally total, interval;
	struct summary_recent *recent; /* SUMMARY_RECENT entries, by identity */
	summary_describe_fn describe;
	__u64 seed; /* of the paths' hash */
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
 * for sure first, then most at most, then most failed, then seen first;
 * returns how many, and puts the number of the other names kept in *others.
 */
size_t summary_top(const struct summary *s, const struct summary_view *v, bool spawners,
		   struct summary_row *rows, size_t *others);

/* The item of a row of summary_top, for the same view. */
const struct summary_spawner *summary_spawner(const struct summary *s, const struct summary_view *v,
					      long item);
const struct summary_command *summary_command(const struct summary *s, const struct summary_view *v,
					      long item);

/*
 * The most any count of the view's time may be over, for both tables: the
 * least count of a table that had a name replaced; 0 when every count is exact.
 */
unsigned long long summary_bound(const struct summary *s, const struct summary_view *v);

/* Whether names of the view's spawners (or commands) were replaced: the others are at least. */
bool summary_replaced(const struct summary *s, const struct summary_view *v, bool spawners);

/*
 * The execs and failed of the view's time not in rows (n of them, from
 * summary_top): the others' line.
 */
void summary_others(const struct summary *s, const struct summary_view *v,
		    const struct summary_row *rows, size_t n, unsigned long long *execs,
		    unsigned long long *failed);

/* n per second over span_ns; 0 over no time. */
static inline double summary_rate(unsigned long long n, __u64 span_ns)
{
	return span_ns ? n * 1e9 / span_ns : 0;
}

/* Starts a new interval at now_ns. */
void summary_next(struct summary *s, __u64 now_ns);

void summary_free(struct summary *s);

#endif /* SUMMARY_H */
