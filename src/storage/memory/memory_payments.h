#pragma once
// The in-memory PaymentRepository (R-ONE-7) over its part of the memory store's state.
// Thread-safety: as the memory store (its mutex serialises transactions).

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "domain/ports/store.h"

namespace sscard::storage {

struct MemoryPaymentState {
  std::map<std::string, domain::PaymentBatch> batches;
  std::map<std::pair<std::string, int>, domain::PaymentRow> rows;  // by batch number, line
  std::map<std::string, std::string> accounts;                    // by card number
};

std::unique_ptr<ports::PaymentRepository> MakeMemoryPayments(MemoryPaymentState& state);

}  // namespace sscard::storage
