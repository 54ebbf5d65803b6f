#include "storage/memory/memory_store.h"

#include "common/crypto.h"
#include "storage/audit_chain.h"
#include "storage/memory/memory_credentials.h"
#include "storage/memory/memory_payments.h"

#include <set>

#include <algorithm>
#include <map>

namespace sscard::storage {

struct MemoryStore::State {
  std::map<std::string, domain::Region> regions;
  std::map<std::string, domain::Org> orgs;
  std::map<std::string, domain::StaffAccount> staff;
  std::map<std::string, domain::Session> sessions;
  std::map<std::string, domain::AuditEntry> audit;
  struct AuditLink {
    std::string row_mac;
    int64_t seq = 0;  // 0 until sealed
    std::string link;
  };
  std::map<std::string, AuditLink> audit_links;  // by row id
  struct AuditHead {
    int64_t first_seq = 1;
    std::string anchor;
    int64_t last_seq = 0;
    std::string last_link;
  } audit_head;
  std::map<std::string, std::string> settings;
  std::map<std::string, domain::Person> persons;  // by person id
  std::map<std::string, domain::RegistryEntry> registry;  // by ID number
  std::map<std::string, domain::InsuredStatus> insured;  // by ID number (R-CANCEL-2)
  std::map<std::string, std::string> police_photos;       // ID number → file id (R-ID-5)
  std::map<std::string, ports::PinRecord> pins;             // by card number
  std::map<std::string, domain::Case> cases;                // by case number
  std::map<std::pair<std::string, std::string>, int> case_counters;
  std::map<std::string, ports::IdempotencyRecord> idempotency;
  std::map<std::string, ports::StoredFile> files;
  std::map<std::string, ports::OutboxMessage> outbox;
  std::map<std::string, domain::Card> cards;
  std::map<std::string, int64_t> card_counters;
  std::map<std::string, std::vector<domain::CardLogEntry>> card_log;
  std::map<std::string, domain::Batch> batches;
  std::map<std::string, ports::BundleRecord> bundles;
  std::map<std::string, domain::Booking> bookings;
  std::map<std::string, domain::CitizenAccount> citizens;  // by account id
  std::map<std::pair<std::string, domain::CodePurpose>, domain::OneTimeCode> codes;  // by phone, purpose
  std::set<std::pair<std::string, std::string>> revocations;  // person id, partner org
  MemoryPaymentState payments;
  MemoryCredentialState credentials;
  int schema_version = 0;
};

namespace {

using domain::AuditEntry;
using domain::Org;
using domain::Region;
using domain::Session;
using domain::StaffAccount;

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

class MemoryRegions final : public ports::RegionRepository {
 public:
  explicit MemoryRegions(MemoryStore::State& state) : state_(state) {}
  Result<std::optional<Region>> Find(const std::string& code) override {
    auto found = state_.regions.find(code);
    if (found == state_.regions.end()) return std::optional<Region>();
    return std::optional<Region>(found->second);
  }
  Result<std::vector<Region>> Children(const std::string& parent_code) override {
    std::vector<Region> children;
    for (const auto& [code, region] : state_.regions) {
      if (region.parent_code == parent_code) children.push_back(region);
    }
    return children;
  }
  Result<int64_t> Count() override { return static_cast<int64_t>(state_.regions.size()); }
  Status Upsert(const std::vector<Region>& regions) override {
    for (const Region& region : regions) state_.regions[region.code] = region;
    return Ok();
  }

 private:
  MemoryStore::State& state_;
};

class MemoryOrgs final : public ports::OrgRepository {
 public:
  explicit MemoryOrgs(MemoryStore::State& state) : state_(state) {}
  Result<std::optional<Org>> Find(const std::string& code) override {
    auto found = state_.orgs.find(code);
    if (found == state_.orgs.end()) return std::optional<Org>();
    return std::optional<Org>(found->second);
  }
  Result<std::vector<Org>> ListUnder(const std::string& region_prefix) override {
    std::vector<Org> orgs;
    for (const auto& [code, org] : state_.orgs) {
      if (StartsWith(org.region_code, region_prefix)) orgs.push_back(org);
    }
    return orgs;
  }
  Status Insert(const Org& org) override {
    bool id_taken = std::any_of(state_.orgs.begin(), state_.orgs.end(), [&](const auto& entry) {
      return entry.second.service_point_id == org.service_point_id;
    });
    if (state_.orgs.count(org.code) || id_taken) return Fail(ErrorCode::kALREADY_EXISTS);
    state_.orgs[org.code] = org;
    return Ok();
  }
  Status Update(const Org& org) override {
    auto found = state_.orgs.find(org.code);
    if (found == state_.orgs.end() || found->second.version != org.version - 1) {
      return Fail(ErrorCode::kCONFLICT);
    }
    found->second = org;
    return Ok();
  }

