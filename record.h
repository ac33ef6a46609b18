/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A raw record from the kernel, checked and decoded into the view every later stage uses. */
#ifndef RECORD_H
#define RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>
#include "execsnoop.h"

/* --hash: the digest of the file an exec ran, or why there is none; set before printing. */
struct file_hash {
	bool asked;	     /* --hash, for an exec that has a file (a successful one) */
	const char *missing; /* NULL: sha256 holds it; else why not: "changed", "deleted"... */
	unsigned char sha256[32];
};

/* A checked record: its fixed part copied out aligned, its bytes where they lie. */
struct record {
	struct event_hdr h;
	const char *data;    /* h.fname_len + h.args_len bytes: the path, then the arguments */
	struct who who;	     /* EV_WHO: copied out aligned; else zero */
	struct ancestry anc; /* EV_ANCESTORS: copied out aligned; else zero */
	struct file_id file; /* EV_FILE: copied out aligned; else zero */
	const char *interp;  /* EV_INTERP_PATH: interp_len bytes, no NUL; else NULL */
	size_t interp_len;
	const char *env; /* EV_ENV: env_len bytes of NUL-separated strings; else NULL */
	size_t env_len;
	struct file_hash hash; /* not from the kernel: the output stage's, zero after decoding */
};

/* An exec as words: the path, then argv[1..]. */
struct words {
	const char *path; /* in the record, or in pathbuf when made here */
	size_t path_len;
	char pathbuf[FNAME_MAX + 32];
	bool has_path;
	const char *args; /* NUL-separated; the last may be unterminated */
	size_t args_len;
	bool cut;     /* something was not captured */
	bool has_cwd; /* the working directory was asked for and read */
	bool cwd_cut; /* it was longer or deeper than what is captured */
	size_t cwd_len;
	char cwd[CWD_MAX + 2]; /* "/a/b", made from the record's components */
	bool has_exe;	       /* the file executed, resolved, was asked for and read */
	bool exe_cut;
	size_t exe_len;
	char exe[CWD_MAX + 2];
};

/* Length of the NUL-terminated string at s, at most n: record strings need not end. */
static inline size_t str_len(const char *s, size_t n)
{
	const char *z = memchr(s, '\0', n);

	return z ? (size_t)(z - s) : n;
}

/* Checks that size bytes at raw hold a whole record and decodes it; 0 or -EINVAL. */
int record_decode(struct record *r, const void *raw, size_t size);

/*
 * The resolved path of the file executed, whole, into out (cap bytes, at
 * least CWD_MAX + 2); false when the record has none.
 */
bool record_exe(const struct record *r, char *out, size_t cap);

/* Splits a decoded record into words. */
void record_words(const struct record *r, struct words *w);

/*
 * RET as a word for a failed exec whose return value no program saw:
 * "killed" when its process was being killed, "intr" when it returned one
 * of the kernel's internal values (-512 to -530) for an interrupted call
 * (the kernel restarts it, or returns EINTR). NULL otherwise: RET is the
 * number.
 */
const char *record_ret_word(const struct record *r);

/* How a process ended: an EV_EXIT record, whose ret is its wait status. */
struct exit_status {
	int code;	  /* its exit code, when no signal ended it */
	int sig;	  /* the signal that ended it; 0: none */
	bool core;	  /* it dumped core */
	const char *name; /* the signal's name without SIG, or NULL */
	__u64 lived_ns;	  /* since its last exec */
};

void record_exit(const struct record *r, struct exit_status *e);

/* Why something is missing from a record, by flag, in the order they are told. */
struct cut_reason {
	__u32 flag;
	const char *why;
};

#define CUT_REASONS 9
extern const struct cut_reason cut_reasons[CUT_REASONS];

/* The arguments shown, one by one: at most max (--max-args; 0: all). */
struct arg_walk {
	const char *args;
	size_t len, off;
	unsigned int shown, max;
	bool more; /* it stopped at max with arguments left */
};

static inline void args_start(struct arg_walk *a, const struct words *w, unsigned int max)
{
	*a = (struct arg_walk){ .args = w->args, .len = w->args_len, .max = max };
}

/* The next argument, *n bytes at *s; false after the last one shown. */
static inline bool args_next(struct arg_walk *a, const char **s, size_t *n)
{
	if (a->off >= a->len)
		return false;
	if (a->max && a->shown == a->max) {
		a->more = true;
		return false;
	}
	*s = a->args + a->off;
	*n = str_len(*s, a->len - a->off);
	a->off += *n + 1;
	a->shown++;
	return true;
}

#define SHA256_HEX_LEN 64

/* The digest in lowercase hex, NUL-terminated in out (SHA256_HEX_LEN + 1 bytes). */
void record_sha256_hex(char *out, const struct file_hash *h);

/* True when the path and arguments, joined by spaces, contain needle. */
bool words_contain(const struct words *w, const char *needle);

#endif /* RECORD_H */
