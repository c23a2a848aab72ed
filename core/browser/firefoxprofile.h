#pragma once

#include "browsermodel.h"

#include <QString>

namespace tfjs {

// The TF.js models of one Firefox profile folder: IndexedDB databases named "tensorflowjs"
// (storage/default/<origin>/idb/*.sqlite; object stores models_store and model_info_store,
// external values in <hash>.files/) and localStorage (storage/default/<origin>/ls/data.sqlite,
// keys tensorflowjs_models/<path>/...). Databases are read through private copies
// (ProfileDatabase); external value files are read in place, read-only. The origin is the one
// the databases record ("http://127.0.0.1:8765", "file:///path/page.html").
class FirefoxProfileReader final : public ProfileReader
{
public:
    explicit FirefoxProfileReader(const QString &profileDir);

    [[nodiscard]] Result<std::vector<BrowserModel>> listModels(JobContext &ctx) override;
    [[nodiscard]] Result<ModelArtifacts> loadModel(const BrowserModelRef &ref, JobContext &ctx,
                                                   const LoadOptions &options) override;

    // The folder Firefox keeps an origin's storage in: the origin with each of :/\*?"<>|
    // replaced by '+' ("http://127.0.0.1:8765" -> "http+++127.0.0.1+8765").
    static QString originFolderName(const QString &origin);

private:
    QString m_profile;
};

} // namespace tfjs
