// TF.js's IndexedDB records once decoded (tfjsrecord.h), from JSON text: the models_store
// record ({modelPath, modelArtifacts}) and the model_info_store one ({modelPath,
// modelArtifactsInfo}); ArrayBuffers are what the decoders give for binary values, absent here.
#include "browser/tfjsrecord.h"

#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    const QString where = QStringLiteral("record");
    const auto json = parseJson(fuzz::textOf(fuzz::bytesOf(data, size)), where);
    if (!json)
        return 0;
    (void)artifactsFromIndexedDbRecord(*json, where);
    if (const Json *info = jsonMember(*json, "modelArtifactsInfo"))
        (void)infoFromIndexedDbRecord(*info, where);
    else
        (void)infoFromIndexedDbRecord(*json, where);
    return 0;
}
