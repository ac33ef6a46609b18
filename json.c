// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>
#include "json.h"
#include "print.h"

static const char hex[] = "0123456789abcdef";

#define STRING(x)    #x
#define STRING_OF(x) STRING(x)
#define VERSION	     STRING_OF(JSON_VERSION)

size_t json_bytes(char *dst, const char *s, size_t n)
{
	char *d = dst;
	size_t len;

	*d++ = '"';
	len = escape_json(d, s, n);
	if (len != ESCAPE_INVALID) {
		d += len;
		*d++ = '"';
		return d - dst;
	}
	d = stpcpy(dst, "{\"hex\":\"");
	for (size_t i = 0; i < n; i++) {
		*d++ = hex[(unsigned char)s[i] >> 4];
		*d++ = hex[(unsigned char)s[i] & 0xf];
	}
	return stpcpy(d, "\"}") - dst;
}

/* "00" to "99", for writing numbers two digits at a time */
static const char pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Exactly eight digits of v < 10^8, in two independent halves. */
static void put_8(char *d, __u32 v)
{
	__u32 hi = v / 10000, lo = v % 10000;

	memcpy(d, pairs + hi / 100 * 2, 2);
	memcpy(d + 2, pairs + hi % 100 * 2, 2);
	memcpy(d + 4, pairs + lo / 100 * 2, 2);
	memcpy(d + 6, pairs + lo % 100 * 2, 2);
}

/* v < 10^8 in as many digits as it has. */
static char *put_small(char *d, __u32 v)
{
	unsigned int n = v < 10		? 1
			 : v < 100	? 2
			 : v < 1000	? 3
			 : v < 10000	? 4
			 : v < 100000	? 5
			 : v < 1000000	? 6
			 : v < 10000000 ? 7
					: 8;
	char *p = d + n;

	for (; v >= 100; v /= 100) {
		p -= 2;
		memcpy(p, pairs + v % 100 * 2, 2);
	}
	if (v >= 10)
		memcpy(p - 2, pairs + v * 2, 2);
	else
		p[-1] = '0' + v;
	return d + n;
}

/* A decimal number, without sprintf: this runs for every field of every object. */
static char *put_u64(char *d, __u64 v)
{
	const __u64 e8 = 100000000;

	if (v < e8)
		return put_small(d, v);
	if (v < e8 * e8) {
		d = put_small(d, v / e8);
	} else {
		d = put_small(d, v / (e8 * e8));
		put_8(d, v / e8 % e8);
		d += 8;
	}
	put_8(d, v % e8);
	return d + 8;
}

static char *put_s64(char *d, __s64 v)
{
	if (v >= 0)
		return put_u64(d, v);
	*d++ = '-';
	return put_u64(d, -(__u64)v);
}

size_t json_time(char *d, struct json_ctx *c, __u64 ts)
{
	/* unsigned: a record's time is whatever the kernel wrote, and must not overflow */
	__u64 ns = ts + (__u64)c->wall_offset_ns;
	__s64 secs = ns / 1000000000ULL;
	__u64 frac = ns % 1000000000ULL;
	time_t t = secs;
	struct tm tm;
	char *p = d;

	if (secs != c->secs || !c->date[0]) {
		/* beyond year 9999 it could not be RFC 3339: the epoch says it is wrong */
		if (!gmtime_r(&t, &tm) || tm.tm_year > 9999 - 1900) {
			t = 0;
			gmtime_r(&t, &tm);
		}
		c->date_len = strftime(c->date, sizeof(c->date), "%Y-%m-%dT%H:%M:%S", &tm);
		c->secs = secs;
	}

	*p++ = '"';
	memcpy(p, c->date, c->date_len);
	p += c->date_len;
	*p++ = '.';
	*p++ = '0' + frac / 100000000;
	put_8(p, frac % 100000000);
	p += 8;
	*p++ = 'Z';
	*p++ = '"';
	return p - d;
}

