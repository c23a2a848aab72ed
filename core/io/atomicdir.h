#pragma once

#include "durability.h"
#include "base/error.h"
#include "existing.h"

#include <QFile>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace tfjs {

class JobContext;
class WeightData;

// Writes a set of files into one folder so that a failure leaves the folder as it was, and a
// killed writer the old or the new set once our code next touches the folder:
// every file is first written (and with Durability::Strict synced, then the folder after the
// renames) under a hidden temporary name beside its target (`.NAME.tfjs-PID-ID`);
// commit() then writes a commit marker listing the renames (foldercommit.h), keeps each old
// target under a second name, renames the new files in (in the order added), removes the
// marker and the old files; a failing rename restores the old files. begin() first finishes
// the commits of killed writers in the folder and removes their temporary files. With Existing::Refuse an existing
// target is an ErrorCode::Exists error naming it, checked when the file is added and again by
// the rename itself (renameNoReplace), so a file that appears meanwhile is never replaced.
// A folder created by begin() is removed again when the write is abandoned. Files not named
// are never touched.
class AtomicFolderWrite
{
public:
    using Existing = tfjs::Existing;

    ~AtomicFolderWrite(); // abandons an uncommitted write
    AtomicFolderWrite(AtomicFolderWrite &&other) noexcept;
    AtomicFolderWrite &operator=(AtomicFolderWrite &&) = delete;
    AtomicFolderWrite(const AtomicFolderWrite &) = delete;

    // `folder` must be a folder or not exist (its parent is created when missing).
    [[nodiscard]] static Result<AtomicFolderWrite> begin(const QString &folder, Existing existing,
                                           Durability durability = Durability::Strict);

    using Writer = std::function<Result<void>(QFile &file)>;
    // Writes `name` (a plain file name) through `writer` into a temporary file.
    [[nodiscard]] Result<void> addFile(const QString &name, const Writer &writer);

    // Adds `name` holding `data`: a downloaded spool that is the whole data is named in place
    // (no byte copied); anything else is written with writeWeightData.
    [[nodiscard]] Result<void> addWeights(const QString &name, const WeightData &data, JobContext *ctx);

    // Puts every added file in place; returns their final paths.
    [[nodiscard]] Result<QStringList> commit();

    QString folder() const { return m_folder; }

private:
    AtomicFolderWrite() = default;
    QString tempNameFor(const QString &name) const;
    [[nodiscard]] Result<void> checkTarget(const QString &target) const; // Refuse: must not exist
    void abandon();

    struct Entry
    {
        QString target;
        QString temp;
    };
    QString m_folder;
    Existing m_existing = Existing::Replace;
    Durability m_durability = Durability::Strict;
    QString m_tag; // "PID-ID", in every file name this write makes (foldercommit.h)
    QStringList m_createdDirs; // outermost last
    std::vector<Entry> m_entries;
    bool m_done = false;
};

// Writes all of `data` to `file` (copy_file_range for file segments), reporting bytes to ctx.
// Strict also starts each step's write-back at once, so the closing fsync has little left.
[[nodiscard]] Result<void> writeWeightData(QFile &file, const WeightData &data, JobContext *ctx,
                             Durability durability = Durability::Strict);

// Renames `from` to `to` unless `to` exists; returns 0 or an errno value (EEXIST: `to` exists).
// Atomic where the file system allows: renameat2(RENAME_NOREPLACE); where the file system
// refuses that flag, link() then unlink() (link never replaces either); where it has no hard
// links, a check then rename(), which leaves a short race (on such file systems only).
// `method` picks the first way to try (tests walk the fallbacks).
enum class NoReplaceMethod { RenameAt2, Link, CheckThenRename };
int renameNoReplace(const QString &from, const QString &to,
                    NoReplaceMethod method = NoReplaceMethod::RenameAt2);

// `path` when it is a folder, else its nearest ancestor that exists (for spool files).
QString nearestExistingFolder(const QString &path);

// fsync()s a folder, making the names in it durable. False (errno set) on failure.
bool syncFolder(const QString &folder);

// Writes bytes and checks that all were written; error names the file.
[[nodiscard]] Result<void> writeAllBytes(QFile &file, const char *data, qint64 size);

} // namespace tfjs
