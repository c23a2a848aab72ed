#pragma once

#include "handlers/iohandler.h"

namespace tfjs {

// Reads and parses a JSON file of at most 1 GiB; errors name the file (and byte offset).
// `text`, when given, receives the bytes read.
[[nodiscard]] Result<Json> readJsonFile(const QString &jsonPath, QByteArray *text = nullptr);

// Reads a model JSON file (any of the shapes artifactsFromModelJson accepts) and returns the
// artifacts with the shards described as file segments. Shards must stay inside the JSON's
// folder; all of them must exist, and they must hold the tensors exactly (checkWeightLayout:
// string tensors' length prefixes are read, nothing else).
// `where` names the file in messages. The JSON is limited to `maxJsonBytes`.
[[nodiscard]] Result<ModelArtifacts> readModelJsonFile(const QString &jsonPath, const LoadOptions &options);

// A weights file a save writes: its name and its bytes.
struct WeightFile
{
    QString name;
    WeightData data;
};

// `single` holding all of `data`, or with a shard size (> 0) the converter's shards
// `<prefix>group1-shard1ofK.bin`, ... cut every `shardSize` bytes (a tensor may span two
// shards: TF.js concatenates them).
std::vector<WeightFile> weightFilesOf(
    const WeightData &data, qint64 shardSize, const QString &single, const QString &prefix = {});

// file://PATH as tfjs-node does it: load() takes the path of a model JSON (or a folder that
// holds one model: modelJsonInFolder), save() takes a folder and writes model.json + weights.bin atomically.
// The folder holds a model when either file is there: Existing::Refuse then refuses the save
// (existsError with url "file://PATH", path PATH), and the final renames never replace.
class FileHandler final : public IOHandler
{
public:
    explicit FileHandler(QString path);

    [[nodiscard]] Result<ModelArtifacts> load(JobContext &ctx, const LoadOptions &options = {}) override;
    [[nodiscard]] Result<SaveResult> save(const ModelArtifacts &artifacts, JobContext &ctx) override;
    [[nodiscard]] Result<bool> hasModel() override;
    QString spoolFolder() const override;

    static constexpr const char *kModelFile = "model.json";
    static constexpr const char *kWeightsFile = "weights.bin";

private:
    QString m_path;
};

} // namespace tfjs