/* ,"key":value */
static char *put_key_u64(char *d, const char *key, __u64 v)
{
	return put_u64(stpcpy(d, key), v);
}

static char *put_key_bytes(char *d, const char *key, const char *s, size_t n)
{
	d = stpcpy(d, key);
	return d + json_bytes(d, s, n);
}

/* ,"key":bytes, or ,"key":null when there are none */
static char *put_key_maybe(char *d, const char *key, const char *s, size_t n, bool has)
{
	return has ? put_key_bytes(d, key, s, n) : stpcpy(stpcpy(d, key), "null");
}

/* What is missing from the record, and why; "cut":null when nothing is. */
static char *put_cut(char *d, const struct record *r, bool max_args, bool env_name)
{
	bool first = true;

	for (size_t i = 0; i < CUT_REASONS; i++) {
		if (!(r->h.flags & cut_reasons[i].flag))
			continue;
		d = stpcpy(d, first ? ",\"cut\":[\"" : ",\"");
		d = stpcpy(d, cut_reasons[i].why);
		*d++ = '"';
		first = false;
	}
	if (max_args) {
		d = stpcpy(d, first ? ",\"cut\":[\"max-args\"" : ",\"max-args\"");
		first = false;
	}
	if (env_name) {
		d = stpcpy(d, first ? ",\"cut\":[\"env-name\"" : ",\"env-name\"");
		first = false;
	}
	if (first)
		return stpcpy(d, ",\"cut\":null");
	return stpcpy(d, "]");
}

/* Copies the n bytes at s to d; returns the end. */
static char *put_copy(char *d, const char *s, size_t n)
{
	memcpy(d, s, n);
	return d + n;
}

/*
 * What exec and exit objects share, after their head ({"type":...,"version":N):
 * time, the process and its parent, user, comm.
 */
static char *put_common(char *d, struct json_ctx *c, const struct record *r)
{
	const struct event_hdr *h = &r->h;
	const char *user = c->user_name ? c->user_name(h->uid) : NULL;
	char *pid, *ppid;
	size_t pid_len, ppid_len;

	d = stpcpy(d, ",\"time\":");
	d += json_time(d, c, h->ts);
	d = put_key_u64(d, ",\"ts_ns\":", h->ts);
	/* pid and ppid are written once, then copied */
	pid = d = stpcpy(d, ",\"pid\":");
	d = put_u64(d, h->pid);
	pid_len = d - pid;
	d = stpcpy(d, ",\"tid\":");
	d = h->tid == h->pid ? put_copy(d, pid, pid_len) : put_u64(d, h->tid);
	ppid = d = stpcpy(d, ",\"ppid\":");
	d = put_u64(d, h->ppid);
	ppid_len = d - ppid;
	d = put_copy(stpcpy(d, ",\"id\":\""), pid, pid_len);
	d = put_key_u64(d, "@", h->start_ns);
	d = put_copy(stpcpy(d, "\",\"parent_id\":\""), ppid, ppid_len);
	d = put_key_u64(d, "@", h->parent_start_ns);
	*d++ = '"';
	d = put_copy(d, c->fleet, c->fleet_len);
	d = put_key_u64(d, ",\"uid\":", h->uid);
	d = put_key_maybe(d, ",\"user\":", user, user ? strlen(user) : 0, user);
	return put_key_bytes(d, ",\"comm\":", h->comm, str_len(h->comm, sizeof(h->comm)));
}

void json_fleet(struct json_ctx *c, const char *boot_id, const char *host)
{
	char *d = c->fleet;
	size_t n = host ? strnlen(host, 64) : 0;

	d = put_key_maybe(d, ",\"boot_id\":", boot_id, boot_id ? strnlen(boot_id, 32) : 0, boot_id);
	d = put_key_maybe(d, ",\"host\":", host, n, host);
	c->fleet_len = d - c->fleet;
}

