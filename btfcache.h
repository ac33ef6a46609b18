/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The kernel BTF the programs are relocated against, kept for the boot. A
 * start that parses the whole kernel BTF (megabytes) and searches it for
 * every type spends most of its time there; a file under BTF_CACHE_DIR holds
 * instead the part the object's relocations read (btfmin.h), tens of KiB.
 * Its name carries all it depends on: the object's bytes, the kernel (its
 * release and version, and its BTF's size, first and last page) and the
 * boot. Only a file this user alone could have written is used.
 */
#ifndef BTFCACHE_H
#define BTFCACHE_H

#include <stdbool.h>
#include <stddef.h>

struct bpf_object;

#define BTF_CACHE_DIR  "/run/execsnoop"
#define BTF_CACHE_KEEP 4 /* files kept: builds run side by side each keep theirs */

/* The cache file's path for the object's ELF bytes on this kernel and boot; -errno. */
int btf_cache_path(char *path, size_t size, const void *elf, size_t elf_len, const char *boot_id);

/* True when path is a regular file owned by this user that no other user can write. */
bool btf_cache_usable(const char *path);

/*
 * Writes what obj's relocations read of the running kernel's BTF to path,
 * and removes the oldest of the others beyond BTF_CACHE_KEEP; -errno.
 */
int btf_cache_write(const char *path, const struct bpf_object *obj);

#endif /* BTFCACHE_H */
