/* kpi_gen.c - writes what is generated from the function catalogue.
 *
 *   kpi-gen idl FILE   the UNO interface (idl/XKpiCalc.idl)
 *   kpi-gen xcu FILE   Calc's add-in configuration (CalcAddIns.xcu)
 *   kpi-gen md FILE    the function reference (docs/FUNCTIONS-reference.md)
 *   kpi-gen list       one function name a line
 *   kpi-gen examples   NAME<TAB>formula<TAB>result, one a line (the
 *                      catalogue's examples, which tests/calc runs in Calc)
 *   kpi-gen check      checks the catalogue's rows only
 *
 * Each file is written to FILE.tmp and renamed, so a failed run leaves the
 * previous file in place. Every command first checks the rows (help texts
 * that state a default, defaults that do not fit their kind, ...) and
 * fails on a bad one. It links formulas/catalogue.c and nothing else: no
 * statistics, no GSL. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue.h"

/* ---- the default of a parameter, written from its row ------------------ */

/* The default of optional parameter pd as the help writes it ("0.95",
 * "FALSE", "\"wilson\"", "1, 2, ..., n"); zh selects the Chinese form. */
static void default_text(const kpi_param_desc *pd, int zh, char *buf,
                         size_t size)
{
    switch (pd->kind) {
    case KPI_KIND_YEARS:
    case KPI_KIND_SERIES:
        snprintf(buf, size, "%s", zh ? "1, 2, …, n" : "1, 2, ..., n");
        break;
    case KPI_KIND_OPTION:
        snprintf(buf, size, "\"%s\"", pd->dflt_text ? pd->dflt_text : "");
        break;
    case KPI_KIND_FLAG:
        snprintf(buf, size, "%s", pd->dflt != 0 ? "TRUE" : "FALSE");
        break;
    case KPI_KIND_COUNT:
    case KPI_KIND_NUMBER:
    case KPI_KIND_RATE:
    case KPI_KIND_LEVEL:
    case KPI_KIND_BOUND:
    default:
        snprintf(buf, size, "%.15g", pd->dflt);
        break;
    }
}

/* The help of a parameter as Calc and the docs show it: the row's help,
 * then, for an optional one, "Default: ..." generated from the row. */
static const char *param_help(const kpi_param_desc *pd, int zh)
{
    static char buf[2048];
    const char *help = zh ? pd->help_zh : pd->help_en;
    if (!pd->optional || pd->varargs)
        return help;
    char dflt[256];
    default_text(pd, zh, dflt, sizeof dflt);
    snprintf(buf, sizeof buf, zh ? "%s默认：%s。" : "%s Default: %s.", help,
             dflt);
    return buf;
}