 private:
  MemoryStore::State& state_;
};

class MemoryStaff final : public ports::StaffRepository {
 public:
  explicit MemoryStaff(MemoryStore::State& state) : state_(state) {}
  Result<std::optional<StaffAccount>> Find(const std::string& username) override {
    auto found = state_.staff.find(username);
    if (found == state_.staff.end()) return std::optional<StaffAccount>();
    return std::optional<StaffAccount>(found->second);
  }
  Result<std::vector<StaffAccount>> List(const std::string& org_code_prefix) override {
    std::vector<StaffAccount> accounts;
    for (const auto& [username, account] : state_.staff) {
      if (StartsWith(account.org_code, org_code_prefix)) accounts.push_back(account);
    }
    return accounts;
  }
  Status Insert(const StaffAccount& account) override {
    if (state_.staff.count(account.username)) return Fail(ErrorCode::kALREADY_EXISTS);
    state_.staff[account.username] = account;
    return Ok();
  }
  Status Update(const StaffAccount& account) override {
    auto found = state_.staff.find(account.username);
    if (found == state_.staff.end() || found->second.version != account.version - 1) {
      return Fail(ErrorCode::kCONFLICT);
    }
    found->second = account;
    return Ok();
  }

 private:
  MemoryStore::State& state_;
};

class MemorySessions final : public ports::SessionRepository {
 public:
  explicit MemorySessions(MemoryStore::State& state) : state_(state) {}
  Status Insert(const Session& session) override {
    if (state_.sessions.count(session.token_digest)) return Fail(ErrorCode::kALREADY_EXISTS);
    state_.sessions[session.token_digest] = session;
    return Ok();
  }
  Result<std::optional<Session>> Find(const std::string& token_digest) override {
    auto found = state_.sessions.find(token_digest);
    if (found == state_.sessions.end()) return std::optional<Session>();
    return std::optional<Session>(found->second);
  }
  Status Touch(const std::string& token_digest, TimePoint last_seen_at) override {
    auto found = state_.sessions.find(token_digest);
    if (found != state_.sessions.end()) found->second.last_seen_at = last_seen_at;
    return Ok();
  }
  Status Revoke(const std::string& token_digest) override {
    auto found = state_.sessions.find(token_digest);
    if (found != state_.sessions.end()) found->second.revoked = true;
    return Ok();
  }
  Result<int64_t> RevokeAll(const std::string& username) override {
    int64_t revoked = 0;
    for (auto& [digest, session] : state_.sessions) {
      if (session.username == username && !session.revoked) {
        session.revoked = true;
        ++revoked;
      }
    }
    return revoked;
  }

 private:
  MemoryStore::State& state_;
};

class MemoryAudit final : public ports::AuditRepository {
 public:
  explicit MemoryAudit(MemoryStore::State& state) : state_(state) {}
  Status Append(const AuditEntry& entry) override {
    state_.audit[entry.id] = entry;
    state_.audit_links[entry.id] = {AuditRowMac(Digest, entry), 0, ""};
    return Ok();
  }
  Result<std::vector<AuditEntry>> List(const ports::AuditQuery& query) override {
    std::vector<AuditEntry> rows;
    for (auto it = state_.audit.rbegin(); it != state_.audit.rend(); ++it) {
      const AuditEntry& entry = it->second;
      if (static_cast<int>(rows.size()) >= query.limit) break;
      if (!query.after_id.empty() && entry.id >= query.after_id) continue;
      if (!StartsWith(entry.org_code, query.org_code_prefix)) continue;
      if (!query.actor.empty() && entry.actor != query.actor) continue;
      if (!query.action.empty() && entry.action != query.action) continue;
      auto listed = [](const std::vector<std::string>& list, const std::string& value) {
        return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
      };
      if (!listed(query.targets, entry.target) || !listed(query.actions, entry.action)) continue;
      if (query.from && entry.at < *query.from) continue;
      if (query.to && entry.at >= *query.to) continue;
      rows.push_back(entry);
    }
    return rows;
  }

