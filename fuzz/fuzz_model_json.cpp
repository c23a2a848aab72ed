// model.json as the file, http and downloads handlers read it: JSON text, then the artifacts
// (topology, manifest, weight specs); a model that parses is written back and read again.
#include "format/artifacts.h"

#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    const auto json = parseJson(fuzz::textOf(fuzz::bytesOf(data, size)), QStringLiteral("model.json"));
    if (!json)
        return 0;
    const auto artifacts = artifactsFromModelJson(*json, QStringLiteral("model.json"));
    if (artifacts) {
        const Json again = modelJson(*artifacts, artifacts->manifest, JsonLayout::Browser);
        (void)artifactsFromModelJson(again, QStringLiteral("model.json (written)"));
        (void)artifactsInfo(*artifacts, QDateTime::fromSecsSinceEpoch(0, Qt::UTC));
    }
    (void)artifactsFromObject(*json, QStringLiteral("artifacts"));
    return 0;
}
