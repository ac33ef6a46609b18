// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "proc.h"
#include "stream.h"

/* The largest record a program writes, with its perf header and size word. */
#define SAMPLE_MAX PERF_SAMPLE_BYTES(sizeof(struct event))

/* How long stream_grow waits for the programs to leave the rings it replaced; pump goes on. */
#define GROW_SETTLE_US 2000
#define GROW_POLL_US   50

_Static_assert(SCRATCH_SLOTS_MAX <= 64, "the slots awaited after a swap are bits of a __u64");

/* One perf ring of records, read in place. */
struct buf {
	int fd; /* -1: none */
	struct perf_event_mmap_page *page;
	const char *data; /* size bytes, a power of two */
	__u64 size;
	__u64 tail;  /* our copy of data_tail */
	__u64 head;  /* data_head when last read */
	__u64 taken; /* bytes of the record peeked */
	bool has;
	struct record rec;
	char *flat; /* a record that wraps around the end, made whole */
};

/*
 * A CPU's records: the ring the programs write to, and after stream_grow
 * the one it replaced, read until it is empty. The programs' accounting
 * (ring_use) counts both: consumed is every byte ever taken on the CPU.
 */
struct ring {
	int cpu;
	struct buf now, old;
	struct buf *peeked; /* which of them the peeked record is in */
	__u64 retired;	    /* bytes taken from rings since closed */
	__u64 unwritten;    /* bytes taken of records the kernel wrote (losses), not the programs */
	struct ring_use *use;
};

/* The doorbell's rings: one page of data each, never read, only emptied. */
struct bell {
	struct perf_event_mmap_page *page;
};

struct stream {
	int events_fd; /* the perf event array the records go through */
	int epoll_fd;  /* readable when a ring passed its wakeup mark */
	long page;
	struct ring *rings;
	unsigned int n;
	__u64 awaited; /* since rings were replaced, the slots not yet seen free: bit i, slot i */
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

/* Opens a ring of bytes (a power of two pages) for the records of cpu; 0 or a negative errno. */
static int buf_open(struct stream *s, struct buf *b, int cpu, size_t bytes)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		/* wake the reader when an eighth of a ring is used, not on every record */
		.watermark = 1,
		.wakeup_watermark = bytes / 8,
	};
	struct epoll_event ev = { .events = EPOLLIN };
	void *base;

	b->flat = aligned_alloc(8, SAMPLE_MAX);
	if (!b->flat)
		return -ENOMEM;
	b->fd = syscall(__NR_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (b->fd < 0)
		return -errno;
	/* the kernel allocates the ring here: the part of a start that grows with its size */
	base = mmap(NULL, s->page + bytes, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	if (base == MAP_FAILED)
		return -errno;
	b->page = base;
	b->data = (const char *)base + s->page;
	b->size = bytes;
	b->tail = b->page->data_tail;
	b->head = b->tail;
	ev.data.fd = b->fd;
	if (ioctl(b->fd, PERF_EVENT_IOC_ENABLE, 0) ||
	    epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, b->fd, &ev))
		return -errno;
	return 0;
}

/* Points the programs' writes on r's CPU to its ring b. */
static int buf_use(struct stream *s, struct ring *r, const struct buf *b)
{
	return bpf_map_update_elem(s->events_fd, &r->cpu, &b->fd, BPF_ANY) ? -errno : 0;
}

static void buf_close(struct stream *s, struct buf *b)
{
	/*
	 * Out of the epoll set first: a ring no longer in the map may still be
	 * held there until an RCU grace period ends, and a perf event unmapped
	 * polls as hung up, which would wake the reader without end.
	 */
	if (b->fd >= 0)
		epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, b->fd, NULL);
	if (b->page)
		munmap(b->page, s->page + b->size);
	if (b->fd >= 0)
		close(b->fd);
	free(b->flat);
	memset(b, 0, sizeof(*b));
	b->fd = -1;
}

/* Bytes taken on ring r's CPU of what the programs wrote, in every ring it had. */
static void publish(struct ring *r)
{
	__atomic_store_n(&r->use->consumed, r->retired + r->now.tail + r->old.tail - r->unwritten,
			 __ATOMIC_RELAXED);
}

/* A record buffer's busy flag. */
static bool slot_busy(const struct stream *s, unsigned int i)
{
	const struct scratch_slot *slot =
		(const void *)(s->scratch + (size_t)i * sizeof(struct scratch_slot));

	return __atomic_load_n(&slot->busy, __ATOMIC_ACQUIRE);
}

