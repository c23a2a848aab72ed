// IndexedDbStore's trash: a trashed model's models_store row as a row of the `trash` table,
// its blob still referenced.
#include "indexeddbstore.h"

#include "io/sqliteconnection.h"

namespace tfjs {

Trash IndexedDbStore::trash()
{
    Trash::Hooks hooks;
    hooks.holds = [this](const QString &path) { return hasModel(path); };
    hooks.put = [this](const QString &path, TrashReason reason) { return trashModel(path, reason); };
    hooks.takeOut = [this](qint64 id, const QString &path) {
        return m_db->execAll(
            {QStringLiteral("INSERT INTO models_store (modelPath, modelArtifacts, "
                            "modelArtifactsInfo, weightDataBlob, weightDataBytes) SELECT ?, "
                            "modelArtifacts, modelArtifactsInfo, weightDataBlob, weightDataBytes "
                            "FROM trash WHERE id = ?"),
             QStringLiteral("INSERT INTO model_info_store (modelPath, modelArtifactsInfo) "
                            "SELECT ?, modelArtifactsInfo FROM trash WHERE id = ?")},
            {path, id});
    };
    return Trash(*m_db, QStringLiteral("indexeddb://"), trashName(), std::move(hooks));
}

QString IndexedDbStore::trashName() const
{
    return QStringLiteral("the IndexedDB store %1").arg(databaseFile());
}

Result<std::vector<TrashEntry>> IndexedDbStore::listTrash()
{
    if (!m_db)
        return std::vector<TrashEntry>();
    return trash().list();
}

Result<StoredModel> IndexedDbStore::restoreFromTrash(qint64 id, const QString &to, Existing existing)
{
    if (auto ready = requireDatabase(); !ready)
        return fail(ready.error());
    return trash().restoreIn(changes(false), id, to, existing);
}

Result<std::vector<TrashEntry>> IndexedDbStore::deleteFromTrash(const std::vector<qint64> &ids)
{
    if (!m_db) // a store not created yet has an empty trash (and stays uncreated)
        return ids.empty() ? Result<std::vector<TrashEntry>>()
                           : fail(Trash::notFound(ids.front(), trashName()));
    return trash().removeIn(changes(true), ids);
}

Result<int> IndexedDbStore::emptyTrash(const QDateTime &removedBefore)
{
    if (!m_db)
        return 0;
    return trash().purgeIn(changes(true), removedBefore);
}

Trash::Transaction IndexedDbStore::changes(bool orphans)
{
    return [this, orphans](const std::function<Result<void>()> &body) {
        return change(Durability::Relaxed, body, orphans);
    };
}

} // namespace tfjs
