// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A small BTF for CO-RE: just the kernel struct members the BPF programs
 * read, found by streaming through the kernel's BTF a few times with one
 * small buffer. libbpf then relocates against it instead of loading and
 * indexing the whole ~5 MiB kernel BTF, which would double the tool's
 * memory and start-up time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <linux/btf.h>
#include <bpf/btf.h>
#include "btf_trim.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define MAX_PENDING 32

enum field_type { F_INT, F_ULONG, F_PTR, F_STR };

/* The members execsnoop.bpf.c reads, by struct. */
static const struct {
	const char *strct;
	const char *name;
	enum field_type type;
	int ptr_to; /* index in structs[] for F_PTR */
} fields[] = {
	/* clang-format off */
	{ "task_struct",   "real_parent",     F_PTR,   0 },
	{ "task_struct",   "tgid",            F_INT,   0 },
	{ "task_struct",   "mm",              F_PTR,   1 },
	{ "task_struct",   "signal",          F_PTR,   3 },
	{ "mm_struct",     "arg_start",       F_ULONG, 0 },
	{ "mm_struct",     "arg_end",         F_ULONG, 0 },
	{ "mm_struct",     "start_stack",     F_ULONG, 0 },
	{ "linux_binprm",  "filename",        F_STR,   0 },
	{ "linux_binprm",  "interp",          F_STR,   0 },
	{ "linux_binprm",  "argc",            F_INT,   0 },
	{ "signal_struct", "flags",           F_INT,   0 },
	{ "signal_struct", "group_exec_task", F_PTR,   0 },
#if defined(__x86_64__)
	{ "pt_regs",       "orig_ax",         F_ULONG, 0 },
	{ "pt_regs",       "si",              F_ULONG, 0 },
	{ "pt_regs",       "dx",              F_ULONG, 0 },
	{ "pt_regs",       "cx",              F_ULONG, 0 },
#endif
	/* clang-format on */
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static const char *const structs[] = { "task_struct", "mm_struct", "linux_binprm", "signal_struct",
#if defined(__x86_64__)
				       "pt_regs"
#endif
};
#define NSTRUCTS (sizeof(structs) / sizeof(structs[0]))

/* Sequential reads from the mapped file, or through a buffer where it cannot be mapped. */
struct reader {
	int fd;
	const char *map;
	size_t map_len;
	off_t pos; /* file offset of buf[0] */
	size_t len, off;
	char buf[1 << 16];
};

/* Up to n bytes at file offset pos. */
static ssize_t read_at(struct reader *r, void *dst, size_t n, off_t pos)
{
	if (!r->map)
		return pread(r->fd, dst, n, pos);
	if ((size_t)pos >= r->map_len)
		return 0;
	if (n > r->map_len - pos)
		n = r->map_len - pos;
	memcpy(dst, r->map + pos, n);
	return n;
}

struct found {
	__u32 struct_name[NSTRUCTS]; /* string offsets of the names */
	__u32 field_name[NFIELDS];
	__u32 size[NSTRUCTS];
	bool have_struct[NSTRUCTS];
	__u32 bit_off[NFIELDS];
	__u32 type[NFIELDS]; /* type id, followed to its kind */
	bool have_field[NFIELDS];
	bool resolved[NFIELDS];
	/* anonymous struct members still to open: id, owner, offset */
	struct {
		__u32 id;
		int owner;
		__u32 bit_off;
	} pending[MAX_PENDING], next[MAX_PENDING];
	int npending, nnext;
};

static int rd(struct reader *r, void *dst, size_t n)
{
	while (n) {
		size_t avail = r->len - r->off;
		ssize_t got;

		if (!avail) {
			r->pos += r->len;
			r->off = 0;
			got = read_at(r, r->buf, sizeof(r->buf), r->pos);
			if (got <= 0)
				return got < 0 ? -errno : -EINVAL;
			r->len = got;
			continue;
		}
		if (avail > n)
			avail = n;
		memcpy(dst, r->buf + r->off, avail);
		r->off += avail;
		dst = (char *)dst + avail;
		n -= avail;
	}
	return 0;
}

static int skip(struct reader *r, size_t n)
{
	char tmp[256];
	int err = 0;

	while (n && !err) {
		size_t k = n < sizeof(tmp) ? n : sizeof(tmp);

		err = rd(r, tmp, k);
		n -= k;
	}
	return err;
}

static void seek(struct reader *r, off_t pos)
{
	r->pos = pos;
	r->len = 0;
	r->off = 0;
}

/* Finds the string offsets of every name we need. */
static int find_names(struct reader *r, const struct btf_header *h, struct found *f)
{
	off_t start = h->hdr_len + h->str_off, end = start + h->str_len, pos = start;
	static char buf[1 << 16];
	size_t keep = 0, i;
	int missing = NSTRUCTS + NFIELDS;

	memset(f->struct_name, 0, sizeof(f->struct_name));
	memset(f->field_name, 0, sizeof(f->field_name));
	while (pos < end && missing) {
		size_t want = sizeof(buf) - keep, at = 0;
		ssize_t got;

		if ((off_t)want > end - pos)
			want = end - pos;
		got = read_at(r, buf + keep, want, pos);
		if (got <= 0)
			return -EINVAL;
		for (;;) {
			char *z = memchr(buf + at, '\0', keep + got - at);
			__u32 off = pos - keep - start + at;

			if (!z)
				break;
			for (i = 0; i < NSTRUCTS; i++)
				if (!f->struct_name[i] && !strcmp(buf + at, structs[i]) && off)
					f->struct_name[i] = off, missing--;
			for (i = 0; i < NFIELDS; i++)
				if (!f->field_name[i] && !strcmp(buf + at, fields[i].name) && off)
					f->field_name[i] = off, missing--;
			at = z - buf + 1;
		}
		pos += got;
		keep = keep + got - at;
		if (keep == sizeof(buf))
			return -EINVAL;
		memmove(buf, buf + at, keep);
	}
	return missing ? -ENOENT : 0;
}

static size_t extra_len(const struct btf_type *t)
{
	__u16 vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_ENUM64:
		return vlen * sizeof(struct btf_enum64);
	default:
		return 0;
	}
}

