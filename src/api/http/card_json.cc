#include "api/http/card_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include "common/clock.h"

namespace sscard::api {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Small helpers over the writer: keys and values as the domain types hold them.
class CardWriter {
 public:
  explicit CardWriter(size_t capacity) : buffer_(nullptr, capacity), out_(buffer_) {}

  void Key(std::string_view key) { out_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size())); }
  void Text(std::string_view value) { out_.String(value.data(), static_cast<rapidjson::SizeType>(value.size())); }
  void TextOrNull(std::string_view value) {
    if (value.empty()) out_.Null();
    else Text(value);
  }
  void DateOrNull(const std::optional<Date>& value) {
    if (value) Text(FormatDate(*value));
    else out_.Null();
  }
  void Field(std::string_view key, std::string_view value) {
    Key(key);
    Text(value);
  }
  void FieldOrNull(std::string_view key, std::string_view value) {
    Key(key);
    TextOrNull(value);
  }
  void DateField(std::string_view key, const std::optional<Date>& value) {
    Key(key);
    DateOrNull(value);
  }
  void Bool(std::string_view key, bool value) {
    Key(key);
    out_.Bool(value);
  }
  void Int(std::string_view key, int64_t value) {
    Key(key);
    out_.Int64(value);
  }
  void StartObject() { out_.StartObject(); }
  void EndObject() { out_.EndObject(); }
  void StartArray() { out_.StartArray(); }
  void EndArray() { out_.EndArray(); }
  void Null() { out_.Null(); }

  // The summary's members, inside an object the caller opened; `production` stays open when
  // `open_production` is set, for the timeline to follow.
  void SummaryMembers(const domain::Card& card, bool open_production) {
    Field("card_no", card.card_no);
    Field("status", domain::CardStatusName(card.status));
    Bool("activated", card.activated);
    Key("bank");
    StartObject();
    Field("code", card.bank_code);
    Field("account_status", domain::BankAccountStatusName(card.bank_account));
    EndObject();
    DateField("issued_on", card.issued_on);
    DateField("expires_on", card.expires_on);
    Field("org_code", card.org_code);
    Field("case_no", card.case_no);
    FieldOrNull("replaces", card.replaces);
    Bool("replacement_applied", card.replacement_applied);
    Key("delivery");
    StartObject();
    Field("method", card.delivery);
    FieldOrNull("tracking_no", card.tracking_no);
    EndObject();
    Key("ecard");
    StartObject();
    FieldOrNull("ecard_no", card.ecard_no);
    Field("status", domain::ECardStatusOf(card));
    EndObject();
    Int("version", card.version);
    Key("production");
    StartObject();
    Field("mode", card.production_mode);
    Field("stage", domain::CardStatusName(card.status));
    FieldOrNull("batch_no", card.batch_no);
    DateField("produced_on", card.produced_on);
    DateField("stocked_on", card.stocked_on);
    if (!open_production) EndObject();
  }

  void Summary(const domain::Card& card) {
    StartObject();
    SummaryMembers(card, false);
    EndObject();
  }

  void TimelineEntry(TimePoint at, std::string_view event_prefix, std::string_view event, std::string_view org_code,
                     std::string_view note) {
    StartObject();
    Field("at", FormatRfc3339(at));
    Key("event");
    if (event_prefix.empty()) {
      Text(event);
    } else {
      std::string joined;
      joined.reserve(event_prefix.size() + event.size());
      joined.append(event_prefix).append(event);
      Text(joined);
    }
    Field("org_code", org_code);
    Field("note", note);
    EndObject();
  }

  std::string Take() { return std::string(buffer_.GetString(), buffer_.GetSize()); }

 private:
  rapidjson::StringBuffer buffer_;
  Writer out_;
};

}  // namespace

std::string CardSummaryText(const domain::Card& card) {
  CardWriter writer(768);
  writer.Summary(card);
  return writer.Take();
}

std::string CardText(const app::CardView& view) {
  // The timeline: the case's steps and the card's log merged by time, each source kept in its
  // own order — the log's is the order the changes were committed in, which concurrent
  // requests' times (taken on arrival) need not follow. On equal times the steps come first.
  struct Entry {
    TimePoint at;
    bool step;
    size_t index;
  };
  std::vector<Entry> entries;
  entries.reserve(view.case_steps.size() + view.history.size());
  size_t step = 0, logged = 0;
  while (step < view.case_steps.size() || logged < view.history.size()) {
    bool take_step = logged == view.history.size() ||
                     (step < view.case_steps.size() && view.case_steps[step].at <= view.history[logged].at);
    if (take_step) {
      entries.push_back({view.case_steps[step].at, true, step});
      ++step;
    } else {
      entries.push_back({view.history[logged].at, false, logged});
      ++logged;
    }
  }

  CardWriter writer(1024 + 160 * entries.size());
  writer.StartObject();
  writer.SummaryMembers(view.card, /*open_production=*/true);
  writer.Key("timeline");
  writer.StartArray();
  for (const Entry& entry : entries) {
    if (entry.step) {
      const domain::CaseStep& step = view.case_steps[entry.index];
      writer.TimelineEntry(step.at, "case.", step.action, step.org_code, step.note);
    } else {
      const domain::CardLogEntry& log = view.history[entry.index];
      writer.TimelineEntry(log.at, "", log.event, log.org_code, log.note);
    }
  }
  writer.EndArray();
  writer.EndObject();  // production
  writer.Bool("pin_locked", view.pin_locked);
  writer.EndObject();
  return writer.Take();
}

std::string CardListText(const std::vector<domain::Card>& cards) {
  CardWriter writer(64 + 640 * cards.size());
  writer.StartObject();
  writer.Key("items");
  writer.StartArray();
  for (const domain::Card& card : cards) writer.Summary(card);
  writer.EndArray();
  writer.Key("next_cursor");
  writer.Null();
  writer.EndObject();
  return writer.Take();
}

}  // namespace sscard::api
