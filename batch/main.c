/* kpicalc: the command line. "kpicalc recalc" recalculates, exports and
 * summarises workbooks with LibreOffice (through LibreOfficeKit). */
#include "buf.h"
#include "child.h"
#include "cli.h"
#include "formats.h"
#include "fsutil.h"
#include "msg.h"
#include "newyear.h"
#include "paths.h"
#include "pool.h"
#include "profile.h"
#include "progress.h"
#include "county.h"
#include "summary.h"
#include "version.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_USAGE KC_EXIT_USAGE
#define MAX_JOBS 256

struct options {
    const char *outdir;
    const char *to[KC_MAX_OUTPUTS];
    int nto;
    int in_place;
    const char *summary;
    const char *targets; /* --targets: the county summary's targets */
    int jobs;
    unsigned shard_k, shard_n; /* 1-based K of N; N = 0: no sharding */
    double timeout;
    int max_docs;
    long max_mem_mb;
    long mem_limit_mb;    /* --memory-limit: while it works (0: none) */
    long long max_out_mb; /* --max-output-size (0: none) */
    int follow_links;     /* --follow-symlinks */
    int retries;
    const char *extension;
    const char *profile_dir;
    int quiet;
    int verbose;
    int csv_bom;
    int csv_raw;
    int portable;
    char **paths;
    int npaths;
};

static void usage_main(FILE *f)
{
    fputs(
        kc_tr("Usage: kpicalc recalc [options] PATH...\n"
              "       kpicalc new-year [options] WORKBOOK -o OUT\n"
              "       kpicalc --help | --version\n"
              "\n"
              "Commands:\n"
              "  recalc    recalculate every formula of workbooks, export "
              "them and\n"
              "            summarise their indicators (kpicalc recalc --help)\n"
              "  new-year  roll a yearly workbook to the next year: this "
              "year's\n"
              "            inputs become last year's, the history gains a "
              "row\n"
              "            (kpicalc new-year --help)\n"),
        f);
}

static void usage_recalc(FILE *f)
{
    fputs(
        kc_tr(
            "Usage: kpicalc recalc [options] PATH...\n"
            "\n"
            "Recalculates every formula of every workbook (whatever results "
            "were\n"
            "cached in it) with LibreOffice and the kpicalc add-in, without "
            "running\n"
            "macros or fetching external links. PATH is a workbook, or a "
            "folder\n"
            "searched for .ods, .fods, .xlsx and .xls files.\n"
            "\n"
            "Options:\n"
            "  -o, --output DIR        write the results below DIR, mirroring "
            "the paths\n"
            "                          below each input folder (in/a/b.ods -> "
            "DIR/a/b.ods)\n"
            "      --to LIST           output formats, comma-separated: "
            "ods,fods,xlsx,\n"
            "                          xls,pdf,csv (default ods; csv writes "
            "one file\n"
            "                          per sheet, NAME-SHEET.csv)\n"
            "      --in-place          replace each workbook atomically in "
            "its own\n"
            "                          format, keeping the original as "
            "FILE.bak\n"
            "      --summary FILE      write one row per workbook (status, "
            "error cells,\n"
            "                          indicators of its KPI sheet) to "
            "FILE.csv or\n"
            "                          FILE.json; FILE.ods or FILE.xlsx: "
            "the county\n"
            "                          summary workbook (ranks, targets, "
            "funnel plots)\n"
            "      --targets FILE      the county summary's targets, "
            "KEY>=VALUE or\n"
            "                          KEY<=VALUE a line (default: the "
            "template's)\n"
            "      --portable          write each cell that calls a kpicalc "
            "function as\n"
            "                          its value (native formulas stay): "
            "for people\n"
            "                          who open the files in Excel, WPS or "
            "a LibreOffice\n"
            "                          without kpicalc\n"
            "      --csv-bom           start the per-sheet CSV files with a "
            "UTF-8\n"
            "                          byte-order mark, which Excel needs "
            "to show\n"
            "                          Chinese text (a CSV summary always "
            "has one)\n"
            "      --csv-raw           write CSV text that starts with = + - "
            "@ as it\n"
            "                          is (by default it gets a leading ', "
            "so that a\n"
            "                          spreadsheet does not run it as a "
            "formula)\n"
            "  -j, --jobs N            worker processes (default: the number "
            "of cores)\n"
            "      --shard K/N         process only the K-th (1..N) of N "
            "stable parts\n"
            "                          of the inputs, for a job runner over "
            "machines\n"
            "      --timeout SECONDS   give up on a workbook after this long "
            "(default 120)\n"
            "      --max-docs-per-worker N\n"
            "                          restart a worker after N workbooks "
            "(default 200)\n"
            "      --max-worker-memory MB\n"
            "                          restart a worker that grew beyond MB "
            "(default\n"
            "                          2048; 0: no limit)\n"
            "      --memory-limit MB   stop a worker that passes MB while it "
            "works on a\n"
            "                          workbook, which fails (default 4096; "
            "0: none)\n"
            "      --max-output-size MB\n"
            "                          fail a workbook whose output (or "
            "scratch\n"
            "                          export) reaches MB (default 1024; 0: "
            "none)\n"
            "      --follow-symlinks   follow symbolic links that lead "
            "outside the\n"
            "                          input folders (default: reported, not "
            "followed)\n"
            "      --retries N         attempts after a worker crash (default "
            "1)\n"
            "      --extension FILE    the add-in to install (default: "
            "kpicalc.oxt beside\n"
            "                          the kpicalc program, or $KPICALC_OXT)\n"
            "      --profile-dir DIR   keep the private LibreOffice profiles "
            "in DIR\n"
            "                          (default "
            "$XDG_CACHE_HOME/kpicalc/VERSION-HASH)\n"
            "  -v, --verbose           show LibreOffice's own messages and "
            "the profile\n"
            "                          steps (as KPICALC_DEBUG=1)\n"
            "  -q, --quiet             no progress; failures are still "
            "reported\n"
            "  -h, --help              show this help\n"
            "  -V, --version           show the version\n"
            "\n"
            "Exit status: 0 every workbook succeeded, 1 some failed (each "
            "named with\n"
            "its reason on stderr), 2 bad usage.\n"
            "\n"
            "Examples:\n"
            "  kpicalc recalc samples -o out --summary out/summary.csv\n"
            "  kpicalc recalc -j 2 --to ods,pdf --summary s.json in/\n"
            "  kpicalc recalc --shard 3/8 -o out --summary out/s-3.csv /data/"
            "province\n"),
        f);
}

