/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What the BPF programs and the user-space tool share. */
#ifndef EXECSNOOP_H
#define EXECSNOOP_H

#define TASK_COMM_LEN 16
#define FNAME_MAX     4096	  /* PATH_MAX: the longest path exec accepts */
#define ARGS_MAX      32768	  /* argument bytes captured per exec */
#define STR_CHUNK     4096	  /* one read of a failed exec's argument */
#define NO_UID	      0xffffffffU /* no uid filter */
#define NO_PPID	      0		  /* no parent filter */

/* event.flags */
#define EV_TRUNCATED   (1U << 0) /* arguments were cut at ARGS_MAX */
#define EV_FAULT       (1U << 1) /* an argument could not be read */
#define EV_FNAME_USER  (1U << 2) /* path as passed by the caller, not resolved */
#define EV_FNAME_FAULT (1U << 3) /* the path could not be read */
#define EV_HAS_ARGV0   (1U << 4) /* data holds the new image's whole argv */
#define EV_INTERP      (1U << 5) /* an interpreter put its words in front of it */

/*
 * One exec. data holds the path (fname_len bytes including its NUL), then
 * args_len bytes of NUL-separated arguments: argv[1..] of what the caller
 * passed, unless EV_HAS_ARGV0 says the new image's full argv was sent.
 */
struct event {
	__u64 ts; /* CLOCK_MONOTONIC ns at syscall entry */
	__u32 pid;
	__u32 ppid;
	__u32 uid;
	__s32 ret;
	__s32 fd; /* execveat dirfd, or AT_FDCWD */
	__u32 flags;
	__u32 fname_len;
	__u32 args_len;
	char comm[TASK_COMM_LEN];
	char data[FNAME_MAX + ARGS_MAX + STR_CHUNK];
};

#define EVENT_HDR_LEN ((unsigned long)&((struct event *)0)->data)

#endif /* EXECSNOOP_H */