  // The memory store lives in one process, so its chain uses an unkeyed digest; the
  // arithmetic is the SQL stores' (storage/audit_chain.h).
  Result<int> SealPending(int limit) override {
    auto& head = state_.audit_head;
    int linked = 0;
    for (const auto& [id, entry] : state_.audit) {
      if (linked >= limit) break;
      auto& link = state_.audit_links[id];
      if (link.seq != 0 || !AuditRowMacValid(Digest, entry, link.row_mac, false)) continue;
      link.seq = ++head.last_seq;
      link.link = AuditLink(Digest, head.last_link, link.seq, entry);
      head.last_link = link.link;
      ++linked;
    }
    return linked;
  }
  Result<ports::AuditChainReport> VerifyChain() override {
    const auto& head = state_.audit_head;
    AuditChainChecker checker(Digest, head.first_seq, head.anchor, false);
    std::map<int64_t, std::string> by_seq;
    for (const auto& [id, link] : state_.audit_links) {
      if (link.seq != 0) by_seq[link.seq] = id;
    }
    for (const auto& [seq, id] : by_seq) {
      const auto& link = state_.audit_links.at(id);
      if (!checker.Chained(state_.audit.at(id), link.row_mac, seq, link.link)) break;
    }
    checker.Finish(head.last_seq, head.last_link);
    for (const auto& [id, link] : state_.audit_links) {
      if (link.seq == 0 && !checker.Pending(state_.audit.at(id), link.row_mac)) break;
    }
    return checker.report();
  }
  Result<int64_t> Purge(TimePoint before) override {
    auto& head = state_.audit_head;
    int64_t keep_from = head.last_seq + 1;
    for (const auto& [id, link] : state_.audit_links) {
      if (link.seq != 0 && state_.audit.at(id).at >= before) keep_from = std::min(keep_from, link.seq);
    }
    if (keep_from <= head.first_seq) return 0;
    int64_t deleted = 0;
    for (auto it = state_.audit_links.begin(); it != state_.audit_links.end();) {
      if (it->second.seq != 0 && it->second.seq < keep_from) {
        if (it->second.seq == keep_from - 1) head.anchor = it->second.link;
        state_.audit.erase(it->first);
        it = state_.audit_links.erase(it);
        ++deleted;
      } else {
        ++it;
      }
    }
    head.first_seq = keep_from;
    return deleted;
  }

 private:
  static std::string Digest(std::string_view data) { return Sha256Hex(data); }

  MemoryStore::State& state_;
};

class MemorySettings final : public ports::SettingRepository {
 public:
  explicit MemorySettings(MemoryStore::State& state) : state_(state) {}
  Result<std::optional<std::string>> Get(const std::string& key) override {
    auto found = state_.settings.find(key);
    if (found == state_.settings.end()) return std::optional<std::string>();
    return std::optional<std::string>(found->second);
  }
  Status Put(const std::string& key, const std::string& value) override {
    state_.settings[key] = value;
    return Ok();
  }

 private:
  MemoryStore::State& state_;
};

class MemoryPersons final : public ports::PersonRepository {
 public:
  explicit MemoryPersons(MemoryStore::State& state) : state_(state) {}
  Result<std::optional<domain::Person>> FindById(const std::string& id) override {
    auto found = state_.persons.find(id);
    if (found == state_.persons.end()) return std::optional<domain::Person>();
    return std::optional<domain::Person>(found->second);
  }
  Result<std::optional<domain::Person>> FindByIdNumber(const std::string& id_number) override {
    for (const auto& [id, person] : state_.persons) {
      if (person.id_number == id_number) return std::optional<domain::Person>(person);
    }
    return std::optional<domain::Person>();
  }
  Status Insert(const domain::Person& person) override {
    ASSIGN_OR_RETURN(auto existing, FindByIdNumber(person.id_number));
    if (existing || state_.persons.count(person.id)) return Fail(ErrorCode::kALREADY_EXISTS);
    state_.persons[person.id] = person;
    return Ok();
  }
  Result<bool> InsertIfAbsent(const domain::Person& person) override {
    ASSIGN_OR_RETURN(auto existing, FindByIdNumber(person.id_number));
    if (existing) return false;
    RETURN_IF_ERROR(Insert(person));
    return true;
  }
  Status Update(const domain::Person& person) override {
    auto found = state_.persons.find(person.id);
    if (found == state_.persons.end() || found->second.version != person.version - 1) {
      return Fail(ErrorCode::kCONFLICT);
    }
    for (const auto& [id, other] : state_.persons) {
      if (id != person.id && other.id_number == person.id_number) return Fail(ErrorCode::kALREADY_EXISTS);
    }
    found->second = person;
    return Ok();
  }

