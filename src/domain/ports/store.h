#pragma once
// The storage ports: one repository per aggregate, reached through a transaction (Tx), and
// the Store that runs one transaction per use case. Implementations: storage/memory (tests),
// storage/sql over SQLite and PostgreSQL. storage_contract_test runs the same suite on all.
//
// Errors every method may return: UNAVAILABLE (the database cannot be reached or is busy
// past the timeout), INTERNAL (an unexpected database failure). Methods list others.
// Thread-safety: a Store is shared by all threads; a Tx belongs to the one thread running
// the transaction body and must not escape it.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/booking.h"
#include "domain/card.h"
#include "domain/citizen.h"
#include "domain/case.h"
#include "domain/org.h"
#include "domain/payment.h"
#include "domain/person.h"
#include "domain/pin.h"
#include "domain/region.h"
#include "domain/staff.h"
#include "domain/terminal.h"

namespace sscard::ports {

class RegionRepository {
 public:
  virtual ~RegionRepository() = default;
  virtual Result<std::optional<domain::Region>> Find(const std::string& code) = 0;
  // Children of `parent_code` ordered by code; the provinces when `parent_code` is empty.
  virtual Result<std::vector<domain::Region>> Children(const std::string& parent_code) = 0;
  virtual Result<int64_t> Count() = 0;
  // Inserts regions that are not there yet and updates the names of those that are.
  virtual Status Upsert(const std::vector<domain::Region>& regions) = 0;
};

class OrgRepository {
 public:
  virtual ~OrgRepository() = default;
  virtual Result<std::optional<domain::Org>> Find(const std::string& code) = 0;
  // Orgs whose region lies under `region_prefix` (every org when empty), ordered by code.
  virtual Result<std::vector<domain::Org>> ListUnder(const std::string& region_prefix) = 0;
  // Errors: ALREADY_EXISTS when the code or the service point id is taken.
  virtual Status Insert(const domain::Org& org) = 0;
  // Writes `org` if the stored version equals org.version - 1. Errors: CONFLICT otherwise.
  virtual Status Update(const domain::Org& org) = 0;
};

class StaffRepository {
 public:
  virtual ~StaffRepository() = default;
  virtual Result<std::optional<domain::StaffAccount>> Find(const std::string& username) = 0;
  // Accounts of orgs whose code starts with `org_code_prefix` (all when empty), by username.
  virtual Result<std::vector<domain::StaffAccount>> List(const std::string& org_code_prefix) = 0;
  // Errors: ALREADY_EXISTS when the username is taken.
  virtual Status Insert(const domain::StaffAccount& account) = 0;
  // Writes `account` if the stored version equals account.version - 1. Errors: CONFLICT.
  virtual Status Update(const domain::StaffAccount& account) = 0;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  // Errors: ALREADY_EXISTS when the digest exists (a token collision: cannot happen).
  virtual Status Insert(const domain::Session& session) = 0;
  virtual Result<std::optional<domain::Session>> Find(const std::string& token_digest) = 0;
  virtual Status Touch(const std::string& token_digest, TimePoint last_seen_at) = 0;
  virtual Status Revoke(const std::string& token_digest) = 0;
  // Revokes every session of the account; returns how many were live.
  virtual Result<int64_t> RevokeAll(const std::string& username) = 0;
};

struct AuditQuery {
  std::string org_code_prefix;  // rows of orgs under this prefix; all when empty
  std::string actor;            // exact username; any when empty
  std::string action;           // exact action; any when empty
  std::optional<TimePoint> from;  // inclusive
  std::optional<TimePoint> to;    // exclusive
  std::string after_id;           // cursor: rows with a smaller id (newest first)
  std::vector<std::string> targets;  // any of these targets (a holder's person and card ids)
  std::vector<std::string> actions;  // any of these actions
  int limit = 50;
};

// What `AuditRepository::VerifyChain` found (R-SEC-3, tamper-evident audit).
struct AuditChainReport {
  bool intact = true;
  int64_t chained = 0;    // rows checked along the chain
  int64_t pending = 0;    // rows written since the last sealing, each with a valid row MAC
  int64_t first_seq = 0;  // the oldest sequence number kept (older rows were purged)
  int64_t last_seq = 0;
  // Where the chain first breaks: the row's id (empty when rows are missing at the end) and
  // its sequence number, with the reason ("row changed", "row missing before this row", …).
  std::string broken_id;
  int64_t broken_seq = 0;
  std::string reason;
};

// The audit trail. Every row carries a keyed MAC of its fields from the moment it is
// written; `SealPending` then links rows into one chain (sequence number + keyed hash of the
// previous link and the row), so a changed, deleted, inserted or reordered row is found by
// `VerifyChain`. Sealing is one writer's job (the server's background thread), so use cases
// never contend on the chain's head.
class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  virtual Status Append(const domain::AuditEntry& entry) = 0;
  // Newest first (by id, which is time-ordered).
  virtual Result<std::vector<domain::AuditEntry>> List(const AuditQuery& query) = 0;
  // Links up to `limit` rows written since the last call, oldest id first. A row whose MAC is
  // wrong is left out of the chain (VerifyChain names it). Returns how many were linked.
  virtual Result<int> SealPending(int limit) = 0;
  // Walks the whole chain from its anchor and checks every pending row's MAC.
  virtual Result<AuditChainReport> VerifyChain() = 0;
  // Deletes the chained rows written before `before` (a prefix of the chain); the chain's
  // anchor moves to the first row kept. Returns how many rows went.
  virtual Result<int64_t> Purge(TimePoint before) = 0;
};

