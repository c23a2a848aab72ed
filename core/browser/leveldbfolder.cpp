#include "browser/leveldbfolder.h"

#include "browser/browsererror.h"
#include <QDir>
#include <QFile>
#include <QtEndian>

#include <leveldb/env.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/table.h>

#include <memory>

namespace tfjs {

namespace {

constexpr int kAttempts = 3;

// A table file already in memory, for leveldb::Table.
class MemoryFile final : public leveldb::RandomAccessFile
{
public:
    explicit MemoryFile(const QByteArray &bytes) : m_bytes(bytes) {}
    leveldb::Status Read(uint64_t offset, size_t n, leveldb::Slice *result, char *) const override
    {
        if (offset > quint64(m_bytes.size()))
            return leveldb::Status::IOError("read past the end of the table");
        const size_t available = std::min<size_t>(n, size_t(m_bytes.size()) - size_t(offset));
        *result = leveldb::Slice(m_bytes.constData() + offset, available);
        return leveldb::Status::OK();
    }

private:
    const QByteArray &m_bytes;
};

// A file of the folder, whole; NotFound when it is gone.
Result<QByteArray> readWhole(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        const auto code = file.exists() ? ErrorCode::Io : ErrorCode::NotFound;
        return fail(browserError(
            code, path, QStringLiteral("cannot read the file (%1).").arg(file.errorString())));
    }
    return file.readAll();
}

quint64 fileNumber(const QString &name)
{
    return name.section(QLatin1Char('.'), 0, 0).toULongLong();
}

Result<std::map<QByteArray, QByteArray>> readOnce(const QDir &dir)
{
    auto current = readWhole(dir.filePath(QStringLiteral("CURRENT")));
    if (!current)
        return fail(current.error());
    const QString manifestName = QString::fromLatin1(current->trimmed());
    if (!manifestName.startsWith(QLatin1String("MANIFEST-"))
        || manifestName.contains(QLatin1Char('/')))
        return fail(browserError(ErrorCode::Format, dir.filePath(QStringLiteral("CURRENT")),
                                 QStringLiteral("does not name a MANIFEST file.")));
    const QString manifestPath = dir.filePath(manifestName);
    auto manifestBytes = readWhole(manifestPath);
    if (!manifestBytes)
        return fail(manifestBytes.error());
    auto manifest = parseLevelDbManifest(*manifestBytes, manifestPath);
    if (!manifest)
        return fail(manifest.error());

    LevelDbEntries entries;
    for (const quint64 number : manifest->tables) {
        QString path = dir.filePath(QStringLiteral("%1.ldb").arg(number, 6, 10, QLatin1Char('0')));
        if (!QFile::exists(path))
            path = dir.filePath(QStringLiteral("%1.sst").arg(number, 6, 10, QLatin1Char('0')));
        auto bytes = readWhole(path);
        if (!bytes)
            return fail(bytes.error());
        if (auto merged = mergeLevelDbTable(*bytes, entries, path); !merged)
            return fail(merged.error());
    }
    const QStringList logs = dir.entryList({QStringLiteral("*.log")}, QDir::Files, QDir::Name);
    for (const QString &name : logs) {
        const quint64 number = fileNumber(name);
        if (number < manifest->logNumber && number != manifest->prevLogNumber)
            continue; // already in the tables
        const QString path = dir.filePath(name);
        auto bytes = readWhole(path);
        if (!bytes)
            return fail(bytes.error());
        auto records = readLevelDbLog(*bytes, path);
        if (!records)
            return fail(records.error());
        for (const QByteArray &batch : *records)
            if (auto merged = mergeWriteBatch(batch, entries, path); !merged)
                return fail(merged.error());
    }
    std::map<QByteArray, QByteArray> live;
    for (auto &[key, entry] : entries)
        if (entry.value)
            live.emplace_hint(live.end(), key, std::move(*entry.value));
    return live;
}

} // namespace

Result<void> mergeLevelDbTable(const QByteArray &bytes, LevelDbEntries &entries,
                               const QString &path)
{
    MemoryFile file(bytes);
    leveldb::Options options;
    options.paranoid_checks = true;
    leveldb::Table *opened = nullptr;
    leveldb::Status status = leveldb::Table::Open(options, &file, uint64_t(bytes.size()), &opened);
    if (!status.ok())
        return fail(browserError(ErrorCode::Format, path,
                                 QStringLiteral("not a readable LevelDB table (%1).")
                                     .arg(QString::fromStdString(status.ToString()))));
    const std::unique_ptr<leveldb::Table> table(opened);
    leveldb::ReadOptions read;
    read.verify_checksums = true;
    read.fill_cache = false;
    const std::unique_ptr<leveldb::Iterator> it(table->NewIterator(read));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
        const leveldb::Slice key = it->key();
        if (key.size() < 8)
            return fail(browserError(ErrorCode::Format, path,
                                     QStringLiteral("a table key shorter than its 8-byte tag.")));
        const quint64 tag = qFromLittleEndian<quint64>(key.data() + key.size() - 8);
        QByteArray user(key.data(), qsizetype(key.size() - 8));
        const quint8 kind = quint8(tag & 0xff);
        if (kind == 1)
            mergeLevelDbEntry(entries, std::move(user), tag >> 8,
                              QByteArray(it->value().data(), qsizetype(it->value().size())));
        else if (kind == 0)
            mergeLevelDbEntry(entries, std::move(user), tag >> 8, std::nullopt);
        else
            return fail(browserError(ErrorCode::Format, path,
                                     QStringLiteral("unknown table entry kind %1.").arg(kind)));
    }
    if (!it->status().ok())
        return fail(browserError(ErrorCode::Format, path,
                                 QStringLiteral("a corrupt LevelDB table (%1).")
                                     .arg(QString::fromStdString(it->status().ToString()))));
    return {};
}

Result<std::map<QByteArray, QByteArray>> readLevelDbFolder(const QString &folder)
{
    const QDir dir(folder);
    Result<std::map<QByteArray, QByteArray>> result;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        result = readOnce(dir);
        if (result || result.error().code != ErrorCode::NotFound)
            return result;
    }
    return result;
}

} // namespace tfjs
