#pragma once
// Benchmark setup through the API itself (in process, no sockets): sign-ins and issued cards
// for the load to act on.

#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apps/runtime.h"
#include "domain/id_document.h"
#include "infra/jpeg.h"

namespace sscard::bench {

using Json = nlohmann::json;

struct IssuedCard {
  std::string id_number;
  std::string card_no;
};

// A valid resident ID number of Jiangxia district, distinct per index.
inline std::string IdNumber(int index) {
  std::string first17 = fmt::format("4201151990{:04}{:03}", 101 + index % 28, 100 + index % 900);
  return first17 + sscard::domain::Gb11643CheckChar(first17);
}

inline Json Call(sscard::Runtime& runtime, const std::string& method, const std::string& target, const std::string& token,
          const Json& body) {
  sscard::api::Request request;
  request.method = method;
  request.target = target;
  request.headers = {{"content-type", "application/json"}};
  if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
  request.body = body.is_null() ? "" : body.dump();
  auto response = runtime.api().Handle(request);
  if (response.status >= 300) {
    std::cerr << method << " " << target << " -> " << response.status << " " << response.body << "\n";
    std::exit(1);
  }
  return Json::parse(response.body);
}

inline std::string Login(sscard::Runtime& runtime, const std::string& user) {
  return Call(runtime, "POST", "/api/v1/auth/login", "", {{"username", user}, {"password", "Sscard-Demo-2026"}})["token"];
}

// Uploads a photo that passes R-ID-5 as `token`'s account; its file id.
inline std::string UploadPhoto(sscard::Runtime& runtime, const std::string& token) {
  sscard::api::Request request;
  request.method = "POST";
  request.target = "/api/v1/files";
  request.headers = {{"content-type", "image/jpeg"}, {"authorization", "Bearer " + token}};
  request.body = sscard::infra::SamplePortraitJpeg();
  auto response = runtime.api().Handle(request);
  if (response.status != 201) {
    std::cerr << "photo upload -> " << response.status << " " << response.body << "\n";
    std::exit(1);
  }
  return Json::parse(response.body)["file_id"];
}

// Issues `count` cards through the API, each to a person of its own: apply, approve, make at
// the window, hand over.
inline std::vector<IssuedCard> IssueCards(sscard::Runtime& runtime, int count) {
  std::string clerk = Login(runtime, "clerk");
  std::string reviewer = Login(runtime, "reviewer");
  std::string photo_id = UploadPhoto(runtime, clerk);
  std::vector<IssuedCard> issued;
  for (int index = 0; index < count; ++index) {
    std::string id = IdNumber(index);
    Json apply = {{"item", "002014010001"}, {"operation", "apply"},
                  {"applicant", {{"id_type", "resident_id"}, {"id_number", id}, {"name", "张敏"}, {"phone", "13800135678"},
                                 {"household_address", "武汉市江夏区纸坊街1号"}}},
                  {"form", {{"bank_code", "HBRCU"}, {"production_mode", "instant"}, {"household_address", "武汉市江夏区纸坊街1号"}}},
                  {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}},
                                 {{"name", "申领人电子照片"}, {"kind", "file"}, {"file_id", photo_id}},  // R-ID-5
                                 {{"name", "有效身份证件正反面照片"}, {"kind", "paper"}}}}};
    std::string case_no = Call(runtime, "POST", "/api/v1/cases", clerk, apply)["case_no"];
    std::string card_no = Call(runtime, "POST", "/api/v1/cases/" + case_no + "/review", reviewer, {{"decision", "approve"}})["card_no"];
    Call(runtime, "POST", "/api/v1/production/instant", clerk, {{"case_no", case_no}});
    Call(runtime, "POST", "/api/v1/cards/" + card_no + "/issue", clerk, {{"read_check", "pass"}});
    issued.push_back({id, card_no});
  }
  return issued;
}

}  // namespace sscard::bench
