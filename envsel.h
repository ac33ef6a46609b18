/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --env LIST: which environment variables of an exec are shown, and a walk
 * over the environment area the kernel copied (NUL-separated "NAME=value"
 * strings, the exact bytes execve got).
 *
 * The walk returns each selected variable once, the first string of its
 * name, as getenv(3) finds it, in the area's order. Names seen are kept in
 * an open-addressing table in the walk (no allocation per exec), sized at
 * the start to at least twice the strings in the area, so a walk costs
 * O(len) whatever the area holds: 8192 strings "A", or every distinct name
 * that fits.
 * The table's hash is keyed by env_select.seed so that an exec cannot pick
 * names whose hashes collide (it is not a cryptographic hash).
 */
#ifndef ENVSEL_H
#define ENVSEL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#ifndef ENV_MAX
/* bytes of an environment area the kernel copies (to move to execsnoop.h, shared with BPF) */
#define ENV_MAX 16384
#endif

#define ENV_PATTERNS_MAX 32
/* slots of the walk's table of names: at least two for each string an area can hold */
#define ENV_SLOTS_BITS	 14
#define ENV_SLOTS	 (1u << ENV_SLOTS_BITS)

struct env_select {
	unsigned int n;
	char *pat[ENV_PATTERNS_MAX]; /* owned copies, NUL-terminated */
	bool all;		     /* one pattern is "*": every variable */
	__u64 seed; /* keys the walk's hash: from getrandom(2), or names can collide */
};

/*
 * Adds the comma-separated names or fnmatch(3) patterns of list (--env may
 * be given more than once). Blanks around an item are dropped; a pattern
 * given twice is kept once. On error nothing of list is added, and 0,
 * -EINVAL with *why set to a one-line reason ("an empty name", "a name
 * cannot hold '='", "a name cannot hold a control character", "more than
 * 32 patterns"), or -ENOMEM.
 */
int env_select_add(struct env_select *s, const char *list, const char **why);

void env_select_free(struct env_select *s);

/*
 * Whether the len bytes of name (not NUL-terminated) are selected: fnmatch(3)
 * with flags 0 against each pattern. A name longer than ENV_MAX (which no
 * area holds) is selected only by "*".
 */
bool env_selected(const struct env_select *s, const char *name, size_t len);

/* One variable of an environment area; the pointers are into the area. */
struct env_var {
	const char *name; /* the bytes before the first '=', never empty */
	size_t name_len;
	const char *value; /* after the '='; NULL when the string holds no '=' */
	size_t value_len;
	bool cut; /* the area was cut inside this string: the value (or name) is a prefix */
};

struct env_slot {
	__u32 tag; /* the low half of the key's hash */
	__u16 at;  /* where the key starts in the area, plus one; 0: a free slot */
	__u16 len; /* of the key: the name, and its '=' when it has one */
};

/* The state of one walk, kept by the caller (about 144 KiB: keep one, not on the stack). */
struct env_walk {
	const struct env_select *sel;
	const char *area;
	size_t len, pos;
	bool cut;
	__u32 mask; /* of the slots in use: a power of two, less one */
	struct env_slot slot[ENV_SLOTS];
	char name[ENV_MAX + 1]; /* a name, NUL-terminated for fnmatch */
};

/*
 * Starts a walk over len bytes of NUL-separated strings; cut: the kernel
 * cut the area, so the last string may be partial. Bytes past ENV_MAX are
 * not walked (the area is then taken as cut).
 */
void env_walk_start(struct env_walk *w, const struct env_select *s, const char *area, size_t len,
		    bool cut);

/*
 * The next selected variable, in the area's order; false at the end. Only
 * the first string of each name is returned (as getenv finds it); a string
 * with no '=' is returned (value NULL) but does not hide a later one with
 * the same name, which getenv would find. Empty strings and strings that
 * start with '=' (no name) are skipped. Values are the exact bytes:
 * escaping them is for the printer. The last string is cut when the area
 * is and it has no terminating NUL; cut before its '=', it is not returned
 * (its name may be a prefix of another).
 */
bool env_walk_next(struct env_walk *w, struct env_var *v);

#endif /* ENVSEL_H */
