// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <nettle/sha2.h>
#include "digest.h"

#define CHUNK	  (64U << 10) /* bytes read at a time */
#define CACHE_MAX (1U << 20)  /* the most identities a cache may be asked to hold */

struct digest {
	struct digest *hnext;	    /* the cache's bucket chain */
	struct digest *prev, *next; /* the cache's LRU list, most recent first */
	struct digest *qnext;	    /* the worker's queue */
	struct file_id id;
	unsigned int refs; /* under the lock */
	int state;	   /* enum digest_state, stored with release, loaded with acquire */
	int fd;		   /* the file, open until the worker has read it */
	bool cached;	   /* in the cache, which holds a reference */
	unsigned char sha[DIGEST_SIZE];
};

struct digests {
	pthread_mutex_t lock; /* the cache, the queue and every answer's refs */
	pthread_cond_t work;  /* the queue has an answer, or stop is set */
	pthread_t worker;
	struct digest **buckets;
	unsigned int mask; /* the number of buckets, a power of two, less one */
	unsigned int count, max;
	unsigned int pending; /* queued or being hashed: all in the cache */
	struct digest *head, *tail;
	struct digest *qhead, *qtail;
	bool stop; /* atomic: the worker stops, even in the middle of a file */
	int efd;
	unsigned char *buf; /* the worker's */
};

const char *digest_reason(enum digest_state s)
{
	switch (s) {
	case DIGEST_CHANGED:
		return "changed";
	case DIGEST_DELETED:
		return "deleted";
	case DIGEST_MEMFD:
		return "memfd";
	case DIGEST_UNREADABLE:
		return "unreadable";
	case DIGEST_LATE:
		return "late";
	default:
		return NULL;
	}
}

enum digest_state digest_state(const struct digest *g)
{
	return __atomic_load_n(&g->state, __ATOMIC_ACQUIRE);
}

const unsigned char *digest_sha256(const struct digest *g)
{
	return g->sha;
}

int digests_fd(const struct digests *d)
{
	return d->efd;
}

static bool same_key(const struct file_id *a, const struct file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->ctime_sec == b->ctime_sec && a->ctime_nsec == b->ctime_nsec;
}

static unsigned int key_hash(const struct file_id *id)
{
	const __u64 k = 0x9e3779b97f4a7c15ULL;
	__u64 h = id->ino;

	h = h * k + id->dev;
	h = h * k + id->size;
	h = h * k + (__u64)id->ctime_sec;
	h = h * k + id->ctime_nsec;
	return (unsigned int)(h ^ h >> 32);
}

/* The kernel's device number (major << 20 | minor) is the one fstat shows. */
static bool same_inode(const struct stat *st, const struct file_id *id)
{
	return st->st_dev == makedev(id->dev >> 20, id->dev & 0xfffff) && st->st_ino == id->ino;
}

static bool same_file(const struct stat *st, const struct file_id *id)
{
	return same_inode(st, id) && (__u64)st->st_size == id->size &&
	       st->st_ctim.tv_sec == id->ctime_sec && (__u32)st->st_ctim.tv_nsec == id->ctime_nsec;
}

static struct digest *answer(const struct file_id *id, enum digest_state s)
{
	struct digest *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->id = *id;
	g->refs = 1;
	g->state = s;
	g->fd = -1;
	return g;
}

static void unref(struct digest *g)
{
	if (--g->refs)
		return;
	if (g->fd >= 0)
		close(g->fd);
	free(g);
}

static struct digest *lookup(struct digests *d, const struct file_id *id)
{
	struct digest *g = d->buckets[key_hash(id) & d->mask];

	while (g && !same_key(&g->id, id))
		g = g->hnext;
	return g;
}

static void lru_unlink(struct digests *d, struct digest *g)
{
	if (g->prev)
		g->prev->next = g->next;
	else
		d->head = g->next;
	if (g->next)
		g->next->prev = g->prev;
	else
		d->tail = g->prev;
	g->prev = g->next = NULL;
}

static void lru_push(struct digests *d, struct digest *g)
{
	g->next = d->head;
	if (d->head)
		d->head->prev = g;
	else
		d->tail = g;
	d->head = g;
}

