#include "rules/catalogue.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <initializer_list>

namespace tilsyn {
namespace {

// Reads one TOML file into catalogue structures, stopping at the first error with a message that
// names the file and the field.
class FileReader {
 public:
  explicit FileReader(std::string file) : file_(std::move(file)) {}

  Error Fail(std::string_view field, std::string_view message) const {
    return InvalidArgument(fmt::format("{}: {}: {}", file_, field, message));
  }

  // Rejects keys other than `allowed`: a misspelt key in a rule file must not pass silently.
  Status CheckKeys(const toml::table& table, std::string_view prefix,
                   std::initializer_list<std::string_view> allowed) const {
    for (const auto& [key, value] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
        return Fail(Join(prefix, key.str()), "unknown key");
      }
    }
    return {};
  }

  static std::string Join(std::string_view prefix, std::string_view key) {
    return prefix.empty() ? std::string(key) : fmt::format("{}.{}", prefix, key);
  }

  Result<std::string> String(const toml::table& table, std::string_view prefix,
                             std::string_view key, bool required) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) return Fail(Join(prefix, key), "missing");
      return std::string();
    }
    const auto* value = node->as_string();
    if (value == nullptr) return Fail(Join(prefix, key), "must be a string");
    return value->get();
  }

  Result<std::optional<bool>> OptionalBool(const toml::table& table, std::string_view prefix,
                                           std::string_view key) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::optional<bool>();
    const auto* value = node->as_boolean();
    if (value == nullptr) return Fail(Join(prefix, key), "must be true or false");
    return std::optional<bool>(value->get());
  }

  Result<std::optional<int>> OptionalInt(const toml::table& table, std::string_view prefix,
                                         std::string_view key, int min, int max) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::optional<int>();
    const auto* value = node->as_integer();
    if (value == nullptr || value->get() < min || value->get() > max) {
      return Fail(Join(prefix, key), fmt::format("must be a whole number from {} to {}", min, max));
    }
    return std::optional<int>(static_cast<int>(value->get()));
  }

  Result<std::optional<Date>> OptionalDate(const toml::table& table, std::string_view prefix,
                                           std::string_view key) const {
    Result<std::string> text = String(table, prefix, key, false);
    if (!text) return text.error();
    if (text->empty()) return std::optional<Date>();
    Result<Date> parsed = ParseDate(*text);
    if (!parsed) return Fail(Join(prefix, key), parsed.error().message);
    return std::optional<Date>(*parsed);
  }

  Result<std::vector<std::string>> Strings(const toml::table& table, std::string_view prefix,
                                           std::string_view key) const {
    std::vector<std::string> result;
    const toml::node* node = table.get(key);
    if (node == nullptr) return result;
    if (const auto* single = node->as_string()) {
      result.push_back(single->get());
      return result;
    }
    const auto* array = node->as_array();
    if (array == nullptr) return Fail(Join(prefix, key), "must be a string or a list of strings");
    for (const toml::node& item : *array) {
      const auto* value = item.as_string();
      if (value == nullptr) return Fail(Join(prefix, key), "must hold only strings");
      result.push_back(value->get());
    }
    return result;
  }

  // Reads the filter keys (event, decision, placement, professional, context) of `table`.
  Status Filter(const toml::table& table, std::string_view prefix, EventFilter& filter) const {
    Result<std::vector<std::string>> types = Strings(table, prefix, "event");
    if (!types) return types.error();
    for (const std::string& name : *types) {
      const std::optional<EventType> type = ParseEventType(name);
      if (!type) return Fail(Join(prefix, "event"), fmt::format("unknown event type \"{}\"", name));
      filter.type_mask |= 1u << static_cast<int>(*type);
    }
    Result<std::vector<std::string>> decisions = Strings(table, prefix, "decision");
    if (!decisions) return decisions.error();
    for (const std::string& name : *decisions) {
      const std::optional<DecisionKind> kind = ParseDecisionKind(name);
      if (!kind)
        return Fail(Join(prefix, "decision"), fmt::format("unknown decision \"{}\"", name));
      filter.decision_mask |= 1u << static_cast<int>(*kind);
    }
    Result<std::optional<bool>> placement = OptionalBool(table, prefix, "placement");
    if (!placement) return placement.error();
    filter.placement = *placement;
    Result<std::optional<bool>> professional = OptionalBool(table, prefix, "professional");
    if (!professional) return professional.error();
    filter.professional = *professional;
    Result<std::string> context = String(table, prefix, "context", false);
    if (!context) return context.error();
    if (!context->empty()) {
      const std::optional<ConversationContext> parsed = ParseConversationContext(*context);
      if (!parsed) {
        return Fail(Join(prefix, "context"), fmt::format("unknown context \"{}\"", *context));
      }
      filter.context = *parsed;
    }
    return {};
  }

  Status ReadDeadline(const toml::table& table, std::string_view prefix, Deadline& deadline) const {
    if (Status keys = CheckKeys(
            table, prefix,
            {"hours", "days", "weekdays", "months", "at", "local_standard", "per_measure_type"});
        !keys) {
      return keys;
    }
    int kinds = 0;
    for (const auto& [key, kind] :
         {std::pair{"hours", DeadlineKind::kHours}, std::pair{"days", DeadlineKind::kDays},
          std::pair{"weekdays", DeadlineKind::kWeekdays},
          std::pair{"months", DeadlineKind::kMonths}}) {
      Result<std::optional<int>> amount = OptionalInt(table, prefix, key, 1, 1200);
      if (!amount) return amount.error();
      if (*amount) {
        deadline.kind = kind;
        deadline.amount = **amount;
        ++kinds;
      }
    }
    Result<std::string> at = String(table, prefix, "at", false);
    if (!at) return at.error();
    if (!at->empty()) {
      if (*at == "trigger") {
        deadline.kind = DeadlineKind::kAtTrigger;
      } else if (*at == "period_end") {
        deadline.kind = DeadlineKind::kPeriodEnd;
      } else {
        return Fail(Join(prefix, "at"), fmt::format("\"{}\" is not trigger or period_end", *at));
      }
      ++kinds;
    }
    if (kinds != 1) {
      return Fail(prefix, "give exactly one of hours, days, weekdays, months or at");
    }
    Result<std::string> local = String(table, prefix, "local_standard", false);
    if (!local) return local.error();
    deadline.local_standard = *local;
    Result<std::string> per_type = String(table, prefix, "per_measure_type", false);
    if (!per_type) return per_type.error();
    if (!per_type->empty() && *per_type != "follow_up_months") {
      return Fail(Join(prefix, "per_measure_type"),
                  "the service catalogue has only follow_up_months");
    }
    deadline.per_measure_type = *per_type;
    return {};
  }

  // Reads `national_percent = { "2020" = 55, "2020-2022" = 57 }`: the barometer's percent per
  // year or multi-year round, into `figures` oldest first.
  Status NationalFigures(const toml::node& node, std::vector<NationalFigure>& figures) const {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return Fail("national_percent", "must be a table of \"YEAR\" or \"YEAR-YEAR\" = percent");
    }
    for (const auto& [key, value] : *table) {
      const std::string_view period = key.str();
      const auto* percent = value.as_integer();
      if (percent == nullptr || percent->get() < 0 || percent->get() > 100) {
        return Fail(Join("national_percent", period), "must be a whole percent from 0 to 100");
      }
      NationalFigure figure;
      figure.percent = static_cast<int>(percent->get());
      const size_t dash = period.find('-');
      const bool single = dash == std::string_view::npos;
      if (!Year(period.substr(0, dash), figure.first_year) ||
          !Year(single ? period : period.substr(dash + 1), figure.last_year) ||
          figure.last_year < figure.first_year ||
          (!single && figure.last_year == figure.first_year)) {
        return Fail(Join("national_percent", period),
                    "must be named by a year (\"2020\") or a span of years (\"2020-2022\")");
      }
      figures.push_back(figure);
    }
    std::sort(figures.begin(), figures.end(), [](const NationalFigure& a, const NationalFigure& b) {
      return std::pair(a.last_year, a.first_year) < std::pair(b.last_year, b.first_year);
    });
    return {};
  }

  // A four-digit year from 2000 to 2199 (the barometer began in 2019).
  static bool Year(std::string_view text, int& year) {
    if (text.size() != 4) return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), year);
    return error == std::errc() && end == text.data() + text.size() && year >= 2000 && year <= 2199;
  }

  Result<Rule> ReadRule(const toml::table& root) const {
    Rule rule;
    if (Status keys = CheckKeys(root, "",
                                {"id", "name", "next_step", "national_measure", "national_percent",
                                 "trigger", "fulfilment", "deadline", "versions"});
        !keys) {
      return keys.error();
    }
    for (auto [field, target] : {std::pair{"id", &rule.id}, std::pair{"name", &rule.name},
                                 std::pair{"next_step", &rule.next_step}}) {
      Result<std::string> value = String(root, "", field, true);
      if (!value) return value.error();
      *target = *value;
    }
    Result<std::string> measure = String(root, "", "national_measure", false);
    if (!measure) return measure.error();
    rule.national_measure = *measure;
    if (const toml::node* national = root.get("national_percent")) {
      if (Status status = NationalFigures(*national, rule.national_figures); !status) {
        return status.error();
      }
    }

    const toml::table* trigger = root["trigger"].as_table();
    if (trigger == nullptr) return Fail("trigger", "missing table");
    if (Status keys =
            CheckKeys(*trigger, "trigger",
                      {"kind", "event", "decision", "placement", "professional", "context",
                       "measure_running", "clock", "age_months", "notice_months"});
        !keys) {
      return keys.error();
    }
    if (Status status = Filter(*trigger, "trigger", rule.trigger); !status) return status.error();
    if (rule.trigger.type_mask == 0) return Fail("trigger.event", "missing");
    Result<std::string> kind = String(*trigger, "trigger", "kind", false);
    if (!kind) return kind.error();
    if (kind->empty() || *kind == "event") {
      rule.trigger_kind = TriggerKind::kEvent;
    } else if (*kind == "per_year") {
      rule.trigger_kind = TriggerKind::kPerYear;
    } else if (*kind == "age") {
      rule.trigger_kind = TriggerKind::kAge;
    } else {
      return Fail("trigger.kind", fmt::format("\"{}\" is not event, per_year or age", *kind));
    }
    if (rule.trigger_kind != TriggerKind::kEvent &&
        rule.trigger.type_mask != 1u << static_cast<int>(EventType::kMeasureStarted)) {
      return Fail("trigger.event", "per_year and age triggers follow measure_started");
    }
    Result<std::optional<bool>> running = OptionalBool(*trigger, "trigger", "measure_running");
    if (!running) return running.error();
    rule.trigger_needs_running_measure = running->value_or(false);
    Result<std::string> clock = String(*trigger, "trigger", "clock", false);
    if (!clock) return clock.error();
    if (clock->empty() || *clock == "trigger") {
      rule.clock = ClockStart::kTrigger;
    } else if (*clock == "ref_notification") {
      rule.clock = ClockStart::kRefNotification;
    } else {
      return Fail("trigger.clock",
                  fmt::format("\"{}\" is not trigger or ref_notification", *clock));
    }
    Result<std::optional<int>> age = OptionalInt(*trigger, "trigger", "age_months", 1, 12 * 30);
    if (!age) return age.error();
    rule.age_months = age->value_or(0);
    if ((rule.trigger_kind == TriggerKind::kAge) != (rule.age_months > 0)) {
      return Fail("trigger.age_months", "is required for, and only for, kind = \"age\"");
    }
    Result<std::optional<int>> notice = OptionalInt(*trigger, "trigger", "notice_months", 1, 120);
    if (!notice) return notice.error();
    rule.notice_months = notice->value_or(0);
    if (rule.notice_months > 0 && rule.trigger_kind != TriggerKind::kAge) {
      return Fail("trigger.notice_months", "is only for kind = \"age\"");
    }

    const toml::table* fulfilment = root["fulfilment"].as_table();
    if (fulfilment == nullptr) return Fail("fulfilment", "missing table");
    if (Status keys =
            CheckKeys(*fulfilment, "fulfilment",
                      {"attribute", "event", "decision", "placement", "professional", "context",
                       "ref", "measure", "window", "since", "required_per_year", "ceases"});
        !keys) {
      return keys.error();
    }
    Result<std::string> attribute = String(*fulfilment, "fulfilment", "attribute", false);
    if (!attribute) return attribute.error();
    if (*attribute == "reasoned") {
      rule.fulfilled_by_attribute = EventFlag::kReasoned;
    } else if (*attribute == "states_effort") {
      rule.fulfilled_by_attribute = EventFlag::kStatesEffort;
    } else if (!attribute->empty()) {
      return Fail("fulfilment.attribute", "must be reasoned or states_effort");
    }
    if (Status status = Filter(*fulfilment, "fulfilment", rule.fulfilment); !status) {
      return status.error();
    }
    if ((rule.fulfilment.type_mask == 0) == !rule.fulfilled_by_attribute) {
      return Fail("fulfilment", "give either event or attribute");
    }
    Result<std::string> ref = String(*fulfilment, "fulfilment", "ref", false);
    if (!ref) return ref.error();
    if (!ref->empty() && *ref != "trigger")
      return Fail("fulfilment.ref", "can only be \"trigger\"");
    rule.fulfilment_refs_trigger = !ref->empty();
    Result<std::string> same_measure = String(*fulfilment, "fulfilment", "measure", false);
    if (!same_measure) return same_measure.error();
    if (same_measure->empty()) {
      rule.measure = MeasureMatch::kAny;
    } else if (*same_measure == "same") {
      rule.measure = MeasureMatch::kSame;
    } else if (*same_measure == "same_if_given") {
      rule.measure = MeasureMatch::kSameIfGiven;
    } else {
      return Fail("fulfilment.measure", "must be same or same_if_given");
    }
    Result<std::string> window = String(*fulfilment, "fulfilment", "window", false);
    if (!window) return window.error();
    static constexpr std::pair<std::string_view, Window> kWindows[] = {
        {"any", Window::kAny},
        {"after_trigger", Window::kAfterTrigger},
        {"since_previous", Window::kSincePrevious},
        {"same_day", Window::kSameDay},
        {"in_period", Window::kInPeriod}};
    bool window_known = window->empty();
    for (const auto& [name, value] : kWindows) {
      if (*window == name) {
        rule.window = value;
        window_known = true;
      }
    }
    if (!window_known) {
      return Fail("fulfilment.window",
                  fmt::format("\"{}\" is not any, after_trigger, since_previous, same_day or "
                              "in_period",
                              *window));
    }
    if (const toml::table* since = (*fulfilment)["since"].as_table()) {
      if (Status keys = CheckKeys(*since, "fulfilment.since", {"event", "decision"}); !keys) {
        return keys.error();
      }
      if (Status status = Filter(*since, "fulfilment.since", rule.anchor); !status) {
        return status.error();
      }
    }
    if ((rule.window == Window::kSincePrevious) != (rule.anchor.type_mask != 0)) {
      return Fail("fulfilment.since", "is required for, and only for, window = \"since_previous\"");
    }
    Result<std::optional<int>> per_year =
        OptionalInt(*fulfilment, "fulfilment", "required_per_year", 1, 52);
    if (!per_year) return per_year.error();
    rule.required_per_year = per_year->value_or(0);
    if ((rule.trigger_kind == TriggerKind::kPerYear) != (rule.required_per_year > 0) ||
        (rule.trigger_kind == TriggerKind::kPerYear) != (rule.window == Window::kInPeriod)) {
      return Fail("fulfilment",
                  "per_year triggers need window = \"in_period\" and "
                  "required_per_year, and only they");
    }
    Result<std::string> ceases = String(*fulfilment, "fulfilment", "ceases", false);
    if (!ceases) return ceases.error();
    if (!ceases->empty() && *ceases != "measure_ended") {
      return Fail("fulfilment.ceases", "can only be \"measure_ended\"");
    }
    rule.ceases_when_measure_ends = !ceases->empty();

    Deadline default_deadline;
    bool has_default_deadline = false;
    if (const toml::table* deadline = root["deadline"].as_table()) {
      if (Status status = ReadDeadline(*deadline, "deadline", default_deadline); !status) {
        return status.error();
      }
      has_default_deadline = true;
    }

    const toml::array* versions = root["versions"].as_array();
    if (versions == nullptr || versions->empty()) return Fail("versions", "missing");
    for (size_t i = 0; i < versions->size(); ++i) {
      const std::string prefix = fmt::format("versions[{}]", i);
      const toml::table* table = versions->get(i)->as_table();
      if (table == nullptr) return Fail(prefix, "must be a table");
      Result<RuleVersion> version =
          ReadVersion(*table, prefix, default_deadline, has_default_deadline);
      if (!version) return version.error();
      if (!rule.versions.empty() && version->from <= rule.versions.back().until) {
        return Fail(prefix, "versions must be in date order and must not overlap");
      }
      rule.versions.push_back(std::move(*version));
    }
    return rule;
  }

  Result<RuleVersion> ReadVersion(const toml::table& table, const std::string& prefix,
                                  const Deadline& default_deadline,
                                  bool has_default_deadline) const {
    RuleVersion version;
    if (Status keys = CheckKeys(
            table, prefix,
            {"law", "reference", "reference_confirmed", "from", "until", "applies", "deadline"});
        !keys) {
      return keys.error();
    }
    Result<std::string> law = String(table, prefix, "law", true);
    if (!law) return law.error();
    if (*law == "SEL") {
      version.law = Law::kServiceloven;
    } else if (*law == "BL") {
      version.law = Law::kBarnetsLov;
    } else if (*law == "local") {
      version.law = Law::kLocal;
    } else {
      return Fail(Join(prefix, "law"), "must be SEL, BL or local");
    }
    Result<std::string> reference = String(table, prefix, "reference", true);
    if (!reference) return reference.error();
    version.reference = *reference;
    Result<std::optional<bool>> confirmed = OptionalBool(table, prefix, "reference_confirmed");
    if (!confirmed) return confirmed.error();
    version.reference_confirmed = confirmed->value_or(true);
    Result<std::optional<Date>> from = OptionalDate(table, prefix, "from");
    if (!from) return from.error();
    version.from = from->value_or(kFirstSupportedDate);
    Result<std::optional<Date>> until = OptionalDate(table, prefix, "until");
    if (!until) return until.error();
    version.until = until->value_or(kLastSupportedDate);
    if (version.until < version.from) return Fail(Join(prefix, "until"), "is before from");
    if (const toml::table* applies = table["applies"].as_table()) {
      if (Status keys = CheckKeys(*applies, Join(prefix, "applies"), {"placement"}); !keys) {
        return keys.error();
      }
      Result<std::optional<bool>> placement =
          OptionalBool(*applies, Join(prefix, "applies"), "placement");
      if (!placement) return placement.error();
      version.applies_placement = *placement;
    }
    if (const toml::table* deadline = table["deadline"].as_table()) {
      if (Status status = ReadDeadline(*deadline, Join(prefix, "deadline"), version.deadline);
          !status) {
        return status.error();
      }
    } else if (has_default_deadline) {
      version.deadline = default_deadline;
    } else {
      return Fail(Join(prefix, "deadline"), "missing (and the rule has no default deadline)");
    }
    return version;
  }

 private:
  std::string file_;
};

