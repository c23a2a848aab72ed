#pragma once

#include "handlers/iohandler.h"

#include <QStringList>

namespace tfjs {

// A model JSON plus any set of weight files chosen or dropped by a user, as TF.js's
// tf.io.browserFiles: the first file is the JSON, the others are matched to the manifest's
// paths by basename, in any order. Load only. With no weight files only the topology and
// metadata come back (as in TF.js), with no manifest.
class FileListHandler final : public IOHandler
{
public:
    explicit FileListHandler(QStringList files);

    bool canSave() const override { return false; }
    [[nodiscard]] Result<ModelArtifacts> load(JobContext &ctx, const LoadOptions &options = {}) override;
    [[nodiscard]] Result<SaveResult> save(const ModelArtifacts &artifacts, JobContext &ctx) override;

private:
    QStringList m_files;
};

} // namespace tfjs
