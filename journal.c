// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "journal.h"
#include "json.h"
#include "print.h"

#define JOURNAL_END_MAX_LEN (TEXT_END_MAX_LEN + 2048) /* room for the entry of an end */

/* The journal's state: the text line's columns (MESSAGE), and the clock of EXECSNOOP_TIME. */
struct journal_state {
	struct fmt f;
	struct json_ctx j;
};

char *journal_field(char *d, const char *name, const char *s, size_t n)
{
	__u64 le = n;

	d = stpcpy(d, name);
	if (!memchr(s, '\n', n)) {
		*d++ = '=';
	} else {
		*d++ = '\n';
		/* the length, as 64-bit little endian */
		for (int i = 0; i < 8; i++, le >>= 8)
			*d++ = le & 0xff;
	}
	memcpy(d, s, n);
	d += n;
	*d++ = '\n';
	return d;
}

static char *put_str(char *d, const char *name, const char *s)
{
	return journal_field(d, name, s, strlen(s));
}

static char *put_u64(char *d, const char *name, __u64 v)
{
	char num[24];

	return journal_field(d, name, num, sprintf(num, "%llu", (unsigned long long)v));
}

static char *put_s64(char *d, const char *name, __s64 v)
{
	char num[24];

	return journal_field(d, name, num, sprintf(num, "%lld", (long long)v));
}

/* A field that is null in JSON is left out. */
static char *put_maybe(char *d, const char *name, const char *s, size_t n, bool has)
{
	return has ? journal_field(d, name, s, n) : d;
}

/* MESSAGE: a text line, whose newline ends the field (its bytes are escaped: no other newline). */
static char *put_message(char *d, size_t n)
{
	memmove(d + 8, d, n);
	memcpy(d, "MESSAGE=", 8);
	d += 8 + n;
	if (!n || d[-1] != '\n')
		*d++ = '\n';
	return d;
}

/* What the entries of an exec and of an end share, after MESSAGE. */
static char *put_common(char *d, struct journal_state *s, const struct record *r, const char *id,
			const char *type)
{
	const struct event_hdr *h = &r->h;
	const char *user = s->j.user_name ? s->j.user_name(h->uid) : NULL;
	char t[64], ident[48];
	size_t n;

	d = put_str(d, "MESSAGE_ID", id);
	d = put_str(d, "PRIORITY", "6");
	d = put_str(d, "SYSLOG_IDENTIFIER", "execsnoop");
	d = put_str(d, "EXECSNOOP_TYPE", type);
	d = put_u64(d, "EXECSNOOP_VERSION", JSON_VERSION);
	/* the JSON string without its quotes */
	n = json_time(t, &s->j, h->ts);
	d = journal_field(d, "EXECSNOOP_TIME", t + 1, n - 2);
	d = put_u64(d, "EXECSNOOP_TS_NS", h->ts);
	d = put_u64(d, "EXECSNOOP_PID", h->pid);
	d = put_u64(d, "EXECSNOOP_TID", h->tid);
	d = put_u64(d, "EXECSNOOP_PPID", h->ppid);
	n = sprintf(ident, "%u@%llu", h->pid, (unsigned long long)h->start_ns);
	d = journal_field(d, "EXECSNOOP_ID", ident, n);
	n = sprintf(ident, "%u@%llu", h->ppid, (unsigned long long)h->parent_start_ns);
	d = journal_field(d, "EXECSNOOP_PARENT_ID", ident, n);
	d = put_u64(d, "EXECSNOOP_UID", h->uid);
	d = put_maybe(d, "EXECSNOOP_USER", user, user ? strlen(user) : 0, user);
	return journal_field(d, "EXECSNOOP_COMM", h->comm, str_len(h->comm, sizeof(h->comm)));
}

size_t journal_need(const struct record *r)
{
	/* the text line, the arguments twice (ARGS, ARG) with a name each, the paths, the rest */
	return text_need(r) + 2 * (r->h.fname_len + r->h.args_len) + 4 * CWD_MAX +
	       32 * JOURNAL_ARG_FIELDS + 4096 + WHO_SHOWN_MAX + 2 * (r->interp_len + r->env_len) +
	       32 * JOURNAL_ENV_FIELDS;
}

static const char *yes_no(bool b)
{
	return b ? "true" : "false";
}