/* FMT has one %s, for ARG (NULL: ""); FMT is translated here. */
static int usage_error(const char *fmt, const char *arg)
{
    return kc_usage_error("recalc", kc_tr(fmt), arg ? arg : "");
}

static int parse_formats(char *list, struct options *o)
{
    o->nto = 0;
    char *save = NULL;
    for (char *f = strtok_r(list, ",", &save); f;
         f = strtok_r(NULL, ",", &save)) {
        const struct kc_format *row = kc_format_find(f);
        const char *known = row ? row->name : NULL;
        if (!known)
            return usage_error("unknown output format '%s' (known: ods, "
                               "fods, xlsx, xls, pdf, csv)",
                               f);
        int dup = 0;
        for (int i = 0; i < o->nto; i++)
            dup |= o->to[i] == known;
        if (!dup && o->nto < KC_MAX_OUTPUTS)
            o->to[o->nto++] = known;
    }
    if (o->nto == 0)
        return usage_error("--to needs at least one format%s", NULL);
    return 0;
}

enum {
    OPT_TO = 256,
    OPT_IN_PLACE,
    OPT_SUMMARY,
    OPT_SHARD,
    OPT_TIMEOUT,
    OPT_MAX_DOCS,
    OPT_MAX_MEM,
    OPT_MEM_LIMIT,
    OPT_MAX_OUTPUT,
    OPT_FOLLOW_LINKS,
    OPT_RETRIES,
    OPT_EXTENSION,
    OPT_PROFILE_DIR,
    OPT_CSV_BOM,
    OPT_CSV_RAW,
    OPT_PORTABLE,
    OPT_TARGETS
};

