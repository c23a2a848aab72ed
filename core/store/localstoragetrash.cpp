// LocalStorageStore's trash: a trashed model's five items as one row of the `trash` table.
#include "localstoragestore.h"

#include "io/sqliteconnection.h"

namespace tfjs {

Trash LocalStorageStore::trash()
{
    Trash::Hooks hooks;
    hooks.holds = [this](const QString &path) { return hasModel(path); };
    hooks.put
        = [this](const QString &path, TrashReason reason) { return trashModel(path, reason); };
    hooks.takeOut = [this](qint64 id, const QString &path) -> Result<void> {
        auto query = m_db->exec(QStringLiteral("SELECT modelArtifactsInfo, model_topology, "
                                               "weight_specs, weight_data, model_metadata FROM "
                                               "trash WHERE id = ?"),
            { id });
        if (!query)
            return fail(query.error());
        LocalStorageItems items;
        if (query->next()) {
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (!query->isNull(int(i)))
                    items[i] = query->value(int(i)).toString();
            }
        }
        query->finish();
        if (auto put = putItemsLocked(path, items); !put)
            return put;
        return withinQuota([&](qint64 used) {
            Error error { ErrorCode::Quota,
                QStringLiteral("Cannot restore model '%1' from the trash of local "
                               "storage: it would exceed the %2-byte quota.")
                    .arg(path)
                    .arg(m_quota) };
            error.path = path;
            error.detail = QStringLiteral("the items would take %1 bytes").arg(used);
            return error;
        });
    };
    return Trash(*m_db, QStringLiteral("localstorage://"), trashName(), std::move(hooks));
}

QString LocalStorageStore::trashName() const
{
    return QStringLiteral("the localStorage store %1").arg(databaseFile());
}

Result<void> LocalStorageStore::trashModel(const QString &path, TrashReason reason)
{
    auto items = itemsLocked(path);
    if (!items)
        return fail(items.error());
    QVariantList values = { path, m_clock().toMSecsSinceEpoch(), trashReasonName(reason) };
    for (const std::optional<QString> &item : *items)
        values << (item ? QVariant(*item) : QVariant(QMetaType::fromType<QString>()));
    auto put = m_db->exec(QStringLiteral("INSERT INTO trash (modelPath, removedAt, reason, "
                                         "modelArtifactsInfo, model_topology, weight_specs, "
                                         "weight_data, model_metadata) "
                                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        values);
    if (!put)
        return fail(put.error());
    return deleteItemsLocked(path);
}

Result<std::vector<TrashEntry>> LocalStorageStore::listTrash()
{
    if (!m_db)
        return std::vector<TrashEntry>();
    return trash().list();
}

Result<StoredModel> LocalStorageStore::restoreFromTrash(qint64 id, const QString &to,
                                                        Existing existing)
{
    if (auto ready = requireDatabase(); !ready)
        return fail(ready.error());
    return trash().restoreIn(changes(), id, to, existing);
}

Result<int> LocalStorageStore::emptyTrash(const QDateTime &removedBefore)
{
    if (!m_db)
        return 0;
    return trash().purgeIn(changes(), removedBefore);
}

Result<std::vector<TrashEntry>> LocalStorageStore::deleteFromTrash(const std::vector<qint64> &ids)
{
    if (!m_db) // a store not created yet has an empty trash (and stays uncreated)
        return ids.empty() ? Result<std::vector<TrashEntry>>()
                           : fail(Trash::notFound(ids.front(), trashName()));
    return trash().removeIn(changes(), ids);
}

Trash::Transaction LocalStorageStore::changes()
{
    return [this](const std::function<Result<void>()> &body) {
        return change(Durability::Relaxed, body);
    };
}

} // namespace tfjs
