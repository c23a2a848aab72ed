// The stores' records: the modelArtifacts object indexeddb:// keeps (artifactsFromObject), its
// ModelArtifactsInfo, and localstorage://'s five items (NUL-separated, in
// localStorageSuffixes() order; an empty field is a missing item).
#include "format/localstorageitems.h"

#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    const QByteArrayView input = fuzz::bytesOf(data, size);
    if (const auto json = parseJson(fuzz::textOf(input), QStringLiteral("record"))) {
        if (const auto artifacts = artifactsFromObject(*json, QStringLiteral("record")))
            (void)artifactsFromObject(artifactsObject(*artifacts), QStringLiteral("again"));
        if (const auto info = ModelArtifactsInfo::fromJson(*json))
            (void)ModelArtifactsInfo::fromJson(info->toJson());
    }
    LocalStorageItems items;
    QByteArrayView rest = input;
    for (auto &item : items) {
        const QByteArrayView field = fuzz::takeField(rest);
        if (!field.isEmpty())
            item = QString::fromUtf8(field);
    }
    (void)artifactsFromItems(items, QStringLiteral("fuzz"));
    return 0;
}