/* The JSON fields of the login identity, the effective ids and the privilege raised. */
static char *put_who(char *d, struct journal_state *s, const struct record *r)
{
	const struct who *w = &r->who;
	bool login = r->h.flags & EV_WHO && w->flags & WHO_LOGIN;
	bool priv = r->h.flags & EV_WHO && w->flags & WHO_PRIV;
	bool logged = login && w->loginuid != NO_UID;
	const char *user = logged && s->j.user_name ? s->j.user_name(w->loginuid) : NULL;
	char tty[TTY_SHOWN_MAX], buf[CAP_NAME_MAX];
	size_t n = login ? who_tty(tty, w) : 0;

	if (user && strlen(user) > WHO_USER_MAX)
		user = NULL;
	if (logged)
		d = put_u64(d, "EXECSNOOP_LOGIN_UID", w->loginuid);
	d = put_maybe(d, "EXECSNOOP_LOGIN_USER", user, user ? strlen(user) : 0, user);
	if (login && w->sessionid != NO_UID)
		d = put_u64(d, "EXECSNOOP_SESSION_ID", w->sessionid);
	d = put_maybe(d, "EXECSNOOP_TTY", tty, n, n);
	if (!priv)
		return d;
	d = put_u64(d, "EXECSNOOP_EUID", w->euid);
	d = put_u64(d, "EXECSNOOP_EGID", w->egid);
	if (!who_raised(w))
		return d;
	d = put_str(d, "EXECSNOOP_PRIVILEGE_SETUID", yes_no(w->flags & WHO_SETUID));
	d = put_str(d, "EXECSNOOP_PRIVILEGE_SETGID", yes_no(w->flags & WHO_SETGID));
	/* one value a capability, as EXECSNOOP_CUT has one a reason */
	for (unsigned int bit = 0; bit < 64; bit++) {
		if (w->caps >> bit & 1)
			d = put_str(d, "EXECSNOOP_PRIVILEGE_CAPS", cap_name(bit, buf));
	}
	return put_str(d, "EXECSNOOP_PRIVILEGE_EXACT", yes_no(!(w->flags & WHO_GUESSED)));
}

/*
 * The ancestors, the parent first, as two values that keep their order (a
 * journal keeps repeated fields as a set): their identities separated by
 * spaces, and their comms each followed by a NUL byte, as EXECSNOOP_ARGS.
 */
static char *put_ancestry(char *d, const struct record *r)
{
	const struct ancestry *a = &r->anc;
	char ids[ANCESTRY_MAX * 48], comms[ANCESTRY_MAX * (TASK_COMM_LEN + 1)];
	size_t n = 0, k = 0, len;

	if (!(r->h.flags & EV_ANCESTORS))
		return d;
	for (__u32 i = 0; i < a->n && i < ANCESTRY_MAX; i++) {
		const struct ancestor *p = &a->a[i];

		n += sprintf(ids + n, "%s%u@%llu", i ? " " : "", p->pid,
			     (unsigned long long)p->start_ns);
		len = str_len(p->comm, sizeof(p->comm));
		memcpy(comms + k, p->comm, len);
		k += len;
		comms[k++] = '\0';
	}
	d = journal_field(d, "EXECSNOOP_ANCESTORS", ids, n);
	/* the binary-safe form, as EXECSNOOP_ARGS: NUL bytes in a value */
	d = stpcpy(d, "EXECSNOOP_ANCESTORS_COMM\n");
	for (int i = 0; i < 8; i++)
		*d++ = (__u64)k >> (8 * i) & 0xff;
	memcpy(d, comms, k);
	d += k;
	*d++ = '\n';
	return put_str(d, "EXECSNOOP_ANCESTORS_CUT", yes_no(a->cut));
}

/* With --env: each chosen variable as it is, NAME=value, in the environment's order. */
static char *put_env(char *d, const struct journal_state *s, const struct record *r)
{
	static struct env_walk ew; /* 144 KiB: not on the stack; one thread prints */
	struct env_var v;
	unsigned int n = 0;

	if (!s->j.env || !r->env)
		return d;
	env_walk_start(&ew, s->j.env, r->env, r->env_len, r->h.flags & EV_ENV_CUT);
	while (env_walk_next(&ew, &v) && n++ < JOURNAL_ENV_FIELDS)
		d = journal_field(d, "EXECSNOOP_ENV", v.name,
				  v.value ? (size_t)(v.value + v.value_len - v.name) : v.name_len);
	return d;
}

/* With --hash: the digest of the file executed, or why there is none. */
static char *put_hash(char *d, const struct record *r)
{
	char hex[SHA256_HEX_LEN + 1];

	if (!r->hash.asked)
		return d;
	if (r->hash.missing)
		return put_str(d, "EXECSNOOP_SHA256_ERROR", r->hash.missing);
	record_sha256_hex(hex, &r->hash);
	return put_str(d, "EXECSNOOP_SHA256", hex);
}

