// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "users.h"

/* Calls each on every entry of /etc/passwd until it returns true; 0 or -errno when unreadable. */
static int each_user(bool (*each)(const struct passwd *pw, void *arg), void *arg)
{
	struct passwd *pw;
	FILE *f = fopen("/etc/passwd", "re");

	if (!f)
		return -errno;
	while ((pw = fgetpwent(f)) && !each(pw, arg))
		;
	fclose(f);
	return 0;
}

struct query {
	const char *name; /* NULL: by uid */
	__u32 uid, gid;
	bool found;
};

static bool matches(const struct passwd *pw, void *arg)
{
	struct query *q = arg;

	if (q->name ? strcmp(pw->pw_name, q->name) : pw->pw_uid != q->uid)
		return false;
	q->uid = pw->pw_uid;
	q->gid = pw->pw_gid;
	q->found = true;
	return true;
}

int users_find(const char *name, __u32 *uid, __u32 *gid)
{
	struct query q = { .name = name, .uid = *uid };
	int err = each_user(matches, &q);

	if (err)
		return err;
	if (!q.found)
		return -ENOENT;
	*uid = q.uid;
	*gid = q.gid;
	return 0;
}

struct entry {
	__u32 uid;
	char **name, **home;
};

static bool entry_of(const struct passwd *pw, void *arg)
{
	struct entry *e = arg;

	if (pw->pw_uid != e->uid)
		return false;
	*e->name = strdup(pw->pw_name);
	*e->home = strdup(pw->pw_dir);
	return true;
}

void users_entry(__u32 uid, char **name, char **home)
{
	struct entry e = { uid, name, home };

	*name = *home = NULL;
	each_user(entry_of, &e);
}

int users_add_group(gid_t gid, gid_t **groups, size_t *n, size_t *cap)
{
	for (size_t i = 0; i < *n; i++) {
		if ((*groups)[i] == gid)
			return 0;
	}
	if (*n == *cap) {
		gid_t *more = realloc(*groups, (*cap = *cap ? 2 * *cap : 16) * sizeof(*more));

		if (!more)
			return -ENOMEM;
		*groups = more;
	}
	(*groups)[(*n)++] = gid;
	return 0;
}

int users_groups(const char *name, gid_t **groups, size_t *n, size_t *cap)
{
	struct group *gr;
	int err = 0;
	FILE *f;

	f = fopen("/etc/group", "re");
	if (!f)
		return -errno;
	while (!err && (gr = fgetgrent(f))) {
		for (char **m = gr->gr_mem; *m; m++) {
			if (!strcmp(*m, name)) {
				err = users_add_group(gr->gr_gid, groups, n, cap);
				break;
			}
		}
	}
	fclose(f);
	return err;
}

/* Every user's name by uid, read once for the JSON "user" field. */
struct user {
	__u32 uid;
	char *name;
};

static struct user *users;
static size_t nusers, users_cap;
static bool loaded;

static bool keep(const struct passwd *pw, void *arg)
{
	(void)arg;
	if (nusers == users_cap) {
		size_t cap = users_cap ? 2 * users_cap : 64;
		struct user *more = realloc(users, cap * sizeof(*users));

		if (!more)
			return true;
		users = more;
		users_cap = cap;
	}
	users[nusers].uid = pw->pw_uid;
	users[nusers].name = strdup(pw->pw_name);
	if (users[nusers].name)
		nusers++;
	return false;
}

const char *users_name(__u32 uid)
{
	if (!loaded) {
		loaded = true;
		each_user(keep, NULL);
	}
	/* the first entry wins, as getpwuid's would */
	for (size_t i = 0; i < nusers; i++) {
		if (users[i].uid == uid)
			return users[i].name;
	}
	return NULL;
}
