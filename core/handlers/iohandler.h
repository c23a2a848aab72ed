#pragma once

#include "format/artifacts.h"
#include "io/durability.h"
#include "base/error.h"
#include "io/existing.h"

#include <QString>

namespace tfjs {

class JobContext;

struct LoadOptions
{
    // false: topology, specs and manifest only; weightData may stay empty (used by `info`,
    // which must not download weights). Local weights are still checked as every load checks
    // them, which reads the length prefixes of string tensors and no other weight bytes.
    bool weights = true;
    // Where a handler that downloads weights puts them (an unnamed file): a folder on the
    // destination's file system lets the save name that file instead of copying it. Empty:
    // the system's temporary folder.
    QString spoolFolder;
    // Check the weights against what the medium records of them where it records a hash (the
    // indexeddb:// store's content-addressed blobs): costs one more read of every weight byte.
    bool verifyContent = false;
    // Not the model's current weights but those with this hash (a ModelArtifacts::weightsHash
    // from an earlier load), as long as the store holds them in a model or its trash, even if
    // the model at the URL was replaced or removed since: weightData and weightsHash alone.
    // HandlerRegistry::load refuses any answer of other weights (media that keep no hashes).
    QString weightsHash;

    static LoadOptions withoutWeights()
    {
        LoadOptions options;
        options.weights = false;
        return options;
    }
};

// What TF.js calls an IOHandler: one medium, one model location. A handler is created per
// URL by the registry and used once. Both methods run on a worker thread and may block.
class IOHandler
{
public:
    virtual ~IOHandler() = default;

    virtual bool canLoad() const { return true; }
    virtual bool canSave() const { return true; }

    // Returns the artifacts with weight data that checkWeightLayout accepts, or an error
    // naming the missing or broken piece. Weight bytes may be described as file segments
    // rather than read.
    [[nodiscard]] virtual Result<ModelArtifacts> load(JobContext &ctx, const LoadOptions &options = {}) = 0;

    // Writes the artifacts. Weight data that checkWeightLayout refuses is refused before
    // anything is written. Atomic: on any error (including cancellation) the destination is
    // as it was before the call. A destination that already holds a model is handled as
    // existing() says (see existing.h).
    [[nodiscard]] virtual Result<SaveResult> save(const ModelArtifacts &artifacts, JobContext &ctx) = 0;

    // True when the destination already holds a model that save() would replace, so that
    // Existing::Refuse would refuse it (a caller can ask before loading anything). Handlers
    // whose saves never replace a model (downloads://, uploads) say false.
    [[nodiscard]] virtual Result<bool> hasModel() { return false; }

    // An existing folder on the file system save() writes to, for LoadOptions::spoolFolder;
    // empty when the handler writes no local files.
    virtual QString spoolFolder() const { return {}; }

    // How far save() syncs (handlers without local files ignore it).
    void setDurability(Durability durability) { m_durability = durability; }
    Durability durability() const { return m_durability; }

    // Bytes per weight file of a save that writes weight files (file://): 0 writes one
    // weights.bin as tfjs-node does; N > 0 cuts the weight data every N bytes into
    // group1-shardIofK.bin as tfjs-converter does. Other handlers ignore it.
    void setShardSize(qint64 bytes) { m_shardSize = bytes; }
    qint64 shardSize() const { return m_shardSize; }

    // What save() does when the destination holds a model (default Refuse).
    void setExisting(Existing existing) { m_existing = existing; }
    Existing existing() const { return m_existing; }

private:
    Durability m_durability = Durability::Relaxed;
    Existing m_existing = Existing::Refuse;
    qint64 m_shardSize = 0;
};

} // namespace tfjs
