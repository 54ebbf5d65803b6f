#pragma once
// The "one-thing" bundle of seed 002 (我要办理社会保障卡一件事): one application of several
// items (R-BUNDLE-1), after the applicant accepted the notice (R-BUNDLE-2), with materials
// shared by several items given once (R-BUNDLE-3) and document images or the police photo
// taken from shared data instead of uploaded (R-BUNDLE-5). Pure; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/catalog.h"
#include "domain/intake.h"

namespace sscard::domain {

// One item of a bundle: the item, the operation, its business form.
struct BundleItem {
  std::string item;
  std::string operation;
  std::map<std::string, std::string> form;
};

struct BundleRequest {
  bool notice_accepted = false;  // the applicant read and accepted the notice (用户须知)
  Channel channel = Channel::kOnline;
  Applicant applicant;
  std::optional<Agent> agent;
  std::vector<BundleItem> items;         // in the order to handle them
  std::vector<MaterialRef> materials;    // each material once, for every item that needs it
  Delivery delivery;
};

// R-BUNDLE-1: the items a bundle may combine (seed 002's eight: apply, replacement,
// activation, loss and un-report, cancellation, information change, status query, pension
// payment account maintenance). PIN services are done at a window with a PIN pad, not here.
bool IsBundleItem(std::string_view item_code);

// The bundle's own rules, before any item is checked: the notice accepted (R-BUNDLE-2), one
// to eight items, each a bundle item with one of its operations, none twice. Every problem at
// once (field paths "notice_accepted", "items[2].item", …).
std::vector<FieldError> CheckBundle(const BundleRequest& request, const Catalog& catalog);

// The intake request of one item: the bundle's applicant, agent, channel and delivery, the
// item's form, and of the bundle's materials those the item's guide lists for the operation
// (R-BUNDLE-3: a material given once serves every item that needs it).
IntakeRequest RequestFor(const BundleRequest& bundle, const BundleItem& item, const CatalogItem& catalog_item);

// R-BUNDLE-5: the materials the data-sharing list of seed 002 covers — the images of both
// sides of the identity document and the applicant's photo (the police photo) — which may be
// given as kind "shared" instead of uploaded.
bool IsSharedDataMaterial(std::string_view material_name);

}  // namespace sscard::domain
