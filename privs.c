// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <grp.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "execsnoop.h"
#include "privs.h"

/*
 * Empties the bounding set, so that an exec, even by uid 0, can never gain a
 * capability again. It takes CAP_SETPCAP; without it the set is left as it
 * is and no_new_privs is what keeps exec from raising privileges.
 */
static int clear_bounding_set(void)
{
	int cap, in;

	for (cap = 0; (in = prctl(PR_CAPBSET_READ, cap, 0, 0, 0)) >= 0; cap++) {
		if (!in)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
			return errno == EPERM ? 0 : -errno;
	}
	return 0;
}

int drop_privileges(__u32 uid, __u32 gid, __u64 keep, const char **what)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct kept[2] = {};
	int err;

	/* only what is held can be kept: the kernel refuses to grant more */
	*what = "reading the capabilities held";
	if (keep && syscall(SYS_capget, &hdr, kept))
		return -errno;
	keep &= kept[0].permitted | (__u64)kept[1].permitted << 32;
	memset(kept, 0, sizeof(kept));
	*what = "setting no_new_privs";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	/* a process of the same user must not reach the BPF maps through /proc/PID/fd or ptrace */
	*what = "making the process not dumpable";
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		return -errno;
	*what = "clearing the capability bounding set";
	err = clear_bounding_set();
	if (err)
		return err;
	*what = "clearing the ambient capabilities";
	/* EINVAL: a kernel without ambient capabilities has none to clear */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return -errno;
	/* the permitted set survives the switch of user only when asked */
	*what = "keeping capabilities across the switch of user";
	if (keep && uid != NO_UID && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return -errno;
	if (uid != NO_UID) {
		*what = "switching to the --run-as user (needs CAP_SETUID and CAP_SETGID)";
		if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
			return -errno;
	}
	*what = "dropping capabilities";
	kept[0].permitted = kept[0].effective = (__u32)keep;
	kept[1].permitted = kept[1].effective = keep >> 32;
	if (syscall(SYS_capset, &hdr, kept))
		return -errno;
	return 0;
}
