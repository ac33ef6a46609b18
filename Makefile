# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
OUTPUT ?= .output
CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= cc
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local
DESTDIR ?=

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' \
	-e 's/ppc64le/powerpc/' -e 's/mips.*/mips/' -e 's/riscv64/riscv/' \
	-e 's/loongarch64/loongarch/' -e 's/s390x/s390/')

LIBBPF_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null)
LIBBPF_LIBS ?= $(shell $(PKG_CONFIG) --static --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz)

WARN := -Wall -Wextra -Werror
CFLAGS ?= -O2 -g
# what the build needs, kept apart from CFLAGS so that make CFLAGS=... keeps it
XCFLAGS := -D_GNU_SOURCE $(WARN) -I$(OUTPUT) -I. $(LIBBPF_CFLAGS)
LDFLAGS ?=
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARN) -I. $(LIBBPF_CFLAGS)

APP := execsnoop
# pure units: no libbpf, no file descriptors; unit-tested and fuzzed
PURE := record escape text json reorder procset options subtree tree summary
UNITS := $(PURE) stream output users preflight launch proc
USER_OBJS := $(OUTPUT)/execsnoop.o $(patsubst %,$(OUTPUT)/%.o,$(UNITS))
PURE_OBJS := $(patsubst %,$(OUTPUT)/%.o,$(PURE))
UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
TEST_BINS := $(patsubst %,$(OUTPUT)/tests/%,$(UNIT_TESTS)) \
	$(patsubst %,$(OUTPUT)/san/%,$(UNIT_TESTS)) \
	$(OUTPUT)/tests/execer $(OUTPUT)/tests/noop $(OUTPUT)/tests/spawn $(OUTPUT)/tests/chain \
	$(OUTPUT)/tests/ender $(OUTPUT)/tests/family

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.PHONY: all clean test deps run install vmlinux format format-check bench unit e2e

all: $(APP)

$(OUTPUT) $(OUTPUT)/tests $(OUTPUT)/san:
	$(Q)mkdir -p $@

$(OUTPUT)/execsnoop.bpf.o: execsnoop.bpf.c vmlinux.h | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -MF $(OUTPUT)/execsnoop.bpf.d -MT $@ -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp
	$(Q)rm -f $@.tmp

$(OUTPUT)/execsnoop.skel.h: $(OUTPUT)/execsnoop.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name execsnoop_bpf > $@

$(OUTPUT)/execsnoop.o: $(OUTPUT)/execsnoop.skel.h

$(OUTPUT)/%.o: %.c | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(XCFLAGS) -MMD -MP -c $< -o $@

$(APP): $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -static $^ $(LIBBPF_LIBS) -o $@

# Unit tests link the pure parts only; no BPF is loaded. They run twice:
# as built, and built again from source under ASan and UBSan.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

$(OUTPUT)/tests/test_%: tests/unit/test_%.c $(PURE_OBJS) $(wildcard *.h) | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(XCFLAGS) $(filter %.c %.o,$^) -lcmocka -o $@

$(OUTPUT)/san/test_%: tests/unit/test_%.c $(patsubst %,%.c,$(PURE)) $(wildcard *.h) | $(OUTPUT)/san
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(XCFLAGS) $(SAN_FLAGS) $(filter %.c,$^) -lcmocka -o $@

$(OUTPUT)/tests/execer: tests/helpers/execer.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -pthread $< -o $@

$(OUTPUT)/tests/ender $(OUTPUT)/tests/family: $(OUTPUT)/tests/%: tests/helpers/%.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -pthread $< -o $@

$(OUTPUT)/tests/noop: tests/helpers/noop.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -static $< -o $@

# the benchmark's workloads, also run by the storm tests
$(OUTPUT)/tests/spawn $(OUTPUT)/tests/chain: $(OUTPUT)/tests/%: scripts/bench/%.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror $< -o $@

deps:
	$(Q)scripts/install-deps.sh

run: deps
	$(Q)$(MAKE) --no-print-directory $(APP)
	./$(APP) $(ARGS)

test: deps
	$(Q)$(MAKE) --no-print-directory $(APP) $(TEST_BINS)
	$(Q)tests/run.sh

bench: deps
	$(Q)$(MAKE) --no-print-directory $(APP)
	python3 scripts/bench.py

install: $(APP)
	install -D -m 0755 $(APP) $(DESTDIR)$(PREFIX)/sbin/$(APP)

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux.h.tmp
	mv vmlinux.h.tmp vmlinux.h

SOURCES := execsnoop.c execsnoop.bpf.c execsnoop.h $(patsubst %,%.c,$(UNITS)) $(patsubst %,%.h,$(UNITS)) \
	tests/unit/*.c tests/helpers/*.c scripts/bench/*.c

format:
	clang-format -i $(SOURCES)

format-check:
	clang-format --dry-run -Werror $(SOURCES)

clean:
	rm -rf $(OUTPUT) $(APP)

-include $(wildcard $(OUTPUT)/*.d)
