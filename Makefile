# cistern — storage pools and volumes, libvirt-compatible, on a terminal.
#
#   make            build ./cistern
#   make run        install what is missing (Debian), build, start cistern
#   make check      install what is missing, build, run every test
#   make check SANITIZE=1   the same under ASan + UBSan
#   make bench      benchmarks (ratios against baselines measured alongside)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
VERSION := 0.1.0

PKGS := ncursesw formw menuw panelw libxml-2.0 blkid libparted json-c libiscsi

ifeq ($(SANITIZE),1)
BUILD   := build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
OPT     := -O1
SAN_ENV := ASAN_OPTIONS=suppressions=$(CURDIR)/tests/asan.supp
else
BUILD   := build
SANFLAGS :=
OPT     := -O2
SAN_ENV :=
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
           -DCISTERN_VERSION='"$(VERSION)"' \
           -DCISTERN_DATADIR='"$(PREFIX)/share/cistern"' \
           $(SANFLAGS) $(PKG_CFLAGS)
LDFLAGS += $(SANFLAGS)
LDLIBS  += $(PKG_LIBS) -lpthread -lm

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

BIN := $(BUILD)/cistern

.PHONY: all deps run check bench install clean tests

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

$(BUILD)/%.o: %.c $(wildcard core/*.h tui/*.h backends/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIB_OBJ) $(BUILD)/tui/columns.o $(BUILD)/tui/table.o
	@mkdir -p $(dir $@)
	@echo "  TEST    $<"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(BUILD)/tui/columns.o \
		$(BUILD)/tui/table.o $(LDLIBS)

tests: $(TEST_BIN)

deps:
	@sh scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	./cistern

# Under SANITIZE=1 the whole suite runs with ASan/UBSan (and fails on any
# report); tests/asan.supp names bugs of linked libraries, not ours.
# ASan fills the whole of each new block (not only its first 4 KiB), so a
# string left unterminated in a buffer is read past the block's end.
SAN_ENV := ASAN_OPTIONS=suppressions=$(CURDIR)/tests/asan.supp:detect_leaks=1:abort_on_error=0:max_malloc_fill_size=16777216 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
           LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp

check: deps
	@$(MAKE) --no-print-directory all tests
	@$(if $(filter 1,$(SANITIZE)),$(SAN_ENV)) \
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
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system
	sed 's|@BINDIR@|$(PREFIX)/bin|' docs/cistern-autostart.service > \
		$(DESTDIR)$(PREFIX)/lib/systemd/system/cistern-autostart.service

clean:
	rm -rf build build-san cistern
