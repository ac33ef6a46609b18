// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/time.h>
#include "errors.h"
#include "hold.h"
#include "launch.h"
#include "loop.h"
#include "options.h"
#include "print.h"
#include "record.h"
#include "stream.h"

#define FILE_INTERVAL_MS  100 /* longest wait before a batch goes to a file or pipe */
/*
 * How long a record is held back while another CPU's ring is empty and a
 * program is writing a record there (stream_settled), for an older record
 * still on its way; a record's time is taken just before it is written.
 */
#define REORDER_WINDOW_MS 5
#define HOLD_RETRY_MS	  1 /* how soon a held record is looked at again */
#define NSEC		  1000000000ULL

static __u64 now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* CLOCK_REALTIME - CLOCK_BOOTTIME, read at boot_ns: wall time follows clock steps and suspend. */
static __s64 wall_offset(__u64 boot_ns)
{
	return now_ns(CLOCK_REALTIME) - boot_ns;
}

/* The next record's time in ring i, or REORDER_EMPTY. */
static __u64 head(struct loop *l, unsigned int i)
{
	const struct record *r = stream_peek(l->stream, i);

	return r ? r->h.ts : REORDER_EMPTY;
}

/* The resolved path of the file r executed, for a digest when its process is gone; or NULL. */
static const char *exe_path(struct loop *l, const struct record *r)
{
	if (!(r->h.flags & EV_FILE) || !record_exe(r, l->exe, sizeof(l->exe)))
		return NULL;
	return l->exe;
}

/* --hash: an exec the filters (-n, -l) drop: its file is not asked for, it prints nothing */
static bool dropped(struct loop *l, const struct record *r)
{
	return !(r->h.flags & EV_EXIT) && (l->o->name || l->o->line) && !print_wanted(l->pr, r);
}

/* --hash: prints the records kept that may go out now; false when the output has no room. */
static bool release(struct loop *l)
{
	const struct record *r;

	if (!l->hold)
		return true;
	hold_clear(l->hold);
	while ((r = hold_next(l->hold, now_ns(CLOCK_MONOTONIC)))) {
		if (!print_record(l->pr, r, l->stop))
			return false;
		hold_pop(l->hold);
	}
	return true;
}

/*
 * Prints what the rings hold, in time order, holding back the newest lines
 * for the window unless draining; adds the records taken to *took, and sets
 * *held when a record is left in a ring. False when it stopped early because
 * the output had no room.
 */
static bool pump(struct loop *l, bool drain, unsigned long *took, bool *held)
{
	unsigned int n = stream_count(l->stream);
	struct record with_hash;
	const struct record *r;
	__u64 now;
	int i;

	if (n > HEADS_MAX)
		n = HEADS_MAX;
	/* before the rings are read: what it says of them holds for what is read after */
	l->ro.settled = stream_settled(l->stream);
	for (unsigned int k = 0; k < n; k++)
		l->heads[k] = head(l, k);
	now = now_ns(CLOCK_BOOTTIME);
	print_clock(l->pr, wall_offset(now));
	if (!release(l))
		return false;
	while ((i = reorder_next(&l->ro, l->heads, n, now, drain)) >= 0) {
		r = stream_peek(l->stream, i);
		if (l->hold && !dropped(l, r)) {
			switch (hold_take(l->hold, r, exe_path(l, r), &with_hash,
					  now_ns(CLOCK_MONOTONIC))) {
			case HOLD_PRINT:
				if (!print_record(l->pr, &with_hash, l->stop))
					return false;
				break;
			case HOLD_KEPT:
				break;
			case HOLD_FULL:
				/* it stays in its ring until the oldest kept record goes out */
				*held = true;
				return true;
			}
		} else if (!print_record(l->pr, r, l->stop)) {
			return false;
		}
		reorder_taken(&l->ro, r->h.ts);
		stream_take(l->stream, i);
		(*took)++;
		l->heads[i] = head(l, i);
	}
	*held = false;
	for (unsigned int k = 0; k < n; k++)
		*held |= l->heads[k] != REORDER_EMPTY;
	return release(l);
}

/*
 * How long the loop sleeps, in ms (-1: until woken). A terminal is woken by
 * the doorbell as soon as an exec comes; a file or pipe takes what came in
 * FILE_INTERVAL_MS at once, and is rung again only once a wait found
 * nothing. The rings still wake it when they fill. Nothing happens at idle.
 */
static int next_wait(struct loop *l, bool tty, unsigned long took, bool held, int until_summary)
{
	int wait = -1;

	if (output_pending_lines(&l->pr->out))
		wait = FILE_INTERVAL_MS; /* a reader that does not read: try again */
	else if (!tty && took)
		wait = FILE_INTERVAL_MS;
	else if (!stream_arm(l->stream))
		wait = 0; /* a record came meanwhile */
	else if (held)
		wait = HOLD_RETRY_MS;
	if (until_summary >= 0 && (wait < 0 || until_summary < wait))
		wait = until_summary;
	return wait;
}

