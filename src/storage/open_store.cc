#include "storage/open_store.h"

#include "storage/memory/memory_store.h"
#include "storage/sql/sql_store.h"
#include "storage/postgres/postgres_connection.h"
#include "storage/sqlite/sqlite_connection.h"

namespace sscard::storage {

std::string SqlitePathOf(const std::string& url) {
  for (std::string_view prefix : {"sqlite://", "sqlite:"}) {
    if (url.rfind(prefix, 0) == 0) return url.substr(prefix.size());
  }
  return {};
}

Result<std::unique_ptr<ports::Store>> OpenStore(const std::string& url,
                                                const StoreOptions& options) {
  if (url == "memory:") return std::unique_ptr<ports::Store>(std::make_unique<MemoryStore>());
  std::string path = SqlitePathOf(url);
  if (!path.empty()) {
    sqlite::SqliteOptions sqlite_options;
    sqlite_options.path = path;
    sqlite_options.synchronous =
        options.sqlite_synchronous_full ? sqlite::Synchronous::kFull : sqlite::Synchronous::kNormal;
    sql::SqlStoreOptions store_options;
    store_options.pool_size = path == ":memory:" ? 1 : options.pool_size;
    store_options.metrics = options.metrics;
    store_options.engine = "sqlite";
    store_options.sealer = options.sealer;
    ASSIGN_OR_RETURN(auto store, sql::SqlStore::Open(
                                     [sqlite_options] { return sqlite::OpenSqlite(sqlite_options); },
                                     store_options));
    return std::unique_ptr<ports::Store>(std::move(store));
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    sql::SqlStoreOptions store_options;
    store_options.pool_size = options.pool_size;
    store_options.metrics = options.metrics;
    store_options.engine = "postgresql";
    store_options.sealer = options.sealer;
    store_options.max_attempts = 20;  // serialization failures under contention are retried
    ASSIGN_OR_RETURN(auto store, sql::SqlStore::Open([url] { return postgres::OpenPostgres(url); },
                                                     store_options));
    return std::unique_ptr<ports::Store>(std::move(store));
  }
  // The URL itself is not echoed: it may carry a password.
  return Fail(MakeError(ErrorCode::kVALIDATION_FAILED, "不支持的数据库地址",
                        "unsupported database URL (use sqlite:PATH, postgresql://… or memory:)"));
}

}  // namespace sscard::storage