/* Non-zero when s contains word, ASCII case-insensitive. */
static int contains_nocase(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (; *s; s++) {
        size_t i = 0;
        while (i < n && s[i] &&
               tolower((unsigned char)s[i]) == tolower((unsigned char)word[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

static int states_default(const char *s)
{
    return contains_nocase(s, "default") || strstr(s, "默认") ||
           strstr(s, "缺省");
}

/* The number an example result starts with ("0.9118 (91.2%)"): non-zero
 * when there is one. */
static int example_number(const char *s)
{
    char *end;
    (void)strtod(s, &end);
    return end != s && (*end == 0 || *end == ' ');
}

/* Checks every row; prints each problem and returns how many there are. */
static int check_catalogue(void)
{
    int bad = 0;
    for (size_t i = 0; i < kpi_catalogue_count; i++) {
        const kpi_function_desc *fn = &kpi_catalogue[i];
#define BAD(...)                                                               \
    do {                                                                       \
        fprintf(stderr, "kpi-gen: %s: ", fn->name);                            \
        fprintf(stderr, __VA_ARGS__);                                          \
        fputc('\n', stderr);                                                   \
        bad++;                                                                 \
    } while (0)
        if (fn->nparams < 1 || fn->nparams > KPI_MAX_PARAMS)
            BAD("%zu parameters", fn->nparams);
        if (states_default(fn->help_en) || states_default(fn->help_zh))
            BAD("the help states a default (the parameters' rows say it)");
        if (!fn->example || strncmp(fn->example, "=", 1) != 0 ||
            !fn->example_result || !example_number(fn->example_result))
            BAD("the example needs a formula and a number as its result");
        for (size_t j = 0; j < i; j++)
            if (strcmp(kpi_catalogue[j].name, fn->name) == 0)
                BAD("listed twice");
        for (size_t p = 0; p < fn->nparams && p < KPI_MAX_PARAMS; p++) {
            const kpi_param_desc *pd = &fn->params[p];
            if (!pd->name || !pd->name_zh || !pd->help_en || !pd->help_zh) {
                BAD("parameter %zu lacks a name or a help", p + 1);
                continue;
            }
            if (states_default(pd->help_en) || states_default(pd->help_zh))
                BAD("%s: the help states a default; kpi-gen writes it from "
                    "the row",
                    pd->name);
            if (pd->varargs && p + 1 != fn->nparams)
                BAD("%s: only the last parameter repeats", pd->name);
            if ((pd->kind == KPI_KIND_OPTION && pd->optional) !=
                (pd->dflt_text != NULL))
                BAD("%s: an optional option, and only it, has a default "
                    "text",
                    pd->name);
            if (pd->kind == KPI_KIND_LEVEL && pd->optional &&
                !(pd->dflt > 0 && pd->dflt < 1))
                BAD("%s: a level's default lies in (0, 1)", pd->name);
            if (pd->kind == KPI_KIND_BOUND && pd->optional && pd->dflt != 0 &&
                pd->dflt != -1 && pd->dflt != 1)
                BAD("%s: a bound's default is -1, 0 or 1", pd->name);
            if (pd->optional && !pd->varargs && pd->kind != KPI_KIND_YEARS &&
                p + 1 < fn->nparams && !fn->params[p + 1].optional)
                BAD("%s: only years may be left out before a required "
                    "parameter",
                    pd->name);
        }
#undef BAD
    }
    return bad;
}

/* IDL keywords that a parameter name may not be. */
static const char *const idl_keywords[] = {
    "any",      "attribute", "boolean",  "bound",     "byte",      "char",
    "const",    "double",    "enum",     "exception", "float",     "get",
    "hyper",    "in",        "inout",    "interface", "long",      "module",
    "optional", "out",       "property", "published", "raises",    "readonly",
    "sequence", "service",   "set",      "short",     "singleton", "string",
    "struct",   "type",      "typedef",  "unsigned",  "void",      "constants",
    "oneway",   "needs",     "observes", "transient"};

/* The IDL (and configuration) name of a parameter: its name in camelCase
 * (UNO IDL identifiers take no "_x"), capitalised when it is an IDL keyword
 * ("bound" becomes "Bound"). */
static void idl_param_name(const char *name, char *buf, size_t size)
{
    size_t o = 0;
    for (const char *c = name; *c && o + 1 < size; c++) {
        if (*c == '_' && c[1]) {
            c++;
            buf[o++] = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
        } else {
            buf[o++] = *c;
        }
    }
    buf[o] = 0;
    for (size_t i = 0; i < sizeof idl_keywords / sizeof *idl_keywords; i++)
        if (strcmp(buf, idl_keywords[i]) == 0 && buf[0] >= 'a' && buf[0] <= 'z')
            buf[0] = (char)(buf[0] - 'a' + 'A');
}

static void xml_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static void write_idl(FILE *f)
{
    fputs("/* Generated by kpi-gen from formulas/catalogue.c: do not edit. */\n"
          "#ifndef ORG_KPICALC_XKPICALC_IDL\n"
          "#define ORG_KPICALC_XKPICALC_IDL\n\n"
          "#include <com/sun/star/uno/XInterface.idl>\n\n"
          "module org { module kpicalc {\n\n"
          "/** The kpicalc spreadsheet functions. Every argument is an any\n"
          "    (a number, a string or a range as sequence<sequence<any>>) and\n"
          "    every result an any (a double, or sequence<sequence<double>>\n"
          "    for arrays); errors are error-coded NaN doubles. */\n"
          "interface XKpiCalc : com::sun::star::uno::XInterface\n"
          "{\n",
          f);
    for (size_t i = 0; i < kpi_catalogue_count; i++) {
        const kpi_function_desc *fn = &kpi_catalogue[i];
        fprintf(f, "    any %s(", fn->name);
        for (size_t p = 0; p < fn->nparams; p++) {
            char name[64];
            idl_param_name(fn->params[p].name, name, sizeof name);
            fprintf(f, "%s[in] %s %s", p ? ", " : "",
                    fn->params[p].varargs ? "sequence<any>" : "any", name);
        }
        fputs(");\n", f);
    }
    fputs("};\n\n"
          "service KpiCalc : XKpiCalc;\n\n"
          "}; };\n\n#endif\n",
          f);
}

static void xcu_localized(FILE *f, const char *indent, const char *prop,
                          const char *en, const char *zh)
{
    fprintf(f, "%s<prop oor:name=\"%s\">\n", indent, prop);
    fprintf(f, "%s  <value xml:lang=\"en-US\">", indent);
    xml_escaped(f, en);
    fprintf(f, "</value>\n%s  <value xml:lang=\"zh-CN\">", indent);
    xml_escaped(f, zh);
    fprintf(f, "</value>\n%s</prop>\n", indent);
}

static void write_xcu(FILE *f)
{
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<!-- Generated by kpi-gen from formulas/catalogue.c: do not edit. "
          "-->\n"
          "<oor:component-data "
          "xmlns:oor=\"http://openoffice.org/2001/registry\" "
          "xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
          "oor:name=\"CalcAddIns\" oor:package=\"org.openoffice.Office\">\n"
          " <node oor:name=\"AddInInfo\">\n"
          "  <node oor:name=\"" KPI_SERVICE_NAME "\" oor:op=\"replace\">\n"
          "   <node oor:name=\"AddInFunctions\">\n",
          f);
    for (size_t i = 0; i < kpi_catalogue_count; i++) {
        const kpi_function_desc *fn = &kpi_catalogue[i];
        fprintf(f, "    <node oor:name=\"%s\" oor:op=\"replace\">\n", fn->name);
        xcu_localized(f, "     ", "DisplayName", fn->name, fn->name);
        xcu_localized(f, "     ", "Description", fn->help_en, fn->help_zh);
        fputs("     <prop oor:name=\"Category\"><value>Add-In</value>"
              "</prop>\n",
              f);
        fprintf(f,
                "     <prop oor:name=\"CompatibilityName\"><value "
                "xml:lang=\"en-US\">%s</value></prop>\n",
                fn->name);
        fputs("     <node oor:name=\"Parameters\">\n", f);
        for (size_t p = 0; p < fn->nparams; p++) {
            const kpi_param_desc *pd = &fn->params[p];
            char name[64];
            idl_param_name(pd->name, name, sizeof name);
            fprintf(f, "      <node oor:name=\"%s\" oor:op=\"replace\">\n",
                    name);
            xcu_localized(f, "       ", "DisplayName", pd->name, pd->name_zh);
            char en[2048];
            snprintf(en, sizeof en, "%s", param_help(pd, 0));
            xcu_localized(f, "       ", "Description", en, param_help(pd, 1));
            fputs("      </node>\n", f);
        }
        fputs("     </node>\n    </node>\n", f);
    }
    fputs("   </node>\n  </node>\n </node>\n</oor:component-data>\n", f);
}

/* FN(a; b [; c [; d]]); an optional parameter before a required one (the
 * years of TRENDFORECAST) is shown in place: FN(a; [b]; c). */
static void md_signature(FILE *f, const kpi_function_desc *fn)
{
    size_t tail = fn->nparams; /* the optional parameters from here on */
    while (tail > 0 && fn->params[tail - 1].optional)
        tail--;
    fprintf(f, "`%s(", fn->name);
    for (size_t p = 0; p < fn->nparams; p++) {
        const kpi_param_desc *pd = &fn->params[p];
        const char *name = pd->varargs ? "…" : pd->name;
        if (p >= tail)
            fprintf(f, "%s%s", p ? " [; " : "[", name);
        else if (pd->optional)
            fprintf(f, "%s[%s]", p ? "; " : "", name);
        else
            fprintf(f, "%s%s", p ? "; " : "", name);
    }
    for (size_t p = tail; p < fn->nparams; p++)
        fputc(']', f);
    fputs(")`", f);
}

static void write_md(FILE *f)
{
    fputs("<!-- Generated by kpi-gen from formulas/catalogue.c: do not "
          "edit. -->\n"
          "# kpicalc function reference / 函数参考\n\n"
          "Arguments are separated by `;` (Calc's default). Optional "
          "arguments are in [brackets]; an empty argument counts as "
          "missing. Errors: see docs/spec.md (`#DIV/0!`, "
          "`#NUM!`, `#VALUE!`; a required argument left out gives "
          "`Err:511`).\n",
          f);
    const char *section = "";
    for (size_t i = 0; i < kpi_catalogue_count; i++) {
        const kpi_function_desc *fn = &kpi_catalogue[i];
        if (strcmp(section, fn->section) != 0) {
            section = fn->section;
            fprintf(f, "\n## %s\n", section);
        }
        fprintf(f, "\n### %s\n\n", fn->name);
        md_signature(f, fn);
        fprintf(f, "\n\n%s\n\n%s\n\n", fn->help_en, fn->help_zh);
        fputs("| argument | 参数 | kind | meaning | 说明 |\n"
              "|---|---|---|---|---|\n",
              f);
        for (size_t p = 0; p < fn->nparams; p++) {
            const kpi_param_desc *pd = &fn->params[p];
            char en[2048];
            snprintf(en, sizeof en, "%s", param_help(pd, 0));
            fprintf(f, "| %s%s | %s | %s | %s | %s |\n", pd->name,
                    pd->optional ? " (optional)" : "", pd->name_zh,
                    kpi_param_kind_name(pd->kind), en, param_help(pd, 1));
        }
        fprintf(f, "\nExample / 示例: `%s` → %s\n", fn->example,
                fn->example_result);
    }
}

static int write_file(const char *path, void (*writer)(FILE *))
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        fprintf(stderr, "kpi-gen: path too long: %s\n", path);
        return 1;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        perror(tmp);
        return 1;
    }
    writer(f);
    if (ferror(f) | fclose(f)) {
        perror(tmp);
        remove(tmp);
        return 1;
    }
    if (rename(tmp, path) != 0) {
        perror(path);
        remove(tmp);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (check_catalogue() != 0)
        return 1;
    if (argc == 2 && strcmp(argv[1], "check") == 0)
        return 0;
    if (argc == 2 && strcmp(argv[1], "examples") == 0) {
        for (size_t i = 0; i < kpi_catalogue_count; i++)
            printf("%s\t%s\t%s\n", kpi_catalogue[i].name,
                   kpi_catalogue[i].example, kpi_catalogue[i].example_result);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        for (size_t i = 0; i < kpi_catalogue_count; i++)
            puts(kpi_catalogue[i].name);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "idl") == 0)
        return write_file(argv[2], write_idl);
    if (argc == 3 && strcmp(argv[1], "xcu") == 0)
        return write_file(argv[2], write_xcu);
    if (argc == 3 && strcmp(argv[1], "md") == 0)
        return write_file(argv[2], write_md);
    fputs("usage: kpi-gen idl|xcu|md FILE\n"
          "       kpi-gen list|examples|check\n",
          stderr);
    return 2;
}
