// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>
#include "envsel.h"
#include "print.h"
#include "text.h"
#include "tree.h"
#include "who.h"

static size_t format_time(char *buf, struct fmt *f, __u64 ts)
{
	struct tm tm;
	time_t secs;
	__s64 ns;

	switch (f->time) {
	case TIME_RELATIVE:
		ns = ts > f->start_ns ? (__s64)(ts - f->start_ns) : 0;
		return sprintf(buf, "%-10.3f ", ns / 1e9);
	case TIME_WALL:
		/* unsigned: a time far out of range must not overflow */
		secs = (ts + (__u64)f->wall_offset_ns) / 1000000000ULL;
		if (secs != f->wall_secs || !f->wall[0]) {
			if (!localtime_r(&secs, &tm) ||
			    !strftime(f->wall, sizeof(f->wall), "%H:%M:%S ", &tm))
				strcpy(f->wall, "??:??:?? ");
			f->wall_secs = secs;
		}
		return stpcpy(buf, f->wall) - buf;
	default:
		return 0;
	}
}

size_t text_header(char *buf, const struct fmt *f)
{
	size_t n = 0;

	if (f->time == TIME_RELATIVE)
		n += sprintf(buf + n, "%-10s ", "TIME(s)");
	else if (f->time == TIME_WALL)
		n += sprintf(buf + n, "%-8s ", "TIME");
	if (f->print_uid)
		n += sprintf(buf + n, "%-6s ", "UID");
	if (f->container)
		n += sprintf(buf + n, "%-*s ", CONTAINER_WIDTH, "CONTAINER");
	if (f->login)
		n += sprintf(buf + n, "%-*s %-*s ", LOGIN_WIDTH, "LOGIN", TTY_WIDTH, "TTY");
	n += sprintf(buf + n, "%-16s %-6s %-6s %3s %s%s%s%s\n", "PCOMM", "PID", "PPID", "RET",
		     f->priv ? "PRIV " : "", f->hash ? "SHA256 " : "", f->cwd ? "CWD " : "",
		     "ARGS");
	return n;
}

static size_t put_word(char *d, const char *s, size_t n, bool quote)
{
	char *p = d;

	if (quote)
		*p++ = '"';
	p += escape(p, s, n, quote);
	if (quote)
		*p++ = '"';
	return p - d;
}

size_t container_name(const char *path, char *out, size_t len)
{
	const char *last = strrchr(path, '/'), *p;
	size_t n, run = 0;

	last = last ? last + 1 : path;
	for (p = last; *p; p++) {
		run = isxdigit((unsigned char)*p) ? run + 1 : 0;
		if (run == 64 && !isxdigit((unsigned char)p[1])) {
			n = len - 1 < 12 ? len - 1 : 12;
			memcpy(out, p - 63, n);
			out[n] = '\0';
			return n;
		}
	}
	n = strlen(last);
	if (n > len - 1)
		n = len - 1;
	memcpy(out, last, n);
	out[n] = '\0';
	return n;
}

/* LOGIN and TTY: the login user's name (or uid) and the controlling tty, - when none. */
static size_t login_columns(char *buf, struct fmt *f, const struct record *r)
{
	const struct who *w = &r->who;
	bool login = r->h.flags & EV_WHO && w->flags & WHO_LOGIN;
	const char *user = NULL;
	char name[TTY_SHOWN_MAX];
	size_t n = 0, len;

	if (login && w->loginuid != NO_UID) {
		user = f->user_name ? f->user_name(w->loginuid) : NULL;
		if (!user) {
			snprintf(name, sizeof(name), "%u", w->loginuid);
			user = name;
		}
		n += escape_column(buf + n, user, strlen(user), LOGIN_WIDTH);
	} else {
		n += escape_column(buf + n, "-", 1, LOGIN_WIDTH);
	}
	buf[n++] = ' ';
	len = login ? who_tty(name, w) : 0;
	n += escape_column(buf + n, len ? name : "-", len ? len : 1, TTY_WIDTH);
	buf[n++] = ' ';
	return n;
}

