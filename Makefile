# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
OUTPUT ?= .output
CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= cc
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
UNITDIR ?= $(PREFIX)/lib/systemd/system

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' \
	-e 's/ppc64le/powerpc/' -e 's/mips.*/mips/' -e 's/riscv64/riscv/' \
	-e 's/loongarch64/loongarch/' -e 's/s390x/s390/')

# One static binary by default. STATIC=0 links libbpf, libelf and zlib
# dynamically (as the Debian package does); SANITIZE=1 builds ./execsnoop
# under ASan and UBSan, which cannot link statically.
STATIC ?= 1
ifeq ($(SANITIZE),1)
override STATIC := 0
endif

LIBBPF_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null)
ifeq ($(STATIC),1)
LIBBPF_LIBS ?= $(shell $(PKG_CONFIG) --static --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz)
LINK_STATIC := -static
else
LIBBPF_LIBS ?= $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null || echo -lbpf)
LINK_STATIC :=
endif
# the digests of executed files (--hash): nettle's SHA-256, hashed on a thread of its own
DIGEST_LIBS := -lnettle -lpthread

WARN := -Wall -Wextra -Werror
CFLAGS ?= -O2 -g
CPPFLAGS ?=
# what the build needs, kept apart from CFLAGS so that make CFLAGS=... keeps it
XCFLAGS := -D_GNU_SOURCE $(WARN) -I$(OUTPUT) -I. $(LIBBPF_CFLAGS)
LDFLAGS ?=
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARN) -I. $(LIBBPF_CFLAGS)
# ASan and UBSan: the tool under SANITIZE=1, and the unit tests' second run
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# the tool's objects: apart under SANITIZE=1, so that switching rebuilds them
ifeq ($(SANITIZE),1)
OBJDIR := $(OUTPUT)/sanitize
APP_FLAGS := $(SAN_FLAGS)
BUILD_MODE := sanitize
else
OBJDIR := $(OUTPUT)
APP_FLAGS :=
BUILD_MODE := $(if $(filter 1,$(STATIC)),static,dynamic)
endif

APP := execsnoop
# every .c beside execsnoop.c is a unit; those that reach the system (libbpf,
# files, threads) are named here, and the rest are pure: no libbpf, no file
# descriptors, unit-tested and fuzzed. A new pure file needs no line here.
SYSTEM := print stream output journald users cgroups preflight privs launch proc digest hold loop \
	btfmin btfcache
UNITS := $(sort $(basename $(filter-out execsnoop.c %.bpf.c,$(wildcard *.c))))
PURE := $(filter-out $(SYSTEM),$(UNITS))
USER_OBJS := $(OBJDIR)/execsnoop.o $(patsubst %,$(OBJDIR)/%.o,$(UNITS))
PURE_OBJS := $(patsubst %,$(OUTPUT)/%.o,$(PURE))
# also linked into the unit tests: the output stage, its buffer, and the user names looked up
TESTED := print output journald users
TEST_OBJS := $(PURE_OBJS) $(patsubst %,$(OUTPUT)/%.o,$(TESTED))
UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
TEST_BINS := $(patsubst %,$(OUTPUT)/tests/%,$(UNIT_TESTS)) \
	$(patsubst %,$(OUTPUT)/san/%,$(UNIT_TESTS)) \
	$(OUTPUT)/tests/execer $(OUTPUT)/tests/noop $(OUTPUT)/tests/spawn $(OUTPUT)/tests/chain \
	$(OUTPUT)/tests/ender $(OUTPUT)/tests/family $(OUTPUT)/tests/setpid $(OUTPUT)/tests/spawners $(OUTPUT)/tests/execer-static

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.PHONY: all clean test test-kernels deps build-deps run install uninstall vmlinux format format-check bench \
	unit e2e fuzz capture FORCE

all: $(APP)

$(OUTPUT) $(OUTPUT)/tests $(OUTPUT)/san $(OUTPUT)/sanitize $(OUTPUT)/fuzz:
	$(Q)mkdir -p $@

# its headers (execsnoop.h, bpf/*.h) are prerequisites through the .d file
$(OUTPUT)/execsnoop.bpf.o: execsnoop.bpf.c vmlinux.h | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -MF $(OUTPUT)/execsnoop.bpf.d -MT $@ -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp
	$(Q)rm -f $@.tmp