/* Owner index of a struct type: by name at the top level, by id when pending. */
static int owner_of(const struct found *f, __u32 id, const struct btf_type *t, bool top,
		    __u32 *base)
{
	int i;

	if (top) {
		for (i = 0; i < (int)NSTRUCTS; i++)
			if (t->name_off == f->struct_name[i] && !f->have_struct[i]) {
				*base = 0;
				return i;
			}
		return -1;
	}
	for (i = 0; i < f->npending; i++)
		if (f->pending[i].id == id) {
			*base = f->pending[i].bit_off;
			return f->pending[i].owner;
		}
	return -1;
}

/* One pass over the types: members of the wanted (or pending anonymous) structs. */
static int scan_structs(struct reader *r, const struct btf_header *h, struct found *f, bool top)
{
	off_t end = h->hdr_len + h->type_off + h->type_len;
	struct btf_type t;
	__u32 id, i, base;
	int err, owner;

	seek(r, h->hdr_len + h->type_off);
	f->nnext = 0;
	for (id = 1; r->pos + (off_t)r->off < end; id++) {
		__u16 kind, vlen;

		err = rd(r, &t, sizeof(t));
		if (err)
			return err;
		kind = BTF_INFO_KIND(t.info);
		vlen = BTF_INFO_VLEN(t.info);
		owner = -1;
		if (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION)
			owner = owner_of(f, id, &t, top, &base);
		if (owner < 0) {
			err = skip(r, extra_len(&t));
			if (err)
				return err;
			continue;
		}
		if (top) {
			f->have_struct[owner] = true;
			f->size[owner] = t.size;
		}
		for (i = 0; i < vlen; i++) {
			struct btf_member m;
			__u32 off;
			size_t k;

			err = rd(r, &m, sizeof(m));
			if (err)
				return err;
			off = base +
			      (BTF_INFO_KFLAG(t.info) ? BTF_MEMBER_BIT_OFFSET(m.offset) : m.offset);
			if (!m.name_off) {
				if (f->nnext == MAX_PENDING)
					return -E2BIG;
				f->next[f->nnext].id = m.type;
				f->next[f->nnext].owner = owner;
				f->next[f->nnext].bit_off = off;
				f->nnext++;
				continue;
			}
			for (k = 0; k < NFIELDS; k++) {
				if (m.name_off == f->field_name[k] &&
				    !strcmp(fields[k].strct, structs[owner]) && !f->have_field[k]) {
					f->have_field[k] = true;
					f->bit_off[k] = off;
					f->type[k] = m.type;
				}
			}
		}
	}
	memcpy(f->pending, f->next, sizeof(f->next));
	f->npending = f->nnext;
	return 0;
}