// People (R-ID-4). Name, ID number, phone and addresses are sealed at rest by SQL stores;
// a person is found by the keyed hash of the ID number.
class PersonRepository {
 public:
  virtual ~PersonRepository() = default;
  virtual Result<std::optional<domain::Person>> FindById(const std::string& id) = 0;
  virtual Result<std::optional<domain::Person>> FindByIdNumber(const std::string& id_number) = 0;
  // Errors: ALREADY_EXISTS when the id or the ID number is taken.
  virtual Status Insert(const domain::Person& person) = 0;
  // Inserts unless the ID number is already there (bulk import); says whether it did.
  virtual Result<bool> InsertIfAbsent(const domain::Person& person) = 0;
  // Writes if the stored version equals person.version - 1. Errors: CONFLICT.
  virtual Status Update(const domain::Person& person) = 0;
};

// The local copy of the population registry (R-ID-8).
class RegistryRepository {
 public:
  virtual ~RegistryRepository() = default;
  virtual Result<std::optional<domain::RegistryEntry>> Find(const std::string& id_number) = 0;
  virtual Status Upsert(const std::vector<domain::RegistryEntry>& entries) = 0;
  virtual Result<int64_t> Count() = 0;
  // The insurance system's status rows (R-CANCEL-2), keyed like the registry.
  virtual Result<std::optional<domain::InsuredStatus>> FindInsured(const std::string& id_number) = 0;
  virtual Status UpsertInsured(const std::vector<domain::InsuredStatus>& rows) = 0;
  // The police photo library of the shared data (R-ID-5, R-BUNDLE-5): the file id (the
  // content's SHA-256 in the file store) of each person's photo, keyed like the registry.
  virtual Result<std::optional<std::string>> FindPolicePhoto(const std::string& id_number) = 0;
  virtual Status PutPolicePhoto(const std::string& id_number, const std::string& file_id) = 0;
};

// The social-security PIN of each card (R-PIN-1…3): a salted slow hash and the wrong-entry
// counter. The counter moves by single atomic statements so concurrent entries cannot race
// past the lock.
struct PinRecord {
  std::string card_no;
  std::string pin_hash;
  domain::PinState state;
  bool initial = false;  // the PIN set at issue: the holder should change it (R-PIN-1)
};