/* Columns up to RET, as for an exec. */
static size_t columns(char *buf, struct fmt *f, const struct record *r)
{
	size_t n = format_time(buf, f, r->h.ts);
	size_t comm_len = str_len(r->h.comm, sizeof(r->h.comm));
	char name[64];

	if (f->print_uid)
		n += sprintf(buf + n, "%-6u ", r->h.uid);
	if (f->container) {
		const char *cg = f->cgroup_path ? f->cgroup_path(r->h.cgroup_id) : NULL;
		size_t len = cg ? container_name(cg, name, sizeof(name)) : 0;

		if (!cg || !len || !strcmp(cg, "/"))
			n += escape_column(buf + n, "-", 1, CONTAINER_WIDTH);
		else
			n += escape_column(buf + n, name, len, CONTAINER_WIDTH);
		buf[n++] = ' ';
	}
	if (f->login)
		n += login_columns(buf + n, f, r);
	n += escape_column(buf + n, r->h.comm, comm_len, 16);
	return n + sprintf(buf + n, " %-6u %-6u ", r->h.pid, r->h.ppid);
}

size_t text_exit(char *buf, struct fmt *f, const struct record *r)
{
	size_t n = columns(buf, f, r);
	struct exit_status e;

	record_exit(r, &e);
	n += sprintf(buf + n, "end ");
	if (!e.sig)
		n += sprintf(buf + n, "code=%d", e.code);
	else if (e.name)
		n += sprintf(buf + n, "signal=SIG%s%s", e.name, e.core ? " core" : "");
	else
		n += sprintf(buf + n, "signal=%d%s", e.sig, e.core ? " core" : "");
	n += sprintf(buf + n, " lived=%.6fs cpu=%.6fs\n", e.lived_ns / 1e9, r->h.cpu_ns / 1e9);
	return n;
}

size_t text_line(char *buf, struct fmt *f, const struct record *r, const struct words *w)
{
	return text_tree_line(buf, f, r, w, 0);
}

/* SHA256: the digest in hex, or why there is none; - for an exec without a file. */
static size_t hash_column(char *buf, const struct record *r)
{
	const struct file_hash *h = &r->hash;

	if (!h->asked)
		return sprintf(buf, "- ");
	if (h->missing)
		return sprintf(buf, "%s ", h->missing);
	record_sha256_hex(buf, h);
	buf[SHA256_HEX_LEN] = ' ';
	return SHA256_HEX_LEN + 1;
}

/* The chosen variables as NAME=value words, escaped as arguments; ... after them when cut. */
static size_t env_words(char *buf, struct fmt *f, const struct record *r)
{
	static struct env_walk ew; /* 144 KiB: not on the stack; one thread prints */
	struct env_var v;
	size_t n = 0;

	env_walk_start(&ew, f->env, r->env, r->env_len, r->h.flags & EV_ENV_CUT);
	while (env_walk_next(&ew, &v)) {
		/* the string as it is: NAME=value, or a NAME without a value */
		n += put_word(buf + n, v.name,
			      v.value ? (size_t)(v.value + v.value_len - v.name) : v.name_len,
			      f->quote);
		buf[n++] = ' ';
	}
	if (r->h.flags & EV_ENV_CUT) {
		memcpy(buf + n, "... ", 4);
		n += 4;
	}
	return n;
}

