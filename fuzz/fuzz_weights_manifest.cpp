// weightsManifest and bare weightSpecs lists (a manifest file, model.json's field).
#include "format/weightspec.h"

#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    const auto json = parseJson(fuzz::textOf(fuzz::bytesOf(data, size)), QStringLiteral("manifest"));
    if (!json)
        return 0;
    if (const auto manifest = parseWeightsManifest(*json, QStringLiteral("manifest"))) {
        const auto again = parseWeightsManifest(weightsManifestToJson(*manifest),
                                                QStringLiteral("manifest (written)"));
        if (!again)
            __builtin_trap(); // what we write must read back
        for (const WeightsGroup &group : *manifest)
            for (const std::string &path : group.paths)
                (void)checkRelativeShardPath(path, QStringLiteral("model.json"));
    }
    (void)parseWeightSpecs(*json, QStringLiteral("weightSpecs"));
    return 0;
}