static void cache_add(struct digests *d, struct digest *g)
{
	struct digest **b = &d->buckets[key_hash(&g->id) & d->mask];

	g->hnext = *b;
	*b = g;
	lru_push(d, g);
	g->cached = true;
	g->refs++;
	d->count++;
}

/* Takes g out of the cache and drops the cache's reference, which may free it. */
static void cache_remove(struct digests *d, struct digest *g)
{
	struct digest **p = &d->buckets[key_hash(&g->id) & d->mask];

	while (*p != g)
		p = &(*p)->hnext;
	*p = g->hnext;
	lru_unlink(d, g);
	g->cached = false;
	d->count--;
	unref(g);
}

/* Room for one more: the least recently used answer that is not pending goes. */
static void evict(struct digests *d)
{
	struct digest *g = d->tail;

	while (g && digest_state(g) == DIGEST_PENDING)
		g = g->prev;
	if (g)
		cache_remove(d, g);
}

/* Opens what pid executed if it still has identity id: DIGEST_PENDING and *fd, or why not. */
static enum digest_state open_file(__u32 pid, const struct file_id *id, const char *path, int *fd)
{
	char exe[32];
	struct stat st;
	bool ok, written;

	if (pid) {
		snprintf(exe, sizeof(exe), "/proc/%u/exe", pid);
		/* a magic link, followed to the very file the process runs, even deleted */
		*fd = open(exe, O_RDONLY | O_CLOEXEC);
		if (*fd >= 0) {
			ok = !fstat(*fd, &st);
			if (ok && S_ISREG(st.st_mode) && same_file(&st, id))
				return DIGEST_PENDING;
			close(*fd);
			/* the same inode with another size or change time: written since */
			written = ok && same_inode(&st, id);
			if (written)
				return DIGEST_CHANGED;
		}
	}
	/* deleted before it ran: no path leads to it */
	if (!id->nlink)
		return DIGEST_DELETED;
	if (!path)
		return DIGEST_UNREADABLE;
	/* not blocked by a fifo put in its place */
	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (*fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? DIGEST_DELETED : DIGEST_UNREADABLE;
	if (fstat(*fd, &st)) {
		close(*fd);
		return DIGEST_UNREADABLE;
	}
	if (!same_file(&st, id)) {
		close(*fd);
		return DIGEST_CHANGED;
	}
	if (!S_ISREG(st.st_mode)) {
		close(*fd);
		return DIGEST_UNREADABLE;
	}
	return DIGEST_PENDING;
}

struct digest *digest_get(struct digests *d, __u32 pid, const struct file_id *id, const char *path)
{
	enum digest_state s;
	struct digest *g;
	int fd = -1;

	if (id->flags & FILE_MEMFD)
		return answer(id, DIGEST_MEMFD);
	if (!(id->flags & FILE_READ))
		return answer(id, DIGEST_UNREADABLE);
	pthread_mutex_lock(&d->lock);
	g = lookup(d, id);
	if (g) {
		g->refs++;
		lru_unlink(d, g);
		lru_push(d, g);
		goto out;
	}
	/* as many files open and waiting as the cache holds, and no more */
	if (d->pending >= d->max) {
		g = answer(id, DIGEST_LATE);
		goto out;
	}
	s = open_file(pid, id, path, &fd);
	g = answer(id, s);
	if (!g && s == DIGEST_PENDING)
		close(fd);
	if (!g || s != DIGEST_PENDING)
		goto out;
	g->fd = fd;
	if (d->count >= d->max)
		evict(d);
	cache_add(d, g);
	/* the queue's reference, dropped by the worker */
	g->refs++;
	if (d->qtail)
		d->qtail->qnext = g;
	else
		d->qhead = g;
	d->qtail = g;
	d->pending++;
	pthread_cond_signal(&d->work);
out:
	pthread_mutex_unlock(&d->lock);
	return g;
}

void digest_put(struct digests *d, struct digest *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&d->lock);
	unref(g);
	pthread_mutex_unlock(&d->lock);
}