size_t json_exit(char *buf, struct json_ctx *c, const struct record *r)
{
	char *d = put_common(stpcpy(buf, "{\"type\":\"exit\",\"version\":" VERSION), c, r);
	struct exit_status e;

	record_exit(r, &e);
	if (!e.sig)
		d += sprintf(d, ",\"code\":%d,\"signal\":null,\"core\":false", e.code);
	else if (e.name)
		d += sprintf(d, ",\"code\":null,\"signal\":\"SIG%s\",\"core\":%s", e.name,
			     e.core ? "true" : "false");
	else
		d += sprintf(d, ",\"code\":null,\"signal\":\"SIG%d\",\"core\":%s", e.sig,
			     e.core ? "true" : "false");
	d += sprintf(d, ",\"lifetime_ns\":%llu,\"cpu_ns\":%llu}\n", (unsigned long long)e.lived_ns,
		     (unsigned long long)r->h.cpu_ns);
	return d - buf;
}

/* ,"key":v, or ,"key":null when there is none */
static char *put_key_u32_maybe(char *d, const char *key, __u32 v, bool has)
{
	return has ? put_key_u64(d, key, v) : stpcpy(stpcpy(d, key), "null");
}

/* The login identity, the effective ids and the privilege raised (docs/json.md). */
static char *put_who(char *d, struct json_ctx *c, const struct record *r)
{
	const struct who *w = &r->who;
	bool login = r->h.flags & EV_WHO && w->flags & WHO_LOGIN;
	bool priv = r->h.flags & EV_WHO && w->flags & WHO_PRIV;
	bool logged = login && w->loginuid != NO_UID;
	const char *user = logged && c->user_name ? c->user_name(w->loginuid) : NULL;
	char tty[TTY_SHOWN_MAX];
	size_t n = login ? who_tty(tty, w) : 0;

	if (user && strlen(user) > WHO_USER_MAX)
		user = NULL;
	d = put_key_u32_maybe(d, ",\"login_uid\":", w->loginuid, logged);
	d = put_key_maybe(d, ",\"login_user\":", user, user ? strlen(user) : 0, user);
	d = put_key_u32_maybe(d, ",\"session_id\":", w->sessionid, login && w->sessionid != NO_UID);
	d = put_key_maybe(d, ",\"tty\":", tty, n, n);
	d = put_key_u32_maybe(d, ",\"euid\":", w->euid, priv);
	d = put_key_u32_maybe(d, ",\"egid\":", w->egid, priv);
	if (!priv || !who_raised(w))
		return stpcpy(d, ",\"privilege\":null");
	d += sprintf(d, ",\"privilege\":{\"setuid\":%s,\"setgid\":%s,\"caps\":[",
		     w->flags & WHO_SETUID ? "true" : "false",
		     w->flags & WHO_SETGID ? "true" : "false");
	d = cap_list(d, w->caps, true);
	return stpcpy(d, w->flags & WHO_GUESSED ? "],\"exact\":false}" : "],\"exact\":true}");
}

/* The nearest ancestors from the task tree, the parent first, and whether there are more. */
static char *put_ancestry(char *d, const struct record *r)
{
	const struct ancestry *a = &r->anc;

	if (!(r->h.flags & EV_ANCESTORS))
		return stpcpy(d, ",\"ancestors\":null,\"ancestors_cut\":null");
	d = stpcpy(d, ",\"ancestors\":[");
	for (__u32 i = 0; i < a->n && i < ANCESTRY_MAX; i++) {
		const struct ancestor *p = &a->a[i];

		d += sprintf(d, "%s{\"pid\":%u,\"id\":\"%u@%llu\",\"comm\":", i ? "," : "", p->pid,
			     p->pid, (unsigned long long)p->start_ns);
		d += json_bytes(d, p->comm, str_len(p->comm, sizeof(p->comm)));
		*d++ = '}';
	}
	return stpcpy(d, a->cut ? "],\"ancestors_cut\":true" : "],\"ancestors_cut\":false");
}