Result<toml::table> ParseFile(const std::filesystem::path& path, const std::string& shown) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound(fmt::format("{}: file not found", shown));
  }
  try {
    return toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    return InvalidArgument(fmt::format("{}:{}:{}: {}", shown, e.source().begin.line,
                                       e.source().begin.column, e.description()));
  }
}

Status ReadServiceCatalogue(const toml::table& root, const std::string& shown,
                            Catalogue& catalogue) {
  const FileReader reader(shown);
  const toml::array* types = root["measure_type"].as_array();
  if (types == nullptr) return reader.Fail("measure_type", "missing list of measure types");
  for (size_t i = 0; i < types->size(); ++i) {
    const std::string prefix = fmt::format("measure_type[{}]", i);
    const toml::table* table = types->get(i)->as_table();
    if (table == nullptr) return reader.Fail(prefix, "must be a table");
    if (Status keys = reader.CheckKeys(
            *table, prefix, {"code", "name", "placement", "staircase_step", "follow_up_months"});
        !keys) {
      return keys;
    }
    MeasureType type;
    Result<std::string> code = reader.String(*table, prefix, "code", true);
    if (!code) return code.error();
    type.code = *code;
    Result<std::string> name = reader.String(*table, prefix, "name", true);
    if (!name) return name.error();
    type.name = *name;
    Result<std::optional<bool>> placement = reader.OptionalBool(*table, prefix, "placement");
    if (!placement) return placement.error();
    type.placement = placement->value_or(false);
    Result<std::optional<int>> step = reader.OptionalInt(*table, prefix, "staircase_step", 1, 10);
    if (!step) return step.error();
    type.staircase_step = step->value_or(0);
    Result<std::optional<int>> months =
        reader.OptionalInt(*table, prefix, "follow_up_months", 1, 24);
    if (!months) return months.error();
    type.follow_up_months = *months;
    if (catalogue.FindMeasureType(type.code) != nullptr) {
      return reader.Fail(prefix, fmt::format("measure type \"{}\" appears twice", type.code));
    }
    catalogue.measure_types.push_back(std::move(type));
  }
  return {};
}

}  // namespace

