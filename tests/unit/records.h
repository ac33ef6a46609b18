/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The unit tests' records: an event from a header, a path and arguments, decoded as read. */
#ifndef TESTS_UNIT_RECORDS_H
#define TESTS_UNIT_RECORDS_H

#include <string.h>
#include "record.h"

/*
 * Fills e with the header h, then the path and alen bytes of NUL-separated
 * arguments (the rest zeroed), and decodes it into r as the reader would:
 * r, or NULL when record_decode refuses it.
 */
static inline const struct record *build_record(struct record *r, struct event *e,
						const struct event_hdr *h, const char *path,
						const char *args, size_t alen)
{
	size_t plen = strlen(path) + 1;

	memset(e, 0, sizeof(*e));
	e->h = *h;
	memcpy(e->data, path, plen);
	memcpy(e->data + plen, args, alen);
	e->h.fname_len = plen;
	e->h.args_len = alen;
	if (record_decode(r, e, EVENT_HDR_LEN + plen + alen))
		return NULL;
	return r;
}

#endif /* TESTS_UNIT_RECORDS_H */
