#pragma once

#include "base/error.h"
#include "snappydecode.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace tfjs {

// The compressions Chromium applies to IndexedDB values, through Debian's libraries: raw
// snappy (snappydecode.h's libsnappy wrapper, with the value's offset) and zstd frames (libzstd). Corrupt input, or an output larger than 1 GiB,
// is a Format error naming `where` and the byte `offset` the compressed data starts at.
[[nodiscard]] Result<QByteArray> snappyUncompress(QByteArrayView compressed, const QString &where,
                                                  qint64 offset);
[[nodiscard]] Result<QByteArray> zstdUncompress(QByteArrayView compressed, const QString &where,
                                                qint64 offset);

} // namespace tfjs