 private:
  MemoryStore::State& state_;
};

class MemoryRegistry final : public ports::RegistryRepository {
 public:
  explicit MemoryRegistry(MemoryStore::State& state) : state_(state) {}
  Result<std::optional<domain::RegistryEntry>> Find(const std::string& id_number) override {
    auto found = state_.registry.find(id_number);
    if (found == state_.registry.end()) return std::optional<domain::RegistryEntry>();
    return std::optional<domain::RegistryEntry>(found->second);
  }
  Status Upsert(const std::vector<domain::RegistryEntry>& entries) override {
    for (const auto& entry : entries) state_.registry[entry.id_number] = entry;
    return Ok();
  }
  Result<int64_t> Count() override { return static_cast<int64_t>(state_.registry.size()); }
  Result<std::optional<domain::InsuredStatus>> FindInsured(const std::string& id_number) override {
    auto found = state_.insured.find(id_number);
    if (found == state_.insured.end()) return std::optional<domain::InsuredStatus>();
    return std::optional<domain::InsuredStatus>(found->second);
  }
  Status UpsertInsured(const std::vector<domain::InsuredStatus>& rows) override {
    for (const auto& row : rows) {
      auto found = state_.insured.find(row.id_number);
      if (found == state_.insured.end() || found->second.as_of <= row.as_of) state_.insured[row.id_number] = row;
    }
    return Ok();
  }
  Result<std::optional<std::string>> FindPolicePhoto(const std::string& id_number) override {
    auto found = state_.police_photos.find(id_number);
    if (found == state_.police_photos.end()) return std::optional<std::string>();
    return std::optional<std::string>(found->second);
  }
  Status PutPolicePhoto(const std::string& id_number, const std::string& file_id) override {
    state_.police_photos[id_number] = file_id;
    return Ok();
  }

 private:
  MemoryStore::State& state_;
};

class MemoryPins final : public ports::PinRepository {
 public:
  explicit MemoryPins(MemoryStore::State& state) : state_(state) {}
  Result<std::optional<ports::PinRecord>> Find(const std::string& card_no) override {
    auto found = state_.pins.find(card_no);
    if (found == state_.pins.end()) return std::optional<ports::PinRecord>();
    return std::optional<ports::PinRecord>(found->second);
  }
  Status Put(const std::string& card_no, const std::string& pin_hash, bool initial) override {
    state_.pins[card_no] = ports::PinRecord{card_no, pin_hash, {}, initial};
    return Ok();
  }
  Result<domain::PinState> RecordFailure(const std::string& card_no) override {
    auto found = state_.pins.find(card_no);
    if (found == state_.pins.end()) return Fail(ErrorCode::kNOT_FOUND);
    found->second.state = domain::AfterPinEntry(found->second.state, false);
    return found->second.state;
  }
  Result<bool> RecordSuccess(const std::string& card_no) override {
    auto found = state_.pins.find(card_no);
    if (found == state_.pins.end()) return Fail(ErrorCode::kNOT_FOUND);
    if (found->second.state.locked) return false;
    found->second.state = {};
    return true;
  }

 private:
  MemoryStore::State& state_;
};

class MemoryCases final : public ports::CaseRepository {
 public:
  explicit MemoryCases(MemoryStore::State& state) : state_(state) {}
  Result<int> NextSerial(const std::string& region6, Date date) override {
    return ++state_.case_counters[{region6, FormatDate(date)}];
  }
  Status Insert(const domain::Case& record) override {
    if (state_.cases.count(record.case_no)) return Fail(ErrorCode::kALREADY_EXISTS);
    state_.cases[record.case_no] = record;
    return Ok();
  }
  Result<std::optional<domain::Case>> Find(const std::string& case_no) override {
    auto found = state_.cases.find(case_no);
    if (found == state_.cases.end()) return std::optional<domain::Case>();
    return std::optional<domain::Case>(found->second);
  }
  Result<std::vector<domain::CaseStep>> Steps(const std::string& case_no) override {
    auto found = state_.cases.find(case_no);
    if (found == state_.cases.end()) return std::vector<domain::CaseStep>();
    return found->second.steps;
  }
  Status Update(const domain::Case& record) override {
    auto found = state_.cases.find(record.case_no);
    if (found == state_.cases.end() || found->second.version != record.version - 1) {
      return Fail(ErrorCode::kCONFLICT);
    }
    found->second = record;
    return Ok();
  }
  Result<std::vector<domain::Case>> List(const ports::CaseQuery& query) override {
    std::vector<domain::Case> rows;
    for (auto it = state_.cases.upper_bound(query.after_case_no); it != state_.cases.end(); ++it) {
      const domain::Case& record = it->second;
      if (static_cast<int>(rows.size()) >= query.limit) break;
      if (!StartsWith(record.region_code, query.region_prefix)) continue;
      if (!query.status.empty() && domain::CaseStatusName(record.status) != query.status) continue;
      if (!query.item.empty() && record.item != query.item) continue;
      if (!query.accepting_org.empty() && record.accepting_org != query.accepting_org) continue;
      if (!query.reviewing_org.empty() && record.reviewing_org != query.reviewing_org) continue;
      if (!query.accepted_by.empty() && record.accepted_by != query.accepted_by) continue;
      if (!query.person_id.empty() && record.person_id != query.person_id) continue;
      bool open = record.status == domain::CaseStatus::kPendingReview || record.status == domain::CaseStatus::kSuspended;
      if (query.open_only && !open) continue;
      Date created = ChinaDate(record.created_at);
      if (query.from && created < *query.from) continue;
      if (query.to && created > *query.to) continue;
      if (query.overdue_on) {
        if (!open || !record.due_on || !(*record.due_on < *query.overdue_on)) continue;
      }
      rows.push_back(record);
    }
    return rows;
  }

