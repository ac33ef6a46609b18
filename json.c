// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "json.h"
#include "text.h"

static const char hex[] = "0123456789abcdef";

size_t json_bytes(char *dst, const char *s, size_t n)
{
	char *d = dst;

	if (utf8_valid(s, n)) {
		*d++ = '"';
		d += escape_json(d, s, n);
		*d++ = '"';
		return d - dst;
	}
	d = stpcpy(d, "{\"hex\":\"");
	for (size_t i = 0; i < n; i++) {
		*d++ = hex[(unsigned char)s[i] >> 4];
		*d++ = hex[(unsigned char)s[i] & 0xf];
	}
	return stpcpy(d, "\"}") - dst;
}

/* Length of the NUL-terminated string at s, at most n. */
static size_t str_len(const char *s, size_t n)
{
	const char *z = memchr(s, '\0', n);

	return z ? (size_t)(z - s) : n;
}

size_t json_time(char *d, struct json_ctx *c, __u64 ts)
{
	__s64 ns = (__s64)ts + c->wall_offset_ns;
	__s64 secs = ns / 1000000000LL;
	time_t t = secs;
	struct tm tm;

	if (secs != c->secs || !c->date[0]) {
		gmtime_r(&t, &tm);
		strftime(c->date, sizeof(c->date), "%Y-%m-%dT%H:%M:%S", &tm);
		c->secs = secs;
	}
	return sprintf(d, "\"%s.%09lldZ\"", c->date, (long long)(ns % 1000000000LL));
}

static char *put_key_bytes(char *d, const char *key, const char *s, size_t n)
{
	d = stpcpy(d, key);
	return d + json_bytes(d, s, n);
}

/* What is missing from the record, and why; "cut":null when nothing is. */
static char *put_cut(char *d, const struct record *r, bool max_args)
{
	static const struct {
		__u32 flag;
		const char *why;
	} whys[] = {
		{ EV_TRUNCATED, "args-limit" },	       { EV_FAULT, "unreadable" },
		{ EV_ARGS_LOST, "ring-full" },	       { EV_NO_STASH, "no-entry" },
		{ EV_FNAME_FAULT, "unreadable-path" },
	};
	__u32 f = r->h.flags;
	bool first = true;

	if (!(f & (EV_TRUNCATED | EV_FAULT | EV_ARGS_LOST | EV_NO_STASH | EV_FNAME_FAULT)) &&
	    !max_args)
		return stpcpy(d, ",\"cut\":null");
	d = stpcpy(d, ",\"cut\":[");
	for (size_t i = 0; i < sizeof(whys) / sizeof(whys[0]); i++) {
		if (!(f & whys[i].flag))
			continue;
		d += sprintf(d, "%s\"%s\"", first ? "" : ",", whys[i].why);
		first = false;
	}
	if (max_args)
		d += sprintf(d, "%s\"max-args\"", first ? "" : ",");
	return stpcpy(d, "]");
}

/* What exec and exit objects share: type, time, the process and its parent, user, comm. */
static char *put_common(char *d, struct json_ctx *c, const struct record *r, const char *type)
{
	const struct event_hdr *h = &r->h;
	const char *user = c->user_name ? c->user_name(h->uid) : NULL;

	d += sprintf(d, "{\"type\":\"%s\",\"version\":%d,\"time\":", type, JSON_VERSION);
	d += json_time(d, c, h->ts);
	d += sprintf(d,
		     ",\"ts_ns\":%llu,\"pid\":%u,\"tid\":%u,\"ppid\":%u,\"id\":\"%u@%llu\","
		     "\"parent_id\":\"%u@%llu\",\"uid\":%u,\"user\":",
		     (unsigned long long)h->ts, h->pid, h->tid, h->ppid, h->pid,
		     (unsigned long long)h->start_ns, h->ppid,
		     (unsigned long long)h->parent_start_ns, h->uid);
	if (user)
		d += json_bytes(d, user, strlen(user));
	else
		d = stpcpy(d, "null");
	return put_key_bytes(d, ",\"comm\":", h->comm, str_len(h->comm, sizeof(h->comm)));
}

size_t json_exit(char *buf, struct json_ctx *c, const struct record *r)
{
	int status = r->h.ret, sig = status & 0x7f;
	const char *name = signal_name(sig);
	char *d = put_common(buf, c, r, "exit");

	if (!sig)
		d += sprintf(d, ",\"code\":%d,\"signal\":null,\"core\":false",
			     (status >> 8) & 0xff);
	else if (name)
		d += sprintf(d, ",\"code\":null,\"signal\":\"SIG%s\",\"core\":%s", name,
			     status & 0x80 ? "true" : "false");
	else
		d += sprintf(d, ",\"code\":null,\"signal\":\"SIG%d\",\"core\":%s", sig,
			     status & 0x80 ? "true" : "false");
	d += sprintf(d, ",\"lifetime_ns\":%llu,\"cpu_ns\":%llu}\n",
		     (unsigned long long)(r->h.ts > r->h.exec_ts ? r->h.ts - r->h.exec_ts : 0),
		     (unsigned long long)r->h.cpu_ns);
	return d - buf;
}

size_t json_exec(char *buf, struct json_ctx *c, const struct record *r, const struct words *w)
{
	const struct event_hdr *h = &r->h;
	size_t off = 0, len;
	unsigned int shown = 0;
	bool more = false;
	char *d = put_common(buf, c, r, "exec");

	/* a failed exec changes nothing: the comm before it is the comm */
	d = stpcpy(d, ",\"comm_before\":");
	if (h->comm_before[0])
		d += json_bytes(d, h->comm_before, str_len(h->comm_before, sizeof(h->comm_before)));
	else if (h->ret)
		d += json_bytes(d, h->comm, str_len(h->comm, sizeof(h->comm)));
	else
		d = stpcpy(d, "null");
	d = stpcpy(d, ",\"path\":");
	if (w->has_path)
		d += json_bytes(d, w->path, w->path_len);
	else
		d = stpcpy(d, "null");
	d = stpcpy(d, ",\"args\":[");
	while (off < w->args_len) {
		if (c->max_args && shown == c->max_args) {
			more = true;
			break;
		}
		len = str_len(w->args + off, w->args_len - off);
		if (shown)
			*d++ = ',';
		d += json_bytes(d, w->args + off, len);
		off += len + 1;
		shown++;
	}
	*d++ = ']';
	d += sprintf(d, ",\"ret\":%d,\"errno\":", h->ret);
	if (h->ret < 0 && strerrorname_np(-h->ret))
		d += sprintf(d, "\"%s\"", strerrorname_np(-h->ret));
	else
		d = stpcpy(d, "null");
	d += sprintf(d, ",\"cgroup_id\":%llu,\"pidns\":%u,\"ns_pid\":%u,\"mntns\":%u",
		     (unsigned long long)h->cgroup_id, h->pidns, h->ns_pid, h->mntns);
	d = put_cut(d, r, more);
	d = stpcpy(d, "}\n");
	return d - buf;
}
