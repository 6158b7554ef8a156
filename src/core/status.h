// Status and StatusOr<T>: the error model of every Ocular library function.
//
// Core code never throws across its API. A function that can fail returns Status (or
// StatusOr<T> when it also yields a value) and callers unwind with OCULAR_RETURN_IF_ERROR /
// OCULAR_ASSIGN_OR_RETURN. Foreign errors (ONNX Runtime, OpenCV, curl, ...) are converted into a
// Status at the edge where the foreign call is made.
//
// A Status carries:
//   - a coarse StatusCode, which the API layer maps to an HTTP status and Azure's outer code;
//   - an optional Azure "inner" error code (e.g. "InvalidImageFormat", "InvalidImageSize"),
//     which the API layer sends as error.innererror.code;
//   - a human-readable message that is safe to return to the caller (it must never contain image
//     bytes, image URLs, keys or results: see the privacy rules in README.md).
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ocular {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad request parameter or bad input image -> HTTP 400
  kNotFound,            // unknown route, model, operation id -> HTTP 404
  kUnauthenticated,     // missing or wrong key -> HTTP 401
  kResourceExhausted,   // queue full, rate limit, store full -> HTTP 429
  kUnavailable,         // not ready yet / shutting down -> HTTP 503
  kUnsupported,         // a feature whose model is not installed, unsupported media -> HTTP 400/415
  kDeadlineExceeded,    // timeout -> HTTP 500 (Azure "Timeout")
  kFailedPrecondition,  // configuration or model validation failure (startup, CLI)
  kInternal,            // a bug or a foreign library failure -> HTTP 500
};

// Returns "OK", "INVALID_ARGUMENT", ...: for logs and CLI messages.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // The default Status is OK.
  Status() = default;
  Status(StatusCode code, std::string message, std::string inner_code = {})
      : code_(code), message_(std::move(message)), inner_code_(std::move(inner_code)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The Azure inner error code, empty when none applies.
  const std::string& inner_code() const { return inner_code_; }

  // "INVALID_ARGUMENT [InvalidImageFormat]: message" (or "OK").
  std::string ToString() const;

  // Marks a status as deliberately ignored.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string inner_code_;
};

// Named constructors for the common cases.
inline Status InvalidArgument(std::string msg, std::string inner = {}) {
  return Status(StatusCode::kInvalidArgument, std::move(msg), std::move(inner));
}
inline Status NotFound(std::string msg, std::string inner = {}) {
  return Status(StatusCode::kNotFound, std::move(msg), std::move(inner));
}
inline Status Unsupported(std::string msg, std::string inner = {}) {
  return Status(StatusCode::kUnsupported, std::move(msg), std::move(inner));
}
inline Status FailedPrecondition(std::string msg, std::string inner = {}) {
  return Status(StatusCode::kFailedPrecondition, std::move(msg), std::move(inner));
}
inline Status Internal(std::string msg, std::string inner = {}) {
  return Status(StatusCode::kInternal, std::move(msg), std::move(inner));
}
inline Status ResourceExhausted(std::string msg, std::string inner = {}) {
  return Status(StatusCode::kResourceExhausted, std::move(msg), std::move(inner));
}
inline Status Unavailable(std::string msg, std::string inner = {}) {
  return Status(StatusCode::kUnavailable, std::move(msg), std::move(inner));
}

// A value or an error. REQUIRES: a StatusOr is never built from an OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const Status& status) : data_(status) { assert(!status.ok()); }  // NOLINT
  StatusOr(Status&& status) : data_(std::move(status)) {                    // NOLINT
    assert(!std::get<Status>(data_).ok());
  }
  StatusOr(const T& value) : data_(value) {}       // NOLINT
  StatusOr(T&& value) : data_(std::move(value)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(data_); }
  // Returns OK when a value is held.
  Status status() const { return ok() ? Status() : std::get<Status>(data_); }

  // REQUIRES: ok().
  const T& value() const& { return std::get<T>(data_); }
  T& value() & { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<Status, T> data_;
};

}  // namespace ocular

#define OCULAR_CONCAT_INNER_(a, b) a##b
#define OCULAR_CONCAT_(a, b) OCULAR_CONCAT_INNER_(a, b)

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define OCULAR_RETURN_IF_ERROR(expr)           \
  do {                                         \
    ::ocular::Status ocular_status_ = (expr);  \
    if (!ocular_status_.ok()) return ocular_status_; \
  } while (0)

// `lhs` = value of `expr` (a StatusOr), or returns its error from the enclosing function.
#define OCULAR_ASSIGN_OR_RETURN(lhs, expr) \
  OCULAR_ASSIGN_OR_RETURN_IMPL_(OCULAR_CONCAT_(ocular_statusor_, __LINE__), lhs, expr)
#define OCULAR_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