 private:
  MemoryStore::State& state_;
};

class MemoryIdempotency final : public ports::IdempotencyRepository {
 public:
  explicit MemoryIdempotency(MemoryStore::State& state) : state_(state) {}
  Result<std::optional<ports::IdempotencyRecord>> Find(const std::string& key) override {
    auto found = state_.idempotency.find(key);
    if (found == state_.idempotency.end()) return std::optional<ports::IdempotencyRecord>();
    return std::optional<ports::IdempotencyRecord>(found->second);
  }
  Status Insert(const ports::IdempotencyRecord& record) override {
    if (state_.idempotency.count(record.key)) return Fail(ErrorCode::kALREADY_EXISTS);
    state_.idempotency[record.key] = record;
    return Ok();
  }

 private:
  MemoryStore::State& state_;
};

class MemoryBundles final : public ports::BundleRepository {
 public:
  explicit MemoryBundles(MemoryStore::State& state) : state_(state) {}
  Status Insert(const ports::BundleRecord& bundle) override {
    if (state_.bundles.count(bundle.bundle_no)) return Fail(ErrorCode::kALREADY_EXISTS);
    state_.bundles[bundle.bundle_no] = bundle;
    return Ok();
  }
  Result<std::optional<ports::BundleRecord>> Find(const std::string& bundle_no) override {
    auto found = state_.bundles.find(bundle_no);
    if (found == state_.bundles.end()) return std::optional<ports::BundleRecord>();
    return std::optional<ports::BundleRecord>(found->second);
  }

 private:
  MemoryStore::State& state_;
};

class MemoryBookings final : public ports::BookingRepository {
 public:
  explicit MemoryBookings(MemoryStore::State& state) : state_(state) {}
  Status Insert(const domain::Booking& booking) override {
    if (state_.bookings.count(booking.booking_no)) return Fail(ErrorCode::kALREADY_EXISTS);
    state_.bookings[booking.booking_no] = booking;
    return Ok();
  }
  Result<std::optional<domain::Booking>> Find(const std::string& booking_no) override {
    auto found = state_.bookings.find(booking_no);
    if (found == state_.bookings.end()) return std::optional<domain::Booking>();
    return std::optional<domain::Booking>(found->second);
  }
  Status Update(const domain::Booking& booking) override {
    auto found = state_.bookings.find(booking.booking_no);
    if (found == state_.bookings.end() || found->second.version != booking.version - 1) return Fail(ErrorCode::kCONFLICT);
    found->second = booking;
    return Ok();
  }
  Result<std::vector<domain::Booking>> List(const std::string& region_prefix, const std::string& status,
                                            int limit) override {
    std::vector<domain::Booking> bookings;
    for (const auto& [number, booking] : state_.bookings) {
      if (static_cast<int>(bookings.size()) >= limit) break;
      if (!StartsWith(booking.region_code, region_prefix)) continue;
      if (!status.empty() && domain::BookingStatusName(booking.status) != status) continue;
      bookings.push_back(booking);
    }
    return bookings;
  }

