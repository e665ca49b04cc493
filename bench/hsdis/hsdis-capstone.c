/*
 * A HotSpot disassembler plugin (the "hsdis" that -XX:+PrintAssembly loads) over the Capstone library, for
 * bench/disasm.sh. JDK 9 and later call decode_instructions_virtual; Debian ships only binutils- and fcml-based
 * builds of the older entry point (libhsdis0-fcml), which JDK 25 does not accept. Built on demand with
 *   gcc -O2 -shared -fPIC -o hsdis-amd64.so hsdis-capstone.c -lcapstone      (Debian: libcapstone-dev)
 * Developer tool only: nothing in the build or the tests uses it.
 */
#include <stdint.h>
#include <stdio.h>
#include <capstone/capstone.h>

typedef void* (*event_fn)(void* stream, const char* event, void* arg);
typedef int (*printf_fn)(void* stream, const char* format, ...);

static void* ignore_event(void* stream, const char* event, void* arg) {
  (void) stream; (void) event; (void) arg;
  return NULL;
}

/* Decodes [start_va, start_va + length) held in buffer, one instruction a line, Intel syntax; the events let
   HotSpot interleave its own comments (oop maps, source lines) at each instruction's address. */
void* decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char* buffer, uintptr_t length,
                                  event_fn event, void* event_stream, printf_fn print, void* print_stream,
                                  const char* options, int newline) {
  (void) end_va; (void) options;
  if (print == NULL) { print = (printf_fn) fprintf; if (print_stream == NULL) print_stream = stdout; }
  if (event == NULL) event = ignore_event;
  csh handle;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
    print(print_stream, "hsdis-capstone: cs_open failed\n");
    return NULL;
  }
  cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_INTEL);
  cs_option(handle, CS_OPT_SKIPDATA, CS_OPT_ON); /* data in the code (constants) is shown as .byte, not a stop */
  cs_insn* insn;
  size_t count = cs_disasm(handle, buffer, length, start_va, 0, &insn);
  for (size_t i = 0; i < count; i++) {
    event(event_stream, "insn", (void*) (uintptr_t) insn[i].address);
    print(print_stream, "%s\t%s", insn[i].mnemonic, insn[i].op_str);
    event(event_stream, "/insn", (void*) (uintptr_t) (insn[i].address + insn[i].size));
    if (newline) print(print_stream, "\n");
  }
  if (count > 0) cs_free(insn, count);
  cs_close(&handle);
  return NULL;
}
