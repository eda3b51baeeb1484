# kpicalc build. Driven by ./build.sh; every part is found by wildcard so that
# adding a source file or a unit test needs no edit here.
#   addin/core/*.c   pure C statistics core on GSL (no UNO)
#   addin/funcs/*.c  spreadsheet functions: argument checks, broadcasting
#   formulas/catalogue.c  the one table of functions (names, help, entry points)
#   addin/uno/*.c    the binary-UNO component (no statistics)
#   batch/*.c        the kpicalc command (LibreOfficeKit)
#   tests/unit/test_*.c  one unit-test program each

CC      ?= gcc
B       ?= build
SDK     ?= /usr/lib/libreoffice/sdk
OOPROG  ?= /usr/lib/libreoffice/program
CSTD    := -std=c17 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror
OPT     ?= -O2 -g
CFLAGS_COMMON := $(CSTD) $(WARN) $(OPT) -fPIC -Iaddin/core -Iaddin/funcs -Iformulas
GSL_LIBS := -lgsl -lgslcblas -lm
UNO_CFLAGS := -I$(SDK)/include -DUNX -DGCC -DLINUX -DCPPU_ENV=gcc3
UNO_LIBS := -L$(SDK)/lib -luno_sal -luno_cppu
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

CORE_SRC  := $(wildcard addin/core/*.c)
FUNCS_SRC := $(wildcard addin/funcs/*.c) formulas/catalogue.c
UNO_SRC   := $(wildcard addin/uno/*.c)
BATCH_SRC := $(wildcard batch/*.c)
TEST_SRC  := $(wildcard tests/unit/test_*.c)
# the batch's pure modules: unit tests and fuzz harnesses linked with batch/
# (all of it but main.c), through their in-memory entry points
BTEST_SRC := $(wildcard tests/batchunit/test_*.c)
BFUZZ_SRC := $(wildcard tests/fuzz/batch_fuzz_*.c)
BATCH_LIB := $(filter-out batch/main.c,$(BATCH_SRC))
HDRS      := $(wildcard addin/*/*.h formulas/*.h batch/*.h tests/unit/*.h tests/batchunit/*.h)

LIB_SRC   := $(CORE_SRC) $(FUNCS_SRC)
TESTS     := $(patsubst tests/unit/%.c,$(B)/tests/%,$(TEST_SRC)) \
             $(patsubst tests/batchunit/test_%.c,$(B)/tests/test_batch_%,$(BTEST_SRC))

VERSION   := $(shell cat VERSION)
UNOIDL_WRITE := $(SDK)/bin/unoidl-write
EXT_FILES := $(shell find addin/extension -type f)

FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZERS   := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRC)) \
             $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(BFUZZ_SRC))
REPLAYS   := $(patsubst tests/fuzz/%.c,$(B)/tests/replay_%,$(FUZZ_SRC)) \
             $(patsubst tests/fuzz/%.c,$(B)/tests/replay_%,$(BFUZZ_SRC))

.PHONY: all lib tests oxt fuzz clean
all: $(B)/kpicalc.oxt docs/FUNCTIONS-reference.md $(if $(BATCH_SRC),$(B)/kpicalc)
oxt: $(B)/kpicalc.oxt
lib: $(B)/libkpicalc.so
tests: $(TESTS) $(REPLAYS)

# GSL for the add-in: a -fPIC static build of Debian's GSL source (which
# ./build.sh fetches into $(B)/gsl-src with apt-get source gsl), with glibc
# 2.28's symbol versions (addin/compat/glibc_2_28.h); built once into
# $(B)/gsl. The unit tests and tools link the system's libgsl.
GSL_SRC    ?= $(B)/gsl-src
GSL_STATIC := $(B)/gsl
COMPAT_H   := addin/compat/glibc_2_28.h
COMPAT_CFLAGS := -include $(abspath $(COMPAT_H))
GSL_STATIC_CFLAGS := -O2 -pipe -fexceptions -D_REENTRANT \
  -fstack-protector-strong -fPIC $(COMPAT_CFLAGS)
GSL_STATIC_LIBS := $(GSL_STATIC)/lib/libgsl.a $(GSL_STATIC)/lib/libgslcblas.a
# Without the source (a plain `make` before ./build.sh fetched it) the
# add-in links the system's libgsl, says so, and is not self-contained
# (tests/platform/check_oxt_abi.sh fails on it).
ifneq ($(wildcard $(GSL_SRC)/configure),)
ADDIN_GSL_DEP  := $(GSL_STATIC)/lib/libgsl.a
ADDIN_GSL_CFLAGS := -I$(GSL_STATIC)/include
ADDIN_GSL_LIBS := $(GSL_STATIC_LIBS) -lm
else
ADDIN_GSL_DEP  :=
ADDIN_GSL_CFLAGS :=
ADDIN_GSL_LIBS := $(GSL_LIBS)
endif

# The add-in shared object: UNO layer + functions + core, GSL linked in
# statically (its symbols hidden), built with glibc 2.28's symbol versions:
# the .oxt needs nothing but LibreOffice's UNO runtime and glibc >= 2.28
# (tests/platform/check_oxt_abi.sh, docs/platforms.md).
$(B)/libkpicalc.so: $(UNO_SRC) $(LIB_SRC) $(HDRS) $(ADDIN_GSL_DEP) | $(B)
	$(if $(ADDIN_GSL_DEP),,@echo "warning: no GSL source in $(GSL_SRC):" \
	  "$@ links the system's libgsl (./build.sh fetches the source)" >&2)
	$(CC) $(CFLAGS_COMMON) $(COMPAT_CFLAGS) $(ADDIN_GSL_CFLAGS) \
	  $(UNO_CFLAGS) -fvisibility=hidden -shared \
	  -Wl,--no-undefined -Wl,-z,defs -Wl,--exclude-libs,ALL -o $@ \
	  $(UNO_SRC) $(LIB_SRC) $(UNO_LIBS) $(ADDIN_GSL_LIBS)

# The static GSL, configured and built out of its source tree.
$(GSL_STATIC)/lib/libgsl.a: $(COMPAT_H)
	@test -x $(GSL_SRC)/configure || { echo "no GSL source in $(GSL_SRC):" \
	  "./build.sh fetches it (apt-get source gsl)" >&2; exit 1; }
	rm -rf $(B)/gsl-build $(GSL_STATIC) && mkdir -p $(B)/gsl-build
	cd $(B)/gsl-build && $(abspath $(GSL_SRC))/configure \
	  --prefix=$(abspath $(GSL_STATIC)) --disable-shared --enable-static \
	  CFLAGS="$(GSL_STATIC_CFLAGS)" >configure.log 2>&1 || \
	  { tail -20 $(B)/gsl-build/configure.log; exit 1; }
	@# the +dfsg source has no manual: its doc folder builds nothing
	printf '.DEFAULT:\n\t@:\n' >$(B)/gsl-build/doc/Makefile
	$(MAKE) -s -C $(B)/gsl-build install >$(B)/gsl-build/make.log 2>&1 || \
	  { tail -20 $(B)/gsl-build/make.log; exit 1; }
	rm -rf $(B)/gsl-build

# The catalogue generator: writes the IDL, the CalcAddIns.xcu and the docs.
# It reads the descriptive catalogue only: no statistics, no GSL.
$(B)/kpi-gen: formulas/gen/kpi_gen.c formulas/catalogue.c formulas/catalogue.h | $(B)
	$(CC) $(CSTD) $(WARN) $(OPT) -Iformulas -o $@ formulas/gen/kpi_gen.c formulas/catalogue.c

# Unit tests: built with AddressSanitizer and UBSan, one program each. The
# code under test is compiled once with the sanitizers ($(B)/san/...o) and
# linked into every program, not compiled again for each.
LIB_SAN   := $(patsubst %.c,$(B)/san/%.o,$(LIB_SRC))
BATCH_SAN := $(patsubst %.c,$(B)/san/%.o,$(BATCH_LIB))
.SECONDARY: $(LIB_SAN) $(BATCH_SAN) # kept between runs, not intermediate
$(B)/san/addin/%.o: addin/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(SAN) -c -o $@ $<
$(B)/san/formulas/%.o: formulas/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(SAN) -c -o $@ $<
$(B)/tests/%: tests/unit/%.c $(LIB_SAN) $(HDRS) | $(B)/tests
	$(CC) $(CFLAGS_COMMON) $(SAN) -Itests/unit -o $@ $< $(LIB_SAN) $(GSL_LIBS)

# The fuzz harnesses, driven without libFuzzer (tests/fuzz/replay.c).
$(B)/tests/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(LIB_SAN) $(HDRS) | $(B)/tests
	$(CC) $(CFLAGS_COMMON) $(SAN) -o $@ $< tests/fuzz/replay.c $(LIB_SAN) $(GSL_LIBS)

# The batch's unit tests and fuzz replays (ASan and UBSan); the batch
# links no statistics.
BATCH_CFLAGS := $(CSTD) $(WARN) $(OPT) -Ibatch $(UNO_CFLAGS)
BATCH_LIBS   := -ldl -lpthread -lm
$(B)/san/batch/%.o: batch/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(BATCH_CFLAGS) $(SAN) -c -o $@ $<
$(B)/tests/test_batch_%: tests/batchunit/test_%.c $(BATCH_SAN) $(HDRS) | $(B)/tests
	$(CC) $(BATCH_CFLAGS) $(SAN) -Itests/batchunit -Itests/unit -o $@ $< $(BATCH_SAN) $(BATCH_LIBS)
$(B)/tests/replay_batch_fuzz_%: tests/fuzz/batch_fuzz_%.c tests/fuzz/replay.c $(BATCH_SAN) $(HDRS) | $(B)/tests
	$(CC) $(BATCH_CFLAGS) $(SAN) -o $@ $< tests/fuzz/replay.c $(BATCH_SAN) $(BATCH_LIBS)
$(B)/fuzz/batch_fuzz_%: tests/fuzz/batch_fuzz_%.c $(BATCH_LIB) $(HDRS) | $(B)/fuzz
	clang $(BATCH_CFLAGS) -O1 -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=all -o $@ $< $(BATCH_LIB) $(BATCH_LIBS)

# The trend benchmark's C side (bench/bench_trend.sh runs it).
$(B)/bench/bench_trend: bench/bench_trend.c $(CORE_SRC) $(HDRS)
	mkdir -p $(B)/bench
	$(CC) $(CFLAGS_COMMON) -o $@ bench/bench_trend.c $(CORE_SRC) $(GSL_LIBS)

# Generated from the catalogue: the IDL and the reference docs are kept in
# the repository (so they can be read and diffed), the .xcu only in build/.
idl/XKpiCalc.idl: $(B)/kpi-gen
	$(B)/kpi-gen idl $@
docs/FUNCTIONS-reference.md: $(B)/kpi-gen
	$(B)/kpi-gen md $@
$(B)/CalcAddIns.xcu: $(B)/kpi-gen
	$(B)/kpi-gen xcu $@

$(B)/kpicalc.rdb: idl/XKpiCalc.idl | $(B)
	$(UNOIDL_WRITE) $(OOPROG)/types.rdb $(OOPROG)/types/offapi.rdb $< $@.tmp
	mv $@.tmp $@

# The extension: description, manifest, components, types, library, config.
$(B)/kpicalc.oxt: $(B)/libkpicalc.so $(B)/kpicalc.rdb $(B)/CalcAddIns.xcu \
		$(EXT_FILES) LICENSE VERSION
	rm -rf $(B)/oxt && mkdir -p $(B)/oxt
	cp -r addin/extension/. $(B)/oxt/
	sed -i 's/@VERSION@/$(VERSION)/' $(B)/oxt/description.xml
	cp LICENSE $(B)/oxt/LICENSE.txt
	cp $(B)/libkpicalc.so $(B)/kpicalc.rdb $(B)/CalcAddIns.xcu $(B)/oxt/
	rm -f $@.tmp && cd $(B)/oxt && zip -q -X -r ../kpicalc.oxt.tmp .
	mv $@.tmp $@

$(B)/kpicalc: $(BATCH_SRC) $(HDRS) | $(B)
	$(CC) $(CSTD) $(WARN) $(OPT) -Ibatch $(UNO_CFLAGS) -o $@ $(BATCH_SRC) -ldl -lpthread -lm

# what reading one written workbook's cells costs the summary (run by
# bench/batch/bench_summary.sh; not part of all)
$(B)/bench/scan_cost: bench/batch/scan_cost.c $(BATCH_LIB) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(OPT) -Ibatch $(UNO_CFLAGS) -o $@ $< $(BATCH_LIB) -ldl -lpthread -lm

# libFuzzer harnesses (clang): ./build.sh fuzz [seconds]
fuzz: $(FUZZERS)
$(B)/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(HDRS) | $(B)/fuzz
	clang $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=all -Iaddin/core -Iaddin/funcs -Iformulas \
	  -o $@ $< $(LIB_SRC) $(GSL_LIBS)

$(B) $(B)/tests $(B)/fuzz:
	mkdir -p $@

clean:
	rm -rf $(B)