/*
 * After rings were replaced: a program that found an old ring in the map
 * holds a record buffer until it has written there. Once each buffer was
 * seen free, none is left, and the programs count against the new sizes.
 */
static void grow_settle(struct stream *s)
{
	for (unsigned int i = 0; i < s->slots && s->awaited; i++)
		if ((s->awaited & (1ULL << i)) && !slot_busy(s, i))
			s->awaited &= ~(1ULL << i);
	if (s->awaited)
		return;
	for (unsigned int i = 0; i < s->n; i++)
		__atomic_store_n(&s->rings[i].use->size, s->rings[i].now.size, __ATOMIC_RELAXED);
}

struct stream *stream_open(const struct stream_maps *m, size_t ring_bytes)
{
	int ncpu = libbpf_num_possible_cpus(), *cpus = NULL, n, err = 0;
	struct stream *s;

	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->page = sysconf(_SC_PAGESIZE);
	s->events_fd = m->events_fd;
	s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epoll_fd < 0) {
		err = -errno;
		goto fail;
	}
	n = online_cpus(&cpus);
	if (n <= 0 || ncpu <= 0) {
		err = n < 0 ? n : ncpu < 0 ? ncpu : -ENODEV;
		goto fail;
	}
	s->use_len = (ncpu * sizeof(struct ring_use) + s->page - 1) / s->page * s->page;
	s->use_map = mmap(NULL, s->use_len, PROT_READ | PROT_WRITE, MAP_SHARED, m->use_fd, 0);
	if (s->use_map == MAP_FAILED) {
		s->use_map = NULL;
		err = -errno;
		goto fail;
	}
	s->slots = m->slots;
	s->scratch_len = (m->slots * sizeof(struct scratch_slot) + s->page - 1) / s->page * s->page;
	s->scratch = mmap(NULL, s->scratch_len, PROT_READ, MAP_SHARED, m->scratch_fd, 0);
	if (s->scratch == MAP_FAILED) {
		s->scratch = NULL;
		err = -errno;
		goto fail;
	}
	s->rings = calloc(n, sizeof(*s->rings));
	if (!s->rings) {
		err = -ENOMEM;
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		struct ring *r = &s->rings[i];

		s->n++;
		r->cpu = cpus[i];
		r->now.fd = r->old.fd = -1;
		if (cpus[i] >= ncpu) {
			err = -ENODEV;
			goto fail;
		}
		r->use = (struct ring_use *)s->use_map + cpus[i];
		/* the size first: a program counts against it once the ring is in the map */
		__atomic_store_n(&r->use->size, ring_bytes, __ATOMIC_RELAXED);
		publish(r);
		err = buf_open(s, &r->now, r->cpu, ring_bytes);
		if (!err)
			err = buf_use(s, r, &r->now);
		if (err)
			goto fail;
	}
	err = open_bells(s, m->doorbell_fd, cpus, n);
	if (err)
		goto fail;
	free(cpus);
	return s;
fail:
	free(cpus);
	stream_close(s);
	errno = -err;
	return NULL;
}

int stream_grow(struct stream *s, size_t ring_bytes)
{
	struct timespec pause = { 0, GROW_POLL_US * 1000 };
	struct buf *next;
	bool swapped = false;
	int err = 0;

	for (unsigned int i = 0; i < s->n; i++)
		if (s->rings[i].old.page)
			return -EBUSY;
	next = calloc(s->n, sizeof(*next));
	if (!next)
		return -ENOMEM;
	for (unsigned int i = 0; i < s->n; i++)
		next[i].fd = -1;
	/* every ring allocated before one is swapped in: a failure leaves the rings as they were */
	for (unsigned int i = 0; i < s->n && !err; i++)
		err = buf_open(s, &next[i], s->rings[i].cpu, ring_bytes);
	for (unsigned int i = 0; i < s->n; i++) {
		struct ring *r = &s->rings[i];

		if (!err)
			err = buf_use(s, r, &next[i]);
		if (err) {
			buf_close(s, &next[i]);
			continue;
		}
		r->old = r->now;
		r->now = next[i];
		if (r->peeked)
			r->peeked = &r->old;
		swapped = true;
	}
	free(next);
	if (!swapped)
		return err;
	/* the swap is complete: whoever takes a buffer from now on finds the new rings */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	s->awaited = s->slots >= 64 ? ~0ULL : (1ULL << s->slots) - 1;
	for (int waited = 0; s->awaited && waited < GROW_SETTLE_US; waited += GROW_POLL_US) {
		grow_settle(s);
		if (s->awaited)
			nanosleep(&pause, NULL);
	}
	return err;
}

