/* cli.c - small pieces shared by kpicalc's commands; see cli.h. */
#include "cli.h"

#include "fsutil.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

int kc_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

char *kc_oxt_beside_program(void)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return NULL;
    self[n] = '\0';
    char *dir = kc_dirname(self);
    char *oxt = dir ? kc_path_join(dir, "kpicalc.oxt") : NULL;
    free(dir);
    return oxt;
}

const char *kc_lo_program(void)
{
    const char *p = getenv("KPICALC_LO_PROGRAM");
    return p && *p ? p : "/usr/lib/libreoffice/program";
}
