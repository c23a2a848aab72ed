// A Chromium IndexedDB record value as LevelDB holds it: record version, Blink envelope
// (possibly snappy-wrapped), V8 value, then TF.js's record (tfjsrecord.h) with its weights.
#include "browser/blinkvalue.h"
#include "browser/tfjsrecord.h"
#include "browser/valueinput.h"
#include "io/weightdata.h"

#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    const QByteArrayView bytes = fuzz::bytesOf(data, size);
    const QString where = QStringLiteral("record");
    (void)v8FromBlinkEnvelope(bytes, where);
    const auto value = unwrapIdbRecordValue(bytes, where);
    if (!value || value->blink.isEmpty())
        return 0;
    ValueInput input(value->blink);
    const auto json = decodeBlinkValue(value->blink, where, &input);
    if (!json)
        return 0;
    if (const Json *info = jsonMember(*json, "modelArtifactsInfo"))
        (void)infoFromIndexedDbRecord(*info, where);
    (void)artifactsFromIndexedDbRecord(*json, where, &input);
    return 0;
}
