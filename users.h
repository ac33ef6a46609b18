/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* User names by uid, from /etc/passwd read once (no NSS in a static binary). */
#ifndef USERS_H
#define USERS_H

#include <linux/types.h>

/* Reads /etc/passwd; without it, every name is unknown. */
void users_load(void);

/* The name of uid, or NULL. */
const char *users_name(__u32 uid);

#endif /* USERS_H */
