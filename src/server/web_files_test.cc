#include "server/web_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace tilsyn::server {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A built web UI in dist/, with a file beside it that no request may reach.
class WebFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("tilsyn-web-files-" + std::to_string(getpid()));
    fs::remove_all(base_);
    Write(base_ / "secret.txt", "not for the web");
    Write(base_ / "dist" / "index.html", "<!doctype html>");
    Write(base_ / "dist" / "favicon.ico", "icon");
    for (const char* name : {"index-3f2a.js", "index-3f2a.css", "logo.svg", "logo.png", "data.json",
                             "font.woff2", "index-3f2a.js.map", "other.bin"}) {
      Write(base_ / "dist" / "assets" / name, name);
    }
    fs::create_symlink(base_ / "secret.txt", base_ / "dist" / "linked.txt");
    Result<fs::path> root = OpenWebRoot(base_ / "dist");
    ASSERT_TRUE(root) << root.error().message;
    root_ = *root;
  }
  void TearDown() override { fs::remove_all(base_); }

  fs::path base_, root_;
};

TEST_F(WebFilesTest, IndexPageForTheRootAndTheAppsOwnRoutes) {
  for (const char* path :
       {"/", "/sager", "/overblik", "/sag/B001", "/administration", "//sager/"}) {
    Result<WebFile> file = FindWebFile(root_, path);
    ASSERT_TRUE(file) << path << ": " << file.error().message;
    EXPECT_EQ(file->path, root_ / "index.html") << path;
    EXPECT_EQ(file->content_type, "text/html; charset=utf-8") << path;
    EXPECT_EQ(file->cache_control, "no-cache") << path;
  }
}

TEST_F(WebFilesTest, FilesByTheirExtensionHashedAssetsCachedForAYear) {
  const std::pair<const char*, const char*> expected[] = {
      {"index-3f2a.js", "text/javascript; charset=utf-8"},
      {"index-3f2a.css", "text/css; charset=utf-8"},
      {"logo.svg", "image/svg+xml"},
      {"logo.png", "image/png"},
      {"data.json", "application/json"},
      {"font.woff2", "font/woff2"},
      {"index-3f2a.js.map", "application/json"},
      {"other.bin", "application/octet-stream"},
  };
  for (const auto& [name, type] : expected) {
    Result<WebFile> file = FindWebFile(root_, std::string("/assets/") + name);
    ASSERT_TRUE(file) << name << ": " << file.error().message;
    EXPECT_EQ(file->path, root_ / "assets" / name);
    EXPECT_EQ(file->content_type, type) << name;
    EXPECT_EQ(file->cache_control, "public, max-age=31536000, immutable") << name;
  }
  Result<WebFile> icon = FindWebFile(root_, "/favicon.ico");
  ASSERT_TRUE(icon);
  EXPECT_EQ(icon->content_type, "image/x-icon");
  EXPECT_EQ(icon->cache_control, "no-cache");  // not hashed: it may change under its name
}

TEST_F(WebFilesTest, AMissingAssetIsNotTheIndexPage) {
  Result<WebFile> file = FindWebFile(root_, "/assets/index-0000.js");
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code, ErrorCode::kNotFound);
}

TEST_F(WebFilesTest, NoPathLeavesTheRoot) {
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/./index.html", "/..",
                           "/sager/..\\secret.txt"}) {
    Result<WebFile> file = FindWebFile(root_, path);
    ASSERT_FALSE(file) << path;
    EXPECT_EQ(file.error().code, ErrorCode::kInvalidArgument) << path;
  }
  // A link inside the root to a file outside it is not followed.
  Result<WebFile> linked = FindWebFile(root_, "/linked.txt");
  ASSERT_FALSE(linked);
  EXPECT_EQ(linked.error().code, ErrorCode::kNotFound);
}

TEST_F(WebFilesTest, TheServersOwnPathsAreNotTheApps) {
  for (const char* path : {"/api", "/api/nothing", "/healthz", "/calendar/abc.ics"}) {
    Result<WebFile> file = FindWebFile(root_, path);
    ASSERT_FALSE(file) << path;
    EXPECT_EQ(file.error().code, ErrorCode::kNotFound) << path;
  }
  EXPECT_TRUE(FindWebFile(root_, "/apis"));  // only whole segments
}

TEST_F(WebFilesTest, TheRootMustHoldABuild) {
  EXPECT_FALSE(OpenWebRoot(base_ / "missing"));
  Result<fs::path> unbuilt = OpenWebRoot(base_ / "dist" / "assets");
  ASSERT_FALSE(unbuilt);
  EXPECT_NE(unbuilt.error().message.find("npm run build"), std::string::npos);
}

}  // namespace
}  // namespace tilsyn::server
