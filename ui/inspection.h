#pragma once

#include "rowtablemodel.h"
#include "tensortablemodel.h"

#include "format/artifacts.h"
#include "base/error.h"
#include "inspect/weightstats.h"

#include <functional>
#include <memory>

namespace tfjs {
class JobContext;
}

namespace tfjs::ui {

// Adapters from core's inspection (core/inspect) to what the Topology and Weights tabs show.
// Both run on a worker thread inside a Job.

struct TopologyTables
{
    QString summary;
    QStringList headers;
    std::vector<RowTableModel::Row> rows;
    RowTableModel::Row total;
    QString secondTitle; // graph-models: the op histogram
    QStringList secondHeaders;
    std::vector<RowTableModel::Row> secondRows;
    // The summary as `tfjs-model summary --json` prints it (without "url"), for exports.
    std::shared_ptr<const Json> json;
};
Result<TopologyTables> topologyTables(const ModelArtifacts &artifacts, JobContext &ctx);

// Streams every tensor's statistics to `sink` (tensor index in spec order) as they are done;
// `sink` is called on the worker thread. Returns core's statistics (for `stats --json` exports).
using StatsSink = std::function<void(int index, TensorStatsRow stats)>;
inline constexpr int kHistogramBins = 64;
Result<WeightStats> tensorStatistics(const ModelArtifacts &artifacts, JobContext &ctx, const StatsSink &sink);

} // namespace tfjs::ui