static size_t journal_exec(char *buf, void *state, const struct record *r, const struct words *w)
{
	struct journal_state *s = state;
	const struct event_hdr *h = &r->h;
	const char *str, *cg, *name;
	struct arg_walk a;
	char *d, *args;
	size_t len;

	d = put_message(buf, text_line(buf, &s->f, r, w));
	d = put_common(d, s, r, JOURNAL_ID_EXEC, "exec");
	/* a failed exec changes nothing: the comm before it is the comm */
	if (h->comm_before[0])
		d = journal_field(d, "EXECSNOOP_COMM_BEFORE", h->comm_before,
				  str_len(h->comm_before, sizeof(h->comm_before)));
	else if (h->ret)
		d = journal_field(d, "EXECSNOOP_COMM_BEFORE", h->comm,
				  str_len(h->comm, sizeof(h->comm)));
	d = put_maybe(d, "EXECSNOOP_PATH", w->path, w->path_len, w->has_path);
	d = put_maybe(d, "EXECSNOOP_PATH_RESOLVED", w->exe, w->exe_len, w->has_exe);
	d = put_maybe(d, "EXECSNOOP_INTERPRETER", r->interp, r->interp_len, r->interp);
	d = put_maybe(d, "EXECSNOOP_CWD", w->cwd, w->cwd_len, w->has_cwd);
	/* each argument on its own, for filters, then all of them in order, each ended by a NUL */
	args_start(&a, w, s->j.max_args);
	while (args_next(&a, &str, &len) && a.shown <= JOURNAL_ARG_FIELDS)
		d = journal_field(d, "EXECSNOOP_ARG", str, len);
	d = stpcpy(d, "EXECSNOOP_ARGS\n");
	args = d + 8;
	len = 0;
	args_start(&a, w, s->j.max_args);
	while (args_next(&a, &str, &len)) {
		memcpy(args, str, len);
		args += len;
		*args++ = '\0';
	}
	len = args - (d + 8);
	for (int i = 0; i < 8; i++)
		d[i] = (__u64)len >> (8 * i) & 0xff;
	d = args;
	*d++ = '\n';
	d = put_u64(d, "EXECSNOOP_ARGC", a.shown);
	d = put_s64(d, "EXECSNOOP_RET", h->ret);
	d = put_str(d, "EXECSNOOP_KILLED", h->flags & EV_KILLED ? "true" : "false");
	/* an errno is at most 4095; anything else from a record is no errno */
	name = h->ret < 0 && h->ret > -4096 && !(h->flags & EV_KILLED) ? strerrorname_np(-h->ret)
								       : NULL;
	if (name)
		d = put_str(d, "EXECSNOOP_ERRNO", name);
	cg = s->j.cgroup_path ? s->j.cgroup_path(h->cgroup_id) : NULL;
	d = put_u64(d, "EXECSNOOP_CGROUP_ID", h->cgroup_id);
	d = put_maybe(d, "EXECSNOOP_CGROUP", cg, cg ? strlen(cg) : 0, cg);
	d = put_u64(d, "EXECSNOOP_PIDNS", h->pidns);
	d = put_u64(d, "EXECSNOOP_NS_PID", h->ns_pid);
	d = put_u64(d, "EXECSNOOP_MNTNS", h->mntns);
	/* what is missing, one value a reason */
	for (size_t i = 0; i < CUT_REASONS; i++) {
		if (r->h.flags & cut_reasons[i].flag)
			d = put_str(d, "EXECSNOOP_CUT", cut_reasons[i].why);
	}
	if (a.more)
		d = put_str(d, "EXECSNOOP_CUT", "max-args");
	d = put_who(d, s, r);
	d = put_ancestry(d, r);
	d = put_env(d, s, r);
	return put_hash(d, r) - buf;
}

static size_t journal_end(char *buf, void *state, const struct record *r)
{
	struct journal_state *s = state;
	struct exit_status e;
	char *d, sig[32];

	d = put_message(buf, text_exit(buf, &s->f, r));
	d = put_common(d, s, r, JOURNAL_ID_END, "exit");
	record_exit(r, &e);
	if (!e.sig) {
		d = put_s64(d, "EXECSNOOP_CODE", e.code);
	} else {
		if (e.name)
			snprintf(sig, sizeof(sig), "SIG%s", e.name);
		else
			snprintf(sig, sizeof(sig), "SIG%d", e.sig);
		d = put_str(d, "EXECSNOOP_SIGNAL", sig);
	}
	d = put_str(d, "EXECSNOOP_CORE", e.core ? "true" : "false");
	d = put_u64(d, "EXECSNOOP_LIFETIME_NS", e.lived_ns);
	d = put_u64(d, "EXECSNOOP_CPU_NS", r->h.cpu_ns);
	return d - buf;
}

