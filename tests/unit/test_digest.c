// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* SHA-256 of executed files, from real files under a temporary directory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>
#include <nettle/sha2.h>
#include "digest.h"

#define NO_PID	   0x7fffffffU /* above any pid_max: no such process */
#define WAIT_MS	   10000
#define ABC_SHA256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static char dir[] = "/tmp/test_digest.XXXXXX";

static int make_dir(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	struct dirent *e;
	char path[512];
	DIR *dp = opendir(dir);

	(void)state;
	while (dp && (e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path))
			rmdir(path);
	}
	if (dp)
		closedir(dp);
	return rmdir(dir);
}

static const char *at(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void put_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), len);
	assert_int_equal(close(fd), 0);
}

/* The identity as the kernel records it at the exec: its own device number encoding. */
static void file_id_of(const char *path, struct file_id *id)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	memset(id, 0, sizeof(*id));
	id->ino = st.st_ino;
	id->size = st.st_size;
	id->ctime_sec = st.st_ctim.tv_sec;
	id->ctime_nsec = st.st_ctim.tv_nsec;
	id->dev = major(st.st_dev) << 20 | minor(st.st_dev);
	id->nlink = st.st_nlink;
	id->flags = FILE_READ;
}

static void hex(const unsigned char *sha, char out[2 * DIGEST_SIZE + 1])
{
	for (int i = 0; i < DIGEST_SIZE; i++)
		sprintf(out + 2 * i, "%02x", sha[i]);
}

/* The final state of g, waiting on the eventfd as the main loop does. */
static enum digest_state wait_for(struct digests *d, struct digest *g)
{
	struct pollfd p = { .fd = digests_fd(d), .events = POLLIN };
	__u64 n;

	for (int waited = 0; digest_state(g) == DIGEST_PENDING; waited += 100) {
		if (waited >= WAIT_MS)
			fail_msg("still pending after %d ms", WAIT_MS);
		if (poll(&p, 1, 100) > 0)
			assert_int_equal(read(p.fd, &n, sizeof(n)), sizeof(n));
	}
	return digest_state(g);
}

static void assert_sha(const struct digest *g, const char *want)
{
	char got[2 * DIGEST_SIZE + 1];

	hex(digest_sha256(g), got);
	assert_string_equal(got, want);
}

static void test_abc(void **state)
{
	struct digests *d = digests_open(16);
	struct file_id id;
	struct digest *g;

	(void)state;
	assert_non_null(d);
	put_file(at("abc"), "abc", 3);
	file_id_of(at("abc"), &id);
	g = digest_get(d, 0, &id, at("abc"));
	assert_non_null(g);
	assert_int_equal(wait_for(d, g), DIGEST_OK);
	assert_null(digest_reason(DIGEST_OK));
	assert_sha(g, ABC_SHA256);
	digest_put(d, g);
	digests_close(d);
}

static void test_shared(void **state)
{
	struct digests *d = digests_open(16);
	struct digest *g1, *g2, *g3;
	struct file_id id;

	(void)state;
	assert_non_null(d);
	put_file(at("shared"), "abc", 3);
	file_id_of(at("shared"), &id);
	/* while pending, and once hashed: one answer */
	g1 = digest_get(d, 0, &id, at("shared"));
	g2 = digest_get(d, 0, &id, at("shared"));
	assert_ptr_equal(g1, g2);
	assert_int_equal(wait_for(d, g1), DIGEST_OK);
	/* from the cache, without the file: not read again */
	assert_int_equal(unlink(at("shared")), 0);
	g3 = digest_get(d, NO_PID, &id, at("shared"));
	assert_ptr_equal(g3, g1);
	assert_int_equal(digest_state(g3), DIGEST_OK);
	assert_sha(g3, ABC_SHA256);
	digest_put(d, g1);
	digest_put(d, g2);
	digest_put(d, g3);
	digests_close(d);
}