/* Parses "recalc"'s options; returns -1 to go on, or an exit status. */
static int parse_recalc(int argc, char **argv, struct options *o)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"to", required_argument, NULL, OPT_TO},
        {"in-place", no_argument, NULL, OPT_IN_PLACE},
        {"summary", required_argument, NULL, OPT_SUMMARY},
        {"targets", required_argument, NULL, OPT_TARGETS},
        {"jobs", required_argument, NULL, 'j'},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"max-docs-per-worker", required_argument, NULL, OPT_MAX_DOCS},
        {"max-worker-memory", required_argument, NULL, OPT_MAX_MEM},
        {"memory-limit", required_argument, NULL, OPT_MEM_LIMIT},
        {"max-output-size", required_argument, NULL, OPT_MAX_OUTPUT},
        {"follow-symlinks", no_argument, NULL, OPT_FOLLOW_LINKS},
        {"retries", required_argument, NULL, OPT_RETRIES},
        {"extension", required_argument, NULL, OPT_EXTENSION},
        {"profile-dir", required_argument, NULL, OPT_PROFILE_DIR},
        {"csv-bom", no_argument, NULL, OPT_CSV_BOM},
        {"csv-raw", no_argument, NULL, OPT_CSV_RAW},
        {"portable", no_argument, NULL, OPT_PORTABLE},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int to_given = 0;
    opterr = 0;
    optind = 1;
    int c;
    long v;
    while ((c = getopt_long(argc, argv, ":o:j:qvhV", longs, NULL)) != -1) {
        switch (c) {
        case 'o':
            if (!*optarg)
                return usage_error("-o needs a folder%s", NULL);
            o->outdir = optarg;
            break;
        case OPT_TO: {
            int rc = parse_formats(optarg, o);
            if (rc != 0)
                return rc;
            to_given = 1;
            break;
        }
        case OPT_IN_PLACE:
            o->in_place = 1;
            break;
        case OPT_SUMMARY:
            if (!kc_summary_format(optarg) && !kc_county_format(optarg))
                return usage_error("--summary needs a .csv, .json, .ods or "
                                   ".xlsx file name, not '%s'",
                                   optarg);
            o->summary = optarg;
            break;
        case OPT_TARGETS: {
            struct kc_county_opts co;
            struct kc_err why = {""};
            kc_county_defaults(&co);
            if (kc_county_load_targets(optarg, &co, &why) != 0)
                return usage_error("--targets: %s", why.msg);
            o->targets = optarg;
            break;
        }
        case 'j':
            if (kc_parse_long(optarg, 1, MAX_JOBS, &v) != 0)
                return usage_error("-j needs a number of workers from 1 to "
                                   "256, not '%s'",
                                   optarg);
            o->jobs = (int)v;
            break;
        case OPT_SHARD: {
            unsigned k, n;
            char extra;
            if (sscanf(optarg, "%u/%u%c", &k, &n, &extra) != 2 || n < 1 ||
                n > 1000000 || k < 1 || k > n)
                return usage_error("--shard needs K/N with 1 <= K <= N "
                                   "(shards are numbered from 1), not '%s'",
                                   optarg);
            o->shard_k = k;
            o->shard_n = n;
            break;
        }
        case OPT_TIMEOUT:
            if (kc_parse_timeout(optarg, &o->timeout) != 0)
                return usage_error("--timeout needs a positive number of "
                                   "seconds, not '%s'",
                                   optarg);
            break;
        case OPT_MAX_DOCS:
            if (kc_parse_long(optarg, 1, INT_MAX, &v) != 0)
                return usage_error("--max-docs-per-worker needs a positive "
                                   "number, not '%s'",
                                   optarg);
            o->max_docs = (int)v;
            break;
        case OPT_MAX_MEM:
            if (kc_parse_long(optarg, 0, 1L << 30, &v) != 0)
                return usage_error("--max-worker-memory needs a number of "
                                   "MB (0: no limit), not '%s'",
                                   optarg);
            o->max_mem_mb = v;
            break;
        case OPT_MEM_LIMIT:
            if (kc_parse_long(optarg, 0, 1L << 30, &v) != 0)
                return usage_error("--memory-limit needs a number of MB (0: "
                                   "no limit), not '%s'",
                                   optarg);
            o->mem_limit_mb = v;
            break;
        case OPT_MAX_OUTPUT:
            if (kc_parse_long(optarg, 0, 1L << 30, &v) != 0)
                return usage_error("--max-output-size needs a number of MB "
                                   "(0: no limit), not '%s'",
                                   optarg);
            o->max_out_mb = v;
            break;
        case OPT_FOLLOW_LINKS:
            o->follow_links = 1;
            break;
        case OPT_RETRIES:
            if (kc_parse_long(optarg, 0, 10, &v) != 0)
                return usage_error("--retries needs a number from 0 to 10, "
                                   "not '%s'",
                                   optarg);
            o->retries = (int)v;
            break;
        case OPT_EXTENSION:
            o->extension = optarg;
            break;
        case OPT_PROFILE_DIR:
            if (!*optarg)
                return usage_error("--profile-dir needs a folder%s", NULL);
            o->profile_dir = optarg;
            break;
        case OPT_CSV_BOM:
            o->csv_bom = 1;
            break;
        case OPT_CSV_RAW:
            o->csv_raw = 1;
            break;
        case OPT_PORTABLE:
            o->portable = 1;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'v':
            /* the workers' LibreOffice output on stderr (pool.c) */
            o->verbose = 1;
            setenv("KPICALC_DEBUG", "1", 1);
            break;
        case 'h':
            usage_recalc(stdout);
            return 0;
        case 'V':
            kc_print_version();
            return 0;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    o->paths = argv + optind;
    o->npaths = argc - optind;
    if (o->npaths == 0)
        return usage_error("no workbook or folder given%s", NULL);
    if (o->in_place && o->outdir)
        return usage_error("--in-place and -o cannot go together%s", NULL);
    if (o->in_place && to_given)
        return usage_error("--in-place keeps each workbook's own format: "
                           "--to cannot go with it%s",
                           NULL);
    if (to_given && !o->outdir)
        return usage_error("--to needs -o DIR to write into%s", NULL);
    if (o->portable && o->in_place)
        return usage_error("--portable replaces the add-in's formulas by "
                           "values: it cannot go with --in-place, which "
                           "would lose them in the workbook itself%s",
                           NULL);
    if (o->targets && !(o->summary && kc_county_format(o->summary)))
        return usage_error("--targets needs --summary FILE.ods or "
                           "FILE.xlsx (the county summary)%s",
                           NULL);
    if (o->portable && !o->outdir)
        return usage_error("--portable needs -o DIR to write into%s", NULL);
    return -1;
}

/* -o must not be an input folder (nor the folder of an input file): the
 * outputs would mix with the workbooks and be read as inputs next time.
 * Returns an exit status, or -1 to go on. */
static int check_outdir(const struct options *o)
{
    if (!o->outdir)
        return -1;
    char out[PATH_MAX], in[PATH_MAX];
    if (!realpath(o->outdir, out))
        return -1; /* it does not exist yet: it is no input folder */
    for (int i = 0; i < o->npaths; i++) {
        struct stat st;
        if (stat(o->paths[i], &st) != 0 || !realpath(o->paths[i], in))
            continue;
        if (!S_ISDIR(st.st_mode)) {
            char *slash = strrchr(in, '/');
            if (slash == in)
                slash[1] = '\0';
            else if (slash)
                *slash = '\0';
        }
        if (strcmp(in, out) == 0)
            return usage_error("-o %s is the folder of the input workbooks: "
                               "give an output folder of its own",
                               o->outdir);
    }
    return -1;
}

static volatile sig_atomic_t stop_requested;

struct run {
    struct options *o;
    struct kc_result *results;
    const char **files;
    char *reported; /* shown on stderr already */
    size_t n;
    struct kc_progress progress;
    double last_summary;
    int summary_failed; /* the final summary could not be written */
    /* for a county summary (.ods/.xlsx): its office worker */
    const char *lo, *oxt, *run_tag;
    const struct kc_profile *profile; /* free once the pool has ended */
};

static void write_summary(struct run *r, int final)
{
    if (!r->o->summary)
        return;
    struct kc_err err = {""};
    int county = kc_county_format(r->o->summary) != 0;
    if (county && !final)
        return; /* written once, at the end, by an office worker */
    struct kc_county_opts co;
    kc_county_defaults(&co);
    struct kc_county_office office = {
        r->lo,      r->oxt,        r->o->profile_dir, r->profile,
        r->run_tag, r->o->timeout, !r->o->quiet};
    if (county ? (r->o->targets &&
                  kc_county_load_targets(r->o->targets, &co, &err) != 0) ||
                     kc_county_write(r->o->summary, r->files, r->results, r->n,
                                     &co, &office, &err) != 0
               : kc_summary_write(r->o->summary, r->files, r->results, r->n,
                                  r->o->csv_raw, &err) != 0) {
        if (final) {
            char line[1200];
            snprintf(line, sizeof line,
                     kc_tr("kpicalc: summary: cannot write %s: %s"),
                     r->o->summary, err.msg);
            kc_progress_say(&r->progress, line);
            r->summary_failed = 1;
        }
    }
    r->last_summary = kc_now();
}

static void on_result(void *ctx, size_t index)
{
    struct run *r = ctx;
    if (index != (size_t)-1) {
        const struct kc_result *res = &r->results[index];
        r->reported[index] = 1;
        /* the reason in the user's language; the summary keeps it in
         * English, for programs */
        char tr[4096];
        kc_progress_item(&r->progress, r->files[index], res->state == KC_OK,
                         kc_tr_reason(res->message, tr, sizeof tr),
                         res->seconds);
    } else {
        kc_progress_tick(&r->progress);
    }
    if (kc_now() - r->last_summary >= 2.0)
        write_summary(r, 0);
}

struct clash {
    const char *final;
    size_t job;
};

static int cmp_clash(const void *a, const void *b)
{
    const struct clash *x = a, *y = b;
    int c = strcmp(x->final, y->final);
    if (c)
        return c;
    /* same output: the earlier input first */
    return (x->job > y->job) - (x->job < y->job);
}

/* Fails the later of two workbooks that would write the same file, and a
 * workbook whose output would replace an input. */
static void check_clashes(struct kc_job *jobs, struct kc_result *results,
                          const char **files, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += (size_t)jobs[i].nout;
    struct clash *v = malloc((m + 1) * sizeof *v);
    if (!v)
        return;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (int f = 0; f < jobs[i].nout; f++)
            v[k++] = (struct clash){jobs[i].final[f], i};
    qsort(v, k, sizeof *v, cmp_clash);
    char msg[4096];
    for (size_t a = 1; a < k; a++) {
        if (strcmp(v[a].final, v[a - 1].final) != 0)
            continue;
        size_t first = v[a - 1].job, later = v[a].job;
        if (first == later || results[later].state != KC_PENDING)
            continue;
        snprintf(msg, sizeof msg, "its output %s would also be written for %s",
                 v[a].final, files[first]);
        results[later].state = KC_FAILED;
        results[later].message = strdup(msg);
    }
    for (size_t i = 0; i < n; i++)
        for (int f = 0; f < jobs[i].nout && !jobs[i].backup; f++)
            for (size_t x = 0; x < n; x++)
                if (strcmp(jobs[i].final[f], jobs[x].input) == 0 &&
                    results[i].state == KC_PENDING) {
                    snprintf(msg, sizeof msg,
                             "its output %s would replace an input (use "
                             "--in-place to replace workbooks)",
                             jobs[i].final[f]);
                    results[i].state = KC_FAILED;
                    results[i].message = strdup(msg);
                }
    free(v);
}

/* Without --portable, .xlsx and .xls outputs keep the add-in's formulas,
 * which Excel and WPS show as #NAME?: one warning for the run. */
static void warn_addin_calls(const struct options *o,
                             const struct kc_result *results, size_t n)
{
    int foreign = 0;
    for (int f = 0; f < o->nto; f++)
        foreign |= (kc_format_find(o->to[f])->flags & KC_FMT_KEEPS_CALLS) != 0;
    if (o->portable || !foreign)
        return;
    size_t books = 0;
    long cells = 0;
    for (size_t i = 0; i < n; i++)
        if (results[i].state == KC_OK && results[i].addin_cells > 0) {
            books++;
            cells += results[i].addin_cells;
        }
    if (books)
        fprintf(stderr,
                kc_tr("kpicalc: warning: the .xlsx/.xls outputs of %zu "
                      "workbook%s keep %ld cells that call kpicalc "
                      "functions: Excel, WPS and a LibreOffice without "
                      "kpicalc show them as #NAME?. --portable writes their "
                      "values instead.\n"),
                books, books == 1 ? "" : "s", cells);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Removes the staging folders that workers of runs killed with SIGKILL
 * left in the output folders (each folder looked at once). */
static void sweep_output_folders(const struct kc_job *jobs, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += (size_t)jobs[i].nout;
    char **dirs = malloc((m + 1) * sizeof *dirs);
    if (!dirs)
        return;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (int f = 0; f < jobs[i].nout; f++)
            if ((dirs[k] = kc_dirname(jobs[i].final[f])) != NULL)
                k++;
    qsort(dirs, k, sizeof *dirs, cmp_str);
    for (size_t i = 0; i < k; i++)
        if (i == 0 || strcmp(dirs[i], dirs[i - 1]) != 0)
            kc_sweep_stale(dirs[i], KC_STAGE_PREFIX, KC_STAGE_SUFFIX);
    for (size_t i = 0; i < k; i++)
        free(dirs[i]);
    free(dirs);
}

static void fail_pending(struct kc_result *results, size_t n, const char *why)
{
    for (size_t i = 0; i < n; i++)
        if (results[i].state == KC_PENDING) {
            results[i].state = KC_FAILED;
            free(results[i].message);
            results[i].message = strdup(why);
        }
}

/* The workbooks of a run: one job and one result per input. */
struct batch {
    struct kc_inputs in;
    size_t n;
    struct kc_job *jobs;
    struct kc_result *results;
    const char **files; /* as given or found, for messages */
    char **abs;         /* absolute paths, given to the workers */
    char *outdir;       /* -o, absolute */
    char *oxt;          /* the extension to install, or NULL */
};

static void batch_free(struct batch *b)
{
    for (size_t i = 0; b->jobs && i < b->n; i++) {
        for (int f = 0; f < b->jobs[i].nout; f++)
            free(b->jobs[i].final[f]);
        free((char *)b->jobs[i].backup);
        free(b->abs[i]);
        free(b->results[i].message);
        kc_kpi_list_free(&b->results[i].kpis);
    }
    free(b->jobs);
    free(b->results);
    free(b->files);
    free(b->abs);
    kc_inputs_free(&b->in);
    free(b->outdir);
    free(b->oxt);
}

/* LibreOffice's libraries are where kpicalc looks for them. */
static int office_found(const char *lo)
{
    char *lib1 = kc_path_join(lo, "libsofficeapp.so");
    char *lib2 = kc_path_join(lo, "libmergedlo.so");
    int have_lo =
        (lib1 && access(lib1, R_OK) == 0) || (lib2 && access(lib2, R_OK) == 0);
    free(lib1);
    free(lib2);
    if (!have_lo)
        fprintf(stderr,
                kc_tr("kpicalc: LibreOffice not found in %s (install "
                      "libreoffice-calc, or set KPICALC_LO_PROGRAM)\n"),
                lo);
    return have_lo;
}

/* Keeps the inputs of this machine's shard (--shard K/N). */
static void keep_shard(const struct options *o, struct kc_inputs *in)
{
    if (o->shard_n == 0)
        return;
    size_t kept = 0;
    for (size_t i = 0; i < in->n; i++) {
        if (kc_shard_of(in->v[i].rel, o->shard_n) == o->shard_k - 1) {
            in->v[kept++] = in->v[i];
        } else {
            free(in->v[i].path);
            free(in->v[i].rel);
            free(in->v[i].error);
        }
    }
    in->n = kept;
}

/* The outputs of workbook I: its own file (--in-place) or one file per
 * format below -o. 0, or -1 when it fails at once (results[i] says why). */
static int name_outputs(const struct options *o, struct batch *b, size_t i)
{
    struct kc_input *e = &b->in.v[i];
    struct kc_job *job = &b->jobs[i];
    struct kc_result *res = &b->results[i];
    if (o->in_place) {
        char ext[16];
        kc_extension(e->path, ext, sizeof ext);
        const struct kc_format *row = kc_format_find(ext);
        const char *fmt =
            row && (row->flags & KC_FMT_IN_PLACE) ? row->name : NULL;
        if (!fmt) {
            res->state = KC_FAILED;
            res->message =
                strdup("--in-place writes .ods, .fods, .xlsx or .xls only");
            return -1;
        }
        size_t bl = strlen(job->input) + 8;
        char *backup = malloc(bl);
        if (backup)
            snprintf(backup, bl, "%s.bak", job->input);
        job->backup = backup;
        job->fmt[0] = fmt;
        job->final[0] = strdup(job->input);
        job->nout = 1;
    } else if (b->outdir) {
        int nto = o->nto ? o->nto : 1;
        for (int f = 0; f < nto; f++) {
            job->fmt[f] = o->nto ? o->to[f] : "ods";
            job->final[f] = kc_output_path(b->outdir, e->rel, job->fmt[f]);
        }
        job->nout = nto;
    }
    return 0;
}

/* Finds the inputs, keeps this machine's shard, and plans a job for each:
 * its absolute path and outputs; workbooks that cannot be done (missing,
 * clashing outputs, an output folder that cannot be made) fail at once.
 * 0, or 1 (reported). */
static int plan_jobs(struct options *o, struct batch *b)
{
    struct kc_err err = {""};
    b->outdir = o->outdir ? kc_abspath(o->outdir) : NULL;
    if (kc_discover_ex(o->paths, o->npaths, b->outdir,
                       o->follow_links ? KC_DISCOVER_FOLLOW_LINKS : 0, &b->in,
                       &err) != 0) {
        fprintf(stderr, "kpicalc: %s\n", err.msg);
        return 1;
    }
    keep_shard(o, &b->in);
    size_t n = b->n = b->in.n;
    b->jobs = calloc(n + 1, sizeof *b->jobs);
    b->results = calloc(n + 1, sizeof *b->results);
    b->files = calloc(n + 1, sizeof *b->files);
    b->abs = calloc(n + 1, sizeof *b->abs);
    if (!b->jobs || !b->results || !b->files || !b->abs) {
        fprintf(stderr, "kpicalc: %s\n", kc_tr("out of memory"));
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        struct kc_input *e = &b->in.v[i];
        b->files[i] = e->path;
        b->abs[i] = kc_abspath(e->path);
        b->jobs[i].input = b->abs[i] ? b->abs[i] : e->path;
        b->results[i].error_cells = -1;
        b->results[i].addin_cells = -1;
        if (e->error || !b->abs[i]) {
            /* a worker is given absolute paths only */
            b->results[i].state = KC_FAILED;
            b->results[i].message =
                strdup(e->error ? e->error : "cannot make the path absolute");
            continue;
        }
        name_outputs(o, b, i);
    }
    check_clashes(b->jobs, b->results, b->files, n);
    if (b->outdir && kc_mkdirs(b->outdir, 0755, &err) != 0) {
        kc_err_wrap(&err, "output folder: ");
        fail_pending(b->results, n, err.msg);
    }
    return 0;
}

/* Locks a private profile for each of WORKERS workers (building those
 * missing); the number locked (== WORKERS unless the pending workbooks
 * failed with the reason). */
static int take_profiles(const struct options *o, const struct batch *b,
                         const char *lo, struct kc_profile *profiles,
                         int workers)
{
    struct kc_err err = {""};
    int acquired = 0;
    struct kc_profile_cfg pc = {lo, b->oxt, o->profile_dir,
                                !o->quiet || o->verbose};
    char *base = NULL;
    if (kc_profile_base_dir(&pc, &base, &err) != 0) {
        fail_pending(b->results, b->n, err.msg);
    } else {
        for (; acquired < workers; acquired++) {
            if (kc_profile_acquire(&pc, base, &profiles[acquired], &err) != 0) {
                kc_err_wrap(&err, "profile: ");
                fail_pending(b->results, b->n, err.msg);
                break;
            }
        }
    }
    free(base);
    return acquired;
}

/* This run's scratch folder, locked for its life, after removing what
 * runs killed with SIGKILL left (their scratch folders, and the staging
 * folders of their workers beside our outputs). NULL when it cannot be
 * made (the pending workbooks then fail). */
static char *make_run_tmp(const struct batch *b, const char *run_tag,
                          int *run_lock)
{
    const char *tmpdir = getenv("TMPDIR");
    tmpdir = tmpdir && *tmpdir ? tmpdir : "/tmp";
    kc_sweep_stale(tmpdir, "kpicalc-run-", "-");
    sweep_output_folders(b->jobs, b->n);
    char name[160];
    snprintf(name, sizeof name, "kpicalc-run-%s", run_tag);
    char *run_tmp = kc_path_join(tmpdir, name);
    if (!run_tmp || kc_make_locked_dir(run_tmp, run_lock, NULL) != 0) {
        free(run_tmp);
        fail_pending(b->results, b->n, "cannot create a temporary folder");
        return NULL;
    }
    return run_tmp;
}

/* The closing lines: interrupted workbooks, the count, the time, the
 * memory, the pool's failure, the #NAME? warning. */
static void report_end(struct run *run, const struct batch *b, double t0,
                       int workers, const struct kc_pool_stats *stats,
                       size_t ok, size_t failed, size_t unprocessed,
                       const char *pool_error)
{
    const struct options *o = run->o;
    size_t n = b->n;
    if (unprocessed) {
        char line[256];
        snprintf(line, sizeof line,
                 kc_tr("kpicalc: interrupted: %zu workbook%s not processed"),
                 unprocessed, unprocessed == 1 ? "" : "s");
        kc_progress_say(&run->progress, line);
    }
    kc_progress_end(&run->progress);
    double el = kc_now() - t0;
    if (!o->quiet || failed) {
        char mem[160] = "";
        if (stats->started > 0)
            snprintf(mem, sizeof mem,
                     kc_tr("; peak worker memory %ld MiB, %d worker start%s"),
                     (stats->peak_rss_kb + 1023) / 1024, stats->started,
                     stats->started == 1 ? "" : "s");
        fprintf(stderr,
                kc_tr("kpicalc: %zu ok, %zu failed, %zu workbooks in %.1f s "
                      "(%.2f/s, %d worker%s)%s\n"),
                ok, failed, n, el, el > 0 ? (double)n / el : 0.0, workers,
                workers == 1 ? "" : "s", mem);
    }
    if (failed && pool_error) {
        char tr[1200];
        fprintf(stderr, "kpicalc: %s\n",
                kc_tr_reason(pool_error, tr, sizeof tr));
    }
    warn_addin_calls(o, b->results, n);
}

static int recalc(struct options *o)
{
    const char *lo = kc_lo_program();
    if (!office_found(lo))
        return 1;
    int rc = check_outdir(o);
    if (rc >= 0)
        return rc;
    struct batch b = {0};
    struct kc_err err = {""};
    rc = kc_find_extension(o->extension, &b.oxt, &err);
    if (rc < 0)
        return usage_error("%s", err.msg);
    if (rc > 0 && !o->quiet)
        fprintf(stderr, "%s",
                kc_tr("kpicalc: warning: no add-in extension (kpicalc.oxt "
                      "beside kpicalc, --extension or KPICALC_OXT): the "
                      "add-in's functions will show #NAME?\n"));
    if (plan_jobs(o, &b) != 0) {
        batch_free(&b);
        return 1;
    }
    size_t n = b.n;
    struct kc_result *results = b.results;
    char *reported = calloc(n + 1, 1);
    if (!reported) {
        fprintf(stderr, "kpicalc: %s\n", kc_tr("out of memory"));
        batch_free(&b);
        return 1;
    }
    struct run run = {.o = o,
                      .results = results,
                      .files = b.files,
                      .reported = reported,
                      .n = n};
    kc_progress_init(&run.progress, n, o->quiet);
    size_t pending = 0;
    for (size_t i = 0; i < n; i++) {
        if (results[i].state == KC_PENDING)
            pending++;
        else
            on_result(&run, i);
    }
    int workers = o->jobs;
    if ((size_t)workers > pending)
        workers = (int)pending;

    struct kc_pool_stats stats = {0};
    struct kc_profile *profiles = calloc((size_t)workers + 1, sizeof *profiles);
    char *run_tmp = NULL;
    int run_lock = -1;
    /* names this run's folders apart from every other run's, on any host */
    char run_tag[128];
    if (kc_run_tag(run_tag, sizeof run_tag) != 0)
        snprintf(run_tag, sizeof run_tag, "run-%ld", (long)getpid());
    double t0 = kc_now();
    int acquired = 0;
    if (workers > 0)
        acquired = take_profiles(o, &b, lo, profiles, workers);
    if (acquired == workers && workers > 0)
        run_tmp = make_run_tmp(&b, run_tag, &run_lock);
    int pool_failed = 0;
    if (run_tmp) {
        kc_child_on_signals(&stop_requested);
        signal(SIGPIPE, SIG_IGN);
        struct kc_pool_cfg cfg = {
            .workers = workers,
            .timeout = o->timeout,
            .max_docs = o->max_docs,
            .max_rss_kb = o->max_mem_mb * 1024,
            .mem_limit_kb = o->mem_limit_mb * 1024,
            .max_output = o->max_out_mb << 20,
            .retries = o->retries,
            .scan = o->summary != NULL,
            .csv_bom = o->csv_bom,
            .csv_raw = o->csv_raw,
            .portable = o->portable,
            .lo_program = lo,
            .profiles = profiles,
            .run_tmp = run_tmp,
            .run_tag = run_tag,
            .stop = &stop_requested,
            .on_result = on_result,
            .ctx = &run,
        };
        if (kc_pool_run(&cfg, b.jobs, results, n, &stats, &err) != 0) {
            pool_failed = 1;
            fail_pending(results, n, err.msg);
        }
        kc_rmtree(run_tmp);
        close(run_lock);
    }
    size_t unprocessed = 0;
    if (stop_requested) {
        /* left "not processed", with the reason */
        for (size_t i = 0; i < n; i++)
            if (results[i].state == KC_PENDING) {
                free(results[i].message);
                results[i].message = strdup("the run was interrupted");
                unprocessed++;
            }
    }
    /* report the workbooks failed without a worker (profile, start-up,
     * interruption) */
    for (size_t i = 0; i < n; i++)
        if (!run.reported[i] && results[i].state != KC_PENDING)
            on_result(&run, i);
    size_t ok = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (results[i].state == KC_OK)
            ok++;
        else
            failed++;
    }
    run.lo = lo;
    run.oxt = b.oxt;
    run.run_tag = run_tag;
    run.profile = acquired > 0 ? &profiles[0] : NULL;
    write_summary(&run, 1);
    report_end(&run, &b, t0, workers, &stats, ok, failed, unprocessed,
               pool_failed ? err.msg : NULL);
    for (int i = 0; i < acquired; i++)
        kc_profile_release(&profiles[i]);
    free(profiles);
    free(run_tmp);
    free(reported);
    batch_free(&b);
    /* die of the signal, as a shell expects */
    kc_die_of_signal(stop_requested);
    return failed || run.summary_failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage_main(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        usage_main(stdout);
        printf("\n");
        usage_recalc(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        kc_print_version();
        return 0;
    }
    if (strcmp(cmd, "new-year") == 0)
        return kpicalc_new_year_main(argc - 1, argv + 1);
    if (strcmp(cmd, "recalc") != 0) {
        fprintf(stderr, kc_tr("kpicalc: unknown command '%s'\n"), cmd);
        usage_main(stderr);
        return EXIT_USAGE;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct options o = {
        .jobs = cores < 1 ? 1 : (cores > MAX_JOBS ? MAX_JOBS : (int)cores),
        .timeout = 120,
        .max_docs = 200,
        .max_mem_mb = 2048,
        .mem_limit_mb = 4096,
        .max_out_mb = 1024,
        .retries = 1,
    };
    int rc = parse_recalc(argc - 1, argv + 1, &o);
    if (rc >= 0)
        return rc;
    return recalc(&o);
}
