#include "sqlsession.h"

namespace tfjs {

Result<void> SqlSession::execAll(const QStringList &statements, const QVariantList &params)
{
    for (const QString &sql : statements) {
        if (auto done = exec(sql, params); !done)
            return fail(done.error());
    }
    return {};
}

Result<QVariant> SqlSession::scalar(const QString &sql, const QVariantList &params)
{
    auto query = exec(sql, params);
    if (!query)
        return fail(query.error());
    QVariant value;
    if (query->next())
        value = query->value(0);
    else if (query->lastError().isValid())
        return fail(sqlError(query->lastError(), QStringLiteral("reading '%1'").arg(sql.left(60))));
    query->finish();
    return value;
}

} // namespace tfjs
