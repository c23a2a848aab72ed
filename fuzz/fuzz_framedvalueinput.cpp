// A Firefox external IndexedDB value file (snappy framing around a structured clone), read as
// firefoxidb.cpp reads it: FramedValueInput over the file, the clone, TF.js's record.
#include "browser/framedvalueinput.h"
#include "browser/structuredclone.h"
#include "browser/tfjsrecord.h"

#include "fuzzinput.h"

#include <QTemporaryFile>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    QTemporaryFile file;
    if (!file.open())
        return 0;
    file.write(reinterpret_cast<const char *>(data), qint64(size));
    file.close();
    const QString where = QStringLiteral("value file");
    auto input = FramedValueInput::open(file.fileName(), where);
    if (!input)
        return 0;
    const auto json = decodeStructuredClone(**input, where);
    if (json)
        (void)artifactsFromIndexedDbRecord(*json, where, input->get());
    return 0;
}
