# Makefile for the rump kernel.  GNU make.
#
#   make              build libraries, programs and tests (build/)
#   make check        build with ASan+UBSan (build/san/) and run every test,
#                     then the threaded tests under ThreadSanitizer
#   make tsan-check   only the ThreadSanitizer part
#   make bench        build optimised and print the benchmark table
#   make install      PREFIX=/usr/local DESTDIR= : binaries, libraries,
#                     headers, pkg-config files, man pages
#   make deps         install the Debian packages the build and tests need
#
# Layout: hyp/ (host), kern/ (kernel, freestanding), librump/ (local API
# edge), tests/, bench/, tools/ (generators).

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
SAN     ?=
CC      ?= cc

OPT      ?= -O2
WARN     := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow \
	    -Wmissing-prototypes -Wstrict-prototypes
BASEFLAGS := -std=gnu11 -g $(OPT) $(WARN) -fPIC -pthread
ifeq ($(SAN),asan)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	    -fno-omit-frame-pointer
endif
ifeq ($(SAN),tsan)
SANFLAGS := -fsanitize=thread -fno-omit-frame-pointer
endif
CFLAGS_ALL := $(BASEFLAGS) $(SANFLAGS) $(CFLAGS)
LDFLAGS_ALL := -pthread $(SANFLAGS) $(LDFLAGS)

# Quiet output: one line per target; V=1 shows the full commands.
ifeq ($(V),1)
QCC :=
QAR :=
else
QCC = @echo "  CC      $@";
QAR = @echo "  AR      $@";
endif

GEN := $(BUILD)/gen
# kern/ sees only freestanding C headers, hyp.h and its own headers.
FREESTANDING := -ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include)
KERN_INC := $(FREESTANDING) -Ikern -Ihyp -Iinclude -I$(GEN)/kern
HOST_INC := -Iinclude -I$(GEN)/include -Ilibrump -Ihyp

