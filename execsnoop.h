/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What the BPF programs and the user-space tool share. */
#ifndef EXECSNOOP_H
#define EXECSNOOP_H

#define TASK_COMM_LEN	  16
#define FNAME_MAX	  (4096 + 32) /* PATH_MAX, and the "/dev/fd/N/" exec can put in front */
#define ARGS_MAX	  32768	      /* argument bytes captured per exec */
#define STR_CHUNK	  4096	      /* one read of a failed exec's argument */
#define NO_UID		  0xffffffffU /* no uid filter */
#define NO_PPID		  0	      /* no parent filter */
#define SCRATCH_SLOTS_MAX 64	      /* record buffers, shared out over the CPUs */
#define CWD_MAX		  3584	      /* bytes of the working directory captured */
#define CWD_DEPTH_MAX	  256	      /* its components and mount points walked */
#define NAME_MAX_	  255	      /* one component */
#define ANCESTORS_MAX	  8	      /* ancestors looked at for the nearest one seen exec'ing */
#define ENV_MAX		  16384	      /* bytes of the new image's environment captured (--env) */
#define INTERP_MAX	  256	      /* an interpreter's path (#! and binfmt_misc take less) */

/* event.flags */
#define EV_TRUNCATED   (1U << 0) /* arguments were cut at ARGS_MAX */
#define EV_FAULT       (1U << 1) /* an argument could not be read */
#define EV_FNAME_USER  (1U << 2) /* path as passed by the caller, not resolved */
#define EV_FNAME_FAULT (1U << 3) /* the path could not be read */
#define EV_HAS_ARGV0   (1U << 4) /* data holds the new image's whole argv */
#define EV_INTERP      (1U << 5) /* an interpreter put its words in front of it */
#define EV_ARGS_LOST   (1U << 6) /* the ring had no room for the arguments: only the path was sent */
#define EV_NO_STASH    (1U << 7) /* a failed exec whose entry was not stashed: no path, no arguments */
#define EV_FNAME_CUT   (1U << 8)  /* the path was longer than FNAME_MAX - 1 bytes: cut */
#define EV_KILLED      (1U << 9)  /* the process was being killed when the exec returned */
#define EV_CWD	       (1U << 11) /* data holds the working directory after the arguments */
#define EV_CWD_CUT     (1U << 12) /* it was deeper or longer than what is captured */
#define EV_EXE	       (1U << 13) /* data holds the executable's resolved path after the cwd */
#define EV_EXE_CUT     (1U << 14) /* it was deeper or longer than what is captured */
#define EV_WHO	       (1U << 15) /* data holds a struct who after the exe */
#define EV_ANCESTORS   (1U << 16) /* data holds a struct ancestry after that */
#define EV_FILE	       (1U << 17) /* data holds a struct file_id after that */
#define EV_INTERP_PATH (1U << 18) /* data holds the interpreter's path after that (EV_INTERP) */
#define EV_ENV	       (1U << 19) /* data holds the new image's environment area after that */
#define EV_ENV_CUT     (1U << 20) /* it was longer than ENV_MAX: cut */
#define EV_EXIT                                                                                    \
	(1U << 10) /* not an exec: the end of a process seen exec'ing (ret: its wait status) */

/* Fixed part of a record, largest fields first. */
struct event_hdr {
	__u64 ts;	       /* CLOCK_BOOTTIME ns when the exec completed */
	__u64 start_ns;	       /* the process's start, CLOCK_BOOTTIME: with pid, its identity */
	__u64 parent_start_ns; /* the parent's */
	__u64 cgroup_id;       /* cgroup v2 */
	union {
		__u64 exec_ts;	    /* EV_EXIT: the time of its last exec seen */
		__u64 anc_start_ns; /* an exec, with want_ancestor: the start of anc_pid */
	};
	union {
		__u64 cpu_ns; /* EV_EXIT: CPU time of all its threads */
		/*
		 * An exec, with want_ancestor: the nearest ancestor whose exec was
		 * reported, skipping those that only forked; 0: none is known.
		 */
		__u64 anc_pid;
	};
	__u32 tid;    /* the thread that called exec */
	__u32 ns_pid; /* pid in its own pid namespace */
	__u32 pidns;  /* pid namespace inode */
	__u32 mntns;  /* mount namespace inode */
	__u32 pid;
	__u32 ppid;
	__u32 uid;
	__s32 ret;
	__s32 fd; /* execveat dirfd, or AT_FDCWD */
	__u32 flags;
	__u32 fname_len;
	__u32 args_len;
	__u32 cwd_len; /* EV_CWD: its components from the last to the first, each NUL-terminated */
	__u32 exe_len; /* EV_EXE: the same for the file executed, resolved */
	char comm[TASK_COMM_LEN];
	char comm_before[TASK_COMM_LEN]; /* with want_detail; else empty */
	__u32 who_len;			 /* EV_WHO: sizeof(struct who), after the exe */
	__u32 anc_len;			 /* EV_ANCESTORS: ANCESTRY_LEN(n), after that */
	__u32 file_len;			 /* EV_FILE: sizeof(struct file_id), after that */
	__u32 interp_len;		 /* EV_INTERP_PATH: the path, with its NUL, after that */
	__u32 env_len;			 /* EV_ENV: NUL-separated "NAME=value" strings, last */
	__u32 pad;
};

