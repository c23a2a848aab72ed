#pragma once

#include "io/durability.h"
#include "base/error.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace tfjs {

class JobContext;
class SpoolFile;
class WeightData;

// The weight bytes of the IndexedDB-like store, kept out of SQLite the way Chromium keeps large
// IndexedDB values as files beside its database. Each blob is a file named by the SHA-256 of its
// content, `<dir>/<first 2 hex digits>/<64 hex digits>`, so equal weights are stored once and a
// copy inside the store only adds a reference. Temporary files live in `<dir>/tmp`.
//
// Protocol (the caller holds the database's write lock where noted):
//  1. write(): stream the bytes into an unnamed file, hashing them, and fsync it (no lock);
//  2. publish(): give the file its hash name (under the lock, before the transaction that
//     references it commits); under Strict durability syncPublished() then makes the name
//     durable, still before the commit: a committed row never names a blob a power cut lost,
//     on any file system (btrfs's fsync of the database does not carry another file's rename);
//  3. sweep(): delete blob files no row references (under the lock, after the commit).
// A process killed at any point leaves at worst an unreferenced file, which the next sweep
// deletes; a referenced blob is never missing.
class BlobStore
{
public:
    explicit BlobStore(QString dir);

    QString dir() const { return m_dir; }
    QString pathFor(const QString &hash) const;
    // The hash when `file` is one of this store's blob files, else an empty string.
    QString hashOfPath(const QString &file) const;
    static bool isHash(const QString &text);

    // Bytes written and synced, not yet visible under their name. Discarded when destroyed
    // unpublished.
    class Pending
    {
    public:
        Pending() = default;
        Pending(Pending &&other) noexcept;
        Pending &operator=(Pending &&other) noexcept;
        Pending(const Pending &) = delete;
        Pending &operator=(const Pending &) = delete;
        ~Pending();

        QString hash;
        qint64 size = 0;

    private:
        friend class BlobStore;
        void discard();
        int m_fd = -1;
        QString m_tempPath; // empty for an O_TMPFILE file (it has no name yet)
        bool m_published = false; // publish() renamed it into place
        bool m_newFolder = false; // ... into a folder it created
    };

    // When `data` is one whole unnamed spool file on the store's file system (an upload the
    // server received, a download) not named yet, the blob is that file itself
    // (SpoolFile::claimName), hashed once and synced: no copy. Otherwise it
    // copies `data` into a new unnamed file (file segments by copy_file_range, in the kernel),
    // starting write-back as it goes, while a second thread hashes what has been written through
    // a read-only mapping of that private file (so the name always matches the bytes), then
    // fsyncs. Honours cancellation and reports bytes to `ctx`.
    // Relaxed skips the write-back and the fsync.
    [[nodiscard]] Result<Pending> write(const WeightData &data, JobContext *ctx, Durability durability);

    // Names the pending file by its hash (an existing complete blob of that hash is kept and the
    // pending bytes dropped). Needs the write lock.
    [[nodiscard]] Result<void> publish(Pending &pending);
    // Syncs the folders publish() changed. Call before the commit that references the blob.
    [[nodiscard]] Result<void> syncPublished(const Pending &pending);

    // True when the blob file exists with `size` bytes.
    bool isComplete(const QString &hash, qint64 size) const;
    // The blob held open for reading (SpoolFile::holdOpen: a link is not followed), so a sweep
    // by another process cannot take it away from a reader. NotFound when it is missing; Store
    // when it is not a plain file or has another size than `size` (-1: any size).
    [[nodiscard]] Result<std::shared_ptr<SpoolFile>> open(const QString &hash, qint64 size) const;
    // Hashes the blob `open` gave and compares with its name: Store error when the bytes were
    // changed in place. Honours cancellation and reports bytes to `ctx`.
    [[nodiscard]] Result<void> verify(const SpoolFile &blob, const QString &hash, JobContext *ctx) const;

    // Deletes blob files whose hash `isReferenced` rejects, and temporary files left by
    // processes that no longer run. Needs the write lock. Returns the number of files deleted.
    int sweep(const std::function<bool(const QString &hash)> &isReferenced);

    // Hashes of all blob files present, sorted.
    QStringList hashes() const;

private:
    QString tempName() const;
    bool onThisFileSystem(const SpoolFile &spool) const;
    [[nodiscard]] Result<Pending> adopt(const SpoolFile &spool, JobContext *ctx, Durability durability);

    QString m_dir;
};

} // namespace tfjs
