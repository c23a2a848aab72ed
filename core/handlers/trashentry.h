#pragma once

#include "format/artifacts.h"

#include <QDateTime>
#include <QString>

namespace tfjs {

// Why a model went to its store's trash.
enum class TrashReason {
    Removed, // removeModel
    Replaced, // a save, rename, move or restore with Existing::Replace took its path
};
// "removed" / "replaced" (stored in the database and printed by the CLI).
QString trashReasonName(TrashReason reason);

// One model in a store's trash.
struct TrashEntry
{
    qint64 id = 0; // unique within its store, never reused
    QString path; // the model's path when it was trashed (without scheme)
    QDateTime removed; // UTC
    TrashReason reason = TrashReason::Removed;
    ModelArtifactsInfo info; // as saved with the model (dateSaved is the save's date)
};

// Trash entries older than this are purged by the next write to their store.
inline constexpr int kTrashDays = 30;

} // namespace tfjs
