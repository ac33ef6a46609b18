// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "btfcache.h"
#include "btfmin.h"
#include "output.h"
#include "preflight.h"

/*
 * A 64-bit name for the inputs, eight bytes a step (the object is 300 KB and
 * is hashed at every start); not a defence: the directory is the user's own.
 */
static __u64 hash_bytes(__u64 h, const void *p, size_t n)
{
	const unsigned char *b = p;
	__u64 w;

	for (; n >= sizeof(w); b += sizeof(w), n -= sizeof(w)) {
		memcpy(&w, b, sizeof(w));
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	for (w = n; n; n--)
		w = w << 8 | b[n - 1];
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ h >> 29;
}

static __u64 hash_str(__u64 h, const char *s)
{
	return hash_bytes(h, s, strlen(s) + 1);
}

/* 4096 bytes of the kernel BTF at fd from off, into the hash */
static int sample(__u64 *h, int fd, off_t off)
{
	char buf[4096];
	ssize_t n = pread(fd, buf, sizeof(buf), off);

	if (n <= 0)
		return n < 0 ? -errno : -ENODATA;
	*h = hash_bytes(*h, buf, n);
	return 0;
}

int btf_cache_path(char *path, size_t size, const void *elf, size_t elf_len, const char *boot_id)
{
	__u64 h = 0xcbf29ce484222325ULL;
	struct utsname u;
	struct stat st;
	int n, fd;

	if (!boot_id || uname(&u))
		return -ENOENT;
	fd = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	if (fstat(fd, &st)) {
		close(fd);
		return -ENOENT;
	}
	h = hash_bytes(h, elf, elf_len);
	h = hash_str(h, u.release);
	h = hash_str(h, u.version);
	h = hash_str(h, u.machine);
	h = hash_str(h, boot_id);
	h = hash_bytes(h, &st.st_size, sizeof(st.st_size));
	/* and the BTF's first and last page: what is at that path, not only its size */
	n = sample(&h, fd, 0) || sample(&h, fd, st.st_size > 4096 ? st.st_size - 4096 : 0);
	close(fd);
	if (n)
		return -ENOENT;
	n = snprintf(path, size, "%s/btf-%016llx", BTF_CACHE_DIR, (unsigned long long)h);
	return n > 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

static bool older(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static bool own(const struct stat *st)
{
	return st->st_uid == geteuid() && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

bool btf_cache_usable(const char *path)
{
	struct stat st;

	if (lstat(BTF_CACHE_DIR, &st) || !S_ISDIR(st.st_mode) || !own(&st))
		return false;
	return !lstat(path, &st) && S_ISREG(st.st_mode) && own(&st);
}

/* A kept file's name: "btf-" and 16 hex digits (a file being written has a suffix). */
static bool kept_name(const char *name)
{
	return !strncmp(name, "btf-", 4) && strlen(name) == 20 &&
	       strspn(name + 4, "0123456789abcdef") == 16;
}

/*
 * Keeps BTF_CACHE_KEEP files: this one and the newest of the others (builds
 * run side by side each keep theirs); the older ones are removed.
 */
static void prune(const char *path)
{
	const char *name = strrchr(path, '/') + 1;
	struct {
		char name[21];
		struct timespec mtime;
	} newest[BTF_CACHE_KEEP - 1] = {};
	DIR *d = opendir(BTF_CACHE_DIR);
	struct dirent *e;
	struct stat st;
	size_t k;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "btf-", 4) || !strcmp(e->d_name, name) ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		/* what a start stopped while writing left behind */
		if (!kept_name(e->d_name)) {
			if (st.st_mtime < time(NULL) - 60)
				unlinkat(dirfd(d), e->d_name, 0);
			continue;
		}
		/* the oldest of those kept so far, or a free place */
		for (k = 0; k < BTF_CACHE_KEEP - 1 && newest[k].name[0]; k++)
			;
		if (k == BTF_CACHE_KEEP - 1) {
			k = 0;
			for (size_t i = 1; i < BTF_CACHE_KEEP - 1; i++)
				if (older(&newest[i].mtime, &newest[k].mtime))
					k = i;
			if (older(&st.st_mtim, &newest[k].mtime)) {
				unlinkat(dirfd(d), e->d_name, 0);
				continue;
			}
			unlinkat(dirfd(d), newest[k].name, 0);
		}
		memcpy(newest[k].name, e->d_name, sizeof(newest[k].name));
		newest[k].mtime = st.st_mtim;
	}
	closedir(d);
}

int btf_cache_write(const char *path, const struct bpf_object *obj)
{
	struct btf *vmlinux, *part = NULL;
	const struct btf *local = bpf_object__btf(obj);
	struct stat st;
	const void *raw;
	__u32 len;
	int err;

	if (mkdir(BTF_CACHE_DIR, 0700) && errno != EEXIST)
		return -errno;
	if (lstat(BTF_CACHE_DIR, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode) || !own(&st))
		return -EPERM;
	if (!local)
		return -ENOENT;
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return -errno;
	part = btfmin_new(local, vmlinux);
	err = part ? 0 : -errno;
	if (!err) {
		raw = btf__raw_data(part, &len);
		err = raw ? output_replace(path, raw, len, 0600) : -ENOMEM;
	}
	if (!err)
		prune(path);
	btf__free(part);
	btf__free(vmlinux);
	return err;
}