 private:
  MemoryStore::State& state_;
};

class MemoryFiles final : public ports::FileRepository {
 public:
  explicit MemoryFiles(MemoryStore::State& state) : state_(state) {}
  Status Put(const ports::StoredFile& file) override {
    state_.files.emplace(file.file_id, file);
    return Ok();
  }
  Result<std::optional<ports::StoredFile>> Find(const std::string& file_id, bool with_content) override {
    auto found = state_.files.find(file_id);
    if (found == state_.files.end()) return std::optional<ports::StoredFile>();
    ports::StoredFile file = found->second;
    if (!with_content) file.content.clear();
    return std::optional<ports::StoredFile>(std::move(file));
  }

 private:
  MemoryStore::State& state_;
};

class MemoryOutbox final : public ports::OutboxRepository {
 public:
  explicit MemoryOutbox(MemoryStore::State& state) : state_(state) {}
  Status Enqueue(const ports::OutboxMessage& message) override {
    state_.outbox[message.id] = message;
    return Ok();
  }
  Result<std::vector<ports::OutboxMessage>> Due(TimePoint now, int limit) override {
    std::vector<ports::OutboxMessage> due;
    for (const auto& [id, message] : state_.outbox) {
      if (static_cast<int>(due.size()) >= limit) break;
      if (!message.sent_at && message.next_attempt_at <= now) due.push_back(message);
    }
    return due;
  }
  Status MarkSent(const std::string& id, TimePoint at) override {
    if (auto found = state_.outbox.find(id); found != state_.outbox.end()) found->second.sent_at = at;
    return Ok();
  }
  Status MarkFailed(const std::string& id, int attempts, TimePoint next_attempt_at) override {
    if (auto found = state_.outbox.find(id); found != state_.outbox.end()) {
      found->second.attempts = attempts;
      found->second.next_attempt_at = next_attempt_at;
    }
    return Ok();
  }
  Result<std::vector<ports::OutboxMessage>> ListForPerson(const std::string& person_id, int limit) override {
    std::vector<ports::OutboxMessage> messages;
    for (auto it = state_.outbox.rbegin(); it != state_.outbox.rend(); ++it) {
      if (static_cast<int>(messages.size()) >= limit) break;
      if (it->second.person_id == person_id) messages.push_back(it->second);
    }
    return messages;
  }

 private:
  MemoryStore::State& state_;
};

class MemoryCards final : public ports::CardRepository {
 public:
  explicit MemoryCards(MemoryStore::State& state) : state_(state) {}
  Result<int64_t> NextSerial(const std::string& province2) override { return ++state_.card_counters[province2]; }
  Status Insert(const domain::Card& card) override {
    if (state_.cards.count(card.card_no)) return Fail(ErrorCode::kALREADY_EXISTS);
    state_.cards[card.card_no] = card;
    return Ok();
  }
  Result<std::optional<domain::Card>> Find(const std::string& card_no) override {
    auto found = state_.cards.find(card_no);
    if (found == state_.cards.end()) return std::optional<domain::Card>();
    return std::optional<domain::Card>(found->second);
  }
  Result<std::vector<domain::Card>> ListByPerson(const std::string& person_id) override {
    std::vector<domain::Card> cards;
    for (auto it = state_.cards.rbegin(); it != state_.cards.rend(); ++it) {
      if (it->second.person_id == person_id) cards.push_back(it->second);
    }
    return cards;
  }
  Status Update(const domain::Card& card) override {
    auto found = state_.cards.find(card.card_no);
    if (found == state_.cards.end() || found->second.version != card.version - 1) return Fail(ErrorCode::kCONFLICT);
    found->second = card;
    return Ok();
  }
  Result<std::vector<domain::Card>> List(const ports::CardQuery& query) override {
    auto before = [](const std::optional<Date>& value, const std::optional<Date>& bound, bool inclusive) {
      if (!bound) return true;
      return value && (inclusive ? *value <= *bound : *value < *bound);
    };
    std::vector<domain::Card> cards;
    for (auto it = state_.cards.upper_bound(query.after_card_no);
         it != state_.cards.end() && static_cast<int>(cards.size()) < query.limit; ++it) {
      const domain::Card& card = it->second;
      if (!query.statuses.empty() &&
          std::find(query.statuses.begin(), query.statuses.end(), card.status) == query.statuses.end()) {
        continue;
      }
      if (!query.production_mode.empty() && card.production_mode != query.production_mode) continue;
      if (!query.batch_no.empty() && card.batch_no != query.batch_no) continue;
      if (!query.org_code.empty() && card.org_code != query.org_code) continue;
      if (!query.person_id.empty() && card.person_id != query.person_id) continue;
      if (!StartsWith(card.region_code, query.region_prefix)) continue;
      if (!before(card.stocked_on, query.stocked_before, false) || !before(card.produced_on, query.produced_before, false) ||
          !before(card.expires_on, query.expires_before, false) || !before(card.photo_due_on, query.photo_due_by, true)) {
        continue;
      }
      if (!query.notice_not.empty() && card.notice == query.notice_not) continue;
      cards.push_back(card);
    }
    return cards;
  }
  Status Log(const domain::CardLogEntry& entry) override {
    state_.card_log[entry.card_no].push_back(entry);
    return Ok();
  }
  Result<std::vector<domain::CardLogEntry>> History(const std::string& card_no) override {
    auto found = state_.card_log.find(card_no);
    if (found == state_.card_log.end()) return std::vector<domain::CardLogEntry>();
    return found->second;
  }

