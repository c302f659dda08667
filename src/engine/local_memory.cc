// The single-node memory: footprints in, history out, lessons and labels learnt.
#include "engine/local_memory.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "engine/evict.h"

namespace hamlet::engine {
namespace {

using signals::TraitKind;

// Process-local hash of an id or URL (never stored); 0 means "none".
uint64_t LocalHash(std::string_view s) {
  if (s.empty()) return 0;
  const uint64_t h = std::hash<std::string_view>{}(s);
  return h == 0 ? 1 : h;
}

double& FigureOf(signals::Tally& tally, Figure figure) {
  switch (figure) {
    case Figure::kSpam:
      return tally.spam;
    case Figure::kHam:
      return tally.ham;
    case Figure::kReported:
      return tally.reported;
    case Figure::kApproved:
      break;
  }
  return tally.approved;
}

std::optional<Figure> LessonFigure(Lesson lesson) {
  if (lesson == Lesson::kSpam) return Figure::kSpam;
  if (lesson == Lesson::kHam) return Figure::kHam;
  return std::nullopt;
}

Figure LabelFigure(bool spam) { return spam ? Figure::kReported : Figure::kApproved; }

// What a stored decision counts in the tallies: its latest label, else its lesson (decisions
// stored without a trace taught their confident verdict).
std::optional<Figure> StoredFigure(const store::DecisionRecord& d) {
  if (d.comment.is_test) return std::nullopt;
  if (d.feedback_label) return LabelFigure(*d.feedback_label == "spam");
  if (d.memory) return LessonFigure(ParseLesson(d.memory->lesson));
  if (d.decision.uncertain) return std::nullopt;
  return core::IsSpamVerdict(d.decision.verdict) ? Figure::kSpam : Figure::kHam;
}

bool IsAuthorKind(TraitKind kind) {
  return kind == TraitKind::kEmail || kind == TraitKind::kAuthorUrl;
}

bool IsRateKind(TraitKind kind) {
  return kind == TraitKind::kIp || kind == TraitKind::kEmail || kind == TraitKind::kAuthorUrl;
}

}  // namespace

int64_t MemoryOptions::RebuildSpanMs() const { return std::max(HorizonMs(), campaign_window_ms); }

core::Status MemoryOptions::Validate() const {
  if (half_life_ms < kHourMs || half_life_ms > 365 * kDayMs) {
    return core::Status::InvalidArgument("memory half-life must be between 1 hour and 365 days");
  }
  if (campaign_window_ms < kHourMs || campaign_window_ms > 90 * kDayMs) {
    return core::Status::InvalidArgument("campaign window must be between 1 hour and 90 days");
  }
  if (campaign_min_words < 1) {
    return core::Status::InvalidArgument("campaign minimum words must be at least 1");
  }
  if (max_reputation_entries < 1000 || max_campaign_sightings < 1000 || max_rate_senders < 1000 ||
      max_labels < 1000) {
    return core::Status::InvalidArgument("memory caps must be at least 1000 entries each");
  }
  return core::Status::Ok();
}

LocalMemory::LocalMemory(const MemoryOptions& options, std::string salt)
    : options_(options),
      salt_(std::move(salt)),
      reputation_(options.half_life_ms, options.HorizonMs(), options.max_reputation_entries),
      campaign_(options.campaign_window_ms, options.max_campaign_sightings),
      rate_(options.max_rate_senders) {}

Footprint LocalMemory::Trace(const core::Comment& comment, const text::TextAnalysis& text,
                             std::string_view site_url) const {
  return MakeFootprint(comment, text, site_url, salt_);
}

signals::History LocalMemory::Recall(const Sighting& s) {
  signals::History history;
  const bool count =
      s.comment == nullptr || (!s.comment->is_test && s.comment->recheck_reason.empty());
  Observe(s.decision_id, s.site_url, s.at_ms, s.footprint, count, s.original, &history);
  return history;
}

void LocalMemory::Record(const Sighting& s, Lesson lesson) {
  if (s.comment != nullptr && (s.comment->is_test || !s.comment->recheck_reason.empty())) return;
  const std::optional<Figure> figure = LessonFigure(lesson);
  // A label that raced ahead of its own decision's lesson has replaced it already.
  if (!figure || Labelled(LocalHash(s.decision_id))) return;
  AddToTraits(s.footprint, LocalHash(s.site_url), *figure, 1.0, s.at_ms);
}

void LocalMemory::Remember(const std::string& decision_id, const std::string& site_url,
                           int64_t at_ms, const Footprint& footprint, Lesson lesson) {
  Observe(decision_id, site_url, at_ms, footprint, true, nullptr, nullptr);
  // As in Record: a label read before its decision (the catch-up) has replaced the lesson.
  if (const std::optional<Figure> figure = LessonFigure(lesson);
      figure && !Labelled(LocalHash(decision_id))) {
    AddToTraits(footprint, LocalHash(site_url), *figure, 1.0, at_ms);
  }
}

void LocalMemory::Learn(const Correction& c) {
  const uint64_t site = LocalHash(c.site_url);
  if (c.decision_id.empty()) {
    if (!c.label_removed) AddToTraits(c.footprint, site, LabelFigure(c.spam), 1.0, c.at_ms);
    return;
  }
  // What counts for the decision from now on: the label, or after an undo its own lesson.
  const std::optional<Figure> figure =
      c.label_removed ? LessonFigure(c.lesson) : std::optional<Figure>(LabelFigure(c.spam));
  const uint64_t id = LocalHash(c.decision_id);
  std::optional<Figure> previous;
  {
    std::lock_guard lock(labels_mu_);
    // Too old to matter: its counts have decayed away (or expired).
    if (c.at_ms < latest_ms_.load() - options_.HorizonMs()) return;
    auto it = labels_.find(id);
    if (it != labels_.end()) {
      // A later label is in force. An undo knew every label up to the row it revoked and the
      // one it left, so only a label after both is later; one it left is in force already.
      const bool later = c.revoked_feedback_id > 0
                             ? it->second.feedback_id > std::max(c.feedback_id,
                                                                 c.revoked_feedback_id)
                             : it->second.feedback_id >= c.feedback_id;
      if (later) return;
      previous = it->second.removed ? LessonFigure(c.lesson) : LabelFigure(it->second.spam);
    } else {
      previous = LessonFigure(c.lesson);
    }
    // Without a label left, the revoked row stands for the undo: older rows, read late, are
    // then ignored.
    const int64_t in_force = c.label_removed ? c.revoked_feedback_id : c.feedback_id;
    labels_[id] = {in_force, c.spam, c.at_ms, c.label_removed};
    if (labels_.size() > options_.max_labels) PruneLabels();
  }
  if (previous == figure) return;
  if (previous) AddToTraits(c.footprint, site, *previous, -1.0, c.at_ms);
  if (figure) AddToTraits(c.footprint, site, *figure, 1.0, c.at_ms);
  if (c.footprint.words > 0) {
    const int8_t label = c.label_removed ? 0 : (c.spam ? 1 : -1);
    campaign_.Label(c.footprint.fingerprint, id, label);
  }
}

MemoryStats LocalMemory::Stats() const {
  MemoryStats stats;
  stats.reputation_entries = reputation_.size();
  stats.campaign_sightings = campaign_.sightings();
  stats.campaign_fingerprints = campaign_.fingerprints();
  stats.rate_senders = rate_.size();
  std::lock_guard lock(labels_mu_);
  stats.labels = labels_.size();
  return stats;
}

void LocalMemory::Observe(const std::string& decision_id, const std::string& site_url,
                          int64_t at_ms, const Footprint& footprint, bool count,
                          const store::DecisionRecord* original, signals::History* history) {
  int64_t latest = latest_ms_.load();
  while (at_ms > latest && !latest_ms_.compare_exchange_weak(latest, at_ms)) {
  }
  const uint64_t site = LocalHash(site_url);
  const uint64_t id = LocalHash(decision_id);
  const uint64_t exclude = original != nullptr ? LocalHash(original->id) : 0;
  // A recheck's own first check is in the tallies: take it out, so the comment is not
  // evidence about itself.
  std::optional<Figure> own;
  double own_weight = 0.0;
  if (original != nullptr && at_ms - original->created_ms <= options_.HorizonMs()) {
    own = StoredFigure(*original);
    own_weight = DecayFactor(at_ms - original->created_ms, options_.half_life_ms);
  }
  if (history != nullptr) {
    history->available = true;
    history->half_life_days =
        static_cast<double>(options_.half_life_ms) / static_cast<double>(MemoryOptions::kDayMs);
  }
  for (const Trait& trait : footprint.traits) {
    const uint64_t site_key = ReputationIndex::Key(trait.hash, site);
    if (history != nullptr) {
      signals::TraitHistory th;
      th.kind = trait.kind;
      th.value = trait.shown;
      const ReputationIndex::Reading on_site = reputation_.Read(site_key, at_ms);
      th.site = on_site.tally;
      th.global = reputation_.Read(ReputationIndex::Key(trait.hash, 0), at_ms).tally;
      if (own) {
        for (signals::Tally* t : {&th.site, &th.global}) {
          double& v = FigureOf(*t, *own);
          v = std::max(0.0, v - own_weight);
        }
      }
      if (IsAuthorKind(trait.kind)) {
        const int earlier = on_site.seen - (original != nullptr && on_site.seen > 0 ? 1 : 0);
        history->prior_comments_by_author = std::max(history->prior_comments_by_author, earlier);
      }
      history->traits.push_back(std::move(th));
    }
    if (count && IsAuthorKind(trait.kind)) reputation_.CountSeen(site_key, at_ms);
    if (IsRateKind(trait.kind) && (count || history != nullptr)) {
      const RateIndex::Counts rate = rate_.CountThenAdd(trait.hash, at_ms, id, exclude, count);
      if (history != nullptr) {
        signals::RateHistory& r = history->rate;
        if (trait.kind == TraitKind::kIp) {
          r.ip_last_minute = rate.last_minute;
          r.ip_last_hour = rate.last_hour;
        } else if (trait.kind == TraitKind::kEmail) {
          r.email_last_hour = rate.last_hour;
        } else {
          r.author_url_last_hour = rate.last_hour;
        }
      }
    }
  }
  if (footprint.words >= options_.campaign_min_words) {
    CampaignIndex::Sighting self{at_ms, id, footprint.sender, site, footprint.post, 0};
    const signals::CampaignHistory campaign =
        campaign_.FindThenAdd(footprint.fingerprint, self, exclude, count);
    if (history != nullptr) history->campaign = campaign;
  }
}

void LocalMemory::AddToTraits(const Footprint& footprint, uint64_t site, Figure figure,
                              double weight, int64_t at_ms) {
  for (const Trait& trait : footprint.traits) {
    reputation_.Add(ReputationIndex::Key(trait.hash, site), figure, weight, at_ms);
    reputation_.Add(ReputationIndex::Key(trait.hash, 0), figure, weight, at_ms);
  }
}

bool LocalMemory::Labelled(uint64_t id) const {
  if (id == 0) return false;
  std::lock_guard lock(labels_mu_);
  return labels_.contains(id);
}

void LocalMemory::PruneLabels() {
  const int64_t oldest = latest_ms_.load() - options_.HorizonMs();
  std::erase_if(labels_, [&](const auto& kv) { return kv.second.at_ms < oldest; });
  if (labels_.size() <= options_.max_labels) return;
  EraseOldest(labels_, options_.max_labels * 9 / 10,
              [](const AppliedLabel& label) { return label.at_ms; });
}

}  // namespace hamlet::engine
