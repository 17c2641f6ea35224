#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/dataset.h"
#include "core/time.h"
#include "simulate/compliance.h"
#include "simulate/random.h"

namespace tilsyn::simulate {

// The job titles of workers.csv (its `x_title` column).
enum class Title : uint8_t {
  kCaseworker,
  kSubstitute,  // a temporary caseworker covering a long leave
  kTeamLeader,
  kDistrictLeader,
  kHeadOfDepartment,
};
std::string_view TitleText(Title title);  // Danish: "Socialrådgiver"

// What a team does. Small authorities give several roles to one team.
enum class TeamRole : uint8_t {
  kIntake,     // receives notifications and screens them (modtagelse)
  kChildren,   // cases of children up to 13 years old
  kYouth,      // cases of young people from 14
  kPlacement,  // cases of placed children
};
inline constexpr size_t kCaseRoleCount = 3;  // the roles after intake

// One row of units.csv.
struct OrgUnit {
  std::string id;
  std::string parent_id;  // empty for the municipality
  UnitKind kind = UnitKind::kTeam;
  std::string name;
};

// One person who has worked in the authority: a row of workers.csv when the data set mentions
// them or they work there at the end.
struct StaffMember {
  std::string name;
  uint32_t unit = 0;  // index in Organisation::units()
  int fte_tenths = 10;
  Title title = Title::kCaseworker;
  uint32_t number = 0;  // the worker id's number, in order of hiring
};

// A staff member who carries cases, as the simulation sees them.
struct Caseworker {
  uint32_t staff = 0;  // index in Organisation::staff()
  uint32_t team = 0;
  double fte = 1.0;
  std::array<double, kDomainCount> effect{};  // own effect on each domain (see MetProbability)
  bool employed = true;
  bool on_leave = false;
  std::vector<uint32_t> cases;  // the children whose case they hold (simulation's indices)

  bool Available() const { return employed && !on_leave; }
  double Load() const { return static_cast<double>(cases.size()) / fte; }
};

struct Team {
  uint32_t unit = 0;    // index in Organisation::units()
  uint32_t leader = 0;  // index in Organisation::staff()
  bool intake = false;  // holds screenings of new notifications (modtagelse)
  // The caseload per full-time caseworker the authority staffs the team for: it adds a post when
  // the team's caseload stays above it and moves a caseworker elsewhere when it stays clearly
  // below. Intake teams hold more, shorter cases. A few teams are staffed thinly, so that
  // overload shows.
  double staffing_norm = kReferenceCaseload;
  std::array<double, kDomainCount> effect{};  // the team's effect on each domain
  std::vector<uint32_t> caseworkers;          // indices in Organisation::caseworkers(), employed
  int cases = 0;                              // held by its caseworkers
  double available_fte = 0;                   // of its caseworkers neither on leave nor gone
  int hires_pending = 0;
  bool overloaded_last_review = false;
  bool underloaded_last_review = false;

  // Open cases per FTE of its available caseworkers (infinite when none is available).
  double Load() const;
};

// A municipality's authority for children and young people: the municipality, its department,
// districts and teams, their leaders and caseworkers, who holds which case, and who is hired,
// leaves and is on leave. Children belong to districts; a district routes each case role to one
// of its teams.
class Organisation {
 public:
  // Builds the units, teams and leaders for a municipality of `children` children aged 0–17, with
  // no caseworkers yet. Ids start with `code`.
  Organisation(std::string code, std::string name, int64_t children, Random& random);

  const std::string& code() const { return code_; }
  const std::string& name() const { return name_; }
  const std::vector<OrgUnit>& units() const { return units_; }
  const std::vector<StaffMember>& staff() const { return staff_; }
  const std::vector<Caseworker>& caseworkers() const { return caseworkers_; }
  const std::vector<Team>& teams() const { return teams_; }
  const Caseworker& caseworker(uint32_t index) const { return caseworkers_[index]; }
  Team& team(uint32_t index) { return teams_[index]; }
  size_t DistrictCount() const { return districts_.size(); }
  // The district a new child belongs to, drawn in proportion to the districts' sizes.
  uint32_t DrawDistrict(Random& random) const;
  // The team of a district that takes a role; intake falls to the district's children's team in
  // an authority without an intake team.
  uint32_t TeamFor(uint32_t district, TeamRole role) const;
  // The staff member (a leader) who answers for a team: who grants its exemptions and assesses
  // notifications out of hours.
  uint32_t LeaderOf(uint32_t team) const { return teams_[team].leader; }

  // Hires a caseworker into `team`; returns their index.
  uint32_t Hire(uint32_t team, Title title, Random& random);
  // The available caseworker of `team` with the lowest caseload per FTE (the first of equals),
  // other than `except`; kNone when there is none.
  uint32_t LeastLoaded(uint32_t team, uint32_t except = kNone) const;
  // The available caseworker of `team` with the highest caseload per FTE (the first of equals);
  // kNone when there is none.
  uint32_t MostLoaded(uint32_t team) const;
  // Like LeastLoaded, looking further out when the team has nobody available: the district's
  // other teams, then the whole authority. kNone only when nobody at all is available.
  uint32_t Receiver(uint32_t team, uint32_t except = kNone) const;
  // The team's open cases per FTE of its available caseworkers (infinite when none).
  double TeamLoad(uint32_t team) const { return teams_[team].Load(); }
  // Open cases per available FTE over the teams that hold cases after intake: the caseload that
  // is usual in this authority.
  double UsualCaseload() const;
  int AvailableCount(uint32_t team) const;

  // Ends a caseworker's employment; they must hold no cases.
  void EndEmployment(uint32_t caseworker);
  // Sends a caseworker on leave, or back; on leave they must hold no cases.
  void SetOnLeave(uint32_t caseworker, bool on_leave);
  // Moves a caseworker who holds no cases to another team.
  void Move(uint32_t caseworker, uint32_t team);

  void AddCase(uint32_t caseworker, uint32_t child);
  void RemoveCase(uint32_t caseworker, uint32_t child);

 private:
  struct District {
    double share = 1.0;  // of the municipality's children
    std::array<uint32_t, kCaseRoleCount> team_of_role{};
    uint32_t intake = kNone;
  };

  uint32_t AddUnit(std::string id, uint32_t parent, UnitKind kind, std::string name);
  uint32_t AddLeader(uint32_t unit, Title title, Random& random);
  uint32_t AddTeam(uint32_t parent_unit, const std::string& id, std::string name, uint32_t leader,
                   bool intake, Random& random);
  // Adds to the available FTE of a caseworker's team (and of the authority's case teams).
  void AddAvailable(const Caseworker& caseworker, double fte);

  std::string code_;
  std::string name_;
  std::vector<OrgUnit> units_;
  std::vector<StaffMember> staff_;
  std::vector<Caseworker> caseworkers_;
  std::vector<Team> teams_;
  std::vector<District> districts_;
  uint32_t intake_team_ = kNone;
  int case_team_cases_ = 0;
  double case_team_fte_ = 0;
};

}  // namespace tilsyn::simulate
