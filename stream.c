// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/mman.h>
#include <bpf/libbpf.h>
#include "stream.h"

/* The largest record a program writes, with its perf header and size word. */
#define SAMPLE_MAX PERF_SAMPLE_BYTES(sizeof(struct event))

struct ring {
	struct perf_event_mmap_page *page;
	const char *data; /* size bytes, a power of two */
	__u64 size;
	__u64 tail;  /* our copy of data_tail */
	__u64 head;  /* data_head when last read */
	__u64 taken; /* bytes of the record peeked */
	bool has;
	struct record rec;
	char *flat; /* a record that wraps around the end, made whole */
	struct ring_use *use;
};

struct stream {
	struct perf_buffer *pb;
	struct ring *rings;
	unsigned int n;
	void *use_map;
	size_t use_len;
	unsigned long long malformed;
};

/* The online CPUs, from a list such as "0-3,5"; returns how many, or a negative errno. */
static int online_cpus(int **cpus)
{
	char buf[4096], *p = buf, *end;
	unsigned long a, b;
	int count = 0, cap = 64;
	ssize_t len;
	int fd;

	fd = open("/sys/devices/system/cpu/online", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return len < 0 ? -errno : -ENODEV;
	buf[len] = '\0';
	*cpus = malloc(cap * sizeof(int));
	while (*cpus && *p >= '0' && *p <= '9') {
		a = b = strtoul(p, &end, 10);
		if (*end == '-')
			b = strtoul(end + 1, &end, 10);
		for (; a <= b && a < 65536; a++) {
			if (count == cap) {
				int *more = realloc(*cpus, (cap *= 2) * sizeof(int));

				if (!more) {
					free(*cpus);
					*cpus = NULL;
					break;
				}
				*cpus = more;
			}
			if (*cpus)
				(*cpus)[count++] = a;
		}
		p = *end == ',' ? end + 1 : end;
	}
	if (!*cpus)
		return -ENOMEM;
	return count ? count : -ENODEV;
}

struct stream *stream_open(int events_fd, int use_fd, size_t ring_bytes)
{
	long page = sysconf(_SC_PAGESIZE);
	int ncpu = libbpf_num_possible_cpus(), *cpus = NULL, n, err = 0;
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		/* wake the reader when an eighth of a ring is used, not on every record */
		.watermark = 1,
		.wakeup_watermark = ring_bytes / 8,
	};
	LIBBPF_OPTS(perf_buffer_raw_opts, opts);
	struct stream *s;

	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	n = online_cpus(&cpus);
	if (n <= 0 || ncpu <= 0) {
		err = n < 0 ? n : ncpu < 0 ? ncpu : -ENODEV;
		goto fail;
	}
	opts.cpu_cnt = n;
	opts.cpus = cpus;
	opts.map_keys = cpus;
	s->pb = perf_buffer__new_raw(events_fd, ring_bytes / page, &attr, NULL, NULL, &opts);
	if (!s->pb) {
		err = -errno;
		goto fail;
	}
	s->use_len = (ncpu * sizeof(struct ring_use) + page - 1) / page * page;
	s->use_map = mmap(NULL, s->use_len, PROT_READ | PROT_WRITE, MAP_SHARED, use_fd, 0);
	if (s->use_map == MAP_FAILED) {
		s->use_map = NULL;
		err = -errno;
		goto fail;
	}
	s->n = perf_buffer__buffer_cnt(s->pb);
	s->rings = calloc(s->n, sizeof(*s->rings));
	if (!s->rings) {
		err = -ENOMEM;
		goto fail;
	}
	for (unsigned int i = 0; i < s->n; i++) {
		struct ring *r = &s->rings[i];
		size_t len;
		void *base;

		err = perf_buffer__buffer(s->pb, i, &base, &len);
		if (err)
			goto fail;
		r->page = base;
		r->data = (const char *)base + page;
		r->size = ring_bytes;
		r->tail = r->page->data_tail;
		r->head = r->tail;
		r->use = (struct ring_use *)s->use_map + cpus[i];
		r->flat = aligned_alloc(8, SAMPLE_MAX);
		if (!r->flat) {
			err = -ENOMEM;
			goto fail;
		}
	}
	free(cpus);
	return s;
fail:
	free(cpus);
	stream_close(s);
	errno = -err;
	return NULL;
}

void stream_close(struct stream *s)
{
	if (!s)
		return;
	for (unsigned int i = 0; s->rings && i < s->n; i++)
		free(s->rings[i].flat);
	free(s->rings);
	if (s->use_map)
		munmap(s->use_map, s->use_len);
	perf_buffer__free(s->pb);
	free(s);
}

unsigned int stream_count(const struct stream *s)
{
	return s->n;
}

int stream_fd(const struct stream *s)
{
	return perf_buffer__epoll_fd(s->pb);
}

unsigned long long stream_malformed(const struct stream *s)
{
	return s->malformed;
}

/* Frees len bytes at the tail, for the kernel and for the programs' accounting. */
static void advance(struct ring *r, __u64 len)
{
	r->tail += len;
	__atomic_store_n(&r->page->data_tail, r->tail, __ATOMIC_RELEASE);
	__atomic_store_n(&r->use->consumed, r->tail, __ATOMIC_RELAXED);
}

const struct record *stream_peek(struct stream *s, unsigned int i)
{
	struct ring *r = &s->rings[i];
	struct perf_event_header hdr;
	const char *p;
	__u64 off;
	__u32 size;

	while (!r->has) {
		if (r->tail == r->head) {
			r->head = __atomic_load_n(&r->page->data_head, __ATOMIC_ACQUIRE);
			if (r->tail == r->head)
				return NULL;
		}
		/* records are 8-byte aligned: a header never wraps */
		off = r->tail & (r->size - 1);
		memcpy(&hdr, r->data + off, sizeof(hdr));
		if (hdr.size < sizeof(hdr) || hdr.size > r->head - r->tail) {
			/* cannot happen with a sane kernel: drop what is there */
			s->malformed++;
			advance(r, r->head - r->tail);
			continue;
		}
		if (hdr.type != PERF_RECORD_SAMPLE || hdr.size > SAMPLE_MAX) {
			/* PERF_RECORD_LOST: the programs count their losses themselves */
			if (hdr.type == PERF_RECORD_SAMPLE)
				s->malformed++;
			advance(r, hdr.size);
			continue;
		}
		p = r->data + off;
		if (off + hdr.size > r->size) {
			size_t first = r->size - off;

			memcpy(r->flat, p, first);
			memcpy(r->flat + first, r->data, hdr.size - first);
			p = r->flat;
		}
		memcpy(&size, p + sizeof(hdr), sizeof(size));
		if (size > hdr.size - sizeof(hdr) - sizeof(size) ||
		    record_decode(&r->rec, p + sizeof(hdr) + sizeof(size), size)) {
			s->malformed++;
			advance(r, hdr.size);
			continue;
		}
		r->taken = hdr.size;
		r->has = true;
	}
	return &r->rec;
}

void stream_take(struct stream *s, unsigned int i)
{
	struct ring *r = &s->rings[i];

	if (!r->has)
		return;
	r->has = false;
	advance(r, r->taken);
}
