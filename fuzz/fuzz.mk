# fuzz.mk: libFuzzer harnesses for the wire code (fuzz/README.md), included
# by the Makefile.
#
#   make fuzz          build with clang -fsanitize=fuzzer,address,undefined
#                      and run each harness for FUZZ_SECONDS (default 60)
#   make fuzz-smoke    each harness over its seed corpus, then a few seconds
#                      (FUZZ_SMOKE_SECONDS, default 10); part of make check
#   make fuzz-corpus   regenerate the committed seeds in fuzz/corpus/
#
# New inputs go to $(BUILD)/fuzz/corpus-HARNESS, crashes to $(BUILD)/fuzz/.

FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_HARNESSES     := wire_request_fuzz wire_reply_fuzz
FUZZ_DIR           := $(BUILD)/fuzz
FUZZ_BIN           := $(addprefix $(FUZZ_DIR)/,$(FUZZ_HARNESSES))
FUZZ_WIRE_SRC      := $(sort $(wildcard wire/*.c)) $(GEN)/sysdesc.c
FUZZ_CFLAGS        := -std=gnu11 -g -O1 $(WARN) -D_GNU_SOURCE \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Iwire -Iinclude -I$(GEN)/include -Ifuzz
FUZZ_HDRS          := fuzz/fuzz_calls.h fuzz/reply_cases.h $(wildcard wire/*.h)

.PHONY: fuzz fuzz-smoke fuzz-corpus

$(FUZZ_DIR)/%_fuzz: fuzz/%_fuzz.c $(FUZZ_WIRE_SRC) $(FUZZ_HDRS) | $(GENERATED)
	@mkdir -p $(dir $@)
	$(QCC)$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(FUZZ_WIRE_SRC) -o $@

$(FUZZ_DIR)/gen_corpus: fuzz/gen_corpus.c $(FUZZ_WIRE_SRC) $(FUZZ_HDRS) | $(GENERATED)
	@mkdir -p $(dir $@)
	$(QCC)$(CC) -std=gnu11 -g -O1 $(WARN) -D_GNU_SOURCE -Iwire -Iinclude \
		-I$(GEN)/include -Ifuzz $< $(FUZZ_WIRE_SRC) -o $@

# Run each harness: fresh inputs in $(FUZZ_DIR), the seeds read-only.
# $(1): seconds per harness.
define fuzz_run
	@set -e; for h in $(FUZZ_HARNESSES); do \
		mkdir -p $(FUZZ_DIR)/corpus-$$h; \
		log=$(FUZZ_DIR)/$$h.log; \
		if $(FUZZ_DIR)/$$h -max_total_time=$(1) -print_final_stats=1 \
		    -use_value_profile=1 \
		    -artifact_prefix=$(FUZZ_DIR)/$$h- \
		    $(FUZZ_DIR)/corpus-$$h fuzz/corpus/$$h > $$log 2>&1; then \
			echo "fuzz $$h: ok, $$(grep -o 'stat::number_of_executed_units: *[0-9]*' $$log | grep -o '[0-9]*$$') runs in $(1) s"; \
		else \
			tail -n 40 $$log; \
			echo "fuzz $$h: FAILED (log: $$log)"; exit 1; \
		fi; \
	done
endef

# The harness list is read when the recipes run, so harnesses added
# further down this file (FUZZ_HARNESSES/FUZZ_BIN +=) are included.
fuzz:
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	$(call fuzz_run,$(FUZZ_SECONDS))

fuzz-smoke:
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	$(call fuzz_run,$(FUZZ_SMOKE_SECONDS))

fuzz-corpus: $(FUZZ_DIR)/gen_corpus
	rm -rf fuzz/corpus/wire_request_fuzz fuzz/corpus/wire_reply_fuzz
	mkdir -p fuzz/corpus/wire_request_fuzz fuzz/corpus/wire_reply_fuzz
	$(FUZZ_DIR)/gen_corpus fuzz/corpus/wire_request_fuzz \
		fuzz/corpus/wire_reply_fuzz

# --- The FAT file system: fuzz/msdos_image_fuzz.c (doc/msdos-fuzzing.md).
# Its kernel is built by $(FUZZ_CC) with ASan+UBSan and libFuzzer's
# coverage instrumentation in a build directory of its own.
#
#   make fuzz-corpus-msdos   regenerate fuzz/corpus/msdos_image_fuzz/
#                            (regress-* seeds, added by hand, stay)
FUZZ_KERN_BUILD := $(BUILD)/fuzz-kern
FUZZ_LIBRUMP    := $(FUZZ_KERN_BUILD)/lib/librump.a
FUZZ_HARNESSES  += msdos_image_fuzz
FUZZ_BIN        += $(FUZZ_DIR)/msdos_image_fuzz

.PHONY: fuzz-librump fuzz-corpus-msdos

fuzz-librump:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_KERN_BUILD) CC=$(FUZZ_CC) \
		SAN=asan OPT=-O1 CFLAGS=-fsanitize=fuzzer-no-link $(FUZZ_LIBRUMP)

$(FUZZ_DIR)/msdos_image_fuzz: fuzz/msdos_image_fuzz.c fuzz-librump
	@mkdir -p $(dir $@)
	$(QCC)$(FUZZ_CC) -std=gnu11 -g -O1 $(WARN) \
		-fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -Iinclude \
		-I$(FUZZ_KERN_BUILD)/gen/include $< -Wl,--whole-archive \
		$(FUZZ_LIBRUMP) -Wl,--no-whole-archive -pthread -o $@

fuzz-corpus-msdos:
	mkdir -p fuzz/corpus/msdos_image_fuzz
	find fuzz/corpus/msdos_image_fuzz -type f ! -name 'regress-*' -delete
	python3 fuzz/gen_msdos_corpus.py fuzz/corpus/msdos_image_fuzz
