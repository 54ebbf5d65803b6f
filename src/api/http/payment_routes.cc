// Benefit payments (R-ONE-3, R-ONE-7, API.md "Benefit payments"): a paying department's
// batches and their results, a bank's disbursement file, a citizen's own payments.
#include <fmt/format.h>

#include <algorithm>

#include "api/http/route_kit.h"
#include "domain/person.h"

namespace sscard::api {
namespace {

using app::PaymentRowInput;
using domain::PaymentRow;
using domain::PaymentStatus;

// A department learns where its money went by the card's last four digits, not the number.
std::string MaskCard(const std::string& card_no) {
  return card_no.size() > 4 ? std::string(card_no.size() - 4, '*') + card_no.substr(card_no.size() - 4) : card_no;
}

std::string Yuan(int64_t fen) { return fmt::format("{}.{:02}", fen / 100, fen % 100); }

std::string ReasonText(const PaymentRow& row, bool english) {
  return std::string(english ? domain::PaymentReasonEn(row.reason) : domain::PaymentReasonZh(row.reason));
}

Json RowJson(const PaymentRow& row, bool english) {
  std::string reason(domain::PaymentReasonCode(row.reason));
  return {{"line", row.line},
          {"row_id", row.row_id},
          {"id_number", domain::MaskIdNumber(row.id_number)},
          {"amount", row.amount},
          {"purpose", row.purpose},
          {"status", domain::PaymentStatusName(row.status)},
          {"reason", reason.empty() ? Json() : Json(reason)},
          {"reason_text", reason.empty() ? Json() : Json(ReasonText(row, english))},
          {"card_no", row.card_no.empty() ? Json() : Json(MaskCard(row.card_no))},
          {"paid_at", row.paid_at ? Json(FormatRfc3339(*row.paid_at)) : Json()}};
}

Json BatchSummary(const domain::PaymentBatch& batch) {
  return {{"batch_no", batch.batch_no},
          {"org_code", batch.org_code},
          {"created_by", batch.created_by},
          {"created_at", FormatRfc3339(batch.created_at)},
          {"row_count", batch.row_count},
          {"amount_total", batch.amount_total}};
}

Json BatchJson(const app::PaymentBatchView& view, bool english) {
  Json json = BatchSummary(view.batch);
  int64_t counts[3] = {0, 0, 0};
  int64_t amounts[3] = {0, 0, 0};
  Json rows = Json::array();
  for (const PaymentRow& row : view.rows) {
    ++counts[static_cast<int>(row.status)];
    amounts[static_cast<int>(row.status)] += row.amount;
    rows.push_back(RowJson(row, english));
  }
  json["counts"] = {{"paid", counts[0]}, {"held", counts[1]}, {"refused", counts[2]}};
  json["amounts"] = {{"paid", amounts[0]}, {"held", amounts[1]}, {"refused", amounts[2]}};
  json["replayed"] = view.replayed;
  json["rows"] = std::move(rows);
  return json;
}

// One row of a JSON batch. Types are checked here; ranges by the use case.
PaymentRowInput ReadJsonRow(const Json& entry, const std::string& path, FormReader& batch_form) {
  PaymentRowInput row;
  if (!entry.is_object()) {
    batch_form.AddProblem(path, "NOT_AN_OBJECT", "每一行应为对象", "each row is an object");
    return row;
  }
  FormReader form(entry, path);
  if (entry.contains("row_id") && entry["row_id"].is_number_integer()) {
    row.row_id = std::to_string(entry["row_id"].get<int64_t>());
  } else {
    row.row_id = form.RequiredString("row_id", 64);
  }
  row.id_number = form.RequiredString("id_number", 40);
  row.purpose = form.RequiredString("purpose", 120);
  const auto amount = entry.find("amount");
  if (amount == entry.end() || !amount->is_number_integer()) {
    form.AddProblem("amount", "BAD_AMOUNT", "金额以分为单位，应为整数", "amount is a whole number of fen");
  } else {
    row.amount = amount->is_number_unsigned() && amount->get<uint64_t>() > uint64_t{INT64_MAX} ? -1 : amount->get<int64_t>();
  }
  form.RejectUnknown({"row_id", "id_number", "amount", "purpose"});
  if (Status status = form.Finish(); !status) {
    for (const FieldError& problem : status.error().fields) {
      batch_form.AddProblem(problem.field, problem.code, problem.message.zh, problem.message.en);
    }
  }
  return row;
}

Result<std::vector<PaymentRowInput>> ReadJsonBatch(const Call& call) {
  ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
  FormReader form(body);
  std::vector<PaymentRowInput> rows;
  const auto list = body.find("rows");
  if (list == body.end() || !list->is_array()) {
    form.AddProblem("rows", "REQUIRED", "请提供 rows 数组", "rows is an array of payment rows");
  } else {
    for (size_t index = 0; index < list->size() && index <= static_cast<size_t>(domain::kMaxPaymentRows); ++index) {
      rows.push_back(ReadJsonRow((*list)[index], fmt::format("rows[{}]", index), form));
    }
  }
  form.RejectUnknown({"rows"});
  if (Status finished = form.Finish(); !finished) {
    Error error = finished.error();
    if (error.fields.size() > 50) error.fields.resize(50);  // the first 50 problems are enough to act on
    return Fail(std::move(error));
  }
  return rows;
}

// A CSV batch: a header `row_id,id_number,amount,purpose`, then one row a line; cells are
// plain (no quotes, no commas inside). Work is bounded: at most kMaxPaymentRows + 1 lines
// are read.
Result<std::vector<PaymentRowInput>> ReadCsvBatch(const Call& call) {
  std::string_view body = call.request.body;
  if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  std::vector<PaymentRowInput> rows;
  Error error = MakeError(ErrorCode::kVALIDATION_FAILED);
  auto problem = [&](std::string field, std::string code, std::string zh, std::string en) {
    if (error.fields.size() < 50) error.fields.push_back({std::move(field), std::move(code), {std::move(zh), std::move(en)}, "R-ONE-7"});
  };
  size_t line_no = 0;
  bool header_seen = false;
  while (!body.empty()) {
    size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no;
    if (line.empty()) continue;
    std::vector<std::string> cells;
    size_t start = 0;
    while (cells.size() < 6) {
      size_t comma = line.find(',', start);
      cells.emplace_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (!header_seen) {
      header_seen = true;
      if (cells != std::vector<std::string>{"row_id", "id_number", "amount", "purpose"}) {
        problem("line 1", "BAD_HEADER", "首行应为 row_id,id_number,amount,purpose", "the first line is row_id,id_number,amount,purpose");
        return Fail(std::move(error));
      }
      continue;
    }
    std::string field = fmt::format("line {}", line_no);
    if (rows.size() >= static_cast<size_t>(domain::kMaxPaymentRows)) {
      rows.emplace_back();  // one over: the use case answers TOO_MANY_ROWS
      break;
    }
    if (line.find('"') != std::string_view::npos) {
      problem(field, "QUOTED_CELL", "单元格不能带引号（每格为纯文本，不含逗号）", "cells are plain text, without quotes or commas");
      continue;
    }
    if (cells.size() != 4) {
      problem(field, "BAD_ROW", "每行应有4列：行编号,证件号码,金额(分),发放项目", "each line has 4 cells: row_id,id_number,amount,purpose");
      continue;
    }
    PaymentRowInput row{cells[0], cells[1], 0, cells[3]};
    const std::string& amount = cells[2];
    if (amount.empty() || amount.size() > 12 || !std::all_of(amount.begin(), amount.end(), ::isdigit)) {
      problem(field + ".amount", "BAD_AMOUNT", "金额以分为单位，应为正整数", "amount is a positive whole number of fen");
    } else {
      row.amount = std::stoll(amount);
    }
    rows.push_back(std::move(row));
  }
  if (!header_seen) problem("body", "REQUIRED", "文件为空", "the file is empty");
  if (!error.fields.empty()) return Fail(std::move(error));
  return rows;
}

Result<Date> ReadDay(const Call& call) {
  std::string text = call.Query("on");
  if (text.empty()) return ChinaDate(call.context.now);
  auto day = ParseDate(text);
  if (!day) return Fail(BadQuery("on", "日期格式应为 YYYY-MM-DD", "on is a date YYYY-MM-DD"));
  return *day;
}

}  // namespace

void AddPaymentRoutes(const AddRoute& add, ApiDeps& d) {
  add("POST", "/api/v1/payments/batches", kSignedIn, [&d](Call& call) -> Result<Response> {
    bool csv = call.request.Header("content-type").rfind("text/csv", 0) == 0;
    if (!csv && call.request.body.size() > kMaxJsonBody) return Fail(ErrorCode::kPAYLOAD_TOO_LARGE);
    ASSIGN_OR_RETURN(auto rows, csv ? ReadCsvBatch(call) : ReadJsonBatch(call));
    ASSIGN_OR_RETURN(auto idempotency, IdempotencyOf(call));
    ASSIGN_OR_RETURN(app::PaymentBatchView view, d.payments->Submit(call.context, rows, idempotency.first, idempotency.second));
    // A retry gets the first answer again (API.md Idempotency-Key), marked as a replay.
    Response response = JsonResponse(201, BatchJson(view, call.english));
    response.headers.emplace_back("Location", "/api/v1/payments/batches/" + view.batch.batch_no);
    if (view.replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
    return response;
  });
  add("GET", "/api/v1/payments/batches", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto batches, d.payments->List(call.context));
    Json items = Json::array();
    for (const auto& batch : batches) items.push_back(BatchSummary(batch));
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", Json()}});
  });
  add("GET", "/api/v1/payments/batches/{batch_no}", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(app::PaymentBatchView view, d.payments->Get(call.context, call.params["batch_no"]));
    return JsonResponse(200, BatchJson(view, call.english));
  });
  // The department's result file: one line per row, as it stands now.
  add("GET", "/api/v1/payments/batches/{batch_no}/result", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(app::PaymentBatchView view, d.payments->Get(call.context, call.params["batch_no"]));
    std::vector<std::vector<std::string>> lines;
    for (const PaymentRow& row : view.rows) {
      lines.push_back({row.row_id, domain::MaskIdNumber(row.id_number), std::to_string(row.amount), Yuan(row.amount),
                       row.purpose, std::string(domain::PaymentStatusName(row.status)),
                       std::string(domain::PaymentReasonCode(row.reason)), ReasonText(row, call.english), MaskCard(row.card_no),
                       row.paid_at ? FormatRfc3339(*row.paid_at) : ""});
    }
    return CsvResponse(view.batch.batch_no + "-result.csv",
                       {"row_id", "id_number", "amount_fen", "amount_yuan", "purpose", "status", "reason", "reason_text",
                        "card_no", "paid_at"},
                       lines);
  });
  // A cooperative bank's disbursement file: what was paid to its cards' accounts on a day.
  add("GET", "/api/v1/payments/disbursements", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Date day, ReadDay(call));
    ASSIGN_OR_RETURN(auto rows, d.payments->Disbursements(call.context, day));
    std::vector<std::vector<std::string>> lines;
    for (const auto& item : rows) {
      lines.push_back({item.row.batch_no, std::to_string(item.row.line), item.row.card_no, item.account_no,
                       std::to_string(item.row.amount), item.row.purpose,
                       item.row.paid_at ? FormatRfc3339(*item.row.paid_at) : ""});
    }
    return CsvResponse("disbursement-" + FormatDate(day) + ".csv",
                       {"batch_no", "line", "card_no", "account_no", "amount_fen", "purpose", "paid_at"}, lines);
  });
  add("GET", "/api/v1/me/payments", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto rows, d.payments->Mine(call.context));
    Json items = Json::array();
    for (const PaymentRow& row : rows) {
      Json json = RowJson(row, call.english);
      json.erase("id_number");
      json.erase("row_id");
      json.erase("line");
      items.push_back(std::move(json));
    }
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", Json()}});
  });
}

}  // namespace sscard::api
