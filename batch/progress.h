/* Progress on stderr: on a terminal, one bar redrawn in place (done/total,
 * rate, ETA, failures) with failures printed above it; otherwise one plain
 * line per workbook. --quiet keeps only the failures. */
#ifndef KPICALC_PROGRESS_H
#define KPICALC_PROGRESS_H

#include <stddef.h>

struct kc_progress {
    int tty, quiet;
    size_t total, done, failed;
    double start, last_draw;
    int drawn; /* a bar is on the screen */
    int width; /* of the terminal */
};

void kc_progress_init(struct kc_progress *p, size_t total, int quiet);

/* One workbook is done: OK, its NAME, the reason when it failed (or the
 * notes when it did not), and the seconds it took. */
void kc_progress_item(struct kc_progress *p, const char *name, int ok,
                      const char *message, double seconds);

/* Redraws the bar if it is due (at most 10 times a second). */
void kc_progress_tick(struct kc_progress *p);

/* Prints a line above the bar (or plainly). */
void kc_progress_say(struct kc_progress *p, const char *line);

/* Removes the bar. */
void kc_progress_end(struct kc_progress *p);

#endif
