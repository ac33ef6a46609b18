// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "record.h"

/* words an interpreter chain can put in front: (name, argument) for each of 5 levels */
#define INTERP_WORDS_MAX 10

#ifndef AT_FDCWD
#define AT_FDCWD -100
#endif

/* the kernel's own return values (ERESTARTSYS...), which no program ever sees */
#define KERNEL_ERRNO_FIRST 512
#define KERNEL_ERRNO_LAST  530

/* Decodes the sections after the exe, copied out aligned; -EINVAL when their lengths disagree. */
static int decode_sections(struct record *r)
{
	const char *p = r->data + r->h.fname_len + r->h.args_len + r->h.cwd_len + r->h.exe_len;

	memset(&r->who, 0, sizeof(r->who));
	memset(&r->anc, 0, sizeof(r->anc));
	memset(&r->file, 0, sizeof(r->file));
	r->interp = r->env = NULL;
	r->interp_len = r->env_len = 0;
	memset(&r->hash, 0, sizeof(r->hash));
	if (r->h.flags & EV_WHO)
		memcpy(&r->who, p, sizeof(r->who));
	p += r->h.who_len;
	if (r->h.flags & EV_ANCESTORS) {
		memcpy(&r->anc, p, r->h.anc_len);
		if (r->anc.n > ANCESTRY_MAX || r->h.anc_len != ANCESTRY_LEN(r->anc.n) ||
		    r->anc.cut > 1)
			return -EINVAL;
	}
	p += r->h.anc_len;
	if (r->h.flags & EV_FILE)
		memcpy(&r->file, p, sizeof(r->file));
	p += r->h.file_len;
	if (r->h.flags & EV_INTERP_PATH) {
		r->interp = p;
		r->interp_len = str_len(p, r->h.interp_len);
	}
	p += r->h.interp_len;
	if (r->h.flags & EV_ENV) {
		r->env = p;
		r->env_len = r->h.env_len;
	}
	return 0;
}

/* A section's length: flagged and within max (at least min), or 0 without its flag. */
static bool section_ok(__u32 len, bool flagged, size_t min, size_t max)
{
	return flagged ? len >= min && len <= max : !len;
}

int record_decode(struct record *r, const void *raw, size_t size)
{
	if (size < EVENT_HDR_LEN)
		return -EINVAL;
	/* the ring gives no alignment the header's fields need */
	memcpy(&r->h, raw, EVENT_HDR_LEN);
	if (r->h.fname_len < 1 || r->h.fname_len > FNAME_MAX || r->h.args_len > ARGS_MAX ||
	    r->h.cwd_len > CWD_MAX || r->h.exe_len > CWD_MAX)
		return -EINVAL;
	/* the sections after the exe: each there exactly when flagged, whole */
	if (!section_ok(r->h.who_len, r->h.flags & EV_WHO, sizeof(struct who),
			sizeof(struct who)) ||
	    !section_ok(r->h.anc_len, r->h.flags & EV_ANCESTORS, ANCESTRY_LEN(0),
			sizeof(struct ancestry)) ||
	    !section_ok(r->h.file_len, r->h.flags & EV_FILE, sizeof(struct file_id),
			sizeof(struct file_id)) ||
	    !section_ok(r->h.interp_len, r->h.flags & EV_INTERP_PATH, 1, INTERP_MAX) ||
	    !section_ok(r->h.env_len, r->h.flags & EV_ENV, 0, ENV_MAX) ||
	    (r->h.flags & EV_ENV_CUT && !(r->h.flags & EV_ENV)))
		return -EINVAL;
	if (EVENT_HDR_LEN + r->h.fname_len + r->h.args_len + r->h.cwd_len + r->h.exe_len +
		    r->h.who_len + r->h.anc_len + r->h.file_len + r->h.interp_len + r->h.env_len >
	    size)
		return -EINVAL;
	r->data = (const char *)raw + EVENT_HDR_LEN;
	return decode_sections(r);
}