 private:
  MemoryStore::State& state_;
};

class MemoryBatches final : public ports::BatchRepository {
 public:
  explicit MemoryBatches(MemoryStore::State& state) : state_(state) {}
  Result<int> CountOn(Date day) override {
    std::string prefix = domain::FormatBatchNo(day, 0).substr(0, 9);
    int count = 0;
    for (const auto& [number, batch] : state_.batches) count += StartsWith(number, prefix) ? 1 : 0;
    return count;
  }
  Status Insert(const domain::Batch& batch) override {
    if (state_.batches.count(batch.batch_no)) return Fail(ErrorCode::kALREADY_EXISTS);
    state_.batches[batch.batch_no] = batch;
    return Ok();
  }
  Result<std::optional<domain::Batch>> Find(const std::string& batch_no) override {
    auto found = state_.batches.find(batch_no);
    if (found == state_.batches.end()) return std::optional<domain::Batch>();
    return std::optional<domain::Batch>(found->second);
  }
  Status Update(const domain::Batch& batch) override {
    auto found = state_.batches.find(batch.batch_no);
    if (found == state_.batches.end() || found->second.version != batch.version - 1) return Fail(ErrorCode::kCONFLICT);
    found->second = batch;
    return Ok();
  }
  Result<std::vector<domain::Batch>> List(const ports::BatchQuery& query) override {
    std::vector<domain::Batch> batches;
    for (auto it = state_.batches.upper_bound(query.after_batch_no);
         it != state_.batches.end() && static_cast<int>(batches.size()) < query.limit; ++it) {
      const domain::Batch& batch = it->second;
      if (!query.status.empty() && domain::BatchStatusName(batch.status) != query.status) continue;
      if (query.due_before && (batch.status != domain::BatchStatus::kOpen || !(batch.due_on < *query.due_before))) continue;
      batches.push_back(batch);
    }
    return batches;
  }

 private:
  MemoryStore::State& state_;
};

class MemoryCitizens final : public ports::CitizenRepository {
 public:
  explicit MemoryCitizens(MemoryStore::State& state) : state_(state) {}
  Result<std::optional<domain::CitizenAccount>> FindById(const std::string& id) override {
    auto found = state_.citizens.find(id);
    if (found == state_.citizens.end()) return std::optional<domain::CitizenAccount>();
    return std::optional<domain::CitizenAccount>(found->second);
  }
  Result<std::optional<domain::CitizenAccount>> FindByIdNumber(const std::string& id_number) override {
    return FindWhere([&](const domain::CitizenAccount& account) { return account.id_number == id_number; });
  }
  Result<std::optional<domain::CitizenAccount>> FindByPhone(const std::string& phone) override {
    return FindWhere([&](const domain::CitizenAccount& account) { return account.phone == phone; });
  }
  Status Insert(const domain::CitizenAccount& account) override {
    for (const auto& [id, other] : state_.citizens) {
      if (id == account.id || other.id_number == account.id_number || other.phone == account.phone) {
        return Fail(ErrorCode::kALREADY_EXISTS);
      }
    }
    state_.citizens[account.id] = account;
    return Ok();
  }
  Status Update(const domain::CitizenAccount& account) override {
    auto found = state_.citizens.find(account.id);
    if (found == state_.citizens.end() || found->second.version != account.version - 1) return Fail(ErrorCode::kCONFLICT);
    found->second = account;
    return Ok();
  }
  Status PutCode(const std::string& phone, domain::CodePurpose purpose, const domain::OneTimeCode& code) override {
    state_.codes[{phone, purpose}] = code;
    return Ok();
  }
  Result<std::optional<domain::OneTimeCode>> FindCode(const std::string& phone, domain::CodePurpose purpose) override {
    auto found = state_.codes.find({phone, purpose});
    if (found == state_.codes.end()) return std::optional<domain::OneTimeCode>();
    return std::optional<domain::OneTimeCode>(found->second);
  }
  Status SetRevoked(const std::string& person_id, const std::string& partner_org, bool revoked, TimePoint) override {
    if (revoked) {
      state_.revocations.insert({person_id, partner_org});
    } else {
      state_.revocations.erase({person_id, partner_org});
    }
    return Ok();
  }
  Result<std::vector<std::string>> RevokedPartners(const std::string& person_id) override {
    std::vector<std::string> partners;
    for (const auto& [person, partner] : state_.revocations) {
      if (person == person_id) partners.push_back(partner);
    }
    return partners;
  }

