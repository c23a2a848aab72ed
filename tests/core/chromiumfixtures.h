#pragma once

// Values Chromium 156 wrote for TF.js 4.22 models, for the Chromium decoder tests: files in
// tests/core/data/chromium (its README says which) and one record short enough to keep here.

#include "testutil.h"

#include <QByteArray>

namespace tfjs::test {

inline QByteArray chromiumFixture(const char *name)
{
    return readFile(QStringLiteral(TFJS_SOURCE_DIR "/tests/core/data/chromium/")
                    + QLatin1String(name));
}

// 'tiny''s model_info_store record: record version 2, Blink envelope (FF 15 FE + 12 bytes),
// then the V8 value.
inline const QByteArray kTinyInfoRecord = QByteArray::fromHex(
    "02ff15fe000000000000000000000000"
    "ff106f22096d6f64656c50617468220474696e7922126d6f64656c417274696661637473496e666f6f2209646174"
    "655361766564440080d069d0247a4222116d6f64656c546f706f6c6f67795479706522044a534f4e22126d6f6465"
    "6c546f706f6c6f6779427974657349820922107765696768745370656373427974657349f601220f776569676874"
    "44617461427974657349407b057b02");
// Where the Blink envelope and the V8 value start in a LevelDB record value.
inline constexpr qsizetype kBlinkStart = 1;
inline constexpr qsizetype kV8Start = 16;

} // namespace tfjs::test
