/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The part of a kernel's BTF that a BPF object's CO-RE relocations read.
 *
 * A relocation names a root type of the object (a struct, union, enum or
 * typedef, by name; a flavour name___x counts as name) and walks from it
 * through members by name, never through a pointer: each dereference is a
 * relocation of its own, rooted at the type pointed to. So the part kept is
 * every kernel type that has the name and kind of one of the object's, whole,
 * with all it embeds (members, arrays, typedefs, qualifiers). A pointer, which
 * relocations only check to be a pointer, becomes void *.
 *
 * Relocating against this part gives what relocating against the whole BTF
 * gives, in tens of KiB instead of megabytes.
 */
#ifndef BTFMIN_H
#define BTFMIN_H

struct btf;

/* A new BTF: what of kernel the relocations of local can read; NULL and errno on failure. */
struct btf *btfmin_new(const struct btf *local, const struct btf *kernel);

#endif /* BTFMIN_H */
