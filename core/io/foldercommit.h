#pragma once

#include "durability.h"
#include "base/error.h"

#include <QString>

#include <vector>

namespace tfjs {

// The crash-safe part of AtomicFolderWrite: how a write that dies (SIGKILL, a crash) is
// finished or undone by the next of our processes that touches its folder.
//
// Every file a write makes in its folder carries the writer's tag, "PID-ID" (the writing
// process and a random id): the new files `.NAME.tfjs-TAG`, copies of replaced files
// `.NAME.tfjs-TAG.old`. Before its first rename the write puts a commit marker
// `.tfjs-commit-TAG` in the folder (written as `.tfjs-commit-TAG.part`, with Strict synced,
// then renamed, and with Strict the folder synced), listing every rename of the commit. The
// marker is removed after the last rename (and with Strict the folder synced). So:
//  - no marker: the commit had not begun; the folder holds the old model, and the dead
//    writer's files are garbage;
//  - a marker: the commit was decided; its renames are redone (those already done are
//    skipped), which gives the new model.
// recoverFolder() does exactly that for writers whose process is gone; files of a live
// process are never touched. (A PID reused by a new process keeps the dead writer's files
// until that process ends too.)

struct CommitRename
{
    QString temp;   // a file name in the folder
    QString target; // a file name in the folder
};

// A new writer tag, "PID-ID".
QString newWriterTag();

// Writes the commit marker for `renames` into `folder`; returns its path. `noReplace`: the
// renames must not replace a target (Existing::Refuse).
[[nodiscard]] Result<QString> writeCommitMarker(const QString &folder, const QString &tag,
                                                bool noReplace,
                                                const std::vector<CommitRename> &renames,
                                                Durability durability);

// Finishes the commits of dead writers in `folder` and removes their leftover files. Best
// effort: a folder we cannot change is left as it is. Returns how many commits were finished.
int recoverFolder(const QString &folder);

// True when `folder` holds a commit marker (after recoverFolder(): a live writer is renaming
// its files in, so the folder may briefly hold a mix of old and new files).
bool commitInProgress(const QString &folder);

} // namespace tfjs
