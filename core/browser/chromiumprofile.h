#pragma once

#include "browser/browsermodel.h"

#include <QString>

namespace tfjs {

// The TF.js models of ONE Chromium profile folder: a user-data-dir's "Default" or "Profile 2"
// (Chromium, Google Chrome, Edge and Brave lay them out alike), not the user-data-dir itself.
// IndexedDB models come from IndexedDB/<origin>.indexeddb.leveldb (+ .indexeddb.blob) and,
// for Chromium's SQLite backend, IndexedDB/<origin>/<database file>; localStorage ones from
// "Local Storage/leveldb". The LevelDBs are read from their files (readLevelDbFolder), the
// SQLite files through private copies: nothing is opened in place, so listing works while
// the browser runs and writes nothing. BrowserModelRef::origin is the readable origin
// ("http://127.0.0.1:8765", "file://" for file pages) that loadModel accepts back. IndexedDB
// under storage buckets (WebStorage/) is not read yet.
class ChromiumProfileReader final : public ProfileReader
{
public:
    explicit ChromiumProfileReader(QString profileFolder);

    [[nodiscard]] Result<std::vector<BrowserModel>> listModels(JobContext &ctx) override;
    [[nodiscard]] Result<ModelArtifacts> loadModel(const BrowserModelRef &ref, JobContext &ctx,
                                                   const LoadOptions &options) override;

private:
    [[nodiscard]] Result<void> listIndexedDb(std::vector<BrowserModel> &models,
                                             JobContext &ctx) const;
    [[nodiscard]] Result<void> listLocalStorage(std::vector<BrowserModel> &models) const;
    [[nodiscard]] Result<ModelArtifacts> loadIndexedDb(const BrowserModelRef &ref, bool weights) const;
    [[nodiscard]] Result<ModelArtifacts> loadLocalStorage(const BrowserModelRef &ref) const;
    QStringList indexedDbFolders() const;

    QString m_profile;
};

} // namespace tfjs
