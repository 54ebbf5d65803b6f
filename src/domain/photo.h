#pragma once
// The applicant's photo (R-ID-5): JPEG, 14–40 KB, 358×441 pixels (width×height), white
// background, no border. The rules judge a decoded image; decoding is infra's (libjpeg).
// Every problem is reported, not only the first. Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"

namespace sscard::domain {

// An RGB image, 3 bytes per pixel, rows top to bottom.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
};

struct PhotoRules {
  size_t min_bytes = 14 * 1024;
  size_t max_bytes = 40 * 1024;
  int width = 358;
  int height = 441;
  int white_level = 200;            // every channel at least this counts as white
  double white_share = 0.90;        // of the background sample
  int border_contrast = 48;         // outer ring darker than just inside by this much: a border
};

struct PhotoCheck {
  bool valid = false;
  int width = 0;
  int height = 0;
  size_t bytes = 0;
  std::vector<FieldError> problems;
};

// `image` is empty when the bytes are not a decodable JPEG (`decode_problem` says why).
PhotoCheck CheckPhoto(size_t bytes, const std::optional<RgbImage>& image,
                      const std::string& decode_problem, const PhotoRules& rules = {});

// R-ID-5: under 7 the photo may be omitted (cartoon-avatar child card).
bool PhotoRequired(int age_years);

}  // namespace sscard::domain