class PinRepository {
 public:
  virtual ~PinRepository() = default;
  virtual Result<std::optional<PinRecord>> Find(const std::string& card_no) = 0;
  // Sets a new PIN hash and clears the counter and the lock (initial PIN, reset, unlock).
  virtual Status Put(const std::string& card_no, const std::string& pin_hash, bool initial) = 0;
  // Counts one wrong entry unless locked; locks at the sixth. Returns the state after it.
  // Errors: NOT_FOUND.
  virtual Result<domain::PinState> RecordFailure(const std::string& card_no) = 0;
  // Clears the counter of an unlocked card. Returns false when the card is locked.
  // Errors: NOT_FOUND.
  virtual Result<bool> RecordSuccess(const std::string& card_no) = 0;
};

struct CaseQuery {
  std::string region_prefix;  // cases accepted under this region (the caller's scope)
  std::string status;         // a CaseStatus name; any when empty
  std::string item;
  std::string accepting_org;
  std::string reviewing_org;
  std::string accepted_by;
  std::string person_id;
  bool open_only = false;          // pending_review or suspended
  std::optional<Date> from;        // created on or after (China date)
  std::optional<Date> to;          // created on or before
  std::optional<Date> overdue_on;  // pending or suspended with due_on before this date
  std::string after_case_no;       // cursor: case numbers greater than this
  int limit = 50;
};

class CaseRepository {
 public:
  virtual ~CaseRepository() = default;
  // The next daily serial of an accepting region (1, 2, …), in the caller's transaction:
  // concurrent intakes never get the same number.
  virtual Result<int> NextSerial(const std::string& region6, Date date) = 0;
  // Errors: ALREADY_EXISTS.
  virtual Status Insert(const domain::Case& record) = 0;
  virtual Result<std::optional<domain::Case>> Find(const std::string& case_no) = 0;
  // Only the steps of a case (cheap: no personal data to open).
  virtual Result<std::vector<domain::CaseStep>> Steps(const std::string& case_no) = 0;
  // Writes status, result, reason, due date and the new steps if the stored version equals
  // record.version - 1. Errors: CONFLICT.
  virtual Status Update(const domain::Case& record) = 0;
  // Ordered by case number (region, day, serial).
  virtual Result<std::vector<domain::Case>> List(const CaseQuery& query) = 0;
};

// Uploaded materials and photos, content-addressed by SHA-256 and sealed at rest.
struct StoredFile {
  std::string file_id;  // lowercase hex SHA-256 of the content
  std::string content_type;
  int64_t bytes = 0;
  std::string org_code;  // the uploader's org (scoping)
  std::string uploaded_by;
  TimePoint created_at;
  std::string content;  // empty when only the metadata was read
};

class FileRepository {
 public:
  virtual ~FileRepository() = default;
  // Stores a file once; putting the same content again changes nothing.
  virtual Status Put(const StoredFile& file) = 0;
  virtual Result<std::optional<StoredFile>> Find(const std::string& file_id, bool with_content) = 0;
};

// Messages to applicants (case accepted, decided, card ready), written in the same
// transaction as the change they announce and sent later by the outbox drainer.
struct OutboxMessage {
  std::string id;
  std::string kind;     // "case_accepted", "case_decided", …
  std::string case_no;
  std::string person_id;
  std::string text;     // Chinese text for the applicant; no personal data
  int attempts = 0;
  TimePoint next_attempt_at;
  std::optional<TimePoint> sent_at;
  TimePoint created_at;
};

class OutboxRepository {
 public:
  virtual ~OutboxRepository() = default;
  virtual Status Enqueue(const OutboxMessage& message) = 0;
  // Unsent messages whose next attempt is due at `now`, oldest first.
  virtual Result<std::vector<OutboxMessage>> Due(TimePoint now, int limit) = 0;
  virtual Status MarkSent(const std::string& id, TimePoint at) = 0;
  virtual Status MarkFailed(const std::string& id, int attempts, TimePoint next_attempt_at) = 0;
  // The messages to one person, newest first (the citizen's inbox).
  virtual Result<std::vector<OutboxMessage>> ListForPerson(const std::string& person_id, int limit) = 0;
};

