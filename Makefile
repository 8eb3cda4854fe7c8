# cistern — storage pools and volumes, libvirt-compatible, on a terminal.
#
#   make            build ./cistern
#   make run        install what is missing (Debian), build, start cistern
#   make check      install what is missing, build, run every test
#   make check SANITIZE=1   the same under ASan + UBSan
#   make bench      benchmarks (ratios against baselines measured alongside)
#   make fuzz       every libFuzzer harness for FUZZ_SECONDS (default 60)
#   make install    PREFIX=/usr/local DESTDIR=
#   make deb        a Debian package (dpkg-buildpackage), into build/deb/
#   make check-deb  build it, install it into a fresh Debian 12 root, test it

PREFIX  ?= /usr/local
DESTDIR ?=
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
CC      ?= cc
VERSION := 0.1.0

PKGS := ncursesw menuw panelw libxml-2.0 blkid mount json-c libiscsi
# compiled against, not linked: loaded when first needed
# (backends/libvirt_api.c, backends/parted_api.c; librbd and librados:
# backends/ceph_api.c)
PKGS_LOADED := libvirt libparted

ifeq ($(SANITIZE),1)
BUILD   := build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
OPT     := -O1
# ASan finds the functions it intercepts when the program starts: those
# of libraries loaded later (libvirt's libtirpc, xdr*; librbd's
# libstdc++, __cxa_throw) would be called through a null pointer. So
# the sanitizer build links them from the start.
SANLIBS := -Wl,--push-state,--no-as-needed -l:libtirpc.so.3 \
           -l:libstdc++.so.6 -Wl,--pop-state
# the suite fails on any report; tests/asan.supp names bugs of linked
# libraries, not ours
# ASan fills the whole of each new block (not only its first 4 KiB), so a
# string left unterminated in a buffer is read past the block's end.
SAN_ENV := ASAN_OPTIONS=suppressions=$(CURDIR)/tests/asan.supp:detect_leaks=1:abort_on_error=0:max_malloc_fill_size=16777216 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
           LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp
else
BUILD   := build
SANFLAGS :=
SANLIBS :=
OPT     := -O2
SAN_ENV :=
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(PKGS_LOADED) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
           -DCISTERN_VERSION='"$(VERSION)"' \
           -DCISTERN_DATADIR='"$(PREFIX)/share/cistern"' \
           $(SANFLAGS) $(PKG_CFLAGS)
LDFLAGS += $(SANFLAGS)
# (librbd and librados ship no pkg-config file on Debian 12)
LDLIBS  += $(PKG_LIBS) -lpthread -lm $(SANLIBS)

