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
CFLAGS += -D_GNU_SOURCE $(WARN) -I$(OUTPUT) -I. $(LIBBPF_CFLAGS) -MMD -MP
LDFLAGS ?=
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARN) -I. $(LIBBPF_CFLAGS)

APP := execsnoop
USER_OBJS := $(OUTPUT)/execsnoop.o $(OUTPUT)/format.o $(OUTPUT)/options.o $(OUTPUT)/btf_trim.o
TEST_BINS := $(OUTPUT)/tests/test_format $(OUTPUT)/tests/test_options \
	$(OUTPUT)/tests/execer $(OUTPUT)/tests/noop

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

$(OUTPUT) $(OUTPUT)/tests:
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
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(APP): $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -static $^ $(LIBBPF_LIBS) -o $@

# Unit tests link the pure parts only; no BPF is loaded.
$(OUTPUT)/tests/test_%: tests/unit/test_%.c $(OUTPUT)/%.o | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $^ -lcmocka -o $@

$(OUTPUT)/tests/execer: tests/helpers/execer.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -pthread $< -o $@

$(OUTPUT)/tests/noop: tests/helpers/noop.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -static $< -o $@

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

SOURCES := execsnoop.c execsnoop.bpf.c execsnoop.h format.c format.h options.c options.h btf_trim.c btf_trim.h \
	tests/unit/*.c tests/helpers/*.c scripts/bench/*.c

format:
	clang-format -i $(SOURCES)

format-check:
	clang-format --dry-run -Werror $(SOURCES)

clean:
	rm -rf $(OUTPUT) $(APP)

-include $(wildcard $(OUTPUT)/*.d)
