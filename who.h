/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Who ran an exec: the names of what the WHO section holds (capabilities, the tty, privilege). */
#ifndef WHO_H
#define WHO_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "execsnoop.h"

#define CAP_NAME_MAX  32 /* room for a capability's name: "cap_checkpoint_restore", "cap_63" */
#define TTY_SHOWN_MAX 48 /* room for a tty's name as shown: "pts/4294967295" or the kernel's */

/* The name of capability bit (0 to 63) as capabilities(7) spells it, lowercase; "cap_N" when unnamed. */
const char *cap_name(unsigned int bit, char buf[CAP_NAME_MAX]);

/* Writes the names of the capabilities in caps, lowest first, joined by ','; each in double quotes with quoted. Returns the end. */
char *cap_list(char *d, __u64 caps, bool quoted);

/*
 * The controlling tty as ps names it: "pts/N" for a pseudo-terminal,
 * else the kernel's name ("tty1", "ttyS0"). Returns its length, 0 when
 * there is none; out holds TTY_SHOWN_MAX bytes.
 */
size_t who_tty(char *out, const struct who *w);

/* The exec raised privilege: it changed the effective uid or gid, or the file granted capabilities. */
static inline bool who_raised(const struct who *w)
{
	return (w->flags & (WHO_SETUID | WHO_SETGID)) || w->caps;
}

/* A login user's name longer than this is not shown (null): it bounds the room below. */
#define WHO_USER_MAX 256

/* Room what the WHO and ANCESTORS sections add to an exec's object, entry or line, at most. */
#define WHO_SHOWN_MAX (6 * WHO_USER_MAX + 64 * (CAP_NAME_MAX + 32) + ANCESTRY_MAX * 256 + 1024)

#define PRIV_TEXT_MAX (64 * CAP_NAME_MAX + 128) /* room for who_priv_text */

/*
 * The PRIV column: "-" when the exec raised nothing, else what it raised,
 * joined by '+': "setuid=NAME" (or the uid), "setgid=N", "caps=cap_a,cap_b".
 * user_name may be NULL; a name is written as is (the caller escapes).
 */
size_t who_priv_text(char *out, const struct who *w, const char *(*user_name)(__u32 uid));

#endif /* WHO_H */