$(OUTPUT)/execsnoop.skel.h: $(OUTPUT)/execsnoop.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name execsnoop_bpf > $@

$(OBJDIR)/execsnoop.o: $(OUTPUT)/execsnoop.skel.h

$(OUTPUT)/%.o: %.c | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(XCFLAGS) -MMD -MP -c $< -o $@

$(OUTPUT)/sanitize/%.o: %.c | $(OUTPUT)/sanitize
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) $(XCFLAGS) -MMD -MP -c $< -o $@

# static, dynamic or sanitize: ./execsnoop is linked again when it changes
$(OUTPUT)/build-mode: FORCE | $(OUTPUT)
	$(Q)echo $(BUILD_MODE) | cmp -s - $@ || echo $(BUILD_MODE) > $@

$(APP): $(USER_OBJS) $(OUTPUT)/build-mode
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(APP_FLAGS) $(LDFLAGS) $(LINK_STATIC) $(USER_OBJS) $(LIBBPF_LIBS) \
		$(DIGEST_LIBS) -o $@

# Unit tests link the pure parts and TESTED; no BPF is loaded. They run
# twice: as built, and built again from source under ASan and UBSan.

$(OUTPUT)/tests/test_%: tests/unit/test_%.c $(TEST_OBJS) $(wildcard *.h tests/unit/*.h) | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(XCFLAGS) $(filter %.c %.o,$^) -lcmocka $(TEST_LIBS) -o $@

$(OUTPUT)/san/test_%: tests/unit/test_%.c $(patsubst %,%.c,$(PURE) $(TESTED)) $(wildcard *.h tests/unit/*.h) | $(OUTPUT)/san
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(XCFLAGS) $(SAN_FLAGS) $(filter %.c,$^) -lcmocka $(TEST_LIBS) -o $@

# units that open files and run a thread, tested on their own
$(OUTPUT)/tests/test_btfmin: $(OUTPUT)/btfmin.o
$(OUTPUT)/san/test_btfmin: btfmin.c
$(OUTPUT)/tests/test_btfmin $(OUTPUT)/san/test_btfmin: TEST_LIBS := $(LIBBPF_LIBS)
$(OUTPUT)/tests/test_digest: $(OUTPUT)/digest.o
$(OUTPUT)/san/test_digest: digest.c
$(OUTPUT)/tests/test_digest $(OUTPUT)/san/test_digest: TEST_LIBS := $(DIGEST_LIBS)
$(OUTPUT)/tests/test_hold: $(OUTPUT)/digest.o $(OUTPUT)/hold.o
$(OUTPUT)/san/test_hold: digest.c hold.c
$(OUTPUT)/tests/test_hold $(OUTPUT)/san/test_hold: TEST_LIBS := $(DIGEST_LIBS)

$(OUTPUT)/tests/execer: tests/helpers/execer.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -pthread $< -o $@

# for the test kernels' initramfs, which has no C library
$(OUTPUT)/tests/execer-static: tests/helpers/execer.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -static -pthread $< -o $@

# i386 (gcc-multilib), for the test kernels
$(OUTPUT)/tests/noop32: tests/helpers/noop.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -m32 -O2 -Wall -Wextra -Werror -static $< -o $@

# static (ender): no loader runs between its exec and its first clock reading
$(OUTPUT)/tests/ender $(OUTPUT)/tests/family $(OUTPUT)/tests/setpid $(OUTPUT)/tests/spawners: $(OUTPUT)/tests/%: tests/helpers/%.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -static -pthread $< -o $@

$(OUTPUT)/tests/noop: tests/helpers/noop.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -static $< -o $@

# the benchmark's workloads, also run by the storm tests
$(OUTPUT)/tests/spawn $(OUTPUT)/tests/chain: $(OUTPUT)/tests/%: scripts/bench/%.c scripts/bench/workload.h | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror $< -o $@

# libFuzzer targets (clang): the pure units under ASan and UBSan. make fuzz
# runs each for FUZZ_TIME seconds from tests/fuzz/corpus; make test, briefly.
FUZZ_CC ?= $(CLANG)
FUZZ_TIME ?= 300
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-D_GNU_SOURCE $(WARN) -I.
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(OUTPUT)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

$(OUTPUT)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(patsubst %,%.c,$(PURE)) $(wildcard *.h) | $(OUTPUT)/fuzz
	$(call msg,FUZZ-CC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) $(filter %.c,$^) -o $@

fuzz: $(FUZZ_BINS)
	$(Q)tests/fuzz/run.sh $(FUZZ_TIME)

# execsnoop that also writes the records it reads, for the seed corpus
$(OUTPUT)/fuzz/execsnoop-capture: $(USER_OBJS) tests/fuzz/capture.c | $(OUTPUT)/fuzz
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(APP_FLAGS) $(XCFLAGS) $(LDFLAGS) $(LINK_STATIC) \
		-Wl,--wrap=record_decode,--wrap=stream_take $(USER_OBJS) tests/fuzz/capture.c \
		$(LIBBPF_LIBS) $(DIGEST_LIBS) -o $@

capture: $(OUTPUT)/fuzz/execsnoop-capture $(FUZZ_BINS) $(TEST_BINS)
	$(Q)tests/fuzz/capture.sh

# what building needs (make run), and that with what testing needs
build-deps:
	$(Q)scripts/install-deps.sh build

deps:
	$(Q)scripts/install-deps.sh

run: build-deps
	$(Q)$(MAKE) --no-print-directory $(APP)
	./$(APP) $(ARGS)

test: deps
	$(Q)$(MAKE) --no-print-directory $(APP) $(TEST_BINS)
	$(Q)tests/run.sh

# execsnoop on Debian's 5.10, 6.1 and 6.12 kernels under qemu (also part of make test)
test-kernels: deps
	$(Q)$(MAKE) --no-print-directory $(APP) $(OUTPUT)/tests/noop $(OUTPUT)/tests/execer-static
	$(Q)tests/kernels/run.sh

# the unit tests alone: no BPF, no root
unit: $(patsubst %,$(OUTPUT)/tests/%,$(UNIT_TESTS))
	$(Q)CMOCKA_MESSAGE_OUTPUT=TAP prove --exec '' $^

bench:
	$(Q)scripts/install-deps.sh bench
	$(Q)$(MAKE) --no-print-directory $(APP)
	python3 scripts/bench.py

# The binary, the man page, bash and zsh completion and the systemd unit.
install: $(APP)
	$(Q)mkdir -p $(OUTPUT)
	$(Q)sed 's|@sbindir@|$(SBINDIR)|g' systemd/execsnoop.service.in > $(OUTPUT)/execsnoop.service
	install -D -m 0755 $(APP) $(DESTDIR)$(SBINDIR)/$(APP)
	install -D -m 0644 execsnoop.8 $(DESTDIR)$(MANDIR)/man8/execsnoop.8
	install -D -m 0644 completion/execsnoop.bash $(DESTDIR)$(BASHCOMPDIR)/execsnoop
	install -D -m 0644 completion/_execsnoop $(DESTDIR)$(ZSHCOMPDIR)/_execsnoop
	install -D -m 0644 $(OUTPUT)/execsnoop.service $(DESTDIR)$(UNITDIR)/execsnoop.service

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/$(APP) $(DESTDIR)$(MANDIR)/man8/execsnoop.8 \
		$(DESTDIR)$(BASHCOMPDIR)/execsnoop $(DESTDIR)$(ZSHCOMPDIR)/_execsnoop \
		$(DESTDIR)$(UNITDIR)/execsnoop.service

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux.h.tmp
	mv vmlinux.h.tmp vmlinux.h

SOURCES := $(filter-out vmlinux.h,$(wildcard *.c *.h)) bpf/*.h \
	tests/unit/*.c tests/unit/*.h tests/helpers/*.c tests/fuzz/*.c scripts/bench/*.c scripts/bench/*.h

format:
	clang-format -i $(SOURCES)

format-check:
	clang-format --dry-run -Werror $(SOURCES)

clean:
	rm -rf $(OUTPUT) $(APP)

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/sanitize/*.d)