/* Offset just past the first k strings of a NUL-separated area. */
static size_t skip_strings(const char *s, size_t n, unsigned int k)
{
	size_t off = 0;

	while (k-- && off < n)
		off += str_len(s + off, n - off) + 1;
	return off < n ? off : n;
}

/* The nth string of a NUL-separated area equals str. */
static bool nth_is(const char *s, size_t n, unsigned int k, const char *str, size_t len)
{
	size_t off = skip_strings(s, n, k);

	return off < n && str_len(s + off, n - off) == len && !memcmp(s + off, str, len);
}

/* A path from its components, last first: "b\0a\0" gives "/a/b". Returns its length. */
static size_t assemble(const char *s, size_t n, char *out, size_t cap)
{
	size_t end = n, start, len, k = 0;
	const char *nul;

	/* from the end of the area backwards: the first component is last */
	while (end > 0) {
		/* after the NUL that ends the component before it, if any */
		nul = end > 1 ? memrchr(s, '\0', end - 1) : NULL;
		start = nul ? (size_t)(nul - s) + 1 : 0;
		len = end - 1 - start;
		if (k + 1 + len > cap - 1)
			break;
		out[k++] = '/';
		memcpy(out + k, s + start, len);
		k += len;
		end = start;
	}
	if (!k)
		out[k++] = '/';
	out[k] = '\0';
	return k;
}

static void make_paths(const struct record *r, struct words *w)
{
	const char *cwd = r->data + r->h.fname_len + r->h.args_len;

	w->has_cwd = r->h.flags & EV_CWD;
	w->cwd_cut = r->h.flags & EV_CWD_CUT;
	w->cwd_len = w->has_cwd ? assemble(cwd, r->h.cwd_len, w->cwd, sizeof(w->cwd)) : 0;
	w->has_exe = r->h.flags & EV_EXE;
	w->exe_cut = r->h.flags & EV_EXE_CUT;
	w->exe_len =
		w->has_exe ? assemble(cwd + r->h.cwd_len, r->h.exe_len, w->exe, sizeof(w->exe)) : 0;
}

bool record_exe(const struct record *r, char *out, size_t cap)
{
	const char *exe = r->data + r->h.fname_len + r->h.args_len + r->h.cwd_len;

	if ((r->h.flags & (EV_EXE | EV_EXE_CUT)) != EV_EXE)
		return false;
	assemble(exe, r->h.exe_len, out, cap);
	return true;
}

void record_words(const struct record *r, struct words *w)
{
	const char *fname = r->data;
	size_t flen = str_len(fname, r->h.fname_len);
	const char *args = r->data + r->h.fname_len;
	size_t alen = r->h.args_len;

	make_paths(r, w);
	w->cut = r->h.flags & (EV_TRUNCATED | EV_FAULT | EV_ARGS_LOST | EV_NO_STASH | EV_FNAME_CUT);
	w->args = NULL;
	w->args_len = 0;
	w->path = fname;
	w->path_len = 0;
	w->has_path = !(r->h.flags & EV_FNAME_FAULT);
	if (!w->has_path) {
		/* nothing after an unreadable path can be placed */
		w->cut = true;
		return;
	}

	if ((r->h.flags & EV_FNAME_USER) && r->h.fd != AT_FDCWD && fname[0] != '/') {
		/* as the kernel names a dirfd-relative or AT_EMPTY_PATH exec */
		w->path_len =
			flen ? snprintf(w->pathbuf, sizeof(w->pathbuf), "/dev/fd/%d/%.*s", r->h.fd,
					(int)flen, fname)
			     : snprintf(w->pathbuf, sizeof(w->pathbuf), "/dev/fd/%d", r->h.fd);
		/* shown as long as a path the kernel resolved can be */
		if (w->path_len > FNAME_MAX - 1) {
			w->path_len = FNAME_MAX - 1;
			w->cut = true;
		}
		w->path = w->pathbuf;
	} else {
		w->path = fname;
		w->path_len = flen;
	}

	if (r->h.flags & EV_HAS_ARGV0) {
		/*
		 * The new image's whole argv: drop its argv[0] and, after an
		 * interpreter, its words up to the path the caller executed,
		 * which the kernel puts just before the caller's argv[1].
		 */
		unsigned int skip = 1, k;
		size_t off;

		for (k = 1; (r->h.flags & EV_INTERP) && k <= INTERP_WORDS_MAX; k++) {
			if (nth_is(args, alen, k, fname, flen)) {
				skip = k + 1;
				break;
			}
		}
		off = skip_strings(args, alen, skip);
		args += off;
		alen -= off;
	}
	w->args = args;
	w->args_len = alen;
}

