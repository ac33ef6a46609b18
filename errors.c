// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdarg.h>
#include <string.h>
#include "errors.h"

#define MESSAGE_MAX 4096

/* One write: a message is never split by another one on the same stream. */
static void say(FILE *f, const char *fmt, va_list ap)
{
	char msg[MESSAGE_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(f, "execsnoop: %s\n", msg);
}

int errmsg_to(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(f, fmt, ap);
	va_end(ap);
	return -1;
}

int errmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(stderr, fmt, ap);
	va_end(ap);
	return -1;
}

int errmsg_errno(const char *what, int err)
{
	return errmsg("%s: %s", what, strerror(err < 0 ? -err : err));
}
