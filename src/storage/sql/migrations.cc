#include "storage/sql/migrations.h"

#include <algorithm>
#include <charconv>

#include "storage/sql/embedded_migrations.h"

namespace sscard::storage::sql {

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> migrations = [] {
    std::vector<Migration> list;
    for (const EmbeddedFile& file : EmbeddedMigrationFiles()) {
      // File names are NNNN_name.sql.
      std::string_view name = file.name;
      Migration migration;
      std::from_chars(name.data(), name.data() + 4, migration.version);
      migration.name = std::string(name.substr(5, name.size() - 9));
      migration.script = std::string(file.content);
      list.push_back(std::move(migration));
    }
    std::sort(list.begin(), list.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    return list;
  }();
  return migrations;
}

std::string AdaptForDialect(std::string_view script, Dialect dialect) {
  struct Token {
    std::string_view token;
    std::string_view sqlite;
    std::string_view postgres;
  };
  static constexpr Token kTokens[] = {
      {"{{BLOB}}", "BLOB", "BYTEA"},
  };
  std::string adapted(script);
  for (const Token& token : kTokens) {
    std::string_view replacement = dialect == Dialect::kSqlite ? token.sqlite : token.postgres;
    for (size_t at = adapted.find(token.token); at != std::string::npos;
         at = adapted.find(token.token, at + replacement.size())) {
      adapted.replace(at, token.token.size(), replacement);
    }
  }
  return adapted;
}

}  // namespace sscard::storage::sql