KERN_SRC := $(sort $(wildcard kern/*.c kern/lib/*.c kern/vfs/*.c \
	    kern/dev/*.c kern/fs/*/*.c kern/net/*.c)) $(GEN)/kern/sysent.c
HYP_SRC  := $(sort $(wildcard hyp/*.c))
LIB_SRC  := $(sort $(wildcard librump/*.c)) $(GEN)/rump_sys_edge.c

KERN_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(patsubst $(GEN)/%,gen/%,$(KERN_SRC)))
HYP_OBJ  := $(patsubst %.c,$(BUILD)/obj/%.o,$(HYP_SRC))
LIB_OBJ  := $(patsubst %.c,$(BUILD)/obj/%.o,$(patsubst $(GEN)/%,gen/%,$(LIB_SRC)))
RUMP_OBJ := $(KERN_OBJ) $(HYP_OBJ) $(LIB_OBJ)

WIRE_SRC   := $(sort $(wildcard wire/*.c)) $(GEN)/sysdesc.c
SERVER_SRC := $(sort $(wildcard server/*.c))
CLIENT_SRC := $(sort $(wildcard client/*.c))
WIRE_OBJ   := $(patsubst %.c,$(BUILD)/obj/%.o,$(patsubst $(GEN)/%,gen/%,$(WIRE_SRC)))
SERVER_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(SERVER_SRC))
# The client library has its own build of the generated rump_sys_* edge
# and of the host-ABI conversions.
CLIENT_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLIENT_SRC)) \
	$(BUILD)/obj/client-gen/rump_sys_edge.o $(BUILD)/obj/client-gen/hostabi.o \
	$(WIRE_OBJ)
LIBCLIENT_A  := $(BUILD)/lib/librumpclient.a
LIBCLIENT_SO := $(BUILD)/lib/librumpclient.so
SERVER_BIN   := $(BUILD)/bin/rump_server
MSDOS_BIN    := $(BUILD)/bin/rump_msdos
FUSE_SRC     := $(sort $(wildcard fuse/*.c))
FUSE_OBJ     := $(patsubst %.c,$(BUILD)/obj/%.o,$(FUSE_SRC))
FUSE_CFLAGS  := $(shell pkg-config --cflags fuse3 2>/dev/null)
FUSE_LIBS    := $(shell pkg-config --libs fuse3 2>/dev/null)

LIBRUMP_A  := $(BUILD)/lib/librump.a
LIBRUMP_SO := $(BUILD)/lib/librump.so

TEST_SRC := $(sort $(wildcard tests/*_test.c))
TEST_SH  := $(sort $(wildcard tests/*_test.sh))
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC)) \
	$(patsubst tests/%.sh,$(BUILD)/tests/%,$(TEST_SH))
BENCH_SRC := $(sort $(wildcard bench/*_bench.c))
BENCH_BIN := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
# Shell benchmarks (bench/*_bench.sh) are installed beside the programs.
BENCH_SH  := $(sort $(wildcard bench/*_bench.sh))
DEMO_BIN := $(BUILD)/bin/rump_demo

GENERATED := $(GEN)/kern/sysproto.h $(GEN)/kern/sysent.c \
	$(GEN)/include/rump/rump_syscalls.h $(GEN)/rump_sys_edge.c \
	$(GEN)/sysdesc.c

.PHONY: valgrind-tests
.PHONY: all check tsan-check bench install uninstall deps clean tests demo \
	demo-local \
	rumpctrl
all: $(LIBRUMP_A) $(LIBRUMP_SO) $(LIBCLIENT_A) $(LIBCLIENT_SO) $(SERVER_BIN) \
	$(MSDOS_BIN) \
	$(DEMO_BIN) rumpctrl tests $(BENCH_BIN)
tests: $(TEST_BIN)

$(GENERATED) &: kern/syscalls.tbl tools/gensyscalls.py
	python3 tools/gensyscalls.py kern/syscalls.tbl $(GEN)

# Every object depends on the generated headers; -MMD tracks the rest.
$(BUILD)/obj/kern/%.o: kern/%.c | $(GENERATED)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) $(KERN_INC) -MMD -MP -c $< -o $@
$(BUILD)/obj/gen/kern/%.o: $(GEN)/kern/%.c | $(GENERATED)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) $(KERN_INC) -MMD -MP -c $< -o $@
$(BUILD)/obj/hyp/%.o: hyp/%.c
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE -Ihyp -MMD -MP -c $< -o $@
$(BUILD)/obj/librump/%.o: librump/%.c | $(GENERATED)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(HOST_INC) -iquote kern -MMD -MP -c $< -o $@
$(BUILD)/obj/gen/%.o: $(GEN)/%.c | $(GENERATED)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(HOST_INC) -MMD -MP -c $< -o $@

WIRE_INC := -Iwire -Iinclude -I$(GEN)/include
$(BUILD)/obj/wire/%.o: wire/%.c | $(GENERATED)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(WIRE_INC) -MMD -MP -c $< -o $@
$(BUILD)/obj/gen/sysdesc.o: $(GEN)/sysdesc.c | $(GENERATED)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(WIRE_INC) -MMD -MP -c $< -o $@
$(BUILD)/obj/server/%.o: server/%.c | $(GENERATED)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(WIRE_INC) -Iserver -Ihyp -iquote kern \
		-MMD -MP -c $< -o $@
$(BUILD)/obj/client/%.o: client/%.c | $(GENERATED)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(WIRE_INC) -Iclient -Ilibrump \
		-MMD -MP -c $< -o $@
$(BUILD)/obj/client-gen/rump_sys_edge.o: $(GEN)/rump_sys_edge.c | $(GENERATED)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(HOST_INC) -MMD -MP -c $< -o $@
$(BUILD)/obj/client-gen/hostabi.o: librump/hostabi.c | $(GENERATED)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(HOST_INC) -MMD -MP -c $< -o $@

$(LIBCLIENT_A): $(CLIENT_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(QAR)ar rcs $@ $^
$(LIBCLIENT_SO): $(CLIENT_OBJ)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) -shared -Wl,-soname,librumpclient.so.0 \
		-Wl,--version-script=tools/librumpclient.map $(LDFLAGS_ALL) -o $@ $^
$(SERVER_BIN): cmd/rump_server/rump_server.c $(SERVER_OBJ) $(WIRE_OBJ) $(LIBRUMP_A)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(WIRE_INC) -Iserver -Ihyp -iquote kern \
		$< $(SERVER_OBJ) $(WIRE_OBJ) -Wl,--whole-archive $(LIBRUMP_A) \
		-Wl,--no-whole-archive $(LDFLAGS_ALL) -o $@

$(BUILD)/obj/fuse/%.o: fuse/%.c | $(GENERATED)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(HOST_INC) $(FUSE_CFLAGS) -Ifuse \
		-MMD -MP -c $< -o $@
$(MSDOS_BIN): cmd/rump_msdos/rump_msdos.c $(FUSE_OBJ) $(LIBRUMP_A)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(HOST_INC) $(FUSE_CFLAGS) -Ifuse $< \
		$(FUSE_OBJ) -Wl,--whole-archive $(LIBRUMP_A) \
		-Wl,--no-whole-archive $(FUSE_LIBS) $(LDFLAGS_ALL) -o $@

$(LIBRUMP_A): $(RUMP_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(QAR)ar rcs $@ $^
$(LIBRUMP_SO): $(RUMP_OBJ)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) -shared -Wl,-soname,librump.so.0 \
		-Wl,--version-script=tools/librump.map $(LDFLAGS_ALL) -o $@ $^

TEST_DEPS := tests/testlib.c tests/testlib.h
# Remote tests are clients: they link librumpclient instead of librump and
# start the rump_server of the same build (../bin/rump_server from the
# test binary).  This rule's shorter stem wins over the generic ones.
REMOTE_TEST_DEPS := tests/remote_util.c tests/remote_util.h
$(BUILD)/tests/remote_%_test: tests/remote_%_test.c $(TEST_DEPS) \
		$(REMOTE_TEST_DEPS) $(LIBCLIENT_A) $(SERVER_BIN)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(HOST_INC) -Itests $< tests/testlib.c \
		tests/remote_util.c $(LIBCLIENT_A) $(LDFLAGS_ALL) -o $@
# Shell tests run from the build's tests directory like the programs.
$(BUILD)/tests/%_test: tests/%_test.sh
	@mkdir -p $(dir $@)
	install -m 755 $< $@
$(BUILD)/tests/%: tests/%.c $(TEST_DEPS) $(LIBRUMP_A)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(HOST_INC) -Itests $< tests/testlib.c \
		-Wl,--whole-archive $(LIBRUMP_A) -Wl,--no-whole-archive $(LDFLAGS_ALL) -o $@
# The wire unit tests link the wire code itself (no kernel).
$(BUILD)/tests/wire_test: tests/wire_test.c $(TEST_DEPS) $(WIRE_OBJ)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(WIRE_INC) -Itests $< tests/testlib.c \
		$(WIRE_OBJ) $(LDFLAGS_ALL) -o $@
$(BUILD)/bench/%_bench: bench/%_bench.sh
	@mkdir -p $(dir $@)
	install -m 755 $< $@
$(BUILD)/bench/%: bench/%.c bench/benchlib.h $(LIBRUMP_A)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(HOST_INC) -Ibench $< \
		-Wl,--whole-archive $(LIBRUMP_A) -Wl,--no-whole-archive $(LDFLAGS_ALL) -o $@
# Remote benchmarks are librumpclient programs that start the rump_server
# of the same build (../bin/rump_server); the shorter stem wins.
$(BUILD)/bench/remote_%_bench: bench/remote_%_bench.c bench/benchlib.h \
		bench/remote_bench.h bench/remote_file.h $(LIBCLIENT_A) \
		$(SERVER_BIN)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(HOST_INC) -Ibench $< \
		$(LIBCLIENT_A) $(LDFLAGS_ALL) -o $@
$(BUILD)/bin/rump_demo: cmd/rump_demo/rump_demo.c $(LIBRUMP_A)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(HOST_INC) $< -Wl,--whole-archive $(LIBRUMP_A) -Wl,--no-whole-archive \
		$(LDFLAGS_ALL) -o $@

# rumpctrl: the multi-call control utility, a librumpclient program, with
# rump.APPLET links beside it and plain-named links (ls, cat, ...) in
# libexec/rumpctrl for rumpctrl.sh.  The applet list must match the
# table in cmd/rumpctrl/rumpctrl.c (tests/rumpctrl_test.sh checks).
RUMPCTRL_SRC  := $(sort $(wildcard cmd/rumpctrl/*.c))
RUMPCTRL_BIN  := $(BUILD)/bin/rumpctrl
RUMPCTRL_APPLETS := cat chmod chown cp dd df halt ln ls mkdir mount mv \
	newfs_msdos ps rm rmdir stat sysctl touch umount
RUMPCTRL_LINKS := $(addprefix $(BUILD)/bin/rump.,$(RUMPCTRL_APPLETS)) \
	$(addprefix $(BUILD)/libexec/rumpctrl/,$(RUMPCTRL_APPLETS)) \
	$(BUILD)/bin/rumpctrl.sh
$(RUMPCTRL_BIN): $(RUMPCTRL_SRC) $(wildcard cmd/rumpctrl/*.h) $(LIBCLIENT_A)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS_ALL) -D_GNU_SOURCE $(HOST_INC) $(RUMPCTRL_SRC) \
		$(LIBCLIENT_A) $(LDFLAGS_ALL) -o $@
$(BUILD)/bin/rump.%: | $(RUMPCTRL_BIN)
	ln -sf rumpctrl $@
$(BUILD)/libexec/rumpctrl/%: | $(RUMPCTRL_BIN)
	@mkdir -p $(dir $@)
	ln -sf ../../bin/rumpctrl $@
$(BUILD)/bin/rumpctrl.sh: cmd/rumpctrl/rumpctrl.sh | $(RUMPCTRL_BIN)
	sed -e 's|@RUMPCTRL@|$(abspath $(RUMPCTRL_BIN))|' $< > $@
$(BUILD)/tests/rumpctrl_test: $(RUMPCTRL_BIN) $(RUMPCTRL_LINKS) $(SERVER_BIN)
# The rump_msdos tests run ../bin/rump_msdos of their build.
$(patsubst tests/%.sh,$(BUILD)/tests/%,$(wildcard tests/msdos_*_test.sh)): \
	$(MSDOS_BIN)
$(BUILD)/tests/newfs_msdos_test: $(RUMPCTRL_BIN) $(RUMPCTRL_LINKS) $(SERVER_BIN)
rumpctrl: $(RUMPCTRL_BIN) $(RUMPCTRL_LINKS)

# make check: the normal -Werror build, then every test under ASan+UBSan,
# then the threaded tests (and the call channel's, whose server and client
# threads share memory) under ThreadSanitizer, with one closing count.
TSAN_TESTS := $(patsubst tests/%.c,build/tsan/tests/%,\
	$(wildcard tests/*thread*_test.c tests/*concurr*_test.c) \
	tests/remote_chan_test.c)
JOBS ?= $(shell nproc)
check:
	$(MAKE) -j$(JOBS) all
	$(MAKE) -j$(JOBS) BUILD=build/san SAN=asan tests
	$(MAKE) -j$(JOBS) BUILD=build/tsan SAN=tsan OPT=-O1 $(TSAN_TESTS)
	$(MAKE) fuzz-smoke
	$(MAKE) valgrind-tests
	tests/run.sh build/san/tests build/tsan/tests build/valgrind/tests

# Tests that also run under valgrind's memcheck, on the normal build:
# wrapper scripts in build/valgrind/tests run them with leak checking.
VALGRIND_TESTS := wire_test pipe_test procinfo_test fd_test sysctl_test \
	msdosfs_test blkdev_test
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
valgrind-tests: $(addprefix build/tests/,$(VALGRIND_TESTS))
	@mkdir -p build/valgrind/tests
	@for t in $(VALGRIND_TESTS); do \
		printf '#!/bin/sh\nexec %s "%s" "$$@"\n' "$(VALGRIND)" \
		    "$(CURDIR)/build/tests/$$t" > build/valgrind/tests/$$t; \
		chmod +x build/valgrind/tests/$$t; \
	done

tsan-check:
	$(MAKE) -j$(JOBS) BUILD=build/tsan SAN=tsan OPT=-O1 $(TSAN_TESTS)
	tests/run.sh build/tsan/tests

# make demo: a server and a scripted rumpctrl session against it;
# make demo-local: the in-process kernel demonstration.
demo: all
	tools/demo.sh $(BUILD)
demo-local: $(DEMO_BIN)
	$(DEMO_BIN)

bench:
	$(MAKE) BUILD=build/bench-opt OPT=-O2 build/bench-opt/lib/librump.a \
		$(patsubst bench/%.c,build/bench-opt/bench/%,$(BENCH_SRC)) \
		$(patsubst bench/%.sh,build/bench-opt/bench/%,$(BENCH_SH)) \
		build/bench-opt/bin/rump_msdos
	bench/run.sh build/bench-opt/bench

deps:
	tools/install-deps.sh

INCDIR := $(DESTDIR)$(PREFIX)/include/rump
LIBDIR := $(DESTDIR)$(PREFIX)/lib
PCDIR  := $(LIBDIR)/pkgconfig
BINDIR := $(DESTDIR)$(PREFIX)/bin
MAN1DIR := $(DESTDIR)$(PREFIX)/share/man/man1
MAN3DIR := $(DESTDIR)$(PREFIX)/share/man/man3
MAN8DIR := $(DESTDIR)$(PREFIX)/share/man/man8
RUMPCTRL_LIBEXEC := $(DESTDIR)$(PREFIX)/libexec/rumpctrl
install: $(LIBRUMP_A) $(LIBRUMP_SO) $(LIBCLIENT_A) $(LIBCLIENT_SO) $(SERVER_BIN) \
	$(MSDOS_BIN) \
		$(RUMPCTRL_BIN)
	install -d $(INCDIR) $(LIBDIR) $(PCDIR) $(BINDIR)
	install -m 644 include/rump/rump.h include/rump/rump_kabi.h \
		include/rump/rumpclient.h $(GEN)/include/rump/rump_syscalls.h \
		$(INCDIR)/
	install -m 644 $(LIBRUMP_A) $(LIBCLIENT_A) $(LIBDIR)/
	install -m 755 $(LIBRUMP_SO) $(LIBDIR)/librump.so.0
	install -m 755 $(LIBCLIENT_SO) $(LIBDIR)/librumpclient.so.0
	ln -sf librump.so.0 $(LIBDIR)/librump.so
	ln -sf librumpclient.so.0 $(LIBDIR)/librumpclient.so
	sed -e 's|@PREFIX@|$(PREFIX)|g' rump.pc.in > $(PCDIR)/rump.pc
	sed -e 's|@PREFIX@|$(PREFIX)|g' rumpclient.pc.in > $(PCDIR)/rumpclient.pc
	install -m 755 $(SERVER_BIN) $(BINDIR)/
	install -m 755 $(RUMPCTRL_BIN) $(BINDIR)/
	install -d $(RUMPCTRL_LIBEXEC) $(MAN1DIR)
	for a in $(RUMPCTRL_APPLETS); do \
		ln -sf rumpctrl $(BINDIR)/rump.$$a; \
		ln -sf ../../bin/rumpctrl $(RUMPCTRL_LIBEXEC)/$$a; \
	done
	sed -e 's|@RUMPCTRL@|$(PREFIX)/bin/rumpctrl|' cmd/rumpctrl/rumpctrl.sh \
		> $(BINDIR)/rumpctrl.sh
	chmod 644 $(BINDIR)/rumpctrl.sh
	install -m 644 $(wildcard doc/man/*.1) $(MAN1DIR)/
	install -d $(MAN3DIR)
	install -m 644 $(wildcard doc/man/*.3) $(MAN3DIR)/
	install -d $(MAN8DIR)
	install -m 644 $(wildcard doc/man/*.8) $(MAN8DIR)/
	install -m 755 $(MSDOS_BIN) $(BINDIR)/

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/include/rump
	rm -f $(LIBDIR)/librump.a $(LIBDIR)/librump.so $(LIBDIR)/librump.so.0 \
		$(LIBDIR)/librumpclient.a $(LIBDIR)/librumpclient.so \
		$(LIBDIR)/librumpclient.so.0 $(PCDIR)/rump.pc \
		$(PCDIR)/rumpclient.pc $(BINDIR)/rump_server
	rm -f $(BINDIR)/rumpctrl $(BINDIR)/rumpctrl.sh \
		$(addprefix $(BINDIR)/rump.,$(RUMPCTRL_APPLETS)) \
		$(addprefix $(MAN1DIR)/,$(notdir $(wildcard doc/man/*.1))) \
		$(addprefix $(MAN3DIR)/,$(notdir $(wildcard doc/man/*.3))) \
		$(addprefix $(MAN8DIR)/,$(notdir $(wildcard doc/man/*.8))) \
		$(BINDIR)/rump_msdos
	rm -rf $(RUMPCTRL_LIBEXEC)

clean:
	rm -rf build

# make fuzz, fuzz-smoke, fuzz-corpus: the wire fuzzers.
include fuzz/fuzz.mk

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
