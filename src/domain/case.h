#pragma once
// A case (办件): one application for one operation of one service item, with every step
// (who, which org, when, what, why). Pure data; thread-safe as a value.

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "domain/intake.h"
#include "domain/state_machines.h"

namespace sscard::domain {

struct CaseStep {
  TimePoint at;
  std::string actor;     // username
  std::string org_code;
  std::string action;    // "accept", "complete", "approve", "reject", "suspend", "resume", "withdraw"
  std::string note;      // reason or opinion; never personal data
};

struct Case {
  std::string case_no;
  std::string item;
  std::string operation;
  Channel channel = Channel::kWindow;
  CaseStatus status = CaseStatus::kPendingReview;
  std::string person_id;
  std::string card_no;  // the card the case made or acted on
  Applicant applicant;  // sealed at rest
  std::optional<Agent> agent;  // sealed at rest
  std::map<std::string, std::string> form;  // sealed at rest (addresses)
  std::vector<MaterialRef> materials;
  Delivery delivery;  // sealed at rest
  std::string opinion;
  std::string accepting_org;
  std::string reviewing_org;  // empty for instant cases
  std::string region_code;    // the accepting org's region
  std::string accepted_by;
  std::optional<Date> due_on;
  std::string result;
  std::string reason;  // of a rejection or withdrawal
  bool rare_name = false;
  std::optional<Date> suspended_on;  // while waiting for materials the clock stops
  TimePoint created_at;
  TimePoint updated_at;
  int64_t version = 1;
  std::vector<CaseStep> steps;
};

}  // namespace sscard::domain