/* A variable's name can be a JSON key: valid UTF-8 (its bytes escaped as a string's). */
static bool env_key_ok(const struct env_var *v)
{
	char tmp[6 * 64];

	/* escaping checks UTF-8 a chunk at a time: a cut never splits a character */
	for (size_t off = 0, k; off < v->name_len; off += k) {
		k = v->name_len - off > 64 ? utf8_cut(v->name + off, 64) : v->name_len - off;
		if (!k || escape_json(tmp, v->name + off, k) == ESCAPE_INVALID)
			return false;
	}
	return true;
}

/* With --env: a chosen variable's name was not valid UTF-8, so it has no key. */
static bool env_name_skipped(const struct json_ctx *c, const struct record *r)
{
	static struct env_walk ew; /* 144 KiB: not on the stack; one thread prints */
	struct env_var v;

	if (!c->env || !r->env)
		return false;
	env_walk_start(&ew, c->env, r->env, r->env_len, r->h.flags & EV_ENV_CUT);
	while (env_walk_next(&ew, &v)) {
		if (!env_key_ok(&v))
			return true;
	}
	return false;
}

/*
 * With --env: the chosen variables as an object, names to values in the
 * bytes form, in the order of the environment; null for a variable without
 * a value, and for an exec whose environment was not read.
 */
static char *put_env(char *d, const struct json_ctx *c, const struct record *r)
{
	static struct env_walk ew; /* 144 KiB: not on the stack; one thread prints */
	struct env_var v;
	bool first = true;

	if (!c->env)
		return d;
	if (!r->env)
		return stpcpy(d, ",\"env\":null");
	d = stpcpy(d, ",\"env\":{");
	env_walk_start(&ew, c->env, r->env, r->env_len, r->h.flags & EV_ENV_CUT);
	while (env_walk_next(&ew, &v)) {
		if (!env_key_ok(&v))
			continue;
		if (!first)
			*d++ = ',';
		first = false;
		d += json_bytes(d, v.name, v.name_len);
		*d++ = ':';
		if (v.value)
			d += json_bytes(d, v.value, v.value_len);
		else
			d = stpcpy(d, "null");
	}
	return stpcpy(d, "}");
}

/* With --hash: the digest of the file executed, or null and why. */
static char *put_hash(char *d, const struct json_ctx *c, const struct record *r)
{
	const struct file_hash *h = &r->hash;
	char hex[SHA256_HEX_LEN + 1];

	if (!c->hash)
		return d;
	if (!h->asked)
		return stpcpy(d, ",\"sha256\":null,\"sha256_error\":null");
	if (h->missing)
		return d + sprintf(d, ",\"sha256\":null,\"sha256_error\":\"%s\"", h->missing);
	record_sha256_hex(hex, h);
	return d + sprintf(d, ",\"sha256\":\"%s\",\"sha256_error\":null", hex);
}

