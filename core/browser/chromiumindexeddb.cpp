#include "browser/chromiumindexeddb.h"

#include "browser/blinkvalue.h"
#include "browser/browsererror.h"
#include "browser/idbkey.h"
#include "browser/leveldbfolder.h"
#include "browser/tfjsrecord.h"

#include <QDir>
#include <QFile>

namespace tfjs {

namespace {

const QString kDatabase = QStringLiteral("tensorflowjs");
const QString kModelsStore = QStringLiteral("models_store");
const QString kInfoStore = QStringLiteral("model_info_store");

bool startsWith(const QByteArray &key, const QByteArray &prefix)
{
    return key.startsWith(prefix);
}

} // namespace

QString ChromiumIndexedDb::originOfFolder(const QString &folderName)
{
    const qsizetype first = folderName.indexOf(QLatin1Char('_'));
    const qsizetype last = folderName.lastIndexOf(QLatin1Char('_'));
    if (first < 0 || last <= first)
        return folderName;
    const QString scheme = folderName.left(first);
    const QString host = folderName.mid(first + 1, last - first - 1);
    const QString port = folderName.mid(last + 1);
    QString origin = scheme + QStringLiteral("://") + host;
    if (port != QLatin1String("0"))
        origin += QLatin1Char(':') + port;
    return origin;
}

Result<ChromiumIndexedDb> ChromiumIndexedDb::read(const QString &leveldbFolder)
{
    auto entries = readLevelDbFolder(leveldbFolder);
    if (!entries)
        return fail(entries.error());
    ChromiumIndexedDb db;
    db.m_folder = leveldbFolder;
    db.m_entries = std::move(*entries);
    const QByteArray namesPrefix = encodeIdbPrefix({}) + char(0xC9);
    for (auto it = db.m_entries.lower_bound(namesPrefix);
         it != db.m_entries.end() && startsWith(it->first, namesPrefix); ++it) {
        const auto name = decodeIdbDatabaseNameKey(it->first);
        qsizetype pos = 0;
        const auto id = readVarint(it->second, pos);
        if (name && id && name->name == kDatabase)
            db.m_database = *id;
    }
    return db;
}

std::optional<quint64> ChromiumIndexedDb::storeId(const QString &name) const
{
    if (!m_database)
        return std::nullopt;
    const QByteArray prefix = encodeIdbPrefix({*m_database, 0, 0}) + char(0x32);
    for (auto it = m_entries.lower_bound(prefix);
         it != m_entries.end() && startsWith(it->first, prefix); ++it) {
        const auto ids = decodeIdbStoreNameKey(it->first);
        if (ids && ids->first == *m_database && decodeUtf16Be(it->second) == name)
            return ids->second;
    }
    return std::nullopt;
}

Result<std::unique_ptr<FileValueInput>> ChromiumIndexedDb::openBlob(quint64 store,
                                                                    const QByteArray &key,
                                                                    quint64 index,
                                                                    const QString &where) const
{
    const QByteArray listKey = encodeIdbPrefix({*m_database, store, kIdbBlobIndex}) + key;
    const auto list = m_entries.find(listKey);
    const auto numbers = list == m_entries.end() ? std::nullopt : decodeIdbBlobList(list->second);
    if (!numbers || index >= numbers->size())
        return fail(browserError(
            ErrorCode::Format, where,
            QStringLiteral("the value is in blob %1 of the record, which has no such blob entry.")
                .arg(index)));
    const quint64 number = (*numbers)[size_t(index)];
    QString base = m_folder;
    base.replace(base.lastIndexOf(QLatin1String(".leveldb")), 8, QStringLiteral(".blob"));
    const QString path = QStringLiteral("%1/%2/%3/%4")
                             .arg(base)
                             .arg(*m_database, 0, 16)
                             .arg((number >> 8) & 0xff, 2, 16, QLatin1Char('0'))
                             .arg(number, 0, 16);
    return FileValueInput::open(path, QStringLiteral("the blob file of %1").arg(where));
}

Result<DecodedValue> ChromiumIndexedDb::decodeRecord(quint64 store, const QByteArray &key,
                                                     const QString &where) const
{
    const auto found = m_entries.find(encodeIdbPrefix({*m_database, store, kIdbRecordIndex}) + key);
    if (found == m_entries.end())
        return fail(browserError(ErrorCode::NotFound, where, QStringLiteral("no such record.")));
    auto value = unwrapIdbRecordValue(found->second, where);
    if (!value)
        return fail(value.error());
    if (value->blobIndex) {
        auto blob = openBlob(store, key, *value->blobIndex, where);
        if (!blob)
            return fail(blob.error());
        std::shared_ptr<ValueInput> input = std::move(*blob);
        auto json = decodeBlinkValue(input->bytes(), where, input.get());
        if (!json)
            return fail(json.error());
        return DecodedValue{std::move(*json), std::move(input)};
    }
    auto json = decodeBlinkValue(value->blink, where);
    if (!json)
        return fail(json.error());
    return DecodedValue{std::move(*json), nullptr};
}

Result<ModelArtifactsInfo> infoOfInfoRecord(const Json &record, const QString &where)
{
    const auto info = record.is_object() ? record.find("modelArtifactsInfo") : record.end();
    if (info == record.end())
        return fail(browserError(ErrorCode::Format, where,
                                 QStringLiteral("the record has no modelArtifactsInfo.")));
    return infoFromIndexedDbRecord(*info, where);
}

Result<std::vector<ChromiumIndexedDb::Info>> ChromiumIndexedDb::infos() const
{
    std::vector<Info> out;
    const auto store = storeId(kInfoStore);
    if (!store)
        return out;
    const QByteArray prefix = encodeIdbPrefix({*m_database, *store, kIdbRecordIndex});
    for (auto it = m_entries.lower_bound(prefix);
         it != m_entries.end() && startsWith(it->first, prefix); ++it) {
        const QByteArray key = it->first.sliced(prefix.size());
        const auto path = decodeIdbStringKey(key);
        if (!path)
            continue; // not a key TF.js writes
        const QString where = QStringLiteral("%1 %2 '%3'").arg(m_folder, kInfoStore, *path);
        auto record = decodeRecord(*store, key, where);
        if (!record)
            return fail(record.error());
        auto parsed = infoOfInfoRecord(record->json, where);
        if (!parsed)
            return fail(parsed.error());
        out.push_back({*path, std::move(*parsed)});
    }
    return out;
}

Result<DecodedValue> ChromiumIndexedDb::modelRecord(const QString &path) const
{
    const QString where = QStringLiteral("%1 %2 '%3'").arg(m_folder, kModelsStore, path);
    const auto store = storeId(kModelsStore);
    if (!store)
        return fail(browserError(ErrorCode::NotFound, where,
                                 QStringLiteral("there is no TF.js model store.")));
    return decodeRecord(*store, encodeIdbStringKey(path), where);
}

} // namespace tfjs
