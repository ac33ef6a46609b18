/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The reading loop: records go from the rings (stream.c) through the
 * time-order window (reorder.c) and, with --hash, the hold (hold.c) to the
 * output stage (print.c), until a stop; then the drain, and the losses
 * reported by cause. main opens the units it reads from and writes to,
 * wires them into a struct loop and closes them after; the loop keeps only
 * the time order, the rings' heads and a path buffer.
 */
#ifndef LOOP_H
#define LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <linux/types.h>
#include "execsnoop.h"
#include "reorder.h"

#define STOP_GRACE_MS 1000 /* how long output is retried at exit when it is not read */
#define HEADS_MAX     1024 /* rings whose next record is looked at: CPUs */

struct hold;
struct launch;
struct options;
struct print;
struct stream;

/* What the loop reads from and writes to, wired together by main; then the loop's own state. */
struct loop {
	const struct options *o;
	struct stream *stream;
	struct print *pr;
	const struct counters *counters; /* the programs' loss counts, mapped */
	struct launch *cmd;		 /* the command run under trace, with -- */
	struct hold *hold;	     /* --hash: records waiting for their file's digest; or NULL */
	volatile sig_atomic_t *stop; /* set by main's signal handlers: 1 stop, 2 stop at once */

	struct reorder ro;
	char exe[CWD_MAX + 2]; /* --hash: a record's resolved path, for the digest */
	__u64 heads[HEADS_MAX];
};

/*
 * Starts the output, once l is wired: the summary counts from now, the
 * header goes out, and the metrics file is written (a path that cannot be
 * written is told at once). Returns 0, or -1 after a one-line error.
 */
int loop_start(struct loop *l);

/*
 * Polls until a stop, the end of stdout, or with a command its end; returns
 * 0 or a negative errno. tty: stdout is a terminal, woken at every exec.
 */
int loop_run(struct loop *l, bool tty);

/*
 * After a stop: prints what the rings still hold. When the output is not
 * read, gives up after STOP_GRACE_MS, or at once on a second stop; returns
 * the lines that could not be written.
 */
unsigned long long loop_drain(struct loop *l);

/*
 * Losses, by cause, on stderr, and as an entry of the format's own (the
 * journal's); those of one kind are left out when there were none. when:
 * "so far" or "in total" (final).
 */
void loop_report(struct loop *l, const char *when, bool final);

/* Replaces the metrics file (--metrics); unwritten: lines not written at the stop. 0 or a negative errno. */
int loop_metrics(struct loop *l, unsigned long long unwritten);

#endif /* LOOP_H */