size_t json_exec(char *buf, struct json_ctx *c, const struct record *r, const struct words *w)
{
	const struct event_hdr *h = &r->h;
	struct arg_walk a;
	const char *s;
	size_t len;
	char *d = put_common(stpcpy(buf, "{\"type\":\"exec\",\"version\":" VERSION), c, r);
	const char *cg, *name;

	/* a failed exec changes nothing: the comm before it is the comm */
	d = stpcpy(d, ",\"comm_before\":");
	if (h->comm_before[0])
		d += json_bytes(d, h->comm_before, str_len(h->comm_before, sizeof(h->comm_before)));
	else if (h->ret)
		d += json_bytes(d, h->comm, str_len(h->comm, sizeof(h->comm)));
	else
		d = stpcpy(d, "null");
	d = put_key_maybe(d, ",\"path\":", w->path, w->path_len, w->has_path);
	d = put_key_maybe(d, ",\"path_resolved\":", w->exe, w->exe_len, w->has_exe);
	d = put_key_maybe(d, ",\"interpreter\":", r->interp, r->interp_len, r->interp);
	d = put_key_maybe(d, ",\"cwd\":", w->cwd, w->cwd_len, w->has_cwd);
	d = stpcpy(d, ",\"args\":[");
	args_start(&a, w, c->max_args);
	while (args_next(&a, &s, &len)) {
		if (a.shown > 1)
			*d++ = ',';
		d += json_bytes(d, s, len);
	}
	*d++ = ']';
	d = put_s64(stpcpy(d, ",\"ret\":"), h->ret);
	d = stpcpy(d, h->flags & EV_KILLED ? ",\"killed\":true,\"errno\":"
					   : ",\"killed\":false,\"errno\":");
	/* an errno is at most 4095; anything else from a record is no errno */
	name = h->ret < 0 && h->ret > -4096 && !(h->flags & EV_KILLED) ? strerrorname_np(-h->ret)
								       : NULL;
	if (name) {
		*d++ = '"';
		d = stpcpy(d, name);
		*d++ = '"';
	} else {
		d = stpcpy(d, "null");
	}
	cg = c->cgroup_path ? c->cgroup_path(h->cgroup_id) : NULL;
	d = put_key_u64(d, ",\"cgroup_id\":", h->cgroup_id);
	d = put_key_maybe(d, ",\"cgroup\":", cg, cg ? strlen(cg) : 0, cg);
	d = put_key_u64(d, ",\"pidns\":", h->pidns);
	d = put_key_u64(d, ",\"ns_pid\":", h->ns_pid);
	d = put_key_u64(d, ",\"mntns\":", h->mntns);
	d = put_cut(d, r, a.more, env_name_skipped(c, r));
	d = put_who(d, c, r);
	d = put_ancestry(d, r);
	d = put_env(d, c, r);
	d = put_hash(d, c, r);
	d = stpcpy(d, "}\n");
	return d - buf;
}

/* NUL-separated words as a JSON array of bytes values. */
static char *put_json_words(char *d, const char *s, size_t n)
{
	size_t k = 0;

	*d++ = '[';
	while (k < n) {
		const char *z = memchr(s + k, '\0', n - k);
		size_t w = z ? (size_t)(z - (s + k)) : n - k;

		if (k)
			*d++ = ',';
		d += json_bytes(d, s + k, w);
		k += w + 1;
	}
	*d++ = ']';
	return d;
}

/* The rows left out of a table, after it: how many, their execs and failures, and whether exact. */
static char *put_json_others(char *d, const char *key, size_t count, unsigned long long execs,
			     unsigned long long failed, bool exact)
{
	return d + sprintf(d,
			   "],\"%s\":{\"count\":%zu,\"execs\":%llu,\"failed\":%llu,\"exact\":%s}",
			   key, count, execs, failed, exact ? "true" : "false");
}

/* A row's counts, as at least (execs, failed) and at most (execs_max, failed_max), and the object's end. */
static char *put_json_counts(char *d, const struct summary_row *r, __u64 span)
{
	return d + sprintf(d,
			   ",\"execs\":%llu,\"execs_max\":%llu,\"failed\":%llu,"
			   "\"failed_max\":%llu,\"exact\":%s,\"per_second\":%.3f}",
			   r->execs, r->execs + r->err, r->failed, r->failed + r->err,
			   r->err ? "false" : "true", summary_rate(r->execs, span));
}

