/* cli.c - the command-line conventions shared by kpicalc's commands; see
 * cli.h. */
#include "cli.h"

#include "fsutil.h"
#include "msg.h"
#include "version.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
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

int kc_parse_timeout(const char *s, double *out)
{
    char *end;
    errno = 0;
    double t = strtod(s, &end);
    if (errno || end == s || *end || !(t > 0) || t > KC_MAX_TIMEOUT)
        return -1;
    *out = t;
    return 0;
}

int kc_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kpicalc: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fprintf(stderr, kc_tr("Try 'kpicalc %s --help'.\n"), command);
    return KC_EXIT_USAGE;
}

void kc_print_version(void)
{
    printf("kpicalc %s\n", KPICALC_VERSION);
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

static int readable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           access(path, R_OK) == 0;
}

int kc_find_extension(const char *given, char **oxt, struct kc_err *err)
{
    *oxt = NULL;
    const char *env = getenv("KPICALC_OXT");
    const char *what = given && *given ? "--extension" : "KPICALC_OXT";
    if (!(given && *given))
        given = env;
    if (given && *given) {
        if (!readable_file(given)) {
            kc_err_set(err, kc_tr("%s: cannot read the extension file %s"),
                       what, given);
            return -1;
        }
        *oxt = kc_abspath(given);
        if (!*oxt) {
            kc_err_set(err, "%s", kc_tr("out of memory"));
            return -1;
        }
        return 0;
    }
    char *path = kc_oxt_beside_program();
    if (path && readable_file(path)) {
        *oxt = path;
        return 0;
    }
    free(path);
    return 1;
}

void kc_die_of_signal(int sig)
{
    if (sig == 0)
        return;
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(128 + sig); /* not reached */
}
