// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "errors.h"
#include "print.h"

/*
 * The formats, one row each: the first the options choose wins, the last is
 * the default. A row names a struct print_format NAME_format defined in a
 * file of its own.
 */
/* clang-format off */
#define FORMATS(row)		\
	row(journal)	/* --journal */	\
	row(json)	/* -j */	\
	row(tree)	/* --tree */	\
	row(text)	/* the default */
/* clang-format on */

#define DECLARE(name) extern const struct print_format name##_format;
FORMATS(DECLARE)
#undef DECLARE

#define ENTRY(name) &name##_format,
static const struct print_format *const formats[] = { FORMATS(ENTRY) };
#undef ENTRY

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static const struct print_format *pick(const struct options *o)
{
	for (size_t i = 0; i < NFORMATS - 1; i++) {
		if (formats[i]->chosen(o))
			return formats[i];
	}
	return formats[NFORMATS - 1];
}

unsigned int print_fields(const struct options *o)
{
	unsigned int f = pick(o)->fields(o);

	/* an end and the summary know a process by its identity; the summary names its spawner */
	if (o->exits || o->summary)
		f |= FIELD_IDS;
	if (o->summary)
		f |= FIELD_ANCESTOR;
	/* the metrics count execs by their spawner's name */
	if (o->metrics)
		f |= FIELD_COMM_BEFORE;
	/* the filter reads what the column shows */
	if (o->privileged)
		f |= FIELD_PRIV;
	/* a digest is of the file the kernel saw: found by its process, else its resolved path */
	if (o->hash)
		f |= FIELD_FILE | FIELD_EXE;
	if (o->env.n)
		f |= FIELD_ENV;
	return f;
}

int print_init(struct print *p, const struct options *o, const struct print_env *env, int fd,
	       output_send_fn send)
{
	memset(p, 0, sizeof(*p));
	p->o = o;
	p->f = pick(o);
	if (output_init(&p->out, fd, PRINT_ROOM_MAX - 1 + PRINT_BATCH, send))
		return -ENOMEM;
	if (o->metrics) {
		p->metrics = calloc(1, sizeof(*p->metrics));
		p->metrics_buf = malloc(METRICS_MAX_LEN);
		if (!p->metrics || !p->metrics_buf)
			return -ENOMEM;
	}
	p->describe = env->describe;
	p->state = p->f->open(o, env);
	return p->state ? 0 : -ENOMEM;
}

int print_start(struct print *p, __u64 now_ns, __s64 wall_offset_ns)
{
	p->start_ns = now_ns;
	if (p->metrics)
		p->metrics->start_time = (now_ns + wall_offset_ns) / 1e9;
	p->f->clock(p->state, wall_offset_ns, now_ns);
	if (p->o->summary && summary_init(&p->summary, now_ns, p->describe))
		return -ENOMEM;
	if (p->f->header_len && !p->o->quiet)
		output_commit(&p->out,
			      p->f->header(output_room(&p->out, p->f->header_len, NULL), p->state));
	return 0;
}

void print_clock(struct print *p, __s64 wall_offset_ns)
{
	p->f->clock(p->state, wall_offset_ns, p->start_ns);
}

bool print_wanted(struct print *p, const struct record *r)
{
	if (p->o->name && !strstr(r->h.comm, p->o->name))
		return false;
	record_words(r, &p->w);
	return !p->o->line || words_contain(&p->w, p->o->line);
}

/* The end of a process, when its exec was printed; false when the output has no room. */
static bool print_end(struct print *p, const struct record *r, volatile sig_atomic_t *stop)
{
	char *d;

	if (!procset_take(&p->printed, r->h.pid, r->h.start_ns))
		return true;
	d = output_room(&p->out, p->f->end_len, stop);
	if (!d) {
		/* it is printed when there is room */
		procset_add(&p->printed, r->h.pid, r->h.start_ns);
		return false;
	}
	output_commit(&p->out, p->f->end(d, p->state, r));
	return true;
}

/* Counts an exec that passed the filters in the metrics, once it is done with. */
static void count(struct print *p, const struct record *r)
{
	struct arg_walk a;
	const char *s;
	size_t n;

	if (!p->metrics)
		return;
	/* the arguments beyond --max-args */
	args_start(&a, &p->w, p->o->max_args);
	if (p->o->max_args)
		while (args_next(&a, &s, &n))
			;
	metrics_add(p->metrics, r, a.more);
}

bool print_record(struct print *p, const struct record *r, volatile sig_atomic_t *stop)
{
	const struct options *o = p->o;
	char *d;

	if (r->h.flags & EV_EXIT)
		return o->quiet || p->out.gone || p->out.err || print_end(p, r, stop);
	if (!print_wanted(p, r))
		return true;
	/* a command goes on after its output is gone: what it runs is let go */
	if (p->out.gone || p->out.err) {
		count(p, r);
		return true;
	}
	if (o->quiet) {
		if (o->summary)
			summary_add(&p->summary, r, &p->w);
		count(p, r);
		return true;
	}
	if (o->exits && r->h.ret == 0 && procset_add(&p->printed, r->h.pid, r->h.start_ns))
		errmsg_errno("remembering a process for --exits", ENOMEM);
	d = output_room(&p->out, p->f->need(r), stop);
	if (!d)
		return false;
	output_commit(&p->out, p->f->exec(d, p->state, r, &p->w));
	/* counted once it is out: a record without room comes back */
	if (o->summary)
		summary_add(&p->summary, r, &p->w);
	count(p, r);
	return true;
}

bool print_summary(struct print *p, bool final, __u64 now_ns, __s64 wall_offset_ns,
		   unsigned long long lost, volatile sig_atomic_t *stop)
{
	struct summary_view v = {
		.final = final,
		.now_ns = now_ns,
		.wall_offset_ns = wall_offset_ns,
		.lost = lost - (final ? 0 : p->lost_before),
	};
	char *d = output_room(&p->out, PRINT_ROOM_MAX, stop);

	if (!d)
		return false;
	output_commit(&p->out, p->f->summary(d, p->state, &p->summary, &v));
	if (!final) {
		p->lost_before = lost;
		summary_next(&p->summary, now_ns);
	}
	return true;
}

bool print_losses(struct print *p, const struct losses *l, bool final, volatile sig_atomic_t *stop)
{
	char *d;

	if (!p->f->losses || p->out.gone || p->out.err)
		return true;
	d = output_room(&p->out, 4096, stop);
	if (!d)
		return false;
	output_commit(&p->out, p->f->losses(d, p->state, l, final));
	return true;
}

const char *print_metrics(struct print *p, const struct losses *l, size_t *len)
{
	*len = metrics_render(p->metrics_buf, p->metrics, l);
	return p->metrics_buf;
}

void print_free(struct print *p)
{
	free(p->metrics);
	free(p->metrics_buf);
	p->metrics = NULL;
	p->metrics_buf = NULL;
	if (p->state)
		p->f->close(p->state);
	p->state = NULL;
	output_free(&p->out);
	procset_free(&p->printed);
	summary_free(&p->summary);
}