// Citizens' accounts, their one-time codes and their consent revocations (R-ONE-8, R-ONE-6).
// SQL stores seal ID number, name and phone and find accounts and codes by the keyed hash of
// the ID number or phone; a code is stored as a digest only.
class CitizenRepository {
 public:
  virtual ~CitizenRepository() = default;
  virtual Result<std::optional<domain::CitizenAccount>> FindById(const std::string& id) = 0;
  virtual Result<std::optional<domain::CitizenAccount>> FindByIdNumber(const std::string& id_number) = 0;
  virtual Result<std::optional<domain::CitizenAccount>> FindByPhone(const std::string& phone) = 0;
  // Errors: ALREADY_EXISTS (the ID number or the phone has an account).
  virtual Status Insert(const domain::CitizenAccount& account) = 0;
  // Optimistic: `account.version` is the stored version + 1. Errors: CONFLICT.
  virtual Status Update(const domain::CitizenAccount& account) = 0;
  // The code of a phone and purpose (a new one replaces the old).
  virtual Status PutCode(const std::string& phone, domain::CodePurpose purpose, const domain::OneTimeCode& code) = 0;
  virtual Result<std::optional<domain::OneTimeCode>> FindCode(const std::string& phone, domain::CodePurpose purpose) = 0;
  // A holder revokes (or grants again) a partner org's access to their personal fields.
  virtual Status SetRevoked(const std::string& person_id, const std::string& partner_org, bool revoked,
                            TimePoint at) = 0;
  virtual Result<std::vector<std::string>> RevokedPartners(const std::string& person_id) = 0;
};

// Which cards to list; every set field narrows the list. Ordered by card number.
struct CardQuery {
  std::vector<domain::CardStatus> statuses;  // any when empty
  std::string production_mode;
  std::string batch_no;
  std::string org_code;
  std::string region_prefix;
  std::string person_id;
  std::optional<Date> stocked_before;   // in stock since before this day
  std::optional<Date> produced_before;  // produced before this day
  std::optional<Date> expires_before;   // expires before this day
  std::optional<Date> photo_due_by;     // a child card without photo due on or before this day
  std::string notice_not;               // its last renewal notice differs from this
  std::string after_card_no;            // cursor
  int limit = 100;
};

class CardRepository {
 public:
  virtual ~CardRepository() = default;
  // The next card serial of a province (1, 2, …), in the caller's transaction.
  virtual Result<int64_t> NextSerial(const std::string& province2) = 0;
  // Errors: ALREADY_EXISTS.
  virtual Status Insert(const domain::Card& card) = 0;
  virtual Result<std::optional<domain::Card>> Find(const std::string& card_no) = 0;
  // All cards of a person, newest first.
  virtual Result<std::vector<domain::Card>> ListByPerson(const std::string& person_id) = 0;
  // Writes if the stored version equals card.version - 1. Errors: CONFLICT.
  virtual Status Update(const domain::Card& card) = 0;
  virtual Result<std::vector<domain::Card>> List(const CardQuery& query) = 0;
  // The card's log (production timeline, stock, bank events), oldest first.
  virtual Status Log(const domain::CardLogEntry& entry) = 0;
  virtual Result<std::vector<domain::CardLogEntry>> History(const std::string& card_no) = 0;
};

struct BatchQuery {
  std::string status;             // a BatchStatus name; any when empty
  std::optional<Date> due_before;  // late: still open with due_on before this day
  std::string after_batch_no;
  int limit = 100;
};

class BatchRepository {
 public:
  virtual ~BatchRepository() = default;
  // How many batches were made on `day` (the next serial is one more).
  virtual Result<int> CountOn(Date day) = 0;
  // Errors: ALREADY_EXISTS.
  virtual Status Insert(const domain::Batch& batch) = 0;
  virtual Result<std::optional<domain::Batch>> Find(const std::string& batch_no) = 0;
  // Writes if the stored version equals batch.version - 1. Errors: CONFLICT.
  virtual Status Update(const domain::Batch& batch) = 0;
  virtual Result<std::vector<domain::Batch>> List(const BatchQuery& query) = 0;
};