#define TTY_NAME_MAX 32 /* bytes of a tty's name kept */
#define ANCESTRY_MAX 8	/* ancestors sent with EV_ANCESTORS */

/* who.flags */
#define WHO_SETUID  (1U << 0) /* the exec changed the effective uid (the file's setuid bit) */
#define WHO_SETGID  (1U << 1) /* the exec changed the effective gid (the file's setgid bit) */
#define WHO_PTS	    (1U << 3) /* the tty is a pseudo-terminal's slave: /dev/pts/<index> */
#define WHO_GUESSED (1U << 4) /* the creds before the exec were not seen: real ids stand in */
#define WHO_PRIV    (1U << 5) /* euid, egid and the privilege fields were read */
#define WHO_LOGIN   (1U << 6) /* loginuid, sessionid and the tty were read */

/*
 * EV_WHO: who ran the exec, fixed size, unaligned in data (copy it out).
 * loginuid and sessionid are (u32)-1 when unset, as the audit subsystem has them.
 */
struct who {
	__u64 caps; /* capabilities the file granted (permitted), without uid 0 */
	__u32 loginuid;
	__u32 sessionid;
	__u32 euid; /* after the exec */
	__u32 egid;
	__u32 tty_index;
	__u32 flags;		/* WHO_* */
	char tty[TTY_NAME_MAX]; /* the controlling tty's kernel name; empty: none */
};

/* One ancestor: its process, as an identity (pid, start) and comm. */
struct ancestor {
	__u64 start_ns;
	__u32 pid;
	__u32 pad;
	char comm[TASK_COMM_LEN];
};

/*
 * EV_ANCESTORS: the nearest ancestors from the task tree at the exec, the
 * parent first: n entries follow the 8 bytes of n and cut (unaligned in data).
 */
struct ancestry {
	__u32 n;
	__u32 cut; /* 1: more ancestors lie beyond the last one */
	struct ancestor a[ANCESTRY_MAX];
};

#define ANCESTRY_LEN(n) (8 + (n) * sizeof(struct ancestor))

/* file_id.flags */
#define FILE_MEMFD (1U << 0) /* a memfd: no path names it, its contents can change */
#define FILE_READ  (1U << 1) /* the fields were read */

/*
 * EV_FILE (--hash): the file executed as the kernel had it, so that user
 * space reads its contents only while it is still that file.
 */
struct file_id {
	__u64 ino;
	__u64 size;
	__s64 ctime_sec; /* its last change of contents or inode */
	__u32 ctime_nsec;
	__u32 dev;   /* the kernel's dev_t: major << 20 | minor */
	__u32 nlink; /* links at the exec: 0 when no name was left */
	__u32 flags; /* FILE_* */
};

/* The sections after the exe, at their largest: the environment comes last. */
#define SECTIONS_MAX                                                                               \
	(sizeof(struct who) + sizeof(struct ancestry) + sizeof(struct file_id) + INTERP_MAX +      \
	 ENV_MAX)

/*
 * One exec. data holds the path (fname_len bytes including its NUL), then
 * args_len bytes of NUL-separated arguments: argv[1..] of what the caller
 * passed, unless EV_HAS_ARGV0 says the new image's full argv was sent.
 */
struct event {
	struct event_hdr h;
	char data[FNAME_MAX + ARGS_MAX + STR_CHUNK + CWD_MAX + SECTIONS_MAX];
};

#define EVENT_HDR_LEN sizeof(struct event_hdr)

/* A record buffer; busy while a program builds a record in it. */
struct scratch_slot {
	__u64 busy;
	struct event e;
};

/*
 * How full each CPU's ring is: the programs add what they wrote, the reader
 * publishes what it consumed (its data_tail), and arms the doorbell before
 * it sleeps. One cache line each side.
 */
struct ring_use {
	__u64 written;
	__u64 size; /* data bytes of the ring the programs write to; set by the reader */
	__u64 pad1[6];
	__u64 consumed;
	__u64 armed; /* the reader sleeps: the next record rings the doorbell, and clears it */
	__u64 pad2[6];
};

/* Execs that lost something on the way, by cause; kept by the programs. */
struct counters {
	__u64 lost_ring;       /* not even the path fitted in the ring */
	__u64 lost_busy;       /* every record buffer was in use */
	__u64 args_lost_ring;  /* sent with the path only: the ring was nearly full */
	__u64 args_lost_stash; /* failed, and not stashed at entry: the stash was full */
};

/* Bytes a raw sample of n bytes takes in a perf ring: header, size word, padding. */
#define PERF_SAMPLE_BYTES(n) (8 + (((n) + 4 + 7) & ~7ULL))
_Static_assert(PERF_SAMPLE_BYTES(sizeof(struct event)) <= 65535,
	       "the largest record fits in one perf sample, whose size is 16 bits");

#endif /* EXECSNOOP_H */
