#pragma once

#include "handlers/trashentry.h"
#include "base/error.h"
#include "io/existing.h"

#include <QDateTime>
#include <QString>

#include <functional>
#include <vector>

namespace tfjs {

class SqliteConnection;
class SqlSession;
struct StoredModel;

// The current time in UTC; stores take one so that tests can move time.
using Clock = std::function<QDateTime()>;

// The trash of one store (SQLite or PostgreSQL): a table `trash` in the store's database holding the store's own
// columns of each trashed model beside the common ones (id, modelPath, removedAt in ms since
// the epoch, reason, modelArtifactsInfo). The store provides three steps (Hooks); Trash holds
// what both stores share. Every method except list() must run inside the store's write
// transaction.
class Trash
{
public:
    struct Hooks
    {
        // True when the store holds a model at `path`.
        std::function<Result<bool>(const QString &path)> holds;
        // Moves the model at `path` into the trash (a row of `trash`) and out of the store.
        std::function<Result<void>(const QString &path, TrashReason reason)> put;
        // Writes trash row `id`'s model at `path`, which is free.
        std::function<Result<void>(qint64 id, const QString &path)> takeOut;
    };

    // `scheme` ("indexeddb://") names models in errors; `store` names the store
    // ("IndexedDB", "local storage").
    Trash(SqlSession &db, QString scheme, QString store, Hooks hooks);

    // The error for a missing entry: NotFound, "There is no entry <id> in the trash of <store>."
    static Error notFound(qint64 id, const QString &store);

    // The migration step that adds the table to a SQLite store; `payloadColumns` are the
    // store's own column definitions ("modelArtifacts TEXT NOT NULL, ..."). (The team store
    // makes the same columns in PostgreSQL's types.)
    [[nodiscard]] static Result<void> createTable(SqliteConnection &db, const QString &payloadColumns);

    // Oldest first.
    [[nodiscard]] Result<std::vector<TrashEntry>> list();
    // Deletes the entries removed before `before` (all when it is invalid); returns how many.
    [[nodiscard]] Result<int> purge(const QDateTime &before);
    // Frees `path` for a new model: with Refuse a model there is an existsError, with Replace
    // it goes to the trash (TrashReason::Replaced).
    [[nodiscard]] Result<void> makeRoom(const QString &path, Existing existing);
    // Puts entry `id` back at `to` (a path or "<scheme>://path"; its own path when empty),
    // making room as `existing` says, and deletes the entry. A missing entry is NotFound.
    [[nodiscard]] Result<StoredModel> restore(qint64 id, const QString &to, Existing existing);
    // Deletes the entries `ids` (a repeated id counts once) and returns them, in the order
    // given. A missing entry is NotFound naming it, and then none is deleted (the caller's
    // transaction rolls back).
    [[nodiscard]] Result<std::vector<TrashEntry>> remove(const std::vector<qint64> &ids);

    // A store's write transaction (which purges expired entries first), for the two below.
    using Transaction = std::function<Result<void>(const std::function<Result<void>()> &body)>;
    // restore(), remove() and purge() in a transaction of their own.
    [[nodiscard]] Result<StoredModel> restoreIn(const Transaction &transaction, qint64 id, const QString &to,
                                  Existing existing);
    [[nodiscard]] Result<std::vector<TrashEntry>> removeIn(
        const Transaction &transaction, const std::vector<qint64> &ids);
    [[nodiscard]] Result<int> purgeIn(const Transaction &transaction, const QDateTime &before);

private:
    [[nodiscard]] Result<TrashEntry> entry(qint64 id);
    [[nodiscard]] Result<void> drop(qint64 id);

    SqlSession &m_db;
    QString m_scheme;
    QString m_store;
    Hooks m_hooks;
};

} // namespace tfjs