std::string_view LawName(Law law) {
  switch (law) {
    case Law::kServiceloven:
      return "SEL";
    case Law::kBarnetsLov:
      return "BL";
    case Law::kLocal:
      return "local";
  }
  return "";
}

bool EventFilter::Matches(const Event& event) const {
  if ((type_mask & (1u << static_cast<int>(event.type))) == 0) return false;
  if (decision_mask != 0 && (decision_mask & (1u << static_cast<int>(event.decision))) == 0) {
    return false;
  }
  if (placement && event.Is(EventFlag::kPlacement) != *placement) return false;
  if (professional && event.Is(EventFlag::kProfessional) != *professional) return false;
  return context == ConversationContext::kUnspecified || event.context == context;
}

std::string NationalFigure::Period() const {
  return first_year == last_year ? std::to_string(first_year)
                                 : fmt::format("{}-{}", first_year, last_year);
}

const NationalFigure* Rule::LatestNationalFigure() const {
  return national_figures.empty() ? nullptr : &national_figures.back();
}

const RuleVersion* Rule::VersionAt(Date trigger_date) const {
  for (const RuleVersion& version : versions) {
    if (version.from <= trigger_date && trigger_date <= version.until) return &version;
  }
  return nullptr;
}

int Catalogue::FindRule(std::string_view id) const {
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

const MeasureType* Catalogue::FindMeasureType(std::string_view code) const {
  for (const MeasureType& type : measure_types) {
    if (type.code == code) return &type;
  }
  return nullptr;
}

int Catalogue::DeadlineAmount(const Deadline& deadline, std::string_view measure_type) const {
  if (!deadline.per_measure_type.empty()) {
    const MeasureType* type = FindMeasureType(measure_type);
    if (type != nullptr && type->follow_up_months) return *type->follow_up_months;
  }
  if (!deadline.local_standard.empty()) {
    if (auto it = local_standards.find(deadline.local_standard); it != local_standards.end()) {
      return it->second;
    }
  }
  return deadline.amount;
}

std::vector<std::string> Catalogue::RuleIds() const {
  std::vector<std::string> ids;
  ids.reserve(rules.size());
  for (const Rule& rule : rules) ids.push_back(rule.id);
  return ids;
}

Result<Catalogue> LoadCatalogue(const std::filesystem::path& dir) {
  Catalogue catalogue;
  const auto shown = [&](const std::string& name) { return (dir / name).string(); };

  Result<toml::table> index = ParseFile(dir / "catalogue.toml", shown("catalogue.toml"));
  if (!index) return index.error();
  const FileReader index_reader(shown("catalogue.toml"));
  if (Status keys = index_reader.CheckKeys(*index, "", {"rules"}); !keys) return keys.error();
  Result<std::vector<std::string>> ids = index_reader.Strings(*index, "", "rules");
  if (!ids) return ids.error();
  if (ids->empty()) return index_reader.Fail("rules", "lists no rules");

  for (const std::string& id : *ids) {
    const std::string name = id + ".toml";
    Result<toml::table> table = ParseFile(dir / name, shown(name));
    if (!table) return table.error();
    Result<Rule> rule = FileReader(shown(name)).ReadRule(*table);
    if (!rule) return rule.error();
    if (rule->id != id) {
      return FileReader(shown(name))
          .Fail("id", fmt::format("is \"{}\", expected \"{}\"", rule->id, id));
    }
    if (catalogue.FindRule(id) >= 0) {
      return index_reader.Fail("rules", fmt::format("\"{}\" is listed twice", id));
    }
    catalogue.rules.push_back(std::move(*rule));
  }

  Result<toml::table> services =
      ParseFile(dir / "service_catalogue.toml", shown("service_catalogue.toml"));
  if (!services) return services.error();
  if (Status status = ReadServiceCatalogue(*services, shown("service_catalogue.toml"), catalogue);
      !status) {
    return status.error();
  }

  Result<toml::table> standards =
      ParseFile(dir / "local_standards.toml", shown("local_standards.toml"));
  if (!standards) return standards.error();
  const FileReader standards_reader(shown("local_standards.toml"));
  for (const auto& [key, value] : *standards) {
    const auto* amount = value.as_integer();
    if (amount == nullptr || amount->get() < 1 || amount->get() > 1200) {
      return standards_reader.Fail(key.str(), "must be a whole number from 1 to 1200");
    }
    catalogue.local_standards[std::string(key.str())] = static_cast<int>(amount->get());
  }
  for (const Rule& rule : catalogue.rules) {
    for (const RuleVersion& version : rule.versions) {
      const std::string& standard = version.deadline.local_standard;
      if (!standard.empty() && !catalogue.local_standards.contains(standard)) {
        return standards_reader.Fail(standard, fmt::format("missing (rule {} uses it)", rule.id));
      }
    }
  }
  return catalogue;
}

std::filesystem::path DefaultRulesDirectory() {
  if (const char* dir = std::getenv("TILSYN_RULES"); dir != nullptr && *dir != '\0') return dir;
  return TILSYN_DEFAULT_RULES_DIR;
}

}  // namespace tilsyn
