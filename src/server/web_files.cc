#include "server/web_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <system_error>
#include <utility>

namespace tilsyn::server {
namespace {

namespace fs = std::filesystem;

// What a Vite build holds; anything else is served as bytes (nosniff keeps the browser from
// guessing).
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kContentTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".json", "application/json"},
    {".woff2", "font/woff2"},
    {".map", "application/json"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
}};

// Vite names every file under assets/ by a hash of its content, so a changed file gets a new name.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

std::string_view ContentTypeOf(const fs::path& file) {
  const std::string extension = file.extension().string();
  for (const auto& [known, type] : kContentTypes) {
    if (extension == known) return type;
  }
  return "application/octet-stream";
}

bool StartsWithSegment(std::string_view path, std::string_view prefix) {
  return path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

// Whether `file` is `root` or below it, both made canonical.
bool IsUnder(const fs::path& file, const fs::path& root) {
  const auto [root_end, file_at] =
      std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  return root_end == root.end();
}

}  // namespace

bool IsServerPath(std::string_view path) {
  return StartsWithSegment(path, "/api") || StartsWithSegment(path, "/healthz") ||
         StartsWithSegment(path, "/calendar");
}

Result<fs::path> OpenWebRoot(const fs::path& root) {
  std::error_code error;
  fs::path canonical = fs::canonical(root, error);
  if (error || !fs::is_directory(canonical)) {
    return NotFound(fmt::format("the web root {} is not a directory", root.string()));
  }
  if (!fs::is_regular_file(canonical / "index.html")) {
    return NotFound(fmt::format(
        "the web root {} has no index.html: build the web UI (cd web && npm ci && npm run build)",
        root.string()));
  }
  return canonical;
}

Result<WebFile> FindWebFile(const fs::path& root, std::string_view path) {
  if (IsServerPath(path)) return NotFound("Siden findes ikke");
  fs::path relative;
  std::string_view rest = path;
  while (!rest.empty()) {
    const size_t end = std::min(rest.find('/'), rest.size());
    const std::string_view segment = rest.substr(0, end);
    rest.remove_prefix(std::min(end + 1, rest.size()));
    if (segment.empty()) continue;
    if (segment == "." || segment == ".." || segment.find('\\') != std::string_view::npos ||
        segment.find('\0') != std::string_view::npos) {
      return InvalidArgument("Stien er ugyldig");
    }
    relative /= fs::path(std::string(segment));
  }
  const bool is_asset = path.starts_with("/assets/");
  if (!relative.empty()) {
    std::error_code error;
    const fs::path file = fs::canonical(root / relative, error);
    if (!error && fs::is_regular_file(file)) {
      if (!IsUnder(file, root)) return NotFound("Siden findes ikke");
      return WebFile{file, ContentTypeOf(file), is_asset ? kImmutable : kRevalidate};
    }
  }
  // A missing hashed file is an old page asking for what a newer build replaced: the index page
  // would only be read as script or style.
  if (is_asset) return NotFound("Filen findes ikke");
  return WebFile{root / "index.html", ContentTypeOf("index.html"), kRevalidate};
}

}  // namespace tilsyn::server
