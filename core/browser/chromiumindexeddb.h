#pragma once

#include "base/error.h"
#include "base/json.h"
#include "browser/valueinput.h"
#include "format/artifacts.h"

#include <QByteArray>
#include <QString>

#include <map>
#include <vector>

namespace tfjs {

// TF.js's database ("tensorflowjs": model_info_store, models_store) in one origin's IndexedDB
// LevelDB folder of a Chromium profile, `<origin>.indexeddb.leveldb`, with the values moved to
// blob files in `<origin>.indexeddb.blob/<db id hex>/<(n >> 8) & 0xff as %02x>/<n hex>` beside
// it. Read from a snapshot of the folder's files (readLevelDbFolder): never opened in place.
class ChromiumIndexedDb
{
public:
    // Reads the snapshot. A folder without TF.js's database has no models.
    [[nodiscard]] static Result<ChromiumIndexedDb> read(const QString &leveldbFolder);

    struct Info
    {
        QString path;
        ModelArtifactsInfo info;
    };
    // The model_info_store records, by path. `where` starts the messages ("<folder>").
    [[nodiscard]] Result<std::vector<Info>> infos() const;
    // The decoded models_store value of `path` (tfjsrecord.h's Json); NotFound naming it when
    // there is none. A blob file that is missing is NotFound naming the file. A value in a blob
    // file is read in place: its big buffers are references into the file (valueinput.h).
    [[nodiscard]] Result<DecodedValue> modelRecord(const QString &path) const;

    // The folder's "<scheme>_<host>_<port>" name as an origin ("http://127.0.0.1:8765",
    // "file://" for file__0; port 0 means the scheme's default).
    static QString originOfFolder(const QString &folderName);

private:
    [[nodiscard]] Result<DecodedValue> decodeRecord(quint64 store, const QByteArray &key,
                                                    const QString &where) const;
    [[nodiscard]] Result<std::unique_ptr<FileValueInput>> openBlob(quint64 store,
                                                                   const QByteArray &key,
                                                                   quint64 index,
                                                                   const QString &where) const;
    std::optional<quint64> storeId(const QString &name) const;

    QString m_folder;
    std::map<QByteArray, QByteArray> m_entries;
    std::optional<quint64> m_database;
};

// The modelArtifactsInfo of a decoded model_info_store record {modelPath, modelArtifactsInfo}.
[[nodiscard]] Result<ModelArtifactsInfo> infoOfInfoRecord(const Json &record, const QString &where);

// Runs `work` on fresh snapshots of `leveldbFolder` until it does not fail for a missing blob
// file (a copy taken while the browser moved blobs), at most three times.
template<typename T, typename Work>
Result<T> withIndexedDbSnapshot(const QString &leveldbFolder, Work &&work)
{
    Result<T> result;
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto db = ChromiumIndexedDb::read(leveldbFolder);
        if (!db)
            return fail(db.error());
        result = work(*db);
        if (result || result.error().code != ErrorCode::NotFound
            || !result.error().path.contains(QLatin1String(".indexeddb.blob")))
            return result;
    }
    return result;
}

} // namespace tfjs
