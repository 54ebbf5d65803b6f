#pragma once
// JPEG through libjpeg-turbo: decoding uploaded photos to RGB (with a size cap before any
// pixel is allocated) and encoding RGB (test fixtures, demo photos).
// Thread-safety: reentrant; each call has its own decoder state.

#include <optional>
#include <string>
#include <string_view>

#include "domain/photo.h"

namespace sscard::infra {

// The decoded image, or nullopt with `problem` saying why (never throws, whatever the bytes).
std::optional<domain::RgbImage> DecodeJpeg(std::string_view bytes, std::string& problem);

// Encodes at a quality 1..100.
std::string EncodeJpeg(const domain::RgbImage& image, int quality);

// A synthetic passport-style photo that passes R-ID-5 (358×441, white background and edges,
// 14–40 KB): the demo's police photo library and the tests' uploads. Empty if no quality
// gives a size in range (never with this libjpeg).
std::string SamplePortraitJpeg();

// Decodes and applies the R-ID-5 rules.
domain::PhotoCheck CheckJpegPhoto(std::string_view bytes, const domain::PhotoRules& rules = {});

}  // namespace sscard::infra