size_t text_tree_line(char *buf, struct fmt *f, const struct record *r, const struct words *w,
		      unsigned int depth)
{
	size_t n = columns(buf, f, r);
	struct arg_walk a;
	const char *ret, *s;
	size_t len;

	ret = record_ret_word(r);
	if (ret)
		n += sprintf(buf + n, "%3s ", ret);
	else
		n += sprintf(buf + n, "%3d ", r->h.ret);
	if (f->priv) {
		char priv[PRIV_TEXT_MAX];

		/* not read (the ring was full): ? */
		if (r->h.flags & EV_WHO && r->who.flags & WHO_PRIV)
			n += escape(buf + n, priv, who_priv_text(priv, &r->who, f->user_name),
				    false);
		else
			buf[n++] = '?';
		buf[n++] = ' ';
	}
	if (f->hash)
		n += hash_column(buf + n, r);
	for (unsigned int i = 0; i < depth && i < TREE_INDENT_MAX; i++) {
		buf[n++] = ' ';
		buf[n++] = ' ';
	}
	if (depth > TREE_INDENT_MAX)
		n += sprintf(buf + n, "+%u ", depth - TREE_INDENT_MAX);

	if (f->cwd) {
		if (w->has_cwd)
			n += put_word(buf + n, w->cwd, w->cwd_len, true);
		else
			buf[n++] = '-';
		buf[n++] = w->cwd_cut ? '+' : ' ';
		if (w->cwd_cut)
			buf[n++] = ' ';
	}
	if (f->env && r->env)
		n += env_words(buf + n, f, r);
	if (w->has_path)
		n += put_word(buf + n, w->path, w->path_len, f->quote);
	args_start(&a, w, f->max_args);
	while (args_next(&a, &s, &len)) {
		buf[n++] = ' ';
		n += put_word(buf + n, s, len, f->quote);
	}
	if (w->cut || a.more) {
		if (w->has_path)
			buf[n++] = ' ';
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

/* Summary: words joined by spaces and escaped, cut to max bytes with " ..." when longer or cut before. */
static size_t put_words(char *d, const char *s, size_t n, size_t max, bool cut)
{
	size_t len = n > max ? max : n, k = 0;
	char *p = d;

	if (len < n)
		len = utf8_cut(s, len);
	while (k < len) {
		const char *z = memchr(s + k, '\0', len - k);
		size_t w = z ? (size_t)(z - (s + k)) : len - k;

		p += escape(p, s + k, w, false);
		k += w;
		if (k < len) {
			*p++ = ' ';
			k++;
		}
	}
	if (cut || len < n)
		p = stpcpy(p, " ...");
	return p - d;
}

/* A count as text: at least n, with + when it may be more. */
static const char *count_text(char *buf, unsigned long long n, bool exact)
{
	snprintf(buf, 24, "%llu%s", n, exact ? "" : "+");
	return buf;
}

size_t text_summary(char *buf, const struct summary *s, const struct summary_view *v)
{
	const struct summary_tally *t = summary_tally(s, v);
	__u64 span = summary_span(s, v);
	time_t secs = ((__s64)v->now_ns + v->wall_offset_ns) / 1000000000LL;
	unsigned long long bound = summary_bound(s, v), e, f;
	struct summary_row rows[SUMMARY_TOP];
	char when[16], c1[24], c2[24], *d = buf;
	size_t n, others;
	bool replaced;
	struct tm tm;

	localtime_r(&secs, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	d += sprintf(d, "SUMMARY %s, %s %.1f s: %llu execs, %llu failed, %.1f execs/s", when,
		     v->final ? "in total" : "last", span / 1e9, t->execs, t->failed,
		     summary_rate(t->execs, span));
	if (v->lost)
		d += sprintf(d, ", %llu lost", v->lost);
	if (bound)
		d += sprintf(d, "; over %d names: N+ is at least N, at most N+%llu", SUMMARY_SLOTS,
			     bound);
	*d++ = '\n';

	n = summary_top(s, v, true, rows, &others);
	replaced = summary_replaced(s, v, true);
	if (n)
		d += sprintf(d, "%7s %-16s %7s %7s %9s %s\n", "PPID", "COMM", "EXECS", "FAILED",
			     "EXECS/S", "SPAWNER");
	for (size_t i = 0; i < n; i++) {
		const struct summary_spawner *sp = summary_spawner(s, v, rows[i].item);

		d += sprintf(d, "%7u ", sp->pid);
		if (sp->named)
			d += escape_column(d, sp->comm, strnlen(sp->comm, sizeof(sp->comm)), 16);
		else
			d += escape_column(d, "?", 1, 16);
		d += sprintf(d, " %7s %7s %9.1f ", count_text(c1, rows[i].execs, !rows[i].err),
			     count_text(c2, rows[i].failed, !rows[i].err),
			     summary_rate(rows[i].execs, span));
		if (sp->named && sp->cmdline_len)
			d += put_words(d, sp->cmdline, sp->cmdline_len, SUMMARY_SHOWN_CMD, sp->cut);
		else if (sp->named) {
			/* a kernel thread, as ps shows it */
			*d++ = '[';
			d += escape(d, sp->comm, strnlen(sp->comm, sizeof(sp->comm)), false);
			*d++ = ']';
		} else
			*d++ = '?';
		*d++ = '\n';
	}
	if (others || replaced) {
		char more[32];

		summary_others(s, v, rows, n, &e, &f);
		/* names replaced were not all told apart: at least that many */
		snprintf(more, sizeof(more), "(%zu%s more)", others, replaced ? "+" : "");
		d += sprintf(d, "%7s %-16s %7llu %7llu %9.1f\n", "-", more, e, f,
			     summary_rate(e, span));
	}

	n = summary_top(s, v, false, rows, &others);
	replaced = summary_replaced(s, v, false);
	if (n)
		d += sprintf(d, "%7s %7s %9s %s\n", "EXECS", "FAILED", "EXECS/S", "COMMAND");
	for (size_t i = 0; i < n; i++) {
		const struct summary_command *c = summary_command(s, v, rows[i].item);

		d += sprintf(d, "%7s %7s %9.1f ", count_text(c1, rows[i].execs, !rows[i].err),
			     count_text(c2, rows[i].failed, !rows[i].err),
			     summary_rate(rows[i].execs, span));
		if (c->known)
			d += put_words(d, c->path,
				       c->len < SUMMARY_PATH_KEEP ? c->len : SUMMARY_PATH_KEEP,
				       SUMMARY_SHOWN_PATH, c->len > SUMMARY_PATH_KEEP);
		else
			*d++ = '?';
		*d++ = '\n';
	}
	if (others || replaced) {
		summary_others(s, v, rows, n, &e, &f);
		d += sprintf(d, "%7llu %7llu %9.1f (%zu%s more)\n", e, f, summary_rate(e, span),
			     others, replaced ? "+" : "");
	}
	*d = '\0';
	return d - buf;
}

size_t text_need(const struct record *r)
{
	/* every byte escaped, a quote pair and a space per word, the columns, the indentation */
	return 8 * (r->h.fname_len + r->h.args_len + r->h.cwd_len + r->env_len) + 384 +
	       4 * PRIV_TEXT_MAX + 8 * (LOGIN_WIDTH + TTY_WIDTH) + SHA256_COLUMN_MAX;
}

/* The text formats' state: the columns, and with --tree the depth of each process. */
struct text_state {
	struct fmt f;
	struct tree tree;
};

static bool text_chosen(const struct options *o)
{
	(void)o;
	return true;
}

static bool tree_chosen(const struct options *o)
{
	return o->tree;
}

static unsigned int text_fields(const struct options *o)
{
	return (o->cwd ? FIELD_CWD : 0) | (o->container ? FIELD_CGROUP : 0) |
	       (o->login ? FIELD_LOGIN : 0) | (o->privilege ? FIELD_PRIV : 0);
}

static unsigned int tree_fields(const struct options *o)
{
	return text_fields(o) | FIELD_IDS | FIELD_ANCESTOR;
}

void text_fmt_init(struct fmt *f, const struct options *o, const struct print_env *env)
{
	memset(f, 0, sizeof(*f));
	f->time = o->time;
	f->print_uid = o->print_uid;
	f->quote = o->quote;
	f->container = o->container;
	f->cwd = o->cwd;
	f->max_args = o->max_args;
	f->cgroup_path = env->cgroup_path;
	f->login = o->login;
	f->priv = o->privilege;
	f->hash = o->hash;
	f->env = o->env.n ? &o->env : NULL;
	f->user_name = env->user_name;
}

static void *text_open(const struct options *o, const struct print_env *env)
{
	struct text_state *s = calloc(1, sizeof(*s));

	if (s)
		text_fmt_init(&s->f, o, env);
	return s;
}

static void text_close(void *state)
{
	struct text_state *s = state;

	tree_free(&s->tree);
	free(s);
}

static void text_clock(void *state, __s64 wall_offset_ns, __u64 start_ns)
{
	struct text_state *s = state;

	s->f.wall_offset_ns = wall_offset_ns;
	s->f.start_ns = start_ns;
}

static size_t text_head(char *buf, void *state)
{
	return text_header(buf, &((struct text_state *)state)->f);
}

static size_t text_exec(char *buf, void *state, const struct record *r, const struct words *w)
{
	return text_line(buf, &((struct text_state *)state)->f, r, w);
}

static size_t tree_exec(char *buf, void *state, const struct record *r, const struct words *w)
{
	struct text_state *s = state;

	return text_tree_line(
		buf, &s->f, r, w,
		tree_depth(&s->tree, r->h.pid, r->h.start_ns, r->h.anc_pid, r->h.anc_start_ns));
}

static size_t text_end(char *buf, void *state, const struct record *r)
{
	return text_exit(buf, &((struct text_state *)state)->f, r);
}

static size_t text_sum(char *buf, void *state, const struct summary *s,
		       const struct summary_view *v)
{
	size_t n = text_summary(buf, s, v);

	(void)state;
	/* a blank line ends the table */
	buf[n++] = '\n';
	return n;
}

/* The text rows differ in their name, when they are chosen, what they show and the exec line. */
#define TEXT_ROW(row, picked, shows, line)                                                         \
	{                                                                                          \
		.name = row, .chosen = picked, .fields = shows, .open = text_open,                 \
		.close = text_close, .clock = text_clock, .header_len = TEXT_HEADER_MAX_LEN,       \
		.header = text_head, .need = text_need, .exec = line, .end_len = TEXT_END_MAX_LEN, \
		.end = text_end, .summary = text_sum,                                              \
	}

const struct print_format text_format = TEXT_ROW("text", text_chosen, text_fields, text_exec);

/* text with ARGS indented by ancestry */
const struct print_format tree_format = TEXT_ROW("tree", tree_chosen, tree_fields, tree_exec);
