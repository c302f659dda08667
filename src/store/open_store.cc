// OpenStore: a URL decides the backend.
#include "store/open_store.h"

#include "store/postgres_store.h"
#include "store/sqlite_store.h"

namespace hamlet::store {

core::Result<std::unique_ptr<Store>> OpenStore(const std::string& url_or_path,
                                               const OpenStoreOptions& options) {
  if (IsPostgresUrl(url_or_path)) return OpenPostgresStore(url_or_path);
  SqliteOptions sqlite;
  sqlite.max_bytes = options.sqlite_max_bytes;
  return OpenSqliteStore(url_or_path, sqlite);
}

}  // namespace hamlet::store