void stream_close(struct stream *s)
{
	if (!s)
		return;
	for (unsigned int i = 0; s->rings && i < s->n; i++) {
		struct ring *r = &s->rings[i];

		/* as the programs' maps outlive the stream: no entry of a ring closed */
		bpf_map_delete_elem(s->events_fd, &r->cpu);
		buf_close(s, &r->now);
		buf_close(s, &r->old);
	}
	free(s->rings);
	if (s->epoll_fd >= 0)
		close(s->epoll_fd);
	if (s->use_map)
		munmap(s->use_map, s->use_len);
	if (s->scratch)
		munmap((void *)s->scratch, s->scratch_len);
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
	return s->epoll_fd;
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

		if (__atomic_load_n(&r->now.page->data_head, __ATOMIC_ACQUIRE) != r->now.head ||
		    (r->old.page &&
		     __atomic_load_n(&r->old.page->data_head, __ATOMIC_ACQUIRE) != r->old.head))
			return false;
	}
	return true;
}

__u64 stream_settled(struct stream *s)
{
	struct timespec ts;
	__u64 now;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	now = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	/* the time first: a program that takes its time later sets its busy flag before */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (s->awaited)
		grow_settle(s);
	for (unsigned int i = 0; i < s->slots; i++)
		if (slot_busy(s, i))
			return 0;
	return now;
}

unsigned long long stream_malformed(const struct stream *s)
{
	return s->malformed;
}

/* Frees len bytes at b's tail, for the kernel and for the programs' accounting. */
static void advance(struct ring *r, struct buf *b, __u64 len)
{
	b->tail += len;
	__atomic_store_n(&b->page->data_tail, b->tail, __ATOMIC_RELEASE);
	publish(r);
}

/* The next record of ring b, decoded, or NULL when it is empty. */
static const struct record *buf_peek(struct stream *s, struct ring *r, struct buf *b)
{
	struct perf_event_header hdr;
	const char *p;
	__u64 off;
	__u32 size;

	while (!b->has) {
		if (b->tail == b->head) {
			b->head = __atomic_load_n(&b->page->data_head, __ATOMIC_ACQUIRE);
			if (b->tail == b->head)
				return NULL;
		}
		/* records are 8-byte aligned: a header never wraps */
		off = b->tail & (b->size - 1);
		memcpy(&hdr, b->data + off, sizeof(hdr));
		if (hdr.size < sizeof(hdr) || hdr.size > b->head - b->tail) {
			/* cannot happen with a sane kernel: drop what is there */
			s->malformed++;
			advance(r, b, b->head - b->tail);
			continue;
		}
		if (hdr.type != PERF_RECORD_SAMPLE || hdr.size > SAMPLE_MAX) {
			/* PERF_RECORD_LOST: the programs count their losses themselves */
			if (hdr.type == PERF_RECORD_SAMPLE)
				s->malformed++;
			else
				r->unwritten += hdr.size;
			advance(r, b, hdr.size);
			continue;
		}
		p = b->data + off;
		if (off + hdr.size > b->size) {
			size_t first = b->size - off;

			memcpy(b->flat, p, first);
			memcpy(b->flat + first, b->data, hdr.size - first);
			p = b->flat;
		}
		memcpy(&size, p + sizeof(hdr), sizeof(size));
		if (size > hdr.size - sizeof(hdr) - sizeof(size) ||
		    record_decode(&b->rec, p + sizeof(hdr) + sizeof(size), size)) {
			s->malformed++;
			advance(r, b, hdr.size);
			continue;
		}
		b->taken = hdr.size;
		b->has = true;
	}
	return &b->rec;
}

const struct record *stream_peek(struct stream *s, unsigned int i)
{
	struct ring *r = &s->rings[i];
	const struct record *old = NULL, *now;

	if (r->old.page) {
		old = buf_peek(s, r, &r->old);
		/* empty, and no program writes there any more (grow_settle): done with it */
		if (!old && !s->awaited) {
			r->retired += r->old.tail;
			buf_close(s, &r->old);
			publish(r);
		}
	}
	now = buf_peek(s, r, &r->now);
	/* while both are read, the older record of the two */
	r->peeked = old && (!now || old->h.ts <= now->h.ts) ? &r->old : now ? &r->now : NULL;
	return r->peeked ? &r->peeked->rec : NULL;
}

void stream_take(struct stream *s, unsigned int i)
{
	struct ring *r = &s->rings[i];
	struct buf *b = r->peeked;

	if (!b || !b->has)
		return;
	b->has = false;
	r->peeked = NULL;
	advance(r, b, b->taken);
}
