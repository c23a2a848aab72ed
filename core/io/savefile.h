#pragma once

#include "base/error.h"

#include <QByteArray>
#include <QString>

namespace tfjs {

// Writes `bytes` to the file `path` atomically (QSaveFile: a temporary file beside it, renamed
// over it when complete), so a failure leaves whatever was there. For single files such as
// exports; models are written by their IOHandlers. Errors (Io) name the path and the reason.
[[nodiscard]] Result<void> saveFile(const QString &path, const QByteArray &bytes);

} // namespace tfjs
