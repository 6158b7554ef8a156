// SHA-256 of files and buffers, as lowercase hex (OpenSSL libcrypto).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ocular::runtime {

// sha256 of `data` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);

// sha256 of a file's contents, read in 1 MiB blocks. Errors: NotFound when the file is missing,
// FailedPrecondition when it cannot be read.
StatusOr<std::string> Sha256File(const std::filesystem::path& file);

}  // namespace ocular::runtime
