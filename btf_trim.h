/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A minimal BTF of the kernel types the BPF programs relocate against. */
#ifndef BTF_TRIM_H
#define BTF_TRIM_H

#include <stddef.h>

/*
 * Writes it to a memfd and its /proc/self/fd path to path. Returns the fd,
 * to be closed once the BPF object is loaded, or a negative errno when the
 * kernel's BTF lacks something: then load against the full BTF instead.
 */
int btf_trim_vmlinux(char *path, size_t len);

#endif /* BTF_TRIM_H */
