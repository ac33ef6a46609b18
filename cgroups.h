/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* cgroup v2 paths by cgroup id, from the cgroup2 mount: a cgroup's id is its directory's inode. */
#ifndef CGROUPS_H
#define CGROUPS_H

#include <linux/types.h>

/* The path of cgroup id below the cgroup2 root ("/" for the root), or NULL when unknown. */
const char *cgroup_path(__u64 id);

#endif /* CGROUPS_H */
