#pragma once

#include "handlers/iohandler.h"

namespace tfjs {

// downloads://NAME, save only, as TF.js's browserDownloads: writes NAME.json (browser key order,
// manifest paths ["./NAME.weights.bin"]) and NAME.weights.bin into the downloads folder. NAME
// defaults to "model". An existing file is never overwritten: like a browser, the pair becomes
// "NAME (1).json" + "NAME (1).weights.bin" (the JSON then names that bin), "NAME (2)" ...
// With a shard size (setShardSize) the weights go to NAME.group1-shard1ofK.bin, ... (the
// converter's shard names behind the same prefix; TF.js's browserDownloads writes one bin).
// SaveResult::files lists the paths written. Without weight specs or bytes only the JSON is
// written, as TF.js downloads no bin then.
class DownloadsHandler final : public IOHandler
{
public:
    DownloadsHandler(QString folder, QString name);

    bool canLoad() const override { return false; }
    [[nodiscard]] Result<ModelArtifacts> load(JobContext &ctx, const LoadOptions &options = {}) override;
    [[nodiscard]] Result<SaveResult> save(const ModelArtifacts &artifacts, JobContext &ctx) override;
    QString spoolFolder() const override;

    // The file-name prefix a browser would use for NAME: "model" when empty, path separators
    // and control characters replaced by '_'.
    static QString prefixFor(const QString &name);

private:
    QString m_folder;
    QString m_prefix;
};

} // namespace tfjs
