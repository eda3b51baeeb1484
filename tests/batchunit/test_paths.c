/* Unit tests of batch/paths.c through its in-memory entry points: output
 * paths, extensions and the stability of --shard. */
#include "kpi_test.h"
#include "paths.h"

#include <stdlib.h>
#include <string.h>

int main(void)
{
    char ext[16];
    kc_extension("a/b/C.ODS", ext, sizeof ext);
    CHECK(strcmp(ext, "ods") == 0);
    kc_extension("noext", ext, sizeof ext);
    CHECK(strcmp(ext, "") == 0);
    /* a shard is a function of the relative path alone */
    unsigned s = kc_shard_of("county/baishi-2020.ods", 8);
    CHECK(s < 8);
    CHECK_EQ_INT(kc_shard_of("county/baishi-2020.ods", 8), s);
    CHECK_EQ_INT(kc_shard_of("x.ods", 1), 0);
    char *p = kc_output_path("/out", "a/b.xlsx", "ods");
    CHECK(p && strcmp(p, "/out/a/b.ods") == 0);
    free(p);
    return kpi_test_report("batch paths");
}
