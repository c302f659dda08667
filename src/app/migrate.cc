// Moving an installation between stores: the checks on what the operator named, then the copy.
#include "app/migrate.h"

#include <filesystem>
#include <system_error>

#include "store/open_store.h"
#include "store/postgres_store.h"

namespace hamlet::app {
namespace {

// A name with a scheme that is not PostgreSQL's would otherwise be taken as a SQLite file name.
core::Status CheckName(const std::string& name, const char* side) {
  if (name.empty()) return core::Status::InvalidArgument(std::string(side) + " is empty");
  if (!store::IsPostgresUrl(name) && name.find("://") != std::string::npos) {
    return core::Status::InvalidArgument(std::string(side) + " '" +
                                         name.substr(0, name.find("://")) +
                                         "://...' is neither a postgresql:// URL nor a file");
  }
  return core::Status::Ok();
}

// Both names lead to the same database: the same URL, or the same file by any path.
bool SameStore(const std::string& from, const std::string& to) {
  if (from == to) return true;
  if (store::IsPostgresUrl(from) || store::IsPostgresUrl(to)) return false;
  std::error_code ec;
  return std::filesystem::equivalent(from, to, ec) && !ec;
}

}  // namespace

core::Result<engine::CopyReport> MigrateInstallation(const MigrateOptions& options) {
  if (core::Status s = CheckName(options.from, "--from"); !s.ok()) return s;
  if (core::Status s = CheckName(options.to, "--to"); !s.ok()) return s;
  if (SameStore(options.from, options.to)) {
    return core::Status::InvalidArgument("--from and --to name the same database");
  }
  if (!store::IsPostgresUrl(options.from)) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(options.from, ec)) {
      return core::Status::NotFound("--from '" + options.from + "': no such file");
    }
  }
  auto from = store::OpenStore(options.from);
  if (!from) return from.error();
  auto to = store::OpenStore(options.to);
  if (!to) return to.error();
  return engine::CopyInstallation(**from, **to, options.copy);
}

}  // namespace hamlet::app
