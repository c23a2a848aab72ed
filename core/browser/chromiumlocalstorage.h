#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace tfjs {

// Chromium's localStorage LevelDB ("Local Storage/leveldb", plain bytewise keys): a page's item
// is the key `_<origin>\0<format><key>` with a value `<format><text>`, where format 01 is
// Latin-1 and 00 UTF-16LE. VERSION, META: and METAACCESS: keys are bookkeeping.
struct ChromiumLocalStorageKey
{
    QString origin; // "http://127.0.0.1:8765", "file://"
    QString key; // the page's key, "tensorflowjs_models/<path>/info"
};

// nullopt for bookkeeping keys and malformed ones.
std::optional<ChromiumLocalStorageKey> decodeChromiumLocalStorageKey(QByteArrayView key);
// A value (or a key's text after the origin): nullopt for an unknown format byte or an odd
// UTF-16 length.
std::optional<QString> decodeChromiumLocalStorageText(QByteArrayView bytes);

} // namespace tfjs