/* Reads and hashes g's file; it must still have g's identity once read. */
static enum digest_state hash(struct digests *d, struct digest *g)
{
	struct sha256_ctx ctx;
	struct stat st;
	__u64 at = 0;
	ssize_t n;

	sha256_init(&ctx);
	for (;;) {
		if (__atomic_load_n(&d->stop, __ATOMIC_RELAXED))
			return DIGEST_LATE;
		n = pread(g->fd, d->buf, CHUNK, at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return DIGEST_UNREADABLE;
		if (!n)
			break;
		sha256_update(&ctx, n, d->buf);
		at += n;
		/* growing while read: no need to read on */
		if (at > g->id.size)
			return DIGEST_CHANGED;
	}
	if (fstat(g->fd, &st))
		return DIGEST_UNREADABLE;
	if (at != g->id.size || !same_file(&st, &g->id))
		return DIGEST_CHANGED;
	sha256_digest(&ctx, DIGEST_SIZE, g->sha);
	return DIGEST_OK;
}

/* Tells the caller an answer is final; a counter already at its limit is readable anyway. */
static void wake(int efd)
{
	__u64 one = 1;
	ssize_t n = write(efd, &one, sizeof(one));

	(void)n;
}

static void *work(void *arg)
{
	struct digests *d = arg;
	enum digest_state s;
	struct digest *g;

	pthread_mutex_lock(&d->lock);
	for (;;) {
		while (!d->qhead && !__atomic_load_n(&d->stop, __ATOMIC_RELAXED))
			pthread_cond_wait(&d->work, &d->lock);
		if (__atomic_load_n(&d->stop, __ATOMIC_RELAXED))
			break;
		g = d->qhead;
		d->qhead = g->qnext;
		if (!d->qhead)
			d->qtail = NULL;
		g->qnext = NULL;
		pthread_mutex_unlock(&d->lock);

		s = hash(d, g);
		close(g->fd);
		g->fd = -1;

		pthread_mutex_lock(&d->lock);
		d->pending--;
		/* only an answer worth giving again stays: a later exec may reach the file */
		if (s != DIGEST_OK && g->cached)
			cache_remove(d, g);
		__atomic_store_n(&g->state, s, __ATOMIC_RELEASE);
		unref(g);
		wake(d->efd);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

struct digests *digests_open(unsigned int cache_max)
{
	sigset_t all, old;
	struct digests *d;
	unsigned int n = 1;
	int err;

	if (!cache_max || cache_max > CACHE_MAX) {
		errno = EINVAL;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	while (n < cache_max)
		n <<= 1;
	d->mask = n - 1;
	d->max = cache_max;
	d->efd = -1;
	d->buckets = calloc(n, sizeof(*d->buckets));
	d->buf = malloc(CHUNK);
	if (!d->buckets || !d->buf)
		goto fail;
	d->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->efd < 0)
		goto fail;
	err = pthread_mutex_init(&d->lock, NULL);
	if (err)
		goto fail_errno;
	err = pthread_cond_init(&d->work, NULL);
	if (err) {
		pthread_mutex_destroy(&d->lock);
		goto fail_errno;
	}
	/* signals stay with the main thread, whose polling they interrupt */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&d->worker, NULL, work, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!err)
		return d;
	pthread_cond_destroy(&d->work);
	pthread_mutex_destroy(&d->lock);
fail_errno:
	errno = err;
fail:
	err = errno;
	if (d->efd >= 0)
		close(d->efd);
	free(d->buf);
	free(d->buckets);
	free(d);
	errno = err;
	return NULL;
}

void digests_close(struct digests *d)
{
	struct digest *g;

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	__atomic_store_n(&d->stop, true, __ATOMIC_RELAXED);
	pthread_cond_signal(&d->work);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->worker, NULL);

	/* answers never hashed: the queue's references, then the cache's */
	while ((g = d->qhead)) {
		d->qhead = g->qnext;
		unref(g);
	}
	while (d->head)
		cache_remove(d, d->head);
	pthread_cond_destroy(&d->work);
	pthread_mutex_destroy(&d->lock);
	close(d->efd);
	free(d->buf);
	free(d->buckets);
	free(d);
}
