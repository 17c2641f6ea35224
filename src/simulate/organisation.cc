#include "simulate/organisation.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "simulate/texts.h"

namespace tilsyn::simulate {
namespace {

// Districts of about this many children; an authority with one has no district level.
constexpr int64_t kChildrenPerDistrict = 15000;
constexpr size_t kMaxDistricts = 8;
// From this size an authority has a team of its own for notifications (modtagelse).
constexpr int64_t kIntakeTeamFrom = 5000;
// A district up to this size has one team for every case; up to twice it, two.
constexpr int64_t kOneTeamUpTo = 5000;
// An intake caseworker holds screenings of a few weeks each, so more of them at a time.
constexpr double kIntakeCaseload = 45;

}  // namespace

std::string_view TitleText(Title title) {
  switch (title) {
    case Title::kCaseworker:
      return "Socialrådgiver";
    case Title::kSubstitute:
      return "Socialrådgiver (vikar)";
    case Title::kTeamLeader:
      return "Teamleder";
    case Title::kDistrictLeader:
      return "Distriktsleder";
    case Title::kHeadOfDepartment:
      return "Afdelingsleder";
  }
  return "";
}

Organisation::Organisation(std::string code, std::string name, int64_t children, Random& random)
    : code_(std::move(code)), name_(std::move(name)) {
  const uint32_t municipality = AddUnit(code_, kNone, UnitKind::kMunicipality, name_);
  const uint32_t department =
      AddUnit(code_ + "-BU", municipality, UnitKind::kDepartment, "Børn og Unge, Myndighed");
  const uint32_t head = AddLeader(department, Title::kHeadOfDepartment, random);

  const auto district_count = static_cast<size_t>(
      std::clamp<int64_t>((children + kChildrenPerDistrict / 2) / kChildrenPerDistrict, 1,
                          static_cast<int64_t>(kMaxDistricts)));
  if (children >= kIntakeTeamFrom) {
    const uint32_t leader = AddLeader(department, Title::kTeamLeader, random);
    intake_team_ = AddTeam(department, code_ + "-MOD", "Modtagelsen", leader, true, random);
  }

  double total_share = 0;
  districts_.resize(district_count);
  for (District& district : districts_) {
    district.share = 0.7 + 0.6 * random.Uniform();
    total_share += district.share;
  }
  int team_number = 0;
  for (size_t d = 0; d < district_count; ++d) {
    District& district = districts_[d];
    district.share /= total_share;
    uint32_t parent = department;
    uint32_t district_leader = head;
    if (district_count > 1) {
      parent = AddUnit(code_ + "-D" + std::to_string(d + 1), department, UnitKind::kDistrict,
                       DistrictName(d));
      district_leader = AddLeader(parent, Title::kDistrictLeader, random);
    }
    const auto district_children =
        static_cast<int64_t>(district.share * static_cast<double>(children));
    auto team = [&](std::string team_name) {
      const uint32_t leader = district_children > kOneTeamUpTo
                                  ? AddLeader(parent, Title::kTeamLeader, random)
                                  : district_leader;
      return AddTeam(parent, code_ + "-T" + std::to_string(++team_number), std::move(team_name),
                     leader, false, random);
    };
    auto& roles = district.team_of_role;
    if (district_children <= kOneTeamUpTo) {
      roles.fill(team("Team Børn og Unge"));
    } else if (district_children <= 2 * kOneTeamUpTo) {
      roles[static_cast<size_t>(TeamRole::kChildren) - 1] = team("Team Børn 0–13 år");
      const uint32_t youth = team("Team Unge og Anbringelse");
      roles[static_cast<size_t>(TeamRole::kYouth) - 1] = youth;
      roles[static_cast<size_t>(TeamRole::kPlacement) - 1] = youth;
    } else {
      roles[static_cast<size_t>(TeamRole::kChildren) - 1] = team("Team Børn 0–13 år");
      roles[static_cast<size_t>(TeamRole::kYouth) - 1] = team("Team Unge 14–17 år");
      roles[static_cast<size_t>(TeamRole::kPlacement) - 1] = team("Team Anbringelse");
    }
    district.intake =
        intake_team_ != kNone ? intake_team_ : roles[static_cast<size_t>(TeamRole::kChildren) - 1];
  }
}

uint32_t Organisation::AddUnit(std::string id, uint32_t parent, UnitKind kind, std::string name) {
  OrgUnit unit;
  unit.id = std::move(id);
  if (parent != kNone) unit.parent_id = units_[parent].id;
  unit.kind = kind;
  unit.name = std::move(name);
  units_.push_back(std::move(unit));
  return static_cast<uint32_t>(units_.size() - 1);
}

uint32_t Organisation::AddLeader(uint32_t unit, Title title, Random& random) {
  StaffMember leader;
  leader.name = PersonName(random);
  leader.unit = unit;
  leader.title = title;
  leader.number = static_cast<uint32_t>(staff_.size() + 1);
  staff_.push_back(std::move(leader));
  return static_cast<uint32_t>(staff_.size() - 1);
}

uint32_t Organisation::AddTeam(uint32_t parent_unit, const std::string& id, std::string name,
                               uint32_t leader, bool intake, Random& random) {
  Team team;
  team.unit = AddUnit(id, parent_unit, UnitKind::kTeam, std::move(name));
  team.leader = leader;
  team.intake = intake;
  // Most teams are staffed for about the usual caseload (24 to 30 cases per caseworker); one in
  // five is staffed thinly (31 to 35).
  const double factor =
      random.Chance(0.2) ? 1.13 + 0.14 * random.Uniform() : 0.87 + 0.22 * random.Uniform();
  team.staffing_norm = (intake ? kIntakeCaseload : kReferenceCaseload) * factor;
  for (double& effect : team.effect) effect = random.Triangular(0.2);
  teams_.push_back(std::move(team));
  return static_cast<uint32_t>(teams_.size() - 1);
}

uint32_t Organisation::DrawDistrict(Random& random) const {
  double point = random.Uniform();
  for (size_t d = 0; d + 1 < districts_.size(); ++d) {
    if (point < districts_[d].share) return static_cast<uint32_t>(d);
    point -= districts_[d].share;
  }
  return static_cast<uint32_t>(districts_.size() - 1);
}

uint32_t Organisation::TeamFor(uint32_t district, TeamRole role) const {
  const District& d = districts_[district];
  if (role == TeamRole::kIntake) return d.intake;
  return d.team_of_role[static_cast<size_t>(role) - 1];
}

uint32_t Organisation::Hire(uint32_t team, Title title, Random& random) {
  StaffMember member;
  member.name = PersonName(random);
  member.unit = teams_[team].unit;
  member.title = title;
  member.number = static_cast<uint32_t>(staff_.size() + 1);
  // Most caseworkers work full time; some 30 to 37 hours, a few half time.
  const double part = random.Uniform();
  member.fte_tenths = part < 0.78 ? 10 : part < 0.85 ? 9 : part < 0.94 ? 8 : part < 0.97 ? 7 : 5;
  Caseworker caseworker;
  caseworker.staff = static_cast<uint32_t>(staff_.size());
  caseworker.team = team;
  caseworker.fte = member.fte_tenths / 10.0;
  for (double& effect : caseworker.effect) effect = random.Triangular(0.15);
  staff_.push_back(std::move(member));
  AddAvailable(caseworker, caseworker.fte);
  caseworkers_.push_back(std::move(caseworker));
  const auto index = static_cast<uint32_t>(caseworkers_.size() - 1);
  teams_[team].caseworkers.push_back(index);
  return index;
}

uint32_t Organisation::LeastLoaded(uint32_t team, uint32_t except) const {
  uint32_t best = kNone;
  double best_load = std::numeric_limits<double>::infinity();
  for (const uint32_t index : teams_[team].caseworkers) {
    const Caseworker& caseworker = caseworkers_[index];
    if (index == except || !caseworker.Available()) continue;
    const double load = caseworker.Load();
    if (load < best_load) {
      best = index;
      best_load = load;
    }
  }
  return best;
}

uint32_t Organisation::MostLoaded(uint32_t team) const {
  uint32_t best = kNone;
  double best_load = -1;
  for (const uint32_t index : teams_[team].caseworkers) {
    const Caseworker& caseworker = caseworkers_[index];
    if (!caseworker.Available()) continue;
    const double load = caseworker.Load();
    if (load > best_load) {
      best = index;
      best_load = load;
    }
  }
  return best;
}

uint32_t Organisation::Receiver(uint32_t team, uint32_t except) const {
  if (const uint32_t same = LeastLoaded(team, except); same != kNone) return same;
  // The district's other teams first: they share its children and its leader.
  for (const District& district : districts_) {
    const auto& roles = district.team_of_role;
    if (std::find(roles.begin(), roles.end(), team) == roles.end()) continue;
    for (const uint32_t other : roles) {
      if (const uint32_t found = LeastLoaded(other, except); found != kNone) return found;
    }
  }
  for (uint32_t other = 0; other < teams_.size(); ++other) {
    if (const uint32_t found = LeastLoaded(other, except); found != kNone) return found;
  }
  return kNone;
}

double Team::Load() const {
  return available_fte > 0 ? cases / available_fte : std::numeric_limits<double>::infinity();
}

double Organisation::UsualCaseload() const {
  return case_team_fte_ > 0 ? case_team_cases_ / case_team_fte_ : kReferenceCaseload;
}

void Organisation::AddAvailable(const Caseworker& caseworker, double fte) {
  Team& team = teams_[caseworker.team];
  team.available_fte += fte;
  if (!team.intake) case_team_fte_ += fte;
}

int Organisation::AvailableCount(uint32_t team) const {
  int count = 0;
  for (const uint32_t index : teams_[team].caseworkers) {
    if (caseworkers_[index].Available()) ++count;
  }
  return count;
}

void Organisation::EndEmployment(uint32_t caseworker) {
  Caseworker& leaving = caseworkers_[caseworker];
  if (leaving.Available()) AddAvailable(leaving, -leaving.fte);
  leaving.employed = false;
  std::vector<uint32_t>& members = teams_[caseworkers_[caseworker].team].caseworkers;
  members.erase(std::find(members.begin(), members.end(), caseworker));
}

void Organisation::SetOnLeave(uint32_t caseworker, bool on_leave) {
  Caseworker& worker = caseworkers_[caseworker];
  if (worker.on_leave == on_leave || !worker.employed) return;
  AddAvailable(worker, on_leave ? -worker.fte : worker.fte);
  worker.on_leave = on_leave;
}

void Organisation::Move(uint32_t caseworker, uint32_t team) {
  Caseworker& moved = caseworkers_[caseworker];
  if (moved.Available()) AddAvailable(moved, -moved.fte);
  std::vector<uint32_t>& members = teams_[moved.team].caseworkers;
  members.erase(std::find(members.begin(), members.end(), caseworker));
  moved.team = team;
  if (moved.Available()) AddAvailable(moved, moved.fte);
  teams_[team].caseworkers.push_back(caseworker);
  staff_[moved.staff].unit = teams_[team].unit;
}

void Organisation::AddCase(uint32_t caseworker, uint32_t child) {
  Caseworker& worker = caseworkers_[caseworker];
  worker.cases.push_back(child);
  Team& team = teams_[worker.team];
  ++team.cases;
  if (!team.intake) ++case_team_cases_;
}

void Organisation::RemoveCase(uint32_t caseworker, uint32_t child) {
  Caseworker& worker = caseworkers_[caseworker];
  std::vector<uint32_t>& cases = worker.cases;
  const auto it = std::find(cases.begin(), cases.end(), child);
  if (it == cases.end()) return;
  *it = cases.back();
  cases.pop_back();
  Team& team = teams_[worker.team];
  --team.cases;
  if (!team.intake) --case_team_cases_;
}

}  // namespace tilsyn::simulate
