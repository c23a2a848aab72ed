#include "savefile.h"

#include <QSaveFile>

namespace tfjs {

Result<void> saveFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    const bool written = file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
    if (written && file.commit())
        return {};
    Error error { ErrorCode::Io,
        QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()) };
    error.path = path;
    return fail(error);
}

} // namespace tfjs
