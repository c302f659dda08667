// Migrate: `hamlet migrate --from A --to B`: an installation moved between a SQLite file and a
// PostgreSQL database (either way), with a count check. Checks what the operator named, opens
// both stores and runs engine::CopyInstallation.
#pragma once

#include <string>

#include "core/status.h"
#include "engine/store_copy.h"

namespace hamlet::app {

struct MigrateOptions {
  std::string from;  // a SQLite file that exists, or a postgresql:// URL
  std::string to;    // a SQLite file (created when missing) or a postgresql:// URL; empty
  engine::CopyOptions copy;
};

// Copies `from` into `to` and returns the counts (CopyReport::ok() says whether they agree).
// Errors, before anything is written: InvalidArgument for an empty or unknown name (a URL
// scheme other than postgresql://), the same store on both sides, a destination that is not
// empty; NotFound for a source file that does not exist; the store's own errors when one
// cannot be opened (a bad URL, an unreachable server, not a hamlet database). An error midway
// names the table and the rows copied; the destination then holds a partial copy.
core::Result<engine::CopyReport> MigrateInstallation(const MigrateOptions& options);

}  // namespace hamlet::app
