// OpenStore: the one place that picks a store backend from what the operator gave: a
// postgresql:// (or postgres://) URL opens PostgresStore, anything else is a SQLite file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace hamlet::store {

struct OpenStoreOptions {
  // SQLite only: a cap on the database file's size (SqliteOptions::max_bytes); 0: none.
  int64_t sqlite_max_bytes = 0;
};

// Opens `url_or_path` with the backend it names (see above), applying pending migrations.
// Errors as SqliteStore::Open and PostgresStore::Open.
core::Result<std::unique_ptr<Store>> OpenStore(const std::string& url_or_path,
                                               const OpenStoreOptions& options = {});

}  // namespace hamlet::store
