// LevelDB's log files (.log and MANIFEST-*): the records, each record as a write batch, and
// the whole input as a MANIFEST.
#include "browser/leveldblog.h"

#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace tfjs;
    const QByteArrayView bytes = fuzz::bytesOf(data, size);
    const QString path = QStringLiteral("000003.log");
    if (const auto records = readLevelDbLog(bytes, path)) {
        LevelDbEntries entries;
        for (const QByteArray &record : *records)
            (void)mergeWriteBatch(record, entries, path);
    }
    LevelDbEntries entries;
    (void)mergeWriteBatch(bytes, entries, path);
    (void)parseLevelDbManifest(bytes, QStringLiteral("MANIFEST-000001"));
    return 0;
}
