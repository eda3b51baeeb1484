/* The records exchanged between kpicalc and its worker processes over
 * pipes: one record per line, fields separated by TAB; inside a field a
 * backslash, TAB, LF and CR are written \\, \t, \n and \r; an empty
 * first field is written \e (which stands for nothing), so that it keeps
 * its place before the next field's TAB. */
#ifndef KPICALC_PROTO_H
#define KPICALC_PROTO_H

#include "buf.h"

#include <stddef.h>

/* Appends one field to the record being built in B (a TAB first unless B
 * is empty). 0 or -1 (out of memory). */
int kc_rec_field(struct kc_buf *b, const char *field);
int kc_rec_fieldf(struct kc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Ends the record with LF. 0 or -1. */
int kc_rec_end(struct kc_buf *b);

/* Splits LINE (without its LF) in place into at most MAX fields,
 * unescaping them; returns the number of fields, or -1 when LINE has more
 * than MAX fields or a bad escape. */
int kc_rec_split(char *line, char **fields, int max);

/* One rectangle of a job's list of cells to freeze (pool.h, kc_job.freeze:
 * "SHEET:COL0:ROW0:COL1:ROW1;...", 0-based decimal numbers): parses the one
 * at *P into R[0..4], moving *P past it and its ';'. 1 for a rectangle, 0
 * at the end of the list, -1 when it is malformed (not five numbers, a
 * sign, a number beyond int, COL1 < COL0 or ROW1 < ROW0). */
int kc_rect_next(const char **p, int r[5]);

/* Writes all of DATA to FD (retrying on EINTR). 0 or -1. */
int kc_write_all(int fd, const char *data, size_t len);

#endif