/* The summary of the interval that ends now, or of the whole run; false when there is no room. */
static bool summarize(struct loop *l, bool final)
{
	__u64 now = now_ns(CLOCK_BOOTTIME);

	return print_summary(l->pr, final, now, wall_offset(now),
			     l->counters->lost_ring + l->counters->lost_busy, l->stop);
}

/* What was lost so far, by cause; unwritten: lines not written at the stop. */
static void losses(struct loop *l, struct losses *ls, unsigned long long unwritten)
{
	const struct counters *c = l->counters;

	*ls = (struct losses){
		.lost_ring = c->lost_ring,
		.lost_busy = c->lost_busy,
		.args_lost_ring = c->args_lost_ring,
		.args_lost_stash = c->args_lost_stash,
		.refused = l->pr->out.dropped,
		.unwritten = unwritten,
	};
}

int loop_metrics(struct loop *l, unsigned long long unwritten)
{
	struct losses ls;
	const char *text;
	size_t len;

	if (!l->o->metrics)
		return 0;
	losses(l, &ls, unwritten);
	text = print_metrics(l->pr, &ls, &len);
	return output_replace(l->o->metrics, text, len, 0644);
}

/* Records still in the rings that would have been printed. */
static unsigned long long count_unprinted(struct loop *l)
{
	unsigned long long n = 0;
	const struct record *r;

	for (unsigned int i = 0; i < stream_count(l->stream); i++) {
		while ((r = stream_peek(l->stream, i))) {
			n += print_wanted(l->pr, r);
			stream_take(l->stream, i);
		}
	}
	return n;
}

void loop_report(struct loop *l, const char *when, bool final)
{
	const struct counters *c = l->counters;
	char late[64] = "", refused[64] = "";
	struct losses ls;

	if (final && l->ro.late)
		snprintf(late, sizeof(late), ", %llu printed late", l->ro.late);
	if (l->pr->out.dropped)
		snprintf(refused, sizeof(refused), ", %llu entries refused by the journal",
			 l->pr->out.dropped);
	if (!c->lost_ring && !c->lost_busy && !c->args_lost_ring && !c->args_lost_stash && !*late &&
	    !*refused)
		return;
	errmsg("%s: %llu execs lost (ring full %llu, no buffer %llu), "
	       "%llu printed without arguments (ring full %llu, not seen at entry %llu)%s%s",
	       when, (unsigned long long)(c->lost_ring + c->lost_busy),
	       (unsigned long long)c->lost_ring, (unsigned long long)c->lost_busy,
	       (unsigned long long)(c->args_lost_ring + c->args_lost_stash),
	       (unsigned long long)c->args_lost_ring, (unsigned long long)c->args_lost_stash,
	       refused, late);
	losses(l, &ls, 0);
	print_losses(l->pr, &ls, final, l->stop);
	if (final && stream_malformed(l->stream))
		errmsg("%llu malformed records skipped", stream_malformed(l->stream));
}

int loop_start(struct loop *l)
{
	__u64 start = now_ns(CLOCK_BOOTTIME);
	char shown[SHOWN_SIZE];
	int err;

	l->ro.window_ns = REORDER_WINDOW_MS * 1000000ULL;
	if (print_start(l->pr, start, wall_offset(start))) {
		errmsg_errno("allocating the summary", ENOMEM);
		return -1;
	}
	/* the file is there from the start: a path that cannot be written is told at once, alone */
	err = loop_metrics(l, 0);
	if (err) {
		errmsg("--metrics: cannot write %s: %s", shown_value(shown, l->o->metrics),
		       strerror(-err));
		return -1;
	}
	output_flush(&l->pr->out, l->stop);
	return 0;
}

