#include <fmt/format.h>

#include <cstdio>

#include "apps/cli/commands.h"

namespace tilsyn::cli {

int ReportError(const Error& error) {
  fmt::print(stderr, "tilsyn: {}\n", error.message);
  switch (error.code) {
    case ErrorCode::kInternal:
    case ErrorCode::kDataLoss:
      return 3;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kUnavailable:
    case ErrorCode::kResourceExhausted:
      return 1;
  }
  return 1;
}

}  // namespace tilsyn::cli
