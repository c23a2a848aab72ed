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

Result<void> refuseExisting(Existing existing, const std::function<Result<bool>()> &holdsModel,
                            const QString &url, const QString &path)
{
    if (existing != Existing::Refuse)
        return {};
    auto held = holdsModel();
    if (!held)
        return fail(held.error());
    if (*held)
        return fail(existsError(url, path));
    return {};
}

} // namespace tfjs
