#pragma once
// What a partner department may learn when a holder presents the card (R-ONE-1, R-ONE-6):
// each partner has a purpose and a list of fields it may receive — its profile — set by the
// province. The answer to a verification is the profile's projection of the card and holder,
// narrowed by what the verifying account's role may receive (personal fields only with
// share_holder_data, R-ONE-3), by the fields the partner asked for, and by the holder's consent
// (R-SEC-2): a revoked partner, or a card that is not valid, gets the verdict only.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/card.h"
#include "domain/person.h"

namespace sscard::domain {

enum class PartnerField {
  kMaskedName,  // 张*三
  kCard,        // card number, status, e-card status, valid until
  kName,
  kIdType,
  kIdNumber,
  kSex,
  kBirthDate,
  kInsured,
  kBank,        // the cooperative bank and the account's status
};

std::string_view PartnerFieldName(PartnerField field);
std::optional<PartnerField> ParsePartnerField(std::string_view name);
const std::vector<PartnerField>& AllPartnerFields();
// Personal data beyond the masked name: only for accounts that may receive holder data.
bool IsPersonalField(PartnerField field);

struct PartnerProfile {
  std::string org_code;
  std::string purpose;                // 用途, shown to the holder with every verification
  std::vector<PartnerField> fields;   // what the partner may receive, in AllPartnerFields() order
  int verifications_per_minute = 120;  // the partner's rate limit, all its accounts together
  bool configured = false;            // false: the default for its accounts' roles
  int64_t version = 0;
};

// The profile a partner has before the province sets one: identity checks see the masked
// name and the card; a department authorised to share holder data (R-ONE-3) its basic data.
PartnerProfile DefaultPartnerProfile(const std::string& org_code, bool shares_holder_data);

// A profile as the province submits it: purpose 2–200 characters on one line, known fields
// without repeats, 1–6000 verifications a minute. Answers the field problems (R-ONE-6).
std::vector<FieldError> ValidatePartnerProfile(const PartnerProfile& profile);

// The fields one verification answers: the profile's, without personal ones unless
// `may_receive_personal`, narrowed to `requested` when the partner names fields.
// FIELD_NOT_IN_PROFILE when a requested field is outside the profile or the account's role.
Result<std::vector<PartnerField>> FieldsToShare(const PartnerProfile& profile, bool may_receive_personal,
                                                const std::optional<std::vector<PartnerField>>& requested);

// The projection itself: each member is set only when its field is shared.
struct HolderProjection {
  std::optional<std::string> masked_name;
  std::optional<Card> card;
  std::optional<std::string> name;
  std::optional<IdType> id_type;
  std::optional<std::string> id_number;
  std::optional<Sex> sex;
  std::optional<std::optional<Date>> birth_date;
  std::optional<bool> insured;
  std::optional<std::string> bank_code;  // the card's cooperative bank ...
  std::optional<BankAccountStatus> bank_account;  // ... and the account's status
};
HolderProjection ProjectForPartner(const std::vector<PartnerField>& fields, const Card& card, const Person& holder);

}  // namespace sscard::domain