CORE_SRC := $(wildcard core/*.c)
BACK_SRC := $(wildcard backends/*.c)
TUI_SRC  := $(wildcard tui/*.c)

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
BACK_OBJ := $(BACK_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ  := $(TUI_SRC:%.c=$(BUILD)/%.o)
LIB_OBJ  := $(CORE_OBJ) $(BACK_OBJ)

TEST_C    := $(wildcard tests/unit/*.c tests/conformance/*.c tests/store/*.c tests/lib/*.c \
               tests/backends/*.c tests/bench/*.c tests/fuzz/*.c)
TEST_BIN  := $(TEST_C:%.c=$(BUILD)/%)

# Fuzz harnesses (tests/fuzz/targets/NAME.c): replayed over their corpus
# by `make check` through a plain driver, run by libFuzzer in `make fuzz`.
FUZZ_NAMES  := $(basename $(notdir $(wildcard tests/fuzz/targets/*.c)))
FUZZ_REPLAY := $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)
# what harnesses link: the whole program, its main() renamed (they have
# their own)
HARNESS_OBJ := $(LIB_OBJ) $(filter-out $(BUILD)/tui/main.o,$(TUI_OBJ)) \
               $(BUILD)/fuzz/main.o

BIN := $(BUILD)/cistern

.PHONY: all deps run check bench install clean tests deb check-deb fuzz fuzz-bin

all: $(BIN) cistern

cistern: $(BIN)
ifeq ($(SANITIZE),1)
	@true
else
	@cp $(BIN) cistern.tmp && mv -f cistern.tmp cistern
endif

$(BIN): $(TUI_OBJ) $(LIB_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# each object depends on the headers it includes (-MMD), and a removed
# header does not break the build (-MP)
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIB_OBJ) $(BUILD)/tui/columns.o $(BUILD)/tui/table.o
	@mkdir -p $(dir $@)
	@echo "  TEST    $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< $(LIB_OBJ) \
		$(BUILD)/tui/columns.o $(BUILD)/tui/table.o $(LDLIBS)

$(BUILD)/fuzz/main.o: tui/main.c $(wildcard core/*.h tui/*.h)
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -Dmain=cistern_main -c -o $@ $<

$(BUILD)/fuzz/%: tests/fuzz/targets/%.c tests/fuzz/targets/fuzz.h \
		tests/fuzz/driver/replay.c $(HARNESS_OBJ)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $<"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/driver/replay.c \
		$(HARNESS_OBJ) $(LDLIBS)

tests: $(TEST_BIN) $(FUZZ_REPLAY)

# libFuzzer builds: clang with ASan and UBSan, objects of their own.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_DIR     := build-fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
FUZZ_CFLAGS  := -O1 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
                -DCISTERN_VERSION='"$(VERSION)"' \
                -DCISTERN_DATADIR='"$(PREFIX)/share/cistern"' $(FUZZ_SAN)
FUZZ_OBJ     := $(patsubst %.c,$(FUZZ_DIR)/%.o,$(CORE_SRC) $(BACK_SRC) \
                $(TUI_SRC))
FUZZ_BIN     := $(FUZZ_NAMES:%=$(FUZZ_DIR)/bin/%)

$(FUZZ_DIR)/%.o: %.c $(wildcard core/*.h tui/*.h backends/*.h)
	@mkdir -p $(dir $@)
	@echo "  CLANG   $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) \
		$(if $(filter tui/main.c,$<),-Dmain=cistern_main) -c -o $@ $<

$(FUZZ_DIR)/bin/%: tests/fuzz/targets/%.c tests/fuzz/targets/fuzz.h $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	@echo "  FUZZER  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< \
		$(FUZZ_OBJ) $(PKG_LIBS) -lpthread -lm

.SECONDARY: $(FUZZ_OBJ)

fuzz-bin: $(FUZZ_BIN)

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-bin
	@sh scripts/fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_NAMES)

-include $(CORE_OBJ:.o=.d) $(BACK_OBJ:.o=.d) $(TUI_OBJ:.o=.d) \
	 $(TEST_BIN:=.d)

deps:
	@sh scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	./cistern

check: deps
	@$(MAKE) --no-print-directory all tests
	@$(SAN_ENV) \
		CISTERN=$(CURDIR)/$(BIN) BUILD=$(CURDIR)/$(BUILD) \
		bash tests/run.sh $(TESTS)

bench: deps
	@$(MAKE) --no-print-directory all tests
	@CISTERN=$(CURDIR)/$(BIN) BUILD=$(CURDIR)/$(BUILD) \
		bash tests/bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/cistern/themes
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/cistern
	for t in themes/*.theme; do \
		[ -e "$$t" ] && install -m 0644 "$$t" \
			$(DESTDIR)$(PREFIX)/share/cistern/themes/ || true; \
	done
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	$(BIN) help --man > $(DESTDIR)$(PREFIX)/share/man/man1/cistern.1
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|@BINDIR@|$(PREFIX)/bin|' docs/cistern-autostart.service > \
		$(DESTDIR)$(SYSTEMDUNITDIR)/cistern-autostart.service
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 0644 docs/cistern.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/cistern

# The package: dpkg-buildpackage writes beside the project (..); the
# results are moved into build/deb/.
deb:
	@sh scripts/deps.sh --deb
	dpkg-buildpackage -us -uc -b
	@mkdir -p build/deb
	@mv -f ../cistern_$(VERSION)_*.deb ../cistern-dbgsym_$(VERSION)_*.deb \
		../cistern_$(VERSION)_*.buildinfo ../cistern_$(VERSION)_*.changes \
		build/deb/ 2>/dev/null || true
	lintian --fail-on error build/deb/cistern_$(VERSION)_*.changes
	@ls build/deb/*.deb

check-deb: deb
	@bash tests/pkg/deb.sh build/deb/cistern_$(VERSION)_*.deb

clean:
	rm -rf build build-san build-fuzz cistern
