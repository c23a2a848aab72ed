#pragma once

#include "base/error.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace tfjs {

// What the stores' shared SQL code (the trash) needs of a connection, whatever the engine
// (SQLite: SqliteConnection; PostgreSQL: PgConnection). Statements take `?` placeholders and
// bound parameters only.
class SqlSession
{
public:
    virtual ~SqlSession() = default;

    // Runs one statement; the returned query is positioned before the first row. Statements
    // that return no rows are finished already (numRowsAffected() still answers).
    [[nodiscard]] virtual Result<QSqlQuery> exec(const QString &sql, const QVariantList &params = {}) = 0;
    // An Error for a failed statement, classified by the engine's codes and naming the store.
    virtual Error sqlError(const QSqlError &error, const QString &doing) const = 0;

    // Runs statements one after another, each with `params`; stops at the first failure.
    [[nodiscard]] Result<void> execAll(const QStringList &statements, const QVariantList &params = {});
    // First column of the first row, or an invalid QVariant when there is no row.
    [[nodiscard]] Result<QVariant> scalar(const QString &sql, const QVariantList &params = {});
};

} // namespace tfjs