size_t json_summary(char *buf, struct json_ctx *c, const struct summary *s,
		    const struct summary_view *v)
{
	const struct summary_tally *t = summary_tally(s, v);
	__u64 span = summary_span(s, v);
	struct summary_row rows[SUMMARY_TOP];
	unsigned long long e, f;
	size_t n, others;
	char *d = buf;

	d += sprintf(d, "{\"type\":\"summary\",\"version\":%d,\"time\":", JSON_VERSION);
	d += json_time(d, c, v->now_ns);
	d += sprintf(d,
		     ",\"final\":%s,\"span_ns\":%llu,\"execs\":%llu,\"failed\":%llu,"
		     "\"per_second\":%.3f,\"lost\":%llu,\"spawners\":[",
		     v->final ? "true" : "false", (unsigned long long)span, t->execs, t->failed,
		     summary_rate(t->execs, span), v->lost);

	n = summary_top(s, v, true, rows, &others);
	for (size_t i = 0; i < n; i++) {
		const struct summary_spawner *sp = summary_spawner(s, v, rows[i].item);

		d += sprintf(d, "%s{\"pid\":%u,\"id\":\"%u@%llu\",\"comm\":", i ? "," : "", sp->pid,
			     sp->pid, (unsigned long long)sp->start_ns);
		if (sp->named)
			d += json_bytes(d, sp->comm, strnlen(sp->comm, sizeof(sp->comm)));
		else
			d = stpcpy(d, "null");
		d = stpcpy(d, ",\"cmdline\":");
		if (sp->named)
			d = put_json_words(d, sp->cmdline, sp->cmdline_len);
		else
			d = stpcpy(d, "null");
		d += sprintf(d, ",\"cmdline_cut\":%s", sp->cut ? "true" : "false");
		d = put_json_counts(d, &rows[i], span);
	}
	summary_others(s, v, rows, n, &e, &f);
	d = put_json_others(d, "other_spawners", others, e, f, !summary_replaced(s, v, true));

	d = stpcpy(d, ",\"commands\":[");
	n = summary_top(s, v, false, rows, &others);
	for (size_t i = 0; i < n; i++) {
		const struct summary_command *cmd = summary_command(s, v, rows[i].item);

		d = stpcpy(d, i ? ",{\"path\":" : "{\"path\":");
		if (cmd->known)
			d += json_bytes(d, cmd->path,
					cmd->len < SUMMARY_PATH_KEEP ? cmd->len
								     : SUMMARY_PATH_KEEP);
		else
			d = stpcpy(d, "null");
		d += sprintf(d, ",\"path_cut\":%s",
			     cmd->len > SUMMARY_PATH_KEEP ? "true" : "false");
		d = put_json_counts(d, &rows[i], span);
	}
	summary_others(s, v, rows, n, &e, &f);
	d = put_json_others(d, "other_commands", others, e, f, !summary_replaced(s, v, false));
	d = stpcpy(d, "}\n");
	return d - buf;
}

size_t json_need(const struct record *r)
{
	/* every byte as \u00XX, the names and numbers */
	return 6 * (r->h.fname_len + r->h.args_len + r->h.cwd_len + r->h.exe_len + r->interp_len +
		    r->env_len) +
	       1024 + WHO_SHOWN_MAX;
}

static bool json_chosen(const struct options *o)
{
	return o->json;
}

static unsigned int json_fields(const struct options *o)
{
	(void)o;
	return JSON_FIELDS;
}

static void *json_open(const struct options *o, const struct print_env *env)
{
	struct json_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->max_args = o->max_args;
	c->env = o->env.n ? &o->env : NULL;
	c->hash = o->hash;
	c->user_name = env->user_name;
	c->cgroup_path = env->cgroup_path;
	json_fleet(c, env->boot_id, env->host);
	return c;
}

static void json_clock(void *state, __s64 wall_offset_ns, __u64 start_ns)
{
	(void)start_ns;
	((struct json_ctx *)state)->wall_offset_ns = wall_offset_ns;
}

static size_t json_exec_row(char *buf, void *state, const struct record *r, const struct words *w)
{
	return json_exec(buf, state, r, w);
}

static size_t json_end(char *buf, void *state, const struct record *r)
{
	return json_exit(buf, state, r);
}

static size_t json_sum(char *buf, void *state, const struct summary *s,
		       const struct summary_view *v)
{
	struct json_ctx *c = state;

	c->wall_offset_ns = v->wall_offset_ns;
	return json_summary(buf, c, s, v);
}

const struct print_format json_format = {
	.name = "json",
	.chosen = json_chosen,
	.fields = json_fields,
	.open = json_open,
	.close = free,
	.clock = json_clock,
	.need = json_need,
	.exec = json_exec_row,
	.end_len = JSON_END_MAX_LEN,
	.end = json_end,
	.summary = json_sum,
};
