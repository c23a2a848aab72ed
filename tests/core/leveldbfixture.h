#pragma once

// Real LevelDB folders for the tests of our LevelDB file readers, written by Debian's
// libleveldb itself (the library the browsers' format comes from).

#include <QByteArray>
#include <QDir>
#include <QString>
#include <QTest>

#include <leveldb/comparator.h>
#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <memory>

namespace tfjs::test {

// Orders keys backwards: tables sorted by it must still be read whole (Chromium's IndexedDB
// uses its own comparator, idb_cmp1, that no library offers).
class ReverseComparator final : public leveldb::Comparator
{
public:
    int Compare(const leveldb::Slice &a, const leveldb::Slice &b) const override
    {
        return b.compare(a);
    }
    const char *Name() const override { return "test.Reverse"; }
    void FindShortestSeparator(std::string *, const leveldb::Slice &) const override {}
    void FindShortSuccessor(std::string *) const override {}
};

class LevelDbWriter
{
public:
    explicit LevelDbWriter(const QString &folder, const leveldb::Comparator *comparator = nullptr)
    {
        leveldb::Options options;
        options.create_if_missing = true;
        if (comparator)
            options.comparator = comparator;
        leveldb::DB *db = nullptr;
        const leveldb::Status status = leveldb::DB::Open(options, folder.toStdString(), &db);
        if (!status.ok())
            qFatal("cannot create the test LevelDB: %s", status.ToString().c_str());
        m_db.reset(db);
    }
    void put(const QByteArray &key, const QByteArray &value)
    {
        check(m_db->Put({}, slice(key), slice(value)));
    }
    void remove(const QByteArray &key) { check(m_db->Delete({}, slice(key))); }
    // Writes the memtable and every level into tables (.ldb), as a browser's compaction does.
    void compact() { m_db->CompactRange(nullptr, nullptr); }
    void close() { m_db.reset(); }

private:
    static leveldb::Slice slice(const QByteArray &bytes)
    {
        return {bytes.constData(), size_t(bytes.size())};
    }
    static void check(const leveldb::Status &status)
    {
        if (!status.ok())
            qFatal("test LevelDB write failed: %s", status.ToString().c_str());
    }
    std::unique_ptr<leveldb::DB> m_db;
};

// The folder's files of one kind ("*.log", "*.ldb").
inline QStringList levelDbFiles(const QString &folder, const QString &pattern)
{
    QStringList paths;
    const QDir dir(folder);
    for (const QString &name : dir.entryList({pattern}, QDir::Files, QDir::Name))
        paths << dir.filePath(name);
    return paths;
}

} // namespace tfjs::test
