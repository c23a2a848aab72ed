// TeamStore's trash: a trashed model's row of `models` as a row of `trash`, its blob still
// referenced.
#include "teamstore.h"

namespace tfjs {

Trash TeamStore::trash()
{
    Trash::Hooks hooks;
    hooks.holds = [this](const QString &path) { return hasModel(path); };
    hooks.put = [this](const QString &path, TrashReason reason) { return trashModel(path, reason); };
    hooks.takeOut = [this](qint64 id, const QString &path) -> Result<void> {
        auto back = m_db->exec(QStringLiteral("INSERT INTO models (modelPath, %1) SELECT ?, %1 FROM "
                                              "trash WHERE id = ?")
                                   .arg(modelColumns()),
                               {path, id});
        if (!back)
            return fail(back.error());
        return {};
    };
    return Trash(*m_db, QStringLiteral("team://"), m_db->where(), std::move(hooks));
}

Result<std::vector<TrashEntry>> TeamStore::listTrash()
{
    if (!m_exists)
        return std::vector<TrashEntry>();
    return trash().list();
}

Result<StoredModel> TeamStore::restoreFromTrash(qint64 id, const QString &to, Existing existing)
{
    return trash().restoreIn(changes(false), id, to, existing);
}

Result<std::vector<TrashEntry>> TeamStore::deleteFromTrash(const std::vector<qint64> &ids)
{
    if (!m_exists)
        return ids.empty() ? Result<std::vector<TrashEntry>>()
                           : fail(Trash::notFound(ids.front(), m_db->where()));
    return trash().removeIn(changes(true), ids);
}

Result<int> TeamStore::emptyTrash(const QDateTime &removedBefore)
{
    if (!m_exists)
        return 0;
    return trash().purgeIn(changes(true), removedBefore);
}

Trash::Transaction TeamStore::changes(bool orphans)
{
    return [this, orphans](const std::function<Result<void>()> &body) { return change(body, orphans); };
}

} // namespace tfjs
