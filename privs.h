/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Giving up privileges once the programs are attached and the rings mapped:
 * reading the rings, writing the consumed counts to a mapped array, detaching
 * and closing need no capability.
 */
#ifndef PRIVS_H
#define PRIVS_H

#include <linux/capability.h>
#include <linux/types.h>

/*
 * Sets no_new_privs and makes the process not dumpable (no process of the
 * same user may ptrace it or open its descriptors through /proc), clears
 * the capability bounding set (when CAP_SETPCAP
 * allows it) and the ambient set, switches to uid and gid with no
 * supplementary groups unless uid is NO_UID, and empties the effective,
 * permitted and inheritable sets but for those capabilities in keep (a
 * mask of CAP_* bits) that it holds. Returns 0, or a negative errno with *what naming the step
 * that failed.
 */
int drop_privileges(__u32 uid, __u32 gid, __u64 keep, const char **what);

/*
 * What --hash keeps: reading any file (CAP_DAC_READ_SEARCH) and any
 * process's executable through /proc/PID/exe (CAP_SYS_PTRACE, which that
 * check asks for); nothing that writes or signals.
 */
#define HASH_CAPS ((1ULL << CAP_DAC_READ_SEARCH) | (1ULL << CAP_SYS_PTRACE))

#endif /* PRIVS_H */
