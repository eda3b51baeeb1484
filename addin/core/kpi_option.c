/* kpi_option.c - option strings; see kpi_option.h. */
#include "kpi_option.h"

static int is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Non-zero when [b, e) equals the lower-case word w, ignoring ASCII case. */
static int word_is(const char *b, const char *e, const char *w)
{
    for (; b < e; b++, w++)
        if (*w == '\0' || ascii_lower(*b) != *w)
            return 0;
    return *w == '\0';
}

kpi_status kpi_option_index(const char *s, const char *const *names, size_t n,
                            size_t *idx)
{
    if (s == NULL)
        return KPI_EVALUE;
    const char *b = s, *e;
    while (*b && is_ascii_space(*b))
        b++;
    for (e = b; *e; e++)
        ;
    while (e > b && is_ascii_space(e[-1]))
        e--;
    if (b == e) /* blank: no name is empty */
        return KPI_EVALUE;
    for (size_t i = 0; i < n; i++)
        if (word_is(b, e, names[i])) {
            *idx = i;
            return KPI_OK;
        }
    return KPI_EVALUE;
}