// Answers of requests sent with an Idempotency-Key: the same key and body get the first
// answer again.
struct IdempotencyRecord {
  std::string key;    // the caller's key, scoped by the caller ("user:key")
  std::string request_digest;
  int status = 0;
  std::string body;
  TimePoint created_at;
};

class IdempotencyRepository {
 public:
  virtual ~IdempotencyRepository() = default;
  virtual Result<std::optional<IdempotencyRecord>> Find(const std::string& key) = 0;
  // Errors: ALREADY_EXISTS when another request stored the key first.
  virtual Status Insert(const IdempotencyRecord& record) = 0;
};

// A "one-thing" bundle (R-BUNDLE-1): the cases of one application, in the order applied for.
struct BundleRecord {
  std::string bundle_no;
  std::string region_code;  // the accepting org's region
  std::string person_id;
  std::string org_code;     // the accepting org
  std::string created_by;
  TimePoint created_at;
  std::vector<std::string> case_nos;
};

class BundleRepository {
 public:
  virtual ~BundleRepository() = default;
  // Errors: ALREADY_EXISTS.
  virtual Status Insert(const BundleRecord& bundle) = 0;
  virtual Result<std::optional<BundleRecord>> Find(const std::string& bundle_no) = 0;
};

// Home-service bookings (R-ONE-4).
class BookingRepository {
 public:
  virtual ~BookingRepository() = default;
  virtual Status Insert(const domain::Booking& booking) = 0;
  virtual Result<std::optional<domain::Booking>> Find(const std::string& booking_no) = 0;
  // Writes a booking whose version the caller raised by one. Errors: CONFLICT when the stored
  // version is not booking.version - 1 (another writer won).
  virtual Status Update(const domain::Booking& booking) = 0;
  // Bookings of regions under `region_prefix`, oldest first; `status` empty: every status.
  virtual Result<std::vector<domain::Booking>> List(const std::string& region_prefix, const std::string& status,
                                                    int limit) = 0;
};

// Key-value settings of the installation (e.g. when demo data was seeded).
class SettingRepository {
 public:
  virtual ~SettingRepository() = default;
  virtual Result<std::optional<std::string>> Get(const std::string& key) = 0;
  virtual Status Put(const std::string& key, const std::string& value) = 0;
};

// One transaction: every repository bound to it.
// Benefit payments (R-ONE-7): batches, their rows, and the bank account numbers that the
// cooperative banks report with account_activated. ID numbers and account numbers are sealed.
class PaymentRepository {
 public:
  virtual ~PaymentRepository() = default;
  // Batches created on `day` (for numbering).
  virtual Result<int> CountOn(Date day) = 0;
  // Errors: ALREADY_EXISTS for a taken batch number.
  virtual Status InsertBatch(const domain::PaymentBatch& batch) = 0;
  virtual Result<std::optional<domain::PaymentBatch>> FindBatch(const std::string& batch_no) = 0;
  // The department's batches, newest first.
  virtual Result<std::vector<domain::PaymentBatch>> ListBatches(const std::string& org_code, int limit) = 0;
  virtual Status InsertRow(const domain::PaymentRow& row) = 0;
  // Errors: CONFLICT when the stored row is not at version - 1.
  virtual Status UpdateRow(const domain::PaymentRow& row) = 0;
  virtual Result<std::vector<domain::PaymentRow>> Rows(const std::string& batch_no) = 0;
  // The person's rows, newest first; only the held ones when `held_only`.
  virtual Result<std::vector<domain::PaymentRow>> ForPerson(const std::string& person_id, bool held_only, int limit) = 0;
  // Whether the department already sent `row_id` in a row that was not refused.
  virtual Result<bool> RowIdTaken(const std::string& org_code, const std::string& row_id) = 0;
  // The rows paid to a bank's cards on `day` (the bank's disbursement file).
  virtual Result<std::vector<domain::PaymentRow>> PaidThrough(const std::string& bank_code, Date day, int limit) = 0;
  virtual Status PutAccount(const std::string& card_no, const std::string& account_no, TimePoint at) = 0;
  virtual Result<std::optional<std::string>> FindAccount(const std::string& card_no) = 0;
};