/* One pass: follows typedefs and qualifiers of the members' types; checks what they end in. */
static int scan_types(struct reader *r, const struct btf_header *h, struct found *f, bool *done)
{
	off_t end = h->hdr_len + h->type_off + h->type_len;
	struct btf_type t;
	__u32 id, k;
	int err;

	seek(r, h->hdr_len + h->type_off);
	for (id = 1; r->pos + (off_t)r->off < end; id++) {
		__u32 enc = 0;

		err = rd(r, &t, sizeof(t));
		if (err)
			return err;
		if (BTF_INFO_KIND(t.info) == BTF_KIND_INT)
			err = rd(r, &enc, sizeof(enc));
		else
			err = skip(r, extra_len(&t));
		if (err)
			return err;
		for (k = 0; k < NFIELDS; k++) {
			if (f->resolved[k] || f->type[k] != id)
				continue;
			switch (BTF_INFO_KIND(t.info)) {
			case BTF_KIND_TYPEDEF:
			case BTF_KIND_CONST:
			case BTF_KIND_VOLATILE:
			case BTF_KIND_RESTRICT:
			case BTF_KIND_TYPE_TAG:
				f->type[k] = t.type;
				break;
			case BTF_KIND_INT:
				if (fields[k].type == F_PTR || fields[k].type == F_STR ||
				    t.size != (fields[k].type == F_INT ? 4 : 8))
					return -EPROTO;
				f->resolved[k] = true;
				break;
			case BTF_KIND_PTR:
				if (fields[k].type != F_PTR && fields[k].type != F_STR)
					return -EPROTO;
				f->resolved[k] = true;
				break;
			default:
				return -EPROTO;
			}
		}
	}
	*done = true;
	for (k = 0; k < NFIELDS; k++)
		*done &= f->resolved[k];
	return 0;
}

static int build(const struct found *f, const void **data, __u32 *size, struct btf **out)
{
	struct btf *btf = btf__new_empty();
	int int_id, ulong_id, char_id, str_id, sid[NSTRUCTS], pid[NSTRUCTS];
	size_t i, k;

	if (!btf)
		return -errno;
	int_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	ulong_id = btf__add_int(btf, "long unsigned int", 8, 0);
	char_id = btf__add_int(btf, "char", 1, BTF_INT_CHAR);
	str_id = btf__add_ptr(btf, char_id);
	/* ids are known before they are added: structs, then pointers to them */
	for (i = 0; i < NSTRUCTS; i++) {
		sid[i] = str_id + 1 + i;
		pid[i] = str_id + 1 + NSTRUCTS + i;
	}
	for (i = 0; i < NSTRUCTS; i++) {
		if (btf__add_struct(btf, structs[i], f->size[i]) != sid[i])
			goto err;
		for (k = 0; k < NFIELDS; k++) {
			int type;

			if (strcmp(fields[k].strct, structs[i]))
				continue;
			switch (fields[k].type) {
			case F_INT:
				type = int_id;
				break;
			case F_ULONG:
				type = ulong_id;
				break;
			case F_STR:
				type = str_id;
				break;
			default:
				type = pid[fields[k].ptr_to];
			}
			if (btf__add_field(btf, fields[k].name, type, f->bit_off[k], 0))
				goto err;
		}
	}
	for (i = 0; i < NSTRUCTS; i++)
		if (btf__add_ptr(btf, sid[i]) != pid[i])
			goto err;
	*data = btf__raw_data(btf, size);
	if (!*data)
		goto err;
	*out = btf;
	return 0;
err:
	btf__free(btf);
	return -EINVAL;
}

int btf_trim_vmlinux(char *path, size_t len)
{
	static struct reader r;
	static struct found f;
	struct btf_header h;
	struct btf *btf = NULL;
	struct stat st;
	const void *data = NULL;
	bool done = false;
	int err, fd, i;
	__u32 size = 0;

	memset(&f, 0, sizeof(f));
	r.fd = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC);
	if (r.fd < 0)
		return -errno;
	/* kernels since 6.16 let the file be mapped: no copy through read() then */
	r.map = NULL;
	if (!fstat(r.fd, &st) && st.st_size > 0) {
		void *m = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, r.fd, 0);

		if (m != MAP_FAILED) {
			r.map = m;
			r.map_len = st.st_size;
		}
	}
	seek(&r, 0);
	err = rd(&r, &h, sizeof(h));
	if (!err && (h.magic != BTF_MAGIC || h.hdr_len < sizeof(h)))
		err = -EINVAL;
	if (!err)
		err = find_names(&r, &h, &f);
	for (i = 0; !err && i < 4; i++) {
		err = scan_structs(&r, &h, &f, i == 0);
		if (!f.npending)
			break;
	}
	for (size_t k = 0; !err && k < NFIELDS; k++)
		if (!f.have_field[k])
			err = -ENOENT;
	for (i = 0; !err && !done && i < 6; i++)
		err = scan_types(&r, &h, &f, &done);
	if (r.map)
		munmap((void *)r.map, r.map_len);
	close(r.fd);
	if (err)
		return err;
	if (!done)
		return -ENOENT;

	err = build(&f, &data, &size, &btf);
	if (err)
		return err;
	fd = memfd_create("execsnoop-btf", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		err = fd < 0 ? -errno : -EIO;
		if (fd >= 0)
			close(fd);
		btf__free(btf);
		return err;
	}
	btf__free(btf);
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}
