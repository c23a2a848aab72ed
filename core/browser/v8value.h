#pragma once

#include "base/error.h"
#include "base/json.h"
#include "browser/valueinput.h"

#include <QByteArrayView>
#include <QString>

namespace tfjs {

// V8's ValueSerializer format (v8/src/objects/value-serializer.cc), the part Blink writes for
// plain JS data, decoded into Json by the rules of tfjsrecord.h: objects (o ... {), dense
// (A ... $) and sparse (a ... @) arrays, strings (" Latin-1, c UTF-16LE, S UTF-8; \0 padding
// skipped), I U N numbers, T F 0 _ constants, D Dates, B ArrayBuffers and V views, boolean,
// number and string wrapper objects, ^ back-references. `bytes` start with the header FF and
// the varint version: kV8Version, the only one checked against real profiles; another is
// Unsupported, naming it. Other tags (BigInt, RegExp, Map, Set, host objects, shared or
// transferred buffers, Wasm) are Unsupported, naming the tag and offset. Truncated or
// malformed input is a Format error naming the byte offset; nesting is limited to
// kMaxJsonDepth. `where` names the record in messages.
// With `input` (whose bytes() hold `bytes`, all readable), big ArrayBuffers become references
// into it (valueinput.h) instead of copies.
[[nodiscard]] Result<Json> decodeV8Value(QByteArrayView bytes, const QString &where,
                                         ValueInput *input = nullptr);

inline constexpr quint64 kV8Version = 16;

} // namespace tfjs
