#pragma once

#include <QDateTime>
#include <QString>

namespace tfjs::ui {

// Where a browser section's entries come from.
enum class SectionKind { Store, LocalStorage, Folder, Recent };

// One model listed in the browser: what opens it and what the list shows about it.
struct BrowserEntry
{
    QString url;      // what opens it: "indexeddb://name", a local path, "https://…/model.json"
    QString name;     // shown in the Name column
    QString format;   // "layers-model", "graph-model", "weights-only"; empty: unknown
    qint64 size = -1; // bytes (JSON + weights); -1: unknown
    QDateTime date;   // saved or modified; invalid: unknown
    QString problem;  // non-empty: listed, but something is wrong with it (shown as a warning)
};

} // namespace tfjs::ui
