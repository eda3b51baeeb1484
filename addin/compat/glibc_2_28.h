/* Forced into every C file of the add-in and of its static GSL (gcc
 * -include): binds the libm functions whose default symbol version is newer
 * than glibc 2.28 to their oldest version, so that libkpicalc.so built on
 * Debian 12 (glibc 2.36) loads on glibc 2.28 and later (UOS 20, Kylin V10,
 * Debian 10, RHEL 8).
 *
 * glibc 2.29 gave exp, exp2, log, log2 and pow new versions (the same
 * functions without the SVID error handling of _LIB_VERSION, which glibc
 * 2.27 had already made a no-op), and 2.35 a new hypot (the same again:
 * the old symbol wraps the same __ieee754_hypot and sets errno on
 * overflow). The old versions compute the same values: the unit tests, the
 * reference tables and the in-Calc suite check that. tests/platform/
 * check_oxt_abi.sh fails when any symbol of the library needs a version
 * above GLIBC_2.28 (a function added here later, or a new one GSL starts
 * to call). x86-64 only: other targets have other base versions. */
#ifndef KPICALC_GLIBC_2_28_H
#define KPICALC_GLIBC_2_28_H

#if defined(__x86_64__) && defined(__linux__)
__asm__(".symver exp,exp@GLIBC_2.2.5");
__asm__(".symver exp2,exp2@GLIBC_2.2.5");
__asm__(".symver log,log@GLIBC_2.2.5");
__asm__(".symver log2,log2@GLIBC_2.2.5");
__asm__(".symver pow,pow@GLIBC_2.2.5");
__asm__(".symver hypot,hypot@GLIBC_2.2.5");
#endif

#endif
