/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Users and groups: the one reader of /etc/passwd and /etc/group. The files
 * are read directly, as NSS modules cannot be loaded into a static binary.
 */
#ifndef USERS_H
#define USERS_H

#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

/*
 * The entry of the user called name, or of uid *uid when name is NULL:
 * fills *uid and *gid. -ENOENT when there is none (then nothing is
 * filled), or the negative errno of reading /etc/passwd.
 */
int users_find(const char *name, __u32 *uid, __u32 *gid);

/* The name and home directory of uid, each allocated, or NULL when unknown. */
void users_entry(__u32 uid, char **name, char **home);

/*
 * Adds to *groups (n entries, room for *cap) every group of /etc/group that
 * lists user name as a member, as initgroups does. 0, -ENOMEM, or the
 * negative errno of reading /etc/group.
 */
int users_groups(const char *name, gid_t **groups, size_t *n, size_t *cap);

/* Adds gid to *groups unless it is there; 0 or -ENOMEM. */
int users_add_group(gid_t gid, gid_t **groups, size_t *n, size_t *cap);

/* The name of uid, or NULL; /etc/passwd is read at the first call, and kept. */
const char *users_name(__u32 uid);

#endif /* USERS_H */