int loop_run(struct loop *l, bool tty)
{
	struct epoll_event ev = { .events = EPOLLIN }, got[4];
	const struct options *o = l->o;
	struct counters seen = {};
	__u64 last_report = 0, now, next_summary = now_ns(CLOCK_MONOTONIC);
	__u64 next_metrics = next_summary + o->metrics_interval * NSEC;
	int efd, err = 0, n, wait = 0, until_timed;
	unsigned long took;
	struct stat st;
	bool held;

	efd = epoll_create1(EPOLL_CLOEXEC);
	if (efd < 0)
		return -errno;
	ev.data.fd = stream_fd(l->stream);
	if (epoll_ctl(efd, EPOLL_CTL_ADD, ev.data.fd, &ev)) {
		err = -errno;
		goto out;
	}
	ev.data.fd = stream_doorbell_fd(l->stream);
	if (epoll_ctl(efd, EPOLL_CTL_ADD, ev.data.fd, &ev)) {
		err = -errno;
		goto out;
	}
	/* a pipe or socket reports its reader's exit without a write */
	if (!o->journal && !fstat(STDOUT_FILENO, &st) &&
	    (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
		ev.events = 0;
		ev.data.fd = STDOUT_FILENO;
		epoll_ctl(efd, EPOLL_CTL_ADD, STDOUT_FILENO, &ev);
	}
	/* a digest is known: a kept record may go out */
	if (l->hold) {
		ev.data.fd = hold_fd(l->hold);
		if (epoll_ctl(efd, EPOLL_CTL_ADD, ev.data.fd, &ev)) {
			err = -errno;
			goto out;
		}
	}
	/* a pidfd is readable once its process has exited */
	if (o->command) {
		ev.events = EPOLLIN;
		ev.data.fd = l->cmd->pidfd;
		if (epoll_ctl(efd, EPOLL_CTL_ADD, l->cmd->pidfd, &ev)) {
			err = -errno;
			goto out;
		}
	}

	while (o->command ? !launch_ended(l->cmd) : !*l->stop) {
		n = epoll_wait(efd, got, 4, wait);
		if (n < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		for (int i = 0; i < n; i++) {
			if (got[i].data.fd == STDOUT_FILENO) {
				l->pr->out.gone = true;
				*l->stop = 1;
			} else if (o->command && got[i].data.fd == l->cmd->pidfd) {
				launch_end(l->cmd);
			}
		}
		took = 0;
		pump(l, false, &took, &held);
		/* ms until the next timed output: the interval's table, the metrics file */
		until_timed = -1;
		if (o->summary && o->interval) {
			now = now_ns(CLOCK_MONOTONIC);
			if (now >= next_summary + o->interval * NSEC && summarize(l, false))
				next_summary += o->interval * NSEC;
			now = now_ns(CLOCK_MONOTONIC);
			until_timed =
				next_summary + o->interval * NSEC > now
					? (next_summary + o->interval * NSEC - now) / 1000000 + 1
					: FILE_INTERVAL_MS;
		}
		if (o->metrics) {
			if (now_ns(CLOCK_MONOTONIC) >= next_metrics) {
				err = loop_metrics(l, 0);
				if (err)
					errmsg_errno("warning: writing the metrics file", err);
				next_metrics += o->metrics_interval * NSEC;
			}
			now = now_ns(CLOCK_MONOTONIC);
			n = next_metrics > now ? (next_metrics - now) / 1000000 + 1 : 0;
			if (until_timed < 0 || n < until_timed)
				until_timed = n;
		}
		err = output_flush(&l->pr->out, l->stop);
		/* the reader went away: a normal end, or the command's */
		if (err == -EPIPE)
			*l->stop = 1;
		/* a write error is the output's, reported once: not one of reading */
		if (err && err != -EPIPE && err != -EINTR && !o->command) {
			err = 0;
			break;
		}
		err = 0;
		now = now_ns(CLOCK_MONOTONIC);
		if (memcmp(&seen, l->counters, sizeof(seen)) &&
		    now - last_report >= 1000000000ULL) {
			memcpy(&seen, (const void *)l->counters, sizeof(seen));
			loop_report(l, "so far", false);
			last_report = now;
		}
		/* a kept record goes out without its digest when it has waited too long */
		n = hold_wait_ms(l->hold, now_ns(CLOCK_MONOTONIC));
		if (n >= 0 && (until_timed < 0 || n < until_timed))
			until_timed = n;
		wait = next_wait(l, tty, took, held, until_timed);
		/* losses not yet reported are reported within a second */
		if (memcmp(&seen, l->counters, sizeof(seen)) && (wait < 0 || wait > 1000))
			wait = 1000;
	}
out:
	close(efd);
	return err;
}

unsigned long long loop_drain(struct loop *l)
{
	struct itimerval tick = { { 0, 100000 }, { 0, 100000 } }, off = {};
	__u64 deadline = now_ns(CLOCK_MONOTONIC) + STOP_GRACE_MS * 1000000ULL;
	unsigned long long left = 0;
	bool summed = false;
	int err;

	/* blocked writes return every 100 ms to look at the clock (a stop without a signal) */
	setitimer(ITIMER_REAL, &tick, NULL);
	for (;;) {
		unsigned long took = 0;
		bool held, done = pump(l, true, &took, &held);

		/* kept records wait for their digests, as long as HOLD_MS */
		if (done && !hold_empty(l->hold)) {
			struct pollfd p = { .fd = hold_fd(l->hold), .events = POLLIN };
			int ms = hold_wait_ms(l->hold, now_ns(CLOCK_MONOTONIC));

			poll(&p, 1, ms < 100 ? ms : 100);
			done = false;
		}
		/* the summary comes after every line */
		if (done && l->o->summary && !summed)
			done = summed = summarize(l, true);
		err = output_flush(&l->pr->out, l->stop);
		if (!err && done)
			break;
		if (err == -EINTR) {
			if (*l->stop > 1 || now_ns(CLOCK_MONOTONIC) >= deadline) {
				left = output_pending_lines(&l->pr->out) + count_unprinted(l);
				break;
			}
		} else if (err) {
			/* the output is gone or broken: nothing more can be written */
			break;
		}
	}
	setitimer(ITIMER_REAL, &off, NULL);
	return left;
}