static void test_changed(void **state)
{
	struct digests *d = digests_open(16);
	struct file_id id, later;
	struct digest *g;

	(void)state;
	assert_non_null(d);
	put_file(at("changed"), "abc", 3);
	file_id_of(at("changed"), &id);
	/* rewritten after the exec: another size */
	put_file(at("changed"), "abcd", 4);
	g = digest_get(d, 0, &id, at("changed"));
	assert_int_equal(digest_state(g), DIGEST_CHANGED);
	assert_string_equal(digest_reason(digest_state(g)), "changed");
	digest_put(d, g);
	/* the same size, another change time */
	file_id_of(at("changed"), &later);
	later.ctime_nsec ^= 1;
	g = digest_get(d, 0, &later, at("changed"));
	assert_int_equal(digest_state(g), DIGEST_CHANGED);
	digest_put(d, g);
	/* another file at the path given */
	file_id_of(at("changed"), &id);
	put_file(at("other"), "abc", 3);
	g = digest_get(d, 0, &id, at("other"));
	assert_int_equal(digest_state(g), DIGEST_CHANGED);
	digest_put(d, g);
	/* not kept: reached at last, it is hashed */
	g = digest_get(d, 0, &id, at("changed"));
	assert_int_equal(wait_for(d, g), DIGEST_OK);
	assert_sha(g, "88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589");
	digest_put(d, g);
	digests_close(d);
}

static void test_deleted(void **state)
{
	struct digests *d = digests_open(16);
	struct file_id id;
	struct digest *g;

	(void)state;
	assert_non_null(d);
	put_file(at("deleted"), "abc", 3);
	file_id_of(at("deleted"), &id);
	assert_int_equal(unlink(at("deleted")), 0);
	g = digest_get(d, NO_PID, &id, at("deleted"));
	assert_int_equal(digest_state(g), DIGEST_DELETED);
	assert_string_equal(digest_reason(digest_state(g)), "deleted");
	digest_put(d, g);
	/* deleted before it ran: a file at its path is not it */
	put_file(at("deleted"), "abc", 3);
	file_id_of(at("deleted"), &id);
	id.nlink = 0;
	g = digest_get(d, NO_PID, &id, at("deleted"));
	assert_int_equal(digest_state(g), DIGEST_DELETED);
	digest_put(d, g);
	digests_close(d);
}

static void test_memfd_and_unread(void **state)
{
	struct digests *d = digests_open(16);
	struct file_id id;
	struct digest *g;

	(void)state;
	assert_non_null(d);
	put_file(at("memfd"), "abc", 3);
	file_id_of(at("memfd"), &id);
	id.flags |= FILE_MEMFD;
	g = digest_get(d, 0, &id, at("memfd"));
	assert_int_equal(digest_state(g), DIGEST_MEMFD);
	assert_string_equal(digest_reason(digest_state(g)), "memfd");
	digest_put(d, g);
	/* the kernel could not read the identity */
	id.flags = 0;
	g = digest_get(d, 0, &id, at("memfd"));
	assert_int_equal(digest_state(g), DIGEST_UNREADABLE);
	digest_put(d, g);
	digests_close(d);
}

static void test_directory(void **state)
{
	struct digests *d = digests_open(16);
	struct file_id id;
	struct digest *g;

	(void)state;
	assert_non_null(d);
	assert_int_equal(mkdir(at("dir"), 0755), 0);
	file_id_of(at("dir"), &id);
	g = digest_get(d, 0, &id, at("dir"));
	assert_int_equal(digest_state(g), DIGEST_UNREADABLE);
	assert_string_equal(digest_reason(digest_state(g)), "unreadable");
	digest_put(d, g);
	/* no process and no path: nothing to read */
	g = digest_get(d, NO_PID, &id, NULL);
	assert_int_equal(digest_state(g), DIGEST_UNREADABLE);
	digest_put(d, g);
	digests_close(d);
}

/* A process that has gone, or runs another file: its path is read. */
static void test_path_fallback(void **state)
{
	struct digests *d = digests_open(16);
	struct file_id id;
	struct digest *g;

	(void)state;
	assert_non_null(d);
	put_file(at("fallback"), "abc", 3);
	file_id_of(at("fallback"), &id);
	g = digest_get(d, NO_PID, &id, at("fallback"));
	assert_int_equal(wait_for(d, g), DIGEST_OK);
	assert_sha(g, ABC_SHA256);
	digest_put(d, g);
	digests_close(d);

	d = digests_open(16);
	assert_non_null(d);
	g = digest_get(d, getpid(), &id, at("fallback"));
	assert_int_equal(wait_for(d, g), DIGEST_OK);
	assert_sha(g, ABC_SHA256);
	digest_put(d, g);
	digests_close(d);
}

static void sha256_of(const void *buf, size_t len, char out[2 * DIGEST_SIZE + 1])
{
	unsigned char sha[DIGEST_SIZE];
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, buf);
	sha256_digest(&ctx, DIGEST_SIZE, sha);
	hex(sha, out);
}

