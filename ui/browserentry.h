#pragma once

#include <QDateTime>
#include <QString>

namespace tfjs::ui {

// Where a browser section's entries come from. Store: a scheme of the registry that lists its
// models (the panel makes one per scheme, keyed by the scheme); LocalStorage sorts after Store
// and is not made by the panel any more.
enum class SectionKind { Store, LocalStorage, Folder, Recent, Trash };

// One model listed in the browser: what opens it and what the list shows about it.
struct BrowserEntry
{
    QString url;      // what opens it: "indexeddb://name", a local path, "https://…/model.json"
    QString name;     // shown in the Name column
    QString format;   // "layers-model", "graph-model", "weights-only"; empty: unknown
    qint64 size = -1; // bytes (JSON + weights); -1: unknown
    QDateTime date;   // saved or modified; invalid: unknown
    QString problem;  // non-empty: listed, but something is wrong with it (shown as a warning)
    // Trash entries: `url` is where the model was, `date` when it went to the trash.
    qint64 trashId = -1;  // its id in the store's trash; -1: not a trash entry
    QString trashReason;  // why it is there: "deleted", "replaced"

    // What tells entries apart in a section: the URL, and the trash id for trash entries
    // (a name can be in the trash more than once).
    QString key() const { return trashId < 0 ? url : url + QLatin1Char('#') + QString::number(trashId); }
};

} // namespace tfjs::ui
