#pragma once

#include "iohandler.h"

namespace tfjs {

// Reads and parses a JSON file of at most 1 GiB; errors name the file (and byte offset).
Result<Json> readJsonFile(const QString &jsonPath);

// Reads a model JSON file (any of the shapes artifactsFromModelJson accepts) and returns the
// artifacts with the shards described as file segments. Shards must stay inside the JSON's
// folder; all of them must exist, and their total size must equal what the specs need.
// `where` names the file in messages. The JSON is limited to `maxJsonBytes`.
Result<ModelArtifacts> readModelJsonFile(const QString &jsonPath, const LoadOptions &options);

// Checks that `data` holds exactly the bytes `specs` need (string tensors, whose size is only
// known by reading, are checked to need at least 4 bytes per element).
Result<void> checkWeightDataSize(const std::vector<WeightSpec> &specs, const WeightData &data,
                                 const QString &where);

// file://PATH as tfjs-node does it: load() takes the path of a model JSON (or a folder that
// holds model.json), save() takes a folder and writes model.json + weights.bin atomically.
// The folder holds a model when either file is there: Existing::Refuse then refuses the save
// (existsError with url "file://PATH", path PATH), and the final renames never replace.
class FileHandler final : public IOHandler
{
public:
    explicit FileHandler(QString path);

    Result<ModelArtifacts> load(JobContext &ctx, const LoadOptions &options = {}) override;
    Result<SaveResult> save(const ModelArtifacts &artifacts, JobContext &ctx) override;
    Result<bool> hasModel() override;
    QString spoolFolder() const override;

    static constexpr const char *kModelFile = "model.json";
    static constexpr const char *kWeightsFile = "weights.bin";

private:
    QString m_path;
};

} // namespace tfjs