/* This test's own binary, through /proc/<pid>/exe, with no path. */
static void test_self(void **state)
{
	char want[2 * DIGEST_SIZE + 1];
	struct digests *d = digests_open(16);
	struct file_id id;
	struct digest *g;
	struct stat st;
	char *buf;
	int fd;

	(void)state;
	assert_non_null(d);
	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc(st.st_size);
	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, st.st_size, 0), st.st_size);
	close(fd);
	sha256_of(buf, st.st_size, want);
	free(buf);

	file_id_of("/proc/self/exe", &id);
	g = digest_get(d, getpid(), &id, NULL);
	assert_int_equal(wait_for(d, g), DIGEST_OK);
	assert_sha(g, want);
	digest_put(d, g);
	digests_close(d);
}

/* Many chunks, the last a part of one. */
static void test_large(void **state)
{
	const size_t len = (3U << 20) + 12345;
	char want[2 * DIGEST_SIZE + 1];
	struct digests *d = digests_open(16);
	unsigned int x = 1;
	struct file_id id;
	struct digest *g;
	unsigned char *buf = malloc(len);

	(void)state;
	assert_non_null(d);
	assert_non_null(buf);
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245 + 12345;
		buf[i] = x >> 16;
	}
	put_file(at("large"), buf, len);
	sha256_of(buf, len, want);
	free(buf);
	file_id_of(at("large"), &id);
	g = digest_get(d, 0, &id, at("large"));
	assert_int_equal(wait_for(d, g), DIGEST_OK);
	assert_sha(g, want);
	digest_put(d, g);
	digests_close(d);
}

/* A cache of one: a second file evicts the first, which is hashed again. */
static void test_evicted(void **state)
{
	struct digests *d = digests_open(1);
	struct digest *a, *b, *again;
	struct file_id ia, ib;

	(void)state;
	assert_non_null(d);
	put_file(at("a"), "abc", 3);
	put_file(at("b"), "abcd", 4);
	file_id_of(at("a"), &ia);
	file_id_of(at("b"), &ib);
	a = digest_get(d, 0, &ia, at("a"));
	assert_int_equal(wait_for(d, a), DIGEST_OK);
	b = digest_get(d, 0, &ib, at("b"));
	assert_int_equal(wait_for(d, b), DIGEST_OK);
	again = digest_get(d, 0, &ia, at("a"));
	assert_ptr_not_equal(again, a);
	assert_int_equal(wait_for(d, again), DIGEST_OK);
	assert_sha(again, ABC_SHA256);
	digest_put(d, a);
	digest_put(d, b);
	digest_put(d, again);
	digests_close(d);
}

static int open_fds(void)
{
	DIR *dp = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(dp);
	while (readdir(dp))
		n++;
	closedir(dp);
	return n;
}

/*
 * With a cache of one and a file being hashed, another is late. The
 * answers put before they are final, and the cache closed in the middle
 * of a file: no descriptor left open.
 */
static void test_late(void **state)
{
	const size_t len = 64U << 20;
	struct digest *big, *small;
	struct file_id ib, is;
	struct digests *d;
	char *buf = calloc(1, len);
	int fds = open_fds();

	(void)state;
	assert_non_null(buf);
	put_file(at("big"), buf, len);
	free(buf);
	put_file(at("small"), "abc", 3);
	file_id_of(at("big"), &ib);
	file_id_of(at("small"), &is);
	d = digests_open(1);
	assert_non_null(d);
	big = digest_get(d, 0, &ib, at("big"));
	small = digest_get(d, 0, &is, at("small"));
	if (digest_state(big) != DIGEST_PENDING) {
		digest_put(d, big);
		digest_put(d, small);
		digests_close(d);
		skip();
	}
	assert_int_equal(digest_state(small), DIGEST_LATE);
	assert_string_equal(digest_reason(DIGEST_LATE), "late");
	digest_put(d, small);
	digest_put(d, big);
	digests_close(d);
	assert_int_equal(open_fds(), fds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_abc),
		cmocka_unit_test(test_shared),
		cmocka_unit_test(test_changed),
		cmocka_unit_test(test_deleted),
		cmocka_unit_test(test_memfd_and_unread),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_path_fallback),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_evicted),
		cmocka_unit_test(test_late),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
