/* replay.c - a driver for the libFuzzer harnesses without libFuzzer, so
 * that ./build.sh test builds them with gcc and runs them (under ASan and
 * UBSan) on every run: N inputs of pseudo-random bytes and lengths from a
 * fixed seed. Not guided by coverage as `./build.sh fuzz` is; its job is
 * that the harnesses keep compiling and their invariants keep holding.
 *   usage: replay_fuzz_NAME [N (3000)] [SEED]
 * A harness aborts on a broken invariant, so the exit status tells. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t next(uint64_t *s)
{
    /* xorshift64* */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 3000;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 20261127;
    uint64_t s = seed ? seed : 1;
    static uint8_t buf[4096];
    for (long i = 0; i < n; i++) {
        /* mostly short inputs, as the harnesses decode small series */
        size_t len = (size_t)(next(&s) % (i % 10 == 0 ? sizeof buf : 256));
        for (size_t k = 0; k < len; k++)
            buf[k] = (uint8_t)(next(&s) >> 56);
        LLVMFuzzerTestOneInput(buf, len);
    }
    printf("%s: %ld inputs (seed %llu), no invariant broken\n", argv[0], n,
           (unsigned long long)seed);
    return 0;
}
