#pragma once
// A file compiled into the binary by cmake/Embed.cmake (migrations, the OpenAPI document).

#include <string_view>

namespace sscard {

struct EmbeddedFile {
  std::string_view name;
  std::string_view content;
};

}  // namespace sscard
