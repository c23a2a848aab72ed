#pragma once

#include "base/error.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace tfjs {

// How `tfjs-model serve` (and later the app's toggle) runs the model server.
struct ServeOptions
{
    QHostAddress bind = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;             // 0: a free port, chosen when the server starts
    QString token;                // writes need "Authorization: Bearer <token>" when set
    QStringList allowedOrigins;   // empty: any origin while bound to loopback, none otherwise
    qint64 bodyLimit = qint64(2) << 30; // bytes of one upload's body (413 above)
    qint64 jsonLimit = qint64(64) << 20; // bytes of the model.json part (kept in memory)
    int connectionLimit = 64;     // connections served at once (one thread each)
    QString scheme = QStringLiteral("indexeddb"); // the store served: a scheme that lists and saves

    bool isLoopback() const { return bind.isLoopback(); }
    // A usable copy, or InvalidArgument: an address other than loopback without a token, a
    // limit that is not positive.
    [[nodiscard]] Result<ServeOptions> validate() const;
};

} // namespace tfjs
