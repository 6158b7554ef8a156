#include "core/malloc_tuning.h"

#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ocular {

Status ConfigureMallocArenas(int arenas) {
  if (arenas < 0) {
    return InvalidArgument("malloc arenas must be >= 0 (0: the C library's default), got " +
                           std::to_string(arenas));
  }
  if (arenas == 0) return Status::Ok();
#if defined(__GLIBC__)
  if (mallopt(M_ARENA_MAX, arenas) != 1) {
    return FailedPrecondition("the malloc in use does not accept mallopt(M_ARENA_MAX, " +
                              std::to_string(arenas) +
                              ") (a sanitizer or a preloaded allocator?): arenas not capped");
  }
#endif
  return Status::Ok();
}

void TrimMalloc() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace ocular
