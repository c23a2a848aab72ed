#include "browserurl.h"

#include <QDir>
#include <QUrl>
#include <QUrlQuery>

namespace tfjs {

namespace {

const QByteArray kKeep = QByteArrayLiteral("/");

QString encoded(const QString &text, const QByteArray &keep = {})
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text, keep));
}

Error urlError(const ModelUrl &url, const QString &why)
{
    Error error{ErrorCode::InvalidArgument,
                QStringLiteral("'%1' is not a browser model URL: %2 (expected %3:///PROFILE or "
                               "%3:///PROFILE?origin=O&storage=indexeddb|localstorage&model=PATH).")
                    .arg(url.text.isEmpty() ? url.toString() : url.text, why, url.scheme)};
    error.url = url.text;
    return error;
}

} // namespace

Result<BrowserUrl> BrowserUrl::parse(const ModelUrl &url)
{
    BrowserUrl out;
    out.scheme = url.scheme;
    const qsizetype mark = url.path.indexOf(QLatin1Char('?'));
    const QString profile = QUrl::fromPercentEncoding(url.path.left(mark < 0 ? url.path.size() : mark).toUtf8());
    if (profile.isEmpty() && mark < 0)
        return out;
    if (!QDir::isAbsolutePath(profile))
        return fail(urlError(url, QStringLiteral("the profile folder '%1' is not an absolute path")
                                      .arg(profile)));
    out.profile = QDir::cleanPath(profile);
    if (mark < 0)
        return out;
    const QUrlQuery query(url.path.mid(mark + 1));
    const auto value = [&query](const QString &key) {
        return query.queryItemValue(key, QUrl::FullyDecoded);
    };
    BrowserModelRef ref;
    ref.profile = out.profile;
    ref.origin = value(QStringLiteral("origin"));
    ref.path = value(QStringLiteral("model"));
    const QString storage = value(QStringLiteral("storage"));
    if (ref.origin.isEmpty() || ref.path.isEmpty() || storage.isEmpty())
        return fail(urlError(url, QStringLiteral("it lacks origin, storage or model")));
    const auto kind = browserStorageFromName(storage);
    if (!kind)
        return fail(urlError(url, QStringLiteral("unknown storage '%1'").arg(storage)));
    ref.storage = *kind;
    out.model = ref;
    return out;
}

QString BrowserUrl::profilePath(const QString &profile)
{
    return encoded(profile, kKeep);
}

QString BrowserUrl::modelPath(const BrowserModelRef &ref)
{
    return profilePath(ref.profile) + QStringLiteral("?origin=") + encoded(ref.origin)
           + QStringLiteral("&storage=") + browserStorageName(ref.storage)
           + QStringLiteral("&model=") + encoded(ref.path);
}

} // namespace tfjs
