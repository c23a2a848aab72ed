#pragma once

#include "base/error.h"
#include "browser/leveldblog.h"

#include <QByteArray>
#include <QString>

#include <map>

namespace tfjs {

// The entries of one LevelDB table file (.ldb/.sst, read through leveldb::Table, checksums
// verified) merged into `entries`: internal keys carry their sequence number and kind, so
// the order the table was sorted in (its comparator) does not matter.
[[nodiscard]] Result<void> mergeLevelDbTable(const QByteArray &bytes, LevelDbEntries &entries,
                                             const QString &path);

// The live keys and values of the LevelDB in `folder`, read without opening it (nothing is
// written, no lock taken): CURRENT names the MANIFEST, whose edits name the live tables; the
// .log files from the manifest's log number on are replayed; the newest sequence number of a
// key wins and deletions are honoured. Each file is read whole, once. A file that vanishes
// while it is read (a compaction of the running browser) makes it start over, up to three
// times; then, or for a corrupt file, an error naming the file.
[[nodiscard]] Result<std::map<QByteArray, QByteArray>> readLevelDbFolder(const QString &folder);

} // namespace tfjs
