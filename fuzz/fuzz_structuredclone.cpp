// SpiderMonkey structured clones (Firefox's IndexedDB values), then TF.js's record in them.
#include "browser/structuredclone.h"
#include "browser/tfjsrecord.h"

#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    const QString where = QStringLiteral("clone");
    const auto json = decodeStructuredClone(fuzz::bytesOf(data, size), where);
    if (!json)
        return 0;
    if (const Json *info = jsonMember(*json, "modelArtifactsInfo"))
        (void)infoFromIndexedDbRecord(*info, where);
    (void)artifactsFromIndexedDbRecord(*json, where);
    return 0;
}
