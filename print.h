/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The output stage. Set up once from the parsed options, it takes every
 * record in time order and writes what it becomes into the output buffer:
 * the user-space filters (-n, -l), the processes whose end is awaited (-e),
 * the summary's counts (-s) and one format, picked from one table in
 * print.c. A format is a file of its own that defines a struct print_format
 * (text.c, json.c, journal.c); adding one is that file and one row of the table.
 */
#ifndef PRINT_H
#define PRINT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "journal.h"
#include "metrics.h"
#include "options.h"
#include "output.h"
#include "procset.h"
#include "record.h"
#include "summary.h"

/*
 * The most room a format asks for at once: a summary, or a journal entry.
 * The output buffer holds it and a batch of lines more.
 */
#define PRINT_ROOM_MAX                                                                             \
	(JOURNAL_MAX_LEN > SUMMARY_MAX_LEN + 1 ? JOURNAL_MAX_LEN : SUMMARY_MAX_LEN + 1)
#define PRINT_BATCH (64 << 10)

/* What a format needs the programs to capture beyond the default columns. */
enum print_field {
	FIELD_COMM_BEFORE = 1 << 0, /* the comm before the exec */
	FIELD_CWD = 1 << 1,	    /* the working directory */
	FIELD_IDS = 1 << 2,	    /* start times: the identity of a process and its parent */
	FIELD_CGROUP = 1 << 3,	    /* the cgroup id */
	FIELD_ANCESTOR = 1 << 4,    /* the nearest ancestor seen exec'ing */
	FIELD_LOGIN = 1 << 5,	    /* the login uid, session and tty */
	FIELD_PRIV = 1 << 6,	    /* the effective ids, and the privilege raised */
	FIELD_ANCESTRY = 1 << 7,    /* the nearest ancestors from the task tree */
	FIELD_FILE = 1 << 8,	    /* the identity of the file executed (--hash) */
	FIELD_INTERP = 1 << 9,	    /* the interpreter's path */
	FIELD_ENV = 1 << 10,	    /* the environment area (--env) */
	FIELD_EXE = 1 << 11,	    /* the file executed, its path resolved */
};

/* What the formats may look up outside the record; set by the caller. */
struct print_env {
	const char *(*cgroup_path)(__u64 id); /* the path of a cgroup v2 id, or NULL */
	const char *(*user_name)(__u32 uid);  /* the name of a uid, or NULL */
	summary_describe_fn describe;	      /* a spawner's comm and command line */
	const char *boot_id;		      /* 32 hex digits, or NULL when unknown */
	const char *host;		      /* the host name, or NULL */
};

/*
 * One output format. Each function writes into buf, which holds what the
 * format says it needs, and returns the bytes written; state is what open
 * returned.
 */
struct print_format {
	const char *name;
	/* true when the options ask for this format; the last row is the default */
	bool (*chosen)(const struct options *o);
	/* the record fields it shows with these options (enum print_field) */
	unsigned int (*fields)(const struct options *o);
	void *(*open)(const struct options *o, const struct print_env *env);
	void (*close)(void *state);
	/* CLOCK_REALTIME - CLOCK_BOOTTIME for what follows, and the start (CLOCK_BOOTTIME) */
	void (*clock)(void *state, __s64 wall_offset_ns, __u64 start_ns);
	size_t header_len; /* 0: no header */
	size_t (*header)(char *buf, void *state);
	/* room an exec of r needs; at most PRINT_ROOM_MAX */
	size_t (*need)(const struct record *r);
	size_t (*exec)(char *buf, void *state, const struct record *r, const struct words *w);
	size_t end_len;
	size_t (*end)(char *buf, void *state, const struct record *r);
	/* buf holds SUMMARY_MAX_LEN + 1 bytes */
	size_t (*summary)(char *buf, void *state, const struct summary *s,
			  const struct summary_view *v);
	/* losses, when the format tells them itself (NULL: stderr only); buf holds 4096 bytes */
	size_t (*losses)(char *buf, void *state, const struct losses *l, bool final);
};

struct print {
	const struct options *o;
	const struct print_format *f;
	void *state;
	struct output out;
	struct procset printed; /* processes whose exec was printed, with --exits */
	struct summary summary; /* spawners and commands, with --summary */
	struct words w;
	summary_describe_fn describe;
	__u64 start_ns;			/* CLOCK_BOOTTIME at start */
	unsigned long long lost_before; /* execs lost before the current interval */
	struct metrics *metrics;	/* with --metrics */
	char *metrics_buf;		/* METRICS_MAX_LEN bytes, with --metrics */
};

/* The record fields the options' format and filters need (enum print_field). */
unsigned int print_fields(const struct options *o);

/*
 * Picks the format and allocates the output buffer for fd, written to, or
 * sent to entry by entry with send (--journal); -ENOMEM.
 */
int print_init(struct print *p, const struct options *o, const struct print_env *env, int fd,
	       output_send_fn send);

/* Starts at now_ns (CLOCK_BOOTTIME): the summary counts from here, the header goes out; -ENOMEM. */
int print_start(struct print *p, __u64 now_ns, __s64 wall_offset_ns);

/* The wall clock for the records that follow: CLOCK_REALTIME - CLOCK_BOOTTIME. */
void print_clock(struct print *p, __s64 wall_offset_ns);

/* True when the record passes the filters applied in user space. */
bool print_wanted(struct print *p, const struct record *r);

/*
 * Formats a record; false when the output has no room now (the record
 * stays, to be given again). stop: as for output_room.
 */
bool print_record(struct print *p, const struct record *r, volatile sig_atomic_t *stop);

/*
 * The summary of the interval that ends at now_ns (which starts the next),
 * or of the whole run; lost: execs lost in the kernel since the start.
 * False when the output has no room now.
 */
bool print_summary(struct print *p, bool final, __u64 now_ns, __s64 wall_offset_ns,
		   unsigned long long lost, volatile sig_atomic_t *stop);

/* Losses, as an entry of the format's own when it has one; false when there is no room now. */
bool print_losses(struct print *p, const struct losses *l, bool final, volatile sig_atomic_t *stop);

/*
 * The metrics, with the losses so far, as the text of the metrics file;
 * *len is its length. start_time: seconds since the epoch.
 */
const char *print_metrics(struct print *p, const struct losses *l, size_t *len);

void print_free(struct print *p);

#endif /* PRINT_H */
