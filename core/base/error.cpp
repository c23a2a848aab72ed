#include "error.h"

#include <QStringList>

namespace tfjs {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return QStringLiteral("invalid-argument");
    case ErrorCode::NotFound: return QStringLiteral("not-found");
    case ErrorCode::Exists: return QStringLiteral("exists");
    case ErrorCode::Io: return QStringLiteral("io");
    case ErrorCode::Parse: return QStringLiteral("parse");
    case ErrorCode::Format: return QStringLiteral("format");
    case ErrorCode::Weights: return QStringLiteral("weights");
    case ErrorCode::Unsupported: return QStringLiteral("unsupported");
    case ErrorCode::Network: return QStringLiteral("network");
    case ErrorCode::Http: return QStringLiteral("http");
    case ErrorCode::Quota: return QStringLiteral("quota");
    case ErrorCode::Store: return QStringLiteral("store");
    case ErrorCode::Cancelled: return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

QString Error::toString() const
{
    QStringList where;
    if (!path.isEmpty())
        where << QStringLiteral("path: %1").arg(path);
    if (!shard.isEmpty())
        where << QStringLiteral("shard: %1").arg(shard);
    if (!tensor.isEmpty())
        where << QStringLiteral("tensor: %1").arg(tensor);
    if (offset >= 0)
        where << QStringLiteral("offset: %1").arg(offset);
    if (!url.isEmpty())
        where << QStringLiteral("url: %1").arg(url);
    if (status != 0)
        where << QStringLiteral("status: %1").arg(status);
    QString text = message;
    if (!where.isEmpty())
        text += QStringLiteral(" [") + where.join(QStringLiteral(", ")) + QLatin1Char(']');
    if (!detail.isEmpty())
        text += QStringLiteral("\n") + detail;
    return text;
}

Error cancelledError()
{
    return Error{ErrorCode::Cancelled, QStringLiteral("Cancelled.")};
}

} // namespace tfjs