/* The summary: its table as MESSAGE, its totals as fields. */
static size_t journal_summary(char *buf, void *state, const struct summary *sum,
			      const struct summary_view *v)
{
	const struct summary_tally *t = summary_tally(sum, v);
	size_t n = text_summary(buf, sum, v);
	char *d;

	(void)state;
	/* a table of many lines: the binary-safe form */
	memmove(buf + 16, buf, n);
	d = journal_field(buf, "MESSAGE", buf + 16, n);
	d = put_str(d, "MESSAGE_ID", JOURNAL_ID_SUMMARY);
	d = put_str(d, "PRIORITY", "6");
	d = put_str(d, "SYSLOG_IDENTIFIER", "execsnoop");
	d = put_str(d, "EXECSNOOP_TYPE", "summary");
	d = put_str(d, "EXECSNOOP_FINAL", v->final ? "true" : "false");
	d = put_u64(d, "EXECSNOOP_SPAN_NS", summary_span(sum, v));
	d = put_u64(d, "EXECSNOOP_EXECS", t->execs);
	d = put_u64(d, "EXECSNOOP_FAILED", t->failed);
	d = put_u64(d, "EXECSNOOP_LOST", v->lost);
	return d - buf;
}

/* Losses so far, or in total: one entry with a field a cause. */
static size_t journal_losses(char *buf, void *state, const struct losses *l, bool final)
{
	char msg[256];
	char *d;
	int n;

	(void)state;
	n = snprintf(
		msg, sizeof(msg),
		"%s: %llu execs lost (ring full %llu, no buffer %llu), %llu without arguments (ring full %llu, not seen at entry %llu), %llu entries refused by the journal",
		final ? "in total" : "so far", l->lost_ring + l->lost_busy, l->lost_ring,
		l->lost_busy, l->args_lost_ring + l->args_lost_stash, l->args_lost_ring,
		l->args_lost_stash, l->refused);
	d = journal_field(buf, "MESSAGE", msg, n);
	d = put_str(d, "MESSAGE_ID", JOURNAL_ID_LOSS);
	d = put_str(d, "PRIORITY", "4");
	d = put_str(d, "SYSLOG_IDENTIFIER", "execsnoop");
	d = put_str(d, "EXECSNOOP_TYPE", "loss");
	d = put_str(d, "EXECSNOOP_FINAL", final ? "true" : "false");
	d = put_u64(d, "EXECSNOOP_LOST_RING_FULL", l->lost_ring);
	d = put_u64(d, "EXECSNOOP_LOST_NO_BUFFER", l->lost_busy);
	d = put_u64(d, "EXECSNOOP_ARGS_LOST_RING_FULL", l->args_lost_ring);
	d = put_u64(d, "EXECSNOOP_ARGS_LOST_NOT_SEEN", l->args_lost_stash);
	d = put_u64(d, "EXECSNOOP_JOURNAL_REFUSED", l->refused);
	d = put_u64(d, "EXECSNOOP_UNWRITTEN", l->unwritten);
	return d - buf;
}

static bool journal_chosen(const struct options *o)
{
	return o->journal;
}

static unsigned int journal_fields(const struct options *o)
{
	(void)o;
	/* every JSON field; the text line's columns are among them */
	return JSON_FIELDS;
}

static void *journal_open(const struct options *o, const struct print_env *env)
{
	struct journal_state *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	text_fmt_init(&s->f, o, env);
	s->j.max_args = o->max_args;
	s->j.env = o->env.n ? &o->env : NULL;
	s->j.user_name = env->user_name;
	s->j.cgroup_path = env->cgroup_path;
	return s;
}

static void journal_clock(void *state, __s64 wall_offset_ns, __u64 start_ns)
{
	struct journal_state *s = state;

	s->f.wall_offset_ns = s->j.wall_offset_ns = wall_offset_ns;
	s->f.start_ns = start_ns;
}

const struct print_format journal_format = {
	.name = "journal",
	.chosen = journal_chosen,
	.fields = journal_fields,
	.open = journal_open,
	.close = free,
	.clock = journal_clock,
	.need = journal_need,
	.exec = journal_exec,
	.end_len = JOURNAL_END_MAX_LEN,
	.end = journal_end,
	.summary = journal_summary,
	.losses = journal_losses,
};
