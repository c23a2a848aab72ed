#pragma once

#include "base/error.h"
#include "base/json.h"
#include "browser/valueinput.h"

#include <QByteArrayView>
#include <QString>

namespace tfjs {

// SpiderMonkey's structured clone format (what Firefox keeps in IndexedDB, after snappy),
// decoded into Json by the rules of tfjsrecord.h. The data is a sequence of little-endian
// 64-bit words, each a (tag << 32 | data) pair or a raw double. Read: the header (scope 2 or 3,
// as written to disk), null, undefined, booleans, int32, doubles, Latin-1 and two-byte strings,
// Date, plain objects, dense and sparse arrays, ArrayBuffers (both tags) and back-references.
// Anything else (typed-array views, Map, Set, RegExp, BigInt, DOM objects ...), which TF.js
// never stores, is refused with a message naming the tag and its byte offset, as is a
// truncated or malformed input. Nesting deeper than `maxDepth` and back-references that would
// expand the value beyond `maxOutputBytes` are refused.
struct StructuredCloneLimits
{
    int maxDepth = 256;
    qint64 maxOutputBytes = 0; // 0: 64 MiB plus twice the input's size
};

// `where` names the record in messages; error.offset is the byte offset in `data`.
[[nodiscard]] Result<Json> decodeStructuredClone(QByteArrayView data, const QString &where,
                                                 const StructuredCloneLimits &limits = {});
// The same over an input that may fill its bytes when read and leave big ArrayBuffers in place
// (valueinput.h); offsets are into input.bytes().
[[nodiscard]] Result<Json> decodeStructuredClone(ValueInput &input, const QString &where,
                                                 const StructuredCloneLimits &limits = {});

} // namespace tfjs
