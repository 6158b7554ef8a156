// Process-wide malloc bounds for the server (docs/reliability.md "Memory budget").
//
// glibc gives every thread that contends for the heap its own arena (up to 8 per core), and an
// arena keeps the memory its thread freed: with a dozen analysis, network and ONNX Runtime threads
// each holding the peak of the largest request it ever ran, RSS grows far past the working set.
// These two knobs bound that: a small number of arenas, and handing free memory back to the
// kernel after each analysis. Handing memory back has a price: every request faults its tensor
// and image buffers in again, 4 KiB at a time. Transparent huge pages for malloc'd memory
// (ApplyMallocHugePages) fault them in 2 MiB at a time and win most of that CPU back.
//
// Thread-safety: ApplyMallocHugePages and ConfigureMallocArenas must run before the process
// starts its threads (the first may re-execute the process; the second only affects arenas
// created afterwards); TrimMalloc may be called from any thread.
#pragma once

#include <string>

#include "core/status.h"

namespace ocular {

// What ApplyMallocHugePages found, for the startup log.
struct MallocHugePages {
  bool active = false;  // glibc.malloc.hugetlb is set to a non-zero value in this process
  std::string detail;   // e.g. "GLIBC_TUNABLES=glibc.malloc.hugetlb=1, kernel THP mode madvise"
};

// Transparent huge pages for malloc: glibc's tunable glibc.malloc.hugetlb=1 makes malloc
// madvise(MADV_HUGEPAGE) the memory it maps (docs/reliability.md "Memory budget"). glibc reads
// tunables only when a process starts, so when `enable` is true, the tunable is not in
// GLIBC_TUNABLES yet and the kernel's THP mode is not "never", this appends it to GLIBC_TUNABLES
// and re-executes /proc/self/exe with the same arguments (same pid; does not return). The
// re-executed process then finds the tunable and returns. An operator's own
// glibc.malloc.hugetlb=N in GLIBC_TUNABLES always wins, whatever `enable` says. Returns inactive
// (with the reason) when `enable` is false, the kernel has THP off, the C library is not glibc,
// or the re-exec failed.
MallocHugePages ApplyMallocHugePages(bool enable);

// Caps glibc's malloc arenas (mallopt M_ARENA_MAX) at `arenas`. 0 leaves glibc's default
// (8 x cores). InvalidArgument when negative; FailedPrecondition when the allocator in use refuses
// (a sanitizer's or a preloaded allocator replaces glibc's: the cap does not apply, callers warn
// and go on). Not glibc: a no-op.
Status ConfigureMallocArenas(int arenas);

// Returns the free memory of every malloc arena to the kernel (glibc malloc_trim(0)); the pages
// are faulted in again by the next allocation that needs them. Not glibc: a no-op.
void TrimMalloc();

}  // namespace ocular
