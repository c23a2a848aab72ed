#include "trash.h"

#include "handlers/modelstoremanager.h"
#include "io/sqliteconnection.h"

#include <algorithm>

namespace tfjs {

namespace {

const QString kColumns = QStringLiteral("id, modelPath, removedAt, reason, modelArtifactsInfo");

TrashEntry entryOf(const QSqlQuery &query)
{
    TrashEntry entry;
    entry.id = query.value(0).toLongLong();
    entry.path = query.value(1).toString();
    entry.removed = QDateTime::fromMSecsSinceEpoch(query.value(2).toLongLong(), Qt::UTC);
    entry.reason = query.value(3).toString() == trashReasonName(TrashReason::Replaced)
        ? TrashReason::Replaced
        : TrashReason::Removed;
    // An unreadable info leaves zeros: one damaged entry must not hide the others.
    const QByteArray text = query.value(4).toString().toUtf8();
    if (auto json = parseJson(std::string_view(text.constData(), std::size_t(text.size())),
            QStringLiteral("a trash entry"))) {
        if (auto info = ModelArtifactsInfo::fromJson(*json))
            entry.info = *info;
    }
    return entry;
}

} // namespace

Trash::Trash(SqlSession &db, QString scheme, QString store, Hooks hooks)
    : m_db(db), m_scheme(std::move(scheme)), m_store(std::move(store)), m_hooks(std::move(hooks))
{
}

Error Trash::notFound(qint64 id, const QString &store)
{
    return { ErrorCode::NotFound,
        QStringLiteral("There is no entry %1 in the trash of %2.").arg(id).arg(store) };
}

Result<void> Trash::createTable(SqliteConnection &db, const QString &payloadColumns)
{
    for (const QString &sql :
        { QStringLiteral("CREATE TABLE trash ("
                         " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                         " modelPath TEXT NOT NULL,"
                         " removedAt INTEGER NOT NULL," // ms since the epoch
                         " reason TEXT NOT NULL CHECK (reason IN ('removed', 'replaced')),"
                         " modelArtifactsInfo TEXT NOT NULL, %1)")
                .arg(payloadColumns),
            QStringLiteral("CREATE INDEX trash_removedAt ON trash (removedAt)") }) {
        if (auto done = db.exec(sql); !done)
            return fail(done.error());
    }
    return {};
}

Result<std::vector<TrashEntry>> Trash::list()
{
    auto query = m_db.exec(QStringLiteral("SELECT %1 FROM trash ORDER BY id").arg(kColumns));
    if (!query)
        return fail(query.error());
    std::vector<TrashEntry> out;
    while (query->next())
        out.push_back(entryOf(*query));
    if (query->lastError().isValid())
        return fail(m_db.sqlError(query->lastError(), QStringLiteral("listing the trash")));
    return out;
}

Result<TrashEntry> Trash::entry(qint64 id)
{
    auto query
        = m_db.exec(QStringLiteral("SELECT %1 FROM trash WHERE id = ?").arg(kColumns), { id });
    if (!query)
        return fail(query.error());
    if (!query->next()) {
        if (query->lastError().isValid())
            return fail(m_db.sqlError(query->lastError(), QStringLiteral("reading the trash")));
        return fail(notFound(id, m_store));
    }
    TrashEntry out = entryOf(*query);
    query->finish();
    return out;
}

Result<int> Trash::purge(const QDateTime &before)
{
    // Counted first (inside the caller's transaction): how many rows a DELETE removed is not
    // answered alike by every engine's driver once the statement has finished.
    const QString where = before.isValid() ? QStringLiteral(" WHERE removedAt < ?") : QString();
    const QVariantList params = before.isValid() ? QVariantList{before.toMSecsSinceEpoch()} : QVariantList{};
    auto count = m_db.scalar(QStringLiteral("SELECT count(*) FROM trash") + where, params);
    if (!count)
        return fail(count.error());
    if (count->toInt() == 0)
        return 0;
    if (auto deleted = m_db.exec(QStringLiteral("DELETE FROM trash") + where, params); !deleted)
        return fail(deleted.error());
    return count->toInt();
}

Result<void> Trash::makeRoom(const QString &path, Existing existing)
{
    auto held = m_hooks.holds(path);
    if (!held)
        return fail(held.error());
    if (!*held)
        return {};
    if (existing == Existing::Refuse)
        return fail(existsError(m_scheme + path, path));
    return m_hooks.put(path, TrashReason::Replaced);
}

Result<StoredModel> Trash::restore(qint64 id, const QString &to, Existing existing)
{
    auto found = entry(id);
    if (!found)
        return fail(found.error());
    const QString path = to.isEmpty()             ? found->path
                         : to.startsWith(m_scheme) ? to.mid(m_scheme.size())
                                                   : to;
    if (auto room = makeRoom(path, existing); !room)
        return fail(room.error());
    if (auto back = m_hooks.takeOut(id, path); !back)
        return fail(back.error());
    if (auto dropped = drop(id); !dropped)
        return fail(dropped.error());
    return StoredModel { path, found->info };
}

Result<std::vector<TrashEntry>> Trash::remove(const std::vector<qint64> &ids)
{
    std::vector<TrashEntry> out;
    for (const qint64 id : ids) {
        if (std::ranges::any_of(out, [id](const TrashEntry &done) { return done.id == id; }))
            continue;
        auto found = entry(id);
        if (!found)
            return fail(found.error());
        if (auto dropped = drop(id); !dropped)
            return fail(dropped.error());
        out.push_back(std::move(*found));
    }
    return out;
}

Result<void> Trash::drop(qint64 id)
{
    auto dropped = m_db.exec(QStringLiteral("DELETE FROM trash WHERE id = ?"), { id });
    if (!dropped)
        return fail(dropped.error());
    return {};
}

Result<StoredModel> Trash::restoreIn(const Transaction &transaction, qint64 id, const QString &to,
                                    Existing existing)
{
    return valueIn<StoredModel>(transaction, [&] { return restore(id, to, existing); });
}

Result<std::vector<TrashEntry>> Trash::removeIn(
    const Transaction &transaction, const std::vector<qint64> &ids)
{
    return valueIn<std::vector<TrashEntry>>(transaction, [&] { return remove(ids); });
}

Result<int> Trash::purgeIn(const Transaction &transaction, const QDateTime &before)
{
    return valueIn<int>(transaction, [&] { return purge(before); });
}

} // namespace tfjs
