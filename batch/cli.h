/* cli.h - the command-line conventions shared by kpicalc's commands
 * (recalc, new-year): one exit status for bad usage, one way to report
 * it, one --timeout type, one lookup of the add-in extension, one signal
 * policy (a run stopped by SIGINT, SIGTERM or SIGHUP ends its children,
 * cleans up, then dies of that signal, as a shell expects). Options follow
 * getopt_long in both: -o/--output, -h/--help, -V/--version,
 * -v/--verbose, -q/--quiet. */
#ifndef KC_CLI_H
#define KC_CLI_H

#include "err.h"

#include <stdio.h>

/* Exit statuses of every command. */
#define KC_EXIT_OK 0
#define KC_EXIT_FAILED 1
#define KC_EXIT_USAGE 2

/* The longest --timeout, in seconds (a week). */
#define KC_MAX_TIMEOUT (86400.0 * 7)

/* Parses a whole decimal number in [lo, hi] into *out; -1 when s is not
 * one. */
int kc_parse_long(const char *s, long lo, long hi, long *out);

/* Parses a --timeout value: a positive number of seconds (fractions
 * allowed) up to KC_MAX_TIMEOUT. 0, or -1 when S is not one. */
int kc_parse_timeout(const char *s, double *out);

/* Reports bad usage of COMMAND ("recalc", "new-year"): "kpicalc: " and
 * FMT (a printf format, translated by the caller) with its arguments, then
 * a line pointing to COMMAND's --help, on stderr. Returns KC_EXIT_USAGE. */
int kc_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "kpicalc VERSION" on stdout. */
void kc_print_version(void);

/* LibreOffice's program folder: $KPICALC_LO_PROGRAM, else Debian's
 * /usr/lib/libreoffice/program. */
const char *kc_lo_program(void);

/* The path of kpicalc.oxt beside the running program (malloc'd; it may not
 * exist), or NULL. */
char *kc_oxt_beside_program(void);

/* The add-in extension to install: GIVEN (--extension), else
 * $KPICALC_OXT, else kpicalc.oxt beside the program. Returns 0 with the
 * absolute path in *OXT (malloc'd); 1 when nothing was given and there is
 * no readable kpicalc.oxt beside the program (*OXT NULL: the command
 * decides whether it can go without); -1 when the extension given (by
 * option or variable) is not a readable file, with the reason (translated)
 * in ERR. */
int kc_find_extension(const char *given, char **oxt, struct kc_err *err);

/* Dies of signal SIG (a stop requested by SIGINT, SIGTERM or SIGHUP) once
 * a command has cleaned up: the default action restored, the signal raised.
 * Returns only when SIG is 0. */
void kc_die_of_signal(int sig);

#endif
