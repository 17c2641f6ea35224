#include "simulate/csv_writer.h"

#include <array>
#include <cstdint>
#include <vector>

#include "core/csv_field.h"
#include "simulate/measures.h"

namespace tilsyn::simulate {
namespace {

void AppendUint(std::string& out, uint64_t value) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) out += digits[--n];
}

void AppendTwoDigits(std::string& out, int value) {
  out += static_cast<char>('0' + value / 10);
  out += static_cast<char>('0' + value % 10);
}

void AppendBool(std::string& out, bool value) { out.append(value ? "true" : "false"); }

// "YYYY-MM-DD" for every day of the events' span, formatted once.
class DateTexts {
 public:
  DateTexts(Date first, Date last) : first_(first) {
    texts_.resize(static_cast<size_t>(last.days - first.days + 1) * kWidth);
    for (Date day = first; day <= last; day = AddDays(day, 1)) {
      const YearMonthDay ymd = ToYmd(day);
      std::string text;
      AppendUint(text, static_cast<uint64_t>(ymd.year));
      text += '-';
      AppendTwoDigits(text, ymd.month);
      text += '-';
      AppendTwoDigits(text, ymd.day);
      text.copy(&texts_[static_cast<size_t>(day.days - first.days) * kWidth], kWidth);
    }
  }
  void Append(std::string& out, Date day) const {
    out.append(&texts_[static_cast<size_t>(day.days - first_.days) * kWidth], kWidth);
  }

 private:
  static constexpr size_t kWidth = 10;
  Date first_;
  std::vector<char> texts_;
};

}  // namespace

std::string_view UnitsCsvHeader() { return "unit_id,parent_id,kind,name\n"; }
std::string_view WorkersCsvHeader() { return "worker_id,name,unit_id,fte,x_title\n"; }
std::string_view ChildrenCsvHeader() { return "child_id,birth_date,unit_id\n"; }
std::string_view EventsCsvHeader() {
  return "event_id,child_id,type,at,worker_id,ref,measure_id,measure_type,placement,legal_basis,"
         "source,professional,acute,context,decision,reasoned,states_effort,rule_id,reason,"
         "amount\n";
}

