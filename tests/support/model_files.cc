// Atomic model replacement for reload tests.
#include "support/model_files.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include <doctest/doctest.h>

#include "app/model_meta.h"

namespace hamlet::testing {
namespace {

// Copy to a temporary name in the target's directory, then rename: readers see the old
// file or the new one, never half of one.
void CopyAtomically(const std::string& source, const std::string& target) {
  const std::string tmp = target + ".installing";
  std::error_code ec;
  std::filesystem::copy_file(source, tmp, std::filesystem::copy_options::overwrite_existing, ec);
  REQUIRE_MESSAGE(!ec, "copy " << source << " -> " << tmp << ": " << ec.message());
  std::filesystem::rename(tmp, target, ec);
  REQUIRE_MESSAGE(!ec, "rename " << tmp << " -> " << target << ": " << ec.message());
}

}  // namespace

void InstallModelForTesting(const std::string& source, const std::string& target) {
  const std::string source_meta = app::ModelMetaPath(source);
  const std::string target_meta = app::ModelMetaPath(target);
  std::error_code ec;
  if (std::filesystem::exists(source_meta)) {
    CopyAtomically(source_meta, target_meta);
  } else {
    std::filesystem::remove(target_meta, ec);
  }
  CopyAtomically(source, target);
}

void CorruptModelForTesting(const std::string& target) {
  const std::string tmp = target + ".corrupt";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << "this is not a fastText model\n";
    REQUIRE(out.flush());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, target, ec);
  REQUIRE_MESSAGE(!ec, "rename " << tmp << " -> " << target << ": " << ec.message());
}

std::string ShippedModelPath() {
  return std::string(HAMLET_SOURCE_DIR) + "/models/hamlet-default.ftz";
}

}  // namespace hamlet::testing