const char *record_ret_word(const struct record *r)
{
	if (r->h.ret >= 0)
		return NULL;
	/* whatever it returned, no program saw it: often a side effect of the kill (E2BIG, EINTR) */
	if (r->h.flags & EV_KILLED)
		return "killed";
	if (r->h.ret <= -KERNEL_ERRNO_FIRST && r->h.ret >= -KERNEL_ERRNO_LAST)
		return "intr";
	return NULL;
}

bool words_contain(const struct words *w, const char *needle)
{
	static char joined[FNAME_MAX + 32 + ARGS_MAX + 1];
	size_t n = 0, i;

	memcpy(joined, w->path, w->path_len);
	n = w->path_len;
	if (w->args_len) {
		joined[n++] = ' ';
		for (i = 0; i < w->args_len; i++)
			joined[n++] = w->args[i] ? w->args[i] : ' ';
		/* a terminated last argument leaves no trailing separator */
		if (!w->args[w->args_len - 1])
			n--;
	}
	return memmem(joined, n, needle, strlen(needle)) != NULL;
}

/* The signal's name without SIG, or NULL. */
static const char *signal_name(int sig)
{
	static const char *const names[] = {
		[1] = "HUP",	 [2] = "INT",	[3] = "QUIT",	[4] = "ILL",   [5] = "TRAP",
		[6] = "ABRT",	 [7] = "BUS",	[8] = "FPE",	[9] = "KILL",  [10] = "USR1",
		[11] = "SEGV",	 [12] = "USR2", [13] = "PIPE",	[14] = "ALRM", [15] = "TERM",
		[16] = "STKFLT", [17] = "CHLD", [18] = "CONT",	[19] = "STOP", [20] = "TSTP",
		[21] = "TTIN",	 [22] = "TTOU", [23] = "URG",	[24] = "XCPU", [25] = "XFSZ",
		[26] = "VTALRM", [27] = "PROF", [28] = "WINCH", [29] = "IO",   [30] = "PWR",
		[31] = "SYS",
	};

	return sig > 0 && sig < (int)(sizeof(names) / sizeof(names[0])) ? names[sig] : NULL;
}

void record_exit(const struct record *r, struct exit_status *e)
{
	int status = r->h.ret;

	e->sig = status & 0x7f;
	e->code = e->sig ? 0 : (status >> 8) & 0xff;
	e->core = e->sig && (status & 0x80);
	e->name = signal_name(e->sig);
	e->lived_ns = r->h.ts > r->h.exec_ts ? r->h.ts - r->h.exec_ts : 0;
}

const struct cut_reason cut_reasons[CUT_REASONS] = {
	{ EV_TRUNCATED, "args-limit" },	       { EV_FAULT, "unreadable" },
	{ EV_ARGS_LOST, "ring-full" },	       { EV_NO_STASH, "no-entry" },
	{ EV_FNAME_FAULT, "unreadable-path" }, { EV_FNAME_CUT, "path-limit" },
	{ EV_CWD_CUT, "cwd-limit" },	       { EV_EXE_CUT, "path-resolved-limit" },
	{ EV_ENV_CUT, "env-limit" },
};

void record_sha256_hex(char *out, const struct file_hash *h)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < sizeof(h->sha256); i++) {
		out[2 * i] = digits[h->sha256[i] >> 4];
		out[2 * i + 1] = digits[h->sha256[i] & 0xf];
	}
	out[SHA256_HEX_LEN] = '\0';
}
