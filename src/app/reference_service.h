#pragma once
// Reference look-ups and the live checks forms call while a clerk types: the catalog and its
// guides per org (R-CAT-5/6), the working-day calendar (R-APPLY-4), and the checks of
// identity documents, names, PINs and photos (R-ID-2, R-ID-5, R-ID-7, R-PIN-2).
// Thread-safety: all methods may be called concurrently.

#include <functional>
#include <optional>
#include <string>

#include "domain/calendar.h"
#include "domain/catalog.h"
#include "domain/id_document.h"
#include "domain/photo.h"
#include "domain/ports/store.h"

namespace sscard::app {

struct Guide {
  const domain::CatalogItem* item = nullptr;
  domain::Org org;
  std::vector<std::pair<std::string, domain::Fee>> fees;  // operation -> fee at this org
};

struct DueDate {
  Date due_on;
  bool calendar_complete = true;  // false when the range leaves the published schedules
};

// Decodes and judges a photo (infra's libjpeg adapter in production).
using PhotoInspector = std::function<domain::PhotoCheck(std::string_view bytes)>;

class ReferenceService {
 public:
  ReferenceService(ports::Store& store, const domain::Catalog& catalog,
                   const domain::WorkingCalendar& calendar, PhotoInspector photo_inspector);

  const domain::Catalog& catalog() const { return catalog_; }
  const domain::WorkingCalendar& calendar() const { return calendar_; }

  // Errors: NOT_FOUND (no such item).
  Result<const domain::CatalogItem*> Item(const std::string& code) const;
  // The guide of an item as an org publishes it. Errors: NOT_FOUND (item or org).
  Result<Guide> GuideAt(const std::string& item_code, const std::string& org_code) const;
  // Errors: BAD_QUERY when `working_days` is outside 0..400.
  Result<DueDate> DueDateFrom(Date from, int working_days) const;

  // Errors: VALIDATION_FAILED for an unknown document type.
  Result<domain::IdCheck> CheckIdDocument(const std::string& type, const std::string& number,
                                          Date today) const;
  domain::PhotoCheck CheckPhoto(std::string_view bytes) const { return photo_inspector_(bytes); }

 private:
  ports::Store& store_;
  const domain::Catalog& catalog_;
  const domain::WorkingCalendar& calendar_;
  PhotoInspector photo_inspector_;
};

}  // namespace sscard::app
