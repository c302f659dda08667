// Schema: the stores' ordered migrations, one list for both backends: each version has SQLite's
// SQL (keyed by `PRAGMA user_version`) and PostgreSQL's (keyed by schema_version.version). The
// SQL text of a released migration never changes; a schema change is a new migration appended
// to the list, with both dialects. No database calls here: each store runs the planned steps on
// its own connection (sqlite_store.cc, postgres_store.cc).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "core/status.h"

namespace hamlet::store::schema {

// `PRAGMA application_id` of a hamlet database ("Haml"), so that another program's SQLite file
// is recognised as such instead of being migrated.
inline constexpr int32_t kApplicationId = 0x48616D6C;

struct Migration {
  int version;                   // user_version after this migration; the first is 1
  std::string_view description;  // one line, for humans
  std::string_view sqlite;       // SQLite: one or more statements, no parameters
  std::string_view postgres;     // PostgreSQL: the same change; one or more statements
};

// Every migration, oldest first; Migrations()[i].version == i + 1.
std::span<const Migration> Migrations();

// The user_version a database has once every migration is applied.
int LatestVersion();

// Calls `apply` for each migration newer than `current_version`, in order, stopping at the
// first error. The caller runs this inside one transaction and sets user_version in `apply`.
// InvalidArgument when `current_version` is newer than this build knows (a downgrade).
core::Status Migrate(int current_version,
                     const std::function<core::Status(const Migration&)>& apply);

}  // namespace hamlet::store::schema
