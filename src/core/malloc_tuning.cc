#include "core/malloc_tuning.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ocular {
namespace {

constexpr char kHugeTlbTunable[] = "glibc.malloc.hugetlb=";

// The kernel's transparent huge page mode: the bracketed word of
// /sys/kernel/mm/transparent_hugepage/enabled ("always", "madvise" or "never"); "" if unknown.
std::string KernelThpMode() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  std::getline(in, line);
  const std::size_t open = line.find('['), close = line.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return "";
  return line.substr(open + 1, close - open - 1);
}

// This process's arguments, from /proc/self/cmdline (NUL-separated).
std::vector<std::string> OwnArguments() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  std::size_t start = 0;
  while (start < all.size()) {
    std::size_t end = all.find('\0', start);
    if (end == std::string::npos) end = all.size();
    args.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return args;
}

}  // namespace

MallocHugePages ApplyMallocHugePages(bool enable) {
#if !defined(__GLIBC__)
  (void)enable;
  return {false, "the C library is not glibc"};
#else
  const std::string mode = KernelThpMode();
  const char* env = std::getenv("GLIBC_TUNABLES");
  const std::string tunables = env ? env : "";
  if (std::size_t at = tunables.find(kHugeTlbTunable); at != std::string::npos) {
    const std::size_t begin = at + std::strlen(kHugeTlbTunable);
    const std::size_t end = tunables.find(':', begin);
    const std::string value =
        tunables.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    const bool active = !value.empty() && value != "0" && mode != "never";
    return {active, "GLIBC_TUNABLES=" + tunables + ", kernel THP mode " +
                        (mode.empty() ? std::string("unknown") : mode)};
  }
  if (!enable) return {false, "--malloc-hugepages=false"};
  if (mode.empty() || mode == "never") {
    return {false, "the kernel's transparent huge pages are " +
                       (mode.empty() ? std::string("unavailable") : "off (" + mode + ")")};
  }
  std::vector<std::string> args = OwnArguments();
  if (args.empty()) return {false, "cannot read /proc/self/cmdline to re-execute"};
  const std::string updated = tunables.empty() ? std::string(kHugeTlbTunable) + "1"
                                               : tunables + ":" + kHugeTlbTunable + "1";
  setenv("GLIBC_TUNABLES", updated.c_str(), /*overwrite=*/1);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv("/proc/self/exe", argv.data());
  const int error = errno;
  // Still here: the exec failed. Restore the environment and go on without huge pages.
  if (env) {
    setenv("GLIBC_TUNABLES", tunables.c_str(), 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
  return {false, std::string("re-executing with the tunable failed: ") + std::strerror(error)};
#endif
}

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
