// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <string.h>
#include "metrics.h"

/* The spawner's name: the command name before the exec, which its fork inherited. */
static const char *spawner(const struct record *r)
{
	return r->h.comm_before[0] ? r->h.comm_before : r->h.comm;
}

void metrics_add(struct metrics *m, const struct record *r, bool max_args)
{
	const char *name = spawner(r);
	size_t i;

	if (r->h.ret)
		m->failed++;
	else
		m->ok++;
	for (i = 0; i < CUT_REASONS; i++) {
		if (r->h.flags & cut_reasons[i].flag)
			m->cut[i]++;
	}
	if (max_args)
		m->cut[CUT_REASONS]++;
	for (i = 0; i < m->ncomms; i++) {
		if (!strncmp(m->comms[i].comm, name, TASK_COMM_LEN)) {
			m->comms[i].execs++;
			return;
		}
	}
	if (m->ncomms == METRICS_COMMS) {
		m->other++;
		return;
	}
	strncpy(m->comms[i].comm, name, TASK_COMM_LEN);
	m->comms[i].execs = 1;
	m->ncomms++;
}

/*
 * A label value: printable ASCII as itself, \ and " escaped; any other byte
 * as the text \xNN, so that names stay apart and the file stays UTF-8.
 */
static char *put_label(char *d, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == '\\' || c == '"') {
			*d++ = '\\';
			*d++ = c;
		} else if (c >= 0x20 && c < 0x7f) {
			*d++ = c;
		} else {
			d = stpcpy(d, "\\\\x");
			*d++ = hex[c >> 4];
			*d++ = hex[c & 0xf];
		}
	}
	return d;
}

static char *put_head(char *d, const char *name, const char *type, const char *help)
{
	return d + sprintf(d, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static char *put_series(char *d, const char *name, const char *label, const char *value,
			unsigned long long n)
{
	return d + sprintf(d, "%s{%s=\"%s\"} %llu\n", name, label, value, n);
}

size_t metrics_render(char *buf, const struct metrics *m, const struct losses *l)
{
	char *d = buf;

	d = put_head(d, "execsnoop_execs_total", "counter",
		     "Execs traced (after the filters), by result: ok, or failed (with -x).");
	d = put_series(d, "execsnoop_execs_total", "result", "ok", m->ok);
	d = put_series(d, "execsnoop_execs_total", "result", "failed", m->failed);

	d = put_head(d, "execsnoop_lost_total", "counter",
		     "Execs or entries lost, by cause: ring_full and no_buffer in the kernel, "
		     "journal_refused, unwritten at the stop.");
	d = put_series(d, "execsnoop_lost_total", "cause", "ring_full", l->lost_ring);
	d = put_series(d, "execsnoop_lost_total", "cause", "no_buffer", l->lost_busy);
	d = put_series(d, "execsnoop_lost_total", "cause", "journal_refused", l->refused);
	d = put_series(d, "execsnoop_lost_total", "cause", "unwritten", l->unwritten);

	d = put_head(d, "execsnoop_args_cut_total", "counter",
		     "Execs traced with something missing, by cause (the cut values of JSON).");
	for (size_t i = 0; i < CUT_REASONS; i++)
		d = put_series(d, "execsnoop_args_cut_total", "cause", cut_reasons[i].why,
			       m->cut[i]);
	d = put_series(d, "execsnoop_args_cut_total", "cause", "max-args", m->cut[CUT_REASONS]);

	d = put_head(d, "execsnoop_spawner_execs_total", "counter",
		     "Execs by the command name of the process that called exec; the first 64 "
		     "names seen, the rest as comm=\"other\".");
	for (size_t i = 0; i < m->ncomms; i++) {
		d = stpcpy(d, "execsnoop_spawner_execs_total{comm=\"");
		d = put_label(d, m->comms[i].comm, strnlen(m->comms[i].comm, TASK_COMM_LEN));
		d += sprintf(d, "\"} %llu\n", m->comms[i].execs);
	}
	d = put_series(d, "execsnoop_spawner_execs_total", "comm", "other", m->other);

	d = put_head(d, "execsnoop_start_time_seconds", "gauge",
		     "Start time of the tracer since the Unix epoch in seconds.");
	d += sprintf(d, "execsnoop_start_time_seconds %.3f\n", m->start_time);
	return d - buf;
}
