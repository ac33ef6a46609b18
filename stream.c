// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/mman.h>
#include <bpf/libbpf.h>
#include "proc.h"
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

/* The doorbell's rings: one page of data each, never read, only emptied. */
struct bell {
	struct perf_event_mmap_page *page;
};

struct stream {
	struct perf_buffer *pb;
	struct ring *rings;
	unsigned int n;
	void *use_map;
	size_t use_len;
	struct perf_buffer *bell_pb;
	struct bell *bells;
	unsigned int nbells;
	const char *scratch; /* the record buffers, mapped for their busy flags */
	size_t scratch_len;
	unsigned int slots;
	unsigned long long malformed;
};

/* The online CPUs, from a list such as "0-3,5"; returns how many, or a negative errno. */
static int online_cpus(int **cpus)
{
	char buf[4096], *p = buf, *end;
	unsigned long a, b;
	int count = 0, cap = 64;
	ssize_t len = proc_read("/sys/devices/system/cpu/online", buf, sizeof(buf));

	if (len <= 0)
		return len < 0 ? len : -ENODEV;
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

/* The doorbell: a ring of one page per CPU that wakes the reader on every record. */
static int open_bells(struct stream *s, int fd, int *cpus, int n)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	LIBBPF_OPTS(perf_buffer_raw_opts, opts, .cpu_cnt = n, .cpus = cpus, .map_keys = cpus);
	size_t len;
	void *base;
	int err;

	s->bell_pb = perf_buffer__new_raw(fd, DOORBELL_PAGES, &attr, NULL, NULL, &opts);
	if (!s->bell_pb)
		return -errno;
	s->nbells = perf_buffer__buffer_cnt(s->bell_pb);
	s->bells = calloc(s->nbells, sizeof(*s->bells));
	if (!s->bells)
		return -ENOMEM;
	for (unsigned int i = 0; i < s->nbells; i++) {
		err = perf_buffer__buffer(s->bell_pb, i, &base, &len);
		if (err)
			return err;
		s->bells[i].page = base;
	}
	return 0;
}

struct stream *stream_open(const struct stream_maps *m, size_t ring_bytes)
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
	s->pb = perf_buffer__new_raw(m->events_fd, ring_bytes / page, &attr, NULL, NULL, &opts);
	if (!s->pb) {
		err = -errno;
		goto fail;
	}
	err = open_bells(s, m->doorbell_fd, cpus, n);
	if (err)
		goto fail;
	s->use_len = (ncpu * sizeof(struct ring_use) + page - 1) / page * page;
	s->use_map = mmap(NULL, s->use_len, PROT_READ | PROT_WRITE, MAP_SHARED, m->use_fd, 0);
	if (s->use_map == MAP_FAILED) {
		s->use_map = NULL;
		err = -errno;
		goto fail;
	}
	s->slots = m->slots;
	s->scratch_len = (m->slots * sizeof(struct scratch_slot) + page - 1) / page * page;
	s->scratch = mmap(NULL, s->scratch_len, PROT_READ, MAP_SHARED, m->scratch_fd, 0);
	if (s->scratch == MAP_FAILED) {
		s->scratch = NULL;
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
	if (s->scratch)
		munmap((void *)s->scratch, s->scratch_len);
	perf_buffer__free(s->pb);
	free(s->bells);
	perf_buffer__free(s->bell_pb);
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

int stream_doorbell_fd(const struct stream *s)
{
	return perf_buffer__epoll_fd(s->bell_pb);
}

bool stream_arm(struct stream *s)
{
	/* what rang is of no more use: empty the doorbell's rings */
	for (unsigned int i = 0; i < s->nbells; i++) {
		struct perf_event_mmap_page *p = s->bells[i].page;

		__atomic_store_n(&p->data_tail, __atomic_load_n(&p->data_head, __ATOMIC_ACQUIRE),
				 __ATOMIC_RELEASE);
	}
	for (unsigned int i = 0; i < s->n; i++)
		__atomic_store_n(&s->rings[i].use->armed, 1, __ATOMIC_RELAXED);
	/* armed, then look: a program adds, then looks whether to ring */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < s->n; i++) {
		struct ring *r = &s->rings[i];

		if (__atomic_load_n(&r->page->data_head, __ATOMIC_ACQUIRE) != r->head)
			return false;
	}
	return true;
}

__u64 stream_settled(const struct stream *s)
{
	struct timespec ts;
	__u64 now;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	now = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	/* the time first: a program that takes its time later sets its busy flag before */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < s->slots; i++) {
		const struct scratch_slot *slot =
			(const void *)(s->scratch + (size_t)i * sizeof(struct scratch_slot));

		if (__atomic_load_n(&slot->busy, __ATOMIC_ACQUIRE))
			return 0;
	}
	return now;
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