CsvRows FormatMunicipality(const Municipality& municipality, const Catalogue& catalogue) {
  CsvRows rows;
  const std::string& code = municipality.code;

  for (const OrgUnit& unit : municipality.units) {
    rows.units.append(unit.id).append(",").append(unit.parent_id).append(",");
    rows.units.append(UnitKindName(unit.kind)).append(",").append(CsvField(unit.name)) += '\n';
  }

  std::vector<std::string> worker_ids;
  worker_ids.reserve(municipality.workers.size());
  for (const StaffMember& worker : municipality.workers) {
    std::string id = code + "-W";
    AppendUint(id, worker.number);
    rows.workers.append(id).append(",").append(CsvField(worker.name)).append(",");
    rows.workers.append(municipality.units[worker.unit].id).append(",");
    if (worker.fte_tenths == 10) {
      rows.workers += '1';
    } else {
      rows.workers.append("0.") += static_cast<char>('0' + worker.fte_tenths);
    }
    rows.workers.append(",").append(TitleText(worker.title)) += '\n';
    worker_ids.push_back(std::move(id));
  }

  if (municipality.children.empty()) return rows;
  Date first_day = municipality.children.front().birth;
  Date last_day = first_day;
  for (const SimulatedChild& child : municipality.children) {
    first_day = std::min(first_day, child.birth);
  }
  for (const CaseEvent& event : municipality.events) {
    first_day = std::min(first_day, event.day);
    last_day = std::max(last_day, event.day);
  }
  const DateTexts dates(first_day, last_day);

  // Texts that repeat, formatted once.
  std::array<std::string, static_cast<size_t>(Text::kCount)> reasons;
  for (size_t i = 0; i < reasons.size(); ++i) reasons[i] = CsvField(TextOf(static_cast<Text>(i)));
  const std::vector<MeasureProfile> profiles = MeasureProfiles(catalogue);
  std::vector<std::array<std::string, 5>> legal_bases(profiles.size());
  for (size_t i = 0; i < profiles.size(); ++i) {
    legal_bases[i][static_cast<size_t>(LegalBasis::kServiceloven)] =
        CsvField(profiles[i].serviceloven);
    legal_bases[i][static_cast<size_t>(LegalBasis::kBarnetsLov)] =
        CsvField(profiles[i].barnets_lov);
    legal_bases[i][static_cast<size_t>(LegalBasis::kServicelovenWithoutConsent)] =
        CsvField(profiles[i].serviceloven_without_consent);
    legal_bases[i][static_cast<size_t>(LegalBasis::kBarnetsLovWithoutConsent)] =
        CsvField(profiles[i].barnets_lov_without_consent);
  }

  // About 110 bytes per event row; reserving saves the copies of a growing string.
  rows.events.reserve(municipality.events.size() * 112);
  rows.children.reserve(municipality.children.size() * 40);
  std::string child_id;
  for (const SimulatedChild& child : municipality.children) {
    child_id = code + "-B";
    AppendUint(child_id, child.number);
    rows.children.append(child_id).append(",");
    dates.Append(rows.children, child.birth);
    rows.children.append(",").append(municipality.units[child.unit].id) += '\n';

    for (uint32_t e = child.first_event; e < child.end_event; ++e) {
      const CaseEvent& event = municipality.events[e];
      std::string& out = rows.events;
      out.append(child_id).append("-E");
      AppendUint(out, e - child.first_event + 1);
      out += ',';
      out.append(child_id) += ',';
      out.append(EventTypeName(event.type)) += ',';
      dates.Append(out, event.day);
      if (event.minute >= 0) {
        out += 'T';
        AppendTwoDigits(out, event.minute / 60);
        out += ':';
        AppendTwoDigits(out, event.minute % 60);
      }
      out += ',';
      if (event.worker != kNone) out.append(worker_ids[event.worker]);
      out += ',';
      if (event.ref != kNone) {
        out.append(child_id).append("-E");
        AppendUint(out, event.ref + 1);
      }
      out += ',';
      if (event.measure != 0) {
        out.append(child_id).append("-M");
        AppendUint(out, event.measure);
      }
      out += ',';
      if (event.measure_type != kNoCode)
        out.append(catalogue.measure_types[event.measure_type].code);
      out += ',';
      if (event.Has(EventFlag::kPlacement)) AppendBool(out, event.Is(EventFlag::kPlacement));
      out += ',';
      if (event.legal_basis != LegalBasis::kNone) {
        out.append(legal_bases[event.measure_type][static_cast<size_t>(event.legal_basis)]);
      }
      out += ',';
      if (event.source != NotificationSource::kUnspecified) {
        out.append(NotificationSourceName(event.source));
      }
      out += ',';
      if (event.Has(EventFlag::kProfessional)) AppendBool(out, event.Is(EventFlag::kProfessional));
      out += ',';
      if (event.Has(EventFlag::kAcute)) AppendBool(out, event.Is(EventFlag::kAcute));
      out += ',';
      if (event.context != ConversationContext::kUnspecified) {
        out.append(ConversationContextName(event.context));
      }
      out += ',';
      if (event.decision != DecisionKind::kUnspecified)
        out.append(DecisionKindName(event.decision));
      out += ',';
      if (event.Has(EventFlag::kReasoned)) AppendBool(out, event.Is(EventFlag::kReasoned));
      out += ',';
      if (event.Has(EventFlag::kStatesEffort)) AppendBool(out, event.Is(EventFlag::kStatesEffort));
      out += ',';
      if (event.rule != kNoCode) out.append(catalogue.rules[event.rule].id);
      out += ',';
      out.append(reasons[static_cast<size_t>(event.reason)]);
      out += ',';
      if (event.type == EventType::kMeasureStarted) AppendUint(out, event.amount);
      out += '\n';
    }
  }
  return rows;
}

}  // namespace tilsyn::simulate
