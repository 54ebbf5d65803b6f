#pragma once
// JSON forms of a case's structured parts for storage (sealed afterwards where personal).
// Thread-safety: pure functions.

#include <string>

#include "domain/case.h"

namespace sscard::storage::sql {

std::string EncodeApplicant(const domain::Applicant& applicant);
domain::Applicant DecodeApplicant(const std::string& json);
std::string EncodeAgent(const std::optional<domain::Agent>& agent);
std::optional<domain::Agent> DecodeAgent(const std::string& json);
std::string EncodeForm(const std::map<std::string, std::string>& form);
std::map<std::string, std::string> DecodeForm(const std::string& json);
std::string EncodeMaterials(const std::vector<domain::MaterialRef>& materials);
std::vector<domain::MaterialRef> DecodeMaterials(const std::string& json);
std::string EncodeDelivery(const domain::Delivery& delivery);
domain::Delivery DecodeDelivery(const std::string& json);

}  // namespace sscard::storage::sql
