// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "users.h"

struct user {
	__u32 uid;
	char *name;
};

static struct user *users;
static size_t nusers;

void users_load(void)
{
	struct passwd *pw;
	size_t cap = 0;
	FILE *f;

	f = fopen("/etc/passwd", "re");
	if (!f)
		return;
	while ((pw = fgetpwent(f))) {
		if (nusers == cap) {
			struct user *more =
				realloc(users, (cap = cap ? 2 * cap : 64) * sizeof(*users));

			if (!more)
				break;
			users = more;
		}
		users[nusers].uid = pw->pw_uid;
		users[nusers].name = strdup(pw->pw_name);
		if (users[nusers].name)
			nusers++;
	}
	fclose(f);
}

const char *users_name(__u32 uid)
{
	/* the first entry wins, as getpwuid's would */
	for (size_t i = 0; i < nusers; i++) {
		if (users[i].uid == uid)
			return users[i].name;
	}
	return NULL;
}
