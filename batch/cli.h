/* cli.h - small pieces shared by kpicalc's commands (recalc, new-year). */
#ifndef KC_CLI_H
#define KC_CLI_H

/* Parses a whole decimal number in [lo, hi] into *out; -1 when s is not
 * one. */
int kc_parse_long(const char *s, long lo, long hi, long *out);

/* LibreOffice's program folder: $KPICALC_LO_PROGRAM, else Debian's
 * /usr/lib/libreoffice/program. */
const char *kc_lo_program(void);

/* The path of kpicalc.oxt beside the running program (malloc'd; it may not
 * exist), or NULL. */
char *kc_oxt_beside_program(void);

#endif
