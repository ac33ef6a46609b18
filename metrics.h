/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Counters for Prometheus (--metrics): execs by result, by the command name
 * of their spawner and by what was cut; rendered in the text exposition
 * format that node_exporter's textfile collector reads.
 */
#ifndef METRICS_H
#define METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "execsnoop.h"
#include "record.h"

#define METRICS_COMMS 64 /* spawner names with a series of their own; the rest are comm="other" */

/* Room for a rendering: every name escaped at worst, and the fixed lines. */
#define METRICS_MAX_LEN (METRICS_COMMS * (4 * TASK_COMM_LEN + 64) + 4096)

/* What was lost since the start, by cause. */
struct losses {
	unsigned long long lost_ring, lost_busy;	    /* execs the programs could not send */
	unsigned long long args_lost_ring, args_lost_stash; /* execs sent without arguments */
	unsigned long long refused;			    /* entries the journal refused */
	unsigned long long unwritten;			    /* lines not written at the stop */
};

struct metrics_comm {
	char comm[TASK_COMM_LEN];
	unsigned long long execs;
};

struct metrics {
	unsigned long long ok, failed;
	unsigned long long cut[CUT_REASONS + 1]; /* by cut_reasons[], then max-args */
	struct metrics_comm comms[METRICS_COMMS];
	size_t ncomms;
	unsigned long long other; /* execs of spawners beyond the first METRICS_COMMS names */
	double start_time;	  /* seconds since the epoch */
};

/* Counts an exec; max_args: it had more arguments than --max-args shows. */
void metrics_add(struct metrics *m, const struct record *r, bool max_args);

/* Writes every metric; buf holds METRICS_MAX_LEN bytes. Returns the length. */
size_t metrics_render(char *buf, const struct metrics *m, const struct losses *l);

#endif /* METRICS_H */
