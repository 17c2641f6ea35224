#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tilsyn::server {

// A file of the web UI (the Vite build, web/dist) as a GET answers it.
struct WebFile {
  std::filesystem::path path;
  std::string_view content_type;
  std::string_view cache_control;
};

// Whether `path` belongs to the server itself (/api, /healthz, /calendar), so that the web UI
// never answers it, not even with its index page.
bool IsServerPath(std::string_view path);

// Checks that `root` is a directory with an index.html, and returns it made absolute and free of
// symbolic links, as FindWebFile takes it.
Result<std::filesystem::path> OpenWebRoot(const std::filesystem::path& root);

// The file that answers GET `path` (URL-decoded) from `root` (from OpenWebRoot): the file itself
// when `path` names one under `root`; else, outside /assets/, index.html, so that the single-page
// app's own routes (/sager, /sag/B001) load it. Hashed files under /assets/ are cached for a year;
// everything else is revalidated. kInvalidArgument for a path with "." or ".." segments, and
// kNotFound for a server path, a missing asset, or a file reached through a link out of `root`.
Result<WebFile> FindWebFile(const std::filesystem::path& root, std::string_view path);

}  // namespace tilsyn::server
