#include "existing.h"

namespace tfjs {

Error existsError(const QString &url, const QString &path)
{
    Error error { ErrorCode::Exists, QStringLiteral("%1 already exists.").arg(url) };
    error.url = url;
    error.path = path;
    return error;
}

bool isExistsError(const Error &error)
{
    return error.code == ErrorCode::Exists && !error.url.isEmpty();
}

} // namespace tfjs