// One-time credentials (R-ONE-6): QR token nonces used up by their first presentation, the
// challenges partners' terminals answer with a chip read, and the terminals themselves.
// Terminal keys are sealed.
class CredentialRepository {
 public:
  virtual ~CredentialRepository() = default;
  // Records a one-time nonce; false when it was recorded before (a replay).
  virtual Result<bool> UseOnce(const std::string& nonce, TimePoint expires_at) = 0;
  virtual Status PutChallenge(const std::string& challenge, const std::string& org_code, TimePoint expires_at) = 0;
  // Spends the org's challenge: kTaken once; kSpent, kExpired or kUnknown (another org's too).
  virtual Result<domain::ChallengeState> TakeChallenge(const std::string& challenge, const std::string& org_code,
                                                       TimePoint now) = 0;
  // Forgets nonces and challenges that expired before `now`.
  virtual Status Purge(TimePoint now) = 0;
  virtual Status InsertTerminal(const domain::Terminal& terminal) = 0;
  virtual Result<std::optional<domain::Terminal>> FindTerminal(const std::string& terminal_id) = 0;
  virtual Result<std::vector<domain::Terminal>> ListTerminals(const std::string& org_code) = 0;
  virtual Status RevokeTerminal(const std::string& terminal_id) = 0;
};

class Tx {
 public:
  virtual ~Tx() = default;
  virtual RegionRepository& regions() = 0;
  virtual OrgRepository& orgs() = 0;
  virtual StaffRepository& staff() = 0;
  virtual SessionRepository& sessions() = 0;
  virtual AuditRepository& audit() = 0;
  virtual SettingRepository& settings() = 0;
  virtual PersonRepository& persons() = 0;
  virtual RegistryRepository& registry() = 0;
  virtual PinRepository& pins() = 0;
  virtual CaseRepository& cases() = 0;
  virtual IdempotencyRepository& idempotency() = 0;
  virtual FileRepository& files() = 0;
  virtual OutboxRepository& outbox() = 0;
  virtual CardRepository& cards() = 0;
  virtual BatchRepository& batches() = 0;
  virtual BundleRepository& bundles() = 0;
  virtual BookingRepository& bookings() = 0;
  virtual CitizenRepository& citizens() = 0;
  virtual PaymentRepository& payments() = 0;
  virtual CredentialRepository& credentials() = 0;
};

enum class TxMode {
  kRead,   // reads only; may run concurrently with other transactions
  kWrite,  // takes the write lock up front (SQLite BEGIN IMMEDIATE)
  kTrial,  // runs like kWrite and is always rolled back: what a use case *would* do (a pre-check)
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs `body` in one transaction: commits when it returns Ok (never in kTrial), rolls back
  // otherwise and returns its error. A body may run more than once (a serialization failure is retried),
  // so it must not have effects outside the transaction.
  virtual Status Run(TxMode mode, const std::function<Status(Tx&)>& body) = 0;
  // Applies the pending numbered migrations. Returns how many were applied.
  virtual Result<int> Migrate() = 0;
  // The newest migration applied; 0 on an empty database.
  virtual Result<int> SchemaVersion() = 0;
  // A cheap round trip to the database (readiness). Errors: UNAVAILABLE.
  virtual Status Ping() = 0;
  // "memory", "sqlite" or "postgresql".
  virtual std::string Engine() const = 0;
  // True when write transactions run one at a time (SQLite's BEGIN IMMEDIATE, the memory
  // store's mutex): a hot row then costs no retries, and splitting a use case into more
  // transactions would only add commits.
  virtual bool SerializesWriters() const = 0;
};

// Runs `body` (returning Result<T>) in one transaction and returns its value.
template <typename T>
Result<T> Transact(Store& store, TxMode mode, const std::function<Result<T>(Tx&)>& body) {
  std::optional<T> value;
  Status status = store.Run(mode, [&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(T result, body(tx));
    value = std::move(result);
    return Ok();
  });
  if (!status) return tl::unexpected(std::move(status).error());
  return std::move(*value);
}

}  // namespace sscard::ports
