#pragma once

#include "base/error.h"
#include "format/artifacts.h"
#include "handlers/iohandler.h"

#include <QString>

#include <optional>
#include <vector>

namespace tfjs {

class JobContext;

// Where a page's model.save() put a model: 'indexeddb://...' or 'localstorage://...'.
enum class BrowserStorage { IndexedDb, LocalStorage };

// "indexeddb", "localstorage".
QString browserStorageName(BrowserStorage storage);
std::optional<BrowserStorage> browserStorageFromName(const QString &name);

// One TF.js model inside a browser profile.
struct BrowserModelRef
{
    QString profile; // the profile folder, absolute
    QString origin;  // the page's origin as the browser records it ("http://127.0.0.1:8765")
    BrowserStorage storage = BrowserStorage::IndexedDb;
    QString path;    // TF.js's model path: "my-model" of 'indexeddb://my-model'

    bool operator==(const BrowserModelRef &) const = default;
};

struct BrowserModel
{
    BrowserModelRef ref;
    ModelArtifactsInfo info;
};

// Reads the TF.js models of one browser profile (one browser's format). Read-only, always:
// nothing in the profile is written, and no database of the profile is opened in place by a
// library that may write (copy first, or parse the files read-only). Works while the browser
// runs. Unknown format versions are refused with a message naming the version found; corrupt
// or truncated files give an error naming the file.
class ProfileReader
{
public:
    virtual ~ProfileReader() = default;

    // Every TF.js model of the profile, from IndexedDB and localStorage, of every origin,
    // sorted by origin, storage, path. Reads no weights where the format allows it.
    [[nodiscard]] virtual Result<std::vector<BrowserModel>> listModels(JobContext &ctx) = 0;
    // One model, with its weights unless options.weights is false.
    [[nodiscard]] virtual Result<ModelArtifacts> loadModel(const BrowserModelRef &ref, JobContext &ctx,
                                                           const LoadOptions &options) = 0;
};

} // namespace tfjs
