#include "rules/compliance.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace tilsyn {
namespace {

// Counts per unit (its own obligations, not its subtree) and per worker, for one rule each.
struct Tally {
  std::vector<StatusCounts> by_rule;
  std::vector<StatusCounts> own_by_unit;  // [unit * rules + rule]
  std::vector<StatusCounts> by_worker;    // [worker * rules + rule]

  Tally(size_t rules, size_t units, size_t workers)
      : by_rule(rules), own_by_unit(units * rules), by_worker(workers * rules) {}

  void Add(std::span<const Obligation> obligations, const Period& period) {
    const size_t rules = by_rule.size();
    for (const Obligation& o : obligations) {
      if (!CountsFor(o, period)) continue;
      by_rule[o.rule].Add(o);
      own_by_unit[o.unit * rules + o.rule].Add(o);
      if (o.worker != kNone) by_worker[o.worker * rules + o.rule].Add(o);
    }
  }
};

void Apply(StatusCounts& counts, const Obligation& o, int sign) {
  counts.count[static_cast<size_t>(o.status)] += sign;
  if (o.time_assumed) counts.time_assumed += sign;
}

}  // namespace

void Compliance::Resize(const Dataset& data, size_t rule_count) {
  rates_.by_rule.resize(rule_count);
  rates_.by_unit.resize(data.units.size(), std::vector<StatusCounts>(rule_count));
  rates_.by_worker.resize(data.workers.size(), std::vector<StatusCounts>(rule_count));
}

void Compliance::Recompute(const Engine& engine, Date as_of, const Period& period,
                           unsigned threads) {
  const Dataset& data = engine.data();
  const size_t rules = engine.catalogue().rules.size();
  period_ = period;
  generation_ = data.layout_generation;
  engine.EvaluateAll(as_of, obligations_, threads);

  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const size_t blocks = obligations_.block_count();
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, blocks)));
  std::vector<Tally> tallies(threads, Tally(rules, data.units.size(), data.workers.size()));
  std::atomic<size_t> next{0};
  auto work = [&](Tally& tally) {
    for (size_t b = next++; b < blocks; b = next++) tally.Add(obligations_.Block(b), period);
  };
  if (threads <= 1) {
    work(tallies[0]);
  } else {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work, std::ref(tallies[t]));
  }
  for (size_t t = 1; t < tallies.size(); ++t) {
    for (size_t i = 0; i < rules; ++i) tallies[0].by_rule[i] += tallies[t].by_rule[i];
    for (size_t i = 0; i < tallies[0].own_by_unit.size(); ++i)
      tallies[0].own_by_unit[i] += tallies[t].own_by_unit[i];
    for (size_t i = 0; i < tallies[0].by_worker.size(); ++i)
      tallies[0].by_worker[i] += tallies[t].by_worker[i];
  }
  const Tally& total = tallies[0];
  rates_.by_rule = total.by_rule;
  rates_.by_unit.assign(data.units.size(), std::vector<StatusCounts>(rules));
  for (size_t unit = 0; unit < data.units.size(); ++unit) {
    // A unit's own counts go to it and every ancestor; units form a tree (checked at import).
    for (uint32_t target = static_cast<uint32_t>(unit); target != kNone;
         target = data.units[target].parent) {
      for (size_t rule = 0; rule < rules; ++rule)
        rates_.by_unit[target][rule] += total.own_by_unit[unit * rules + rule];
    }
  }
  rates_.by_worker.assign(data.workers.size(), std::vector<StatusCounts>(rules));
  for (size_t worker = 0; worker < data.workers.size(); ++worker) {
    for (size_t rule = 0; rule < rules; ++rule)
      rates_.by_worker[worker][rule] = total.by_worker[worker * rules + rule];
  }
}

void Compliance::Update(const Engine& engine, std::span<const uint32_t> children) {
  const Dataset& data = engine.data();
  if (data.layout_generation != generation_) {
    Recompute(engine, as_of(), period_);
    return;
  }
  Resize(data, engine.catalogue().rules.size());
  const uint32_t known_children = obligations_.children();
  for (const uint32_t child : children) {
    if (child < known_children) Count(data, obligations_.OfChild(child), -1);
  }
  engine.Update(children, obligations_);
  for (const uint32_t child : children) {
    if (child < known_children) Count(data, obligations_.OfChild(child), +1);
  }
  for (uint32_t child = known_children; child < obligations_.children(); ++child) {
    Count(data, obligations_.OfChild(child), +1);
  }
}

void Compliance::Count(const Dataset& data, std::span<const Obligation> obligations, int sign) {
  for (const Obligation& o : obligations) {
    if (!CountsFor(o, period_)) continue;
    Apply(rates_.by_rule[o.rule], o, sign);
    for (uint32_t unit = o.unit; unit != kNone; unit = data.units[unit].parent) {
      Apply(rates_.by_unit[unit][o.rule], o, sign);
    }
    if (o.worker != kNone) Apply(rates_.by_worker[o.worker][o.rule], o, sign);
  }
}

}  // namespace tilsyn
