// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <string.h>
#include "who.h"

/* linux/capability.h, by bit */
static const char *const cap_names[] = {
	"cap_chown",
	"cap_dac_override",
	"cap_dac_read_search",
	"cap_fowner",
	"cap_fsetid",
	"cap_kill",
	"cap_setgid",
	"cap_setuid",
	"cap_setpcap",
	"cap_linux_immutable",
	"cap_net_bind_service",
	"cap_net_broadcast",
	"cap_net_admin",
	"cap_net_raw",
	"cap_ipc_lock",
	"cap_ipc_owner",
	"cap_sys_module",
	"cap_sys_rawio",
	"cap_sys_chroot",
	"cap_sys_ptrace",
	"cap_sys_pacct",
	"cap_sys_admin",
	"cap_sys_boot",
	"cap_sys_nice",
	"cap_sys_resource",
	"cap_sys_time",
	"cap_sys_tty_config",
	"cap_mknod",
	"cap_lease",
	"cap_audit_write",
	"cap_audit_control",
	"cap_setfcap",
	"cap_mac_override",
	"cap_mac_admin",
	"cap_syslog",
	"cap_wake_alarm",
	"cap_block_suspend",
	"cap_audit_read",
	"cap_perfmon",
	"cap_bpf",
	"cap_checkpoint_restore",
};

const char *cap_name(unsigned int bit, char buf[CAP_NAME_MAX])
{
	if (bit < sizeof(cap_names) / sizeof(cap_names[0]))
		return cap_names[bit];
	snprintf(buf, CAP_NAME_MAX, "cap_%u", bit);
	return buf;
}

size_t who_tty(char *out, const struct who *w)
{
	size_t n = strnlen(w->tty, sizeof(w->tty));

	if (!n)
		return 0;
	if (w->flags & WHO_PTS)
		return snprintf(out, TTY_SHOWN_MAX, "pts/%u", w->tty_index);
	memcpy(out, w->tty, n);
	out[n] = '\0';
	return n;
}

size_t who_priv_text(char *out, const struct who *w, const char *(*user_name)(__u32 uid))
{
	const char *name = w->flags & WHO_SETUID && user_name ? user_name(w->euid) : NULL;
	char *d = out;

	if (!who_raised(w))
		return stpcpy(out, "-") - out;
	if (w->flags & WHO_SETUID) {
		/* a name of 64 bytes at most: longer ones are shown as the uid */
		if (name && strlen(name) <= 64)
			d += sprintf(d, "setuid=%s", name);
		else
			d += sprintf(d, "setuid=%u", w->euid);
	}
	if (w->flags & WHO_SETGID)
		d += sprintf(d, "%ssetgid=%u", d > out ? "+" : "", w->egid);
	if (w->caps)
		d = cap_list(stpcpy(d, d > out ? "+caps=" : "caps="), w->caps, false);
	return d - out;
}

char *cap_list(char *d, __u64 caps, bool quoted)
{
	char buf[CAP_NAME_MAX];
	bool first = true;

	for (unsigned int bit = 0; bit < 64; bit++) {
		if (!(caps >> bit & 1))
			continue;
		if (!first)
			*d++ = ',';
		if (quoted)
			*d++ = '"';
		d = stpcpy(d, cap_name(bit, buf));
		if (quoted)
			*d++ = '"';
		first = false;
	}
	return d;
}
