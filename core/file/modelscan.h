#pragma once

#include "base/error.h"

#include <QDateTime>
#include <QStringList>

#include <vector>

namespace tfjs {

class JobContext;

// One model JSON found in a folder tree.
struct FoundModel
{
    QString path;      // the JSON's absolute path
    QString name;      // relative to the root: the folder of a model.json, else the JSON without ".json"
    QString format;    // "layers-model", "graph-model", "weights-only"; empty when it has a problem
    qint64 size = -1;  // JSON + weights, in bytes
    QDateTime modified; // of the JSON, UTC
    QString problem;   // non-empty: a model JSON core cannot load as it is (missing or short shards)
};

struct ModelScan
{
    std::vector<FoundModel> models;
    QStringList directories; // every folder visited (for a file watcher)
    QStringList files;       // the model JSONs (for a file watcher)
    bool truncated = false;  // stopped at kMaxScannedDirectories
};

inline constexpr int kMaxScannedDirectories = 4096;

// Walks `root` recursively (not into hidden folders or node_modules, not following links out of it) and lists
// every JSON core reads as a model: `model.json`, `<name>.json`, bare weights manifests. JSON
// that is not a model is skipped silently; a model with missing or short shards is listed with
// its problem. A missing root is NotFound naming it. Checks ctx for cancellation between files
// (then cancelledError()). Meant for a worker thread.
[[nodiscard]] Result<ModelScan> scanForModels(const QString &root, JobContext &ctx);

} // namespace tfjs
