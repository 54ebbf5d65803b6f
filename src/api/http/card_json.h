#pragma once

// The card answers of the API (API.md "Persons and cards"), written straight into the response
// text with RapidJSON's streaming writer. A card read is the hottest route — windows, banks and
// partners verify cards far more often than anything changes — and building a JSON tree first
// cost as much as the database reads (bench/README.md). Every card answer goes through here,
// so the fields are written in one place. Thread-safe: pure functions.

#include <string>
#include <vector>

#include "app/card_service.h"
#include "domain/card.h"

namespace sscard::api {

// A card without its timeline, as the card operations answer: card_no, status, bank, dates,
// delivery, e-card, production (mode, stage, batch_no, produced_on, stocked_on), version.
std::string CardSummaryText(const domain::Card& card);

// The card with pin_locked and production.timeline: the case's steps ("case.<action>") and the
// card's log merged in time order.
std::string CardText(const app::CardView& view);

// {"items": [summaries…], "next_cursor": null}.
std::string CardListText(const std::vector<domain::Card>& cards);

}  // namespace sscard::api