 private:
  template <typename Predicate>
  std::optional<domain::CitizenAccount> FindWhere(Predicate predicate) {
    for (const auto& [id, account] : state_.citizens) {
      if (predicate(account)) return account;
    }
    return std::nullopt;
  }
  MemoryStore::State& state_;
};

class MemoryTx final : public ports::Tx {
 public:
  explicit MemoryTx(MemoryStore::State& state)
      : regions_(state), orgs_(state), staff_(state), sessions_(state), audit_(state),
        settings_(state), persons_(state), registry_(state), pins_(state), cases_(state),
        idempotency_(state), files_(state), outbox_(state), cards_(state), batches_(state), bundles_(state), bookings_(state), citizens_(state),
        payments_(MakeMemoryPayments(state.payments)), credentials_(MakeMemoryCredentials(state.credentials)) {}
  ports::RegionRepository& regions() override { return regions_; }
  ports::OrgRepository& orgs() override { return orgs_; }
  ports::StaffRepository& staff() override { return staff_; }
  ports::SessionRepository& sessions() override { return sessions_; }
  ports::AuditRepository& audit() override { return audit_; }
  ports::SettingRepository& settings() override { return settings_; }
  ports::PersonRepository& persons() override { return persons_; }
  ports::RegistryRepository& registry() override { return registry_; }
  ports::PinRepository& pins() override { return pins_; }
  ports::CaseRepository& cases() override { return cases_; }
  ports::IdempotencyRepository& idempotency() override { return idempotency_; }
  ports::FileRepository& files() override { return files_; }
  ports::OutboxRepository& outbox() override { return outbox_; }
  ports::CardRepository& cards() override { return cards_; }
  ports::BatchRepository& batches() override { return batches_; }
  ports::BundleRepository& bundles() override { return bundles_; }
  ports::BookingRepository& bookings() override { return bookings_; }
  ports::CitizenRepository& citizens() override { return citizens_; }
  ports::PaymentRepository& payments() override { return *payments_; }
  ports::CredentialRepository& credentials() override { return *credentials_; }

 private:
  MemoryRegions regions_;
  MemoryOrgs orgs_;
  MemoryStaff staff_;
  MemorySessions sessions_;
  MemoryAudit audit_;
  MemorySettings settings_;
  MemoryPersons persons_;
  MemoryRegistry registry_;
  MemoryPins pins_;
  MemoryCases cases_;
  MemoryIdempotency idempotency_;
  MemoryFiles files_;
  MemoryOutbox outbox_;
  MemoryCards cards_;
  MemoryBatches batches_;
  MemoryBundles bundles_;
  MemoryBookings bookings_;
  MemoryCitizens citizens_;
  std::unique_ptr<ports::PaymentRepository> payments_;
  std::unique_ptr<ports::CredentialRepository> credentials_;
};

}  // namespace

MemoryStore::MemoryStore() : state_(std::make_unique<State>()) {}
MemoryStore::~MemoryStore() = default;

Status MemoryStore::Run(ports::TxMode mode, const std::function<Status(ports::Tx&)>& body) {
  std::lock_guard lock(mutex_);
  if (mode == ports::TxMode::kRead) {
    // Reads see the state itself (the mutex keeps writers out).
    MemoryTx tx(*state_);
    return body(tx);
  }
  auto working = std::make_unique<State>(*state_);
  MemoryTx tx(*working);
  Status status = body(tx);
  if (status && mode == ports::TxMode::kWrite) state_ = std::move(working);
  return status;
}

Result<int> MemoryStore::Migrate() {
  std::lock_guard lock(mutex_);
  int applied = state_->schema_version == 0 ? 1 : 0;
  state_->schema_version = 1;
  return applied;
}

Result<int> MemoryStore::SchemaVersion() {
  std::lock_guard lock(mutex_);
  return state_->schema_version;
}

}  // namespace sscard::storage
