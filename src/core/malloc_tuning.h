// Process-wide malloc bounds for the server (docs/reliability.md "Memory budget").
//
// glibc gives every thread that contends for the heap its own arena (up to 8 per core), and an
// arena keeps the memory its thread freed: with a dozen analysis, network and ONNX Runtime threads
// each holding the peak of the largest request it ever ran, RSS grows far past the working set.
// These two knobs bound that: a small number of arenas, and handing free memory back to the
// kernel after each analysis.
//
// Thread-safety: ConfigureMallocArenas must run before the process starts its threads (it only
// affects arenas created afterwards); TrimMalloc may be called from any thread.
#pragma once

#include "core/status.h"

namespace ocular {

// Caps glibc's malloc arenas (mallopt M_ARENA_MAX) at `arenas`. 0 leaves glibc's default
// (8 x cores). InvalidArgument when negative; FailedPrecondition when the allocator in use refuses
// (a sanitizer's or a preloaded allocator replaces glibc's: the cap does not apply, callers warn
// and go on). Not glibc: a no-op.
Status ConfigureMallocArenas(int arenas);

// Returns the free memory of every malloc arena to the kernel (glibc malloc_trim(0)); the pages
// are faulted in again by the next allocation that needs them. Not glibc: a no-op.
void TrimMalloc();

}  // namespace ocular
