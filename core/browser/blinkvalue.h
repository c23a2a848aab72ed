#pragma once

#include "base/error.h"
#include "base/json.h"
#include "browser/valueinput.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace tfjs {

// A Chromium IndexedDB record value, unwrapped: a varint record version, then either Blink's
// serialization, or a wrapper (FF 11) around it: 01 = moved to the record's blob number
// `index` (varint size, varint index), 02 = raw snappy.
struct IdbRecordValue
{
    quint64 version = 0;
    QByteArray blink; // Blink's serialization (FF 15 ...), when inline or snappy-wrapped
    std::optional<quint64> blobIndex; // otherwise: which entry of the record's blob list holds it
    quint64 blobSize = 0;
    bool wasCompressed = false;
};

// `where` names the record in messages. Unknown wrapper kinds are Unsupported, naming it;
// truncated or corrupt bytes are Format errors naming the offset.
[[nodiscard]] Result<IdbRecordValue> unwrapIdbRecordValue(QByteArrayView value,
                                                          const QString &where);

// Blink's envelope around V8's serialization: FF, varint Blink version (21 is read: its trailer
// offset tag FE, 8-byte offset, 4-byte size follow), then V8's bytes (FF 10 ...), returned.
// Another version is Unsupported, naming it.
[[nodiscard]] Result<QByteArrayView> v8FromBlinkEnvelope(QByteArrayView blink,
                                                         const QString &where);

// Blink's envelope and the V8 value inside it, decoded (v8value.h) into Json.
// With `input`, big ArrayBuffers become references into it (v8value.h).
[[nodiscard]] Result<Json> decodeBlinkValue(QByteArrayView blink, const QString &where,
                                            ValueInput *input = nullptr);

inline constexpr quint64 kBlinkVersion = 21;

} // namespace tfjs
