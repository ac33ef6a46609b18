// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cgroups.h"

#define RESCAN_NS 100000000ULL /* a new cgroup is looked for at most this often */

struct entry {
	__u64 id;
	char *path;
};

static struct entry *entries;
static size_t nentries, cap;
static char root[4096];
static size_t root_len;
static __u64 last_scan;
static int have_root = -1;

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Where cgroup2 is mounted, from /proc/self/mountinfo. */
static int find_root(void)
{
	char line[8192], *sep, *mnt;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		/* id parent major:minor root mountpoint ... */
		mnt = line;
		for (int i = 0; i < 4 && mnt; i++) {
			mnt = strchr(mnt, ' ');
			if (mnt)
				mnt++;
		}
		if (!mnt || !strchr(mnt, ' '))
			continue;
		*strchr(mnt, ' ') = '\0';
		if (strlen(mnt) < sizeof(root)) {
			strcpy(root, mnt);
			root_len = strlen(root);
			found = 1;
		}
	}
	fclose(f);
	return found;
}

static int add(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *rel = path + root_len;

	(void)ftw;
	if (type != FTW_D)
		return 0;
	if (nentries == cap) {
		struct entry *more =
			realloc(entries, (cap = cap ? 2 * cap : 256) * sizeof(*entries));

		if (!more)
			return 1;
		entries = more;
	}
	entries[nentries].id = st->st_ino;
	entries[nentries].path = strdup(*rel ? rel : "/");
	if (entries[nentries].path)
		nentries++;
	return 0;
}

static void scan(void)
{
	for (size_t i = 0; i < nentries; i++)
		free(entries[i].path);
	nentries = 0;
	nftw(root, add, 16, FTW_PHYS | FTW_MOUNT);
	last_scan = now_ns();
}

static const char *find(__u64 id)
{
	/* execs come in runs from one cgroup: try the last one found first */
	static size_t last;

	if (last < nentries && entries[last].id == id)
		return entries[last].path;
	for (size_t i = 0; i < nentries; i++) {
		if (entries[i].id == id) {
			last = i;
			return entries[i].path;
		}
	}
	return NULL;
}

const char *cgroup_path(__u64 id)
{
	const char *p;

	if (have_root < 0)
		have_root = find_root();
	if (!have_root)
		return NULL;
	p = find(id);
	if (p || now_ns() - last_scan < RESCAN_NS)
		return p;
	scan();
	return find(id);
}
